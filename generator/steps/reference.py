"""The handbook's reference pages, read from the code itself: every setting and every command."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import click
from markupsafe import Markup, escape
from pydantic import BaseModel

from generator.inputs.config import Councillor, Programme, setting_help
from generator.inputs.news import ItemFrontMatter
from generator.inputs.posts import FrontMatter

SETTINGS_FILES: list[tuple[str, str, type[BaseModel]]] = [
    ("programme.yml", "programme-yml", Programme),
    ("councillor_blogs/<slug>/councillor.yml", "councillor-yml", Councillor),
    ("A post's front matter", "front-matter", FrontMatter),
    ("A council news item's front matter (council_content/)", "council-item", ItemFrontMatter),
]


@dataclass(frozen=True)
class Setting:
    path: str
    kind: str
    description: str
    default: str


def _strip_none(annotation: Any) -> Any:
    """The type a setting holds, without ``| None`` or the validators attached with Annotated."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip_none(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_none(args[0])
    return annotation


def _describe(annotation: Any) -> tuple[str, type[BaseModel] | None, str]:
    """(what to write, a model whose settings nest under this one, how its paths continue)."""
    annotation = _strip_none(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args), None, ""
    if origin is list:
        inner, model, _ = _describe(args[0])
        if model:
            return "a list; each item has the settings below", model, "[]"
        return f"a list, each {inner}", None, ""
    if origin is dict:
        inner, model, _ = _describe(args[1])
        if model:
            return "one entry per network name; each has the settings below", model, ".<network>"
        return f"network name: {inner}", None, ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a group of the settings below", annotation, ""
    names = {
        str: "text",
        bool: "`true` or `false`",
        int: "a whole number",
        dt.date: "a date (YYYY-MM-DD)",
        dt.datetime: "a date, or a date and time (YYYY-MM-DD HH:MM)",
    }
    return names.get(annotation, "text"), None, ""


def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.default
    if value in (None, [], {}, ""):
        return "optional"
    if isinstance(value, BaseModel):
        return "optional"
    if isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"optional, default `{value}`"


def settings(model: type[BaseModel], prefix: str = "") -> list[Setting]:
    """Every setting of ``model`` and the models inside it, parents before children."""
    found: list[Setting] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind, nested, suffix = _describe(info.annotation)
        found.append(Setting(path, kind, info.description or setting_help(model).get(name, ""), _default(info)))
        if nested is not None:
            found += settings(nested, f"{path}{suffix}.")
    return found


def settings_reference() -> Markup:
    parts = []
    for title, anchor, model in SETTINGS_FILES:
        # Escaped, or a '<slug>' in a file's name becomes an element that swallows the rest of the page.
        parts += [f"## {escape(title)} {{ #{anchor} }}", "", escape(" ".join((model.__doc__ or "").split())), ""]
        for s in settings(model):
            parts += [f"`{s.path}`", f":   {escape(s.description)}  ", f"    *{s.kind}; {s.default}*", ""]
    return Markup("\n".join(parts))


def command_reference() -> Markup:
    """Every ``councillor`` command with its options, read from the command line tool itself."""
    # lazy: the commands run the build, which runs this step; by the time a page asks, they are loaded.
    from generator.commands import main

    parts = []
    for name, command in sorted(main.commands.items()):
        usage = " ".join(command.collect_usage_pieces(click.Context(command)))
        parts += [f"## `councillor {name}` {{ #{name} }}", "", escape(command.help or ""), "",
                  f"```text\ncouncillor {name} {usage}\n```", ""]
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                flags = ", ".join(f"`{flag}`" for flag in param.opts + param.secondary_opts)
                parts += [flags, f":   {escape(param.help or '')}", ""]
    return Markup("\n".join(parts))


