"""Posts: Markdown files that start with YAML front matter.

One reader serves the blog build, syndication and the council pages, so a post means
the same thing everywhere. Front matter was chosen over Pelican's ``Key: value`` lines
because GitHub's web editor (how many councillors write, on an iPad) shows it as a table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from generator import fingerprint, memo
from generator.exceptions import Problem
from generator.inputs import files, yamlfile
from generator.inputs.networks import NETWORKS
from generator.inputs.values import SLUG, SLUG_LIMIT, slugify

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)
#: A front matter line as an iPad or Word leaves it: its typographic dashes make '---' into
#: '—-' or '–-' ('--' becomes a dash as it is typed).
TYPED_DASHES = re.compile(r"^(?=[-\u2013\u2014]*[\u2013\u2014])[-\u2013\u2014]{1,3}[ \t]*$")
#: 'title: “Castle Street: the café”', where curly quotes (which YAML does not know) wrap the
#: whole value, as iPads type them.
CURLY_QUOTED = re.compile(r"^([ \t]*(?:-[ \t]+)?(?:[\w-]+:[ \t]+)?)(?:“(.*)”|‘(.*)’)[ \t]*$")
#: Word's manual line break (Shift+Enter) and page break, pasted as characters.
WORD_BREAKS = re.compile(r"[\x0b\x0c]")
#: A post is a page of text; past this a file is a mistake, or built to slow the build down.
MAX_POST_BYTES = 1_000_000
EARLIEST_YEAR = 1900
FENCE = re.compile(r"^[ \t]*(```|~~~)")
# ![](photo.jpg) or ![ ][ref]: Markdown gives the image an empty description.
UNDESCRIBED_MARKDOWN_IMAGE = re.compile(r"!\[\s*\](\([^)\n]*\)?|\[[^\]\n]*\]?)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
HAS_ALT = re.compile(r"\salt\s*=", re.I)
CODE_SPAN = re.compile(r"(`+).*?\1")
#: The address of a Markdown image, ![…](address "title"), or an HTML image's src.
IMAGE_ADDRESS = re.compile(r"""!\[[^\]\n]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)""", re.I)
#: A picture from elsewhere on the web (or inline data), not a file of the blog's.
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
#: Pelican's own way to name a file of the blog's: {static}/images/bins.jpg.
PELICAN_PREFIX = re.compile(r"^\{(?:static|attach)\}")
#: The Markdown a post is written in: Python-Markdown's extras (tables, footnotes, attribute
#: lists…), lists that behave as writers expect, typographic quotes and heading anchors.
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty", "toc"]
POSTS_DIR = "posts"
PAGES_DIR = "pages"
IMAGES_DIR = "images"


def _morning_if_date_only(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        value = dt.date.fromisoformat(value.strip()) if _valid_date(value.strip()) else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(9, 0))
    return value


def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _plausible_year(value: dt.datetime) -> dt.datetime:
    # Year 1 makes addresses and the pages' machine-readable dates that browsers cannot read.
    if value.year < EARLIEST_YEAR:
        raise ValueError(f"the year {value.year} is too early; write the date as YYYY-MM-DD")
    return value


def _comma_separated(value: object) -> object:
    if isinstance(value, str):
        return [word.strip() for word in value.split(",") if word.strip()]
    return value


#: A date, or a date and time; a date alone means 09:00 that day.
DateOrDateTime = Annotated[dt.datetime, BeforeValidator(_morning_if_date_only), AfterValidator(_plausible_year)]
#: A YAML list, or one line of words separated by commas (easier to type on an iPad).
Tags = Annotated[list[str], BeforeValidator(_comma_separated),
                AfterValidator(lambda tags: [" ".join(t.split()) for t in tags if t.strip()])]


class Image(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)
    src: str
    """The image file, relative to the post, or a path under the blog's content/images/."""
    alt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    """What the image shows, for people who cannot see it."""


class FrontMatter(BaseModel):
    """The settings at the top of a post, between the two ``---`` lines."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    """The post's headline."""
    date: DateOrDateTime
    """When it is published (YYYY-MM-DD or YYYY-MM-DD HH:MM). A future date waits until then."""
    modified: DateOrDateTime | None = None
    """When it was last changed in a way readers should know about."""
    summary: str | None = None
    """One or two sentences for the blog's front page, feeds and social posts."""
    tags: Tags = []
    """Topics, e.g. [planning, bins]; they become tag pages and hashtags."""
    image: Image | None = None
    """An image for the post and for link previews, with its alt text."""
    status: Literal["published", "draft"] = "published"
    """'draft' keeps the post off the site, its feeds and every network."""
    political: bool = False
    """true for party-political posts: the council hub leaves them out."""
    slug: str | None = Field(None, pattern=SLUG, max_length=SLUG_LIMIT)
    """The last part of the post's web address (made from the title if not given)."""
    social: dict[str, str] = {}
    """Text to post instead of the usual one, per network, e.g. {mastodon: 'Bins change…'}."""

    @field_validator("social")
    @classmethod
    def _known_networks(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if name not in NETWORKS:
                raise ValueError(f"'{name}' is not a network this project knows ({', '.join(NETWORKS)})")
        return value


@dataclass(frozen=True)
class Post:
    path: Path
    meta: FrontMatter
    body: str
    body_line: int
    date: dt.datetime
    #: What was read differently from how it was written (typographic dashes, control characters…).
    warnings: tuple[Problem, ...] = ()

    @property
    def slug(self) -> str:
        return self.meta.slug or slugify(self.meta.title) or fallback_slug(self.meta.title, self.date)

    @property
    def is_draft(self) -> bool:
        return self.meta.status == "draft"

    def source(self, content_dir: Path) -> str:
        """The post's file under the blog's posts folder, e.g. '2026-11-02-bins.md': how the ledger knows it."""
        return self.path.relative_to(content_dir / POSTS_DIR).as_posix()

    def is_published(self, now: dt.datetime) -> bool:
        """Live on the site: not a draft and not dated in the future."""
        return not self.is_draft and self.date <= now


def fallback_slug(text: str, date: dt.datetime | dt.date) -> str:
    """An address for a title or tag with nothing to spell one from (emoji only): its date and a short hash."""
    return f"{date:%Y-%m-%d}-{hashlib.blake2b(text.encode(), digest_size=3).hexdigest()}"


def tag_slug(tag: str) -> str:
    """A tag's address; an emoji-only tag gets a short hash, so it never takes the tags index's address."""
    return slugify(tag) or f"tag-{hashlib.blake2b(tag.encode(), digest_size=3).hexdigest()}"


def split(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line number where the front matter starts)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    return match.group(1), text[match.end():], 2


def read(path: Path, timezone: str = "Europe/London") -> tuple[Post | None, list[Problem]]:
    """Read one post; every problem in it comes back with its line."""
    post, problems = memo.post_readings[_read_key(path, timezone)]
    return post, list(problems)


def _read_key(path: Path, timezone: str) -> tuple[str, str, bytes]:
    """The file's key in ``memo.post_readings``, parsing the file first if it is not there.

    Validation, the blog build and the council pages each read every post: the first reads it."""
    name = str(path)
    digest = fingerprint.known_digest(name)
    if digest is None or (name, timezone, digest) not in memo.post_readings:
        data = path.read_bytes()
        digest = fingerprint.digest_of(name, data)
        if (name, timezone, digest) not in memo.post_readings:
            memo.post_readings[(name, timezone, digest)] = _parse(path, data, timezone)
    return name, timezone, digest


def readings(paths: list[Path], timezone: str) -> dict[tuple[str, str, bytes], tuple[Post | None, list[Problem]]]:
    """The ``memo.post_readings`` entries of ``paths`` (parsing any not read yet), to hand to another process.

    The build's main process reads every post anyway (checks, council pages) and gives each
    blog's worker its readings: parsing front matter is a tenth of a blog's build, so a
    worker reading the posts again would do that tenth twice.
    """
    return {key: memo.post_readings[key] for key in (_read_key(path, timezone) for path in paths)}


def _parse(path: Path, data: bytes, timezone: str) -> tuple[Post | None, list[Problem]]:
    if len(data) > MAX_POST_BYTES:
        return None, [Problem(path, None, f"is {len(data) / 1_000_000:.1f} MB; a post may be at most "
                              f"{MAX_POST_BYTES // 1_000_000} MB", "split it into several posts, and put pictures "
                              "in the images folder rather than inside the text")]
    try:
        # Newlines as read_text() gives them, so line numbers and bodies do not depend on the editor.
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        return None, [yamlfile.not_utf8(path, data, error)]
    text, warnings = forgive(path, text)
    head, body, first_line = split(text)
    if head is None:
        return None, [Problem(path, 1, "has no front matter",
                              "start the file with a '---' line, 'title:' and 'date:' lines, then '---'")]
    meta, problems = yamlfile.load_text(FrontMatter, head, path, first_line)
    if meta is None:
        return None, problems
    body_line = first_line + head.count("\n") + 1
    zone = ZoneInfo(timezone)
    date = meta.date if meta.date.tzinfo else meta.date.replace(tzinfo=zone)
    return (Post(path=path, meta=meta, body=body, body_line=body_line, date=date, warnings=tuple(warnings)),
            _body_problems(path, body, body_line))


def forgive(path: Path, text: str) -> tuple[str, list[Problem]]:
    """``text`` as its writer meant it, with a warning for each thing read differently.

    An iPad or Word changes what is typed: '---' becomes '—-', straight quotes become curly
    ones, and pasted text brings invisible control characters that no page or feed can hold.
    """
    warnings: list[Problem] = []
    lines = text.split("\n")
    # The whole text first: most have none, and looking line by line cost a tenth of reading a post.
    if yamlfile.CONTROL.search(text):
        for index, line in enumerate(lines):
            if yamlfile.CONTROL.search(line):
                warnings.append(Problem(path, index + 1, "has invisible control characters (often from pasted "
                                        "text); they were left out", "retype the line, or paste it as plain text"))
                lines[index] = yamlfile.CONTROL.sub("", WORD_BREAKS.sub(" ", line))
    if lines and TYPED_DASHES.match(lines[0]):
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---" or TYPED_DASHES.match(lines[i])),
                       None)
        for index in (0, closing):
            if index is not None and lines[index].rstrip() != "---":
                warnings.append(Problem(path, index + 1, f"'{lines[index].strip()}' was read as '---'",
                                        "type three hyphens; on an iPad, turn off Smart Punctuation "
                                        "(Settings > General > Keyboard)"))
                lines[index] = "---"
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() == "---":
                break
            match = CURLY_QUOTED.match(lines[index])
            if match:
                value = match.group(2) if match.group(2) is not None else match.group(3)
                lines[index] = match.group(1) + json.dumps(value, ensure_ascii=False)
                warnings.append(Problem(path, index + 1, "has curly quotes around a value; read as straight quotes",
                                        "type straight quotes (\" or '); on an iPad, turn off Smart Punctuation"))
    return "\n".join(lines), warnings


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, text) of the body outside code blocks, with code spans taken out:
    an image or a link written inside code is an example, not part of the post."""
    fenced = False
    for index, line in enumerate(body.splitlines()):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        yield index, CODE_SPAN.sub("", line) if "`" in line else line


def undescribed_images(body: str) -> list[tuple[int, str]]:
    """(0-based line, the image as written) for each image in the body with no alt text.

    An HTML image with ``alt=""`` is left alone: that is how a writer marks an image as
    decoration on purpose.
    """
    found = []
    for index, line in _prose_lines(body):
        # Most lines hold no picture: a test for its first characters is quicker than the patterns.
        if "![" in line:
            found += [(index, m.group(0)) for m in UNDESCRIBED_MARKDOWN_IMAGE.finditer(line)]
        if "<" in line:
            found += [(index, m.group(0)) for m in HTML_IMAGE.finditer(line) if not HAS_ALT.search(m.group(0))]
    return found


def local_images(body: str) -> list[tuple[int, str]]:
    """(0-based line, address) of each picture in the body that is a file of the blog's own."""
    found = []
    for index, line in _prose_lines(body):
        if "![" in line or "<" in line:
            found += [(index, m.group(1) or m.group(2)) for m in IMAGE_ADDRESS.finditer(line)]
    return [(index, src) for index, src in found if not REMOTE.match(src)]


def picture_file(content_dir: Path, post_path: Path, src: str) -> Path | None:
    """The file a post's picture address names: under the blog's content/, beside the post, or,
    named without its folder, in the blog's images/. Never a file outside content/."""
    pelican = PELICAN_PREFIX.match(src)
    src = PELICAN_PREFIX.sub("", src).split("#")[0].split("?")[0].lstrip("/")
    bases = (content_dir,) if pelican else (content_dir, post_path.parent, content_dir / IMAGES_DIR)
    for base in bases:
        found = files.inside(base, src, home=content_dir)
        if found is not None and found.is_file():
            return found
    return None


def _body_problems(path: Path, body: str, body_line: int) -> list[Problem]:
    return [
        Problem(path, body_line + index, f"has an image with no description (alt text): {written}",
                "say what the image shows between the square brackets, "
                "e.g. ![The new blue bins outside the depot](bins.jpg)")
        for index, written in undescribed_images(body)
    ]


def page_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / PAGES_DIR).glob("*.md"))


def line_starting(path: Path, prefix: str) -> int | None:
    """The number of the first line of ``path`` that starts with ``prefix``, e.g. 'code:'."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(prefix):
            return number
    return None


def post_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / POSTS_DIR).glob("**/*.md"))


def read_all(content_dir: Path, timezone: str = "Europe/London") -> tuple[list[Post], list[Problem]]:
    posts, problems = [], []
    for path in post_files(content_dir):
        post, found = read(path, timezone)
        problems += found
        if post:
            posts.append(post)
    seen: dict[str, Path] = {}
    for post in posts:
        if post.slug in seen:
            problems.append(Problem(post.path, 2, f"has the same web address ('{post.slug}') as {seen[post.slug].name}",
                                    "give one of them a different title, or a 'slug:' line"))
        seen[post.slug] = post.path
    return posts, problems
