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

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, ValidationError

from generator import wording
from generator.exceptions import Problem
from generator.inputs import posts
from generator.inputs.config import Blog, Project
from generator.inputs.networks import NETWORKS
from generator.inputs.urls import FOOTPRINT_URL_PATH, blog_url
from generator.steps.check import LISTENING_WINDOW_DAYS, Result, Share, Today, check_blog
from generator.steps.words import count_words
from generator.syndication import listening

# The handbook's "Measuring your footprint" guide already lives at footprint/.
SNAPSHOT_DIR = Path("footprint") / "snapshots"
MONTHS_SHOWN = 12
LISTENING_FIELDS = ("followers", "replies", "likes")


# --- Snapshot files ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class PlatformSnapshot(_Model):
    shared: int = 0
    """Posts shared to the network successfully, up to the snapshot's date."""
    failed: int = 0
    """Attempts to share that failed."""
    followers: int | None = None
    """Listening data: people following the councillor there, when known."""
    replies: int | None = None
    """Listening data: replies to shared posts since the previous snapshot, when known."""
    likes: int | None = None
    """Listening data: likes or favourites of shared posts since the previous snapshot, when known."""


class CouncillorSnapshot(_Model):
    posts: int
    """Published posts on the blog."""
    words: int
    """Words in those posts."""
    days_since_last_post: int | None = None
    """Days from the last post to the snapshot's date."""
    two_platforms: bool
    """Whether the councillor used a blog and a listening platform (the two-platform check)."""
    platforms: dict[str, PlatformSnapshot] = {}
    """Per network."""


class Snapshot(_Model):
    """``footprint/snapshots/YYYY-MM-DD.json``: the cohort's figures on one day."""

    format: Literal[1] = 1
    """The file format's version."""
    date: dt.date
    """The day the figures describe."""
    councillors: dict[str, CouncillorSnapshot] = {}
    """Per blog folder name."""


def snapshot_dir(project: Project) -> Path:
    return project.root / SNAPSHOT_DIR


def read_snapshots(project: Project) -> tuple[list[Snapshot], list[Problem]]:
    snapshots, problems = [], []
    for path in sorted(snapshot_dir(project).glob("*.json")):
        try:
            snapshot = Snapshot.model_validate_json(path.read_text(encoding="utf-8"))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(Problem(path, None, f"is not a footprint snapshot ({where}: {first['msg']})",
                                    "restore it from the repository's history, or delete it"))
            continue
        if path.stem != snapshot.date.isoformat():
            problems.append(Problem(path, None, f"is named for a different day than its date ({snapshot.date})",
                                    f"rename it to {snapshot.date.isoformat()}.json"))
            continue
        snapshots.append(snapshot)
    return sorted(snapshots, key=lambda s: s.date), problems


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


# --- Downloads -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "slug", "name", "ward", "published_posts", "words", "words_per_post", "last_post", "days_since_last_post",
    "detail_platform", "listening_platforms_used", "two_platforms", "shared", "failed", "followers",
]


def councillor_data(c: CouncillorReport) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "name": c.name,
        "ward": c.ward,
        "blog": c.blog_url,
        "published_posts": c.posts,
        "words": c.words,
        "words_per_post": c.words_per_post,
        "last_post": c.last_post.isoformat() if c.last_post else None,
        "days_since_last_post": c.days_since_last_post,
        "two_platforms": c.check.ok,
        "detail_platform": c.check.has_detail,
        "listening_platforms_used": [p.network for p in c.check.listening_used],
        "next_step": c.check.next_step,
        "months": [{"month": m.key, "posts": m.posts, "words": m.words} for m in c.months],
        "tags": dict(c.tags),
        "platforms": [
            {"network": p.network, "configured": p.configured, "automatic_sharing": p.syndicates,
             "shared": p.shared, "failed": p.failed,
             "success_rate": round(p.success_rate, 3) if p.success_rate is not None else None,
             "last_shared": p.last_shared.isoformat() if p.last_shared else None,
             "used_in_window": p.used, **p.listening}
            for p in c.platforms
        ],
        "listening_as_of": c.listening_as_of.isoformat() if c.listening_as_of else None,
        "history": [_point_data(p) for p in c.history],
    }


def _point_data(p: Point) -> dict[str, Any]:
    return {"date": p.day.isoformat(), "posts": p.posts, "words": p.words, "two_platforms": p.two_platforms,
            "followers": p.followers}


def cohort_data(report: CohortReport) -> dict[str, Any]:
    return {
        "date": report.day.isoformat(),
        "listening_window_days": LISTENING_WINDOW_DAYS,
        "councillors_with_two_platforms": report.two_platforms,
        "councillors": [councillor_data(c) for c in report.councillors],
        "months": [{"month": m.key, "posts": m.posts, "words": m.words} for m in report.months],
        "tags": dict(report.tags),
        "history": [_point_data(p) for p in report.history],
    }


def cohort_csv(report: CohortReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in report.councillors:
        followers = c.history[-1].followers
        writer.writerow({
            "slug": c.slug, "name": c.name, "ward": c.ward, "published_posts": c.posts, "words": c.words,
            "words_per_post": c.words_per_post, "last_post": c.last_post.isoformat() if c.last_post else "",
            "days_since_last_post": "" if c.days_since_last_post is None else c.days_since_last_post,
            "detail_platform": _yes(c.check.has_detail),
            "listening_platforms_used": " ".join(p.network for p in c.check.listening_used),
            "two_platforms": _yes(c.check.ok),
            "shared": sum(p.shared for p in c.platforms), "failed": sum(p.failed for p in c.platforms),
            "followers": "" if followers is None else followers,
        })
    return out.getvalue()


def councillor_csv(c: CouncillorReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "posts", "words"])
    writer.writerows([m.key, m.posts, m.words] for m in c.months)
    return out.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# --- Charts --------------------------------------------------------------------------------

# About as wide as a phone's column, so the labels (16 px in reports.css) are shown at 12 px or more
# even on a 320 px screen, where the chart is scaled down to 288 px.
CHART_WIDTH = 370
LABEL_WIDTH = 110
VALUE_WIDTH = 40
ROW_HEIGHT = 28
BAR_HEIGHT = 18


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str) -> Markup:
    """A horizontal bar chart as inline SVG: a picture for sighted readers, named for screen readers.

    ``unit`` is what one bar counts, in the singular (``post``).

    The figures themselves are in the data table the templates put beside every chart, so the
    SVG only needs a title and a one-line description.
    """
    top = max((value for _, value in rows), default=0)
    height = ROW_HEIGHT * len(rows) + 8
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    if top:
        # Every row that shares the highest figure is named: picking the first of a tie misleads.
        peaks = [label for label, value in rows if value == top]
        each = " each" if len(peaks) > 1 else ""
        description = (f"Highest: {wording.joined(peaks)}, {wording.counted(top, unit)}{each}. "
                       "The table beside this chart has every figure.")
    else:
        description = f"Every bar is zero {unit}s. The table beside this chart has every figure."
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        width = round(span * value / top) if top else 0
        middle = y + BAR_HEIGHT / 2
        parts += [
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="central">{escape(label)}</text>',
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1 if value else 0)}" '
            f'height="{BAR_HEIGHT}"/>',
            f'<text class="value" x="{LABEL_WIDTH + width + 6}" y="{middle}" '
            f'dominant-baseline="central">{value}</text>',
        ]
    parts.append("</svg>")
    return Markup("\n".join(parts))


# --- Collecting and writing the report ------------------------------------------------------


def collect(project: Project, published: list[tuple[Blog, list[posts.Post]]], shares: dict[str, list[Share]],
            when: Today, snapshots: list[Snapshot], site_url: str) -> CohortReport:
    councillors = [councillor_report(project, blog, found, shares.get(blog.slug, []), when, snapshots, site_url)
                   for blog, found in published]
    return cohort_report(when, councillors, snapshots)


def write_pages(env: Environment, context: dict[str, Any], output: Path, report: CohortReport) -> None:
    """footprint/ for the cohort and footprint/<slug>/ for each councillor, with their CSV and JSON."""
    env.globals["bar_chart"] = bar_chart
    folder = output / FOOTPRINT_URL_PATH
    folder.mkdir(parents=True, exist_ok=True)
    cohort_url = f"{context['site_url']}{FOOTPRINT_URL_PATH}/"
    common = {**context, "report": report, "cohort_url": cohort_url, "window_days": LISTENING_WINDOW_DAYS}
    (folder / "index.html").write_text(
        env.get_template("footprint.html").render(**common, page_url=cohort_url), encoding="utf-8")
    (folder / "data.csv").write_text(cohort_csv(report), encoding="utf-8")
    (folder / "data.json").write_text(json.dumps(cohort_data(report), indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    for c in report.councillors:
        mine = folder / c.slug
        mine.mkdir(exist_ok=True)
        (mine / "index.html").write_text(
            env.get_template("footprint_councillor.html").render(**common, c=c, page_url=f"{cohort_url}{c.slug}/"),
            encoding="utf-8")
        (mine / "data.csv").write_text(councillor_csv(c), encoding="utf-8")
        (mine / "data.json").write_text(json.dumps(councillor_data(c), indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
