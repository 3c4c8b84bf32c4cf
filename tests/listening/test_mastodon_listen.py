"""``councillor listen`` against a Mastodon API server on loopback (mastodon-mock): residents reply,
favourite and boost a shared post, mention the councillor, and the listening record holds exactly that."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.listening.conftest import RESIDENT_TOKENS
from tests.syndication.conftest import SENTINEL, make_programme, mastodon_env

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

    first = run_cli("listen", "--root", programme.root)
    assert first.exit_code == 0, first.output
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
    after = record(programme)
    assert after["responses"] == json.loads(before)["responses"]
    assert len(after["runs"]) == 2

    listed = run_cli("replies", "amira-patel", "--root", programme.root)
    assert "Jo Resident (@jo)" in listed.output and "reply to flood-wardens-wanted" in listed.output
    assert "mention" in listed.output and "streetlight" in listed.output
