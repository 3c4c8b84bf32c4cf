"""The quick reading of simple YAML (``yamlfile.simple``) gives the full parser's answers, or none.

Every text ``simple`` reads must read the same, value for value and type for type, with the
full parser (ruamel, YAML 1.2, as ``yamlfile.parse`` sets it up); a text it cannot read
exactly goes to the full parser instead, so nothing it declines is a mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench import synthetic
from generator.inputs import posts, yamlfile
from generator.inputs.config import Councillor, Programme
from generator.inputs.posts import FrontMatter

REPO = Path(__file__).resolve().parent.parent


def typed(value: Any) -> Any:
    """``value`` with the type of every part spelt out, so True and 1, or '1' and 1, differ."""
    if isinstance(value, dict):
        return ("dict", [(type(k).__name__, k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def full(text: str) -> Any:
    return yamlfile.plain(yamlfile.parse(text, Path("test.yml")))


def assert_same(text: str) -> None:
    quick = yamlfile.simple(text)
    if quick is not None:
        assert typed(quick) == typed(full(text)), text


# -- What YAML 1.2 makes of the values councillors type ------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("a: no", "no"), ("a: yes", "yes"), ("a: on", "on"), ("a: off", "off"), ("a: y", "y"), ("a: N", "N"),
    ("a: true", True), ("a: False", False), ("a: TRUE", True), ("a: tRUE", "tRUE"),
    ("a: ~", None), ("a: null", None), ("a: NULL", None), ("a:", None), ("a:   # nothing", None),
    ("a: 010", 10), ("a: 007", 7), ("a: +3", 3), ("a: 0", 0),
    ("a: 10:30", "10:30"), ("a: 1:20:30", "1:20:30"),
    ("a: 2026-11-02", "2026-11-02"), ("a: 2026-11-02 09:30", "2026-11-02 09:30"),
    ("a: 2026-11-02 09:30:00", "2026-11-02 09:30:00"), ("a: 2026-11-02T09:30:00Z", "2026-11-02T09:30:00Z"),
    ("a: C# and F#", "C# and F#"), ("a: bins # a comment", "bins"),
    ("a: Bins [update], {soon}", "Bins [update], {soon}"), ("a: 'it''s'", "it's"),
    ('a: "Castle Street: the café"', "Castle Street: the café"), ('a: "# not a comment"', "# not a comment"),
    ("a: ...", "..."), ("a: a:b", "a:b"), ("a: x  y", "x  y"),
    ("a: [bins, roads]", ["bins", "roads"]), ("a: []", []), ("a: [no, 010, true, ~]", ["no", 10, True, None]),
])
def test_values_read_as_yaml_1_2_reads_them(text, value):
    assert typed(yamlfile.simple(text)) == typed({"a": value})
    assert typed(full(text)) == typed({"a": value})


@pytest.mark.parametrize("text", [
    "a: -12", "a: 0o10", "a: 0x1F", "a: 0b11", "a: 1_000", "a: 1.5", "a: 1e3", "a: .inf", "a: ._",  # numbers
    "a: &name x", "a: *name", "a: !!str 1", "a: |\n  x", "a: >\n  x", "a: x\n  y",  # anchors, tags, blocks
    'a: "tab\\tbelow"', "a: [x, y,]", "a: [x, [y]]", "a: {x: 1}", "a: ['x']", "a: [x: 1]",
    "a: b: c", "a: x:", "a: @x", "a: `x`", "a: %x", "a: -x", "a: ?x", "a: - x",
    "a: x\na: y", "true: x", "null: x", "1: x", "é: x", "a : x", "a:x", "<<: x",
    "%YAML 1.1\n---\na: no", "---\na: x", "a: x\n...", "- a", "  a: x", "a: x\r\nb: y", "a:\tx", "\ufeffa: x",
    "a: x\u2028b: y", "a:\n  b: x\n c: y", "a:\n- x", "a: [x\n  , y]",
    "a:\n" + "".join(f"{' ' * 2 * n}k:\n" for n in range(1, 12)) + " " * 24 + "k: x",  # deeper than quick reading goes
])
def test_what_simple_does_not_read_goes_to_the_full_parser(text):
    assert yamlfile.simple(text) is None


def test_groups_and_lists_read_as_the_full_parser_reads_them():
    text = ("name: Daniel O'Connor\ncontact:\n  email: d@example.org\n  phone: 01632 960 274\nsurgeries:\n"
            "  - when: Every Tuesday, 12:30 to 13:30\n    where: Northgate Library\n  -   when: Saturdays\n"
            "      where: 'Pinfold Hall'   # upstairs\n\n# platforms\nplatforms:\n  - mastodon\n  - [a, b]\n")
    assert yamlfile.simple(text) == full(text)
    assert yamlfile.simple(text)["surgeries"][1] == {"when": "Saturdays", "where": "Pinfold Hall"}


# -- The quick reading is used for the files a build reads -------------------------------------

def test_the_example_programme_and_every_post_and_settings_file_read_quickly():
    texts = [path.read_text(encoding="utf-8") for path in [REPO / "programme.yml",
                                                            *sorted(REPO.glob("councillor_blogs/*/councillor.yml"))]]
    texts += [posts.split(path.read_text(encoding="utf-8"))[0]
              for path in sorted(REPO.glob("councillor_blogs/*/content/*/*.md"))]
    quick = [text for text in texts if yamlfile.simple(text) is not None]
    for text in quick:
        assert typed(yamlfile.simple(text)) == typed(full(text))
    assert len(quick) >= 0.9 * len(texts)
    assert yamlfile.simple(texts[0]) is not None  # programme.yml
    assert all(yamlfile.simple(text) is not None for text in texts[1:])  # each councillor.yml and post


def test_the_benchmarks_posts_read_quickly(tmp_path):
    root = synthetic.write_programme(synthetic.make_councillors(2, 20), tmp_path)
    for path in sorted(root.glob("councillor_blogs/*/content/*/*.md")):
        head = posts.split(path.read_text(encoding="utf-8"))[0]
        assert yamlfile.simple(head) is not None
        assert typed(yamlfile.simple(head)) == typed(full(head))


def test_a_mistake_is_reported_with_its_line_as_before(tmp_path):
    # Valid YAML that the model refuses: the quick reading's answer is dropped for the full one.
    meta, problems = yamlfile.load_text(FrontMatter, "title: Bins\ndate: 2026-13-01\ntags: [a]\n", tmp_path / "p.md", 2)
    assert meta is None
    assert [(p.line, p.message) for p in problems] == [(3, "'date' is not a date in the form YYYY-MM-DD "
                                                           "(or YYYY-MM-DD HH:MM)")]
    meta, problems = yamlfile.load_text(FrontMatter, "title: Bins\ndate: 2026-11-01\ncolour: red\n",
                                        tmp_path / "p.md", 2)
    assert [(p.line, p.message) for p in problems] == [(4, "'colour' is not a setting this file understands")]
    meta, problems = yamlfile.load_text(FrontMatter, "title: Bins\ndate: 2026-11-01\ntitle: again\n",
                                        tmp_path / "p.md", 2)
    assert meta is None and problems[0].line == 4 and "duplicate key" in problems[0].message


def test_settings_files_read_the_same_quickly_or_fully():
    for path, model in [(REPO / "programme.yml", Programme),
                        *((p, Councillor) for p in sorted(REPO.glob("councillor_blogs/*/councillor.yml")))]:
        text = path.read_text(encoding="utf-8")
        quick, _ = yamlfile.load_text(model, text, path)
        slow, _ = yamlfile.validate(model, yamlfile.parse(text, path), path)
        assert quick == slow


# -- Many texts, near and far from what simple reads ---------------------------------------------

#: Values simple reads, among them the ones YAML versions disagree on.
NICE = ["no", "yes", "on", "Off", "y", "true", "False", "TRUE", "tRue", "null", "~", "Null", "010", "+5", "12", "0",
        "2026-11-02", "2026-11-02 09:30", "2026-11-02 09:30:00", "2026-11-02T09:30:00Z", "10:30", "1:20:30", "...",
        "x", "Bins", "café", "C#", "a#b", "a:b", "it's", "Mill Lane", "🙂", "=", "é", "a  b", "[x]", "x, y", "{x}",
        "x]", "1.5", "_", "._", "0x1F", ".inf"]
#: Values with more of YAML in them.
TRICKY = ["0o10", "0b11", "1_000", "-0", "1e3", "1E3", ".nan", "<<", "---", "a #b", "a: b", "a:", "'q'", '"q"',
          "&a", "*a", "!tag", "!!str", "|", ">", "%x", "@x", "`x`", "-x", "- x", "?x", "? x", ",x", "\\", "\\n",
          "\\t", "  ", "#", " #c", "\u00a0", "\u2028", "\x85", "\t", "\x00", "\ufeff"]
CHARS = list("ab01 :#-,[]{}'\"&*!|>%@`?.~_eE+\\\tx\n")
KEYS = ["title", "date", "tags", "a", "b_c", "x-y", "e1", "Title", "on", "No", "yes"]
TRICKY_KEYS = ["null", "true", "_", "a b", "a:b", "-a", "1", "é", "<<", "?", "- a", "a ", "'a'"]


def mostly(nice: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """``nice`` four times in five, so that many texts are still ones simple reads."""
    return st.integers(0, 4).flatmap(lambda n: other if n == 4 else nice)


NICE_TEXT = st.one_of(st.sampled_from(NICE), st.lists(st.sampled_from(NICE), min_size=2, max_size=3).map(" ".join))
TEXT = {False: NICE_TEXT,
        True: mostly(NICE_TEXT, st.one_of(st.sampled_from(TRICKY), st.text(alphabet=st.sampled_from(CHARS),
                                                                            max_size=8)))}
KEY = {False: st.sampled_from(KEYS), True: mostly(st.sampled_from(KEYS), st.sampled_from(TRICKY_KEYS))}
#: In a one-line list, commas and brackets are YAML's own.
ITEM = {False: st.sampled_from([text for text in NICE if not set(text) & set(",[]{}#:")]), True: TEXT[True]}


def one_of_these(draw: st.DrawFn, tricky: bool, nice: list, other: list) -> Any:
    return draw(st.sampled_from(nice + other if tricky else nice))


@st.composite
def values(draw: st.DrawFn, tricky: bool) -> str:
    text = draw(TEXT[tricky])
    form = draw(st.sampled_from(["plain", "plain", "double", "single", "list"]))
    if form == "double":
        text = f'"{text}"'
    elif form == "single":
        text = f"'{text}'"
    elif form == "list":
        text = "[" + draw(st.sampled_from([", ", ",", " , "])).join(draw(st.lists(ITEM[tricky], max_size=3))) + "]"
    return text + one_of_these(draw, tricky, ["", "", "", "", " # note", "  #x", " "], ["#x"])


@st.composite
def blocks(draw: st.DrawFn, tricky: bool, indent: int = 0, depth: int = 0) -> list[str]:
    """Lines of 'key: value', groups and lists, as settings files and front matter have them."""
    pad, lines = " " * indent, []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEY[tricky])
        kind = draw(st.sampled_from(["value", "value", "empty", "group", "list"] if depth < 3 else ["value"]))
        sep = one_of_these(draw, tricky, [" ", " ", " ", "  "], [""])
        if kind == "value":
            lines.append(f"{pad}{key}:{sep}{draw(values(tricky))}")
        elif kind == "empty":
            lines.append(f"{pad}{key}:{draw(st.sampled_from(['', ' ', ' # nothing']))}")
        elif kind == "group":
            lines.append(f"{pad}{key}:")
            lines += draw(blocks(tricky, indent + draw(st.sampled_from([2, 2, 4, 1, 0])), depth + 1))
        else:
            lines.append(f"{pad}{key}:")
            dash = pad + " " * one_of_these(draw, tricky, [2, 2, 4], [0])
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    lines.append(f"{dash}-{draw(st.sampled_from([' ', '   ']))}{draw(values(tricky))}")
                else:
                    group = draw(blocks(tricky, 0, depth + 1))
                    gap = draw(st.sampled_from([" ", "   "]))
                    inner = " " * (len(dash) + 1 + len(gap))
                    lines += [f"{dash}-{gap}{group[0]}"] + [inner + line for line in group[1:]]
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "# a comment", "   # indented comment", "#"])))
    return lines


@st.composite
def documents(draw: st.DrawFn, tricky: bool) -> str:
    text = "\n".join(draw(blocks(tricky)))
    # Now and then, a slip of the keyboard anywhere in it.
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2])) if tricky else 0):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([*CHARS, "  ", "- ", ": ", " #"])) + text[at:]
    return text


@given(documents(tricky=False))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_simple_reads_settings_and_front_matter_as_the_full_parser_does(text):
    assert_same(text)


@given(documents(tricky=True))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("a: b\n  - c")
@example("a:\n  - b\n  c: d")
@example("a:\n - b: c\n   d: e\n - f")
def test_simple_reads_any_text_as_the_full_parser_does_or_not_at_all(text):
    assert_same(text)


@given(st.lists(st.sampled_from([*CHARS, "é", "\xa0", "a: ", "b:", "- ", "\n  ", "\n", "true", "010"]), max_size=30)
       .map("".join))
@settings(max_examples=1000, deadline=None)
def test_simple_reads_any_jumble_as_the_full_parser_does_or_not_at_all(text):
    assert_same(text)
