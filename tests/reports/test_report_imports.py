"""No module of the package imports itself back, through any chain, at any level (issue 19):
`quarterly` and `requests_section` both read `figures` and never each other, and
`infocenter.pdf` needs nothing from the feature packages that print with it."""

from __future__ import annotations

import ast
from pathlib import Path

from infocenter import PROJECT_ROOT

ROOT = PROJECT_ROOT / "infocenter"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every infocenter module ``path`` imports, at any level (type-checking imports included)."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("infocenter")}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("infocenter"):
                continue
            for alias in node.names:  # "from . import quarterly" names a module
                sub = f"{target}.{alias.name}"
                found.add(
                    sub if (ROOT.parent / (sub.replace(".", "/") + ".py")).exists() else target
                )
    return found


def _graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    graph = {}
    for pkg in packages:
        for path in (ROOT / pkg).glob("*.py"):
            graph[_module(path)] = _imports(path)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph or nxt == node:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_back_anywhere_in_the_package():
    """Function-level and type-checking imports count too: a cycle hidden in a function is still
    two modules that cannot be read (or moved) one without the other. The application factory
    (``infocenter/__init__``, which imports every blueprint) is left out."""
    graph = {}
    for path in ROOT.rglob("*.py"):
        if path != ROOT / "__init__.py":
            graph[_module(path)] = _imports(path) - {"infocenter"}
    assert len(graph) > 100 and "infocenter.catalogue.views" in graph
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_report_dashboard_and_pdf_modules_import_without_cycles():
    graph = _graph(("reports", "pdf", "dashboard"))
    assert "infocenter.reports.figures" in graph["infocenter.reports.requests_section"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_sees_a_type_checking_import_cycle(tmp_path):
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_the_pdf_package_needs_no_feature_package():
    for module, imports in _graph(("pdf",)).items():
        # (thai: dates and digits; stats: the one rule for printing a percentage)
        outside = {
            m
            for m in imports
            if not m.startswith("infocenter.pdf")
            and m not in ("infocenter.thai", "infocenter.stats")
        }
        assert not outside, f"{module} imports {outside}"
