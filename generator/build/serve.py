"""Preview the whole site locally, rebuilding on every change and reloading the browser.

MkDocs' live-reload server does the serving and watching; we give it our build. When a
rebuild fails, the last good site stays, and every page shows what is wrong (file, line and
fix) over it, as Hugo and Vite do, until the next rebuild succeeds.

The preview is the site ``councillor build`` makes, for the programme's own address: the pages
refer to their own files by relative addresses, so they work as well from http://127.0.0.1:8000/.
So serving starts from what the last build left in ``.build-cache`` and ``site/`` (after an
unchanged build it rebuilds nothing), and ``site/`` is always fit to publish, never holding
the local address.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from markupsafe import escape

from generator.build import BuildResult, build
from generator.compat import LiveReloadServer, reload_script, timestamp
from generator.exceptions import CouncillorError
from generator.inputs.layout import SITE_DIR, toolkit_dir

log = logging.getLogger("generator")

#: What a change to should trigger a rebuild, relative to the programme folder or the toolkit.
WATCHED = ["programme.yml", "councillor_blogs", "council_content", "branding", "footprint"]
TOOLKIT_WATCHED = ["mkdocs.yml", "handbook", "themes"]
#: The id of the message shown over every page while the last rebuild has failed.
ERROR_ID = "councillor-build-error"
#: The reload script's own address: the blog and council pages allow no inline script (script-src 'self'),
#: so the script MkDocs would write into each page is served from here instead.
RELOAD_SCRIPT = "/livereload-script.js"
#: The page a missing address answers with, as GitHub Pages does.
NOT_FOUND_PAGE = "404.html"


def error_overlay(message: str) -> bytes:
    """The failed build's message, fixed over the top of the page; inline styles so no page's CSS can hide it."""
    box = ("position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:80vh;overflow:auto;margin:0;"
           "padding:1rem 1.25rem;background:#fff;color:#1b1b1b;border-bottom:6px solid #b3261e;"
           "font:16px/1.5 system-ui,sans-serif;box-shadow:0 4px 12px rgba(0,0,0,.3)")
    text = ("white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;"
            "margin:0.5rem 0")
    return (f'<div id="{ERROR_ID}" role="alert" style="{box}"><p style="margin:0;font-weight:700">'
            "The site was not rebuilt. This page is from the last build that worked.</p>"
            f'<pre style="{text}">{escape(message)}</pre>'
            '<p style="margin:0">Fix the file and save it: this page reloads by itself.</p></div>').encode()


#: What every address answers while the first build runs: at once, and it reloads itself when the site is ready.
BUILDING_PAGE = (b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                 b'<meta name="viewport" content="width=device-width, initial-scale=1">'
                 b"<title>Building the site</title></head><body>"
                 b'<main style="font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">'
                 b"<h1>Building the site</h1><p>The preview is being built. This page shows it by itself as soon "
                 b"as it is ready, usually within a minute.</p></main></body></html>")


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, which also shows the last build error on every page, and
    answers at once while the first build runs rather than after it.

    The site is served at the root. When it is published under a path (``site.url`` such as
    https://council.github.io/networked-councillor/), a few of its addresses name that path: those on
    MkDocs' 404 page above all, as it is served at any depth. So an address under ``site_path`` that
    is not a file from the root is answered as the same address without it.
    """

    build_error: str | None = None
    first_build_running: bool = False
    site_path: str = "/"

    def _serve_request(self, environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") == RELOAD_SCRIPT:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            script = reload_script(int(query.get("epoch", ["0"])[0]), int(query.get("id", ["0"])[0])).encode()
            start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"),
                                      ("Content-Length", str(len(script))), ("Cache-Control", "no-store")])
            return [script]
        if self.first_build_running and not environ.get("PATH_INFO", "").startswith("/livereload/"):
            body = self._inject_js_into_html(BUILDING_PAGE, self._visible_epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
            return [body]
        served = super()._serve_request(environ, start_response)
        path = environ.get("PATH_INFO", "")
        if served is None and self.site_path != "/" and (path + "/").startswith(self.site_path):
            served = super()._serve_request({**environ, "PATH_INFO": "/" + path[len(self.site_path):]},
                                            start_response)
        return served

    def not_found_page(self, code: int) -> bytes | None:
        """The site's own 404 page for an address it does not have, as the published site answers."""
        page = Path(self.root) / NOT_FOUND_PAGE
        if code != 404 or not page.is_file():
            return None
        return self._inject_js_into_html(page.read_bytes(), self._visible_epoch)

    def first_build_done(self) -> None:
        """Show the built site: browsers waiting on the building page reload."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch = timestamp()
            self.first_build_running = False
            self._epoch_cond.notify_all()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        tag = f'<script src="{RELOAD_SCRIPT}?epoch={epoch}&amp;id={timestamp()}"></script>'.encode()
        content = content[:at] + tag + content[at:]
        if self.build_error is None:
            return content
        at = content.find(b">", content.find(b"<body")) + 1 if b"<body" in content else 0
        return content[:at] + error_overlay(self.build_error) + content[at:]


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, strict: bool = False) -> None:
    root = root.resolve()
    site_dir = root / SITE_DIR
    url = f"http://{host}:{port}/"
    server: PreviewServer | None = None
    # The first build runs while the server already answers; a change meanwhile waits for it.
    one_at_a_time = threading.Lock()

    def rebuild() -> None:
        with one_at_a_time:
            try:
                # For the published address, as `councillor build` does: the two share one cache,
                # and site/ never holds the local address.
                result: BuildResult | None = build(root, site_dir=site_dir, strict=strict)
                message = None
            except CouncillorError as error:
                # Keep serving the last good site; the message says what to fix, here and in the browser.
                result, message = None, error.format_message()
                log.error("The site was not rebuilt:\n%s", message)
        if server is not None:
            server.build_error = message
            if result is not None:
                server.site_path = urlsplit(result.site_url).path

    site_dir.mkdir(exist_ok=True)
    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    server.first_build_running = True
    server.error_handler = server.not_found_page
    paths = [root / name for name in WATCHED] + [toolkit_dir(root) / name for name in TOOLKIT_WATCHED]
    for path in paths:
        if path.exists():
            server.watch(str(path))

    def first_build() -> None:
        rebuild()
        server.first_build_done()
        log.info("The site is ready at %s", url)

    threading.Thread(target=first_build, name="first-build", daemon=True).start()
    log.info("Serving the site at %s (press Ctrl+C to stop); building it now", url)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        server.shutdown()
