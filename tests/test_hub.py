"""The council hub: latest posts for the communications team, no political posts, no councillor's HTML running."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.inputs.config import load_project
from generator.inputs.posts import read_all
from generator.inputs.urls import post_path
from tests.conftest import copy_example
from tests.support.helpers import cutoff
from tests.test_council import DAY, IN_PERIOD, assert_accessible, served_build, soup

HOSTILE = (
    '---\ntitle: Surgery times for December\ndate: 2026-11-24 18:00\n'
    'summary: New times <img src="x" onerror="alert(\'summary\')"> <script>alert("summary")</script> '
    'and <a href="javascript:alert(1)">a link</a>.\n'
    'tags: [surgeries]\n---\n'
    'My surgeries move in December.\n\n<script>alert("body")</script>\n\n'
    # An address that is no file (a picture the blog lacks would stop the build), so onerror fires.
    '<img src="data:," alt="" onerror="alert(\'body\')">\n'
)
HOSTILE_NO_SUMMARY = (
    '---\ntitle: Notes from the ward walk\ndate: 2026-11-23 12:00\ntags: [roads]\n---\n'
    'We walked <b onmouseover="alert(2)">Bridge Street</b> today.<script>document.title="owned"</script>\n'
)
POLITICAL = (
    '---\ntitle: Why our group voted against the cuts\ndate: 2026-11-24 20:00\npolitical: true\n'
    'summary: Our group stood up for residents.\n---\nA party view on the budget.\n'
)


def add_posts(root: Path) -> None:
    posts = root / "councillor_blogs" / "tom-whitaker" / "content" / "posts"
    (posts / "2026-11-24-surgery-times-for-december.md").write_text(HOSTILE)
    (posts / "2026-11-23-notes-from-the-ward-walk.md").write_text(HOSTILE_NO_SUMMARY)
    (root / "councillor_blogs" / "margaret-ellison" / "content" / "posts" / "2026-11-24-why-we-voted.md").write_text(
        POLITICAL)


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory) -> Iterator[tuple[Path, Path, str]]:
    root = copy_example(tmp_path_factory.mktemp("hub") / "programme")
    add_posts(root)
    with served_build(root, "--date", DAY.isoformat()) as (site, url, _):
        yield root, site, url


def expected_posts(root: Path, url: str) -> tuple[list[str], set[str]]:
    """(non-political post URLs newest first, political post URLs) published as of DAY, from the files."""
    project = load_project(root)
    shown: list[tuple[dt.datetime, str]] = []
    political: set[str] = set()
    for blog in project.blogs:
        found, _ = read_all(blog.content_dir)
        for post in found:
            if post.meta.status == "draft" or post.date > cutoff(DAY):
                continue
            link = f"{url}councillors/{blog.slug}/{post_path(post)}"
            if post.meta.political:
                political.add(link)
            else:
                shown.append((post.date, link))
    return [link for _, link in sorted(shown, reverse=True)], political


def hub_pages(site: Path, url: str) -> list[BeautifulSoup]:
    """The hub's pages in order, found by following each page's 'Older posts' link."""
    pages, address = [soup(site / "hub" / "index.html")], f"{url}hub/"
    while (older := pages[-1].select_one('.pagination a[rel="next"]')) is not None:
        address = urljoin(address, older["href"])
        assert address.startswith(url), address
        pages.append(soup(site / address.removeprefix(url) / "index.html"))
    return pages


def hub_links(site: Path, url: str) -> list[str]:
    """The hub's links to posts, as the addresses a browser on the served hub would follow."""
    links = []
    address = f"{url}hub/"
    for page in hub_pages(site, url):
        links += [urljoin(address, a["href"]) for a in page.select(".hub-post h3 a")]
        older = page.select_one('.pagination a[rel="next"]')
        address = urljoin(address, older["href"]) if older is not None else address
    return links


def test_the_hub_lists_the_latest_non_political_posts(hub_site):
    root, site, url = hub_site
    shown, political = expected_posts(root, url)
    links = hub_links(site, url)
    assert political, "the example has a political post to leave out"
    assert not set(links) & political
    assert links == shown[:40], "newest first, at most 40"
    assert "Why our group voted against the cuts" not in (site / "hub" / "index.html").read_text()


def test_the_feed_matches_the_page_and_leaves_out_political_posts(hub_site):
    root, site, url = hub_site
    feed = feedparser.parse((site / "hub" / "feed.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    _, political = expected_posts(root, url)
    links = [entry.link for entry in feed.entries]
    assert links == hub_links(site, url)
    assert not set(links) & political
    assert feed.feed.links[0].href == f"{url}hub/"


def test_no_script_or_event_handler_from_a_post_reaches_the_hub(hub_site):
    _, site, _ = hub_site
    page = (site / "hub" / "index.html").read_text()
    feed = (site / "hub" / "feed.atom.xml").read_text()
    assert "Surgery times for December" in page and "Notes from the ward walk" in page
    for text in (page, feed):
        lowered = text.lower()
        for needle in ("<script", "&lt;script", "onerror", "onmouseover", "javascript:", "alert(", "owned"):
            assert needle not in lowered, needle
    parsed = feedparser.parse(feed.encode())
    summaries = " ".join(entry.summary for entry in parsed.entries)
    assert "New times" in summaries and "We walked" in summaries and "Bridge Street" in summaries


def test_the_hub_runs_no_script_in_a_browser(hub_site, browser):
    _, _, url = hub_site
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + "hub/")
    assert dialogs == []
    assert page.title() != "owned"
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    page.close()


def test_the_hub_offers_council_news_to_share(hub_site):
    _, site, url = hub_site
    page = soup(site / "hub" / "index.html")
    texts = [p.get_text() for p in page.select(".share-items .share-text")]
    assert texts and all(f"{url}s/" in text for text in texts)


def test_the_hub_puts_council_news_first_and_pages_its_posts(hub_site):
    _, site, url = hub_site
    pages = hub_pages(site, url)
    assert len(pages) > 1, "the example has more posts than fit on one page"
    first = pages[0]
    sections = [h2["id"] for h2 in first.select("main section > h2")]
    assert sections == ["items-heading", "posts-heading"], "share-ready council news comes first"
    for number, page in enumerate(pages, 1):
        assert 1 <= len(page.select(".hub-post")) <= 10
        assert f"Page {number} of {len(pages)}" in page.select_one(".pagination").get_text()
        if number > 1:
            assert page.select_one("#items-heading") is None
            assert page.select_one('.pagination a[rel="prev"]') is not None


def test_the_hub_is_linked_from_the_councillors_index_and_every_council_page(hub_site):
    _, site, url = hub_site
    index = soup(site / "councillors" / "index.html")
    # Links between the site's pages are relative: compare the addresses a browser would follow.
    assert f"{url}hub/" in [urljoin(f"{url}councillors/", a["href"]) for a in index.select("main a")]
    for path in ["councillors/", "news/", "footprint-report/"]:
        links = [urljoin(url + path, a["href"]) for a in soup(site / path / "index.html").select("footer a")]
        assert f"{url}hub/" in links, path


def test_the_hub_uses_one_kind_of_apostrophe(hub_site):
    _, site, _ = hub_site
    page = soup(site / "hub" / "index.html")
    for element in page.select("title, header, nav, h1, h2, h3, footer"):
        assert "'" not in element.get_text(), element.get_text(" ", strip=True)[:80]


def test_the_hub_is_accessible(hub_site, browser):
    _, _, url = hub_site
    assert_accessible(browser, url + "hub/")


# --- Inside the pre-election period -------------------------------------------------------------


@pytest.fixture(scope="module")
def paused_site(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    root = copy_example(tmp_path_factory.mktemp("hub-paused") / "programme")
    with served_build(root, "--date", IN_PERIOD.isoformat()) as (site, url, _):
        yield site, url


def test_a_build_inside_the_pre_election_period_hides_hub_promotion(paused_site):
    site, _ = paused_site
    page = soup(site / "hub" / "index.html")
    assert page.select(".hub-post") == []
    notice = page.select_one(".notice").get_text(" ")
    assert "pre-election period" in notice
    assert "Code of Recommended Practice on Local Authority Publicity" in notice
    assert "6 May 2027" in notice
    feed = feedparser.parse((site / "hub" / "feed.atom.xml").read_bytes())
    assert not feed.bozo and feed.entries == []
    assert "pre-election" in feed.feed.subtitle


def test_only_items_allowed_in_the_period_are_offered(paused_site):
    site, _ = paused_site
    titles = [a.get_text() for a in soup(site / "hub" / "index.html").select(".share-items h3 a")]
    assert titles == ["Check you are registered to vote"]


def test_the_paused_hub_is_accessible(paused_site, browser):
    _, url = paused_site
    assert_accessible(browser, url + "hub/")
