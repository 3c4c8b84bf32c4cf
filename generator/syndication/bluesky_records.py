"""Bluesky's records and replies, made the same way each time so a retried post is found, not doubled."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from atproto_client.models.common import XrpcError
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError
from atproto_server.auth.jwt import get_jwt_payload
from PIL import Image, ImageOps

from generator.syndication.base import REQUEST_TIMEOUT
from generator.syndication.compose import (
    Facet,
    Message,
)
from generator.syndication.errors import Rejected
from generator.syndication.pictures import flattened

log = logging.getLogger("generator.syndication")
T = TypeVar("T")

SERVICE = "https://bsky.social"
POST = "app.bsky.feed.post"
#: app.bsky.embed.external's thumb: any image, at most 1,000,000 bytes.
THUMB_MAX_BYTES = 1_000_000
#: The kinds of picture (as Pillow names them) a card takes as they are; anything else is made into a JPEG.
THUMB_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
#: Longest sides tried, largest first, when a picture has to be made smaller; a card shows it far smaller still.
THUMB_SIDES = (2000, 1600, 1200, 1000, 800, 600, 400)
THUMB_QUALITIES = (85, 70)
#: Errors meaning the saved session is no good any more (rather than the PDS having a problem).
SESSION_REJECTED = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}

_B32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs are written
_URL_MONTH = re.compile(r"/(\d{4})/(\d{2})/[^/]+/?$")
#: Used for the time in a record key when a post's address carries no year and month.
_NO_MONTH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)




def make_request() -> Request:
    """The SDK's HTTP client; a function so tests can put faults between the SDK and the PDS."""
    return Request(timeout=REQUEST_TIMEOUT)


def deterministic_tid(published: dt.datetime, key: str) -> str:
    """A valid TID for ``key``: ``published``'s second plus 0..999999 µs and a 10-bit clock id, both from its hash.

    The same key always gives the same TID; two keys in the same second collide with odds of about 1 in 10⁹.
    (A TID is 53 bits of µs since 1970 shifted left 10, or'd with the clock id, in 13 base32-sortable chars.)
    """
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    micros = int(published.timestamp()) * 1_000_000 + int.from_bytes(digest[:4], "big") % 1_000_000
    value = (micros << 10) | (int.from_bytes(digest[4:6], "big") & 0x3FF)
    return "".join(_B32[(value >> (60 - 5 * i)) & 31] for i in range(13))


def record_key(post_url: str, salt: str = "") -> str:
    """The record key of the Bluesky copy of the post at ``post_url``.

    Adapters see the post's address but not its date, so the time in the TID is the start of the
    month the address names (posts live at …/YYYY/MM/slug/): never later than the post itself,
    and the same in every run, which is what lets a rerun look the copy up instead of posting again.
    """
    match = _URL_MONTH.search(post_url.split("?")[0].split("#")[0])
    month = dt.datetime(int(match[1]), int(match[2]), 1, tzinfo=dt.UTC) if match and 1 <= int(match[2]) <= 12 \
        else _NO_MONTH
    return deterministic_tid(month, f"{post_url}\n{salt}" if salt else post_url)


def share_key(message: Message) -> str:
    """The record key of this share: the post's own for its first share, one of its own for each share after."""
    return record_key(message.url) if message.share <= 1 else record_key(message.url, f"share {message.share}")


def facet_json(facet: Facet) -> dict[str, Any]:
    feature = ({"$type": "app.bsky.richtext.facet#link", "uri": facet.value} if facet.kind == "link"
               else {"$type": "app.bsky.richtext.facet#tag", "tag": facet.value})
    return {"index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end}, "features": [feature]}


def build_record(message: Message, created_at: str, language: str, thumb: dict[str, Any] | None) -> dict[str, Any]:
    """The app.bsky.feed.post record for ``message``, as the JSON the PDS stores."""
    card = message.card
    external: dict[str, Any] = {"uri": card.url, "title": card.title.strip(), "description": card.description.strip()}
    if thumb is not None:
        external["thumb"] = thumb
    record: dict[str, Any] = {"$type": POST, "text": message.text, "createdAt": created_at, "langs": [language]}
    if message.facets:
        record["facets"] = [facet_json(f) for f in message.facets]
    record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
    return record


def card_picture(path: Path | None) -> tuple[bytes, str] | None:
    """The card's picture as (bytes, MIME type), under 1 MB, or None with the reason logged."""
    if path is None:
        return None
    if path.suffix.lower() in (".svg", ".svgz"):
        log.info("Bluesky: %s is an SVG, which a link card cannot show; the card goes without a picture", path.name)
        return None
    if not path.is_file():
        log.warning("Bluesky: the post's picture %s is missing; the card goes without one", path)
        return None
    try:
        with Image.open(path) as opened:
            opened.load()  # the whole file, so a broken one is caught here rather than refused with the post
            mime = THUMB_FORMATS.get(opened.format or "")
            if mime and path.stat().st_size <= THUMB_MAX_BYTES:
                return path.read_bytes(), mime
            why = "is over 1 MB" if mime else "is not a JPEG, PNG, WebP or GIF"
            picture = flattened(ImageOps.exif_transpose(opened))  # phone photos store their rotation separately
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("Bluesky: %s could not be read as a picture (%s); the card goes without one", path.name, error)
        return None
    for side in THUMB_SIDES:
        smaller = picture.copy()
        smaller.thumbnail((side, side), Image.Resampling.LANCZOS)
        for quality in THUMB_QUALITIES:
            out = io.BytesIO()
            smaller.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= THUMB_MAX_BYTES:
                log.info("Bluesky: %s %s, so the card uses a %d×%d JPEG of it", path.name, why, *smaller.size)
                return out.getvalue(), "image/jpeg"
    log.warning("Bluesky: %s could not be made smaller than 1 MB; the card goes without a picture", path.name)
    return None


def wait_from(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait, from Retry-After (seconds or a date) or Bluesky's ratelimit-reset (a Unix time)."""
    lower = {k.lower(): str(v).strip() for k, v in headers.items()}
    value = lower.get("retry-after")
    if value:
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = lower.get("ratelimit-reset")
    if reset and reset.isdigit():
        seconds = float(reset)
        # Bluesky sends a Unix time; the IETF draft it borrows the name from sends seconds to wait.
        return max(0.0, seconds - now) if seconds > 1e9 else seconds
    return None


class _Missing(Rejected):
    """The PDS has no record at that key."""


def _xrpc(error: AtProtocolError) -> tuple[int | None, str, str]:
    """(HTTP status, XRPC error name, message) of an SDK error, as far as the PDS gave them."""
    response = getattr(error, "response", None)
    if response is None:
        return None, "", ""
    content = response.content
    if isinstance(content, XrpcError):
        return response.status_code, content.error or "", content.message or ""
    if isinstance(content, dict):
        return response.status_code, str(content.get("error") or ""), str(content.get("message") or "")
    return response.status_code, "", ""


def _scope(jwt: str) -> str | None:
    try:
        return get_jwt_payload(jwt).scope
    except (AtProtocolError, ValueError):
        return None
