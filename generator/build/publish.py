"""Put the built parts together and swap them into ``site/`` only when every step succeeded.

Each step (handbook, each blog, the council pages) builds into its own folder; ``assemble``
merges them and refuses a path written twice, as Pelican's writer does, because with
many blogs in one site a silent overwrite would lose somebody's page.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator import atomic
from generator.exceptions import BuildError


@dataclass(frozen=True)
class Part:
    """A step's output folder, where it goes in the site, and a name for error messages."""

    source: Path
    prefix: str
    label: str


def files_of(part: Part) -> list[tuple[str, str]]:
    """Each file of ``part``: its path in the site and where it is now, in the order of its path's parts.

    Walked with plain strings: a site has thousands of files, and each ``Path`` costs more than its link."""
    found: list[tuple[tuple[str, ...], str]] = []
    top = str(part.source)
    for folder, _, names in os.walk(top):
        inside = os.path.relpath(folder, top)
        steps = () if inside == "." else tuple(inside.split(os.sep))
        found += [((*steps, name), os.path.join(folder, name)) for name in names]
    found.sort()
    prefix = tuple(Path(part.prefix).parts)
    return [("/".join((*prefix, *steps)), src) for steps, src in found]


def assemble(parts: Iterable[Part], staging: Path) -> dict[str, str]:
    """Merge every part into ``staging``; returns which part wrote each path."""
    owner: dict[str, str] = {}
    made: set[str] = set()
    for part in parts:
        found = files_of(part)
        for rel, _ in found:
            if rel in owner:
                raise BuildError(
                    f"{owner[rel]} and {part.label} both write '{rel}'.\n"
                    "    fix: rename one of them (a blog folder's name is its web address)"
                )
            owner[rel] = part.label
        _link_all(found, staging, made)
    return owner


def _link_all(found: list[tuple[str, str]], staging: Path, made: set[str]) -> None:
    for rel, src in found:
        dest = os.path.join(staging, rel)
        # Each folder once: a site has a folder for every post, and making one is a slow call.
        if (folder := os.path.dirname(dest)) not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)


class Staging:
    """A first build's new site, put together part by part as each is built, while the workers build
    the rest; ``publish`` finishes it. Anything unusual (two parts writing one path, a part built
    twice) leaves it unfinished, and ``publish`` assembles the site again the usual way."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.owner: dict[str, str] = {}
        self._made: set[str] = set()
        self._parts: dict[str, tuple[Part, tuple[int, int]]] = {}
        self.broken = False

    def add(self, part: Part) -> None:
        if self.broken:
            return
        found = files_of(part)
        if part.label in self._parts or any(rel in self.owner for rel, _ in found):
            self.broken = True  # assemble() names the clash, in the order of the site's parts
            return
        _link_all(found, self.folder, self._made)
        self.owner.update((rel, part.label) for rel, _ in found)
        self._parts[part.label] = (part, _identity(part.source))

    def finish(self, parts: list[Part]) -> dict[str, str] | None:
        """Add the parts not added yet; which part wrote each path, as ``assemble`` gives it, or None."""
        for part in parts:
            if part.label not in self._parts:
                self.add(part)
            elif self._parts[part.label] != (part, _identity(part.source)):
                self.broken = True  # the part was built again since: its folder is another
        if self.broken or set(self._parts) != {p.label for p in parts}:
            return None
        order = {p.label: i for i, p in enumerate(parts)}
        return dict(sorted(self.owner.items(), key=lambda item: order[item[1]]))


@contextmanager
def staging_area(site_dir: Path) -> Iterator[Path]:
    """A fresh folder beside ``site_dir``; removed if the build fails before ``swap``."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-staging-", dir=site_dir.parent))
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``staging`` with two renames, so there is never half a site."""
    previous = None
    if site_dir.exists():
        previous = Path(tempfile.mkdtemp(prefix=".site-previous-", dir=site_dir.parent))
        previous.rmdir()
        site_dir.rename(previous)
    try:
        staging.rename(site_dir)
    except OSError:
        if previous is not None:
            previous.rename(site_dir)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


@dataclass(frozen=True)
class Published:
    """What ``site_dir`` holds: each part's key and which part wrote each file."""

    site_dir: str
    identity: tuple[int, int]
    keys: dict[str, str]
    files: dict[str, str]

    @classmethod
    def read(cls, record: Path, site_dir: Path) -> Published | None:
        """The record of the last publish, if it is of this very ``site_dir`` (not a copy or a new one)."""
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            published = cls(data["site_dir"], tuple(data["identity"]), data["keys"], data["files"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if published.site_dir != str(site_dir) or published.identity != _identity(site_dir):
            return None
        return published

    def write(self, record: Path) -> None:
        atomic.write_bytes(record, json.dumps({"site_dir": self.site_dir, "identity": list(self.identity),
                                               "keys": self.keys, "files": self.files}).encode("utf-8"))


def _identity(folder: Path) -> tuple[int, int]:
    try:
        st = folder.stat()
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def publish(parts: list[Part], keys: dict[str, str], site_dir: Path, record: Path,
            staged: Staging | None = None) -> dict[str, str]:
    """Make ``site_dir`` hold exactly ``parts``; ``keys`` (by part label) say which parts changed.

    When ``record`` shows ``site_dir`` is what this cache last published, only the files of
    changed parts are replaced, one ``os.replace`` each, because re-linking thousands of
    unchanged files on every edit costs more than the edit's own build. Otherwise (first
    build, another ``site_dir``, a path clash) the whole site is assembled and swapped in,
    starting from what ``staged`` put together while the parts were built.
    """
    published = Published.read(record, site_dir)
    record.unlink(missing_ok=True)  # from here until the new record, site_dir is not known to match it
    owner = _update(parts, keys, site_dir, published) if published else None
    if owner is None and staged is not None and (owner := staged.finish(parts)) is not None:
        swap(staged.folder, site_dir)
    if owner is None:
        with staging_area(site_dir) as staging:
            owner = assemble(parts, staging)
            swap(staging, site_dir)
    Published(str(site_dir), _identity(site_dir), dict(keys), owner).write(record)
    return owner


def unchanged(keys: dict[str, str], site_dir: Path, record: Path) -> dict[str, str] | None:
    """Which part wrote each file, if ``site_dir`` already holds exactly these parts; else None."""
    published = Published.read(record, site_dir)
    return published.files if published and published.keys == keys else None


def _update(parts: list[Part], keys: dict[str, str], site_dir: Path, published: Published) -> dict[str, str] | None:
    """Replace the changed parts' files in place; None (nothing touched) if two parts would write one path."""
    changed = {p.label for p in parts if published.keys.get(p.label) != keys[p.label]}
    changed |= set(published.keys) - set(keys)
    owner = {rel: label for rel, label in published.files.items() if label not in changed}
    sources: dict[str, Path] = {}
    for part in parts:
        if part.label not in changed:
            continue
        for rel, src in files_of(part):
            if rel in owner:
                return None  # let assemble() name the clash, in the order a full build would
            owner[rel] = part.label
            sources[rel] = Path(src)
    gone = [rel for rel, label in published.files.items() if label in changed and rel not in owner]
    for rel in gone:
        (site_dir / rel).unlink(missing_ok=True)
    for rel in gone:
        for folder in (site_dir / rel).parents:
            if folder == site_dir or not folder.is_relative_to(site_dir):
                break
            try:
                folder.rmdir()
            except OSError:
                break
    for rel, src in sources.items():
        dest = site_dir / rel
        if _same_bytes(src, dest):
            continue  # most of a rebuilt part is as it was: leave those files alone
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.new")
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copy2(src, tmp)
        os.replace(tmp, dest)
    return owner


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False
