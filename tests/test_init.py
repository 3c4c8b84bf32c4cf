"""`councillor init`: a new council's repository, from flags or by answering questions."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.commands import main
from generator.inputs.config import Programme
from tests.conftest import REPO, run_cli, run_cli_process

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
    readme = (root / "README.md").read_text()
    assert "the handbook comes with the toolkit" in readme and "replace one of its pages" in readme


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


def test_copy_handbook_gives_the_council_its_whole_handbook_to_edit_and_it_builds(tmp_path: Path):
    root = tmp_path / "ashby"
    result = run_cli("init", root, *FLAGS, "--copy-handbook")
    assert result.exit_code == 0, result.output
    # Every page of the handbook, its MkDocs configuration and the theme that names; no other theme.
    pages = sorted(p.relative_to(REPO / "handbook").as_posix() for p in (REPO / "handbook").rglob("*.md"))
    assert sorted(p.relative_to(root / "handbook").as_posix() for p in (root / "handbook").rglob("*.md")) == pages
    assert (root / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()
    assert (root / "themes" / "handbook" / "main.html").is_file()
    assert sorted(p.name for p in (root / "themes").iterdir()) == ["handbook"]
    assert not (root / "handbook" / ".gitkeep").exists()
    readme = (root / "README.md").read_text()
    assert "own copy of the whole" in readme and "--copy-handbook" in readme
    assert "replace one of its pages" not in readme

    # The council edits a page and adds one of its own to the navigation; a councillor writes a post.
    kit = root / "handbook" / "councils" / "kit.md"
    kit.write_text(kit.read_text().replace("\n# ", "\nAshby lends iPads from the members' room.\n\n# ", 1))
    (root / "handbook" / "councils" / "contacts.md").write_text("# Who to ask in Ashby\n\nThe web team.\n")
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("      - Running the site: councils/web-team.md\n",
                                                    "      - Running the site: councils/web-team.md\n"
                                                    "      - Who to ask: councils/contacts.md\n"))
    new = run_cli("new", "--root", root, "--ward", "North", "--email", "ann.lee@ashby.example", "Ann Lee")
    assert new.exit_code == 0, new.output

    built = run_cli_process("build", "--root", root, "--strict")
    assert built.returncode == 0, built.stderr
    site = root / "site"
    assert "Ashby lends iPads" in (site / "councils" / "kit" / "index.html").read_text()
    assert "Who to ask in Ashby" in (site / "councils" / "contacts" / "index.html").read_text()
    assert 'href="../contacts/"' in (site / "councils" / "kit" / "index.html").read_text(), "in the navigation"
    # The blogs, the council pages and the writing screen still come from the installed toolkit.
    assert (site / "councillors" / "ann-lee" / "index.html").is_file()
    assert (site / "hub" / "index.html").is_file() and (site / "admin" / "index.html").is_file()
