"""One small blog built and compared, file by file, with stored expected output.

After an intended change to the theme or the blog settings, refresh the expected output with

    REFRESH_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and read the diff (`git diff tests/golden`) before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli

GOLDEN = Path(__file__).parent / "golden" / "small-blog"
SITE_URL = "https://golden.example/networked-councillor/"

COUNCILLOR = """\
name: Siân O'Brien-Jones
ward: Harbour
role: Councillor
contact:
  email: sian@councillors.golden.example
surgeries:
  - when: Second Tuesday of the month, 18:00 to 19:00
    where: Harbour Community Centre
platforms:
  mastodon: "@sian@social.golden.example"
"""

POSTS = {
    "2026-05-04-road-closure-on-quay-street.md": """\
---
title: Road closure on Quay Street
date: 2026-05-04 08:00
summary: Quay Street closes for three nights while the water main is replaced.
tags: [roads]
---
Quay Street will be closed from **8pm to 6am** on 11, 12 and 13 May.

- Buses divert along Harbour Road.
- Pedestrian access stays open.
""",
    "2026-05-20-surgery-dates.md": """\
---
title: Surgery dates for the summer
date: 2026-05-20 12:00
tags: [surgeries]
---
My surgeries continue through the summer, except in August.
""",
    "2026-05-21-draft.md": """\
---
title: Not finished yet
date: 2026-05-21
status: draft
---
A draft.
""",
}


def make_programme(root: Path) -> None:
    root.mkdir(parents=True)
    shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    shutil.copytree(REPO / "branding", root / "branding")
    blog = root / "councillor_blogs" / "sian-obrien-jones"
    (blog / "content" / "posts").mkdir(parents=True)
    (blog / "content" / "pages").mkdir()
    (blog / "councillor.yml").write_text(COUNCILLOR, encoding="utf-8")
    (blog / "content" / "pages" / "about.md").write_text("---\ntitle: About Siân\ndate: 2026-05-01\n---\nHello.\n")
    for name, text in POSTS.items():
        (blog / "content" / "posts" / name).write_text(text, encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_small_blog_matches_expected_output(tmp_path):
    root = tmp_path / "programme"
    make_programme(root)
    result = run_cli("build", "--root", root, "--base-url", SITE_URL)
    assert result.exit_code == 0, result.output
    built = files(root / "site" / "councillors" / "sian-obrien-jones")

    if os.environ.get("REFRESH_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)

    expected = files(GOLDEN)
    assert sorted(built) == sorted(expected), "pages were added or removed"
    for rel, data in expected.items():
        assert built[rel].decode("utf-8", "replace") == data.decode("utf-8", "replace"), rel
