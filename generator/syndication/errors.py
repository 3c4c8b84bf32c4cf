"""What can go wrong when sending to a network, and how secrets are kept out of every message about it."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol
from urllib.parse import quote, quote_plus

# --- what can go wrong ------------------------------------------------------------------


class NetworkError(Exception):
    """One post could not be sent to one network; ``fix`` says what the councillor can do."""

    def __init__(self, message: str, fix: str = "", *, ambiguous: bool = False):
        super().__init__(message)
        self.message = message
        self.fix = fix
        #: True when the network may have accepted the post anyway (a timeout, a 5xx after sending).
        self.ambiguous = ambiguous


class AuthError(NetworkError):
    """The token is missing, wrong, expired or lacks a permission: nothing more is tried on this network this run."""


class Transient(NetworkError):
    """Worth trying again: rate limited, the server struggling, or no answer in time."""

    def __init__(self, message: str, fix: str = "", *, ambiguous: bool = False, retry_after: float | None = None):
        super().__init__(message, fix, ambiguous=ambiguous)
        self.retry_after = retry_after


class Duplicate(NetworkError):
    """The network refused the post as a repeat: it was very likely posted already, so look it up."""

    def __init__(self, message: str, remote: Remote | None = None):
        super().__init__(message)
        #: The existing post, where the network names it.
        self.remote = remote


class Rejected(NetworkError):
    """The network refused this post for good (too long, not allowed); trying again will not help."""


class Gone(Rejected):
    """The network has no such post any more (deleted, or never public): there is nothing to read."""


class CannotCheck(NetworkError):
    """The network gives no way to look up earlier posts with this token, so a repeat cannot be ruled out."""


@dataclass(frozen=True)
class TokenHealth:
    """When a network says the token stops working; ``renewed`` where this run extended it."""

    expires: dt.datetime | None
    renewed: bool = False


#: Days before a token expires from which every run warns.
TOKEN_WARNING_DAYS = 14


@dataclass(frozen=True)
class Remote:
    """Where a post now lives on a network."""

    id: str
    url: str | None


class Progress(Protocol):
    """Steps of a multi-step post saved in the ledger, so a rerun resumes instead of starting over."""

    state: Mapping[str, str]

    def save(self, **values: str) -> None: ...


class NoProgress:
    state: ClassVar[Mapping[str, str]] = {}

    def save(self, **values: str) -> None:
        pass


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced in every form it takes on the wire, longest first so one
    secret inside another is still hidden.

    A token reaches a message as it is, but also percent-encoded in a URL or form body, escaped
    inside JSON or a Python repr of a request, and base64-encoded in a basic-auth header; a
    message about any of them must show none.
    """
    forms = {form for secret in secrets if len(secret) >= 4 for form in _wire_forms(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "[hidden]")
    return text


def _wire_forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret, safe="/"),
             json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], repr(secret)[1:-1],
             repr(secret.encode())[2:-1]}
    data = secret.encode()
    # Inside base64 (user:password), the secret's own characters depend on where it starts:
    # the part of the encoding that only the secret decides, for each of the three alignments.
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode()
        start, end = -(-offset * 4 // 3), (offset + len(data)) * 4 // 3
        forms |= {encoded[start:end], encoded[start:end].replace("+", "-").replace("/", "_")}
    return {form for form in forms if len(form) >= 4}


def check_secret(name: str, value: str) -> str:
    """``value`` if it can be a credential; a value with a space, line break or invisible character was
    pasted with something else, and would be sent (and could be echoed back) in pieces. A password
    may hold plain spaces; nothing else may."""
    spaces_allowed = name.endswith("PASSWORD")
    if any((c.isspace() and not (c == " " and spaces_allowed)) or not c.isprintable() for c in value):
        raise AuthError(f"{name} holds a space, a line break or an invisible character, so it cannot be a token",
                        "copy the token again, with nothing before or after it, and save it as that secret")
    return value


#: What the ledger keeps of a failure: its kind, in the project's own words. The message shown
#: when it happens may quote the network's answer, which can hold anything, so it is not kept.
