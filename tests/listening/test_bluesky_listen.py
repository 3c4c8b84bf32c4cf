"""``councillor listen`` against a real Bluesky network on loopback: a PDS, the bsky AppView and PostgreSQL.

The councillor's posts go out with the real ``councillor syndicate``; other accounts reply, like,
repost, quote and mention the councillor; ``listen`` records exactly those; the councillor approves
one reply; the built post page shows the counts and that reply's words, and nothing of the other.
"""

from __future__ import annotations

import json
import time

import mf2py
import pytest
from atproto import client_utils, models

from tests.conftest import run_cli
from tests.syndication.conftest import make_programme

pytest_plugins = ["tests.listening.conftest_appview"]  # the ``appview`` fixture
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SITE_URL = "http://127.0.0.1:1/networked-councillor/"
PASSWORD = "app-pass-8k2q-z7rm"
PAGE = "site/councillors/amira-patel/2026/11/flood-wardens-wanted/index.html"


@pytest.fixture(scope="module")
def town(appview, tmp_path_factory):
    """The councillor's two posts shared to Bluesky, and four residents' accounts."""
    cllr = appview.create_account("amira", PASSWORD)
    people = {name: appview.create_account(name, "resident-pw") for name in ("jodie", "samir", "kimi", "leeann")}
    programme = make_programme(tmp_path_factory.mktemp("bluesky-listen"), extra_platforms='  bluesky: "amira.test"\n')
    env = {"NC_AMIRA_PATEL_BLUESKY_APP_PASSWORD": PASSWORD, "NC_AMIRA_PATEL_BLUESKY_SERVICE": appview.pds_url,
           "NC_AMIRA_PATEL_BLUESKY_APPVIEW": appview.appview_url}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        sent = run_cli("syndicate", "--root", programme.root, "--network", "bluesky")
    assert sent.exit_code == 0, sent.output
    appview.process_all()  # the parent is indexed before anyone answers it (see the harness notes)
    book = json.loads(programme.ledger.read_text())
    uris = {e["slug"]: e["networks"]["bluesky"]["remote_id"] for e in book["posts"].values()}
    return appview, programme, env, cllr, people, uris


def ref(appview, uri: str) -> models.ComAtprotoRepoStrongRef.Main:
    post = appview.xrpc("app.bsky.feed.getPostThread", uri=uri)["thread"]["post"]
    return models.ComAtprotoRepoStrongRef.Main(uri=post["uri"], cid=post["cid"])


def settle(appview, uri: str, **counts: int) -> None:
    """Wait until the AppView's counts for ``uri`` are ``counts``: it updates them a moment after indexing."""
    deadline = time.monotonic() + 20
    while True:
        appview.process_all()
        post = appview.xrpc("app.bsky.feed.getPostThread", uri=uri)["thread"]["post"]
        seen = {name: post.get(f"{name}Count") for name in counts}
        if seen == counts:
            return
        assert time.monotonic() < deadline, f"the AppView still says {seen}, not {counts}"
        time.sleep(0.5)


def listen(programme, env) -> str:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        result = run_cli("listen", "--root", programme.root, "--network", "bluesky")
    assert result.exit_code == 0, result.output
    return result.output


def test_replies_likes_reposts_quotes_and_mentions_are_recorded_exactly(town):
    appview, programme, env, cllr, people, uris = town
    flood = ref(appview, uris["flood-wardens-wanted"])
    jo, sam, kim, lee = (appview.login(people[n]["handle"], "resident-pw")
                         for n in ("jodie", "samir", "kimi", "leeann"))
    thread = models.AppBskyFeedPost.ReplyRef(parent=flood, root=flood)

    def indexed(made):
        # One write indexed at a time: the AppView indexes repos in parallel, and two likes of one post
        # indexed at the same moment can leave its like count one short.
        appview.process_all()
        return made

    approved = indexed(jo.send_post("I can do Tuesdays by the Fen Road drain.\n\nAnd <b>Saturdays</b>.",
                                    reply_to=thread))
    unapproved = indexed(sam.send_post("My number is 07700 900123, call me", reply_to=thread))
    indexed(jo.like(flood.uri, flood.cid))
    indexed(sam.like(flood.uri, flood.cid))
    indexed(sam.repost(flood.uri, flood.cid))
    indexed(kim.send_post("Worth a read", embed=models.AppBskyEmbedRecord.Main(record=flood)))
    mention = indexed(lee.send_post(client_utils.TextBuilder().mention("@amira.test", cllr["did"])
                                    .text(" the bins on Mill Lane were missed again")))
    own = appview.login("amira.test", PASSWORD)
    own.send_post("Thank you Jo", reply_to=models.AppBskyFeedPost.ReplyRef(
        parent=models.ComAtprotoRepoStrongRef.Main(uri=approved.uri, cid=approved.cid), root=flood))
    settle(appview, flood.uri, reply=2, like=2, repost=1, quote=1)

    out = listen(programme, env)
    assert "Bluesky: read (2 posts, 3 new)" in out, out
    data = json.loads((programme.blog / "listening.json").read_text())
    row = next(e for e in data["posts"].values() if e["slug"] == "flood-wardens-wanted")["networks"]["bluesky"]
    assert {k: row[k] for k in ("replies", "likes", "reposts", "quotes")} == \
        {"replies": 2, "likes": 2, "reposts": 1, "quotes": 1}
    assert row["remote_url"].startswith("https://bsky.app/profile/amira.test/post/")
    responses = data["responses"]
    assert set(responses) == {f"bluesky:{approved.uri}", f"bluesky:{unapproved.uri}", f"bluesky:{mention.uri}"}
    reply = responses[f"bluesky:{approved.uri}"]
    assert reply["kind"] == "reply" and reply["author"]["handle"] == "@jodie.test"
    assert reply["author"]["url"] == "https://bsky.app/profile/jodie.test"
    assert reply["text"] == "I can do Tuesdays by the Fen Road drain.\n\nAnd <b>Saturdays</b>."
    assert reply["post"] == "2026-11-02-flood-wardens.md"
    assert responses[f"bluesky:{mention.uri}"]["kind"] == "mention"
    assert data["followers"]["bluesky"] and PASSWORD not in (programme.blog / "listening.json").read_text()

    # Twice: nothing recorded twice, nothing new.
    again = listen(programme, env)
    assert "Bluesky: read (2 posts, 0 new)" in again
    assert json.loads((programme.blog / "listening.json").read_text())["responses"] == responses

    waiting = run_cli("replies", "--root", programme.root)
    assert "jodie.test" in waiting.output and "07700 900123" in waiting.output and "Mill Lane" in waiting.output
    short = next(line.split()[0] for line in waiting.output.splitlines() if "@jodie.test" in line)
    decided = run_cli("replies", "amira-patel", "--approve", short, "--root", programme.root)
    assert decided.exit_code == 0 and "approved" in decided.output, decided.output
    after = run_cli("replies", "--root", programme.root)
    assert "@jodie.test" not in after.output and "@samir.test" in after.output

    built = run_cli("build", "--root", programme.root, "--base-url", SITE_URL, "-j", "1")
    assert built.exit_code == 0, built.output
    page = (programme.root / PAGE).read_text(encoding="utf-8")
    assert "2 replies, 2 likes, 1 repost and 1 quote on Bluesky" in page
    assert "Tuesdays by the Fen Road drain" in page and "&lt;b&gt;Saturdays&lt;/b&gt;" in page
    assert "<b>Saturdays" not in page
    assert "07700 900123" not in page and "Mill Lane" not in page
    entry = next(i for i in mf2py.parse(doc=page)["items"] if "h-entry" in i["type"])
    comments = entry["properties"]["comment"]
    assert len(comments) == 1
    assert comments[0]["properties"]["url"][0].startswith("https://bsky.app/profile/jodie.test/post/")
    assert comments[0]["properties"]["author"][0]["properties"]["url"] == ["https://bsky.app/profile/jodie.test"]


def test_a_post_deleted_on_bluesky_is_reported_and_the_rest_still_read(town):
    appview, programme, env, _, _, uris = town
    listen(programme, env)
    before = json.loads((programme.blog / "listening.json").read_text())
    own = appview.login("amira.test", PASSWORD)
    own.delete_post(uris["bin-collections-change-in-march"])
    appview.process_all()
    out = listen(programme, env)
    assert "Bluesky: PROBLEM (1 post, 0 new)" in out
    assert "bin-collections-change-in-march: Bluesky has no such post any more" in out
    after = json.loads((programme.blog / "listening.json").read_text())
    assert after["responses"] == before["responses"]
    bins = "2026-10-20-bin-collections-change.md"
    assert after["posts"][bins] == before["posts"][bins], "its last reading is kept"
    assert "bin-collections-change-in-march: its copy may have been deleted" in after["faults"]["bluesky"]["message"]
