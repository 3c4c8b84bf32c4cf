"""Error bodies shared by Meta's Graph APIs (Facebook Pages and Threads).

Both answer failures with {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}};
the code, not the HTTP status, says what happened.
https://developers.facebook.com/docs/graph-api/guides/error-handling
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

from generator.syndication.errors import AuthError, Duplicate, Progress, Rejected, Remote, Transient

#: The token has expired, been revoked or is wrong (190); the session is invalid (102).
TOKEN_CODES = {102, 190}
#: The app or token lacks a permission (10, and 200 to 299).
PERMISSION_CODES = {10, *range(200, 300)}
#: Throttled: application, user or Page request limits (4, 17, 32, 341, 613).
THROTTLE_CODES = {4, 17, 32, 341, 613}
#: A temporary problem on Meta's side (1 unknown, 2 service).
TEMPORARY_CODES = {1, 2}
#: "Duplicate post": the same message was just posted.
DUPLICATE_CODES = {506}


def classify(response: requests.Response, label: str, token_help: str, retry_after: float | None) -> None:
    """Raise the shared error for a Graph error body; return quietly if the body is not one."""
    try:
        error = response.json().get("error")
    except ValueError:
        return
    if not isinstance(error, dict):
        return
    code = error.get("code")
    message = str(error.get("message") or "")
    writes = response.request is not None and response.request.method != "GET"
    if code in TOKEN_CODES:
        expired = error.get("error_subcode") == 463 or "expired" in message.lower()
        raise AuthError(f"{label} says the token {'has expired' if expired else 'is not valid'} ({message})",
                        token_help)
    if code in PERMISSION_CODES:
        raise AuthError(f"{label} says the app lacks a permission ({message})", token_help)
    if code in THROTTLE_CODES:
        raise Transient(f"{label} is limiting requests ({message})", retry_after=retry_after)
    if code in TEMPORARY_CODES:
        raise Transient(f"{label} had a temporary problem ({message})", ambiguous=writes, retry_after=retry_after)
    if code in DUPLICATE_CODES:
        raise Duplicate(f"{label} says: {message}")
    if response.status_code < 500 and response.status_code != 429:
        raise Rejected(f"{label} refused the post ({message or response.status_code})")


def earliest(data: dict, *fields: str) -> dt.datetime | None:
    """The earliest of the Unix times in ``fields`` of a token inspection; 0 or absent means never."""
    times = [int(data[f]) for f in fields if isinstance(data.get(f), int) and data[f] > 0]
    return dt.datetime.fromtimestamp(min(times), dt.UTC) if times else None


def permalink(adapter: Any, media: str) -> str | None:
    """A just-published post's address on Threads or Instagram, asked for by its id."""
    try:
        return adapter.request("GET", f"{adapter.base()}/{media}", headers=adapter._auth(),
                               params={"fields": "permalink"}).json().get("permalink")
    except (Transient, Rejected):
        return None  # the post exists; the ledger can live without its address


def publish_container(adapter: Any, progress: Progress, label: str, edge: str, data: dict[str, str]) -> Remote:
    """Meta's two-step post: make a media container (``edge``, e.g. ``media`` or ``threads``), then publish it.

    The container's id is saved before publishing, so a run cut short between the two steps
    publishes the same container rather than making a second one.
    """
    user = adapter.credential("USER_ID")
    container = progress.state.get("container")
    if not container:
        made = adapter.request("POST", f"{adapter.base()}/{user}/{edge}", headers=adapter._auth(), data=data)
        container = str(made.json().get("id") or "")
        if not container:
            raise Rejected(f"{label} answered without a container id: {made.text[:200]}")
        progress.save(container=container)
    published = adapter.request("POST", f"{adapter.base()}/{user}/{edge}_publish", headers=adapter._auth(),
                                data={"creation_id": container})
    media = str(published.json().get("id") or "")
    if not media:
        raise Transient(f"{label} has not published the post yet: {published.text[:200]}")
    return Remote(media, permalink(adapter, media))
