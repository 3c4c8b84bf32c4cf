"""LinkedIn, through the versioned Posts API (POST /rest/posts) as an article post.

The commentary is in LinkedIn's "little" text format: reserved characters are escaped,
hashtags use the hashtag template, and the link stays as it is. The article content
carries the post's own title and summary, so the card never depends on LinkedIn's scraper.

Tokens expire after 60 days (365 for a refresh token where the app has one); a 401 says so.
LinkedIn answers a repeat with 422 "Content is a duplicate of urn:li:share:…", which names
the existing post. Reading back a member's own posts needs r_member_social, which LinkedIn
grants to few apps; without it a post left pending is reported for a person to check
rather than risk a second copy.

A post's picture becomes the article's thumbnail, with its description as the thumbnail's alt
text: it is uploaded first through the Images API (initializeUpload, then a PUT of the bytes to
the address LinkedIn gives), within its documented limit of 36,152,320 pixels, as JPEG, PNG or
GIF. The image URN is kept in the ledger row so a retry does not upload it again.

https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling

How long the token has left comes from token introspection, which needs the app's client id
and secret (NC_<BLOG>_LINKEDIN_CLIENT_ID and _CLIENT_SECRET, optional): ``expires_at``.
https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar
from urllib.parse import quote

import requests

from generator.syndication.base import Adapter
from generator.syndication.compose import Message, linkedin_escape, utf16_units
from generator.syndication.errors import AuthError, CannotCheck, Duplicate, Progress, Rejected, Remote, TokenHealth
from generator.syndication.pictures import JPEG_PNG_GIF, fit

API_BASE = "https://api.linkedin.com"
#: The Posts API refuses requests without a version; LinkedIn supports each for about a year.
LINKEDIN_VERSION = "202605"
LOOKBACK = 20
#: Images API: "Image pixel count < 36,152,320". No size in bytes is documented; this keeps an upload brief.
IMAGE_MAX_PIXELS = 36_152_319
IMAGE_MAX_BYTES = 10 * 1024 * 1024
_HASHTAG = re.compile(r"(?<![\w#&/])#(\w+)")
_DUPLICATE = re.compile(r"duplicate of (urn:li:\w+:\d+)")


def commentary(text: str, url: str) -> str:
    """``text`` in little format: escaped, with hashtags as templates and the link left alone."""
    keep = [url] if url else []
    escaped = linkedin_escape(text, keep=keep)
    return re.sub(r"\\#(\w+)", lambda m: "{hashtag|\\#|" + m.group(1) + "}", escaped)


def commentary_length(text: str, url: str) -> int:
    return utf16_units(commentary(text, url))


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


class LinkedInAdapter(Adapter):
    name: ClassVar[str] = "linkedin"
    MAX_LENGTH: ClassVar[int] = 3000
    #: AUTHOR is the member or organisation URN, e.g. urn:li:person:AbC123 or urn:li:organization:123.
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("TOKEN", "AUTHOR")
    OPTIONAL: ClassVar[tuple[str, ...]] = ("API_BASE", "CLIENT_ID", "CLIENT_SECRET")
    TOKEN_HELP: ClassVar[str] = ("LinkedIn tokens last 60 days: sign in to the LinkedIn developer portal, generate a "
                                 "new token for the app with w_member_social, and save it as the secret")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return commentary_length(text, url)

    def base(self) -> str:
        return (self.setting("API_BASE") or API_BASE).rstrip("/")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential('TOKEN')}", "LinkedIn-Version": LINKEDIN_VERSION,
                "X-Restli-Protocol-Version": "2.0.0"}

    def body(self, message: Message, thumbnail: str | None = None, alt: str = "") -> dict:
        article = {"source": message.url, "title": message.card.title, "description": message.card.description}
        if thumbnail:
            article["thumbnail"] = thumbnail
            if alt:
                article["thumbnailAltText"] = alt
        return {
            "author": self.credential("AUTHOR"),
            "commentary": commentary(message.text, message.url),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "content": {"article": article},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }

    def thumbnail(self, message: Message, progress: Progress) -> tuple[str | None, str]:
        """The uploaded picture's image URN and its description, uploaded once per post."""
        picture = fit(message.card.image, message.card.image_alt, label="LinkedIn", max_bytes=IMAGE_MAX_BYTES,
                      max_pixels=IMAGE_MAX_PIXELS, formats=JPEG_PNG_GIF)
        if picture is None:
            return None, ""
        if progress.state.get("image"):
            return progress.state["image"], picture.alt
        made = self.request("POST", f"{self.base()}/rest/images", params={"action": "initializeUpload"},
                            headers=self._headers(),
                            json={"initializeUploadRequest": {"owner": self.credential("AUTHOR")}})
        value = made.json().get("value") or {}
        upload, image = value.get("uploadUrl"), value.get("image")
        if not upload or not image:
            raise Rejected(f"LinkedIn did not give an address to upload the picture to: {made.text[:200]}")
        self.request("PUT", upload, data=picture.data,
                     headers={"Authorization": f"Bearer {self.credential('TOKEN')}", "Content-Type": picture.mime})
        progress.save(image=str(image))
        return str(image), picture.alt

    def send(self, message: Message, progress: Progress) -> Remote:
        thumbnail, alt = self.thumbnail(message, progress)
        response = self.request("POST", f"{self.base()}/rest/posts", headers=self._headers(),
                                json=self.body(message, thumbnail, alt))
        urn = response.headers.get("x-restli-id") or ""
        if not urn:
            raise Rejected("LinkedIn answered without the new post's id (x-restli-id)")
        return Remote(urn, post_url(urn))

    def find(self, message: Message) -> Remote | None:
        author = self.credential("AUTHOR")
        try:
            response = self.request("GET", f"{self.base()}/rest/posts", headers=self._headers(),
                                    params={"author": author, "q": "author", "count": str(LOOKBACK)})
        except AuthError as error:
            raise CannotCheck("LinkedIn does not let this app read back its posts, so whether the earlier attempt "
                              "reached LinkedIn cannot be checked",
                              f"look at the LinkedIn profile: if the post is there, set this row's status to "
                              f"\"done\"; if not, delete the row; then run again (author {quote(author)})") from error
        for post in response.json().get("elements") or []:
            article = ((post.get("content") or {}).get("article") or {}).get("source")
            if article == message.url or message.url in (post.get("commentary") or ""):
                return Remote(str(post["id"]), post_url(str(post["id"])))
        return None

    def token_health(self) -> TokenHealth | None:
        client, secret = self.setting("CLIENT_ID"), self.setting("CLIENT_SECRET")
        if not (client and secret):
            return None  # LinkedIn tells only the app that made the token
        base = self.setting("API_BASE") or "https://www.linkedin.com"
        response = self.request("POST", f"{base.rstrip('/')}/oauth/v2/introspectToken",
                                data={"client_id": client, "client_secret": secret, "token": self.credential("TOKEN")})
        answer = response.json()
        if answer.get("active") is False:
            raise AuthError("LinkedIn says the token is no longer active", self.TOKEN_HELP)
        expires = answer.get("expires_at")
        return TokenHealth(dt.datetime.fromtimestamp(expires, dt.UTC) if isinstance(expires, int) else None)

    def classify(self, response: requests.Response) -> None:
        try:
            body = response.json()
        except ValueError:
            return
        text = str(body.get("message") or "")
        if response.status_code == 422 and "duplicate" in text.lower():
            match = _DUPLICATE.search(text)
            raise Duplicate(f"LinkedIn says: {text}",
                            Remote(match.group(1), post_url(match.group(1))) if match else None)
        if response.status_code in (401, 403):
            raise AuthError(f"LinkedIn refused the token ({response.status_code}: {text})", self.TOKEN_HELP)
