"""Build the programme handbook with MkDocs' Python API."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.config import Project, toolkit_dir
from generator.exceptions import BuildError

MKDOCS_FILE = "mkdocs.yml"


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
        mkdocs_build(config)
    except MkDocsException as error:
        raise BuildError(f"the handbook ({config_file}) did not build: {error}") from None
