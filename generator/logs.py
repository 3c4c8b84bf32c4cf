"""Catching what a step logs, so a warning or an error can stop the build instead of scrolling past."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from generator.exceptions import BuildError


@contextmanager
def recorded(logger_name: str, level: int) -> Iterator[list[logging.LogRecord]]:
    """Every record at ``level`` or above that ``logger_name`` (or a child of it) logs meanwhile."""
    records: list[logging.LogRecord] = []

    class Record(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Record(level)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


@contextmanager
def strict_warnings(logger_name: str, strict: bool) -> Iterator[list[logging.LogRecord]]:
    """In --strict mode a warning from our own steps fails the build, as in MkDocs."""
    with recorded(logger_name, logging.WARNING) as warnings:
        yield warnings
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warning(s) in strict mode; site/ was not changed")
