"""The handbook step: MkDocs + Material builds the handbook into the root of the site.

The pages are filled in for each council by the plugin in ``generator.steps.handbook_plugin``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.exceptions import BuildError
from generator.inputs.config import Project
from generator.inputs.layout import PROGRAMME_FILE, toolkit_dir
from generator.steps.handbook_plugin import ProgrammePlugin
from generator.steps.sitemaps import HANDBOOK_SITEMAP

MKDOCS_FILE = "mkdocs.yml"
PLUGIN_NAME = "networked-councillor"


def _rename_sitemap(output: Path) -> None:
    """The root sitemap.xml indexes every part's sitemap (generator.sitemaps): the handbook's moves aside."""
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
