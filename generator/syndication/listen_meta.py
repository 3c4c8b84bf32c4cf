"""Listening on a Facebook Page and on Threads, through Meta's Graph APIs, with the token syndication uses.

Facebook: the post's comment and reaction totals and its share count in one request
(``summary(true)`` on a ``limit(0)`` edge), then the comments themselves page by page
(``paging.next``), and the Page's ``followers_count``. The Page token needs
``pages_read_engagement`` for counts and ``pages_read_user_content`` for comments; without the
latter a comment's author may be left out, and it is shown as "someone on Facebook".

Threads: the post's ``likes``, ``replies``, ``reposts`` and ``quotes`` from media insights
(``threads_manage_insights``), the whole conversation (``threads_read_replies``) and the
account's ``followers_count`` from user insights.

A post deleted on the network answers error code 100 (subcode 33, "does not exist"); the
rest of Meta's error codes are read by ``graph.classify`` as for posting.

https://developers.facebook.com/docs/graph-api/reference/object/comments
https://developers.facebook.com/docs/graph-api/reference/post/reactions/
https://developers.facebook.com/docs/graph-api/results (paging)
https://developers.facebook.com/docs/graph-api/guides/error-handling
https://developers.facebook.com/documentation/threads/retrieve-and-manage-replies/replies-and-conversations
https://developers.facebook.com/documentation/threads/insights
"""

from __future__ import annotations

from typing import Any

import requests

from generator.syndication import graph
from generator.syndication.errors import Gone
from generator.syndication.facebook import FacebookPageAdapter
from generator.syndication.listen import MAX_PAGES, Heard, Listener, Response
from generator.syndication.threads import ThreadsAdapter

#: Graph error code 100 with subcode 33: "Object with ID … does not exist, cannot be loaded due to missing
#: permissions, or does not support this operation".
MISSING_SUBCODE = 33


def _gone_or_classify(response: requests.Response, label: str, token_help: str, retry_after: float | None) -> None:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    if isinstance(error, dict) and error.get("code") == 100 and error.get("error_subcode") == MISSING_SUBCODE:
        raise Gone(f"{label} has no such post any more ({error.get('message') or 'does not exist'})")
    graph.classify(response, label, token_help, retry_after)


class _GraphListener(Listener):
    """Reads for both Graph APIs; ``base`` and ``_auth`` (the token in a header) come from the network's adapter."""

    def _get(self, path: str, **params: str) -> dict[str, Any]:
        return self.read(f"{self.base()}/{path}", headers=self._auth(), params=params).json()

    def _pages(self, path: str, **params: str) -> tuple[list[dict[str, Any]], bool]:
        """Every item of a list, following ``paging.next`` (which carries its own query) up to MAX_PAGES,
        and whether that was the whole list."""
        items: list[dict[str, Any]] = []
        url: str | None = f"{self.base()}/{path}"
        query: dict[str, str] | None = params
        for _ in range(MAX_PAGES):
            page = self.read(url, headers=self._auth(), params=query).json()
            items.extend(item for item in page.get("data") or [] if isinstance(item, dict))
            url, query = ((page.get("paging") or {}).get("next") or None), None
            if not url:
                return items, True
        return items, False


class FacebookListener(FacebookPageAdapter, _GraphListener):
    READ_CREDENTIALS = ("PAGE_ID", "TOKEN")
    TOKEN_HELP = ("in Meta's Graph API Explorer, get a Page token with pages_read_engagement and "
                  "pages_read_user_content (as well as pages_manage_posts) and save it as the secret")

    def classify(self, response: requests.Response) -> None:
        _gone_or_classify(response, "Facebook", self.TOKEN_HELP, self.retry_after(response))

    def read_post(self, remote_id: str, remote_url: str | None) -> Heard:
        post = self._get(remote_id, fields="comments.limit(0).summary(true),reactions.limit(0).summary(true),shares")
        comments, complete = self._pages(f"{remote_id}/comments", fields="id,message,created_time,from,permalink_url",
                               filter="stream", limit="100")
        replies = [Response(remote_id=str(c["id"]), author_handle=(c.get("from") or {}).get("name")
                            or "someone on Facebook", author_name=(c.get("from") or {}).get("name"),
                            author_url=None, url=c.get("permalink_url") or remote_url,
                            published=c.get("created_time"), text=str(c.get("message") or ""))
                   for c in comments if c.get("id") and c.get("message")]
        return Heard(counts={"replies": _total(post, "comments"), "likes": _total(post, "reactions"),
                             "reposts": (post.get("shares") or {}).get("count", 0)}, replies=replies,
                     complete=complete)

    def read_followers(self) -> int | None:
        page = self._get(self.credential("PAGE_ID"), fields="followers_count")
        count = page.get("followers_count")
        return int(count) if count is not None else None


class ThreadsListener(ThreadsAdapter, _GraphListener):
    READ_CREDENTIALS = ("USER_ID", "TOKEN")
    TOKEN_HELP = ("make a long-lived Threads token with threads_basic, threads_read_replies and "
                  "threads_manage_insights and save it as the secret")

    def classify(self, response: requests.Response) -> None:
        _gone_or_classify(response, "Threads", self.TOKEN_HELP, self.retry_after(response))

    def read_post(self, remote_id: str, remote_url: str | None) -> Heard:
        insights = self._get(f"{remote_id}/insights", metric="likes,replies,reposts,quotes")
        counts: dict[str, int | None] = {name: None for name in ("likes", "replies", "reposts", "quotes")}
        for metric in insights.get("data") or []:
            if metric.get("name") in counts:
                counts[metric["name"]] = _metric_value(metric)
        conversation, complete = self._pages(f"{remote_id}/conversation", fields="id,text,username,permalink,timestamp",
                                   reverse="false")
        own = self.context.handle.strip().lstrip("@").casefold()
        replies = [Response(remote_id=str(r["id"]), author_handle="@" + str(r.get("username") or "someone"),
                            author_name=r.get("username"),
                            author_url=f"https://www.threads.net/@{r['username']}" if r.get("username") else None,
                            url=r.get("permalink"), published=r.get("timestamp"), text=str(r.get("text") or ""))
                   for r in conversation
                   if r.get("id") and r.get("text") and str(r.get("username") or "").casefold() != own]
        return Heard(counts=counts, replies=replies, complete=complete)

    def read_followers(self) -> int | None:
        insights = self._get(f"{self.credential('USER_ID')}/threads_insights", metric="followers_count")
        for metric in insights.get("data") or []:
            if metric.get("name") == "followers_count":
                return _metric_value(metric)
        return None


def _total(post: dict[str, Any], edge: str) -> int | None:
    count = ((post.get(edge) or {}).get("summary") or {}).get("total_count")
    return int(count) if count is not None else None


def _metric_value(metric: dict[str, Any]) -> int | None:
    """A Threads metric's number: ``total_value.value`` (user insights) or the last of ``values`` (media)."""
    if isinstance(metric.get("total_value"), dict) and metric["total_value"].get("value") is not None:
        return int(metric["total_value"]["value"])
    values = metric.get("values") or []
    return int(values[-1]["value"]) if values and values[-1].get("value") is not None else None
