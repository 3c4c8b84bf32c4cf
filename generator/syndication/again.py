"""``councillor syndicate --again SLUG --network NAME``: share one older post once more, on purpose.

A normal run never sends a post twice. This is the one way to: the web officer names the post
and the network, the finished share moves to the ledger row's ``earlier`` list, and the row
starts over as share 2 (then 3, …) with the same exactly-once rules as a first share. Each
share has its own idempotency key (Mastodon) or record key (Bluesky), and looking a share up
after an unclear failure passes over the earlier ones, so the second share can neither be
mistaken for the first nor made twice.
"""

from __future__ import annotations

from pathlib import Path

from generator.exceptions import SyndicationError
from generator.inputs import posts as posts_module
from generator.inputs.config import Blog, Project
from generator.inputs.networks import NETWORKS
from generator.inputs.urls import BLOGS_URL_PATH, post_path
from generator.syndication import ledger


def matches(post: posts_module.Post, content_dir: Path, ref: str) -> bool:
    """``ref`` names the post: its slug (as syndication.json and its address show it) or its file name."""
    source = post.source(content_dir)
    return ref in (post.slug, source, post.path.name, post.path.stem)


def blog_for(project: Project, blogs: list[Blog], ref: str, network: str | None) -> Blog:
    """The one blog with a post called ``ref``; refused clearly when there is none, or more than one."""
    if network is None:
        raise SyndicationError("--again needs --network: say which network to share the post to again, "
                               "e.g. --network mastodon")
    zone = project.programme.site.timezone
    found = [b for b in blogs if any(matches(p, b.content_dir, ref) for p in posts_module.read_all(b.content_dir,
                                                                                                   zone)[0])]
    if not found:
        raise SyndicationError(f"no blog has a post called '{ref}': give the post's name as syndication.json "
                               "shows it (its 'slug', e.g. bin-collections-change-in-march) or its file name")
    if len(found) > 1:
        raise SyndicationError(f"more than one blog has a post called '{ref}' "
                               f"({', '.join(b.slug for b in found)}): add --blog to say which")
    blog = found[0]
    c = blog.councillor
    if network not in c.platforms or not (NETWORKS[network].automated and c.syndicates_to(network)):
        raise SyndicationError(f"{c.name} does not share to {NETWORKS[network].label} automatically, so the post "
                               f"cannot be shared there again: check --network and councillor_blogs/{blog.slug}/"
                               "councillor.yml")
    return blog


def due(blog: Blog, book: ledger.Ledger, live: list[posts_module.Post], ref: str, network: str, dry_run: bool,
        site_dir: Path) -> list[tuple[str, posts_module.Post]]:
    """The post to share again, with its ledger key; a real run starts the further share in the ledger.

    A further share left unfinished by an earlier run (pending, or failed) is carried on rather than
    another one started."""
    label = NETWORKS[network].label
    post = next((p for p in live if matches(p, blog.content_dir, ref)), None)
    if post is None:
        raise SyndicationError(f"'{ref}' in {blog.slug} is a draft or dated in the future: only a published post "
                               "can be shared again")
    if not (site_dir / BLOGS_URL_PATH / blog.slug / post_path(post) / "index.html").is_file():
        raise SyndicationError(f"'{ref}' is not on the built site: build and deploy before sharing it again")
    key = book.key_for(post.source(blog.content_dir), post.slug)
    row = book.row(key, network) or {}
    if row.get("status") == ledger.DONE:
        if not dry_run:
            book.start_again(key, network)
        return [(key, post)]
    if book.share_number(row) > 1:
        return [(key, post)]  # the unfinished further share, carried on
    raise SyndicationError(f"'{ref}' has not been shared to {label} yet, so there is nothing to share again: "
                           "'councillor syndicate' shares it as usual if it is due")
