"""Small helpers several test modules share: a folder's contents, a build's cut-off time, a recorded sleep."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo


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

