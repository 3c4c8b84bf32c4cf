"""`councillor build --keep-going`: one councillor's mistake keeps back only their own blog."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_example, run_cli_process
from tests.support.helpers import tree

BROKEN = "amira-patel"
FINE = "tom-whitaker"
BROKEN_POST = f"councillor_blogs/{BROKEN}/content/posts/2026-11-05-leisure-centre.md"
# Line 3 is the date no calendar has: the report must name this file and this line.
BROKEN_TEXT = """\
---
title: Leisure centre opening hours
date: 2026-13-45 09:00
---
The leisure centre opens earlier from next month.
"""
NEW_POST = f"councillor_blogs/{FINE}/content/posts/2026-11-06-abbey-road-crossing.md"
NEW_TEXT = """\
---
title: Abbey Road crossing approved
date: 2026-11-06 09:00
---
The crossing outside the school on Abbey Road has been approved.
"""


@pytest.fixture
def council(tmp_path: Path, example_build: Path) -> Path:
    """The example with two of its councillors, built once as the last good site."""
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    for blog in (root / "councillor_blogs").iterdir():
        if blog.name not in (BROKEN, FINE):
            shutil.rmtree(blog)
    result = run_cli_process("build", "--root", root)
    assert result.returncode == 0, result.stderr
    (root / BROKEN_POST).write_text(BROKEN_TEXT, encoding="utf-8")
    (root / NEW_POST).write_text(NEW_TEXT, encoding="utf-8")
    return root


def keep_going(root: Path, summary: Path) -> object:
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    return run_cli_process("build", "--root", root, "--keep-going", env=env)


def test_a_broken_post_keeps_back_only_its_own_blog(council: Path, tmp_path: Path):
    site = council / "site"
    last_good = tree(site / "councillors" / BROKEN)

    without = run_cli_process("build", "--root", council)
    assert without.returncode == 1, "without --keep-going the build is all or nothing"
    assert not (site / "councillors" / FINE / "2026/11/abbey-road-crossing-approved/index.html").exists()

    summary = tmp_path / "summary.md"
    result = keep_going(council, summary)
    assert result.returncode == 3, result.stderr
    # Everyone else's new post is published, and the broken blog is exactly its last good build.
    assert (site / "councillors" / FINE / "2026/11/abbey-road-crossing-approved/index.html").is_file()
    assert "Abbey Road crossing approved" in (site / "hub" / "index.html").read_text(encoding="utf-8")
    assert tree(site / "councillors" / BROKEN) == last_good

    # The web team is told what, where and how to fix it: in the log, as annotations, in the summary and a file.
    annotation = next(line for line in result.stdout.splitlines() if line.startswith("::error "))
    assert annotation.startswith(f"::error file={BROKEN_POST},line=3,title=Amira Patel - blog kept back::")
    assert "date" in annotation and "Fix%3A" not in annotation and "Fix: " in annotation
    assert f"{BROKEN_POST}:3:" in result.stderr and "fix:" in result.stderr
    assert "Amira Patel" in result.stderr and "kept back" in result.stderr
    table = summary.read_text(encoding="utf-8")
    assert "| Amira Patel | `" + BROKEN_POST + ":3` |" in table
    report = (council / "build-report.txt").read_text(encoding="utf-8")
    assert "Amira Patel" in report and f"{BROKEN_POST}:3" in report and "last good version" in report


def test_without_the_build_cache_the_last_site_is_kept(council: Path, tmp_path: Path):
    """A fresh machine with only the last site (no cache) still publishes the broken blog as it was."""
    site = council / "site"
    last_good = tree(site / "councillors" / BROKEN)
    shutil.rmtree(council / ".build-cache")
    result = keep_going(council, tmp_path / "summary.md")
    assert result.returncode == 3, result.stderr
    assert tree(site / "councillors" / BROKEN) == last_good
    assert (site / "councillors" / FINE / "2026/11/abbey-road-crossing-approved/index.html").is_file()

    # Once the post is put right, the blog is built again, and the build says so by its status.
    (council / BROKEN_POST).write_text(BROKEN_TEXT.replace("2026-13-45", "2026-11-05"), encoding="utf-8")
    fixed = keep_going(council, tmp_path / "summary.md")
    assert fixed.returncode == 0, fixed.stderr
    assert (site / "councillors" / BROKEN / "2026/11/leisure-centre-opening-hours/index.html").is_file()
    assert "Nothing was kept back" in (council / "build-report.txt").read_text(encoding="utf-8")
