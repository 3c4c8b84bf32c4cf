"""The share kit: copy-ready text and share links for networks the project does not post to itself.

Nextdoor, WhatsApp and Instagram have no posting API; a Facebook personal profile cannot be
posted to by any API; and a network the councillor has turned off (X, say, because it
charges) still deserves a ready-made message. For each of these the blog gets one page,
``share-kit/``, with the newest posts' text already composed under that network's rules,
a copy button and, where the network has one, a share link. It is built into the blog but
linked from nowhere and marked noindex: it is the councillor's own tool, for an iPad.

Each text follows what its network can do with it: where a link cannot be clicked (an
Instagram caption) the text says where the full post is instead of carrying a dead link. A
post's picture is offered to download, with its description ready to paste as the network's
alt text.

Only the standard library, the composer and Pelican's own rendering are used, so the build
needs no network client.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.exceptions import ConfigError, Problem
from generator.inputs import posts as posts_module
from generator.inputs.config import Blog, Project, load_project
from generator.inputs.networks import NETWORKS
from generator.inputs.urls import blog_url, post_path
from generator.syndication import ledger
from generator.syndication.compose import (
    Draft,
    Rules,
    bluesky_display,
    bluesky_length,
    compose,
    mastodon_length,
    plain_length,
    threads_length,
    utf16_units,
    x_length,
)

PATH = "share-kit"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "share_kit.html"
#: How many of the newest posts the page offers.
POSTS = 8

#: Networks whose posts show a link as plain text that cannot be clicked: the text says where the post is.
#: Instagram: "URLs in captions are not clickable" (https://help.instagram.com/1986234648360433).
UNCLICKABLE = {"instagram"}

#: Each network's rule for hand-posted text (the same rules the adapters use where there is one).
#: Instagram captions: 2,200 characters. https://help.instagram.com/1986234648360433
#: WhatsApp channel updates and Nextdoor posts have no limit that a blog summary comes near.
RULES: dict[str, Rules] = {
    "mastodon": Rules(500, mastodon_length),
    # Pasted into the Bluesky app, the link is shortened there before it is counted, as it is here.
    "bluesky": Rules(300, lambda text, url: bluesky_length(text.replace(url, bluesky_display(url)), url)),
    "x": Rules(280, x_length),
    "facebook": Rules(2000, plain_length),
    "linkedin": Rules(3000, lambda text, url: utf16_units(text)),
    "threads": Rules(500, threads_length),
    "instagram": Rules(2200, lambda text, url: utf16_units(text)),
    "nextdoor": Rules(4000, plain_length),
    "whatsapp": Rules(4000, plain_length),
}


def share_networks(blog: Blog) -> list[str]:
    """The councillor's networks that are shared by hand: no API, or not switched on for automatic posting."""
    c = blog.councillor
    return [n for n in NETWORKS if n in c.platforms and not (NETWORKS[n].automated and c.syndicates_to(n))]


#: Networks whose composer opens with the words filled in, and those that take only the post's address.
COMPOSE_TEXT = {"whatsapp": "https://wa.me/?text=", "x": "https://x.com/intent/post?text=",
                "bluesky": "https://bsky.app/intent/compose?text=", "threads": "https://www.threads.net/intent/post?text="}
SHARE_ADDRESS = {"facebook": "https://www.facebook.com/sharer/sharer.php?u=",
                 "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url="}


def share_url(network: str, text: str, url: str, handle: str) -> str | None:
    """A link that opens the network's composer with the text filled in, where the network has one."""
    if network in COMPOSE_TEXT:
        return COMPOSE_TEXT[network] + quote(text, safe="")
    if network in SHARE_ADDRESS:
        return SHARE_ADDRESS[network] + quote(url, safe="")
    if network == "mastodon":
        _, _, host = handle.lstrip("@").partition("@")
        return f"https://{host}/share?text={quote(text, safe='')}" if host else None
    return None  # Nextdoor and Instagram: copy the text and paste it into the app


def where_it_is(blog_address: str) -> str:
    """What an Instagram caption says in place of a link: the blog's address, to type or find in the bio."""
    plain = blog_address.split("://", 1)[-1].rstrip("/")
    return f"Full post at {plain} (link in bio)"


def picture(blog: Blog, post: posts_module.Post, blog_address: str) -> dict[str, str] | None:
    """The post's picture as the share kit offers it: its published address, file name and description."""
    if not post.meta.image:
        return None
    path = posts_module.picture_file(blog.content_dir, post.path, post.meta.image.src)
    if path is None:
        return None
    inside = path.resolve().relative_to(blog.content_dir.resolve()).as_posix()
    return {"url": f"{blog_address}/{inside}", "name": path.name, "alt": post.meta.image.alt}


#: Characters that surely fit on a line of the text box on a 320 px phone, where it is narrowest
#: (fewer than the width allows, since words wrap whole).
PHONE_LINE = 24


def text_rows(text: str) -> int:
    """Rows enough to show all of ``text`` on a phone, so no hashtag or link hides below the box."""
    return 1 + sum(-(-max(len(line), 1) // PHONE_LINE) for line in text.split("\n"))


def context(project: Project, blog: Blog, site_url: str, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """What the share kit page shows, or None when the councillor shares nowhere by hand."""

    networks = share_networks(blog)
    if not networks:
        return None
    now = now or dt.datetime.now(dt.UTC)
    found, _problems = posts_module.read_all(blog.content_dir, project.programme.site.timezone)
    live = sorted((p for p in found if p.is_published(now)), key=lambda p: p.date, reverse=True)[:POSTS]
    entries = []
    address = blog_url(site_url, blog.slug)
    for post in live:
        url = f"{address}/{post_path(post)}"
        draft = Draft(url=url, title=post.meta.title, summary=post.meta.summary, tags=tuple(post.meta.tags),
                      social=dict(post.meta.social))
        items = []
        for name in networks:
            rules = RULES[name]
            if name in UNCLICKABLE:
                rules = dataclasses.replace(rules, display=lambda _url: where_it_is(address))
            message = compose(name, draft, rules)
            handle = blog.councillor.platforms[name].handle
            items.append({"network": name, "label": NETWORKS[name].label, "text": message.text,
                          "share_url": share_url(name, message.text, url, handle),
                          "length": message.length, "limit": message.limit, "rows": text_rows(message.text)})
        entries.append({"title": post.meta.title, "url": url, "date": post.date.date().isoformat(),
                        "date_text": f"{post.date:%-d %B %Y}", "slug": post.slug, "items": items,
                        "image": picture(blog, post, address)})
    return {"networks": [NETWORKS[n].label for n in networks], "posts": entries}


def template_pages(blog: Blog) -> dict[str, str]:
    """Pelican's TEMPLATE_PAGES entry for this blog: the share kit page, only where it has something to show."""
    return {str(TEMPLATE): f"{PATH}/index.html"} if share_networks(blog) else {}


def record_hand_share(root: Path, blog_slug: str, post_ref: str, network: str, url: str,
                      now: dt.datetime | None = None) -> str:
    """Record in the ledger that a post was shared by hand, so the check, the footprint report
    and the post's "Also on …" links count it like an automatic share. Returns the post's title."""

    project = load_project(root)
    blog = project.blog(blog_slug)
    where = blog.folder / "councillor.yml"
    if network not in blog.councillor.platforms:
        raise ConfigError([Problem(where, None, f"{blog.councillor.name} has no '{network}' under platforms",
                                   "add the network to councillor.yml first, or check the --network name")])
    if not url.startswith(("https://", "http://")):
        raise ConfigError([Problem(where, None, f"'{url}' is not a web address",
                                   "paste the address of the post on the network, starting https://")])
    found, _ = posts_module.read_all(blog.content_dir, project.programme.site.timezone)
    matches = [p for p in found if post_ref in (p.path.name, p.path.stem, p.slug)]
    if not matches:
        raise ConfigError([Problem(blog.content_dir / posts_module.POSTS_DIR, None, f"no post called '{post_ref}'",
                                   "give the post's file name, e.g. 2026-11-02-bin-collections.md")])
    post = matches[0]
    now = now or dt.datetime.now(dt.UTC)
    book = ledger.load(blog.folder)
    key = book.key_for(post.source(blog.content_dir), post.slug)
    book.mark_done(key, network, slug=post.slug,
                   url=f"{blog_url(project.programme.site.url, blog.slug)}/{post_path(post)}",
                   text="(shared by hand)", remote_id=url, remote_url=url, attempted_at=None, when=now)
    return post.meta.title
