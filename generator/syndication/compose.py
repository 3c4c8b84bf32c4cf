"""Compose one message per network under that network's own counting rules.

Every network counts differently, and the usual tools get it wrong in ways councillors
notice: a cut in the middle of a word, a link counted at full length on Mastodon (which
counts every link as 23), a Bluesky link facet computed before the text was shortened and
so pointing at the wrong bytes. Here the text is assembled, measured with the network's
own rule, shortened only at grapheme and word boundaries, and facets are computed last,
on the exact text that will be sent.

Each rule below cites the document it comes from; adapters pick one and may tighten it
(a Mastodon instance advertises its own ``max_characters``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import regex

from generator.exceptions import SyndicationError

ELLIPSIS = "…"
SEPARATOR = "\n\n"

_GRAPHEME = regex.compile(r"\X")
# Extended_Pictographic covers emoji whether or not they are drawn as emoji; regional
# indicators make flags; U+20E3 makes keycaps like 1️⃣.
_EMOJI_CHAR = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")
_HASHTAG_IN_TEXT = regex.compile(r"(?<![\w#&/])#(\w+)")
_TRAILING_JUNK = set(" \t\r\n.,;:-–—(/[{\"'“‘")


def graphemes(text: str) -> list[str]:
    """User-perceived characters (Unicode extended grapheme clusters)."""
    return _GRAPHEME.findall(text)


def is_emoji(cluster: str) -> bool:
    return bool(_EMOJI_CHAR.search(cluster))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _spans(text: str, url: str) -> list[tuple[int, int]]:
    """Where each copy of ``url`` stands in ``text``, as (start, end) code point indices."""
    found, start = [], text.find(url) if url else -1
    while start >= 0:
        found.append((start, start + len(url)))
        start = text.find(url, start + len(url))
    return found


def _weigh_links(text: str, links: list[tuple[int, int]], link_weight: Callable[[str], int],
                 count: Callable[[str], int]) -> int:
    """Count ``text`` with ``count``, except that each of the ``links`` spans weighs ``link_weight(span)``."""
    total = at = 0
    for start, end in sorted(links):
        if start < at:  # overlaps one already weighed
            continue
        total += count(text[at:start]) + link_weight(text[start:end])
        at = end
    return total + count(text[at:])


# --- the counting rules, one per network ----------------------------------------------

#: Mastodon counts grapheme clusters and every URL as 23 characters, whatever its length
#: (app/validators/status_length_validator.rb; the instance's
#: configuration.statuses.characters_reserved_per_url says how many).
#: https://docs.joinmastodon.org/entities/Instance/#statuses
MASTODON_URL_LENGTH = 23


# A link Mastodon might shorten: its own rule (twitter-text's, with a scheme) is stricter than
# this, so a run matched here that Mastodon leaves as text is counted at full length anyway.
_SCHEME_URL = regex.compile(r"https?://\S+")


def mastodon_length(text: str, url: str, url_length: int = MASTODON_URL_LENGTH) -> int:
    """Graphemes, with the post's own link at ``url_length``; any other link in the text counts
    ``url_length`` or its full length, whichever is more, since it is not known how Mastodon reads it."""
    own = _spans(text, url)
    others = [m.span() for m in _SCHEME_URL.finditer(text)]
    links = own + [(s, e) for s, e in others if not any(s < oe and os < e for os, oe in own)]

    def link_weight(link: str) -> int:
        return url_length if link == url else max(url_length, len(graphemes(link)))

    return _weigh_links(text, links, link_weight, lambda t: len(graphemes(t)))


#: X weighs text by twitter-text's v3 configuration: most Latin text 1, CJK and most symbols
#: 2, an emoji sequence 2, every link 23 (a bare ``fixmystreet.com`` is one; an address on a
#: top-level domain twitter-text does not know is not), after NFC normalisation. twitter-text
#: is the library X publishes for exactly this count, so it is used rather than copied; its
#: emoji list predates some newer emoji, which it then counts by their parts: more, never less.
#: https://docs.x.com/fundamentals/counting-characters
def x_length(text: str, url: str) -> int:
    # lazy: twitter-text compiles large expressions on import, which a build never needs.
    # The compatibility module imports it without setuptools' pkg_resources.
    from generator.syndication.twitter_text_compat import parse_tweet_function

    return parse_tweet_function()(text).weightedLength


#: Bluesky: at most 300 graphemes and 3,000 UTF-8 bytes in app.bsky.feed.post's text. The
#: text shows the link shortened, as the Bluesky app writes it, and a link facet over those
#: bytes carries the full address (so does the card).
#: https://docs.bsky.app/docs/advanced-guides/post-richtext
BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000
#: The Bluesky app shows a link's host and, where the rest is longer than 15 characters, its
#: first 13 and an ellipsis (toShortUrl in bluesky-social/social-app, src/lib/strings/url-helpers.ts).
BLUESKY_PATH_SHOWN = 13


def bluesky_display(url: str) -> str:
    """'https://fenmarsh.example/councillors/amira-patel/…' -> 'fenmarsh.example/councillo…'."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    rest = (parts.path if parts.path != "/" else "") + (f"?{parts.query}" if parts.query else "") + \
        (f"#{parts.fragment}" if parts.fragment else "")
    if len(rest) > BLUESKY_PATH_SHOWN + 2:
        rest = rest[:BLUESKY_PATH_SHOWN] + ELLIPSIS
    return parts.netloc + rest


def bluesky_length(text: str, url: str) -> int:
    """Graphemes, but over the limit whenever the byte budget is spent."""
    if len(text.encode("utf-8")) > BLUESKY_MAX_BYTES:
        return BLUESKY_MAX_GRAPHEMES + 1
    return len(graphemes(text))


#: Threads: 500 characters, where an emoji counts as its UTF-8 bytes. Other characters are
#: counted as UTF-16 units, the larger of the readings the documentation allows.
#: https://developers.facebook.com/documentation/threads/posts
def threads_length(text: str, url: str) -> int:
    return sum(len(g.encode("utf-8")) if is_emoji(g) else utf16_units(g) for g in graphemes(text))


#: LinkedIn: 3,000 characters of commentary, in its "little" text format where reserved
#: characters are escaped with a backslash; counted after escaping, in UTF-16 units.
#: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
LINKEDIN_RESERVED = set("\\|{}@[]()<>#*_~")


def linkedin_escape(text: str, keep: Sequence[str] = ()) -> str:
    """Escape little-format characters, leaving the given substrings (links, hashtags) as they are."""
    out: list[str] = []
    i = 0
    while i < len(text):
        for kept in keep:
            if kept and text.startswith(kept, i):
                out.append(kept)
                i += len(kept)
                break
        else:
            out.append("\\" + text[i] if text[i] in LINKEDIN_RESERVED else text[i])
            i += 1
    return "".join(out)


def linkedin_length(text: str, url: str) -> int:
    return utf16_units(linkedin_escape(text, keep=(url,)))


def plain_length(text: str, url: str) -> int:
    """Facebook Page posts: code points (the limit is far above anything composed here)."""
    return len(text)


# --- the composed message --------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """How one network measures text and how much it takes."""

    limit: int
    measure: Callable[[str, str], int]
    hashtags: bool = True
    #: How the link is written in the text (Bluesky shortens it; a facet carries the full address).
    display: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Facet:
    """A span of the final text, in UTF-8 byte offsets (end exclusive), as Bluesky's richtext wants."""

    kind: Literal["link", "tag"]
    byte_start: int
    byte_end: int
    value: str


@dataclass(frozen=True)
class LinkCard:
    """What a link preview shows, built from the post itself rather than scraped."""

    url: str
    title: str
    description: str
    image: Path | None = None
    image_alt: str | None = None
    #: The picture's address on the deployed site, for networks that fetch it themselves (Threads).
    image_url: str | None = None


@dataclass(frozen=True)
class Draft:
    """Everything about one post that a message is made from, before any network's rules."""

    url: str
    title: str
    summary: str | None = None
    tags: tuple[str, ...] = ()
    social: dict[str, str] = field(default_factory=dict)
    image: Path | None = None
    image_alt: str | None = None
    #: 1 for the post's first share on a network; 2 and up for a share made again on purpose.
    share: int = 1
    image_url: str | None = None

    def card(self) -> LinkCard:
        return LinkCard(self.url, self.title, self.summary or "", self.image, self.image_alt, self.image_url)


@dataclass(frozen=True)
class Message:
    """Exactly what one network is sent for one post."""

    network: str
    text: str
    url: str
    card: LinkCard
    facets: tuple[Facet, ...]
    length: int
    limit: int
    #: The link as the text shows it: ``url`` itself, or Bluesky's shortened form of it.
    shown: str = ""
    #: Which share of the post this is (see Draft.share): a further share must never be taken for an earlier one.
    share: int = 1
    #: The network's ids of the earlier shares, which looking the post up must pass over.
    earlier: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.shown:
            object.__setattr__(self, "shown", self.url)


def hashtag(tag: str) -> str | None:
    """'flood risk' -> '#FloodRisk'; None where nothing usable is left (or only digits)."""
    words = regex.findall(r"\w+", unicodedata.normalize("NFC", tag))
    if not words:
        return None
    body = words[0] if len(words) == 1 else "".join(w[:1].upper() + w[1:] for w in words)
    return None if body.isdigit() else f"#{body}"


def hashtags(tags: Sequence[str], already: str = "") -> list[str]:
    seen = {m.casefold() for m in _HASHTAG_IN_TEXT.findall(already)}
    result = []
    for tag in tags:
        made = hashtag(tag)
        if made and made[1:].casefold() not in seen:
            seen.add(made[1:].casefold())
            result.append(made)
    return result


def _assemble(head: str, url: str, tags: Sequence[str]) -> str:
    parts = [head] if head else []
    parts.append(url)
    if tags:
        parts.append(" ".join(tags))
    return SEPARATOR.join(parts)


def _trim_end(clusters: list[str]) -> list[str]:
    while clusters and (clusters[-1].isspace() or clusters[-1] in _TRAILING_JUNK or clusters[-1] == ELLIPSIS):
        clusters = clusters[:-1]
    return clusters


def shorten(head: str, fits: Callable[[str], bool]) -> str:
    """The longest start of ``head``, cut between words and marked with an ellipsis, for which ``fits`` holds.

    Cuts only between grapheme clusters, so an accent, a flag or a family emoji is never split.
    Text without spaces (Chinese, Japanese) or one very long word is cut between clusters.
    """
    clusters = graphemes(head)

    def candidate(n: int) -> str:
        kept = _trim_end(clusters[:n])
        return "".join(kept) + ELLIPSIS if kept else ""

    low, high = 0, len(clusters)
    while low < high:  # largest n whose candidate fits; candidates only grow with n
        middle = (low + high + 1) // 2
        if fits(candidate(middle)):
            low = middle
        else:
            high = middle - 1
    n = low
    spaces = [i for i in range(1, n + 1) if i < len(clusters) and clusters[i].isspace()]
    # Back off to the last space only if that keeps most of what fits; otherwise the text
    # has no usable word breaks and a cut between clusters reads better than losing it all.
    if n < len(clusters) and spaces and spaces[-1] >= n // 2:
        n = spaces[-1]
    while n > 0 and not fits(candidate(n)):
        n -= 1
    return candidate(n)


def compose(network: str, draft: Draft, rules: Rules) -> Message:
    """The message for ``network``: the councillor's own text for it if given, else title, summary and hashtags."""
    url = draft.url
    shown = rules.display(url) if rules.display else url
    measure = rules.measure

    def fits(text: str) -> bool:
        return measure(text, shown) <= rules.limit

    override = draft.social.get(network)
    if override and override.strip():
        own = unicodedata.normalize("NFC", override.strip())
        if shown != url:
            own = own.replace(url, shown)
        if shown in own and fits(own):
            text = own
        else:
            head = own.replace(shown, " ").strip() if shown in own else own
            text = _fit(head, shown, [], fits)
    else:
        title = unicodedata.normalize("NFC", draft.title.strip())
        summary = unicodedata.normalize("NFC", (draft.summary or "").strip())
        # A summary that opens with the title says it already: the title is not written twice.
        repeats = summary.casefold().startswith(title.rstrip(".!?:").casefold())
        head = summary if summary and repeats else f"{title}{SEPARATOR}{summary}" if summary else title
        tags = hashtags(draft.tags, head) if rules.hashtags else []
        text = _fit(head, shown, tags, fits)
    return Message(network=network, text=text, url=url, card=draft.card(), facets=facets(text, url, shown),
                   length=measure(text, shown), limit=rules.limit, shown=shown, share=draft.share)


def _fit(head: str, url: str, tags: list[str], fits: Callable[[str], bool]) -> str:
    if not fits(url):
        raise SyndicationError(f"the post's address alone is too long to post: {url}")
    while tags and not fits(_assemble(head, url, tags)):
        tags = tags[:-1]
    text = _assemble(head, url, tags)
    if fits(text):
        return text
    short = shorten(head, lambda h: fits(_assemble(h, url, [])))
    return _assemble(short, url, [])


def facets(text: str, url: str, shown: str | None = None) -> tuple[Facet, ...]:
    """Link facets for each copy of the link as ``shown`` (``url`` itself unless given), each carrying the full
    ``url``, and tag facets for each hashtag, in UTF-8 byte offsets of ``text``."""
    spans = _spans(text, shown or url)
    found = [Facet("link", _bytes(text, start), _bytes(text, end), url) for start, end in spans]
    for match in _HASHTAG_IN_TEXT.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        found.append(Facet("tag", _bytes(text, match.start()), _bytes(text, match.end()), match.group(1)))
    return tuple(sorted(found, key=lambda f: f.byte_start))


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))
