"""A site built for its published address works from any other: a preview, a staging copy, a sub-path.

The example is built with its own ``site.url`` (https://fenmarsh-council.github.io/networked-councillor/)
and served from loopback under a different path, so any page that still fetched its styles, scripts
or pictures from the published address would show up here unstyled, with console errors and CSP
violations (the browser blocks every other host).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import copy_example, run_cli
from tests.support.browser import open_page
from tests.support.server import serve

PUBLISHED = "https://fenmarsh-council.github.io/networked-councillor/"

# Every stylesheet and picture the page links to has loaded and been applied.
LOADED_JS = """() => ({
    sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map(
        l => { try { return {href: l.href, rules: l.sheet ? l.sheet.cssRules.length : 0}; }
               catch (e) { return {href: l.href, rules: 0}; } }),
    images: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    skipLinkHidden: (() => { const s = document.querySelector('.skip-link');
        return !s || s.getBoundingClientRect().bottom <= 0 || getComputedStyle(s).position !== 'static'; })(),
})"""


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory, example_build: Path):
    root = copy_example(tmp_path_factory.mktemp("portable") / "programme", cache_from=example_build)
    # Grace's blog has a post with a picture; a photo of her too puts every kind of picture on the pages.
    blog = root / "councillor_blogs" / "grace-okonkwo"
    Image.new("RGB", (96, 96), "#00594f").save(blog / "photo.png")
    config = blog / "councillor.yml"
    config.write_text(config.read_text(encoding="utf-8") + "photo: photo.png\n", encoding="utf-8")
    result = run_cli("build", "--root", root)
    assert result.exit_code == 0, result.output
    site = root / "site"
    with serve(site, "/preview/copy/") as url:
        yield site, url


def page_types(site: Path) -> dict[str, str]:
    """One page of each kind, as a path inside the site."""
    blogs = site / "councillors"
    with_photo = next(p.parent for p in sorted(blogs.glob("*/photo.*")))
    slug = with_photo.name
    posts = sorted(p.parent for p in with_photo.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    pictured = next((p for p in posts if 'class="u-photo"' in (p / "index.html").read_text()), posts[0])
    tag = next(p.parent for p in sorted((with_photo / "tags").glob("*/index.html")))
    news = next(p.parent for p in sorted((site / "news").glob("*/index.html")))
    short = next(p.parent for p in sorted((site / "s").glob("*/index.html")))
    footprint = next(p.parent for p in sorted((site / "footprint-report").glob("*/index.html")))
    paths = {
        "handbook home": site,
        "handbook page": site / "accessibility",
        "councillors index": blogs,
        "blog home": with_photo,
        "post": pictured,
        "topics": with_photo / "tags",
        "topic": tag,
        "archive": with_photo / "archives",
        "blog page": with_photo / "about",
        "hub": site / "hub",
        "news index": site / "news",
        "news item": news,
        "short link": short,
        "footprint report": site / "footprint-report",
        "councillor's footprint": footprint,
    }
    assert slug
    return {kind: path.relative_to(site).as_posix() + "/" if path != site else "" for kind, path in paths.items()}


def test_pages_built_for_the_published_address_are_whole_when_served_elsewhere(elsewhere, browser):
    site, url = elsewhere
    assert not url.startswith(PUBLISHED) and "/networked-councillor/" not in url
    failures: dict[str, object] = {}
    for kind, path in page_types(site).items():
        visit = open_page(browser, url + path)
        if kind == "short link":
            # A live item's short link sends the reader on to the item, on the same copy of the site.
            visit.page.wait_for_url(url + "news/**", wait_until="load")
        state = visit.page.evaluate(LOADED_JS)
        problems = {
            "console errors": visit.console_errors,
            "CSP violations": visit.csp_violations(),
            "other hosts": sorted(visit.other_hosts()),
            "stylesheets not applied": [s["href"] for s in state["sheets"] if not s["rules"]],
            "pictures not shown": state["images"],
        }
        if not state["sheets"]:
            problems["no stylesheet"] = [path]
        if not state["skipLinkHidden"]:
            problems["unstyled: the skip link shows"] = [path]
        if not visit.page.url.startswith(url):
            problems["left the served copy"] = [visit.page.url]
        found = {name: value for name, value in problems.items() if value}
        if found:
            failures[kind] = found
        visit.page.context.close()
    assert failures == {}


def test_only_the_addresses_that_must_be_absolute_name_the_published_site(elsewhere):
    """Canonical, Open Graph, feed discovery and sitemap links keep the published address; no other link does."""
    site, _ = elsewhere
    allowed = re.compile(r'<link rel="(canonical|alternate|sitemap)"[^>]*>|<meta [^>]*>')
    absolute = re.compile(r'\b(?:href|src)="' + re.escape(PUBLISHED))
    # The blogs and the council's pages. The share kit is text to post elsewhere, so its links are the
    # published ones; the handbook is MkDocs', whose own links are relative already.
    council = ("councillors", "hub", "news", "s", "footprint-report")
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] in council and "share-kit" not in p.parts]
    assert len(pages) > 100
    offending = {}
    for page in pages:
        rest = allowed.sub("", page.read_text(encoding="utf-8"))
        found = absolute.findall(rest)
        if found:
            offending[page.relative_to(site).as_posix()] = len(found)
    assert offending == {}
