"""The footprint report: its numbers, counted again here from the files, its snapshots, charts and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.inputs.config import load_project
from generator.inputs.posts import MARKDOWN_EXTENSIONS, read_all
from generator.inputs.urls import FOOTPRINT_URL_PATH
from tests.conftest import copy_example, run_cli
from tests.support import browser as browser_support
from tests.support.helpers import cutoff
from tests.test_council import DAY, add_ledger_mix, assert_accessible, served_build, soup
from tests.test_shortlinks import QUOTING_POST

LONDON = ZoneInfo("Europe/London")
REPORT = FOOTPRINT_URL_PATH
EARLIER = {
    "format": 1,
    "date": "2026-10-01",
    "councillors": {
        "amira-patel": {"posts": 1, "words": 150, "days_since_last_post": 17, "two_platforms": True,
                        "platforms": {"mastodon": {"shared": 1, "failed": 0, "followers": 212, "replies": 9,
                                                   "likes": 40},
                                      "bluesky": {"shared": 1, "failed": 0, "followers": 88}}},
        "tom-whitaker": {"posts": 3, "words": 700, "days_since_last_post": 21, "two_platforms": False},
    },
}


def words_in(body: str) -> int:
    """Words a reader sees: rendered, tags stripped, split on spaces; quotes of council items left out."""
    own = "\n".join(line for line in body.splitlines() if not re.fullmatch(r"\s*\[\[council:[^\]]*\]\]\s*", line))
    page = BeautifulSoup(markdown.markdown(own, extensions=MARKDOWN_EXTENSIONS), "html.parser")
    for hidden in page(["script", "style"]):
        hidden.decompose()
    return sum(1 for piece in page.get_text().split() if any(c.isalnum() for c in piece))


def months_to(day: dt.date) -> list[str]:
    keys, year, month = [], day.year, day.month
    while len(keys) < 12:
        keys.insert(0, f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys


def expected(root: Path) -> dict[str, dict]:
    """Every councillor's figures, counted straight from their posts and ledger."""
    result = {}
    for blog in load_project(root).blogs:
        found, _ = read_all(blog.content_dir)
        live = [p for p in found if p.meta.status != "draft" and p.date <= cutoff(DAY)]
        months = Counter(f"{p.date.astimezone(LONDON):%Y-%m}" for p in live)
        shares: dict[str, list[int]] = {}
        ledger = blog.folder / "syndication.json"
        if ledger.exists():
            for entry in json.loads(ledger.read_text())["posts"].values():
                for network, row in entry["networks"].items():
                    if row["status"] in ("done", "error"):
                        counts = shares.setdefault(network, [0, 0])
                        counts[row["status"] == "error"] += 1
        last = max((p.date.date() for p in live), default=None)
        result[blog.slug] = {
            "posts": len(live),
            "words": sum(words_in(p.body) for p in live),
            "months": [(key, months[key]) for key in months_to(DAY)],
            "tags": Counter(tag for p in live for tag in p.meta.tags),
            "days": (DAY - last).days if last else None,
            "shares": shares,
        }
    return result


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Iterator[tuple[Path, Path, str]]:
    root = copy_example(tmp_path_factory.mktemp("footprint") / "programme")
    add_ledger_mix(root)
    (root / "councillor_blogs" / "amira-patel" / "content" / "posts" / "2026-11-21-new-bin-rounds.md").write_text(
        QUOTING_POST)
    snapshots = root / "footprint" / "snapshots"
    shutil.rmtree(snapshots, ignore_errors=True)  # a history of this test's own making
    snapshots.mkdir(parents=True)
    (snapshots / "2026-10-01.json").write_text(json.dumps(EARLIER))
    with served_build(root, "--date", DAY.isoformat()) as (site, url, _):
        yield root, site, url


def test_the_numbers_match_counts_made_from_the_files(report):
    root, site, _ = report
    data = json.loads((site / REPORT / "data.json").read_text())
    by_slug = {c["slug"]: c for c in data["councillors"]}
    for slug, want in expected(root).items():
        got = by_slug[slug]
        assert got["published_posts"] == want["posts"], slug
        assert got["words"] == want["words"], slug
        assert [(m["month"], m["posts"]) for m in got["months"]] == want["months"], slug
        assert got["tags"] == dict(want["tags"]), slug
        assert got["days_since_last_post"] == want["days"], slug
        assert {p["network"]: [p["shared"], p["failed"]] for p in got["platforms"] if p["shared"] or p["failed"]} \
            == want["shares"], slug


def test_drafts_future_posts_and_quotes_are_not_counted(report):
    root, site, _ = report
    data = {c["slug"]: c for c in json.loads((site / REPORT / "data.json").read_text())["councillors"]}
    daniel = dict((m["month"], m["posts"]) for m in data["daniel-oconnor"]["months"])
    assert daniel["2026-11"] == 0, "Daniel's only November post is a draft"
    sian_posts = list((root / "councillor_blogs" / "sian-pryce-jones" / "content" / "posts").glob("2027-*.md"))
    assert sian_posts, "the example has a post dated after DAY"
    assert data["sian-pryce-jones"]["last_post"] < "2027"


def test_each_page_shows_the_figures(report):
    root, site, url = report
    want = expected(root)
    cohort = soup(site / REPORT / "index.html")
    rows = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
            for row in cohort.select("#cohort-caption ~ tbody tr")}
    for blog in load_project(root).blogs:
        cells = rows[blog.councillor.name]
        assert cells[1:3] == [str(want[blog.slug]["posts"]), str(want[blog.slug]["words"])]
        page = soup(site / REPORT / blog.slug / "index.html")
        table = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
                 for tr in page.select("#months-caption ~ tbody tr")}
        for key, count in want[blog.slug]["months"]:
            label = dt.date.fromisoformat(key + "-01").strftime("%b %Y")
            assert table[label][0] == str(count), (blog.slug, key)
        links = [urljoin(f"{url}{REPORT}/", a["href"]) for a in cohort.select("#cohort-caption ~ tbody a")]
        assert f"{url}{REPORT}/{blog.slug}/" in links


def test_every_chart_is_named_and_has_its_table_beside_it(report):
    _, site, _ = report
    for path in [site / REPORT / "index.html", site / REPORT / "amira-patel" / "index.html"]:
        page = soup(path)
        charts = page.select("svg.chart")
        assert len(charts) >= 3, path
        for svg in charts:
            assert svg["role"] == "img"
            for ref in svg["aria-labelledby"].split():
                assert page.find(id=ref) is not None, ref
            table = svg.find_parent(class_="chart-and-table").find("table")
            bars = svg.select("rect.bar")
            assert len(bars) == len(table.select("tbody tr")), "one table row per bar"
            values = [t.get_text() for t in svg.select("text.value")]
            assert values == [tr.find("td").get_text(strip=True) for tr in table.select("tbody tr")]


def test_each_chart_names_every_highest_bar_in_plain_english(report):
    _, site, _ = report
    pages = [site / REPORT / "index.html", *sorted((site / REPORT).glob("*/index.html"))]
    ties = 0
    for path in pages:
        page = soup(path)
        assert not re.search(r"\b1 posts\b", page.get_text(" ")), path
        for svg in page.select("svg.chart"):
            # The chart's own labels (a trend's dates are shorter there than in its table).
            rows = [(label.get_text(), int(tr.find("td").get_text(strip=True))) for label, tr in
                    zip(svg.select("text.label"), svg.find_parent(class_="chart-and-table").select("tbody tr"),
                        strict=True)]
            top = max(value for _, value in rows)
            if not top:
                continue
            peaks = [label for label, value in rows if value == top]
            ties += len(peaks) > 1
            names = peaks[0] if len(peaks) == 1 else ", ".join(peaks[:-1]) + " and " + peaks[-1]
            noun = "post" if top == 1 else "posts"
            each = " each" if len(peaks) > 1 else ""
            assert svg.find("desc").get_text().startswith(f"Highest: {names}, {top} {noun}{each}."), (path, rows)
    assert ties, "the example has charts with tied months or topics"


def test_the_downloads_agree_with_each_other(report):
    _, site, url = report
    cohort = soup(site / REPORT / "index.html")
    hrefs = [urljoin(f"{url}{REPORT}/", a["href"]) for a in cohort.select(".downloads a")]
    assert hrefs == [f"{url}{REPORT}/data.csv", f"{url}{REPORT}/data.json"]
    rows = list(csv.DictReader(io.StringIO((site / REPORT / "data.csv").read_text())))
    data = json.loads((site / REPORT / "data.json").read_text())
    assert [r["slug"] for r in rows] == [c["slug"] for c in data["councillors"]]
    for row, c in zip(rows, data["councillors"], strict=True):
        assert int(row["published_posts"]) == c["published_posts"] and int(row["words"]) == c["words"]
        assert row["two_platforms"] == ("yes" if c["two_platforms"] else "no")
    mine = list(csv.DictReader(io.StringIO((site / REPORT / "amira-patel" / "data.csv").read_text())))
    months = {c["slug"]: c for c in data["councillors"]}["amira-patel"]["months"]
    assert [(r["month"], int(r["posts"]), int(r["words"])) for r in mine] == \
        [(m["month"], m["posts"], m["words"]) for m in months]
    assert json.loads((site / REPORT / "amira-patel" / "data.json").read_text())["months"] == months


def test_trends_come_from_the_snapshots(report):
    _, site, _ = report
    page = soup(site / REPORT / "amira-patel" / "index.html")
    dates = [tr.th.get_text(strip=True) for tr in page.select("#trend-caption ~ tbody tr")]
    assert dates == ["1 Oct 2026", "25 Nov 2026"]
    first = [td.get_text(strip=True) for td in page.select("#trend-caption ~ tbody tr")[0].find_all("td")]
    assert first == ["1", "150", "300"], "posts, words and followers (212 + 88) from the snapshot"


def test_listening_data_is_shown_when_a_snapshot_has_it(report):
    _, site, _ = report
    page = soup(site / REPORT / "amira-patel" / "index.html")
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in page.select("#listening-caption ~ tbody tr")}
    assert rows == {"Mastodon": ["212", "9", "40"], "Bluesky": ["88", "not recorded", "not recorded"]}
    assert "1 October 2026" in page.select_one("#listening-caption").get_text()
    assert soup(site / REPORT / "tom-whitaker" / "index.html").select("#listening-caption") == []


@pytest.mark.parametrize("path", ["", "amira-patel/", "margaret-ellison/"])
def test_the_report_pages_are_accessible(report, browser, path):
    _, _, url = report
    assert_accessible(browser, f"{url}{REPORT}/{path}")


# --- `councillor footprint` keeps the history ------------------------------------------------


def test_councillor_footprint_records_a_snapshot_and_keeps_listening_data(tmp_path):
    root = copy_example(tmp_path / "programme")
    add_ledger_mix(root)
    site = tmp_path / "site"

    result = run_cli("footprint", "--root", root, "--date", DAY.isoformat(), "--site-dir", site)

    assert result.exit_code == 0, result.output
    snapshot_file = root / "footprint" / "snapshots" / f"{DAY.isoformat()}.json"
    assert f"Recorded {snapshot_file}" in result.output
    snapshot = json.loads(snapshot_file.read_text())
    want = expected(root)
    assert snapshot["date"] == DAY.isoformat()
    for slug, figures in want.items():
        assert snapshot["councillors"][slug]["posts"] == figures["posts"]
        assert snapshot["councillors"][slug]["words"] == figures["words"]
    assert (site / REPORT / "index.html").is_file() and (site / REPORT / "data.json").is_file()

    snapshot["councillors"]["grace-okonkwo"]["platforms"]["mastodon"]["followers"] = 57
    snapshot_file.write_text(json.dumps(snapshot))
    again = run_cli("footprint", "--root", root, "--date", DAY.isoformat(), "--site-dir", site)

    assert again.exit_code == 0, again.output
    kept = json.loads(snapshot_file.read_text())
    assert kept["councillors"]["grace-okonkwo"]["platforms"]["mastodon"]["followers"] == 57
    assert sorted(p.name for p in snapshot_file.parent.glob("*.json")).count(snapshot_file.name) == 1
    page = soup(site / REPORT / "grace-okonkwo" / "index.html")
    assert "57" in page.select_one("#listening-caption").find_parent("table").get_text()


def test_a_broken_snapshot_is_reported_before_building(tmp_path):
    root = copy_example(tmp_path / "programme")
    broken = root / "footprint" / "snapshots" / "2026-09-01.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('{"format": 1, "date": "2026-09-01", "councillors": {"amira-patel": {"posts": "lots"}}}')

    result = run_cli("build", "--root", root)

    assert result.exit_code == 1
    assert f"{broken}: is not a footprint snapshot" in result.output


def test_the_example_keeps_a_history_with_listening_data(tmp_path):
    root = copy_example(tmp_path / "programme")
    kept = sorted(p.stem for p in (root / "footprint" / "snapshots").glob("*.json"))
    assert len(kept) >= 3, "the example shows a trend"
    site = tmp_path / "site"

    result = run_cli("footprint", "--root", root, "--date", DAY.isoformat(), "--site-dir", site, "--no-snapshot")

    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in (root / "footprint" / "snapshots").glob("*.json")) == kept
    cohort = soup(site / REPORT / "index.html")
    dates = [tr.th.get_text(strip=True) for tr in cohort.select("#trend-caption ~ tbody tr")]
    shown = [dt.date.fromisoformat(day).strftime("%-d %b %Y") for day in kept if day < DAY.isoformat()]
    assert dates == [*shown, "25 Nov 2026"]
    latest = max(day for day in kept if day <= DAY.isoformat())
    listening = [c for c in json.loads((root / "footprint" / "snapshots" / f"{latest}.json").read_text())
                 ["councillors"].items() if any("followers" in p for p in c[1]["platforms"].values())]
    assert listening, "the latest snapshot has followers for someone"
    for slug, _ in listening:
        caption = soup(site / REPORT / slug / "index.html").select_one("#listening-caption").get_text()
        assert dt.date.fromisoformat(latest).strftime("%-d %B %Y") in caption


# --- The report on a phone and a desktop ----------------------------------------------------------

LABEL_SIZES_JS = """() => [...document.querySelectorAll("svg.chart text")].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
REGIONS_JS = """() => [...document.querySelectorAll(".table-wrap")].map(wrap => ({
    scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
    role: wrap.getAttribute("role"),
    tabindex: wrap.getAttribute("tabindex"),
    name: (wrap.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean)
        .map(id => document.getElementById(id).textContent.trim()).join(" "),
    cue: [...wrap.querySelectorAll(".scroll-cue")].some(c => c.checkVisibility()),
}))"""
ALIGNMENT_JS = """() => [...document.querySelectorAll("table.figures")].flatMap(table => {
    const heads = [...table.querySelectorAll("thead th")];
    return [...table.querySelectorAll("tbody tr")].flatMap(row => [...row.children].map((cell, i) => [
        heads[i].textContent.trim(), getComputedStyle(heads[i]).textAlign, getComputedStyle(cell).textAlign]));
})"""
PAGES = ["", "amira-patel/"]


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_report_fits_its_column_and_its_tables_say_when_they_scroll(report, browser, width):
    _, _, url = report
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{url}{REPORT}/{path}")
            assert browser_support.wider_than_column(page, "main") == [], path
            assert not browser_support.has_horizontal_scroll(page), path
            regions = page.evaluate(REGIONS_JS)
            if width < 400:
                assert any(r["scrolls"] for r in regions), "the cohort table is wider than a phone"
            for region in regions:
                assert region["role"] == "region" and region["tabindex"] == "0", region
                assert region["cue"] == region["scrolls"], (path, region)
                assert ("scrolls sideways" in region["name"]) == region["scrolls"], (path, region)
            page.locator(".table-wrap").first.focus()
            assert page.evaluate("document.activeElement.classList.contains('table-wrap')")
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_chart_labels_are_at_least_12_px_on_a_phone(report, browser, width):
    _, _, url = report
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{url}{REPORT}/{path}")
            sizes = page.evaluate(LABEL_SIZES_JS)
            assert sizes and min(sizes) >= 12, (path, min(sizes))
    finally:
        context.close()


def test_on_a_desktop_dates_stay_on_one_line_and_headings_line_up_with_figures(report, browser):
    _, _, url = report
    context = browser.new_context(viewport=browser_support.DESKTOP)
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{url}{REPORT}/{path}")
            dates = browser_support.wrapped_lines(page, "#trend-caption ~ tbody th")
            assert dates and all(len(lines) == 1 for lines in dates), (path, dates)
            for heading, heading_align, cell_align in page.evaluate(ALIGNMENT_JS):
                assert heading_align == cell_align, (path, heading)
    finally:
        context.close()
