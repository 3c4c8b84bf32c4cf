"""The build, top to bottom: config -> handbook -> blogs -> council pages -> writing screen -> publish.

This is the only place that knows the order of the steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import cache, parallel, progress, publish
from generator.exceptions import BuildError, ConfigError, Problem
from generator.inputs.colours import colour_warnings
from generator.inputs.config import Blog, Period, Project, load_project, logo_problem
from generator.logs import recorded

if TYPE_CHECKING:
    from generator.build.kept_back import KeptBack
    from generator.inputs.news import Item

log = logging.getLogger("generator")

SITE_DIR = "site"
WORK_DIR = ".build-cache"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    site_url: str
    pages: int
    #: With --keep-going: the blogs that did not build, published as they last built.
    kept_back: list[KeptBack] = field(default_factory=list)


def site_url_for(project: Project, base_url: str | None) -> str:
    url = base_url or project.programme.site.url
    return url.rstrip("/") + "/"


def validate(project: Project) -> None:
    """Check everything a build reads before building anything."""
    from generator.steps import blogs, council

    problems: list[Problem] = blogs.validate(project) + council.validate(project)
    for warning in colour_warnings(project.programme.branding):
        log.warning("%s", warning)
    if logo := logo_problem(project.root, project.programme.branding):
        problems.append(logo)
    if problems:
        raise ConfigError(problems)


@contextmanager
def _strict_warnings(strict: bool) -> Iterator[list[logging.LogRecord]]:
    """In --strict mode a warning from our own steps fails the build, as in MkDocs."""
    with recorded(log.name, logging.WARNING) as warnings:
        yield warnings
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warning(s) in strict mode; site/ was not changed")


def build(root: Path, site_dir: Path | None = None, base_url: str | None = None,
          strict: bool = False, day: dt.date | None = None, jobs: int | None = None,
          keep_going: bool = False) -> BuildResult:
    """Build the whole site for the programme in ``root``; ``site/`` changes only on success.

    ``day`` is the date the council pages treat as today (default: today), e.g. to see the
    hub as it will be in the pre-election period. ``jobs`` is how many processes build the
    blogs and the handbook (default: one per core; 1 builds everything in this process).

    A part (the handbook, a blog, the council pages) whose inputs have not changed since it
    was last built is reused from ``.build-cache`` (see ``generator.cache``), and only the
    parts that changed are replaced in ``site/``.

    ``keep_going``: a blog with a problem does not stop the build; it is published as it last
    built (``generator.kept_back``) and listed in the result. Any other problem still stops it.
    """
    parallel.forget_pelican_state()
    project = load_project(root)
    site_dir = (site_dir or project.root / SITE_DIR).resolve()
    site_url = site_url_for(project, base_url)
    work_dir = project.root / WORK_DIR
    kept = cache.PartCache(work_dir)
    now = dt.datetime.now(dt.UTC)
    inputs = cache.Inputs(project, site_url, strict, now, day)
    keys = {cache.HANDBOOK_PART: inputs.handbook(), **{cache.blog_part(b): inputs.blog(b) for b in project.blogs}}
    stale = [part for part, key in keys.items() if not kept.fresh(part, key, now)]
    # Built here, not by the workers: it only writes a few files.
    keys[cache.ADMIN_PART] = inputs.admin()
    admin_fresh = kept.fresh(cache.ADMIN_PART, keys[cache.ADMIN_PART], now)
    log.debug("To build: %s", ", ".join(stale) or "nothing")
    labels = _labels(project)
    record = work_dir / "site.json"
    if not stale and admin_fresh:
        keys[cache.COUNCIL_PART] = inputs.council(_blog_states(project, keys, kept, {}))
        files = publish.unchanged(_by_label(keys, labels), site_dir, record)
        if files is not None and kept.fresh(cache.COUNCIL_PART, keys[cache.COUNCIL_PART], now):
            log.info("Nothing changed since the last build: %s is as it was.", site_dir)
            from generator.steps import check

            if check.in_pre_election(project, check.today(project, day)):
                from generator.steps.council import pre_election_reminder  # the council pages' imports are slow

                log.info(pre_election_reminder(project, site_url, day))
            return BuildResult(site_dir=site_dir, site_url=site_url, pages=_pages(files))

    stale_blogs = [b for b in project.blogs if cache.blog_part(b) in stale]
    kept.forget([*keys, cache.COUNCIL_PART])
    failed: dict[str, list[Problem]] = {}
    if keep_going:
        failed = _blogs_with_problems(project, stale_blogs)
        stale = [part for part in stale if part not in failed]
        stale_blogs = [b for b in stale_blogs if cache.blog_part(b) not in failed]
    pending: dict[str, tuple[dt.datetime, ...]] = {}
    with _strict_warnings(strict) as warnings:
        council_seconds: list[float] = []
        council_to_build: list[bool] = []

        def build_council_pages() -> None:
            start = time.perf_counter()
            _build_council_pages(project, kept, keys[cache.COUNCIL_PART], site_url, day, now,
                                 keep=lambda: not (strict and warnings))
            council_seconds.append(time.perf_counter() - start)

        def check_then_build_council_pages() -> None:
            # Run by the main process while the workers build the blogs: a problem found here
            # stops the build before any part the workers made is kept.
            # A blog whose inputs are unchanged passed these checks when it was last built.
            validate(project.model_copy(update={"blogs": stale_blogs}))
            zone = project.programme.site.timezone
            items = _council_items(project)
            pending.update({cache.blog_part(b): _pending_posts(b, zone, now, items, project.programme.pre_election)
                            for b in stale_blogs})
            keys[cache.COUNCIL_PART] = inputs.council(_blog_states(project, keys, kept, pending))
            if kept.fresh(cache.COUNCIL_PART, keys[cache.COUNCIL_PART], now):
                return
            # The council pages read the posts, not the built blogs, so they need not wait for
            # them, except to reuse the word counts the blog build makes when there are many.
            if _uncounted_posts(stale_blogs, zone) > COUNT_WHILE_BUILDING:
                council_to_build.append(True)
            else:
                build_council_pages()

        # Before the workers start, so that they inherit what the last build read (with fork).
        cache.load_read_memo(work_dir)
        _build_parts(project, stale, kept, keys, pending, site_url, strict, jobs, check_then_build_council_pages,
                     failed if keep_going else None)
        if council_to_build:
            build_council_pages()
        if not admin_fresh:
            _build_admin(project, kept, keys[cache.ADMIN_PART], site_url)
        for seconds in council_seconds:
            log.info("Built the council pages in %.1f s", seconds)
    kept_back: list[KeptBack] = []
    if failed:
        from generator.build.kept_back import restore

        kept_back = restore(project, failed, kept, keys, labels, site_dir, {part: _prefix(part) for part in failed})
    parts = [publish.Part(kept.folder(part), _prefix(part), labels[part]) for part in labels]
    with progress.stage("Publishing", 0, lambda s: f"Published {site_dir} in {s:.1f} s"):
        written = publish.publish(parts, _by_label(keys, labels), site_dir, record)
    cache.save_read_memo(work_dir)
    log.debug("Built %d files into %s for %s", len(written), site_dir, site_url)
    return BuildResult(site_dir=site_dir, site_url=site_url, pages=_pages(written), kept_back=kept_back)


def due(root: Path, base_url: str | None = None, day: dt.date | None = None) -> list[str]:
    """The parts a build would make again now (none: the last build is still the site to publish).

    The same test the build makes before reusing a part: its inputs' key, and any post, page or
    council item dated after the last build that has since fallen due. It reads only the files'
    bytes and the build cache, so a scheduled run can stop after it when nothing is due.
    """
    project = load_project(root)
    site_url = site_url_for(project, base_url)
    kept = cache.PartCache(project.root / WORK_DIR)
    now = dt.datetime.now(dt.UTC)
    inputs = cache.Inputs(project, site_url, False, now, day)
    keys = {cache.HANDBOOK_PART: inputs.handbook(), **{cache.blog_part(b): inputs.blog(b) for b in project.blogs}}
    keys[cache.COUNCIL_PART] = inputs.council(_blog_states(project, keys, kept, {}))
    labels = _labels(project)
    return [labels[part] for part, key in keys.items() if not kept.fresh(part, key, now)]


def _blogs_with_problems(project: Project, blogs: list[Blog]) -> dict[str, list[Problem]]:
    """The checks, for --keep-going: each blog's own problems, by part; any other problem stops the build."""
    from generator.build.kept_back import partition
    from generator.steps import blogs as blog_step
    from generator.steps import council

    # The same checks as validate(), without its warnings, which the build gives once, later.
    some = project.model_copy(update={"blogs": blogs})
    by_part, rest = partition(blog_step.validate(some) + council.validate(some), blogs)
    if rest:
        raise ConfigError(rest)
    return by_part


def _build_parts(project: Project, stale: list[str], kept: cache.PartCache, keys: dict[str, str],
                 pending: dict[str, tuple[dt.datetime, ...]], site_url: str, strict: bool, jobs: int | None,
                 meanwhile: Callable[[], None], failed: dict[str, list[Problem]] | None = None) -> None:
    """Build the stale handbook and blogs, in parallel with ``meanwhile``; keep each part as it succeeds.

    ``failed``: with --keep-going, a blog that fails to build is added here rather than stopping the build."""
    from generator.inputs import posts

    blogs_by_part = {cache.blog_part(b): b for b in project.blogs}
    work = [parallel.Job(part, "handbook" if part == cache.HANDBOOK_PART else "blog", kept.new_folder(part),
                         blogs_by_part[part].slug if part in blogs_by_part else "")
            for part in stale]
    context = parallel.Context(project, site_url, strict, kept.root.parent / "templates", kept.root.parent / "rendered",
                               {name: logging.getLogger(name).level for name in parallel.FORWARDED_LOGGERS})
    blog_count = sum(1 for job in work if job.kind == "blog")

    def summary(seconds: float) -> str:
        handbook = " and the handbook" if len(work) > blog_count else ""
        return f"Built {blog_count} of {len(project.blogs)} blogs{handbook} in {seconds:.1f} s"

    def keep(outcome: parallel.Outcome) -> None:
        cache.learn(outcome.learned)
        # In --strict mode a part that warned fails the build, so the next build must not reuse it.
        if outcome.ok and not (strict and outcome.warned()):
            part = outcome.job.part
            kept.keep(part, outcome.job.output, cache.Entry(keys[part], pending.get(part, ())))

    zone = project.programme.site.timezone

    def readings(job: parallel.Job) -> dict:
        # The checks read these posts in this process anyway: read them here first and hand
        # them to the blog's worker, rather than parse every post twice.
        if job.kind != "blog":
            return {}
        content = blogs_by_part[job.part].content_dir
        return posts.readings(posts.post_files(content) + posts.page_files(content), zone)

    with progress.stage("Building blogs and handbook", len(work), summary if work else None) as advance:
        outcomes = parallel.run(work, context, jobs or parallel.default_jobs(), keep, meanwhile, tick=advance,
                                readings=readings)
    for outcome in sorted(outcomes, key=lambda o: stale.index(o.job.part)):
        outcome.replay_logs()
    if failed is not None:
        for outcome in outcomes:
            if outcome.job.kind == "blog" and not outcome.ok:
                blog = blogs_by_part[outcome.job.part]
                failed[outcome.job.part] = outcome.problems or [
                    Problem(blog.folder, None, outcome.error or "the blog did not build",
                            "run 'councillor build' on your own machine to see the details")]
        outcomes = [o for o in outcomes if o.job.part not in failed]
    parallel.raise_failures(outcomes, stale)


#: Up to this many posts new to the footprint's word count, the main process counts them
#: while the workers build the blogs; with more, the council pages wait for the blog build,
#: which renders every post anyway and passes on the counts (``generator.words``).
COUNT_WHILE_BUILDING = 50


def _uncounted_posts(blogs: list[Blog], timezone: str) -> int:
    from generator.inputs import posts
    from generator.steps import words

    bodies = [post.body for blog in blogs for post in posts.read_all(blog.content_dir, timezone)[0]]
    return words.uncounted(bodies)


def _council_items(project: Project) -> list[Item]:
    from generator.inputs import news

    return news.read_items(project.root, project.programme.site.timezone)[0]


def _pending_posts(blog: Blog, timezone: str, now: dt.datetime, items: list[Item],
                   period: Period | None) -> tuple[dt.datetime, ...]:
    """When the blog's output changes by itself: posts and pages dated in the future appear, and
    council news quoted in a post comes out, or is held for the pre-election period."""
    from generator.inputs import news, posts

    files = posts.post_files(blog.content_dir) + posts.page_files(blog.content_dir)
    found = [p for p in (posts.read(path, timezone)[0] for path in files) if p is not None and not p.is_draft]
    changes = [p.date for p in found if p.date > now] + news.quote_changes(found, items, period, now)
    return tuple(sorted(set(changes)))


def _blog_states(project: Project, keys: dict[str, str], kept: cache.PartCache,
                 pending: dict[str, tuple[dt.datetime, ...]]) -> list[tuple[str, str, int]]:
    """Each blog's key and how many of its posts are still to appear: what the council pages depend on."""
    states = []
    for blog in project.blogs:
        part = cache.blog_part(blog)
        if part in pending:
            waiting = len(pending[part])
        else:
            entry = kept.entry(part)
            waiting = len(entry.pending) if entry else 0
        states.append((part, keys[part], waiting))
    return states


def _build_council_pages(project: Project, kept: cache.PartCache, key: str, site_url: str, day: dt.date | None,
                         now: dt.datetime, keep: Callable[[], bool]) -> None:
    from jinja2 import FileSystemBytecodeCache

    from generator.steps import council

    output = kept.new_folder(cache.COUNCIL_PART)
    # Compiled templates are kept with the blogs' (the names differ, so they never mix).
    templates = kept.root.parent / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    council.build_council_pages(project, output, site_url, day, FileSystemBytecodeCache(str(templates)))
    # Council news dated in the future goes live by itself, so the pages are rebuilt then.
    pending = tuple(sorted(item.date for item in _council_items(project) if item.date > now))
    if keep():
        kept.keep(cache.COUNCIL_PART, output, cache.Entry(key, pending))


def _build_admin(project: Project, kept: cache.PartCache, key: str, site_url: str) -> None:
    from generator.steps import admin

    output = kept.new_folder(cache.ADMIN_PART)
    admin.build_admin(project, output, site_url)
    kept.keep(cache.ADMIN_PART, output, cache.Entry(key))


def _labels(project: Project) -> dict[str, str]:
    """Each part's name in messages, such as a clash between two parts."""
    return {cache.HANDBOOK_PART: "the handbook", cache.COUNCIL_PART: "the council pages",
            cache.ADMIN_PART: "the writing screen",
            **{cache.blog_part(b): f"the blog in {b.folder.relative_to(project.root)}" for b in project.blogs}}


def _prefix(part: str) -> str:
    from generator.steps.blogs import BLOGS_URL_PATH

    return part.replace("blogs/", f"{BLOGS_URL_PATH}/", 1) if part.startswith("blogs/") else ""


def _by_label(keys: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    return {labels[part]: key for part, key in keys.items()}


def _pages(files: dict[str, str]) -> int:
    return sum(1 for path in files if path.endswith(".html"))
