"""X (formerly Twitter), through API v2's POST /2/tweets.

Costs: X charges for every post made through its API, and more for a post with a link,
which every syndicated post has. So X is off unless the councillor's councillor.yml says
``x: {handle: …, syndicate: true}``; until then X appears in the share kit instead.

Authentication is OAuth 1.0a user context (four secrets that do not expire), signed here
as X documents it; the JSON body is not part of the signature.

Exactly once: X has no idempotency key. It answers a repeat of the same text with 403
"duplicate content", which is treated as "probably posted": the account's recent posts
are searched for the post's link before anything else is tried.

https://docs.x.com/x-api/posts/creation-of-a-post
https://docs.x.com/fundamentals/authentication/oauth-1-0a/creating-a-signature
https://docs.x.com/fundamentals/rate-limits
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import ClassVar
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from generator.syndication.base import Adapter
from generator.syndication.compose import Message, x_length
from generator.syndication.errors import AuthError, Duplicate, Progress, Rejected, Remote

API_BASE = "https://api.x.com"
#: Recent posts searched when reconciling.
LOOKBACK = 20


def percent(value: str) -> str:
    """RFC 3986 percent-encoding, as OAuth 1.0a requires (only unreserved characters left as they are)."""
    return quote(value, safe="-._~")


def oauth1_header(method: str, url: str, params: dict[str, str], *, consumer_key: str, consumer_secret: str,
                  token: str, token_secret: str, nonce: str, timestamp: str) -> str:
    """The Authorization header for one request, signed with HMAC-SHA1."""
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce,
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": timestamp,
        "oauth_token": token,
        "oauth_version": "1.0",
    }
    parts = urlsplit(url)
    base_url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))
    pairs = sorted((percent(k), percent(v)) for k, v in {**params, **oauth}.items())
    parameter_string = "&".join(f"{k}={v}" for k, v in pairs)
    base_string = "&".join([method.upper(), percent(base_url), percent(parameter_string)])
    key = f"{percent(consumer_secret)}&{percent(token_secret)}"
    signature = base64.b64encode(hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()).decode()
    oauth["oauth_signature"] = signature
    return "OAuth " + ", ".join(f'{percent(k)}="{percent(v)}"' for k, v in sorted(oauth.items()))


class XAdapter(Adapter):
    name: ClassVar[str] = "x"
    #: 280 weighted characters: most Latin text 1, CJK and emoji 2, every URL 23 (see compose.x_length).
    MAX_LENGTH: ClassVar[int] = 280
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_SECRET")
    TOKEN_HELP: ClassVar[str] = ("in the X developer portal, open the app's Keys and tokens, regenerate the access "
                                 "token and secret (with Read and Write permission) and save all four secrets again")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return x_length(text, url)

    def base(self) -> str:
        return (self.setting("API_BASE") or API_BASE).rstrip("/")

    def _signed(self, method: str, url: str, query: dict[str, str] | None = None) -> dict[str, str]:
        header = oauth1_header(method, url, query or {}, consumer_key=self.credential("API_KEY"),
                               consumer_secret=self.credential("API_SECRET"), token=self.credential("ACCESS_TOKEN"),
                               token_secret=self.credential("ACCESS_SECRET"), nonce=secrets.token_hex(16),
                               timestamp=str(int(self.context.clock())))
        return {"Authorization": header}

    def send(self, message: Message, progress: Progress) -> Remote:
        url = f"{self.base()}/2/tweets"
        response = self.request("POST", url, json={"text": message.text}, headers=self._signed("POST", url))
        data = response.json().get("data") or {}
        if not data.get("id"):
            raise Rejected(f"X answered without a post id: {response.text[:200]}")
        return Remote(str(data["id"]), self.post_url(str(data["id"])))

    def post_url(self, post_id: str) -> str:
        handle = self.context.handle.lstrip("@")
        return f"https://x.com/{handle}/status/{post_id}" if handle else f"https://x.com/i/web/status/{post_id}"

    def find(self, message: Message) -> Remote | None:
        me_url = f"{self.base()}/2/users/me"
        me = self.request("GET", me_url, headers=self._signed("GET", me_url)).json()["data"]["id"]
        url = f"{self.base()}/2/users/{me}/tweets"
        query = {"max_results": str(LOOKBACK), "tweet.fields": "entities"}
        posts = self.request("GET", url, params=query, headers=self._signed("GET", url, query)).json()
        for post in posts.get("data") or []:
            urls = (post.get("entities") or {}).get("urls", [])
            links = [u.get("expanded_url") or u.get("unwound_url") for u in urls]
            if message.url in links or message.url in post.get("text", ""):
                return Remote(str(post["id"]), self.post_url(str(post["id"])))
        return None

    def classify(self, response: requests.Response) -> None:
        try:
            body = response.json()
        except ValueError:
            return
        detail = str(body.get("detail") or body.get("title") or "")
        if response.status_code == 403 and "duplicate" in detail.lower():
            raise Duplicate(f"X says: {detail}")
        if response.status_code == 403:
            raise AuthError(f"X refused the post: {detail}", self.TOKEN_HELP)
        if response.status_code == 402:
            raise Rejected(f"X says: {detail or 'payment required'}",
                           "the developer account has no credits left for posting; add credits or turn X off")
