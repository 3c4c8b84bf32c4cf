"""The process killed after Mastodon accepted a post but before the ledger said so, then run again.

Both runs are the real ``councillor syndicate`` command in its own process, against a
Mastodon API server on loopback. Afterwards every post exists exactly once on the server
and the ledger agrees with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.syndication.conftest import DUE, fault, mastodon_env, statuses

CRASH = Path(__file__).with_name("crash_cli.py")


def command(script: list[str], root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, *script, "syndicate", "--root", str(root)], env=full, cwd=root,
                          capture_output=True, text=True, timeout=300)


def only_once_each(server) -> None:
    posted = statuses(server)
    for slug in DUE:
        assert sum(slug in s["content"] for s in posted) == 1, [s["content"] for s in posted]
    assert len(posted) == len(DUE)


def ledger_rows(programme) -> dict[str, dict]:
    data = json.loads(programme.ledger.read_text())
    return {e["slug"]: e["networks"]["mastodon"] for e in data["posts"].values()}


def test_killed_after_accept_then_rerun_finds_it_instead_of_posting_again(programme, mastodon_server):
    env = mastodon_env(mastodon_server)
    crashed = command([str(CRASH)], programme.root, env)
    assert crashed.returncode == 86, crashed.stderr
    assert len(statuses(mastodon_server)) == 1
    assert {r["status"] for r in ledger_rows(programme).values()} == {"pending"}

    again = command(["-m", "generator"], programme.root, env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already there" in again.stdout and "sent" in again.stdout
    only_once_each(mastodon_server)
    rows = ledger_rows(programme)
    assert {r["status"] for r in rows.values()} == {"done"}
    server_ids = {str(s["id"]) for s in statuses(mastodon_server)}
    assert {r["remote_id"] for r in rows.values()} == server_ids


def test_when_the_lookup_fails_the_idempotency_key_still_prevents_a_second_copy(programme, mastodon_server,
                                                                                monkeypatch):
    env = mastodon_env(mastodon_server)
    assert command([str(CRASH)], programme.root, env).returncode == 86
    # The rerun cannot search the account's statuses, so it posts again with the same
    # Idempotency-Key, and Mastodon hands back the status it already made.
    from generator.syndication import mastodon

    monkeypatch.setattr(mastodon.MastodonAdapter, "find", lambda self, message: None)
    from generator.syndication.runner import run

    report = run(programme.root, env=env, sleep=lambda s: None)
    assert [r.status for r in report.results] == ["sent", "sent"]
    only_once_each(mastodon_server)


@pytest.mark.parametrize("status", [503])
def test_killed_run_with_a_flaky_server_still_ends_with_one_copy_each(programme, mastodon_server, status):
    env = mastodon_env(mastodon_server)
    assert command([str(CRASH)], programme.root, env).returncode == 86
    fault(mastodon_server, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "status", "status": status}, count=1)
    again = command(["-m", "generator"], programme.root, env)
    assert again.returncode == 0, again.stdout + again.stderr
    only_once_each(mastodon_server)
    assert {r["status"] for r in ledger_rows(programme).values()} == {"done"}
