"""A post's picture, made to fit one network's documented limits with Pillow.

Each network takes pictures up to its own size in bytes and pixels, in a few formats. A picture
that already fits is sent as it is; one that does not is turned the right way up (phones store
the rotation separately), flattened onto white (JPEG has no transparency) and saved as a JPEG,
smaller each time, until it fits. A picture that cannot be read or made to fit is left out and
the post goes as it would without one: a picture never stops a post.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

log = logging.getLogger("generator.syndication")

#: Pillow's format name -> MIME type, for the formats most networks take as they are.
JPEG_PNG = {"JPEG": "image/jpeg", "PNG": "image/png"}
JPEG_PNG_GIF = {**JPEG_PNG, "GIF": "image/gif"}
#: Longest sides tried, largest first, when a picture has to be made smaller.
SIDES = (4096, 3000, 2400, 2000, 1600, 1200, 1000, 800, 600, 400)
QUALITIES = (85, 70)


@dataclass(frozen=True)
class Picture:
    """The bytes a network is sent, with their MIME type, a file name and the picture's description."""

    data: bytes
    mime: str
    name: str
    alt: str


def fit(path: Path | None, alt: str | None, *, label: str, max_bytes: int, max_pixels: int | None = None,
        max_side: int | None = None, formats: dict[str, str] = JPEG_PNG) -> Picture | None:
    """``path`` as ``label`` takes it, or None (with the reason logged) where there is no usable picture."""
    if path is None:
        return None
    if path.suffix.lower() in (".svg", ".svgz"):
        log.info("%s: %s is an SVG, which cannot be posted as a picture; the post goes without it", label, path.name)
        return None
    if not path.is_file():
        log.warning("%s: the post's picture %s is missing; the post goes without it", label, path)
        return None
    description = " ".join((alt or "").split())
    try:
        with Image.open(path) as opened:
            opened.load()  # the whole file, so a broken one is caught here rather than refused by the network
            mime = formats.get(opened.format or "")
            width, height = opened.size
            fits = (mime is not None and path.stat().st_size <= max_bytes
                    and (max_pixels is None or width * height <= max_pixels)
                    and (max_side is None or max(width, height) <= max_side))
            if fits and mime is not None:
                return Picture(path.read_bytes(), mime, path.name, description)
            picture = flattened(ImageOps.exif_transpose(opened))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("%s: %s could not be read as a picture (%s); the post goes without it", label, path.name, error)
        return None
    longest = max(picture.size)
    if max_pixels is not None:  # the longest side a picture of this shape can have within the pixel count
        longest = min(longest, int(max(picture.size) * math.sqrt(max_pixels / (picture.size[0] * picture.size[1]))))
    if max_side is not None:
        longest = min(longest, max_side)
    for side in [longest, *(s for s in SIDES if s < longest)]:
        smaller = picture.copy()
        smaller.thumbnail((side, side), Image.Resampling.LANCZOS)
        if max_pixels is not None and smaller.size[0] * smaller.size[1] > max_pixels:
            continue  # rounding the other side up can pass the limit by a row; the next size down fits
        for quality in QUALITIES:
            out = io.BytesIO()
            smaller.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                log.info("%s: %s is sent as a %d×%d JPEG to fit its limits", label, path.name, *smaller.size)
                return Picture(out.getvalue(), "image/jpeg", f"{path.stem}.jpg", description)
    log.warning("%s: %s could not be made to fit; the post goes without it", label, path.name)
    return None


def flattened(picture: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        flat = Image.new("RGB", picture.size, "white")
        flat.paste(picture, mask=picture.getchannel("A"))
        return flat
    return picture.convert("RGB")
