"""The Pages workflow listens every six hours, after sharing and before the footprint, and commits what it read."""

from __future__ import annotations

from tests.syndication.test_workflow import load

LISTEN_CRON = "47 */6 * * *"


def test_listening_runs_every_six_hours_and_its_record_is_committed_then_rebuilt():
    data = load()
    triggers = data[True] if True in data else data["on"]
    assert {"cron": LISTEN_CRON} in triggers["schedule"]
    steps = data["jobs"]["syndicate"]["steps"]
    names = [s.get("name") for s in steps]
    listen = steps[names.index("Listen for replies")]
    assert LISTEN_CRON in listen["if"] and "workflow_dispatch" in listen["if"]
    assert listen["run"].strip().endswith("councillor listen")
    assert 'startswith("NC_")' in listen["run"] and "unset ALL_SECRETS" in listen["run"]
    assert listen["continue-on-error"] is True, "a broken record never stops the ledgers being committed"
    share, footprint = names.index("Share new posts"), names.index("Record today's footprint snapshot")
    assert share < names.index("Listen for replies") < footprint, "the snapshot takes the figures just read"
    commit = next(s for s in steps if s.get("id") == "commit")
    assert "'councillor_blogs/*/listening.json'" in commit["run"]
    assert data["jobs"]["rebuild"]["if"].endswith("needs.syndicate.outputs.changed == 'true'")
