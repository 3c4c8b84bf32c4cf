"""Build steps for tests of the worker processes: importing this module leaves a mark, as
importing Pelican takes time, so a test can see when a worker imported it."""

from __future__ import annotations

import os
from pathlib import Path

MARK = os.environ.get("STEPS_IMPORT_MARK")
if MARK:
    Path(MARK).write_text(str(os.getpid()), encoding="utf-8")


def write_name(project: object, output: Path, site_url: str, strict: bool, name: str = "") -> None:
    output.mkdir(parents=True, exist_ok=True)
    (output / "name.txt").write_text(name, encoding="utf-8")
