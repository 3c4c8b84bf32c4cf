"""`councillor serve`: a real server on loopback that rebuilds when a post changes."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


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


@pytest.fixture
def server(example):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(example), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield example, f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


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


def test_the_first_answer_comes_at_once_and_becomes_the_site_when_built(example, browser):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    command = [sys.executable, "-m", "generator", "serve", "--root", str(example), "--port", str(port)]
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
