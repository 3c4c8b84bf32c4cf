"""``councillor build --keep-going``: one councillor's mistake keeps back only their own blog.

A blog that fails its checks or its build is published as it was at its last good build (from
the build cache, or else from the site folder the last build wrote), every other part is
published as built, and the web team is told exactly what was kept back and how to fix it:
on the terminal, in a small report file, and under GitHub Actions as annotations on the file
and line, with a table in the job's summary.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.build import cache
from generator.exceptions import Problem
from generator.inputs.config import Blog, Project

REPORT_FILE = "build-report.txt"
#: The exit status of a build that published the site but kept a blog back.
KEPT_BACK_STATUS = 3


@dataclass(frozen=True)
class KeptBack:
    """A blog that did not build, and what the published site shows instead."""

    blog: Blog
    problems: list[Problem]
    #: Where the published version came from: "the build cache", "the last site built", or None (left out).
    source: str | None


def partition(problems: list[Problem], blogs: list[Blog]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """The problems in each blog's own files, by part, and the problems in nobody's blog."""
    by_part: dict[str, list[Problem]] = {}
    rest: list[Problem] = []
    for problem in problems:
        owner = next((b for b in blogs if Path(problem.path).resolve().is_relative_to(b.folder.resolve())), None)
        if owner is None:
            rest.append(problem)
        else:
            by_part.setdefault(cache.blog_part(owner), []).append(problem)
    return by_part, rest


def restore(project: Project, failed: dict[str, list[Problem]], kept: cache.PartCache, keys: dict[str, str],
            labels: dict[str, str], site_dir: Path, prefix: dict[str, str]) -> list[KeptBack]:
    """Put each failed blog's last good build in its part's place; updates ``keys`` and ``labels``.

    A part the cache still holds is published as it is (its key stays the last good one, so the
    site's files are left untouched). Failing that, the blog's folder in the last built site is
    taken into the cache; with neither, the blog is left out of the site until it builds.
    """
    by_part = {cache.blog_part(b): b for b in project.blogs}
    result = []
    for part, problems in failed.items():
        blog = by_part[part]
        entry = kept.entry(part)
        source: str | None
        if entry is not None:
            keys[part], source = entry.key, "the build cache"
        elif (site_dir / prefix[part]).is_dir():
            copy = kept.new_folder(part)
            shutil.copytree(site_dir / prefix[part], copy, dirs_exist_ok=True)
            # A key no input ever has, so the next build tries the blog again.
            keys[part] = "kept-back"
            kept.keep(part, copy, cache.Entry(keys[part], ()))
            source = "the last site built"
        else:
            del keys[part], labels[part]
            source = None
        result.append(KeptBack(blog, problems, source))
    return sorted(result, key=lambda k: k.blog.slug)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def describe(kept_back: list[KeptBack], root: Path) -> str:
    """What was kept back and why, for the terminal and the report file."""
    count = len(kept_back)
    lines = [f"{count} blog{'s' if count != 1 else ''} kept back; everything else was published."]
    for k in kept_back:
        shown = {"the build cache": "its last good version is published",
                 "the last site built": "its last good version is published",
                 None: "it is not on the site until it builds"}[k.source]
        lines.append(f"{k.blog.councillor.name} ({_relative(k.blog.folder, root)}/): {shown}.")
        for p in k.problems:
            where = _relative(p.path, root) + (f":{p.line}" if p.line else "")
            lines.append(f"  {where}: {p.message}")
            if p.fix:
                lines.append(f"      fix: {p.fix}")
    return "\n".join(lines)


def write_report(kept_back: list[KeptBack], root: Path, path: Path) -> None:
    text = describe(kept_back, root) if kept_back else "Nothing was kept back: every blog built."
    path.write_text(text + "\n", encoding="utf-8")


# --- GitHub Actions ------------------------------------------------------------------------
# https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(kept_back: list[KeptBack], root: Path) -> list[str]:
    """One ``::error`` line per problem, shown on the file and line in the run and the pull request."""
    lines = []
    for k in kept_back:
        for p in k.problems:
            props = [f"file={_property(_relative(p.path, root))}"]
            if p.line:
                props.append(f"line={p.line}")
            props.append(f"title={_property(k.blog.councillor.name + ' - blog kept back')}")
            message = p.message + (f". Fix: {p.fix}" if p.fix else "")
            lines.append(f"::error {','.join(props)}::{_data(message)}")
    return lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def summary(kept_back: list[KeptBack], root: Path) -> str:
    """A Markdown table for the job summary, one row per problem."""
    rows = ["### Blogs kept back", "",
            "The site was published without these blogs' latest changes. Fix each problem and push again.", "",
            "| Councillor | File | Problem | Fix |", "| --- | --- | --- | --- |"]
    for k in kept_back:
        for p in k.problems:
            where = _relative(p.path, root) + (f":{p.line}" if p.line else "")
            rows.append(f"| {_cell(k.blog.councillor.name)} | `{_cell(where)}` | {_cell(p.message)} | {_cell(p.fix)} |")
    return "\n".join(rows) + "\n"


def tell_github(kept_back: list[KeptBack], root: Path) -> list[str]:
    """Under GitHub Actions, the annotation lines to print; the summary is appended to its file."""
    if os.environ.get("GITHUB_ACTIONS") != "true" or not kept_back:
        return []
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as f:
            f.write(summary(kept_back, root))
    return annotations(kept_back, root)
