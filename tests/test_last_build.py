"""A build with nothing to do says so from the files' stats, and anything changed still builds.

The quick check (``generator.last_build``) is only ever a shortcut to the answer the long way
gives: each test changes something the quick check must notice, and looks for the build that
follows to make what a build of the changed files makes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import generator.build
from generator import last_build
from tests.conftest import EXAMPLE_URL, run_cli, run_cli_process

BLOG = Path("councillor_blogs") / "amira-patel"


def build(root: Path, *options: str) -> str:
    result = run_cli("build", "--root", root, "--base-url", EXAMPLE_URL, *options)
    assert result.exit_code == 0, result.output
    return result.output


def forget(root: Path) -> None:
    """Make the next build go the long way."""
    (root / ".build-cache" / last_build.RECORD).unlink()


def first_post(root: Path) -> Path:
    return sorted((root / BLOG / "content" / "posts").glob("*.md"))[0]


def test_a_build_with_nothing_changed_says_so_without_reading_the_settings(example, monkeypatch):
    build(example)
    forget(example)
    long_way = build(example)
    # From here, the settings are never read: a build that tried would fail.
    monkeypatch.setattr(generator.build, "load_project", lambda root: pytest.fail("the settings were read"))

    quick = build(example)

    assert "Nothing changed since the last build" in quick
    assert quick == long_way, "the quick answer is word for word the long way's"


def test_the_quick_answer_is_the_same_from_the_command(example):
    build(example)
    forget(example)
    long_way = run_cli_process("build", "--root", example, "--base-url", EXAMPLE_URL)
    quick = run_cli_process("build", "--root", example, "--base-url", EXAMPLE_URL)
    assert quick.returncode == 0, quick.stderr
    assert (quick.stdout, quick.stderr) == (long_way.stdout, long_way.stderr)
    assert "Nothing changed" in quick.stderr


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_built(example):
    build(example)
    build(example)
    post = first_post(example)
    before = post.stat()
    text = post.read_text(encoding="utf-8")
    edited = text.replace("Castle Park playground", "CASTLE PARK playground", 1)
    assert edited != text and len(edited) == len(text)
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))  # as an editor or a sync tool might

    output = build(example)

    assert "Built 1 of" in output
    pages = (example / "site" / "councillors" / BLOG.name).rglob("*.html")
    assert any("CASTLE PARK playground" in page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.parametrize("change", ["new post", "deleted post", "another site folder"])
def test_a_changed_file_or_site_folder_goes_the_long_way(example, change, monkeypatch):
    build(example)
    read: list[Path] = []
    load = generator.build.load_project
    monkeypatch.setattr(generator.build, "load_project", lambda root: read.append(root) or load(root))
    if change == "new post":
        first_post(example).with_name("2026-01-05-a-new-post.md").write_text(
            "---\ntitle: A new post\ndate: 2026-01-05 09:00\n---\nA short new post.\n", encoding="utf-8")
    elif change == "deleted post":
        first_post(example).unlink()
    else:  # the same files, in a new folder put in its place
        shutil.copytree(example / "site", example / "copy")
        shutil.rmtree(example / "site")
        (example / "copy").rename(example / "site")

    output = build(example)

    assert read, "the build went the long way"
    assert "Nothing changed" not in output  # a site folder put in place is not known to be the one published
    if change == "new post":
        assert (example / "site" / "councillors" / BLOG.name / "2026" / "01" / "a-new-post" / "index.html").is_file()


def test_other_options_are_another_build(example):
    build(example)
    same = last_build.options(example, None, EXAMPLE_URL, False, None)
    assert last_build.unchanged(example, same, last_build.stats(example)) is not None
    for other in (last_build.options(example, None, EXAMPLE_URL, True, None),
                  last_build.options(example, None, "https://councillors.fenmarsh.example/", False, None),
                  last_build.options(example, None, EXAMPLE_URL, False, dt.date(2026, 6, 1)),
                  last_build.options(example, example / "elsewhere", EXAMPLE_URL, False, None)):
        assert last_build.unchanged(example, other, last_build.stats(example)) is None, other


def test_a_file_changed_as_the_build_starts_is_not_trusted(example, monkeypatch):
    post, other = sorted((example / BLOG / "content" / "posts").glob("*.md"))[:2]
    post.write_text(post.read_text(encoding="utf-8") + "\nA late line.\n", encoding="utf-8")
    # Its time no older than the build's start, as in the same tick of a coarse file system clock.
    later = time.time_ns() + 60 * 10**9
    os.utime(post, ns=(later, later))
    build(example)
    record = json.loads((example / ".build-cache" / last_build.RECORD).read_text(encoding="utf-8"))
    assert record["stats"][str(post)] is None, "a file as new as the build's start is checked by its bytes"
    assert record["stats"][str(other)] is not None, "an older file is trusted by its stat"
    read: list[Path] = []
    load = generator.build.load_project
    monkeypatch.setattr(generator.build, "load_project", lambda root: read.append(root) or load(root))
    build(example)
    assert read, "so the next build goes the long way"


def test_the_record_lasts_until_a_post_falls_due(example):
    post = first_post(example)
    soon = (dt.datetime.now(ZoneInfo("Europe/London")) + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    text = post.read_text(encoding="utf-8")
    post.write_text(re.sub(r"(?m)^date: .*$", f"date: {soon:%Y-%m-%d %H:%M}", text, count=1), encoding="utf-8")
    build(example)
    record = json.loads((example / ".build-cache" / last_build.RECORD).read_text(encoding="utf-8"))
    midnights = [dt.datetime.combine(dt.datetime.now(zone).date() + dt.timedelta(days=1), dt.time(), zone)
                 for zone in (dt.UTC, ZoneInfo("Europe/London"))]
    assert dt.datetime.fromisoformat(record["valid_until"]) == min([soon, *midnights]), "or a new day, if sooner"


def test_a_build_that_fails_leaves_no_record(example):
    build(example)
    (example / "programme.yml").write_text("council: [\n", encoding="utf-8")
    result = run_cli("build", "--root", example, "--base-url", EXAMPLE_URL)
    assert result.exit_code != 0
    assert last_build.unchanged(example, last_build.options(example, None, EXAMPLE_URL, False, None),
                                 last_build.stats(example)) is None


def test_a_folder_that_is_not_a_programme_is_left_as_it_was(tmp_path):
    result = run_cli("build", "--root", tmp_path)
    assert result.exit_code != 0
    assert "no programme.yml here" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("damage", ["", "not json", "[]", '{"options": 1}', '{"valid_until": "someday"}'])
def test_a_damaged_record_means_the_long_way(example, damage, monkeypatch):
    build(example)
    record = json.loads((example / ".build-cache" / last_build.RECORD).read_text(encoding="utf-8"))
    if damage.startswith("{"):
        record.update(json.loads(damage))
        damage = json.dumps(record)
    (example / ".build-cache" / last_build.RECORD).write_text(damage, encoding="utf-8")
    read: list[Path] = []
    load = generator.build.load_project
    monkeypatch.setattr(generator.build, "load_project", lambda root: read.append(root) or load(root))

    assert "Nothing changed" in build(example)
    assert read, "the build went the long way"
