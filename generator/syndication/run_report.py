"""The syndication report as a councillor or web officer reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.inputs.networks import NETWORKS

if TYPE_CHECKING:
    from generator.syndication.runner import Report, Result

STATUS_WORDS = {"sent": "sent", "found": "already there", "preview": "would send", "error": "FAILED",
                "skipped": "skipped"}


def outcome_lines(line: str, detail: str | None, fix: str | None) -> list[str]:
    """One network's line in a report, with what went wrong after a dash and the fix below it."""
    return [line + (f" - {detail}" if detail else ""), *([f"      fix: {fix}"] if fix else [])]


def describe(report: Report, dry_run: bool) -> str:
    """The report as a councillor or web officer reads it: per blog, per post and network, then what to set."""
    lines: list[str] = []
    by_blog: dict[str, list[Result]] = {}
    for result in report.results:
        by_blog.setdefault(result.blog, []).append(result)
    for slug in sorted(set(by_blog) | set(report.variables) | set(report.by_hand)):
        lines.append(f"== {slug}")
        for r in by_blog.get(slug, []):
            label = NETWORKS[r.network].label
            where = f": {r.post}" if r.post else ""
            line = f"  {label}{where}: {STATUS_WORDS.get(r.status, r.status)}"
            if r.remote_url:
                line += f" ({r.remote_url})"
            lines += outcome_lines(line, r.detail, r.fix)
            if r.text is not None and r.status in ("preview", "error"):
                lines.extend("      | " + t for t in r.text.splitlines())
        for network, when in report.starts.get(slug, {}).items():
            lines.append(f"  {NETWORKS[network].label}: sharing {'would start' if dry_run else 'starts'} "
                         f"{when:%-d %B %Y %H:%M}; earlier posts are not shared there")
        if not by_blog.get(slug) and report.variables.get(slug):
            lines.append("  nothing new to send")
        if report.by_hand.get(slug):
            lines.append(f"  shared by hand from councillors/{slug}/share-kit/: {', '.join(report.by_hand[slug])}")
        for network, token in report.tokens.get(slug, {}).items():
            lines.append("  " + token.describe(NETWORKS[network].label))
            if token.attention and token.fix:
                lines.append(f"      fix: {token.fix}")
        for network, names in report.variables.get(slug, {}).items():
            missing = [n for n, present in names if not present]
            label = NETWORKS[network].label
            if missing:
                lines.append(f"  {label} is previewed only until these are set: {', '.join(missing)}")
            elif dry_run:
                lines.append(f"  {label} credentials: {', '.join(n for n, _ in names)} (all set)")
    return "\n".join(lines)
