"""Front matter as an iPad or Word leaves it is read as the writer meant, with a warning naming file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_hostile import BLOG, blog, small_programme

#: What a councillor typed, as the device saved it, and the line the warning must name.
IPAD_POSTS = {
    # Smart Punctuation turns the typed '---' into an em dash and a hyphen.
    "2026-03-10-em-dash.md": ("\u2014-\ntitle: Em dash lines\ndate: 2026-03-10\n\u2014-\n\nBody.\n", 1,
                              "read as '---'"),
    "2026-03-11-en-dash.md": ("\u2013-\ntitle: En dash lines\ndate: 2026-03-11\n\u2013-\n\nBody.\n", 1,
                              "read as '---'"),
    # A colon in a title needs quotes; the iPad types curly ones.
    "2026-03-12-curly.md": ("---\ntitle: \u201cCastle Street: the caf\u00e9 reopens\u201d\ndate: 2026-03-12\n"
                            "---\n\nBody.\n", 2, "curly quotes"),
    "2026-03-13-curly-single.md": ("---\ntitle: \u2018Budget: what it means\u2019\ndate: 2026-03-13\n---\n\nBody.\n",
                                   2, "curly quotes"),
}
#: A picture named without its folder, as the handbook once showed it.
BARE_PICTURE = ("---\ntitle: Flood map\ndate: 2026-03-14\nimage:\n  src: fenside-flood-map.svg\n"
                "  alt: The flood map of Fenside\n---\n\nBody.\n")


@pytest.fixture(scope="module")
def ipad_build(tmp_path_factory) -> tuple[Path, str]:
    root = small_programme(tmp_path_factory.mktemp("ipad") / "programme")
    folder = blog(root) / "content" / "posts"
    for name, (text, _, _) in IPAD_POSTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "2026-03-14-bare-picture.md").write_text(BARE_PICTURE, encoding="utf-8")
    result = run_cli("build", "--root", root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.mark.parametrize("name", list(IPAD_POSTS))
def test_typographic_dashes_and_quotes_build_with_a_warning_naming_file_and_line(ipad_build, name):
    root, output = ipad_build
    _, line, words = IPAD_POSTS[name]
    assert re.search(rf"warning: .*{re.escape(name)}:{line}: .*{re.escape(words)}", output), output
    pages = root / "site" / "councillors" / BLOG / "2026" / "03"
    titles = [p.read_text(encoding="utf-8") for p in pages.glob("*/index.html")]
    expected = {"2026-03-10-em-dash.md": "Em dash lines", "2026-03-11-en-dash.md": "En dash lines",
                "2026-03-12-curly.md": "Castle Street: the café reopens",
                "2026-03-13-curly-single.md": "Budget: what it means"}[name]
    assert any("<h1" in t and expected in t for t in titles), f"{expected} is on the blog"


def test_a_picture_named_without_its_folder_is_found_in_images(ipad_build):
    root, output = ipad_build
    page = (root / "site" / "councillors" / BLOG / "2026" / "03" / "flood-map" / "index.html").read_text()
    assert re.search(r'<img class="u-photo" src="[^"]*images/fenside-flood-map\.svg" alt="The flood map of Fenside"',
                     page), page
    assert re.search(r"warning: .*2026-03-14-bare-picture\.md:5: .*images/", output), output
