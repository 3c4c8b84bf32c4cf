"""`councillor serve`: a real server on loopback that rebuilds when a post changes."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli_process
from tests.support.browser import open_page
from tests.test_portable import LOADED_JS

#: The example's site.url, which the preview is built for as `councillor build` builds it.
PUBLISHED = "https://fenmarsh-council.github.io/networked-councillor/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def built(url: str) -> str:
    """The page at ``url`` once the first build is done ('' while the server says it is building)."""
    page = fetch(url)
    return "" if "Building the site" in page else page


def wait_for(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


@dataclass
class Served:
    url: str
    log: Path

    @property
    def output(self) -> str:
        """What `councillor serve` has printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(root: Path, log: Path) -> Iterator[Served]:
    """`councillor serve` for ``root`` on a free port, its output in ``log`` (a file, so it never fills a pipe)."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, text=True,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}/", log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(example, tmp_path):
    with serving(example, tmp_path / "serve.log") as served:
        yield example, served.url


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_serve_rebuilds_and_reloads_on_change(server):
    root, url = server
    blog = f"{url}councillors/amira-patel/"
    page = wait_for(lambda: built(blog))
    assert "livereload" in page, "the browser is told to reload after a rebuild"
    assert fetch(url).count("<html") == 1, "the handbook is served at the root"

    post = sorted((root / "councillor_blogs" / "amira-patel" / "content" / "posts").glob("*.md"))[-1]
    post.write_text(post.read_text().replace("title: ", "title: Updated ", 1))

    assert wait_for(lambda: "Updated " in fetch(blog))


def test_serve_keeps_the_last_good_site_when_a_file_breaks(server):
    root, url = server
    blog = f"{url}councillors/amira-patel/"
    wait_for(lambda: built(blog))
    yml = root / "councillor_blogs" / "amira-patel" / "councillor.yml"
    yml.write_text(yml.read_text().replace("ward: Castle", "ward: [Castle"))
    # Once the rebuild has failed, every page says so over the last good one.
    wait_for(lambda: "councillor-build-error" in fetch(blog))
    assert "Amira Patel" in fetch(blog)


def test_a_build_error_shows_in_the_browser_until_it_is_fixed(server, browser):
    root, url = server
    blog = f"{url}councillors/amira-patel/"
    wait_for(lambda: built(blog))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(blog)
        yml = root / "councillor_blogs" / "amira-patel" / "councillor.yml"
        good = yml.read_text()
        yml.write_text(good.replace("ward: Castle", "wrad: Castle"))
        # The open page reloads by itself and shows the problem, with its file, line and fix.
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=90_000)
        message = alert.inner_text()
        assert f"{yml}:" in message and "'wrad' is not a setting" in message and "did you mean 'ward'" in message
        assert "Amira Patel" in page.locator("main, body").first.inner_text(), "the last good page is underneath"
        assert alert.bounding_box()["width"] <= 390
        # Every page says so while the error stands, not only the one that was open.
        assert "councillor-build-error" in fetch(url)

        yml.write_text(good)
        page.locator("#councillor-build-error").wait_for(state="detached", timeout=90_000)
        assert "councillor-build-error" not in fetch(blog)
    finally:
        page.close()


def test_the_first_answer_comes_at_once_and_becomes_the_site_when_built(cold_example, browser):
    # Never built: the whole first build is still to come when the first answer is asked for.
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    command = [sys.executable, "-m", "generator", "serve", "--root", str(cold_example), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = wait_for(lambda: fetch(url + "councillors/amira-patel/"), timeout=30)
        waited = time.monotonic() - started
        assert "Building the site" in first, "the first answer does not wait for the whole build"
        assert waited < 10, waited
        page = browser.new_page()
        try:
            page.goto(url + "councillors/amira-patel/")
            # The waiting page reloads itself into the real one when the build is done.
            page.get_by_role("heading", name="Amira Patel").first.wait_for(timeout=120_000)
        finally:
            page.close()
        assert "Building the site" not in fetch(url)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_serve_after_a_build_rebuilds_nothing_and_leaves_the_site_as_built(example, tmp_path):
    """The preview is built for the published address as `councillor build` is, so it starts from what the
    last build left (its cache and site/), and site/ stays fit to publish: no local address in it."""
    result = run_cli_process("build", "--root", example)
    assert result.returncode == 0, result.stderr
    site = example / "site"
    as_built = files(site)
    with serving(example, tmp_path / "serve.log") as served:
        page = wait_for(lambda: built(served.url + "councillors/amira-patel/"))
        assert "Amira Patel" in page and "livereload" in page
        wait_for(lambda: "The site is ready" in served.output)
    assert "Nothing changed since the last build" in served.output, served.output
    after = files(site)
    local = served.url.removeprefix("http://").rstrip("/").encode()
    assert [name for name, data in after.items() if local in data] == []
    assert after.keys() == as_built.keys()
    assert [name for name in after if after[name] != as_built[name]] == []


#: One page of each kind, as an address inside the site.
PAGE_TYPES = {
    "handbook home": "",
    "handbook page": "accessibility/",
    "handbook page linking to the footprint report": "footprint/",
    "print view": "print_page/",
    "councillors index": "councillors/",
    "blog home": "councillors/amira-patel/",
    "post": "councillors/amira-patel/2026/11/bin-collections-change-in-march/",
    "share kit": "councillors/kerry-blackwood/share-kit/",
    "news index": "news/",
    "news item": "news/bin-changes/",
    "short link": "s/bin-changes/",
    "hub": "hub/",
    "footprint report": "footprint-report/",
    "councillor's footprint": "footprint-report/amira-patel/",
    "404": "no-such-page/",
    "404 in a blog": "councillors/amira-patel/no-such-post/",
}


def test_every_kind_of_page_works_from_the_local_address(server, browser):
    """Built for site.url, every page is whole at http://127.0.0.1:PORT/ and its links stay on the preview."""
    _, url = server
    wait_for(lambda: built(url))
    failures: dict[str, object] = {}
    for kind, path in PAGE_TYPES.items():
        visit = open_page(browser, url + path)
        if kind == "short link":
            # A live item's short link sends the reader on to the item, on the same copy of the site.
            visit.page.wait_for_url(url + "news/**", wait_until="load")
        state = visit.page.evaluate(LOADED_JS)
        links = visit.page.evaluate("() => [...document.links].map(a => [a.href, a.textContent.trim()])")
        missing = kind.startswith("404")
        problems = {
            # A missing address gets the site's own 404 page, with status 404 as on GitHub Pages.
            "console errors": [e for e in visit.console_errors if not (missing and "status of 404" in e)],
            "CSP violations": visit.csp_violations(),
            "other hosts": sorted(visit.other_hosts()),
            "stylesheets not applied": [s["href"] for s in state["sheets"] if not s["rules"]],
            "pictures not shown": state["images"],
            # Navigation stays on the preview. The share kit is text to post elsewhere; otherwise only an address
            # shown as itself (the site's, in the accessibility statement) or the writing screen, which saves to
            # the repository wherever it is opened, names the published site.
            "links to the published site": [] if kind == "share kit" else [
                link for link, text in links
                if link.startswith(PUBLISHED) and text != link and not link.startswith(PUBLISHED + "admin/")],
        }
        if not state["sheets"]:
            problems["no stylesheet"] = [path]
        if not state["skipLinkHidden"]:
            problems["unstyled: the skip link shows"] = [path]
        if not visit.page.url.startswith(url):
            problems["left the preview"] = [visit.page.url]
        if missing:
            with pytest.raises(urllib.error.HTTPError) as answer:
                fetch(url + path)
            assert answer.value.code == 404
            # MkDocs' 404 page names the published path (/networked-councillor/...), as it is served at any depth.
            local = sorted({link.split("#")[0] for link, _ in links if link.startswith(url)})
            problems["links that do not answer"] = [link for link in local if status(link) != 200]
        found = {name: value for name, value in problems.items() if value}
        if found:
            failures[kind] = found
        visit.page.context.close()
    assert failures == {}

    screen = open_page(browser, url + "admin/")
    try:
        screen.page.get_by_role("button", name="Sign In Using Access Token").wait_for()
        own = [r for r in screen.requests if r.startswith(url)]
        assert url + "admin/config.yml" in [r.split("?")[0] for r in own]
    finally:
        screen.page.context.close()
