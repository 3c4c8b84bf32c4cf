"""The typed configuration: ``programme.yml`` and each ``councillor_blogs/<slug>/councillor.yml``.

Every option has a docstring; ``docs`` tests check each one is described in the handbook.
Loading collects every problem in every file before giving up, so a council web team
fixes them all in one pass rather than one per build.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import inspect
import itertools
import re
import textwrap
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.exceptions import ConfigError, Problem
from generator.inputs import files, yamlfile
from generator.inputs.layout import BLOGS_DIR, BRANDING_DIR, COUNCILLOR_FILE, PROGRAMME_FILE
from generator.inputs.networks import NETWORKS
from generator.inputs.values import HEX_COLOUR, SLUG, Email, Phone, WebAddress, _web_address, slugify


class Model(BaseModel):
    """A settings file's part. Each field's documentation is the string under it (``setting_help``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Council(Model):
    name: str = Field(min_length=2)
    """The council's full name, as residents know it."""
    url: WebAddress
    """The council's main website."""
    short_name: str | None = None
    """A shorter name for headings and the browser tab (defaults to the full name)."""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Site(Model):
    url: str
    """Where the built site is published, e.g. https://my-council.github.io/networked-councillor/."""
    title: str = "Networked Councillor"
    """The handbook's title."""
    language: str = "en-GB"
    """The language of the site's pages."""
    timezone: str = "Europe/London"
    """Times in posts without a timezone are read as this zone's local time."""

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        return _web_address(value).rstrip("/") + "/"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a timezone name such as Europe/London") from None
        return value


class Branding(Model):
    primary_colour: str = Field("#1d4f91", pattern=HEX_COLOUR)
    """The council's main colour (#rrggbb). Darkened if white text on it would be hard to read."""
    accent_colour: str = Field("#b3261e", pattern=HEX_COLOUR)
    """A second colour for highlights (#rrggbb), adjusted the same way."""
    logo: str | None = None
    """A logo image in the branding/ folder beside programme.yml, e.g. branding/logo.svg (SVG or PNG)."""
    logo_alt: str | None = None
    """Text that describes the logo for screen readers (defaults to the council's name)."""


class Workshop(Model):
    number: Literal[1, 2, 3]
    """Which of the three workshops this is."""
    date: dt.date
    """The day it runs (YYYY-MM-DD)."""
    start: str = Field("10:00", pattern=r"^\d{1,2}:\d{2}$")
    """Start time, HH:MM."""
    end: str = Field("13:00", pattern=r"^\d{1,2}:\d{2}$")
    """End time, HH:MM."""
    venue: str
    """Where it runs, as an address people can find."""


class Contact(Model):
    name: str
    """Who to contact."""
    role: str
    """What they can help with."""
    email: Email | None = None
    """Their work email address."""
    phone: Phone | None = None
    """Their work phone number."""


class Cohort(Model):
    name: str
    """The cohort's name, e.g. 'Spring 2027 cohort'."""
    streams: list[Literal["getting-started", "confident", "leading"]] = [
        "getting-started",
        "confident",
        "leading",
    ]
    """The skill streams this cohort is split into."""
    workshops: list[Workshop] = []
    """The three workshops' dates and venues."""


class Period(Model):
    start: dt.date
    """First day of the period (YYYY-MM-DD)."""
    end: dt.date
    """Last day of the period (YYYY-MM-DD)."""

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.end < self.start:
            raise ValueError("end must be on or after start")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class KnownIssue(Model):
    """One part of the site that is not yet fully accessible, as the accessibility statement lists it."""

    what: str = Field(min_length=1)
    """What does not work, and for whom, e.g. 'Some photos in older posts have no useful description'."""
    criterion: str | None = None
    """The WCAG 2.2 success criterion it fails, e.g. '1.1.1 Non-text content'."""
    fix_by: dt.date | None = None
    """When it will be fixed (YYYY-MM-DD), if a date is set."""


class Accessibility(Model):
    contact_email: Email
    """Where people report an accessibility problem."""
    reviewed: dt.date
    """When the site was last checked for accessibility (YYYY-MM-DD)."""
    known_issues: list[KnownIssue] = []
    """Parts of the site that are not yet fully accessible: each a sentence, or 'what', 'criterion' and 'fix_by'."""

    @field_validator("known_issues", mode="before")
    @classmethod
    def _sentences(cls, value: object) -> object:
        return [{"what": v} if isinstance(v, str) else v for v in value] if isinstance(value, list) else value
    response_days: int = 10
    """Working days within which a report gets a reply."""


class Editor(Model):
    """The writing screen at /admin/, where councillors and the comms team write posts in a form."""

    repository: str | None = Field(None, pattern=r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
    """The GitHub repository it saves to, OWNER/NAME (defaults to the one a github.io site address names)."""
    branch: str = Field("main", pattern=r"^[A-Za-z0-9._/-]+$")
    """The branch it saves to: the one the site is published from."""
    oauth_base_url: str | None = Field(None, pattern=r"^https://[^/\s]+$")
    """An OAuth client the council runs for a 'Sign in with GitHub' button (otherwise people sign in with a token)."""
    enabled: bool = True
    """false leaves the writing screen out of the site."""


class Programme(Model):
    """``programme.yml``: the council, its cohort, branding and key dates."""

    council: Council
    """The council running the programme."""
    site: Site
    """Where the site is published."""
    branding: Branding = Branding()
    """Colours and logo applied to the handbook and every blog."""
    cohort: Cohort
    """The cohort of councillors taking part."""
    contacts: list[Contact] = []
    """Officers the councillors can ask for help."""
    pre_election: Period | None = None
    """The pre-election period, when council publicity about councillors is restricted."""
    accessibility: Accessibility
    """What the accessibility statement says."""
    editor: Editor = Editor()
    """The writing screen at /admin/."""


class Platform(Model):
    handle: str = Field(min_length=1)
    """The councillor's name on that network."""
    url: WebAddress | None = None
    """The profile's web address, where it cannot be worked out from the handle."""
    syndicate: bool | None = None
    """Post new blog posts here automatically (default: yes, except X, which charges per post)."""
    personal: bool = False
    """Facebook only: a personal profile, not a Page. No program may post to one, so its posts wait in the share kit."""


class Surgery(Model):
    when: str
    """When it happens, in words, e.g. 'First Saturday of the month, 10:00 to 12:00'."""
    where: str
    """Where it happens."""


class PublicContact(Model):
    email: Email | None = None
    """The councillor's public email for casework."""
    phone: Phone | None = None
    """A public phone number."""

    @model_validator(mode="after")
    def _some_way(self) -> PublicContact:
        if not (self.email or self.phone):
            raise ValueError("give at least an email or a phone number residents can use")
        return self


class Councillor(Model):
    """``councillor.yml``: who the councillor is and where they are online."""

    name: str = Field(min_length=2)
    """The councillor's name as it appears on the ballot paper."""
    ward: str
    """The ward they represent."""
    role: str = "Councillor"
    """Their role, e.g. 'Cabinet member for environment'."""
    party: str | None = None
    """Their party or group, if they want it shown."""
    photo: str | None = None
    """A photo, relative to the blog folder (initials are shown without one)."""
    bio: str = ""
    """One or two sentences about them."""
    contact: PublicContact
    """How residents reach them about casework."""
    surgeries: list[Surgery] = []
    """Their regular surgeries."""
    platforms: dict[str, Platform] = {}
    """The social networks they use, by network name."""
    syndication_since: dt.datetime | dt.date | None = None
    """Posts dated before this date (or date and time) are never shared; 'councillor new' sets it to its start."""

    @field_validator("platforms", mode="before")
    @classmethod
    def _known_networks(cls, value: object) -> object:
        if isinstance(value, dict):
            for name, entry in list(value.items()):
                if name not in NETWORKS:
                    known = ", ".join(NETWORKS)
                    raise ValueError(f"'{name}' is not a network this project knows ({known})")
                if isinstance(entry, str):
                    value[name] = {"handle": entry}
        return value

    def syndicates_to(self, network: str) -> bool:
        platform = self.platforms.get(network)
        if platform is None or (network == "facebook" and platform.personal):
            return False
        if platform.syndicate is None:
            return NETWORKS[network].syndicate_by_default
        return platform.syndicate


class Blog(BaseModel):
    """One councillor's blog folder, with its validated settings."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    slug: str
    folder: Path
    councillor: Councillor

    @property
    def content_dir(self) -> Path:
        return self.folder / "content"


class Project(BaseModel):
    """Everything the build reads: the programme and every blog, validated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    root: Path
    programme: Programme
    blogs: list[Blog]

    def blog(self, slug: str) -> Blog:
        for blog in self.blogs:
            if blog.slug == slug:
                return blog
        raise ConfigError([Problem(self.root / BLOGS_DIR / slug, None, f"there is no blog '{slug}'",
                                   "run 'councillor new' to create it, or check the spelling")])


#: The longest slug made from a name or title: addresses stay readable, and a file or folder
#: named after one stays well within the 255 bytes a file system allows.
def load_project(root: Path) -> Project:
    """Load and validate programme.yml and every councillor.yml under ``root``; raise every problem at once."""
    root = root.resolve()
    problems: list[Problem] = []
    programme_path = root / PROGRAMME_FILE
    if not programme_path.exists():
        raise ConfigError([Problem(programme_path, None, "no programme.yml here",
                                   "run the command from the programme folder, or pass --root")])
    programme, found = yamlfile.load(Programme, programme_path)
    problems += found
    blogs = []
    for folder in sorted(p for p in (root / BLOGS_DIR).glob("*") if p.is_dir()):
        blog, found = load_blog(folder)
        problems += found
        if blog:
            blogs.append(blog)
    if problems:
        raise ConfigError(problems)
    assert programme is not None
    return Project(root=root, programme=programme, blogs=blogs)


def load_blog(folder: Path) -> tuple[Blog | None, list[Problem]]:
    path = folder / COUNCILLOR_FILE
    if not re.match(SLUG, folder.name):
        return None, [Problem(folder, None, f"'{folder.name}' cannot be used in a web address",
                              f"rename the folder to '{slugify(folder.name)}'")]
    if not path.exists():
        return None, [Problem(path, None, "this blog folder has no councillor.yml",
                              "copy one from another blog, or run 'councillor new'")]
    councillor, problems = yamlfile.load(Councillor, path)
    if councillor is None:
        return None, problems
    return Blog(slug=folder.name, folder=folder, councillor=councillor), problems


def logo_file(root: Path, branding: Branding) -> Path | None:
    """The logo named in programme.yml, if it is a file inside branding/ beside it; None otherwise."""
    if not branding.logo:
        return None
    found = files.inside(root, branding.logo, home=root / BRANDING_DIR)
    return found if found is not None and found.is_file() else None


def logo_problem(root: Path, branding: Branding) -> Problem | None:
    """Why the logo cannot be published, with the line to fix, or None."""
    if not branding.logo:
        return None
    path = root / PROGRAMME_FILE
    where = next((n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if line.strip().startswith("logo:")), None)
    found = logo_file(root, branding)
    if found is None:
        return Problem(path, where, f"the logo '{branding.logo}' is not a file in the {BRANDING_DIR}/ folder",
                       f"put the logo in {BRANDING_DIR}/ beside programme.yml and write logo: {BRANDING_DIR}/<file>")
    if trouble := files.picture_problem(found):
        return Problem(path, where, f"the logo '{branding.logo}' {trouble}",
                       "use a PNG, or an SVG drawing with no script")
    return None


@functools.cache
def setting_help(model: type[BaseModel]) -> dict[str, str]:
    """Each field's documentation: the string written under it in the class, as in ``Council`` above.

    Read from the source when asked, for the reference pages and the writing screen's hints;
    pydantic's ``use_attribute_docstrings`` would parse every model's source at every start,
    a tenth of a build with nothing to do."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not issubclass(cls, BaseModel) or cls is BaseModel:
            continue
        body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
        for node, after in itertools.pairwise(body):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                found[node.target.id] = inspect.cleandoc(after.value.value)
    return found
