"""Composing under each network's rules, with property tests on random Unicode text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from generator.syndication.compose import (
    ELLIPSIS,
    Draft,
    Rules,
    bluesky_display,
    bluesky_length,
    compose,
    facets,
    graphemes,
    hashtag,
    linkedin_escape,
    mastodon_length,
    threads_length,
    x_length,
)
from generator.syndication.linkedin import commentary_length

URL = "https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/2026/11/bins/"
NETWORK_RULES = {
    "mastodon": Rules(500, mastodon_length),
    "x": Rules(280, x_length),
    "bluesky": Rules(300, bluesky_length, display=bluesky_display),
    "threads": Rules(500, threads_length),
    "linkedin": Rules(3000, commentary_length),
}


# --- the counting rules -----------------------------------------------------------------------


def test_mastodon_counts_every_url_as_23():
    long_url = "https://example.org/" + "a" * 200
    assert mastodon_length(f"See {long_url}", long_url) == 4 + 23
    assert mastodon_length("https://x.io", "https://x.io") == 23  # short links count 23 too


def test_mastodon_counts_graphemes():
    assert mastodon_length("e\u0301 👨‍👩‍👧 🇬🇧", "") == 5


def test_mastodon_counts_other_links_at_23_or_in_full():
    # A short link is shortened to 23 by Mastodon; a long one may be left as text, so it is counted in full.
    assert mastodon_length("See https://fen.gov/c1", URL) == 4 + 23
    long_link = "https://www.fenmarsh.gov.uk/" + "b" * 40
    assert mastodon_length(f"See {long_link}", URL) == 4 + len(long_link)
    assert mastodon_length(f"({URL}) https://fen.gov/c1", URL) == 1 + 23 + 2 + 23


def test_x_counts_bare_domains_as_links_as_x_does():
    text = f"Report potholes on fixmystreet.com or bbc.co.uk/news, not x.example\n\n{URL}"
    assert x_length(text, URL) == 19 + 23 + 4 + 23 + 17 + 23


@pytest.mark.parametrize(("text", "weight"), [
    ("Hello world", 11), ("Croeso i Gymru — ŵ ŷ", 20), ("世界 こんにちは", 15), ("👍🏽 👨‍👩‍👧 🇬🇧", 8),
    (f"Read this {URL}", 10 + 23), ("e\u0301", 1),  # NFC first: one é
])
def test_x_weighs_text_as_x_documents(text, weight):
    assert x_length(text, URL) == weight


def test_threads_counts_emoji_as_their_utf8_bytes():
    assert threads_length("hi 👍", "") == 3 + 4
    assert threads_length("👨‍👩‍👧", "") == len("👨‍👩‍👧".encode())


def test_bluesky_counts_graphemes_and_bytes():
    assert bluesky_length("é" * 300, "") == 300
    assert bluesky_length("\U0001F600" * 300, "") == 300
    assert bluesky_length("\U0001F600" * 750 + "a", "") > 300  # 3,004 bytes


def test_linkedin_escapes_little_format_but_keeps_the_link():
    assert linkedin_escape("(bins) & [parks]", keep=()) == "\\(bins\\) & \\[parks\\]"
    assert linkedin_escape(f"see {URL}_x", keep=(URL,)) == f"see {URL}\\_x"


@pytest.mark.parametrize(("tag", "made"), [("bins", "#bins"), ("flood risk", "#FloodRisk"), ("2027", None),
                                           ("ysgol gymraeg", "#YsgolGymraeg"), ("—", None)])
def test_hashtags_from_tags(tag, made):
    assert hashtag(tag) == made


# --- composing --------------------------------------------------------------------------------


def draft(**kw) -> Draft:
    base = dict(url=URL, title="Bin collections change", summary="Black bins move to Tuesdays.",
                tags=("bins", "flood risk"))
    return Draft(**{**base, **kw})


def test_a_short_post_is_title_summary_link_and_hashtags():
    message = compose("mastodon", draft(), NETWORK_RULES["mastodon"])
    assert message.text == f"Bin collections change\n\nBlack bins move to Tuesdays.\n\n{URL}\n\n#bins #FloodRisk"


def test_the_councillors_own_text_wins_and_gets_the_link():
    message = compose("mastodon", draft(social={"mastodon": "Bins move. #Fenmarsh"}), NETWORK_RULES["mastodon"])
    assert message.text == f"Bins move. #Fenmarsh\n\n{URL}"
    other = compose("x", draft(social={"mastodon": "Bins move."}), NETWORK_RULES["x"])
    assert other.text.startswith("Bin collections change")


def test_mastodon_uses_the_23_rule_not_the_full_url_length():
    # 500 - 23 for the link - 2 for the line break leaves 475 for the text: a 470-character
    # summary fits, though the message is far longer than 500 code points.
    summary = ("word " * 94).strip()
    message = compose("mastodon", draft(title="T", summary=summary, tags=()), NETWORK_RULES["mastodon"])
    assert ELLIPSIS not in message.text and len(message.text) > 500


def test_long_text_is_cut_at_a_word_with_an_ellipsis_keeping_the_link():
    summary = "Residents in Castle ward will see their black bins collected on Tuesdays " * 10
    message = compose("x", draft(summary=summary), NETWORK_RULES["x"])
    assert message.text.endswith(URL)
    body = message.text[: -len(URL)].rstrip()
    assert body.endswith(ELLIPSIS)
    before = body[: -len(ELLIPSIS)]
    assert summary.startswith(before.split("\n\n", 1)[1])
    assert summary[len(before.split("\n\n", 1)[1])] == " "  # cut where a word ended
    assert x_length(message.text, URL) <= 280


def test_text_without_spaces_is_cut_between_characters():
    message = compose("x", draft(title="市議会のお知らせ", summary="燃えるごみの収集日が変わります。" * 20, tags=()),
                      NETWORK_RULES["x"])
    assert ELLIPSIS in message.text and x_length(message.text, URL) <= 280


def test_facets_point_at_the_link_bytes_in_the_final_text():
    message = compose("bluesky", draft(title="Croeso 👋🏽 " * 40), NETWORK_RULES["bluesky"])
    raw = message.text.encode("utf-8")
    links = [f for f in message.facets if f.kind == "link"]
    assert len(links) == 1 and raw[links[0].byte_start:links[0].byte_end] == message.shown.encode()
    assert links[0].value == URL


def test_bluesky_shows_the_link_as_the_bluesky_app_does():
    # Host, then the first 13 characters of the rest and an ellipsis when the rest is longer than 15.
    assert bluesky_display(URL) == "fenmarsh-council.github.io/networked-co…"
    assert bluesky_display("https://fenmarsh.example/councillors/amira/") == "fenmarsh.example/councillors/…"
    assert bluesky_display("https://fenmarsh.example/") == "fenmarsh.example"
    assert bluesky_display("https://fenmarsh.example/s/abc12") == "fenmarsh.example/s/abc12"


def test_bluesky_keeps_the_summary_and_tags_where_the_full_address_would_not_fit():
    long_url = "https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/2026/11/" + \
        "a-very-long-address-made-from-a-long-title-about-the-bins-" * 3 + "/"
    summary = "Most want the 2-hour free parking kept on Market Street, and the council has agreed to ask again."
    d = Draft(url=long_url, title="Parking on Market Street", summary=summary, tags=("parking", "Market Street"))
    message = compose("bluesky", d, NETWORK_RULES["bluesky"])
    assert message.text == f"Parking on Market Street\n\n{summary}\n\n{message.shown}\n\n#parking #MarketStreet"
    assert long_url not in message.text and len(graphemes(message.text)) <= 300
    link = next(f for f in message.facets if f.kind == "link")
    assert message.text.encode()[link.byte_start:link.byte_end].decode() == message.shown
    assert link.value == long_url and message.card.url == long_url
    # Written in the councillor's own words with the full address, the address is shown short too.
    own = compose("bluesky", Draft(url=long_url, title="T", social={"bluesky": f"Parking: {long_url} #Fenmarsh"}),
                  NETWORK_RULES["bluesky"])
    assert own.text == f"Parking: {own.shown} #Fenmarsh"


def test_tag_facets_slice_the_hashtags():
    text = f"Bins\n\n{URL}#frag\n\n#bins #Llanelli"
    found = facets(text, URL)
    raw = text.encode()
    assert [raw[f.byte_start:f.byte_end].decode() for f in found] == [URL, "#bins", "#Llanelli"]


# --- properties on random Unicode ---------------------------------------------------------------

WELSH = "âêîôûŵŷäëïöüÿáéíóúẁýàèìòùẁỳ"
COMBINING = "\u0300\u0301\u0302\u0308\u0327"
EMOJI = ["👍", "👍🏽", "👨‍👩‍👧", "🇬🇧", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "1️⃣", "❤️", "🧑🏿‍🚒"]
pieces = st.one_of(
    st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=12),
    st.sampled_from(EMOJI),
    st.text(alphabet=WELSH + " ", min_size=1, max_size=8),
    st.text(alphabet="中文字日本語한국어", min_size=1, max_size=10),
    st.builds(lambda base, mark: base + mark, st.sampled_from("aeiouwyAEIOU"), st.sampled_from(COMBINING)),
    st.just(" "),
    # Links and bare domains in a councillor's own words: networks count some of them as links.
    st.sampled_from([" fixmystreet.com ", " https://fen.gov/c1 ", " www.fenmarsh.gov.uk/bins ", " bbc.co.uk/news ",
                     " https://x.example/a ", " gov.uk. "]),
)
texts = st.lists(pieces, min_size=1, max_size=120).map("".join).filter(lambda t: t.strip() != "")
# A real top-level domain: twitter-text only counts a link as 23 when it knows the TLD, and
# ".example" is not one it knows, so it would count such a link in full.
urls = st.builds(lambda path: f"https://fenmarsh-council.github.io/2026/11/{path}/",
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=80))
tags = st.lists(st.text(alphabet=st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=15), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, summary=st.one_of(st.none(), texts), url=urls, tag_list=tags,
       network=st.sampled_from(sorted(NETWORK_RULES)), own=st.one_of(st.none(), texts))
# A letter that NFC turns into a base and a combining mark (U+FB1D), found by a CI run.
@example(title="0", summary=None, url="https://councillors.example/2026/11/0/", tag_list=["\ufb1d"],
         network="bluesky", own=None)
def test_every_message_fits_keeps_the_link_and_never_splits_a_grapheme(title, summary, url, tag_list, network, own):
    rules = NETWORK_RULES[network]
    d = Draft(url=url, title=title, summary=summary, tags=tuple(tag_list), social={network: own} if own else {})
    message = compose(network, d, rules)

    assert rules.measure(message.text, message.shown) <= rules.limit
    assert message.shown in message.text  # intact and present
    assert message.shown == (bluesky_display(url) if network == "bluesky" else url)
    # Every cluster of the message is a cluster of the source or one we added: nothing split.
    # compose() works on NFC text (what the networks count), so compare with that form.
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    source = set(graphemes(nfc(title + " " + (summary or "") + " " + (own or "")))) | {ELLIPSIS, "\n", " "}
    added = set(graphemes(nfc(url + " " + message.shown + " " + " ".join(h for h in [f"#{t}" for t in tag_list]))))
    for cluster in graphemes(message.text):
        assert cluster in source or cluster in added or cluster.startswith("#") or cluster.isalnum() or \
            len(cluster) == 1, repr(cluster)
    links = [f for f in message.facets if f.kind == "link"]
    raw = message.text.encode("utf-8")
    assert links and all(raw[f.byte_start:f.byte_end] == message.shown.encode() and f.value == url for f in links)
    if network == "bluesky":
        assert len(graphemes(message.text)) <= 300 and len(raw) <= 3000


@settings(max_examples=100, deadline=None)
@given(title=texts, summary=texts, url=urls)
@example(title="0",
         summary="000文文語pĝ𫟕[u" + "ᄀ" * 12 + "한字語語어語" + "0" * 14 + "òéŵòáéàò ᄀ" + "ᅶ " * 200,
         url="https://fenmarsh-council.github.io/2026/11/000000000000/")
def test_x_messages_fit_by_twitter_texts_own_count(title, summary, url):
    message = compose("x", Draft(url=url, title=title, summary=summary), NETWORK_RULES["x"])
    assert parse_tweet(message.text).weightedLength <= 280


@settings(max_examples=100, deadline=None)
@given(head=texts)
def test_a_cut_never_falls_inside_a_grapheme(head):
    from generator.syndication.compose import shorten

    limit = max(1, len(graphemes(head)) // 2)
    short = shorten(head, lambda t: len(graphemes(t)) <= limit)
    if short:
        kept = short[: -len(ELLIPSIS)]
        assert head.startswith(kept)
        assert graphemes(head)[: len(graphemes(kept))] == graphemes(kept)


def test_a_summary_that_opens_with_the_title_does_not_repeat_it():
    d = draft(title="Bin collections change", summary="Bin collections change: black bins move to Tuesdays.")
    for network, rules in NETWORK_RULES.items():
        message = compose(network, d, rules)
        assert message.text.count("Bin collections change") == 1, network
        assert message.text.startswith("Bin collections change: black bins"), network
