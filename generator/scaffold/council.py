"""``councillor init``: a new council's own repository, built with the installed toolkit.

The toolkit itself (its code, themes, default handbook and MkDocs configuration) stays in the
installed package, pinned in ``requirements.txt``; the council's repository holds only what is
its own, so upgrades arrive as one-line pull requests from Dependabot.

With ``--copy-handbook`` the council owns its whole handbook instead: the handbook's pages,
``mkdocs.yml`` and the handbook's theme (which ``mkdocs.yml`` names) are copied in, to edit
freely, and an upgrade no longer changes them. The blogs' and council pages' themes stay
installed (``generator.inputs.layout.toolkit_path``).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from pydantic import ValidationError

from generator import __version__
from generator.exceptions import CouncillorError
from generator.inputs.config import Site
from generator.scaffold.blog import EMAIL, yaml_scalar

TEMPLATES = Path(__file__).parent.parent / "templates" / "council"
#: The toolkit's own files as installed (see generator.inputs.layout.toolkit_dir).
TOOLKIT = (Path(__file__).parent.parent / "_toolkit").resolve()
PACKAGE = "networked-councillor"
#: The Fenmarsh example's own files, copied by --example.
EXAMPLE_FILES = ["programme.yml", "branding", "councillor_blogs", "council_content", "footprint"]
#: The whole handbook, copied by --copy-handbook: mkdocs.yml names the theme folder as its custom_dir.
HANDBOOK_FILES = ["mkdocs.yml", "handbook", "themes/handbook"]
#: What the web team's README says of the handbook, by route.
HANDBOOK_ROUTES = {
    False: "- `handbook/`: the handbook comes with the toolkit, and each upgrade brings its updates. To\n"
           "  replace one of its pages with your council's version, put a page here with the same name\n"
           "  (for example `handbook/councils/kit.md`); a new name adds a page.",
    True: "- `handbook/`, `mkdocs.yml` and `themes/handbook/`: this repository has its own copy of the whole\n"
          "  handbook (it was started with `councillor init --copy-handbook`), so edit any page here.\n"
          "  Upgrading the toolkit does not change your copy: the toolkit's CHANGELOG says when its handbook\n"
          "  changed, for you to copy across what you want. The blogs' and council pages' designs still\n"
          "  come with the toolkit.",
}
WORKFLOW = Path(".github") / "workflows" / "pages.yml"
#: Where the installed toolkit keeps the workflows (this repository's own .github/workflows).
PACKAGED_WORKFLOW = Path("workflows") / "pages.yml"


@dataclass(frozen=True)
class Council:
    """What ``init`` asks for: every value is also an option of the command."""

    name: str
    short_name: str
    url: str
    site_url: str
    contact_email: str


def installed_version() -> str:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return __version__


def check(council: Council) -> None:
    """Refuse values the build would reject, before anything is written."""
    if len(council.name.strip()) < 2:
        raise CouncillorError("the council's name needs at least two letters")
    for label, url in (("--council-url", council.url), ("--site-url", council.site_url)):
        try:
            Site(url=url)
        except ValidationError:
            raise CouncillorError(f"{label} '{url}' is not a web address: give it in full, starting https://") from None
    if not EMAIL.match(council.contact_email):
        raise CouncillorError(f"--contact-email '{council.contact_email}' is not an email address")


def programme_yml(council: Council, today: dt.date) -> str:
    q = yaml_scalar
    # Placeholder workshop dates a few weeks apart, from a month ahead: valid, and plainly to be changed.
    first = today + dt.timedelta(days=28)
    values = {
        "council_name": q(council.name), "short_name": q(council.short_name), "council_url": q(council.url),
        "site_url": q(council.site_url), "site_title": q(f"{council.short_name} Networked Councillor"),
        "cohort_name": q(f"{first:%B %Y} cohort"), "contact_email": q(council.contact_email),
        "today": today.isoformat(),
        **{f"workshop_{n}": (first + dt.timedelta(weeks=4 * (n - 1))).isoformat() for n in (1, 2, 3)},
    }
    return Template((TEMPLATES / "programme.yml").read_text(encoding="utf-8")).substitute(values)


def council_workflow() -> str:
    """The toolkit's Pages workflow, installing the pinned toolkit rather than a checkout of it."""
    text = (TOOLKIT / PACKAGED_WORKFLOW).read_text(encoding="utf-8")
    if text.count("pip install .\n") < 2:
        raise CouncillorError("the packaged Pages workflow has changed shape; reinstall the toolkit")
    return text.replace("pip install .\n", "pip install -r requirements.txt\n")


def init(folder: Path, council: Council | None, example: bool = False, today: dt.date | None = None,
         copy_handbook: bool = False) -> list[Path]:
    """Write a new council's repository into ``folder`` (new or empty); returns the files written.

    ``copy_handbook``: copy the whole handbook in for the council to own, rather than use the installed one."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CouncillorError(f"{folder} is not empty, so nothing was written: give a new folder's name")
    if council is not None:
        check(council)
    today = today or dt.date.today()
    version = installed_version()
    files: dict[Path, str] = {
        Path("requirements.txt"): f"# The toolkit that builds this site; Dependabot proposes each new version.\n"
                                  f"{PACKAGE}=={version}\n",
        Path(".gitignore"): (TEMPLATES / "gitignore").read_text(encoding="utf-8"),
        Path(".github") / "dependabot.yml": (TEMPLATES / "dependabot.yml").read_text(encoding="utf-8"),
        WORKFLOW: council_workflow(),
    }
    if not copy_handbook:
        files[Path("handbook") / ".gitkeep"] = ""
    if example:
        name, title = "Fenmarsh District Council", "Fenmarsh Networked Councillor"
    else:
        assert council is not None
        name, title = council.name, f"{council.short_name} Networked Councillor"
        files[Path("programme.yml")] = programme_yml(council, today)
        files[Path("councillor_blogs") / ".gitkeep"] = ""
        files[Path("council_content") / ".gitkeep"] = ""
    files[Path("README.md")] = Template((TEMPLATES / "README.md").read_text(encoding="utf-8")).substitute(
        council_name=name, site_title=title, version=version, handbook=HANDBOOK_ROUTES[copy_handbook])
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    written = [folder / path for path in files]
    for item in (EXAMPLE_FILES if example else []) + (HANDBOOK_FILES if copy_handbook else []):
        src, dest = TOOLKIT / item, folder / item
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        written.append(dest)
    return written
