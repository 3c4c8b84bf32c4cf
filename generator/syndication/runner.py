"""``councillor syndicate``: send each new, deployed post once to each of the councillor's networks.

Reads top to bottom like the build: load the project, check site/ is there, then per blog
and per network work out which posts are due and sync each one. A post is due on a network
when it is published (not a draft, not dated in the future), its page is in the built site,
it is dated on or after the network's baseline, and the ledger has no finished copy of it.

The exactly-once rule lives in ``sync``: a ledger row is saved as pending before the network
is called and as done after; a row left pending (or an error that may have reached the
network) is looked up on the network before anything is posted again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

from generator.exceptions import SyndicationError
from generator.inputs import posts as posts_module
from generator.inputs.config import Blog, Project, load_project
from generator.inputs.layout import SITE_DIR
from generator.inputs.networks import NETWORKS, profile_url
from generator.inputs.urls import BLOGS_URL_PATH, blog_url, post_path, site_url_for
from generator.syndication import adapter_class, ledger
from generator.syndication import again as again_module
from generator.syndication.base import SESSIONS_DIR, Adapter, Context, ledger_error
from generator.syndication.compose import Draft, Message
from generator.syndication.errors import AuthError, CannotCheck, Duplicate, NetworkError, Rejected, Remote, redact
from generator.syndication.tokens import Token, token_health

log = logging.getLogger("generator.syndication")



@dataclass(frozen=True)
class Result:
    """What happened to one post on one network in this run."""

    blog: str
    post: str
    network: str
    #: sent | found (an earlier attempt had reached the network) | preview | error | skipped
    status: str
    text: str | None = None
    remote_url: str | None = None
    detail: str = ""
    fix: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    #: blog slug -> {network: [(variable name, is it set?)]}
    variables: dict[str, dict[str, list[tuple[str, bool]]]] = field(default_factory=dict)
    #: blog slug -> labels of the networks shared by hand from the blog's share kit
    by_hand: dict[str, list[str]] = field(default_factory=dict)
    #: blog slug -> {network: when} for networks whose sharing starts at this run with no earlier date to go by
    starts: dict[str, dict[str, dt.datetime]] = field(default_factory=dict)
    #: blog slug -> {network: Token}, for networks that say how long the token has left
    tokens: dict[str, dict[str, Token]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(r.status == "error" for r in self.results)

    def tokens_needing_attention(self) -> list[tuple[str, str, Token]]:
        return [(blog, network, token) for blog, by_network in sorted(self.tokens.items())
                for network, token in by_network.items() if token.attention]


@dataclass
class _RowProgress:
    """A multi-step post's progress, saved in its ledger row as each step completes."""

    book: ledger.Ledger
    key: str
    network: str
    state: dict[str, str]

    def save(self, **values: str) -> None:
        self.state.update(values)
        self.book.save_progress(self.key, self.network, values)


def post_url(site_url: str, blog: Blog, post: posts_module.Post) -> str:
    return f"{blog_url(site_url, blog.slug)}/{post_path(post)}"


def deployed(site_dir: Path, blog: Blog, post: posts_module.Post) -> bool:
    return (site_dir / BLOGS_URL_PATH / blog.slug / post_path(post) / "index.html").is_file()


def draft_for(blog: Blog, post: posts_module.Post, url: str, share: int = 1, site_url: str | None = None) -> Draft:
    image = alt = image_url = None
    if post.meta.image:
        # The build's own rule: a file inside the blog's content/ (images/ for a bare name), never elsewhere.
        image = posts_module.picture_file(blog.content_dir, post.path, post.meta.image.src)
        alt = post.meta.image.alt
        if image is not None and site_url:
            # The blog's pictures are published as they are, beside its posts (STATIC_PATHS in generator.blogs).
            inside = image.resolve().relative_to(blog.content_dir.resolve()).as_posix()
            image_url = f"{blog_url(site_url, blog.slug)}/{inside}"
    return Draft(url=url, title=post.meta.title, summary=post.meta.summary, tags=tuple(post.meta.tags),
                 social=dict(post.meta.social), image=image, image_alt=alt, share=share, image_url=image_url)


def automated_networks(blog: Blog) -> list[str]:
    """Networks this councillor has switched on that the project posts to itself, in catalogue order."""
    c = blog.councillor
    return [n for n in NETWORKS if n in c.platforms and NETWORKS[n].automated and c.syndicates_to(n)]


def sharing_start(since: dt.date | dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """When a blog's sharing starts, from its ``syndication_since``: a date means its first minute, a date and
    time without a zone is the site's local time."""
    if since is None:
        return None
    if isinstance(since, dt.datetime):
        return since if since.tzinfo else since.replace(tzinfo=zone)
    return dt.datetime.combine(since, dt.time(0, 0), zone)


@contextlib.contextmanager
def _one_run_at_a_time(state_dir: Path) -> Iterator[None]:
    """Two runs at once could both see a post as new; the second one stops instead."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "run.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyndicationError("another 'councillor syndicate' is running; wait for it to finish") from None
        yield


def run(root: Path, *, blog: str | None = None, network: str | None = None, dry_run: bool = False,
        again: str | None = None,
        site_dir: Path | None = None, base_url: str | None = None, env: Mapping[str, str] | None = None,
        now: dt.datetime | None = None, sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        session_factory: Callable[[], requests.Session] = requests.Session) -> Report:
    """Syndicate every due post of every blog (or one blog, one network); never raises for one network failing.

    ``again`` names one post (its slug or file name) to share once more to ``network``, on purpose: the only
    way a post already shared there is ever sent again."""
    project = load_project(root)
    site_dir = (site_dir or project.root / SITE_DIR).resolve()
    if not (site_dir / BLOGS_URL_PATH).is_dir():
        raise SyndicationError(f"there is no built site in {site_dir}: syndication only sends posts that are on "
                               "the deployed site. Run 'councillor build' (and deploy) first.")
    if network is not None and network not in NETWORKS:
        raise SyndicationError(f"'{network}' is not a network this project knows ({', '.join(NETWORKS)})")
    blogs = [project.blog(blog)] if blog else project.blogs
    if again is not None:
        blogs = [again_module.blog_for(project, blogs, again, network)]
    env = os.environ if env is None else env
    now = now or dt.datetime.now(dt.UTC)
    site_url = site_url_for(project, base_url)
    state_dir = project.root / SESSIONS_DIR
    report = Report()
    # A dry run writes nothing at all, not even the lock file: two previews, or a preview beside a real
    # run, cannot send anything twice.
    with contextlib.nullcontext() if dry_run else _one_run_at_a_time(state_dir):
        for each in blogs:
            _run_blog(project, each, network, dry_run, site_dir, site_url, env, now, state_dir, report,
                      dict(sleep=sleep, clock=clock, session_factory=session_factory), again)
    return report


def _run_blog(project: Project, blog: Blog, only: str | None, dry_run: bool, site_dir: Path, site_url: str,
              env: Mapping[str, str], now: dt.datetime, state_dir: Path, report: Report,
              hooks: dict[str, Any], again: str | None = None) -> None:
    zone = ZoneInfo(project.programme.site.timezone)
    all_posts, _problems = posts_module.read_all(blog.content_dir, project.programme.site.timezone)
    live_posts = [p for p in all_posts if p.is_published(now)]
    book = ledger.Ledger.load(blog.folder)
    start = sharing_start(blog.councillor.syndication_since, zone)
    hand = [NETWORKS[n].label for n in NETWORKS if n in blog.councillor.platforms and n not in automated_networks(blog)]
    if hand:
        report.by_hand[blog.slug] = hand
    if only and only in blog.councillor.platforms and only not in automated_networks(blog):
        # Asked for by name but not shared automatically: say so rather than print nothing.
        can_turn_on = NETWORKS[only].automated and not blog.councillor.platforms[only].personal
        fix = (f"to share automatically, set 'syndicate: true' under {only} in "
               f"councillor_blogs/{blog.slug}/councillor.yml" if can_turn_on else "")
        report.results.append(Result(blog.slug, "", only, "skipped", fix=fix,
                                     detail=f"not shared automatically; it is in councillors/{blog.slug}/share-kit/"))
    already_on = any(book.baseline(n) for n in NETWORKS)
    for name in automated_networks(blog):
        if only and name != only:
            continue
        cls = adapter_class(name)
        if cls is None:
            report.results.append(Result(blog.slug, "", name, "skipped",
                                         detail=f"posting to {NETWORKS[name].label} is not available yet"))
            continue
        platform = blog.councillor.platforms[name]
        context = Context(blog_slug=blog.slug, handle=platform.handle,
                          profile_url=profile_url(name, platform.handle, platform.url),
                          language=project.programme.site.language, env=env, state_dir=state_dir,
                          learned=book.network(name), **hooks)
        adapter = cls(context)
        report.variables.setdefault(blog.slug, {})[name] = [
            (var, env.get(var, "").strip() != "") for var in adapter.env_names()]
        live = not dry_run and not adapter.missing()
        baseline = _baseline(book, blog, name, start if not already_on else None, now, dry_run, report)
        if again is not None:
            due = again_module.due(blog, book, live_posts, again, name, dry_run, site_dir)
        else:
            due = _due_posts(book, blog, name, live_posts, baseline, start, site_dir, report)
        stopped = _send_each(adapter, book, blog, due, site_url, live, now, dry_run, again, report)
        if live and stopped is None:
            token = token_health(adapter, now)
            if token is not None:
                report.tokens.setdefault(blog.slug, {})[name] = token
        if live and adapter.learned() and adapter.learned().items() - book.network(name).items():
            book.learn(name, **adapter.learned())
            book.save()


def _baseline(book: ledger.Ledger, blog: Blog, name: str, start: dt.datetime | None, now: dt.datetime,
              dry_run: bool, report: Report) -> dt.datetime:
    """The time from which posts are shared to ``name``. ``start`` is None when another network was on first."""
    baseline = book.baseline(name)
    if baseline is not None:
        return baseline
    # `syndication_since` says where a blog's sharing starts (`councillor new` sets it to when the blog
    # was made); a network added after a first share starts from the day it is added, rather than
    # receiving every post since. A blog with no date at all starts now: its back catalogue stays put.
    baseline = start if start is not None else now
    if start is None:
        report.starts.setdefault(blog.slug, {})[name] = baseline
    # Recorded by every real run, with or without the network's secrets, so a post previewed while
    # the secret was missing is the post sent once it is set; a dry run only works it out, the same way.
    if not dry_run:
        book.set_baseline(name, baseline)
        book.save()
    return baseline


def _due_posts(book: ledger.Ledger, blog: Blog, name: str, live_posts: list[posts_module.Post],
               baseline: dt.datetime, start: dt.datetime | None, site_dir: Path,
               report: Report) -> list[tuple[str, posts_module.Post]]:
    """The posts not yet settled on ``name`` whose pages are on the deployed site."""
    due = []
    for post in live_posts:
        if post.date < baseline or (start is not None and post.date < start):
            continue
        key = book.key_for(post.source(blog.content_dir), post.slug)
        row = book.row(key, name)
        if row and row.get("status") in ledger.SETTLED:
            continue
        if not deployed(site_dir, blog, post):
            report.results.append(Result(blog.slug, post.slug, name, "skipped",
                                         detail="not on the built site yet; it is sent after the next deploy"))
            continue
        due.append((key, post))
    return due


def _send_each(adapter: Adapter, book: ledger.Ledger, blog: Blog, due: list[tuple[str, posts_module.Post]],
               site_url: str, live: bool, now: dt.datetime, dry_run: bool, again: str | None,
               report: Report) -> NetworkError | None:
    """Send each due post; after a token problem the rest are not tried. Returns that problem, if any."""
    stopped: NetworkError | None = None
    for key, post in due:
        if stopped is not None:
            report.results.append(Result(blog.slug, post.slug, adapter.name, "skipped",
                                         detail=f"not tried: {stopped.message}", fix=stopped.fix))
            continue
        share = book.share_number(book.row(key, adapter.name))
        if again is not None and dry_run and (book.row(key, adapter.name) or {}).get("status") == ledger.DONE:
            share += 1  # what --again would make, without starting it
        draft = draft_for(blog, post, post_url(site_url, blog, post), share, site_url)
        result, stop = sync(adapter, book, key, post.slug, draft, live, now, dry_run=dry_run)
        report.results.append(_scrub(result, adapter))
        stopped = stop
    return stopped


def sync(adapter: Adapter, book: ledger.Ledger, key: str, slug: str, draft: Draft, live: bool,
         now: dt.datetime, *, dry_run: bool = False) -> tuple[Result, NetworkError | None]:
    """Send one post to one network exactly once. Returns its result and, if the network should not be tried
    again this run (a token problem), the error that stopped it. A dry run changes nothing in the ledger.

    One function on purpose: the order of the ledger's writes around the network's answer (pending before
    sending, done or error after, a look before sending again when unsure) is what makes a post go out
    exactly once, and it reads top to bottom."""
    name, blog = adapter.name, adapter.context.blog_slug
    row = book.row(key, name) or {}
    status = row.get("status")
    must_check = status == ledger.PENDING or (status == ledger.ERROR and bool(row.get("uncertain")))
    message: Message | None = None

    def done(remote: Remote, how: str) -> Result:
        book.mark_done(key, name, slug=slug, url=draft.url, text=message.text if message else row.get("text", ""),
                       remote_id=remote.id, remote_url=remote.url, attempted_at=row.get("attempted_at"),
                       when=dt.datetime.now(dt.UTC))
        return Result(blog, slug, name, how, text=message.text if message else None, remote_url=remote.url)

    def failed(error: NetworkError, uncertain: bool) -> Result:
        book.mark_error(key, name, slug=slug, url=draft.url, text=message.text if message else None,
                        error=ledger_error(error), uncertain=uncertain,
                        when=dt.datetime.now(dt.UTC), progress=dict(progress.state) if progress.state else None)
        return Result(blog, slug, name, "error", text=message.text if message else None, detail=error.message,
                      fix=error.fix)

    progress = _RowProgress(book, key, name, dict(row.get("progress") or {}))
    try:
        message = dataclasses.replace(adapter.prepare(draft, live), earlier=book.earlier_ids(row))
    except SyndicationError as error:
        return Result(blog, slug, name, "error", detail=error.message), None
    except NetworkError as error:
        if dry_run:
            return Result(blog, slug, name, "error", detail=error.message, fix=error.fix), None
        return failed(error, must_check), error if isinstance(error, AuthError) else None
    except Exception as error:
        if dry_run:
            return Result(blog, slug, name, "error", detail=_unexpected(adapter, error).message), None
        return failed(_unexpected(adapter, error), must_check), None

    declined = adapter.declines(message)
    if declined:
        if not dry_run:  # recorded as settled, so later runs do not offer it again; it has no copy to link to
            book.set_row(key, name, slug=slug, url=draft.url, status=ledger.DECLINED, reason=declined)
            book.save()
        return Result(blog, slug, name, "skipped", detail=declined), None

    if not live:
        # A real run without the network's secret keeps the text it would send, for the web officer to read.
        if status in (None, ledger.PREVIEW) and not dry_run:
            book.set_row(key, name, slug=slug, url=draft.url, status=ledger.PREVIEW, text=message.text)
            book.save()
        return Result(blog, slug, name, "preview", text=message.text), None

    try:
        if must_check:
            found = adapter.look(message)
            if found:
                return done(found, "found"), None
        book.mark_pending(key, name, slug=slug, url=draft.url, text=message.text, when=dt.datetime.now(dt.UTC),
                          progress=progress.state or None)
        row = book.row(key, name) or {}
        try:
            remote = adapter.deliver(message, progress)
        except Duplicate as duplicate:
            if duplicate.remote is not None and duplicate.remote.id in message.earlier:
                raise Rejected(f"{adapter.label} refuses the same words twice",
                               f"give new words for {name} under 'social:' in the post's front matter, then run "
                               f"'councillor syndicate --again {slug} --network {name}' again") from duplicate
            remote = duplicate.remote or adapter.look(message)
            if remote is None:
                raise CannotCheck(f"{adapter.label} says this was posted already, but it was not found among the "
                                  "account's recent posts",
                                  f"look on {adapter.label}; if the post is there, set this row's status to "
                                  f"\"done\" in {book.path.name}") from duplicate
            return done(remote, "found"), None
        return done(remote, "sent"), None
    except CannotCheck as error:
        return failed(error, True), None
    except AuthError as error:
        return failed(error, must_check or error.ambiguous), error
    except NetworkError as error:
        return failed(error, must_check or error.ambiguous), None
    except Exception as error:
        # It may have come after the network took the post, so the next run looks before it posts.
        return failed(_unexpected(adapter, error), True), None


def _unexpected(adapter: Adapter, error: Exception) -> NetworkError:
    """An answer the adapter did not expect (a changed API, a proxy's error page) fails this one post,
    never the run: the other posts, networks and blogs still go ahead."""
    return NetworkError(f"{adapter.label} gave an answer that could not be understood "
                        f"({type(error).__name__}: {redact(str(error), adapter.secrets())})",
                        "try again at the next run; if it keeps happening, report this message with the "
                        "network's name")


def _scrub(result: Result, adapter: Adapter) -> Result:
    secrets = adapter.secrets()
    return Result(result.blog, result.post, result.network, result.status,
                  text=result.text, remote_url=result.remote_url,
                  detail=redact(result.detail, secrets), fix=redact(result.fix, secrets))


