"""Estimate the GitHub Actions minutes a month that the Pages workflow uses for the example council.

    .venv/bin/python bench/actions_minutes.py --runs 3

The steps of ``.github/workflows/pages.yml`` that can run here are timed on this machine, in
the example council made by ``councillor init --example`` with the toolkit installed in a fresh
virtual environment from a wheel of this checkout, as the council's workflow installs it
(``pip install -r requirements.txt``): the install itself, ``councillor due``, the builds,
``councillor syndicate --dry-run``, ``councillor footprint`` and packing the site. The steps only
GitHub can run (starting the runner, checking out, restoring and saving caches, uploading the
site, the Pages deploy, signing in to networks) and listening, which needs the real networks,
are added at the durations given by ``--assume STEP=SECONDS``. Each job is then rounded up to the
whole minute, as GitHub bills it, and multiplied by how often each kind of run happens in a month.
Every assumption is an option; the report lists them all. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
#: What the toolkit's wheel is built from (generator/_toolkit links to the top-level folders).
TOOLKIT = ["pyproject.toml", "README.md", "generator", "themes", "handbook", "mkdocs.yml", "programme.yml",
           "branding", "council_content", "councillor_blogs", "footprint", ".github"]
#: The example council's published address, as in programme.yml.
SITE_URL = "https://fenmarsh-council.github.io/networked-councillor/"
#: GitHub's included minutes a month for private repositories (public repositories: no limit).
ALLOWANCES = {"GitHub Free": 2000, "GitHub Pro or Team": 3000}

#: Steps this script cannot run here, with the seconds assumed for each (change with --assume).
ASSUMED = {
    "job_start": (5, "runner picked up, 'Set up job' (fetching the actions) and 'Complete job'"),
    "checkout": (2, "actions/checkout, latest commit only"),
    "checkout_full": (4, "actions/checkout with the whole history (syndicate job)"),
    "setup_python": (6, "actions/setup-python: Python from the runner's tool cache, pip cache restored"),
    "pip_index": (5, "pip asking PyPI about each package: its cache keeps the files, not the answers"),
    "configure_pages": (1, "actions/configure-pages: one API call"),
    "cache_restore": (2, "actions/cache/restore restoring .build-cache (every run)"),
    "cache_save": (4, "saving .build-cache under a new key: actions/cache/save only after a build, and the "
                      "rebuild job's actions/cache"),
    "upload_artifact": (4, "actions/upload-pages-artifact uploading the packed site"),
    "download_artifact": (2, "actions/download-artifact of the deployed site"),
    "deploy_pages": (20, "actions/deploy-pages: creates the deployment, checks it every 5 s until live"),
    "share_network": (10, "signing in and posting to networks, beyond the dry run measured here"),
    "listen": (30, "councillor listen: reading replies, likes and followers from each network (six-hourly runs "
                   "only; it needs the real networks, so it cannot be timed here)"),
    "commit_push": (3, "committing the ledgers, listening records and footprint snapshot, and pushing them"),
}

#: Each job of pages.yml as the steps it runs on a run that builds; "build" stands for the build
#: measured for that run. The check in a scheduled run's build job ("due") is left out of runs
#: started by a push, and "listen" out of runs other than the six-hourly listening ones.
JOBS = {
    "build": ["job_start", "checkout", "setup_python", "pip_index", "install", "configure_pages", "cache_restore",
              "due", "build", "tar_site", "upload_artifact", "cache_save"],
    "deploy": ["job_start", "deploy_pages"],
    "kept-back": ["job_start"],
    "syndicate": ["job_start", "checkout_full", "setup_python", "pip_index", "install", "download_artifact",
                  "untar_site", "syndicate", "share_network", "listen", "footprint", "commit_push"],
    "rebuild": ["job_start", "checkout", "setup_python", "pip_index", "install", "configure_pages", "cache_restore",
                "build_after_share", "tar_site", "upload_artifact", "cache_save"],
    "redeploy": ["job_start", "deploy_pages"],
}
#: The build job of a scheduled run that finds nothing due: it stops after the check, and the build
#: cache is saved only after a build.
CHECK = ["job_start", "checkout", "setup_python", "pip_index", "install", "configure_pages", "cache_restore", "due"]
#: The syndicate job of a six-hourly listening run that found nothing due: with no deploy there is no
#: site to download and nothing to share, so it only listens, records the footprint and commits.
#: (``councillor footprint`` then writes its report into an empty folder: its measured time, on the
#: whole site, stands in.)
LISTEN_ONLY = ["job_start", "checkout_full", "setup_python", "pip_index", "install", "listen", "footprint",
               "commit_push"]
#: The listening schedule in pages.yml that the listening-only run stands for.
LISTEN_CRON = "47 */6 * * *"


@dataclass
class Assumptions:
    days: int = 30
    hourly_runs: int = 24
    listening_runs: int = 4
    #: Builds a day with nothing new: the handbook's sitemap is dated by the UTC day and the council
    #: pages by the local day, so two in British Summer Time (an hour apart) and one in winter.
    daily_builds: int = 2
    items_per_week: float = 5.0
    dated_ahead: float = 0.5
    other_pushes_per_week: float = 2.0
    rebuild_share: float = 1.0
    #: Share of the six-hourly listening runs (with nothing due) whose syndicate job commits, so that
    #: rebuild and redeploy run too. ``councillor listen`` writes the time of each run into every blog's
    #: listening.json, so as the workflow stands every listening run commits: 1.
    listening_commit_share: float = 1.0
    cold_cache: bool = False


@dataclass
class Run:
    """One kind of workflow run: how many a month, and the seconds of each job it runs."""
    name: str
    per_month: float
    jobs: dict[str, float] = field(default_factory=dict)

    def billed(self) -> dict[str, int]:
        return {job: billed_minutes(seconds) for job, seconds in self.jobs.items()}

    def minutes(self) -> int:
        return sum(self.billed().values())


def billed_minutes(seconds: float) -> int:
    """GitHub rounds each job's time up to the whole minute; a job that is skipped never starts a runner."""
    return math.ceil(seconds / 60) if seconds > 0 else 0


def job_seconds(job: str, steps: dict[str, float], build: str = "build_post", *, scheduled: bool = True,
                listening: bool = False) -> float:
    """Seconds of one job: ``job`` from JOBS, "check" for a build job that stops after the check, or
    "listen-only" for the syndicate job of a listening run with nothing due."""
    total = 0.0
    for name in {"check": CHECK, "listen-only": LISTEN_ONLY}.get(job) or JOBS[job]:
        if (name == "due" and not scheduled) or (name == "listen" and not listening):
            continue
        total += steps[build if name == "build" else "build_post" if name == "build_after_share" else name]
    return total


def runs(steps: dict[str, float], a: Assumptions) -> list[Run]:
    """The kinds of run in a month of ``a.days`` days, each with its jobs' seconds.

    The builds a schedule makes (a new day, a post fallen due) fall on the hourly runs: the day changes
    at midnight, a post dated by the day alone falls due at 09:00, and the hourly run at :17 comes
    before the listening run at :47. So the six-hourly listening runs find nothing due: their build
    job stops after the check, and their syndicate job only listens, records the footprint and
    commits. (A post timed for the half hour before a listening run makes that run build as well; it
    is counted here as a run of its own, a little more than it costs.)

    Jobs a run skips (all but the build job's check on a quiet hour; kept-back when no blog was kept
    back; rebuild and redeploy when the syndicate job committed nothing) start no runner and cost nothing.
    """
    weeks = a.days / 7
    daily = a.days * a.daily_builds
    dated_ahead = a.items_per_week * a.dated_ahead * weeks
    pushes = (a.items_per_week + a.other_pushes_per_week) * weeks
    listening = a.days * a.listening_runs
    hourly = a.days * a.hourly_runs
    post_build = "build_cold" if a.cold_cache else "build_post"
    day_build = "build_cold" if a.cold_cache else "build_daily"
    check = job_seconds("check", steps)

    def full(name: str, per_month: float, build: str, scheduled_run: bool, rebuild: bool) -> Run:
        names = ["build", "deploy", "syndicate"] + (["rebuild", "redeploy"] if rebuild else [])
        return Run(name, per_month, {job: job_seconds(job, steps, build, scheduled=scheduled_run) for job in names})

    def listens(name: str, per_month: float, rebuild: bool) -> Run:
        jobs = {"build": check, "syndicate": job_seconds("listen-only", steps, listening=True)}
        if rebuild:
            jobs |= {job: job_seconds(job, steps, post_build) for job in ("rebuild", "redeploy")}
        return Run(name, per_month, jobs)

    kinds = [Run("hourly check, nothing due", hourly - daily - dated_ahead, {"build": check})]
    for rebuild, share in ((True, a.listening_commit_share), (False, 1 - a.listening_commit_share)):
        label = "listening record committed" if rebuild else "nothing to commit"
        kinds.append(listens(f"six-hourly listening, nothing due, {label}", listening * share, rebuild))
    for rebuild, share in ((True, a.rebuild_share), (False, 1 - a.rebuild_share)):
        label = "ledgers committed" if rebuild else "nothing to commit"
        kinds += [
            full(f"new day, {label}", daily * share, day_build, True, rebuild),
            full(f"post or news fallen due, {label}", dated_ahead * share, post_build, True, rebuild),
            full(f"push to main, {label}", pushes * share, post_build, False, rebuild),
        ]
    return [k for k in kinds if k.per_month > 0]


def month_minutes(kinds: list[Run]) -> float:
    return sum(k.per_month * k.minutes() for k in kinds)


# -- Measuring ------------------------------------------------------------------------------------


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,),
          cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of ``command``; its CPU seconds (user and system) are appended to ``cpu``.

    On a shared machine the wall time includes waiting for a core: CPU time well below the wall
    time of a one-process step shows how much."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in ok:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds


def copy_toolkit(dest: Path) -> Path:
    """The checkout's toolkit files, copied, so that building the wheel writes nothing into the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".build-cache", "site")
    dest.mkdir(parents=True)
    for name in TOOLKIT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    return dest


def example_dates(root: Path) -> list[dt.date]:
    """The dates of the example's posts and news items."""
    files = [*(root / "councillor_blogs").glob("*/content/posts/*.md"), *(root / "council_content").glob("*.md")]
    dates = []
    for path in files:
        found = re.search(r"^date:\s*(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M)
        if found:
            dates.append(dt.date.fromisoformat(found.group(1)))
    return sorted(dates)


def measure(args: argparse.Namespace, work: Path) -> dict:
    python = args.python or sys.executable
    toolkit = copy_toolkit(work / "toolkit")
    wheels = work / "wheels"
    timed([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(toolkit),
           "-w", str(wheels)], work)
    env = {**os.environ, "PIP_CACHE_DIR": str(work / "pip-cache"), "PIP_FIND_LINKS": " ".join(
        filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")])), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("GITHUB_OUTPUT", None)

    # The council's repository, made by the installed toolkit from its example.
    first = work / "venv-0"
    timed([python, "-m", "venv", str(first)], work)
    council = work / "council"
    timed([str(first / "bin" / "pip"), "install", "-q", "networked-councillor"], work, env)
    timed([str(first / "bin" / "councillor"), "init", str(council), "--example", "--council-name",
           "Fenmarsh District Council", "--short-name", "Fenmarsh", "--council-url", "https://www.fenmarsh.example/",
           "--site-url", SITE_URL, "--contact-email", "web.team@fenmarsh.example"], work, env)

    # pip install -r requirements.txt into a new environment each time, with pip's cache filled
    # by the install above, as on a run that restores setup-python's pip cache.
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}

    def step(name: str, command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> None:
        walls.setdefault(name, []).append(timed(command, cwd, env, ok, cpus.setdefault(name, [])))

    for n in range(1, args.runs + 1):
        venv = work / f"venv-{n}"
        timed([python, "-m", "venv", str(venv)], work)
        step("install", [str(venv / "bin" / "pip"), "install", "-q", "-r", "requirements.txt"], council)
        if n > 1:
            shutil.rmtree(venv)
    councillor = str(work / "venv-1" / "bin" / "councillor")
    base = ["--base-url", SITE_URL]
    build = [councillor, "build", "--keep-going", *base]

    for _ in range(args.runs):
        shutil.rmtree(council / ".build-cache", ignore_errors=True)
        shutil.rmtree(council / "site", ignore_errors=True)
        step("build_cold", build, council)
    for _ in range(args.runs):
        step("due", [councillor, "due", *base], council, ok=(1,))

    posts = sorted((council / "councillor_blogs").glob("*/content/posts/*.md"))
    for n in range(args.runs):
        with posts[n % len(posts)].open("a", encoding="utf-8") as f:
            f.write(f"\nOne more line, edited for measurement {n}.\n")
        step("build_post", build, council)

    # The first run of a day rebuilds the handbook (its sitemap is dated) and the council pages:
    # here a handbook page of the council's own, changed each time, and the next day's date stand in.
    installed = subprocess.run([str(work / "venv-1" / "bin" / "python"), "-c",
                                "import generator, pathlib; print(pathlib.Path(generator.__file__).parent)"],
                               capture_output=True, text=True, check=True).stdout.strip()
    page = Path(installed) / "_toolkit" / "handbook" / "councils" / "kit.md"
    own = council / "handbook" / "councils" / "kit.md"
    own.parent.mkdir(parents=True, exist_ok=True)
    for n in range(args.runs):
        own.write_text(page.read_text(encoding="utf-8") + f"\n<!-- measurement {n} -->\n", encoding="utf-8")
        step("build_daily", [*build, "--date", (dt.date.today() + dt.timedelta(days=n + 1)).isoformat()], council)

    tar = work / "artifact.tar"
    for _ in range(args.runs):
        step("tar_site", ["tar", "--dereference", "-cf", str(tar), "-C", str(council / "site"), "."], work)
    unpacked = work / "unpacked"
    for _ in range(args.runs):
        shutil.rmtree(unpacked, ignore_errors=True)
        unpacked.mkdir()
        step("untar_site", ["tar", "-xf", str(tar), "-C", str(unpacked)], work)
    for _ in range(args.runs):
        step("syndicate", [councillor, "syndicate", "--dry-run", "--site-dir", str(unpacked), *base], council)
    for _ in range(args.runs):
        step("footprint", [councillor, "footprint", "--site-dir", str(unpacked), *base], council)

    def size(path: Path) -> int:
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())

    dates = example_dates(council)
    weeks = max((dates[-1] - dates[0]).days / 7, 1) if dates else 1
    return {
        "measured": {name: {"median": statistics.median(values), "runs": values,
                            "cpu_median": statistics.median(cpus[name])} for name, values in walls.items()},
        "sizes_mib": {"site_tar": tar.stat().st_size / 2**20, "build_cache": size(council / ".build-cache") / 2**20,
                      "installed_environment": size(work / "venv-1") / 2**20},
        "example": {"blogs": len(list((council / "councillor_blogs").glob("*/councillor.yml"))),
                    "posts_and_news": len(dates), "first": str(dates[0]) if dates else None,
                    "last": str(dates[-1]) if dates else None, "per_week": round(len(dates) / weeks, 1)},
        "python": subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip(),
    }


# -- Reporting ------------------------------------------------------------------------------------


def workflow_jobs() -> list[str]:
    """The job names of pages.yml, in order, read without a YAML library (they are two-space keys)."""
    text = WORKFLOW.read_text(encoding="utf-8").split("\njobs:\n", 1)[1]
    return re.findall(r"^  ([A-Za-z0-9_-]+):\s*$", text, re.M)


def _workflow_commit() -> str:
    """The last commit that changed pages.yml, and whether it has changed since."""
    path = str(WORKFLOW.relative_to(REPO))
    last = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h", "--", path],
                          capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", path],
                           capture_output=True, text=True)
    return last.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def _commit() -> str:
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", *TOOLKIT],
                           capture_output=True, text=True)
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def variants(report: dict) -> list[tuple[str, float]]:
    """The month's minutes under the report's assumptions, and with one of them changed."""
    steps, base = report["steps"], report["assumptions"]
    changes = [("as above", {}, steps)]
    changes += [(f"installing the toolkit takes {seconds} s (here: {steps['install']:.0f} s)", {},
                 {**steps, "install": seconds}) for seconds in (20, 35, 50)]
    # Checked every three hours (cron "17 */3 * * *"), the first run after the UK day and the UTC
    # day change is the same one, at 00:17 UTC, so there is one new-day build, summer or winter.
    every_three = {"hourly_runs": 8, "daily_builds": 1}
    changes += [
        ("winter (one build a day with nothing new)", {"daily_builds": 1}, steps),
        ("checked every three hours instead of hourly", every_three, steps),
        ("checked every three hours, installing in 50 s", every_three, {**steps, "install": 50}),
        ("listening twice a day instead of four times", {"listening_runs": 2}, steps),
        ("a quarter of the listening runs commit (if listening kept only what a page shows)",
         {"listening_commit_share": 0.25}, steps),
        ("no listening run commits", {"listening_commit_share": 0.0}, steps),
        (f"listening takes 75 s (assumed: {steps['listen']:g} s)", {}, {**steps, "listen": 75}),
        ("twice the posts and news items", {"items_per_week": 2 * base["items_per_week"]}, steps),
        ("no restored build cache", {"cold_cache": True}, steps),
    ]
    return [(label, month_minutes(runs(s, Assumptions(**{**base, **change})))) for label, change, s in changes]


def summary(report: dict) -> str:
    a = Assumptions(**report["assumptions"])
    steps = report["steps"]
    kinds = runs(steps, a)
    total = month_minutes(kinds)
    m = report["machine"]
    ex = report["example"]
    lines = [
        f"# GitHub Actions minutes a month, {report['date']}",
        "",
        f"The example council ({ex['blogs']} councillors; {ex['posts_and_news']} posts and news items dated "
        f"{ex['first']} to {ex['last']}, about {ex['per_week']} a week) in a repository made by `councillor init "
        f"--example`, published by its `.github/workflows/pages.yml`. Measured on {m['usable_cpus']} CPUs, "
        f"{report['python']}, commit {m['commit']}, {report['runs']} runs of each step; load average (1, 5, 15 min) "
        f"at the start {m['load_start']}, at the end {m['load_end']}.",
        "",
        "## Steps measured here (seconds)",
        "",
        "| Step | Median wall time | Median CPU time | Runs (wall) |",
        "|---|---:|---:|---|",
    ]
    for name, row in report["measured"].items():
        lines.append(f"| {name} | {row['median']:.2f} | {row['cpu_median']:.2f} | "
                     f"{', '.join(f'{s:.2f}' for s in row['runs'])} |")
    lines += ["", "Sizes: " + ", ".join(f"{k.replace('_', ' ')} {v:.1f} MiB" for k, v in report["sizes_mib"].items())
              + ".", "", "## Steps assumed (seconds; change with `--assume STEP=SECONDS`)", "",
              "| Step | Seconds | What |", "|---|---:|---|"]
    for name, (_, what) in ASSUMED.items():
        lines.append(f"| {name} | {steps[name]:g} | {what} |")
    lines += ["", f"The estimate uses the {report['timing']} run of each measured step"
              + (" (on a shared machine the slower runs mostly measure waiting for a core)"
                 if report["timing"] == "fastest" else "") + ": "
              + ", ".join(f"{n} {steps[n]:.1f} s" for n in report["measured"]) + "."]
    check = job_seconds("check", steps)
    listen_only = job_seconds("listen-only", steps, listening=True)
    lines += [
        "",
        "## Runs in a month",
        "",
        f"The runs of `.github/workflows/pages.yml` as of commit {report.get('workflow_commit', '?')}.",
        "",
        f"Assumptions: {a.days} days; {a.hourly_runs} hourly and {a.listening_runs} six-hourly scheduled runs a "
        f"day; {a.daily_builds} build(s) a day with nothing new (the dated sitemap and council pages); "
        f"{a.items_per_week:g} posts and news items a week, each saved by one push to main, {a.dated_ahead:.0%} of "
        f"them dated ahead (so a scheduled run publishes them later); {a.other_pushes_per_week:g} other pushes to "
        f"main a week; {a.rebuild_share:.0%} of the runs that build also commit ledgers or the day's footprint, "
        f"and so rebuild and deploy again. The builds a schedule makes fall on the hourly runs (a new day at "
        f"midnight, a post dated by the day alone at 09:00, each published at :17, before the listening run at "
        f":47), so the six-hourly runs find nothing due: their build job stops at the check "
        f"and their syndicate job only listens, records the footprint and commits, with no site to download and "
        f"nothing to share. {a.listening_commit_share:.0%} of those listening runs commit and so rebuild and "
        f"deploy again (an assumption: `councillor listen` writes each run's time into every blog's "
        f"listening.json, so as the workflow stands every listening run has something to commit). "
        f"{'No' if a.cold_cache else 'A restored'} build cache, saved only after a build. Each job is billed "
        f"rounded up to the whole minute; skipped jobs start no runner.",
        "",
        "| Run | Runs a month | Jobs (billed minutes) | Minutes a run | Minutes a month |",
        "|---|---:|---|---:|---:|",
    ]
    for k in kinds:
        jobs = ", ".join(f"{job} {minutes}" for job, minutes in k.billed().items())
        lines.append(f"| {k.name} | {k.per_month:.0f} | {jobs} | {k.minutes()} | {k.per_month * k.minutes():.0f} |")
    lines += [f"| **Total** | {sum(k.per_month for k in kinds):.0f} | | | **{total:.0f}** |", ""]
    lines += [f"- {plan}: {total:.0f} of {allowance:,} included minutes ({total / allowance:.0%})."
              for plan, allowance in ALLOWANCES.items()]
    one_item = month_minutes(runs(steps, Assumptions(**{**report["assumptions"],
                                                        "items_per_week": a.items_per_week + 1}))) - total
    lines += [
        "- A public repository: no charge for these minutes.",
        f"- The scheduled check's job takes {check:.0f} s, billed as {billed_minutes(check)} minute(s), "
        f"{60 * billed_minutes(check) - check:.0f} s short of the next minute.",
        f"- The listening run's syndicate job takes {listen_only:.0f} s, {steps['listen']:g} s of it the assumed "
        f"listening, billed as {billed_minutes(listen_only)} minute(s), "
        f"{60 * billed_minutes(listen_only) - listen_only:.0f} s short of the next minute.",
        f"- One more post or news item a week adds {one_item:.0f} minutes a month.",
        "",
        "## What changes the figure",
        "",
        "| Change | Minutes a month |",
        "|---|---:|",
    ]
    lines += [f"| {label} | {minutes:.0f} |" for label, minutes in variants(report)]
    lines += ["", "## Jobs, seconds by step", ""]
    for k in kinds:
        lines.append(f"- {k.name}: " + "; ".join(f"{job} {seconds:.0f} s" for job, seconds in k.jobs.items()) + ".")
    return "\n".join(lines) + "\n"


MEASURED = ("install", "due", "build_cold", "build_post", "build_daily", "tar_site", "untar_site", "syndicate",
            "footprint")


def parse_assume(values: list[str]) -> dict[str, float]:
    steps = {}
    for value in values:
        name, _, seconds = value.partition("=")
        if name not in ASSUMED and name not in MEASURED:
            sys.exit(f"--assume: no step called {name!r}; the steps are {', '.join([*ASSUMED, *MEASURED])}")
        steps[name] = float(seconds)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = Assumptions()
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--timing", choices=["fastest", "median"], default="fastest",
                        help="which run of each measured step the estimate uses: the fastest (default: on a shared "
                             "machine the others mostly measure waiting for a core) or the median")
    parser.add_argument("--python", default=None, help="the Python to install the toolkit for (default: this one)")
    parser.add_argument("--days", type=int, default=defaults.days, help="days in the month")
    parser.add_argument("--hourly-runs", type=int, default=defaults.hourly_runs,
                        help="scheduled runs a day of the hourly cron (24; 8 for every three hours)")
    parser.add_argument("--listening-runs", type=int, default=defaults.listening_runs,
                        help="scheduled runs a day of the six-hourly listening cron")
    parser.add_argument("--daily-builds", type=int, default=defaults.daily_builds,
                        help="builds a day with nothing new (2 in British Summer Time, 1 in winter)")
    parser.add_argument("--items-per-week", type=float, default=defaults.items_per_week,
                        help="posts and council news items saved a week, each by one push to main")
    parser.add_argument("--dated-ahead", type=float, default=defaults.dated_ahead,
                        help="share of those dated in the future, which a scheduled run publishes later")
    parser.add_argument("--other-pushes-per-week", type=float, default=defaults.other_pushes_per_week,
                        help="other pushes to main a week (edits, settings, toolkit upgrades)")
    parser.add_argument("--rebuild-share", type=float, default=defaults.rebuild_share,
                        help="share of building runs whose syndicate job commits and so rebuilds and redeploys")
    parser.add_argument("--listening-commit-share", type=float, default=defaults.listening_commit_share,
                        help="share of the six-hourly listening runs whose syndicate job commits, so rebuild and "
                             "redeploy run too (default 1: councillor listen writes each run's time into every "
                             "blog's listening.json, so every listening run commits)")
    parser.add_argument("--cold-cache", action="store_true", help="every build without a restored build cache")
    parser.add_argument("--assume", action="append", default=[], metavar="STEP=SECONDS",
                        help="a step's seconds, measured or assumed, to use instead (repeatable)")
    parser.add_argument("--from-results", type=Path, default=None,
                        help="reuse the measurements of an earlier results .json instead of measuring again")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default: bench/results/<date>-actions-minutes.md, with a .json beside it)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = parser.parse_args()

    missing = set(workflow_jobs()) - set(JOBS)
    if missing:
        sys.exit(f"pages.yml has jobs this estimate does not know: {', '.join(sorted(missing))}")
    if f'cron: "{LISTEN_CRON}"' not in WORKFLOW.read_text(encoding="utf-8"):
        sys.exit(f"pages.yml no longer listens on the schedule this estimate knows ({LISTEN_CRON})")
    if args.from_results:
        report = json.loads(args.from_results.read_text(encoding="utf-8"))
    else:
        work = Path(tempfile.mkdtemp(prefix="councillor-minutes-"))
        load_start = os.getloadavg()
        try:
            report = measure(args, work)
        finally:
            if args.keep:
                print(f"kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        report["machine"] = {"usable_cpus": len(os.sched_getaffinity(0)), "platform": platform.platform(),
                             "commit": _commit(), "load_start": ", ".join(f"{x:.1f}" for x in load_start),
                             "load_end": ", ".join(f"{x:.1f}" for x in os.getloadavg())}
        report["runs"] = args.runs
        report["date"] = dt.date.today().isoformat()
    report["assumptions"] = {
        "days": args.days, "hourly_runs": args.hourly_runs, "listening_runs": args.listening_runs,
        "daily_builds": args.daily_builds, "items_per_week": args.items_per_week, "dated_ahead": args.dated_ahead,
        "other_pushes_per_week": args.other_pushes_per_week, "rebuild_share": args.rebuild_share,
        "listening_commit_share": args.listening_commit_share, "cold_cache": args.cold_cache,
    }
    report["workflow_commit"] = _workflow_commit()
    steps = {name: seconds for name, (seconds, _) in ASSUMED.items()}
    report["timing"] = args.timing
    steps.update({name: min(row["runs"]) if args.timing == "fastest" else row["median"]
                  for name, row in report["measured"].items()})
    steps.update(parse_assume(args.assume))
    report["steps"] = steps
    kinds = runs(steps, Assumptions(**report["assumptions"]))
    report["month"] = {"runs": [{"run": k.name, "per_month": k.per_month, "billed": k.billed()} for k in kinds],
                       "minutes": month_minutes(kinds)}

    out = args.out or REPO / "bench" / "results" / f"{report['date']}-actions-minutes.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = summary(report)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"written to {out} and {out.with_suffix('.json')}")


if __name__ == "__main__":
    main()
