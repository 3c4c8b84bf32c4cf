"""Council content made for sharing: short items from departments, each with a short link.

Items are Markdown files with YAML front matter in ``council_content/`` beside programme.yml.
Each is published at ``news/<slug>/`` and gets a short link ``s/<code>/``: a tiny page that
sends the browser on to the item. The code comes from the item's ``code:`` or its file name,
never from its title or date, so a link already shared keeps working after an edit.

A councillor quotes an item in a post with a line of its own: ``[[council:<code>]]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markupsafe import escape
from pydantic import BaseModel, ConfigDict, Field

from generator import markup, posts, yamlfile
from generator.config import PROGRAMME_FILE, SLUG, Period, Programme, Project, WebAddress
from generator.exceptions import BuildError, Problem

CONTENT_DIR = "council_content"
NEWS_URL_PATH = "news"
SHORT_URL_PATH = "s"
#: Short enough that the text, a space and the short link fit in a Bluesky post (300 characters).
SHARE_LIMIT = 200
CODE_LIMIT = 40
SHORTCODE = re.compile(r"^[ \t]*\[\[council:([^\]]*)\]\][ \t]*$")
DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
ITEM_EXTENSIONS = ["extra", "sane_lists", "smarty"]

ItemState = Literal["live", "held", "scheduled"]


class ItemFrontMatter(BaseModel):
    """The settings at the top of a council content item, between the two ``---`` lines."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)
    title: str = Field(min_length=1, max_length=120)
    """The item's headline."""
    date: posts.DateOrDateTime
    """When it is published (YYYY-MM-DD or YYYY-MM-DD HH:MM). A future date waits until then."""
    department: str = Field(min_length=2)
    """The council department or service it comes from, e.g. 'Waste and recycling'."""
    summary: str = Field(min_length=1, max_length=SHARE_LIMIT)
    """The share-ready text: what a councillor or officer posts, with the short link after it."""
    code: str | None = Field(None, pattern=SLUG, max_length=CODE_LIMIT)
    """The short link's code, /s/<code>/ (defaults to the file name without its date). Never change it once shared."""
    allowed_in_pre_election: bool = False
    """true for items the council may still publish during the pre-election period (e.g. a polling station change)."""
    tags: posts.Tags = []
    """Topics, e.g. [bins, roads]."""
    link: WebAddress | None = None
    """A page on the council's main website with the full details."""



@dataclass(frozen=True)
class Item:
    path: Path
    meta: ItemFrontMatter
    body: str
    date: dt.datetime

    @property
    def slug(self) -> str:
        return DATED_NAME.sub("", self.path.stem)

    @property
    def code(self) -> str:
        return self.meta.code or self.slug

    def state(self, cutoff: dt.datetime, pre_election: bool) -> ItemState:
        if self.date > cutoff:
            return "scheduled"
        if pre_election and not self.meta.allowed_in_pre_election:
            return "held"
        return "live"


def news_url(site_url: str, item: Item) -> str:
    return f"{site_url}{NEWS_URL_PATH}/{item.slug}/"


def short_url(site_url: str, item: Item) -> str:
    # The trailing slash makes the link work on any static host; GitHub Pages also accepts it without.
    return f"{site_url}{SHORT_URL_PATH}/{item.code}/"


def share_text(site_url: str, item: Item) -> str:
    return f"{item.meta.summary.strip()} {short_url(site_url, item)}"


def item_files(root: Path) -> list[Path]:
    return sorted((root / CONTENT_DIR).glob("*.md"))


def read_item(path: Path, timezone: str) -> tuple[Item | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(path, None, "is not UTF-8 text", "save the file as UTF-8")]
    head, body, first_line = posts.split(text)
    if head is None:
        return None, [Problem(path, 1, "has no front matter",
                              "start the file with a '---' line, then title, date, department and summary lines, "
                              "then '---'")]
    try:
        root = yamlfile.parse(head, path, first_line)
    except yamlfile.YamlSyntaxError as error:
        return None, [error.problem]
    meta, problems = yamlfile.validate(ItemFrontMatter, root, path, first_line)
    if meta is None:
        return None, problems
    if not re.match(SLUG, DATED_NAME.sub("", path.stem)):
        return None, [Problem(path, None, "this file name cannot be used in a web address",
                              "use lower-case letters, digits and hyphens, e.g. 2026-11-20-bin-changes.md")]
    date = meta.date if meta.date.tzinfo else meta.date.replace(tzinfo=ZoneInfo(timezone))
    return Item(path=path, meta=meta, body=body, date=date), []


def read_items(root: Path, timezone: str) -> tuple[list[Item], list[Problem]]:
    """Every item in ``council_content/``, and every problem: broken files, and codes or addresses used twice."""
    items: list[Item] = []
    problems: list[Problem] = []
    for path in item_files(root):
        item, found = read_item(path, timezone)
        problems += found
        if item:
            items.append(item)
    for what, key in (("short link code", lambda i: i.code), ("web address", lambda i: i.slug)):
        seen: dict[str, Item] = {}
        for item in items:
            other = seen.setdefault(key(item), item)
            if other is not item:
                problems.append(Problem(
                    item.path, posts.line_starting(item.path, "code:"),
                    f"has the same {what} ('{key(item)}') as {other.path}",
                    "give one of them a different 'code:' (keep the one already shared) or file name"))
    return items, problems


def shortcodes(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line index, code) for every ``[[council:<code>]]`` line outside code blocks."""
    fenced = False
    for index, line in enumerate(text.splitlines()):
        if posts.FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := SHORTCODE.match(line)):
            yield index, match.group(1).strip()


def unknown_shortcodes(post: posts.Post, codes: set[str]) -> list[Problem]:
    return [
        Problem(post.path, post.body_line + index, f"there is no council item with the code '{code}'",
                f"check the code against the files in {CONTENT_DIR}/ (a quote is written [[council:bin-changes]])")
        for index, code in shortcodes(post.body)
        if code not in codes
    ]


def validate(project: Project) -> list[Problem]:
    """Problems in the council items, and quotes in any post of an item that does not exist."""
    zone = project.programme.site.timezone
    items, problems = read_items(project.root, zone)
    codes = {item.code for item in items}
    for blog in project.blogs:
        found, _ = posts.read_all(blog.content_dir, zone)  # their own problems are blogs.validate's to report
        for post in found:
            problems += unknown_shortcodes(post, codes)
    return problems


# --- The quote box in councillors' posts -------------------------------------------------


#: The class of a quoted council item in a post (the footprint's word count leaves it out).
QUOTE_CLASS = "council-quote"


def quote_html(site_url: str, council_name: str, item: Item, state: ItemState = "live",
               period: Period | None = None) -> str:
    """The quote box; an item that is not out yet, or is held, shows none of its words until it is."""
    link = short_url(site_url, item)
    if state != "live":
        when = (f"from {item.date:%-d %B %Y}" if state == "scheduled" else
                f"after the pre-election period ends on {period.end:%-d %B %Y}" if period else "later")
        return (
            f'<aside class="{QUOTE_CLASS} {QUOTE_CLASS}--waiting" aria-label="{escape(f"From {council_name}")}">\n'
            f'<p>{escape(council_name)} news quoted here appears {escape(when)}: '
            f'<a href="{escape(link)}">{escape(link)}</a></p>\n'
            f"</aside>"
        )
    return (
        f'<aside class="{QUOTE_CLASS}" aria-label="{escape(f"From {council_name}")}">\n'
        f"<blockquote><p>{escape(item.meta.summary.strip())}</p></blockquote>\n"
        f'<p>{escape(item.meta.department)}, {escape(council_name)}: '
        f'<a href="{escape(link)}">{escape(item.meta.title)}</a></p>\n'
        f"</aside>"
    )


class _QuotePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: QuoteExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        found = dict(shortcodes("\n".join(lines)))
        if not found:
            return lines
        out: list[str] = []
        for index, line in enumerate(lines):
            if index not in found:
                out.append(line)
                continue
            item = self.extension.items.get(found[index])
            if item is None:
                where = f"{self.extension.source}:{self.extension.first_line + index}"
                raise BuildError(f"{where}: there is no council item with the code '{found[index]}'")
            html = quote_html(self.extension.site_url, self.extension.council_name, item,
                              self.extension.state(item), self.extension.pre_election)
            # Blank lines either side make the stashed HTML a block of its own, never part of a paragraph.
            out += ["", self.md.htmlStash.store(html), ""]
        return out


class QuoteExtension(Extension):
    """Turns a ``[[council:<code>]]`` line into a quote of the council item, with its short link."""

    def __init__(self, items: dict[str, Item], site_url: str, council_name: str,
                 source: Path | None = None, first_line: int = 1, now: dt.datetime | None = None,
                 pre_election: Period | None = None):
        super().__init__()
        self.items, self.site_url, self.council_name = items, site_url, council_name
        self.source, self.first_line = source, first_line
        self.now, self.pre_election = now or dt.datetime.now(dt.UTC), pre_election

    def state(self, item: Item) -> ItemState:
        """The item's state at the real time of the build, as a post's own date is judged."""
        period = self.pre_election
        day = self.now.astimezone(item.date.tzinfo).date()
        return item.state(self.now, period is not None and period.contains(day))

    def extendMarkdown(self, md: Markdown) -> None:
        # Before 'html_block' (20) stashes raw HTML, after 'normalize_whitespace' (30).
        md.preprocessors.register(_QuotePreprocessor(md, self), "council_quote", 25)


def quote_extension(post: posts.Post, site_url: str) -> QuoteExtension:
    """The quote extension for one post, with the items of the programme the post belongs to."""
    root = _programme_root(post.path)
    items: dict[str, Item] = {}
    council_name, period = "", None
    if root is not None:
        items, council_name, period = _programme_items(root, _stamp(root))
    return QuoteExtension(items, site_url, council_name, post.path, post.body_line, pre_election=period)


def quote_changes(found: list[posts.Post], items: list[Item], period: Period | None,
                  now: dt.datetime) -> list[dt.datetime]:
    """When a quote in these posts changes by itself: a quoted item comes out, or the pre-election
    period starts or ends (so a blog that quotes council news is rebuilt then)."""
    quoted = {code for post in found for _, code in shortcodes(post.body)}
    if not quoted:
        return []
    zone = items[0].date.tzinfo if items else dt.UTC
    times = [item.date for item in items if item.code in quoted]
    if period is not None:
        times += [dt.datetime.combine(period.start, dt.time(0), zone),
                  dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0), zone)]
    return [when for when in times if when > now]


def without_shortcodes(text: str) -> str:
    """``text`` without its quote lines: the councillor's own words."""
    quotes = {index for index, _ in shortcodes(text)}
    return "\n".join(line for index, line in enumerate(text.splitlines()) if index not in quotes)


def _programme_root(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / PROGRAMME_FILE).is_file():
            return folder
    return None


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    files = [root / PROGRAMME_FILE, *item_files(root)]
    return tuple((str(p), p.stat().st_mtime_ns) for p in files)


@lru_cache(maxsize=8)
def _programme_items(root: Path, stamp: tuple[tuple[str, int], ...]
                     ) -> tuple[dict[str, Item], str, Period | None]:
    # Every post of every blog asks; reading the items once per change keeps big cohorts quick.
    programme, _ = yamlfile.load(Programme, root / PROGRAMME_FILE)
    if programme is None:
        return {}, "", None
    items, _ = read_items(root, programme.site.timezone)
    return {item.code: item for item in items}, programme.council.name, programme.pre_election


# --- Pages: news/<slug>/ for each live item, s/<code>/ for every item ------------------------


@dataclass(frozen=True)
class ItemView:
    """What the templates know of an item."""

    item: Item
    state: ItemState
    url: str
    short_url: str
    share_text: str
    body_html: str


def item_html(item: Item) -> str:
    """The item's text as HTML, cleaned as posts are: officers' words are published on the same site."""
    try:
        return markup.clean(markup.render(item.body, ITEM_EXTENSIONS))
    except markup.TooSlow:
        raise BuildError(f"{item.path}: the text could not be read in time: it holds thousands of '[' or other "
                         "repeated marks; remove them") from None


def item_views(items: list[Item], site_url: str, cutoff: dt.datetime, pre_election: bool) -> list[ItemView]:
    views = [
        ItemView(item=item, state=item.state(cutoff, pre_election), url=news_url(site_url, item),
                 short_url=short_url(site_url, item), share_text=share_text(site_url, item),
                 body_html=item_html(item))
        for item in items
    ]
    return sorted(views, key=lambda v: v.item.date, reverse=True)


def write_pages(env: Environment, context: dict[str, Any], output: Path, views: list[ItemView]) -> None:
    """The news index, a page per live item, and a short link page per item.

    A held or scheduled item keeps its short link page, saying when to come back, so a link a
    councillor has already quoted never leads nowhere; only a live item's page sends people on.
    """
    live = [v for v in views if v.state == "live"]
    news_index = f"{context['site_url']}{NEWS_URL_PATH}/"
    _write(output / NEWS_URL_PATH / "index.html",
           env.get_template("news.html").render(**context, items=live,
                                                held=sum(v.state == "held" for v in views),
                                                page_url=news_index))
    for view in live:
        _write(output / NEWS_URL_PATH / view.item.slug / "index.html",
               env.get_template("news_item.html").render(**context, view=view, page_url=view.url,
                                                         news_index=news_index))
    for view in views:
        # base.html makes page_url the canonical link: for a live item that is where the short link leads.
        canonical = view.url if view.state == "live" else view.short_url
        _write(output / SHORT_URL_PATH / view.item.code / "index.html",
               env.get_template("shortlink.html").render(**context, view=view, page_url=canonical,
                                                         here=view.short_url, news_index=news_index))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
