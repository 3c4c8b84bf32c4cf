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
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from generator.exceptions import Problem
from generator.inputs import posts, yamlfile
from generator.inputs.config import Period, Project
from generator.inputs.values import SLUG, WebAddress

CONTENT_DIR = "council_content"
NEWS_URL_PATH = "news"
SHORT_URL_PATH = "s"
#: Short enough that the text, a space and the short link fit in a Bluesky post (300 characters).
SHARE_LIMIT = 200
CODE_LIMIT = 40
SHORTCODE = re.compile(r"^[ \t]*\[\[council:([^\]]*)\]\][ \t]*$")
DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
#: The class of a quoted council item in a post (the footprint's word count leaves it out).
QUOTE_CLASS = "council-quote"
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
    #: The line of the file the body starts on.
    body_line: int = 1

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
    meta, problems = yamlfile.load_text(ItemFrontMatter, head, path, first_line)
    if meta is None:
        return None, problems
    if not re.match(SLUG, DATED_NAME.sub("", path.stem)):
        return None, [Problem(path, None, "this file name cannot be used in a web address",
                              "use lower-case letters, digits and hyphens, e.g. 2026-11-20-bin-changes.md")]
    date = meta.date if meta.date.tzinfo else meta.date.replace(tzinfo=ZoneInfo(timezone))
    return Item(path=path, meta=meta, body=body, date=date, body_line=first_line + head.count("\n") + 1), []


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


