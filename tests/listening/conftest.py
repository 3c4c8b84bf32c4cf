"""Fixtures for the listening tests: a Mastodon server on loopback with the councillor and two residents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.syndication.conftest import SENTINEL

#: The residents' tokens (test accounts on the loopback server, nothing real).
RESIDENT_TOKENS = {"jo": "resident-token-jo-1", "sam": "resident-token-sam-2"}


@pytest.fixture
def mastodon_town() -> Iterator:
    """mastodon-mock on loopback: the councillor (whose token is the sentinel) and two residents who answer."""
    from mastodon_mock.config import SeedAccount, SeedConfig
    from mastodon_mock.testing.server import MockServer

    seed = SeedConfig(accounts=[
        SeedAccount(username="amirapatel", display_name="Amira Patel", access_token=SENTINEL),
        SeedAccount(username="jo", display_name="Jo Resident", access_token=RESIDENT_TOKENS["jo"]),
        SeedAccount(username="sam", display_name="Sam <b>Bold</b>", access_token=RESIDENT_TOKENS["sam"]),
    ])
    with MockServer(seed=seed, host="127.0.0.1") as server:
        yield server
