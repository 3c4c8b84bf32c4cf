"""Threads, through its two-step publishing API.

Step one makes a media container (POST /{user-id}/threads with media_type=TEXT, the text
and a link_attachment for the preview card); step two publishes it
(POST /{user-id}/threads_publish). The container id is saved in the ledger as soon as it
exists, so a run that stops between the steps publishes that same container next time
instead of making another.

Text is at most 500 characters, an emoji counting as its UTF-8 bytes; at most 5 links.
Tokens are long-lived user tokens that expire after about 60 days unless refreshed.

A post with a picture is an IMAGE container instead: Threads fetches the picture itself from
``image_url``, so it is the copy published with the blog, described with ``alt_text``. As
Threads cannot be sent a smaller copy, a picture outside its documented limits (JPEG or PNG,
at most 8 MB, between 320 and 1,440 pixels wide after Threads' own scaling is allowed, no
wider or taller than 10:1) is left out and the post goes as text with its link card.

https://developers.facebook.com/documentation/threads/posts
https://developers.facebook.com/documentation/threads/posts/accessibility
https://developers.facebook.com/documentation/threads/reference/publishing
https://developers.facebook.com/documentation/threads/overview

Each run that posts also renews the token (GET /refresh_access_token with
grant_type=th_refresh_token), which Threads allows once a long-lived token is a day old:
it is then good for 60 days from the renewal, and ``expires_in`` says so.
https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import ClassVar

import requests
from PIL import Image

from generator.syndication import graph
from generator.syndication.base import Adapter
from generator.syndication.compose import Message, threads_length
from generator.syndication.errors import Progress, Remote, TokenHealth
from generator.syndication.pictures import JPEG_PNG, Picture, fit

log = logging.getLogger("generator.syndication")

API_BASE = "https://graph.threads.net/v1.0"
LOOKBACK = 25
#: Threads' image limits (Media specifications): JPEG or PNG, 8 MB, an aspect ratio within 10:1.
IMAGE_MAX_BYTES = 8 * 1024 * 1024
MAX_ASPECT = 10.0


class ThreadsAdapter(Adapter):
    name: ClassVar[str] = "threads"
    MAX_LENGTH: ClassVar[int] = 500
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("USER_ID", "TOKEN")
    TOKEN_HELP: ClassVar[str] = ("Threads tokens last about 60 days: refresh it (GET /refresh_access_token with "
                                 "grant_type=th_refresh_token) before then, or make a new long-lived token in the "
                                 "Meta app dashboard, and save it as the secret")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return threads_length(text, url)

    def base(self) -> str:
        return (self.setting("API_BASE") or API_BASE).rstrip("/")

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential('TOKEN')}"}

    def send(self, message: Message, progress: Progress) -> Remote:
        picture = self._picture(message)
        if picture is not None:
            data = {"media_type": "IMAGE", "image_url": message.card.image_url or "", "text": message.text}
            if picture.alt:
                data["alt_text"] = picture.alt
        else:
            data = {"media_type": "TEXT", "text": message.text, "link_attachment": message.url}
        return graph.publish_container(self, progress, "Threads", "threads", data)

    @staticmethod
    def _picture(message: Message) -> Picture | None:
        """The published picture, where Threads can take it as it is (it cannot be sent a smaller copy)."""
        if not message.card.image_url:
            return None
        picture = fit(message.card.image, message.card.image_alt, label="Threads", max_bytes=IMAGE_MAX_BYTES,
                      formats=JPEG_PNG)
        if picture is None:
            return None
        if picture.data != message.card.image.read_bytes():  # type: ignore[union-attr]
            log.warning("Threads: only a smaller copy of %s would fit, and Threads fetches the published one; "
                        "the post goes without the picture", picture.name)
            return None
        with Image.open(message.card.image) as opened:  # type: ignore[arg-type]
            width, height = opened.size
        return picture if max(width, height) / max(1, min(width, height)) <= MAX_ASPECT else None

    def find(self, message: Message) -> Remote | None:
        user = self.credential("USER_ID")
        response = self.request("GET", f"{self.base()}/{user}/threads", headers=self._auth(),
                                params={"fields": "id,text,permalink", "limit": str(LOOKBACK)})
        for post in response.json().get("data") or []:
            if message.url in (post.get("text") or ""):
                return Remote(str(post["id"]), post.get("permalink"))
        return None

    def token_health(self) -> TokenHealth | None:
        # The renewal lives beside the versioned API, at the host's root.
        root = self.base().rsplit("/v", 1)[0] if "/v" in self.base() else self.base()
        response = self.request("GET", f"{root}/refresh_access_token", headers=self._auth(),
                                params={"grant_type": "th_refresh_token"})
        answer = response.json()
        seconds = answer.get("expires_in")
        if not isinstance(seconds, int) or seconds <= 0:
            return None
        renewed_as = answer.get("access_token")
        if renewed_as and renewed_as != self.credential("TOKEN"):
            log.warning("Threads gave a renewed token different from the saved one: the saved one still works "
                        "until it expires; make a new long-lived token before then")
            return TokenHealth(None)
        when = dt.datetime.fromtimestamp(self.context.clock(), dt.UTC) + dt.timedelta(seconds=seconds)
        return TokenHealth(when, renewed=True)

    def classify(self, response: requests.Response) -> None:
        graph.classify(response, "Threads", self.TOKEN_HELP, self.retry_after(response))
