"""What the build does with syndication: "Also on …" links from the ledger, and the share kit page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.syndication import ledger
from tests.conftest import copy_example, run_cli

SITE_URL = "http://127.0.0.1:1/networked-councillor/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("links") / "programme")
    blog = root / "councillor_blogs" / "sian-pryce-jones"
    book = ledger.Ledger.load(blog)
    url = f"{SITE_URL}councillors/sian-pryce-jones/2026/11/have-your-say-on-the-draft-budget/"
    key, slug = "2026-11-06-have-your-say-on-the-draft-budget.md", "have-your-say-on-the-draft-budget"
    book.set_row(key, "mastodon", slug=slug, url=url, status="done", remote_id="1", remote_url="https://social.fenmarsh.example/@sianpj/1")
    book.set_row(key, "facebook", slug=slug, url=url, status="error", error="token expired")
    book.save()
    # Imran also lists his personal Facebook profile, which no program may post to.
    imran = root / "councillor_blogs" / "imran-haque" / "councillor.yml"
    imran.write_text(imran.read_text(encoding="utf-8") +
                     "  facebook:\n    handle: imran.haque.1988\n    personal: true\n", encoding="utf-8")
    result = run_cli("build", "--root", root, "--base-url", SITE_URL)
    assert result.exit_code == 0, result.output
    return root


def test_ledger_links_reach_the_post_as_u_syndication(built):
    mf2py = pytest.importorskip("mf2py")
    page = built / "site/councillors/sian-pryce-jones/2026/11/have-your-say-on-the-draft-budget/index.html"
    parsed = mf2py.parse(doc=page.read_text(encoding="utf-8"))
    entries = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert entries and entries[0]["properties"].get("syndication") == ["https://social.fenmarsh.example/@sianpj/1"]


def test_syndication_links_read_api():
    links = ledger.syndication_links(Path("/nonexistent/folder"))
    assert links == {}


def test_the_share_kit_is_built_only_for_hand_shared_networks_and_linked_from_nowhere(built):
    site = built / "site"
    kit = site / "councillors/imran-haque/share-kit/index.html"
    assert kit.is_file()
    assert not (site / "councillors/amira-patel/share-kit").exists()  # Mastodon and Bluesky are automated
    html = kit.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Copy text for Nextdoor" in html
    assert "Copy text for Facebook" in html  # a personal profile is shared by hand
    for page in (site / "councillors").rglob("*.html"):
        if "share-kit" not in page.parts:
            assert "share-kit" not in page.read_text(encoding="utf-8"), page


def test_a_personal_facebook_profile_is_never_posted_to(built):
    result = run_cli("syndicate", "--root", built, "--blog", "imran-haque", "--dry-run", "--base-url", SITE_URL)
    assert result.exit_code == 0, result.output
    assert "shared by hand from councillors/imran-haque/share-kit/: Facebook, Nextdoor" in result.output
    assert "would send" not in result.output and "NC_IMRAN_HAQUE_FACEBOOK" not in result.output


def test_the_share_kit_passes_axe(built_example, browser):
    from tests.support.browser import IPAD, PHONE, axe_violations, open_page

    # Built for the address it is served at, so the blog's stylesheet loads as it does for a councillor.
    _, url = built_example
    for viewport in (IPAD, PHONE):
        visit = open_page(browser, f"{url}councillors/imran-haque/share-kit/", viewport)
        assert axe_violations(visit.page) == []
        assert not visit.other_hosts()
        visit.page.context.close()


def test_ledger_file_is_stable_json(built):
    text = (built / "councillor_blogs/sian-pryce-jones/syndication.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["format"] == 1
