"""Every use of Pelican's and MkDocs' internals: names outside their documented APIs.

An upgrade of either may rename one of these without notice. Were that to happen silently,
warnings could be lost (so ``--strict`` would pass when it should not) or a build would slow
to a crawl. So they are all here, each with why it is needed, and ``tests/test_compat.py``
fails loudly, naming the one that moved, when an installed version no longer has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer, _timestamp
from pelican import contents, signals
from pelican.log import LimitFilter
from pelican.log import console as pelican_console
from pelican.utils import memoized

__all__ = ["LiveReloadServer", "forget_pelican_state", "quiet_pelican", "reload_script", "settle_addresses",
           "timestamp"]

#: Where Pelican's generators keep the posts and pages of a blog, in every state.
CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations",
                 "pages", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")
#: The private parts of MkDocs' live-reload server that ``generator.build.serve`` builds on.
LIVERELOAD_PARTS = ("_serve_request", "_inject_js_into_html", "_epoch_cond", "_wanted_epoch", "_visible_epoch")


def forget_pelican_state() -> None:
    """Empty what Pelican keeps at class level for the life of a process.

    Its ``@memoized`` caches keep every post built so far alive. Its log filter drops any
    message it has seen before, from every logger made after Pelican was imported: a
    second build in one process (``serve``, a worker, a test) would lose its warnings,
    and ``--strict`` with them.
    """
    for cls in vars(contents).values():
        if isinstance(cls, type):
            for attr in vars(cls).values():
                if isinstance(attr, memoized):
                    attr.cache.clear()
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _fix_addresses(generators: list[Any]) -> None:
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                content.override_url = content.url


def settle_addresses() -> None:
    """Once every post and page is read, give each one its address for good.

    Pelican works a post's address out from the settings each time it is asked, and the
    theme asks about 95 times for each page it writes: a quarter of a blog's build.
    ``override_url`` is Pelican's own way for a post to state its address. Connecting the
    same receiver again is a no-op, so every build may call this.
    """
    signals.all_generators_finalized.connect(_fix_addresses)


@contextmanager
def quiet_pelican() -> Iterator[None]:
    """Pelican prints a summary per run; with dozens of blogs that buries the messages that matter."""
    was, pelican_console.quiet = pelican_console.quiet, True
    try:
        yield
    finally:
        pelican_console.quiet = was


def reload_script(epoch: int, request_id: int) -> str:
    """MkDocs' live-reload script, which it would write into each page; ``serve`` serves it as a file
    because the blog and council pages allow no inline script."""
    return _SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=request_id)


def timestamp() -> int:
    """MkDocs' live-reload clock, which the reload script's epochs count in."""
    return _timestamp()
