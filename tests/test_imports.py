"""The package's shape stays as documented: imports flow one way, with no circle, and no hidden import.

Read from the source with ``ast``, so the rule holds for every module, imported by a test or not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
#: How the folders may depend on one another: each may import the ones listed, and itself.
LAYERS = {
    "inputs": set(),
    "syndication": {"inputs"},
    "steps": {"inputs", "syndication"},
    "build": {"inputs", "syndication", "steps"},
    "scaffold": {"inputs"},
    "commands": {"inputs", "syndication", "steps", "build", "scaffold"},
}
#: Modules at the top of the package that every layer may use; they import no layer but inputs.
SHARED = {"atomic", "exceptions", "memo", "fingerprint", "logs", "wording", "compat", "last_build"}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_toolkit" not in p.parts}


def _target(node: ast.ImportFrom | ast.Import, here: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        anchor = here.split(".") if is_package else here.split(".")[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    # "from generator.steps import blogs" imports the module generator.steps.blogs.
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _in_type_checking(tree: ast.Module) -> set[int]:
    guarded = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded |= {id(n) for n in ast.walk(node)}
    return guarded


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports(name: str) -> tuple[set[str], list[tuple[int, str]]]:
    """The package modules ``name`` imports when it is loaded, and its imports inside functions."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = _in_type_checking(tree)
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
             for n in ast.walk(f) if n is not f}
    loaded: set[str] = set()
    lazy: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in guarded:
            continue
        targets = [t for t in _target(node, name, path.name == "__init__.py") if t.split(".")[0] == "generator"]
        if id(node) in inner:
            lazy.append((node.lineno, ast.unparse(node)))
            continue
        for target in targets:
            # Loading a module loads every package above it first; its own packages are loaded already.
            parts = target.split(".")
            above = {".".join(parts[:i]) for i in range(2, len(parts))} - set(_ancestors(name))
            loaded |= ({target} | above) & MODULES.keys()
    loaded.discard(name)
    return loaded, lazy


GRAPH = {name: imports(name)[0] for name in MODULES}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_the_import_graph_has_no_circle() -> None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                circle = [*path[path.index(nxt):], nxt]
                pytest.fail("import circle: " + " -> ".join(circle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) is not None))
def test_each_folder_imports_only_what_comes_before_it(name: str) -> None:
    own = layer(name)
    allowed = {own, *LAYERS.get(own, set())} if own in LAYERS else None
    for target in GRAPH[name]:
        other = layer(target)
        if other in SHARED or other is None or allowed is None:
            continue
        assert other in allowed, f"{name} imports {target}: {own}/ may import only from {sorted(allowed)}"


def test_shared_modules_use_no_layer_but_inputs() -> None:
    for name in (f"generator.{s}" for s in SHARED):
        for target in GRAPH[name]:
            assert layer(target) in SHARED | {"inputs"}, f"{name} imports {target}"


def test_imports_inside_functions_are_the_documented_lazy_ones() -> None:
    """Only the commands (so ``councillor --help`` starts at once) and lines that say why ("lazy")."""
    hidden = []
    for name, path in MODULES.items():
        if layer(name) == "commands":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, text in imports(name)[1]:
            context = " ".join(lines[max(0, lineno - 3):lineno])
            if "lazy" not in context:
                hidden.append(f"{path.relative_to(PACKAGE.parent)}:{lineno}: {text}")
    assert not hidden, "imports inside functions without a reason:\n" + "\n".join(hidden)


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE.parent)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"


def test_the_build_loads_no_site_generator_until_a_step_runs() -> None:
    """A build that reuses every part, and ``councillor due``, never load Pelican or MkDocs."""
    import subprocess
    import sys

    code = ("import sys, generator.build, generator.syndication.runner; "
            "print(sorted(m for m in ('pelican', 'mkdocs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_function_over_60_lines_says_why_in_a_comment() -> None:
    unexplained = []
    for path in MODULES.values():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                start = node.body[0].lineno - 1
                head = lines[node.lineno - 1:start + 8]
                if not any(line.strip().startswith("#") for line in head) and "on purpose" not in " ".join(head):
                    unexplained.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert not unexplained, "long functions with no reason given:\n" + "\n".join(unexplained)
