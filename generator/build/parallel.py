"""Run build steps in worker processes, one per core by default.

Each job runs one step into one part folder and nothing else, so jobs never share a file.
A job names its step as ``"module:function"``; the workers import the steps as they start,
while the main process is still planning, and the main process of a build that reuses every
part never loads Pelican or MkDocs. A worker is a long-lived process: it imports them once
for all the jobs it runs.

What a job logs is sent back and logged again in the main process, under the same logger,
so messages, ``--strict`` and errors read the same whether one process built the site or
several. ``jobs=1`` runs every job in the main process, in order.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import memo
from generator.exceptions import BuildError, ConfigError, Problem
from generator.inputs.config import Project

#: The loggers whose messages a job sends back to the main process.
FORWARDED_LOGGERS = ("generator", "pelican", "mkdocs")


@dataclass(frozen=True)
class Job:
    """Run ``step(project, output, site_url, strict, **options)``: every step has that form."""

    part: str
    step: str
    output: Path
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What every job of one build shares; sent to each worker once."""

    project: Project
    site_url: str
    strict: bool
    levels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    job: Job
    seconds: float
    records: list[tuple[str, int, str]]
    error: str | None = None
    problems: list[Problem] = field(default_factory=list)
    #: What the job's process newly remembered (``generator.memo.take_learned``), such as word counts.
    learned: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    def warned(self) -> bool:
        """Whether a step of ours warned (what ``--strict`` counts)."""
        return any(level >= logging.WARNING and name.split(".")[0] == "generator" for name, level, _ in self.records)

    def replay_logs(self) -> None:
        for name, level, message in self.records:
            logging.getLogger(name).log(level, "%s", message)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@contextmanager
def workers(jobs: list[Job], context: Context, count: int) -> Iterator[ProcessPoolExecutor | None]:
    """The worker processes for ``jobs``, started at once so that they import the steps (Pelican,
    MkDocs) while this process goes on planning; None when the jobs run in this process.

    Leaving the block stops the workers, at once if it is left by an error.
    """
    start = _process_start()
    # A fresh worker imports Pelican first: for one job, this process is quicker.
    if count <= 1 or not jobs or (len(jobs) == 1 and start.get_start_method() != "fork"):
        yield None
        return
    steps = sorted({job.step for job in jobs})
    with ProcessPoolExecutor(max_workers=min(count, len(jobs)), mp_context=start,
                             initializer=_start_worker, initargs=(context, steps)) as pool:
        try:
            with _signals_held():
                pool.submit(_started)  # the first task starts every worker (with fork, all of them at once)
            yield pool
        except BaseException:
            _abandon(pool)
            raise


def run(jobs: list[Job], context: Context, pool: ProcessPoolExecutor | None, on_done: Callable[[Outcome], None],
        meanwhile: Callable[[], None] | None = None, tick: Callable[[], None] = lambda: None,
        readings: Callable[[Job], dict] | None = None) -> list[Outcome]:
    """Run ``jobs`` on ``pool`` (``workers``), or in this process if it is None; ``on_done``
    sees each outcome in the main process.

    ``meanwhile`` runs in the main process while the workers build (before the jobs, with no
    pool); if it raises, ``workers`` abandons the jobs as the error leaves its block, and
    ``on_done`` sees none of them.
    ``tick`` is called as each job ends, from another thread while ``meanwhile`` runs, so that a
    progress bar keeps moving. ``readings(job)``, called in the main process just before a job
    is handed to a worker, gives the posts it has read for that job (``posts.readings``), so
    the worker need not parse them again; one process needs none.
    """
    outcomes = []
    if pool is None:
        if meanwhile:
            meanwhile()
        _start_worker(context)
        try:
            for job in jobs:
                outcomes.append(_run_job(job))
                tick()
                on_done(outcomes[-1])
        finally:
            _stop_worker()
        return outcomes
    futures: list[Future[Outcome]] = []
    # One job at a time, each with its readings: the first workers start on the first
    # jobs while this process reads the posts of the next ones.
    for job in jobs:
        futures.append(pool.submit(_run_job, job, readings(job) if readings else None))
        futures[-1].add_done_callback(lambda _: tick())
    if meanwhile:
        meanwhile()
    for future in as_completed(futures):
        outcomes.append(future.result())
        on_done(outcomes[-1])
    return outcomes


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: after Ctrl-C, a cancelled Actions run or a failure, none may outlive the build."""
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(5)


def raise_failures(outcomes: list[Outcome], order: list[str]) -> None:
    """Raise what failed as one error, in the build's order of parts, as a serial build would."""
    ranked = sorted(outcomes, key=lambda o: order.index(o.job.part))
    problems = [p for o in ranked for p in o.problems]
    if problems:
        raise ConfigError(problems)
    for outcome in ranked:
        if outcome.error:
            raise BuildError(outcome.error)


def _process_start() -> multiprocessing.context.BaseContext:
    # Forking shares what is already imported and read with the workers for free. A process
    # running other threads (`serve`'s web server) must not fork: a lock one of them held at
    # that moment would stay locked in the worker for ever. Those start fresh workers instead.
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


#: The signals a worker takes only once it has set its own handlers (``_signals_held``).
HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}
#: Linux's prctl option that sends the worker a signal when the process that started it ends.
PR_SET_PDEATHSIG = 1


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the workers are forked, and take any that came meanwhile after.

    A forked worker starts with this process's handlers, and here SIGTERM raises KeyboardInterrupt
    (``generator.commands``): a worker stopped before it had set its own (a build that fails at once
    stops its workers) printed a traceback under the build's own words. A worker takes its signals
    once it has set its handlers (``_die_with_parent``)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# -- In the worker ------------------------------------------------------------------------------

_context: Context | None = None


def _start_worker(context: Context, steps: Sequence[str] = ()) -> None:
    global _context
    _die_with_parent()
    for name, level in context.levels.items():
        logging.getLogger(name).setLevel(level)
    memo.take_learned()  # what a forked worker inherited, the main process knows already
    _context = context
    for step in steps:
        # A step that cannot be imported is reported by the job that runs it, for its part.
        with suppress(Exception):
            _step(step)


def _started() -> None:
    """A task with nothing to do: submitting it starts the workers."""


def _die_with_parent() -> None:
    """A worker ends with the build that started it, even one killed outright (SIGKILL)."""
    if multiprocessing.parent_process() is None:
        return  # the build runs in this process: it keeps its own signal handling
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the main process decides
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)  # held while this worker was forked
    if sys.platform == "linux":
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_worker() -> None:
    global _context
    _context = None


def _step(name: str) -> Callable[..., None]:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _run_job(job: Job, known: dict | None = None) -> Outcome:
    assert _context is not None, "the worker was not started"
    ctx = _context
    start = time.perf_counter()
    error, problems = None, []
    memo.post_readings.update(known or {})
    with _captured_logs() as records:
        try:
            _step(job.step)(ctx.project, job.output, ctx.site_url, ctx.strict, **job.options)
        except ConfigError as failure:
            problems = failure.problems
        except BuildError as failure:
            error = failure.message
        except Exception as failure:  # Pelican or MkDocs stopped: report it for this part, keep site/ as it was
            error = f"{type(failure).__name__}: {failure}"
        finally:
            for key in known or ():  # this blog's posts are of no use to the worker's next job
                memo.post_readings.pop(key, None)
    return Outcome(job=job, seconds=time.perf_counter() - start, records=records, error=error, problems=problems,
                   learned=memo.take_learned())


@contextmanager
def _captured_logs() -> Iterator[list[tuple[str, int, str]]]:
    records: list[tuple[str, int, str]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    capture = Capture()
    saved = []
    for name in FORWARDED_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.propagate))
        logger.handlers[:] = [capture]
        logger.propagate = False
    try:
        yield records
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers[:] = handlers
            logger.propagate = propagate
