"""The layers stay apart: the core imports neither Slack nor click, the command line imports the
Slack adapter only to serve, and no module of bot/ takes part in an import cycle (counting
imports inside functions and under TYPE_CHECKING too: a cycle hidden there is still a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
SLACK = ("slack_sdk", "slack_bolt", "bot.slack")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in BOT.rglob("*.py")}


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported name, at module level?) for every import statement in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {
        id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(f)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) not in nested) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(f"{node.module}.{alias.name}", id(node) not in nested) for alias in node.names]
    return found


def starts_with(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_no_slack_imports_outside_the_adapter():
    offenders = []
    for name, path in MODULES.items():
        if starts_with(name, ("bot.slack",)):
            continue
        for imported, top_level in imports(path):
            lazily_to_serve = name == "bot.cli.serve" and not top_level
            if starts_with(imported, SLACK) and not lazily_to_serve:
                offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_click_only_in_the_command_line():
    offenders = [
        f"{name} imports {imported}"
        for name, path in MODULES.items()
        if not starts_with(name, ("bot.cli",))
        for imported, _ in imports(path)
        if starts_with(imported, ("click",))
    ]
    assert offenders == []


def _bot_module(imported: str) -> str | None:
    """The module of bot/ an import names (``from bot.x import y`` is bot.x.y if that is a module)."""
    while imported and imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported or None


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = {_bot_module(i) for i, _ in imports(path) if starts_with(i, ("bot",))}
        graph[name] = {t for t in targets if t and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_bot():
    assert cycles(import_graph()) == []
