"""The appview fixture fails, never skips, and says what to run, when its network is not installed."""

from __future__ import annotations

import importlib

import pytest

pytest_plugins = ["tests.listening.conftest_appview"]


def harness():
    # Looked up once pytest has loaded it as a plugin: importing it first would leave its asserts unrewritten.
    return importlib.import_module("tests.listening.conftest_appview")


def test_a_missing_install_fails_with_the_command_to_run(monkeypatch, tmp_path):
    monkeypatch.setattr(harness(), "NODE22", tmp_path / "no-node")
    with pytest.raises(pytest.fail.Exception) as failed:
        harness().require_installed()
    assert "not installed: Node 22" in str(failed.value)
    assert "bash tests/listening/appview/setup.sh" in str(failed.value)


def test_missing_postgresql_is_named(monkeypatch):
    monkeypatch.setattr(harness(), "_postgres_bin", lambda: None)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)PostgreSQL .* is not installed.*apt-get install postgresql"):
        harness().require_installed()
