"""The footprint's snapshot files: one a month, committed, so the report can show change over time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.exceptions import Problem
from generator.inputs.config import Project

SNAPSHOT_DIR = Path("footprint") / "snapshots"

# --- Snapshot files ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class PlatformSnapshot(_Model):
    shared: int = 0
    """Posts shared to the network successfully, up to the snapshot's date."""
    failed: int = 0
    """Attempts to share that failed."""
    followers: int | None = None
    """Listening data: people following the councillor there, when known."""
    replies: int | None = None
    """Listening data: replies to shared posts since the previous snapshot, when known."""
    likes: int | None = None
    """Listening data: likes or favourites of shared posts since the previous snapshot, when known."""


class CouncillorSnapshot(_Model):
    posts: int
    """Published posts on the blog."""
    words: int
    """Words in those posts."""
    days_since_last_post: int | None = None
    """Days from the last post to the snapshot's date."""
    two_platforms: bool
    """Whether the councillor used a blog and a listening platform (the two-platform check)."""
    platforms: dict[str, PlatformSnapshot] = {}
    """Per network."""


class Snapshot(_Model):
    """``footprint/snapshots/YYYY-MM-DD.json``: the cohort's figures on one day."""

    format: Literal[1] = 1
    """The file format's version."""
    date: dt.date
    """The day the figures describe."""
    councillors: dict[str, CouncillorSnapshot] = {}
    """Per blog folder name."""


def snapshot_dir(project: Project) -> Path:
    return project.root / SNAPSHOT_DIR


def read_snapshots(project: Project) -> tuple[list[Snapshot], list[Problem]]:
    snapshots, problems = [], []
    for path in sorted(snapshot_dir(project).glob("*.json")):
        try:
            snapshot = Snapshot.model_validate_json(path.read_text(encoding="utf-8"))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(Problem(path, None, f"is not a footprint snapshot ({where}: {first['msg']})",
                                    "restore it from the repository's history, or delete it"))
            continue
        if path.stem != snapshot.date.isoformat():
            problems.append(Problem(path, None, f"is named for a different day than its date ({snapshot.date})",
                                    f"rename it to {snapshot.date.isoformat()}.json"))
            continue
        snapshots.append(snapshot)
    return sorted(snapshots, key=lambda s: s.date), problems


