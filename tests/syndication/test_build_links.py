"""What the build does with syndication: "Also on …" links from the ledger, and the share kit page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.syndication import ledger
from tests.conftest import copy_example, run_cli

SITE_URL = "http://127.0.0.1:1/networked-councillor/"
LIGHTS_FILE = "2026-11-19-christmas-lights-switch-on-saturday-28-november.md"
LIGHTS_TITLE = "Christmas lights switch-on, Saturday 28 November"
LIGHTS_ALT = "Strings of white lights over the Market Square stalls at dusk"


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
                     "  facebook:\n    handle: imran.haque.1988\n    personal: true\n"
                     "  instagram: imranhaque\n", encoding="utf-8")
    # A post with a picture, whose summary opens with its title.
    images = root / "councillor_blogs" / "imran-haque" / "content" / "images"
    images.mkdir(exist_ok=True)
    from PIL import Image

    Image.linear_gradient("L").resize((400, 210)).convert("RGB").save(images / "lights.jpg")
    lights = root / "councillor_blogs/imran-haque/content/posts" / LIGHTS_FILE
    text = lights.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    head = "\n".join(line for line in head.splitlines() if not line.startswith("summary:"))
    lights.write_text(head + f"\nsummary: \"{LIGHTS_TITLE}: come to Market Square from 5pm.\"\n"
                      f"image:\n  src: images/lights.jpg\n  alt: {LIGHTS_ALT}\n---\n" + body, encoding="utf-8")
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


def kit_texts(built: Path) -> dict[tuple[str, str], str]:
    """{(post title, network label): the text offered}, read from the built share kit page."""
    from bs4 import BeautifulSoup

    html = (built / "site/councillors/imran-haque/share-kit/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    texts = {}
    for article in soup.find_all("article"):
        title = article.find("h2").get_text(strip=True)
        for heading in article.find_all("h3"):
            texts[(title, heading.get_text(strip=True))] = heading.find_next("textarea").get_text()
    return texts


def test_each_share_kit_text_suits_its_network(built):
    texts = kit_texts(built)
    blog = f"{SITE_URL}councillors/imran-haque/"
    instagram = {title: text for (title, label), text in texts.items() if label == "Instagram"}
    nextdoor = {title: text for (title, label), text in texts.items() if label == "Nextdoor"}
    assert instagram and set(instagram) == set(nextdoor)
    for title, text in instagram.items():
        # No link that cannot be clicked: where the post is, in words to type or find in the bio.
        assert "://" not in text and "Full post at 127.0.0.1:1/networked-councillor/councillors/imran-haque" in text
        assert nextdoor[title].count(blog) == 1  # a link, where links can be clicked
    lights = next(t for t in instagram if t == LIGHTS_TITLE)
    for label in ("Instagram", "Nextdoor", "Facebook"):
        assert texts[(lights, label)].count(LIGHTS_TITLE) == 1, label  # not doubled by the summary


def test_the_share_kit_offers_the_picture_with_its_description(built):
    from bs4 import BeautifulSoup

    html = (built / "site/councillors/imran-haque/share-kit/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = next(a for a in soup.find_all("article") if a.find("h2").get_text(strip=True) == LIGHTS_TITLE)
    image = article.find("img")
    url = f"{SITE_URL}councillors/imran-haque/images/lights.jpg"
    assert image["src"] == url and image["alt"] == LIGHTS_ALT
    download = article.find("a", attrs={"download": True})
    assert download["href"] == url and download["download"] == "lights.jpg"
    assert article.find("textarea", class_="alt").get_text() == LIGHTS_ALT
    assert (built / "site/councillors/imran-haque/images/lights.jpg").is_file()  # published, so it downloads
    others = [a for a in soup.find_all("article") if a is not article]
    assert others and all(a.find("img") is None for a in others)  # a post without a picture offers none
