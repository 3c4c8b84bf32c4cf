"""Options several commands share."""

from __future__ import annotations

from pathlib import Path

import click

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="The programme folder (where programme.yml is).",
)


def network_options(command: click.decorators.FC) -> click.decorators.FC:
    """One --<network> option per network the project knows, so a new network needs no change here."""
    from generator.inputs.networks import NETWORKS

    for name, network in reversed(NETWORKS.items()):
        metavar = "URL" if network.profile is None and name != "mastodon" else "HANDLE"
        command = click.option(f"--{name}", f"net_{name}", default=None, metavar=metavar,
                               help=f"Your {network.label}: {network.handle_hint}.")(command)
    return command
