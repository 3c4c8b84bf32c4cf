"""The example's Responses section: counts and approved replies on a shared post, accessible on every screen."""

from __future__ import annotations

import mf2py
import pytest
from bs4 import BeautifulSoup

from tests.support.browser import DESKTOP, IPAD, PHONE, axe_violations, describe, has_horizontal_scroll, open_page

POST = "councillors/sian-pryce-jones/2026/09/my-surgeries-move-to-friday-evenings/"


def test_the_example_post_shows_counts_and_only_the_approved_replies(example_site):
    site, _ = example_site
    html = (site / POST / "index.html").read_text(encoding="utf-8")
    section = BeautifulSoup(html, "html.parser").select_one("section.responses")
    assert section is not None and section.h2.get_text() == "Responses"
    assert " ".join(section.select_one(".response-counts").get_text().split()) == \
        "2 replies, 9 likes and 3 reposts on Mastodon · 1 reply, 21 likes and 1 repost on Facebook"
    links = [a["href"] for a in section.select(".response-counts a")]
    assert links == ["https://social.fenmarsh.example/@sianpj/113400000000000012",
                     "https://www.facebook.com/CllrSianPryceJones/posts/113400000000000013"]
    assert "shift worker" in html and "Tea and coffee as usual!" in html
    assert "Willow Close" not in html, "a hidden reply is never on the site"
    entry = next(i for i in mf2py.parse(doc=html)["items"] if "h-entry" in i["type"])
    comments = entry["properties"]["comment"]
    assert [c["properties"]["author"][0]["properties"]["name"] for c in comments] == \
        [["Halimah Rahman"], ["Riverside Community Centre"]]
    assert comments[0]["properties"]["published"] == ["2026-09-18T19:42:10Z"]


@pytest.mark.parametrize("viewport", [PHONE, IPAD, DESKTOP], ids=["phone", "ipad", "desktop"])
def test_the_responses_section_passes_axe(built_example, browser, viewport):
    _, url = built_example
    visit = open_page(browser, url + POST, viewport)
    violations = axe_violations(visit.page)
    assert violations == [], describe(violations)
    assert visit.other_hosts() == set()
    if viewport is PHONE:
        assert not has_horizontal_scroll(visit.page)
    visit.page.context.close()
