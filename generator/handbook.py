"""The programme handbook: MkDocs + Material, shaped for each council by ``programme.yml``.

The handbook's Markdown never names a council. ``ProgrammePlugin`` reads ``programme.yml``
and fills pages in as MkDocs reads them (Jinja in the Markdown), so a second council's
folder gets its own handbook from the same pages. It also makes the pages that are
better generated than written: the accessibility statement and the settings reference.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup, escape
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from pydantic import BaseModel

from generator import yamlfile
from generator.admin import content_security_policy, screen_url
from generator.colours import brand_colours
from generator.config import (
    PROGRAMME_FILE,
    Councillor,
    Programme,
    Project,
    Workshop,
    logo_file,
    logo_problem,
    toolkit_dir,
)
from generator.exceptions import BuildError
from generator.networks import NETWORKS
from generator.posts import FrontMatter
from generator.shortlinks import ItemFrontMatter

MKDOCS_FILE = "mkdocs.yml"
PLUGIN_NAME = "networked-councillor"
log = logging.getLogger("mkdocs.plugins.networked_councillor")

#: Pages the plugin writes itself, from templates kept beside the theme overrides. Their
#: ``.md`` names keep MkDocs from copying the templates into the site as static files.
GENERATED_PAGES = {
    "accessibility.md": "pages/accessibility.md",
    "reference/settings.md": "pages/settings.md",
    "reference/commands.md": "pages/commands.md",
}
#: The handbook's own assets live under a folder no other build step writes to.
ASSETS = "assets/handbook"
#: Other build steps make these; the handbook links to them with full addresses so that a
#: handbook-only ``mkdocs build --strict`` does not look for them among its own pages.
#: Kept here rather than imported, so that loading the plugin does not load the blog
#: builder; a test checks they match the steps' own constants.
BLOGS_PATH = "councillors/"
FOOTPRINT_PATH = "footprint-report/"
TOOLKIT_THEME = Path(__file__).resolve().parent.parent / "themes" / "handbook"


@dataclass(frozen=True)
class Stream:
    slug: str
    label: str
    page: str


STREAMS = {
    s.slug: s
    for s in [
        Stream("getting-started", "Getting started", "streams/getting-started.md"),
        Stream("confident", "Confident", "streams/confident.md"),
        Stream("leading", "Leading", "streams/leading.md"),
    ]
}


@dataclass(frozen=True)
class Exercise:
    """One action-learning exercise, found where a page marks it with ``{% call exercise(...) %}``."""

    number: str
    title: str
    streams: tuple[str, ...]
    page: str

    @property
    def anchor(self) -> str:
        return "exercise-" + self.number.replace(".", "-")

    @property
    def heading(self) -> str:
        return f"Exercise {self.number}: {self.title}"


@dataclass
class _PageInfo:
    src_uri: str
    title: str
    meta: dict[str, Any]
    exercises: list[Exercise] = field(default_factory=list)


class ProgrammePluginConfig(base.Config):
    programme = c.Type(str, default=PROGRAMME_FILE)
    """The programme file, relative to mkdocs.yml's folder unless absolute."""


class ProgrammePlugin(BasePlugin[ProgrammePluginConfig]):
    """Fills the handbook in from ``programme.yml``; see the module docstring."""

    def __init__(self) -> None:
        self.programme: Programme | None = None
        self.programme_path = Path(PROGRAMME_FILE)
        self.theme_dir = TOOLKIT_THEME
        self.site_url = ""
        self.pages: dict[str, _PageInfo] = {}
        self.exercises: list[Exercise] = []

    # -- MkDocs events ---------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        path = Path(self.config.programme)
        if not path.is_absolute():
            path = Path(config.config_file_path or ".").resolve().parent / path
        programme, problems = yamlfile.load(Programme, path)
        if problems or programme is None:
            raise PluginError("programme.yml is not valid:\n" + "\n".join(str(p) for p in problems))
        self.programme, self.programme_path = programme, path
        self.theme_dir = Path(config.theme.custom_dir or TOOLKIT_THEME)
        self.pages, self.exercises = {}, []

        config.site_name = programme.site.title
        # The build step passes the address it publishes to; a plain `mkdocs build` uses the programme's.
        if not config.site_url:
            config.site_url = programme.site.url
        config.site_url = self.site_url = config.site_url.rstrip("/") + "/"
        config.copyright = f"Published by {programme.council.name}"
        lead = f"The handbook for {programme.council.name}'s Networked Councillor programme"
        config.site_description = config.site_description or lead
        config.extra["handbook_cover"] = {"lead": lead, "cohort": programme.cohort.name}
        if programme.branding.logo:
            if problem := logo_problem(path.parent, programme.branding):
                raise PluginError(str(problem))
            config.theme["logo"] = f"{ASSETS}/{Path(programme.branding.logo).name}"
        # The print view is rendered without on_env's globals: what it needs travels in extra.
        config.extra["handbook_print"] = {
            "brand": brand_colours(programme.branding),
            "logo_alt": programme.branding.logo_alt or programme.council.name,
            "logo": f"{ASSETS}/{Path(programme.branding.logo).name}" if programme.branding.logo else None,
        }
        return config

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # After the print-site plugin (priority 0) has written the print view.
        from generator import printview

        printview.tidy(Path(config.site_dir))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        programme = self._programme()
        for src_uri, template in GENERATED_PAGES.items():
            if files.get_file_from_path(src_uri):
                raise PluginError(f"{src_uri} is written by the handbook itself: remove it from the docs folder")
            source = self._theme_file(template)
            files.append(File.generated(config, src_uri, content=source.read_text(encoding="utf-8")))
        logo = logo_file(self.programme_path.parent, programme.branding)
        if logo is not None:
            files.append(File.generated(config, f"{ASSETS}/{logo.name}", abs_src_path=str(logo)))
        self._council_pages(files, config)
        return files

    def _council_pages(self, files: Files, config: MkDocsConfig) -> None:
        """A council using the installed handbook replaces any page of it, or adds one, with a file
        of the same name in its own handbook/ folder (as Material's custom_dir does for templates)."""
        own = self.programme_path.parent / "handbook"
        # A programme folder with its own mkdocs.yml (this repository, or a copy of it) owns its whole handbook.
        if (self.programme_path.parent / "mkdocs.yml").is_file() or not own.is_dir():
            return
        for path in sorted(own.rglob("*.md")):
            src_uri = path.relative_to(own).as_posix()
            if src_uri.startswith(".") or "/." in src_uri:
                continue
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(File(src_uri, str(own), config.site_dir, config.use_directory_urls))

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Read every page once before any is built, so the stream pages can list the
        # exercises marked in the workshop pages whatever order MkDocs builds them in.
        self.pages, self.exercises = {}, []
        for file in files.documentation_pages():
            markdown, meta = get_data(file.content_string)
            info = _PageInfo(file.src_uri, _page_title(file, markdown), meta)
            self.pages[file.src_uri] = info
            self._render(markdown, file.src_uri, meta, url=file.url, collecting=info,
                         offset=_body_offset(file, markdown))
            self.exercises += info.exercises
        # Relative, like MkDocs' own links, so the handbook leads to the blogs wherever it is served.
        nav.items.append(Link("Councillors’ blogs", BLOGS_PATH))
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._render(markdown, page.file.src_uri, page.meta, url=page.file.url,
                            offset=_body_offset(page.file, markdown))

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        programme = self._programme()
        branding = programme.branding
        env.globals["handbook"] = {
            "council": programme.council,
            "brand": brand_colours(branding),
            "logo_alt": programme.branding.logo_alt or programme.council.name,
            "blogs_url": config.site_url + BLOGS_PATH,
            "blogs_path": BLOGS_PATH,
        }
        return env

    # -- Rendering pages -------------------------------------------------------------------

    def _programme(self) -> Programme:
        if self.programme is None:
            raise PluginError("the networked-councillor plugin ran before reading programme.yml")
        return self.programme

    def _theme_file(self, name: str) -> Path:
        path = self.theme_dir / name
        # A council's own mkdocs.yml may override only some templates and rely on the toolkit for the rest.
        return path if path.is_file() else TOOLKIT_THEME / name

    def _render(self, markdown: str, src_uri: str, meta: dict[str, Any], *, url: str,
                collecting: _PageInfo | None = None, offset: int = 0) -> str:
        env = _environment()
        try:
            template = env.from_string(markdown)
            return template.render(self._context(src_uri, url, meta, collecting))
        except jinja2.TemplateSyntaxError as error:
            raise PluginError(f"{src_uri}:{(error.lineno or 0) + offset}: {error.message}") from None
        except (jinja2.UndefinedError, TypeError, KeyError, ValueError) as error:
            line = _template_line(error)
            where = f"{src_uri}:{line + offset}" if line else src_uri
            raise PluginError(f"{where}: {error}") from None

    def _context(self, src_uri: str, url: str, meta: dict[str, Any], collecting: _PageInfo | None) -> dict[str, Any]:
        programme = self._programme()
        site_url = self.site_url
        workshops = {w.number: w for w in programme.cohort.workshops}
        counter = iter(range(1, 1000))

        def link(target: str, anchor: str = "") -> str:
            """A Markdown link target from this page to another, which MkDocs checks and rewrites."""
            rel = posixpath.relpath(target, posixpath.dirname(src_uri) or ".")
            return rel + (f"#{anchor}" if anchor else "")

        def beside(target: str) -> str:
            """A link from this page (at ``url``) to a part of the site beside the handbook, such as the
            blogs: relative like MkDocs' own links, so it leads to that part of whichever copy of the site
            is open (a preview, a staging copy), not to the published one. MkDocs leaves it as it is."""
            here = url if url.endswith("/") else posixpath.dirname(url)
            return posixpath.relpath(target, here or ".") + ("/" if target.endswith("/") else "")

        def exercise(title: str, *streams: str, caller: Callable[[], str]) -> Markup:
            unknown = [s for s in streams if s not in STREAMS]
            if unknown or not streams:
                known = ", ".join(STREAMS)
                raise ValueError(f"exercise '{title}' needs streams from {known} (got {unknown or 'none'})")
            prefix = f"{meta['workshop']}." if "workshop" in meta else ""
            item = Exercise(f"{prefix}{next(counter)}", title, tuple(streams), src_uri)
            if collecting is not None:
                collecting.exercises.append(item)
            badges = " ".join(
                f'[{STREAMS[s].label}]({link(STREAMS[s].page)}){{ .nc-stream .nc-stream--{s} }}' for s in streams
            )
            return Markup(
                f'<div class="nc-exercise" markdown>\n\n'
                f"### {escape(item.heading)} {{ #{item.anchor} }}\n\n"
                f"**Skill streams:** {badges}\n{{ .nc-streams }}\n\n"
                f"{caller().strip()}\n\n</div>\n"
            )

        def stream_path(stream: str) -> Markup:
            if collecting is not None:
                return Markup("")
            if stream not in STREAMS:
                raise ValueError(f"'{stream}' is not a stream ({', '.join(STREAMS)})")
            lines: list[str] = []
            by_page: dict[str, list[Exercise]] = {}
            for item in self.exercises:
                if stream in item.streams:
                    by_page.setdefault(item.page, []).append(item)
            for page, items in by_page.items():
                lines += [f"## {escape(self.pages[page].title)}", ""]
                lines += [f"- [{escape(i.heading)}]({link(page, i.anchor)})" for i in items]
                lines.append("")
            guides = [p for p in self.pages.values() if stream in p.meta.get("streams", [])]
            if guides:
                lines += ["## Guides and pages for this stream", ""]
                lines += [f"- [{escape(p.title)}]({link(p.src_uri)})" for p in guides]
            return Markup("\n".join(lines))

        return {
            "programme": programme,
            "council": programme.council,
            "site": programme.site,
            "cohort": programme.cohort,
            "workshops": workshops,
            "contacts": programme.contacts,
            "pre_election": programme.pre_election,
            "accessibility": programme.accessibility,
            "branding": programme.branding,
            "site_url": site_url,
            # Links to the rest of the site. The site's own address and the writing screen's stay whole
            # (below): the pages show them as addresses to note down.
            "blogs_url": beside(BLOGS_PATH),
            "footprint_url": beside(FOOTPRINT_PATH),
            "writing_screen": screen_url(programme, site_url),
            "writing_screen_policy": content_security_policy(),
            "streams": STREAMS,
            "networks": NETWORKS,
            "page": {"src_uri": src_uri, "meta": meta},
            "link": link,
            "exercise": exercise,
            "stream_path": stream_path,
            "when_and_where": lambda number: when_and_where(programme, workshops.get(number), number),
            "session_plan": lambda number, rows: session_plan(workshops.get(number), rows),
            "worksheet": worksheet,
            "contact_list": lambda: contact_list(programme),
            "settings_reference": settings_reference,
            "command_reference": command_reference,
        }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Markdown's attribute lists write `{#id}`; Jinja's comments would swallow them.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["longdate"] = long_date
    return env


def _page_title(file: File, markdown: str) -> str:
    page = file.page
    if page is not None and page.title:
        return str(page.title)
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return file.name


def _body_offset(file: File, markdown: str) -> int:
    """How many lines of front matter come before ``markdown`` in its file."""
    source = file.content_string
    at = source.find(markdown[:200]) if markdown else -1
    return source[:at].count("\n") if at > 0 else 0


def _template_line(error: BaseException) -> int | None:
    tb = error.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# -- Helpers the pages call -----------------------------------------------------------------

def long_date(day: dt.date) -> str:
    """'Tuesday 19 January 2027', the way UK council papers write dates."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def when_and_where(programme: Programme, workshop: Workshop | None, number: int) -> Markup:
    cohort = escape(programme.cohort.name)
    if workshop is None:
        who = programme.contacts[0].name if programme.contacts else "your council's member support team"
        return Markup(
            f'!!! info "When and where: to be confirmed"\n\n'
            f"    {escape(programme.council.name)} has not set a date for workshop {number} of the "
            f"{cohort} yet. {escape(who)} will let you know when it is booked.\n"
        )
    return Markup(
        f'!!! info "When and where: {cohort}"\n\n'
        f"    **{long_date(workshop.date)}**, {_clock(_minutes(workshop.start))} to "
        f"{_clock(_minutes(workshop.end))}  \n"
        f"    {escape(workshop.venue)}\n"
    )


def session_plan(workshop: Workshop | None, rows: Iterable[tuple[int, str, str]]) -> Markup:
    """A session plan table; with a date set, each row shows its clock time from the start time."""
    rows = list(rows)
    start = _minutes(workshop.start) if workshop else 0
    lines = ["| Time | Session | What happens |", "| --- | --- | --- |"]
    at = start
    for minutes, title, detail in rows:
        when = f"{_clock(at)} to {_clock(at + minutes)}" if workshop else f"{minutes} minutes"
        lines.append(f"| {when} | **{escape(title)}** | {escape(detail)} |")
        at += minutes
    planned = sum(r[0] for r in rows)
    text = "\n".join(lines) + "\n"
    if workshop and _minutes(workshop.end) - start != planned:
        booked = _minutes(workshop.end) - start
        text += (
            # For the trainer: nc-trainer keeps it off the councillors' printed handout.
            f'\n!!! note nc-trainer "For the trainer: fitting the plan to your booking"\n\n'
            f"    This plan takes {planned} minutes and the room is booked for {booked}. "
            "Shorten or lengthen the exercises rather than the breaks.\n"
        )
    return Markup(text)


def worksheet(title: str, prompts: Iterable[str], anchor: str) -> Markup:
    """A worksheet that prints on its own page with space to write after each prompt."""
    rows = "".join(
        f'<tr><th scope="row">{escape(prompt)}</th><td></td></tr>' for prompt in prompts
    )
    return Markup(
        f'<div class="nc-worksheet" markdown>\n\n'
        f"### {escape(title)} {{ #{anchor} }}\n\n"
        '<p class="nc-worksheet__fields">Name: <span class="nc-blank"></span> '
        'Date: <span class="nc-blank"></span></p>\n\n'
        f'<table class="nc-write-in"><thead><tr><th scope="col">Question</th>'
        f'<th scope="col">Your notes</th></tr></thead><tbody>{rows}</tbody></table>\n\n'
        "</div>\n"
    )


def contact_list(programme: Programme) -> Markup:
    if not programme.contacts:
        return Markup(f"{escape(programme.council.name)} has not listed contacts for the programme yet.\n")
    lines = []
    for person in programme.contacts:
        ways = []
        if person.email:
            ways.append(f"[{escape(person.email)}](mailto:{escape(person.email)})")
        if person.phone:
            digits = "".join(ch for ch in person.phone if ch.isdigit() or ch == "+")
            ways.append(f"[{escape(person.phone)}](tel:{digits})")
        reach = f": {' or '.join(ways)}" if ways else ""
        lines.append(f"- **{escape(person.name)}**, {escape(person.role)}{reach}")
    return Markup("\n".join(lines) + "\n")


# -- The settings reference -----------------------------------------------------------------

#: Each file a council or councillor writes, with the model that reads it.
SETTINGS_FILES: list[tuple[str, str, type[BaseModel]]] = [
    ("programme.yml", "programme-yml", Programme),
    ("councillor_blogs/<slug>/councillor.yml", "councillor-yml", Councillor),
    ("A post's front matter", "front-matter", FrontMatter),
    ("A council news item's front matter (council_content/)", "council-item", ItemFrontMatter),
]


@dataclass(frozen=True)
class Setting:
    path: str
    kind: str
    description: str
    default: str


def _strip_none(annotation: Any) -> Any:
    """The type a setting holds, without ``| None`` or the validators attached with Annotated."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip_none(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_none(args[0])
    return annotation


def _describe(annotation: Any) -> tuple[str, type[BaseModel] | None, str]:
    """(what to write, a model whose settings nest under this one, how its paths continue)."""
    annotation = _strip_none(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args), None, ""
    if origin is list:
        inner, model, _ = _describe(args[0])
        if model:
            return "a list; each item has the settings below", model, "[]"
        return f"a list, each {inner}", None, ""
    if origin is dict:
        inner, model, _ = _describe(args[1])
        if model:
            return "one entry per network name; each has the settings below", model, ".<network>"
        return f"network name: {inner}", None, ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a group of the settings below", annotation, ""
    names = {
        str: "text",
        bool: "`true` or `false`",
        int: "a whole number",
        dt.date: "a date (YYYY-MM-DD)",
        dt.datetime: "a date, or a date and time (YYYY-MM-DD HH:MM)",
    }
    return names.get(annotation, "text"), None, ""


def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.default
    if value in (None, [], {}, ""):
        return "optional"
    if isinstance(value, BaseModel):
        return "optional"
    if isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"optional, default `{value}`"


def settings(model: type[BaseModel], prefix: str = "") -> list[Setting]:
    """Every setting of ``model`` and the models inside it, parents before children."""
    found: list[Setting] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind, nested, suffix = _describe(info.annotation)
        found.append(Setting(path, kind, info.description or "", _default(info)))
        if nested is not None:
            found += settings(nested, f"{path}{suffix}.")
    return found


def settings_reference() -> Markup:
    parts = []
    for title, anchor, model in SETTINGS_FILES:
        # Escaped, or a '<slug>' in a file's name becomes an element that swallows the rest of the page.
        parts += [f"## {escape(title)} {{ #{anchor} }}", "", escape(" ".join((model.__doc__ or "").split())), ""]
        for s in settings(model):
            parts += [f"`{s.path}`", f":   {escape(s.description)}  ", f"    *{s.kind}; {s.default}*", ""]
    return Markup("\n".join(parts))


def command_reference() -> Markup:
    """Every ``councillor`` command with its options, read from the command line tool itself."""
    import click

    from generator.cli import main

    parts = []
    for name, command in sorted(main.commands.items()):
        usage = " ".join(command.collect_usage_pieces(click.Context(command)))
        parts += [f"## `councillor {name}` {{ #{name} }}", "", escape(command.help or ""), "",
                  f"```text\ncouncillor {name} {usage}\n```", ""]
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                flags = ", ".join(f"`{flag}`" for flag in param.opts + param.secondary_opts)
                parts += [flags, f":   {escape(param.help or '')}", ""]
    return Markup("\n".join(parts))


# -- The build step -------------------------------------------------------------------------

def _rename_sitemap(output: Path) -> None:
    """The root sitemap.xml indexes every part's sitemap (generator.sitemaps): the handbook's moves aside."""
    from generator.sitemaps import HANDBOOK_SITEMAP

    (output / "sitemap.xml").replace(output / HANDBOOK_SITEMAP)
    # The compressed copy would be a second, stale handbook sitemap under the old name.
    (output / "sitemap.xml.gz").unlink(missing_ok=True)


def build_handbook(project: Project, output: Path, site_url: str, strict: bool = False) -> None:
    """Build the handbook into ``output``, which becomes the root of the site."""
    config_file = toolkit_dir(project.root) / MKDOCS_FILE
    try:
        config = load_config(
            config_file=str(config_file),
            site_dir=str(output),
            site_url=site_url,
            site_name=project.programme.site.title,
            strict=strict,
        )
        plugin = config.plugins.get(PLUGIN_NAME)
        if not isinstance(plugin, ProgrammePlugin):
            raise BuildError(f"{config_file} must list the '{PLUGIN_NAME}' plugin under 'plugins:'")
        # The toolkit's mkdocs.yml serves every council: point it at this programme's file.
        plugin.config.programme = str(project.root / PROGRAMME_FILE)
        mkdocs_build(config)
        _rename_sitemap(output)
    except MkDocsException as error:
        raise BuildError(f"the handbook ({config_file}) did not build: {error}") from None
