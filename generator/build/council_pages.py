"""The council pages step, run by the build's main process while the workers build the blogs,
and the checks of everything a build reads, which it runs first."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.build import cache, kept_back, pending
from generator.exceptions import ConfigError, Problem
from generator.inputs import posts
from generator.inputs.colours import colour_warnings
from generator.inputs.config import Project, logo_problem
from generator.steps import blog_checks

if TYPE_CHECKING:
    from generator.build import Plan

log = logging.getLogger("generator")

#: Up to this many posts new to the footprint's word count, the main process counts them
#: while the workers build the blogs; with more, the council pages wait for the blog build,
#: which renders every post anyway and passes on the counts (``generator.steps.words``).
COUNT_WHILE_BUILDING = 50


def validate(project: Project, council_held: bool = False) -> None:
    """Check everything a build reads before building anything.

    ``council_held``: the council pages are kept back (--keep-going), so their own files' problems are known."""
    # lazy: the council pages' templates, reports and Markdown take a tenth of a second to load, which a
    # build with nothing to do need not spend.
    from generator.steps import council

    problems: list[Problem] = blog_checks.validate(project) + council.validate(project)
    if council_held:
        problems = [p for p in problems if not kept_back.council_owned(p, project.root)]
    for warning in colour_warnings(project.programme.branding):
        log.warning("%s", warning)
    if logo := logo_problem(project.root, project.programme.branding):
        problems.append(logo)
    if problems:
        raise ConfigError(problems)


class CouncilPages:
    """The council pages step, run by the main process while the workers build the blogs."""

    def __init__(self, plan: Plan, stale: list[str], keep: Callable[[], bool], keep_going: bool = False):
        self.plan, self.keep, self.keep_going = plan, keep, keep_going
        self.stale_blogs = cache.blogs_in(plan.project, stale)
        self.waiting = False
        self.seconds: list[float] = []

    @property
    def held(self) -> bool:
        """Whether the council pages are kept back (--keep-going), at their last good build."""
        return any(k.blog is None for k in self.plan.kept_back)

    def check_then_build(self) -> None:
        # A problem found here stops the build before any part the workers made is kept.
        # A blog whose inputs are unchanged passed these checks when it was last built.
        plan = self.plan
        validate(plan.project.model_copy(update={"blogs": self.stale_blogs}), council_held=self.held)
        zone = plan.project.programme.site.timezone
        items = pending.council_items(plan.project)
        plan.pending.update({cache.blog_part(b): pending.posts_pending(b, zone, plan.now, items,
                                                                plan.project.programme.pre_election)
                             for b in self.stale_blogs})
        if self.held:
            return
        plan.keys[cache.COUNCIL_PART] = plan.inputs.council(pending.blog_states(plan))
        if plan.fresh(cache.COUNCIL_PART):
            return
        # The council pages read the posts, not the built blogs, so they need not wait for
        # them, except to reuse the word counts the blog build makes when there are many.
        from generator.steps import words  # lazy: as council in validate()

        bodies = [p.body for b in self.stale_blogs for p in posts.read_all(b.content_dir, zone)[0]]
        if words.uncounted(bodies) > COUNT_WHILE_BUILDING:
            self.waiting = True
        else:
            self._build()

    def build_if_waiting(self, again: bool = False) -> None:
        """Build the pages if they waited for the blogs, or ``again`` if they may show what a blog
        kept back since has not published (they are then reused only if already built so)."""
        plan = self.plan
        if again and not self.waiting and not self.held:
            plan.keys[cache.COUNCIL_PART] = plan.inputs.council(pending.blog_states(plan))
            self.waiting = not plan.fresh(cache.COUNCIL_PART)
        if self.waiting:
            self._build()

    def _build(self) -> None:
        from jinja2 import FileSystemBytecodeCache  # lazy: as council in validate()

        from generator.steps import council  # lazy: as in validate()

        plan, start = self.plan, time.perf_counter()
        output = plan.kept.new_folder(cache.COUNCIL_PART)
        # Compiled templates are kept with the blogs' (the names differ, so they never mix).
        templates = plan.work_dir / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        # A kept-back blog's posts are shown only where its published version has their pages,
        # and a blog left out of the site is left out of these pages too.
        published = {part: plan.kept.folder(part) for part in plan.held if part in plan.keys}
        shown = plan.project.model_copy(update={"blogs": [
            b for b in plan.project.blogs if cache.blog_part(b) not in plan.held or cache.blog_part(b) in published]})
        try:
            council.build_council_pages(shown, output, plan.site_url, plan.day, FileSystemBytecodeCache(str(templates)),
                                        {b.slug: published[cache.blog_part(b)] for b in shown.blogs
                                         if cache.blog_part(b) in published})
        except ConfigError as error:
            # With --keep-going, a council item that cannot be read keeps the pages back too.
            if not self.keep_going or not all(kept_back.council_owned(p, plan.project.root) for p in error.problems):
                raise
            kept_back.hold_council(plan, error.problems)
            return
        if self.keep():
            plan.keep(cache.COUNCIL_PART, output, pending.council_pending(plan.project, plan.now))
        self.seconds.append(time.perf_counter() - start)

    def report(self) -> None:
        for seconds in self.seconds:
            log.info("Built the council pages in %.1f s", seconds)
