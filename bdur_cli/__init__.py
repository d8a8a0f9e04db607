"""bdur: a budget calculator for the extra BDuR money of a Dutch safety region.

Scripting API::

    import bdur_cli
    loaded = bdur_cli.load("data/allocations.yaml")   # a plan or a scenario
    for year in bdur_cli.totals(loaded.plan).years:
        print(year.year, year.planned, year.gap)
    result = bdur_cli.compare("data/allocations.yaml", "data/scenarios/bdur-cut-2026.yaml")
    print(result.others[0].years[-1].difference)      # {'funding': Decimal('-240000'), ...}
"""

from __future__ import annotations

from importlib import import_module

#: Not `typing.TYPE_CHECKING`: importing typing costs 3 ms before the Ctrl-C handler is in
#: place; mypy treats any constant of this name as true.
TYPE_CHECKING = False

# The single source of the version (pyproject.toml reads it); no importlib.metadata at start-up.
__version__ = "0.1.0"

# Every name loads with its module on first use: importing the package (as the console script
# does, before it can install its Ctrl-C handler) stays free of pydantic, typer and rich.
_HOME = {
    "Totals": "api", "compare": "api", "load": "api", "totals": "api",
    "GroupTotals": "plan.results", "LineYear": "plan.results", "YearTotals": "plan.results",
    "BdurError": "errors", "Finding": "errors", "Location": "errors",
    "Loaded": "plan.source", "Plan": "plan.model",
    "Comparison": "plan.comparison", "FileFigures": "plan.comparison",
    "LineDifference": "plan.comparison", "YearFigures": "plan.comparison",
}

#: Submodules reachable as attributes after `import bdur_cli` (`bdur_cli.api.realisation`).
_MODULES = {"api"}

if TYPE_CHECKING:
    from . import api as api
    from .api import Totals, compare, load, totals
    from .errors import BdurError, Finding, Location
    from .plan.comparison import Comparison, FileFigures, LineDifference, YearFigures
    from .plan.model import Plan
    from .plan.results import GroupTotals, LineYear, YearTotals
    from .plan.source import Loaded


def __getattr__(name: str) -> object:
    if name in _MODULES:
        return import_module(f".{name}", __name__)
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'bdur_cli' has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME, *_MODULES})


__all__ = [
    "BdurError",
    "Comparison",
    "FileFigures",
    "Finding",
    "GroupTotals",
    "LineDifference",
    "LineYear",
    "Loaded",
    "Location",
    "Plan",
    "Totals",
    "YearFigures",
    "YearTotals",
    "__version__",
    "compare",
    "load",
    "totals",
]
