"""The build, top to bottom: settings -> checks -> handbook and blogs -> council pages -> writing screen -> publish.

``build()`` is the only place that knows the order of the steps. Each step turns the project
into the files of one part of the site (``generator.steps``); here each part's inputs are
hashed to a key (``cache``), a part whose key is unchanged is reused, the rest are built in
worker processes (``parallel``), and the parts are published into ``site/`` together
(``publish``), so ``site/`` changes only when the whole build succeeds.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator import last_build, memo
from generator.build import cache, council_pages, kept_back, parallel, pending, progress, publish
from generator.exceptions import Problem
from generator.fingerprint import toolkit_fingerprint
from generator.inputs import posts
from generator.inputs.config import Project, load_project
from generator.inputs.layout import PUBLISHED_RECORD, SITE_DIR, WORK_DIR
from generator.inputs.urls import site_url_for
from generator.logs import strict_warnings
from generator.steps import check

log = logging.getLogger("generator")

#: The steps the workers run, by name: a worker imports a step (and Pelican or MkDocs with it)
#: only when it has one to run.
HANDBOOK_STEP = "generator.steps.handbook:build_handbook"
BLOG_STEP = "generator.steps.blogs:build_blog"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    site_url: str
    pages: int
    #: With --keep-going: the blogs (and the council pages) that did not build, published as they last built.
    kept_back: list[kept_back.KeptBack] = field(default_factory=list)


@dataclass
class Plan:
    """What one build works from: the project, where things go, and each part's key."""

    project: Project
    site_dir: Path
    site_url: str
    strict: bool
    day: dt.date | None
    now: dt.datetime
    kept: cache.PartCache
    inputs: cache.Inputs
    keys: dict[str, str]
    labels: dict[str, str]
    #: When each rebuilt blog's output next changes by itself (posts dated in the future...).
    pending: dict[str, tuple[dt.datetime, ...]] = field(default_factory=dict)
    #: With --keep-going: each kept-back blog's part, with the key of the inputs that did not build
    #: (its key in ``keys`` is then the published version's; it has none when it is left out).
    held: dict[str, str] = field(default_factory=dict)
    kept_back: list[kept_back.KeptBack] = field(default_factory=list)
    #: On a first build into the site folder, the new site, put together as each part is kept.
    staging: publish.Staging | None = None

    @property
    def work_dir(self) -> Path:
        return self.kept.root.parent

    @property
    def record(self) -> Path:
        return self.work_dir / PUBLISHED_RECORD

    def fresh(self, part: str) -> bool:
        return self.kept.fresh(part, self.keys[part], self.now)

    def keep(self, part: str, built: Path, pending: tuple[dt.datetime, ...] = ()) -> None:
        """Keep a part just built, under its key; on a first build, put it into the new site at once."""
        self.kept.keep(part, built, cache.Entry(self.keys[part], pending))
        if self.staging is not None:
            self.staging.add(self.part(part))

    def part(self, part: str) -> publish.Part:
        return publish.Part(self.kept.folder(part), cache.site_folder(part), self.labels[part])


def build(root: Path, site_dir: Path | None = None, base_url: str | None = None,
          strict: bool = False, day: dt.date | None = None, jobs: int | None = None,
          keep_going: bool = False, found: dict[str, list[int]] | None = None) -> BuildResult:
    """Build the whole site for the programme in ``root``; ``site/`` changes only on success.

    ``day`` is the date the council pages treat as today (default: today), e.g. to see the
    hub as it will be in the pre-election period. ``jobs`` is how many processes build the
    blogs and the handbook (default: one per core; 1 builds everything in this process).

    A part (the handbook, a blog, the council pages) whose inputs have not changed since it
    was last built is reused from ``.build-cache`` (see ``generator.build.cache``), and only the
    parts that changed are replaced in ``site/``.

    ``keep_going``: a blog with a problem does not stop the build; it is published as it last
    built (``generator.build.kept_back``) and listed in the result, and the council pages leave
    out its posts that its published version lacks. A problem in the council pages' own files
    keeps them back in the same way. Any other problem still stops the build.

    ``found``: the files' stats (``last_build.stats``), if the caller has just taken them.
    """
    # Before anything is read, so that a file changed meanwhile is not taken as read.
    asked = last_build.options(root, site_dir, base_url, strict, day)
    started = last_build.start(root)
    seen = last_build.trusted(last_build.stats(root) if found is None else found, started)
    project = load_project(root)
    # A file whose stat is as the last build found it is not read again (``fingerprint.file_digest``).
    with memo.files_as_found(seen):
        # Before the workers start, so that they inherit the word counts and digests (with fork).
        memo.load_remembered(project.root / WORK_DIR, toolkit_fingerprint())
        plan = _plan(project, site_dir, base_url, strict, day)
        stale = [part for part in plan.keys if not plan.fresh(part)]
        plan.keys[cache.ADMIN_PART] = plan.inputs.admin()
        admin_fresh = plan.fresh(cache.ADMIN_PART)
        log.debug("To build: %s", ", ".join(stale) or "nothing")
        if not stale and admin_fresh and (files := _unchanged_site(plan)) is not None:
            # The digests, at least, so that the next build need not read every file again.
            memo.save_remembered(plan.work_dir, toolkit_fingerprint())
            _remember(plan, asked, seen, _pages(files))
            return BuildResult(site_dir=plan.site_dir, site_url=plan.site_url, pages=_pages(files))
        written = _build_stale(plan, stale, admin_fresh, jobs, keep_going)
    if not plan.kept_back:
        _remember(plan, asked, seen, _pages(written))
    kept = sorted(plan.kept_back, key=lambda k: k.blog.slug if k.blog else "")
    return BuildResult(site_dir=plan.site_dir, site_url=plan.site_url, pages=_pages(written), kept_back=kept)


def _build_stale(plan: Plan, stale: list[str], admin_fresh: bool, jobs: int | None, keep_going: bool) -> dict[str, str]:
    """Build the stale parts, the council pages and (unless fresh) the writing screen; publish the site."""
    plan.kept.forget([*plan.keys, cache.COUNCIL_PART])
    if keep_going:
        failed = kept_back.check(plan.project, cache.blogs_in(plan.project, stale))
        kept_back.keep_back(plan, failed)
        stale = [part for part in stale if part not in failed]
    work, context = _jobs(plan, stale), _worker_context(plan)
    with _new_site(plan, keep_going):
        with strict_warnings(log.name, plan.strict) as warnings:
            council = council_pages.CouncilPages(plan, stale, keep=lambda: not (plan.strict and warnings),
                                                 keep_going=keep_going)
            late: dict[str, list[Problem]] = {}
            with parallel.workers(work, context, jobs or parallel.default_jobs()) as pool:
                # While the workers import Pelican: each gets its blog's posts with its job.
                memo.load_readings(plan.work_dir, toolkit_fingerprint())
                _build_parts(plan, work, pool, context, meanwhile=council.check_then_build,
                             failed=late if keep_going else None)
            kept_back.keep_back(plan, late)
            # The pages were built while the blogs were: again, if a blog has since been kept back.
            council.build_if_waiting(again=bool(late))
            if not admin_fresh:
                _build_admin(plan)
            council.report()
        written = _publish(plan)
    memo.save(plan.work_dir, toolkit_fingerprint())
    log.debug("Built %d files into %s for %s", len(written), plan.site_dir, plan.site_url)
    return written


def due(root: Path, base_url: str | None = None, day: dt.date | None = None) -> list[str]:
    """The parts a build would make again now (none: the last build is still the site to publish).

    The same test the build makes before reusing a part: its inputs' key, and any post, page or
    council item dated after the last build that has since fallen due. It reads only the files'
    bytes and the build cache, so a scheduled run can stop after it when nothing is due.
    """
    plan = _plan(load_project(root), None, base_url, False, day)
    plan.keys[cache.COUNCIL_PART] = plan.inputs.council(pending.blog_states(plan))
    return [plan.labels[part] for part in plan.keys if not plan.fresh(part)]


def _plan(project: Project, site_dir: Path | None, base_url: str | None, strict: bool, day: dt.date | None) -> Plan:
    """Each part's key: the handbook's and every blog's (the council pages' waits on the blogs)."""
    site_url = site_url_for(project, base_url)
    now = dt.datetime.now(dt.UTC)
    inputs = cache.Inputs(project, site_url, strict, now, day)
    keys = {cache.HANDBOOK_PART: inputs.handbook(), **{cache.blog_part(b): inputs.blog(b) for b in project.blogs}}
    labels = {cache.HANDBOOK_PART: "the handbook", cache.COUNCIL_PART: "the council pages",
              cache.ADMIN_PART: "the writing screen",
              **{cache.blog_part(b): f"the blog in {b.folder.relative_to(project.root)}" for b in project.blogs}}
    return Plan(project, (site_dir or project.root / SITE_DIR).resolve(), site_url, strict, day, now,
                cache.PartCache(project.root / WORK_DIR), inputs, keys, labels)


def _unchanged_site(plan: Plan) -> dict[str, str] | None:
    """The published files, if no part needs building and ``site/`` is still what the last build wrote."""
    plan.keys[cache.COUNCIL_PART] = plan.inputs.council(pending.blog_states(plan))
    files = publish.unchanged(_by_label(plan), plan.site_dir, plan.record)
    if files is None or not plan.fresh(cache.COUNCIL_PART):
        return None
    for notice in _unchanged_notices(plan):
        log.info("%s", notice)
    return files


def _unchanged_notices(plan: Plan) -> list[str]:
    """What a build with nothing to do says: the same until a file changes or the day does."""
    # lazy: the council pages' templates, reports and Markdown take a tenth of a second to load, which a
    # build with nothing to do need not spend.
    from generator.steps import council

    notices = [f"Nothing changed since the last build: {plan.site_dir} is as it was."]
    if check.in_pre_election(plan.project, check.today(plan.project, plan.day)):
        notices.append(council.pre_election_reminder(plan.project, plan.site_url, plan.day))
    return notices


def _remember(plan: Plan, asked: last_build.Options, seen: dict[str, list[int] | None], pages: int) -> None:
    """Record this build for the quick check (``generator.last_build``)."""
    last_build.record(plan.project.root, asked, seen, pending.valid_until(plan),
                      last_build.LastBuild(plan.site_dir, plan.site_url, pages, _unchanged_notices(plan)))


def _jobs(plan: Plan, stale: list[str]) -> list[parallel.Job]:
    """A job for each stale part but the council pages and the writing screen, which this process builds."""
    blogs = {cache.blog_part(b): b for b in plan.project.blogs}
    return [parallel.Job(part, HANDBOOK_STEP, plan.kept.new_folder(part)) if part == cache.HANDBOOK_PART else
            parallel.Job(part, BLOG_STEP, plan.kept.new_folder(part),
                         {"slug": blogs[part].slug, "work_dir": plan.work_dir})
            for part in stale]


def _worker_context(plan: Plan) -> parallel.Context:
    return parallel.Context(plan.project, plan.site_url, plan.strict,
                            {name: logging.getLogger(name).level for name in parallel.FORWARDED_LOGGERS})


def _build_parts(plan: Plan, work: list[parallel.Job], pool: ProcessPoolExecutor | None, context: parallel.Context,
                 meanwhile: Callable[[], None], failed: dict[str, list[Problem]] | None = None) -> None:
    """Build the stale handbook and blogs on ``pool``, in parallel with ``meanwhile``; keep each part as it succeeds.

    ``failed``: with --keep-going, a blog that fails to build is added here rather than stopping the build."""
    project, blogs = plan.project, {cache.blog_part(b): b for b in plan.project.blogs}
    stale = [job.part for job in work]
    blog_count = sum(1 for job in work if job.part in blogs)

    def summary(seconds: float) -> str:
        handbook = " and the handbook" if len(work) > blog_count else ""
        return f"Built {blog_count} of {len(project.blogs)} blogs{handbook} in {seconds:.1f} s"

    def keep(outcome: parallel.Outcome) -> None:
        memo.learn(outcome.learned)
        # In --strict mode a part that warned fails the build, so the next build must not reuse it.
        if outcome.ok and not (plan.strict and outcome.warned()):
            part = outcome.job.part
            plan.keep(part, outcome.job.output, plan.pending.get(part, ()))

    def readings(job: parallel.Job) -> dict:
        # The checks read these posts in this process anyway: read them here first and hand
        # them to the blog's worker, rather than parse every post twice.
        if job.part not in blogs:
            return {}
        content = blogs[job.part].content_dir
        return posts.readings(posts.post_files(content) + posts.page_files(content), project.programme.site.timezone)

    with progress.stage("Building blogs and handbook", len(work), summary if work else None) as advance:
        outcomes = parallel.run(work, context, pool, keep, meanwhile, tick=advance, readings=readings)
    for outcome in sorted(outcomes, key=lambda o: stale.index(o.job.part)):
        outcome.replay_logs()
    if failed is not None:
        for outcome in outcomes:
            if outcome.job.part in blogs and not outcome.ok:
                failed[outcome.job.part] = outcome.problems or [
                    Problem(blogs[outcome.job.part].folder, None, outcome.error or "the blog did not build",
                            "run 'councillor build' on your own machine to see the details")]
        outcomes = [o for o in outcomes if o.job.part not in failed]
    parallel.raise_failures(outcomes, stale)


def _build_admin(plan: Plan) -> None:
    from generator.steps import admin  # lazy: as council in validate()

    output = plan.kept.new_folder(cache.ADMIN_PART)
    admin.build_admin(plan.project, output, plan.site_url)
    plan.keep(cache.ADMIN_PART, output)


@contextmanager
def _new_site(plan: Plan, keep_going: bool) -> Iterator[None]:
    """On a first build into the site folder, put the new site together while the workers build,
    rather than all at the end: linking thousands of files takes a good part of a second."""
    # With --keep-going a part may be kept back after it was kept: the usual way is simpler then.
    if keep_going or publish.Published.read(plan.record, plan.site_dir) is not None:
        yield
        return
    with publish.staging_area(plan.site_dir) as folder:
        plan.staging = publish.Staging(folder)
        try:
            yield
        finally:
            plan.staging = None


def _publish(plan: Plan) -> dict[str, str]:
    parts = [plan.part(part) for part in plan.labels]
    with progress.stage("Publishing", 0, lambda s: f"Published {plan.site_dir} in {s:.1f} s"):
        return publish.publish(parts, _by_label(plan), plan.site_dir, plan.record, plan.staging)


def _by_label(plan: Plan) -> dict[str, str]:
    return {plan.labels[part]: key for part, key in plan.keys.items()}


def _pages(files: dict[str, str]) -> int:
    return sum(1 for path in files if path.endswith(".html"))
