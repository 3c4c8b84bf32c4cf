"""Mastodon, through Mastodon.py.

Limits come from the councillor's own instance (``configuration.statuses`` in
GET /api/v2/instance): 500 characters unless the instance says otherwise, every URL
counting as ``characters_reserved_per_url`` (23). Posting sends an Idempotency-Key made
from the account and the post's address, so a retry after a timeout, or a rerun within the
hour Mastodon keeps keys, cannot make a second status; after that, ``find`` looks through
the account's recent statuses for the post's link.

A post's picture goes with it as media (POST /api/v2/media with its description), within the
instance's own limits (``configuration.media_attachments``: 16 MB and 33,177,600 pixels for an
image, 1,500 characters of description, unless the instance says otherwise); the media id is
kept in the ledger row so a retry attaches the same upload.

https://docs.joinmastodon.org/methods/statuses/#create
https://docs.joinmastodon.org/methods/media/#v2
https://docs.joinmastodon.org/entities/Instance/#statuses
https://docs.joinmastodon.org/entities/Instance/#media_attachments
"""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from generator.syndication.base import REQUEST_TIMEOUT, Adapter
from generator.syndication.compose import MASTODON_URL_LENGTH, Message, Rules, mastodon_length
from generator.syndication.errors import AuthError, Progress, Rejected, Remote, Transient
from generator.syndication.pictures import JPEG_PNG_GIF, fit

T = TypeVar("T")

#: Mastodon's default status length; an instance may advertise more.
DEFAULT_MAX_CHARACTERS = 500
#: How many recent statuses to search when reconciling (Mastodon's page limit).
LOOKBACK = 40
#: Mastodon's own defaults for an image, where the instance does not say.
IMAGE_SIZE_LIMIT = 16 * 1024 * 1024
IMAGE_MATRIX_LIMIT = 33_177_600
DESCRIPTION_LIMIT = 1500


def api_base(handle: str) -> str | None:
    """'@name@social.example' -> 'https://social.example'."""
    _, _, host = handle.strip().lstrip("@").partition("@")
    return f"https://{host}" if host else None


def idempotency_key(account: str, post_url: str, share: int = 1) -> str:
    """Stable for one share of one post on one account, so every retry of it carries the same key; a share made
    again on purpose has a key of its own, or Mastodon would answer it with the first status."""
    again = f"\n{share}" if share > 1 else ""
    return hashlib.sha256(f"{account}\n{post_url}{again}".encode()).hexdigest()


class MastodonAdapter(Adapter):
    name: ClassVar[str] = "mastodon"
    MAX_LENGTH: ClassVar[int] = DEFAULT_MAX_CHARACTERS
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("TOKEN",)
    IDEMPOTENT: ClassVar[bool] = True
    TOKEN_HELP: ClassVar[str] = ("in Mastodon, go to Preferences > Development, open the application (or make one "
                                 "with the write:statuses, read:statuses and read:accounts scopes), copy its access "
                                 "token and save "
                                 "it as the secret named above")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return mastodon_length(text, url)

    def __init__(self, context: Any):
        super().__init__(context)
        learned = context.learned
        self.max_characters = int(learned.get("max_characters") or DEFAULT_MAX_CHARACTERS)
        self.url_length = int(learned.get("characters_reserved_per_url") or MASTODON_URL_LENGTH)
        self.client: Mastodon | None = None
        self.account_id: str | None = None
        self.media: dict[str, int] = {}

    def rules(self) -> Rules:
        url_length = self.url_length
        return Rules(self.max_characters, lambda text, url: mastodon_length(text, url, url_length))

    def base_url(self) -> str:
        base = self.setting("API_BASE") or api_base(self.context.handle)
        if not base:
            raise Rejected(f"'{self.context.handle}' is not a Mastodon handle like @name@instance.social",
                           "fix the mastodon handle in councillor.yml")
        return base.rstrip("/")

    def connect(self) -> None:
        self.client = Mastodon(access_token=self.credential("TOKEN"), api_base_url=self.base_url(),
                               session=self.session, ratelimit_method="throw", request_timeout=REQUEST_TIMEOUT,
                               version_check_mode="none")
        account = self._call(self.client.account_verify_credentials, writes=False)
        self.account_id = str(account["id"])
        statuses, self.media = self._instance_configuration()
        if statuses.get("max_characters"):
            self.max_characters = int(statuses["max_characters"])
        if statuses.get("characters_reserved_per_url"):
            self.url_length = int(statuses["characters_reserved_per_url"])

    def learned(self) -> dict[str, int]:
        """What to remember in the ledger for previews made without contacting the instance."""
        return {"max_characters": self.max_characters, "characters_reserved_per_url": self.url_length}

    def _instance_configuration(self) -> tuple[dict[str, Any], dict[str, int]]:
        """The instance's ``statuses`` and ``media_attachments`` settings (empty where it does not say)."""
        assert self.client is not None
        for read in (self.client.instance_v2, self.client.instance_v1):
            try:
                instance = self._call(read, writes=False)
            except (Rejected, Transient):
                continue
            configuration = instance.get("configuration") or {}
            statuses = configuration.get("statuses") or {}
            if statuses:
                media = configuration.get("media_attachments") or {}
                return dict(statuses), {k: int(v) for k, v in media.items() if isinstance(v, int)}
        return {}, {}

    def _media(self, message: Message, progress: Progress) -> list[str] | None:
        """The id of the post's picture uploaded with its description, uploaded once per post."""
        if progress.state.get("media"):
            return [progress.state["media"]]
        picture = fit(message.card.image, message.card.image_alt, label="Mastodon",
                      max_bytes=self.media.get("image_size_limit") or IMAGE_SIZE_LIMIT,
                      max_pixels=self.media.get("image_matrix_limit") or IMAGE_MATRIX_LIMIT, formats=JPEG_PNG_GIF)
        if picture is None:
            return None
        assert self.client is not None
        limit = self.media.get("description_limit") or DESCRIPTION_LIMIT
        media = self._call(self.client.media_post, io.BytesIO(picture.data), mime_type=picture.mime,
                           file_name=picture.name,
                           description=picture.alt[:limit] or None, writes=False)
        progress.save(media=str(media["id"]))
        return [str(media["id"])]

    def send(self, message: Message, progress: Progress) -> Remote:
        assert self.client is not None, "connect() first"
        media_ids = self._media(message, progress)
        status = self._call(self.client.status_post, message.text, visibility="public", media_ids=media_ids,
                            language=self.context.language.split("-")[0].lower(),
                            idempotency_key=idempotency_key(self.context.handle, message.url, message.share),
                            writes=True)
        return Remote(str(status["id"]), status.get("url"))

    def find(self, message: Message) -> Remote | None:
        assert self.client is not None and self.account_id is not None, "connect() first"
        statuses = self._call(self.client.account_statuses, self.account_id, exclude_reblogs=True, limit=LOOKBACK,
                              writes=False)
        for status in statuses or []:
            content = html.unescape(status.get("content") or "")
            card = status.get("card") or {}
            if message.url in content or card.get("url") == message.url:
                return Remote(str(status["id"]), status.get("url"))
        return None

    def _call(self, method: Callable[..., T], *args: Any, writes: bool, **kwargs: Any) -> T:
        """Call Mastodon.py, turning its exceptions into the shared ones (with Retry-After from the response)."""
        try:
            return method(*args, **kwargs)
        except MastodonRatelimitError as error:
            raise Transient("Mastodon says too many requests",
                            retry_after=self.retry_after(self.last_response)) from error
        except MastodonUnauthorizedError as error:
            raise AuthError("Mastodon did not accept the token", self.TOKEN_HELP) from error
        except MastodonServerError as error:
            raise Transient(f"Mastodon had a server error ({_status(error)})", ambiguous=writes,
                            retry_after=self.retry_after(self.last_response)) from error
        except MastodonNetworkError as error:
            raise Transient("could not reach the Mastodon instance, or it did not answer in time",
                            ambiguous=writes) from error
        except MastodonNotFoundError as error:
            raise Rejected("the Mastodon instance has no such API (is the handle's instance right?)") from error
        except MastodonAPIError as error:
            if _status(error) == 403:
                raise AuthError("Mastodon refused: the token lacks a permission", self.TOKEN_HELP) from error
            raise Rejected(f"Mastodon refused the status ({_status(error)}): {_detail(error)}") from error
        except MastodonError as error:
            raise Rejected(f"Mastodon.py failed: {error}") from error


def _status(error: MastodonError) -> int | None:
    args = error.args
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _detail(error: MastodonError) -> str:
    args = error.args
    return str(args[3]) if len(args) > 3 and args[3] else str(args[0] if args else error)
