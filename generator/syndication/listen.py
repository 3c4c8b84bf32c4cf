"""``councillor listen``: for every post the ledger says was shared, read what came back from each network.

Reads top to bottom like ``syndicate``: per blog, per network the councillor shares to, per post
with a finished copy in the ledger, ask the network for its counts and replies and keep them in
the blog's listening record (``listening.json``), which is saved after every post so a run that
stops part-way keeps what it read. Then the account's followers, and mentions where the token
allows. A fault (a rate limit, a network down, a post deleted, a token that may not read) is
recorded for that blog and network and reported; the other networks and blogs carry on.

Each network's reading lives beside its adapter (``listen_mastodon``, ``listen_bluesky``,
``listen_meta``): a listener is the network's adapter with three more methods, so credentials,
retries with Retry-After and error handling are the ones syndication already uses.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import nh3
import requests

from generator.exceptions import SyndicationError
from generator.inputs.config import Blog, load_project
from generator.inputs.networks import NETWORKS, profile_url
from generator.syndication import ledger, listening, replies
from generator.syndication.base import SESSIONS_DIR, Adapter, Context, env_name, ledger_error
from generator.syndication.errors import AuthError, Gone, NetworkError, Transient, redact
from generator.syndication.run_report import outcome_lines

#: network -> "module:class" of its listener.
LISTENERS: dict[str, str] = {
    "mastodon": "generator.syndication.listen_mastodon:MastodonListener",
    "bluesky": "generator.syndication.listen_bluesky:BlueskyListener",
    "facebook": "generator.syndication.listen_meta:FacebookListener",
    "threads": "generator.syndication.listen_meta:ThreadsListener",
}
#: Networks whose APIs give nothing back on the plans councils use: said plainly, then skipped.
NOT_AVAILABLE = {
    "x": "X's API plans that councils can afford cannot read replies or mentions",
    "linkedin": "LinkedIn's API does not let an app read comments on a member's posts",
}
#: Pages followed per list (replies, comments, mentions): a busy thread is still read in a few requests.
MAX_PAGES = 10


@dataclass(frozen=True)
class Response:
    """A reply to a shared post, or a mention of the councillor, as a network gave it."""

    remote_id: str
    author_handle: str
    author_name: str | None
    author_url: str | None
    url: str | None
    published: str | None
    text: str
    kind: str = listening.REPLY


@dataclass
class Heard:
    """What one shared post has gathered on one network."""

    counts: dict[str, int | None] = field(default_factory=dict)
    replies: list[Response] = field(default_factory=list)
    #: Every reply there is was read (no page or depth limit reached): one missing was deleted by its writer.
    complete: bool = False


class Listener(Adapter):
    """What a network's listener adds to its adapter. Reads only: nothing here ever posts."""

    #: Credentials without which nothing can be read (a public API needs none).
    READ_CREDENTIALS: ClassVar[tuple[str, ...]] = ()

    def read_post(self, remote_id: str, remote_url: str | None) -> Heard:
        raise NotImplementedError

    def read_followers(self) -> int | None:
        return None

    def read_mentions(self) -> list[Response] | None:
        """Mentions of the councillor; None when this token cannot read them (said once, not as a fault)."""
        return None

    def missing_to_read(self) -> list[str]:
        blog = self.context.blog_slug
        return [env_name(blog, self.name, n) for n in self.READ_CREDENTIALS if self.setting(n) is None]


def listener_class(network: str) -> type[Listener] | None:
    target = LISTENERS.get(network)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """A network's HTML (Mastodon sends a status as HTML) as plain text, paragraphs kept as blank lines."""
    text = _BREAKS.sub("\n", markup or "")
    return html.unescape(nh3.clean(text, tags=set())).strip()


@dataclass(frozen=True)
class Outcome:
    """What happened on one network of one blog in this run."""

    blog: str
    network: str
    #: read | skipped | fault
    status: str
    posts: int = 0
    new: int = 0
    detail: str = ""
    fix: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    #: replies and mentions found for the first time in this run, still undecided
    new: list[replies.Waiting] = field(default_factory=list)

    @property
    def faults(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "fault"]


def run(root: Path, *, blog: str | None = None, network: str | None = None, env: Mapping[str, str] | None = None,
        now: dt.datetime | None = None, sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        session_factory: Callable[[], requests.Session] = requests.Session) -> Report:
    """Listen for every blog (or one blog, one network); a network's fault never stops the others."""
    project = load_project(root)
    if network is not None and network not in NETWORKS:
        raise SyndicationError(f"'{network}' is not a network this project knows ({', '.join(NETWORKS)})")
    blogs = [project.blog(blog)] if blog else project.blogs
    env = os.environ if env is None else env
    now = now or dt.datetime.now(dt.UTC)
    state_dir = project.root / SESSIONS_DIR
    report = Report()
    hooks = {"sleep": sleep, "clock": clock, "session_factory": session_factory}
    try:
        with listening.locked(state_dir, "listen"):
            for each in blogs:
                _listen_blog(each, network, env, now, state_dir, report, hooks, project.programme.site.language)
    except listening.ListeningError as error:
        raise SyndicationError(str(error)) from None
    return report


def _listen_blog(blog: Blog, only: str | None, env: Mapping[str, str], now: dt.datetime, state_dir: Path,
                 report: Report, hooks: dict[str, Any], language: str) -> None:
    try:
        book = ledger.Ledger.load(blog.folder)
        record = listening.Record.load(blog.folder)
    except (ledger.LedgerError, listening.ListeningError) as error:
        report.outcomes.append(Outcome(blog.slug, only or "", "fault", detail=str(error)))
        return
    shared: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for key, entry in book.data["posts"].items():
        for name, row in (entry.get("networks") or {}).items():
            if row.get("status") == ledger.DONE and row.get("remote_id"):
                shared.setdefault(name, []).append((key, entry.get("slug") or key, row))
    before = set(record.data["responses"])
    for name in NETWORKS:
        if (only and name != only) or (name not in blog.councillor.platforms and name not in shared):
            continue
        if name in NOT_AVAILABLE:
            report.outcomes.append(Outcome(blog.slug, name, "skipped", detail=f"not read: {NOT_AVAILABLE[name]}"))
            continue
        cls = listener_class(name)
        if cls is None:
            continue  # shared by hand from the share kit: there is no copy to read
        platform = blog.councillor.platforms.get(name)
        if platform is not None and platform.personal and name not in shared:
            report.outcomes.append(Outcome(blog.slug, name, "skipped",
                                           detail="a personal profile: no app may read it; look there yourself"))
            continue
        handle = platform.handle if platform else ""
        context = Context(blog_slug=blog.slug, handle=handle,
                          profile_url=profile_url(name, handle, platform.url) if platform else None,
                          language=language, env=env, state_dir=state_dir, learned=book.network(name), **hooks)
        listener = cls(context)
        report.outcomes.append(_listen_network(listener, record, shared.get(name, []), now))
    record.finish_run(now)
    record.save()
    report.new += [replies.Waiting(blog.slug, rid, r, replies.post_slug(record, r)) for rid, r in record.waiting()
                   if rid not in before]


def _listen_network(listener: Listener, record: listening.Record, posts: list[tuple[str, str, dict[str, Any]]],
                    now: dt.datetime) -> Outcome:
    # Kept whole: each kind of failure below decides whether this network is asked anything more this
    # run, and what the record keeps of it; split up, those decisions would be spread over several places.
    name, slug = listener.name, listener.context.blog_slug
    missing = listener.missing_to_read()
    if missing:
        return Outcome(slug, name, "skipped", detail=f"not read until these are set: {', '.join(missing)}")
    problems: list[str] = []
    #: What the record keeps of the problems: the project's words, never the network's answer.
    kept: list[str] = []
    fix = ""
    read = new = 0
    refused = False  # the token may not read, or the network is down or limiting: ask nothing more this run

    def scrub(text: str) -> str:
        return redact(text, listener.secrets())

    for key, post_slug, row in posts:
        try:
            heard = listener.read_post(str(row["remote_id"]), row.get("remote_url"))
        except Gone as error:
            problems.append(f"{post_slug}: {error.message}; its copy may have been deleted")
            kept.append(f"{post_slug}: its copy may have been deleted")
            continue
        except AuthError as error:
            problems.append(error.message)
            kept.append(ledger_error(error))
            fix, refused = error.fix, True
            break  # the token will not read the next post either
        except NetworkError as error:
            problems.append(f"{post_slug}: {error.message}")
            kept.append(f"{post_slug}: {ledger_error(error)}")
            fix = error.fix or fix
            if isinstance(error, Transient):
                refused = True
                break  # rate limited or down: the next run carries on
            continue
        except Exception as error:  # an answer nobody expected fails this post, never the run
            problems.append(f"{post_slug}: an answer that could not be understood ({type(error).__name__}: {error})")
            kept.append(f"{post_slug}: {ledger_error(NetworkError(''))}")
            continue
        record.set_counts(key, post_slug, name, remote_id=str(row["remote_id"]), remote_url=row.get("remote_url"),
                          when=now, **heard.counts)
        for reply in heard.replies:
            new += record.add_response(name, reply.remote_id, kind=listening.REPLY, post=key,
                                       author_handle=reply.author_handle, author_name=reply.author_name,
                                       author_url=reply.author_url, url=reply.url, published=reply.published,
                                       text=reply.text, when=now)
        if heard.complete:
            record.mark_gone(name, key, {reply.remote_id for reply in heard.replies}, now)
        read += 1
        record.save()  # each post's reading is kept as soon as it is made
    record.set_totals(name, now.date())
    if not refused:
        for step in (_followers, _mentions):
            try:
                new += step(listener, record, now)
            except NetworkError as error:
                problems.append(error.message)
                kept.append(ledger_error(error))
                fix = error.fix or fix
            except Exception as error:
                problems.append(f"an answer that could not be understood ({type(error).__name__}: {error})")
                kept.append(ledger_error(NetworkError("")))
            record.save()
    message = scrub("; ".join(problems))
    record.set_fault(name, "; ".join(kept) or None, now)
    record.save()
    status = "fault" if problems else "read"
    return Outcome(slug, name, status, posts=read, new=new, detail=message, fix=scrub(fix))


def _followers(listener: Listener, record: listening.Record, now: dt.datetime) -> int:
    count = listener.read_followers()
    if count is not None:
        record.set_followers(listener.name, now.date(), count)
    return 0


def _mentions(listener: Listener, record: listening.Record, now: dt.datetime) -> int:
    new = 0
    for mention in listener.read_mentions() or []:
        new += record.add_response(listener.name, mention.remote_id, kind=listening.MENTION, post=None,
                                   author_handle=mention.author_handle, author_name=mention.author_name,
                                   author_url=mention.author_url, url=mention.url, published=mention.published,
                                   text=mention.text, when=now)
    return new


STATUS_WORDS = {"read": "read", "skipped": "skipped", "fault": "PROBLEM"}


def describe(report: Report) -> str:
    """The run as a councillor or web officer reads it: per blog and network, then what is new."""
    lines: list[str] = []
    by_blog: dict[str, list[Outcome]] = {}
    for outcome in report.outcomes:
        by_blog.setdefault(outcome.blog, []).append(outcome)
    new_by_blog: dict[str, int] = {}
    for item in report.new:
        new_by_blog[item.blog] = new_by_blog.get(item.blog, 0) + 1
    for slug in sorted(set(by_blog) | set(new_by_blog)):
        lines.append(f"== {slug}")
        for o in by_blog.get(slug, []):
            label = NETWORKS[o.network].label if o.network in NETWORKS else (o.network or "Listening")
            line = f"  {label}: {STATUS_WORDS[o.status]}"
            if o.status != "skipped":
                line += f" ({o.posts} post{'s' if o.posts != 1 else ''}, {o.new} new)"
            lines += outcome_lines(line, o.detail, o.fix)
        count = new_by_blog.get(slug, 0)
        if count:
            lines.append(f"  {count} new repl{'y' if count == 1 else 'ies'} or mention{'' if count == 1 else 's'} "
                         f"waiting: see 'councillor replies {slug}'")
    return "\n".join(lines)
