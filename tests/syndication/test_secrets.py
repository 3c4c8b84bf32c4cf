"""Tokens with awkward characters never show, in any encoding, in what syndication prints or keeps.

A server on loopback answers every request with an error that quotes the token back in each
form it can take on the wire; the councillor's command runs as a separate process, as in the
workflow, and its output, the ledger, saved sessions and site/ are searched for every form.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.syndication.conftest import make_programme

#: Quotes, a backslash and the characters that percent-encoding and base64 treat specially.
ODD_TOKEN = 'tok"en\\with+plus/slash=eq%pct-Zq7v9931'


def wire_forms(token: str) -> set[str]:
    forms = {token, quote(token, safe=""), quote_plus(token), json.dumps(token)[1:-1], repr(token)[1:-1]}
    for user in ("u:", "us:", "use:"):
        forms.add(base64.b64encode((user + token).encode()).decode())
        # The characters of a basic-auth header that only the token decides, whatever comes before it.
        before = len(user)
        encoded = base64.b64encode((user + token).encode()).decode()
        forms.add(encoded[-(-before * 4 // 3):(before + len(token)) * 4 // 3])
    return forms


class _Echo(BaseHTTPRequestHandler):
    """Answers every request 422 with a body that quotes the token in every form."""

    def _answer(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        said = " | ".join(sorted(wire_forms(token))) + f" | Basic {base64.b64encode(f'user:{token}'.encode()).decode()}"
        body = json.dumps({"error": f"bad token: {said}", "headers": repr(dict(self.headers))}).encode()
        self.send_response(422)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def syndicate(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "syndicate", "--root", str(root)],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def everything_kept(root: Path) -> str:
    kept = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".json", ".html", ".xml", ".session", ".txt")]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in kept)


def test_a_token_quoted_back_by_the_network_is_hidden_in_every_form(tmp_path, echo_server):
    programme = make_programme(tmp_path)
    result = syndicate(programme.root, {"NC_AMIRA_PATEL_MASTODON_TOKEN": ODD_TOKEN,
                                        "NC_AMIRA_PATEL_MASTODON_API_BASE": echo_server})
    shown = result.stdout + result.stderr
    assert "Mastodon" in shown and result.returncode != 0, shown
    assert "[hidden]" in shown, "the network's answer is still shown, with the token taken out"
    kept = everything_kept(programme.root)
    assert "error" in json.loads(programme.ledger.read_text()).__repr__()
    for form in wire_forms(ODD_TOKEN):
        assert form not in shown, f"{form!r} was printed"
        assert form not in kept, f"{form!r} was saved"


@pytest.mark.parametrize("token", ["first-half\nsecond-half-Zq7v9931", "with space-Zq7v9931", "tab\there-Zq7v9931",
                                   "zero\u200bwidth-Zq7v9931"])
def test_a_token_with_a_line_break_or_space_is_refused_by_its_name_never_its_value(tmp_path, echo_server, token):
    programme = make_programme(tmp_path)
    result = syndicate(programme.root, {"NC_AMIRA_PATEL_MASTODON_TOKEN": token,
                                        "NC_AMIRA_PATEL_MASTODON_API_BASE": echo_server})
    shown = result.stdout + result.stderr
    assert "NC_AMIRA_PATEL_MASTODON_TOKEN" in shown and "copy the token again" in shown, shown
    kept = everything_kept(programme.root)
    for part in {token, *token.split()}:
        if len(part) >= 8:
            assert part not in shown and part not in kept
