"""File digests: a build reads again only the files whose stat changed since the last build read them."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from generator import fingerprint, memo
from generator.inputs import posts
from tests.conftest import EXAMPLE_URL, run_cli

BLOG = Path("councillor_blogs") / "amira-patel"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files the builds in this test read and hashed, in order."""
    read: list[str] = []
    digest_of = fingerprint.digest_of
    monkeypatch.setattr(fingerprint, "digest_of", lambda path, data: read.append(path) or digest_of(path, data))
    return read


def build(root: Path) -> str:
    result = run_cli("build", "--root", root, "--base-url", EXAMPLE_URL)
    assert result.exit_code == 0, result.output
    return result.output


def own_files(read: list[str], root: Path) -> set[str]:
    return {os.path.relpath(path, root) for path in read if path.startswith(str(root))}


def test_after_an_edit_the_build_reads_that_file_only(example, reads):
    post = sorted((example / BLOG / "content" / "posts").glob("*.md"))[0]
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("playground", "old playground", 1), encoding="utf-8")
    build(example)  # reads every post: the copied cache knows them by the original folder's paths
    post.write_text(text.replace("playground", "new playground", 1), encoding="utf-8")
    reads.clear()

    build(example)

    assert own_files(reads, example) == {str(post.relative_to(example))}
    pages = (example / "site" / "councillors" / BLOG.name).rglob("index.html")
    assert any("new playground" in page.read_text(encoding="utf-8") for page in pages)


def test_a_file_whose_times_are_not_older_than_the_build_is_read_every_time(example, reads):
    post = sorted((example / BLOG / "content" / "posts").glob("*.md"))[1]
    later = time.time_ns() + 3600 * 10**9  # as in the same tick of a coarse file system clock
    os.utime(post, ns=(later, later))
    build(example)
    saved = pickle.loads((example / ".build-cache" / memo.REMEMBERED_FILE).read_bytes())
    assert str(post) not in saved["digests"]
    assert str(example / BLOG / "councillor.yml") in saved["digests"]
    reads.clear()

    build(example)

    assert str(post.relative_to(example)) in own_files(reads, example)


def test_after_a_build_every_file_is_read_again(example):
    """What a build trusts holds during that build only: a file edited after it is read as edited."""
    post = sorted((example / BLOG / "content" / "posts").glob("*.md"))[0]
    build(example)
    post.write_text(post.read_text(encoding="utf-8") + "\nThe PLAYGROUND opens at nine.\n", encoding="utf-8")

    read, _ = posts.read(post)

    assert read is not None and "PLAYGROUND" in read.body
    assert memo.file_stats == {}


def test_a_digest_is_reused_only_for_the_stat_it_was_read_with(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"first")
    monkeypatch.setattr(memo, "file_stats", {str(path): [5, 1, 1, 1]})
    monkeypatch.setattr(memo, "file_digests", {})
    first = fingerprint.file_digest(str(path))
    path.write_bytes(b"other")  # the same size: only the stat says whether it changed
    assert fingerprint.file_digest(str(path)) == first, "the stat is unchanged, so the file is not read"

    memo.file_stats[str(path)] = [5, 2, 2, 1]

    assert fingerprint.file_digest(str(path)) != first
    assert fingerprint.known_digest(str(path)) == fingerprint.file_digest(str(path))


def test_a_deleted_file_leaves_no_digest_behind(example):
    post = sorted((example / BLOG / "content" / "posts").glob("*.md"))[0]
    build(example)
    assert str(post) in pickle.loads((example / ".build-cache" / memo.REMEMBERED_FILE).read_bytes())["digests"]
    post.unlink()

    build(example)

    assert str(post) not in pickle.loads((example / ".build-cache" / memo.REMEMBERED_FILE).read_bytes())["digests"]
    assert str(post) not in memo.file_digests
