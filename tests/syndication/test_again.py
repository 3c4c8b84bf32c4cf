"""``councillor syndicate --again SLUG --network NAME`` against mastodon-mock: a second share, on purpose only."""

from __future__ import annotations

import json
import re

import pytest

from generator.syndication import mastodon
from tests.conftest import run_cli
from tests.syndication.conftest import DUE, fault, mastodon_env, snapshot, statuses

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
BINS = DUE[0]


@pytest.fixture
def env(mastodon_server, monkeypatch):
    for name, value in mastodon_env(mastodon_server).items():
        monkeypatch.setenv(name, value)
    return mastodon_server


def row(programme, slug=BINS):
    data = json.loads(programme.ledger.read_text())
    return next(e["networks"]["mastodon"] for e in data["posts"].values() if e["slug"] == slug)


def syndicate(programme, *args):
    return run_cli("syndicate", "--root", programme.root, *args)


def test_a_post_is_shared_again_only_when_asked_and_recorded_as_a_second_share(programme, env):
    assert syndicate(programme).exit_code == 0
    first = row(programme)
    assert len(statuses(env)) == 2

    # Within the hour Mastodon keeps idempotency keys: the second share has its own, so it is a new status.
    before = snapshot(programme.root)
    dry = syndicate(programme, "--again", BINS, "--network", "mastodon", "--dry-run")
    assert dry.exit_code == 0 and f"Mastodon: {BINS}: would send" in dry.output, dry.output
    assert snapshot(programme.root) == before and len(statuses(env)) == 2

    again = syndicate(programme, "--again", BINS, "--network", "mastodon")
    assert again.exit_code == 0, again.output
    assert f"Mastodon: {BINS}: sent" in again.output and "flood-wardens" not in again.output
    posted = statuses(env)
    assert len(posted) == 3 and sum(BINS in s["content"] for s in posted) == 2
    second = row(programme)
    assert second["status"] == "done" and second["share"] == 2
    assert second["remote_id"] != first["remote_id"]
    assert [e["remote_id"] for e in second["earlier"]] == [first["remote_id"]]
    assert second["earlier"][0]["remote_url"] == first["remote_url"]

    # A normal run sends nothing more; asking again makes a third share, recorded the same way.
    assert "nothing new to send" in syndicate(programme).output
    assert len(statuses(env)) == 3
    assert syndicate(programme, "--again", BINS, "--network", "mastodon").exit_code == 0
    third = row(programme)
    assert third["share"] == 3 and [e["remote_id"] for e in third["earlier"]] == [first["remote_id"],
                                                                                    second["remote_id"]]
    assert len(statuses(env)) == 4
    # The post's "Also on" link is its newest copy.
    from generator.syndication.ledger import syndication_links

    assert syndication_links(programme.blog)[BINS] == [{"label": "Mastodon", "url": third["remote_url"]}]


def test_a_second_share_cut_short_is_carried_on_never_made_twice(programme, env, monkeypatch, held_requests):
    assert syndicate(programme).exit_code == 0
    first = row(programme)
    # The instance keeps the second share's POST past the client's timeout, then creates it anyway.
    monkeypatch.setattr(mastodon, "REQUEST_TIMEOUT", 0.5)
    fault(env, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "latency", "delay_ms": 1500}, count=1)
    result = syndicate(programme, "--again", BINS, "--network", "mastodon")
    assert result.exit_code == 0, result.output
    held_requests.wait()  # the held POST is finished on the server too: a late copy would show now
    posted = statuses(env)
    assert sum(BINS in s["content"] for s in posted) == 2  # the first share and one second share
    second = row(programme)
    assert second["share"] == 2 and second["remote_id"] != first["remote_id"]


def test_a_pending_second_share_is_looked_up_past_the_first(programme, env):
    assert syndicate(programme).exit_code == 0
    first = row(programme)
    # A run that stopped after starting the second share, before Mastodon was called.
    data = json.loads(programme.ledger.read_text())
    for entry in data["posts"].values():
        if entry["slug"] == BINS:
            entry["networks"]["mastodon"] = {"status": "pending", "share": 2, "text": first["text"],
                                             "earlier": [first]}
    programme.ledger.write_text(json.dumps(data))
    # The normal run looks first: the first share is there, but it is not this one, so the second is sent.
    result = syndicate(programme)
    assert result.exit_code == 0 and f"Mastodon: {BINS}: sent" in result.output, result.output
    assert sum(BINS in s["content"] for s in statuses(env)) == 2
    assert row(programme)["share"] == 2


@pytest.mark.parametrize("args, says", [
    (["--again", BINS], "--again needs --network"),
    (["--again", "no-such-post", "--network", "mastodon"], "no blog has a post called 'no-such-post'"),
    (["--again", "older-news-from-september", "--network", "mastodon"], "has not been shared to Mastodon yet"),
    (["--again", BINS, "--network", "bluesky"], "does not share to Bluesky automatically"),
])
def test_again_is_refused_unless_it_names_a_shared_post_and_a_network(programme, env, args, says):
    assert syndicate(programme).exit_code == 0
    before = snapshot(programme.root)
    result = syndicate(programme, *args)
    assert result.exit_code != 0 and says in result.output, result.output
    assert snapshot(programme.root) == before and len(statuses(env)) == 2


def test_help_says_what_slug_is():
    result = run_cli("syndicate", "--help")
    text = re.sub(r"-\s+", "-", " ".join(result.output.split()))  # as read, not as wrapped
    assert "--again SLUG" in text and "as syndication.json shows it" in text
    assert "bin-collections-change-in-march" in text and "needed" in text
