"""Token health by each network's documented answers: days left, a warning 14 days ahead, the job summary."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.syndication.run_report import describe
from generator.syndication.runner import run
from tests.conftest import run_cli
from tests.support.helpers import Sleeps
from tests.syndication import payloads as P
from tests.syndication.conftest import SENTINEL, make_programme
from tests.syndication.test_contracts import ENV, FB_BASE, LI_BASE, PLATFORMS, responses

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
DAY = 86_400


def days(n: float) -> int:
    return int(NOW.timestamp() + n * DAY)


def syndicate(tmp_path, network, answers, env=None):
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS[network], posts={})
    (programme.root / "site/councillors").mkdir(parents=True)  # deployed, with nothing new to share
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        answers(mock)
        report = run(programme.root, network=network, env=env or ENV[network], sleep=Sleeps(), now=NOW,
                     clock=NOW.timestamp)
    return report, describe(report, dry_run=False)


def test_facebook_says_how_long_the_page_token_has_left(tmp_path):
    report, text = syndicate(tmp_path, "facebook", lambda mock: mock.get(
        f"{FB_BASE}/debug_token", json=P.fb_debug_token(expires_at=days(50.5), data_access_expires_at=days(80))))
    assert "Facebook token: 50 days left (until 10 January 2027)" in text and "WARNING" not in text
    assert report.tokens_needing_attention() == []


def test_facebook_warns_14_days_ahead_with_what_to_do(tmp_path):
    # The data access window ends first, so it is the one that counts.
    report, text = syndicate(tmp_path, "facebook", lambda mock: mock.get(
        f"{FB_BASE}/debug_token", json=P.fb_debug_token(expires_at=0, data_access_expires_at=days(14.2))))
    assert "WARNING: Facebook token: 14 days left (until 4 December 2026)" in text
    assert "fix: Page tokens expire" in text and "pages_manage_posts" in text
    assert [(blog, network) for blog, network, _ in report.tokens_needing_attention()] == [("amira-patel",
                                                                                            "facebook")]


def test_a_token_that_never_expires_says_nothing(tmp_path):
    report, text = syndicate(tmp_path, "facebook", lambda mock: mock.get(
        f"{FB_BASE}/debug_token", json=P.fb_debug_token(expires_at=0, data_access_expires_at=0)))
    assert "token" not in text.lower().replace("nc_amira_patel_facebook_token", "")
    assert report.tokens == {}


def test_an_expired_facebook_token_is_reported_not_raised(tmp_path):
    report, text = syndicate(tmp_path, "facebook", lambda mock: mock.get(
        f"{FB_BASE}/debug_token", json=P.FB_TOKEN_EXPIRED, status=400))
    assert "Facebook token: could not be checked (Facebook says the token has expired" in text
    assert not report.failed and SENTINEL not in text


def test_threads_renews_its_token_and_says_for_how_long(tmp_path):
    _, text = syndicate(tmp_path, "threads", lambda mock: mock.get(
        "https://graph.threads.test/refresh_access_token", json=P.th_refreshed(SENTINEL)))
    assert "Threads token: 59 days left (until 19 January 2027, renewed by this run)" in text
    assert SENTINEL not in text


def test_threads_refusing_the_renewal_is_a_warning(tmp_path):
    report, text = syndicate(tmp_path, "threads", lambda mock: mock.get(
        "https://graph.threads.test/refresh_access_token", json=P.TH_TOO_YOUNG, status=400))
    assert "Threads token: could not be checked" in text and "fix: Threads tokens last about 60 days" in text
    assert report.tokens_needing_attention()


def test_linkedin_says_when_the_app_can_ask(tmp_path):
    env = {**ENV["linkedin"], "NC_AMIRA_PATEL_LINKEDIN_CLIENT_ID": "77ab1cd2ef3gh",
           "NC_AMIRA_PATEL_LINKEDIN_CLIENT_SECRET": "client-secret-" + SENTINEL}

    def answers(mock):
        mock.post(f"{LI_BASE}/oauth/v2/introspectToken", json=P.li_introspected(days(9.5)))

    report, text = syndicate(tmp_path, "linkedin", answers, env)
    assert "WARNING: LinkedIn token: 9 days left (until 30 November 2026)" in text
    assert "fix: LinkedIn tokens last 60 days" in text and SENTINEL not in text
    # Without the app's client id and secret LinkedIn does not say, and nothing is asked.
    report, text = syndicate(tmp_path / "again", "linkedin", lambda mock: None)
    assert report.tokens == {}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_workflow_summary_lists_tokens_needing_attention(tmp_path, monkeypatch):
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS["facebook"], posts={})
    (programme.root / "site/councillors").mkdir(parents=True)
    summary = tmp_path / "summary.md"
    for name, value in {**ENV["facebook"], "GITHUB_STEP_SUMMARY": str(summary)}.items():
        monkeypatch.setenv(name, value)
    soon = int(dt.datetime.now(dt.UTC).timestamp()) + 3 * DAY + 3600
    with responses.RequestsMock() as mock:
        mock.get(f"{FB_BASE}/debug_token", json=P.fb_debug_token(expires_at=soon, data_access_expires_at=0))
        result = run_cli("syndicate", "--root", programme.root)
    assert result.exit_code == 0, result.output
    assert "WARNING: Facebook token: 3 days left" in result.output
    written = summary.read_text()
    assert written.startswith("### Network tokens needing attention")
    assert "- amira-patel: WARNING: Facebook token: 3 days left" in written and SENTINEL not in written


def test_check_says_how_long_each_token_has_left(tmp_path, monkeypatch):
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS["facebook"] + PLATFORMS["threads"], posts={})
    for name, value in {**ENV["facebook"], **ENV["threads"]}.items():
        monkeypatch.setenv(name, value)
    soon = int(dt.datetime.now(dt.UTC).timestamp()) + 5 * DAY + 3600
    with responses.RequestsMock() as mock:
        mock.get(f"{FB_BASE}/debug_token", json=P.fb_debug_token(expires_at=soon, data_access_expires_at=0))
        mock.get("https://graph.threads.test/refresh_access_token", json=P.th_refreshed(SENTINEL))
        result = run_cli("check", "--root", programme.root)
    assert "Network tokens:" in result.output, result.output
    assert "amira-patel: WARNING: Facebook token: 5 days left" in result.output
    assert "fix: Page tokens expire" in result.output
    assert "amira-patel: Threads token: 59 days left" in result.output and "renewed by this run" in result.output
    assert SENTINEL not in result.output


def test_check_asks_no_network_without_its_secrets(tmp_path, monkeypatch):
    programme = make_programme(tmp_path, extra_platforms=PLATFORMS["facebook"], posts={})
    for name in ENV["facebook"]:
        monkeypatch.delenv(name, raising=False)
    with responses.RequestsMock() as mock:
        result = run_cli("check", "--root", programme.root)
        assert len(mock.calls) == 0
    assert "Network tokens" not in result.output
