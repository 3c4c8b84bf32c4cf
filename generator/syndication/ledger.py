"""The syndication ledger: one small JSON file per blog, kept in the repository.

It records, for each post and network, where the copy lives (remote id and URL) or what
went wrong, and for each network the baseline before which posts are never sent. A row is
written ``pending`` before the network is called and ``done`` after, and the file is
replaced atomically each time, so a crash leaves either the old file or the new one and a
pending row says "look this up before posting again".

This module uses only the standard library: the build reads it (for "Also on …" links)
without needing any network client installed.

Layout (keys sorted, two-space indent, so diffs in pull requests stay readable)::

    {
      "format": 1,
      "networks": {"mastodon": {"baseline": "2026-10-01T00:00:00+01:00", "max_characters": 500}},
      "posts": {
        "2026-11-02-bin-collections-change-in-march.md": {
          "slug": "bin-collections-change-in-march",
          "url": "https://…/councillors/amira-patel/2026/11/bin-collections-change-in-march/",
          "networks": {
            "mastodon": {"status": "done", "remote_id": "1134…", "remote_url": "https://…/@amirapatel/1134…",
                         "attempted_at": "…", "done_at": "…", "text": "…"}
          }
        }
      }
    }

A post shared again on purpose (``councillor syndicate --again``) keeps its earlier shares in
the row's ``earlier`` list, and ``share`` says which share the row is (2 for the second).

Row statuses: ``preview`` (the text a run without the network's secret would send; a dry
run writes none), ``pending`` (being sent, or a run stopped mid-send), ``done``, ``error``
(the last error; tried again next run), ``declined`` (the network does not take this post, such
as Instagram a post without a picture; never tried).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from generator import atomic
from generator.inputs.networks import NETWORKS

FILE_NAME = "syndication.json"
FORMAT = 1

PREVIEW = "preview"
PENDING = "pending"
DONE = "done"
ERROR = "error"
#: Settled without a copy: the network does not take this post (Instagram, a post with no picture).
DECLINED = "declined"
STATUSES = (PREVIEW, PENDING, DONE, ERROR, DECLINED)
#: Rows a run never sends again.
SETTLED = (DONE, DECLINED)


class LedgerError(Exception):
    """The ledger file cannot be read; it is never overwritten in that case."""


def path_for(folder: Path) -> Path:
    return folder / FILE_NAME


def _timestamp(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


class Ledger:
    """One blog's ledger, loaded into memory; every change is saved with ``save``."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None):
        self.path = path
        self.data: dict[str, Any] = data or {"format": FORMAT, "networks": {}, "posts": {}}
        self.data.setdefault("networks", {})
        self.data.setdefault("posts", {})

    @classmethod
    def load(cls, folder: Path) -> Ledger:
        path = path_for(folder)
        data = read_json(path, FORMAT, "syndication ledger", LedgerError, " before syndicating")
        return cls(path, data)

    # --- per network -------------------------------------------------------------------

    def network(self, name: str) -> dict[str, Any]:
        return self.data["networks"].get(name, {})

    def baseline(self, network: str) -> dt.datetime | None:
        value = self.network(network).get("baseline")
        return dt.datetime.fromisoformat(value) if value else None

    def set_baseline(self, network: str, when: dt.datetime) -> None:
        self.data["networks"].setdefault(network, {})["baseline"] = _timestamp(when)

    def learn(self, network: str, **values: Any) -> None:
        """Remember what a network said about the account (e.g. its max_characters) for later previews."""
        self.data["networks"].setdefault(network, {}).update(values)

    # --- per post ----------------------------------------------------------------------

    def key_for(self, source: str, slug: str) -> str:
        """The post's entry: by its file, or by its slug if the file was renamed since."""
        posts = self.data["posts"]
        if source in posts:
            return source
        for key, entry in posts.items():
            if entry.get("slug") == slug:
                return key
        return source

    def row(self, key: str, network: str) -> dict[str, Any] | None:
        return self.data["posts"].get(key, {}).get("networks", {}).get(network)

    def set_row(self, key: str, network: str, *, slug: str, url: str, **fields: Any) -> dict[str, Any]:
        entry = self.data["posts"].setdefault(key, {"networks": {}})
        entry["slug"], entry["url"] = slug, url
        row = {k: v for k, v in fields.items() if v is not None}
        old = entry.setdefault("networks", {}).get(network) or {}
        for kept in ("share", "earlier"):  # a further share keeps the record of the ones before it
            if kept in old and kept not in row:
                row[kept] = old[kept]
        entry["networks"][network] = row
        return row

    @staticmethod
    def share_number(row: dict[str, Any] | None) -> int:
        """1 for a post's first share on a network, 2 for the share after ``start_again``, and so on."""
        return int((row or {}).get("share") or 1)

    @staticmethod
    def earlier_ids(row: dict[str, Any] | None) -> frozenset[str]:
        """The network's ids of the earlier shares of this post, which a further share must never be taken for."""
        return frozenset(str(e["remote_id"]) for e in (row or {}).get("earlier", []) if e.get("remote_id"))

    def start_again(self, key: str, network: str) -> int:
        """Begin a further share of a post already shared: the finished share moves to ``earlier`` and the
        row starts over with the next share number. Returns that number. Only ``syndicate --again`` calls this."""
        row = self.row(key, network)
        if not row or row.get("status") != DONE:
            raise ValueError(f"{key} has no finished share on {network} to share again")
        earlier = list(row.get("earlier", []))
        earlier.append({k: v for k, v in row.items() if k not in ("earlier", "progress")})
        number = len(earlier) + 1
        self.data["posts"][key]["networks"][network] = {"share": number, "earlier": earlier}
        self.save()
        return number

    def mark_pending(self, key: str, network: str, *, slug: str, url: str, text: str, when: dt.datetime,
                     progress: dict[str, str] | None = None) -> None:
        self.set_row(key, network, slug=slug, url=url, status=PENDING, attempted_at=_timestamp(when), text=text,
                     progress=progress or None)
        self.save()

    def mark_done(self, key: str, network: str, *, slug: str, url: str, text: str, remote_id: str,
                  remote_url: str | None, attempted_at: str | None, when: dt.datetime) -> None:
        self.set_row(key, network, slug=slug, url=url, status=DONE, remote_id=remote_id, remote_url=remote_url,
                     attempted_at=attempted_at, done_at=_timestamp(when), text=text)
        self.save()

    def mark_error(self, key: str, network: str, *, slug: str, url: str, text: str | None, error: str,
                   uncertain: bool, when: dt.datetime, progress: dict[str, str] | None = None) -> None:
        self.set_row(key, network, slug=slug, url=url, status=ERROR, attempted_at=_timestamp(when), text=text,
                     error=error, uncertain=uncertain or None, progress=progress or None)
        self.save()

    def save_progress(self, key: str, network: str, values: dict[str, str]) -> None:
        row = self.row(key, network)
        if row is not None:
            row["progress"] = {**row.get("progress", {}), **values}
            self.save()

    # --- reading -----------------------------------------------------------------------

    def copies(self) -> dict[str, list[dict[str, str]]]:
        """{post slug: [{"label", "url"}]} for every copy made, in the catalogue's network order."""
        order = list(NETWORKS)
        links: dict[str, list[dict[str, str]]] = {}
        for entry in self.data["posts"].values():
            rows = entry.get("networks", {})
            found = [
                {"label": NETWORKS[name].label if name in NETWORKS else name, "url": row["remote_url"]}
                for name, row in sorted(rows.items(), key=lambda item: order.index(item[0]) if item[0] in order
                                        else len(order))
                if row.get("status") == DONE and row.get("remote_url")
            ]
            if found and entry.get("slug"):
                links[entry["slug"]] = found
        return links

    # --- writing -----------------------------------------------------------------------

    def save(self) -> None:
        write_json(self.path, self.data)


def read_json(path: Path, version: int, kind: str, error: type[Exception], when: str = "") -> dict[str, Any] | None:
    """A record kept beside a blog (the ledger, the listening record): None if there is none yet.

    A damaged file or one in another format stops the command, naming the file: guessing could post twice."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as failure:
        raise error(f"{path} cannot be read ({failure}); fix or restore it from git{when}") from failure
    if not isinstance(data, dict) or data.get("format") != version:
        raise error(f"{path} is not a format {version} {kind}")
    return data


def write_json(path: Path, data: object) -> None:
    """Replace ``path`` with ``data`` as JSON, whole and on the disk before syndication goes on."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic.write_bytes(path, text.encode("utf-8"), durable=True)


def load(folder: Path) -> Ledger:
    """The ledger in a blog folder (an empty one if syndication has never run there)."""
    return Ledger.load(folder)


def syndication_links(folder: Path) -> dict[str, list[dict[str, str]]]:
    """{post slug: [{"label": "Mastodon", "url": "https://…"}]}: what the build shows as "Also on …".

    A missing or unreadable ledger gives no links rather than failing the build: the links
    are a courtesy, and a broken ledger is reported by ``councillor syndicate``.
    """
    try:
        return Ledger.load(folder).copies()
    except LedgerError:
        return {}
