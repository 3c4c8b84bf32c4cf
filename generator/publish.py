"""Put the built parts together and swap them into ``site/`` only when every step succeeded.

Each step (handbook, each blog, the council pages) builds into its own folder; ``assemble``
merges them and refuses a path written twice, as Pelican's writer does, because with
many blogs in one site a silent overwrite would lose somebody's page.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.exceptions import BuildError


@dataclass(frozen=True)
class Part:
    """A step's output folder, where it goes in the site, and a name for error messages."""

    source: Path
    prefix: str
    label: str


def assemble(parts: Iterable[Part], staging: Path) -> dict[str, str]:
    """Merge every part into ``staging``; returns which part wrote each path."""
    owner: dict[str, str] = {}
    for part in parts:
        for src in sorted(part.source.rglob("*")):
            if src.is_dir():
                continue
            rel = (Path(part.prefix) / src.relative_to(part.source)).as_posix()
            if rel in owner:
                raise BuildError(
                    f"{owner[rel]} and {part.label} both write '{rel}'.\n"
                    "    fix: rename one of them (a blog folder's name is its web address)"
                )
            owner[rel] = part.label
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copy2(src, dest)
    return owner


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
