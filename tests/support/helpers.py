"""Small helpers several test modules share: a folder's contents, a build's cut-off time, a recorded sleep,
and a wait on a condition rather than on the clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by its path inside it, with the SHA-256 of its bytes: equal trees, equal files."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cutoff(day: dt.date, timezone: str = "Europe/London") -> dt.datetime:
    """The latest post time a build dated ``day`` includes: the end of that day, or now if sooner."""
    end = dt.datetime.combine(day, dt.time(23, 59, 59), ZoneInfo(timezone))
    return min(end, dt.datetime.now(dt.UTC))


class Sleeps(list):
    """A ``sleep`` that sleeps not at all and keeps each number of seconds it was asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def wait_for(condition: Callable[[], T], timeout: float = 30.0, interval: float = 0.05,
             message: str = "the condition") -> T:
    """Poll ``condition`` until it returns something true, and return that; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} did not hold within {timeout:.0f} s")
        time.sleep(interval)
