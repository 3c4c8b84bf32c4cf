"""The writing screen at /admin/: its settings, made from the post models, and the screen itself in Chromium."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from generator.build import cache
from generator.inputs import news, posts
from generator.inputs.config import load_project
from generator.steps import admin
from tests.conftest import REPO, copy_example, run_cli
from tests.support import desk
from tests.support.browser import DESKTOP, axe_violations, describe
from tests.support.github import FakeGitHub

GITHUB_FOLDERS = ["councillor_blogs", "council_content"]


def built_admin(root: Path, tmp_path: Path, site_url: str = "https://fenmarsh-council.github.io/nc/") -> Path:
    output = tmp_path / "out"
    admin.build_admin(load_project(root), output, site_url)
    return output / admin.ADMIN_URL_PATH


# -- The settings, without a browser ------------------------------------------------------------


def test_config_has_a_collection_per_councillor_and_one_for_council_news(tmp_path: Path) -> None:
    config = yaml.safe_load((built_admin(REPO, tmp_path) / "config.yml").read_text(encoding="utf-8"))
    project = load_project(REPO)
    assert config["backend"] == {**config["backend"], "name": "github", "branch": "main",
                                 "repo": "fenmarsh-council/networked-councillor", "auth_methods": ["token"]}
    assert config["app_title"] == "Fenmarsh Networked Councillor: writing screen"
    by_name = {c["name"]: c for c in config["collections"]}
    assert list(by_name) == [b.slug for b in project.blogs] + ["council-news"]
    for blog in project.blogs:
        collection = by_name[blog.slug]
        assert collection["label"] == blog.councillor.name
        assert (REPO / collection["folder"]) == blog.content_dir / posts.POSTS_DIR
        assert (REPO / collection["media_folder"].lstrip("/")) == blog.content_dir / "images"
    assert (REPO / by_name["council-news"]["folder"]) == REPO / news.CONTENT_DIR
    # The global folder for uploads is not under councillor_blogs/, where a folder is read as a blog.
    assert not config["media_folder"].startswith("councillor_blogs")


def test_form_fields_are_the_post_settings_with_their_own_help(tmp_path: Path) -> None:
    config = yaml.safe_load((built_admin(REPO, tmp_path) / "config.yml").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    assert set(fields) - {"body"} <= set(posts.FrontMatter.model_fields)
    assert list(fields)[:7] == ["title", "date", "summary", "tags", "image", "political", "status"]
    assert fields["title"].get("required", True) and fields["date"].get("required", True)
    assert fields["summary"]["hint"] == posts.FrontMatter.model_fields["summary"].description
    picture = {f["name"]: f for f in fields["image"]["fields"]}
    assert picture["src"]["widget"] == "image"
    assert picture["alt"].get("required", True), "a picture cannot be saved without its description"
    assert fields["status"]["options"] == ["published", "draft"]
    item_fields = {f["name"]: f for f in config["collections"][-1]["fields"]}
    assert set(item_fields) - {"body"} <= set(news.ItemFrontMatter.model_fields)
    assert item_fields["summary"]["maxlength"] == news.SHARE_LIMIT


def test_page_runs_no_script_of_its_own_and_states_its_policy(tmp_path: Path) -> None:
    folder = built_admin(REPO, tmp_path)
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = page.find_all("script")
    assert scripts and all(s.get("src") and not s.string for s in scripts)
    for script in scripts:
        assert (folder / script["src"]).is_file()
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert re.search(r"font-src 'self';", policy) and "frame-src blob:;" in policy
    assert page.find("link", rel="cms-config-url")["href"] == "config.yml"


def test_editor_is_the_pinned_copy_with_its_fonts_on_the_site(tmp_path: Path) -> None:
    vendor = REPO / admin.VENDOR_DIR
    assert (vendor / "VERSION").read_text().strip() == admin.SVELTIA_VERSION
    script = (built_admin(REPO, tmp_path) / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in script
    for font in re.findall(r"url\((fonts/[^)]+\.woff2)\)", script):
        assert (vendor / font).is_file()
        assert (vendor / font.replace(".woff2", ".LICENSE.txt")).is_file()
    assert (vendor / "LICENSE.txt").read_text().startswith("MIT License")
    # Its words in the reader's language come from the site too (see update-sveltia.sh).
    assert "=`locales`," in script and (vendor / "locales" / "en-GB.json").is_file()


def test_repository_comes_from_the_setting_or_a_github_pages_address(example: Path, tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    programme = example / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text + "editor:\n  repository: fenmarsh/blogs\n  oauth_base_url: https://auth.fenmarsh.example\n",
                         encoding="utf-8")
    backend = yaml.safe_load((built_admin(example, tmp_path / "a") / "config.yml").read_text())["backend"]
    assert backend["repo"] == "fenmarsh/blogs"
    assert backend["base_url"] == "https://auth.fenmarsh.example" and backend["auth_methods"] == ["oauth", "token"]

    programme.write_text(text.replace("https://fenmarsh-council.github.io/networked-councillor/",
                                      "https://councillors.fenmarsh.example/"), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="generator"):
        assert not admin.build_admin(load_project(example), tmp_path / "b", "https://councillors.fenmarsh.example/")
    assert not (tmp_path / "b" / admin.ADMIN_URL_PATH).exists()
    assert "editor.repository" in caplog.text

    programme.write_text(text + "editor:\n  enabled: false\n", encoding="utf-8")
    project = load_project(example)
    assert not admin.build_admin(project, tmp_path / "c", "https://x.example/")
    assert admin.screen_url(project.programme, "https://x.example/") is None
    assert not (tmp_path / "c" / admin.ADMIN_URL_PATH).exists()


def test_screen_is_rebuilt_when_a_councillor_changes_not_when_a_post_does(example: Path) -> None:
    def key() -> str:
        project = load_project(example)
        return cache.Inputs(project, "https://x.example/", False, dt.datetime.now(dt.UTC)).admin()

    first = key()
    blog = example / "councillor_blogs" / "amira-patel"
    post = sorted((blog / "content" / "posts").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert key() == first
    councillor = blog / "councillor.yml"
    councillor.write_text(councillor.read_text(encoding="utf-8").replace("Amira Patel", "Amira Patel-Jones"),
                          encoding="utf-8")
    assert key() != first


# -- The screen in Chromium -----------------------------------------------------------------------


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub.of_folder("fenmarsh-council/networked-councillor", REPO, GITHUB_FOLDERS)


def test_screen_signs_in_and_lists_a_councillors_posts(browser, built_example, github: FakeGitHub) -> None:
    _, url = built_example
    screen = desk.open_desk(browser, url, github)
    try:
        desk.sign_in(screen.page)
        desk.open_collection(screen.page, "Amira Patel")
        amira = load_project(REPO).blog("amira-patel")
        for post in posts.read_all(amira.content_dir)[0]:
            screen.page.get_by_text(post.meta.title).first.wait_for()
        # The comms team's collection: the council's news items.
        desk.open_collection(screen.page, "Council news")
        for item in news.read_items(REPO, "Europe/London")[0]:
            screen.page.get_by_text(item.meta.title).first.wait_for()
        desk.open_collection(screen.page, "Amira Patel")
        # Its icons are a font served by the site: a missing one shows its name instead.
        assert screen.page.evaluate("document.fonts.check('24px \"Material Symbols Outlined\"')")
        # On a wide screen a post opens beside its preview, in the blog's own styles.
        screen.page.set_viewport_size(DESKTOP)
        screen.page.get_by_text("Bin collections change in March").first.click()
        preview = screen.page.frame_locator("iframe").first
        preview.get_by_text("Bin collections change in March").first.wait_for()
        assert "system-ui" in preview.locator("body").evaluate("b => getComputedStyle(b).fontFamily")
        assert screen.unexpected_errors() == []
        assert screen.other_hosts == [], "the screen asked another host for something"
        assert github.unanswered == []
    finally:
        screen.close()


def test_a_post_and_a_news_item_saved_on_the_screen_build_onto_the_site(browser, built_example, github: FakeGitHub,
                                                                         tmp_path: Path) -> None:
    _, url = built_example
    picture = tmp_path / "Mill Road works.png"
    Image.new("RGB", (64, 48), (0, 89, 79)).save(picture)
    description = "Temporary lights at the Mill Road junction"
    screen = desk.open_desk(browser, url, github)
    try:
        desk.sign_in(screen.page)
        desk.open_collection(screen.page, "Amira Patel")
        desk.start_post(screen.page, "Mill Road crossing: work starts", "2026-11-20T09:30",
                        "Work on the crossing outside the school starts on Monday.",
                        "The crossing has been asked for since 2019.")
        desk.add_picture(screen.page, picture, description)
        desk.save(screen.page, github)
        desk.open_collection(screen.page, "Council news")
        desk.start_news_item(screen.page, "Mill Road closed for two nights", "2026-11-19T08:00", "Highways",
                             "Mill Road is closed overnight on 23 and 24 November for the new crossing.",
                             "Diversions are signed via School Lane.")
        desk.save(screen.page, github)
        assert screen.unexpected_errors() == []
        assert screen.other_hosts == []
    finally:
        screen.close()

    commit, news_commit = github.commits[-2:]
    assert commit.deleted == []
    assert list(news_commit.added) == ["council_content/2026-11-19-mill-road-closed-for-two-nights.md"]
    folder = "councillor_blogs/amira-patel/content"
    assert sorted(commit.added) == [f"{folder}/images/mill-road-works.png",
                                    f"{folder}/posts/2026-11-20-mill-road-crossing-work-starts.md"]
    assert commit.added[f"{folder}/images/mill-road-works.png"] == picture.read_bytes()

    # The commit's files, as they would arrive in the repository, build unchanged.
    root = copy_example(tmp_path / "programme")
    for path, data in (commit.added | news_commit.added).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    post, problems = posts.read(root / f"{folder}/posts/2026-11-20-mill-road-crossing-work-starts.md")
    assert problems == [] and post is not None
    assert post.meta.image is not None and post.meta.image.alt == description
    result = run_cli("build", "--root", root, "--strict", "--jobs", "1")
    assert result.exit_code == 0, result.output

    page = root / "site/councillors/amira-patel/2026/11/mill-road-crossing-work-starts/index.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert html.find("h1").get_text(strip=True) == "Mill Road crossing: work starts"
    image = html.find("img", class_="u-photo")
    assert image["alt"] == description
    shipped = page.parent / image["src"]  # relative to the page, as the browser reads it
    assert shipped.resolve().read_bytes() == picture.read_bytes()
    item = root / "site" / news.NEWS_URL_PATH / "mill-road-closed-for-two-nights" / "index.html"
    assert "Mill Road closed for two nights" in item.read_text(encoding="utf-8")
    shutil.rmtree(root / "site")


def test_screen_has_no_accessibility_failure_of_the_projects_making(browser, built_example,
                                                                     github: FakeGitHub) -> None:
    """The one axe finds is the editor's own viewport tag, listed in the accessibility statement."""
    _, url = built_example
    screen = desk.open_desk(browser, url, github, bypass_csp=True)
    found: dict[str, list[dict]] = {}
    page = screen.page

    def check(where: str) -> None:
        violations = axe_violations(page)
        found[where] = violations
        # Not the page's own viewport tag, which lets people zoom, but the one the editor adds after it.
        for violation in violations:
            violation["content"] = [page.locator(node[0]).get_attribute("content") for node in violation["nodes"]]

    try:
        page.get_by_role("button", name="Sign In Using Access Token").wait_for()
        check("sign-in")
        desk.sign_in(page)
        desk.open_collection(page, "Amira Patel")
        check("posts")
        page.get_by_role("button", name="Create New Entry").click()
        page.locator('section.field[data-key-path="title"] input').wait_for()
        check("new post")
    finally:
        screen.close()
    for where, violations in found.items():
        assert [v["id"] for v in violations] == ["meta-viewport"], f"{where}: {describe(violations)}"
        assert len(violations[0]["content"]) == 1 and "maximum-scale=1" in violations[0]["content"][0], where
    ours = BeautifulSoup((built_example[0] / "admin/index.html").read_text(encoding="utf-8"), "html.parser")
    assert ours.find("meta", attrs={"name": "viewport"})["content"] == "width=device-width, initial-scale=1"
