"""Smoke test of the local Bluesky PDS harness (fixture ``pds``, tests/syndication/conftest_pds.py).

A real @atproto/pds on loopback: create an account, log in with the atproto SDK
without any AppView call, upload a thumbnail blob, write a post with a link
facet (UTF-8 byte offsets) and an external embed, read it back unchanged.
"""

from __future__ import annotations

import struct
import warnings
import zlib

from atproto import Client, models

# the ``pds`` fixture, registered as a plugin so it works whatever tests/syndication/conftest.py holds
pytest_plugins = ["tests.syndication.conftest_pds"]


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A valid 1x1 PNG (the PDS sniffs the MIME type from the bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + bytes(rgb))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_pds_post_with_link_facet_and_external_embed_round_trips(pds):
    acct = pds.create_account("smoke-harness.test", "correct horse battery staple")
    assert acct["did"].startswith("did:plc:")
    assert acct["handle"] == "smoke-harness.test"

    # log in with the SDK: createSession only, no app.bsky.actor.getProfile (no AppView here)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # e.g. the SDK's "could not fetch the Bluesky profile"
        client = pds.login(acct["handle"], acct["password"])
    assert client.me is None
    assert client._session.did == acct["did"]
    assert client._session.pds_endpoint.rstrip("/") == pds.url  # from the DID document the PLC holds

    # thumbnail blob
    png = tiny_png()
    uploaded = client.upload_blob(png).blob
    assert uploaded.mime_type == "image/png"
    assert uploaded.size == len(png)
    thumb_cid = uploaded.ref.link

    # text with multi-byte characters before the link: facets index UTF-8 bytes, not code points
    link = "https://cllr.example.org/2024/05/café-bins-update.html"
    text = f"Bins update — “Café Row” ✓ read more: {link}"
    encoded = text.encode("utf-8")
    byte_start = encoded.index(link.encode("utf-8"))
    byte_end = byte_start + len(link.encode("utf-8"))
    assert byte_start != text.index(link)  # the offsets really are byte offsets

    record = models.AppBskyFeedPost.Record(
        text=text,
        created_at=client.get_current_time_iso(),
        langs=["en-GB"],
        facets=[
            models.AppBskyRichtextFacet.Main(
                features=[models.AppBskyRichtextFacet.Link(uri=link)],
                index=models.AppBskyRichtextFacet.ByteSlice(byte_start=byte_start, byte_end=byte_end),
            )
        ],
        embed=models.AppBskyEmbedExternal.Main(
            external=models.AppBskyEmbedExternal.External(
                uri=link,
                title="Café Row bins: what changes in May",
                description="Collection days move; here is the new timetable.",
                thumb=uploaded,
            )
        ),
    )
    created = client.com.atproto.repo.create_record(
        models.ComAtprotoRepoCreateRecord.Data(repo=acct["did"], collection="app.bsky.feed.post", record=record)
    )
    assert created.uri.startswith(f"at://{acct['did']}/app.bsky.feed.post/")
    rkey = created.uri.rsplit("/", 1)[1]

    # read back, raw JSON as the PDS stores it (no SDK model in the way)
    got = pds.xrpc(
        "com.atproto.repo.getRecord",
        params={"repo": acct["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
    )
    assert got["uri"] == created.uri
    assert got["cid"] == created.cid
    value = got["value"]
    assert value["$type"] == "app.bsky.feed.post"
    assert value["text"] == text
    assert value["langs"] == ["en-GB"]

    (facet,) = value["facets"]
    # (the SDK also writes "$type": "app.bsky.richtext.facet#byteSlice" on the index; harmless)
    assert (facet["index"]["byteStart"], facet["index"]["byteEnd"]) == (byte_start, byte_end)
    (feature,) = facet["features"]
    assert feature["$type"] == "app.bsky.richtext.facet#link"
    assert feature["uri"] == link
    assert value["text"].encode("utf-8")[byte_start:byte_end].decode("utf-8") == link

    embed = value["embed"]
    assert embed["$type"] == "app.bsky.embed.external"
    assert embed["external"]["uri"] == link
    assert embed["external"]["title"] == "Café Row bins: what changes in May"
    assert embed["external"]["thumb"] == {
        "$type": "blob",
        "ref": {"$link": thumb_cid},
        "mimeType": "image/png",
        "size": len(png),
    }

    # the same through the SDK's typed model
    typed = client.com.atproto.repo.get_record(
        models.ComAtprotoRepoGetRecord.Params(repo=acct["did"], collection="app.bsky.feed.post", rkey=rkey)
    )
    assert typed.value.text == text
    assert typed.value.facets[0].index.byte_start == byte_start
    assert typed.value.embed.external.thumb.ref.link == thumb_cid

    # the blob itself is stored, byte for byte, and now referenced by the record
    blob = client.com.atproto.sync.get_blob(models.ComAtprotoSyncGetBlob.Params(did=acct["did"], cid=thumb_cid))
    assert blob == png


def test_pds_saved_session_resumes_without_login(pds):
    """A saved session string resumes without createSession and without any AppView call."""
    acct = pds.create_account("smoke-session.test", "another long password")
    first = pds.login(acct["handle"], acct["password"])
    saved = first.export_session_string()

    resumed = Client(base_url=pds.url)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # e.g. the SDK's "could not fetch the Bluesky profile"
        resumed.login(session_string=saved, fetch_bsky_profile=False)
    assert resumed.me is None
    out = resumed.com.atproto.server.get_session()
    assert out.did == acct["did"]
    assert out.handle == acct["handle"]
