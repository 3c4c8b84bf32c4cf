"""Loud failures for an upgrade of Pelican or MkDocs that moves an internal the toolkit relies on."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs import livereload
from pelican import contents
from pelican.log import LimitFilter
from pelican.utils import memoized

from generator import compat


def test_every_mkdocs_internal_serve_builds_on_is_still_there() -> None:
    missing = [name for name in ("_SCRIPT_TEMPLATE", "_timestamp") if not hasattr(livereload, name)]
    server = livereload.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    try:
        missing += [f"LiveReloadServer.{name}" for name in compat.LIVERELOAD_PARTS if not hasattr(server, name)]
    finally:
        server.server_close()
    assert not missing, f"MkDocs no longer has {missing}: update generator/compat.py and generator/build/serve.py"
    script = compat.reload_script(7, 9)
    assert "7" in script and "9" in script and "livereload" in script
    assert isinstance(compat.timestamp(), int)


def test_pelican_forgets_what_it_remembered_between_builds() -> None:
    memos = [attr for cls in vars(contents).values() if isinstance(cls, type)
             for attr in vars(cls).values() if isinstance(attr, memoized)]
    assert memos, "Pelican's content classes no longer use @memoized: check generator/compat.py"
    memos[0].cache["key"] = "value"
    LimitFilter._raised_messages.add(("a message", logging.WARNING))
    compat.forget_pelican_state()
    assert not memos[0].cache and not LimitFilter._raised_messages


def test_pelican_still_lets_a_post_state_its_own_address() -> None:
    # Without override_url every page of every blog works its addresses out again (a quarter of a build).
    source = Path(contents.__file__).read_text(encoding="utf-8")
    assert "override_url" in source, "Pelican's content no longer reads override_url: check generator/compat.py"
