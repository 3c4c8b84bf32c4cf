"""The commands that share posts to the networks and read what comes back.

Each imports what it runs when it runs it (lazy), so ``councillor --help`` starts at once."""

from __future__ import annotations

import os
from pathlib import Path

import click

from generator.commands.options import root_option


@click.command()
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
    from generator.syndication.run_report import describe
    from generator.syndication.runner import run

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


@click.command()
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


@click.command()
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


@click.command()
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
