"""When the built site changes by itself, with no file edited: what makes a kept part expire.

A post or page dated in the future appears when its time comes; council news quoted in a post
comes out, or is held for the pre-election period; the council pages count the posts still to
appear. Every part's cache entry keeps those times (``cache.Entry.pending``), and so does the
quick check's record, which also ends with the day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator.build import cache
from generator.inputs import news, posts
from generator.inputs.config import Blog, Period, Project
from generator.inputs.news import Item

if TYPE_CHECKING:
    from generator.build import Plan


def council_items(project: Project) -> list[Item]:
    return news.read_items(project.root, project.programme.site.timezone)[0]


def council_pending(project: Project, now: dt.datetime) -> tuple[dt.datetime, ...]:
    """Council news dated in the future goes live by itself, so the council pages are rebuilt then."""
    return tuple(sorted(item.date for item in council_items(project) if item.date > now))


def posts_pending(blog: Blog, timezone: str, now: dt.datetime, items: list[Item],
                  period: Period | None) -> tuple[dt.datetime, ...]:
    """When the blog's output changes by itself: posts and pages dated in the future appear, and
    council news quoted in a post comes out, or is held for the pre-election period."""
    files = posts.post_files(blog.content_dir) + posts.page_files(blog.content_dir)
    found = [p for p in (posts.read(path, timezone)[0] for path in files) if p is not None and not p.is_draft]
    changes = [p.date for p in found if p.date > now] + news.quote_changes(found, items, period, now)
    return tuple(sorted(set(changes)))


def blog_states(plan: Plan) -> list[tuple[str, str, int]]:
    """Each blog's key and how many of its posts are still to appear: what the council pages depend on."""
    states = []
    for blog in plan.project.blogs:
        part = cache.blog_part(blog)
        if part in plan.pending:
            waiting = len(plan.pending[part])
        else:
            entry = plan.kept.entry(part)
            waiting = len(entry.pending) if entry else 0
        # A kept-back blog's posts are read from its files and shown as its published version has them.
        held = plan.held.get(part)
        states.append((part, f"{held} kept back as {plan.keys.get(part)}" if held else plan.keys[part], waiting))
    return states


def valid_until(plan: Plan) -> dt.datetime:
    """Until when the site just built is the one a build would make: the first time a part's
    output changes by itself, or the next midnight (UTC for the handbook's sitemap, local for
    the council pages), whichever comes first."""
    zone = ZoneInfo(plan.project.programme.site.timezone)
    midnights = [dt.datetime.combine(plan.now.astimezone(z).date() + dt.timedelta(days=1), dt.time(), z)
                 for z in (dt.UTC, zone)]
    due = [when for part in plan.keys if (entry := plan.kept.entry(part)) for when in entry.pending]
    return min(midnights + due)
