"""The build's worker processes: started before the jobs, with their steps imported."""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time

import pytest

from generator.build import parallel
from generator.inputs.config import load_project
from tests.conftest import REPO

STEP = "tests.support.steps:write_name"


@pytest.fixture
def context() -> parallel.Context:
    return parallel.Context(load_project(REPO), "https://example.org/", False)


def wait_for(condition, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_the_workers_import_their_steps_before_any_job_is_given(tmp_path, monkeypatch, context):
    mark = tmp_path / "imported"
    monkeypatch.setenv("STEPS_IMPORT_MARK", str(mark))
    monkeypatch.delitem(sys.modules, "tests.support.steps", raising=False)
    jobs = [parallel.Job(f"part-{i}", STEP, tmp_path / f"out-{i}", {"name": f"job {i}"}) for i in range(2)]

    with parallel.workers(jobs, context, 2) as pool:
        assert pool is not None
        wait_for(mark.exists)
        assert "tests.support.steps" not in sys.modules, "imported by a worker, not by this process"
        done: list[str] = []
        outcomes = parallel.run(jobs, context, pool, lambda o: done.append(o.job.part))

    assert all(o.ok for o in outcomes) and sorted(done) == ["part-0", "part-1"]
    assert [(tmp_path / f"out-{i}" / "name.txt").read_text() for i in range(2)] == ["job 0", "job 1"]


def test_a_step_that_cannot_be_imported_fails_its_own_part_only(tmp_path, context):
    jobs = [parallel.Job("good", STEP, tmp_path / "good", {"name": "fine"}),
            parallel.Job("bad", "tests.support.no_such_steps:write_name", tmp_path / "bad")]

    with parallel.workers(jobs, context, 2) as pool:
        outcomes = {o.job.part: o for o in parallel.run(jobs, context, pool, lambda o: None)}

    assert outcomes["good"].ok
    assert outcomes["bad"].error == "ModuleNotFoundError: No module named 'tests.support.no_such_steps'"


def test_one_job_with_one_worker_runs_in_this_process(tmp_path, context):
    jobs = [parallel.Job("only", STEP, tmp_path / "only", {"name": "here"})]
    with parallel.workers(jobs, context, 1) as pool:
        assert pool is None
        outcomes = parallel.run(jobs, context, pool, lambda o: None)
    assert outcomes[0].ok and (tmp_path / "only" / "name.txt").read_text() == "here"


def test_a_worker_stopped_before_it_has_set_itself_up_says_nothing(tmp_path, monkeypatch, capfd, context):
    """A build that fails at once stops its workers, perhaps before they have set their own signal
    handlers: the build's words are then the only ones, with no worker's traceback under them."""
    def interrupted(signum, frame):
        raise KeyboardInterrupt  # as SIGTERM does under the councillor command

    previous = signal.signal(signal.SIGTERM, interrupted)
    set_up = parallel._die_with_parent
    monkeypatch.setattr(parallel, "_die_with_parent", lambda: (time.sleep(0.5), set_up()))
    jobs = [parallel.Job(f"part-{i}", STEP, tmp_path / f"out-{i}") for i in range(2)]
    try:
        with pytest.raises(RuntimeError), parallel.workers(jobs, context, 2):
            raise RuntimeError("a mistake found while the workers start")
    finally:
        signal.signal(signal.SIGTERM, previous)

    for child in multiprocessing.active_children():  # what a worker says, it says before it ends
        child.join(10)
    assert multiprocessing.active_children() == []
    said = capfd.readouterr()
    assert "Traceback" not in said.err + said.out and "KeyboardInterrupt" not in said.err + said.out
