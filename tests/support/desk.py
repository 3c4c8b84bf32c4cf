"""Drive the writing screen at /admin/ (Sveltia CMS) in Chromium as a councillor would, on an iPad-sized screen.

Shared by tests/test_admin.py and by ``python -m tests.support.desk_screenshots``, which takes the
handbook's pictures of the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.browser import IPAD
from tests.support.github import API, AVATARS, TOKEN, FakeGitHub

LOOPBACK = {"127.0.0.1", "localhost"}
GITHUB_HOSTS = {urlsplit(API).hostname, urlsplit(AVATARS).hostname}
#: The two checks the editor makes of other hosts by itself: whether a newer version is out
#: (unpkg.com) and whether GitHub is having an outage (githubstatus.com). The page's policy
#: blocks both, and the editor carries on without them.
OWN_CHECKS = ("https://unpkg.com/@sveltia/cms/package.json", "https://www.githubstatus.com/api/v2/status.json")


@dataclass
class Desk:
    page: Page
    context: BrowserContext
    github: FakeGitHub
    console_errors: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)

    def unexpected_errors(self) -> list[str]:
        """Console errors other than the blocked checks of OWN_CHECKS."""
        return [e for e in self.console_errors if not any(url in e for url in OWN_CHECKS)]

    def close(self) -> None:
        self.context.close()


def open_desk(browser: Browser, site_url: str, github: FakeGitHub, viewport: dict | None = None,
              bypass_csp: bool = False) -> Desk:
    """Open /admin/ in a fresh browser context: GitHub's API answered by ``github``, every other host refused.

    ``bypass_csp`` lets a test inject a checker such as axe, which the page's policy would refuse.
    """
    # A British iPad's language: the editor then needs its en-GB words, which the site serves.
    context = browser.new_context(viewport=viewport or IPAD, bypass_csp=bypass_csp, locale="en-GB")
    page = context.new_page()
    desk = Desk(page, context, github)
    page.on("console", lambda m: desk.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: desk.console_errors.append(f"uncaught: {error}"))

    def refuse_other_hosts(route, request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in LOOPBACK:
            desk.other_hosts.append(request.url)
            route.abort()
        else:
            route.continue_()

    # The route registered last is tried first: GitHub's hosts go to the stand-in, the rest to the refusal.
    page.route("**/*", refuse_other_hosts)
    page.route(f"{API}/**", github.route)
    page.route(f"{AVATARS}/**", github.route)
    page.goto(f"{site_url}admin/", wait_until="load")
    return desk


def sign_in(page: Page) -> None:
    """Sign in with a fine-grained token, as the iPad guide describes."""
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.get_by_label("Personal Access Token").fill(TOKEN)
    page.locator("dialog .footer button.primary").click()
    page.get_by_role("tree", name="Collection List").wait_for()


def open_collection(page: Page, label: str) -> None:
    page.get_by_role("treeitem", name=label, exact=True).click()
    page.get_by_role("main", name=re.compile(re.escape(label))).wait_for()


def start_post(page: Page, title: str, date: str, summary: str, body: str) -> None:
    """Open a new post and fill in its text; ``date`` as the date field takes it, e.g. 2026-11-20T09:30."""
    page.get_by_role("button", name="Create New Entry").click()
    _fill_title(page, title)
    page.locator('section.field[data-key-path="date"] input').first.fill(date)
    page.locator('section.field[data-key-path="summary"] textarea').fill(summary)
    page.locator('section.field[data-key-path="body"] [contenteditable=true]').fill(body)
    _fill_title(page, title)


def _fill_title(page: Page, title: str) -> None:
    """The new entry's form can still be setting itself up when the first field is typed into, and
    start again empty: type the title until it stays."""
    box = page.locator('section.field[data-key-path="title"] input')
    for _ in range(10):
        if box.input_value() == title:
            page.wait_for_timeout(300)
            if box.input_value() == title:
                return
        box.fill(title)
    assert box.input_value() == title, "the title did not stay in its box"


def add_picture(page: Page, picture: Path, description: str) -> None:
    page.get_by_role("checkbox", name=re.compile("Add.*Picture")).click()
    # The fields of an object render when scrolled into view.
    page.locator('section.field[data-key-path="image.src"]').first.scroll_into_view_if_needed()
    page.locator('section.field[data-key-path="image.src"] input[type=file]').first.set_input_files(picture)
    page.locator('section.field[data-key-path="image.alt"] input').fill(description)


def save(page: Page, github: FakeGitHub) -> None:
    commits = len(github.commits)
    page.get_by_role("button", name="Save").click()
    # The stand-in answers inside this process, so wait here for the commit, not for a message
    # that may still be showing from the save before.
    for _ in range(600):  # a busy two-core machine can take a while to build and send the commit
        if len(github.commits) > commits:
            break
        page.wait_for_timeout(100)
    assert len(github.commits) == commits + 1, "the screen sent no commit"
    page.get_by_text("Entry saved.").first.wait_for()


def start_news_item(page: Page, title: str, date: str, department: str, summary: str, body: str) -> None:
    """Open a new council news item and fill in what it needs, as the comms team would."""
    page.get_by_role("button", name="Create New Entry").click()
    _fill_title(page, title)
    page.locator('section.field[data-key-path="date"] input').first.fill(date)
    page.locator('section.field[data-key-path="department"] input').fill(department)
    page.locator('section.field[data-key-path="summary"] textarea').fill(summary)
    page.locator('section.field[data-key-path="body"] [contenteditable=true]').fill(body)
    _fill_title(page, title)
