"""The council's pages: council news items, their validation, and what the build says in the pre-election period.

Also home to the helpers the hub, short link, footprint and check tests share.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import Result

from generator.inputs.config import load_project
from tests.conftest import REPO, copy_example, run_cli, run_cli_process
from tests.support.browser import axe_violations, describe, open_page
from tests.support.links import broken_links
from tests.support.server import serve_after

BASE_PATH = "/networked-councillor/"
#: Every test builds as of this day, so results do not drift as the real calendar moves on.
DAY = dt.date(2026, 11, 25)
#: Inside programme.yml's pre-election period (29 March to 6 May 2027).
IN_PERIOD = dt.date(2027, 4, 10)
def write_ledger(blog: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """A syndication ledger in the syndication module's documented format.

    ``rows``: (post file name, network, status, ISO time). The time goes where that status keeps it.
    """
    posts: dict[str, dict] = {}
    for name, network, status, when in rows:
        slug = name[11:-3]
        entry = posts.setdefault(name, {"slug": slug, "url": f"https://example.test/{slug}/", "networks": {}})
        row = {"status": status, "attempted_at": when, "text": "…"}
        if status == "done":
            row |= {"done_at": when, "remote_id": "1", "remote_url": f"https://{network}.example/{slug}"}
        if status == "error":
            row |= {"error": "the network said no"}
        entry["networks"][network] = row
    (blog / "syndication.json").write_text(json.dumps({"format": 1, "networks": {}, "posts": posts}, indent=2))


def latest_post(blog: Path, before: dt.date = DAY) -> str:
    return sorted(p.name for p in (blog / "content" / "posts").glob("*.md") if p.name[:10] <= before.isoformat())[-1]


def add_ledger_mix(root: Path) -> None:
    """A realistic mix: some shared recently, one too long ago, one failing, some never, a preview and a pending."""
    blogs = root / "councillor_blogs"

    def rows(slug: str, *spec: tuple[str, str, str]) -> None:
        name = latest_post(blogs / slug)
        write_ledger(blogs / slug, [(name, network, status, when) for network, status, when in spec])

    rows("amira-patel", ("mastodon", "done", "2026-11-02T10:00:00+00:00"),
         ("bluesky", "done", "2026-11-02T10:00:05+00:00"))
    rows("chloe-durand", ("bluesky", "done", "2026-09-04T08:00:00+01:00"))  # 82 days before DAY
    rows("daniel-oconnor", ("facebook", "error", "2026-11-18T09:05:00+00:00"),
         ("threads", "preview", "2026-11-18T09:05:00+00:00"))
    rows("grace-okonkwo", ("mastodon", "done", "2026-11-16T18:00:00+00:00"))
    rows("sian-pryce-jones", ("mastodon", "done", "2026-11-06T12:00:00+00:00"),
         ("facebook", "error", "2026-11-06T12:00:10+00:00"))
    rows("imran-haque", ("nextdoor", "pending", "2026-11-19T12:00:00+00:00"))


@contextmanager
def served_build(root: Path, *args: str) -> Iterator[tuple[Path, str, Result]]:
    """Build ``root`` for a loopback server under /networked-councillor/ and keep serving it."""
    site = root / "site"
    site.mkdir(exist_ok=True)
    with serve_after(site, BASE_PATH, lambda url: run_cli("build", "--root", root, "--base-url", url, *args)) \
            as (url, result):
        assert result.exit_code == 0, result.output
        yield site, url, result


def assert_accessible(browser, url: str) -> None:
    visit = open_page(browser, url)
    violations = axe_violations(visit.page)
    assert violations == [], f"{url}\n{describe(violations)}"
    assert not visit.other_hosts(), visit.other_hosts()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def item_front_matter(path: Path) -> dict[str, str]:
    """The simple 'key: value' lines of an item's front matter, read without the project's code."""
    head = path.read_text(encoding="utf-8").split("---")[1]
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in head.splitlines() if ":" in line)}


# --- The example's council news, built once ---------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[tuple[Path, Path, str]]:
    root = copy_example(tmp_path_factory.mktemp("council") / "programme")
    with served_build(root, "--date", DAY.isoformat()) as (site, url, _):
        yield root, site, url


def example_items() -> list[Path]:
    return sorted((REPO / "council_content").glob("*.md"))


def test_the_example_has_four_to_six_council_items():
    items = example_items()
    assert 4 <= len(items) <= 6
    for path in items:
        meta = item_front_matter(path)
        assert {"title", "date", "department", "summary"} <= meta.keys(), path


def test_each_live_item_has_a_page_and_every_item_a_short_link(built):
    _, site, url = built
    for path in example_items():
        meta = item_front_matter(path)
        slug = path.stem[11:]
        code = meta.get("code", slug)
        assert (site / "s" / code / "index.html").is_file(), code
        page = site / "news" / slug / "index.html"
        if meta["date"][:10] <= DAY.isoformat():
            text = soup(page).get_text(" ")
            assert meta["title"] in text
            assert f"{url}s/{code}/" in text, "the share-ready text ends with the short link"
            assert f"[[council:{code}]]" in text, "the page tells councillors how to quote it"
        else:
            assert not page.exists(), f"{path.name} is dated after the build"


def test_no_broken_links_from_the_council_pages(built):
    _, site, url = built
    mine = ("hub/", "news/", "s/", "footprint-report/")
    assert [link for link in broken_links(site, url) if link.startswith(mine)] == []


def test_outside_the_period_the_news_page_holds_nothing_back(built):
    # The example has an item dated after DAY: it is scheduled, not held, and the period is months away.
    _, site, _ = built
    assert any(item_front_matter(p)["date"][:10] > DAY.isoformat() for p in example_items())
    news = soup(site / "news" / "index.html").get_text(" ")
    assert "held until" not in news and "pre-election" not in news.lower()


@pytest.mark.parametrize("path", ["news/", "news/bin-changes/", "s/bin-changes/", "hub/", "footprint-report/",
                                  "footprint-report/amira-patel/"])
def test_pages_the_council_writes_speak_as_the_council(built, path):
    _, site, _ = built
    page = soup(site / path / "index.html")
    council = load_project(REPO).programme.council.name
    assert "in their own words" not in page.select_one(".site-subtitle").get_text()
    footer = " ".join(page.select_one("footer").get_text(" ").split())
    assert "Each blog is written by the councillor" not in footer
    assert f"published by {council}" in footer


def test_the_councillors_index_keeps_the_blogs_voice(built):
    _, site, _ = built
    page = soup(site / "councillors" / "index.html")
    assert "in their own words" in page.select_one(".site-subtitle").get_text()
    assert "Each blog is written by the councillor" in page.select_one("footer").get_text()


@pytest.mark.parametrize("path", ["news/", "news/bin-changes/"])
def test_news_pages_are_accessible(built, browser, path):
    _, _, url = built
    assert_accessible(browser, url + path)


# --- Problems in council items are reported with their file and line ----------------------------


def test_a_broken_item_names_its_file_and_line(tmp_path):
    root = copy_example(tmp_path / "programme")
    item = root / "council_content" / "2026-11-20-bin-changes.md"
    text = item.read_text()
    item.write_text(text.replace("department: Waste and recycling\n", "department: Waste and recycling\nurgent: yes\n"))
    line = text.splitlines().index("department: Waste and recycling") + 2

    result = run_cli_process("build", "--root", root)

    assert result.returncode == 1
    assert f"{item}:{line}: 'urgent' is not a setting" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_a_share_text_too_long_for_a_post_is_refused(tmp_path):
    root = copy_example(tmp_path / "programme")
    item = root / "council_content" / "2026-11-20-bin-changes.md"
    item.write_text(item.read_text().replace("summary: From March", "summary: " + "Very long. " * 20 + "From March"))

    result = run_cli_process("build", "--root", root)

    assert result.returncode == 1
    assert f"{item}:" in result.stderr and "'summary'" in result.stderr


# --- The pre-election period -----------------------------------------------------------------


def test_the_build_says_when_it_is_in_the_pre_election_period(tmp_path, example_build):
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    held = sorted(item_front_matter(p).get("code", p.stem[11:]) for p in example_items()
                  if item_front_matter(p).get("allowed_in_pre_election") != "true"
                  and item_front_matter(p)["date"][:10] <= dt.date.today().isoformat())

    result = run_cli_process("build", "--root", root, "--date", IN_PERIOD.isoformat())

    assert result.returncode == 0, result.stderr
    assert "Pre-election period (29 March 2027 to 6 May 2027)" in result.stderr
    assert "not promoting councillors' posts" in result.stderr
    assert f"Held: {', '.join(held)}." in result.stderr
    for code in held:
        page = (root / "site" / "s" / code / "index.html").read_text()
        assert 'http-equiv="refresh"' not in page, "a held item's short link does not lead on"
        assert "paused" in page
    assert not any((root / "site" / "news" / p.stem[11:]).exists() for p in example_items()
                   if item_front_matter(p).get("code", p.stem[11:]) in held)
    allowed = [p for p in example_items() if item_front_matter(p).get("allowed_in_pre_election") == "true"]
    assert allowed, "the example has an item the council may still publish"
    for path in allowed:
        assert (root / "site" / "news" / path.stem[11:] / "index.html").is_file()
    news = soup(root / "site" / "news" / "index.html").get_text(" ")
    assert "held until the election" in news
    assert f"So {len(held)} items are held" in news

    # An hourly rebuild that finds nothing changed still says so: the period is not forgotten.
    again = run_cli_process("build", "--root", root, "--date", IN_PERIOD.isoformat())
    assert "Nothing changed" in again.stderr
    assert "Pre-election period (29 March 2027 to 6 May 2027)" in again.stderr
    assert f"Held: {', '.join(held)}." in again.stderr


def test_outside_the_period_the_build_says_nothing_about_it(tmp_path, example_build):
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    result = run_cli_process("build", "--root", root, "--date", DAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "Pre-election" not in result.stderr


def test_a_date_that_is_not_a_date_is_refused(tmp_path):
    root = copy_example(tmp_path / "programme")
    result = run_cli("build", "--root", root, "--date", "10/04/2027")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output
