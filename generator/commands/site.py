"""The commands that build and preview the site and report on the programme.

Each imports what it runs when it runs it (lazy), so ``councillor --help`` starts at once."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import click

from generator.commands.options import root_option


@click.command()
@root_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site/ in the programme folder).")
@click.option("--base-url", default=None,
              help="The address the site is served from (default: site.url in programme.yml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Build the council pages as if today were YYYY-MM-DD, e.g. to preview the pre-election period.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="How many processes build the blogs (default: one per core; 1 builds in this process).")
@click.option("--keep-going", is_flag=True,
              help="Publish everything that builds; a blog with a mistake keeps its last good version. "
                   "Exits with status 3 when a blog was kept back.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --keep-going, where to write what was kept back (default: build-report.txt in the "
                   "programme folder).")
def build(root: Path, site_dir: Path | None, base_url: str | None, strict: bool, day: dt.datetime | None,
          jobs: int | None, keep_going: bool, report_file: Path | None) -> None:
    """Build the handbook, the blogs and the council pages into site/.

    Parts whose files have not changed since the last build are reused from .build-cache/.
    """
    from generator import last_build

    asked = last_build.options(root, site_dir, base_url, strict, day.date() if day else None)
    found = last_build.stats(root)
    if not keep_going and (last := last_build.unchanged(root, asked, found)):
        # The same words as a build that finds nothing to do, without loading the settings first.
        for notice in last.notices:
            logging.getLogger("generator").info("%s", notice)
        click.echo(f"Built {last.pages} pages into {last.site_dir}")
        return
    from generator.build import build as run_build

    result = run_build(root, site_dir=site_dir, base_url=base_url, strict=strict, day=day.date() if day else None,
                       jobs=jobs, keep_going=keep_going, found=found)
    click.echo(f"Built {result.pages} pages into {result.site_dir}")
    if keep_going:
        from generator.build import kept_back

        kept_back.write_report(result.kept_back, root, report_file or root / kept_back.REPORT_FILE)
        for line in kept_back.tell_github(result.kept_back, root):
            click.echo(line)
        if result.kept_back:
            click.echo(kept_back.describe(result.kept_back, root), err=True)
            raise SystemExit(kept_back.KEPT_BACK_STATUS)


@click.command()
@root_option
@click.option("--base-url", default=None,
              help="The address the site is built for, as given to 'councillor build' (default: site.url).")
def due(root: Path, base_url: str | None) -> None:
    """Say whether a build would change the site: anything edited, or a post or news item fallen due.

    Exits with status 0 when a build is due and 1 when the last build is still the site to publish.
    Under GitHub Actions it also sets the step output due=true or due=false.
    """
    import os

    from generator.build import due as parts_due

    parts = parts_due(root, base_url)
    click.echo(f"Due: {', '.join(parts)}." if parts else "Nothing is due: the last build is still the site to publish.")
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as f:
            f.write(f"due={'true' if parts else 'false'}\n")
    if not parts:
        raise SystemExit(1)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--council-name", default=None, help="The council's full name, e.g. 'Ashby Borough Council'.")
@click.option("--short-name", default=None, help="A shorter name for headings, e.g. 'Ashby'.")
@click.option("--council-url", default=None, help="The council's main website, e.g. https://www.ashby.gov.uk/.")
@click.option("--site-url", default=None,
              help="Where the site will be published, e.g. https://ashby-council.github.io/councillors/.")
@click.option("--contact-email", default=None, help="The web team's email, for the accessibility statement.")
@click.option("--example", is_flag=True, help="Start from the example council instead of an empty one.")
@click.option("--copy-handbook", is_flag=True,
              help="Copy the whole handbook (its pages, mkdocs.yml and its theme) into the repository for the "
                   "council to own and edit. Without it, the handbook comes with the toolkit and its upgrades, "
                   "and a page in handbook/ replaces the page of the same name.")
def init(folder: Path, council_name: str | None, short_name: str | None, council_url: str | None,
         site_url: str | None, contact_email: str | None, example: bool, copy_handbook: bool) -> None:
    """Start a new council's repository in FOLDER, built with this version of the toolkit.

    Asks for each value not given as an option.
    """
    from generator.scaffold.council import Council
    from generator.scaffold.council import init as run_init

    council = None
    if not example:
        name = council_name or click.prompt("The council's full name")
        council = Council(
            name=" ".join(name.split()),
            short_name=short_name or click.prompt("A shorter name for headings", default=name.split()[0]),
            url=council_url or click.prompt("The council's website (https://...)"),
            site_url=site_url or click.prompt("Where the site will be published (https://...)"),
            contact_email=contact_email or click.prompt("The web team's email address"),
        )
    written = run_init(folder, council, example=example, copy_handbook=copy_handbook)
    click.echo(f"Created {folder} with {len(written)} files and folders.")
    click.echo("Next: check programme.yml, add a blog for each councillor with 'councillor new', "
               "then 'councillor build'. README.md says how to publish it.")


@click.command()
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def serve(root: Path, host: str, port: int, strict: bool) -> None:
    """Preview the site at http://127.0.0.1:8000/, rebuilding when a file changes.

    It builds site/ as `councillor build` does, for the site's own address, so it starts from the
    last build (right after one, it rebuilds nothing) and leaves site/ fit to publish.
    """
    from generator.build.serve import serve as run_serve

    run_serve(root, host=host, port=port, strict=strict)


@click.command()
@root_option
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Check as if today were YYYY-MM-DD.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any councillor falls short (for CI).")
def check(root: Path, day: dt.datetime | None, strict: bool) -> None:
    """Check each councillor has a blog and a listening platform in use, with a next step for each who has not."""
    from generator.steps.check import run as run_check

    lines, results = run_check(root, day.date() if day else None)
    click.echo("\n".join(lines))
    from generator.inputs.config import load_project
    from generator.syndication.tokens import check_tokens

    # Only networks whose secrets are set here (as in the publishing workflow) are asked.
    tokens = check_tokens(load_project(root), os.environ, dt.datetime.now(dt.UTC))
    if tokens:
        click.echo("Network tokens:\n" + "\n".join(tokens))
    if strict and not all(r.ok for r in results):
        raise SystemExit(1)


@click.command()
@root_option
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Record and report as if today were YYYY-MM-DD.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to put the report in (default: site/ in the programme folder).")
@click.option("--base-url", default=None,
              help="The address the site is served from (default: site.url in programme.yml).")
@click.option("--no-snapshot", is_flag=True, help="Only rebuild the report; do not record today's figures.")
def footprint(root: Path, day: dt.datetime | None, site_dir: Path | None, base_url: str | None,
              no_snapshot: bool) -> None:
    """Record today's digital footprint snapshot (commit it) and rebuild the footprint report."""
    from generator.build.footprint import record_footprint

    run = record_footprint(root, site_dir=site_dir, base_url=base_url, day=day.date() if day else None,
                           snapshot=not no_snapshot)
    if run.snapshot:
        click.echo(f"Recorded {run.snapshot}: commit it to keep the history.")
    report = run.report
    click.echo(f"Footprint report for {report.day:%-d %B %Y} in {run.report_dir}: "
               f"{report.two_platforms} of {len(report.councillors)} councillors use a blog and a listening platform.")


