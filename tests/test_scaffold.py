"""`councillor new` and `councillor post`: a blog or a post in one command, safe to run twice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands import main
from generator.inputs import posts, yamlfile
from generator.inputs.config import Councillor, load_blog
from generator.inputs.values import slugify
from generator.scaffold.blog import yaml_scalar
from tests.conftest import REPO, run_cli, run_cli_process
from tests.support.helpers import tree

EMAIL = "jane.smith@councillors.fenmarsh.example"


def blogs(root: Path) -> Path:
    return root / "councillor_blogs"


def new(root: Path, name: str = "Jane Smith", *extra: str, ward: str = "Castle"):
    # "--" so that a name starting with "-" is still a name.
    return run_cli("new", "--ward", ward, "--root", root, *extra, "--", name)


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


# --- councillor new --------------------------------------------------------------------------


def test_new_makes_a_blog_that_builds(example):
    result = new(example, "Jane Smith", "--role", "Cabinet member for parks", "--party", "Independent",
                 "--email", EMAIL, "--phone", "01632 960 999", "--mastodon", "@janesmith@social.fenmarsh.example",
                 "--bluesky", "@janesmith.bsky.social", "--x", "@JaneSmithCastle", "--facebook", "CllrJaneSmith",
                 "--threads", "janesmith", "--linkedin", "https://www.linkedin.com/in/jane-smith-example/",
                 "--nextdoor", "https://nextdoor.co.uk/profile/01janesmith/")
    assert result.exit_code == 0, result.output
    folder = blogs(example) / "jane-smith"
    assert str(folder) in result.output

    blog, problems = load_blog(folder)
    assert problems == [] and blog is not None
    c = blog.councillor
    assert (c.name, c.ward, c.role, c.party, c.contact.email, c.contact.phone) == (
        "Jane Smith", "Castle", "Cabinet member for parks", "Independent", EMAIL, "01632 960 999")
    assert c.platforms["mastodon"].handle == "@janesmith@social.fenmarsh.example"
    assert c.platforms["bluesky"].handle == "janesmith.bsky.social", "a leading @ is dropped"
    assert c.platforms["x"].handle == "JaneSmithCastle"
    assert c.platforms["linkedin"].url == "https://www.linkedin.com/in/jane-smith-example/"
    assert not c.syndicates_to("x"), "X stays off until the councillor turns it on"

    about = folder / "content" / "pages" / "about.md"
    welcome = list((folder / "content" / "posts").glob("*-welcome-to-my-blog.md"))
    assert about.is_file() and len(welcome) == 1 and (folder / "content" / "images").is_dir()
    for path in (about, welcome[0]):
        post, found = posts.read(path)
        assert found == [] and post is not None, found
    welcome_text = welcome[0].read_text(encoding="utf-8")
    assert "Mastodon" in welcome_text and " X," not in welcome_text and "X or" not in welcome_text

    built = run_cli("build", "--root", example, "--base-url", "https://fenmarsh.example/")
    assert built.exit_code == 0, built.output
    home = example / "site" / "councillors" / "jane-smith" / "index.html"
    assert "Welcome to my blog" in home.read_text(encoding="utf-8")
    assert (example / "site" / "councillors" / "jane-smith" / "about" / "index.html").is_file()


def test_councillor_yml_reads_well_for_someone_editing_it(example):
    assert new(example, "Jane Smith", "--email", EMAIL, "--mastodon", "@jane@social.example").exit_code == 0
    text = (blogs(example) / "jane-smith" / "councillor.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "name: Jane Smith" in lines and "ward: Castle" in lines and f"  email: {EMAIL}" in lines
    assert '  mastodon: "@jane@social.example"' in lines, "quotes only where YAML needs them"
    notes = [line for line in lines if line.lstrip().startswith("#")]
    assert len(notes) >= 10, "each setting has a note saying what it is for"
    assert "# surgeries:" in lines, "an example to copy for the setting most blogs need next"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Siân O'Brien-Jones", "sian-obrien-jones"),
        ("Dafydd ap Gwŷn", "dafydd-ap-gwyn"),
        ("Llŷr Ŵyn Hughes", "llyr-wyn-hughes"),
        ("Chloé Durand-Lefèvre", "chloe-durand-lefevre"),
        ("Seán Ó Ceallaigh", "sean-o-ceallaigh"),
        ("Mair O’Neill", "mair-oneill"),
        ("  Rhian   Evans ", "rhian-evans"),
    ],
)
def test_names_with_accents_apostrophes_and_welsh_letters(example, name, slug):
    result = new(example, name, "--email", EMAIL)
    assert result.exit_code == 0, result.output
    assert slugify(name) == slug
    blog, problems = load_blog(blogs(example) / slug)
    assert problems == [] and blog is not None
    assert blog.councillor.name == " ".join(name.split()), "the name is kept exactly, accents and all"
    again = new(example, name.upper(), "--email", EMAIL)
    assert again.exit_code != 0, "the same name in capitals is the same blog"


def test_new_refuses_to_overwrite_a_blog(example):
    assert new(example, "Jane Smith", "--email", EMAIL).exit_code == 0
    folder = blogs(example) / "jane-smith"
    (folder / "content" / "pages" / "about.md").write_text("---\ntitle: Mine\ndate: 2026-01-01\n---\nMy words.\n")
    before = tree(folder)

    result = new(example, "Jane Smith", "--email", "other@example.org", ward="Market")

    assert result.exit_code != 0
    assert str(folder) in result.output and "already exists" in result.output
    assert "Traceback" not in result.output
    assert tree(folder) == before


def test_new_refuses_a_folder_that_is_there_without_settings(example):
    (blogs(example) / "jane-smith" / "notes").mkdir(parents=True)
    result = new(example, "Jane Smith", "--email", EMAIL)
    assert result.exit_code != 0 and "already exists" in result.output
    assert not (blogs(example) / "jane-smith" / "councillor.yml").exists()


def test_without_contact_details_nothing_is_written(example):
    before = tree(blogs(example))
    result = run_cli_process("new", "--root", example, "--ward", "Castle", "Jane Smith", "--mastodon",
                             "@jane@social.example")
    assert result.returncode != 0
    assert "needs a way for residents to reach the councillor" in result.stderr
    assert "--email" in result.stderr and "--phone" in result.stderr and "--interactive" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(blogs(example)) == before, "nothing is written"


CONTACT_PROMPTS = ["Email for casework (leave blank for none): ", "Phone for casework (leave blank for none): "]
RETRY = "Residents need a way to reach Jane about casework: give an email address, a phone number, or both."


def test_interactive_mode_asks_again_until_there_is_a_way_to_reach_the_councillor(example):
    answers = ["", "", "jane at example", "", "01632 960 999"]
    result = CliRunner().invoke(main, ["new", "Jane Smith", "--root", str(example), "-i", "--ward", "Castle",
                                       "--role", "Councillor", "--party", "Labour"],
                                input="\n".join(answers) + "\n" * 10)
    assert result.exit_code == 0, result.output
    # The test runner echoes each answer after its prompt, as a terminal would.
    email, phone = CONTACT_PROMPTS
    assert result.output.splitlines()[:7] == [
        email, phone, RETRY,
        f"{email}jane at example", "Error: 'jane at example' is not an email address; try again, or leave it blank",
        email, f"{phone}01632 960 999"]
    blog, problems = load_blog(blogs(example) / "jane-smith")
    assert problems == [] and blog is not None
    assert (blog.councillor.contact.email, blog.councillor.contact.phone) == (None, "01632 960 999")


def test_typed_at_a_terminal_it_asks_for_a_way_to_reach_the_councillor(example):
    """Without --interactive, someone at a terminal is asked only for the missing contact."""
    import os
    import pty
    import subprocess
    import sys

    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "generator", "new", "--root", str(example), "--ward", "Castle",
                                "Jane Smith"], stdin=child_fd, stdout=child_fd, stderr=child_fd,
                               cwd=REPO, close_fds=True)
    os.close(child_fd)
    seen = b""

    def read_until(text: str) -> None:
        nonlocal seen
        while text.encode() not in seen:
            chunk = os.read(main_fd, 1024)
            assert chunk, seen.decode(errors="replace")
            seen += chunk

    read_until(CONTACT_PROMPTS[0])
    os.write(main_fd, b"\n")
    read_until(CONTACT_PROMPTS[1])
    os.write(main_fd, b"\n")
    read_until(RETRY)
    read_until(CONTACT_PROMPTS[0] + "")
    os.write(main_fd, EMAIL.encode() + b"\n")
    os.write(main_fd, b"\n")
    assert process.wait(timeout=60) == 0
    try:
        while chunk := os.read(main_fd, 1024):
            seen += chunk
    except OSError:
        pass  # the terminal closes with the process
    os.close(main_fd)
    assert "Ward" not in seen.decode() and "Mastodon" not in seen.decode(), "only the contact is asked for"
    blog, problems = load_blog(blogs(example) / "jane-smith")
    assert problems == [] and blog is not None and blog.councillor.contact.email == EMAIL


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--email", "jane at example.org", "not an email address"),
        ("--phone", "call the office", "not a phone number"),
        ("--mastodon", "janesmith", "@name@instance.social"),
        ("--mastodon", "https://social.example/@jane", "@name@instance.social"),
        ("--bluesky", "jane smith", "name.bsky.social"),
        ("--x", "jane smith", "without the @"),
        ("--linkedin", "linkedin.com/in/jane", "https://"),
        ("--nextdoor", "Jane Smith", "https://"),
    ],
)
def test_new_rejects_values_the_build_would_not_accept(example, option, value, says):
    result = new(example, "Jane Smith", "--email", EMAIL, option, value)
    assert result.exit_code != 0
    assert says in result.output and "Traceback" not in result.output
    assert not (blogs(example) / "jane-smith").exists(), "nothing is written"


def test_new_needs_a_ward(example):
    result = run_cli("new", "Jane Smith", "--root", example, "--email", EMAIL)
    assert result.exit_code == 2 and "--ward" in result.output
    assert not (blogs(example) / "jane-smith").exists()


def test_new_needs_a_programme_folder(tmp_path):
    result = new(tmp_path, "Jane Smith", "--email", EMAIL)
    assert result.exit_code != 0 and "no programme.yml here" in result.output


def test_interactive_mode_asks_for_what_was_not_given(example):
    networks = 9
    answers = ["Riverside", "Vice-chair of scrutiny", "Green Party", EMAIL, ""] + [""] * networks
    answers[5] = "@jane@social.example"  # the first network asked about is Mastodon
    result = CliRunner().invoke(main, ["new", "Jane Smith", "--root", str(example), "--interactive"],
                                input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Ward" in result.output and "Mastodon" in result.output
    blog, problems = load_blog(blogs(example) / "jane-smith")
    assert problems == [] and blog is not None
    c = blog.councillor
    assert (c.ward, c.role, c.party, c.contact.email, c.contact.phone) == (
        "Riverside", "Vice-chair of scrutiny", "Green Party", EMAIL, None)
    assert list(c.platforms) == ["mastodon"]


def test_options_are_not_asked_for_again(example):
    result = CliRunner().invoke(main, ["new", "Jane Smith", "--root", str(example), "-i", "--ward", "Castle",
                                       "--role", "Councillor", "--party", "Labour", "--email", EMAIL,
                                       "--phone", "01632 960 999"], input="\n" * 9)
    assert result.exit_code == 0, result.output
    assert "Ward" not in result.output and "Email" not in result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]), min_size=2, max_size=40)
       .filter(lambda n: slugify(n) and len(" ".join(n.split())) >= 2))
def test_any_name_round_trips_through_councillor_yml(tmp_path_factory, name):
    root = tmp_path_factory.mktemp("names")
    shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    result = new(root, name, "--email", EMAIL, ward=name)
    assert result.exit_code == 0, result.output
    blog, problems = load_blog(blogs(root) / slugify(name))
    assert problems == [] and blog is not None
    assert blog.councillor.name == " ".join(name.split())
    assert blog.councillor.ward == " ".join(name.split())


@given(st.text(min_size=1, max_size=30))
def test_yaml_values_read_back_exactly(value):
    for in_list in (False, True):
        text = f"k: [{yaml_scalar(value, in_list=True)}]\n" if in_list else f"k: {yaml_scalar(value)}\n"
        assert yamlfile.plain(yamlfile.parse(text, Path("x.yml"))) == {"k": [value] if in_list else value}


# --- councillor post -------------------------------------------------------------------------


@pytest.fixture
def jane(example) -> Path:
    assert new(example, "Jane Smith", "--email", EMAIL).exit_code == 0
    return example


def post(root: Path, *args: str):
    return run_cli("post", "--root", root, *args)


def test_post_makes_a_dated_file_and_prints_its_path(jane):
    before = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    result = post(jane, "jane-smith", "Bin collections change in March", "--tags", "bins, waste")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.is_file()
    assert path.parent == blogs(jane) / "jane-smith" / "content" / "posts"
    assert path.name.endswith("-bin-collections-change-in-march.md")
    found, problems = posts.read(path)
    assert problems == [] and found is not None
    assert found.meta.title == "Bin collections change in March"
    assert found.meta.tags == ["bins", "waste"] and not found.is_draft
    assert path.name.startswith(f"{found.date:%Y-%m-%d}-")
    assert before <= found.date <= dt.datetime.now(dt.UTC), "dated now, so it is published by the next build"
    text = path.read_text(encoding="utf-8")
    assert "# summary:" in text and "# image:" in text and "# political: true" in text, "optional settings, noted"


def test_a_draft_and_a_dated_post(jane):
    draft = post(jane, "jane-smith", "Not ready yet", "--draft")
    assert draft.exit_code == 0 and "draft" in draft.output
    found, _ = posts.read(Path(draft.stdout.strip()))
    assert found is not None and found.is_draft

    later = post(jane, "jane-smith", "Christmas lights", "--date", "2099-12-01")
    path = Path(later.stdout.strip())
    assert later.exit_code == 0 and path.name == "2099-12-01-christmas-lights.md"
    assert "1 December 2099" in later.output
    found, _ = posts.read(path)
    assert found is not None and found.date.date() == dt.date(2099, 12, 1)


@pytest.mark.parametrize(
    "title",
    ['Planning: "Old Tannery" decision #2', "100% yes - or no?", "true", "2027", "@council & the [budget]",
     "Siân's surgery: ŵ, ŷ and ‘quotes’"],
)
def test_titles_that_yaml_would_misread_are_kept_exactly(jane, title):
    result = post(jane, "jane-smith", title, "--tags", "planning: decisions, 2027, #local")
    assert result.exit_code == 0, result.output
    found, problems = posts.read(Path(result.stdout.strip()))
    assert problems == [] and found is not None
    assert found.meta.title == title
    assert found.meta.tags == ["planning: decisions", "2027", "#local"]


def test_post_refuses_to_overwrite_or_to_reuse_an_address(jane):
    first = post(jane, "jane-smith", "Road closure", "--date", "2026-05-04")
    path = Path(first.stdout.strip())
    path.write_text(path.read_text(encoding="utf-8") + "\nMy words.\n", encoding="utf-8")
    before = path.read_bytes()

    again = post(jane, "jane-smith", "Road closure", "--date", "2026-05-04")
    assert again.exit_code != 0 and "already exists" in again.output
    other_day = post(jane, "jane-smith", "Road  closure", "--date", "2026-06-01")
    assert other_day.exit_code != 0 and "road-closure" in other_day.output and path.name in other_day.output
    assert path.read_bytes() == before
    assert len(list(path.parent.glob("*road-closure.md"))) == 1


def test_post_to_an_unknown_blog_lists_the_blogs_there(jane):
    result = post(jane, "jane-smyth", "Hello")
    assert result.exit_code != 0
    assert "jane-smyth" in result.output and "jane-smith" in result.output and "amira-patel" in result.output


def test_post_accepts_the_councillors_name_for_the_blog(jane):
    result = post(jane, "Jane Smith", "Hello Castle")
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()).parent.parent.parent.name == "jane-smith"


@pytest.mark.parametrize("title", ["", "   ", "!!!"])
def test_post_needs_a_title_with_letters(jane, title):
    result = post(jane, "jane-smith", title)
    assert result.exit_code != 0 and "title" in result.output


# --- front matter checked by the build -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "needle", "says"),
    [
        (lambda t: t.replace("date: 2026-05-04", "date: 2026-02-30"), "date: 2026-02-30", "'date'"),
        (lambda t: t.replace("title: Road closure\n", ""), "date:", "'title' is required"),
        (lambda t: t.replace("---\nWrite", "image:\n  src: images/map.svg\n---\nWrite"), "image:", "'image.alt'"),
        (lambda t: t.replace("---\nWrite", "image:\n  src: images/map.svg\n  alt: ''\n---\nWrite"), "  alt:",
         "'image.alt'"),
        (lambda t: t.replace("---\nWrite", "---\nThe closure:\n\n![](images/map.svg)\n\nWrite"),
         "![](images/map.svg)", "has an image with no description (alt text): ![](images/map.svg)"),
        (lambda t: t.replace("---\nWrite", '---\n<img src="images/map.svg" width="300">\n\nWrite'),
         "<img", "has an image with no description (alt text): <img"),
        (lambda t: t.replace("---\nWrite", "image:\n  src: images/map.svg\n  alt: '   '\n---\nWrite"), "  alt:",
         "fix: fill it in"),
        (lambda t: t.replace("title: Road closure", "title: ' '"), "title:", "fix: fill it in"),
        (lambda t: t.replace("---\nWrite", "image: images/map.svg\n---\nWrite"), "image:",
         "fix: write it as indented 'name: value' lines under it"),
    ],
    ids=["bad date", "no title", "image without alt", "empty alt", "body image without alt", "html image without alt",
         "blank alt", "blank title", "image as one line"],
)
def test_a_mistake_in_front_matter_names_the_file_and_line(jane, change, needle, says):
    path = Path(post(jane, "jane-smith", "Road closure", "--date", "2026-05-04").stdout.strip())
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    result = run_cli("build", "--root", jane)

    assert result.exit_code != 0
    assert f"{path}:{line_of(path, needle)}" in result.output, result.output
    assert says in result.output and "Traceback" not in result.output


def test_described_decorative_and_quoted_images_in_a_post_build(jane):
    path = Path(post(jane, "jane-smith", "Road closure", "--date", "2026-05-04").stdout.strip())
    (path.parent.parent / "images").mkdir(exist_ok=True)
    shutil.copy(REPO / "councillor_blogs" / "grace-okonkwo" / "content" / "images" / "fenside-flood-map.svg",
                path.parent.parent / "images" / "map.svg")
    path.write_text(path.read_text(encoding="utf-8").replace("---\nWrite", (
        "---\n![Map of the closed stretch of Mill Lane](images/map.svg)\n\n"
        '<img src="../images/map.svg" alt="">\n\n'  # decoration, marked as such on purpose
        "To add a picture, type `![](photo.jpg)` and describe it between the brackets:\n\n"
        "```\n![](photo.jpg)\n```\n\nWrite"), 1), encoding="utf-8")

    result = run_cli("build", "--root", jane)

    assert result.exit_code == 0, result.output
    page = next((jane / "site" / "councillors" / "jane-smith").rglob("road-closure/index.html"))
    image = re.search(r'<img alt="Map of the closed stretch of Mill Lane" src="([^"]+)"', page.read_text("utf-8"))
    assert image, "the described image is on the page"
    # The blog's own picture, by a relative address that works wherever the site is served.
    assert not image.group(1).startswith(("http:", "https:", "/"))
    assert (page.parent / image.group(1)).resolve().is_file()
    assert f'<img src="{image.group(1)}" alt="">' in page.read_text("utf-8")


def test_the_written_settings_pass_the_model_the_build_uses(jane):
    _, problems = yamlfile.load(Councillor, blogs(jane) / "jane-smith" / "councillor.yml")
    assert problems == []
