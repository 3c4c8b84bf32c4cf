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
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from jinja2 import pass_context
from jinja2.runtime import Context


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


@pass_context
def local(context: Context, target: Any) -> str:
    """Jinja filter: ``target`` relative to the page being written (``here``, or else ``page_url``)."""
    here = context.get("here") or context["page_url"]
    return relative_url(str(target), str(here), str(context["site_url"]))
