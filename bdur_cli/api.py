"""The Python API for scripts: load a plan, compute its totals.

Everything returned is plain data (dataclasses of Decimals) that `render.to_json` turns into the
same JSON as the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .engine import GroupTotals, YearTotals, goal_breakdown, line_years, year_totals
from .loader import Loaded, load_plan, no_gc
from .model import Plan


@dataclass(frozen=True)
class Totals:
    """Per-year totals; with a single year also its breakdown by goal and theme."""

    years: list[YearTotals]
    breakdown: list[GroupTotals] | None = None


def load(path: str | Path) -> Loaded:
    """Read and validate a plan file. Raises `bdur_cli.BdurError` with located findings."""
    return load_plan(path)


def totals(plan: Plan, year: int | None = None) -> Totals:
    """Totals for every year of the horizon, or for `year` with its goal/theme breakdown."""
    with no_gc():
        rows = list(line_years(plan))
        every = year_totals(plan, rows)
        if year is None:
            return Totals(every)
        return Totals([t for t in every if t.year == year], goal_breakdown(plan, year, rows))
