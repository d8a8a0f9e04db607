"""bdur: a budget calculator for the extra BDuR money of a Dutch safety region.

Scripting API::

    import bdur_cli
    loaded = bdur_cli.load("data/allocations.yaml")
    for year in bdur_cli.totals(loaded.plan).years:
        print(year.year, year.planned, year.gap)
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
    from .api import Totals, load, totals
    from .engine import GroupTotals, LineYear, YearTotals
    from .errors import BdurError, Finding, Location
    from .model import Plan
finally:
    if _gc_enabled:
        gc.enable()

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
