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

    def annotation(self, base: Path, title: str) -> str:
        """The problem as a GitHub Actions ``::error`` line, shown on its file and line in the run
        and the pull request; ``base`` is the folder the file's name is given from.

        https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
        """
        props = [f"file={_property(relative(self.path, base))}"]
        if self.line:
            props.append(f"line={self.line}")
        props.append(f"title={_property(title)}")
        message = self.message + (f". Fix: {self.fix}" if self.fix else "")
        return f"::error {','.join(props)}::{_data(message)}"


def relative(path: Path, base: Path) -> str:
    """``path`` as seen from ``base``, or as it is when it lies elsewhere."""
    try:
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class CouncillorError(click.ClickException):
    """Base of every error a user can cause and put right."""

    def annotations(self, base: Path, title: str) -> list[str]:
        """The error's GitHub Actions annotations: one for each problem in a file (none for others)."""
        return []


class ConfigError(CouncillorError):
    """The programme or a councillor's files are not valid; carries every problem found.

    ``note``: a sentence after the problems, saying why they stopped the build (when it might
    have gone on without them)."""

    def __init__(self, problems: list[Problem], note: str = ""):
        self.problems = problems
        count = len(problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(
            f"{heading} found; nothing was built or changed.\n"
            + "\n".join(str(p) for p in problems)
            + (f"\n{note}" if note else "")
        )

    def annotations(self, base: Path, title: str) -> list[str]:
        return [p.annotation(base, title) for p in self.problems]


class BuildError(CouncillorError):
    """A build step failed; the last good site/ is left as it was."""


class SyndicationError(CouncillorError):
    """Syndication could not run at all (a single network failing is reported, not raised)."""
