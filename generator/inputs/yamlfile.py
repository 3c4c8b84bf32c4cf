"""Read YAML keeping line numbers, so every error can point at the line to fix.

YAML 1.2 (ruamel) rather than PyYAML's 1.1: in 1.1 ``no`` becomes False and ``10:30``
becomes the number 630, which a councillor typing a surgery time would never expect.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from generator.exceptions import Problem
from generator.inputs.simple_yaml import CONTROL, simple


class _Constructor(RoundTripConstructor):
    """Leaves dates as text so that pydantic, not the YAML parser, reports a bad one with its line."""

    def construct_yaml_float(self, node: Any) -> Any:
        # ruamel's resolver takes text such as "._" for a number and then fails to convert it.
        try:
            return super().construct_yaml_float(node)
        except (ValueError, IndexError):
            return str(self.construct_scalar(node))

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, IndexError):
            return str(self.construct_scalar(node))


class _AliasRefused(MarkedYAMLError):
    pass


class _Composer(Composer):
    """Refuses aliases (``*name``): each one repeats a whole part of the file, so a few lines of
    nested aliases can stand for billions of values and hold the build for hours. Settings and
    front matter never need them."""

    def compose_document(self: Any) -> Any:
        # The parser is reused between files, and a file refused part way leaves its depth behind.
        self.depth = 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _AliasRefused(None, None, f"'*{event.anchor}' repeats another part of the file", event.start_mark)
        return super().compose_node(parent, index)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_yaml = YAML(typ="rt")
_yaml.Constructor = _Constructor
_yaml.Composer = _Composer
#: Settings are a few levels deep; a file nested deeper is a mistake, or built to exhaust the parser.
MAX_DEPTH = 20
_yaml.max_depth = MAX_DEPTH
#: Far above any settings file or post (the longest example post is a few kilobytes).
MAX_BYTES = 1_000_000
M = TypeVar("M", bound=BaseModel)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def parse(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML text; ``first_line`` is where the text starts in its file (front matter)."""
    try:
        return _yaml.load(text)
    except _AliasRefused as error:
        raise YamlSyntaxError(Problem(path, _line(error, first_line), str(error.problem),
                                      "write the value out in full instead of using & and * (YAML anchors and aliases)")
                              ) from None
    except MaxDepthExceededError as error:
        raise YamlSyntaxError(Problem(path, _line(error, first_line), f"is nested more than {MAX_DEPTH} levels deep",
                                      "check the indentation and the brackets: settings are only a few levels deep")
                              ) from None
    except MarkedYAMLError as error:
        raise YamlSyntaxError(
            Problem(
                path,
                _line(error, first_line),
                f"this is not valid YAML ({error.problem or error.context})",
                "check the indentation and that any text containing ':' or '#' is in quotes",
            )
        ) from None


def load_text(model: type[M], text: str, path: Path, first_line: int = 1,
              context: dict | None = None) -> tuple[M | None, list[Problem]]:
    """Parse and validate YAML text (``first_line``: where it starts in its file); returns (model or None, problems).

    Text that ``simple`` can read, and that is valid, is read by it: nearly every post's front matter
    and settings file. Everything else, and every mistake, goes to the full parser, which knows
    the line of each problem.
    """
    found = simple(text)
    if found is not None:
        try:
            return model.model_validate(found, context=context), []
        except ValidationError:
            pass  # read again below, to say on which line
    try:
        root = parse(text, path, first_line)
    except YamlSyntaxError as error:
        return None, [error.problem]
    return validate(model, root, path, first_line, context)


def _line(error: MarkedYAMLError, first_line: int) -> int:
    mark = error.problem_mark or error.context_mark
    return mark.line + first_line if mark else first_line


def too_big(path: Path, data: bytes) -> Problem | None:
    """A file over ``MAX_BYTES``, refused before it is parsed."""
    if len(data) <= MAX_BYTES:
        return None
    return Problem(path, None, f"is {len(data) / 1_000_000:.1f} MB; a file here may be at most "
                   f"{MAX_BYTES // 1_000_000} MB", "split it into smaller files, or move large content out of it")


def plain(node: Any) -> Any:
    """Turn ruamel's annotated containers and scalars into plain Python values."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime.fromisoformat(node.isoformat())
    return node


def line_of(root: Any, loc: Sequence[int | str], first_line: int = 1) -> int | None:
    """The 1-based line of the value at ``loc``, or of the nearest enclosing node that exists."""
    node, line = root, _start_line(root)
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0]
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0]
            node = node[key]
        else:
            break
    return None if line is None else line + first_line


def _start_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return getattr(lc, "line", None)


def validate(
    model: type[M], root: Any, path: Path, first_line: int = 1, context: dict | None = None
) -> tuple[M | None, list[Problem]]:
    """Validate parsed YAML against a model, turning every error into a Problem with its line."""
    if root is None:
        root = CommentedMap()
    if not isinstance(root, dict):
        return None, [Problem(path, first_line, "expected a set of 'name: value' lines", "")]
    if controls := list(_control_characters(root, (), path, first_line)):
        return None, controls
    try:
        return model.model_validate(plain(root), context=context), []
    except ValidationError as error:
        return None, [
            Problem(path, line_of(root, err["loc"], first_line), _message(err), _fix(err, model))
            for err in error.errors(include_url=False)
        ]




def _control_characters(node: Any, loc: tuple, path: Path, first_line: int) -> Iterator[Problem]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, str) and (found := CONTROL.search(value)):
            yield Problem(path, line_of(node, (key,), first_line),
                          f"'{'.'.join(map(str, (*loc, key)))}' holds an invisible control character "
                          f"(U+{ord(found.group()):04X}), which no page can show",
                          "remove the escape (such as \\0 or \\v) or retype the text")
        elif isinstance(value, dict | list):
            yield from _control_characters(value, (*loc, key), path, first_line)


def _where(loc: Sequence[int | str]) -> str:
    """A setting's path as the settings reference writes it; list items counted from 1, as people count."""
    parts = [str(part + 1) if isinstance(part, int) else str(part)
             for part in loc if not str(part).startswith("function")]
    return ".".join(parts)


def _message(err: dict) -> str:
    where = _where(err["loc"])
    if err["type"] == "missing":
        return f"'{where}' is required but missing"
    if err["type"] == "extra_forbidden":
        return f"'{where}' is not a setting this file understands"
    if err["type"] == "value_error":  # the project's own validators already speak plainly
        text = err["msg"].removeprefix("Value error, ")
        return f"'{where}': {text}" if where else text
    text = _plain(err)
    return f"'{where}' {text}" if where else text[0].upper() + text[1:]


def _plain(err: dict) -> str:
    """What is wrong, in words a councillor would use, never the validation library's own."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind].format(**{k: _quote(v) for k, v in ctx.items()})
    if kind.startswith(("date", "datetime")):
        return "is not a date in the form YYYY-MM-DD (or YYYY-MM-DD HH:MM)"
    # A kind not listed: the library's sentence, without its "Input" and its class names.
    text = err["msg"].removeprefix("Value error, ").replace("Input should", "should")
    return re.sub(r" or instance of \w+", "", text)


def _quote(value: Any) -> str:
    if isinstance(value, str) and value.startswith("'") and "," in value:
        return value  # pydantic's list of allowed values, already quoted
    return str(value)


#: The usual mistakes, by the kind of error pydantic reports, in plain words.
_PLAIN = {
    "model_type": "should be a group of indented 'name: value' lines",
    "model_attributes_type": "should be a group of indented 'name: value' lines",
    "dict_type": "should be a group of indented 'name: value' lines",
    "string_too_short": "is empty",
    "string_too_long": "is too long: at most {max_length} characters",
    "string_type": "should be text",
    "string_pattern_mismatch": "is not in the right form",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "list_type": "should be a list",
    "literal_error": "should be {expected}",
    "too_short": "should have at least {min_length}",
    "too_long": "should have at most {max_length}",
    "greater_than_equal": "should be {ge} or more",
    "less_than_equal": "should be {le} or less",
    "url_parsing": "is not a web address",
    "url_scheme": "should start with https://",
}


def _fix(err: dict, model: type[BaseModel] | None = None) -> str:
    if err["type"] == "extra_forbidden":
        near = _near_miss(model, err["loc"]) if model else None
        if near:
            return f"did you mean '{near}'? Otherwise remove the line"
        return "check the spelling against the documented settings, or remove the line"
    if err["type"] == "missing":
        return f"add a '{err['loc'][-1]}:' line"
    if err["type"].startswith(("date", "datetime")):
        return "write dates as YYYY-MM-DD, and times as YYYY-MM-DD HH:MM"
    return _FIXES.get(err["type"], "")


def _near_miss(model: type[BaseModel], loc: Sequence[int | str]) -> str | None:
    """The setting a misspelt key was most likely meant to be, e.g. 'primary_colour' for 'primary_color'."""
    *parents, key = loc
    for part in parents:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        nested = _model_in(field.annotation) if field else None
        if nested is None:
            if field is None and isinstance(part, str):
                continue  # a key of a dict of models, such as a network's name
            return None
        model = nested
    names = list(model.model_fields) + [f.alias for f in model.model_fields.values() if f.alias]
    found = difflib.get_close_matches(str(key), names, n=1, cutoff=0.75)
    return found[0] if found else None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly or inside a list, a dict or an optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


#: What to do about the usual mistakes, by the kind of error pydantic reports.
_FIXES = {
    "model_type": "write it as indented 'name: value' lines under it, as the settings reference shows",
    "model_attributes_type": "write it as indented 'name: value' lines under it, as the settings reference shows",
    "dict_type": "write it as indented 'name: value' lines under it, as the settings reference shows",
    "string_too_short": "fill it in, or remove the line if the setting is optional",
    "string_too_long": "shorten it",
    "string_type": "write it as text; put it in quotes if it starts with a symbol such as @ or *",
    "string_pattern_mismatch": "check its form against the settings reference",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "list_type": "write a list, e.g. [bins, roads], or one '- item' line each",
    "literal_error": "use one of the values the message lists",
}


def not_utf8(path: Path, data: bytes, error: UnicodeDecodeError) -> Problem:
    """A file saved in another encoding, usually by an editor that does not default to UTF-8."""
    return Problem(path, data[:error.start].count(b"\n") + 1,
                   "is not saved as UTF-8 text (a letter such as â or ŵ on this line was saved another way)",
                   "save the file again as UTF-8: in most editors, choose Save As and the UTF-8 encoding")


def load(model: type[M], path: Path, context: dict | None = None) -> tuple[M | None, list[Problem]]:
    """Read and validate one YAML file; returns (model or None, problems)."""
    try:
        data = path.read_bytes()
        if problem := too_big(path, data):
            return None, [problem]
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return None, [not_utf8(path, data, error)]
    except OSError as error:
        return None, [Problem(path, None, f"cannot be read ({error.strerror})", "")]
    return load_text(model, text, path, context=context)
