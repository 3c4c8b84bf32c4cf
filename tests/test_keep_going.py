"""`councillor build --keep-going`: one councillor's mistake keeps back only their own blog."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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
def built(tmp_path: Path, example_build: Path) -> Path:
    """The example with two of its councillors, built once as the last good site."""
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    for blog in (root / "councillor_blogs").iterdir():
        if blog.name not in (BROKEN, FINE):
            shutil.rmtree(blog)
    result = run_cli_process("build", "--root", root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def council(built: Path) -> Path:
    """The last good site, then a broken post in one blog and a fine new post in the other."""
    (built / BROKEN_POST).write_text(BROKEN_TEXT, encoding="utf-8")
    (built / NEW_POST).write_text(NEW_TEXT, encoding="utf-8")
    return built


def keep_going(root: Path, summary: Path) -> subprocess.CompletedProcess:
    return run_cli_process("build", "--root", root, "--keep-going", env=on_github(root, summary))


def on_github(root: Path, summary: Path) -> dict[str, str]:
    """The environment of a GitHub Actions step whose checkout is ``root``."""
    return {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(root)}


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


# --- The council's own files ---------------------------------------------------------------

ITEM = "council_content/2026-11-06-budget-consultation.md"
NEW_POST_PAGE = f"councillors/{FINE}/2026/11/abbey-road-crossing-approved/index.html"


def council_pages(site: Path) -> dict[str, str | bytes]:
    """The files the council pages make: news, short links, the hub, the councillors index, the footprint report."""
    pages = {f"{folder}/{name}": data for folder in ("news", "s", "hub", "footprint-report")
             for name, data in tree(site / folder).items()}
    for name in ("councillors/index.html", "sitemap.xml", "sitemap-council.xml"):
        pages[name] = (site / name).read_bytes()
    return pages


def break_item(root: Path) -> None:
    """Line 3 of the item becomes a date no calendar has."""
    item = root / ITEM
    lines = item.read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith("date: 2026-11-06")
    lines[2] = "date: 2026-14-06"
    item.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_broken_council_item_keeps_back_only_the_council_pages(built: Path, tmp_path: Path):
    site = built / "site"
    last_good = council_pages(site)
    break_item(built)
    (built / NEW_POST).write_text(NEW_TEXT, encoding="utf-8")

    without = run_cli_process("build", "--root", built)
    assert without.returncode == 1, "without --keep-going the build is all or nothing"
    assert not (site / NEW_POST_PAGE).exists()

    summary = tmp_path / "summary.md"
    result = keep_going(built, summary)
    assert result.returncode == 3, result.stderr
    # Every blog's new posts are published; the council pages are exactly their last good build.
    assert (site / NEW_POST_PAGE).is_file()
    assert council_pages(site) == last_good

    annotation = next(line for line in result.stdout.splitlines() if line.startswith("::error "))
    assert annotation.startswith(f"::error file={ITEM},line=3,title=The council pages kept back::'date' ")
    assert "Fix: write dates as YYYY-MM-DD" in annotation
    assert f"{ITEM}:3:" in result.stderr and "The council pages" in result.stderr and "kept back" in result.stderr
    assert f"| The council pages | `{ITEM}:3` |" in summary.read_text(encoding="utf-8")
    report = (built / "build-report.txt").read_text(encoding="utf-8")
    assert "The council pages" in report and f"{ITEM}:3" in report and "last good version" in report

    # Put right, the item is published and the hub shares the new post.
    (built / ITEM).write_text((built / ITEM).read_text(encoding="utf-8").replace("2026-14-06", "2026-11-06 09:00"),
                              encoding="utf-8")
    fixed = keep_going(built, summary)
    assert fixed.returncode == 0, fixed.stderr
    assert "Abbey Road crossing approved" in (site / "hub" / "index.html").read_text(encoding="utf-8")
    assert "Nothing was kept back" in (built / "build-report.txt").read_text(encoding="utf-8")


def test_a_council_item_too_slow_to_read_keeps_back_the_council_pages(built: Path, tmp_path: Path):
    """A text Markdown cannot read in time is found while the pages are built, not by the checks."""
    site = built / "site"
    last_good = council_pages(site)
    slow = "council_content/2026-11-07-lists.md"
    (built / slow).write_text("---\ntitle: Lists\ndate: 2026-11-07\ndepartment: Finance\nsummary: Lists.\n---\n"
                              + "- " * 3000 + "x\n", encoding="utf-8")
    (built / NEW_POST).write_text(NEW_TEXT, encoding="utf-8")

    without = run_cli_process("build", "--root", built)
    assert without.returncode == 1 and f"{slow}:7: the text is nested too deeply" in without.stderr

    result = keep_going(built, tmp_path / "summary.md")
    assert result.returncode == 3, result.stderr
    assert (site / NEW_POST_PAGE).is_file()
    assert council_pages(site) == last_good
    assert f"::error file={slow},line=7,title=The council pages kept back::" in result.stdout


def test_with_no_earlier_council_pages_to_publish_the_build_stops_saying_why(built: Path, tmp_path: Path):
    site = built / "site"
    before = tree(site)
    shutil.rmtree(built / ".build-cache")
    break_item(built)
    result = keep_going(built, tmp_path / "summary.md")
    assert result.returncode == 1
    assert tree(site) == before
    assert f"{ITEM}:3: 'date'" in result.stderr
    assert "could not be kept back" in result.stderr and "holds no earlier build of them" in result.stderr
    # What stopped the build is shown on its file and line, as a kept-back blog's problems are.
    assert f"::error file={ITEM},line=3,title=councillor build stopped::'date' " in result.stdout


def test_a_mistake_in_programme_yml_stops_the_build_and_is_shown_on_its_line(built: Path, tmp_path: Path):
    programme = built / "programme.yml"
    lines = programme.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("  primary_colour:"))
    lines[number - 1] = '  primary_colour: "teal-ish"'
    programme.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = keep_going(built, tmp_path / "summary.md")
    assert result.returncode == 1
    assert f"programme.yml:{number}:" in result.stderr
    annotation = next(line for line in result.stdout.splitlines() if line.startswith("::error "))
    assert annotation.startswith(f"::error file=programme.yml,line={number},title=councillor build stopped::")
    # Outside GitHub Actions the terminal shows no workflow commands.
    plain = run_cli_process("build", "--root", built, "--keep-going",
                            env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"})
    assert plain.returncode == 1 and "::error" not in plain.stdout + plain.stderr


# --- The council pages show a kept-back blog as it is published -------------------------------

GOOD_POST = f"councillor_blogs/{BROKEN}/content/posts/2026-11-07-library-hours.md"
GOOD_TEXT = """\
---
title: Longer library hours in Castle ward
date: 2026-11-07 09:00
---
The library opens until eight on Thursdays from December.
"""
#: Passes the checks, then fails in the blog's own build (Markdown cannot read it).
NESTED_TEXT = "---\ntitle: Leisure centre opening hours\ndate: 2026-11-05 09:00\n---\n" + "- " * 3000 + "x\n"


def footprint_row(site: Path, slug: str) -> dict:
    report = json.loads((site / "footprint-report" / "data.json").read_text(encoding="utf-8"))
    return next(c for c in report["councillors"] if c["slug"] == slug)


@pytest.mark.parametrize("broken", [BROKEN_TEXT, NESTED_TEXT], ids=["found-by-the-checks", "found-by-its-build"])
def test_the_hub_leaves_out_a_kept_back_blogs_unpublished_post(built: Path, tmp_path: Path, broken: str):
    site = built / "site"
    was = footprint_row(site, BROKEN), footprint_row(site, FINE)
    # Blog A gets a good new post and a broken one, so A is kept back without either; B gets a new post.
    (built / GOOD_POST).write_text(GOOD_TEXT, encoding="utf-8")
    (built / BROKEN_POST).write_text(broken, encoding="utf-8")
    (built / NEW_POST).write_text(NEW_TEXT, encoding="utf-8")

    result = keep_going(built, tmp_path / "summary.md")
    assert result.returncode == 3, result.stderr
    assert not (site / f"councillors/{BROKEN}/2026/11/longer-library-hours-in-castle-ward").exists()
    assert (site / NEW_POST_PAGE).is_file()
    for page in ("hub/index.html", "hub/feed.atom.xml"):
        text = (site / page).read_text(encoding="utf-8")
        assert "Abbey Road crossing approved" in text and "abbey-road-crossing-approved/" in text
        assert "Longer library hours" not in text and "longer-library-hours" not in text
    # The footprint counts the posts the site has: A's as published, B's with the new one.
    amira, tom = footprint_row(site, BROKEN), footprint_row(site, FINE)
    assert (amira["published_posts"], amira["last_post"]) == (was[0]["published_posts"], was[0]["last_post"])
    assert (tom["published_posts"], tom["last_post"]) == (was[1]["published_posts"] + 1, "2026-11-06")

    # Once A builds, its new post is on the hub.
    (built / BROKEN_POST).unlink()
    fixed = keep_going(built, tmp_path / "summary.md")
    assert fixed.returncode == 0, fixed.stderr
    assert "Longer library hours" in (site / "hub" / "index.html").read_text(encoding="utf-8")
