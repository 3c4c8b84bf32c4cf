"""The handbook's Actions minutes: its table names the Pages workflow's jobs, and the estimate's sums are GitHub's."""

from __future__ import annotations

import json
import re

from bench import actions_minutes as minutes
from tests.conftest import REPO

WEB_TEAM = REPO / "handbook" / "councils" / "web-team.md"
HEADING = "## How many GitHub Actions minutes the site uses"


def section() -> str:
    text = WEB_TEAM.read_text(encoding="utf-8")
    assert HEADING in text, f"the web team's page has no section '{HEADING}'"
    rest = text.split(HEADING, 1)[1]
    return re.split(r"^## ", rest, maxsplit=1, flags=re.M)[0]


def test_the_estimate_knows_every_job_of_the_pages_workflow():
    assert minutes.workflow_jobs() == list(minutes.JOBS)


def test_the_handbook_names_the_workflows_jobs_and_no_other():
    named = set(re.findall(r"`([a-z-]+)`", section()))
    jobs = set(minutes.workflow_jobs())
    in_table = {name for line in section().splitlines() if line.startswith("|")
                for name in re.findall(r"`([a-z-]+)`", line)}
    assert in_table <= jobs, f"the table names jobs pages.yml does not have: {sorted(in_table - jobs)}"
    assert jobs <= named, f"the section leaves out jobs of pages.yml: {sorted(jobs - named)}"


def test_the_handbook_gives_the_schedule_the_workflow_has():
    text = (REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    hourly = re.search(r'cron: "(\d+ \* \* \* \*)"', text).group(1)
    assert f'"{hourly}"' in section(), "the advice on running less often quotes the workflow's hourly schedule"


def test_each_job_is_billed_in_whole_minutes_rounded_up():
    assert [minutes.billed_minutes(s) for s in (0, 1, 59.9, 60, 60.1, 119, 121)] == [0, 1, 1, 1, 2, 2, 3]


def test_a_month_counts_every_scheduled_run_and_every_push():
    steps = {name: 1.0 for name in minutes.ASSUMED} | {name: 1.0 for name in minutes.MEASURED}
    a = minutes.Assumptions(days=28, hourly_runs=24, listening_runs=4, daily_builds=1, items_per_week=7,
                            dated_ahead=0.5, other_pushes_per_week=0, rebuild_share=1.0)
    kinds = minutes.runs(steps, a)
    by_name = {k.name: k for k in kinds}
    scheduled = sum(k.per_month for k in kinds if not k.name.startswith("push"))
    assert scheduled == 28 * (24 + 4)
    assert by_name["push to main, ledgers committed"].per_month == 7 * 4
    # Every step here takes a second, so every job that runs is billed one minute.
    assert by_name["scheduled check, nothing due"].billed() == {"build": 1}
    assert by_name["new day, ledgers committed"].minutes() == 5
    assert minutes.month_minutes(kinds) == (28 * 28 - 28 - 14) * 1 + (28 + 14 + 28) * 5


def test_the_quiet_hour_stops_after_the_check():
    steps = {name: 0.0 for name in minutes.ASSUMED} | {name: 0.0 for name in minutes.MEASURED}
    steps |= {"install": 30.0, "due": 1.0, "build_post": 100.0, "build_daily": 100.0}
    assert minutes.job_seconds("check", steps) == 31.0
    assert minutes.job_seconds("build", steps, "build_post") == 131.0
    assert minutes.job_seconds("build", steps, "build_post", scheduled=False) == 130.0


def test_the_handbook_gives_the_latest_measured_total():
    results = sorted((REPO / "bench" / "results").glob("*-actions-minutes.json"))
    assert results, "bench/actions_minutes.py has left no results to compare the handbook with"
    latest = json.loads(results[-1].read_text(encoding="utf-8"))
    total = f"{round(latest['month']['minutes']):,}"
    assert f"**{total}**" in section(), f"the handbook's total is not the latest measured one, {total}"
