"""Typed configuration: every option validated, every problem pointing at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.exceptions import ConfigError
from generator.inputs import posts
from generator.inputs.config import Councillor, load_project
from generator.inputs.values import slugify
from generator.inputs.yamlfile import load

COUNCILLOR = """\
name: Jane Smith
ward: Castle
contact:
  email: jane@example.org
surgeries:
  - when: Mondays
    where: Library
platforms:
  mastodon: "@jane@social.example"
  x:
    handle: janesmith
"""


def write(tmp_path: Path, text: str, name: str = "councillor.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_councillor(tmp_path):
    councillor, problems = load(Councillor, write(tmp_path, COUNCILLOR))
    assert problems == []
    assert councillor.syndicates_to("mastodon") and not councillor.syndicates_to("x"), "X is off by default"


@pytest.mark.parametrize(
    ("change", "line", "says"),
    [
        (("ward: Castle\n", ""), None, "'ward' is required"),
        (("    where: Library\n", "    wher: Library\n"), 7, "'surgeries.1.wher' is not a setting"),
        (("  x:\n", "  myspace:\n"), 8, "'myspace' is not a network"),
        (("  email: jane@example.org\n", "  email:\n"), 3, "at least an email or a phone"),
    ],
)
def test_each_problem_names_its_line(tmp_path, change, line, says):
    _, problems = load(Councillor, write(tmp_path, COUNCILLOR.replace(*change)))
    matching = [p for p in problems if says in p.message]
    assert matching, problems
    if line:
        assert matching[0].line == line


def test_yaml_syntax_error_has_line_and_fix(tmp_path):
    _, problems = load(Councillor, write(tmp_path, COUNCILLOR.replace("  - when: Mondays", "  - when: [Mondays")))
    assert problems[0].line is not None and problems[0].line >= 5
    assert "not valid YAML" in problems[0].message and problems[0].fix


def test_times_stay_text_in_yaml_12(tmp_path):
    # In YAML 1.1 an unquoted 10:30 is the number 630.
    councillor, _ = load(Councillor, write(tmp_path, COUNCILLOR.replace("Mondays", "10:30")))
    assert councillor.surgeries[0].when == "10:30"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Siân O'Brien-Jones", "sian-obrien-jones"), ("Chloé Durand", "chloe-durand"),
     ("Dafydd ap Gwilym", "dafydd-ap-gwilym"), ("  Mary  Anne ", "mary-anne"), ("Ŵyn Ŷs", "wyn-ys")],
)
def test_slugs_are_stable_and_ascii(name, slug):
    assert slugify(name) == slug


def test_post_front_matter_errors_have_lines(tmp_path):
    path = write(tmp_path, "---\ntitle: Bins\ndate: 2026-03-01\nimage:\n  src: a.jpg\n---\nText\n", "post.md")
    post, problems = posts.read(path)
    assert post is None
    assert problems[0].line == 4 and "'image.alt' is required" in problems[0].message


def test_post_missing_title_and_bad_date(tmp_path):
    path = write(tmp_path, "---\ndate: next Tuesday\n---\nText\n", "post.md")
    _, problems = posts.read(path)
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (2, "'title' is required but missing"), (2, "'date' is not a date in the form YYYY-MM-DD")]


def test_missing_programme_is_explained(tmp_path):
    with pytest.raises(ConfigError, match=r"no programme\.yml here"):
        load_project(tmp_path)


@pytest.mark.parametrize("title", ["._", "-_", "+.", "0x_"])
def test_text_that_looks_like_a_number_is_read_as_text(tmp_path, title):
    path = write(tmp_path, f"---\ntitle: {title}\ndate: 2026-03-01\n---\nText\n", "post.md")
    post, problems = posts.read(path)
    assert problems == [] and post.meta.title == title


# --- Messages a council web team can act on ------------------------------------------------------


def build_problems(root: Path) -> str:
    from tests.conftest import run_cli_process

    result = run_cli_process("build", "--root", root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_near_miss_key_gets_a_did_you_mean(tmp_path):
    from tests.conftest import copy_example

    root = copy_example(tmp_path / "programme")
    programme = root / "programme.yml"
    programme.write_text(programme.read_text().replace("  primary_colour:", "  primary_color:"))
    stderr = build_problems(root)
    assert "'branding.primary_color' is not a setting this file understands" in stderr
    assert "did you mean 'primary_colour'?" in stderr


def test_a_key_like_no_other_gets_no_guess(tmp_path):
    _, problems = load(Councillor, write(tmp_path, COUNCILLOR + "favourite_biscuit: custard creams\n"))
    assert problems[0].message == "'favourite_biscuit' is not a setting this file understands"
    assert "did you mean" not in problems[0].fix


def test_list_items_are_counted_from_one(tmp_path):
    from tests.conftest import copy_example

    root = copy_example(tmp_path / "programme")
    programme = root / "programme.yml"
    programme.write_text(programme.read_text().replace("      date: 2027-02-16", "      date: 16/02/2027"))
    stderr = build_problems(root)
    line = programme.read_text().splitlines().index("      date: 16/02/2027") + 1
    assert f"programme.yml:{line}: 'cohort.workshops.2.date' is not a date in the form YYYY-MM-DD" in stderr


@pytest.mark.parametrize(("change", "says"), [
    (("title: Bins", "title: Bins\nimage: photo.jpg"), "'image' should be a group of indented 'name: value' lines"),
    (("title: Bins", "title: [Bins]"), "'title' should be text"),
    (("title: Bins", "title: Bins\npolitical: maybe"), "'political' should be true or false"),
])
def test_messages_are_in_plain_words(tmp_path, change, says):
    text = "---\ntitle: Bins\ndate: 2026-11-20\n---\nBody\n".replace(*change)
    path = tmp_path / "post.md"
    path.write_text(text)
    _, problems = posts.read(path)
    messages = [p.message for p in problems]
    assert says in messages, messages
    for message in messages:
        assert "Input should" not in message and "instance of" not in message, message
