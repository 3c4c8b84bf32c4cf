"""The ``councillor`` command. Each command parses its options, calls one function, reports.

The commands live in the modules beside this one and import what they run only when they run
it, so that ``councillor --help`` or ``councillor post`` never wait for Pelican or MkDocs to load.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
from contextlib import suppress
from pathlib import Path

import click

from generator import __version__
from generator.commands import blogs, networks, site
from generator.exceptions import CouncillorError


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "" if record.levelno < logging.WARNING else f"{record.levelname.lower()}: "
        return prefix + record.getMessage()


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_Format())
    for name in ("generator",):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False
    # Pelican and MkDocs are chatty; their warnings still reach us through our own handlers.
    for name in ("pelican", "mkdocs"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)


class _Commands(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CouncillorError as error:
            _annotate(error, ctx.invoked_subcommand)
            raise
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            # A person sees what went wrong in a sentence; -v shows where, for whoever fixes it.
            if ctx.params.get("verbose"):
                raise
            raise click.ClickException(
                f"an unexpected problem stopped the command ({type(error).__name__}: {error}). What was already "
                "done is kept. Run it again with -v after 'councillor' to see the details, and report them."
            ) from error


def _annotate(error: CouncillorError, command: str | None) -> None:
    """Under GitHub Actions, each problem that stopped the command is also shown on its file and line
    (in the run, and in a pull request's changed files), for the web team to find without reading the log."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    # Actions names files from the checkout, where the workflow runs the command.
    base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
    for line in error.annotations(base, f"councillor {command or ''} stopped".replace("  ", " ")):
        click.echo(line)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="councillor")
@click.option("-v", "--verbose", is_flag=True, help="Show more detail.")
def main(verbose: bool) -> None:
    """Build the programme handbook and every councillor's blog, and share new posts."""
    _setup_logging(verbose)
    _stop_on_sigterm()


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    """A cancelled GitHub Actions run sends SIGTERM: stop as after Ctrl-C, so the build's own clean-up
    runs (its workers end, site/ stays as it was) rather than the process vanishing mid-step."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _interrupted)
    click.get_current_context().call_on_close(lambda: signal.signal(signal.SIGTERM, previous))




for _command in (*vars(site).values(), *vars(blogs).values(), *vars(networks).values()):
    if isinstance(_command, click.Command):
        main.add_command(_command)


def run() -> None:
    """The ``councillor`` program (and ``python -m generator``): ``main``, then end the process at once.

    On its way out Python frees every object it holds, one by one: after a build of 50 blogs
    that took 0.15 s, a sixth of a build after one edit, with nothing left to do. So once the
    command is over, the exit handlers run (logging's flush among them), what was printed is
    flushed, and the process ends with the command's status. ``main`` itself, as the tests call
    it, returns as any click command does.
    """
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):  # a reader that went away (`councillor ... | head`) is no error
            stream.flush()
    os._exit(code or 0)
