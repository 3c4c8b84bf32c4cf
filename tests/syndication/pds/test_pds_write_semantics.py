"""What the real PDS does with deterministic record keys, repeats and ``validate``.

These pin the behaviour FINDINGS.md (same folder) reports, so an exactly-once
Bluesky adapter built on it learns if a PDS upgrade changes it. Raw XRPC over
HTTP (``pds.xrpc``) so the exact error names/messages are visible.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from datetime import UTC, datetime

import pytest
from atproto import Client, models
from atproto_client.exceptions import BadRequestError, RequestException
from atproto_client.models.utils import get_model_as_dict

from tests.syndication.conftest_pds import PdsError

pytest_plugins = ["tests.syndication.conftest_pds"]  # the ``pds`` fixture

POST = "app.bsky.feed.post"
_B32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs use


def deterministic_tid(published: datetime, key: str) -> str:
    """A valid TID derived from a blog post (FINDINGS.md's recipe).

    Timestamp: the post's publish second, plus 0..999999 µs from a hash of its
    canonical URL; clock id: 10 more bits of that hash. Same post, same rkey;
    two posts published in the same second collide with odds ~1e-9.
    (TID = 53-bit µs since the epoch << 10 | 10-bit clock id, top bit 0,
    written as 13 chars of base32-sortable.)
    """
    h = hashlib.sha256(key.encode("utf-8")).digest()
    micros = int(published.timestamp()) * 1_000_000 + int.from_bytes(h[:4], "big") % 1_000_000
    clock_id = int.from_bytes(h[4:6], "big") & 0x3FF
    value = (micros << 10) | clock_id
    assert value < 2**63
    return "".join(_B32[(value >> (60 - 5 * i)) & 31] for i in range(13))


def post(text: str, created_at: str = "2024-05-01T10:00:00.000Z") -> dict:
    return {"$type": POST, "text": text, "createdAt": created_at}


@pytest.fixture(scope="module")
def acct(pds):
    a = pds.create_account("semantics.test", "semantics password 1")
    session = pds.xrpc("com.atproto.server.createSession", {"identifier": a["handle"], "password": a["password"]})
    return {**a, "token": session["accessJwt"], "session": session}


def _head(pds, did):
    return pds.xrpc("com.atproto.sync.getLatestCommit", params={"did": did})


def test_deterministic_tid_is_valid_and_stable():
    published = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    a = deterministic_tid(published, "https://cllr.example.org/2024/05/bins.html")
    assert a == deterministic_tid(published, "https://cllr.example.org/2024/05/bins.html")
    assert a != deterministic_tid(published, "https://cllr.example.org/2024/05/parks.html")
    assert len(a) == 13 and a[0] in "234567abcdefghij" and set(a) <= set(_B32)


def test_create_record_twice_with_same_rkey_fails_with_500_and_changes_nothing(pds, acct):
    did, tok = acct["did"], acct["token"]
    rkey = deterministic_tid(datetime(2024, 5, 1, 9, 30, tzinfo=UTC), "https://x.example/dup")
    first = pds.xrpc("com.atproto.repo.createRecord",
                     {"repo": did, "collection": POST, "rkey": rkey, "record": post("first")}, token=tok)
    assert first["uri"] == f"at://{did}/{POST}/{rkey}"
    assert first["validationStatus"] == "valid"
    head = _head(pds, did)

    for body in (
        {"repo": did, "collection": POST, "rkey": rkey, "record": post("first")},  # identical retry
        {"repo": did, "collection": POST, "rkey": rkey, "record": post("changed")},  # different content
        {"repo": did, "collection": POST, "rkey": rkey, "record": post("first"), "validate": False},
    ):
        with pytest.raises(PdsError) as e:
            pds.xrpc("com.atproto.repo.createRecord", body, token=tok)
        # NOT a specific error: the server log says
        # "There is already a value at key: app.bsky.feed.post/<rkey>"
        assert (e.value.status, e.value.error, e.value.message) == (500, "InternalServerError", "Internal Server Error")

    # applyWrites#create: the same
    with pytest.raises(PdsError) as e:
        pds.xrpc("com.atproto.repo.applyWrites", {"repo": did, "writes": [
            {"$type": "com.atproto.repo.applyWrites#create", "collection": POST, "rkey": rkey, "value": post("x")}
        ]}, token=tok)
    assert (e.value.status, e.value.error) == (500, "InternalServerError")

    # nothing was written: same repo head, first record intact
    assert _head(pds, did) == head
    got = pds.xrpc("com.atproto.repo.getRecord", params={"repo": did, "collection": POST, "rkey": rkey})
    assert (got["cid"], got["value"]["text"]) == (first["cid"], "first")


def test_sdk_raises_plain_request_exception_for_the_duplicate(pds, acct):
    client = pds.login(acct["handle"], acct["password"])
    rkey = "3ksbyt2yfqk2s"
    data = models.ComAtprotoRepoCreateRecord.Data(
        repo=acct["did"], collection=POST, rkey=rkey,
        record=models.AppBskyFeedPost.Record(text="sdk", created_at="2024-05-01T10:00:00.000Z"))
    client.com.atproto.repo.create_record(data)
    with pytest.raises(RequestException) as e:
        client.com.atproto.repo.create_record(data)
    assert not isinstance(e.value, BadRequestError)
    assert e.value.response.status_code == 500
    assert e.value.response.content.error == "InternalServerError"


def test_put_record_with_swap_record_null_is_create_if_absent(pds, acct):
    did, tok = acct["did"], acct["token"]
    rkey = "3ksbyt2yfqk3s"
    body = {"repo": did, "collection": POST, "rkey": rkey, "swapRecord": None, "record": post("once")}

    created = pds.xrpc("com.atproto.repo.putRecord", body, token=tok)
    assert "commit" in created and created["validationStatus"] == "valid"
    head = _head(pds, did)

    # identical record again: a no-op success, same cid, no commit
    again = pds.xrpc("com.atproto.repo.putRecord", body, token=tok)
    assert again["cid"] == created["cid"] and "commit" not in again
    assert _head(pds, did) == head

    # different content: a specific, safe refusal naming the existing record's cid
    with pytest.raises(PdsError) as e:
        pds.xrpc("com.atproto.repo.putRecord", {**body, "record": post("twice")}, token=tok)
    assert (e.value.status, e.value.error) == (400, "InvalidSwap")
    assert e.value.message == f"Record was at {created['cid']}"
    assert _head(pds, did) == head


def test_put_record_without_swap_overwrites(pds, acct):
    did, tok = acct["did"], acct["token"]
    rkey = "3ksbyt2yfqk4s"
    a = pds.xrpc("com.atproto.repo.putRecord",
                 {"repo": did, "collection": POST, "rkey": rkey, "record": post("v1")}, token=tok)
    b = pds.xrpc("com.atproto.repo.putRecord",
                 {"repo": did, "collection": POST, "rkey": rkey, "record": post("v2")}, token=tok)
    assert a["cid"] != b["cid"] and "commit" in b  # silently an edit
    got = pds.xrpc("com.atproto.repo.getRecord", params={"repo": did, "collection": POST, "rkey": rkey})
    assert got["value"]["text"] == "v2"


def test_sdk_put_record_model_drops_swap_record_none_so_send_it_raw(pds, acct):
    data = models.ComAtprotoRepoPutRecord.Data(
        repo=acct["did"], collection=POST, rkey="3ksbyt2yfqk5s", swap_record=None,
        record=models.AppBskyFeedPost.Record(text="raw", created_at="2024-05-01T10:00:00.000Z"))
    assert "swapRecord" not in get_model_as_dict(data)  # => would be a plain overwrite

    client = pds.login(acct["handle"], acct["password"])
    body = {**get_model_as_dict(data), "swapRecord": None}
    resp = client.invoke_procedure("com.atproto.repo.putRecord", content=json.dumps(body),
                                   input_encoding="application/json", output_encoding="application/json")
    assert resp.content["uri"].endswith("/3ksbyt2yfqk5s")
    body["record"]["text"] = "raw, changed"
    with pytest.raises(BadRequestError) as e:
        client.invoke_procedure("com.atproto.repo.putRecord", content=json.dumps(body),
                                input_encoding="application/json", output_encoding="application/json")
    assert e.value.response.content.error == "InvalidSwap"


def test_record_can_be_recreated_after_delete(pds, acct):
    did, tok = acct["did"], acct["token"]
    rkey = "3ksbyt2yfqk6s"
    args = {"repo": did, "collection": POST, "rkey": rkey}
    pds.xrpc("com.atproto.repo.createRecord", {**args, "record": post("a")}, token=tok)
    pds.xrpc("com.atproto.repo.deleteRecord", args, token=tok)
    with pytest.raises(PdsError) as e:
        pds.xrpc("com.atproto.repo.getRecord", params=args)
    assert (e.value.status, e.value.error) == (400, "RecordNotFound")
    assert e.value.message == f"Could not locate record: at://{did}/{POST}/{rkey}"
    pds.xrpc("com.atproto.repo.createRecord", {**args, "record": post("b")}, token=tok)


def test_feed_post_rkey_must_be_a_tid_unless_validate_false(pds, acct):
    did, tok = acct["did"], acct["token"]
    with pytest.raises(PdsError) as e:
        pds.xrpc("com.atproto.repo.createRecord",
                 {"repo": did, "collection": POST, "rkey": "nc-2024-05-bins", "record": post("x")}, token=tok)
    assert (e.value.status, e.value.error) == (400, "InvalidRequest")
    assert e.value.message == (
        'Invalid record key for app.bsky.feed.post: Invalid TID string (got "nc-2024-05-bins") at $')

    out = pds.xrpc("com.atproto.repo.createRecord", {"repo": did, "collection": POST, "rkey": "nc-2024-05-bins",
                                                     "validate": False, "record": post("x")}, token=tok)
    assert "validationStatus" not in out

    # the generic record-key syntax is checked whatever validate says
    with pytest.raises(PdsError) as e:
        pds.xrpc("com.atproto.repo.createRecord", {"repo": did, "collection": POST, "rkey": "a b",
                                                   "validate": False, "record": post("x")}, token=tok)
    assert e.value.message == 'Invalid record key (got "a b") at $.rkey'

    # any syntactically valid TID is accepted, whatever time it encodes
    for rkey in ("22222222222aa", "7zzzzzzzzzz22"):
        out = pds.xrpc("com.atproto.repo.createRecord",
                       {"repo": did, "collection": POST, "rkey": rkey, "record": post("t")}, token=tok)
        assert out["validationStatus"] == "valid"


def test_validate_modes(pds, acct):
    did, tok = acct["did"], acct["token"]

    def create(collection, record, **extra):
        return pds.xrpc("com.atproto.repo.createRecord",
                        {"repo": did, "collection": collection, "record": record, **extra}, token=tok)

    # omitted: known lexicons are validated ...
    with pytest.raises(PdsError) as e:
        create(POST, {"$type": POST, "text": "no date"})
    assert e.value.message == 'Invalid app.bsky.feed.post record: Missing required key "createdAt" at $.record'
    with pytest.raises(PdsError) as e:
        create(POST, post("é" * 301))
    assert e.value.message == (
        "Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text")
    # ... unknown ones pass as "unknown"
    assert create("org.example.thing", {"$type": "org.example.thing", "a": 1})["validationStatus"] == "unknown"
    # true: unknown lexicons are refused
    with pytest.raises(PdsError) as e:
        create("org.example.thing", {"$type": "org.example.thing", "a": 1}, validate=True)
    assert (e.value.status, e.value.error) == (400, "InvalidRequest")
    assert e.value.message == "Unknown lexicon type: org.example.thing"
    # false: anything goes (no validationStatus in the answer)
    assert "validationStatus" not in create(POST, {"$type": POST, "text": "no date"}, validate=False)
    assert "validationStatus" not in create(POST, post("é" * 301), validate=False)


def test_create_session_fields_and_sdk_login_paths(pds, acct):
    s = acct["session"]
    assert {"accessJwt", "refreshJwt", "did", "handle", "didDoc", "email", "emailConfirmed", "active"} <= set(s)
    assert s["didDoc"]["service"][0]["serviceEndpoint"] == pds.url

    # Client.login() with the defaults also calls app.bsky.actor.getProfile (the AppView, proxied by the PDS);
    # a PDS without an AppView answers 400, and login() raises although the session was created
    for kwargs in ({"login": acct["handle"], "password": acct["password"]}, {"session_string": None}):
        client = Client(base_url=pds.url)
        if "session_string" in kwargs:
            kwargs = {"session_string": pds.login(acct["handle"], acct["password"]).export_session_string()}
        with pytest.raises(BadRequestError) as e:
            client.login(**kwargs)
        assert e.value.response.content.error == "InvalidRequest"
        assert e.value.response.content.message == "No service configured for app.bsky.actor.getProfile"

    # fetch_bsky_profile=False: only com.atproto.server.*, for both paths
    fresh = Client(base_url=pds.url)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # e.g. the SDK's "could not fetch the Bluesky profile"
        fresh.login(acct["handle"], acct["password"], fetch_bsky_profile=False)
        saved = fresh.export_session_string()
        resumed = Client(base_url=pds.url)
        resumed.login(session_string=saved, fetch_bsky_profile=False)
    assert saved.split(":::") == [acct["handle"], acct["did"], fresh._session.access_jwt,
                                  fresh._session.refresh_jwt, pds.url]
    assert resumed.com.atproto.server.get_session().did == acct["did"]

    # importing a session string makes no request at all: one pointing at a closed port still "logs in"
    offline = Client(base_url="http://127.0.0.1:9")
    offline.login(session_string=":::".join([*saved.split(":::")[:4], "http://127.0.0.1:9"]),
                  fetch_bsky_profile=False)
    assert offline._session.did == acct["did"]
