"""The commands that start a councillor's blog and write a post.

Each imports what it runs when it runs it (lazy), so ``councillor --help`` starts at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import click

from generator.commands.options import network_options, root_option


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


@click.command()
@root_option
@click.argument("name")
@click.option("--ward", default=None, help="The ward you represent (asked for with --interactive).")
@click.option("--role", default=None, help="Your role, e.g. 'Cabinet member for environment' (default: Councillor).")
@click.option("--party", default=None, help="Your party or group, if you want it shown.")
@click.option("--bio", default=None, help="One or two sentences about you.")
@click.option("--email", default=None,
              help="Your public email for casework (never shown as plain text). --email or --phone is needed.")
@click.option("--phone", default=None, help="A public phone number for casework. --email or --phone is needed.")
@network_options
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


@click.command()
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


