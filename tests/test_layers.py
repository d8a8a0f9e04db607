"""The house's arrows point down: a module imports only modules of a lower layer.

Read from the source with `ast` (every import, including those inside functions and under
TYPE_CHECKING), so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bdur_cli"

#: The floors, lowest first. A module may import from a lower floor, never from a higher one.
#: The ground is shared; plan, actuals and review are the three jobs (actuals and review both
#: build on the plan and never on each other); render lays out what the jobs made; the public
#: API and the CLI sit on top, so nothing inside the house imports the API.
FLOORS: list[set[str]] = [
    {"errors", "numbers", "environment", "rounding", "scalars", "reading"},
    {"plan"},
    {"actuals", "review"},
    {"render"},
    {"api"},
    {"cli"},
    {"_entry", "__init__"},
    {"__main__"},
]

#: Inside a folder (or the ground), lowest first: a module imports only from a lower row.
ROOMS: dict[str, list[set[str]]] = {
    "": [
        {"errors", "numbers", "environment", "rounding", "scalars"},
        {"reading"},
    ],
    "plan": [
        {"__init__"},
        {"results"},  # the engine's figures as plain data: views and the cache need no model
        {"model"},
        {"source"},
        {"loader", "indexation", "cache"},
        {"flows"},
        {"engine"},
        {"checks", "scenario", "tables"},
        {"comparison"},  # marks the years a file breaks its rules (checks)
        {"pipeline"},
        {"amendments", "memo"},  # memo: the figures of `bdur totals`, kept (cache)
    ],
    "actuals": [
        {"__init__"},
        {"ledger"},
        {"analysis"},
        {"mapping"},
        {"yearend", "booking"},
        {"realise", "check"},
    ],
    "review": [
        {"__init__"},
        {"gitrev", "plandiff"},
        {"revdiff"},
    ],
    "render": [
        {"__init__"},
        {"safety"},
        {"labels", "encode", "console", "formats", "fit"},
        {"output"},
        {"style"},
        {"table", "markdown", "xlsx"},
        {"grid"},
        {"view", "html"},
        {"totals", "report", "compare", "chart", "findings", "diff", "realisation", "months"},
        {"pack"},  # the board pack: a view over the others' grids
    ],
    # The command line: what every command does around its call (run), the options they
    # share, the commands, then the app that lists them; __init__ only hands the app on.
    "cli": [
        {"run"},
        {"options"},
        {"figures", "files", "pack"},
        {"app"},
        {"__init__"},
    ],
}


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


def _rank(module: str) -> tuple[int, str, int]:
    """(floor, wing, room): comparable within a wing; wings of one floor never meet."""
    parts = module.split(".")
    top = next(i for i, floor in enumerate(FLOORS) if parts[0] in floor)
    wing = parts[0] if parts[0] in ROOMS else ""
    if wing:
        leaf = parts[1] if len(parts) > 1 else "__init__"
    elif parts[0] in {"errors", "numbers", "environment", "rounding", "scalars", "reading"}:
        leaf = parts[0]
    else:
        return top, "", 0
    return top, wing, next(i for i, room in enumerate(ROOMS[wing]) if leaf in room)


def _allowed(me: str, target: str) -> bool:
    mine, theirs = _rank(me), _rank(target)
    if theirs[0] != mine[0]:
        return theirs[0] < mine[0]
    return theirs[1] == mine[1] and theirs[2] < mine[2]


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
            if not _allowed(me, target):
                wrong.append(f"{me} -> {target}")
    assert wrong == []
