"""bdur: a budget calculator for the extra BDuR money of a Dutch safety region.

Scripting API::

    import bdur_cli
    loaded = bdur_cli.load("data/allocations.yaml")
    for year in bdur_cli.totals(loaded.plan).years:
        print(year.year, year.planned, year.gap)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bdur")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from .api import Totals, load, totals
from .engine import GroupTotals, LineYear, YearTotals
from .errors import BdurError, Finding, Location
from .model import Plan

__all__ = [
    "BdurError",
    "Finding",
    "GroupTotals",
    "LineYear",
    "Location",
    "Plan",
    "Totals",
    "YearTotals",
    "__version__",
    "load",
    "totals",
]
