"""Where a programme's files live, and which of them each part of the site is built from.

Kept apart from the settings' models so that code which only needs to find files (the quick
"nothing changed" check, the build cache) can do so without loading the models.
"""

from __future__ import annotations

from pathlib import Path

#: Where the site is built, and where the build keeps what it reuses, in the programme folder.
SITE_DIR = "site"
WORK_DIR = ".build-cache"
#: In WORK_DIR: what the last build published into the site folder (``generator.build.publish``).
PUBLISHED_RECORD = "site.json"

PROGRAMME_FILE = "programme.yml"
BLOGS_DIR = "councillor_blogs"
COUNCILLOR_FILE = "councillor.yml"
BRANDING_DIR = "branding"

#: What the steps read from the programme folder, besides each blog's own folder.
PROGRAMME_INPUTS = [PROGRAMME_FILE, BRANDING_DIR, "council_content", "footprint"]
#: What each step reads from the toolkit (each from the programme folder, or as installed: ``toolkit_path``).
HANDBOOK_TOOLKIT_INPUTS = ["mkdocs.yml", "handbook", "themes/handbook"]
BLOG_TOOLKIT_INPUTS = ["themes/blog"]
COUNCIL_TOOLKIT_INPUTS = ["themes/council"]
#: The writing screen reads the blog theme's styles for its preview.
ADMIN_TOOLKIT_INPUTS = ["themes/admin", "themes/blog/static/css"]

#: The toolkit's mkdocs.yml, handbook and themes as installed (generator/_toolkit: in a checkout,
#: links to its top-level folders; in an installed wheel, the files themselves).
INSTALLED_TOOLKIT = Path(__file__).resolve().parent.parent / "_toolkit"


def toolkit_dir(root: Path) -> Path:
    """Where mkdocs.yml and handbook/ live: the programme folder if it has its own mkdocs.yml
    (it owns its whole handbook), otherwise the ones installed with the toolkit."""
    if (root / "mkdocs.yml").is_file():
        return root
    return INSTALLED_TOOLKIT


def toolkit_path(root: Path, name: str) -> Path:
    """The toolkit's file or folder ``name`` (``themes/blog/static/css``, say): from the programme
    folder with its own mkdocs.yml if it has that theme (or top-level file or folder) itself, else
    as installed. So a council that copied only the handbook (``councillor init --copy-handbook``)
    keeps the installed blog, council and writing-screen themes, and gets their updates."""
    parts = Path(name).parts
    unit = Path(*parts[:2]) if parts[0] == "themes" else Path(parts[0])
    own = toolkit_dir(root)
    return (own if (own / unit).exists() else INSTALLED_TOOLKIT) / name
