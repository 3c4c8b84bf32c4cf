"""The blog theme, on a blog made with `councillor new` and `councillor post` and built with the example.

One build serves the whole module; every page type is checked for its microformats, its link
previews and, in headless Chromium, for WCAG 2.2 A/AA with axe-core at phone, iPad and desktop widths.
"""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import mf2py
import pytest
from bs4 import BeautifulSoup

from generator.syndication import ledger
from tests.conftest import REPO, copy_example, run_cli
from tests.support import browser as browser_support
from tests.support.browser import (
    DESKTOP,
    IPAD,
    PHONE,
    axe_violations,
    describe,
    has_horizontal_scroll,
    open_page,
)
from tests.support.links import broken_links
from tests.support.server import serve, serve_after

BASE_PATH = "/networked-councillor/"
SLUG = "jane-smith"
NAME = "Jane Smith"
ROLE = "Cabinet member for parks"
EMAIL = "jane.smith@councillors.fenmarsh.example"
NETWORK_URLS = {
    "https://social.fenmarsh.example/@janesmith",
    "https://bsky.app/profile/janesmith.bsky.social",
    "https://www.linkedin.com/in/jane-smith-example/",
}
TOOT = "https://social.fenmarsh.example/@janesmith/113"
MAP_ALT = "Sketch map of Fenside with the flooded parts of Drove Road shaded blue."
UPDATES = 11  # one more than a page holds, so the home page and the 'updates' topic both get a page 2


@dataclass
class Site:
    root: Path
    site: Path
    url: str
    posts: dict[str, Path]

    @property
    def blog_url(self) -> str:
        return f"{self.url}councillors/{SLUG}/"

    @property
    def blog_dir(self) -> Path:
        return self.site / "councillors" / SLUG

    def html(self, path: str) -> str:
        return (self.blog_dir / path / "index.html").read_text(encoding="utf-8")

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(path), "html.parser")

    def resolve(self, path: str, link: str) -> str:
        """A link on the blog page at ``path`` as the absolute address a browser would follow."""
        return urljoin(self.blog_url + path, link)

    def mf2(self, path: str) -> dict:
        return mf2py.parse(doc=self.html(path), url=self.blog_url + path)


def cli_post(root: Path, title: str, *options: str) -> Path:
    result = run_cli("post", "--root", root, SLUG, title, *options)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def fill_in(path: Path, front_matter: str = "", body: str = "") -> None:
    """Add front matter lines and replace the placeholder text, as a councillor would."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text[4:].partition("\n---\n")
    text = "---\n" + head + "\n" + front_matter + "---\n" + (body or rest)
    path.write_text(text, encoding="utf-8")


def make_blog(root: Path) -> dict[str, Path]:
    result = run_cli("new", NAME, "--root", root, "--ward", "Castle", "--role", ROLE, "--party", "Independent",
                     "--email", EMAIL, "--phone", "01632 960 999", "--mastodon", "@janesmith@social.fenmarsh.example",
                     "--bluesky", "janesmith.bsky.social", "--linkedin", "https://www.linkedin.com/in/jane-smith-example/")
    assert result.exit_code == 0, result.output
    folder = root / "councillor_blogs" / SLUG
    with (folder / "councillor.yml").open("a", encoding="utf-8") as config:
        config.write("surgeries:\n  - when: Second Tuesday of the month, 18:00 to 19:00\n"
                     "    where: Castle Community Centre, Mill Lane\n"
                     "bio: I have lived in Castle ward all my life and run the Saturday parkrun.\n"
                     "photo: me.svg\n")
    shutil.copy2(REPO / "branding/fenmarsh-logo.svg", folder / "me.svg")
    shutil.copy2(REPO / "councillor_blogs/grace-okonkwo/content/images/fenside-flood-map.svg",
                 folder / "content/images/map.svg")

    made = {"bins": cli_post(root, "Bin collections change in March", "--tags", "bins, waste", "--date", "2026-11-02")}
    fill_in(made["bins"], "summary: Green bins will be emptied every two weeks all year round.\n",
            "From March the garden waste round runs **all year**.\n\n## What changes\n\n"
            "- Collections every other week.\n- The same day as your black bin.\n\n"
            "Check your day on the [council's bin finder](https://www.fenmarsh.example/bins).\n")
    made["map"] = cli_post(root, "Where the water went", "--tags", "flooding", "--date", "2026-10-09")
    fill_in(made["map"], f"image:\n  src: images/map.svg\n  alt: {MAP_ALT}\n",
            "Thank you for the photos you sent me during the storm.\n")
    made["political"] = cli_post(root, "Why I am standing again", "--tags", "elections", "--date", "2026-10-01")
    fill_in(made["political"], "political: true\n", "I am standing again in May, and here is why.\n")
    made["escaped"] = cli_post(root, 'Fish & chips <van> on "Market" Street', "--date", "2026-09-01")
    fill_in(made["escaped"], "", "The van is back on Thursdays.\n")
    made["draft"] = cli_post(root, "Secret bypass plans", "--tags", "bins, roads", "--draft")
    fill_in(made["draft"], "", "DRAFT-BODY-MARKER\n")
    made["future"] = cli_post(root, "Christmas lights in 2099", "--tags", "bins", "--date", "2099-12-01")
    fill_in(made["future"], "", "FUTURE-BODY-MARKER\n")
    for n in range(1, UPDATES + 1):
        made[f"update-{n}"] = cli_post(root, f"Ward update number {n}", "--tags", "updates",
                                       "--date", f"2026-{1 + n % 8:02d}-{n + 1:02d}")
        fill_in(made[f"update-{n}"], "", f"What happened in the ward, part {n}.\n")

    book = ledger.Ledger.load(folder)
    book.set_row(made["bins"].name, "mastodon", slug="bin-collections-change-in-march", url="unused",
                 status="done", remote_id="113", remote_url=TOOT)
    book.save()
    return made


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = copy_example(tmp_path_factory.mktemp("theme") / "programme")
    made = make_blog(root)
    site = root / "site"
    site.mkdir()
    with serve_after(site, BASE_PATH, lambda url: run_cli("build", "--root", root, "--base-url", url)) as (url, result):
        assert result.exit_code == 0, result.output
        yield Site(root, site, url, made)


POST = "2026/11/bin-collections-change-in-march/"
MAP_POST = "2026/10/where-the-water-went/"
POLITICAL_POST = "2026/10/why-i-am-standing-again/"
PAGES = {
    "home": "",
    "home page 2": "page/2/",
    "post": POST,
    "post with image": MAP_POST,
    "political post": POLITICAL_POST,
    "topic": "tags/bins/",
    "topic page 2": "tags/updates/page/2/",
    "topics": "tags/",
    "archive": "archives/",
    "about": "about/",
}


# --- identity and microformats ---------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_carries_the_councillor_h_card(built, path):
    parsed = built.mf2(path)
    cards = [item for item in parsed["items"] if item["type"] == ["h-card"]]
    assert len(cards) == 1, "one identity per page"
    props = cards[0]["properties"]
    assert props["name"] == [NAME]
    assert props["job-title"] == [ROLE]
    assert built.blog_url in props["url"]
    assert set(props["url"]) >= NETWORK_URLS
    assert any("Castle" in note for note in props["note"])
    assert props["org"][0]["properties"]["name"] == ["Fenmarsh District Council"]
    assert props["photo"][0]["value"] == built.blog_url + "photo.svg"
    assert set(parsed["rels"]["me"]) == NETWORK_URLS, "rel=me links verify the councillor's profiles"
    soup = built.soup(path)
    card = soup.select_one("aside.h-card")
    assert "Second Tuesday of the month, 18:00 to 19:00" in card.text and "Castle Community Centre" in card.text
    assert card.select_one('a.p-tel[href="tel:01632960999"]')


def test_the_email_address_is_never_in_the_html(built):
    user, domain = EMAIL.split("@")
    for page in built.blog_dir.rglob("*"):
        if page.is_file() and page.suffix in {".html", ".xml"}:
            text = page.read_text(encoding="utf-8")
            assert EMAIL not in text and f"{user}@" not in text and "mailto:" not in text, page
    card = built.soup(POST).select_one(".js-email")
    assert card.select_one(".email-user").text == user and card.select_one(".email-domain").text == domain
    assert card.text == f"{user} at {domain}", "without JavaScript it still reads as an address"


def test_the_email_link_is_made_in_the_browser(built, browser):
    visit = open_page(browser, built.blog_url + POST)
    link = visit.page.locator("aside.h-card a.u-email")
    assert link.get_attribute("href") == f"mailto:{EMAIL}"
    assert link.inner_text().replace("\n", "") == EMAIL
    visit.page.context.close()


def test_a_post_is_an_h_entry(built):
    parsed = built.mf2(POST)
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1
    props = entries[0]["properties"]
    assert props["name"] == ["Bin collections change in March"]
    assert props["published"][0].startswith("2026-11-02")
    assert props["url"] == [built.blog_url + POST]
    assert props["author"][0]["properties"]["name"] == [NAME]
    assert props["author"][0]["properties"]["url"] == [built.blog_url]
    assert set(props["category"]) == {"bins", "waste"}
    assert props["summary"][0].strip() == "Green bins will be emptied every two weeks all year round."
    assert "garden waste round runs all year" in props["content"][0]["value"]


def test_also_on_links_come_from_syndication(built):
    props = next(i for i in built.mf2(POST)["items"] if "h-entry" in i["type"])["properties"]
    assert props["syndication"] == [TOOT]
    soup = built.soup(POST)
    link = soup.select_one('a.u-syndication[rel="syndication"]')
    assert link.text == "Mastodon" and link.find_parent("article", class_="h-entry")
    assert soup.find(id="also-on").text == "Also on"
    other = built.soup(MAP_POST)
    assert not other.select(".u-syndication") and not other.find(id="also-on"), "no heading without links"


def test_the_home_page_is_an_h_feed_of_entries(built):
    feeds = [item for item in built.mf2("")["items"] if "h-feed" in item["type"]]
    assert len(feeds) == 1
    entries = [child for child in feeds[0]["children"] if "h-entry" in child["type"]]
    assert len(entries) == 10, "a full first page"
    assert entries[0]["properties"]["name"] == ["Welcome to my blog"], "newest first"


# --- link previews ---------------------------------------------------------------------------


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_a_shared_post_shows_a_proper_card(built):
    soup = built.soup(POST)
    url = built.blog_url + POST
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Bin collections change in March"
    assert meta(soup, "og:description") == "Green bins will be emptied every two weeks all year round."
    assert meta(soup, "og:site_name") == f"{NAME}, Castle ward"
    assert meta(soup, "og:locale") == "en_GB"
    assert meta(soup, "twitter:card") == "summary", "no picture of its own: the small card"
    assert meta(soup, "og:image") == built.blog_url + "photo.svg", "the councillor's photo stands in"
    assert meta(soup, "og:image:alt") == f"Photo of {NAME}"
    assert (built.blog_dir / "photo.svg").is_file()
    assert meta(soup, "article:published_time").startswith("2026-11-02")
    assert soup.title.text == f"Bin collections change in March – {NAME}, Castle ward"


def test_a_post_image_is_shown_with_its_alt_text_and_used_for_previews(built):
    soup = built.soup(MAP_POST)
    image_url = built.blog_url + "images/map.svg"
    assert meta(soup, "og:image") == image_url and meta(soup, "twitter:image") == image_url
    assert meta(soup, "og:image:alt") == MAP_ALT and meta(soup, "twitter:image:alt") == MAP_ALT
    assert meta(soup, "twitter:card") == "summary_large_image"
    img = soup.select_one("article.h-entry figure img.u-photo")
    assert built.resolve(MAP_POST, img["src"]) == image_url and img["alt"] == MAP_ALT
    assert not img["src"].startswith("http"), "the page's own picture is linked relatively, to work from any address"
    assert (built.blog_dir / "images" / "map.svg").is_file()
    assert meta(soup, "og:description") == "Thank you for the photos you sent me during the storm."


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_has_a_canonical_address_and_preview_tags(built, path):
    soup = built.soup(path)
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical == built.blog_url + path
    assert meta(soup, "og:url") == canonical
    for key in ("og:title", "og:description", "og:type", "twitter:card"):
        assert meta(soup, key), key
    assert len(soup.find_all("h1")) == 1


def test_titles_are_escaped_not_interpreted(built):
    page = built.html("2026/09/fish-chips-van-on-market-street/")
    assert "<van>" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.text == 'Fish & chips <van> on "Market" Street'
    assert meta(soup, "og:title") == 'Fish & chips <van> on "Market" Street'


def test_a_political_post_is_labelled(built):
    soup = built.soup(POLITICAL_POST)
    note = soup.select_one(".political-note")
    assert note and "Party political" in note.text and "does not speak for Fenmarsh District Council" in note.text
    assert not built.soup(POST).select(".political-note")


# --- drafts, feeds, sitemap, topics, archive, pagination -------------------------------------


def site_text(built: Site) -> Iterator[tuple[Path, str]]:
    for path in built.blog_dir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml"}:
            yield path, path.read_text(encoding="utf-8")


def test_drafts_and_future_posts_are_nowhere_on_the_site(built):
    for marker in ("Secret bypass plans", "secret-bypass-plans", "DRAFT-BODY-MARKER",
                   "Christmas lights in 2099", "christmas-lights-in-2099", "FUTURE-BODY-MARKER"):
        for path, text in site_text(built):
            assert marker not in text, f"{marker} in {path}"
    assert not (built.blog_dir / "tags" / "roads").exists(), "a topic only a draft uses has no page"
    assert not list(built.blog_dir.glob("2099")) and not list(built.blog_dir.rglob("secret-bypass-plans"))


def published_urls(built: Site) -> set[str]:
    titles = {"bins": POST, "map": MAP_POST, "political": POLITICAL_POST,
              "escaped": "2026/09/fish-chips-van-on-market-street/"}
    urls = {built.blog_url + path for path in titles.values()}
    urls |= {built.blog_url + p.relative_to(built.blog_dir).parent.as_posix() + "/"
             for p in built.blog_dir.glob("20*/*/*/index.html")}
    return urls


def test_the_atom_feeds_hold_published_posts_only(built):
    feed = feedparser.parse((built.blog_dir / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    links = {entry.link for entry in feed.entries}
    assert links == published_urls(built)
    assert len(links) == 4 + UPDATES + 1, "four posts, the updates and the welcome post"

    bins = feedparser.parse((built.blog_dir / "feeds" / "tags" / "bins.atom.xml").read_bytes())
    assert not bins.bozo
    assert [entry.title for entry in bins.entries] == ["Bin collections change in March"]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_links_its_feeds(built, path):
    soup = built.soup(path)
    feeds = [link["href"] for link in soup.find_all("link", rel="alternate", type="application/atom+xml")]
    assert built.blog_url + "feeds/all.atom.xml" in feeds
    if path.startswith("tags/") and path != "tags/":
        tag = path.split("/")[1]
        assert built.blog_url + f"feeds/tags/{tag}.atom.xml" in feeds
    for href in feeds:
        assert (built.blog_dir / href.removeprefix(built.blog_url)).is_file(), href


def test_the_sitemap_lists_every_public_page_once(built):
    tree = ET.parse(built.blog_dir / "sitemap.xml")
    locs = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    tags = {"bins", "waste", "flooding", "elections", "updates", "news"}
    expected = published_urls(built) | {built.blog_url + p for p in ("", "about/", "tags/", "archives/")}
    expected |= {f"{built.blog_url}tags/{tag}/" for tag in tags}
    assert set(locs) == expected
    for loc in locs:
        assert (built.blog_dir / loc.removeprefix(built.blog_url) / "index.html").is_file(), loc
    assert "sitemap.xml" in built.soup("").find("link", rel="sitemap")["href"]


def test_topics_and_archive_list_published_posts(built):
    topics = built.soup("tags/")
    counts = {a.text: a.find_next_sibling(class_="count").text for a in topics.select(".topic-list a")}
    assert counts["updates"] == f"{UPDATES} posts" and counts["bins"] == "1 post"
    assert "roads" not in counts
    archive = built.soup("archives/")
    titles = [a.text for a in archive.select(".archive-list a")]
    assert len(titles) == len(published_urls(built))
    years = [h.text for h in archive.select(".archive-year h2")]
    assert "2026" in years and years == sorted(years, reverse=True), "newest year first"


def test_long_lists_have_labelled_pages(built):
    home = built.soup("")
    nav = home.find("nav", attrs={"aria-label": "Pages of posts"})
    assert built.resolve("", nav.find("a", rel="next")["href"]) == built.blog_url + "page/2/"
    assert "Page 1 of 2" in nav.text
    second = built.soup("page/2/").find("nav", attrs={"aria-label": "Pages of posts"})
    assert built.resolve("page/2/", second.find("a", rel="prev")["href"]) == built.blog_url
    assert not second.find("a", rel="next")
    topic = built.soup("tags/updates/page/2/")
    previous = topic.find("a", rel="prev")["href"]
    assert built.resolve("tags/updates/page/2/", previous) == built.blog_url + "tags/updates/"
    assert len(topic.select(".post-list > li")) == UPDATES - 10


def test_the_current_section_is_marked_in_the_menu(built):
    for path, label in (("", "Posts"), ("tags/", "Topics"), ("archives/", "Archive"), ("about/", "About Jane")):
        current = built.soup(path).select('.site-nav a[aria-current="page"]')
        assert [a.text for a in current] == [label]


def test_no_broken_links_from_the_blogs_or_the_councillors_index(built):
    broken = [b for b in broken_links(built.site, built.url) if b.startswith("councillors/")]
    assert broken == []


def test_nothing_is_loaded_from_another_host(built):
    """Checked in the HTML here, and in the browser by the axe tests below."""
    for path, text in site_text(built):
        if path.suffix != ".html":
            continue
        soup = BeautifulSoup(text, "html.parser")
        page = built.blog_url + path.parent.relative_to(built.blog_dir).as_posix() + "/"
        for tag in soup.find_all(["script", "img", "iframe", "video", "audio", "source"]):
            if tag.get("src"):
                assert not tag["src"].startswith(("http:", "https:", "//")), (path, tag)
                assert urljoin(page, tag["src"]).startswith(built.url), (path, tag)
        for tag in soup.find_all("link", rel=["stylesheet", "icon", "preload", "modulepreload"]):
            assert tag["href"].startswith("data:") or urljoin(page, tag["href"]).startswith(built.url), (path, tag)
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy and "default-src 'self'" in policy["content"] and "form-action 'none'" in policy["content"]


# --- branding ------------------------------------------------------------------------------


def test_council_colours_and_logo_come_from_programme_yml(built):
    soup = built.soup("")
    assert "--brand: #00594f" in soup.style.text and "--accent: #8a1c4a" in soup.style.text
    logo = soup.select_one(".council-bar img")
    assert built.resolve("", logo["src"]) == f"{built.url}assets/fenmarsh-logo.svg"
    assert logo["alt"] == "Fenmarsh District Council"
    assert built.resolve("", logo.find_parent("a")["href"]) == f"{built.url}councillors/"


def root_block(css: Path) -> str:
    return re.search(r":root \{.*?\}", css.read_text(encoding="utf-8"), re.S).group(0)


def test_the_councillors_index_shares_the_blog_themes_design_tokens():
    themes = REPO / "themes"
    assert root_block(themes / "blog/static/css/blog.css") == root_block(themes / "council/static/council.css")


# --- in the browser --------------------------------------------------------------------------

VIEWPORTS = {"phone": PHONE, "ipad": IPAD, "desktop": DESKTOP}


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_passes_axe_and_stays_on_this_site(built, browser, path, viewport):
    visit = open_page(browser, built.blog_url + path, viewport)
    violations = axe_violations(visit.page)
    assert violations == [], describe(violations)
    assert visit.other_hosts() == set()
    if viewport is PHONE:
        assert not has_horizontal_scroll(visit.page), "readable at 320px without scrolling sideways"
    visit.page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_councillors_index_passes_axe(built, browser, viewport):
    visit = open_page(browser, f"{built.url}councillors/", viewport)
    violations = axe_violations(visit.page)
    assert violations == [], describe(violations)
    assert visit.other_hosts() == set()
    if viewport is PHONE:
        assert not has_horizontal_scroll(visit.page)
    soup = BeautifulSoup((built.site / "councillors" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("a", href=f"{SLUG}/", string=NAME), "new blogs appear on the index"
    visit.page.context.close()


def example_pages(site: Path) -> list[str]:
    pages = []
    for blog in sorted((REPO / "councillor_blogs").iterdir()):
        if (blog / "councillor.yml").is_file():
            pages += [f"councillors/{blog.name}/{p.parent.relative_to(site / 'councillors' / blog.name).as_posix()}/"
                      for p in sorted((site / "councillors" / blog.name).glob("20*/*/*/index.html"))]
    return pages


def test_every_example_post_passes_axe_on_a_phone(built, browser):
    """Real posts bring tables, images and long words; each must fit 320px and pass axe."""
    failures = {}
    pages = example_pages(built.site)
    assert len(pages) > 25
    for path in pages:
        visit = open_page(browser, built.url + path, PHONE)
        violations = axe_violations(visit.page)
        if violations or visit.other_hosts() or has_horizontal_scroll(visit.page):
            failures[path] = {"axe": violations, "hosts": sorted(visit.other_hosts()),
                              "scrolls sideways": has_horizontal_scroll(visit.page)}
        visit.page.context.close()
    assert failures == {}, describe([failures])


def test_the_skip_link_is_first_visible_on_focus_and_moves_to_main(built, browser):
    visit = open_page(browser, built.blog_url + POST, PHONE)
    page = visit.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["width"] > 50 and box["height"] >= 24 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    visit.page.context.close()


def test_focus_is_visible_on_links(built, browser):
    visit = open_page(browser, built.blog_url + POST, DESKTOP)
    link = visit.page.locator(".site-nav a").first
    before = link.evaluate("a => getComputedStyle(a).backgroundColor")
    visit.page.locator(".site-title a").focus()
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.textContent") == "Posts"
    after = link.evaluate("a => getComputedStyle(a).backgroundColor")
    assert before != after and after == "rgb(255, 221, 0)"
    visit.page.context.close()


def test_print_hides_the_menus_and_writes_out_link_addresses(built, browser):
    visit = open_page(browser, built.blog_url + POST, DESKTOP)
    page = visit.page
    page.emulate_media(media="print")
    assert page.locator(".site-nav").evaluate("n => getComputedStyle(n).display") == "none"
    after = page.locator(".e-content a").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://www.fenmarsh.example/bins" in after
    assert page.locator("aside.h-card").is_visible(), "the contact details print with the post"
    visit.page.context.close()


def test_a_pale_council_colour_is_made_readable(tmp_path, browser):
    root = copy_example(tmp_path / "programme")
    programme = root / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    text = re.sub(r'primary_colour: "#[0-9a-fA-F]{6}"', 'primary_colour: "#ffdd00"', text)
    text = re.sub(r'accent_colour: "#[0-9a-fA-F]{6}"', 'accent_colour: "#ffff99"', text)
    programme.write_text(text, encoding="utf-8")
    site = root / "site"
    site.mkdir()
    with serve(site, BASE_PATH) as url:
        result = run_cli("build", "--root", root, "--base-url", url)
        assert result.exit_code == 0, result.output
        blog = f"{url}councillors/daniel-oconnor/"
        home = BeautifulSoup((site / "councillors/daniel-oconnor/index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert "#ffdd00" not in home.style.text and "#ffff99" not in home.style.text
        post = next((site / "councillors/daniel-oconnor").glob("20*/*/*/index.html")).parent
        for page_url in (blog, f"{blog}{post.relative_to(site / 'councillors/daniel-oconnor').as_posix()}/",
                         f"{blog}tags/", f"{url}councillors/"):
            for viewport in (PHONE, DESKTOP):
                visit = open_page(browser, page_url, viewport)
                violations = axe_violations(visit.page)
                assert violations == [], describe(violations)
                visit.page.context.close()


# --- long addresses in the sidebar ---------------------------------------------------------------


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without-javascript"])
@pytest.mark.parametrize("width", [390, 1280])
def test_long_handles_and_emails_break_only_before_a_dot_or_at(built_example, browser, width, script):
    _, url = built_example
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=script)
    page = context.new_page()
    try:
        for slug in ["grace-okonkwo", "margaret-ellison", "sian-pryce-jones"]:
            page.goto(f"{url}councillors/{slug}/")
            assert browser_support.wider_than_column(page, "aside.councillor") == [], slug
            for lines in browser_support.wrapped_lines(page, ".contact li, .networks a"):
                for before, after in itertools.pairwise(lines):
                    assert before.endswith(" ") or after[:1] in ".@", (slug, lines)
    finally:
        context.close()


# --- the share kit, in the blog's own frame ------------------------------------------------------

KIT_JS = """() => ({
    masthead: !!document.querySelector("header.masthead .council-link img"),
    footer: !!document.querySelector("footer.site-footer"),
    brand: getComputedStyle(document.documentElement).getPropertyValue("--brand").trim(),
    link: getComputedStyle(document.querySelector("main .kit-post a")).color,
    rules: [...document.querySelectorAll("main .kit-post")].slice(0, 1).map(a => getComputedStyle(a).borderTopStyle),
    hidden: [...document.querySelectorAll("textarea")].filter(t => t.scrollHeight > t.clientHeight + 1).map(t => t.id),
    text: document.querySelector("main").innerText,
})"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_share_kit_looks_like_the_blog_and_shows_all_its_text(built_example, browser, width):
    _, url = built_example
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}councillors/imran-haque/share-kit/")
        kit = page.evaluate(KIT_JS)
        assert kit["masthead"] and kit["footer"], "the council's masthead, logo and footer"
        assert kit["link"] == rgb(kit["brand"]), "links in the council's colour"
        assert kit["rules"] == ["none"], "one rule between the header and the first post, not two"
        assert kit["hidden"] == [], "a text box hides the end of its text"
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", kit["text"]), "dates are written for people"
        assert browser_support.wider_than_column(page, "main") == []
    finally:
        context.close()
