"""Listening on Mastodon: a shared status's counts and replies, the account's followers, its mentions.

All through the instance's REST API with plain GETs (the shared ``read`` path: retries,
Retry-After). Statuses, threads and account look-ups are public on most instances; the
token, when set, is sent as well so an instance that requires sign-in still answers.
Mentions need the ``read:notifications`` scope; a token without it is reported once and the
rest is still read.

https://docs.joinmastodon.org/methods/statuses/#get
https://docs.joinmastodon.org/methods/statuses/#context
https://docs.joinmastodon.org/methods/accounts/#lookup
https://docs.joinmastodon.org/methods/notifications/#get
https://docs.joinmastodon.org/api/guidelines/#pagination
"""

from __future__ import annotations

from typing import Any, ClassVar

from generator.syndication import listening
from generator.syndication.listen import MAX_PAGES, Heard, Listener, Response, plain_text
from generator.syndication.mastodon import MastodonAdapter

#: Only what the author made public is ever kept: a direct or followers-only reply is private.
PUBLIC = {"public", "unlisted"}


class MastodonListener(MastodonAdapter, Listener):
    TOKEN_HELP: ClassVar[str] = (MastodonAdapter.TOKEN_HELP + "; to read mentions the token also needs "
                                 "read:notifications")

    def _headers(self) -> dict[str, str]:
        token = self.setting("TOKEN")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _get(self, path: str, **params: Any) -> Any:
        return self.read(f"{self.base_url()}{path}", headers=self._headers(), params=params or None).json()

    def read_post(self, remote_id: str, remote_url: str | None) -> Heard:
        status = self._get(f"/api/v1/statuses/{remote_id}")
        owner = str((status.get("account") or {}).get("id") or "")
        context = self._get(f"/api/v1/statuses/{remote_id}/context")
        replies = [self._response(s) for s in context.get("descendants") or []
                   if str((s.get("account") or {}).get("id")) != owner and s.get("visibility") in PUBLIC]
        return Heard(counts={"replies": status.get("replies_count"), "likes": status.get("favourites_count"),
                             "reposts": status.get("reblogs_count"), "quotes": status.get("quotes_count")},
                     replies=replies, complete=True)

    def read_followers(self) -> int | None:
        username = self.context.handle.strip().lstrip("@").partition("@")[0]
        account = self._get("/api/v1/accounts/lookup", acct=username)
        count = account.get("followers_count")
        return int(count) if count is not None else None

    def read_mentions(self) -> list[Response] | None:
        if not self.setting("TOKEN"):
            return None
        found: list[Response] = []
        url: str | None = f"{self.base_url()}/api/v1/notifications"
        params: dict[str, Any] | None = {"types[]": "mention", "limit": "40"}
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = self.read(url, headers=self._headers(), params=params)
            for note in response.json() or []:
                status = note.get("status") or {}
                if note.get("type") == "mention" and status.get("visibility") in PUBLIC:
                    found.append(self._response(status, listening.MENTION))
            url, params = (response.links.get("next") or {}).get("url"), None  # the next page names its own query
        return found

    @staticmethod
    def _response(status: dict[str, Any], kind: str = listening.REPLY) -> Response:
        account = status.get("account") or {}
        return Response(remote_id=str(status["id"]), author_handle="@" + str(account.get("acct") or ""),
                        author_name=account.get("display_name") or account.get("username"),
                        author_url=account.get("url"), url=status.get("url") or status.get("uri"),
                        published=status.get("created_at"), text=plain_text(status.get("content") or ""), kind=kind)
