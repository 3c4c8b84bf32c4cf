"""Measure `councillor build` on a synthetic programme, against a per-blog `pelican` loop and Hugo.

    .venv/bin/python bench/run.py --blogs 50 --posts 40 --runs 3

Every measured build runs in a fresh process, timed by wall clock, with its peak memory
taken two ways: the largest single process (``ru_maxrss`` from ``wait4``, which covers the
process and the workers it waited for) and the whole process tree (the sum of each
process's proportional set size, sampled every 20 ms, so pages shared after a fork count
once). Figures are medians of ``--runs`` runs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synthetic

REPO = Path(__file__).resolve().parent.parent
TOOLKIT = ["generator", "themes", "handbook", "mkdocs.yml"]
MIB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    largest_process_mib: float
    process_tree_mib: float
    said: str = ""


# -- Running and measuring one command ----------------------------------------------------------


def _tree_pss(root_pid: int) -> int:
    """Bytes of proportional set size of ``root_pid`` and all its descendants."""
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo += [int(child) for child in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` once; its wall time and peak memory. A failure stops the benchmark."""
    peak = [0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_pss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{output.decode(errors='replace')}")
    largest = usage.ru_maxrss * 1024  # kilobytes on Linux
    # What the build said (which parts it built), kept with the figures to explain an outlier.
    said = output.decode(errors="replace").strip()[-500:]
    return Run(seconds, largest / MIB, max(peak[0], largest) / MIB, said)


def measure_loop(commands: list[list[str]], env: dict[str, str]) -> Run:
    """One ``pelican`` process per blog, one after another: the time of all, the peak of any."""
    runs = [measure(command, env=env) for command in commands]
    return Run(sum(r.seconds for r in runs), max(r.largest_process_mib for r in runs),
               max(r.process_tree_mib for r in runs))


# -- The three ways of building the same posts ------------------------------------------------


def snapshot_toolkit(dest: Path) -> Path:
    """A copy of the toolkit, so edits made in the checkout while the benchmark runs change nothing."""
    for name in TOOLKIT:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def councillor_build(toolkit: Path, root: Path, jobs: int | None) -> tuple[list[str], dict[str, str]]:
    command = [sys.executable, "-m", "generator", "build", "--root", str(root)]
    if jobs:
        command += ["--jobs", str(jobs)]
    # CI=1: plain progress lines, as in a CI log. Bytecode is written, whatever the caller's environment
    # says, so that the unmeasured first round compiles the copied toolkit as a councillor's first build does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return command, {**env, "PYTHONPATH": str(toolkit), "CI": "1"}


PELICANCONF_SKIP = {"PATH", "OUTPUT_PATH", "READERS", "JINJA_ENVIRONMENT", "JINJA_FILTERS", "JINJA_GLOBALS",
                    "JINJA_TESTS", "LOG_FILTER", "PELICAN_CLASS", "SLUG_REGEX_SUBSTITUTIONS", "MARKDOWN"}


def write_pelicanconfs(toolkit: Path, root: Path, pelican_dir: Path, site_url: str) -> list[list[str]]:
    """A pelicanconf.py per blog with the settings `councillor build` gives that blog, for plain `pelican`."""
    script = f"""
import json, sys
from pathlib import Path
from generator.steps import blogs
from generator.inputs.config import load_project
project = load_project(Path({str(root)!r}))
out = {{}}
for blog in project.blogs:
    settings = blogs.pelican_settings(project, blog, Path("/unused"), {site_url!r})
    out[blog.slug] = {{k: v for k, v in settings.items() if k not in {sorted(PELICANCONF_SKIP)!r}}}
    out[blog.slug]["JINJA_ENVIRONMENT"] = {{k: v for k, v in settings["JINJA_ENVIRONMENT"].items()
                                            if isinstance(v, (bool, str, list))}}
json.dump(out, sys.stdout, default=str)
"""
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(toolkit)},
                            capture_output=True, text=True, check=True)
    commands = []
    for slug, settings in json.loads(result.stdout).items():
        folder = pelican_dir / slug
        settings["MARKDOWN"] = {"extension_configs": {f"markdown.extensions.{name}": {} for name in
                                                      ["extra", "sane_lists", "smarty", "toc"]},
                                "output_format": "html"}
        conf = "".join(f"{key} = {value!r}\n" for key, value in sorted(settings.items()))
        (folder / "pelicanconf.py").write_text(conf, encoding="utf-8")
        commands.append([str(Path(sys.executable).with_name("pelican")), str(folder / "content"), "-q",
                         "-s", str(folder / "pelicanconf.py"), "-o", str(folder / "output")])
    return commands


def hugo_version() -> str | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()


def edit_one_post(root: Path, blogs: list[synthetic.Councillor], run: int) -> None:
    """A real change each run: a new sentence in the middle blog's newest post."""
    blog = blogs[len(blogs) // 2]
    post = max((root / "councillor_blogs" / blog.slug / "content" / "posts").glob("*.md"))
    with post.open("a", encoding="utf-8") as f:
        f.write(f"\nUpdated after the meeting, run {run}: the officers replied.\n")


# -- The benchmark ---------------------------------------------------------------------------------


def median(runs: list[Run]) -> dict[str, float]:
    return {
        "seconds": round(statistics.median(r.seconds for r in runs), 3),
        "largest_process_mib": round(statistics.median(r.largest_process_mib for r in runs), 1),
        "process_tree_mib": round(statistics.median(r.process_tree_mib for r in runs), 1),
        "runs": [asdict(r) for r in runs],
    }


def benchmark(args: argparse.Namespace, work: Path) -> dict:
    commit, load_at_start = _commit(), os.getloadavg()
    toolkit = snapshot_toolkit(work / "toolkit")
    councillors = synthetic.make_councillors(args.blogs, args.posts, args.seed)
    root = synthetic.write_programme(councillors, work / "programme")
    command, env = councillor_build(toolkit, root, args.jobs)
    results: dict[str, dict] = {}

    # One unmeasured round first: Python compiles the copied toolkit's modules, the disk cache fills.
    for _ in range(3):
        measure(command, env=env)
        edit_one_post(root, councillors, -1)
    serial, serial_env = councillor_build(toolkit, root, 1)
    loop: list[list[str]] = []
    if not args.skip_pelican:
        pelican_dir = work / "pelican"
        synthetic.write_pelican_content(councillors, pelican_dir)
        loop = write_pelicanconfs(toolkit, root, pelican_dir, synthetic_site_url())
    version = hugo_version()
    hugo = None
    if version and not args.skip_hugo:
        hugo_dir = synthetic.write_hugo_site(councillors, work / "hugo")
        hugo = [shutil.which("hugo") or "hugo", "--quiet", "-s", str(hugo_dir), "-d", str(work / "hugo-out")]

    # Each run measures every kind of build in turn, so that a busy spell on a shared machine
    # slows all of them rather than one; the medians are then comparable.
    names = ["cold", "no_change", "one_edited_post", "cold_jobs_1", "pelican_loop", "hugo"]
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for run in range(args.runs):
        shutil.rmtree(root / ".build-cache", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        runs["cold"].append(measure(command, env=env))
        runs["no_change"].append(measure(command, env=env))
        edit_one_post(root, councillors, run)
        runs["one_edited_post"].append(measure(command, env=env))
        shutil.rmtree(root / ".build-cache", ignore_errors=True)
        runs["cold_jobs_1"].append(measure(serial, env=serial_env))
        if loop:
            for folder in (work / "pelican").iterdir():
                shutil.rmtree(folder / "output", ignore_errors=True)
            runs["pelican_loop"].append(measure_loop(loop, env))
        if hugo:
            shutil.rmtree(work / "hugo-out", ignore_errors=True)
            runs["hugo"].append(measure(hugo))
        print(f"run {run + 1} (load {os.getloadavg()[0]:.1f}): "
              + ", ".join(f"{k} {v[-1].seconds:.2f} s" for k, v in runs.items() if v), flush=True)
    for name, measured in runs.items():
        if measured:
            key = name if name in ("pelican_loop", "hugo") else f"councillor_{name}"
            results[key] = median(measured)

    if args.scale_blogs:
        big = synthetic.make_councillors(args.scale_blogs, args.posts, args.seed)
        big_root = synthetic.write_programme(big, work / "programme-scaled")
        big_command, _ = councillor_build(toolkit, big_root, args.jobs)
        runs = []
        for _ in range(args.runs):
            shutil.rmtree(big_root / ".build-cache", ignore_errors=True)
            runs.append(measure(big_command, env=env))
            print(f"cold, {args.scale_blogs} blogs: {runs[-1].seconds:.2f} s", flush=True)
        results[f"councillor_cold_{args.scale_blogs}_blogs"] = median(runs)

    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "blogs": args.blogs, "posts_per_blog": args.posts, "runs": args.runs, "seed": args.seed,
        "jobs": args.jobs or "one per core",
        "machine": {"cpus": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)),
                    "load_average_at_start": load_at_start,
                    "load_average_at_end": os.getloadavg(), "python": platform.python_version(),
                    "platform": platform.platform(), "hugo": version, "commit": commit},
        "files": {"posts": args.blogs * args.posts, "site_files": sum(1 for p in (root / "site").rglob("*")
                                                                      if p.is_file())},
        "results": results,
        "ratios": ratios(results, args),
    }


def synthetic_site_url() -> str:
    return "https://bench.example/"


def ratios(results: dict[str, dict], args: argparse.Namespace) -> dict[str, float]:
    cold = results["councillor_cold"]["seconds"]
    out = {}
    if "pelican_loop" in results:
        out["pelican_loop_over_cold"] = round(results["pelican_loop"]["seconds"] / cold, 2)
    if "hugo" in results:
        out["cold_over_hugo"] = round(cold / results["hugo"]["seconds"], 2)
    scaled = results.get(f"councillor_cold_{args.scale_blogs}_blogs")
    if scaled:
        peak = results["councillor_cold"]["process_tree_mib"]
        out["scaled_peak_over_peak"] = round(scaled["process_tree_mib"] / peak, 2)
    return out


def _commit() -> str:
    """The checkout's commit, marked when the toolkit has changes not committed yet."""
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", *TOOLKIT],
                           capture_output=True, text=True)
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


#: The issue's targets: (what, how to read it from the report, the limit, whether lower is better).
TARGETS = [
    ("cold build >= 5x faster than the pelican loop", lambda r, q: q.get("pelican_loop_over_cold"), 5.0, False),
    ("cold build <= 1.3x Hugo's time", lambda r, q: q.get("cold_over_hugo"), 1.3, True),
    ("cold build <= 8 s", lambda r, q: r["councillor_cold"]["seconds"], 8.0, True),
    ("no-change rebuild <= 0.3 s", lambda r, q: r["councillor_no_change"]["seconds"], 0.3, True),
    ("one edited post <= 0.6 s", lambda r, q: r["councillor_one_edited_post"]["seconds"], 0.6, True),
    ("peak memory <= 200 MiB (process tree)", lambda r, q: r["councillor_cold"]["process_tree_mib"], 200, True),
    ("peak at twice the blogs <= 1.2x", lambda r, q: q.get("scaled_peak_over_peak"), 1.2, True),
]


def targets(report: dict) -> list[tuple[str, float | None, bool | None]]:
    rows = []
    for what, read, limit, lower in TARGETS:
        value = read(report["results"], report["ratios"])
        rows.append((what, value, None if value is None else (value <= limit if lower else value >= limit)))
    return rows


def summary(report: dict) -> str:
    r, q = report["results"], report["ratios"]
    lines = [
        f"# Build benchmark, {report['date']}",
        "",
        f"{report['blogs']} blogs x {report['posts_per_blog']} posts ({report['files']['posts']} posts, "
        f"{report['files']['site_files']} files in site/), jobs: {report['jobs']}, "
        f"{report['machine']['usable_cpus']} CPUs, Python {report['machine']['python']}, commit "
        f"{report['machine']['commit']}. Medians of {report['runs']} runs; load average (1, 5, 15 min) at the "
        f"start: {', '.join(f'{x:.1f}' for x in report['machine']['load_average_at_start'])}, at the end: "
        f"{', '.join(f'{x:.1f}' for x in report['machine']['load_average_at_end'])}.",
        "",
        "| Build | Wall time (s) | Largest process (MiB) | Process tree (MiB) |",
        "|---|---:|---:|---:|",
    ]
    for name, row in r.items():
        lines.append(f"| {name} | {row['seconds']:.2f} | {row['largest_process_mib']:.0f} | "
                     f"{row['process_tree_mib']:.0f} |")
    lines += ["", "| Ratio | Value |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in q.items()]
    lines += ["", "| Target | Measured | Met |", "|---|---:|---|"]
    for what, value, met in targets(report):
        lines.append(f"| {what} | {'-' if value is None else value} | "
                     f"{'not measured' if met is None else 'yes' if met else 'no'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blogs", type=int, default=50)
    parser.add_argument("--posts", type=int, default=40, help="posts per blog")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for councillor build (default: its own)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale-blogs", type=int, default=0,
                        help="also time a cold build of this many blogs, to compare peak memory")
    parser.add_argument("--skip-pelican", action="store_true")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default: bench/results/<date>.json, with a .md summary beside it)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="councillor-bench-"))
    try:
        report = benchmark(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    out = args.out or REPO / "bench" / "results" / f"{dt.date.today().isoformat()}-{args.blogs}x{args.posts}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    text = summary(report)
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {out} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
