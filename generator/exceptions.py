"""One exception tree, so the command line shows a clean message instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's files, with where it is and how to put it right."""

    path: Path
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class CouncillorError(click.ClickException):
    """Base of every error a user can cause and put right."""


class ConfigError(CouncillorError):
    """The programme or a councillor's files are not valid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(
            f"{heading} found; nothing was built or changed.\n"
            + "\n".join(str(p) for p in problems)
        )


class BuildError(CouncillorError):
    """A build step failed; the last good site/ is left as it was."""


class SyndicationError(CouncillorError):
    """Syndication could not run at all (a single network failing is reported, not raised)."""
