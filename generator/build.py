"""The build, top to bottom: config -> handbook -> blogs -> council pages -> publish.

This is the only place that knows the order of the steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator import blogs, council, handbook, publish
from generator.config import Project, load_project
from generator.exceptions import BuildError, ConfigError, Problem

log = logging.getLogger("generator")

SITE_DIR = "site"
WORK_DIR = ".build-cache"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    site_url: str
    pages: int


def site_url_for(project: Project, base_url: str | None) -> str:
    url = base_url or project.programme.site.url
    return url.rstrip("/") + "/"


def validate(project: Project) -> None:
    """Check everything a build reads before building anything."""
    problems: list[Problem] = blogs.validate(project) + council.validate(project)
    logo = project.programme.branding.logo
    if logo and not (project.root / logo).is_file():
        problems.append(Problem(project.root / "programme.yml", None, f"the logo '{logo}' is not there",
                                "put the logo file beside programme.yml, or remove 'logo:' under branding"))
    if problems:
        raise ConfigError(problems)


@contextmanager
def _strict_warnings(strict: bool) -> Iterator[list[logging.LogRecord]]:
    """In --strict mode a warning from our own steps fails the build, as in MkDocs."""
    warnings: list[logging.LogRecord] = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record)

    handler = Count(logging.WARNING)
    log.addHandler(handler)
    try:
        yield warnings
    finally:
        log.removeHandler(handler)
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warning(s) in strict mode; site/ was not changed")


def build(root: Path, site_dir: Path | None = None, base_url: str | None = None,
          strict: bool = False, day: dt.date | None = None) -> BuildResult:
    """Build the whole site for the programme in ``root``; ``site/`` changes only on success.

    ``day`` is the date the council pages treat as today (default: today), e.g. to see the
    hub as it will be in the pre-election period.
    """
    project = load_project(root)
    validate(project)
    site_dir = (site_dir or project.root / SITE_DIR).resolve()
    site_url = site_url_for(project, base_url)
    parts_dir = project.root / WORK_DIR / "parts"
    shutil.rmtree(parts_dir, ignore_errors=True)

    with _strict_warnings(strict), publish.staging_area(site_dir) as staging:
        parts = [publish.Part(parts_dir / "handbook", "", "the handbook")]
        handbook.build_handbook(project, parts[0].source, site_url, strict)
        for blog in project.blogs:
            part = publish.Part(parts_dir / "blogs" / blog.slug, f"{blogs.BLOGS_URL_PATH}/{blog.slug}",
                                f"the blog in {blog.folder.relative_to(project.root)}")
            blogs.build_blog(project, blog, part.source, site_url, strict)
            parts.append(part)
        parts.append(publish.Part(parts_dir / "council", "", "the council pages"))
        council.build_council_pages(project, parts[-1].source, site_url, day)
        written = publish.assemble(parts, staging)
        publish.swap(staging, site_dir)
    log.debug("Built %d files into %s for %s", len(written), site_dir, site_url)
    return BuildResult(site_dir=site_dir, site_url=site_url, pages=sum(1 for p in written if p.endswith(".html")))
