"""The ``councillor`` command. Each command parses its options, calls one function, reports."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import click

from generator import __version__

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="The programme folder (where programme.yml is).",
)


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "" if record.levelno < logging.WARNING else f"{record.levelname.lower()}: "
        return prefix + record.getMessage()


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_Format())
    for name in ("generator",):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False
    # Pelican and MkDocs are chatty; their warnings still reach us through our own handlers.
    for name in ("pelican", "mkdocs"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="councillor")
@click.option("-v", "--verbose", is_flag=True, help="Show more detail.")
def main(verbose: bool) -> None:
    """Build the programme handbook and every councillor's blog, and share new posts."""
    _setup_logging(verbose)


@main.command()
@root_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site/ in the programme folder).")
@click.option("--base-url", default=None,
              help="The address the site is served from (default: site.url in programme.yml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Build the council pages as if today were YYYY-MM-DD, e.g. to preview the pre-election period.")
def build(root: Path, site_dir: Path | None, base_url: str | None, strict: bool, day: dt.datetime | None) -> None:
    """Build the handbook, the blogs and the council pages into site/."""
    from generator.build import build as run_build

    result = run_build(root, site_dir=site_dir, base_url=base_url, strict=strict, day=day.date() if day else None)
    click.echo(f"Built {result.pages} pages into {result.site_dir}")


@main.command()
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def serve(root: Path, host: str, port: int, strict: bool) -> None:
    """Preview the site at http://127.0.0.1:8000/, rebuilding when a file changes."""
    from generator.serve import serve as run_serve

    run_serve(root, host=host, port=port, strict=strict)


@main.command()
@root_option
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Check as if today were YYYY-MM-DD.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any councillor falls short (for CI).")
def check(root: Path, day: dt.datetime | None, strict: bool) -> None:
    """Check each councillor has a blog and a listening platform in use, with a next step for each who has not."""
    from generator.check import run as run_check

    lines, results = run_check(root, day.date() if day else None)
    click.echo("\n".join(lines))
    if strict and not all(r.ok for r in results):
        raise SystemExit(1)


@main.command()
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
    from generator.council import record_footprint

    run = record_footprint(root, site_dir=site_dir, base_url=base_url, day=day.date() if day else None,
                           snapshot=not no_snapshot)
    if run.snapshot:
        click.echo(f"Recorded {run.snapshot}: commit it to keep the history.")
    report = run.report
    click.echo(f"Footprint report for {report.day:%-d %B %Y} in {run.report_dir}: "
               f"{report.two_platforms} of {len(report.councillors)} councillors use a blog and a listening platform.")


@main.command()
@root_option
@click.option("--blog", "blog_slug", default=None, help="Only this blog (its folder name under councillor_blogs/).")
@click.option("--network", default=None, help="Only this network, e.g. mastodon.")
@click.option("--dry-run", is_flag=True,
              help="Show and save what would be sent, and which secrets each blog needs; send nothing.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site that was deployed (default: site/ in the programme folder).")
@click.option("--base-url", default=None,
              help="The address the site is served from (default: site.url in programme.yml).")
def syndicate(root: Path, blog_slug: str | None, network: str | None, dry_run: bool, site_dir: Path | None,
              base_url: str | None) -> None:
    """After a deploy, send each new post once to each councillor's networks and record it in the ledger."""
    from generator.syndication.runner import describe, run

    report = run(root, blog=blog_slug, network=network, dry_run=dry_run, site_dir=site_dir, base_url=base_url)
    click.echo(describe(report, dry_run))
    if report.failed:
        raise SystemExit(1)
