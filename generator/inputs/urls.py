"""Addresses between the site's own pages, written relative so a copy served anywhere is whole.

The site is published at ``site.url``, but the same build is also opened from a preview, a
staging copy or ``http://127.0.0.1:8000/``. Under the pages' ``default-src 'self'`` policy an
absolute address of the published site would fetch nothing from anywhere else, so every page
reaches the site's files (styles, scripts, pictures) and pages by a relative address. Only the
addresses that must name the published site stay absolute: canonical links, Open Graph, feeds
and sitemaps.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from generator.inputs.config import Project
    from generator.inputs.posts import Post

#: Where the blogs live in the site: <site>/councillors/<slug>/.
BLOGS_URL_PATH = "councillors"
#: Where the council's footprint report lives.
FOOTPRINT_URL_PATH = "footprint-report"


def site_url_for(project: Project, base_url: str | None = None) -> str:
    """The address the site is built for: ``--base-url`` if given, else the programme's, ending in '/'."""
    url = base_url or project.programme.site.url
    return url.rstrip("/") + "/"


def blog_url(site_url: str, slug: str) -> str:
    """The public address of a blog, without a trailing slash (Pelican's SITEURL form)."""
    return f"{site_url}{BLOGS_URL_PATH}/{slug}"


def post_path(post: Post) -> str:
    """Where a post lives inside its blog; the blog step's ARTICLE_URL says the same to Pelican."""
    return f"{post.date:%Y/%m}/{post.slug}/"


def post_url(site_url: str, slug: str, post: Post) -> str:
    """The public address of a post of the blog ``slug``."""
    return f"{blog_url(site_url, slug)}/{post_path(post)}"


def relative_url(target: str, here: str, site_url: str) -> str:
    """``target`` as seen from the page at ``here``, if both are inside ``site_url``; else unchanged."""
    if not (target.startswith(site_url) and here.startswith(site_url)):
        return target
    parts = urlsplit(target)
    page_folder = urlsplit(here).path.rsplit("/", 1)[0] or "/"
    path = posixpath.relpath(parts.path, page_folder)
    if parts.path.endswith("/"):
        path = "./" if path == "." else path + "/"
    return urlunsplit(("", "", path, parts.query, parts.fragment))
