"""Hostile and odd input, as a council's security reviewer would try it.

Every case drives ``councillor build`` on a one-blog programme and checks what a reviewer
would: the exit code, a message naming the file, ``site/`` untouched after a refusal, no byte
from outside the programme published, no script in any page or feed, and a bounded time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.inputs import posts
from generator.steps import markup
from generator.steps.blog_reader import FrontMatterReader
from tests.conftest import copy_example, run_cli
from tests.support.helpers import tree

BLOG = "grace-okonkwo"
#: Generous for a one-blog programme on a busy two-core machine; a parser running away takes hours.
TIME_LIMIT = 30.0
SECRET_FILE_TEXT = "NC_LEAK_CANARY=do-not-publish-0451"


def small_programme(dest: Path) -> Path:
    """The example cut down to one blog, with a sentinel site/ that a refusal must leave as it is."""
    root = copy_example(dest)
    for folder in (root / "councillor_blogs").iterdir():
        if folder.name != BLOG:
            shutil.rmtree(folder)
    shutil.rmtree(root / "footprint", ignore_errors=True)
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the last good site</p>\n")
    # A file outside the programme that no build may publish, whatever a setting names.
    (dest.parent / "secret.txt").write_text(SECRET_FILE_TEXT)
    return root


def blog(root: Path) -> Path:
    return root / "councillor_blogs" / BLOG


def post(root: Path, name: str, head: str, body: str = "Some words.\n") -> Path:
    path = blog(root) / "content" / "posts" / name
    path.write_text(f"---\n{head}\n---\n\n{body}", encoding="utf-8")
    return path


def set_line(path: Path, prefix: str, line: str) -> None:
    """Replace the line starting with ``prefix`` (or add ``line`` at the end)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, text in enumerate(lines) if text.startswith(prefix)]
    if found:
        lines[found[0]] = line
    else:
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        ref = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([ref] * 9)}]")
    return "\n".join(lines)


HTML_AS_PICTURE = b"<html><body><script>alert(document.cookie)</script></body></html>"
SCRIPTED_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                   b'<rect width="1" height="1"/></svg>')
SVG_WITH_LINK = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                 b'<image xlink:href="https://tracker.example/x.png"/></svg>')
SVG_WITH_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')


def _photo(value: str) -> Callable[[Path], None]:
    return lambda root: set_line(blog(root) / "councillor.yml", "photo:", f"photo: {value}")


def _logo(value: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        set_line(root / "programme.yml", "  logo:", f"  logo: {value}")
    return change


def _file(relative: str, data: bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = blog(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return change


def _link(relative: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = blog(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target(root))
    return change


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for one in changes:
            one(root)
    return change


def _post(head: str, body: str = "Some words.\n", name: str = "2026-03-01-odd.md") -> Callable[[Path], None]:
    return lambda root: post(root, name, head, body) and None


def _programme_line(prefix: str, line: str) -> Callable[[Path], None]:
    return lambda root: set_line(root / "programme.yml", prefix, line)


def _councillor_line(prefix: str, line: str) -> Callable[[Path], None]:
    return lambda root: set_line(blog(root) / "councillor.yml", prefix, line)


def _raw_post(data: bytes, name: str = "2026-03-01-odd.md") -> Callable[[Path], None]:
    return _file(f"content/posts/{name}", data)


def _news_line(prefix: str, line: str) -> Callable[[Path], None]:
    return lambda root: set_line(root / "council_content" / "2026-11-20-bin-changes.md", prefix, line)


def _twin_posts(root: Path) -> None:
    post(root, "2026-03-01-a.md", "title: Bin day\ndate: 2026-03-01")
    post(root, "2026-03-02-b.md", "title: Bin day!\ndate: 2026-03-02")


def _pages_dir_link(root: Path) -> None:
    (blog(root) / "content" / "images").rename(blog(root) / "content" / "old-images")
    (blog(root) / "content" / "images").symlink_to("/etc")


PLAIN = "title: Odd\ndate: 2026-03-01"

#: (id, change, a word the message must contain, the file the message must name)
REFUSED: list[tuple[str, Callable[[Path], None], str, str]] = [
    # Paths: nothing outside its folder, links followed.
    ("photo-proc-environ", _photo("/proc/self/environ"), "outside", "councillor.yml"),
    ("photo-git-config", _photo("../../.git/config"), "outside", "councillor.yml"),
    ("photo-programme", _photo("../../programme.yml"), "outside", "councillor.yml"),
    ("photo-secret-beside", _photo("../../../secret.txt"), "outside", "councillor.yml"),
    ("photo-html-renamed", _both(_file("photo.png", HTML_AS_PICTURE), _photo("photo.png")),
     "not a picture", "councillor.yml"),
    ("photo-through-link", _both(_link("photo.jpg", lambda root: root.parent / "secret.txt"), _photo("photo.jpg")),
     "outside", "councillor.yml"),
    ("logo-etc-passwd", _logo("/etc/passwd"), "branding", "programme.yml"),
    ("logo-climbs-out", _logo("branding/../../secret.txt"), "branding", "programme.yml"),
    ("logo-outside-branding", _logo("programme.yml"), "branding", "programme.yml"),
    ("logo-svg-script", _both(lambda r: (r / "branding" / "evil.svg").write_bytes(SVG_WITH_SCRIPT) and None,
                              _logo("branding/evil.svg")), "script", "programme.yml"),
    ("image-link-out", _link("content/images/leak.png", lambda root: root.parent / "secret.txt"), "link",
     "leak.png"),
    ("post-link-out", _link("content/posts/2026-03-01-leak.md", lambda root: root.parent / "secret.txt"), "link",
     "2026-03-01-leak.md"),
    ("images-folder-link", _pages_dir_link, "link", "images"),
    ("front-matter-image-climbs", _post(PLAIN + "\nimage:\n  src: ../../../../../secret.txt\n  alt: A leak"),
     "not there", "2026-03-01-odd.md"),
    ("inline-image-climbs", _post(PLAIN, "![The secret](../../../../../secret.txt)\n"), "not there",
     "2026-03-01-odd.md"),
    ("html-in-images", _file("content/images/page.html", HTML_AS_PICTURE), "not a picture", "page.html"),
    ("html-renamed-png", _file("content/images/chart.png", HTML_AS_PICTURE), "not a picture", "chart.png"),
    ("svg-onload", _file("content/images/map.svg", SCRIPTED_SVG), "event handler", "map.svg"),
    ("svg-script", _file("content/images/map.svg", SVG_WITH_SCRIPT), "script", "map.svg"),
    ("svg-remote-link", _file("content/images/map.svg", SVG_WITH_LINK), "links to", "map.svg"),
    ("svg-entity", _file("content/images/map.svg", SVG_WITH_ENTITY), "entities", "map.svg"),
    # Parsing: bounded.
    ("alias-bomb-post", _post(PLAIN + "\n" + alias_bomb()), "repeats", "2026-03-01-odd.md"),
    ("alias-bomb-programme", lambda r: (r / "programme.yml").write_text(
        (r / "programme.yml").read_text() + "\n" + alias_bomb()), "repeats", "programme.yml"),
    ("alias-bomb-councillor", lambda r: (blog(r) / "councillor.yml").write_text(
        (blog(r) / "councillor.yml").read_text() + "\n" + alias_bomb()), "repeats", "councillor.yml"),
    ("markdown-brackets", _post(PLAIN, "[a " * 20000 + "\n"), "took longer", "2026-03-01-odd.md"),
    ("deep-nesting-post", _post(PLAIN + "\ntags: " + "[" * 20000 + "]" * 20000), "nested", "2026-03-01-odd.md"),
    ("deep-nesting-programme", lambda r: (r / "programme.yml").write_text(
        (r / "programme.yml").read_text() + "\nx: " + "[" * 20000 + "]" * 20000), "nested", "programme.yml"),
    ("huge-post", _post(PLAIN, "word " * 250_000), "MB", "2026-03-01-odd.md"),
    ("huge-programme", lambda r: (r / "programme.yml").write_text(
        (r / "programme.yml").read_text() + "\n# " + "x" * 1_100_000 + "\n"), "MB", "programme.yml"),
    # Addresses.
    ("council-url-javascript", _programme_line("  url: https://www.fenmarsh", "  url: \"javascript:alert(1)\""),
     "web address", "programme.yml"),
    ("site-url-javascript", _programme_line("  url: https://fenmarsh-council", "  url: \"javascript://x/%0aalert(1)\""),
     "web address", "programme.yml"),
    ("platform-url-data", _councillor_line("platforms:", "platforms:\n  nextdoor:\n    handle: Grace\n"
                                                         "    url: \"data:text/html,<script>alert(1)</script>\""),
     "web address", "councillor.yml"),
    ("email-with-markup", _councillor_line("  email:", "  email: '\"><script>alert(1)</script>@x.example'"),
     "email", "councillor.yml"),
    ("phone-with-markup", _councillor_line("  email:", "  phone: '<img src=x onerror=alert(1)>'"), "phone",
     "councillor.yml"),
    ("news-link-javascript", _news_line("link:", "link: \"javascript:alert(1)\""), "web address",
     "2026-11-20-bin-changes.md"),
    # Markdown an item's text cannot be read in, named with the line its text starts on.
    ("news-deep-nesting", _news_line("never a prefix", "\n" + "- " * 3000 + "x"), "nested",
     "2026-11-20-bin-changes.md:10"),
    # Slugs and dates.
    ("slug-too-long", _post(PLAIN + "\nslug: " + "-".join(["word"] * 40)), "slug", "2026-03-01-odd.md"),
    ("two-posts-one-address", _twin_posts, "same web address", "2026-03-02-b.md"),
    ("year-one", _post("title: Odd\ndate: 0001-01-01"), "too early", "2026-03-01-odd.md"),
    ("yaml-escaped-nul", _post('title: "Nul\\0 escaped"\ndate: 2026-03-01'), "control character",
     "2026-03-01-odd.md:2"),
    ("capital-md", _raw_post(b"---\ntitle: Shouting\ndate: 2026-03-01\n---\n\nHello.\n", "2026-03-01-shout.MD"),
     ".md", "2026-03-01-shout.MD"),
]


@pytest.mark.parametrize(("change", "word", "names"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_hostile_input_is_refused_with_its_file_and_site_left_alone(tmp_path, change, word, names, monkeypatch):
    # What is under test is that a text too slow to read is stopped and named, not the limit's five
    # seconds: one second stops the same texts, and keeps the run quick.
    monkeypatch.setattr(markup, "RENDER_SECONDS", 1.0)
    root = small_programme(tmp_path / "programme")
    change(root)
    before = tree(root / "site")
    start = time.monotonic()
    result = run_cli("build", "--root", root, "--jobs", "1")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert names in result.output, result.output
    assert word.lower() in result.output.lower(), result.output
    assert "unexpected problem" not in result.output
    assert "Traceback" not in result.output
    assert tree(root / "site") == before, "a refused build must leave site/ as it was"
    assert elapsed < TIME_LIMIT


# --- accepted, and made safe: one build of a blog full of odd and hostile posts -----------------------------

SCRIPT_BODY = """Plain words first.

<script>alert("body")</script>

<p onclick="alert('attr')">A paragraph with a handler.</p>

[A javascript link](javascript:alert(1)) and [a data link](data:text/html;base64,PHNjcmlwdD4=).

<iframe src="https://tracker.example/"></iframe>

<form action="https://tracker.example/"><input name="q"></form>

<img src="images/fenside-flood-map.svg" onerror="alert('img')" alt="A map">

A word{: onmouseover="alert('attr_list')" }

<svg><script>alert('svg')</script></svg>

<a href="JaVaScRiPt:alert(1)">mixed case</a>
"""

ACCEPTED_POSTS = {
    "2026-03-01-script.md": ('title: "<script>alert(\'title\')</script> Bins"\ndate: 2026-03-01\n'
                             "summary: \"<script>alert('summary')</script> <a href='javascript:alert(2)'>x</a>\"\n"
                             "tags: [bins]", SCRIPT_BODY),
    "2026-03-02-control.md": ("title: Nul\x00 and\x0bWord break\ndate: 2026-03-02\nsummary: Tab\x0bbreak",
                              "Pasted\x0bfrom Word\x00 with a NUL.\n"),
    "2026-03-03-emoji.md": ("title: 🌊🌊🌊\ndate: 2026-03-03\ntags: [🌊, 🏠🏠]", "Only emoji in the title and tags.\n"),
    "2026-03-04-long.md": ("title: " + " ".join(["Consultation"] * 25) + "\ndate: 2026-03-04",
                           "A very long title.\n"),
    "2026-03-05-bare-date.md": ("title: Bare date\ndate: 2026-03-05", "Published at nine.\n"),
    "2026-03-06-brackets.md": ("title: Brackets\ndate: 2026-03-06", "[" * 300 + "\n\n" + ">" * 5000 + " x\n"),
}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> tuple[Path, str]:
    root = small_programme(tmp_path_factory.mktemp("hostile") / "programme")
    for name, (head, body) in ACCEPTED_POSTS.items():
        post(root, name, head, body)
    # BOM and Windows line ends, as Notepad saves.
    (blog(root) / "content" / "posts" / "2026-03-07-notepad.md").write_bytes(
        "\ufeff---\r\ntitle: Saved in Notepad\r\ndate: 2026-03-07\r\n---\r\n\r\nHello.\r\n".encode())
    start = time.monotonic()
    result = run_cli("build", "--root", root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - start < 120
    return root, result.output


def _published(root: Path) -> list[Path]:
    return [p for p in (root / "site").rglob("*") if p.is_file()]


def test_no_script_reaches_any_page_or_feed(hostile_build):
    root, _ = hostile_build
    # Inside tags only: a post may talk about "onload=" or javascript: in its text, escaped.
    scripted = re.compile(r"<script(?![^>]*\bsrc=)|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*[\"']?\s*(?:javascript|data):"
                          r"|<iframe|<form|<object|<embed", re.I)
    # Every page made from councillors' and officers' words; the handbook's pages are the toolkit's own.
    council_pages = ("councillors/", "news/", "s/", "hub/")
    pages = [p for p in _published(root) if p.suffix in (".html", ".xml")
             and (p.suffix == ".xml" or p.relative_to(root / "site").as_posix().startswith(council_pages))]
    assert any("script-bins" in p.as_posix() for p in pages), "the post with script in it was published"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = scripted.search(text)
        assert found is None, f"{page}: {text[max(0, found.start() - 80):found.end() + 80]}"


def test_councillors_markdown_survives_cleaning(hostile_build):
    root, _ = hostile_build
    page = next((root / "site" / "councillors" / BLOG / "2026" / "03").glob("*script-bins*/index.html"))
    text = page.read_text(encoding="utf-8")
    assert "Plain words first." in text
    assert "A paragraph with a handler." in text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Bins" in text, "the title is shown as text"


def test_control_characters_are_dropped_with_a_warning_naming_file_and_line(hostile_build):
    root, output = hostile_build
    assert re.search(r"2026-03-02-control\.md:\d+: .*control characters", output), output
    for page in _published(root):
        if page.suffix in (".html", ".xml"):
            data = page.read_bytes()
            assert b"\x00" not in data and b"\x0b" not in data, page


def test_emoji_only_title_and_tags_get_addresses_of_their_own(hostile_build):
    root, _ = hostile_build
    home = root / "site" / "councillors" / BLOG
    assert list((home / "2026" / "03").glob("2026-03-03-*/index.html")), "a date-and-hash address"
    tags = (home / "tags" / "index.html").read_text(encoding="utf-8")
    assert "🌊" in tags and "🏠🏠" in tags, "the tags index is still the tags index"
    assert len(list((home / "tags").glob("tag-*/index.html"))) == 2


def test_a_long_title_gives_an_address_of_at_most_80_characters(hostile_build):
    root, _ = hostile_build
    folders = [p.parent.name for p in (root / "site" / "councillors" / BLOG / "2026" / "03").glob("*/index.html")]
    longest = max(folders, key=len)
    assert longest.startswith("consultation-consultation") and len(longest) <= 80
    assert not longest.endswith("-")


def test_bare_date_means_nine_in_the_morning_and_bom_with_crlf_is_read(hostile_build):
    root, _ = hostile_build
    home = root / "site" / "councillors" / BLOG / "2026" / "03"
    assert 'datetime="2026-03-05T09:00:00' in (home / "bare-date" / "index.html").read_text(encoding="utf-8")
    assert "Saved in Notepad" in (home / "saved-in-notepad" / "index.html").read_text(encoding="utf-8")


def test_nothing_from_outside_the_programme_is_published(hostile_build):
    root, _ = hostile_build
    for page in _published(root):
        data = page.read_bytes()
        assert SECRET_FILE_TEXT.encode() not in data
        assert b"root:x:0:0" not in data


# --- interrupting a build ----------------------------------------------------------------------------------

def _session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    found.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return found


def _writing(root: Path) -> bool:
    """Whether a worker has begun writing a part: its output appears under .build-cache/parts/.new first."""
    try:
        return any(p.is_file() for p in (root / ".build-cache" / "parts" / ".new").rglob("*"))
    except OSError:  # a finished part moved away while we looked
        return False


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_no_process_and_the_site_as_it_was(tmp_path, how):
    root = copy_example(tmp_path / "programme")
    # Enough posts that the build is still under way when the signal comes: the example alone can
    # finish in the moment between seeing the workers write and sending it.
    posts = root / "councillor_blogs" / "amira-patel" / "content" / "posts"
    for n in range(400):
        (posts / f"2025-01-01-note-{n}.md").write_text(
            f"---\ntitle: Note {n}\ndate: 2025-01-01 09:00\n---\nA short note, number {n}.\n", encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>the last good site</p>\n")
    before = tree(root / "site")
    # As from a terminal, where Ctrl-C reaches the build: a test run started in the background
    # (`cmd &`, nohup) ignores SIGINT, and the build, rightly, would inherit that.
    attended = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "sys.argv[0] = 'councillor'; runpy.run_module('generator', run_name='__main__')")
    process = subprocess.Popen([sys.executable, "-c", attended, "build", "--root", str(root), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Interrupt once the workers are building: after they start, before anything is published.
        deadline = time.monotonic() + 60
        while len(_session_processes(process.pid)) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        while not _writing(root) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, "the build ended before it could be interrupted"
        process.send_signal(how)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session_processes(process.pid) == [], "a worker outlived the build"
        said = process.stdout.read().decode(errors="replace") if process.stdout else ""
        assert process.returncode != 0, said
        assert tree(root / "site") == before, said
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_blog_and_council_pages_allow_no_inline_script(hostile_build):
    root, _ = hostile_build
    policy = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]*)"')
    pages = [p for p in (root / "site" / "councillors").rglob("*.html") if "share-kit" not in p.parts]
    assert pages
    for page in pages:
        found = policy.search(page.read_text(encoding="utf-8"))
        assert found, f"{page} has no Content-Security-Policy"
        script = next(d for d in found.group(1).split(";") if d.strip().startswith("script-src"))
        assert "unsafe-inline" not in script and "unsafe-eval" not in script, page


# --- any text at all: never a crash, never a script ----------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)
HOSTILE_PIECES = st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:a())",
                                  "<a href='data:text/html,x'>d</a>", "{: onclick='a()' }", "\x00", "\x0b", "---",
                                  "*[", "]]", "<iframe src=//x>", "`<script>`", "&lt;script&gt;", "\u2028", "🌊"])
MIXED = st.lists(st.one_of(ANY_TEXT, HOSTILE_PIECES), max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=MIXED, summary=MIXED, tag=MIXED, body=MIXED)
def test_any_text_in_a_post_reads_or_is_refused_and_never_yields_a_script(tmp_path_factory, title, summary, tag, body):
    folder = tmp_path_factory.mktemp("any") / "content"
    (folder / "posts").mkdir(parents=True)
    path = folder / "posts" / "2026-03-01-any.md"
    head = yaml_lines({"title": title, "date": "2026-03-01", "summary": summary, "tags": [tag]})
    path.write_text(f"---\n{head}---\n\n{body}\n", encoding="utf-8")
    post, problems = posts.read(path)
    if post is None:
        assert problems and all(p.path == path and p.message for p in problems)
        return
    reader = FrontMatterReader(pelican_settings_for(folder))
    try:
        html, meta = reader.read(str(path))
    except ValueError as refused:  # refused with the file named, never a crash
        assert str(path) in str(refused)
        return
    for text in (html, meta.get("summary", ""), meta["slug"], *(t.slug for t in meta.get("tags", []))):
        assert not re.search(r"<script|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*[\"']?\s*(?:javascript|data):|<iframe", text,
                             re.I), text
    assert meta["slug"] and len(meta["slug"]) <= 80
    for t in meta.get("tags", []):
        assert t.slug and len(t.slug) <= 80


def yaml_lines(values: dict) -> str:
    """Front matter as a careful writer (or the writing screen) would save it: every string double-quoted."""
    import json

    lines = []
    for key, value in values.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def pelican_settings_for(content: Path) -> dict:
    from pelican.settings import DEFAULT_CONFIG

    return {**DEFAULT_CONFIG, "PATH": str(content), "TIMEZONE": "Europe/London", "HANDBOOK_URL": "https://x.example/",
            "PROGRAMME_ROOT": str(content)}
