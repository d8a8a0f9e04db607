"""The house's arrows point down: a module imports only modules of a lower layer.

Read from the source with `ast` (every import, including those inside functions and under
TYPE_CHECKING), so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bdur_cli"

#: Lowest first. A module may import from a lower layer, never from its own or a higher one
#: (render/ is one layer with its own order below).
LAYERS: list[set[str]] = [
    {"errors", "numbers", "environment", "rounding", "scalars"},
    {"model", "reading"},
    {"source"},
    {"loader", "indexation", "ledger"},
    {"flows"},
    {"engine"},
    {"checks", "scenario", "report", "comparison", "plandiff", "gitrev", "realisation"},
    {"pipeline"},
    {"revdiff", "amendments", "yearend"},
    {"actuals"},
    {"api"},
    {"render"},
    {"cli"},
    {"_entry", "__init__"},
    {"__main__"},
]

#: Inside render/: plumbing below the formats, formats below the views.
RENDER_LAYERS: list[set[str]] = [
    {"safety"},
    {"labels", "encode", "console", "formats", "fit"},
    {"output"},
    {"style"},
    {"table", "markdown", "xlsx"},
    {"grid"},
    {"view"},
    {"totals", "report", "compare", "chart", "findings", "diff", "realisation"},
]


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p
            for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """The bdur_cli modules `name` imports, as dotted names relative to the package."""
    package = ["bdur_cli", *name.split(".")[:-1]]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            module = [*base, *(node.module.split(".") if node.module else [])]
            if node.module:
                out.add(".".join(module[1:]))
            else:  # `from . import x`: x is a module, or a name of the package (__version__)
                out.update(".".join([*module[1:], a.name]) for a in node.names
                           if (PACKAGE.joinpath(*module[1:], a.name + ".py")).exists()
                           or (PACKAGE.joinpath(*module[1:], a.name)).is_dir())
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bdur_cli"):
            out.add(node.module.removeprefix("bdur_cli").lstrip("."))  # type: ignore[union-attr]
    return {m for m in out if m}


def _rank(module: str) -> tuple[int, int]:
    parts = module.split(".")
    top = next(i for i, layer in enumerate(LAYERS) if parts[0] in layer)
    if parts[0] != "render":
        return top, 0
    leaf = parts[1] if len(parts) > 1 else "__init__"
    if leaf == "__init__":
        return top, -1
    return top, next(i for i, layer in enumerate(RENDER_LAYERS) if leaf in layer)


def test_every_module_has_a_layer() -> None:
    for name in _modules():
        _rank(name.removesuffix(".__init__") if name != "__init__" else name)


def test_imports_point_down() -> None:
    wrong = []
    for name, path in _modules().items():
        me = name.removesuffix(".__init__") if name != "__init__" else name
        for target in _imports(name, path):
            if target in {"__init__", ""} or target == me:
                continue
            if _rank(target) >= _rank(me):
                wrong.append(f"{me} -> {target}")
    assert wrong == []
