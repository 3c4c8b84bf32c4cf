"""A real HTTP server on loopback that serves a built site/ under any base path.

GitHub Pages serves a project site under /<repo>/, so tests serve it the same way.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # As GitHub Pages does: a missing page gets the site's own 404.html, with status 404.
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site_dir: Path, base_path: str = "/") -> Iterator[str]:
    """Serve ``site_dir`` at http://127.0.0.1:<free port><base_path>; yields that URL."""
    with serve_after(site_dir, base_path, lambda url: None) as (url, _):
        yield url


@contextmanager
def serve_after(site_dir: Path, base_path: str, build: Callable[[str], T]) -> Iterator[tuple[str, T]]:
    """``serve``, with ``build(url)`` run before the server answers; yields the URL and what ``build`` gave.

    The port is taken first, so the build knows the site's address; the server's thread starts
    after it, so a build in this process runs with no other thread, and its workers fork rather
    than start afresh and import everything again (``generator.build.parallel``).
    """
    handler = type("Handler", (_Handler,), {"prefix": base_path})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir))
    )
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
        built = build(url)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield url, built
        finally:
            server.shutdown()
    finally:
        server.server_close()
