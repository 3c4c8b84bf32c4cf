"""`councillor shared`: a post shared by hand from the share kit counts like an automatic share."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import run_cli, run_cli_process
from tests.test_check import verdicts

NEXTDOOR_POST = "https://nextdoor.co.uk/p/example-post-123"


def first_post(example, slug: str) -> str:
    return sorted((example / "councillor_blogs" / slug / "content" / "posts").glob("*.md"))[-1].name


def test_a_hand_share_is_recorded_and_counts_in_the_check(example):
    post = first_post(example, "imran-haque")
    today = dt.date.today().isoformat()
    before = verdicts(run_cli("check", "--root", example, "--date", today).output)
    assert before["Imran Haque"] == "NOT YET"
    assert "councillor shared" in run_cli("check", "--root", example, "--date", today).output

    result = run_cli("shared", "--root", example, "imran-haque", post, "--network", "nextdoor", "--url", NEXTDOOR_POST)

    assert result.exit_code == 0, result.output
    ledger = json.loads((example / "councillor_blogs" / "imran-haque" / "syndication.json").read_text())
    row = ledger["posts"][post]["networks"]["nextdoor"]
    assert row["status"] == "done" and row["remote_url"] == NEXTDOOR_POST
    after = verdicts(run_cli("check", "--root", example, "--date", today).output)
    assert after["Imran Haque"] == "OK"

    assert run_cli("build", "--root", example).exit_code == 0
    pages = list((example / "site" / "councillors" / "imran-haque").rglob("index.html"))
    assert any(f'href="{NEXTDOOR_POST}"' in p.read_text() and "u-syndication" in p.read_text() for p in pages)


def test_a_hand_share_needs_a_listed_network_and_a_real_post(example):
    post = first_post(example, "imran-haque")
    wrong_network = run_cli_process("shared", "--root", example, "imran-haque", post, "--network", "instagram",
                                    "--url", NEXTDOOR_POST)
    assert wrong_network.returncode != 0 and "has no 'instagram' under platforms" in wrong_network.stderr
    no_post = run_cli_process("shared", "--root", example, "imran-haque", "no-such-post.md", "--network",
                              "nextdoor", "--url", NEXTDOOR_POST)
    assert no_post.returncode != 0 and "no post called 'no-such-post.md'" in no_post.stderr
    assert "Traceback" not in wrong_network.stderr + no_post.stderr
    assert not (example / "councillor_blogs" / "imran-haque" / "syndication.json").exists() or \
        NEXTDOOR_POST not in (example / "councillor_blogs" / "imran-haque" / "syndication.json").read_text()
