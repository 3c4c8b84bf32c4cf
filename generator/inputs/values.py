"""Typed values the settings share: web addresses, emails, phones and slugs, checked as they are read."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _web_address(value: str) -> str:
    # Addresses end up in href attributes on every page: javascript: or data: would run there.
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or any(c.isspace() or c in "<>\"'`\\" for c in value)):
        raise ValueError("must be a full web address starting https:// (or http://), with no spaces")
    return value


#: A page on the web: http(s) with a host, nothing that could leave the attribute it is written into.
WebAddress = Annotated[str, AfterValidator(_web_address)]
#: An email address as residents would type it; mailto: links are made from it, never written.
Email = Annotated[str, Field(pattern=r"^[^@\s<>\"'`():;,\\]+@[^@\s<>\"'`():;,\\]+\.[^@\s<>\"'`():;,\\]+$",
                             max_length=254)]
#: A phone number: digits, spaces, brackets, dots, hyphens and a leading +; tel: links are made from it.
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ().-]{4,24}$")]


SLUG_LIMIT = 80


def slugify(name: str, limit: int = SLUG_LIMIT) -> str:
    """A stable, ASCII, URL-safe slug: 'Siân O'Brien-Jones' -> 'sian-obrien-jones'.

    Cut at a word once over ``limit`` characters; empty when ``name`` has no letter or digit
    that ASCII can spell (an emoji, say), which callers must handle.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"['’`]", "", ascii_name.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut[:limit]).strip("-")
    return slug
