"""A new councillor's first posts: ``new`` -> ``post`` -> ``build`` -> ``syndicate``, as a web officer types them.

Against mastodon-mock and the real Bluesky PDS on loopback. The blog's sharing starts when
``councillor new`` made it (``syndication_since``), so the welcome post and the first post go
out, once each; a dry run before that shows both and leaves every file as it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from zoneinfo import ZoneInfo

import pytest

from generator.inputs.config import Councillor
from generator.inputs.yamlfile import load
from tests.conftest import REPO, copy_example, run_cli
from tests.syndication.conftest import SENTINEL, mastodon_env, snapshot, statuses

pytest_plugins = ["tests.syndication.conftest_pds"]  # the ``pds`` fixture
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

_handles = itertools.count(1)
FIRST = "Bin collections change in March"
WELCOME = "welcome-to-my-blog"
FIRST_SLUG = "bin-collections-change-in-march"


def bluesky_account(pds) -> tuple[str, str, str]:
    """(handle, did, app password) of a new account on the PDS, as a councillor makes one."""
    made = pds.create_account(f"newcllr{next(_handles)}.test", "the account's own password 1")
    session = pds.xrpc("com.atproto.server.createSession", {"identifier": made["handle"],
                                                            "password": made["password"]})
    app = pds.xrpc("com.atproto.server.createAppPassword", {"name": "councillor blog"}, token=session["accessJwt"])
    return made["handle"], made["did"], app["password"]


def bluesky_texts(pds, did: str) -> list[str]:
    found = pds.xrpc("com.atproto.repo.listRecords",
                     params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100})["records"]
    return [r["value"]["embed"]["external"]["uri"] for r in found]


def test_new_post_build_syndicate_shares_the_first_posts_exactly_once(tmp_path, pds, mastodon_server,
                                                                      monkeypatch):
    root = tmp_path / "programme"
    root.mkdir()
    shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    shutil.copytree(REPO / "branding", root / "branding")
    handle, did, app_password = bluesky_account(pds)

    made = run_cli("new", "--root", root, "Amira Patel", "--ward", "Castle", "--email",
                   "amira.patel@councillors.fenmarsh.example", "--mastodon", "@amirapatel@social.fenmarsh.example",
                   "--bluesky", handle)
    assert made.exit_code == 0, made.output
    config = root / "councillor_blogs" / "amira-patel" / "councillor.yml"
    councillor, problems = load(Councillor, config)
    assert not problems and councillor is not None
    since = councillor.syndication_since
    assert isinstance(since, dt.datetime)  # when the blog was made, to the minute, in the site's time
    now = dt.datetime.now(ZoneInfo("Europe/London")).replace(tzinfo=None)
    assert dt.timedelta(0) <= now - since < dt.timedelta(minutes=5)

    wrote = run_cli("post", "--root", root, "amira-patel", FIRST, "--tags", "bins")
    assert wrote.exit_code == 0, wrote.output
    built = run_cli("build", "--root", root)
    assert built.exit_code == 0, built.output

    for name, value in {**mastodon_env(mastodon_server), "NC_AMIRA_PATEL_BLUESKY_APP_PASSWORD": app_password,
                        "NC_AMIRA_PATEL_BLUESKY_SERVICE": pds.url}.items():
        monkeypatch.setenv(name, value)

    before = snapshot(root)
    dry = run_cli("syndicate", "--root", root, "--dry-run")
    assert dry.exit_code == 0, dry.output
    for label in ("Mastodon", "Bluesky"):
        for slug in (WELCOME, FIRST_SLUG):
            assert f"{label}: {slug}: would send" in dry.output, dry.output
    assert "nothing new to send" not in dry.output
    assert snapshot(root) == before  # byte for byte, and no new file (ledger, lock, session)
    assert statuses(mastodon_server) == [] and bluesky_texts(pds, did) == []

    live = run_cli("syndicate", "--root", root)
    assert live.exit_code == 0, live.output
    again = run_cli("syndicate", "--root", root)
    assert again.exit_code == 0 and "nothing new to send" in again.output, again.output

    posted = [s["content"] for s in statuses(mastodon_server)]
    cards = bluesky_texts(pds, did)
    assert len(posted) == 2 and len(cards) == 2
    for slug in (WELCOME, FIRST_SLUG):
        assert sum(f"/{slug}/" in status for status in posted) == 1, posted
        assert sum(url.endswith(f"/{slug}/") for url in cards) == 1
    assert SENTINEL not in dry.output + live.output + again.output


def test_a_dry_run_of_the_example_changes_no_file(tmp_path):
    root = copy_example(tmp_path / "programme")
    # Stand in for a deployed site: a page at every post's address.
    from generator.inputs.config import load_project
    from generator.inputs.posts import read_all
    from generator.inputs.urls import BLOGS_URL_PATH, post_path

    project = load_project(root)
    for blog in project.blogs:
        found, _ = read_all(blog.content_dir, project.programme.site.timezone)
        for post in found:
            page = root / "site" / BLOGS_URL_PATH / blog.slug / post_path(post) / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("<h1>post</h1>", encoding="utf-8")
    before = snapshot(root)
    dry = run_cli("syndicate", "--root", root, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "== chloe-durand" in dry.output
    assert snapshot(root) == before


def test_a_blog_without_a_start_date_says_where_sharing_starts(tmp_path, mastodon_server, monkeypatch):
    from tests.syndication.conftest import make_programme

    programme = make_programme(tmp_path)
    config = programme.blog / "councillor.yml"
    config.write_text(config.read_text().replace("syndication_since: 2026-10-01\n", ""))
    for name, value in mastodon_env(mastodon_server).items():
        monkeypatch.setenv(name, value)
    dry = run_cli("syndicate", "--root", programme.root, "--dry-run")
    assert "Mastodon: sharing would start" in dry.output and "earlier posts are not shared" in dry.output
    assert not programme.ledger.exists()
    live = run_cli("syndicate", "--root", programme.root)
    assert "Mastodon: sharing starts" in live.output
    assert statuses(mastodon_server) == []  # an older blog's back catalogue stays where it is

    # A post written after that is shared, and the dry run and the real run agree on it.
    programme.add_post("2027-01-02-later.md", "Later news", "2027-01-02 09:00")
    later = dt.datetime(2027, 1, 3, tzinfo=dt.UTC)
    from generator.syndication.runner import run

    previewed = run(programme.root, dry_run=True, now=later)
    sent = run(programme.root, now=later)
    assert [(r.post, r.status) for r in previewed.results] == [("later-news", "preview")]
    assert [(r.post, r.status) for r in sent.results] == [("later-news", "sent")]


def test_a_network_without_its_secret_yet_sends_what_it_previewed_once_the_secret_is_set(tmp_path, mastodon_server):
    from generator.syndication.runner import run
    from tests.syndication.conftest import DUE, make_programme

    programme = make_programme(tmp_path, extra_platforms="  threads: amirapatel\n")
    # The first real run has Threads' secrets but not yet Mastodon's: Mastodon is previewed only.
    threads = {"NC_AMIRA_PATEL_THREADS_TOKEN": "t" * 20, "NC_AMIRA_PATEL_THREADS_USER_ID": "1",
               "NC_AMIRA_PATEL_THREADS_API_BASE": "http://127.0.0.1:9"}
    first = run(programme.root, env=threads, sleep=lambda s: None)
    assert [r.status for r in first.results if r.network == "mastodon"] == ["preview", "preview"]
    # Once the token is set, the posts it previewed are the posts it sends.
    second = run(programme.root, env=mastodon_env(mastodon_server), network="mastodon", sleep=lambda s: None)
    assert [(r.post, r.status) for r in second.results] == [(slug, "sent") for slug in DUE]
    assert len(statuses(mastodon_server)) == 2
