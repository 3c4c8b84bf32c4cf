"""The runner against a real Mastodon API server on loopback (mastodon-mock), including its faults.

mastodon-mock counts a URL at its full length where real Mastodon counts 23, so the
23-character rule is tested in test_compose.py; the posts here are short enough for both.
"""

from __future__ import annotations

import json
import logging

import pytest

from generator.exceptions import SyndicationError
from generator.syndication import base, ledger, mastodon
from generator.syndication.run_report import describe
from generator.syndication.runner import run
from tests.support.helpers import Sleeps
from tests.syndication.conftest import DUE, SENTINEL, fault, mastodon_env, snapshot, statuses

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def syndicate(programme, env, **kwargs):
    kwargs.setdefault("sleep", Sleeps())
    return run(programme.root, env=env, **kwargs)


def test_each_due_post_is_sent_once_and_recorded(programme, mastodon_server):
    env = mastodon_env(mastodon_server)
    report = syndicate(programme, env)
    assert [(r.post, r.status) for r in report.results] == [(slug, "sent") for slug in DUE]
    posted = statuses(mastodon_server)
    assert len(posted) == 2
    for slug in DUE:
        assert sum(slug in s["content"] for s in posted) == 1

    book = json.loads(programme.ledger.read_text())
    rows = {e["slug"]: e["networks"]["mastodon"] for e in book["posts"].values()}
    assert set(rows) == set(DUE)
    assert all(r["status"] == "done" and r["remote_id"] and r["remote_url"] for r in rows.values())
    assert book["networks"]["mastodon"]["baseline"].startswith("2026-10-01T00:00:00")
    assert book["networks"]["mastodon"]["max_characters"] == 500

    again = syndicate(programme, env)
    assert again.results == []
    assert len(statuses(mastodon_server)) == 2


def test_drafts_future_and_older_posts_are_never_sent(programme, mastodon_server):
    syndicate(programme, mastodon_env(mastodon_server))
    text = " ".join(s["content"] for s in statuses(mastodon_server))
    for never in ("older-news", "not-finished", "far-future"):
        assert never not in text


def test_a_post_not_yet_on_the_site_waits_for_the_deploy(programme, mastodon_server):
    programme.add_post("2026-11-20-late.md", "Late news", "2026-11-20 09:00", deploy=False)
    report = syndicate(programme, mastodon_env(mastodon_server))
    late = [r for r in report.results if r.post == "late-news"]
    assert late[0].status == "skipped" and "not on the built site" in late[0].detail
    assert len(statuses(mastodon_server)) == 2
    programme.deploy()
    report = syndicate(programme, mastodon_env(mastodon_server))
    assert [(r.post, r.status) for r in report.results] == [("late-news", "sent")]


def test_an_edited_post_is_not_sent_again(programme, mastodon_server):
    env = mastodon_env(mastodon_server)
    syndicate(programme, env)
    post = programme.blog / "content/posts/2026-10-20-bin-collections-change.md"
    post.write_text(post.read_text().replace("Bin collections change in March", "Bin collections change in April"))
    programme.deploy()
    assert syndicate(programme, env).results == []
    assert len(statuses(mastodon_server)) == 2


def test_no_site_is_refused(programme, mastodon_server):
    import shutil

    shutil.rmtree(programme.root / "site")
    with pytest.raises(SyndicationError, match="councillor build"):
        syndicate(programme, mastodon_env(mastodon_server))


def test_dry_run_previews_and_writes_nothing(programme, mastodon_server):
    before = snapshot(programme.root)
    report = syndicate(programme, mastodon_env(mastodon_server), dry_run=True)
    assert [(r.post, r.status) for r in report.results] == [(slug, "preview") for slug in DUE]
    assert statuses(mastodon_server) == []
    assert snapshot(programme.root) == before  # no ledger, no baseline, no lock or session file
    output = describe(report, dry_run=True)
    assert "NC_AMIRA_PATEL_MASTODON_TOKEN" in output and "would send" in output
    assert SENTINEL not in output

    # The previewed text is exactly what is then sent.
    previews = {r.post: r.text for r in report.results}
    syndicate(programme, mastodon_env(mastodon_server))
    sent = {e["slug"]: e["networks"]["mastodon"]["text"] for e in ledger.load(programme.blog).data["posts"].values()}
    assert sent == previews


def test_without_credentials_it_only_previews_and_names_the_secret(programme):
    report = syndicate(programme, {})
    assert {r.status for r in report.results} == {"preview"}
    assert "previewed only until these are set: NC_AMIRA_PATEL_MASTODON_TOKEN" in describe(report, dry_run=False)


def test_429_waits_as_long_as_retry_after_says(programme, mastodon_server):
    fault(mastodon_server, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "ratelimit", "headers": {"Retry-After": "7"}}, count=1)
    sleeps = Sleeps()
    report = syndicate(programme, mastodon_env(mastodon_server), sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [7.0]
    assert len(statuses(mastodon_server)) == 2


def test_503_is_retried_with_backoff(programme, mastodon_server):
    fault(mastodon_server, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "status", "status": 503}, count=2)
    sleeps = Sleeps()
    report = syndicate(programme, mastodon_env(mastodon_server), sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [base.BACKOFF_SECONDS, base.BACKOFF_SECONDS * 2]
    assert len(statuses(mastodon_server)) == 2


def test_a_wait_longer_than_allowed_is_left_for_the_next_run(programme, mastodon_server):
    fault(mastodon_server, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "ratelimit", "headers": {"Retry-After": "3600"}}, count=1)
    env = mastodon_env(mastodon_server)
    report = syndicate(programme, env)
    assert report.results[0].status == "error" and "3600 seconds" in report.results[0].detail
    assert report.results[1].status == "sent"
    report = syndicate(programme, env)
    assert [r.status for r in report.results] == ["sent"]
    assert len(statuses(mastodon_server)) == 2


def test_a_timeout_after_the_server_took_the_post_makes_no_second_copy(programme, mastodon_server, monkeypatch,
                                                                       held_requests):
    # The server holds the first POST past the client's timeout, then creates the status anyway.
    # Timeout and delay far apart, so a busy machine answering the retries slowly cannot blur them.
    monkeypatch.setattr(mastodon, "REQUEST_TIMEOUT", 1.0)
    fault(mastodon_server, match={"methods": ["POST"], "path": "/api/v1/statuses"},
          effect={"type": "latency", "delay_ms": 3000}, count=1)
    report = syndicate(programme, mastodon_env(mastodon_server))
    assert [r.status for r in report.results] == ["sent", "sent"]
    held_requests.wait()  # the held request finishes on the server in its own time: a late second copy shows now
    posted = statuses(mastodon_server)
    for slug in DUE:
        assert sum(slug in s["content"] for s in posted) == 1


def test_a_bad_token_is_reported_with_what_to_do_and_stops_that_network(programme, mastodon_server, caplog):
    caplog.set_level(logging.DEBUG)
    bad = "wrong-token-value-123456"
    report = syndicate(programme, mastodon_env(mastodon_server, token=bad))
    assert [r.status for r in report.results] == ["error", "skipped"]
    first = report.results[0]
    assert "did not accept the token" in first.detail and "Preferences > Development" in first.fix
    text = describe(report, dry_run=False) + caplog.text + programme.ledger.read_text()
    assert bad not in text
    assert statuses(mastodon_server) == []


def test_one_failing_network_does_not_stop_the_others(tmp_path, mastodon_server):
    from tests.syndication.conftest import make_programme

    programme = make_programme(tmp_path, extra_platforms="  threads: amirapatel\n")
    env = {**mastodon_env(mastodon_server), "NC_AMIRA_PATEL_THREADS_TOKEN": "t" * 20,
           "NC_AMIRA_PATEL_THREADS_USER_ID": "1234", "NC_AMIRA_PATEL_THREADS_API_BASE": "http://127.0.0.1:9"}
    report = syndicate(programme, env)
    by_network = {}
    for r in report.results:
        by_network.setdefault(r.network, []).append(r.status)
    assert by_network["mastodon"] == ["sent", "sent"]
    assert set(by_network["threads"]) == {"error"}


def test_tokens_never_reach_output_logs_ledger_or_site(programme, mastodon_server, caplog):
    from tests.conftest import run_cli

    caplog.set_level(logging.DEBUG)
    env = mastodon_env(mastodon_server)
    import os

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        dry = run_cli("syndicate", "--root", programme.root, "--dry-run")
        live = run_cli("syndicate", "--root", programme.root)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert live.exit_code == 0, live.output
    assert "sent" in live.output
    everything = dry.output + live.output + caplog.text + programme.ledger.read_text()
    everything += "".join(p.read_text(errors="ignore") for p in (programme.root / "site").rglob("*") if p.is_file())
    assert SENTINEL not in everything
