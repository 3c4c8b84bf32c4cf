"""Shared fixtures: a throwaway copy of the example programme, the CLI, a served site, a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from generator.commands import main
from tests.support import browser as browser_support
from tests.support.server import serve

# On a developer's machine the property tests try new random cases on every run, and a case
# they find is kept as an @example; CI runs a fixed set, so the same commit gives the same result.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ["programme.yml", "branding", "councillor_blogs", "council_content", "footprint"]


def copy_example(dest: Path) -> Path:
    """A copy of the example programme (the handbook and themes still come from the toolkit)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".*"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


#: Fixtures that start Chromium, or a real server in another process (Node, PostgreSQL), by the marker
#: their tests get: ``pytest -m "not browser and not servers"`` is the fast tier for everyday work.
SLOW_FIXTURES = {"browser": "browser", "pds": "servers", "appview": "servers"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in SLOW_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, marker))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example programme, safe to edit and build."""
    return copy_example(tmp_path / "programme")


def run_cli(*args: str | Path) -> Result:
    """Run the ``councillor`` command in-process, as a user would type it."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def run_cli_process(*args: str | Path, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m generator`` as a separate process: exit code, stdout and stderr as a user sees them."""
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example programme built once and served on loopback under /networked-councillor/."""
    root = copy_example(tmp_path_factory.mktemp("served") / "programme")
    site = root / "site"
    site.mkdir()
    with serve(site, "/networked-councillor/") as url:
        result = run_cli("build", "--root", root, "--base-url", url)
        assert result.exit_code == 0, result.output
        yield site, url


@pytest.fixture(autouse=True)
def _close_pages() -> Iterator[None]:
    """Every page a test opened with ``open_page`` is closed when the test ends."""
    yield
    browser_support.close_pages()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser_support.chromium_path(),
                                     args=browser_support.CHROMIUM_ARGS)
        yield chromium
        chromium.close()
