"""``councillor replies``: the replies and mentions waiting for a decision, and the decisions themselves.

Nothing a resident wrote reaches the site until the councillor approves it here; a hidden
one stays hidden, whatever later runs of ``listen`` read. The same list, without the texts,
is the "replies waiting" digest the scheduled run writes to the Actions job summary: a
public repository's job summaries can be read by anyone, so the digest names who replied
and where, and the words stay on the network until approved.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.exceptions import SyndicationError
from generator.inputs.config import Blog, load_project
from generator.inputs.networks import NETWORKS
from generator.syndication import listening
from generator.syndication.base import SESSIONS_DIR


@dataclass(frozen=True)
class Waiting:
    blog: str
    rid: str
    response: dict[str, Any]
    #: the title-like slug of the post it answers, "" for a mention
    post: str

    @property
    def short(self) -> str:
        return listening.short_id(self.rid)


def post_slug(record: listening.Record, response: dict[str, Any]) -> str:
    key = response.get("post")
    if not key:
        return ""
    return str((record.posts().get(key) or {}).get("slug") or key)


def waiting(blogs: list[Blog], since: str | None = None) -> list[Waiting]:
    """Undecided replies and mentions of each blog, oldest first; with ``since``, only those found after it."""
    found: list[Waiting] = []
    for blog in blogs:
        try:
            record = listening.Record.load(blog.folder)
        except listening.ListeningError as error:
            raise SyndicationError(str(error)) from None
        for rid, response in record.waiting():
            if since is None or response.get("found_at", "") > since:
                found.append(Waiting(blog.slug, rid, response, post_slug(record, response)))
    return found


def _label(network: str) -> str:
    return NETWORKS[network].label if network in NETWORKS else network


def _who(response: dict[str, Any]) -> str:
    author = response.get("author") or {}
    name, handle = author.get("name") or "", author.get("handle") or ""
    return f"{name} ({handle})" if name and handle and name != handle else (name or handle or "someone")


def describe(items: list[Waiting]) -> str:
    """The list as ``councillor replies`` prints it: per blog, each with its id, who, where, when and the words."""
    if not items:
        return "No replies or mentions are waiting."
    lines: list[str] = []
    blog = None
    for item in items:
        if item.blog != blog:
            blog = item.blog
            lines.append(f"== {blog}")
        r = item.response
        what = f"reply to {item.post}" if item.post else "mention"
        lines.append(f"  {item.short}  {_label(r.get('network', ''))} {what}, from {_who(r)}, "
                     f"{(r.get('published') or '')[:10]}")
        if r.get("url"):
            lines.append(f"      {r['url']}")
        for line in textwrap.wrap(r.get("text") or "", 90) or [""]:
            lines.append(f"      | {line}")
    lines.append("")
    lines.append("Show one on the post's page with --approve ID; keep one off the site with --hide ID.")
    return "\n".join(lines)


def decide(root: Path, slug: str | None, rid: str, decision: str, now: dt.datetime | None = None
           ) -> tuple[Blog, dict[str, Any]]:
    """Record the councillor's decision on one reply or mention in its blog's listening record."""
    project = load_project(root)
    blogs = [project.blog(slug)] if slug else project.blogs
    now = now or dt.datetime.now(dt.UTC)
    try:
        with listening.locked(project.root / SESSIONS_DIR, f"--{'approve' if decision == 'approved' else 'hide'}"):
            for blog in blogs:
                record = listening.Record.load(blog.folder)
                try:
                    response = record.decide(rid, decision, now)
                except KeyError:
                    continue
                record.save()
                return blog, response
    except listening.ListeningError as error:
        raise SyndicationError(str(error)) from None
    where = f"in councillor_blogs/{slug}/{listening.FILE_NAME}" if slug else "in any blog's listening record"
    raise SyndicationError(f"there is no reply or mention '{rid}' {where}: use an id exactly as "
                           "'councillor replies' lists it")


def _quote(url: str) -> str:
    """A link target Markdown cannot be tricked out of."""
    return urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _cell(text: str) -> str:
    """A resident's name or words as inert Markdown: no HTML, link, image or table syntax survives."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]()#|!~])", r"\\\1", text)


def digest(items: list[Waiting], problems: list[tuple[str, str, str]] | None = None) -> str:
    """Markdown for the Actions job summary: a table per councillor of new replies and mentions, with links,
    then any network that could not be read (``problems``: blog, network, what went wrong)."""
    lines = ["## Replies waiting", ""]
    if problems:
        lines += ["Could not read everything this time:", ""]
        lines += [f"- {blog}, {_label(network)}: {_cell(detail)}" for blog, network, detail in problems]
        lines.append("")
    if not items:
        lines.append("No new replies or mentions since the last run.")
        return "\n".join(lines) + "\n"
    by_blog: dict[str, list[Waiting]] = {}
    for item in items:
        by_blog.setdefault(item.blog, []).append(item)
    for blog, group in by_blog.items():
        lines += [f"### {blog}", "", "| Id | Network | What | From | Link |", "| --- | --- | --- | --- | --- |"]
        for item in group:
            r = item.response
            link = f"[open]({_quote(r['url'])})" if r.get("url") else ""
            what = f"reply to {item.post}" if item.post else "mention"
            lines.append(f"| {item.short} | {_label(r.get('network', ''))} | {_cell(what)} | {_cell(_who(r))} "
                         f"| {link} |")
        lines.append("")
    lines.append("Run `councillor replies SLUG` to read them, then `--approve ID` or `--hide ID`.")
    return "\n".join(lines) + "\n"
