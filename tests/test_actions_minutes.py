"""The handbook's Actions minutes: its table names the Pages workflow's jobs, and the estimate's sums are GitHub's."""

from __future__ import annotations

import json
import re

from bench import actions_minutes as minutes
from tests.conftest import REPO
from tests.syndication.test_workflow import load

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
                            dated_ahead=0.5, other_pushes_per_week=0, rebuild_share=1.0, listening_commit_share=1.0)
    kinds = minutes.runs(steps, a)
    by_name = {k.name: k for k in kinds}
    scheduled = sum(k.per_month for k in kinds if not k.name.startswith("push"))
    assert scheduled == 28 * (24 + 4)
    assert by_name["push to main, ledgers committed"].per_month == 7 * 4
    assert by_name["six-hourly listening, nothing due, listening record committed"].per_month == 28 * 4
    # Every step here takes a second, so every job that runs is billed one minute.
    assert by_name["hourly check, nothing due"].billed() == {"build": 1}
    assert by_name["new day, ledgers committed"].minutes() == 5
    assert minutes.month_minutes(kinds) == (28 * 24 - 28 - 14) * 1 + 28 * 4 * 4 + (28 + 14 + 28) * 5


def test_the_quiet_hour_stops_after_the_check_and_saves_no_cache():
    steps = {name: 0.0 for name in minutes.ASSUMED} | {name: 0.0 for name in minutes.MEASURED}
    steps |= {"install": 30.0, "due": 1.0, "build_post": 100.0, "build_daily": 100.0, "cache_save": 4.0}
    assert minutes.job_seconds("check", steps) == 31.0
    assert minutes.job_seconds("build", steps, "build_post") == 135.0
    assert minutes.job_seconds("build", steps, "build_post", scheduled=False) == 134.0


# What each step of pages.yml costs in the model (job_start and pip_index belong to the job and the install).
def model_steps(step: dict) -> set[str]:
    uses, run = step.get("uses", "").split("@")[0], step.get("run", "")
    by_action = {"actions/checkout": "checkout", "actions/setup-python": "setup_python",
                 "actions/configure-pages": "configure_pages", "actions/cache/restore": "cache_restore",
                 "actions/cache/save": "cache_save", "actions/upload-pages-artifact": "upload_artifact",
                 "actions/download-artifact": "download_artifact"}
    if uses == "actions/checkout" and step.get("with", {}).get("fetch-depth") == 0:
        return {"checkout_full"}
    if uses == "actions/upload-pages-artifact":
        return {"tar_site", "upload_artifact"}
    if uses:
        return {by_action[uses]}
    for command, names in (("pip install", {"install"}), ("councillor due", {"due"}), ("councillor build", {"build"}),
                           ("tar -xf", {"untar_site"}), ("councillor syndicate", {"syndicate", "share_network"}),
                           ("councillor listen", {"listen"}), ("councillor footprint", {"footprint"}),
                           ("git commit", {"commit_push"})):
        if command in run:
            return names
    return set()  # a step that only reports (echo ::error::)


def test_the_quiet_hour_is_modelled_as_the_build_job_runs_it():
    """With nothing due, the steps after the check are skipped, the cache save among them."""
    skipped_when_quiet = ("steps.due.outputs.due != 'false'", "steps.site.outcome == 'success'")
    steps = load()["jobs"]["build"]["steps"]
    runs_when_quiet = {name for step in steps if not any(c in step.get("if", "") for c in skipped_when_quiet)
                       for name in model_steps(step)}
    assert runs_when_quiet == set(minutes.CHECK) - {"job_start", "pip_index"}
    save = next(s for s in steps if s.get("uses", "").startswith("actions/cache/save"))
    assert save["if"] == "steps.site.outcome == 'success'", "the model saves the build cache only after a build"
    modelled = {name for step in steps for name in model_steps(step)}
    assert modelled == set(minutes.JOBS["build"]) - {"job_start", "pip_index"}


def test_the_listening_run_with_nothing_due_is_modelled():
    """The six-hourly run listens without a deploy: no site, no sharing; listen, footprint, commit."""
    data = load()
    triggers = data[True] if True in data else data["on"]
    assert {"cron": minutes.LISTEN_CRON} in triggers["schedule"]
    syndicate = data["jobs"]["syndicate"]
    condition = " ".join(syndicate["if"].split())
    assert "always()" in condition and "needs.deploy.result == 'success'" in condition
    assert f"github.event.schedule == '{minutes.LISTEN_CRON}'" in condition, \
        "the syndicate job runs on the listening schedule even when the deploy was skipped"
    needs_deploy = "needs.deploy.result == 'success'"
    without_deploy = {name for step in syndicate["steps"] if needs_deploy not in step.get("if", "")
                      and "steps.share.outcome == 'success'" not in step.get("if", "") for name in model_steps(step)}
    assert without_deploy == set(minutes.LISTEN_ONLY) - {"job_start", "pip_index"}
    modelled = {name for step in syndicate["steps"] for name in model_steps(step)}
    assert modelled == set(minutes.JOBS["syndicate"]) - {"job_start", "pip_index"}

    steps = {name: 1.0 for name in minutes.ASSUMED} | {name: 1.0 for name in minutes.MEASURED}
    for share, jobs in ((1.0, {"build", "syndicate", "rebuild", "redeploy"}), (0.0, {"build", "syndicate"})):
        kinds = minutes.runs(steps, minutes.Assumptions(days=30, listening_runs=4, listening_commit_share=share))
        listening = [k for k in kinds if k.name.startswith("six-hourly listening")]
        assert len(listening) == 1 and listening[0].per_month == 30 * 4
        assert set(listening[0].jobs) == jobs, "no deploy; rebuild and redeploy only after a commit"
        assert listening[0].jobs["build"] == minutes.job_seconds("check", steps)
        assert listening[0].jobs["syndicate"] == len(minutes.LISTEN_ONLY)


def test_the_advice_to_listen_less_often_names_every_place_the_schedule_appears():
    text = (REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert text.count(minutes.LISTEN_CRON) == 3
    assert "in all three places" in section() and f"`{minutes.LISTEN_CRON}`" in section()


def test_the_handbook_gives_the_latest_measured_total():
    results = sorted((REPO / "bench" / "results").glob("*-actions-minutes.json"))
    assert results, "bench/actions_minutes.py has left no results to compare the handbook with"
    latest = json.loads(results[-1].read_text(encoding="utf-8"))
    total = f"{round(latest['month']['minutes']):,}"
    assert f"**{total}**" in section(), f"the handbook's total is not the latest measured one, {total}"
    rows = [line for line in section().splitlines() if line.startswith("| A listening run")]
    listening = next(r for r in latest["month"]["runs"] if r["run"].startswith("six-hourly listening"))
    assert rows, "the handbook's table has no row for the listening run"
    per_month, per_run = round(listening["per_month"]), sum(listening["billed"].values())
    assert f"| {per_run} | {per_month} | {per_month * per_run} |" in rows[0], \
        "the handbook's listening row is not the latest measured one"
