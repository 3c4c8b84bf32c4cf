"""What a post's page shows of its listening record: counts per network, and the replies the councillor approved.

The build passes this to the theme as plain data (``RESPONSES``), as it does the ledger's
"Also on" links: the theme knows nothing of networks beyond the labels and links here.
Nothing a resident wrote appears unless the councillor approved it with ``councillor
replies --approve``; mentions never appear on a post, and a reply's text is escaped and
cleaned with nh3 to paragraphs and line breaks only.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import nh3

from generator.inputs.networks import NETWORKS
from generator.syndication import listening

#: The counts in the order a sentence names them, with their singular and plural words.
WORDS = (("replies", "reply", "replies"), ("likes", "like", "likes"), ("reposts", "repost", "reposts"),
         ("quotes", "quote", "quotes"))


def _label(network: str) -> str:
    return NETWORKS[network].label if network in NETWORKS else network


def count_text(row: dict[str, Any], network: str) -> str | None:
    """"4 replies and 12 likes on Bluesky", or None when nothing has come back yet."""
    parts = [f"{n} {one if n == 1 else many}" for key, one, many in WORDS if (n := int(row.get(key) or 0)) > 0]
    if not parts:
        return None
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{said} on {_label(network)}"


def reply_html(text: str) -> str:
    """A resident's plain text as safe HTML: escaped, blank lines as paragraphs, line ends as breaks."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    markup = "".join(f"<p>{'<br>'.join(html.escape(line) for line in p.splitlines())}</p>" for p in paragraphs)
    return nh3.clean(markup, tags={"p", "br"}, attributes={})


def _web(url: Any) -> str | None:
    """Only an http(s) address becomes a link: the file is in the repository, and anyone can propose a change."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else None


def _date_text(value: str | None) -> str:
    try:
        when = dt.datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f"{when.day} {when:%B %Y}"


def for_site(folder: Path) -> dict[str, dict[str, Any]]:
    """{post slug: {"counts": [{"text", "url"}], "replies": [{"name", "author_url", "url", "published",
    "date_text", "label", "html"}]}} for every post with something to show.

    A missing or unreadable record shows nothing rather than failing the build; ``councillor listen``
    reports a broken one.
    """
    try:
        record = listening.Record.load(folder)
    except listening.ListeningError:
        return {}
    pages: dict[str, dict[str, Any]] = {}
    order = list(NETWORKS)
    slugs: dict[str, str] = {}
    for key, entry in record.posts().items():
        slug = entry.get("slug")
        if not slug:
            continue
        slugs[key] = slug
        counts = []
        rows = entry.get("networks") or {}
        for network in sorted(rows, key=lambda n: order.index(n) if n in order else len(order)):
            text = count_text(rows[network], network)
            if text:
                counts.append({"text": text, "url": _web(rows[network].get("remote_url"))})
        if counts:
            pages.setdefault(slug, {"counts": [], "replies": []})["counts"] = counts
    for rid, response in record.responses():
        slug = slugs.get(str(response.get("post") or ""))
        if slug is None or response.get("kind") != listening.REPLY or record.decision(rid) != listening.APPROVED \
                or response.get("gone_at"):
            continue  # a reply its writer deleted is taken down too
        author = response.get("author") or {}
        pages.setdefault(slug, {"counts": [], "replies": []})["replies"].append({
            "name": author.get("name") or author.get("handle") or "Someone",
            "author_url": _web(author.get("url")),
            "url": _web(response.get("url")),
            "published": response.get("published") or "",
            "date_text": _date_text(response.get("published")),
            "label": _label(str(response.get("network") or "")),
            "html": reply_html(str(response.get("text") or "")),
        })
    return pages
