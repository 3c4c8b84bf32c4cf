"""What a build remembers between builds: the posts it read, kept a file per folder of posts.

Each build is a separate ``councillor build`` process, as a councillor's builds are, so what
one build learns reaches the next only through ``.build-cache``.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from generator import memo
from tests.conftest import EXAMPLE_URL, run_cli_process

BLOG = Path("councillor_blogs") / "amira-patel"


def build(root: Path) -> None:
    result = run_cli_process("build", "--root", root, "--base-url", EXAMPLE_URL)
    assert result.returncode == 0, result.stderr


def readings(root: Path) -> dict[Path, dict]:
    files = sorted((root / ".build-cache" / memo.READINGS_DIR).glob("*.pickle"))
    return {path: pickle.loads(path.read_bytes()) for path in files}


def test_an_edit_rewrites_the_readings_of_its_folder_only(example):
    posts = example / BLOG / "content" / "posts"
    post = sorted(posts.glob("*.md"))[0]
    original = post.read_text(encoding="utf-8")
    post.write_text(original + "\nA line added first.\n", encoding="utf-8")
    build(example)  # the council pages read every blog's posts again
    before = {path: (path.stat().st_ino, saved["folder"]) for path, saved in readings(example).items()}
    assert str(posts) in {folder for _, folder in before.values()}, "each folder of posts has its file"
    assert len(before) > 2

    post.write_text(original + "\nA line added later.\n", encoding="utf-8")
    build(example)

    after = readings(example)
    changed = {saved["folder"] for path, saved in after.items() if path.stat().st_ino != before[path][0]}
    assert changed == {str(posts)}
    # The edit and the version before it are both kept, so undoing the edit reads nothing again.
    mine = next(saved for saved in after.values() if saved["folder"] == str(posts))
    assert sum(1 for key in mine["posts"] if key[0] == str(post)) == 2


def test_a_deleted_blog_leaves_no_readings_behind(example):
    (example / "council_content" / "README.txt").write_text("Notes for the web team.\n", encoding="utf-8")
    build(example)  # the council pages read every blog's posts again
    assert any(saved["folder"].startswith(str(example / BLOG)) for saved in readings(example).values())
    shutil.rmtree(example / BLOG)
    build(example)
    folders = {saved["folder"] for saved in readings(example).values()}
    assert folders, "the other blogs' readings are kept"
    assert not [folder for folder in folders if folder.startswith(str(example / BLOG))]


def test_the_single_file_of_earlier_versions_is_removed(example):
    legacy = example / ".build-cache" / memo.LEGACY_FILE
    legacy.write_bytes(b"readings kept by an earlier version")
    (example / "council_content" / "README.txt").write_text("Notes for the web team.\n", encoding="utf-8")
    build(example)
    assert not legacy.exists()
    assert readings(example), "the readings are kept the new way"
