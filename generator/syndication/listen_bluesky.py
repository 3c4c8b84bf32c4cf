"""Listening on Bluesky: a shared post's thread and counts through the AppView, followers, mentions.

Threads and profiles are public: they are read from the AppView (Bluesky's public one unless
``NC_<BLOG>_BLUESKY_APPVIEW`` names another) with plain GETs on the shared ``read`` path, so
no log-in is spent on them. Mentions come from the account's notifications, which need a
session: with the app password set, the saved session of ``syndicate`` is used (or a new
log-in), through the PDS, which passes the call on to the AppView.

https://docs.bsky.app/docs/api/app-bsky-feed-get-post-thread
https://docs.bsky.app/docs/api/app-bsky-actor-get-profile
https://docs.bsky.app/docs/api/app-bsky-notification-list-notifications
https://docs.bsky.app/docs/advanced-guides/api-directory
"""

from __future__ import annotations

from typing import Any, ClassVar

import requests
from atproto import models

from generator.syndication import listening
from generator.syndication.bluesky import BlueskyAdapter
from generator.syndication.errors import Gone
from generator.syndication.listen import MAX_PAGES, Heard, Listener, Response

APPVIEW = "https://public.api.bsky.app"
#: Replies to replies are read this deep; a resident's conversation rarely goes further.
DEPTH = 6
#: The thread's own answers for a post that is gone or hidden from the reader.
MISSING = {"app.bsky.feed.defs#notFoundPost", "app.bsky.feed.defs#blockedPost"}


def web_post(handle: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"


def web_profile(handle: str) -> str:
    return f"https://bsky.app/profile/{handle}"


class BlueskyListener(BlueskyAdapter, Listener):
    OPTIONAL: ClassVar[tuple[str, ...]] = (*BlueskyAdapter.OPTIONAL, "APPVIEW")

    def appview(self) -> str:
        return (self.setting("APPVIEW") or APPVIEW).rstrip("/")

    def _query(self, method: str, **params: Any) -> dict[str, Any]:
        return self.read(f"{self.appview()}/xrpc/{method}", params=params).json()

    def classify(self, response: requests.Response) -> None:
        # The AppView answers a deleted post with 400 {"error": "NotFound"}.
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            return
        if response.status_code == 400 and error == "NotFound":
            raise Gone("Bluesky has no such post any more")

    def read_post(self, remote_id: str, remote_url: str | None) -> Heard:
        thread = self._query("app.bsky.feed.getPostThread", uri=remote_id, depth=DEPTH, parentHeight=0)
        root = thread.get("thread") or {}
        if root.get("$type") in MISSING or "post" not in root:
            raise Gone("Bluesky has no such post any more, or it is hidden")
        post = root["post"]
        owner = (post.get("author") or {}).get("did")
        replies: list[Response] = []
        complete = self._walk(root, owner, replies)
        return Heard(counts={"replies": post.get("replyCount"), "likes": post.get("likeCount"),
                             "reposts": post.get("repostCount"), "quotes": post.get("quoteCount")},
                     replies=replies, complete=complete)

    def _walk(self, node: dict[str, Any], owner: str | None, found: list[Response]) -> bool:
        """Collect the replies under ``node``; False when some lie deeper than the thread was read."""
        children = node.get("replies")
        if children is None:
            return not (node.get("post") or {}).get("replyCount")
        complete = True
        for child in children:
            if child.get("$type", "app.bsky.feed.defs#threadViewPost") != "app.bsky.feed.defs#threadViewPost":
                complete = False  # blocked or not found: its replies cannot be seen
                continue
            post = child.get("post") or {}
            if (post.get("author") or {}).get("did") != owner:
                found.append(_response(post, listening.REPLY))
            complete = self._walk(child, owner, found) and complete
        return complete

    def read_followers(self) -> int | None:
        profile = self._query("app.bsky.actor.getProfile", actor=self.handle)
        count = profile.get("followersCount")
        return int(count) if count is not None else None

    def read_mentions(self) -> list[Response] | None:
        if not self.setting("APP_PASSWORD"):
            return None
        self.connect()
        client = self.client
        assert client is not None
        found: list[Response] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params = models.AppBskyNotificationListNotifications.Params(limit=50, cursor=cursor)
            answer = self.retrying(lambda p=params: self._call(  # type: ignore[misc]
                client.invoke_query, "app.bsky.notification.listNotifications", params=p, writes=False))
            content = answer.content if isinstance(answer.content, dict) else {}
            for note in content.get("notifications") or []:
                if note.get("reason") == "mention":
                    found.append(_response(note, listening.MENTION))
            cursor = content.get("cursor")
            if not cursor or not content.get("notifications"):
                break
        return found


def _response(view: dict[str, Any], kind: str) -> Response:
    """A post view (from a thread) or a notification, which carry the same author, uri and record."""
    author = view.get("author") or {}
    handle = str(author.get("handle") or author.get("did") or "")
    record = view.get("record") or {}
    uri = str(view.get("uri") or "")
    return Response(remote_id=uri, author_handle="@" + handle, author_name=author.get("displayName") or None,
                    author_url=web_profile(handle), url=web_post(handle, uri),
                    published=record.get("createdAt") or view.get("indexedAt"), text=str(record.get("text") or ""),
                    kind=kind)
