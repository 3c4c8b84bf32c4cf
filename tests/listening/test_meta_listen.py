"""Listening on a Facebook Page and on Threads against their documented answers (tests/listening/payloads.py),
served through ``responses``: counts, replies across pages, followers, and each documented fault."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from generator.syndication import ledger, listen
from tests.conftest import run_cli
from tests.listening import payloads as P
from tests.support.helpers import Sleeps
from tests.syndication.conftest import SENTINEL, make_programme

PLATFORMS = ("  facebook: CllrAmiraPatel\n  threads: amirapatel\n  x:\n    handle: amirapatel\n    syndicate: true\n"
             "  linkedin:\n    handle: Amira Patel\n    url: https://www.linkedin.com/in/amira-patel-example/\n")
ENV = {"NC_AMIRA_PATEL_FACEBOOK_PAGE_ID": P.FB_PAGE, "NC_AMIRA_PATEL_FACEBOOK_TOKEN": SENTINEL,
       "NC_AMIRA_PATEL_FACEBOOK_API_BASE": P.FB_BASE, "NC_AMIRA_PATEL_THREADS_USER_ID": "1789",
       "NC_AMIRA_PATEL_THREADS_TOKEN": SENTINEL, "NC_AMIRA_PATEL_THREADS_API_BASE": P.TH_BASE}
SLUGS = {"2026-10-20-bin-collections-change.md": "bin-collections-change-in-march",
         "2026-11-02-flood-wardens.md": "flood-wardens-wanted"}


@pytest.fixture
def shared(tmp_path):
    """The two due posts recorded in the ledger as shared to Facebook, Threads and X."""
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS)
    book = ledger.Ledger.load(programme.blog)
    copies = {"facebook": (P.FB_POST, P.FB_POST_2), "threads": (P.TH_POST, P.TH_POST_2), "x": ("1", "2")}
    for network, ids in copies.items():
        for (key, slug), remote in zip(SLUGS.items(), ids, strict=True):
            book.set_row(key, network, slug=slug, url=f"https://example.org/{slug}/", status="done",
                         remote_id=remote, remote_url=f"https://example.org/{network}/{remote}")
    book.save()
    return programme


def serve(mock, routes: dict[str, list[tuple[dict[str, str], int, dict]]]) -> None:
    """Answer each path with the first (query it must contain, status, body) that matches the request."""
    def answer(request):
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        for wanted, status, body in routes[urlsplit(request.url).path]:
            if wanted.items() <= query.items():
                return status, {"Content-Type": "application/json"}, json.dumps(body)
        return 404, {}, json.dumps({"error": {"message": "unexpected request", "code": 803}})

    for path in routes:
        host = P.FB_BASE if path.startswith(urlsplit(P.FB_BASE).path) and "/v24.0/" in path else P.TH_BASE
        base = host.split("/v")[0]
        mock.add_callback("GET", f"{base}{path}", callback=answer)


def fb(path: str) -> str:
    return f"{urlsplit(P.FB_BASE).path}/{path}"


def th(path: str) -> str:
    return f"{urlsplit(P.TH_BASE).path}/{path}"


def happy_routes() -> dict:
    return {
        fb(P.FB_POST): [({}, 200, P.FB_COUNTS)],
        fb(P.FB_POST_2): [({}, 200, P.FB_COUNTS_NONE)],
        fb(f"{P.FB_POST}/comments"): [({"after": "WTI5dGJXVnVkRjlqZAFhKemIzSTZB"}, 200, P.FB_COMMENTS_2),
                                      ({}, 200, P.FB_COMMENTS_1)],
        fb(f"{P.FB_POST_2}/comments"): [({}, 200, P.FB_COMMENTS_EMPTY)],
        fb(P.FB_PAGE): [({}, 200, P.FB_FOLLOWERS)],
        th(f"{P.TH_POST}/insights"): [({}, 200, P.TH_INSIGHTS)],
        th(f"{P.TH_POST_2}/insights"): [({}, 200, {"data": []})],
        th(f"{P.TH_POST}/conversation"): [({"after": "QVFIUm9"}, 200, P.TH_CONVERSATION_2),
                                          ({}, 200, P.TH_CONVERSATION_1)],
        th(f"{P.TH_POST_2}/conversation"): [({}, 200, {"data": []})],
        th("1789/threads_insights"): [({}, 200, P.TH_FOLLOWERS)],
    }


def read(programme, **kwargs):
    return listen.run(programme.root, env=ENV, sleep=kwargs.pop("sleep", Sleeps()), clock=lambda: 1_700_000_000.0,
                      **kwargs)


def record(programme) -> dict:
    return json.loads((programme.blog / "listening.json").read_text())


def test_counts_comments_across_pages_and_followers_are_recorded_once(shared):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve(mock, happy_routes())
        report = read(shared)
        again = read(shared)
        sent_tokens = {c.request.headers.get("Authorization") for c in mock.calls if ".test/" in c.request.url}
    outcomes = {o.network: o for o in report.outcomes}
    assert (outcomes["facebook"].status, outcomes["facebook"].posts, outcomes["facebook"].new) == ("read", 2, 3)
    assert (outcomes["threads"].status, outcomes["threads"].posts, outcomes["threads"].new) == ("read", 2, 2)
    # Her Mastodon instance cannot be reached from here: that network's fault, nobody else's.
    assert outcomes["mastodon"].status == "fault" and "could not reach" in outcomes["mastodon"].detail
    assert outcomes["x"].status == "skipped" and "cannot read replies" in outcomes["x"].detail
    assert outcomes["linkedin"].status == "skipped" and "does not let an app read" in outcomes["linkedin"].detail
    assert {o.network: o.new for o in again.outcomes if o.status == "read"} == {"facebook": 0, "threads": 0}
    assert sent_tokens == {f"Bearer {SENTINEL}"}, "the token goes in a header, never in a logged URL"

    data = record(shared)
    flood, bins = (data["posts"][k]["networks"] for k in ("2026-11-02-flood-wardens.md",
                                                          "2026-10-20-bin-collections-change.md"))
    three = ("replies", "likes", "reposts")
    assert {k: bins["facebook"][k] for k in three} == {"replies": 3, "likes": 12, "reposts": 2}
    assert {k: flood["facebook"][k] for k in three} == {"replies": 0, "likes": 0, "reposts": 0}
    assert {k: bins["threads"][k] for k in ("likes", "replies", "reposts", "quotes")} == \
        {"likes": 9, "replies": 3, "reposts": 1, "quotes": 0}
    assert "likes" not in flood["threads"], "a metric Threads did not give is not recorded as a number"
    texts = sorted(r["text"] for r in data["responses"].values())
    assert texts == ["Bins were missed on Mill Lane again", "Great news", "Is the drain on Mill Lane on the list?",
                     "Thank you!", "Will the tip at Fen Road be open on the Saturday?"]
    anonymous = data["responses"]["facebook:1116692661689527_903"]["author"]
    assert anonymous["name"] == "someone on Facebook" and "url" not in anonymous
    jo = data["responses"]["threads:18050206876707110"]
    assert jo["author"] == {"handle": "@fenmarsh_jo", "name": "fenmarsh_jo",
                            "url": "https://www.threads.net/@fenmarsh_jo"}
    assert "threads:18050206876707111" not in data["responses"], "the councillor's own reply is not a response"
    assert list(data["followers"]["facebook"].values()) == [1204]
    assert list(data["followers"]["threads"].values()) == [412]
    assert SENTINEL not in json.dumps(data) + listen.describe(report)


def test_a_deleted_post_a_token_that_may_not_read_and_throttling_are_reported_per_network(shared):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve(mock, happy_routes())
        read(shared)
    kept = record(shared)
    routes = happy_routes()
    routes[fb(P.FB_POST_2)] = [({}, 400, P.FB_DELETED)]
    routes[th(f"{P.TH_POST}/insights")] = [({}, 403, P.TH_NO_INSIGHTS)]
    sleeps = Sleeps()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        # Facebook limits the first request (code 4) and then answers: the run waits and carries on.
        mock.add("GET", f"{P.FB_BASE}/{P.FB_POST}", json={"error": {"message": "(#4) Application request limit "
                 "reached", "type": "OAuthException", "code": 4, "is_transient": True}}, status=400)
        serve(mock, routes)
        report = read(shared, sleep=sleeps)
    outcomes = {o.network: o for o in report.outcomes}
    facebook, threads = outcomes["facebook"], outcomes["threads"]
    assert facebook.status == "fault" and facebook.posts == 1
    assert "flood-wardens-wanted: Facebook has no such post any more" in facebook.detail
    assert threads.status == "fault" and threads.posts == 0
    assert "lacks a permission" in threads.detail and "threads_manage_insights" in threads.fix
    after = record(shared)
    assert after["responses"] == kept["responses"], "nothing already recorded is lost"
    assert after["posts"]["2026-11-02-flood-wardens.md"]["networks"]["threads"] == \
        kept["posts"]["2026-11-02-flood-wardens.md"]["networks"]["threads"]
    assert set(after["faults"]) == {"facebook", "threads", "mastodon"}
    # Mastodon, unreachable, is tried four times; Facebook's limit is waited out once (code 4 names no time).
    assert sleeps == [2.0, 4.0, 8.0, 2.0]
    text = listen.describe(report)
    assert "Facebook: PROBLEM" in text and "Threads: PROBLEM" in text and SENTINEL not in text


def test_a_personal_profile_is_not_read_and_a_broken_record_is_reported_and_left_alone(tmp_path, monkeypatch):
    personal = make_programme(tmp_path / "a", extra_platforms="  facebook:\n    handle: amira.patel.77\n"
                                                              "    personal: true\n")
    result = run_cli("listen", "--root", personal.root, "--network", "facebook")
    assert result.exit_code == 0, result.output
    assert "Facebook: skipped - a personal profile: no app may read it" in result.output

    broken = make_programme(tmp_path / "b")
    (broken.blog / "listening.json").write_text('{"format": 1, "responses": [', encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    result = run_cli("listen", "--root", broken.root, "--network", "mastodon")
    summary = (tmp_path / "summary.md").read_text()
    assert "Could not read everything this time" in summary and "- amira-patel, Mastodon: " in summary
    assert result.exit_code == 0, result.output
    assert "Mastodon: PROBLEM" in result.output and "listening.json cannot be read" in result.output
    assert (broken.blog / "listening.json").read_text() == '{"format": 1, "responses": ['
    listed = run_cli("replies", "--root", broken.root)
    assert listed.exit_code != 0 and "listening.json cannot be read" in listed.output
