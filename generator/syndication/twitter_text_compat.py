"""twitter-text, the library X publishes for counting a post, imported without setuptools.

twitter-text-parser 3.0 reads its emoji list (``regexp/emoji-test.txt``) on import through
``pkg_resources.resource_string``. ``pkg_resources`` belongs to setuptools, which Python 3.12+
virtual environments leave out and setuptools 82 dropped, so the import would fail there.

That one call is the library's only use of ``pkg_resources``. While twitter-text is imported,
this module offers a stand-in ``pkg_resources`` with that one function, reading the same file
through :mod:`importlib.resources`; the counting itself (weights, link detection, emoji) is the
library's own, unchanged. The stand-in is removed again straight after, so no other code can
mistake it for setuptools. If a later twitter-text imports anything else from ``pkg_resources``,
the import fails loudly here and tests/syndication/test_twitter_text_compat.py says so.
"""

from __future__ import annotations

import importlib.resources
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

_lock = threading.Lock()


def _resource_string(module: str, name: str) -> bytes:
    """``pkg_resources.resource_string``: a file beside the named module (or inside the named package)."""
    imported = sys.modules.get(module)
    package = module if imported is None or hasattr(imported, "__path__") else module.rpartition(".")[0]
    return importlib.resources.files(package).joinpath(name).read_bytes()


def _stand_in() -> types.ModuleType:
    module = types.ModuleType("pkg_resources", "Only resource_string, for importing twitter-text.")
    module.resource_string = _resource_string  # type: ignore[attr-defined]
    return module


def parse_tweet_function() -> Callable[[str], Any]:
    """twitter-text's ``parse_tweet``, importing the library on first use."""
    if "twitter_text" in sys.modules:
        # lazy, here and below: see x_length in generator.syndication.compose.
        from twitter_text import parse_tweet

        return parse_tweet
    with _lock:
        # The real pkg_resources, if something already imported it, is left alone.
        ours = "pkg_resources" not in sys.modules
        if ours:
            sys.modules["pkg_resources"] = _stand_in()
        try:
            # lazy: as above.
            from twitter_text import parse_tweet
        finally:
            if ours:
                sys.modules.pop("pkg_resources", None)
    return parse_tweet
