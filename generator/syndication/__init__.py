"""Syndication: after the site is deployed, send each new post once to each of a councillor's networks.

The registry below is the one list of adapters. It names modules rather than importing
them, so reading the ledger (which the build does) never loads a network client.
To add a network, write a module with an ``Adapter`` subclass and add a line here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.syndication.base import Adapter

#: network name -> "module:class". Bluesky is added here by its own module.
ADAPTERS: dict[str, str] = {
    "mastodon": "generator.syndication.mastodon:MastodonAdapter",
    "bluesky": "generator.syndication.bluesky:BlueskyAdapter",
    "x": "generator.syndication.x:XAdapter",
    "facebook": "generator.syndication.facebook:FacebookPageAdapter",
    "linkedin": "generator.syndication.linkedin:LinkedInAdapter",
    "threads": "generator.syndication.threads:ThreadsAdapter",
    "instagram": "generator.syndication.instagram:InstagramAdapter",
}


def adapter_class(network: str) -> type[Adapter] | None:
    """The adapter for ``network``, or None where there is none (the share kit covers it)."""
    target = ADAPTERS.get(network)
    if target is None:
        return None
    # lazy: the base loads the networks' HTTP clients, which reading the ledger never needs.
    from generator.syndication.base import Adapter

    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Adapter)) or cls.name != network:
        raise TypeError(f"{target} is not the Adapter for {network}")
    return cls
