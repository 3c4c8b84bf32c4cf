"""The social networks a councillor can list, and what the project can do with each.

This is the one place that knows how a handle becomes a profile link. Posting rules
(lengths, how links count) belong to each adapter in ``generator/syndication``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Network:
    name: str
    label: str
    #: True where the project can post for the councillor; False means the share kit.
    automated: bool
    #: Off until the councillor turns it on (X charges for every post made through its API).
    syndicate_by_default: bool
    #: Builds the public profile link from a handle; None where a URL must be given.
    profile: str | None
    handle_hint: str


NETWORKS: dict[str, Network] = {
    n.name: n
    for n in [
        Network("mastodon", "Mastodon", True, True, None, "@name@instance.social"),
        Network("bluesky", "Bluesky", True, True, "https://bsky.app/profile/{handle}", "name.bsky.social"),
        Network("x", "X", True, False, "https://x.com/{handle}", "name (without the @)"),
        Network("facebook", "Facebook", True, True, "https://www.facebook.com/{handle}", "the Page's username"),
        Network("linkedin", "LinkedIn", True, True, None, "the profile URL"),
        Network("threads", "Threads", True, True, "https://www.threads.net/@{handle}", "name (without the @)"),
        Network("nextdoor", "Nextdoor", False, True, None, "the profile URL"),
        # Posts only with a picture, for Business and Creator accounts linked to a Facebook Page: off until turned on.
        Network("instagram", "Instagram", True, False, "https://www.instagram.com/{handle}", "name (without the @)"),
        Network("whatsapp", "WhatsApp", False, True, None, "the channel URL"),
    ]
}


def profile_url(network: str, handle: str, url: str | None = None) -> str | None:
    """The public address of a councillor's profile, for rel="me" links."""
    if url:
        return url
    if network == "mastodon":
        user, _, host = handle.lstrip("@").partition("@")
        # The host becomes the link's host: only a plain domain name may stand there.
        if not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", host):
            return None
        return f"https://{host}/@{quote(user, safe='._-')}"
    pattern = NETWORKS[network].profile
    # Quoted, so a handle with spaces or slashes stays one part of the network's own address.
    return pattern.format(handle=quote(handle.lstrip("@"), safe="._-")) if pattern else None
