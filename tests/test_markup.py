"""markup.render keeps one Markdown converter per set of extensions: each text reads as if alone."""

from __future__ import annotations

import threading

import markdown
import pytest

from generator.inputs.news import ITEM_EXTENSIONS
from generator.inputs.posts import MARKDOWN_EXTENSIONS, read_all
from generator.steps import markup
from tests.conftest import REPO

TEXTS = [
    "*[HTML]: Hyper Text Markup Language\n\nHTML here.[^1]\n\n[^1]: A footnote.\n\n## Same heading\n\n## Same heading",
    "HTML again, with no abbreviation this time, and a footnote reference [^1] left unresolved.\n\n## Same heading",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n<div markdown=\"1\">*in html*</div>\n\nterm\n: definition",
    "\"Quotes\" -- and dashes --- and ellipses...",
    "- " * 2000 + "deep",  # deeper than Python's recursion allows: refused, and the converter replaced
    "After the deep one: *still* the same.",
]


def alone(text: str, extensions: list | None) -> str:
    return markdown.markdown(text, extensions=extensions or [], output_format="html")


@pytest.mark.parametrize("extensions", [MARKDOWN_EXTENSIONS, ITEM_EXTENSIONS, None])
def test_each_text_renders_as_it_would_alone(extensions):
    posts = [post for folder in sorted(REPO.glob("councillor_blogs/*/content")) for post in read_all(folder)[0]]
    texts = TEXTS + [post.body for post in posts] + [post.meta.summary or "" for post in posts]
    for text in texts + TEXTS:  # the same texts again, after all the others
        try:
            expected = alone(text, extensions)
        except RecursionError:
            with pytest.raises(markup.TooSlow):
                markup.render(text, extensions)
            continue
        assert markup.render(text, extensions) == expected


def test_threads_do_not_share_a_converter():
    found: dict[int, str] = {}

    def render(n: int) -> None:
        found[n] = markup.render(f"## Heading {n}\n\n*Text* {n}", MARKDOWN_EXTENSIONS)

    threads = [threading.Thread(target=render, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {n: alone(f"## Heading {n}\n\n*Text* {n}", MARKDOWN_EXTENSIONS) for n in range(8)}
