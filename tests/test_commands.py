"""The ``councillor`` program as a process: its status, and everything it printed, whole."""

from __future__ import annotations

import subprocess
import sys

from generator.commands import main
from tests.conftest import run_cli, run_cli_process


def test_the_program_ends_with_the_status_of_its_command(tmp_path):
    assert run_cli_process("--version").returncode == 0
    unknown = run_cli_process("no-such-command")
    assert unknown.returncode == 2
    assert "No such command 'no-such-command'" in unknown.stderr
    missing = run_cli_process("build", "--root", tmp_path)
    assert missing.returncode == 1
    assert "no programme.yml here" in missing.stderr


def test_everything_printed_reaches_the_reader_whole():
    printed = run_cli_process("--help").stdout
    assert printed.endswith(run_cli("--help").output.splitlines()[-1] + "\n")
    assert all(f"  {name} " in printed for name in main.list_commands(None))  # type: ignore[arg-type]


def test_the_exit_handlers_run_before_the_program_ends(tmp_path):
    script = ("import atexit, sys\n"
              f"atexit.register(lambda: open({str(tmp_path / 'ran')!r}, 'w').write('yes'))\n"
              "sys.argv = ['councillor', '--version']\n"
              "from generator.commands import run\n"
              "run()\n"
              "print('never printed')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("councillor, version") and "never printed" not in result.stdout
    assert (tmp_path / "ran").read_text() == "yes"


def test_a_command_that_exits_with_its_own_status_keeps_it(tmp_path):
    script = ("import sys, click\n"
              "from generator.commands import main, run\n"
              "@main.command()\n"
              "def three():\n"
              "    click.echo('kept back')\n"
              "    raise SystemExit(3)\n"
              "sys.argv = ['councillor', 'three']\n"
              "run()\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (3, "kept back\n")
    assert main.get_command(None, "three") is None  # the command above lived in that process only
