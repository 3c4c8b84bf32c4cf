"""``councillor build --keep-going``: one councillor's mistake keeps back only their own blog.

A blog that fails its checks or its build is published as it was at its last good build (from
the build cache, or else from the site folder the last build wrote), every other part is
published as built, and the web team is told exactly what was kept back and how to fix it:
on the terminal, in a small report file, and under GitHub Actions as annotations on the file
and line, with a table in the job's summary.

A mistake in the council's own files (a news item in ``council_content/``, a footprint
snapshot) keeps back the council pages in the same way, at their last good build in the
build cache, so every councillor's new posts are still published. Only ``programme.yml``,
which every part reads, stops the whole build.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import cache
from generator.exceptions import ConfigError, Problem, relative
from generator.inputs.config import Blog, Project
from generator.inputs.news import CONTENT_DIR
from generator.inputs.snapshots import SNAPSHOT_DIR
from generator.steps import blog_checks

if TYPE_CHECKING:
    from generator.build import Plan

REPORT_FILE = "build-report.txt"
#: The exit status of a build that published the site but kept a blog back.
KEPT_BACK_STATUS = 3


#: What the council pages alone read, so that a mistake there keeps back only them.
COUNCIL_FOLDERS = (Path(CONTENT_DIR), SNAPSHOT_DIR)
#: How the council pages are named to the web team.
COUNCIL_PAGES = "The council pages"


@dataclass(frozen=True)
class KeptBack:
    """A blog (or, with no blog, the council pages) that did not build, and what the site shows instead."""

    blog: Blog | None
    problems: list[Problem]
    #: Where the published version came from: "the build cache", "the last site built", or None (left out).
    source: str | None

    @property
    def name(self) -> str:
        return self.blog.councillor.name if self.blog else COUNCIL_PAGES


def council_owned(problem: Problem, root: Path) -> bool:
    """Whether ``problem`` is in a file only the council pages read (council news, footprint snapshots)."""
    where = Path(problem.path).resolve()
    return any(where.is_relative_to((root / folder).resolve()) for folder in COUNCIL_FOLDERS)


def partition(problems: list[Problem], blogs: list[Blog], root: Path) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """The problems in each blog's own files and in the council pages' own files, by part, and the rest."""
    by_part: dict[str, list[Problem]] = {}
    rest: list[Problem] = []
    for problem in problems:
        owner = next((b for b in blogs if Path(problem.path).resolve().is_relative_to(b.folder.resolve())), None)
        if owner is not None:
            by_part.setdefault(cache.blog_part(owner), []).append(problem)
        elif council_owned(problem, root):
            by_part.setdefault(cache.COUNCIL_PART, []).append(problem)
        else:
            rest.append(problem)
    return by_part, rest


#: Why a mistake in the council pages' files stopped a build with --keep-going.
CANNOT_HOLD_COUNCIL = (
    "The council pages could not be kept back at their last good version (--keep-going): the build cache "
    "(.build-cache/) holds no earlier build of them, so the build stopped. Fix the problem and build again.")


def check(project: Project, blogs: list[Blog]) -> dict[str, list[Problem]]:
    """The checks, for --keep-going: each of ``blogs``' own problems and the council pages', by part;
    any other problem stops the build."""
    # The same checks as the build's validate(), without its warnings, which the build gives once, later.
    from generator.steps import council  # lazy: see generator.build.validate

    some = project.model_copy(update={"blogs": blogs})
    by_part, rest = partition(blog_checks.validate(some) + council.validate(some), blogs, project.root)
    if rest:
        raise ConfigError(rest)
    return by_part


def keep_back(plan: Plan, failed: dict[str, list[Problem]]) -> None:
    """Publish each failed part as it last built (``restore``, ``hold_council``), and note it in ``plan``."""
    blogs = {part: problems for part, problems in failed.items() if part != cache.COUNCIL_PART}
    plan.held.update({part: plan.keys[part] for part in blogs})
    plan.kept_back.extend(restore(plan.project, blogs, plan.kept, plan.keys, plan.labels, plan.site_dir,
                                  {part: cache.site_folder(part) for part in blogs}))
    if cache.COUNCIL_PART in failed:
        hold_council(plan, failed[cache.COUNCIL_PART])


def hold_council(plan: Plan, problems: list[Problem]) -> None:
    """Publish the council pages as they last built: their key becomes that build's.

    Unlike a blog, the council pages share the site's top folder with the handbook, so they
    cannot be taken back out of the last site: with nothing in the build cache, the build stops."""
    entry = plan.kept.entry(cache.COUNCIL_PART)
    if entry is None:
        everything = [p for k in plan.kept_back for p in k.problems] + problems
        raise ConfigError(everything, note=CANNOT_HOLD_COUNCIL)
    plan.keys[cache.COUNCIL_PART] = entry.key
    plan.kept_back.append(KeptBack(None, problems, "the build cache"))


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
    return sorted(result, key=lambda k: k.blog.slug if k.blog else "")


def describe(kept_back: list[KeptBack], root: Path) -> str:
    """What was kept back and why, for the terminal and the report file."""
    blogs = sum(1 for k in kept_back if k.blog)
    held = [f"{blogs} blog{'s' if blogs != 1 else ''}"] if blogs else []
    if any(k.blog is None for k in kept_back):
        held.append("the council pages")
    lines = [f"{' and '.join(held).capitalize()} kept back; everything else was published."]
    for k in kept_back:
        if k.blog is None:
            lines.append(f"{COUNCIL_PAGES} (council news, short links, hub, councillors index, footprint report): "
                         "their last good version is published, without the latest news or posts.")
        else:
            shown = {"the build cache": "its last good version is published",
                     "the last site built": "its last good version is published",
                     None: "it is not on the site until it builds"}[k.source]
            lines.append(f"{k.blog.councillor.name} ({relative(k.blog.folder, root)}/): {shown}.")
        for p in k.problems:
            where = relative(p.path, root) + (f":{p.line}" if p.line else "")
            lines.append(f"  {where}: {p.message}")
            if p.fix:
                lines.append(f"      fix: {p.fix}")
    return "\n".join(lines)


def write_report(kept_back: list[KeptBack], root: Path, path: Path) -> None:
    text = describe(kept_back, root) if kept_back else "Nothing was kept back: every blog and the council pages built."
    path.write_text(text + "\n", encoding="utf-8")


# --- GitHub Actions ------------------------------------------------------------------------


def annotations(kept_back: list[KeptBack], root: Path) -> list[str]:
    """One ``::error`` line per problem, shown on the file and line in the run and the pull request."""
    return [p.annotation(root, f"{k.name} - blog kept back" if k.blog else f"{k.name} kept back")
            for k in kept_back for p in k.problems]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def summary(kept_back: list[KeptBack], root: Path) -> str:
    """A Markdown table for the job summary, one row per problem."""
    rows = ["### Kept back at their last good version", "",
            "The site was published without these parts' latest changes. Fix each problem and push again.", "",
            "| Kept back | File | Problem | Fix |", "| --- | --- | --- | --- |"]
    for k in kept_back:
        for p in k.problems:
            where = relative(p.path, root) + (f":{p.line}" if p.line else "")
            rows.append(f"| {_cell(k.name)} | `{_cell(where)}` | {_cell(p.message)} | {_cell(p.fix)} |")
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
