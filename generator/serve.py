"""Preview the whole site locally, rebuilding on every change and reloading the browser.

MkDocs' live-reload server does the serving and watching; we give it our build. When a
rebuild fails, the last good site stays, and every page shows what is wrong (file, line and
fix) over it, as Hugo and Vite do, until the next rebuild succeeds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import escape
from mkdocs.livereload import LiveReloadServer

from generator.build import SITE_DIR, build
from generator.config import toolkit_dir
from generator.exceptions import CouncillorError

log = logging.getLogger("generator")

#: What a change to should trigger a rebuild, relative to the programme folder or the toolkit.
WATCHED = ["programme.yml", "councillor_blogs", "council_content", "branding", "footprint"]
TOOLKIT_WATCHED = ["mkdocs.yml", "handbook", "themes"]
#: The id of the message shown over every page while the last rebuild has failed.
ERROR_ID = "councillor-build-error"


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


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, which also shows the last build error on every page."""

    build_error: str | None = None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if self.build_error is None:
            return content
        at = content.find(b">", content.find(b"<body")) + 1 if b"<body" in content else 0
        return content[:at] + error_overlay(self.build_error) + content[at:]


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, strict: bool = False) -> None:
    root = root.resolve()
    site_dir = root / SITE_DIR
    url = f"http://{host}:{port}/"
    server: PreviewServer | None = None
    failed: list[str] = []

    def rebuild() -> None:
        try:
            build(root, site_dir=site_dir, base_url=url, strict=strict)
            message = None
        except CouncillorError as error:
            # Keep serving the last good site; the message says what to fix, here and in the browser.
            message = error.format_message()
            log.error("The site was not rebuilt:\n%s", message)
        failed[:] = [message] if message else []
        if server is not None:
            server.build_error = message

    rebuild()
    if not site_dir.exists():
        site_dir.mkdir()
    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    server.build_error = failed[0] if failed else None
    paths = [root / name for name in WATCHED] + [toolkit_dir(root) / name for name in TOOLKIT_WATCHED]
    for path in paths:
        if path.exists():
            server.watch(str(path))
    log.info("Serving the site at %s (press Ctrl+C to stop)", url)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        server.shutdown()
