"""The MkDocs plugin that fills the handbook in from ``programme.yml``.

The handbook's Markdown never names a council. ``ProgrammePlugin`` reads ``programme.yml``
and fills pages in as MkDocs reads them (Jinja in the Markdown), so a second council's
folder gets its own handbook from the same pages. It also makes the pages that are
better generated than written: the accessibility statement and the settings reference.
Everything that touches MkDocs is here and in ``generator.steps.handbook``.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from generator.inputs import yamlfile
from generator.inputs.colours import brand_colours
from generator.inputs.config import Programme, logo_file, logo_problem
from generator.inputs.layout import INSTALLED_TOOLKIT, PROGRAMME_FILE
from generator.inputs.networks import NETWORKS
from generator.steps import printview
from generator.steps.admin import content_security_policy, screen_url
from generator.steps.handbook_pages import contact_list, long_date, session_plan, when_and_where, worksheet
from generator.steps.reference import command_reference, settings_reference

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
#: The installed handbook theme: the templates a council's own theme folder leaves out come from here.
TOOLKIT_THEME = INSTALLED_TOOLKIT / "themes" / "handbook"


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
        # Long because the helpers a page calls (link, exercise, stream_path) close over that page's own
        # address and front matter; each is short.
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


