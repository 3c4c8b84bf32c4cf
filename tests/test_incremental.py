"""Parallel and incremental builds give the very bytes a clean serial build gives.

A build reuses each part (the handbook, a blog, the council pages) whose inputs have not
changed, builds the others in worker processes, and replaces only what changed in site/.
Every shortcut here is checked against the slow, obvious build of the same files.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest

from generator.inputs import posts
from tests.conftest import REPO, copy_example, run_cli, run_cli_process, shared_build
from tests.support.helpers import tree

SITE_URL = "https://fenmarsh-council.github.io/networked-councillor/"
BLOG = Path("councillor_blogs") / "amira-patel"
TOOLKIT_FILES = ["mkdocs.yml", "handbook", "themes"]


def copy_toolkit(folder: Path) -> Path:
    folder.mkdir()
    for name in TOOLKIT_FILES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def toolkit(tmp_path_factory) -> Path:
    """One copy of the handbook and themes: the checkout's may change while the tests run."""
    return copy_toolkit(tmp_path_factory.mktemp("toolkit") / "toolkit")


def programme(toolkit: Path, dest: Path, cache_from: Path | None = None) -> Path:
    """The example programme with its own copy of the toolkit's files, which a build then uses."""
    root = copy_example(dest, cache_from=cache_from)
    for name in TOOLKIT_FILES:
        (shutil.copytree if (toolkit / name).is_dir() else shutil.copy2)(toolkit / name, root / name)
    return root


@pytest.fixture(scope="module")
def built_programme(toolkit, tmp_path_factory) -> Iterator[Path]:
    """The programme below after a clean serial build: the site every other build must match,
    and the cache the tests of a later build start from; shared, read only."""
    root = programme(toolkit, tmp_path_factory.mktemp("incremental") / "programme")
    clean_serial_build(root)
    with shared_build(root):
        yield root


@pytest.fixture
def example(toolkit, tmp_path, built_programme) -> Path:
    """A programme whose first build finds every part already built, as after an earlier build."""
    return programme(toolkit, tmp_path / "programme", cache_from=built_programme)


@pytest.fixture
def cold_example(toolkit, tmp_path) -> Path:
    """A programme never built: its first build makes every part."""
    return programme(toolkit, tmp_path / "programme")


def build(root: Path, *options: str) -> str:
    result = run_cli("build", "--root", root, "--base-url", SITE_URL, *options)
    assert result.exit_code == 0, result.output
    return result.output


def clean_serial_build(root: Path) -> dict[str, str]:
    shutil.rmtree(root / ".build-cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    build(root, "--jobs", "1")
    return tree(root / "site")


def edit_and_delete_posts(root: Path) -> None:
    first, second, *_ = sorted((root / BLOG / "content" / "posts").glob("*.md"))
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more paragraph, added later.\n", encoding="utf-8")
    second.unlink()


def test_parallel_and_incremental_builds_match_a_clean_serial_build(toolkit, tmp_path, built_programme):
    reference = programme(toolkit, tmp_path / "reference")
    expected = tree(built_programme / "site")  # a clean serial build of the same files

    root = programme(toolkit, tmp_path / "programme")
    build(root, "--jobs", "2")
    assert tree(root / "site") == expected, "a parallel build differs from a serial one"

    site_inode = (root / "site").stat().st_ino
    assert "Nothing changed" in build(root)
    assert (root / "site").stat().st_ino == site_inode, "an unchanged site is left in place"
    assert tree(root / "site") == expected

    saved = {p: p.read_bytes() for p in (root / BLOG / "content" / "posts").glob("*.md")}
    edit_and_delete_posts(root)
    edit_and_delete_posts(reference)
    assert "Built 1 of" in build(root)
    assert tree(root / "site") == clean_serial_build(reference), "an incremental build differs from a clean one"

    for path, data in saved.items():
        path.write_bytes(data)
    build(root)
    assert tree(root / "site") == expected, "undoing the edits does not give the first site back"


def test_only_the_changed_blog_is_rebuilt(example):
    build(example)
    parts = example / ".build-cache" / "parts" / "blogs"
    untouched = {p.name: (p / "index.html").stat().st_ino for p in parts.iterdir() if p.is_dir()}
    edit_and_delete_posts(example)

    output = build(example)

    assert "Built 1 of" in output
    for slug, inode in untouched.items():
        changed = (parts / slug / "index.html").stat().st_ino != inode
        assert changed == (slug == BLOG.name), slug


def test_a_rebuild_after_one_edit_renders_only_that_post(example, monkeypatch):
    build(example, "--jobs", "1")
    edited, *others = sorted((example / BLOG / "content" / "posts").glob("*.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more paragraph, added later.\n", encoding="utf-8")
    converted: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda md, text: converted.append(text) or convert(md, text))

    build(example, "--jobs", "1")

    body = {path: posts.read(path)[0].body for path in [edited, *others]}
    assert body[edited] in converted
    assert not [path.name for path in others if body[path] in converted]


def test_a_deleted_blog_leaves_the_site(example):
    build(example)
    shutil.rmtree(example / BLOG)
    build(example)
    assert not (example / "site" / "councillors" / BLOG.name).exists()
    assert not (example / ".build-cache" / "parts" / "blogs" / BLOG.name).exists()


def test_a_new_site_address_rebuilds_everything(example):
    build(example)
    other = "https://councillors.fenmarsh.example/"
    result = run_cli("build", "--root", example, "--base-url", other)
    assert result.exit_code == 0, result.output
    assert other in (example / "site" / "councillors" / BLOG.name / "index.html").read_text(encoding="utf-8")
    assert SITE_URL not in (example / "site" / "councillors" / BLOG.name / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_blog_reads_the_same_from_a_worker(example, jobs):
    build(example)
    before = tree(example / "site")
    post = sorted((example / BLOG / "content" / "posts").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nSee [the old post]({filename}/missing.md).\n",
                    encoding="utf-8")

    result = run_cli_process("build", "--root", example, "--strict", "--jobs", jobs)

    assert result.returncode != 0
    assert f"the blog in {example / BLOG} did not build cleanly" in result.stderr
    assert "missing.md" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree(example / "site") == before
    # The failed part was not kept: building again fails again rather than reusing it.
    again = run_cli_process("build", "--root", example, "--strict", "--jobs", jobs)
    assert again.returncode != 0 and "did not build cleanly" in again.stderr


def test_progress_is_plain_lines_without_a_terminal(cold_example):
    result = run_cli_process("build", "--root", cold_example)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stderr, "no terminal control codes in a log"
    assert "Built 9 of 9 blogs and the handbook in" in result.stderr


def test_a_process_running_threads_starts_fresh_workers(toolkit, tmp_path, built_programme):
    """``serve`` builds while its web server's threads run: forking then could deadlock a worker."""
    from generator.build import parallel

    expected = tree(built_programme / "site")  # a clean serial build of the same files
    root = programme(toolkit, tmp_path / "programme")
    stop = threading.Event()
    server = threading.Thread(target=stop.wait, daemon=True)
    server.start()
    try:
        assert parallel._process_start().get_start_method() == "spawn"
        build(root, "--jobs", "2")
    finally:
        stop.set()
    assert tree(root / "site") == expected


def test_a_copy_of_a_built_programme_builds_nothing_again(built_programme, tmp_path):
    """A key holds what the files say, not where the folder is: a copy (another checkout, a cache
    restored on another machine) reuses every part, and publishes the very same bytes."""
    copy = tmp_path / "elsewhere" / "programme"
    shutil.copytree(built_programme, copy, symlinks=True, ignore=shutil.ignore_patterns("site"))

    output = build(copy)

    assert "blogs and the handbook" not in output and "council pages" not in output, output
    assert tree(copy / "site") == tree(built_programme / "site")
