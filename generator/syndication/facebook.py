"""A Facebook Page, through the Graph API's POST /{page-id}/feed with ``message`` and ``link``.

Only Pages can be posted to: no API posts to a personal profile. A councillor who uses a
personal profile lists it with ``syndicate: false`` and shares from the share kit instead.

The token is a Page access token. One made from a short-lived user token expires with it
(about an hour); one made from a long-lived user token lasts about 60 days unless it was
issued to a system user. Either way an expired token is error code 190, reported with the
steps to make a new one. Facebook answers a repeated message with code 506 (duplicate),
which is checked against the Page's recent posts.

A post with a picture is a photo post instead (POST /{page-id}/photos, the picture uploaded as
``source`` with the text as its caption, link included, and the description as
``alt_text_custom``), the picture made to fit Facebook's 4 MB for a photo; without one it is
the link post above.

https://developers.facebook.com/docs/pages-api/getting-started
https://developers.facebook.com/docs/graph-api/reference/page/photos
https://developers.facebook.com/docs/graph-api/reference/page/feed
https://developers.facebook.com/docs/graph-api/guides/error-handling

How long the token has left comes from GET /debug_token, which inspects the token itself:
``expires_at`` (0 for a token that does not expire) and ``data_access_expires_at`` (the
90 days after which the Page's data can no longer be reached), whichever comes first.
https://developers.facebook.com/docs/graph-api/reference/debug_token
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/debugging
"""

from __future__ import annotations

from typing import ClassVar

import requests

from generator.syndication import graph
from generator.syndication.base import Adapter
from generator.syndication.compose import Message, plain_length
from generator.syndication.errors import Progress, Rejected, Remote, TokenHealth
from generator.syndication.pictures import JPEG_PNG_GIF, fit

GRAPH_VERSION = "v24.0"
API_BASE = f"https://graph.facebook.com/{GRAPH_VERSION}"
LOOKBACK = 25
#: "Photos should be less than 4 MB" (Page photos reference).
PHOTO_MAX_BYTES = 4 * 1024 * 1024


class FacebookPageAdapter(Adapter):
    name: ClassVar[str] = "facebook"
    #: Page posts take far more than anything composed here; this keeps a summary a summary.
    MAX_LENGTH: ClassVar[int] = 2000
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("PAGE_ID", "TOKEN")
    TOKEN_HELP: ClassVar[str] = ("Page tokens expire (about 60 days for one made from a long-lived user token): in "
                                 "Meta's Graph API Explorer, get a long-lived user token with pages_manage_posts, "
                                 "read the Page's access_token from /me/accounts and save it as the secret")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return plain_length(text, url)

    def base(self) -> str:
        return (self.setting("API_BASE") or API_BASE).rstrip("/")

    def _auth(self) -> dict[str, str]:
        # In a header, not the query string, so the token can never appear in a logged URL.
        return {"Authorization": f"Bearer {self.credential('TOKEN')}"}

    def send(self, message: Message, progress: Progress) -> Remote:
        page = self.credential("PAGE_ID")
        picture = fit(message.card.image, message.card.image_alt, label="Facebook", max_bytes=PHOTO_MAX_BYTES,
                      formats=JPEG_PNG_GIF)
        if picture is not None:
            data = {"message": message.text, "published": "true"}
            if picture.alt:
                data["alt_text_custom"] = picture.alt
            response = self.request("POST", f"{self.base()}/{page}/photos", headers=self._auth(), data=data,
                                    files={"source": (picture.name, picture.data, picture.mime)})
            answer = response.json()
            # The photo's own id, and the id of the Page post that shows it: the post is what the ledger keeps.
            post_id = str(answer.get("post_id") or answer.get("id") or "")
            if not post_id:
                raise Rejected(f"Facebook answered without a post id: {response.text[:200]}")
            return Remote(post_id, self.post_url(page, post_id))
        response = self.request("POST", f"{self.base()}/{page}/feed", headers=self._auth(),
                                data={"message": message.text, "link": message.url})
        post_id = str(response.json().get("id") or "")
        if not post_id:
            raise Rejected(f"Facebook answered without a post id: {response.text[:200]}")
        return Remote(post_id, self.post_url(page, post_id))

    @staticmethod
    def post_url(page: str, post_id: str) -> str:
        _, _, own = post_id.partition("_")
        return f"https://www.facebook.com/{page}/posts/{own or post_id}"

    def find(self, message: Message) -> Remote | None:
        page = self.credential("PAGE_ID")
        response = self.request("GET", f"{self.base()}/{page}/posts", headers=self._auth(),
                                params={"fields": "id,message,permalink_url", "limit": str(LOOKBACK)})
        for post in response.json().get("data") or []:
            if message.url in (post.get("message") or ""):
                return Remote(str(post["id"]), post.get("permalink_url") or self.post_url(page, str(post["id"])))
        return None

    def token_health(self) -> TokenHealth | None:
        response = self.request("GET", f"{self.base()}/debug_token", headers=self._auth(),
                                params={"input_token": self.credential("TOKEN")})
        return TokenHealth(graph.earliest(response.json().get("data") or {}, "expires_at", "data_access_expires_at"))

    def classify(self, response: requests.Response) -> None:
        graph.classify(response, "Facebook", self.TOKEN_HELP, self.retry_after(response))
