"""``councillor listen`` against a Mastodon API server on loopback (mastodon-mock): residents reply,
favourite and boost a shared post, mention the councillor, and the listening record holds exactly that."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.syndication import listen, responses
from tests.conftest import REPO, run_cli
from tests.listening.conftest import RESIDENT_TOKENS
from tests.support.helpers import Sleeps
from tests.syndication.conftest import SENTINEL, fault, make_programme, mastodon_env

CRASH = Path(__file__).with_name("crash_listen.py")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def shared(tmp_path, server, monkeypatch):
    """A programme whose two due posts were syndicated to the loopback Mastodon by the real command."""
    programme = make_programme(tmp_path)
    for name, value in mastodon_env(server).items():
        monkeypatch.setenv(name, value)
    result = run_cli("syndicate", "--root", programme.root)
    assert result.exit_code == 0, result.output
    book = json.loads(programme.ledger.read_text())
    ids = {e["slug"]: e["networks"]["mastodon"]["remote_id"] for e in book["posts"].values()}
    return programme, ids


def record(programme) -> dict:
    return json.loads((programme.blog / "listening.json").read_text())


def test_replies_favourites_boosts_and_mentions_are_recorded_once(tmp_path, mastodon_town, monkeypatch):
    programme, ids = shared(tmp_path, mastodon_town, monkeypatch)
    flood = ids["flood-wardens-wanted"]
    jo = mastodon_town.client(token=RESIDENT_TOKENS["jo"])
    sam = mastodon_town.client(token=RESIDENT_TOKENS["sam"])
    reply = jo.status_post("@amirapatel I can help on Tuesdays <script>alert(1)</script>", in_reply_to_id=flood,
                           visibility="public")
    jo.status_favourite(flood)
    sam.status_favourite(flood)
    sam.status_reblog(flood)
    private = sam.status_post("@amirapatel my address is 4 Mill Lane", in_reply_to_id=flood, visibility="direct")
    mention = sam.status_post("@amirapatel the streetlight on Fen Road is out", visibility="public")
    councillor = mastodon_town.client(token=SENTINEL)
    councillor.status_post("Thanks Jo!", in_reply_to_id=reply["id"], visibility="public")

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    first = run_cli("listen", "--root", programme.root)
    assert first.exit_code == 0, first.output
    digest = summary.read_text()
    assert digest.startswith("## Replies waiting") and "### amira-patel" in digest
    assert "| Mastodon | reply to flood-wardens-wanted | Jo Resident \\(@jo\\) | [open](" in digest
    assert "| Mastodon | mention | Sam &lt;b&gt;Bold&lt;/b&gt; \\(@sam\\) |" in digest, digest
    assert "Tuesdays" not in digest and "streetlight" not in digest, "the job summary names, it does not quote"
    assert "Mastodon: read (2 posts, 2 new)" in first.output
    data = record(programme)
    row = next(e for e in data["posts"].values() if e["slug"] == "flood-wardens-wanted")["networks"]["mastodon"]
    assert (row["replies"], row["likes"], row["reposts"]) == (2, 2, 1)  # direct replies, as the server counts
    assert row["remote_id"] == flood and row["read_at"]
    responses = data["responses"]
    assert set(responses) == {f"mastodon:{reply['id']}", f"mastodon:{mention['id']}"}
    got = responses[f"mastodon:{reply['id']}"]
    assert got["kind"] == "reply" and got["author"]["name"] == "Jo Resident"
    assert got["author"]["handle"] == "@jo" and got["author"]["url"].startswith("http")
    # Plain text, as the resident typed it (Mastodon sends HTML); pages escape it when they show it.
    assert got["text"] == "@amirapatel I can help on Tuesdays <script>alert(1)</script>"
    assert responses[f"mastodon:{mention['id']}"]["kind"] == "mention"
    assert f"mastodon:{private['id']}" not in responses, "a direct message is never kept"
    assert list(data["followers"]["mastodon"].values()) == [0]
    assert SENTINEL not in (programme.blog / "listening.json").read_text()

    before = (programme.blog / "listening.json").read_text()
    again = run_cli("listen", "--root", programme.root)
    assert again.exit_code == 0, again.output
    assert "Mastodon: read (2 posts, 0 new)" in again.output
    assert summary.read_text().endswith("No new replies or mentions since the last run.\n")
    after = record(programme)
    assert after["responses"] == json.loads(before)["responses"]
    assert len(after["runs"]) == 2

    listed = run_cli("replies", "amira-patel", "--root", programme.root)
    assert "Jo Resident (@jo)" in listed.output and "reply to flood-wardens-wanted" in listed.output
    assert "mention" in listed.output and "streetlight" in listed.output


def test_retry_after_is_honoured_and_a_token_without_read_notifications_only_loses_mentions(
        tmp_path, mastodon_town, monkeypatch):
    programme, ids = shared(tmp_path, mastodon_town, monkeypatch)
    jo = mastodon_town.client(token=RESIDENT_TOKENS["jo"])
    reply = jo.status_post("@amirapatel count me in", in_reply_to_id=ids["flood-wardens-wanted"])
    fault(mastodon_town, match={"methods": ["GET"], "path_regex": r"/context$"},
          effect={"type": "ratelimit", "headers": {"Retry-After": "7"}}, count=1)
    fault(mastodon_town, match={"methods": ["GET"], "path": "/api/v1/notifications"},
          effect={"type": "status", "status": 403, "body": {"error": "This action is outside the authorized scopes"}})
    sleeps = Sleeps()
    report = listen.run(programme.root, env=mastodon_env(mastodon_town), sleep=sleeps)
    assert sleeps == [7.0]
    [outcome] = report.outcomes
    assert outcome.status == "fault" and outcome.posts == 2
    assert "refused to let this token read" in outcome.detail and "read:notifications" in outcome.fix
    data = record(programme)
    assert f"mastodon:{reply['id']}" in data["responses"], "the replies were still read"
    # The record keeps the project's words for the fault, never the network's own answer.
    assert "lacks a permission" in data["faults"]["mastodon"]["message"]
    assert SENTINEL not in listen.describe(report)


def test_a_deleted_post_and_a_network_down_are_reported_and_nothing_recorded_is_lost(
        tmp_path, mastodon_town, monkeypatch):
    programme, ids = shared(tmp_path, mastodon_town, monkeypatch)
    jo = mastodon_town.client(token=RESIDENT_TOKENS["jo"])
    reply = jo.status_post("@amirapatel see you there", in_reply_to_id=ids["flood-wardens-wanted"])
    assert run_cli("listen", "--root", programme.root).exit_code == 0
    kept = record(programme)

    mastodon_town.client(token=SENTINEL).status_delete(ids["flood-wardens-wanted"])
    gone = run_cli("listen", "--root", programme.root)
    assert gone.exit_code == 0, gone.output
    assert "Mastodon: PROBLEM (1 post, 0 new)" in gone.output
    assert "flood-wardens-wanted: Mastodon has no such post any more (404)" in gone.output
    after = record(programme)
    assert after["responses"] == kept["responses"]
    assert after["posts"] == {**kept["posts"], **{k: v for k, v in after["posts"].items()
                                                  if v["slug"] != "flood-wardens-wanted"}}

    down = {**mastodon_env(mastodon_town), "NC_AMIRA_PATEL_MASTODON_API_BASE": "http://127.0.0.1:9"}
    sleeps = Sleeps()
    report = listen.run(programme.root, env=down, sleep=sleeps)
    assert [o.status for o in report.outcomes] == ["fault"]
    assert "could not reach Mastodon" in report.outcomes[0].detail
    assert len(sleeps) == 3, "tried four times, then left for the next run"
    assert record(programme)["responses"] == kept["responses"]
    assert f"mastodon:{reply['id']}" in kept["responses"]


def test_a_run_killed_part_way_keeps_what_it_read_and_the_next_run_records_nothing_twice(
        tmp_path, mastodon_town, monkeypatch):
    programme, ids = shared(tmp_path, mastodon_town, monkeypatch)
    jo = mastodon_town.client(token=RESIDENT_TOKENS["jo"])
    for slug in ids:
        jo.status_post(f"@amirapatel about {slug}", in_reply_to_id=ids[slug])
    env = {**os.environ, **mastodon_env(mastodon_town), "PYTHONPATH": str(REPO)}
    crashed = subprocess.run([sys.executable, str(CRASH), "listen", "--root", str(programme.root)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert crashed.returncode == 86, crashed.stderr
    first = record(programme)  # a whole file: the first post's reading, saved before the second was asked for
    assert len(first["posts"]) == 1 and len(first["responses"]) == 1

    finished = run_cli("listen", "--root", programme.root)
    assert finished.exit_code == 0, finished.output
    data = record(programme)
    assert len(data["posts"]) == 2 and len(data["responses"]) == 2
    assert set(first["responses"]) <= set(data["responses"])
    assert sorted(r["text"] for r in data["responses"].values()) == sorted(f"@amirapatel about {s}" for s in ids)


def test_an_approved_reply_its_writer_deletes_comes_off_the_page(tmp_path, mastodon_town, monkeypatch):
    programme, ids = shared(tmp_path, mastodon_town, monkeypatch)
    jo = mastodon_town.client(token=RESIDENT_TOKENS["jo"])
    reply = jo.status_post("@amirapatel I'll be there", in_reply_to_id=ids["flood-wardens-wanted"])
    assert run_cli("listen", "--root", programme.root).exit_code == 0
    approved = run_cli("replies", "--approve", f"mastodon:{reply['id']}", "--root", programme.root)
    assert approved.exit_code == 0, approved.output
    [shown] = responses.for_site(programme.blog)["flood-wardens-wanted"]["replies"]
    assert shown["name"] == "Jo Resident" and "be there" in shown["html"]

    jo.status_delete(reply["id"])
    assert run_cli("listen", "--root", programme.root).exit_code == 0
    assert "be there" not in json.dumps(responses.for_site(programme.blog))
    assert record(programme)["responses"][f"mastodon:{reply['id']}"]["gone_at"]
