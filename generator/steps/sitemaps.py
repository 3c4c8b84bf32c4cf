"""The site's root ``sitemap.xml`` and ``robots.txt``, written with the council pages.

The handbook, each blog and the council pages are built apart and reused apart, so each keeps
a sitemap of its own, and the root ``sitemap.xml`` is a sitemap index naming them all
(https://www.sitemaps.org/protocol.html#index). The council pages write it because they are
rebuilt whenever a blog is added or removed, and know every blog's address.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from generator.inputs.config import Project
from generator.inputs.urls import BLOGS_URL_PATH

#: What MkDocs writes as sitemap.xml is renamed to this, so that the root name can be the index.
HANDBOOK_SITEMAP = "sitemap-handbook.xml"
COUNCIL_SITEMAP = "sitemap-council.xml"
#: Short link pages only send the browser on; the page they lead to is listed instead.
UNLISTED = ("s/",)


def council_urls(output: Path, site_url: str) -> list[str]:
    """Every council page in ``output``, by its address."""
    urls = []
    for page in sorted(output.rglob("index.html")):
        rel = page.parent.relative_to(output).as_posix()
        path = "" if rel == "." else rel + "/"
        if not path.startswith(UNLISTED):
            urls.append(site_url + path)
    return urls


def urlset(urls: list[str]) -> str:
    rows = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n')


def sitemap_index(urls: list[str]) -> str:
    rows = "".join(f"  <sitemap><loc>{escape(url)}</loc></sitemap>\n" for url in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n')


def write_sitemaps(project: Project, output: Path, site_url: str) -> None:
    """The council pages' sitemap, the root index of every part's sitemap, and robots.txt."""
    (output / COUNCIL_SITEMAP).write_text(urlset(council_urls(output, site_url)), encoding="utf-8")
    blogs = [f"{site_url}{BLOGS_URL_PATH}/{blog.slug}/sitemap.xml" for blog in project.blogs]
    parts = [site_url + HANDBOOK_SITEMAP, site_url + COUNCIL_SITEMAP, *blogs]
    (output / "sitemap.xml").write_text(sitemap_index(parts), encoding="utf-8")
    # Every page is public; crawlers are only told where the sitemap is.
    (output / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n",
                                       encoding="utf-8")
