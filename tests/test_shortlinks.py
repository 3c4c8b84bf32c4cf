"""Short links: /s/<code>/ leads to its item in a real browser, stays the same across builds, and can be quoted."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import copy_example, run_cli, run_cli_process
from tests.support.helpers import tree
from tests.test_council import DAY, assert_accessible, served_build, soup

QUOTING_POST = (
    "---\ntitle: What the new bin rounds mean for Castle\ndate: 2026-11-21 10:00\ntags: [bins]\n---\n"
    "The council has confirmed the new garden waste rounds.\n\n"
    "[[council:bin-changes]]\n\n"
    "I will be at the library on Saturday if you have questions.\n"
)


def set_pre_election(root: Path, start: dt.date, end: dt.date) -> None:
    programme = root / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    text = re.sub(r"pre_election:\n  start: .*\n  end: .*\n", f"pre_election:\n  start: {start}\n  end: {end}\n", text)
    programme.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Iterator[tuple[Path, Path, str]]:
    root = copy_example(tmp_path_factory.mktemp("shortlinks") / "programme")
    # A quote follows the real clock, as posts do: keep the example's pre-election period out of the way.
    set_pre_election(root, dt.date(2020, 4, 1), dt.date(2020, 5, 7))
    posts = root / "councillor_blogs" / "amira-patel" / "content" / "posts"
    (posts / "2026-11-21-new-bin-rounds.md").write_text(QUOTING_POST)
    with served_build(root, "--date", DAY.isoformat()) as (site, url, _):
        yield root, site, url


def test_a_short_link_resolves_in_a_browser_to_its_item(linked, browser):
    _, _, url = linked
    page = browser.new_page()
    page.goto(f"{url}s/bin-changes/")
    page.wait_for_url(f"{url}news/bin-changes/", timeout=10_000)
    assert page.locator("h1").inner_text() == "Garden waste collected all year from March"
    page.close()


def test_a_short_link_without_its_trailing_slash_also_resolves(linked, browser):
    _, _, url = linked
    page = browser.new_page()
    page.goto(f"{url}s/market-street")
    page.wait_for_url(f"{url}news/market-street-resurfacing/", timeout=10_000)
    page.close()


def test_the_redirect_page_names_its_target_for_everyone(linked):
    _, site, url = linked
    page = soup(site / "s" / "bin-changes" / "index.html")
    target, here = f"{url}news/bin-changes/", f"{url}s/bin-changes/"
    refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh.startswith("0; url=") and urljoin(here, refresh.removeprefix("0; url=")) == target
    assert page.select_one('link[rel="canonical"]')["href"] == target
    links = [urljoin(here, a["href"]) for a in page.select("main a")]
    assert target in links, "a visible link for browsers that do not redirect"


def test_the_short_link_page_is_accessible(linked, browser):
    _, _, url = linked
    context = browser.new_context()
    page = context.new_page()
    # Stop the redirect so that axe examines the short link page itself.
    page.route("**/news/**", lambda route: route.abort("aborted"))
    page.goto(f"{url}s/bin-changes/")
    page.wait_for_timeout(200)
    assert page.url == f"{url}s/bin-changes/"
    from tests.support.browser import axe_violations, describe

    violations = axe_violations(page)
    assert violations == [], describe(violations)
    context.close()


def test_the_council_item_page_is_accessible(linked, browser):
    _, _, url = linked
    assert_accessible(browser, f"{url}news/bin-changes/")


def test_a_councillor_can_quote_an_item_in_one_line(linked):
    _, site, url = linked
    post = soup(site / "councillors" / "amira-patel" / "2026" / "11" / "what-the-new-bin-rounds-mean-for-castle"
                / "index.html")
    quote = post.select_one("aside.council-quote")
    assert quote is not None
    text = quote.get_text(" ")
    assert "From March green bins are emptied every two weeks" in text
    assert "Waste and recycling" in text
    assert quote.select_one("a")["href"] == f"{url}s/bin-changes/"
    assert "[[council:" not in post.get_text()


def test_short_links_stay_the_same_across_builds_and_edits(tmp_path, example_build):
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    site_url = "https://fenmarsh-council.github.io/networked-councillor/"
    result = run_cli("build", "--root", root, "--base-url", site_url, "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    first = sorted(p.parent.name for p in (root / "site" / "s").glob("*/index.html"))
    first_pages = tree(root / "site" / "s")
    item = root / "council_content" / "2026-11-06-budget-consultation.md"
    item.write_text(item.read_text().replace("title: Have your say on next year's budget",
                                             "title: Last chance to comment on the budget"))

    result = run_cli("build", "--root", root, "--base-url", site_url, "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output

    assert sorted(p.parent.name for p in (root / "site" / "s").glob("*/index.html")) == first
    again = tree(root / "site" / "s")
    assert {k for k in first_pages if first_pages[k] != again[k]} == {"budget/index.html"}
    assert "Last chance to comment" in (root / "site" / "s" / "budget" / "index.html").read_text()


def test_two_items_with_one_code_name_both_files(tmp_path):
    root = copy_example(tmp_path / "programme")
    content = root / "council_content"
    clash = content / "2026-11-22-bin-day-changes.md"
    clash.write_text((content / "2026-11-10-library-winter-hours.md").read_text()
                     .replace("code: library-hours", "code: bin-changes"))

    result = run_cli_process("build", "--root", root)

    assert result.returncode == 1
    assert "short link code ('bin-changes')" in result.stderr
    assert str(clash) in result.stderr and str(content / "2026-11-20-bin-changes.md") in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_code_in_a_post_names_the_file_and_line(tmp_path):
    root = copy_example(tmp_path / "programme")
    post = root / "councillor_blogs" / "amira-patel" / "content" / "posts" / "2026-11-21-new-bin-rounds.md"
    post.write_text(QUOTING_POST.replace("[[council:bin-changes]]", "[[council:bin-change]]"))
    line = QUOTING_POST.splitlines().index("[[council:bin-changes]]") + 1

    result = run_cli_process("build", "--root", root)

    assert result.returncode == 1
    assert f"{post}:{line}: there is no council item with the code 'bin-change'" in result.stderr
    assert not (root / "site").exists()


def test_a_code_inside_a_code_block_is_left_alone(tmp_path, example_build):
    root = copy_example(tmp_path / "programme", cache_from=example_build)
    post = root / "councillor_blogs" / "amira-patel" / "content" / "posts" / "2026-11-21-how-to-quote.md"
    post.write_text("---\ntitle: How to quote council news\ndate: 2026-11-21 10:00\n---\n"
                    "Write this on a line of its own:\n\n```\n[[council:no-such-item]]\n```\n")
    result = run_cli("build", "--root", root, "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    page = (root / "site" / "councillors" / "amira-patel" / "2026" / "11" / "how-to-quote-council-news"
            / "index.html").read_text()
    assert "[[council:no-such-item]]" in page


#: News the council has written but not yet published: none of its words may appear before its day.
NOT_OUT_YET = ("---\ntitle: A new depot for Fenmarsh\ndate: 2099-01-04 09:00\ndepartment: Waste and recycling\n"
               "summary: EMBARGOED the depot moves to Quay Road.\ncode: depot\n---\nEMBARGOED details.\n")
QUOTES_BOTH = ("---\ntitle: News from the council this week\ndate: 2026-11-22 10:00\n---\n"
               "[[council:depot]]\n\n[[council:bin-changes]]\n\nMore at my surgery on Saturday.\n")
POST_PAGE = "councillors/amira-patel/2026/11/news-from-the-council-this-week/index.html"


def test_a_quote_shows_no_words_of_news_not_out_yet_or_held_before_an_election(tmp_path):
    root = copy_example(tmp_path / "programme")
    set_pre_election(root, dt.date(2020, 4, 1), dt.date(2020, 5, 7))
    (root / "council_content" / "2099-01-04-depot.md").write_text(NOT_OUT_YET)
    (root / "councillor_blogs" / "amira-patel" / "content" / "posts" / "2026-11-22-council-news.md"
     ).write_text(QUOTES_BOTH)
    site_url = "https://fenmarsh-council.github.io/networked-councillor/"

    assert run_cli("build", "--root", root, "--base-url", site_url).exit_code == 0

    page = soup(root / "site" / POST_PAGE)
    waiting, live = page.select("aside.council-quote")
    assert "appears from 4 January 2099" in waiting.get_text(" ")
    assert waiting.select_one("a")["href"] == f"{site_url}s/depot/"
    assert "From March green bins are emptied" in live.get_text(" ")
    site_text = "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*") if p.suffix in
                        {".html", ".xml", ".json", ".csv"})
    assert "EMBARGOED" not in site_text  # the post, its feeds, the hub and the footprint
    # The hub's opening words are the councillor's own, without the quote lines.
    hub = soup(root / "site" / "hub" / "index.html")
    [entry] = [li for li in hub.select("li.hub-post") if "News from the council this week" in li.get_text()]
    assert "[[council:" not in entry.get_text() and "More at my surgery on Saturday." in entry.get_text()
    # The blog is rebuilt by itself on the day the news comes out.
    kept = json.loads((root / ".build-cache" / "parts" / "blogs" / "amira-patel.json").read_text())
    assert "2099-01-04T09:00:00+00:00" in kept["pending"]

    # Now the pre-election period has begun: the council's news waits until it is over.
    today = dt.date.today()
    set_pre_election(root, today - dt.timedelta(days=1), today + dt.timedelta(days=30))
    assert run_cli("build", "--root", root, "--base-url", site_url).exit_code == 0

    held = soup(root / "site" / POST_PAGE).select("aside.council-quote")[1]
    ends = today + dt.timedelta(days=30)
    assert f"after the pre-election period ends on {ends:%-d %B %Y}" in held.get_text(" ")
    assert "From March green bins" not in (root / "site" / POST_PAGE).read_text(encoding="utf-8")
