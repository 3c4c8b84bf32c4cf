"""The one base every network adapter builds on.

An adapter says, as class constants, what its network allows (length, how it counts, which
credentials it needs, whether the network itself drops a repeated request) and implements
two things: ``send`` a message and ``find`` one already sent. Everything else is shared:
composing (so a preview is exactly what would be sent), retrying 429 and 5xx answers with
backoff that honours Retry-After, turning HTTP failures into errors a councillor can act
on, and keeping credentials out of every message.

Preview and publish share one path: ``prepare`` composes the message in both cases; a
preview stops there, a publish hands the same message to ``deliver``.
"""

from __future__ import annotations

import abc
import datetime as dt
import email.utils
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import requests

from generator import atomic
from generator.inputs.networks import NETWORKS
from generator.syndication.compose import Draft, Message, Rules, compose
from generator.syndication.errors import (
    AuthError,
    Gone,
    NetworkError,
    Progress,
    Rejected,
    Remote,
    TokenHealth,
    Transient,
    _short,
    check_secret,
)

log = logging.getLogger("generator.syndication")
T = TypeVar("T")

#: Seconds before a request with no answer is given up (and, for a post, checked for later).
REQUEST_TIMEOUT = 30.0
#: Tries per message, counting the first.
MAX_ATTEMPTS = 4
#: First wait between tries; doubled each time unless the network says how long.
BACKOFF_SECONDS = 2.0
#: A network asking for a longer wait than this is left until the next run instead.
MAX_WAIT_SECONDS = 300.0
#: Where saved sessions (a Bluesky login, for one) live, under the programme folder; git ignores it.
SESSIONS_DIR = ".syndication-sessions"
ENV_PREFIX = "NC"


def env_name(blog_slug: str, network: str, name: str) -> str:
    """NC_<BLOG>_<NETWORK>_<NAME>, e.g. NC_AMIRA_PATEL_MASTODON_TOKEN: valid as a GitHub Actions secret name."""
    return "_".join(part.upper().replace("-", "_") for part in (ENV_PREFIX, blog_slug, network, name))



# --- what an adapter is given -----------------------------------------------------------


def _session() -> requests.Session:
    return requests.Session()


@dataclass
class Context:
    """Everything an adapter needs from outside; tests replace the session, the clock and the sleep."""

    blog_slug: str
    handle: str
    profile_url: str | None = None
    language: str = "en-GB"
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    state_dir: Path = Path(SESSIONS_DIR)
    #: What earlier runs learned about the account (e.g. the instance's max_characters), from the ledger.
    learned: Mapping[str, Any] = field(default_factory=dict)
    session_factory: Callable[[], requests.Session] = _session
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time


class Adapter(abc.ABC):
    """One social network. Subclasses set the constants and implement ``send`` and ``find``."""

    #: The key in councillor.yml's ``platforms`` and in generator.networks.NETWORKS.
    name: ClassVar[str]
    #: The longest message the network takes, as counted by ``measure``.
    MAX_LENGTH: ClassVar[int]
    #: Credentials read from NC_<BLOG>_<NETWORK>_<NAME>; all are needed to post.
    CREDENTIALS: ClassVar[tuple[str, ...]]
    #: Settings read the same way that may be left unset (an API base URL for tests, say).
    OPTIONAL: ClassVar[tuple[str, ...]] = ("API_BASE",)
    #: The network drops a repeated request itself (Mastodon's Idempotency-Key), so a retry after
    #: an unclear failure is safe without looking first.
    IDEMPOTENT: ClassVar[bool] = False
    #: Include hashtags made from the post's tags.
    HASHTAGS: ClassVar[bool] = True
    #: What to do when the network says the token is wrong or expired.
    TOKEN_HELP: ClassVar[str] = "make a new token and save it as the secret named above"

    def __init__(self, context: Context):
        self.context = context
        self.session = context.session_factory()
        self.last_response: requests.Response | None = None
        self.session.hooks["response"].append(self._remember)
        self._connected = False

    # --- text --------------------------------------------------------------------------

    @staticmethod
    @abc.abstractmethod
    def measure(text: str, url: str) -> int:
        """The message's length as the network counts it (see compose for each rule)."""

    def rules(self) -> Rules:
        """The limits used to compose; an adapter may narrow them with what the network told it."""
        return Rules(self.MAX_LENGTH, type(self).measure, hashtags=self.HASHTAGS)

    @property
    def label(self) -> str:
        return NETWORKS[self.name].label

    # --- credentials -------------------------------------------------------------------

    def env_names(self) -> list[str]:
        return [env_name(self.context.blog_slug, self.name, n) for n in self.CREDENTIALS]

    def setting(self, name: str) -> str | None:
        value = self.context.env.get(env_name(self.context.blog_slug, self.name, name), "").strip()
        return value or None

    def credential(self, name: str) -> str:
        value = self.setting(name)
        variable = env_name(self.context.blog_slug, self.name, name)
        if value is None:
            raise AuthError(f"{variable} is not set",
                            "add it as a repository secret (Settings > Secrets and variables > Actions)")
        return check_secret(variable, value)

    def missing(self) -> list[str]:
        return [env_name(self.context.blog_slug, self.name, n) for n in self.CREDENTIALS if self.setting(n) is None]

    def secrets(self) -> list[str]:
        """Every credential value, so messages can be scrubbed of them before they are shown or saved."""
        return [v for n in self.CREDENTIALS + self.OPTIONAL if (v := self.setting(n)) and n != "API_BASE"]

    # --- the shared path ---------------------------------------------------------------

    def connect(self) -> None:  # noqa: B027 - most networks need no set-up step
        """Set up before the first post of a run (log in, read the instance's limits). Only called when posting."""

    def declines(self, message: Message) -> str | None:
        """Why this network does not take this post at all (Instagram without a picture), or None."""
        return None

    def token_health(self) -> TokenHealth | None:
        """When the token expires, where the network says (None where it does not, or the token never expires).
        Called after a run's posts, only when posting; raise the errors above if the network will not say."""
        return None

    def learned(self) -> dict[str, Any]:
        """What the network said about the account that previews should reuse (kept in the ledger)."""
        return {}

    def prepare(self, draft: Draft, live: bool) -> Message:
        """The message for ``draft``, identical for a preview and for a post."""
        if live and not self._connected:
            self.connect()
            self._connected = True
        return compose(self.name, draft, self.rules())

    def retrying(self, call: Callable[[], T]) -> T:
        """Run ``call``, which writes nothing, trying again after a Transient error with the waits ``deliver`` uses
        (the network's own Retry-After when it gives one); a wait longer than MAX_WAIT_SECONDS is left to the next
        run."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return call()
            except Transient as error:
                wait = error.retry_after if error.retry_after is not None else BACKOFF_SECONDS * 2 ** (attempt - 1)
                if attempt == MAX_ATTEMPTS or wait > MAX_WAIT_SECONDS:
                    if wait > MAX_WAIT_SECONDS:
                        raise Transient(f"{error.message}; {self.label} asks to wait {wait:.0f} seconds",
                                        "nothing to do: the next run tries again",
                                        retry_after=error.retry_after) from error
                    raise
                log.info("%s: %s; trying again in %.0f s", self.label, error.message, wait)
                self.context.sleep(max(wait, 0.0))
        raise AssertionError("unreachable")

    def read(self, url: str, **kwargs: Any) -> requests.Response:
        """A GET with the retries of ``retrying``: what every listener reads through."""
        return self.retrying(lambda: self.request("GET", url, **kwargs))

    def deliver(self, message: Message, progress: Progress) -> Remote:
        """Send ``message``, retrying what is worth retrying; an unclear failure is looked up before trying again."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self.send(message, progress)
            except Transient as error:
                if attempt == MAX_ATTEMPTS:
                    raise
                wait = error.retry_after if error.retry_after is not None else BACKOFF_SECONDS * 2 ** (attempt - 1)
                if wait > MAX_WAIT_SECONDS:
                    raise Transient(f"{error.message}; {self.label} asks to wait {wait:.0f} seconds",
                                    "nothing to do: the next run tries again", ambiguous=error.ambiguous) from error
                log.info("%s: %s; trying again in %.0f s", self.label, error.message, wait)
                self.context.sleep(max(wait, 0.0))
                if error.ambiguous and not self.IDEMPOTENT:
                    found = self.look(message)
                    if found:
                        return found
        raise AssertionError("unreachable")

    @abc.abstractmethod
    def send(self, message: Message, progress: Progress) -> Remote:
        """Post ``message`` once. Raise the errors above rather than anything network-specific."""

    @abc.abstractmethod
    def find(self, message: Message) -> Remote | None:
        """The post already made for ``message`` (its link is in the text), or None. Used to reconcile."""

    def look(self, message: Message) -> Remote | None:
        """``find``, passing over the earlier shares of a post shared again on purpose: finding one of those
        must not count as this share having been made."""
        found = self.find(message)
        return None if found is not None and found.id in message.earlier else found

    # --- HTTP helpers for adapters that speak HTTP themselves --------------------------

    def _remember(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        self.last_response = response

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP request; transport failures and 429/5xx become Transient, 401 AuthError, the rest ``classify``."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        writes = method.upper() != "GET"
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.Timeout as error:
            raise Transient(f"{self.label} did not answer in time", ambiguous=writes) from error
        except requests.ConnectionError as error:
            # A refused connection never reached the server; a dropped one may have.
            raise Transient(f"could not reach {self.label}", ambiguous=writes) from error
        if response.status_code < 400:
            return response
        self.classify(response)
        if response.status_code == 429:
            raise Transient(f"{self.label} says too many requests", retry_after=self.retry_after(response))
        if response.status_code >= 500:
            raise Transient(f"{self.label} had a server error ({response.status_code})", ambiguous=writes,
                            retry_after=self.retry_after(response))
        if response.status_code == 401:
            raise AuthError(f"{self.label} did not accept the token ({response.status_code})", self.TOKEN_HELP)
        if response.status_code == 403 and not writes:
            raise AuthError(f"{self.label} refused to let this token read it ({response.status_code})",
                            self.TOKEN_HELP)
        if response.status_code in (404, 410) and not writes:
            raise Gone(f"{self.label} has no such post any more ({response.status_code})")
        raise Rejected(f"{self.label} refused the request ({response.status_code}): {_short(response.text)}")

    def classify(self, response: requests.Response) -> None:  # noqa: B027 - optional hook
        """Raise a specific error for a network's own error bodies (X's duplicate, Facebook's code 190)."""

    def retry_after(self, response: requests.Response | None) -> float | None:
        """Seconds to wait, from Retry-After (seconds or a date) or a rate-limit reset time."""
        if response is None:
            return None
        headers = response.headers
        value = headers.get("Retry-After")
        if value:
            value = value.strip()
            if value.isdigit():
                return float(value)
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when.timestamp() - self.context.clock())
        reset = headers.get("x-rate-limit-reset") or headers.get("X-RateLimit-Reset")
        if reset:
            reset = reset.strip()
            if reset.isdigit():
                return max(0.0, float(reset) - self.context.clock())
            try:
                return max(0.0, dt.datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp()
                           - self.context.clock())
            except ValueError:
                return None
        return None

    # --- saved sessions ----------------------------------------------------------------

    def session_file(self) -> Path:
        """Where this account's saved login lives between runs (outside the repository's tracked files)."""
        return self.context.state_dir / f"{self.context.blog_slug}-{self.name}.session"

    def load_session(self) -> str | None:
        path = self.session_file()
        try:
            return path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    def save_session(self, text: str) -> None:
        """Write the session readable by this user only, atomically, so a crash never leaves half a session."""
        atomic.write_bytes(self.session_file(), text.encode("utf-8"), mode=0o600, durable=True)


LEDGER_WORDS = {
    "AuthError": "the network did not accept the token, or it lacks a permission",
    "Transient": "the network was busy, limiting requests or could not be reached",
    "Duplicate": "the network said the post was already there",
    "Rejected": "the network refused the post",
    "CannotCheck": "a repeat could not be ruled out, so nothing was sent",
    "NetworkError": "the network gave an answer that could not be understood",
}


def ledger_error(error: NetworkError) -> str:
    kind = next((cls.__name__ for cls in type(error).__mro__ if cls.__name__ in LEDGER_WORDS), "NetworkError")
    return f"{kind}: {LEDGER_WORDS[kind]}"


def image_for_upload(path: Path | None, max_bytes: int, types: Mapping[str, str]) -> tuple[bytes, str] | None:
    """The post's image as (bytes, MIME type) if it exists, is a type the network takes and fits ``max_bytes``."""
    if path is None or not path.is_file():
        return None
    mime = types.get(path.suffix.lower())
    if mime is None:
        return None
    data = path.read_bytes()
    return (data, mime) if len(data) <= max_bytes else None
