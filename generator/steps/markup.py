"""One allow-list for the HTML made from what councillors and officers write.

Every blog shares its origin with the handbook and the council pages, so a script in one
post could act on every page of the council's site. Markdown lets a writer type raw HTML
(and ``attr_list`` lets them add any attribute), so the HTML that Markdown makes is cleaned
here before any page, list or feed uses it. What Markdown itself produces for the things
councillors write (links, lists, tables, headings, pictures with descriptions, abbreviations,
footnotes, council quotes) is on the list and passes through unchanged.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import markdown
import nh3

from generator import memo

#: Tags Markdown makes, and the few a writer may type that carry no behaviour.
TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
#: Attributes any tag may keep: footnotes, heading anchors and the council quote use id, class
#: and aria-label; none of them can run anything.
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden", "role"}
ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
#: Links a reader can follow; javascript:, data: and the rest are dropped with the attribute.
URL_SCHEMES = {"http", "https", "mailto", "tel"}


#: Made once: setting up the allow-list took five times as long as cleaning a post with it.
_cleaner = nh3.Cleaner(
    tags=TAGS,
    generic_attribute_prefixes=None,
    attributes={tag: ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES for tag in TAGS},
    url_schemes=URL_SCHEMES,
    # Table column alignment is the only style Markdown writes.
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
)


def clean(html: str) -> str:
    """``html`` with only allowed tags, attributes and link schemes; scripts go with their content."""
    return _cleaner.clean(html)


#: Longest a single post may take to turn into HTML. A long post takes well under a second;
#: Markdown's link syntax is slow (quadratic) on thousands of unclosed '[', so a post made of
#: them could hold every councillor's build for minutes.
RENDER_SECONDS = 5.0


class TooSlow(Exception):
    """Rendering one text took longer than ``RENDER_SECONDS`` (or nested deeper than Python allows)."""


def refuse_if_known_slow(text: str) -> None:
    """Raise ``TooSlow`` at once for a text that ran out of time in another step of this build."""
    if _slow_key(text) in memo.too_slow:
        raise TooSlow(f"took longer than {RENDER_SECONDS:.0f} seconds to read")


def render(text: str, extensions: list | None = None) -> str:
    """``text`` as HTML (not yet cleaned), within the time limit; raises ``TooSlow``."""
    refuse_if_known_slow(text)
    # One converter per thread and set of extensions, reset after each text: making one with the
    # posts' extensions takes longer than converting a post.
    made = memo.converters.__dict__.setdefault("made", {})
    key = tuple(extensions or ())
    md = made.get(key) or made.setdefault(key, markdown.Markdown(extensions=list(key), output_format="html"))
    try:
        with time_limit():
            return md.convert(text)
    except RecursionError:
        made.pop(key, None)  # stopped half way through: the next text gets a new converter
        raise TooSlow("is nested too deeply to read") from None
    except TooSlow:
        made.pop(key, None)
        too_slow(text)
        raise
    finally:
        md.reset()


def too_slow(text: str) -> None:
    """Remember that ``text`` ran out of time: the hub and the word counts render a post's body too,
    and need not spend the same seconds again to learn the same thing."""
    memo.too_slow.add(_slow_key(text))


def _slow_key(text: str) -> bytes:
    # Known without its last line ends, which Markdown ignores: the hub and the word count render
    # a body rejoined without its quote lines, which has none.
    return memo.text_key(text.rstrip("\n"))


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Raise ``TooSlow`` in the block once ``seconds`` (default ``RENDER_SECONDS``) have passed.

    A timer signal is the one way to stop pure-Python work from outside; it can only be used
    in a process's main thread, which is where the build renders posts (in its workers, or in
    the command's own process). Elsewhere the block runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    seconds = RENDER_SECONDS if seconds is None else seconds

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(f"took longer than {seconds:.0f} seconds to read")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
