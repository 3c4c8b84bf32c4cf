"""The two-platform check: a blog for detail, plus a network for listening, actually in use.

The pilots found that councillors who combined a detail platform with a listening and
networking platform built bigger networks than those who used either alone, so this is
the one measure the council's engagement team is asked to follow up, councillor by councillor.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import wording
from generator.inputs import news, posts
from generator.inputs.config import Blog, Project, load_project
from generator.inputs.networks import NETWORKS
from generator.syndication import ledger

log = logging.getLogger("generator")

#: A network counts as used when a post was shared to it this recently.
LISTENING_WINDOW_DAYS = 60


@dataclass(frozen=True)
class Today:
    """The day a build or report treats as today, and the latest moment a post may be dated to count.

    ``day`` drives the pre-election period, "days since the last post" and the 60-day window.
    ``cutoff`` never runs ahead of the real clock: the blogs only publish posts whose time has
    come, so a report dated in the future must not count posts that are not on the site yet.
    """

    day: dt.date
    cutoff: dt.datetime


def today(project: Project, day: dt.date | None = None) -> Today:
    zone = ZoneInfo(project.programme.site.timezone)
    now = dt.datetime.now(zone)
    if day is None or day == now.date():
        return Today(now.date(), now)
    end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59), zone)
    return Today(day, min(end_of_day, now))


def in_pre_election(project: Project, when: Today) -> bool:
    period = project.programme.pre_election
    return period is not None and period.contains(when.day)


@dataclass(frozen=True)
class Share:
    """One post shared to one network, as the syndication ledger records it."""

    post: str
    network: str
    ok: bool
    at: dt.datetime | None
    url: str | None = None


def ledger_shares(blog: Blog) -> list[Share]:
    """What the syndication ledger in the blog's folder says was shared or failed, oldest first.

    Only finished attempts count: ``done`` rows as shared, ``error`` rows as failed. Dry-run
    previews and sends still pending say nothing about whether the network is in use.
    """
    try:
        data = ledger.load(blog.folder).data
    except ledger.LedgerError as error:
        log.warning("%s; the footprint and the check count nothing as shared for %s", error, blog.councillor.name)
        return []
    shares = []
    for key, entry in data.get("posts", {}).items():
        for network, row in entry.get("networks", {}).items():
            status = row.get("status")
            if status == ledger.DONE:
                shares.append(Share(entry.get("slug", key), network, True, _moment(row.get("done_at")),
                                    row.get("remote_url")))
            elif status == ledger.ERROR:
                shares.append(Share(entry.get("slug", key), network, False, _moment(row.get("attempted_at"))))
    return sorted(shares, key=lambda s: s.at or dt.datetime.min.replace(tzinfo=dt.UTC))


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class PlatformUse:
    network: str
    label: str
    #: The project can post there itself (otherwise the councillor shares by hand with the share kit).
    automated: bool
    syndicates: bool
    last_shared: dt.datetime | None
    last_failed: dt.datetime | None
    used: bool


@dataclass(frozen=True)
class Result:
    """One councillor's two-platform status, with what to do next when it falls short."""

    slug: str
    name: str
    ward: str
    published_posts: int
    last_post: dt.date | None
    platforms: list[PlatformUse] = field(default_factory=list)

    @property
    def has_detail(self) -> bool:
        return self.published_posts > 0

    @property
    def listening_used(self) -> list[PlatformUse]:
        return [p for p in self.platforms if p.used]

    @property
    def has_listening(self) -> bool:
        return bool(self.listening_used)

    @property
    def ok(self) -> bool:
        return self.has_detail and self.has_listening

    @property
    def next_step(self) -> str | None:
        """A plain-English next step, or None when both platforms are in use."""
        if self.ok:
            return None
        steps = []
        if not self.has_detail:
            steps.append("publish a first post on your blog, so people have somewhere to read the detail")
        if not self.platforms:
            steps.append("add a listening platform, such as Mastodon, Bluesky or a Facebook Page, under "
                         "'platforms:' in your councillor.yml, so your posts reach people where they talk")
        elif not self.has_listening:
            steps.append(_listening_step(self.platforms))
        text = "; then ".join(steps)
        return text[0].upper() + text[1:] + "."


def _listening_step(platforms: list[PlatformUse]) -> str:
    names = _join([p.label for p in platforms])
    automatic = [p for p in platforms if p.automated and p.syndicates]
    failing = [p for p in automatic if p.last_failed and (not p.last_shared or p.last_failed > p.last_shared)]
    if failing:
        worst = failing[0]
        return (f"sharing to {worst.label} last failed on {_day(worst.last_failed)}: ask the engagement officer "
                f"to check the account's sign-in, then share your next post")
    shared = [p.last_shared for p in platforms if p.last_shared]
    if shared:
        return (f"share a post to {names}: nothing has gone out there in the last {LISTENING_WINDOW_DAYS} days "
                f"(the last was on {_day(max(shared))})")
    if automatic:
        return f"share your next post to {names}: nothing has gone out there yet"
    switched_off = [p.label for p in platforms if p.automated]
    if switched_off:
        return (f"turn on sharing to {_join(switched_off)} ('syndicate: true' under the network in councillor.yml), "
                f"or share your posts by hand with the share kit")
    return (f"share your posts to {names} with the share kit and record each one with 'councillor shared', "
            f"or add a network the project can post to for you, such as Mastodon or Bluesky")


def _day(moment: dt.datetime | None) -> str:
    return f"{moment:%-d %B %Y}" if moment else ""


def _join(words: list[str], conjunction: str = "or") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def check_blog(blog: Blog, published: Iterable[posts.Post], shares: Iterable[Share], when: Today) -> Result:
    live = sorted(published, key=lambda p: p.date)
    window_start = dt.datetime.combine(when.day - dt.timedelta(days=LISTENING_WINDOW_DAYS), dt.time(),
                                       when.cutoff.tzinfo)
    window_end = dt.datetime.combine(when.day, dt.time(23, 59, 59), when.cutoff.tzinfo)
    last: dict[str, dt.datetime] = {}
    failed: dict[str, dt.datetime] = {}
    for share in shares:
        if share.at and share.at <= window_end:
            latest = last if share.ok else failed
            latest[share.network] = max(share.at, latest.get(share.network, share.at))
    councillor = blog.councillor
    platforms = [
        PlatformUse(
            network=name,
            label=NETWORKS[name].label,
            automated=NETWORKS[name].automated,
            syndicates=councillor.syndicates_to(name),
            last_shared=last.get(name),
            last_failed=failed.get(name),
            used=name in last and last[name] >= window_start,
        )
        for name in councillor.platforms
    ]
    return Result(
        slug=blog.slug,
        name=councillor.name,
        ward=councillor.ward,
        published_posts=len(live),
        last_post=live[-1].date.date() if live else None,
        platforms=platforms,
    )


def published_posts(project: Project, blog: Blog, when: Today) -> list[posts.Post]:
    found, _ = posts.read_all(blog.content_dir, project.programme.site.timezone)
    return [p for p in found if p.is_published(when.cutoff)]


def check_project(project: Project, when: Today) -> list[Result]:
    return [check_blog(blog, published_posts(project, blog, when), ledger_shares(blog), when)
            for blog in project.blogs]


def report(project: Project, results: list[Result], when: Today, held_items: int = 0) -> list[str]:
    """The check as lines of plain English: each councillor, then the cohort, then the pre-election note."""
    lines = []
    for r in sorted(results, key=lambda r: r.name):
        if r.ok:
            using = _join([p.label for p in r.listening_used], "and")
            blog = wording.counted(r.published_posts, "published post")
            lines.append(f"OK       {r.name} ({r.ward}): a blog with {blog}, shared to {using}.")
        else:
            lines.append(f"NOT YET  {r.name} ({r.ward}): {r.next_step}")
    short = [r for r in results if not r.ok]
    lines.append("")
    lines.append(f"Cohort: {len(results) - len(short)} of {len(results)} councillors use a blog and a listening "
                 f"platform (shared to in the {LISTENING_WINDOW_DAYS} days to {when.day:%-d %B %Y}).")
    if in_pre_election(project, when):
        lines.append(pre_election_note(project, held_items))
    return lines


def pre_election_note(project: Project, held_items: int) -> str:
    period = project.programme.pre_election
    assert period is not None
    held = {0: "no council items are held", 1: "1 council item is held"}.get(
        held_items, f"{held_items} council items are held")
    return (f"Pre-election period ({period.start:%-d %B %Y} to {period.end:%-d %B %Y}): the council hub is not "
            f"promoting councillors' posts, and {held} until it ends.")


def run(root: Path, day: dt.date | None = None) -> tuple[list[str], list[Result]]:
    """``councillor check``: the report's lines and the results behind them."""
    project = load_project(root)
    when = today(project, day)
    held = 0
    if in_pre_election(project, when):
        items, _ = news.read_items(project.root, project.programme.site.timezone)
        held = sum(1 for item in items if item.state(when.cutoff, pre_election=True) == "held")
    results = check_project(project, when)
    return report(project, results, when, held), results
