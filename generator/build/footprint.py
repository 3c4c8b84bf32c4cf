"""``councillor footprint``: the day's snapshot, and the report rebuilt in the built site on its own."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.build.council_pages import validate
from generator.inputs import snapshots
from generator.inputs.config import load_project
from generator.inputs.layout import SITE_DIR
from generator.inputs.urls import FOOTPRINT_URL_PATH, site_url_for
from generator.steps import check, footprint, footprint_pages
from generator.steps.council import copy_assets, environment, footprint_report, page_context


@dataclass(frozen=True)
class FootprintRun:
    snapshot: Path | None
    report_dir: Path
    report: footprint.CohortReport


def record_footprint(root: Path, site_dir: Path | None = None, base_url: str | None = None,
                     day: dt.date | None = None, snapshot: bool = True) -> FootprintRun:
    """``councillor footprint``: save the day's snapshot, then rebuild only the report in the built site.

    The report folder is swapped in whole, so a failure leaves the previous report in place.
    """
    project = load_project(root)
    validate(project)
    when = check.today(project, day)
    site_url = site_url_for(project, base_url)
    report = footprint_report(project, when, site_url)
    saved = footprint.write_snapshot(project, report, snapshots.read_snapshots(project)[0]) if snapshot else None
    if saved:
        # Rebuild with the new snapshot in the history, as the next full build will show it.
        report = footprint_report(project, when, site_url)
    site_dir = (site_dir or project.root / SITE_DIR).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)
    target = site_dir / FOOTPRINT_URL_PATH
    with tempfile.TemporaryDirectory(prefix=".footprint-", dir=site_dir) as scratch:
        footprint_pages.write_pages(environment(project), page_context(project, site_url), Path(scratch), report)
        copy_assets(project, Path(scratch))
        shutil.copytree(Path(scratch) / "assets", site_dir / "assets", dirs_exist_ok=True)
        old = Path(scratch) / "previous"
        if target.exists():
            target.rename(old)
        (Path(scratch) / FOOTPRINT_URL_PATH).rename(target)
    return FootprintRun(saved, target, report)
