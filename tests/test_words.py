"""Word counts: the same whether the report renders a post itself or the blog build tells it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import council_pages
from generator.inputs.config import load_project
from generator.inputs.posts import MARKDOWN_EXTENSIONS, read_all
from generator.inputs.urls import FOOTPRINT_URL_PATH
from generator.steps import markup, words
from tests.conftest import REPO, copy_example, run_cli
from tests.support.helpers import cutoff
from tests.test_footprint import words_in
from tests.test_shortlinks import QUOTING_POST

DAY = "2026-11-25"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_report_takes_its_word_counts_from_the_blog_build(tmp_path, monkeypatch, jobs):
    root = copy_example(tmp_path / "programme")
    (root / "councillor_blogs" / "amira-patel" / "content" / "posts" / "2026-11-21-new-bin-rounds.md").write_text(
        QUOTING_POST)
    # As in a cold build of a big programme: every post is new to the count, so the council
    # pages wait for the blogs, whose build renders each post and passes its count on.
    words.count_words.table.clear()
    monkeypatch.setattr(council_pages, "COUNT_WHILE_BUILDING", 0)
    rendered_by_the_report: list[str] = []
    count_alone = words.count_words.func
    monkeypatch.setattr(words.count_words, "func", lambda body: rendered_by_the_report.append(body) or
                        count_alone(body))

    result = run_cli("build", "--root", root, "--jobs", jobs, "--date", DAY)

    assert result.exit_code == 0, result.output
    assert rendered_by_the_report == []
    report = json.loads((root / "site" / FOOTPRINT_URL_PATH / "data.json").read_text())
    got = {c["slug"]: c["words"] for c in report["councillors"]}
    last = cutoff(dt.date.fromisoformat(DAY))
    want = {}
    for blog in load_project(root).blogs:
        live = [p for p in read_all(blog.content_dir)[0] if not p.is_draft and p.date <= last]
        want[blog.slug] = sum(words_in(p.body) for p in live)
    assert got == want
    assert want["amira-patel"] > 0


def test_a_quoted_council_item_is_not_the_councillors_words() -> None:
    html = ('<p>Our new rounds start soon.</p>\n<aside class="council-quote" aria-label="From Fenmarsh">'
            "<blockquote><p>Garden waste goes fortnightly.</p></blockquote><p>Waste team: <a>Bins</a></p></aside>"
            "<p>Ask me at the library.</p><script>var x = 1;</script>")
    assert words.words_in_html(html) == 10
    body = "Our new rounds start soon.\n\n[[council:bin-changes]]\n\nAsk me at the library.\n"
    assert words.count_words.func(body) == 10



# -- Counting the blog build's cleaned HTML without parsing it ------------------------------------

PIECES = ["word", "Bins", "café", "42", "—", "-", "&amp;", "&lt;b&gt;", "&nbsp;", "&#39;", "&notit;", "&", "<", ">",
          "*em*", "**strong**", "`code`", "[link](https://example.org/a>b)", '[t](https://example.org "a > b")',
          "![A bin](images/bin.jpg)", '<a title="x > y" href="/">in</a>', "<a title='x > \"y\"'>q</a>",
          "<span class=x>s</span>", "<b>bold</b>", "<br>", "<!-- note -->", "<script>alert(1)</script>",
          "<style>p{}</style>", '<aside class="council-quote">the council says</aside>', "<aside>aside</aside>",
          "<div>\n\nblock\n\n</div>", "<p>para", "</p>", "<img src=x alt='a>b'>", "<x-y>custom</x-y>", "a_b",
          "_", "__", "'", '"', "…", "😀", "\u00a0", "\u2028", "\t", "1.", "- item", "## Heading", "> quote",
          "| a | b |\n|---|---|\n| 1 | 2 |", "term\n: definition", "*[HTML]: Hyper Text", "[^1]\n\n[^1]: note"]


@given(st.lists(st.sampled_from(PIECES), max_size=25).flatmap(
    lambda pieces: st.lists(st.sampled_from([" ", "\n", "\n\n", ""]), min_size=len(pieces), max_size=len(pieces))
    .map(lambda gaps: "".join(p + g for p, g in zip(pieces, gaps, strict=True)))))
@settings(max_examples=400, deadline=None)
def test_the_blog_builds_cleaned_html_counts_the_same_without_parsing(body):
    html = markup.clean(markup.render(body, MARKDOWN_EXTENSIONS))
    assert words.words_in_clean_html(html) == words.words_in_html(html)


def test_the_example_posts_count_the_same_without_parsing():
    for post in [p for blog in load_project(REPO).blogs for p in read_all(blog.content_dir)[0]]:
        html = markup.clean(markup.render(post.body, MARKDOWN_EXTENSIONS))
        assert words.words_in_clean_html(html) == words.words_in_html(html) > 0
