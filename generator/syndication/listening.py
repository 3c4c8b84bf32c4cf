"""The listening record: what came back from the networks, one small JSON file per blog beside the ledger.

``councillor listen`` fills it in; ``councillor replies`` records the councillor's decisions in
it; the build reads it for each post's "Responses" section and the footprint report for its
listening figures. Like the ledger it is replaced atomically on every save, so a run that
stops part-way leaves what it had already read, and it uses only the standard library.

Everything is keyed by the network's own ids, so reading the same thread twice changes
counts and times but never adds a reply twice. The file stays bounded: at most
``MAX_RESPONSES`` replies and mentions (the oldest undecided ones go first; a reply the
councillor approved or hid is kept), texts and names cut to a fixed length, and followers
kept for ``FOLLOWER_DAYS`` days.

Layout (keys sorted, two-space indent)::

    {
      "format": 1,
      "posts": {"2026-11-02-flood-wardens.md": {"slug": "flood-wardens-wanted", "networks": {
          "bluesky": {"remote_id": "at://…", "remote_url": "https://bsky.app/…", "read_at": "…",
                      "replies": 4, "likes": 12, "reposts": 1, "quotes": 0}}}},
      "responses": {"bluesky:at://did:plc:…/app.bsky.feed.post/3k…": {
          "network": "bluesky", "id": "at://…", "kind": "reply", "post": "2026-11-02-flood-wardens.md",
          "author": {"handle": "…", "name": "…", "url": "https://bsky.app/profile/…"},
          "url": "https://bsky.app/profile/…/post/3k…", "published": "…", "found_at": "…", "text": "…"}},
      "decisions": {"bluesky:at://…": {"decision": "approved", "at": "…"}},
      "followers": {"bluesky": {"2026-12-02": 230}},
      "totals": {"bluesky": {"2026-12-02": {"replies": 31, "likes": 240}}},
      "faults": {"bluesky": {"at": "…", "message": "…"}},
      "runs": ["2026-12-02T06:00:00+00:00"]
    }
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.syndication import ledger

FILE_NAME = "listening.json"
FORMAT = 1

REPLY = "reply"
MENTION = "mention"
KINDS = (REPLY, MENTION)
APPROVED = "approved"
HIDDEN = "hidden"
DECISIONS = (APPROVED, HIDDEN)
COUNTS = ("replies", "likes", "reposts", "quotes")

#: Replies and mentions kept per blog; a busy councillor gets a few hundred a year.
MAX_RESPONSES = 2000
#: A reply's text beyond this is cut (Mastodon allows 500 characters by default, Bluesky 300 graphemes).
MAX_TEXT = 3000
MAX_NAME = 200
MAX_URL = 2000
#: Days of follower counts kept; the footprint report needs about a year of months.
FOLLOWER_DAYS = 800
#: Run times kept, for "new since the last run".
MAX_RUNS = 20


class ListeningError(Exception):
    """The listening record cannot be read; it is never overwritten in that case."""


def path_for(folder: Path) -> Path:
    return folder / FILE_NAME


def timestamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def response_id(network: str, remote_id: str) -> str:
    """The one id a reply is known by here: the network's name and its own id for it."""
    return f"{network}:{remote_id}"


def _cut(value: Any, limit: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _web_url(value: Any) -> str | None:
    """Only an http(s) address is kept: anything else could become a script link on a page."""
    text = _cut(value, MAX_URL).strip()
    return text if text.lower().startswith(("https://", "http://")) else None


class Record:
    """One blog's listening record, loaded into memory; changes are kept with ``save``."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None):
        self.path = path
        self.data: dict[str, Any] = data or {"format": FORMAT}
        for name in ("posts", "responses", "decisions", "followers", "totals", "faults"):
            self.data.setdefault(name, {})
        self.data.setdefault("runs", [])

    @classmethod
    def load(cls, folder: Path) -> Record:
        path = path_for(folder)
        data = ledger.read_json(path, FORMAT, "listening record", ListeningError)
        if data is None:
            return cls(path)
        for name in ("posts", "responses", "decisions", "followers", "totals", "faults"):
            if not isinstance(data.get(name, {}), dict):
                raise ListeningError(f"{path}: '{name}' should be a mapping; restore the file from git")
        return cls(path, data)

    # --- what listen writes ------------------------------------------------------------

    def set_counts(self, key: str, slug: str, network: str, *, remote_id: str, remote_url: str | None = None,
                   when: dt.datetime, **counts: int | None) -> None:
        entry = self.data["posts"].setdefault(key, {"networks": {}})
        entry["slug"] = slug
        row: dict[str, Any] = {"remote_id": remote_id, "read_at": timestamp(when)}
        if url := _web_url(remote_url):
            row["remote_url"] = url
        row.update({name: int(value) for name, value in counts.items() if name in COUNTS and value is not None})
        entry.setdefault("networks", {})[network] = row

    def add_response(self, network: str, remote_id: str, *, kind: str, post: str | None, author_handle: str,
                     author_name: str | None, author_url: str | None, url: str | None, published: str | None,
                     text: str, when: dt.datetime) -> bool:
        """Keep a reply or mention; True when it is new. A known one keeps its first-found time."""
        rid = response_id(network, remote_id)
        known = self.data["responses"].get(rid)
        if known and known.get("kind") == REPLY and kind == MENTION:
            return False  # a reply also comes back as a mention of the councillor: it stays a reply
        item = {
            "network": network, "id": _cut(remote_id, MAX_URL), "kind": kind if kind in KINDS else MENTION,
            "post": post,
            "author": {k: v for k, v in (("handle", _cut(author_handle, MAX_NAME)),
                                         ("name", _cut(author_name or author_handle, MAX_NAME)),
                                         ("url", _web_url(author_url))) if v},
            "url": _web_url(url), "published": _cut(published, 40) or None, "text": _cut(text, MAX_TEXT),
            "found_at": known["found_at"] if known else timestamp(when),
        }
        if known and known.get("post") and not post:
            item["post"] = known["post"]  # a mention seen later as a reply keeps the post it answers
        self.data["responses"][rid] = {k: v for k, v in item.items() if v is not None}
        return known is None

    def mark_gone(self, network: str, key: str, present: set[str], when: dt.datetime) -> None:
        """Replies to ``key`` that a complete reading no longer found were deleted by their writers: they are
        never shown again, approved or not (and come back if the network shows them again)."""
        for response in self.data["responses"].values():
            if response.get("network") != network or response.get("post") != key or response.get("kind") != REPLY:
                continue
            if response.get("id") in present:
                response.pop("gone_at", None)
            else:
                response.setdefault("gone_at", timestamp(when))

    def set_followers(self, network: str, day: dt.date, count: int) -> None:
        days = self.data["followers"].setdefault(network, {})
        days[day.isoformat()] = int(count)
        for old in sorted(days)[:-FOLLOWER_DAYS]:
            del days[old]

    def set_totals(self, network: str, day: dt.date) -> None:
        """Today's replies and likes over all of the network's shared posts, so the footprint can tell a month's."""
        rows = [(e.get("networks") or {}).get(network) for e in self.data["posts"].values()]
        rows = [r for r in rows if r]
        if not rows:
            return
        days = self.data["totals"].setdefault(network, {})
        days[day.isoformat()] = {name: sum(int(r.get(name) or 0) for r in rows) for name in ("replies", "likes")}
        for old in sorted(days)[:-FOLLOWER_DAYS]:
            del days[old]

    def figures(self, network: str, day: dt.date, since: dt.date | None) -> dict[str, int]:
        """For the footprint: followers on ``day`` and the replies and likes that came between ``since`` and ``day``
        (all of them when there is no reading on or before ``since``). Only readings made after ``since`` count:
        a network not read since the last snapshot gives nothing, rather than old figures as new ones."""
        def reading(days: dict[str, Any], until: dt.date, after: dt.date | None) -> tuple[str, Any] | None:
            found = [d for d in days if d <= until.isoformat() and (after is None or d > after.isoformat())]
            return (max(found), days[max(found)]) if found else None

        out: dict[str, int] = {}
        followers = reading(self.data["followers"].get(network) or {}, day, since)
        if followers is not None:
            out["followers"] = int(followers[1])
        totals = self.data["totals"].get(network) or {}
        now = reading(totals, day, since)
        if now is not None:
            before = (reading(totals, since, None) or ("", {}))[1] if since else {}
            for name in ("replies", "likes"):
                out[name] = max(0, int(now[1].get(name, 0)) - int(before.get(name, 0)))
        return out

    def set_fault(self, network: str, message: str | None, when: dt.datetime) -> None:
        if message:
            self.data["faults"][network] = {"at": timestamp(when), "message": _cut(message, 1000)}
        else:
            self.data["faults"].pop(network, None)

    def finish_run(self, when: dt.datetime) -> None:
        self.data["runs"] = (self.data["runs"] + [timestamp(when)])[-MAX_RUNS:]
        self._trim()

    def _trim(self) -> None:
        """Keep the file bounded: drop the oldest undecided responses beyond the limit."""
        responses = self.data["responses"]
        if len(responses) <= MAX_RESPONSES:
            return
        undecided = sorted((r.get("found_at", ""), rid) for rid, r in responses.items()
                           if rid not in self.data["decisions"])
        for _, rid in undecided[: len(responses) - MAX_RESPONSES]:
            del responses[rid]

    # --- decisions ---------------------------------------------------------------------

    def decide(self, rid: str, decision: str, when: dt.datetime) -> dict[str, Any]:
        if decision not in DECISIONS:
            raise ValueError(decision)
        found = self.find(rid)
        self.data["decisions"][found] = {"decision": decision, "at": timestamp(when)}
        return self.data["responses"][found]

    def find(self, rid: str) -> str:
        """The full id of a response given in full or by its short number as ``replies`` lists it."""
        if rid in self.data["responses"]:
            return rid
        for full in self.data["responses"]:
            if short_id(full) == rid:
                return full
        raise KeyError(rid)

    def decision(self, rid: str) -> str | None:
        return (self.data["decisions"].get(rid) or {}).get("decision")

    # --- reading -----------------------------------------------------------------------

    def responses(self) -> list[tuple[str, dict[str, Any]]]:
        """Every reply and mention, oldest first."""
        return sorted(self.data["responses"].items(), key=lambda item: (item[1].get("published") or "", item[0]))

    def waiting(self) -> list[tuple[str, dict[str, Any]]]:
        """Replies and mentions the councillor has not yet approved or hidden."""
        return [(rid, r) for rid, r in self.responses() if rid not in self.data["decisions"] and not r.get("gone_at")]

    def last_run(self) -> str | None:
        runs = self.data["runs"]
        return runs[-2] if len(runs) >= 2 else None

    def posts(self) -> dict[str, dict[str, Any]]:
        return self.data["posts"]

    # --- writing -----------------------------------------------------------------------

    def save(self) -> None:
        ledger.write_json(self.path, self.data)


def short_id(rid: str) -> str:
    """A short, stable id a councillor can type: the network's initial and 8 hex digits of a hash."""

    network, _, _ = rid.partition(":")
    return f"{network[:1]}{hashlib.sha256(rid.encode()).hexdigest()[:8]}"


@contextlib.contextmanager
def locked(state_dir: Path, what: str) -> Iterator[None]:
    """One writer of the listening records at a time: ``listen`` and ``replies --approve`` wait for each other."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "listening.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ListeningError(f"another 'councillor listen' or 'councillor replies' is running; wait for it "
                                 f"to finish, then {what} again") from None
        yield


def load(folder: Path) -> Record:
    return Record.load(folder)
