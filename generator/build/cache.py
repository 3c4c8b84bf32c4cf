"""Keep each step's output between builds and reuse it while the step's inputs are unchanged.

Every step builds into its own part folder (see ``generator.publish``). Here a part folder
stays in ``.build-cache/parts`` after the build, beside a small JSON file with the *key* it
was built from: a hash of every file the step reads, the options it runs with (the site's
address, ``--strict``), the toolkit's code and the installed packages' versions. The next build computes the key
again and, where it matches, reuses the folder without running Pelican or MkDocs.

A key hashes file contents, not modification times, so a checkout, a copy or a touched
file never makes a stale part look fresh, nor a fresh one stale. Nor does it hold where the
programme folder is: a copy of the folder, cache and all, reuses the parts the original built.

Some output changes with the clock alone: a post dated in the future appears when its time
comes. Each entry keeps those times (``pending``), and an entry is only fresh until the first.

A step that starts reading a new file or folder must name it here, in ``PROGRAMME_INPUTS``
or the lists beside it, or its output will not be rebuilt when that file changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator import atomic
from generator.fingerprint import hash_paths, toolkit_fingerprint
from generator.inputs.config import Blog, Project
from generator.inputs.layout import (
    ADMIN_TOOLKIT_INPUTS,
    BLOG_TOOLKIT_INPUTS,
    COUNCIL_TOOLKIT_INPUTS,
    COUNCILLOR_FILE,
    HANDBOOK_TOOLKIT_INPUTS,
    PROGRAMME_INPUTS,
    toolkit_path,
)
from generator.inputs.urls import BLOGS_URL_PATH
from generator.syndication import listening, responses

PARTS_DIR = "parts"

HANDBOOK_PART = "handbook"
COUNCIL_PART = "council"
ADMIN_PART = "admin"


def blog_part(blog: Blog) -> str:
    return f"blogs/{blog.slug}"


def blogs_in(project: Project, parts: Iterable[str]) -> list[Blog]:
    """The blogs whose parts are among ``parts``, in the project's order."""
    wanted = set(parts)
    return [b for b in project.blogs if blog_part(b) in wanted]


def site_folder(part: str) -> str:
    """Where a part's files go in the site ("" for the top)."""
    return part.replace("blogs/", f"{BLOGS_URL_PATH}/", 1) if part.startswith("blogs/") else ""


class Inputs:
    """The key of each part for one build; shared folders are hashed once per build.

    A blog's Pelican settings are made from files hashed here (programme.yml, councillor.yml)
    by code in the toolkit fingerprint, plus the few values below that come from elsewhere
    (the site's address, --strict, the year). Hashing those inputs rather than the settings
    themselves means a build that reuses every part never has to load Pelican.
    """

    def __init__(self, project: Project, site_url: str, strict: bool, now: dt.datetime, day: dt.date | None = None):
        self.project = project
        # Not the programme folder's path: the output depends only on what the files say, so a copy
        # of the folder (another checkout, a restored CI cache) reuses what the original built.
        self.common = f"{toolkit_fingerprint()} {site_url} strict={strict}"
        # MkDocs dates its sitemap by the UTC day; the council pages look at the programme's local day.
        self.utc_day = now.astimezone(dt.UTC).date()
        self.local_day = day or now.astimezone(ZoneInfo(project.programme.site.timezone)).date()
        self._digests: dict[tuple[str, ...], str] = {}

    def _programme(self) -> str:
        return self._memo(("programme",), self.project.root, PROGRAMME_INPUTS)

    def _toolkit(self, names: list[str]) -> str:
        key = ("toolkit", *names)
        if key not in self._digests:
            h = hashlib.sha256()
            for name in names:
                path = toolkit_path(self.project.root, name)
                hash_paths(h, path.parents[len(Path(name).parts) - 1], [name])
            self._digests[key] = h.hexdigest()
        return self._digests[key]

    def _memo(self, key: tuple[str, ...], base: Path, names: list[str]) -> str:
        if key not in self._digests:
            h = hashlib.sha256()
            hash_paths(h, base, names)
            self._digests[key] = h.hexdigest()
        return self._digests[key]

    def handbook(self) -> str:
        # A council's own handbook/ pages replace the installed handbook's (generator.steps.handbook_plugin).
        own = self._memo(("own handbook",), self.project.root, ["handbook"])
        return _key(HANDBOOK_PART, self.common, self.utc_day.isoformat(), self._programme(),
                    self._toolkit(HANDBOOK_TOOLKIT_INPUTS), own)

    def blog(self, blog: Blog) -> str:
        h = hashlib.sha256()
        hash_paths(h, blog.folder, sorted(n for n in os.listdir(blog.folder) if n != listening.FILE_NAME))
        # The listening record changes at every scheduled read (its times, at least): the blog is keyed by
        # what its pages show of it, so a read that found nothing new rebuilds nothing.
        h.update(json.dumps(responses.for_site(blog.folder), sort_keys=True).encode())
        # The year: cheap insurance for a footer's copyright line.
        return _key(blog_part(blog), self.common, str(self.utc_day.year), h.hexdigest(), self._programme(),
                    self._toolkit(BLOG_TOOLKIT_INPUTS))

    def council(self, blogs: Iterable[tuple[str, str, int]]) -> str:
        """``blogs``: (part, key, posts still to appear) for every blog; the council pages read all posts."""
        return _key(COUNCIL_PART, self.common, self.local_day.isoformat(), json.dumps(sorted(blogs)),
                    self._programme(), self._toolkit(COUNCIL_TOOLKIT_INPUTS))

    def admin(self) -> str:
        """The writing screen reads programme.yml and who each councillor is, never their posts."""
        h = hashlib.sha256()
        for blog in self.project.blogs:
            hash_paths(h, blog.folder.parent, [f"{blog.slug}/{COUNCILLOR_FILE}"])
        return _key(ADMIN_PART, self.common, h.hexdigest(), self._programme(), self._toolkit(ADMIN_TOOLKIT_INPUTS))


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# -- The parts kept between builds ------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a kept part was built from, and when its output next changes by itself."""

    key: str
    pending: tuple[dt.datetime, ...] = ()

    def fresh(self, key: str, now: dt.datetime) -> bool:
        return key == self.key and all(when > now for when in self.pending)


class PartCache:
    """Part folders under ``.build-cache/parts``, each with its entry in ``<part>.json`` beside it."""

    def __init__(self, work_dir: Path):
        self.root = work_dir / PARTS_DIR

    def folder(self, part: str) -> Path:
        return self.root / part

    def _entry_file(self, part: str) -> Path:
        return self.root / f"{part}.json"

    def entry(self, part: str) -> Entry | None:
        try:
            data = json.loads(self._entry_file(part).read_text(encoding="utf-8"))
            if not self.folder(part).is_dir():
                return None
            return Entry(data["key"], tuple(dt.datetime.fromisoformat(t) for t in data.get("pending", [])))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def fresh(self, part: str, key: str, now: dt.datetime) -> bool:
        entry = self.entry(part)
        return entry is not None and entry.fresh(key, now)

    def new_folder(self, part: str) -> Path:
        """An empty folder to build ``part`` into; ``keep`` moves it into place once it succeeded."""
        scratch = self.root / ".new"
        scratch.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=part.replace("/", "--") + "-", dir=scratch))

    def keep(self, part: str, built: Path, entry: Entry) -> None:
        # The entry goes first and comes back last, so a crash in between leaves no entry, never a wrong one.
        self._entry_file(part).unlink(missing_ok=True)
        target = self.folder(part)
        if target.exists():
            # Renamed away rather than deleted in place: the folder in use is never half gone.
            old = self.new_folder(part)
            old.rmdir()
            target.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        built.rename(target)
        data = {"key": entry.key, "pending": [t.isoformat() for t in entry.pending]}
        write_json(self._entry_file(part), data)

    def forget(self, keep: Iterable[str]) -> None:
        """Remove the parts of blogs that no longer exist, and scraps of interrupted builds."""
        wanted = set(keep)
        shutil.rmtree(self.root / ".new", ignore_errors=True)
        if not self.root.is_dir():
            return
        # Entries and top folders only: a walk of every part would touch thousands of built files.
        for path in [*self.root.glob("*"), *self.root.glob("blogs/*")]:
            part = path.relative_to(self.root).with_suffix("").as_posix()
            if part not in wanted and part != "blogs":
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    atomic.write_bytes(path, json.dumps(data).encode("utf-8"))
