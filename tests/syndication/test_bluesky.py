"""Bluesky against a REAL PDS on loopback: build a programme, run ``councillor syndicate``, read the posts back.

Each test makes its own account (with a real app password) on the one PDS the session
starts, writes a small programme whose councillor has that handle, builds it with
``councillor build`` (only posts in the built site are sent) and syndicates. Faults the
PDS cannot be asked for (429, 503, an answer lost after the post was taken) are put
between the SDK and the PDS with an httpx transport; everything behind it is the real
server.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import regex
from atproto import Client
from atproto_client.request import Request
from PIL import Image

from generator.syndication import base, bluesky, bluesky_records
from generator.syndication.compose import BLUESKY_MAX_BYTES, BLUESKY_MAX_GRAPHEMES, ELLIPSIS, bluesky_display
from generator.syndication.run_report import describe
from generator.syndication.runner import run
from tests.conftest import REPO, run_cli
from tests.support.helpers import Sleeps
from tests.syndication.conftest import make_programme

if TYPE_CHECKING:
    from tests.syndication.conftest_pds import LocalPds

pytest_plugins = ["tests.syndication.conftest_pds"]  # the ``pds`` fixture

POST = "app.bsky.feed.post"
SLUG = "amira-patel"
PASSWORD_VAR = "NC_AMIRA_PATEL_BLUESKY_APP_PASSWORD"
SERVICE_VAR = "NC_AMIRA_PATEL_BLUESKY_SERVICE"
SITE = "https://fenmarsh-council.github.io/networked-councillor/councillors/amira-patel/"
CRASH = Path(__file__).with_name("crash_cli.py")
CREATE_SESSION = "com.atproto.server.createSession"
CREATE_RECORD = "com.atproto.repo.createRecord"
_handles = itertools.count(1)


# --- an account, a programme, a wire ---------------------------------------------------


@dataclass
class Account:
    handle: str
    did: str
    password: str
    app_password: str

    def env(self, pds: LocalPds, app_password: str | None = None) -> dict[str, str]:
        return {PASSWORD_VAR: app_password or self.app_password, SERVICE_VAR: pds.url}


@pytest.fixture
def account(pds: LocalPds) -> Account:
    """A fresh account on the PDS with an app password, as a councillor would make in Bluesky's settings."""
    made = pds.create_account(f"amira{next(_handles)}.test", "the account's own password 1")
    session = pds.xrpc(CREATE_SESSION, {"identifier": made["handle"], "password": made["password"]})
    app = pds.xrpc("com.atproto.server.createAppPassword", {"name": "networked-councillor"},
                   token=session["accessJwt"])
    return Account(made["handle"], made["did"], made["password"], app["password"])


COUNCILLOR = """\
name: Amira Patel
ward: Castle
contact:
  email: amira.patel@councillors.fenmarsh.example
platforms:
{platforms}syndication_since: 2026-10-01
"""


def post_file(title: str, date: str, summary: str, *, status: str = "published", tags: str = "[bins, flood risk]",
              extra: str = "") -> str:
    return textwrap.dedent(f"""\
        ---
        title: "{title}"
        date: {date}
        status: {status}
        summary: "{summary}"
        tags: {tags}
        """) + extra + f"---\nBody text for {title}.\n"


PICTURE = "image:\n  src: images/bins.png\n  alt: Two wheelie bins by a gate\n"
POSTS = {
    "2026-09-15-older-news.md": post_file("Older news from September", "2026-09-15 09:00", "Before switching on."),
    "2026-10-20-bin-collections-change.md": post_file("Bin collections change in March", "2026-10-20 09:00",
                                                      "Black bins move to Tuesdays from 2 March.", extra=PICTURE),
    "2026-11-02-flood-wardens.md": post_file("Flood wardens wanted", "2026-11-02 10:00",
                                             "Volunteers wanted to watch the drains. Training is on 14 November."),
    "2026-11-10-not-finished.md": post_file("Not finished yet", "2026-11-10 10:00", "A draft.", status="draft"),
    "2099-01-01-far-future.md": post_file("A post for the future", "2099-01-01 10:00", "Not yet."),
}
DUE = {"bin-collections-change-in-march": f"{SITE}2026/10/bin-collections-change-in-march/",
       "flood-wardens-wanted": f"{SITE}2026/11/flood-wardens-wanted/"}


@dataclass
class Programme:
    root: Path
    account: Account

    @property
    def blog(self) -> Path:
        return self.root / "councillor_blogs" / SLUG

    @property
    def ledger(self) -> Path:
        return self.blog / "syndication.json"

    @property
    def session_file(self) -> Path:
        return self.root / base.SESSIONS_DIR / f"{SLUG}-bluesky.session"

    def write(self, name: str, text: str) -> None:
        (self.blog / "content" / "posts" / name).write_text(text, encoding="utf-8")

    def build(self) -> None:
        result = run_cli("build", "--root", self.root)
        assert result.exit_code == 0, result.output

    def rows(self) -> dict[str, dict[str, Any]]:
        data = json.loads(self.ledger.read_text(encoding="utf-8"))
        return {e["slug"]: e["networks"]["bluesky"] for e in data["posts"].values() if "bluesky" in e["networks"]}


def councillor(programme: Programme, platforms: str = "") -> None:
    (programme.blog / "councillor.yml").write_text(
        COUNCILLOR.format(platforms=f"  bluesky: {programme.account.handle}\n{platforms}"), encoding="utf-8")


def make(tmp_path: Path, account: Account, posts: dict[str, str] | None = None, platforms: str = "",
         build: bool = True) -> Programme:
    skeleton = make_programme(tmp_path, posts={}, deploy=False)
    programme = Programme(skeleton.root, account)
    councillor(programme, platforms)
    images = programme.blog / "content" / "images"
    images.mkdir(parents=True)
    Image.linear_gradient("L").resize((600, 315)).convert("RGB").save(images / "bins.png")
    for name, text in (POSTS if posts is None else posts).items():
        programme.write(name, text)
    if build:
        programme.build()
    return programme


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The usual programme built once (with a stand-in handle); tests copy it rather than build it again."""
    stand_in = Account("stand-in.test", "did:plc:none", "", "")
    return make(tmp_path_factory.mktemp("built"), stand_in).root


def copy_built(built: Path, tmp_path: Path, account: Account, platforms: str = "") -> Programme:
    """A programme with the usual posts and its built site, for ``account``'s handle."""
    programme = Programme(tmp_path / "programme", account)
    shutil.copytree(built, programme.root)
    councillor(programme, platforms)
    return programme


@pytest.fixture
def programme(built: Path, tmp_path: Path, account: Account) -> Programme:
    return copy_built(built, tmp_path, account)


@dataclass
class Fault:
    nsid: str
    count: int
    effect: Callable[[httpx.Request, httpx.BaseTransport], httpx.Response]


@dataclass
class Wire(httpx.BaseTransport):
    """The SDK's transport: passes everything to the real PDS, counting calls, with faults where asked."""

    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    calls: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.rsplit("/", 1)[-1]
        self.calls.append(nsid)
        for fault in self.faults:
            if fault.nsid == nsid and fault.count > 0:
                fault.count -= 1
                return fault.effect(request, self.inner)
        return self.inner.handle_request(request)

    def fail(self, nsid: str, effect: Callable[[httpx.Request, httpx.BaseTransport], httpx.Response],
             count: int = 1) -> None:
        self.faults.append(Fault(nsid, count, effect))

    def count(self, nsid: str) -> int:
        return self.calls.count(nsid)


def answer(status: int, headers: dict[str, str] | None = None, error: str = "InternalServerError"):
    def effect(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        return httpx.Response(status, headers=headers or {}, json={"error": error, "message": error},
                              request=request)
    return effect


def taken_then_timeout(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
    """The PDS takes the request and answers, but the answer never arrives."""
    inner.handle_request(request).read()
    raise httpx.ReadTimeout("timed out", request=request)


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    made = Wire()
    monkeypatch.setattr(bluesky, "make_request", lambda: Request(timeout=base.REQUEST_TIMEOUT, transport=made))
    return made


@pytest.fixture
def logs() -> Iterator[list[str]]:
    """Every log line, DEBUG up, from the project, the SDK and httpx (the CLI stops ``generator`` propagating)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(exc_text)s"))
    names = ["", "generator", "generator.syndication", "httpx", "httpcore", "atproto_client"]
    before = {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger(name).addHandler(handler)
    try:
        yield lines
    finally:
        for name, (level, propagate) in before.items():
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).propagate = propagate


def cli(programme: Programme, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, *args: str):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return run_cli("syndicate", "--root", programme.root, *args)


def syndicate(programme: Programme, env: dict[str, str], **kwargs: Any):
    kwargs.setdefault("sleep", Sleeps())
    return run(programme.root, env=env, network="bluesky", **kwargs)


# --- reading the PDS back --------------------------------------------------------------


def records(pds: LocalPds, did: str) -> list[dict[str, Any]]:
    return pds.xrpc("com.atproto.repo.listRecords", params={"repo": did, "collection": POST, "limit": 100})["records"]


def by_url(pds: LocalPds, did: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for record in records(pds, did):
        url = record["value"]["embed"]["external"]["uri"]
        assert url not in found, f"{url} posted twice"
        found[url] = record
    return found


def blob(pds: LocalPds, did: str, cid: str) -> bytes:
    with urllib.request.urlopen(f"{pds.url}/xrpc/com.atproto.sync.getBlob?did={did}&cid={cid}", timeout=30) as r:
        return r.read()


def sliced(text: str, facet: dict[str, Any]) -> str:
    return text.encode("utf-8")[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")


def check_facets(value: dict[str, Any], url: str) -> None:
    """Every facet's UTF-8 byte range slices exactly what it names, in the text as stored: the link shown short
    as the Bluesky app shows it, its facet carrying the full address."""
    text = value["text"]
    shown = bluesky_display(url)
    links = []
    for facet in value.get("facets", []):
        (feature,) = facet["features"]
        if feature["$type"] == "app.bsky.richtext.facet#link":
            assert sliced(text, facet) == shown and feature["uri"] == url
            links.append(facet)
        else:
            assert feature["$type"] == "app.bsky.richtext.facet#tag"
            assert sliced(text, facet) == "#" + feature["tag"]
    assert len(links) == text.count(shown) == 1 and url not in text


def everything_written(programme: Programme, *outputs: str) -> str:
    site = "".join(p.read_text(errors="ignore") for p in (programme.root / "site").rglob("*")
                   if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".js"))
    return "\n".join(outputs) + programme.ledger.read_text() + site


# --- the whole run, as a councillor's web officer does it -------------------------------


def test_each_due_post_goes_out_once_with_its_link_facet_card_and_picture(programme, account, pds, monkeypatch,
                                                                           logs):
    env = account.env(pds)

    dry = cli(programme, env, monkeypatch, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"Bluesky credentials: {PASSWORD_VAR} (all set)" in dry.output and "would send" in dry.output
    assert records(pds, account.did) == []
    assert not programme.session_file.exists()  # a preview never logs in

    live = cli(programme, env, monkeypatch)
    assert live.exit_code == 0, live.output
    assert live.output.count("sent (https://bsky.app/profile/") == 2

    posted = by_url(pds, account.did)
    assert set(posted) == set(DUE.values())
    rows = programme.rows()
    assert set(rows) == set(DUE)
    for slug, url in DUE.items():
        record, row = posted[url], rows[slug]
        value = record["value"]
        rkey = record["uri"].rsplit("/", 1)[1]
        assert rkey == bluesky_records.record_key(url)
        assert row["status"] == "done" and row["remote_id"] == record["uri"]
        assert row["remote_url"] == f"https://bsky.app/profile/{account.handle}/post/{rkey}"
        assert "progress" not in row
        assert value["text"] == row["text"]
        assert value["text"].startswith({"bin-collections-change-in-march": "Bin collections change in March\n\n"
                                         "Black bins move to Tuesdays from 2 March.\n\n",
                                         "flood-wardens-wanted": "Flood wardens wanted\n\nVolunteers wanted"}[slug])
        assert value["text"].endswith(f"{bluesky_display(url)}\n\n#bins #FloodRisk")
        check_facets(value, url)
        assert [f["features"][0].get("tag") for f in value["facets"]] == [None, "bins", "FloodRisk"]
        assert value["langs"] == ["en-GB"]
        external = value["embed"]["external"]
        assert value["embed"]["$type"] == "app.bsky.embed.external" and external["uri"] == url

    bins = posted[DUE["bin-collections-change-in-march"]]["value"]["embed"]["external"]
    assert (bins["title"], bins["description"]) == ("Bin collections change in March",
                                                    "Black bins move to Tuesdays from 2 March.")
    picture = (programme.blog / "content/images/bins.png").read_bytes()
    assert bins["thumb"]["mimeType"] == "image/png" and bins["thumb"]["size"] == len(picture)
    assert blob(pds, account.did, bins["thumb"]["ref"]["$link"]) == picture
    flood = posted[DUE["flood-wardens-wanted"]]["value"]["embed"]["external"]
    assert flood["title"] == "Flood wardens wanted" and "thumb" not in flood  # no picture, no thumb

    # A second run finds nothing new and writes nothing.
    again = cli(programme, env, monkeypatch)
    assert again.exit_code == 0 and "nothing new to send" in again.output
    assert len(records(pds, account.did)) == 2

    # The saved session is this user's alone, and neither it nor the app password is anywhere else.
    assert programme.session_file.stat().st_mode & 0o777 == 0o600
    handle, did, access, refresh, endpoint = programme.session_file.read_text().split(":::")
    assert (handle, did, endpoint) == (account.handle, account.did, pds.url)
    written = everything_written(programme, dry.output, live.output, again.output, "\n".join(logs))
    for secret in (account.app_password, access, refresh):
        assert secret not in written
    assert not list((programme.root / "site").rglob("*.session"))


def test_without_the_app_password_it_previews_and_names_the_secret(programme, account, pds, monkeypatch):
    monkeypatch.delenv(PASSWORD_VAR, raising=False)
    result = cli(programme, {SERVICE_VAR: pds.url}, monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"Bluesky is previewed only until these are set: {PASSWORD_VAR}" in result.output
    assert records(pds, account.did) == []
    assert {r["status"] for r in programme.rows().values()} == {"preview"}


def test_long_text_override_text_and_awkward_pictures(tmp_path, account, pds, logs):
    long_summary = ("Croeso 👋🏽! Café owners on Église Row say the new bins block the pavement 🏴󠁧󠁢󠁷󠁬󠁳󠁿; "
                    "here is what the council has promised to do about it, street by street. ") * 4
    own = "Our own words for Bluesky, with a tag #Fenmarsh"
    posts = {
        "2026-10-21-long.md": post_file("A very long one", "2026-10-21 09:00", long_summary,
                                        extra="image:\n  src: images/big.png\n  alt: A noisy photo\n"),
        "2026-10-22-own-words.md": post_file("Own words", "2026-10-22 09:00", "Not used on Bluesky.",
                                             extra=f'social:\n  bluesky: "{own}"\n'
                                                   "image:\n  src: images/plan.svg\n  alt: A plan\n"),
    }
    programme = make(tmp_path, account, posts, build=False)
    images = programme.blog / "content" / "images"
    noise = random.Random(7).randbytes(1400 * 1400 * 3)
    Image.frombytes("RGB", (1400, 1400), noise).save(images / "big.png")
    assert (images / "big.png").stat().st_size > bluesky_records.THUMB_MAX_BYTES
    (images / "plan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    programme.build()

    report = syndicate(programme, account.env(pds))
    assert [r.status for r in report.results] == ["sent", "sent"], describe(report, dry_run=False)
    posted = by_url(pds, account.did)

    long_url, own_url = f"{SITE}2026/10/a-very-long-one/", f"{SITE}2026/10/own-words/"
    long = posted[long_url]["value"]
    text = long["text"]
    assert len(regex.findall(r"\X", text)) <= BLUESKY_MAX_GRAPHEMES and len(text.encode()) <= BLUESKY_MAX_BYTES
    head, link = text.rsplit("\n\n", 1)
    assert link == bluesky_display(long_url) and head.endswith(ELLIPSIS)  # the words shortened, never the link
    source = "A very long one\n\n" + long_summary.strip()
    kept = head.removesuffix(ELLIPSIS)
    assert source.startswith(kept) and source[len(kept)] in " ;,!"  # cut between words
    check_facets(long, long_url)
    thumb = long["embed"]["external"]["thumb"]
    assert thumb["mimeType"] == "image/jpeg" and thumb["size"] <= bluesky_records.THUMB_MAX_BYTES
    with Image.open(__import__("io").BytesIO(blob(pds, account.did, thumb["ref"]["$link"]))) as shrunk:
        assert shrunk.format == "JPEG" and max(shrunk.size) <= 1400

    mine = posted[own_url]["value"]
    assert mine["text"] == f"{own}\n\n{bluesky_display(own_url)}"
    check_facets(mine, own_url)
    assert [f["features"][0].get("tag") for f in mine["facets"]] == ["Fenmarsh", None]
    assert mine["embed"]["external"]["description"] == "Not used on Bluesky."  # the card is the post's own
    assert "thumb" not in mine["embed"]["external"]
    assert any("plan.svg is an SVG" in line for line in logs)


# --- sessions ----------------------------------------------------------------------------


def test_the_saved_session_is_reused_instead_of_logging_in_again(programme, account, pds, wire, monkeypatch):
    env = account.env(pds)
    assert cli(programme, env, monkeypatch).exit_code == 0
    assert wire.count(CREATE_SESSION) == 1
    saved = programme.session_file.read_text()

    programme.write("2026-11-20-late.md", post_file("Late news", "2026-11-20 09:00", "After the first run."))
    programme.build()
    result = cli(programme, env, monkeypatch)
    assert result.exit_code == 0 and "late-news: sent" in result.output, result.output
    assert wire.count(CREATE_SESSION) == 1  # the second run resumed the saved session
    assert programme.session_file.read_text() == saved
    assert len(records(pds, account.did)) == 3


def test_a_refreshed_session_is_saved_for_the_next_run(programme, account, pds, wire, monkeypatch):
    env = account.env(pds)
    programme.write("2026-11-20-late.md", post_file("Late news", "2026-11-20 09:00", "After the first run.",
                                                    status="draft"))
    assert cli(programme, env, monkeypatch).exit_code == 0
    first = programme.session_file.read_text()

    # The access token is due to expire: the SDK refreshes it once, and the new pair must be the one saved.
    due = iter([True])
    monkeypatch.setattr(Client, "_should_refresh_session", lambda self: next(due, False))
    programme.write("2026-11-20-late.md", post_file("Late news", "2026-11-20 09:00", "After the first run."))
    programme.build()
    assert cli(programme, env, monkeypatch).exit_code == 0
    assert wire.count("com.atproto.server.refreshSession") == 1 and wire.count(CREATE_SESSION) == 1
    refreshed = programme.session_file.read_text()
    assert refreshed != first and programme.session_file.stat().st_mode & 0o777 == 0o600
    access = refreshed.split(":::")[2]
    assert pds.xrpc("com.atproto.server.getSession", token=access)["did"] == account.did
    assert len(records(pds, account.did)) == 3


def tampered(saved: str) -> str:
    parts = saved.split(":::")
    parts[2] = parts[2][:-6] + "AAAAAA"  # a token the PDS cannot verify, as after a password change
    return ":::".join(parts)


@pytest.mark.parametrize("spoil, why", [
    (tampered, "was not accepted"),
    (lambda saved: "half a session", "cannot be read"),
    (lambda saved: saved.replace(saved.split(":::")[0], "someone-else.test", 1), "is for someone-else.test"),
])
def test_a_saved_session_that_will_not_do_falls_back_to_the_app_password(programme, account, pds, wire, monkeypatch,
                                                                          logs, spoil, why):
    programme.session_file.parent.mkdir(parents=True)
    bad = spoil(pds.login(account.handle, account.app_password).export_session_string())
    programme.session_file.write_text(bad)

    result = cli(programme, account.env(pds), monkeypatch)
    assert result.exit_code == 0, result.output
    assert wire.count(CREATE_SESSION) == 1
    saved = programme.session_file.read_text()
    assert saved != bad and saved.split(":::")[:2] == [account.handle, account.did]
    assert any(why in line for line in logs)
    assert len(records(pds, account.did)) == 2


def test_the_account_password_works_but_is_warned_about(programme, account, pds, monkeypatch, logs):
    result = cli(programme, account.env(pds, app_password=account.password), monkeypatch)
    assert result.exit_code == 0, result.output
    assert "holds the account's own password" in result.output and "App passwords" in result.output
    assert account.password not in result.output + "\n".join(logs) + programme.ledger.read_text()
    assert len(records(pds, account.did)) == 2


# --- exactly once ----------------------------------------------------------------------


def command(script: list[str], programme: Programme, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, *script, "syndicate", "--root", str(programme.root)], env=full,
                          cwd=programme.root, capture_output=True, text=True, timeout=300)


def test_killed_after_the_pds_took_the_post_then_rerun_finds_it(programme, account, pds):
    env = account.env(pds)
    crashed = command([str(CRASH)], programme, env)
    assert crashed.returncode == 86, crashed.stdout + crashed.stderr
    (first,) = records(pds, account.did)
    (row,) = [r for r in programme.rows().values()]
    assert row["status"] == "pending"
    # The record was journalled before it was sent, under the key it now lives at.
    assert row["progress"]["rkey"] == first["uri"].rsplit("/", 1)[1]
    assert json.loads(row["progress"]["record"]) == first["value"]

    again = command(["-m", "generator"], programme, env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already there" in again.stdout and "sent" in again.stdout
    posted = by_url(pds, account.did)
    assert set(posted) == set(DUE.values())
    rows = programme.rows()
    assert {r["status"] for r in rows.values()} == {"done"}
    assert {r["remote_id"] for r in rows.values()} == {r["uri"] for r in posted.values()}
    assert posted[first["value"]["embed"]["external"]["uri"]]["cid"] == first["cid"]  # the first copy, untouched


def test_without_the_lookup_the_create_only_write_still_makes_one_copy(programme, account, pds, monkeypatch):
    env = account.env(pds)
    assert command([str(CRASH)], programme, env).returncode == 86
    (first,) = records(pds, account.did)
    # The rerun cannot look first, so it sends the journalled record again to the same key: the PDS refuses
    # to create over it, and reading the key back shows the post is there.
    monkeypatch.setattr(bluesky.BlueskyAdapter, "find", lambda self, message: None)
    report = syndicate(programme, env)
    assert [r.status for r in report.results] == ["sent", "sent"]
    posted = by_url(pds, account.did)
    assert len(posted) == 2
    assert posted[first["value"]["embed"]["external"]["uri"]]["cid"] == first["cid"]
    assert {r["status"] for r in programme.rows().values()} == {"done"}


def test_an_answer_lost_after_the_pds_took_the_post_makes_no_second_copy(programme, account, pds, wire):
    wire.fail(CREATE_RECORD, taken_then_timeout)
    report = syndicate(programme, account.env(pds))
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert wire.count(CREATE_RECORD) == 2  # the lost one was read back, not sent again
    assert set(by_url(pds, account.did)) == set(DUE.values())
    assert {r["status"] for r in programme.rows().values()} == {"done"}


# --- what the network says ---------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_says(programme, account, pds, wire):
    wire.fail(CREATE_RECORD, answer(429, {"Retry-After": "7"}, "RateLimitExceeded"))
    sleeps = Sleeps()
    report = syndicate(programme, account.env(pds), sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [7.0]
    assert len(records(pds, account.did)) == 2


def test_429_waits_until_ratelimit_reset(programme, account, pds, wire):
    now = 1_790_000_000.0
    wire.fail(CREATE_RECORD, answer(429, {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
                                          "ratelimit-reset": str(int(now) + 42)}, "RateLimitExceeded"))
    sleeps = Sleeps()
    report = syndicate(programme, account.env(pds), sleep=sleeps, clock=lambda: now)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [42.0]


def test_5xx_is_retried_with_backoff_after_checking_nothing_was_written(programme, account, pds, wire):
    wire.fail(CREATE_RECORD, answer(503), count=2)
    sleeps = Sleeps()
    report = syndicate(programme, account.env(pds), sleep=sleeps)
    assert [r.status for r in report.results] == ["sent", "sent"]
    assert sleeps == [base.BACKOFF_SECONDS, base.BACKOFF_SECONDS * 2]
    assert wire.count("com.atproto.repo.getRecord") >= 2
    assert set(by_url(pds, account.did)) == set(DUE.values())


def test_a_wait_longer_than_allowed_is_left_for_the_next_run(programme, account, pds, wire):
    wire.fail(CREATE_RECORD, answer(429, {"Retry-After": "3600"}, "RateLimitExceeded"))
    report = syndicate(programme, account.env(pds))
    assert [r.status for r in report.results] == ["error", "sent"]
    assert "3600 seconds" in report.results[0].detail
    assert [r.status for r in syndicate(programme, account.env(pds)).results] == ["sent"]
    assert len(records(pds, account.did)) == 2


def test_a_rate_limited_login_waits_or_is_left_for_the_next_run(programme, account, pds, wire):
    now = 1_790_000_000.0
    wire.fail(CREATE_SESSION, answer(429, {"ratelimit-reset": str(int(now) + 30)}, "RateLimitExceeded"))
    sleeps = Sleeps()
    report = syndicate(programme, account.env(pds), sleep=sleeps, clock=lambda: now)
    assert [r.status for r in report.results] == ["sent", "sent"] and sleeps == [30.0]
    assert wire.count(CREATE_SESSION) == 2


def test_a_login_limit_that_resets_hours_later_stops_bluesky_for_this_run(programme, account, pds, wire):
    now = 1_790_000_000.0
    wire.fail(CREATE_SESSION, answer(429, {"ratelimit-reset": str(int(now) + 6 * 3600)}, "RateLimitExceeded"))
    report = syndicate(programme, account.env(pds), clock=lambda: now)
    assert [r.status for r in report.results] == ["error", "error"]
    assert "asks to wait 21600 seconds" in report.results[0].detail
    assert wire.count(CREATE_SESSION) == 1  # not once more for each post
    assert [r.status for r in syndicate(programme, account.env(pds)).results] == ["sent", "sent"]


def test_a_wrong_app_password_says_what_to_do_and_other_networks_carry_on(built, tmp_path, account, pds, wire, logs,
                                                                          mastodon_server, monkeypatch):
    from tests.syndication.conftest import SENTINEL, mastodon_env, statuses

    programme = copy_built(built, tmp_path, account, platforms='  mastodon: "@amirapatel@social.fenmarsh.example"\n')
    # An app password the councillor has since revoked in Bluesky's settings.
    session = pds.xrpc(CREATE_SESSION, {"identifier": account.handle, "password": account.password})
    old = pds.xrpc("com.atproto.server.createAppPassword", {"name": "old"}, token=session["accessJwt"])["password"]
    pds.xrpc("com.atproto.server.revokeAppPassword", {"name": "old"}, token=session["accessJwt"])

    result = cli(programme, {**account.env(pds, app_password=old), **mastodon_env(mastodon_server)}, monkeypatch)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    failed = next(i for i, line in enumerate(lines) if "Bluesky" in line and "FAILED" in line)
    assert f"did not accept the app password for {account.handle}" in lines[failed]
    fix = lines[failed + 1]
    assert "fix:" in fix and "App passwords" in fix and PASSWORD_VAR in fix
    assert "Bluesky" in result.output and "not tried" in result.output
    assert wire.count(CREATE_SESSION) == 1  # one refused log-in, not one per post
    assert records(pds, account.did) == []
    assert not programme.session_file.exists()

    assert len(statuses(mastodon_server)) == 2  # Mastodon went ahead
    data = json.loads(programme.ledger.read_text())
    networks = [e["networks"] for e in data["posts"].values()]
    assert sorted(n["mastodon"]["status"] for n in networks) == ["done", "done"]
    assert sorted(n["bluesky"]["status"] for n in networks if "bluesky" in n) == ["error"]
    written = everything_written(programme, result.output, "\n".join(logs))
    assert old not in written and SENTINEL not in written


# --- the parts on their own --------------------------------------------------------------


def test_record_keys_are_valid_stable_tids_from_the_post_address():
    from tests.syndication.pds.test_pds_write_semantics import deterministic_tid as findings_tid

    url = f"{SITE}2026/10/bin-collections-change-in-march/"
    key = bluesky_records.record_key(url)
    assert key == bluesky_records.record_key(url) != bluesky_records.record_key(f"{SITE}2026/10/flood-wardens-wanted/")
    assert key == findings_tid(dt.datetime(2026, 10, 1, tzinfo=dt.UTC), url)  # FINDINGS.md's recipe
    assert regex.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", key)
    # The time in it is never after the post: the first second of the month in its address.
    micros = 0
    for char in key:
        micros = micros * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    assert dt.datetime.fromtimestamp((micros >> 10) // 1_000_000, dt.UTC) == dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    assert regex.fullmatch(r"[2-7a-z]{13}", bluesky_records.record_key("https://example.org/about/"))


def test_waits_are_read_from_retry_after_or_ratelimit_reset():
    now = 1_790_000_000.0
    assert bluesky_records.wait_from({"Retry-After": "12"}, now) == 12.0
    assert bluesky_records.wait_from({"retry-after": "Thu, 01 Jan 2026 00:00:30 GMT"},
                             dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()) == 30.0
    assert bluesky_records.wait_from({"ratelimit-reset": str(int(now) + 90)}, now) == 90.0
    assert bluesky_records.wait_from({"ratelimit-reset": str(int(now) - 5)}, now) == 0.0
    assert bluesky_records.wait_from({}, now) is None


def test_card_pictures_fit_under_a_megabyte_or_are_left_out(tmp_path, logs):
    small = tmp_path / "small.png"
    Image.new("RGB", (40, 20), "teal").save(small)
    assert bluesky_records.card_picture(small) == (small.read_bytes(), "image/png")

    big = tmp_path / "big.png"
    Image.frombytes("RGB", (1500, 1500), random.Random(3).randbytes(1500 * 1500 * 3)).save(big)
    data, mime = bluesky_records.card_picture(big) or (b"", "")
    assert mime == "image/jpeg" and 0 < len(data) <= bluesky_records.THUMB_MAX_BYTES

    see_through = tmp_path / "logo.tiff"  # a type the card cannot take as it is
    Image.new("RGBA", (30, 30), (255, 0, 0, 0)).save(see_through)
    assert bluesky_records.card_picture(see_through)[1] == "image/jpeg"

    svg = tmp_path / "plan.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(small.read_bytes()[:60])  # small enough to send as it is, but cut short
    assert bluesky_records.card_picture(svg) is None and bluesky_records.card_picture(broken) is None
    assert bluesky_records.card_picture(tmp_path / "missing.png") is None
    assert any("plan.svg is an SVG" in line for line in logs)
    assert any("broken.jpg could not be read" in line for line in logs)
    assert any("missing.png is missing" in line for line in logs)


def test_the_preview_is_what_is_sent(programme, account, pds):
    env = account.env(pds)
    report = syndicate(programme, env, dry_run=True)
    assert {r.status for r in report.results} == {"preview"}
    previews = {r.post: r.text for r in report.results}
    assert not programme.ledger.exists()  # a dry run writes nothing
    syndicate(programme, env)
    assert {r["value"]["text"] for r in records(pds, account.did)} == set(previews.values())
