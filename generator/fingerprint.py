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

from generator import memo

#: Bump when the layout of the build cache or the meaning of a key changes.
CACHE_FORMAT = 2
#: The toolkit's own code: the generator package.
PACKAGE = Path(__file__).resolve().parent


def known_digest(path: str) -> bytes | None:
    """The digest of the file at ``path`` as the last build read it, if its stat is as this build
    found it before reading anything (``memo.file_stats``); None if it must be read."""
    known = memo.file_digests.get(path)
    if known is not None and known[0] == memo.file_stats.get(path):
        return known[1]
    return None


def digest_of(path: str, data: bytes) -> bytes:
    """The digest of ``data``, just read from ``path``: kept for the next build when this build
    trusts the file's stat (see ``generator.last_build``)."""
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if (stat := memo.file_stats.get(path)) is not None:
        memo.file_digests[path] = (stat, digest)
    return digest


def file_digest(path: str) -> bytes:
    """The digest of a file's bytes, read only if it may have changed since the last build read it.

    Opening and hashing thousands of posts was a fifth of a build after one edit."""
    digest = known_digest(path)
    return digest if digest is not None else digest_of(path, Path(path).read_bytes())


def _hash_file(h: Any, path: str, name: str, reuse: bool) -> None:
    if reuse:
        h.update(f"{name}\0".encode() + file_digest(path))
        return
    data = Path(path).read_bytes()
    h.update(f"{name}\0{len(data)}\0".encode())
    h.update(data)


def hash_paths(h: Any, base: Path, names: Iterable[str], reuse: bool = True) -> None:
    """Feed the files at ``base/name`` (a file, or every file under a folder) into ``h``, in a fixed order.

    ``reuse``: feed each file's digest, from the last build when its stat is unchanged; without
    it, its bytes (for the toolkit's own fingerprint, which the kept digests are checked against)."""
    for name in names:
        path = base / name
        if path.is_file():
            _hash_file(h, str(path), name, reuse)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                rel = Path(folder).relative_to(base).as_posix()
                for file in sorted(files):
                    _hash_file(h, os.path.join(folder, file), f"{rel}/{file}", reuse)
        else:
            h.update(f"{name}\0absent\0".encode())


@functools.lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """The toolkit's own code, Python's version and every installed package's name and version.

    Any upgrade or code change makes every part stale, which is slower once but never wrong.
    """
    h = hashlib.sha256(f"format {CACHE_FORMAT} python {sys.version_info[:2]}".encode())
    hash_paths(h, PACKAGE.parent, [PACKAGE.name], reuse=False)
    h.update(installed_packages().encode())
    return h.hexdigest()


def installed_packages() -> str:
    """Every installed package's name and version, as the names of their metadata folders."""
    found = []
    for folder in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        if os.path.isdir(folder):
            found.append("\n".join(sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))))
    return "\n".join(found)
