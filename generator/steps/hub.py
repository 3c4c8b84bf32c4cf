"""The council hub: the latest posts from every councillor, for the communications team to reshare.

Posts marked ``political: true`` never appear, and during the pre-election period no
councillor's post does. Summaries are cleaned with nh3 (the ammonia sanitiser) down to a
few harmless tags, because a councillor's raw HTML must never run on a council page.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3
from jinja2 import Environment

from generator.inputs import news, posts
from generator.inputs.config import Blog
from generator.inputs.urls import blog_url, post_url
from generator.steps import markup

HUB_URL_PATH = "hub"
FEED_NAME = "feed.atom.xml"
#: Enough for a fortnight of a busy cohort; older posts are a click away on each blog.
HUB_LIMIT = 40
#: Posts on each page of the hub: forty in one list is metres of scrolling on a phone.
PAGE_SIZE = 10
SUMMARY_WORDS = 50
SUMMARY_TAGS = {"p", "a", "em", "strong", "code", "br", "abbr"}
SAFE_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True)
class HubPost:
    title: str
    url: str
    date: dt.datetime
    councillor: str
    ward: str
    blog_url: str
    summary_html: str
    tags: list[str]


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # A relative link in a summary points somewhere else once the summary sits on the hub.
    if tag == "a" and attribute == "href" and not value.startswith(SAFE_SCHEMES):
        return None
    return value


def sanitise(fragment: str) -> str:
    """Keep text, paragraphs, emphasis and absolute links; drop everything else, scripts with their content."""
    return nh3.clean(
        fragment,
        tags=SUMMARY_TAGS,
        attributes={"a": {"href"}, "abbr": {"title"}},
        attribute_filter=_absolute_links_only,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


def summary_html(post: posts.Post) -> str:
    """The post's summary, or else its opening words, as sanitised HTML."""
    if post.meta.summary:
        try:
            return sanitise(markup.render(post.meta.summary))
        except markup.TooSlow:
            return ""
    # A quoted council item is the council's words, not the councillor's, and may not be out yet.
    body = news.without_shortcodes(post.body)
    try:
        rendered = markup.render(body)
    except markup.TooSlow:
        # The blog build refuses this post with its file and line; the hub just leaves its words out.
        rendered = ""
    text = html.unescape(nh3.clean(rendered, tags=set()))
    words = text.split()
    opening = " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
    return f"<p>{html.escape(opening)}</p>"


def hub_posts(published: list[tuple[Blog, list[posts.Post]]], site_url: str) -> list[HubPost]:
    """The newest non-political posts across every blog, newest first."""
    candidates = [(blog, post) for blog, found in published for post in found if not post.meta.political]
    # Chosen before their summaries are made: a cohort has thousands of posts and the hub shows a few.
    newest = sorted(candidates, key=lambda pair: pair[1].date, reverse=True)[:HUB_LIMIT]
    return [
        HubPost(
            title=post.meta.title,
            url=post_url(site_url, blog.slug, post),
            date=post.date,
            councillor=blog.councillor.name,
            ward=blog.councillor.ward,
            blog_url=blog_url(site_url, blog.slug) + "/",
            summary_html=summary_html(post),
            tags=list(post.meta.tags),
        )
        for blog, post in newest
    ]


def write_hub(env: Environment, context: dict[str, Any], output: Path, entries: list[HubPost],
              items: list[Any], paused: bool, updated: dt.datetime) -> None:
    """hub/ (council news to share, then the newest posts), hub/<n>/ for older posts, and
    hub/feed.atom.xml with every post; while ``paused`` they carry the notice and no posts."""
    shown = [] if paused else entries
    hub_url = f"{context['site_url']}{HUB_URL_PATH}/"
    pages = [shown[start:start + PAGE_SIZE] for start in range(0, len(shown), PAGE_SIZE)] or [[]]
    urls = [hub_url if number == 1 else f"{hub_url}{number}/" for number in range(1, len(pages) + 1)]
    common = {**context, "items": items, "paused": paused, "hub_url": hub_url, "feed_url": f"{hub_url}{FEED_NAME}"}
    folder = output / HUB_URL_PATH
    for index, page in enumerate(pages):
        target = folder if index == 0 else folder / str(index + 1)
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(env.get_template("hub.html").render(
            **common, entries=page, page_url=urls[index], page_number=index + 1, page_count=len(pages),
            newer=urls[index - 1] if index else None, older=urls[index + 1] if index + 1 < len(pages) else None,
            first_number=index * PAGE_SIZE + 1), encoding="utf-8")
    latest = max((e.date for e in shown), default=updated)
    (folder / FEED_NAME).write_text(env.get_template("hub.atom.xml").render(
        **common, entries=shown, page_url=hub_url, updated=latest), encoding="utf-8")
