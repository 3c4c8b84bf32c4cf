"""Every process-wide memo, in one place, with one ``reset()``.

A build reads each post several times (the checks, the blog, the council pages) and renders
each body more than once (the blog, the hub, the word counts), and a rebuild after one edit
should redo the work for that one post only. These tables make that so. They are plain
module-level data because the build's worker processes inherit them (fork) and send back
what they learned (``take_learned``); ``generator.build.cache`` keeps them between builds
(``save``, ``load_remembered``, ``load_readings``), checked against the toolkit's fingerprint.

Nothing else in ``generator`` keeps state between calls. A long-lived process that builds
more than one programme (``councillor serve``, a test) calls ``reset()`` to start clean.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Posts already read, by (file, timezone, hash of its bytes): ``generator.inputs.posts.read``.
post_readings: dict[tuple[str, str, bytes], Any] = {}
#: Posts' bodies rendered to HTML by the blog step, by ``text_key``; kept per blog between
#: builds (``load_rendered``), so a rebuild after one edit renders one post.
rendered: dict[bytes, str] = {}
rendered_used: set[bytes] = set()
#: What each short YAML value means (``generator.inputs.simple_yaml``): the same ones come back in every post.
scalar_meanings: dict[str, Any] = {}
#: Markdown converters, one per thread and set of extensions (``generator.steps.markup.render``).
converters = threading.local()
#: Texts that ran out of rendering time once in this process: no other step tries them again.
too_slow: set[bytes] = set()
#: The council news items posts may quote, with the council's name and pre-election period, by
#: the programme's folder and its files' times: every post of every blog asks.
council_items: dict[tuple, Any] = {}
#: The stat of every file this build may read, taken before it read any (``generator.last_build``),
#: for those it may trust; and each file's digest as last read, with the stat it had then
#: (``generator.fingerprint.file_digest``): a file whose stat is unchanged is not read again.
file_stats: dict[str, list[int]] = {}
file_digests: dict[str, tuple[list[int], bytes]] = {}
#: Results of ``remembered`` functions, by function and the hash of the text they were given.
_remembered: dict[str, dict[bytes, Any]] = {}
_used: dict[str, set[bytes]] = {}
_learned: dict[str, dict[bytes, Any]] = {}

#: In the build's work folder: the post readings, one file per folder of posts (so an edit
#: rewrites one small file, not every post's), and the ``remembered`` results.
READINGS_DIR = "post-readings"
REMEMBERED_FILE = "remembered.pickle"
LEGACY_FILE = "posts.pickle"
#: The readings each folder's file held when loaded: a folder with no new reading is not written again.
_loaded: dict[str, set[tuple[str, str, bytes]]] = {}


def reset() -> None:
    """Forget everything remembered in this process."""
    post_readings.clear()
    rendered.clear()
    rendered_used.clear()
    too_slow.clear()
    scalar_meanings.clear()
    converters.__dict__.clear()
    council_items.clear()
    file_stats.clear()
    file_digests.clear()
    for table in (*_remembered.values(), *_used.values()):
        table.clear()
    _learned.clear()
    _loaded.clear()


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class Remembered(Generic[T]):
    """A pure function of one text whose results are remembered by the text's hash,
    within and between builds (see ``remembered``)."""

    def __init__(self, func: Callable[[str], T]):
        functools.update_wrapper(self, func)
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        self.table = _remembered.setdefault(self.name, {})
        self.used = _used.setdefault(self.name, set())

    def __call__(self, text: str) -> T:
        key = text_key(text)
        if key not in self.table:
            self._store(key, self.func(text))
        self.used.add(key)
        return self.table[key]

    def knows(self, text: str) -> bool:
        return text_key(text) in self.table

    def note(self, text: str, value: T) -> None:
        """Record what the function returns for ``text``, found as a by-product of other work."""
        self._store(text_key(text), value)

    def _store(self, key: bytes, value: T) -> None:
        self.table[key] = value
        _learned.setdefault(self.name, {})[key] = value


def remembered(func: Callable[[str], T]) -> Remembered[T]:
    """Remember what a pure function of one text returned, by the text's hash, within and between builds.

    For work done on every post at every build whatever changed, such as counting a post's
    words for the council's footprint report.
    """
    return Remembered(func)


def take_learned() -> dict[str, dict[bytes, Any]]:
    """What this process has newly remembered since last asked: a worker sends it to the main process."""
    learned = {name: dict(table) for name, table in _learned.items() if table}
    _learned.clear()
    return learned


def learn(learned: dict[str, dict[bytes, Any]]) -> None:
    """Take in what a worker remembered (``take_learned``)."""
    for name, table in learned.items():
        _remembered.setdefault(name, {}).update(table)


def _dump(path: Path, data: Any) -> None:
    # lazy: writing safely needs tempfile, which the quick check (``generator.last_build``, through
    # ``generator.fingerprint``) does not.
    from generator import atomic

    atomic.write_bytes(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _undump(path: Path, fingerprint: str) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as f:
            saved = pickle.load(f)
        return saved if saved["fingerprint"] == fingerprint else None
    except Exception:
        return None  # missing, old or damaged: the work is done again


def _readings_file(work_dir: Path, folder: str) -> Path:
    return work_dir / READINGS_DIR / f"{hashlib.blake2b(folder.encode(), digest_size=12).hexdigest()}.pickle"


@contextmanager
def files_as_found(stats: dict[str, list[int] | None]) -> Iterator[None]:
    """Within the block (one build), a file whose stat is given in ``stats`` is as it was found then:
    its digest may come from the last build (``generator.fingerprint.file_digest``). After it, every
    file is read again, since any may have changed since."""
    file_stats.clear()
    file_stats.update((path, stat) for path, stat in stats.items() if stat is not None)
    try:
        yield
    finally:
        file_stats.clear()


def load_remembered(work_dir: Path, fingerprint: str) -> None:
    """Fill the ``remembered`` tables and the files' digests from the last build (a small file: the
    workers inherit them)."""
    if (saved := _undump(work_dir / REMEMBERED_FILE, fingerprint)) is not None:
        learn(saved["remembered"])
        file_digests.update(saved.get("digests", {}))


def load_readings(work_dir: Path, fingerprint: str) -> None:
    """Fill the post readings from the last build (the main process reads every post; a worker
    gets its blog's readings with its job)."""
    _loaded.clear()
    for path in sorted((work_dir / READINGS_DIR).glob("*.pickle")):
        if (saved := _undump(path, fingerprint)) is not None:
            post_readings.update(saved["posts"])
            _loaded[saved["folder"]] = set(saved["posts"])


def save(work_dir: Path, fingerprint: str) -> None:
    """Keep what the next build may need: the two newest readings of each post that still exists
    (an edit and its undo), and the remembered results this build used (all, if it used none).

    Only the folders with a new reading are written again, and the files of folders that are gone removed."""
    by_folder: dict[str, dict[tuple[str, str], list[tuple[str, str, bytes]]]] = {}
    for key in post_readings:
        by_folder.setdefault(os.path.dirname(key[0]), {}).setdefault(key[:2], []).append(key)
    kept: dict[tuple[str, str, bytes], Any] = {}
    for folder, readings in by_folder.items():
        if not os.path.isdir(folder):
            _readings_file(work_dir, folder).unlink(missing_ok=True)
            _loaded.pop(folder, None)
            continue
        held = [key for keys in readings.values() for key in keys]
        if set(held) == _loaded.get(folder):
            kept.update((key, post_readings[key]) for key in held)
            continue
        entries = {key: post_readings[key] for (path, _), keys in readings.items() if os.path.exists(path)
                   for key in keys[-2:]}
        _dump(_readings_file(work_dir, folder), {"fingerprint": fingerprint, "folder": folder, "posts": entries})
        _loaded[folder] = set(entries)
        kept.update(entries)
    post_readings.clear()
    post_readings.update(kept)
    save_remembered(work_dir, fingerprint)
    _forget_legacy(work_dir)


def save_remembered(work_dir: Path, fingerprint: str) -> None:
    """Keep the remembered results this build used (all, if it used none) and the digests of the files it found."""
    _learned.clear()
    for name, table in _remembered.items():
        if _used[name]:
            for key in table.keys() - _used[name]:
                del table[key]
            _used[name].clear()
    # The digests of the files this build found: those of deleted files go.
    digests = {path: known for path, known in file_digests.items() if path in file_stats}
    file_digests.clear()
    file_digests.update(digests)
    _dump(work_dir / REMEMBERED_FILE, {"fingerprint": fingerprint, "remembered": _remembered, "digests": digests})


def _forget_legacy(work_dir: Path) -> None:
    # Earlier versions kept everything in one file, which no version reads now: a council's cached
    # .build-cache would otherwise carry its megabytes for ever.
    (work_dir / LEGACY_FILE).unlink(missing_ok=True)


def load_rendered(path: Path, fingerprint: str) -> None:
    """Start a blog with the bodies it rendered at its last build."""
    rendered.clear()
    rendered_used.clear()
    saved = _undump(path, fingerprint)
    if saved is not None:
        rendered.update(saved["rendered"])


def save_rendered(path: Path, fingerprint: str) -> None:
    """Keep the bodies this blog's build used, so edited and deleted posts do not pile up."""
    _dump(path, {"fingerprint": fingerprint, "rendered": {key: rendered[key] for key in rendered_used}})


def forget_rendered() -> None:
    """A blog's rendered bodies are of no use to the next blog: the worker lets them go."""
    rendered.clear()
    rendered_used.clear()
