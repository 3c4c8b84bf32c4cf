"""`councillor check`: exactly the councillors without a blog and a listening platform in use, in plain English."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.inputs.config import load_project
from generator.inputs.posts import read_all
from generator.inputs.urls import FOOTPRINT_URL_PATH
from tests.conftest import copy_example, run_cli, run_cli_process
from tests.support.helpers import cutoff
from tests.test_council import DAY, IN_PERIOD, add_ledger_mix, served_build, soup

LONDON = ZoneInfo("Europe/London")


def falling_short(root: Path, day: dt.date = DAY) -> set[str]:
    """Councillors without a published post, or without a listed network shared to in the 60 days to ``day``."""
    end = dt.datetime.combine(day, dt.time(23, 59, 59), LONDON)
    start = dt.datetime.combine(day - dt.timedelta(days=60), dt.time(), LONDON)
    last = cutoff(day)
    short = set()
    for blog in load_project(root).blogs:
        found, _ = read_all(blog.content_dir)
        has_blog = any(p.meta.status != "draft" and p.date <= last for p in found)
        used = set()
        ledger = blog.folder / "syndication.json"
        if ledger.exists():
            for entry in json.loads(ledger.read_text())["posts"].values():
                for network, row in entry["networks"].items():
                    if row["status"] == "done" and start <= dt.datetime.fromisoformat(row["done_at"]) <= end:
                        used.add(network)
        if not (has_blog and used & set(blog.councillor.platforms)):
            short.add(blog.councillor.name)
    return short


def verdicts(output: str) -> dict[str, str]:
    """{name: 'OK' or 'NOT YET'} from the check's lines."""
    found = {}
    for line in output.splitlines():
        for verdict in ("OK", "NOT YET"):
            if line.startswith(verdict + " "):
                found[line[len(verdict):].strip().split(" (")[0]] = verdict
    return found


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("check") / "programme")
    add_ledger_mix(root)
    return root


def test_the_check_finds_exactly_the_councillors_that_fall_short(mixed):
    result = run_cli("check", "--root", mixed, "--date", DAY.isoformat())

    assert result.exit_code == 0, result.output
    short = falling_short(mixed)
    everyone = {blog.councillor.name for blog in load_project(mixed).blogs}
    assert short and short != everyone, "the example shows a mix"
    found = verdicts(result.output)
    assert found.keys() == everyone
    assert {name for name, verdict in found.items() if verdict == "NOT YET"} == short
    ok = len(everyone) - len(short)
    assert f"Cohort: {ok} of {len(everyone)} councillors use a blog and a listening platform" in result.output


def line_for(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f" {name} (" in line)


def test_each_councillor_who_falls_short_gets_a_next_step_in_plain_english(mixed):
    output = run_cli("check", "--root", mixed, "--date", DAY.isoformat()).output
    assert "nothing has gone out there in the last 60 days (the last was on 4 September 2026)" in \
        line_for(output, "Chloé Durand")
    assert "Sharing to Facebook last failed on 18 November 2026" in line_for(output, "Daniel O'Connor")
    assert "share kit" in line_for(output, "Imran Haque")
    assert "Add a listening platform" in line_for(output, "Margaret Ellison")
    assert "'platforms:'" in line_for(output, "Tom Whitaker")
    for name in falling_short(mixed):
        line = line_for(output, name)
        assert line.rstrip().endswith("."), line
        assert "Traceback" not in line and "None" not in line


def test_a_councillor_with_one_post_reads_in_the_singular(mixed, tmp_path):
    root = tmp_path / "programme"
    shutil.copytree(mixed, root)
    name = sorted(set(verdicts(run_cli("check", "--root", root, "--date", DAY.isoformat()).output))
                  - falling_short(root))[0]
    blog = next(b for b in load_project(root).blogs if b.councillor.name == name)
    found, _ = read_all(blog.content_dir)
    for post in sorted(found, key=lambda p: p.date)[1:]:
        post.path.unlink()  # the sharing record is kept, so the councillor is still OK

    line = line_for(run_cli("check", "--root", root, "--date", DAY.isoformat()).output, name)

    assert line.startswith("OK ") and "a blog with 1 published post, shared to" in line, line


def test_strict_fails_when_anyone_falls_short(mixed):
    result = run_cli_process("check", "--root", mixed, "--date", DAY.isoformat(), "--strict")
    assert result.returncode == 1
    assert "NOT YET" in result.stdout and "Traceback" not in result.stderr


def test_strict_passes_when_everyone_uses_two_platforms(mixed, tmp_path):
    root = tmp_path / "programme"
    shutil.copytree(mixed, root)
    short = falling_short(root)
    for blog in load_project(root).blogs:
        if blog.councillor.name in short:
            shutil.rmtree(blog.folder)

    result = run_cli_process("check", "--root", root, "--date", DAY.isoformat(), "--strict")

    assert result.returncode == 0, result.stdout
    assert "NOT YET" not in result.stdout


def test_the_window_moves_with_the_date(mixed):
    later = DAY + dt.timedelta(days=45)
    found = verdicts(run_cli("check", "--root", mixed, "--date", later.isoformat()).output)
    assert {name for name, verdict in found.items() if verdict == "NOT YET"} == falling_short(mixed, later)


def test_the_check_says_when_it_is_the_pre_election_period(mixed):
    result = run_cli("check", "--root", mixed, "--date", IN_PERIOD.isoformat())
    assert "Pre-election period (29 March 2027 to 6 May 2027)" in result.output
    assert "not promoting councillors' posts" in result.output
    assert "council items are held" in result.output
    outside = run_cli("check", "--root", mixed, "--date", DAY.isoformat())
    assert "Pre-election" not in outside.output


@pytest.fixture(scope="module")
def mixed_site(mixed) -> Iterator[Path]:
    with served_build(mixed, "--date", DAY.isoformat()) as (site, _, _):
        yield site


def test_the_footprint_report_shows_the_same_result(mixed, mixed_site):
    short = falling_short(mixed)
    cohort = soup(mixed_site / FOOTPRINT_URL_PATH / "index.html")
    both = {row.th.get_text(strip=True): row.find_all("td")[-1].get_text(strip=True)
            for row in cohort.select("#cohort-caption ~ tbody tr")}
    assert {name for name, verdict in both.items() if verdict == "Not yet"} == short
    for blog in load_project(mixed).blogs:
        page = soup(mixed_site / FOOTPRINT_URL_PATH / blog.slug / "index.html")
        heading = page.select_one("#status-heading").get_text()
        assert ("Not yet" in heading) == (blog.councillor.name in short), blog.slug
        if blog.councillor.name in short:
            assert "Next step:" in page.select_one(".status").get_text()
