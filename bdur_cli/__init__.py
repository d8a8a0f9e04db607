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

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bdur")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from .api import Totals, compare, load, totals
from .compare import Comparison, FileFigures, LineDifference, YearFigures
from .engine import GroupTotals, LineYear, YearTotals
from .errors import BdurError, Finding, Location
from .loader import Loaded
from .model import Plan

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
