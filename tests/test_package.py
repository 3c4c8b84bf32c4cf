"""A council adopts the toolkit as a user would: the wheel, installed where setuptools is not, outside any checkout.

Builds the wheel, installs it into a fresh virtual environment without setuptools (so without
``pkg_resources``), starts a council with ``councillor init`` in an empty folder, adds two
councillors and a post, builds, and checks the site: links whole, feeds that parse, and every
kind of page accessible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from tests.conftest import REPO
from tests.support.browser import axe_violations, describe, open_page
from tests.support.links import broken_links
from tests.support.server import serve

pytestmark = pytest.mark.servers

#: What the wheel is built from: the package and the top-level folders its _toolkit links to.
SOURCES = ["pyproject.toml", "README.md", "generator", "themes", "handbook", "mkdocs.yml", "programme.yml",
           "branding", "councillor_blogs", "council_content", "footprint", ".github"]
SITE_URL = "https://ashby-council.github.io/councillors/"
COUNCIL = ["--council-name", "Ashby Borough Council", "--short-name", "Ashby", "--council-url",
           "https://www.ashby.example/", "--site-url", SITE_URL, "--contact-email", "web.team@ashby.example"]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900,
                            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")})
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def councillor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``councillor`` command of the wheel, installed into a fresh venv with no setuptools."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "node_modules", "site", ".build-cache"))
        else:
            shutil.copy2(src, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", source, cwd=work)
    wheel = next((work / "dist").glob("networked_councillor-*.whl"))
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=work)
    if subprocess.run([python, "-c", "import setuptools"], capture_output=True).returncode == 0:
        run(sys.executable, "-m", "pip", "--python", python, "uninstall", "-y", "-q", "setuptools", cwd=work)
    assert subprocess.run([python, "-c", "import pkg_resources"], capture_output=True).returncode != 0
    return venv / "bin" / "councillor"


def test_a_new_council_starts_empty_and_builds_from_the_installed_wheel(councillor: Path, tmp_path: Path, browser):
    empty = tmp_path / "empty"
    empty.mkdir()
    run(councillor, "init", "ashby", *COUNCIL, cwd=empty)
    root = empty / "ashby"
    version = run(councillor, "--version", cwd=empty).stdout.split()[-1]
    assert (root / "requirements.txt").read_text().splitlines()[-1] == f"networked-councillor=={version}"
    assert sorted(p.name for p in (root / "councillor_blogs").iterdir()) == [".gitkeep"]
    for name in (".github/workflows/pages.yml", ".github/dependabot.yml", ".gitignore", "README.md"):
        assert (root / name).is_file(), name
    workflow = (root / ".github/workflows/pages.yml").read_text()
    assert "pip install -r requirements.txt" in workflow and "pip install .\n" not in workflow
    programme = (root / "programme.yml").read_text()
    assert "name: Ashby Borough Council" in programme and programme.count("\n#") > 5, "commented"
    assert not (root / "mkdocs.yml").exists() and not (root / "themes").exists(), "the toolkit stays installed"

    # An empty council builds, and says plainly there is nobody yet.
    run(councillor, "build", "--root", root, cwd=empty)
    site = root / "site"
    assert "no councillors on the programme yet" in (site / "councillors" / "index.html").read_text()
    assert "no councillors on the programme yet" in (site / "footprint-report" / "index.html").read_text()
    assert broken_links(site, SITE_URL) == []
    with serve(site, "/councillors/") as url:
        for path in ("", "councillors/", "footprint-report/", "hub/"):
            violations = axe_violations(open_page(browser, url + path).page)
            assert violations == [], f"{path}\n{describe(violations)}"

    # Two councillors (one on X, counted by twitter-text without pkg_resources), a post, and the
    # council's own version of one handbook page.
    run(councillor, "new", "--root", root, "--ward", "North", "--email", "ann.lee@councillors.ashby.example",
        "--x", "annlee", "--bluesky", "annlee.bsky.social", "Ann Lee", cwd=empty)
    run(councillor, "new", "--root", root, "--ward", "South", "--phone", "01632 960 111", "Raj Mehta", cwd=empty)
    post = Path(run(councillor, "post", "--root", root, "ann-lee", "New crossing on Mill Road",
                    "--date", "2026-01-15", cwd=empty).stdout.strip())
    post.write_text(post.read_text().replace("Write your post here.", "The crossing opens in March.") + "\n")
    (root / "handbook" / "councils").mkdir(parents=True)
    (root / "handbook" / "councils" / "kit.md").write_text("# Kit\n\nAshby lends iPads from the members' room.\n")
    run(councillor, "build", "--root", root, cwd=empty)

    assert broken_links(site, SITE_URL) == []
    assert "Ashby lends iPads" in (site / "councils" / "kit" / "index.html").read_text()
    for feed in [*site.glob("councillors/*/feeds/all.atom.xml"), site / "hub" / "feed.atom.xml"]:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.bozo_exception)
    assert len(list(site.glob("councillors/*/feeds/all.atom.xml"))) == 2
    pages = ["", "programme/", "councillors/", "councillors/ann-lee/",
             "councillors/ann-lee/2026/01/new-crossing-on-mill-road/", "councillors/ann-lee/tags/",
             "councillors/ann-lee/about/", "councillors/raj-mehta/archives/", "hub/", "news/",
             "footprint-report/", "footprint-report/ann-lee/"]
    with serve(site, "/councillors/") as url:
        for path in pages:
            assert (site / path / "index.html").is_file(), path
            visit = open_page(browser, url + path)
            violations = axe_violations(visit.page)
            assert violations == [], f"{path}\n{describe(violations)}"
            assert visit.console_errors == [], (path, visit.console_errors)


def test_a_council_with_its_own_copy_of_the_handbook_builds_from_the_installed_wheel(councillor: Path,
                                                                                     tmp_path: Path):
    """--copy-handbook from the wheel: the copied theme, and the installed one behind it, are found."""
    run(councillor, "init", "ashby", *COUNCIL, "--copy-handbook", cwd=tmp_path)
    root = tmp_path / "ashby"
    assert (root / "mkdocs.yml").is_file() and sorted(p.name for p in (root / "themes").iterdir()) == ["handbook"]
    index = root / "handbook" / "index.md"
    index.write_text(index.read_text() + "\nAshby's own welcome.\n")
    # A council may trim the copied theme: what it removes comes from the installed toolkit.
    (root / "themes" / "handbook" / "pages" / "commands.md").unlink()
    run(councillor, "new", "--root", root, "--ward", "North", "--phone", "01632 960 111", "Raj Mehta", cwd=tmp_path)
    run(councillor, "build", "--root", root, "--strict", cwd=tmp_path)
    site = root / "site"
    assert "Ashby’s own welcome." in (site / "index.html").read_text() or "Ashby's own welcome." in (
        site / "index.html").read_text()
    assert "councillor build" in (site / "reference" / "commands" / "index.html").read_text()
    assert (site / "councillors" / "raj-mehta" / "index.html").is_file()
    assert broken_links(site, SITE_URL) == []
