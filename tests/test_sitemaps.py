"""The root sitemap reaches every public page, robots.txt names it, and no page links to a preview address."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: Pages no search engine should list: short links only send the browser on, and the print view
#: repeats the handbook's own pages.
NOT_LISTED = ("s/", "print_page/")


def noindex(page: Path) -> bool:
    """A page that asks not to be indexed (a councillor's share kit) belongs in no sitemap."""
    meta = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("meta", attrs={"name": "robots"})
    return meta is not None and "noindex" in meta.get("content", "")


def local(site: Path, url: str, address: str) -> Path:
    assert address.startswith(url), f"{address} is not on this site"
    return site / address.removeprefix(url)


def listed(site: Path, url: str) -> set[str]:
    """Every page address reached from the root sitemap.xml, through the sitemaps it indexes."""
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{NS}sitemapindex"
    found: set[str] = set()
    for loc in root.iter(f"{NS}loc"):
        part = ET.parse(local(site, url, loc.text)).getroot()
        assert part.tag == f"{NS}urlset", loc.text
        found |= {page.text for page in part.iter(f"{NS}loc")}
    return found


def test_the_root_sitemap_reaches_every_public_page(example_site):
    site, url = example_site
    pages = {url + ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
             for p in site.rglob("index.html") if not noindex(p)}
    public = {page for page in pages if not page.removeprefix(url).startswith(NOT_LISTED)}
    found = listed(site, url)
    for must in ["", "hub/", "news/", "news/bin-changes/", "councillors/", "councillors/amira-patel/",
                 "footprint-report/", "footprint-report/amira-patel/"]:
        assert url + must in found, must
    assert public - found == set(), "public pages in no sitemap"
    assert {page for page in found if page.removeprefix(url).startswith(NOT_LISTED)} == set()
    for page in found:
        assert (local(site, url, page) / "index.html").is_file() or local(site, url, page).is_file(), page


def test_robots_txt_names_the_sitemap(example_site):
    site, url = example_site
    lines = (site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {url}sitemap.xml" in lines


def test_no_page_links_to_a_preview_address(example_site):
    site, _ = example_site
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.find_all(href=True) if a["href"].startswith("http://127.0.0.1:8000")]
        assert links == [], page
