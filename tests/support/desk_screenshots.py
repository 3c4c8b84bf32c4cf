"""Take the handbook's pictures of the writing screen from the real screen, on an iPad-sized window.

    python -m tests.support.desk_screenshots

Builds a copy of the example programme, opens /admin/ in Chromium with GitHub's API answered by
the stand-in the tests use, and saves each step of the iPad guide into handbook/images/writing-screen/.
Run it again after upgrading the editor, and check the guide's words still match the pictures.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from tests.conftest import REPO, copy_example, run_cli
from tests.support import browser as browser_support
from tests.support import desk
from tests.support.github import FakeGitHub
from tests.support.server import serve

GITHUB_FOLDERS = ["councillor_blogs", "council_content"]
OUTPUT = REPO / "handbook" / "images" / "writing-screen"
#: An iPad held upright, in CSS pixels, at one image pixel each so the pictures stay small.
VIEWPORT = {"width": 820, "height": 1000}


def take(folder: Path) -> list[Path]:
    root = copy_example(folder / "programme")
    site = root / "site"
    site.mkdir()
    github = FakeGitHub.of_folder("fenmarsh-council/networked-councillor", root, GITHUB_FOLDERS)
    picture = folder / "mill-road.jpg"
    Image.new("RGB", (1200, 800), (0, 89, 79)).save(picture)
    saved: list[Path] = []
    with serve(site, "/networked-councillor/") as url, sync_playwright() as p:
        result = run_cli("build", "--root", root, "--base-url", url, "--jobs", "1")
        assert result.exit_code == 0, result.output
        chromium = p.chromium.launch(executable_path=browser_support.chromium_path(),
                                     args=browser_support.CHROMIUM_ARGS)
        screen = desk.open_desk(chromium, url, github, viewport=VIEWPORT)
        page = screen.page

        def shot(name: str, clip: dict | None = None) -> None:
            browser_support.settle(page)
            path = OUTPUT / f"{name}.png"
            page.screenshot(path=path, clip=clip)
            saved.append(path)

        # The sign-in page is mostly empty: its middle is what the guide shows.
        middle = {"x": 0, "y": 250, "width": VIEWPORT["width"], "height": 500}

        page.get_by_role("button", name="Sign In Using Access Token").wait_for()
        # The editor offers this only to a site served from the same computer, as here; a councillor
        # on the published site never sees it.
        page.get_by_role("button", name="Work with Local Repository").evaluate("b => b.remove()")
        page.get_by_text("Once prompted, select").evaluate("e => e.remove()")
        shot("1-sign-in", middle)
        page.get_by_role("button", name="Sign In Using Access Token").click()
        page.get_by_label("Personal Access Token").wait_for()
        shot("2-token", middle)
        page.keyboard.press("Escape")
        desk.sign_in(page)
        desk.open_collection(page, "Amira Patel")
        shot("3-your-posts")
        desk.start_post(page, "New crossing on Mill Road starts in February", "2027-01-26T18:30",
                        "Work on the crossing outside the primary school starts on 8 February.",
                        "Parents have asked for a safe crossing outside Mill Road Primary for years.")
        page.locator('section.field[data-key-path="title"]').scroll_into_view_if_needed()
        shot("4-new-post")
        desk.add_picture(page, picture, "Temporary lights at the Mill Road junction")
        page.locator('section.field[data-key-path="image"]').first.scroll_into_view_if_needed()
        shot("5-picture")
        desk.save(page, github)
        shot("6-saved")
        screen.close()
        chromium.close()
    return saved


if __name__ == "__main__":
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for path in take(Path(scratch)):
            sys.stdout.write(f"{path.relative_to(REPO)}\n")
