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

import gc

# The single source of the version (pyproject.toml reads it); no importlib.metadata at start-up.
__version__ = "0.1.0"

# Importing pydantic and building the models allocates many objects that all live for the whole
# process; a garbage collection in the middle is pure cost (about 10% of `bdur totals`).
_gc_enabled = gc.isenabled()
gc.disable()
try:
    from .api import Totals, compare, load, totals
    from .engine import GroupTotals, LineYear, YearTotals
    from .errors import BdurError, Finding, Location
    from .model import Plan
    from .source import Loaded
finally:
    if _gc_enabled:
        gc.enable()

_LAZY = {"Comparison", "FileFigures", "LineDifference", "YearFigures"}


def __getattr__(name: str) -> object:
    # The comparison types load with their module, on first use: start-up time (issue 6).
    if name in _LAZY:
        from . import comparison

        return getattr(comparison, name)
    raise AttributeError(f"module 'bdur_cli' has no attribute {name!r}")


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
