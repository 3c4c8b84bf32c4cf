"""Say "nothing changed" from the files' stats alone, before loading anything.

To be sure a part is unchanged, a build hashes every file it is built from
(``generator.build.cache``), and to know which files those are it first loads the settings,
which loads pydantic: half a second, for a large programme, to find that there is nothing
to do. Most such builds come straight after another on the same machine, with no file
touched, as when a councillor previews twice. So each build that succeeds records here the
stat of every file it could have read, taken *before* it read them, and the next build
compares stats first: if every one is the same, with the same options, on the same day, and
``site/`` is still what was published, it says what the last build said and stops.

Anything else (a file touched, added or removed; another option; a post falling due; a new
day; a kept-back blog) goes the long way, which is always right. A stat is (size,
modification time, change time, inode): an editor that puts a file's old modification time
back still changes its change time, and a copy of the folder has new inodes. As in git, a
file whose times are not older than the build's start, by the file system's own clock, is
not trusted: a second change within the same clock tick could leave every time as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.fingerprint import CACHE_FORMAT, PACKAGE, installed_packages
from generator.inputs.layout import (
    BLOGS_DIR,
    INSTALLED_TOOLKIT,
    PROGRAMME_FILE,
    PROGRAMME_INPUTS,
    PUBLISHED_RECORD,
    SITE_DIR,
    WORK_DIR,
)

RECORD = "last-build.json"
#: What a build can read besides the programme's inputs: its own handbook and themes, if it has them.
OWN_TOOLKIT = ["mkdocs.yml", "handbook", "themes"]


@dataclass(frozen=True)
class Options:
    """What the build was asked for, besides the files."""

    site_dir: str
    base_url: str | None
    strict: bool
    day: str | None


@dataclass(frozen=True)
class LastBuild:
    """What the last build published, and what it says when asked again with nothing changed."""

    site_dir: Path
    site_url: str
    pages: int
    notices: list[str]


def options(root: Path, site_dir: Path | None, base_url: str | None, strict: bool, day: dt.date | None) -> Options:
    return Options(str((site_dir or root / SITE_DIR).resolve()), base_url, strict, day.isoformat() if day else None)


def start(root: Path) -> int:
    """Forget the last build (one is under way), and say when this one starts by the file system's clock."""
    if not (root / PROGRAMME_FILE).is_file():
        return 0  # not a programme folder: the build stops at once, and must leave nothing in it
    path = root / WORK_DIR / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # not written in place: a copied cache may share the file
    path.write_bytes(b"")  # matches nothing, until the build succeeds and records itself
    return path.stat().st_mtime_ns


def stats(root: Path) -> dict[str, list[int]]:
    """The stat of every file a build of ``root`` could read."""
    found: dict[str, list[int]] = {}
    root = root.resolve()
    folders = [root / name for name in [*PROGRAMME_INPUTS, BLOGS_DIR, *OWN_TOOLKIT]]
    folders += [INSTALLED_TOOLKIT / name for name in OWN_TOOLKIT] + [PACKAGE]
    for top in folders:
        for folder, dirs, files in os.walk(top) if top.is_dir() else [(str(top.parent), [], [top.name])]:
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found[path] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return found


def trusted(found: dict[str, list[int]], started: int) -> dict[str, list[int] | None]:
    """``found`` with None for each file changed since ``started``: its stat may not change at its next edit.

    The stats may be taken before the build starts: a file edited in between is read as edited."""
    return {path: None if max(stat[1], stat[2]) >= started else stat for path, stat in found.items()}


def _site(site_dir: str, work_dir: Path) -> list[int]:
    """The site folder's identity and its publish record's stat: any publish rewrites the record."""
    try:
        folder, record = os.stat(site_dir), os.stat(work_dir / PUBLISHED_RECORD)
    except OSError:
        return []
    return [folder.st_dev, folder.st_ino, record.st_size, record.st_mtime_ns, record.st_ctime_ns, record.st_ino]


def _context() -> list[Any]:
    return [CACHE_FORMAT, list(sys.version_info[:2]), installed_packages()]


def unchanged(root: Path, asked: Options, found: dict[str, list[int]]) -> LastBuild | None:
    """The last build's result, if it is still the build these options would make now from files
    whose stats are ``found`` (``stats(root)``)."""
    work_dir = root / WORK_DIR
    try:
        data = json.loads((work_dir / RECORD).read_text(encoding="utf-8"))
        if (data["options"] != asdict(asked) or data["context"] != _context()
                or dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(data["valid_until"])
                or data["site"] != _site(asked.site_dir, work_dir) or data["stats"] != found):
            return None
        return LastBuild(Path(asked.site_dir), data["site_url"], data["pages"], data["notices"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(root: Path, asked: Options, seen: dict[str, list[int] | None], valid_until: dt.datetime,
           result: LastBuild) -> None:
    """Keep what this build read (``seen``, its stats before it started) and what it published."""
    # lazy: writing safely needs tempfile (and shutil), which the quick check itself does not.
    from generator import atomic

    work_dir = root / WORK_DIR
    data = {"options": asdict(asked), "context": _context(), "valid_until": valid_until.isoformat(),
            "site": _site(asked.site_dir, work_dir), "stats": seen,
            "site_url": result.site_url, "pages": result.pages, "notices": result.notices}
    atomic.write_bytes(work_dir / RECORD, json.dumps(data).encode("utf-8"))
