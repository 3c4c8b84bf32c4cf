"""How ``pytest -n`` shares the tests between its workers: a module whose tests share a fixture
of the module's scope (a served build of the example, a handbook) goes whole to one worker,
which makes that fixture once; every other test goes alone to whichever worker is free.

xdist's default (``--dist load``) hands out tests one by one, so each worker made every module's
fixture for itself; ``--dist loadgroup`` would group by mark, but it does not on pytest 9.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from xdist.scheduler import LoadScopeScheduling

#: A fixture the tests of one module (or class) share: ``@pytest.fixture(scope="module")``.
SHARED_FIXTURE = re.compile(r"""scope\s*=\s*["'](?:module|class|package)["']""")


class ModuleFixtureScheduling(LoadScopeScheduling):
    """``--dist loadscope`` for the modules that share fixtures, ``--dist load`` for the rest.

    The largest units go first (loadscope's order), so the modules that build something start
    early and the single tests even out the workers' ends.
    """

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        self.rootpath = Path(config.rootpath)

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if _shares_fixtures(self.rootpath / module) else nodeid

    def _reschedule(self, node) -> None:
        # As loadscope's, but a worker is sent more only when it has one test left to run besides the
        # one it runs now (which it needs, to know what follows): at the end, one worker does not sit
        # idle while the other still has two slow tests queued.
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        if self._pending_of(self.assigned_work[node]) <= 1:
            self._assign_work_unit(node)


@cache
def _shares_fixtures(path: Path) -> bool:
    try:
        return bool(SHARED_FIXTURE.search(path.read_text(encoding="utf-8")))
    except OSError:
        return False
