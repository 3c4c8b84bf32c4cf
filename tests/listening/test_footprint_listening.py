"""The footprint report's listening figures come from the listening records that ``councillor listen`` keeps."""

from __future__ import annotations

import datetime as dt
import json

from generator.inputs.config import load_project
from generator.syndication import listening
from tests.conftest import REPO, copy_example, run_cli

LISTENING = ("followers", "replies", "likes")


def test_the_examples_listening_figures_are_what_its_listening_records_produce():
    project = load_project(REPO)
    records = {blog.slug: listening.Record.load(blog.folder) for blog in project.blogs}
    files = sorted((REPO / "footprint" / "snapshots").glob("*.json"))
    checked = 0
    for earlier, path in zip([None, *files], files, strict=False):
        snapshot = json.loads(path.read_text())
        day = dt.date.fromisoformat(snapshot["date"])
        since = dt.date.fromisoformat(json.loads(earlier.read_text())["date"]) if earlier else None
        for slug, entry in snapshot["councillors"].items():
            for network, figures in entry["platforms"].items():
                typed = {k: figures[k] for k in LISTENING if k in figures}
                assert typed == records[slug].figures(network, day, since), (path.name, slug, network)
                checked += bool(typed)
    assert checked >= 10


def test_councillor_footprint_records_the_listening_record_into_the_days_snapshot(tmp_path):
    root = copy_example(tmp_path / "programme")
    blog = root / "councillor_blogs" / "amira-patel"
    record = listening.Record.load(blog)
    record.set_followers("mastodon", dt.date(2026, 11, 30), 190)
    record.data["totals"]["mastodon"]["2026-11-30"] = {"replies": 14, "likes": 60}
    record.save()
    result = run_cli("footprint", "--root", root, "--date", "2026-12-01", "--site-dir", tmp_path / "site")
    assert result.exit_code == 0, result.output
    snapshot = json.loads((root / "footprint" / "snapshots" / "2026-12-01.json").read_text())
    amira = snapshot["councillors"]["amira-patel"]["platforms"]
    # Since the 1 November snapshot: 14 - 10 replies and 60 - 53 likes; followers as last read.
    assert {k: amira["mastodon"][k] for k in LISTENING} == {"followers": 190, "replies": 4, "likes": 7}
    assert not any(k in amira["bluesky"] for k in LISTENING), "Bluesky was not read since: nothing is made up"
    report = (tmp_path / "site" / "footprint-report" / "amira-patel" / "index.html").read_text()
    assert "190" in report
