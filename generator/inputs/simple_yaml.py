"""A quick reading of simple YAML.

Parsing with ruamel costs about a millisecond per post, a tenth of a blog's build, and almost
every post's front matter and settings file is the same few shapes: 'key: value' lines, a value
plain or in quotes without escapes, a one-line list such as [bins, roads], and indented groups
and '- ' lists of those. ``simple`` reads just that, and gives up on anything else, which the
full parser then reads. What a value means (true, 10:30, 010, null...) is decided by ruamel's
own YAML 1.2 rules, so both readings give the same answers (tests/test_yamlfile.py compares
them).
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from generator import memo

#: Characters no page or feed can carry; in YAML they come from escapes such as "\0" or "\v", and
#: half characters (surrogates) from "\ud83c", since YAML does not join an escaped pair as JSON does.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _NotSimple(Exception):
    """The text uses more of YAML than ``simple`` reads."""


#: 'key: value', or 'key:' with an indented group or list below it; the rest is the value and any comment.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_FLOW_LIST = re.compile(r"\[([^\[\]{}\"'#:]*)\](?: +#.*)?")
_DECIMAL = re.compile(r"[-+]?[0-9]+")
#: Characters that start something other than plain text (YAML's indicators).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: Tabs, carriage returns, byte order marks and the characters YAML 1.1 takes for line breaks.
_BEYOND = re.compile(r"[\t\r\x85\u2028\u2029\ufeff]")
#: Groups deeper than this are left to the full parser, which enforces ``MAX_DEPTH``.
_SIMPLE_DEPTH = 8
_RESOLVER = VersionedResolver(version=(1, 2))
_TAG = "tag:yaml.org,2002:"


def simple(text: str) -> dict | None:
    """``text`` as plain Python values if it is simple YAML (see above), else None."""
    if _BEYOND.search(text) or CONTROL.search(text):
        return None
    # Blank lines and comments mean nothing here; the full parser is the one that counts lines.
    lines = [line.rstrip(" ") for line in text.split("\n")]
    lines = [line for line in lines if line and not line.lstrip(" ").startswith("#")]
    if not lines or _indent(lines[0]) != 0:
        return None
    try:
        found, end = _block(lines, 0, 0, 1)
    except _NotSimple:
        return None
    return found if end == len(lines) and isinstance(found, dict) else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], i: int, indent: int, depth: int) -> tuple[dict | list, int]:
    """The group or list starting at ``lines[i]``, indented by ``indent``; and the line after it."""
    if depth > _SIMPLE_DEPTH:
        raise _NotSimple
    if lines[i].startswith("- ", indent):
        return _list(lines, i, indent, depth)
    return _group(lines, i, indent, depth)


def _group(lines: list[str], i: int, indent: int, depth: int) -> tuple[dict, int]:
    found: dict = {}
    while i < len(lines) and _indent(lines[i]) == indent:
        match = _KEY.match(lines[i], indent)
        if not match or match.group(1) in found or not isinstance(_scalar(match.group(1)), str):
            raise _NotSimple
        rest = match.group(2) or ""
        i += 1
        if rest and not rest.startswith("#"):
            found[match.group(1)] = _value(rest)
        elif i < len(lines) and _indent(lines[i]) > indent:
            found[match.group(1)], i = _block(lines, i, _indent(lines[i]), depth + 1)
        else:
            found[match.group(1)] = None
    if i < len(lines) and _indent(lines[i]) > indent:
        raise _NotSimple  # a value carried on over lines, or a line indented unlike its neighbours
    return found, i


def _list(lines: list[str], i: int, indent: int, depth: int) -> tuple[list, int]:
    found: list = []
    while i < len(lines) and _indent(lines[i]) == indent and lines[i].startswith("- ", indent):
        inner = _indent(lines[i][indent + 1:]) + indent + 1
        if _KEY.match(lines[i], inner):
            # '- key: value' starts a group whose keys line up with this one's.
            lines[i] = " " * inner + lines[i][inner:]
            item, i = _group(lines, i, inner, depth + 1)
            found.append(item)
        else:
            found.append(_value(lines[i][inner:]))
            i += 1
    if i < len(lines) and _indent(lines[i]) > indent:
        raise _NotSimple
    return found, i


def _value(text: str) -> Any:
    """A value written on one line (without the spaces before it), with any comment after it."""
    if text.startswith('"'):
        if match := _DOUBLE_QUOTED.fullmatch(text):
            return match.group(1)
    elif text.startswith("'"):
        if match := _SINGLE_QUOTED.fullmatch(text):
            return match.group(1).replace("''", "'")
    elif text.startswith("["):
        if match := _FLOW_LIST.fullmatch(text):
            items = [item.strip(" ") for item in match.group(1).split(",")]
            return [] if items == [""] else [_unquoted(item) for item in items]
    else:
        return _unquoted(text.split(" #", 1)[0].rstrip(" "))
    raise _NotSimple


def _unquoted(text: str) -> Any:
    """Unquoted text on one line, as YAML 1.2 reads it."""
    if not text or text[0] in _INDICATORS or ": " in text or text.endswith(":"):
        raise _NotSimple
    return _scalar(text)


def _scalar(text: str) -> Any:
    # The same keys, and many of the same values, come back in every post: their meaning is remembered.
    if text in memo.scalar_meanings:
        meaning = memo.scalar_meanings[text]
        if meaning is _NotSimple:
            raise _NotSimple
        return meaning
    try:
        meaning = _meaning(text)
    except _NotSimple:
        memo.scalar_meanings[text] = _NotSimple
        raise
    memo.scalar_meanings[text] = meaning
    return meaning


def _meaning(text: str) -> Any:
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False)).suffix.removeprefix(_TAG)
    if tag in ("str", "timestamp"):  # dates stay text, as the full parser leaves them (see _Constructor)
        return text
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "int" and _DECIMAL.fullmatch(text):
        return int(text)
    raise _NotSimple  # hexadecimal, octal, numbers with '_', floats...: the full parser

