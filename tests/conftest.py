"""Shared fixtures: a throwaway copy of the example programme, the CLI, a served site, a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: each worker builds its own
    fcntl = None
from click.testing import CliRunner, Result
from hypothesis import settings

from generator.commands import main
from tests.support import browser as browser_support
from tests.support.helpers import tree
from tests.support.server import serve_after

# On a developer's machine the property tests try new random cases on every run, and a case
# they find is kept as an @example; CI runs a fixed set, so the same commit gives the same result.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ["programme.yml", "branding", "councillor_blogs", "council_content", "footprint"]
#: The address the example is built for when a build names none (programme.yml's site.url).
EXAMPLE_URL = "https://fenmarsh-council.github.io/networked-councillor/"
CACHE_DIR = ".build-cache"
#: What a copy leaves of another folder's build cache: the record of the site/ it published and the
#: posts it read are the original folder's, by their paths; the parts it built hold for any copy.
NOT_COPIED_FROM_CACHE = shutil.ignore_patterns("site.json", "post-readings")


def copy_example(dest: Path, cache_from: Path | None = None) -> Path:
    """A copy of the example programme (the handbook and themes still come from the toolkit).

    ``cache_from``: a built programme (see ``example_build``) whose build cache the copy starts with,
    so that its first build makes only what the test changed. The cache's files are hard links to
    the shared, read-only ones: a build never writes a file in place, and a test must not either.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".*"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    if cache_from is not None:
        shutil.copytree(cache_from / CACHE_DIR, dest / CACHE_DIR, ignore=NOT_COPIED_FROM_CACHE, copy_function=_link)
    return dest


def _link(src: str, dest: str) -> None:
    try:
        os.link(src, dest)
    except OSError:  # another file system
        shutil.copy2(src, dest)


@contextmanager
def shared_build(root: Path) -> Iterator[Path]:
    """Share a built programme between tests, which copy it (``copy_example(..., cache_from=root)``)
    or read it, never change it: its build's files are made read-only (which stops any user but
    root), and at the end it must be as it was built."""
    for path in (root / CACHE_DIR).rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    built = tree(root)
    yield root
    assert tree(root) == built, f"a test changed the shared build in {root}: copy it rather than write to it"


#: Fixtures that start Chromium, or a real server in another process (Node, PostgreSQL), by the marker
#: their tests get: ``pytest -m "not browser and not servers"`` is the fast tier for everyday work.
SLOW_FIXTURES = {"browser": "browser", "pds": "servers", "appview": "servers"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, marker in SLOW_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, marker))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """With ``-n``, a module's shared fixtures are made once, on one worker (``tests/support/scheduling.py``);
    a ``--dist`` other than the default keeps xdist's own scheduling."""
    if config.getvalue("dist") != "load":
        return None
    from tests.support.scheduling import ModuleFixtureScheduling

    return ModuleFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example built once per run (once for all the workers of ``-n``), by a separate
    ``python -m generator build`` process, for EXAMPLE_URL.

    Shared: read its site/, never change it (``shared_build``). Its build cache starts
    every warm copy of the example (``example``, ``copy_example(..., cache_from=...)``).
    """
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        # With -n, the run's workers share one build: the first to ask makes it, the others wait for it.
        run_dir = tmp_path_factory.getbasetemp().parent  # the run's own folder, each worker's is inside
        with open(run_dir / "example-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            root = run_dir / "example-build" / "programme"
            if not (root / "site").is_dir():
                shutil.rmtree(root.parent, ignore_errors=True)  # a build that failed in another worker
                _build_example(root)
            fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        root = _build_example(tmp_path_factory.mktemp("example-build") / "programme")
    with shared_build(root):
        yield root


def _build_example(dest: Path) -> Path:
    root = copy_example(dest)
    result = run_cli_process("build", "--root", root, "--base-url", EXAMPLE_URL)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root


@pytest.fixture(scope="session")
def example_site(example_build: Path) -> tuple[Path, str]:
    """The shared build's site/ and the address it was built for, for tests that read the pages and
    need no server (``built_example`` serves a build, for the browser); read only."""
    return example_build / "site", EXAMPLE_URL


@pytest.fixture
def example(tmp_path: Path, example_build: Path) -> Path:
    """A private copy of the example programme, safe to edit and build.

    It starts with the shared build's cache: a build for EXAMPLE_URL makes only what the test
    changed, and gives the very bytes a build from nothing would (tests/test_incremental.py).
    """
    return copy_example(tmp_path / "programme", cache_from=example_build)


@pytest.fixture
def cold_example(tmp_path: Path) -> Path:
    """A private copy of the example programme without a build cache: its first build makes every part."""
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
    with serve_after(site, "/networked-councillor/",
                     lambda url: run_cli("build", "--root", root, "--base-url", url)) as (url, result):
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
