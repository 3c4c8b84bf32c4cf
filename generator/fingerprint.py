"""Hashes of files and of the toolkit itself: what every cache key and every kept memo is checked against."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Bump when the layout of the build cache or the meaning of a key changes.
CACHE_FORMAT = 1
#: The toolkit's own code: the generator package.
PACKAGE = Path(__file__).resolve().parent


def _hash_file(h: Any, path: Path, name: str) -> None:
    data = path.read_bytes()
    h.update(f"{name}\0{len(data)}\0".encode())
    h.update(data)


def hash_paths(h: Any, base: Path, names: Iterable[str]) -> None:
    """Feed the files at ``base/name`` (a file, or every file under a folder) into ``h``, in a fixed order."""
    for name in names:
        path = base / name
        if path.is_file():
            _hash_file(h, path, name)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                rel = Path(folder).relative_to(base).as_posix()
                for file in sorted(files):
                    _hash_file(h, Path(folder, file), f"{rel}/{file}")
        else:
            h.update(f"{name}\0absent\0".encode())


@functools.lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """The toolkit's own code, Python's version and every installed package's name and version.

    Any upgrade or code change makes every part stale, which is slower once but never wrong.
    """
    h = hashlib.sha256(f"format {CACHE_FORMAT} python {sys.version_info[:2]}".encode())
    hash_paths(h, PACKAGE.parent, [PACKAGE.name])
    h.update(installed_packages().encode())
    return h.hexdigest()


def installed_packages() -> str:
    """Every installed package's name and version, as the names of their metadata folders."""
    found = []
    for folder in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        if os.path.isdir(folder):
            found.append("\n".join(sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))))
    return "\n".join(found)
