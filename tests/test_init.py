"""`councillor init`: a new council's repository, from flags or by answering questions."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.commands import main
from generator.inputs.config import Programme
from tests.conftest import run_cli

FLAGS = ["--council-name", "Ashby Borough Council", "--short-name", "Ashby", "--council-url",
         "https://www.ashby.example/", "--site-url", "https://ashby-council.github.io/councillors/",
         "--contact-email", "web.team@ashby.example"]


def test_every_question_is_asked_when_not_given(tmp_path: Path):
    answers = ["Ashby Borough Council", "", "https://www.ashby.example/",
               "https://ashby-council.github.io/councillors/", "web.team@ashby.example"]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ashby")], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    prompts = [line.split(":")[0] for line in result.output.splitlines()[:5]]
    assert prompts == ["The council's full name", "A shorter name for headings [Ashby]",
                       "The council's website (https", "Where the site will be published (https",
                       "The web team's email address"]
    programme = Programme.model_validate(yaml.safe_load((tmp_path / "ashby" / "programme.yml").read_text()))
    assert programme.council.name == "Ashby Borough Council" and programme.council.short_name == "Ashby"
    assert programme.site.url == "https://ashby-council.github.io/councillors/"
    assert programme.accessibility.contact_email == "web.team@ashby.example"


def test_the_new_repository_holds_only_the_councils_own_files(tmp_path: Path):
    result = run_cli("init", tmp_path / "ashby", *FLAGS)
    assert result.exit_code == 0, result.output
    root = tmp_path / "ashby"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == [".github/dependabot.yml", ".github/workflows/pages.yml", ".gitignore", "README.md",
                     "council_content/.gitkeep", "councillor_blogs/.gitkeep", "handbook/.gitkeep", "programme.yml",
                     "requirements.txt"]
    dependabot = yaml.safe_load((root / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "github-actions"}
    assert "/site/" in (root / ".gitignore").read_text()


def test_example_starts_from_fenmarsh(tmp_path: Path):
    result = run_cli("init", tmp_path / "fenmarsh", "--example")
    assert result.exit_code == 0, result.output
    root = tmp_path / "fenmarsh"
    assert "Fenmarsh District Council" in (root / "programme.yml").read_text()
    assert len([p for p in (root / "councillor_blogs").iterdir() if p.is_dir()]) >= 8


def test_a_folder_with_files_or_a_wrong_address_is_refused_and_nothing_written(tmp_path: Path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    result = run_cli("init", taken, *FLAGS)
    assert result.exit_code != 0 and "not empty" in result.output
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]

    flags = [*FLAGS]
    flags[flags.index("--site-url") + 1] = "ashby-council.github.io"
    result = run_cli("init", tmp_path / "new", *flags)
    assert result.exit_code != 0 and "--site-url 'ashby-council.github.io' is not a web address" in result.output
    assert not (tmp_path / "new").exists()
