"""Council news on the site: the quote box in councillors' posts, and the news and short link pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markupsafe import escape

from generator import memo
from generator.exceptions import BuildError, ConfigError, Problem
from generator.inputs import posts, yamlfile
from generator.inputs.config import Period, Programme
from generator.inputs.layout import PROGRAMME_FILE
from generator.inputs.news import (
    ITEM_EXTENSIONS,
    NEWS_URL_PATH,
    QUOTE_CLASS,
    SHORT_URL_PATH,
    Item,
    ItemState,
    item_files,
    news_url,
    read_items,
    share_text,
    short_url,
    shortcodes,
)
from generator.steps import markup

# --- The quote box in councillors' posts -------------------------------------------------


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


def quote_extension(post: posts.Post, site_url: str, root: Path) -> QuoteExtension:
    """The quote extension for one post, with the items of the programme in ``root``."""
    items, council_name, period = _programme_items(root)
    return QuoteExtension(items, site_url, council_name, post.path, post.body_line, pre_election=period)




def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    files = [root / PROGRAMME_FILE, *item_files(root)]
    return tuple((str(p), p.stat().st_mtime_ns) for p in files)


def _programme_items(root: Path) -> tuple[dict[str, Item], str, Period | None]:
    # Every post of every blog asks; reading the items once per change keeps big cohorts quick.
    if not (root / PROGRAMME_FILE).is_file():
        return {}, "", None
    stamp = (str(root), _stamp(root))
    if stamp in memo.council_items:
        return memo.council_items[stamp]
    programme, _ = yamlfile.load(Programme, root / PROGRAMME_FILE)
    if programme is None:
        return {}, "", None
    items, _ = read_items(root, programme.site.timezone)
    found = {item.code: item for item in items}, programme.council.name, programme.pre_election
    memo.council_items.clear()
    memo.council_items[stamp] = found
    return found




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
    except markup.TooSlow as error:
        raise ConfigError([Problem(item.path, item.body_line, f"the text {error}",
                                   "remove the thousands of repeated '[', '>', '-' or other marks that Markdown "
                                   "reads slowly")]) from None


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
