"""The ``councillor`` command. Each command parses its options, calls one function, reports."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import threading
from collections.abc import Callable
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


class _Commands(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            # A person sees what went wrong in a sentence; -v shows where, for whoever fixes it.
            if ctx.params.get("verbose"):
                raise
            raise click.ClickException(
                f"an unexpected problem stopped the command ({type(error).__name__}: {error}). What was already "
                "done is kept. Run it again with -v after 'councillor' to see the details, and report them."
            ) from error


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="councillor")
@click.option("-v", "--verbose", is_flag=True, help="Show more detail.")
def main(verbose: bool) -> None:
    """Build the programme handbook and every councillor's blog, and share new posts."""
    _setup_logging(verbose)
    _stop_on_sigterm()


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    """A cancelled GitHub Actions run sends SIGTERM: stop as after Ctrl-C, so the build's own clean-up
    runs (its workers end, site/ stays as it was) rather than the process vanishing mid-step."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _interrupted)
    click.get_current_context().call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


@main.command()
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
    from generator.build import build as run_build

    result = run_build(root, site_dir=site_dir, base_url=base_url, strict=strict, day=day.date() if day else None,
                       jobs=jobs, keep_going=keep_going)
    click.echo(f"Built {result.pages} pages into {result.site_dir}")
    if keep_going:
        from generator.build import kept_back

        kept_back.write_report(result.kept_back, root, report_file or root / kept_back.REPORT_FILE)
        for line in kept_back.tell_github(result.kept_back, root):
            click.echo(line)
        if result.kept_back:
            click.echo(kept_back.describe(result.kept_back, root), err=True)
            raise SystemExit(kept_back.KEPT_BACK_STATUS)


@main.command()
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


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--council-name", default=None, help="The council's full name, e.g. 'Ashby Borough Council'.")
@click.option("--short-name", default=None, help="A shorter name for headings, e.g. 'Ashby'.")
@click.option("--council-url", default=None, help="The council's main website, e.g. https://www.ashby.gov.uk/.")
@click.option("--site-url", default=None,
              help="Where the site will be published, e.g. https://ashby-council.github.io/councillors/.")
@click.option("--contact-email", default=None, help="The web team's email, for the accessibility statement.")
@click.option("--example", is_flag=True, help="Start from the example council instead of an empty one.")
def init(folder: Path, council_name: str | None, short_name: str | None, council_url: str | None,
         site_url: str | None, contact_email: str | None, example: bool) -> None:
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
    written = run_init(folder, council, example=example)
    click.echo(f"Created {folder} with {len(written)} files and folders.")
    click.echo("Next: check programme.yml, add a blog for each councillor with 'councillor new', "
               "then 'councillor build'. README.md says how to publish it.")


@main.command()
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


@main.command()
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
    from generator.build.footprint import record_footprint

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
@click.option("--again", "again", default=None, metavar="SLUG",
              help="Share one post once more, on purpose, to the network given with --network (needed). SLUG is the "
                   "post's name as syndication.json shows it, e.g. bin-collections-change-in-march (its file name "
                   "works too). It is recorded as a further share; nothing else is sent.")
@click.option("--dry-run", is_flag=True,
              help="Show what would be sent, and which secrets each blog needs; send nothing and change no file.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site that was deployed (default: site/ in the programme folder).")
@click.option("--base-url", default=None,
              help="The address the site is served from (default: site.url in programme.yml).")
def syndicate(root: Path, blog_slug: str | None, network: str | None, again: str | None, dry_run: bool,
              site_dir: Path | None, base_url: str | None) -> None:
    """After a deploy, send each new post once to each councillor's networks and record it in the ledger.

    A post already shared is never sent again, except with --again SLUG --network NAME.
    """
    from generator.syndication.runner import describe, run

    if again is not None and network is None:
        raise click.UsageError("--again needs --network: say which network to share the post to again, "
                               "e.g. --again bin-collections-change-in-march --network mastodon")
    report = run(root, blog=blog_slug, network=network, dry_run=dry_run, site_dir=site_dir, base_url=base_url,
                 again=again)
    click.echo(describe(report, dry_run))
    attention = report.tokens_needing_attention()
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if attention and summary:  # the workflow run's summary page, where a web officer sees it without the log
        from generator.inputs.networks import NETWORKS

        lines = ["### Network tokens needing attention", ""]
        lines += [f"- {blog}: {token.describe(NETWORKS[network].label)}" + (f". {token.fix}" if token.fix else "")
                  for blog, network, token in attention]
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    if report.failed:
        raise SystemExit(1)


def _network_options(command: click.decorators.FC) -> click.decorators.FC:
    """One --<network> option per network the project knows, so a new network needs no change here."""
    from generator.inputs.networks import NETWORKS

    for name, network in reversed(NETWORKS.items()):
        metavar = "URL" if network.profile is None and name != "mastodon" else "HANDLE"
        command = click.option(f"--{name}", f"net_{name}", default=None, metavar=metavar,
                               help=f"Your {network.label}: {network.handle_hint}.")(command)
    return command


def _at_a_terminal() -> bool:
    return click.get_text_stream("stdin").isatty() and click.get_text_stream("stdout").isatty()


def ask_contact(name: str) -> tuple[str | None, str | None]:
    """An email address or a phone number (or both), asked for until at least one is given."""
    from generator.scaffold.blog import EMAIL, PHONE

    def check(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
        def convert(value: str) -> str:
            value = value.strip()
            if value and not pattern.match(value):
                raise click.BadParameter(f"'{value}' is not {what}; try again, or leave it blank")
            return value
        return convert

    while True:
        email = click.prompt("Email for casework (leave blank for none)", default="", show_default=False,
                             value_proc=check(EMAIL, "an email address"))
        phone = click.prompt("Phone for casework (leave blank for none)", default="", show_default=False,
                             value_proc=check(PHONE, "a phone number"))
        if email or phone:
            return email or None, phone or None
        click.echo(f"Residents need a way to reach {name.split()[0] if name.split() else name} about casework: "
                   "give an email address, a phone number, or both.")


@main.command()
@root_option
@click.argument("name")
@click.option("--ward", default=None, help="The ward you represent (asked for with --interactive).")
@click.option("--role", default=None, help="Your role, e.g. 'Cabinet member for environment' (default: Councillor).")
@click.option("--party", default=None, help="Your party or group, if you want it shown.")
@click.option("--bio", default=None, help="One or two sentences about you.")
@click.option("--email", default=None,
              help="Your public email for casework (never shown as plain text). --email or --phone is needed.")
@click.option("--phone", default=None, help="A public phone number for casework. --email or --phone is needed.")
@_network_options
@click.option("-i", "--interactive", is_flag=True, help="Ask for each setting not given as an option.")
def new(root: Path, name: str, ward: str | None, role: str | None, party: str | None, bio: str | None,
        email: str | None, phone: str | None, interactive: bool, **networks: str | None) -> None:
    """Start a blog for councillor NAME in councillor_blogs/, e.g. councillor new "Jane Smith" --ward Castle."""
    from generator.inputs.networks import NETWORKS
    from generator.scaffold.blog import new_blog

    platforms = {key.removeprefix("net_"): value for key, value in networks.items() if value}
    if interactive:
        ward = ward or click.prompt("Ward")
        role = role or click.prompt("Role", default="Councillor")
        party = party or click.prompt("Party or group (leave blank to leave it out)", default="", show_default=False)
        if not (email or phone):
            email, phone = ask_contact(name)
        for network_name, network in NETWORKS.items():
            if network_name not in platforms:
                platforms[network_name] = click.prompt(f"{network.label} ({network.handle_hint}; blank if none)",
                                                       default="", show_default=False)
    elif not (email or phone) and _at_a_terminal():
        # Someone typing the command is asked for what a script would be refused without.
        email, phone = ask_contact(name)
    if not ward:
        raise click.UsageError("Missing option '--ward': the ward this councillor represents.")
    if not (email or phone):
        from generator.scaffold.blog import NO_CONTACT

        raise click.UsageError(NO_CONTACT[0].upper() + NO_CONTACT[1:] + ".")
    created = new_blog(root, name, ward, role=role, party=party or None, bio=bio, email=email or None,
                       phone=phone or None, platforms=platforms)
    click.echo(f"Created {created.folder}:")
    for path in created.files:
        click.echo(f"  {path.relative_to(created.folder)}")
    click.echo(f"Next: check {created.folder / 'councillor.yml'}, then write a post with "
               f"'councillor post {created.folder.name} \"Your title\"'.")


@main.command()
@root_option
@click.argument("blog")
@click.argument("title")
@click.option("--tags", default=None, help="Topics, separated by commas, e.g. 'bins, waste'.")
@click.option("--draft", is_flag=True, help="Keep the post off the site until the 'status: draft' line is removed.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date, YYYY-MM-DD (default: now). A future date waits until that day.")
def post(root: Path, blog: str, title: str, tags: str | None, draft: bool, day: dt.datetime | None) -> None:
    """Start a post called TITLE in BLOG (its folder name) and print the new file's path."""
    from generator.scaffold.blog import new_post, parse_tags

    created = new_post(root, blog, title, tags=parse_tags(tags), draft=draft, day=day.date() if day else None)
    click.echo(str(created.path))
    if created.draft:
        click.echo("This is a draft: it stays off the site until you delete its 'status: draft' line.", err=True)
    elif created.date > dt.datetime.now(created.date.tzinfo):
        click.echo(f"It will appear on the site from {created.date:%-d %B %Y}.", err=True)


@main.command()
@root_option
@click.argument("blog")
@click.argument("post")
@click.option("--network", required=True, help="Where it was shared, e.g. nextdoor.")
@click.option("--url", required=True, help="The address of the post on that network.")
def shared(root: Path, blog: str, post: str, network: str, url: str) -> None:
    """Record that POST (its file name) from BLOG was shared by hand, e.g. from the share kit."""
    from generator.syndication.sharekit import record_hand_share

    title = record_hand_share(root, blog, post, network, url)
    click.echo(f"Recorded '{title}' as shared to {network}. Commit the blog's syndication.json so it is kept.")


@main.command()
@root_option
@click.option("--blog", "blog_slug", default=None, help="Only this blog (its folder name under councillor_blogs/).")
@click.option("--network", default=None, help="Only this network, e.g. bluesky.")
def listen(root: Path, blog_slug: str | None, network: str | None) -> None:
    """Read the replies, likes and followers that shared posts have gathered into each blog's listening.json."""
    import os

    from generator.syndication.listen import describe, run
    from generator.syndication.replies import digest

    report = run(root, blog=blog_slug, network=network)
    click.echo(describe(report))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        # Under GitHub Actions: the "replies waiting" digest goes on the run's page.
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(digest(report.new, [(o.blog, o.network, o.detail) for o in report.faults]))


@main.command()
@root_option
@click.argument("blog_slug", metavar="[SLUG]", required=False)
@click.option("--approve", "approve", metavar="ID", default=None, help="Show this reply on its post's page.")
@click.option("--hide", "hide", metavar="ID", default=None, help="Keep this reply or mention off the site.")
def replies(root: Path, blog_slug: str | None, approve: str | None, hide: str | None) -> None:
    """List new replies and mentions (of one blog, SLUG, or all), or approve or hide one by its ID."""
    from generator.inputs.config import load_project
    from generator.syndication.replies import decide, describe, waiting

    if approve and hide:
        raise click.UsageError("give --approve or --hide, not both")
    if approve or hide:
        blog, response = decide(root, blog_slug, approve or hide or "", "approved" if approve else "hidden")
        author = (response.get("author") or {}).get("name") or "someone"
        if response.get("kind") == "mention":
            said = (f"The mention from {author} is marked as dealt with. Mentions are never shown on the site: "
                    "answer it where it was made.")
        else:
            verb = "approved: it is shown on its post's page" if approve else "hidden: it is never shown on the site"
            said = f"The reply from {author} is {verb} from the next build."
        click.echo(f"{said} Commit councillor_blogs/{blog.slug}/listening.json so the decision is kept.")
        return
    project = load_project(root)
    click.echo(describe(waiting([project.blog(blog_slug)] if blog_slug else project.blogs)))
