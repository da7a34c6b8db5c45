"""Imports inside ``generator/`` flow one way: no module imports, even lazily inside a
function, a module that imports it back. Only ``if TYPE_CHECKING:`` blocks are exempt."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported(tree: ast.AST, name: str, modules: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports anywhere (top level or in a function)."""
    found: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if _type_checking(node):
            todo += node.orelse  # type: ignore[attr-defined]
            continue
        todo += ast.iter_child_nodes(node)
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            package = name if name in packages(modules) else name.rpartition(".")[0]
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m in modules and m != name}


def packages(modules: set[str]) -> set[str]:
    return {m for m in modules if any(o.startswith(m + ".") for o in modules)}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py") if "starter" not in p.parts}
    modules = set(files)
    return {name: imported(ast.parse(path.read_text(encoding="utf-8")), name, modules)
            for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as ``[a, b, …, a]``, or None (depth-first, colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if state.get(other) == 1:
                return [*stack[stack.index(other):], other]
            if other not in state and (cycle := visit(other)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_no_import_cycle_inside_the_package():
    graph = import_graph()
    assert graph.get("generator.build")
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_sees_imports_inside_functions_but_not_type_checking():
    source = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from generator import b\n"
              "def f():\n    from generator.c import x\n")
    modules = {"generator", "generator.a", "generator.b", "generator.c"}
    assert imported(ast.parse(source), "generator.a", modules) == {"generator.c"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_index_knows_no_renderer():
    """resolve (the index) and the body value type never import the Markdown stage."""
    graph = import_graph()
    for name in ("generator.resolve", "generator.body", "generator.state"):
        assert "generator.markdown" not in graph[name], name
