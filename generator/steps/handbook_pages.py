"""What the handbook's pages call in their Jinja: dates, session plans, worksheets, contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from markupsafe import Markup, escape

from generator.inputs.config import Programme, Workshop


def long_date(day: dt.date) -> str:
    """'Tuesday 19 January 2027', the way UK council papers write dates."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def when_and_where(programme: Programme, workshop: Workshop | None, number: int) -> Markup:
    cohort = escape(programme.cohort.name)
    if workshop is None:
        who = programme.contacts[0].name if programme.contacts else "your council's member support team"
        return Markup(
            f'!!! info "When and where: to be confirmed"\n\n'
            f"    {escape(programme.council.name)} has not set a date for workshop {number} of the "
            f"{cohort} yet. {escape(who)} will let you know when it is booked.\n"
        )
    return Markup(
        f'!!! info "When and where: {cohort}"\n\n'
        f"    **{long_date(workshop.date)}**, {_clock(_minutes(workshop.start))} to "
        f"{_clock(_minutes(workshop.end))}  \n"
        f"    {escape(workshop.venue)}\n"
    )


def session_plan(workshop: Workshop | None, rows: Iterable[tuple[int, str, str]]) -> Markup:
    """A session plan table; with a date set, each row shows its clock time from the start time."""
    rows = list(rows)
    start = _minutes(workshop.start) if workshop else 0
    lines = ["| Time | Session | What happens |", "| --- | --- | --- |"]
    at = start
    for minutes, title, detail in rows:
        when = f"{_clock(at)} to {_clock(at + minutes)}" if workshop else f"{minutes} minutes"
        lines.append(f"| {when} | **{escape(title)}** | {escape(detail)} |")
        at += minutes
    planned = sum(r[0] for r in rows)
    text = "\n".join(lines) + "\n"
    if workshop and _minutes(workshop.end) - start != planned:
        booked = _minutes(workshop.end) - start
        text += (
            # For the trainer: nc-trainer keeps it off the councillors' printed handout.
            f'\n!!! note nc-trainer "For the trainer: fitting the plan to your booking"\n\n'
            f"    This plan takes {planned} minutes and the room is booked for {booked}. "
            "Shorten or lengthen the exercises rather than the breaks.\n"
        )
    return Markup(text)


def worksheet(title: str, prompts: Iterable[str], anchor: str) -> Markup:
    """A worksheet that prints on its own page with space to write after each prompt."""
    rows = "".join(
        f'<tr><th scope="row">{escape(prompt)}</th><td></td></tr>' for prompt in prompts
    )
    return Markup(
        f'<div class="nc-worksheet" markdown>\n\n'
        f"### {escape(title)} {{ #{anchor} }}\n\n"
        '<p class="nc-worksheet__fields">Name: <span class="nc-blank"></span> '
        'Date: <span class="nc-blank"></span></p>\n\n'
        f'<table class="nc-write-in"><thead><tr><th scope="col">Question</th>'
        f'<th scope="col">Your notes</th></tr></thead><tbody>{rows}</tbody></table>\n\n'
        "</div>\n"
    )


def contact_list(programme: Programme) -> Markup:
    if not programme.contacts:
        return Markup(f"{escape(programme.council.name)} has not listed contacts for the programme yet.\n")
    lines = []
    for person in programme.contacts:
        ways = []
        if person.email:
            ways.append(f"[{escape(person.email)}](mailto:{escape(person.email)})")
        if person.phone:
            digits = "".join(ch for ch in person.phone if ch.isdigit() or ch == "+")
            ways.append(f"[{escape(person.phone)}](tel:{digits})")
        reach = f": {' or '.join(ways)}" if ways else ""
        lines.append(f"- **{escape(person.name)}**, {escape(person.role)}{reach}")
    return Markup("\n".join(lines) + "\n")


