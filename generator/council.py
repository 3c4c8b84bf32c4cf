"""The council's own pages: the councillors index (and the council hub, short links and reports)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.blogs import BLOGS_URL_PATH, councillor_context
from generator.colours import brand_colours
from generator.config import Project, toolkit_dir


def environment(project: Project) -> Environment:
    themes = toolkit_dir(project.root) / "themes"
    return Environment(
        loader=FileSystemLoader([themes / "council" / "templates"]),
        autoescape=select_autoescape(),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_context(project: Project, site_url: str) -> dict[str, Any]:
    programme = project.programme
    logo = programme.branding.logo
    return {
        "council": programme.council,
        "site": programme.site,
        "site_url": site_url,
        "brand": brand_colours(programme.branding),
        "logo_url": f"{site_url}assets/{Path(logo).name}" if logo else None,
        "logo_alt": programme.branding.logo_alt or programme.council.name,
    }


def build_council_pages(project: Project, output: Path, site_url: str) -> None:
    """Write the councillors index and the shared assets into ``output``."""
    env = environment(project)
    context = page_context(project, site_url)
    councillors = sorted(
        (councillor_context(project, blog, site_url) for blog in project.blogs),
        key=lambda c: (c["ward"], c["name"]),
    )
    wards: dict[str, list[dict[str, Any]]] = {}
    for c in councillors:
        wards.setdefault(c["ward"], []).append(c)
    _write(output / BLOGS_URL_PATH / "index.html",
           env.get_template("councillors.html").render(**context, wards=wards, page_url=f"{site_url}{BLOGS_URL_PATH}/"))
    if project.programme.branding.logo:
        logo = project.root / project.programme.branding.logo
        (output / "assets").mkdir(parents=True, exist_ok=True)
        shutil.copy2(logo, output / "assets" / logo.name)
    static = toolkit_dir(project.root) / "themes" / "council" / "static"
    if static.is_dir():
        shutil.copytree(static, output / "assets" / "council", dirs_exist_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
