"""A 250-character title on every network: the message fits each network's own count, and nothing fails."""

from __future__ import annotations

from generator.syndication import ADAPTERS, adapter_class
from generator.syndication.base import Context
from generator.syndication.compose import BLUESKY_MAX_GRAPHEMES, Draft, bluesky_display, compose, graphemes
from generator.syndication.sharekit import RULES, share_url
from tests.conftest import run_cli
from tests.syndication.conftest import make_programme

TITLE = ("Residents of Castle ward asked what the new parking arrangements on Market Street, Corn Exchange "
         "Passage and the streets around the old tannery yard will mean for them, so here is everything the "
         "council has decided and what happens next in the spring")
URL = ("https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/2026/11/"
       "residents-of-castle-ward-asked-what-the-new-parking-arrangements-on-market-street-mean/")
HANDLES = {"mastodon": "@amirapatel@social.fenmarsh.example", "bluesky": "amirapatel.bsky.social"}


def test_the_title_is_250_characters():
    assert len(TITLE) == 250


def test_every_adapters_composer_fits_a_250_character_title():
    draft = Draft(url=URL, title=TITLE, summary="What changes, street by street.", tags=("parking", "Castle ward"))
    for name in ADAPTERS:
        cls = adapter_class(name)
        assert cls is not None
        adapter = cls(Context(blog_slug="amira-patel", handle=HANDLES.get(name, "amirapatel"), env={}))
        message = adapter.prepare(draft, live=False)
        rules = adapter.rules()
        assert rules.measure(message.text, message.shown) <= rules.limit, name
        assert message.shown in message.text and message.card.url == URL, name
        assert message.text.startswith(TITLE[:40]), name
        if name == "bluesky":
            assert len(graphemes(message.text)) <= BLUESKY_MAX_GRAPHEMES
            assert message.shown == bluesky_display(URL)
        elif name == "instagram":  # a caption's link cannot be clicked: it says where the post is
            assert "://" not in message.text and "Full post at fenmarsh-council.github.io/" in message.text
        else:
            assert URL in message.text, name


def test_every_share_kit_text_fits_a_250_character_title():
    draft = Draft(url=URL, title=TITLE, summary="What changes, street by street.", tags=("parking",))
    for name, rules in RULES.items():
        message = compose(name, draft, rules)
        assert rules.measure(message.text, message.url) <= rules.limit, name
        assert message.text.startswith(TITLE[:40]), name
        share_url(name, message.text, URL, "@amirapatel@social.fenmarsh.example")


def test_a_dry_run_with_a_250_character_title_previews_it_on_every_network(tmp_path):
    programme = make_programme(tmp_path, extra_platforms="".join("  " + line + "\n" for line in [
        "bluesky: amirapatel.bsky.social", "x:", "  handle: amirapatel", "  syndicate: true",
        "facebook: CllrAmiraPatel", "linkedin:", "  handle: Amira Patel",
        "  url: https://www.linkedin.com/in/amira-patel-example/", "threads: amirapatel"]), posts={})
    programme.add_post("2026-11-20-parking.md", TITLE, "2026-11-20 09:00", summary="What changes, street by street.")
    result = run_cli("syndicate", "--root", programme.root, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "FAILED" not in result.output and "too long" not in result.output
    slug = next((programme.root / "site/councillors/amira-patel/2026/11").iterdir()).name
    for label in ("Mastodon", "Bluesky", "X", "Facebook", "LinkedIn", "Threads"):
        assert f"  {label}: {slug}: would send" in result.output, label
