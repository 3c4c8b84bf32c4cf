"""How far a long build has got: a progress bar per stage at a terminal, one line per stage elsewhere.

CI logs and pipes get no bars (they would fill the log with redraws), only a line when a
stage ends, through the ``generator`` logger like every other message.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("generator")


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def stage(label: str, total: int, done_line: Callable[[float], str] | None = None) -> Iterator[Callable[[], None]]:
    """A stage of ``total`` steps; the caller calls what it is given once per finished step.

    ``done_line`` turns the stage's seconds into the line logged when it ends (none if not given).
    """
    start = time.perf_counter()
    if total and interactive():
        # lazy: only a terminal shows a bar, and rich takes a tenth of a second to load.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        # Redrawn on each step rather than by rich's timer thread: worker processes are forked
        # during a stage, and forking a process that runs other threads can deadlock. Steps
        # may be reported from another thread; rich's Progress takes a lock for each.
        with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
            task = bar.add_task(label, total=total)
            bar.refresh()
            yield lambda: (bar.advance(task), bar.refresh())
    else:
        yield lambda: None
    if done_line:
        log.info(done_line(time.perf_counter() - start))
