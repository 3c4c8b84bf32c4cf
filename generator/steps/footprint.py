"""The digital footprint report: what each councillor publishes and shares, and how that changes.

Figures come from the posts and the syndication ledger at build time. History comes from
snapshots in ``footprint/snapshots/`` beside programme.yml: ``councillor footprint`` writes
one small JSON file per day it runs, and they are committed, so the trend survives rebuilds
on a fresh machine. Listening data (followers, and the replies and likes since the snapshot
before) per network comes from each blog's listening record, which ``councillor listen``
keeps; the report shows those figures wherever a snapshot carries them.

Words are counted as a reader sees them (see ``generator.words``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.inputs import posts
from generator.inputs.config import Blog, Project
from generator.inputs.networks import NETWORKS
from generator.inputs.snapshots import CouncillorSnapshot, PlatformSnapshot, Snapshot, snapshot_dir
from generator.inputs.urls import blog_url
from generator.steps.check import Result, Share, Today, check_blog
from generator.steps.words import count_words
from generator.syndication import listening

# The handbook's "Measuring your footprint" guide already lives at footprint/.
SNAPSHOT_DIR = Path("footprint") / "snapshots"
MONTHS_SHOWN = 12
LISTENING_FIELDS = ("followers", "replies", "likes")


# --- Months ----------------------------------------------------------------------------------


def month_keys(day: dt.date, count: int = MONTHS_SHOWN) -> list[str]:
    """The ``count`` months up to and including ``day``'s, oldest first, as YYYY-MM."""
    year, month = day.year, day.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def month_label(key: str) -> str:
    return dt.date.fromisoformat(f"{key}-01").strftime("%b %Y")


@dataclass(frozen=True)
class Month:
    key: str
    posts: int
    words: int

    @property
    def label(self) -> str:
        return month_label(self.key)


@dataclass(frozen=True)
class PlatformReport:
    network: str
    label: str
    configured: bool
    syndicates: bool
    shared: int
    failed: int
    last_shared: dt.datetime | None
    used: bool
    listening: dict[str, int] = field(default_factory=dict)

    @property
    def success_rate(self) -> float | None:
        attempts = self.shared + self.failed
        return self.shared / attempts if attempts else None


@dataclass(frozen=True)
class Point:
    """One day in a trend: from a snapshot, or the build itself for the last one."""

    day: dt.date
    posts: int
    words: int
    two_platforms: int
    followers: int | None


@dataclass(frozen=True)
class CouncillorReport:
    slug: str
    name: str
    ward: str
    blog_url: str
    posts: int
    words: int
    months: list[Month]
    tags: list[tuple[str, int]]
    last_post: dt.date | None
    days_since_last_post: int | None
    platforms: list[PlatformReport]
    check: Result
    history: list[Point]
    listening_as_of: dt.date | None

    @property
    def words_per_post(self) -> int:
        return round(self.words / self.posts) if self.posts else 0


@dataclass(frozen=True)
class CohortReport:
    day: dt.date
    councillors: list[CouncillorReport]
    months: list[Month]
    tags: list[tuple[str, int]]
    platforms: list[tuple[str, int, int]]
    history: list[Point]

    @property
    def two_platforms(self) -> int:
        return sum(1 for c in self.councillors if c.check.ok)


def _listening(snapshots: list[Snapshot], slug: str, day: dt.date) -> tuple[dt.date | None, dict[str, dict]]:
    """The latest listening figures for a councillor on or before ``day``, per network."""
    for snapshot in reversed(snapshots):
        entry = snapshot.councillors.get(slug)
        if snapshot.date > day or entry is None:
            continue
        figures = {
            network: {name: getattr(p, name) for name in LISTENING_FIELDS if getattr(p, name) is not None}
            for network, p in entry.platforms.items()
        }
        figures = {network: f for network, f in figures.items() if f}
        if figures:
            return snapshot.date, figures
    return None, {}


def _followers(entry: CouncillorSnapshot | None) -> int | None:
    if entry is None:
        return None
    counts = [p.followers for p in entry.platforms.values() if p.followers is not None]
    return sum(counts) if counts else None


def councillor_report(project: Project, blog: Blog, published: list[posts.Post], shares: list[Share],
                      when: Today, snapshots: list[Snapshot], site_url: str) -> CouncillorReport:
    zone = when.cutoff.tzinfo
    keys = month_keys(when.day)
    per_month: dict[str, list[int]] = {key: [0, 0] for key in keys}
    words_total, tags = 0, Counter()
    for post in published:
        words = count_words(post.body)
        words_total += words
        tags.update(post.meta.tags)
        key = f"{post.date.astimezone(zone):%Y-%m}"
        if key in per_month:
            per_month[key][0] += 1
            per_month[key][1] += words
    result = check_blog(blog, published, shares, when)
    listening_day, listening = _listening(snapshots, blog.slug, when.day)
    by_network = {p.network: p for p in result.platforms}
    networks = [*blog.councillor.platforms, *sorted({s.network for s in shares} - set(blog.councillor.platforms))]
    platforms = []
    for name in networks:
        mine = [s for s in shares if s.network == name and (s.at is None or s.at.date() <= when.day)]
        use = by_network.get(name)
        platforms.append(PlatformReport(
            network=name,
            label=NETWORKS[name].label if name in NETWORKS else name,
            configured=use is not None,
            syndicates=use.syndicates if use else False,
            shared=sum(1 for s in mine if s.ok),
            failed=sum(1 for s in mine if not s.ok),
            last_shared=use.last_shared if use else max((s.at for s in mine if s.ok and s.at), default=None),
            used=use.used if use else False,
            listening=listening.get(name, {}),
        ))
    today_snapshot = next((s for s in snapshots if s.date == when.day), None)
    history = [
        Point(s.date, entry.posts, entry.words, int(entry.two_platforms), _followers(entry))
        for s in snapshots if s.date < when.day and (entry := s.councillors.get(blog.slug))
    ]
    history.append(Point(when.day, len(published), words_total, int(result.ok),
                         _followers(today_snapshot.councillors.get(blog.slug) if today_snapshot else None)))
    return CouncillorReport(
        slug=blog.slug,
        name=blog.councillor.name,
        ward=blog.councillor.ward,
        blog_url=blog_url(site_url, blog.slug) + "/",
        posts=len(published),
        words=words_total,
        months=[Month(key, *per_month[key]) for key in keys],
        tags=sorted(tags.items(), key=lambda t: (-t[1], t[0])),
        last_post=result.last_post,
        days_since_last_post=(when.day - result.last_post).days if result.last_post else None,
        platforms=platforms,
        check=result,
        history=history,
        listening_as_of=listening_day,
    )


def cohort_report(when: Today, councillors: list[CouncillorReport], snapshots: list[Snapshot]) -> CohortReport:
    keys = month_keys(when.day)
    months = [Month(key, sum(c.months[i].posts for c in councillors), sum(c.months[i].words for c in councillors))
              for i, key in enumerate(keys)]
    tags: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for c in councillors:
        tags.update(dict(c.tags))
        for p in c.platforms:
            shared[p.label] += p.shared
            failed[p.label] += p.failed
    history = []
    for s in snapshots:
        if s.date >= when.day:
            continue
        entries = list(s.councillors.values())
        followers = [f for e in entries if (f := _followers(e)) is not None]
        history.append(Point(s.date, sum(e.posts for e in entries), sum(e.words for e in entries),
                             sum(1 for e in entries if e.two_platforms), sum(followers) if followers else None))
    current = [c.history[-1] for c in councillors]
    followers_now = [p.followers for p in current if p.followers is not None]
    history.append(Point(when.day, sum(p.posts for p in current), sum(p.words for p in current),
                         sum(p.two_platforms for p in current), sum(followers_now) if followers_now else None))
    return CohortReport(
        day=when.day,
        councillors=sorted(councillors, key=lambda c: (c.ward, c.name)),
        months=months,
        tags=sorted(tags.items(), key=lambda t: (-t[1], t[0])),
        platforms=sorted(((label, shared[label], failed[label]) for label in shared), key=lambda p: -p[1]),
        history=history,
    )


# --- Snapshots written by `councillor footprint` ----------------------------------------------


def make_snapshot(report: CohortReport, previous: Snapshot | None, records: dict[str, Any] | None = None,
                  since: dt.date | None = None) -> Snapshot:
    """Today's figures. Listening data comes from each blog's listening record (``records``: slug -> Record,
    read since the snapshot before, on ``since``); where a record has none for a network, any figures already
    entered by hand in today's file are kept."""
    councillors = {}
    # By folder name, so that a new councillor is one added block in the file's diff.
    for c in sorted(report.councillors, key=lambda c: c.slug):
        earlier = previous.councillors.get(c.slug) if previous else None
        record = (records or {}).get(c.slug)
        platforms = {}
        for p in c.platforms:
            kept = earlier.platforms.get(p.network) if earlier else None
            listening = {name: getattr(kept, name) for name in LISTENING_FIELDS} if kept else {}
            heard = record.figures(p.network, report.day, since) if record is not None else {}
            if heard:
                listening = {name: heard.get(name) for name in LISTENING_FIELDS}
            platforms[p.network] = PlatformSnapshot(shared=p.shared, failed=p.failed, **listening)
        councillors[c.slug] = CouncillorSnapshot(posts=c.posts, words=c.words,
                                                 days_since_last_post=c.days_since_last_post,
                                                 two_platforms=c.check.ok, platforms=platforms)
    return Snapshot(date=report.day, councillors=councillors)


def listening_records(project: Project) -> dict[str, Any]:
    """Each blog's listening record (see generator.syndication.listening); an unreadable one is left out."""
    records = {}
    for blog in project.blogs:
        try:
            records[blog.slug] = listening.Record.load(blog.folder)
        except listening.ListeningError:
            continue
    return records


def write_snapshot(project: Project, report: CohortReport, snapshots: list[Snapshot]) -> Path:
    previous = next((s for s in snapshots if s.date == report.day), None)
    since = max((s.date for s in snapshots if s.date < report.day), default=None)
    snapshot = make_snapshot(report, previous, listening_records(project), since)
    path = snapshot_dir(project) / f"{report.day.isoformat()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snapshot.model_dump_json(indent=2, exclude_none=True) + "\n", encoding="utf-8")
    return path


def collect(project: Project, published: list[tuple[Blog, list[posts.Post]]], shares: dict[str, list[Share]],
            when: Today, snapshots: list[Snapshot], site_url: str) -> CohortReport:
    councillors = [councillor_report(project, blog, found, shares.get(blog.slug, []), when, snapshots, site_url)
                   for blog, found in published]
    return cohort_report(when, councillors, snapshots)
