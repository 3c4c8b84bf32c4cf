"""`councillor due`: the scheduled run's quick check, so an hour with nothing to publish costs almost nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import copy_example, run_cli_process

KEEP = ("amira-patel", "tom-whitaker")


def due(root: Path, output: Path):
    return run_cli_process("due", "--root", root, env={**os.environ, "GITHUB_OUTPUT": str(output)})


def test_nothing_due_after_a_build_until_a_file_changes(tmp_path: Path):
    root = copy_example(tmp_path / "programme")
    for blog in (root / "councillor_blogs").iterdir():
        if blog.name not in KEEP:
            shutil.rmtree(blog)
    output = tmp_path / "output"

    before = due(root, output)
    assert before.returncode == 0 and "Due: the handbook" in before.stdout, "never built: everything is due"
    assert run_cli_process("build", "--root", root).returncode == 0

    after = due(root, output)
    assert after.returncode == 1, after.stdout + after.stderr
    assert "Nothing is due" in after.stdout
    assert output.read_text().splitlines() == ["due=true", "due=false"]

    post = next((root / "councillor_blogs" / "tom-whitaker" / "content" / "posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    edited = due(root, output)
    assert edited.returncode == 0
    assert "the blog in councillor_blogs/tom-whitaker" in edited.stdout and "amira-patel" not in edited.stdout
    assert output.read_text().splitlines()[-1] == "due=true"
