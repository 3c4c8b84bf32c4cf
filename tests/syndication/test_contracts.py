"""X, Facebook Pages, LinkedIn and Threads against recorded payloads from their documentation.

These networks cannot run on loopback, so each test serves the documented request and
response shapes (tests/syndication/payloads.py) through ``responses`` and checks what the
adapter sends and how it reads every answer, errors included.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import parse_qs

import pytest
import requests

from generator.syndication import ledger
from generator.syndication.compose import x_length
from generator.syndication.run_report import describe
from generator.syndication.runner import run
from tests.support.helpers import Sleeps
from tests.syndication import payloads as P
from tests.syndication.conftest import SENTINEL, make_programme

responses = pytest.importorskip("responses")

X_BASE = "https://api.x.test"
FB_BASE = "https://graph.facebook.test/v24.0"
LI_BASE = "https://api.linkedin.test"
TH_BASE = "https://graph.threads.test/v1.0"

PLATFORMS = {
    "x": "  x:\n    handle: amirapatel\n    syndicate: true\n",
    "facebook": "  facebook: CllrAmiraPatel\n",
    "linkedin": "  linkedin:\n    handle: Amira Patel\n    url: https://www.linkedin.com/in/amira-patel-example/\n",
    "threads": "  threads: amirapatel\n",
}
ENV = {
    "x": {"NC_AMIRA_PATEL_X_API_KEY": "key-" + SENTINEL, "NC_AMIRA_PATEL_X_API_SECRET": "secret-" + SENTINEL,
          "NC_AMIRA_PATEL_X_ACCESS_TOKEN": "token-" + SENTINEL, "NC_AMIRA_PATEL_X_ACCESS_SECRET": "tsecret-" + SENTINEL,
          "NC_AMIRA_PATEL_X_API_BASE": X_BASE},
    "facebook": {"NC_AMIRA_PATEL_FACEBOOK_PAGE_ID": "546349135390552", "NC_AMIRA_PATEL_FACEBOOK_TOKEN": SENTINEL,
                 "NC_AMIRA_PATEL_FACEBOOK_API_BASE": FB_BASE},
    "linkedin": {"NC_AMIRA_PATEL_LINKEDIN_TOKEN": SENTINEL, "NC_AMIRA_PATEL_LINKEDIN_AUTHOR": "urn:li:person:8675309",
                 "NC_AMIRA_PATEL_LINKEDIN_API_BASE": LI_BASE},
    "threads": {"NC_AMIRA_PATEL_THREADS_USER_ID": "1789", "NC_AMIRA_PATEL_THREADS_TOKEN": SENTINEL,
                "NC_AMIRA_PATEL_THREADS_API_BASE": TH_BASE},
}


class Killed(BaseException):
    """Stands in for the process dying: nothing catches it."""


def programme_for(tmp_path, network):
    return make_programme(tmp_path, extra_platforms=PLATFORMS[network])


def syndicate(programme, network, **kwargs):
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("clock", lambda: 1_700_000_000.0)
    return run(programme.root, network=network, env=ENV[network], **kwargs)


def rows(programme, network):
    data = ledger.load(programme.blog).data
    return {e["slug"]: e["networks"][network] for e in data["posts"].values() if network in e["networks"]}


def calls(mock, method, url):
    return [c for c in mock.calls if c.request.method == method and c.request.url.split("?")[0] == url]


def no_secret_anywhere(programme, report):
    text = describe(report, dry_run=False) + programme.ledger.read_text()
    assert SENTINEL not in text


# --- X ---------------------------------------------------------------------------------------


def test_x_posts_each_due_post_with_a_signed_request(tmp_path):
    programme = programme_for(tmp_path, "x")
    with responses.RequestsMock() as mock:
        mock.post(f"{X_BASE}/2/tweets", json=P.X_CREATED, status=201)
        mock.post(f"{X_BASE}/2/tweets", json=P.X_CREATED_2, status=201)
        report = syndicate(programme, "x")
        sent = [json.loads(c.request.body) for c in calls(mock, "POST", f"{X_BASE}/2/tweets")]
        auth = [c.request.headers["Authorization"] for c in mock.calls]
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert [P.POST_URL in s["text"] for s in sent] == [True, False]
    assert all(x_length(s["text"], s["text"].split()[-1]) <= 280 for s in sent)
    assert all(a.startswith("OAuth ") and "oauth_signature=" in a for a in auth)
    assert rows(programme, "x")["bin-collections-change-in-march"]["remote_url"] == \
        "https://x.com/amirapatel/status/1445880548472328192"
    no_secret_anywhere(programme, report)


def test_x_is_off_unless_the_councillor_turns_it_on(tmp_path):
    programme = make_programme(tmp_path, extra_platforms="  x: amirapatel\n")
    with responses.RequestsMock() as mock:
        report = run(programme.root, network="x", env=ENV["x"])
        assert len(mock.calls) == 0
    [said] = report.results
    assert said.status == "skipped" and "share-kit" in said.detail and "syndicate: true" in said.fix


def test_x_duplicate_means_probably_posted_so_it_is_looked_up(tmp_path):
    programme = programme_for(tmp_path, "x")
    with responses.RequestsMock() as mock:
        mock.post(f"{X_BASE}/2/tweets", json=P.X_DUPLICATE, status=403)
        mock.post(f"{X_BASE}/2/tweets", json=P.X_CREATED_2, status=201)
        mock.get(f"{X_BASE}/2/users/me", json=P.X_ME)
        mock.get(f"{X_BASE}/2/users/2244994945/tweets", json=P.X_TIMELINE)
        report = syndicate(programme, "x")
        assert len(calls(mock, "POST", f"{X_BASE}/2/tweets")) == 2
    assert [r.status for r in report.results] == ["found", "sent"]
    assert rows(programme, "x")["bin-collections-change-in-march"]["remote_id"] == "1445880548472328192"


def test_x_429_waits_until_the_rate_limit_resets(tmp_path):
    programme = programme_for(tmp_path, "x")
    sleeps = Sleeps()
    with responses.RequestsMock() as mock:
        mock.post(f"{X_BASE}/2/tweets", json=P.X_RATE_LIMITED, status=429, headers=P.X_RATE_LIMIT_HEADERS)
        mock.post(f"{X_BASE}/2/tweets", json=P.X_CREATED, status=201)
        mock.post(f"{X_BASE}/2/tweets", json=P.X_CREATED_2, status=201)
        report = syndicate(programme, "x", sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [60.0]  # x-rate-limit-reset minus the (fixed) clock


def test_x_bad_token_is_reported_and_stops_x_for_this_run(tmp_path):
    programme = programme_for(tmp_path, "x")
    with responses.RequestsMock() as mock:
        mock.post(f"{X_BASE}/2/tweets", json=P.X_UNAUTHORIZED, status=401)
        report = syndicate(programme, "x")
        assert len(mock.calls) == 1
    assert [r.status for r in report.results] == ["error", "skipped"]
    assert "Keys and tokens" in report.results[0].fix
    no_secret_anywhere(programme, report)


# --- Facebook Pages --------------------------------------------------------------------------


def test_facebook_posts_message_and_link_with_the_token_in_a_header(tmp_path):
    programme = programme_for(tmp_path, "facebook")
    with responses.RequestsMock() as mock:
        feed = f"{FB_BASE}/546349135390552/feed"
        mock.post(feed, json=P.FB_CREATED)
        mock.post(feed, json=P.FB_CREATED_2)
        report = syndicate(programme, "facebook")
        first = calls(mock, "POST", feed)[0].request
    form = parse_qs(first.body)
    assert form["link"] == [P.POST_URL] and P.POST_URL in form["message"][0]
    assert first.headers["Authorization"] == f"Bearer {SENTINEL}" and SENTINEL not in first.url
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert rows(programme, "facebook")["bin-collections-change-in-march"]["remote_url"] == \
        "https://www.facebook.com/546349135390552/posts/1116692661689527"


def test_facebook_expired_token_says_what_to_do(tmp_path):
    programme = programme_for(tmp_path, "facebook")
    with responses.RequestsMock() as mock:
        mock.post(f"{FB_BASE}/546349135390552/feed", json=P.FB_TOKEN_EXPIRED, status=400)
        report = syndicate(programme, "facebook")
    first = report.results[0]
    assert first.status == "error" and "token has expired" in first.detail and "60 days" in first.fix
    assert report.results[1].status == "skipped"
    no_secret_anywhere(programme, report)


def test_facebook_duplicate_is_found_on_the_page(tmp_path):
    programme = programme_for(tmp_path, "facebook")
    with responses.RequestsMock() as mock:
        mock.post(f"{FB_BASE}/546349135390552/feed", json=P.FB_DUPLICATE, status=400)
        mock.post(f"{FB_BASE}/546349135390552/feed", json=P.FB_CREATED_2)
        mock.get(f"{FB_BASE}/546349135390552/posts", json=P.FB_POSTS)
        report = syndicate(programme, "facebook")
    assert [r.status for r in report.results] == ["found", "sent"]


def test_facebook_unclear_failure_is_looked_up_before_trying_again(tmp_path):
    programme = programme_for(tmp_path, "facebook")
    sleeps = Sleeps()
    with responses.RequestsMock() as mock:
        feed = f"{FB_BASE}/546349135390552/feed"
        mock.post(feed, json=P.FB_TEMPORARY, status=500)  # it did in fact post the first one
        mock.get(f"{FB_BASE}/546349135390552/posts", json=P.FB_POSTS)
        mock.post(feed, json=P.FB_CREATED_2)
        report = syndicate(programme, "facebook", sleep=sleeps)
        assert len(calls(mock, "POST", feed)) == 2
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [2.0]


# --- LinkedIn --------------------------------------------------------------------------------


def test_linkedin_article_post_in_little_text_format(tmp_path):
    programme = programme_for(tmp_path, "linkedin")
    with responses.RequestsMock() as mock:
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS)
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS_2)
        report = syndicate(programme, "linkedin")
        request = calls(mock, "POST", f"{LI_BASE}/rest/posts")[0].request
    body = json.loads(request.body)
    assert request.headers["LinkedIn-Version"].isdigit() and request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert body["author"] == "urn:li:person:8675309" and body["lifecycleState"] == "PUBLISHED"
    assert body["content"]["article"] == {"source": P.POST_URL, "title": "Bin collections change in March",
                                          "description": "Black bins move to Tuesdays from 2 March."}
    assert "{hashtag|\\#|Bins}" in body["commentary"] or "{hashtag|\\#|bins}" in body["commentary"]
    assert P.POST_URL in body["commentary"]
    assert next(r.remote_url for r in report.results) == \
        "https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/"


def test_linkedin_duplicate_names_the_existing_post(tmp_path):
    programme = programme_for(tmp_path, "linkedin")
    with responses.RequestsMock() as mock:
        mock.post(f"{LI_BASE}/rest/posts", json=P.LI_DUPLICATE, status=422)
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS_2)
        report = syndicate(programme, "linkedin")
    assert [r.status for r in report.results] == ["found", "sent"]
    assert rows(programme, "linkedin")["bin-collections-change-in-march"]["remote_id"] == \
        "urn:li:share:6844785523593134080"


def test_linkedin_expired_token(tmp_path):
    programme = programme_for(tmp_path, "linkedin")
    with responses.RequestsMock() as mock:
        mock.post(f"{LI_BASE}/rest/posts", json=P.LI_EXPIRED, status=401)
        report = syndicate(programme, "linkedin")
    assert report.results[0].status == "error" and "60 days" in report.results[0].fix


def test_linkedin_pending_row_without_read_permission_is_left_for_a_person(tmp_path, monkeypatch):
    programme = programme_for(tmp_path, "linkedin")
    kill_after_first_accept(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS)
        with pytest.raises(Killed):
            syndicate(programme, "linkedin")
    monkeypatch.undo()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{LI_BASE}/rest/posts", json=P.LI_NOT_PERMITTED, status=403)
        mock.post(f"{LI_BASE}/rest/posts", status=201, headers=P.LI_CREATED_HEADERS_2)
        report = syndicate(programme, "linkedin")
        posted = [json.loads(c.request.body)["content"]["article"]["source"]
                  for c in calls(mock, "POST", f"{LI_BASE}/rest/posts")]
    assert P.POST_URL not in posted  # never a second copy
    first = next(r for r in report.results if r.post == "bin-collections-change-in-march")
    assert first.status == "error" and "cannot be checked" in first.detail and "done" in first.fix
    assert rows(programme, "linkedin")["bin-collections-change-in-march"]["uncertain"] is True


# --- Threads ---------------------------------------------------------------------------------


def test_threads_makes_a_container_then_publishes_it(tmp_path):
    programme = programme_for(tmp_path, "threads")
    with responses.RequestsMock() as mock:
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_CONTAINER)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_PUBLISHED)
        mock.get(f"{TH_BASE}/18002841452069587", json=P.TH_PERMALINK)
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_CONTAINER_2)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_PUBLISHED_2)
        mock.get(f"{TH_BASE}/18002841452069588", json=P.TH_PERMALINK)
        report = syndicate(programme, "threads")
        made = parse_qs(calls(mock, "POST", f"{TH_BASE}/1789/threads")[0].request.body)
        published = parse_qs(calls(mock, "POST", f"{TH_BASE}/1789/threads_publish")[0].request.body)
    assert made["media_type"] == ["TEXT"] and made["link_attachment"] == [P.POST_URL]
    assert published["creation_id"] == ["17889615691921648"]
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert report.results[0].remote_url == P.TH_PERMALINK["permalink"]


def test_threads_resumes_the_same_container_after_a_failed_publish(tmp_path):
    programme = programme_for(tmp_path, "threads")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_CONTAINER)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_EXPIRED, status=400)
        report = syndicate(programme, "threads")
    assert report.results[0].status == "error"
    assert rows(programme, "threads")["bin-collections-change-in-march"]["progress"] == \
        {"container": "17889615691921648"}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_PUBLISHED)
        mock.get(f"{TH_BASE}/18002841452069587", json=P.TH_PERMALINK)
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_CONTAINER_2)
        mock.post(f"{TH_BASE}/1789/threads_publish", json=P.TH_PUBLISHED_2)
        mock.get(f"{TH_BASE}/18002841452069588", json=P.TH_PERMALINK)
        report = syndicate(programme, "threads")
        first_publish = parse_qs(calls(mock, "POST", f"{TH_BASE}/1789/threads_publish")[0].request.body)
        containers = len(calls(mock, "POST", f"{TH_BASE}/1789/threads"))
    assert first_publish["creation_id"] == ["17889615691921648"]
    assert containers == 1  # only the second post needed a new container
    assert [r.status for r in report.results] == ["sent", "sent"]


def test_threads_expired_token(tmp_path):
    programme = programme_for(tmp_path, "threads")
    with responses.RequestsMock() as mock:
        mock.post(f"{TH_BASE}/1789/threads", json=P.TH_EXPIRED, status=400)
        report = syndicate(programme, "threads")
    assert report.results[0].status == "error" and "refresh" in report.results[0].fix
    no_secret_anywhere(programme, report)


# --- killed between the network accepting a post and the ledger write --------------------------


def kill_after_first_accept(monkeypatch):
    original = ledger.Ledger.mark_done
    seen = []

    def mark_done(self, *args, **kwargs):
        if not seen:
            seen.append(True)
            raise Killed()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ledger.Ledger, "mark_done", mark_done)


class FakeNetwork:
    """A stateful stand-in serving the recorded payloads: POST adds a post, the lookup lists them."""

    def __init__(self, network: str, answer_lost: bool = False):
        self.network = network
        self.posts: list[dict] = []
        self.containers: dict[str, str] = {}
        #: Take the first post but never answer, as when the connection drops after the server acted.
        self.answer_lost = answer_lost

    def install(self, mock) -> None:
        if self.network == "x":
            mock.add_callback("POST", f"{X_BASE}/2/tweets", callback=self.create)
            mock.get(f"{X_BASE}/2/users/me", json=P.X_ME)
            mock.add_callback("GET", f"{X_BASE}/2/users/2244994945/tweets", callback=self.listing)
        elif self.network == "facebook":
            mock.add_callback("POST", f"{FB_BASE}/546349135390552/feed", callback=self.create)
            mock.add_callback("GET", f"{FB_BASE}/546349135390552/posts", callback=self.listing)
        elif self.network == "linkedin":
            mock.add_callback("POST", f"{LI_BASE}/rest/posts", callback=self.create)
            mock.add_callback("GET", f"{LI_BASE}/rest/posts", callback=self.listing)
        elif self.network == "threads":
            mock.add_callback("POST", f"{TH_BASE}/1789/threads", callback=self.contain)
            mock.add_callback("POST", f"{TH_BASE}/1789/threads_publish", callback=self.create)
            mock.add_callback("GET", f"{TH_BASE}/1789/threads", callback=self.listing)
            mock.add_callback("GET", re.compile(re.escape(TH_BASE) + r"/\d{6,}(\?.*)?$"), callback=self.permalink)

    def contain(self, request):
        container = f"1788961569192{len(self.containers) + 1:04d}"
        self.containers[container] = parse_qs(request.body)["text"][0]
        return 200, {}, json.dumps({"id": container})

    def permalink(self, request):
        media = request.url.split("?")[0].rsplit("/", 1)[1]
        return 200, {}, json.dumps({"id": media, "permalink": f"https://www.threads.net/@amirapatel/post/{media}"})

    def create(self, request):
        status, headers, body = self._create(request)
        if self.answer_lost and len(self.posts) == 1:
            raise requests.exceptions.ReadTimeout("the server took the post, but its answer never came")
        return status, headers, body

    def _create(self, request):
        number = len(self.posts) + 1
        if self.network == "x":
            text = json.loads(request.body)["text"]
            body = copy.deepcopy(P.X_CREATED)
            body["data"].update(id=f"14458805484723{number:05d}", text=text)
            url = next(w for w in text.split() if w.startswith("https://"))
            self.posts.append({"id": body["data"]["id"], "text": text,
                               "entities": {"urls": [{"url": "https://t.co/x", "expanded_url": url}]}})
            return 201, {}, json.dumps(body)
        if self.network == "facebook":
            form = parse_qs(request.body)
            post = {"id": f"546349135390552_{number}", "message": form["message"][0]}
            self.posts.append(post)
            return 200, {}, json.dumps({"id": post["id"]})
        if self.network == "linkedin":
            body = json.loads(request.body)
            urn = f"urn:li:share:68447855235931{number:05d}"
            self.posts.append({"id": urn, "commentary": body["commentary"], "content": body["content"]})
            return 201, {"x-restli-id": urn}, ""
        if self.network == "threads":
            media = f"1800284145206{number:04d}"
            text = self.containers[parse_qs(request.body)["creation_id"][0]]
            self.posts.append({"id": media, "text": text, "permalink": f"https://www.threads.net/@amirapatel/{media}"})
            return 200, {}, json.dumps({"id": media})
        raise AssertionError(self.network)

    def listing(self, request):
        if self.network == "linkedin":
            return 200, {}, json.dumps({"elements": self.posts, "paging": {"count": 20, "start": 0}})
        return 200, {}, json.dumps({"data": self.posts})


@pytest.mark.parametrize("network", ["x", "facebook", "linkedin", "threads"])
def test_killed_after_the_network_accepted_a_post(tmp_path, monkeypatch, network):
    programme = programme_for(tmp_path, network)
    fake = FakeNetwork(network)
    kill_after_first_accept(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        with pytest.raises(Killed):
            syndicate(programme, network)
        assert len(fake.posts) == 1
        assert rows(programme, network)["bin-collections-change-in-march"]["status"] == "pending"
        monkeypatch.undo()
        report = syndicate(programme, network)
    assert [(r.post, r.status) for r in report.results] == [
        ("bin-collections-change-in-march", "found"), ("flood-wardens-wanted", "sent")]
    assert len(fake.posts) == 2
    found = rows(programme, network)
    assert {r["status"] for r in found.values()} == {"done"}
    assert found["bin-collections-change-in-march"]["remote_id"] == fake.posts[0]["id"]


# --- rate limits and lost answers ---------------------------------------------------------------

#: The first answer each network gives when it is limiting requests, and how long it asks to wait.
THROTTLED = {
    # Graph APIs say so in the body (code 4: application request limit), with status 400.
    "facebook": (f"{FB_BASE}/546349135390552/feed", 400, P.FB_THROTTLED, {}),
    "threads": (f"{TH_BASE}/1789/threads", 400, P.FB_THROTTLED, {}),
    "linkedin": (f"{LI_BASE}/rest/posts", 429, P.LI_THROTTLED, {"Retry-After": "7"}),
}


@pytest.mark.parametrize("network", sorted(THROTTLED))
def test_a_network_limiting_requests_is_waited_for_then_the_post_goes_out_once(tmp_path, network):
    programme = programme_for(tmp_path, network)
    url, status, body, headers = THROTTLED[network]
    fake, sleeps = FakeNetwork(network), Sleeps()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, url, json=body, status=status, headers=headers)  # answered first, once
        fake.install(mock)
        report = syndicate(programme, network, sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert len(fake.posts) == 2
    assert sleeps == ([7.0] if headers else [2.0])


@pytest.mark.parametrize("network", ["facebook", "linkedin", "threads"])
def test_an_answer_lost_after_the_network_took_the_post_is_looked_up_not_posted_again(tmp_path, network):
    programme = programme_for(tmp_path, network)
    fake = FakeNetwork(network, answer_lost=True)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        report = syndicate(programme, network)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert len(fake.posts) == 2  # not three
    found = rows(programme, network)
    assert found["bin-collections-change-in-march"]["remote_id"] == fake.posts[0]["id"]
