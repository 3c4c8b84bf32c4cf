"""Preview the whole site locally, rebuilding on every change and reloading the browser.

MkDocs' live-reload server does the serving and watching; we give it our build.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.build import SITE_DIR, build
from generator.config import toolkit_dir
from generator.exceptions import CouncillorError

log = logging.getLogger("generator")

#: What a change to should trigger a rebuild, relative to the programme folder or the toolkit.
WATCHED = ["programme.yml", "councillor_blogs", "council_content", "branding", "footprint"]
TOOLKIT_WATCHED = ["mkdocs.yml", "handbook", "themes"]


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, strict: bool = False) -> None:
    root = root.resolve()
    site_dir = root / SITE_DIR
    url = f"http://{host}:{port}/"

    def rebuild() -> None:
        try:
            build(root, site_dir=site_dir, base_url=url, strict=strict)
        except CouncillorError as error:
            # Keep serving the last good site; the message says what to fix.
            log.error("The site was not rebuilt:\n%s", error.format_message())

    rebuild()
    if not site_dir.exists():
        site_dir.mkdir()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
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
