"""Instagram, through the Instagram Graph API's content publishing, for Business and Creator accounts.

A picture is the post on Instagram, so only posts with one go there; the others are
recorded as not for Instagram. Publishing is two steps, as on Threads: an image container
(POST /{ig-user-id}/media with image_url, caption and alt_text), then POST
/{ig-user-id}/media_publish with its id. The container id is saved in the ledger as soon as
it exists, so a run that stops between the steps publishes that same container.

A caption's links cannot be clicked, so the caption says where the full post is, "Full
post at <the blog's address> (link in bio)", instead of carrying the post's address.

Instagram fetches the picture itself from image_url, the copy published with the blog, so
it cannot be sent a smaller copy: a picture outside Instagram's documented limits (JPEG, at
most 8 MB, between 4:5 and 1.91:1) keeps the post off Instagram, with the reason reported.

Off until the councillor turns it on (``instagram: {handle: …, syndicate: true}``), as it
needs an Instagram professional account linked to a Facebook Page and a Meta app.

https://developers.facebook.com/docs/instagram-platform/content-publishing
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish
"""

from __future__ import annotations

import re
from typing import ClassVar

import requests
from PIL import Image

from generator.syndication import graph
from generator.syndication.base import Adapter
from generator.syndication.compose import Message, Rules, utf16_units
from generator.syndication.errors import Progress, Remote
from generator.syndication.sharekit import where_it_is

GRAPH_VERSION = "v24.0"
API_BASE = f"https://graph.facebook.com/{GRAPH_VERSION}"
LOOKBACK = 25
#: Instagram's image limits (ig-user/media reference): JPEG, 8 MB, aspect ratio 4:5 to 1.91:1.
IMAGE_MAX_BYTES = 8 * 1024 * 1024
ASPECT_RANGE = (4 / 5, 1.91)
#: A caption: 2,200 characters, at most 30 hashtags.
CAPTION_LIMIT = 2200
_POST_IN_BLOG = re.compile(r"/\d{4}/\d{2}/[^/]+/?$")


def blog_address(post_url: str) -> str:
    """The blog's own address, from one of its posts' (…/councillors/<blog>/YYYY/MM/<slug>/)."""
    return _POST_IN_BLOG.sub("", post_url)


class InstagramAdapter(Adapter):
    name: ClassVar[str] = "instagram"
    MAX_LENGTH: ClassVar[int] = CAPTION_LIMIT
    #: USER_ID is the Instagram professional account's id; TOKEN a token with instagram_content_publish.
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("USER_ID", "TOKEN")
    TOKEN_HELP: ClassVar[str] = ("make a new token with instagram_basic, instagram_content_publish and "
                                 "pages_read_engagement in Meta's Graph API Explorer, and save it as the secret")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return utf16_units(text)

    def rules(self) -> Rules:
        return Rules(self.MAX_LENGTH, self.measure, hashtags=self.HASHTAGS,
                     display=lambda url: where_it_is(blog_address(url)))

    def base(self) -> str:
        return (self.setting("API_BASE") or API_BASE).rstrip("/")

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential('TOKEN')}"}

    def declines(self, message: Message) -> str | None:
        card = message.card
        if card.image is None or not card.image_url:
            return "Instagram takes only posts with a picture; this one has none"
        try:
            with Image.open(card.image) as opened:
                kind, (width, height) = opened.format, opened.size
            size = card.image.stat().st_size
        except (OSError, ValueError, Image.DecompressionBombError):
            return f"the picture {card.image.name} could not be read, so the post is not for Instagram"
        low, high = ASPECT_RANGE
        if kind != "JPEG" or size > IMAGE_MAX_BYTES or not low <= width / max(1, height) <= high:
            return (f"Instagram takes a JPEG of at most 8 MB between 4:5 and 1.91:1, and {card.image.name} is a "
                    f"{kind} of {size / 1_048_576:.1f} MB at {width}×{height}")
        return None

    def send(self, message: Message, progress: Progress) -> Remote:
        data = {"image_url": message.card.image_url or "", "caption": message.text}
        if message.card.image_alt:
            data["alt_text"] = " ".join(message.card.image_alt.split())
        return graph.publish_container(self, progress, "Instagram", "media", data)

    def find(self, message: Message) -> Remote | None:
        """A caption carries no link, so the post is known by its caption, which is this message's text."""
        user = self.credential("USER_ID")
        response = self.request("GET", f"{self.base()}/{user}/media", headers=self._auth(),
                                params={"fields": "id,caption,permalink", "limit": str(LOOKBACK)})
        for post in response.json().get("data") or []:
            if (post.get("caption") or "").strip() == message.text.strip():
                return Remote(str(post["id"]), post.get("permalink"))
        return None

    def classify(self, response: requests.Response) -> None:
        graph.classify(response, "Instagram", self.TOKEN_HELP, self.retry_after(response))
