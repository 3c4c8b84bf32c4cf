"""Token health: how long each network's token has left, where the network says, so none lapses unseen.

Facebook inspects a token with /debug_token, Threads renews its long-lived token and says
for how long, and LinkedIn tells the app that made a token through introspection. Each real
run asks after posting, reports the days left, and warns from 14 days before the end (and
when the network will not say), with the steps to make a new token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from generator.inputs.config import Project
from generator.inputs.networks import NETWORKS
from generator.syndication import adapter_class
from generator.syndication.base import Adapter, Context
from generator.syndication.errors import TOKEN_WARNING_DAYS, NetworkError, redact


@dataclass(frozen=True)
class Token:
    """How long one network's token has left, as the network says, or why that could not be found out."""

    days_left: int | None = None
    expires: dt.datetime | None = None
    renewed: bool = False
    problem: str = ""
    fix: str = ""

    @property
    def attention(self) -> bool:
        return bool(self.problem) or (self.days_left is not None and self.days_left <= TOKEN_WARNING_DAYS)

    def describe(self, label: str) -> str:
        if self.problem:
            return f"{label} token: could not be checked ({self.problem})"
        assert self.expires is not None and self.days_left is not None
        when = f"{self.expires:%-d %B %Y}"
        if self.days_left < 0:
            return f"{label} token: EXPIRED on {when}"
        note = ", renewed by this run" if self.renewed else ""
        warning = "WARNING: " if self.attention else ""
        return f"{warning}{label} token: {self.days_left} days left (until {when}{note})"


def token_health(adapter: Adapter, now: dt.datetime) -> Token | None:
    """How long ``adapter``'s token has left, where its network says; a failure to find out is reported, never
    raised, and never stops the run."""
    if type(adapter).token_health is Adapter.token_health:
        return None  # the network does not say (or its tokens do not expire)
    if not adapter._connected:  # nothing was posted, so the adapter has not set up yet
        try:
            adapter.connect()
            adapter._connected = True
        except NetworkError as error:
            return Token(problem=redact(error.message, adapter.secrets()), fix=error.fix)
    try:
        health = adapter.token_health()
    except NetworkError as error:
        return Token(problem=redact(error.message, adapter.secrets()), fix=error.fix)
    except Exception as error:  # an answer not understood: reported, like a post's, never raised
        return Token(problem=f"{adapter.label} gave an answer that could not be understood ({type(error).__name__})")
    if health is None or health.expires is None:
        return None
    days = (health.expires - now).total_seconds() // 86400
    return Token(days_left=int(days), expires=health.expires, renewed=health.renewed,
                 fix=adapter.TOKEN_HELP if days <= TOKEN_WARNING_DAYS else "")


def check_tokens(project: Project, env: Mapping[str, str], now: dt.datetime) -> list[str]:
    """``councillor check``'s lines on tokens: for each blog's automatic networks whose token is set and whose
    network says when it expires, the days left (a warning from 14 days), each with what to do."""
    lines: list[str] = []
    for blog in project.blogs:
        c = blog.councillor
        for name in NETWORKS:
            if name not in c.platforms or not (NETWORKS[name].automated and c.syndicates_to(name)):
                continue
            cls = adapter_class(name)
            if cls is None or cls.token_health is Adapter.token_health:
                continue
            adapter = cls(Context(blog_slug=blog.slug, handle=c.platforms[name].handle, env=env))
            if adapter.missing():
                continue
            token = token_health(adapter, now)
            if token is not None:
                lines.append(f"  {blog.slug}: {token.describe(NETWORKS[name].label)}")
                if token.attention and token.fix:
                    lines.append(f"      fix: {token.fix}")
    return lines
