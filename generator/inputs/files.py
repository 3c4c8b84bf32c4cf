"""The files a setting or a post names: kept inside their folder, and pictures that are pictures.

Whatever the build copies into ``site/`` is public. A name such as ``/proc/self/environ`` or
``../../.git/config``, or a link in a blog's folder pointing elsewhere, would publish a file
the council never meant to (the build's environment holds network tokens), so every name is
resolved, links followed, and must stay inside the folder it belongs to. A picture is checked
by decoding it, not by its name: an HTML file renamed ``.png`` is still HTML to a browser
that is sent it directly, and runs on the council's own origin.
"""

from __future__ import annotations

import os
import re
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

#: Pillow's format name -> the file endings a picture of that format may have.
PICTURE_FORMATS = {"PNG": {".png"}, "JPEG": {".jpg", ".jpeg"}, "GIF": {".gif"}, "WEBP": {".webp"}}
SVG_SUFFIX = ".svg"
#: Bigger than any photo a council needs on a web page; past this a file is more likely a mistake
#: (or a picture built to exhaust the build's memory when decoded).
MAX_PICTURE_BYTES = 20_000_000
MAX_PICTURE_PIXELS = 60_000_000
#: SVG elements that can run script, embed another document or load something from elsewhere.
SVG_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
SVG_LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href"}
CSS_FETCH = re.compile(r"url\s*\(|@import", re.I)


def inside(base: Path, name: str, home: Path | None = None) -> Path | None:
    """The file ``name`` (relative to ``base``) if it stays inside ``home`` (default: ``base``) once
    links are followed, else None.

    An absolute name, one that climbs out with ``..``, or one that reaches a link pointing
    out of ``home`` are all refused the same way.
    """
    if not name or "\x00" in name:
        return None
    candidate = base / name
    try:
        resolved = candidate.resolve()
        allowed = (home or base).resolve()
    except (OSError, RuntimeError):  # a loop of links, or a name the system cannot look up
        return None
    return candidate if resolved == allowed or resolved.is_relative_to(allowed) else None


def links_leaving(folder: Path, home: Path | None = None) -> Iterator[Path]:
    """Every link under ``folder`` whose target is outside ``home`` (default: ``folder``) or missing."""
    home = (home or folder).resolve()
    if not folder.is_dir():
        return
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        for name in [*subfolders, *names]:
            path = Path(directory) / name
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    yield path
                    continue
                if not target.is_relative_to(home):
                    yield path


def picture_problem(path: Path) -> str | None:
    """Why ``path`` is not a picture the site can publish, or None if it is one."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if size > MAX_PICTURE_BYTES:
        return f"is {size / 1_000_000:.0f} MB; pictures must be under {MAX_PICTURE_BYTES // 1_000_000} MB"
    if suffix == SVG_SUFFIX:
        return svg_problem(path.read_bytes())
    endings = sorted({e for found in PICTURE_FORMATS.values() for e in found} | {SVG_SUFFIX})
    if not any(suffix in found for found in PICTURE_FORMATS.values()):
        return f"is not a picture the site publishes (it takes {', '.join(endings)} files)"
    # lazy: importing Pillow costs 10 ms, which a build with no picture to check need not spend.
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > MAX_PICTURE_PIXELS:
                    return f"is {image.width} x {image.height} pixels, too large to publish"
                kind = image.format
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "is too large to publish"
    except Exception:  # Pillow raises many kinds for a file that is not a picture
        return "is not a picture that can be opened (the file may be damaged, or another kind of file renamed)"
    if kind not in PICTURE_FORMATS or suffix not in PICTURE_FORMATS[kind]:
        return f"is a {kind} picture saved with the ending {suffix or '(none)'}"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be published, or None: it must be a drawing that runs and loads nothing."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        # Entities can expand without bound, or read other files, in some readers.
        return "is an SVG with a DOCTYPE or entities, which the site does not publish"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"is not a readable SVG drawing ({error})"
    if _local(root.tag) != "svg":
        return "is not an SVG drawing"
    for element in root.iter():
        tag = _local(element.tag).lower()
        if tag in SVG_ACTIVE:
            return f"is an SVG containing <{_local(element.tag)}>, which can run script or load other content"
        if tag == "style" and CSS_FETCH.search(element.text or ""):
            return "is an SVG whose styles load other files"
        for attribute, value in element.attrib.items():
            name = _local(attribute).lower()
            if name.startswith("on"):
                return f"is an SVG with an event handler ({name}=), which runs script"
            if (attribute in SVG_LINK_ATTRIBUTES or name == "href") and not value.strip().startswith("#"):
                return f"is an SVG that links to '{value[:60]}'; it may only link within itself (#id)"
            if name == "style" and CSS_FETCH.search(value):
                return "is an SVG whose styles load other files"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
