"""The programme handbook, built for two councils and read the way trainers and councillors read it.

Each council's handbook is built once per module with the build step's own function, served
under a project-site base path, and opened in headless Chromium for the accessibility checks.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import typing
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from pydantic import BaseModel

from generator.exceptions import BuildError
from generator.inputs.colours import brand_colours
from generator.inputs.config import Councillor, Programme, load_project
from generator.inputs.networks import NETWORKS
from generator.inputs.news import ItemFrontMatter
from generator.inputs.posts import FrontMatter
from generator.steps.admin import ADMIN_URL_PATH, screen_url
from generator.steps.handbook import build_handbook
from generator.steps.handbook_plugin import BLOGS_PATH, FOOTPRINT_PATH, STREAMS
from generator.steps.reference import settings
from tests.conftest import REPO, copy_example
from tests.support import browser as browser_support
from tests.support.links import broken_links
from tests.support.server import serve

BASE_PATH = "/networked-councillor/"

SECOND_COUNCIL = """\
council:
  name: Harrowdale Borough Council
  short_name: Harrowdale
  url: https://www.harrowdale.example/
site:
  url: https://harrowdale.github.io/networked-councillor/
  title: Harrowdale Councillors Online
branding:
  # Too light for white text: the handbook must darken it rather than use it as given.
  primary_colour: "#f2c300"
  accent_colour: "#3fa7d6"
  logo: branding/crest.svg
  logo_alt: Harrowdale Borough Council crest
cohort:
  name: Autumn 2027 cohort
  streams: [getting-started, confident]
  workshops:
    - number: 1
      date: 2027-09-14
      start: "18:00"
      end: "21:00"
      venue: Council Chamber, Harrowdale Town Hall, High Street
    - number: 2
      date: 2027-10-12
      start: "18:30"
      end: "21:00"
      venue: Eastgate Community Centre, Eastgate Road
contacts:
  - name: Priya Raman
    role: Democratic services officer
    email: democratic.services@harrowdale.example
accessibility:
  contact_email: webaccess@harrowdale.example
  reviewed: 2027-06-30
  response_days: 5
"""

CREST = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">'
    '<rect width="10" height="10" fill="#004d40"/></svg>'
)


@dataclass(frozen=True)
class Handbook:
    site: Path
    url: str
    programme: Programme

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.site / page / "index.html").read_text(encoding="utf-8"), "html.parser")

    def article(self, page: str) -> Tag:
        article = self.soup(page).select_one("article.md-content__inner")
        assert article is not None, f"{page} has no article"
        # Headings end in a ¶ link to themselves; read them as a person does.
        for anchor in article.select("a.headerlink"):
            anchor.decompose()
        return article

    def text(self, page: str) -> str:
        return " ".join(self.article(page).get_text(" ").split())


def _build(root: Path, stack: ExitStack) -> Handbook:
    site = root / "site"
    site.mkdir()
    url = stack.enter_context(serve(site, BASE_PATH))
    project = load_project(root)
    build_handbook(project, site, url, strict=True)
    return Handbook(site, url, project.programme)


@pytest.fixture(scope="module")
def handbooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Handbook]]:
    """The example council's handbook and a second council's, from the same pages."""
    first = copy_example(tmp_path_factory.mktemp("fenmarsh") / "programme")
    second = tmp_path_factory.mktemp("harrowdale") / "programme"
    second.mkdir()
    (second / "programme.yml").write_text(SECOND_COUNCIL, encoding="utf-8")
    (second / "branding").mkdir()
    (second / "branding" / "crest.svg").write_text(CREST, encoding="utf-8")
    with ExitStack() as stack:
        yield {"fenmarsh": _build(first, stack), "harrowdale": _build(second, stack)}


@pytest.fixture(scope="module")
def fenmarsh(handbooks: dict[str, Handbook]) -> Handbook:
    return handbooks["fenmarsh"]


@pytest.fixture(scope="module")
def harrowdale(handbooks: dict[str, Handbook]) -> Handbook:
    return handbooks["harrowdale"]


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# -- Each council's details, on the right pages ------------------------------------------------

@pytest.mark.parametrize("name", ["fenmarsh", "harrowdale"])
def test_home_page_names_the_council_and_cohort(handbooks: dict[str, Handbook], name: str) -> None:
    book = handbooks[name]
    programme = book.programme
    home = book.soup("")
    assert home.title is not None and programme.site.title in home.title.get_text()
    text = book.text("")
    assert programme.council.name in text
    assert programme.cohort.name in text
    for workshop in programme.cohort.workshops:
        assert long_date(workshop.date) in text
        assert workshop.venue in text
    footer = home.select_one(".md-footer-meta")
    assert footer is not None and f"Published by {programme.council.name}" in footer.get_text()


@pytest.mark.parametrize("name", ["fenmarsh", "harrowdale"])
def test_programme_page_lists_dates_venues_and_contacts(handbooks: dict[str, Handbook], name: str) -> None:
    book = handbooks[name]
    programme = book.programme
    text = book.text("programme")
    for workshop in programme.cohort.workshops:
        assert f"Date: {long_date(workshop.date)}" in text
        assert f"Time: {workshop.start} to {workshop.end}" in text
        assert f"Venue: {workshop.venue}" in text
    article = book.article("programme")
    for contact in programme.contacts:
        assert contact.name in text and contact.role in text
        if contact.email:
            assert article.select_one(f'a[href="mailto:{contact.email}"]') is not None
        if contact.phone:
            assert contact.phone in text
            assert article.select_one('a[href^="tel:"]') is not None
    for stream in programme.cohort.streams:
        assert STREAMS[stream].label.lower() in text
    if programme.pre_election:
        assert long_date(programme.pre_election.start) in text
        assert long_date(programme.pre_election.end) in text
    else:
        assert "No pre-election period is set" in text


@pytest.mark.parametrize("name", ["fenmarsh", "harrowdale"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_workshop_page_shows_its_own_date_and_venue(handbooks: dict[str, Handbook], name: str,
                                                        number: int) -> None:
    book = handbooks[name]
    page = {1: "workshops/1-footprint", 2: "workshops/2-shape", 3: "workshops/3-influence"}[number]
    article = book.article(page)
    when = article.select_one(".admonition.info")
    assert when is not None, "the workshop page has no 'When and where' box"
    workshops = {w.number: w for w in book.programme.cohort.workshops}
    if number in workshops:
        workshop = workshops[number]
        box = " ".join(when.get_text(" ").split())
        assert long_date(workshop.date) in box
        assert f"{workshop.start} to {workshop.end}" in box
        assert workshop.venue in box
        # The session plan counts from this workshop's own start time.
        first_row = article.select_one("table tbody tr td")
        assert first_row is not None and first_row.get_text().startswith(workshop.start)
        for other in workshops.values():
            if other.number != number:
                assert long_date(other.date) not in box
    else:
        assert "to be confirmed" in when.get_text()
        assert book.programme.council.name in when.get_text()


def test_a_short_booking_is_pointed_out_next_to_the_session_plan(harrowdale: Handbook) -> None:
    # Workshop 2 is booked for 150 minutes; the plan takes 180.
    assert "the room is booked for 150" in harrowdale.text("workshops/2-shape")
    assert "the room is booked for" not in harrowdale.text("workshops/1-footprint")


@pytest.mark.parametrize("name", ["fenmarsh", "harrowdale"])
def test_accessibility_statement_comes_from_the_programme(handbooks: dict[str, Handbook], name: str) -> None:
    book = handbooks[name]
    settings_ = book.programme.accessibility
    text = book.text("accessibility")
    article = book.article("accessibility")
    assert book.programme.council.name in text
    assert article.select_one(f'a[href="mailto:{settings_.contact_email}"]') is not None
    assert f"within {settings_.response_days} working days" in text
    assert long_date(settings_.reviewed) in text
    # The writing screen's editor has a failure of its own, which the statement lists.
    writing_screen = screen_url(book.programme, book.programme.site.url)
    if writing_screen:
        assert "1.4.4 Resize text" in text and "api.github.com" in text
    if settings_.known_issues or writing_screen:
        assert "partially compliant" in text
        for issue in settings_.known_issues:
            assert issue.what in text
            if issue.criterion:
                assert f"This fails WCAG 2.2 success criterion {issue.criterion}." in text
            if issue.fix_by:
                assert f"We plan to fix this by {long_date(issue.fix_by)}." in text
    else:
        assert "fully compliant" in text
    # The contents the 2018 Regulations ask for.
    headings = [h.get_text(" ").strip() for h in article.find_all(["h2", "h3"])]
    for heading in ["How accessible this website is", "Asking for information in a different format",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Compliance status", "Non-accessible content",
                    "Preparation of this accessibility statement"]:
        assert any(h.startswith(heading) for h in headings), f"no '{heading}' section"
    assert "Equality and Human Rights Commission" in text
    assert "Equality Commission for Northern Ireland" in text
    assert "Equality Advisory and Support Service" in text


@pytest.mark.parametrize("name", ["fenmarsh", "harrowdale"])
def test_branding_logo_and_readable_colours(handbooks: dict[str, Handbook], name: str) -> None:
    from generator.inputs.colours import WHITE, brand_colours, contrast

    book = handbooks[name]
    home = book.soup("")
    style = " ".join(s.get_text() for s in home.find_all("style"))
    colours = brand_colours(book.programme.branding)
    assert f"--md-primary-fg-color: {colours['primary']}" in style
    assert contrast(colours["primary"], WHITE) >= 4.5
    logo = home.select_one(".md-logo img")
    assert logo is not None
    assert logo["alt"] == book.programme.branding.logo_alt
    assert logo["src"].endswith(f"assets/handbook/{Path(book.programme.branding.logo or '').name}")
    assert (book.site / "assets" / "handbook" / Path(book.programme.branding.logo or "").name).is_file()


def test_a_council_never_appears_in_another_councils_handbook(handbooks: dict[str, Handbook]) -> None:
    for book, other in [(handbooks["fenmarsh"], "Harrowdale"), (handbooks["harrowdale"], "Fenmarsh")]:
        for path in [*book.site.rglob("*.html"), book.site / "search" / "search_index.json"]:
            assert other not in path.read_text(encoding="utf-8"), f"{other} appears in {path}"


def test_links_to_the_other_parts_of_the_site_lead_where_they_are_published(fenmarsh: Handbook) -> None:
    from generator.inputs.urls import BLOGS_URL_PATH, FOOTPRINT_URL_PATH

    assert (f"{BLOGS_URL_PATH}/", f"{FOOTPRINT_URL_PATH}/") == (BLOGS_PATH, FOOTPRINT_PATH)
    home = fenmarsh.soup("")
    # Relative, as the rest of the site's links are, so they stay on whichever copy of the site is open.
    hrefs = {a["href"] for a in home.select("article a[href]")}
    assert {BLOGS_PATH, FOOTPRINT_PATH} <= hrefs
    report = fenmarsh.article("footprint").select_one("a.md-button--primary")
    assert report is not None and urljoin(fenmarsh.url + "footprint/", report["href"]) == fenmarsh.url + FOOTPRINT_PATH
    # Everything else resolves inside the handbook; the blogs, the report, council news and the writing
    # screen come from other steps (the 404 page links to them from the site's root, as it is served at any depth).
    elsewhere = (BLOGS_PATH, FOOTPRINT_PATH, "news/", f"{ADMIN_URL_PATH}/")
    root = urlsplit(fenmarsh.url).path

    def target(broken: str) -> str:
        page, link = broken.split(": ", 1)
        return urljoin(fenmarsh.url + page, link)

    outside = tuple(fenmarsh.url + p for p in elsewhere) + tuple(root + p for p in elsewhere)
    broken = [b for b in broken_links(fenmarsh.site, fenmarsh.url) if not target(b).startswith(outside)]
    assert broken == []


# -- Workshops, exercises and streams ----------------------------------------------------------

WORKSHOP_PAGES = ["workshops/1-footprint", "workshops/2-shape", "workshops/3-influence"]


def exercises(book: Handbook) -> dict[str, tuple[str, set[str]]]:
    """Every exercise in the workshops: its link target, mapped to its title and streams."""
    found = {}
    for page in WORKSHOP_PAGES:
        for card in book.article(page).select(".nc-exercise"):
            heading = card.find("h3")
            assert heading is not None and heading.get("id"), f"an exercise in {page} has no heading"
            streams = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in card.select(".nc-streams a.nc-stream")}
            found[f"{page}/#{heading['id']}"] = (heading.get_text().strip(), streams)
    return found


def test_workshop_pages_have_every_part_of_a_training_session(fenmarsh: Handbook) -> None:
    for page in WORKSHOP_PAGES:
        article = fenmarsh.article(page)
        headings = [h.get_text().strip() for h in article.find_all("h2")]
        for part in ["Aims", "Session plan", "Action-learning exercises", "Worksheet"]:
            assert part in headings, f"{page} has no '{part}' section"
        assert "Before the next workshop" in headings or "After the programme" in headings
        plan = article.select_one("table")
        assert plan is not None and next(th.get_text() for th in plan.select("thead th")) == "Time"
        assert len(plan.select("tbody tr")) >= 5
        assert len(article.select(".nc-exercise")) >= 4
        worksheet = article.select_one(".nc-worksheet table.nc-write-in")
        assert worksheet is not None and len(worksheet.select("tbody tr")) >= 5


def test_every_exercise_names_its_streams_in_words(fenmarsh: Handbook) -> None:
    found = exercises(fenmarsh)
    assert len(found) >= 15
    labels = {s.label for s in STREAMS.values()}
    for target, (title, streams) in found.items():
        assert streams and streams <= set(STREAMS), f"{title} ({target}) has no valid stream"
    for page in WORKSHOP_PAGES:
        for badge in fenmarsh.article(page).select("a.nc-stream"):
            assert badge.get_text().strip() in labels


@pytest.mark.parametrize("stream", list(STREAMS))
def test_each_stream_page_links_exactly_the_exercises_marked_for_it(fenmarsh: Handbook, stream: str) -> None:
    page = f"streams/{stream}"
    article = fenmarsh.article(page)
    linked = set()
    for a in article.find_all("a", href=True):
        href = a["href"]
        if "#exercise-" in href:
            linked.add(re.sub(r"^(\.\./)+", "", href).replace("/#", "/#"))
    marked = {target for target, (_, streams) in exercises(fenmarsh).items() if stream in streams}
    assert linked == marked
    for target in linked:
        path, anchor = target.split("/#")
        assert fenmarsh.soup(path).find(id=anchor) is not None


# -- Guides and reference ----------------------------------------------------------------------

def test_guides_cover_posting_syndication_and_each_network(fenmarsh: Handbook) -> None:
    posting = fenmarsh.text("guides/writing-a-post")
    for field in FrontMatter.model_fields:
        assert field in posting, f"the posting guide does not mention '{field}'"
    assert 'councillor new "Jane Smith"' in posting and "councillor post jane-smith" in posting
    ipad = fenmarsh.text("guides/ipad")
    for step in ["Add file", "Create new file", "content", "posts", "Commit changes"]:
        assert step in ipad
    # The writing screen, step by step: pictures of the real screen, each described.
    for step in ["Fine-grained tokens", "Contents", "Read and write", "two-factor", "Actions", "Re-run failed jobs",
                 "images/mill-road.jpg"]:
        assert step in ipad, step
    pictures = fenmarsh.article("guides/ipad").find_all("img")
    assert len(pictures) >= 5
    for picture in pictures:
        assert len(picture["alt"]) > 20
        assert (fenmarsh.site / "guides/ipad" / picture["src"]).resolve().is_file(), picture["src"]
    syndication = fenmarsh.article("guides/syndication")
    assert "councillor syndicate --dry-run" in syndication.get_text()
    assert "NC_JANE_SMITH_MASTODON_TOKEN" in syndication.get_text()
    tabs = [label.get_text().strip() for label in syndication.select(".tabbed-labels label")]
    listed = [" ".join(item.get_text().split()) for item in syndication.select("li")]
    for network in NETWORKS.values():
        assert any(item.startswith(f"{network.label}:") for item in listed), f"{network.label} is not listed"
        if network.automated:
            assert any(tab.startswith(network.label) for tab in tabs), f"no set-up steps for {network.label}"
    for page in ["facebook", "x", "bluesky", "mastodon", "nextdoor"]:
        assert fenmarsh.article(f"guides/{page}").find("h2") is not None
    assert "off by default" in fenmarsh.text("guides/syndication")
    assert "share kit" in fenmarsh.text("guides/nextdoor")


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model its settings contain, found by reading the type hints."""
    found = [model]

    def visit(annotation: object) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
            found.extend(m for m in _models(annotation) if m not in found)
        for arg in typing.get_args(annotation):
            visit(arg)

    for info in model.model_fields.values():
        visit(info.annotation)
    return found


def test_settings_reference_documents_every_option(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("reference/settings")
    files = {"programme-yml": Programme, "councillor-yml": Councillor, "front-matter": FrontMatter,
             "council-item": ItemFrontMatter}
    for anchor, root in files.items():
        # Each file's settings are listed under its own heading: a post's 'title' is not an item's.
        section = article.find(id=anchor).find_next("dl")
        entries = {dt.get_text().strip(): " ".join(dd.get_text(" ").split())
                   for dt, dd in zip(section.find_all("dt"), section.find_all("dd"), strict=True)}
        for setting in settings(root):
            assert setting.path in entries, f"{setting.path} is missing from the settings reference"
            assert setting.description and setting.description in entries[setting.path]
        # Independently of the page's own walk over the models: every field of every nested model.
        for model in _models(root):
            for name in model.model_fields:
                assert any(path.split(".")[-1].removesuffix("[]") == name for path in entries), \
                    f"{model.__name__}.{name} is missing from the settings reference"


def test_settings_reference_names_files_with_placeholders_as_written(fenmarsh: Handbook) -> None:
    page = fenmarsh.soup("reference/settings")
    assert page.find("slug") is None, "a '<slug>' placeholder must not become an element"
    heading = fenmarsh.article("reference/settings").find(id="councillor-yml")
    assert heading.get_text().strip() == "councillor_blogs/<slug>/councillor.yml"
    contents = [a.get_text().strip() for a in page.select('nav a[href="#councillor-yml"]')]
    assert contents and set(contents) == {"councillor_blogs/<slug>/councillor.yml"}


def test_settings_reference_says_what_kind_of_value_each_takes(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("reference/settings")
    kinds = {dt.get_text().strip(): dd.find("em").get_text() for dt, dd in
             zip(article.find_all("dt"), article.find_all("dd"), strict=True)}
    assert kinds["modified"].startswith("a date, or a date and time")
    assert kinds["tags"].startswith("a list")
    assert kinds["political"].startswith("true or false")


def test_command_reference_documents_every_command_and_option(fenmarsh: Handbook) -> None:
    import click

    from generator.commands import main

    text = fenmarsh.article("reference/commands").get_text(" ")
    for name, command in main.commands.items():
        assert f"councillor {name}" in text, f"'councillor {name}' is missing from the command reference"
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                for flag in param.opts:
                    assert flag in text, f"{flag} of 'councillor {name}' is missing from the command reference"


# -- Printing ----------------------------------------------------------------------------------

def test_print_view_contains_every_workshop_and_worksheet(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("print_page")
    titles = [h.get_text().strip() for h in article.find_all("h1")]
    for page in WORKSHOP_PAGES:
        title = fenmarsh.article(page).find("h1").get_text().strip()
        assert title in titles
    # The print view prefixes each id with its page's path.
    assert len(article.select('.nc-worksheet > h3[id^="workshops-"]')) == 3
    assert len(article.select('.nc-worksheet > h3[id^="trainers-evaluation-"]')) == 4, "the evaluation forms"
    assert len(article.select(".nc-exercise")) == len(exercises(fenmarsh))
    text = " ".join(article.get_text(" ").split())
    for workshop in fenmarsh.programme.cohort.workshops:
        assert workshop.venue in text


PRINT_VIEW_JS = """() => ({
    buttons: [...document.querySelectorAll("button, .md-button")].filter(e => e.checkVisibility())
        .map(e => e.outerHTML.slice(0, 80)),
    dead: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute("href").slice(1))
        .filter(id => !document.getElementById(decodeURIComponent(id))),
    titles: [...document.querySelectorAll("article h1, article .nc-cover h1")].filter(e => e.checkVisibility())
        .map(e => e.textContent.replace("¶", "").trim()),
    primary: getComputedStyle(document.querySelector("article")).getPropertyValue("--md-primary-fg-color").trim(),
    logo: [...document.querySelectorAll(".nc-cover img")].filter(e => e.checkVisibility() && e.naturalWidth > 0)
        .map(e => e.alt),
})"""


def test_the_print_view_is_the_councils_on_paper(fenmarsh: Handbook, browser) -> None:
    article = fenmarsh.soup("print_page").select_one("article")
    assert article.find("style") is None, "styles belong in the head"
    visit = browser_support.open_page(browser, fenmarsh.url + "print_page/")
    page = visit.page
    try:
        page.emulate_media(media="print")
        found = page.evaluate(PRINT_VIEW_JS)
        assert found["buttons"] == [], "screen-only buttons on paper"
        assert found["dead"] == [], "links to nothing in the print view"
        assert found["titles"].count(fenmarsh.programme.site.title) == 1, "the handbook's title, once"
        assert found["primary"].lower() == brand_colours(fenmarsh.programme.branding)["primary"].lower()
        assert found["logo"] == [fenmarsh.programme.branding.logo_alt], "the council's logo on the cover"
    finally:
        page.context.close()


def test_handouts_print_without_the_site_around_them(fenmarsh: Handbook, browser) -> None:
    visit = browser_support.open_page(browser, fenmarsh.url + "workshops/1-footprint/")
    page = visit.page
    page.emulate_media(media="print")
    for selector in [".md-header", ".md-sidebar--primary", ".md-footer", ".nc-actions"]:
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    assert page.eval_on_selector(".nc-worksheet", "e => getComputedStyle(e).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.context.close()


# -- Accessibility in a browser ----------------------------------------------------------------

PAGE_TYPES = {
    "home": "",
    "workshop": "workshops/1-footprint/",
    "stream": "streams/getting-started/",
    "guide": "guides/syndication/",
    "ipad guide": "guides/ipad/",
    "council": "councils/difficult-conversations/",
    "accessibility": "accessibility/",
    "settings": "reference/settings/",
    "commands": "reference/commands/",
    "print": "print_page/",
    "not found": "404.html",
    "trainers": "trainers/evaluation/",
    "thread": "trainers/heated-thread/",
    "network guide": "guides/instagram/",
}
VIEWPORTS = {"phone": browser_support.PHONE, "ipad": browser_support.IPAD, "desktop": browser_support.DESKTOP}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_every_page_type_passes_axe(fenmarsh: Handbook, browser, page_type: str, viewport: str) -> None:
    visit = browser_support.open_page(browser, fenmarsh.url + PAGE_TYPES[page_type], VIEWPORTS[viewport])
    try:
        violations = browser_support.axe_violations(visit.page)
        assert violations == [], browser_support.describe(violations)
        assert not browser_support.has_horizontal_scroll(visit.page)
        assert visit.other_hosts() == set()
    finally:
        visit.page.context.close()


@pytest.mark.parametrize("viewport", ["phone", "ipad"])
def test_navigation_drawer_passes_axe(fenmarsh: Handbook, browser, viewport: str) -> None:
    # On a phone or an iPad the navigation is a drawer, opened from the header's menu button.
    visit = browser_support.open_page(browser, fenmarsh.url + "workshops/2-shape/", VIEWPORTS[viewport])
    page = visit.page
    try:
        page.click("label.md-header__button[for=__drawer]")
        page.wait_for_selector(".md-sidebar--primary .md-nav__link--active", state="visible")
        violations = browser_support.axe_violations(page)
        assert violations == [], browser_support.describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("page", ["", "workshops/3-influence/", "accessibility/"])
def test_second_councils_colours_and_pages_pass_axe(harrowdale: Handbook, browser, page: str) -> None:
    visit = browser_support.open_page(browser, harrowdale.url + page, browser_support.PHONE)
    try:
        violations = browser_support.axe_violations(visit.page)
        assert violations == [], browser_support.describe(violations)
        assert visit.other_hosts() == set()
    finally:
        visit.page.context.close()


def test_search_finds_pages_and_its_results_pass_axe(fenmarsh: Handbook, browser) -> None:
    visit = browser_support.open_page(browser, fenmarsh.url, browser_support.DESKTOP)
    page = visit.page
    try:
        page.get_by_role("textbox", name="Search").first.click()
        page.keyboard.type("Mastodon")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        results = page.locator(".md-search-result__item").all_inner_texts()
        assert any("Mastodon" in r for r in results)
        violations = browser_support.axe_violations(page)
        assert violations == [], browser_support.describe(violations)
        assert visit.other_hosts() == set()
    finally:
        page.context.close()


# -- Building it the ways people will ---------------------------------------------------------

def test_plain_mkdocs_build_strict_from_the_repository(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    for page in ["index.html", "accessibility/index.html", "reference/settings/index.html",
                 "print_page/index.html", "workshops/3-influence/index.html"]:
        assert (tmp_path / "out" / page).is_file(), page


def test_whole_site_build_includes_the_handbook_beside_the_blogs(example_site: tuple[Path, str]) -> None:
    site, url = example_site
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".md-header") is not None
    blogs = next(a["href"] for a in home.select(".nc-footer a") if a.get_text().strip() == "Councillors' blogs")
    assert urljoin(url, blogs) == url + "councillors/"
    assert (site / "councillors" / "index.html").is_file()
    assert (site / "accessibility" / "index.html").is_file()
    # The handbook explains the footprint report and links to the report the council step makes.
    page = BeautifulSoup((site / "footprint" / "index.html").read_text(encoding="utf-8"), "html.parser")
    report = page.select_one("article a.md-button--primary")
    assert report is not None and urljoin(url + "footprint/", report["href"]) == url + FOOTPRINT_PATH
    assert (site / FOOTPRINT_PATH / "index.html").is_file()
    # Every link on a handbook page resolves once the other steps have added their pages.
    handbook = [str(p.relative_to(REPO / "handbook").with_suffix("")) for p in (REPO / "handbook").rglob("*.md")]
    sections = {name.split("/")[0] for name in handbook} | {"accessibility", "reference", "print_page", "index.html"}
    broken = [b for b in broken_links(site, url) if b.split("/")[0].split(":")[0] in sections]
    assert broken == []


def _mkdocs_yml(folder: Path, docs: Path, programme: Path) -> None:
    """A council's own mkdocs.yml that uses the toolkit's theme and the given pages."""
    (folder / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Test
        docs_dir: {docs}
        theme:
          name: material
          custom_dir: {REPO / "themes" / "handbook"}
          font: false
        plugins:
          - networked-councillor:
              programme: {programme}
        """))


def _mkdocs(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(folder / "out")],
                          cwd=folder, capture_output=True, text=True, timeout=300)


def test_a_mistake_in_programme_yml_names_the_file_and_line(example: Path) -> None:
    programme = example / "programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("date: 2027-02-16", "date: 16/02/2027"),
                         encoding="utf-8")
    line = next(i for i, row in enumerate(programme.read_text().splitlines(), 1) if "16/02/2027" in row)
    _mkdocs_yml(example, REPO / "handbook", programme)
    result = _mkdocs(example)
    assert result.returncode != 0
    assert f"{programme}:{line}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_template_mistake_in_a_page_names_the_page_and_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("---\ndescription: x\n---\n# Home\n\nRun by {{ council.nmae }}.\n")
    _mkdocs_yml(tmp_path, docs, REPO / "programme.yml")
    result = _mkdocs(tmp_path)
    assert result.returncode != 0
    assert "index.md:6" in result.stderr and "nmae" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_handbook_reports_a_missing_plugin_cleanly(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "council")
    (root / "mkdocs.yml").write_text("site_name: Bare\ndocs_dir: handbook\n")
    (root / "handbook").mkdir()
    (root / "handbook" / "index.md").write_text("# Home\n")
    with pytest.raises(BuildError, match="networked-councillor"):
        build_handbook(load_project(root), tmp_path / "out", "https://example.org/")


# -- The page for an address that is not there -----------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_missing_page_leads_home_and_to_the_councillors(built_example, browser, viewport: str) -> None:
    _, url = built_example
    size = {"phone": browser_support.PHONE_390, "desktop": browser_support.DESKTOP}[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    try:
        response = page.goto(url + "councillors/nobody/2026/01/an-old-post/")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        assert not browser_support.has_horizontal_scroll(page)
        violations = browser_support.axe_violations(page)
        assert violations == [], browser_support.describe(violations)
        page.get_by_role("link", name="Find your councillor’s blog").click()
        page.wait_for_url(url + "councillors/")
        assert page.locator("h1").inner_text() == "Find your councillor’s blog"
        page.go_back()
        page.locator("article").get_by_role("link", name="The programme handbook").click()
        page.wait_for_load_state()
        assert page.url.rstrip(".") == url
    finally:
        context.close()


# -- What a trainer needs to run the day --------------------------------------------------------------

def section_text(heading: Tag) -> str:
    """The words under ``heading``, up to the next heading of its level or above."""
    stop = {"h2"} if heading.name == "h2" else {"h2", "h3"}
    body = []
    for sibling in heading.find_next_siblings():
        if sibling.name in stop:
            break
        body.append(sibling.get_text(" "))
    return " ".join(" ".join(body).split())


STREAM_SECTIONS = ["Who it is for", "Spotting them in the first hour", "How the exercises change for them"]


@pytest.mark.parametrize("stream", ["getting-started", "confident", "leading"])
def test_each_stream_page_tells_a_trainer_how_to_run_it(fenmarsh: Handbook, stream: str) -> None:
    article = fenmarsh.article(f"streams/{stream}")
    headings = [h.get_text().strip() for h in article.find_all("h2")]
    for section in STREAM_SECTIONS:
        assert section in headings, f"{stream}: no '{section}' section"
        heading = article.find("h2", string=lambda t, s=section: t and t.strip() == s)
        assert len(section_text(heading).split()) >= 40, f"{stream}: '{section}' is a line, not guidance"
    text = fenmarsh.text(f"streams/{stream}")
    assert len(text.split()) >= 400, len(text.split())
    for workshop in ("Workshop 1", "Workshop 2", "Workshop 3"):
        assert workshop in text, f"{stream}: says nothing of how {workshop} changes"


def test_each_workshop_has_a_materials_and_room_checklist(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("trainers/materials")
    headings = [h.get_text().strip() for h in article.find_all("h2")]
    for page in WORKSHOP_PAGES:
        title = fenmarsh.article(page).find("h1").get_text().strip()
        number = title.split(":")[0]
        section = next((h for h in headings if h.startswith(number + ":")), None)
        assert section, f"no checklist for {number}"
        anchor = article.find("h2", string=lambda t, s=section: t and t.strip() == s)["id"]
        links = [a["href"] for a in fenmarsh.article(page).select("details a, .admonition a")]
        assert any(href.endswith(f"trainers/materials/#{anchor}") for href in links), \
            f"{page}'s trainer notes do not lead to its checklist"


def test_exercise_2_3_comes_with_a_thread_to_practise_on(fenmarsh: Handbook) -> None:
    thread = fenmarsh.article("trainers/heated-thread")
    posts = [p for p in thread.select(".admonition.example p") if p.find("strong")]
    assert len(posts) >= 8, "a thread long enough to rise in temperature"
    assert len({p.find("strong").get_text() for p in posts}) >= 5, "several voices"
    assert thread.find("blockquote"), "a reply to compare with"
    exercise = fenmarsh.article("workshops/2-shape").find(id="exercise-2-3").find_parent(class_="nc-exercise")
    assert any(a["href"].endswith("trainers/heated-thread/") for a in exercise.find_all("a"))


def test_there_is_an_evaluation_form_per_workshop_and_for_the_programme(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("trainers/evaluation")
    forms = {sheet.find("h3")["id"]: sheet for sheet in article.select(".nc-worksheet")}
    assert set(forms) == {"evaluation-1", "evaluation-2", "evaluation-3", "programme"}
    for form in forms.values():
        assert len(form.select("table.nc-write-in tbody tr")) >= 5
    # Action learning: the programme form asks what changed, not only whether people enjoyed it.
    questions = " ".join(forms["programme"].get_text(" ").split()).lower()
    assert "now" in questions and "differently" in questions


def test_beyond_the_programme_guides_officers_on_each_organisational_change(fenmarsh: Handbook) -> None:
    article = fenmarsh.article("councils")
    section = article.find(id="beyond-the-programme")
    changes = [(heading.get_text().strip(), section_text(heading)) for heading in section.find_all_next("h3")]
    assert len(changes) == 4, [title for title, _ in changes]
    for title, body in changes:
        assert "What officers can do" in body and "Signs it is working" in body, title
        assert len(body.split()) >= 120, title


def test_exercise_3_3_gives_officers_and_councillors_a_method(fenmarsh: Handbook) -> None:
    exercise = fenmarsh.article("workshops/3-influence").find(id="exercise-3-3").find_parent(class_="nc-exercise")
    assert len(exercise.find_all("li")) >= 4
    assert len(exercise.get_text(" ").split()) >= 200
    assert any(a["href"].endswith("councils/#beyond-the-programme") for a in exercise.find_all("a"))


@pytest.mark.parametrize("network", ["linkedin", "threads", "instagram"])
def test_every_network_the_toolkit_shares_to_has_a_guide(fenmarsh: Handbook, network: str) -> None:
    from generator.inputs.networks import NETWORKS
    from generator.syndication import adapter_class

    text = fenmarsh.text(f"guides/{network}")
    assert len(text.split()) >= 300
    nav = [urljoin(fenmarsh.url + "guides/", a["href"]) for a in fenmarsh.soup("guides").select("nav a")]
    assert fenmarsh.url + f"guides/{network}/" in nav, "the guide is in the navigation"
    assert "councillor.yml" in text and "platforms" in text, "it says how to list the network"
    if NETWORKS[network].automated:
        for secret in adapter_class(network).CREDENTIALS:
            assert f"_{network.upper()}_{secret}" in text, f"the guide names the {secret} secret"
    else:
        assert "share kit" in text.lower()


def test_the_trainers_timing_note_is_not_on_the_councillors_handout(harrowdale: Handbook, browser) -> None:
    visit = browser_support.open_page(browser, harrowdale.url + "workshops/2-shape/")
    page = visit.page
    note = page.locator(".admonition.nc-trainer", has_text="booked for 150")
    try:
        assert note.is_visible(), "the trainer sees it on screen"
        page.emulate_media(media="print")
        assert not note.is_visible(), "the handout leaves it out"
        page.goto(harrowdale.url + "print_page/")
        page.emulate_media(media="print")
        assert page.locator(".admonition.nc-trainer", has_text="booked for 150").is_visible(), \
            "the trainer's printed handbook keeps it"
    finally:
        page.context.close()
