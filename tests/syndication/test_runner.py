"""The run as a whole: what one network's surprise does to the rest, and where a network's sharing starts."""

from __future__ import annotations

import datetime as dt

from generator.syndication import ledger
from generator.syndication.runner import run
from tests.support.helpers import Sleeps
from tests.syndication import payloads as P
from tests.syndication.conftest import DUE, make_programme
from tests.syndication.test_contracts import (
    ENV,
    FB_BASE,
    PLATFORMS,
    TH_BASE,
    calls,
    no_secret_anywhere,
    responses,
    rows,
)

FEED = f"{FB_BASE}/546349135390552/feed"


def threads_answers(mock) -> None:
    for container, published in ((P.TH_CONTAINER, P.TH_PUBLISHED), (P.TH_CONTAINER_2, P.TH_PUBLISHED_2)):
        mock.post(f"{TH_BASE}/1789/threads", json=container)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=published)
        mock.get(f"{TH_BASE}/{published['id']}", json=P.TH_PERMALINK)


def test_an_answer_nobody_expected_fails_that_post_and_the_run_goes_on(tmp_path):
    # A proxy's error page with status 200, in place of Facebook's JSON.
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS["facebook"] + PLATFORMS["threads"])
    env = {**ENV["facebook"], **ENV["threads"]}
    with responses.RequestsMock() as mock:
        mock.post(FEED, body="<html><body>Gateway busy</body></html>", status=200, content_type="text/html")
        mock.post(FEED, json=P.FB_CREATED_2)
        threads_answers(mock)
        report = run(programme.root, env=env, sleep=Sleeps(), clock=lambda: 1_700_000_000.0)

    outcome = {(r.network, r.post): r for r in report.results}
    first, second = DUE
    assert outcome[("facebook", first)].status == "error"
    assert "could not be understood" in outcome[("facebook", first)].detail
    assert outcome[("facebook", first)].fix
    assert outcome[("facebook", second)].status == "sent"
    assert [outcome[("threads", slug)].status for slug in DUE] == ["sent", "sent"]
    # The page may have taken the post before the odd answer, so the next run looks before posting again.
    assert rows(programme, "facebook")[first]["uncertain"] is True
    no_secret_anywhere(programme, report)

    with responses.RequestsMock() as mock:
        mock.get(f"{FB_BASE}/546349135390552/posts", json=P.FB_POSTS)  # it was posted after all
        report = run(programme.root, env=env, sleep=Sleeps(), clock=lambda: 1_700_000_000.0)
        assert calls(mock, "POST", FEED) == []
    # Mastodon, listed without its token, previews the same posts until the token is set.
    assert [(r.network, r.status) for r in report.results if r.network != "mastodon"] == [("facebook", "found")]
    assert {r.status for r in report.results if r.network == "mastodon"} == {"preview"}
    assert rows(programme, "facebook")[first]["status"] == ledger.DONE


def test_a_network_added_later_starts_from_the_day_it_was_added(tmp_path):
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS["facebook"])
    with responses.RequestsMock() as mock:
        mock.post(FEED, json=P.FB_CREATED)
        mock.post(FEED, json=P.FB_CREATED_2)
        report = run(programme.root, network="facebook", env=ENV["facebook"], sleep=Sleeps())
    assert [r.status for r in report.results] == ["sent", "sent"]  # from syndication_since

    # Weeks later the councillor lists Threads too: the posts Facebook already had are not sent there.
    config = programme.blog / "councillor.yml"
    config.write_text(config.read_text().replace("syndication_since", PLATFORMS["threads"] + "syndication_since"))
    added = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    with responses.RequestsMock() as mock:
        report = run(programme.root, network="threads", env=ENV["threads"], sleep=Sleeps(), now=added)
        # Nothing is posted: the one request is the token's renewal (not answered here, so reported).
        assert [c.request.method for c in mock.calls] == ["GET"]
        assert "refresh_access_token" in mock.calls[0].request.url
    assert report.results == []
    assert ledger.load(programme.blog).baseline("threads") == added

    # A post written after that goes to Threads as usual.
    programme.add_post("2026-11-25-surgery.md", "My December surgery", "2026-11-25 09:00")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        threads_answers(mock)
        report = run(programme.root, network="threads", env=ENV["threads"], sleep=Sleeps(),
                     now=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
        assert len(calls(mock, "POST", f"{TH_BASE}/1789/threads")) == 1
    assert [(r.post, r.status) for r in report.results] == [("my-december-surgery", "sent")]
