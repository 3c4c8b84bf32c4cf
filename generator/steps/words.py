"""Counting the words of a post as a reader sees them, for the footprint report.

The post's Markdown is rendered to HTML, the tags removed, the text split on white space,
and each piece with at least one letter or digit counts as a word. Quoted council items
are left out, since they are the council's words, not the councillor's.

Rendering is most of the cost of counting, and the blog build renders every post anyway:
it tells ``count_words`` what it found (``note_rendered``), so the footprint report only
renders a post itself when the blog build did not see it.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from generator.inputs.news import QUOTE_CLASS, shortcodes
from generator.inputs.posts import MARKDOWN_EXTENSIONS
from generator.memo import remembered
from generator.steps import markup


class _VisibleText(HTMLParser):
    """The text of an HTML fragment, without scripts, styles and quoted council items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0
        self._quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "aside" and (self._quote_depth or (QUOTE_CLASS in (dict(attrs).get("class") or "").split())):
            self._quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1
        elif tag == "aside" and self._quote_depth:
            self._quote_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._quote_depth:
            self.chunks.append(data)


#: Whether a piece of text has a letter or digit: ``[^\W_]`` is exactly ``str.isalnum`` for every
#: character (checked over all of Unicode), in one call per piece rather than one per character,
#: which took two thirds of counting a post's words.
_HAS_ALNUM = re.compile(r"[^\W_]").search


def words_in_html(html: str) -> int:
    """Words a reader sees in a post rendered to HTML, leaving out quoted council items."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return _words("".join(parser.chunks))


def _words(text: str) -> int:
    return sum(1 for piece in text.split() if _HAS_ALNUM(piece))


#: A tag as ``markup.clean`` writes it: every attribute's value in double quotes, and no '<'
#: left in the text around it (it becomes '&lt;').
_CLEAN_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')


def words_in_clean_html(html: str) -> int:
    """``words_in_html`` of HTML that ``markup.clean`` made, in half the time: such HTML is regular
    enough to take the tags out with a pattern rather than parse them."""
    if "<aside" in html or "<script" in html or "<style" in html:
        return words_in_html(html)  # a quoted council item, which does not count
    return _words("".join(map(html_text.unescape, _CLEAN_TAG.split(html))))


@remembered
def count_words(body: str) -> int:
    """Words a reader sees in a post's Markdown body."""
    quotes = {index for index, _ in shortcodes(body)}
    own = "\n".join(line for index, line in enumerate(body.splitlines()) if index not in quotes)
    try:
        return words_in_html(markup.render(own, MARKDOWN_EXTENSIONS))
    except markup.TooSlow:
        return 0  # the blog build refuses the post, naming it; the report need not fail as well


def note_rendered(body: str, html: str) -> None:
    """Record the count for ``body`` from the HTML the blog build rendered it to (and cleaned)."""
    # A worker forked after the last build's counts were loaded knows most of them already:
    # after one edit, only the edited post is counted again.
    if not count_words.knows(body):
        count_words.note(body, words_in_clean_html(html))


def uncounted(bodies: Iterable[str]) -> int:
    """How many of ``bodies`` ``count_words`` would have to render."""
    return sum(1 for body in bodies if not count_words.knows(body))
