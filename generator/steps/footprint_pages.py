"""The footprint report's pages, downloads (CSV, JSON) and charts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from generator import wording
from generator.inputs.urls import FOOTPRINT_URL_PATH
from generator.steps.check import LISTENING_WINDOW_DAYS
from generator.steps.footprint import CohortReport, CouncillorReport, Point

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
