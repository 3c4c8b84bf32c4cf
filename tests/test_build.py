"""The backbone: `councillor build` turns a programme folder into one deployable site/."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import feedparser
import pytest

from generator.build.publish import Part, assemble
from generator.exceptions import BuildError
from generator.inputs import posts
from generator.inputs.config import load_project
from generator.inputs.urls import post_path
from tests.conftest import EXAMPLE_URL, REPO, copy_example, run_cli, run_cli_process
from tests.support.helpers import tree
from tests.support.links import broken_links

PROJECT_SITE = "https://fenmarsh-council.github.io/networked-councillor/"
ROOT_SITE = "https://councillors.fenmarsh.example/"


@pytest.fixture(scope="module")
def project_site(example_build) -> tuple[Path, Path]:
    """The example built by a separate `python -m generator build` process, at a project-site URL; shared, read only."""
    assert PROJECT_SITE == EXAMPLE_URL
    return example_build, example_build / "site"


def published_posts(root: Path):
    project = load_project(root)
    import datetime as dt
    now = dt.datetime.now(dt.UTC)
    for blog in project.blogs:
        found, problems = posts.read_all(blog.content_dir)
        assert not problems
        yield blog, [p for p in found if p.is_published(now)], [p for p in found if not p.is_published(now)]


def test_every_expected_page_is_built(project_site):
    root, site = project_site
    assert (site / "index.html").is_file(), "the handbook is at the root"
    assert (site / "councillors" / "index.html").is_file(), "the councillors index"
    index = html.unescape((site / "councillors" / "index.html").read_text())
    project = load_project(root)
    assert len(project.blogs) >= 8
    for blog, live, hidden in published_posts(root):
        home = site / "councillors" / blog.slug
        assert (home / "index.html").is_file()
        assert (home / "about" / "index.html").is_file()
        assert f'href="{blog.slug}/"' in index and blog.councillor.name in index
        for post in live:
            page = home / post_path(post) / "index.html"
            assert page.is_file(), page
            assert post.meta.title in html.unescape(page.read_text())
        for post in hidden:
            assert not (home / post_path(post)).exists(), f"{post.path.name} is a draft or future post"


def test_each_blog_has_an_atom_feed_that_parses(project_site):
    root, site = project_site
    for blog, live, hidden in published_posts(root):
        feed = feedparser.parse((site / "councillors" / blog.slug / "feeds" / "all.atom.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        links = {entry.link for entry in feed.entries}
        expected = {f"{PROJECT_SITE}councillors/{blog.slug}/{post_path(p)}" for p in live}
        assert links == expected
        for post in hidden:
            assert post.meta.title not in {entry.title for entry in feed.entries}


@pytest.mark.parametrize("site_url", [ROOT_SITE, PROJECT_SITE])
def test_no_broken_internal_links(tmp_path, example_build, site_url):
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    result = run_cli("build", "--root", root, "--base-url", site_url)
    assert result.exit_code == 0, result.output
    site = root / "site"
    assert broken_links(site, site_url) == []
    for feed in site.glob("councillors/*/feeds/all.atom.xml"):
        for entry in feedparser.parse(feed.read_bytes()).entries:
            assert entry.link.startswith(site_url)


def test_feeds_and_assets_use_the_project_path(project_site):
    _, site = project_site
    page = (site / "councillors" / "amira-patel" / "index.html").read_text()
    assert 'href="/' not in page and 'src="/' not in page, "root-relative links break under /<repo>/"


def break_file(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1)
                if needle in line)


def add_page(blog: Path, name: str, front: str) -> Path:
    page = blog / "content" / "pages" / name
    page.write_text(f"---\n{front}\ndate: 2026-05-01\n---\nWhat this page says.\n", encoding="utf-8")
    return page


def first_post(blog: Path) -> Path:
    return sorted((blog / "content" / "posts").glob("*.md"))[0]


@pytest.mark.parametrize("what", ["councillor.yml", "post", "page on the blog's own address", "two pages, one address",
                                  "missing picture", "missing picture in the text", "not UTF-8"])
def test_a_broken_file_leaves_the_last_good_site_untouched(example, what):
    assert run_cli("build", "--root", example).exit_code == 0
    before = tree(example / "site")
    blog = example / "councillor_blogs" / "amira-patel"
    if what == "councillor.yml":
        broken = blog / "councillor.yml"
        break_file(broken, "ward: Castle", "ward: Castle\nwrad: Castle")
        expected = [f"{broken}:{line_of(broken, 'wrad:')}", "'wrad' is not a setting", "fix:"]
    elif what == "post":
        broken = first_post(blog)
        text = broken.read_text()
        date_line = next(line for line in text.splitlines() if line.startswith("date:"))
        broken.write_text(text.replace(date_line, "date: 2026-02-30", 1))
        expected = [f"{broken}:{line_of(broken, 'date: 2026-02-30')}", "'date'", "YYYY-MM-DD"]
    elif what == "page on the blog's own address":
        broken = add_page(blog, "archives.md", "title: Archives")
        expected = [f"{broken}:", "'archives/' is one the blog uses itself", "fix: rename the file"]
    elif what == "two pages, one address":
        broken = add_page(blog, "about-me.md", "title: More about me\nslug: about")
        # Whichever comes second is reported, and names the first.
        expected = [f"{blog / 'content' / 'pages' / 'about.md'}: the page's address 'about/' is taken by about-me.md",
                    "fix: give the page a 'slug:' line"]
    elif what == "missing picture":
        broken = first_post(blog)
        break_file(broken, "title:", "image:\n  src: images/no-such-bin.jpg\n  alt: A green bin\ntitle:")
        expected = [f"{broken}:{line_of(broken, 'image:')}", "the picture 'images/no-such-bin.jpg' is not there",
                    "fix: upload the picture to councillor_blogs/amira-patel/content/images/"]
    elif what == "missing picture in the text":
        broken = first_post(blog)
        broken.write_text(broken.read_text() + "\n![The flooded underpass](images/underpass.jpg)\n")
        expected = [f"{broken}:{line_of(broken, '![The flooded')}", "the picture 'images/underpass.jpg' is not there"]
    else:
        broken = blog / "councillor.yml"
        broken.write_bytes(broken.read_bytes().replace(b"ward: Castle", "ward: Castell Siân".encode("latin-1")))
        expected = [f"{broken}:{line_of(broken, 'ward:')}", "is not saved as UTF-8", "fix: save the file again"]

    result = run_cli_process("build", "--root", example)

    assert result.returncode != 0
    for fragment in expected:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree(example / "site") == before
    assert not list(example.glob(".site-staging-*")), "no half-built folder is left behind"


def test_every_problem_is_reported_at_once(example):
    blogs = example / "councillor_blogs"
    break_file(blogs / "amira-patel" / "councillor.yml", "ward: Castle", "ward: [Castle")
    second = sorted(p for p in blogs.iterdir() if p.name != "amira-patel")[0] / "councillor.yml"
    second.write_text(second.read_text() + "\ntwitter_handle: someone\n")
    break_file(example / "programme.yml", "primary_colour: \"#00594f\"", "primary_colour: teal")

    result = run_cli_process("build", "--root", example)

    assert result.returncode == 1
    assert "3 problems found" in result.stderr
    assert f"{blogs / 'amira-patel' / 'councillor.yml'}:" in result.stderr
    assert f"{second}:" in result.stderr and "'twitter_handle' is not a setting" in result.stderr
    assert f"{example / 'programme.yml'}:{line_of(example / 'programme.yml', 'primary_colour')}" in result.stderr
    assert not (example / "site").exists()


def test_an_unreadable_council_colour_warns_and_fails_strict(example):
    break_file(example / "programme.yml", "primary_colour: \"#00594f\"", "primary_colour: \"#ffdd00\"")
    relaxed = run_cli_process("build", "--root", example)
    assert relaxed.returncode == 0
    assert relaxed.stderr.count("branding.primary_colour #ffdd00") == 1, "said once, not once per blog"
    before = tree(example / "site")
    strict = run_cli_process("build", "--root", example, "--strict")
    assert strict.returncode != 0 and "strict" in strict.stderr
    assert tree(example / "site") == before


def test_two_writers_of_one_path_is_an_error(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for part in (a, b):
        (part / "councillors" / "jane-smith").mkdir(parents=True)
        (part / "councillors" / "jane-smith" / "index.html").write_text(part.name)
    with pytest.raises(BuildError, match=r"both write .councillors/jane-smith/index\.html."):
        assemble([Part(a, "", "the handbook"), Part(b, "", "the blog in councillor_blogs/jane-smith")],
                 tmp_path / "staging")


def test_a_handbook_page_cannot_take_a_blogs_address(example):
    for name in ("mkdocs.yml", "handbook", "themes"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, example / name)
    clash = example / "handbook" / "councillors" / "amira-patel.md"
    clash.parent.mkdir(parents=True, exist_ok=True)
    clash.write_text("# Not Amira's blog\n")
    (example / "mkdocs.yml").write_text((example / "mkdocs.yml").read_text().replace("use_directory_urls: false", ""))

    result = run_cli_process("build", "--root", example)

    assert result.returncode != 0
    # Named in the site's order of parts, however the build got there (the new site is put together
    # while the blogs build, and only the handbook was built again here).
    assert ("the handbook and the blog in councillor_blogs/amira-patel both write "
            "'councillors/amira-patel/index.html'") in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(example.glob(".site-staging-*")), "no half-assembled site is left behind"


def test_one_posts_markdown_does_not_leak_into_the_next(example):
    # A blog's posts share one Markdown converter: what one post defines must end with it.
    folder = example / "councillor_blogs" / "amira-patel" / "content" / "posts"
    (folder / "2026-11-01-abbreviations.md").write_text(
        "---\ntitle: What ASB means\ndate: 2026-11-01\n---\n"
        "The ASB team met on Monday.[^1]\n\n*[ASB]: anti-social behaviour\n\n[^1]: At the civic centre.\n")
    (folder / "2026-11-02-later.md").write_text(
        "---\ntitle: Later\ndate: 2026-11-02\n---\nASB came up again.[^note]\n\n[^note]: Twice.\n")

    result = run_cli("build", "--root", example, "--jobs", "1")

    assert result.exit_code == 0, result.output
    blog = example / "site" / "councillors" / "amira-patel"
    first = next(blog.rglob("what-asb-means/index.html")).read_text(encoding="utf-8")
    later = next(blog.rglob("later/index.html")).read_text(encoding="utf-8")
    assert '<abbr title="anti-social behaviour">ASB</abbr>' in first
    assert "<abbr" not in later.split("<main", 1)[1]
    assert 'id="fn:note"' in later and 'id="fn:1"' not in later


def test_an_unexpected_failure_is_a_sentence_not_a_traceback(example, monkeypatch):
    import generator.build

    def fails(*args, **kwargs):
        raise KeyError("theme")

    monkeypatch.setattr(generator.build, "build", fails)
    result = run_cli("build", "--root", example)
    assert result.exit_code == 1
    assert "an unexpected problem stopped the command (KeyError: 'theme')" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(KeyError):  # -v shows where, for whoever fixes it
        run_cli("-v", "build", "--root", example)
