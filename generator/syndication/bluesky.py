"""Bluesky, through the atproto SDK, writing app.bsky.feed.post records to the councillor's own repository.

Text is at most 300 graphemes and 3,000 UTF-8 bytes; the link is shown in the text
shortened as the Bluesky app shows it (host, the start of the path, an ellipsis) with a link
facet on those bytes carrying the full address, hashtags get tag facets (compose works out
both on the final text), and the card (app.bsky.embed.external) is built from the post's own
title, summary and picture, uploaded as a blob under 1 MB.

Pictures follow one rule on Bluesky: every post carries the link card (the post is there to
send readers to the blog), so the picture is always the card's thumbnail, never an image embed
(a Bluesky post has one embed or the other). The card has no place for a description; the
picture's description stays with it on the blog, where the card leads.

Exactly once: each post's record key is a TID made from its address, so every attempt, in
any run, writes to the same key. The record is created with createRecord, which never
overwrites: a second create at that key is refused (with a plain 500, the PDS names no
duplicate), so after any unclear answer the key is read back with getRecord rather than
guessed at. The record is built once, kept in the ledger row while it is pending, and
sent again unchanged. tests/syndication/pds/FINDINGS.md records what a real PDS does.

Logging in is rate limited per account and per day, so the session is saved under the
sessions folder (readable by this user only, never in the site or the ledger), kept fresh
as the SDK refreshes it, and a password login happens only when there is none or the PDS
no longer accepts it. The password is an app password, never the account's own.

https://docs.bsky.app/docs/advanced-guides/posts
https://docs.bsky.app/docs/advanced-guides/post-richtext
https://atproto.com/specs/record-key#record-key-type-tid
https://docs.bsky.app/docs/advanced-guides/rate-limits
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from atproto import Client, Session, SessionEvent, models
from atproto_client import exceptions as sdk
from atproto_core.exceptions import AtProtocolError

from generator.syndication.base import BACKOFF_SECONDS, MAX_ATTEMPTS, MAX_WAIT_SECONDS, Adapter, Context, env_name
from generator.syndication.bluesky_records import (
    POST,
    SERVICE,
    SESSION_REJECTED,
    _Missing,
    _scope,
    _xrpc,
    build_record,
    card_picture,
    make_request,
    share_key,
    wait_from,
)
from generator.syndication.compose import (
    BLUESKY_MAX_GRAPHEMES,
    Message,
    Rules,
    bluesky_display,
    bluesky_length,
)
from generator.syndication.errors import AuthError, NetworkError, Progress, Rejected, Remote, Transient

log = logging.getLogger("generator.syndication")
T = TypeVar("T")


class BlueskyAdapter(Adapter):
    name: ClassVar[str] = "bluesky"
    MAX_LENGTH: ClassVar[int] = BLUESKY_MAX_GRAPHEMES
    #: An app password (Settings > Privacy and security > App passwords), never the account's own password.
    CREDENTIALS: ClassVar[tuple[str, ...]] = ("APP_PASSWORD",)
    #: The PDS or entryway to log in to; bsky.social unless the account lives elsewhere.
    OPTIONAL: ClassVar[tuple[str, ...]] = ("SERVICE",)
    TOKEN_HELP: ClassVar[str] = ("in Bluesky, open Settings > Privacy and security > App passwords, add a new app "
                                 "password, and save it as the secret")

    @staticmethod
    def measure(text: str, url: str) -> int:
        return bluesky_length(text, url)

    def rules(self) -> Rules:
        # The link is shown shortened, as the Bluesky app shows it, so the summary and tags keep their room.
        return Rules(self.MAX_LENGTH, self.measure, hashtags=self.HASHTAGS, display=bluesky_display)

    def __init__(self, context: Context):
        super().__init__(context)
        self.client: Client | None = None
        self.did: str | None = None
        self._tokens: tuple[str, ...] = ()
        self._thumbs: dict[str, dict[str, Any] | None] = {}
        self._connect_error: NetworkError | None = None

    # --- account and session -----------------------------------------------------------

    @property
    def handle(self) -> str:
        return self.context.handle.strip().lstrip("@")

    def service(self) -> str:
        return (self.setting("SERVICE") or SERVICE).rstrip("/")

    def fix(self) -> str:
        return f"{self.TOKEN_HELP} {self.env_names()[0]} (replacing the old one)"

    def secrets(self) -> list[str]:
        """The app password and the session's tokens; the service address is not a secret."""
        return [v for v in (self.setting("APP_PASSWORD"), *self._tokens) if v]

    def connect(self) -> None:
        # One failed log-in is enough for the run: trying again for each post would spend the day's log-ins.
        if self._connect_error is not None:
            raise self._connect_error
        try:
            self._retrying(self._connect)
        except NetworkError as error:
            self._connect_error = error
            raise

    def _connect(self) -> None:
        saved = (self.load_session() or "").strip()
        self.client = (self._resume(saved) if saved else None) or self._login()

    def _new_client(self) -> Client:
        client = Client(base_url=self.service(), request=make_request())
        client.on_session_change(self._session_changed)
        return client

    def _resume(self, saved: str) -> Client | None:
        """A client carrying on with the saved session if the PDS still accepts it; None means log in again."""
        try:
            session = Session.decode(saved)
        except ValueError:
            log.info("Bluesky: the saved session for %s cannot be read; logging in again", self.handle)
            return None
        if session.handle.casefold() != self.handle.casefold():
            log.info("Bluesky: the saved session is for %s, not %s; logging in again", session.handle, self.handle)
            return None
        client = self._new_client()
        try:
            # Importing makes no request; getSession proves the tokens work (and refreshes them when due).
            client.login(session_string=saved, fetch_bsky_profile=False)
            self._call(client.com.atproto.server.get_session, writes=False)
        except AuthError:
            log.info("Bluesky: the saved session for %s was not accepted; logging in again", self.handle)
        except (Rejected, AtProtocolError, ValueError) as error:  # a token that is not a JWT at all, say
            log.info("Bluesky: the saved session for %s is unusable (%s); logging in again", self.handle,
                     getattr(error, "message", type(error).__name__))
        else:
            return client
        client.request.close()
        self.session_file().unlink(missing_ok=True)
        self.did, self._tokens = None, ()
        return None

    def _login(self) -> Client:
        password = self.credential("APP_PASSWORD")
        client = self._new_client()
        try:
            self._call(client.login, self.handle, password, fetch_bsky_profile=False, writes=False)
        except AuthError as error:
            cause = error.__cause__
            said = _xrpc(cause)[2] if isinstance(cause, AtProtocolError) else ""
            raise AuthError(f"Bluesky did not accept the app password for {self.handle}"
                            + (f" ({said})" if said else ""), self.fix()) from error
        # An app password's session is scoped com.atproto.appPass; the account's own password gets full access.
        if self._tokens and _scope(self._tokens[0]) == "com.atproto.access":
            log.warning("Bluesky: %s holds the account's own password, which can do anything on the account; %s %s "
                        "instead", self.env_names()[0], self.TOKEN_HELP, self.env_names()[0])
        log.info("Bluesky: logged in as %s; the session is saved for later runs", self.handle)
        return client

    def _session_changed(self, event: SessionEvent, session: Session) -> None:
        self.did = session.did
        self._tokens = (session.access_jwt, session.refresh_jwt)
        # Refresh tokens rotate, so a refreshed session must replace the saved one or the next run is locked out.
        if event in (SessionEvent.CREATE, SessionEvent.REFRESH):
            self.save_session(session.encode())

    # --- posting -----------------------------------------------------------------------

    def remote(self, rkey: str, uri: str) -> Remote:
        return Remote(uri, f"https://bsky.app/profile/{self.handle}/post/{rkey}")

    def send(self, message: Message, progress: Progress) -> Remote:
        assert self.client is not None and self.did is not None, "connect() first"
        rkey = progress.state.get("rkey") or share_key(message)
        frozen = progress.state.get("record")
        if frozen:
            record = json.loads(frozen)
            self._refresh_thumb(record, message)
        else:
            created_at = dt.datetime.fromtimestamp(self.context.clock(), dt.UTC).isoformat(timespec="milliseconds")
            record = build_record(message, created_at.replace("+00:00", "Z"), self.context.language,
                                  self._thumb(message))
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        if text != frozen:
            progress.save(rkey=rkey, record=text)  # the very record every later attempt sends
        body = {"repo": self.did, "collection": POST, "rkey": rkey, "record": record}
        try:
            answer = self._call(self.client.invoke_procedure, "com.atproto.repo.createRecord",
                                content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                input_encoding="application/json", output_encoding="application/json", writes=True)
        except Transient as error:
            # The PDS answers a create at a key already in use with a plain 500, and a timeout says nothing:
            # read the key back rather than guess.
            try:
                found = self._existing(rkey, message.url)
            except (Transient, AuthError):
                raise error from None
            if found is not None:
                return found
            raise Transient(error.message, error.fix, retry_after=error.retry_after) from error
        content = answer.content if isinstance(answer.content, dict) else {}
        return self.remote(rkey, str(content.get("uri") or f"at://{self.did}/{POST}/{rkey}"))

    def find(self, message: Message) -> Remote | None:
        assert self.client is not None and self.did is not None, "connect() first"
        return self._existing(share_key(message), message.url)

    def _existing(self, rkey: str, url: str) -> Remote | None:
        """The copy at ``rkey``, None if there is none; a different post there is refused rather than claimed."""
        assert self.client is not None
        params = models.ComAtprotoRepoGetRecord.Params(repo=self.did, collection=POST, rkey=rkey)
        try:
            answer = self._call(self.client.invoke_query, "com.atproto.repo.getRecord", params=params, writes=False)
        except _Missing:
            return None
        content = answer.content if isinstance(answer.content, dict) else {}
        value = content.get("value") or {}
        external = ((value.get("embed") or {}).get("external") or {})
        if external.get("uri") != url and url not in (value.get("text") or ""):
            raise Rejected(f"the Bluesky record {rkey} holds a different post, so this one cannot be posted under it",
                           f"look at https://bsky.app/profile/{self.handle}/post/{rkey}; if it is this post after all, "
                           "set this row's status to \"done\" in syndication.json")
        return self.remote(rkey, str(content.get("uri") or f"at://{self.did}/{POST}/{rkey}"))

    # --- the card's picture ------------------------------------------------------------

    def _thumb(self, message: Message) -> dict[str, Any] | None:
        """The uploaded picture's blob reference, uploaded once per run (blobs are addressed by their content)."""
        key = message.url
        if key not in self._thumbs:
            self._thumbs[key] = self._upload(card_picture(message.card.image))
        return self._thumbs[key]

    def _refresh_thumb(self, record: dict[str, Any], message: Message) -> None:
        """Upload a kept record's picture again: the PDS drops blobs no record uses, so a later run needs it back."""
        external = record.get("embed", {}).get("external", {})
        if "thumb" not in external:
            return
        blob = self._thumb(message)
        if blob is None:
            del external["thumb"]
        elif blob != external["thumb"]:
            log.info("Bluesky: the card's picture came out differently this time; sending the new one")
            external["thumb"] = blob

    def _upload(self, picture: tuple[bytes, str] | None) -> dict[str, Any] | None:
        if picture is None:
            return None
        assert self.client is not None
        data, mime = picture
        try:
            answer = self._call(self.client.invoke_procedure, "com.atproto.repo.uploadBlob", content=data,
                                input_encoding=mime, output_encoding="application/json", writes=False)
        except Rejected as error:
            log.warning("Bluesky did not take the card's picture (%s); the card goes without one", error.message)
            return None
        content = answer.content if isinstance(answer.content, dict) else {}
        blob = content.get("blob")
        return dict(blob) if isinstance(blob, dict) else None

    # --- errors ------------------------------------------------------------------------

    def _retrying(self, step: Callable[[], None]) -> None:
        """Run a step that writes nothing, waiting and trying again as ``deliver`` does for a post."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                step()
                return
            except Transient as error:
                wait = error.retry_after if error.retry_after is not None else BACKOFF_SECONDS * 2 ** (attempt - 1)
                if attempt == MAX_ATTEMPTS:
                    raise
                if wait > MAX_WAIT_SECONDS:
                    raise Transient(f"{error.message}; Bluesky asks to wait {wait:.0f} seconds",
                                    "nothing to do: the next run tries again") from error
                log.info("Bluesky: %s; trying again in %.0f s", error.message, wait)
                self.context.sleep(max(wait, 0.0))

    def _call(self, method: Callable[..., T], *args: Any, writes: bool, **kwargs: Any) -> T:
        """Call the SDK, turning its exceptions into the shared ones (with the wait the PDS asks for)."""
        try:
            return method(*args, **kwargs)
        except sdk.RateLimitExceededError as error:
            raise Transient("Bluesky says too many requests", retry_after=self._wait(error)) from error
        except sdk.InvokeTimeoutError as error:
            raise Transient("Bluesky did not answer in time", ambiguous=writes) from error
        except (sdk.UnauthorizedError, sdk.BadRequestError, sdk.NetworkError, sdk.RequestException) as error:
            status, name, detail = _xrpc(error)
            said = f"{status} {name}".strip()
            if status is None:
                # A refused connection never reached the PDS; a dropped one may have.
                raise Transient("could not reach Bluesky", ambiguous=writes) from error
            if name == "RecordNotFound":
                raise _Missing(detail or said) from error
            if status in (401, 403) or name in SESSION_REJECTED:
                raise AuthError(f"Bluesky did not accept the login ({said}{': ' + detail if detail else ''})",
                                self.fix()) from error
            if status >= 500 or status == 409:
                raise Transient(f"Bluesky had a server error ({said})", ambiguous=writes,
                                retry_after=self._wait(error)) from error
            if status == 404:
                raise Rejected(f"{self.service()} is not a Bluesky service (404)",
                               f"check {self._service_variable()}, or remove it to use {SERVICE}") from error
            raise Rejected(f"Bluesky refused the request ({said}){': ' + detail if detail else ''}") from error
        except AtProtocolError as error:
            raise Rejected(f"the Bluesky client failed ({type(error).__name__})") from error

    def _wait(self, error: sdk.RequestErrorBase) -> float | None:
        return wait_from(error.response.headers, self.context.clock()) if error.response is not None else None

    def _service_variable(self) -> str:
        return env_name(self.context.blog_slug, self.name, "SERVICE")
