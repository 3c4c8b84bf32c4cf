"""The council's own pages: the councillors index, the hub, the footprint report, council news and short links.

Everything here looks at one day, the build's date (today unless ``--date`` says otherwise),
so a build can be checked as it will look inside the pre-election period.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from generator.exceptions import Problem
from generator.inputs import news, posts, snapshots, urls
from generator.inputs.colours import brand_colours
from generator.inputs.config import Blog, Project, logo_file
from generator.inputs.layout import toolkit_path
from generator.inputs.urls import BLOGS_URL_PATH, FOOTPRINT_URL_PATH
from generator.steps import check, footprint, footprint_pages, hub, news_pages, sitemaps
from generator.steps.councillor import councillor_context

log = logging.getLogger("generator")


def environment(project: Project, templates: BytecodeCache | None = None) -> Environment:
    """The council pages' templates; ``templates`` keeps them compiled between builds."""
    env = Environment(
        loader=FileSystemLoader([toolkit_path(project.root, "themes/council/templates")]),
        bytecode_cache=templates,
        autoescape=select_autoescape(),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda value: f"{value:%-d %B %Y}" if value else ""
    env.filters["short_day"] = lambda value: f"{value:%-d %b %Y}" if value else ""
    env.filters["percent"] = lambda value: "" if value is None else f"{round(value * 100)}%"
    env.filters["apostrophes"] = apostrophes
    env.filters["local"] = local
    return env


def apostrophes(text: str) -> str:
    """A title's straight apostrophes as the typographic ones the pages' own words use (year’s, O’Connor)."""
    return re.sub(r"(?<=\w)'(?=\w|\s|$)", "\u2019", text)


@pass_context
def local(context: Context, target: Any) -> str:
    """Jinja filter: ``target`` relative to the page being written (``here``, or else ``page_url``)."""
    here = context.get("here") or context["page_url"]
    return urls.relative_url(str(target), str(here), str(context["site_url"]))


def page_context(project: Project, site_url: str) -> dict[str, Any]:
    programme = project.programme
    logo = programme.branding.logo
    return {
        "council": programme.council,
        "site": programme.site,
        "site_url": site_url,
        "brand": brand_colours(programme.branding),
        "logo_url": f"{site_url}assets/{Path(logo).name}" if logo else None,
        "logo_alt": programme.branding.logo_alt or programme.council.name,
        "pre_election": programme.pre_election,
        "cohort": programme.cohort,
        "council_pages": [
            (f"{site_url}{hub.HUB_URL_PATH}/", "Council hub"),
            (f"{site_url}{news.NEWS_URL_PATH}/", "Council news"),
            (f"{site_url}{FOOTPRINT_URL_PATH}/", "Digital footprint"),
        ],
    }


def validate(project: Project) -> list[Problem]:
    """Problems in the council items, in quotes of them in posts, and in the footprint snapshots."""
    return news.validate(project) + snapshots.read_snapshots(project)[1]


def published_posts(project: Project, when: check.Today) -> list[tuple[Blog, list[posts.Post]]]:
    return [(blog, check.published_posts(project, blog, when)) for blog in project.blogs]


def only_built(published: list[tuple[Blog, list[posts.Post]]],
               built: Mapping[str, Path]) -> list[tuple[Blog, list[posts.Post]]]:
    """``published`` without the posts of the blogs in ``built`` that their built folder has no page for."""
    return [(blog, [p for p in found if (built[blog.slug] / urls.post_path(p) / "index.html").is_file()]
             if blog.slug in built else found) for blog, found in published]


def footprint_report(project: Project, when: check.Today, site_url: str,
                     published: list[tuple[Blog, list[posts.Post]]] | None = None) -> footprint.CohortReport:
    published = published if published is not None else published_posts(project, when)
    shares = {blog.slug: check.ledger_shares(blog) for blog in project.blogs}
    history, _ = snapshots.read_snapshots(project)
    return footprint.collect(project, published, shares, when, history, site_url)


def build_council_pages(project: Project, output: Path, site_url: str, day: dt.date | None = None,
                        templates: BytecodeCache | None = None, kept_back: Mapping[str, Path] | None = None) -> None:
    """Write the council's pages and the shared assets into ``output``, as of ``day`` (default today).

    ``kept_back``: the built folder of each blog (by slug) published as it last built rather than
    from its files (``councillor build --keep-going``): its posts appear only if that has their page."""
    env = environment(project, templates)
    context = page_context(project, site_url)
    when = check.today(project, day)
    paused = check.in_pre_election(project, when)
    published = only_built(published_posts(project, when), kept_back or {})

    write_councillors_index(env, context, output, project, site_url)
    items, _ = news.read_items(project.root, project.programme.site.timezone)
    views = news_pages.item_views(items, site_url, when.cutoff, paused)
    news_pages.write_pages(env, context, output, views)
    hub.write_hub(env, context, output, hub.hub_posts(published, site_url),
                  [v for v in views if v.state == "live"], paused, when.cutoff)
    footprint_pages.write_pages(env, context, output, footprint_report(project, when, site_url, published))
    sitemaps.write_sitemaps(project, output, site_url)
    if paused:
        log.info(pre_election_notice(project, views))
    copy_assets(project, output)


def pre_election_notice(project: Project, views: list[news_pages.ItemView]) -> str:
    held = sorted(v.item.code for v in views if v.state == "held")
    return check.pre_election_note(project, len(held)) + (f" Held: {', '.join(held)}." if held else "")


def pre_election_reminder(project: Project, site_url: str, day: dt.date | None = None) -> str:
    """The pre-election notice for a build that changed nothing, so a web team still hears it."""
    when = check.today(project, day)
    items, _ = news.read_items(project.root, project.programme.site.timezone)
    return pre_election_notice(project, news_pages.item_views(items, site_url, when.cutoff, True))


def write_councillors_index(env: Environment, context: dict[str, Any], output: Path, project: Project,
                            site_url: str) -> None:
    councillors = sorted(
        (councillor_context(project, blog, site_url) for blog in project.blogs),
        key=lambda c: (c["ward"], c["name"]),
    )
    wards: dict[str, list[dict[str, Any]]] = {}
    for c in councillors:
        wards.setdefault(c["ward"], []).append(c)
    _write(output / BLOGS_URL_PATH / "index.html",
           env.get_template("councillors.html").render(**context, wards=wards, page_url=f"{site_url}{BLOGS_URL_PATH}/"))


def copy_assets(project: Project, output: Path) -> None:
    logo = logo_file(project.root, project.programme.branding)
    if logo is not None:
        (output / "assets").mkdir(parents=True, exist_ok=True)
        shutil.copy2(logo, output / "assets" / logo.name)
    static = toolkit_path(project.root, "themes/council/static")
    if static.is_dir():
        shutil.copytree(static, output / "assets" / "council", dirs_exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
