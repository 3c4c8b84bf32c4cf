"""Fixtures for syndication tests: a small programme with a "deployed" site, and a Mastodon server on loopback."""

from __future__ import annotations

import shutil
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

#: A token value that must never appear in output, logs, the ledger or the site.
SENTINEL = "sentinel-token-Zq7v-9931"
SLUG = "amira-patel"
SITE_URL = "https://fenmarsh-council.github.io/networked-councillor/"

COUNCILLOR = """\
name: Amira Patel
ward: Castle
contact:
  email: amira.patel@councillors.fenmarsh.example
platforms:
  mastodon: "@amirapatel@social.fenmarsh.example"
{extra}syndication_since: 2026-10-01
"""

POSTS = {
    # Before syndication_since: never sent.
    "2026-09-15-older-news.md": ("Older news from September", "2026-09-15 09:00", "published",
                                 "This one came before syndication was switched on."),
    "2026-10-20-bin-collections-change.md": ("Bin collections change in March", "2026-10-20 09:00", "published",
                                             "Black bins move to Tuesdays from 2 March."),
    "2026-11-02-flood-wardens.md": ("Flood wardens wanted", "2026-11-02 10:00", "published",
                                    "Volunteers wanted to watch the drains. Training is on 14 November."),
    "2026-11-10-not-finished.md": ("Not finished yet", "2026-11-10 10:00", "draft", "A draft."),
    "2099-01-01-far-future.md": ("A post for the future", "2099-01-01 10:00", "published", "Not yet."),
}
DUE = ["bin-collections-change-in-march", "flood-wardens-wanted"]


def post_text(title: str, date: str, status: str, summary: str, tags: str = "[bins, flood risk]") -> str:
    return textwrap.dedent(f"""\
        ---
        title: {title}
        date: {date}
        status: {status}
        summary: {summary}
        tags: {tags}
        ---
        Body text for {title}.
        """)


@dataclass
class Programme:
    root: Path
    slug: str = SLUG

    @property
    def blog(self) -> Path:
        return self.root / "councillor_blogs" / self.slug

    @property
    def ledger(self) -> Path:
        return self.blog / "syndication.json"

    def add_post(self, name: str, title: str, date: str, status: str = "published", summary: str = "A summary.",
                 deploy: bool = True, **front: str) -> None:
        text = post_text(title, date, status, summary)
        if front:
            extra = "".join(f"{k}: {v}\n" for k, v in front.items())
            text = text.replace("---\nBody", f"{extra}---\nBody", 1)
        (self.blog / "content" / "posts" / name).write_text(text, encoding="utf-8")
        if deploy:
            self.deploy()

    def deploy(self) -> None:
        """Stand in for a build and deploy: a page for every published, dated-in-the-past post."""
        from generator.inputs.posts import read_all

        site = self.root / "site" / "councillors" / self.slug
        posts, problems = read_all(self.blog / "content")
        assert not problems, problems
        for post in posts:
            if post.meta.status == "published" and post.date.year < 2090:
                page = site / f"{post.date:%Y/%m}/{post.slug}" / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(f"<h1>{post.meta.title}</h1>", encoding="utf-8")


def make_programme(base: Path, extra_platforms: str = "", posts: dict | None = None, deploy: bool = True) -> Programme:
    root = base / "programme"
    root.mkdir(parents=True)
    shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    shutil.copytree(REPO / "branding", root / "branding")
    blog = root / "councillor_blogs" / SLUG
    (blog / "content" / "posts").mkdir(parents=True)
    (blog / "councillor.yml").write_text(COUNCILLOR.format(extra=extra_platforms), encoding="utf-8")
    for name, (title, date, status, summary) in (POSTS if posts is None else posts).items():
        (blog / "content" / "posts" / name).write_text(post_text(title, date, status, summary), encoding="utf-8")
    programme = Programme(root)
    if deploy:
        programme.deploy()
    return programme


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    return make_programme(tmp_path)


@pytest.fixture
def mastodon_server() -> Iterator:
    """A stateful Mastodon API on a free loopback port, with one account whose token is the sentinel."""
    mock = pytest.importorskip("mastodon_mock.testing.server")
    from mastodon_mock.config import SeedAccount, SeedConfig

    seed = SeedConfig(accounts=[SeedAccount(username="amirapatel", display_name="Amira Patel",
                                            access_token=SENTINEL)])
    with mock.MockServer(seed=seed, host="127.0.0.1") as server:
        yield server


def mastodon_env(server, token: str = SENTINEL) -> dict[str, str]:
    return {"NC_AMIRA_PATEL_MASTODON_TOKEN": token, "NC_AMIRA_PATEL_MASTODON_API_BASE": server.base_url}


def fault(server, **rule) -> None:
    """Add a fault rule through the mock's control plane (POST /api/v1/_mock/faults)."""
    import requests

    response = requests.post(f"{server.base_url}/api/v1/_mock/faults", json=rule, timeout=10)
    response.raise_for_status()


class HeldRequests:
    """Requests a fault rule held up (or failed) on the mock server, counted as they finish there.

    A client that gave up on a held request has no answer to wait for: the test waits for the
    server to finish the request, which is when a late second copy would appear, rather than
    sleeping past the delay it set.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        from mastodon_mock import faults

        self.finished = 0
        self._changed = threading.Condition()
        apply = faults._apply

        async def counted(*args, **kwargs):
            try:
                return await apply(*args, **kwargs)
            finally:
                with self._changed:
                    self.finished += 1
                    self._changed.notify_all()

        monkeypatch.setattr(faults, "_apply", counted)

    def wait(self, count: int = 1, timeout: float = 60.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.finished >= count, timeout), \
                f"the server finished {self.finished} of {count} held requests in {timeout:.0f} s"


@pytest.fixture
def held_requests(monkeypatch: pytest.MonkeyPatch) -> HeldRequests:
    """Count the requests a ``fault`` rule applies to as the mock server finishes them (same process)."""
    return HeldRequests(monkeypatch)


def statuses(server) -> list[dict]:
    client = server.client(token=SENTINEL)
    me = client.account_verify_credentials()
    return list(client.account_statuses(me["id"], limit=40))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) by its path, with its bytes: equal snapshots, nothing written."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
