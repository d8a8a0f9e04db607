"""Wage and price indexation (loon- en prijsbijstelling) as exact factors per year.

Pure: no printing, no file access. A plan's amounts are priced in the base year; a year's factor
compounds the yearly percentages from the base year to it (and divides them out for a year
before it). Factors are exact fractions, so indexation adds no rounding of its own: a figure is
rounded once, where it is shown.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from .model import Indexation

Which = Literal["wages", "prices"]
_ONE = Fraction(1)


def factors(indexation: Indexation | None, years: range, which: Which) -> dict[int, Fraction]:
    """Per year of `years`: the factor that turns base-year euros into that year's euros.

    With wages {2025: 4.7%, 2026: 3.8%} and base year 2024: 2024 is 1, 2025 is 1.047 and 2026
    is 1.047 x 1.038 = 1.086786.
    """
    if indexation is None:
        return dict.fromkeys(years, _ONE)
    steps = {year: _ONE + Fraction(pct) for year, pct in getattr(indexation, which).items()}
    base = indexation.base_year
    out: dict[int, Fraction] = {}
    for year in years:
        factor = _ONE
        if year > base:
            for step in range(base + 1, year + 1):
                factor *= steps.get(step, _ONE)
        else:
            for step in range(year + 1, base + 1):
                factor /= steps.get(step, _ONE)
        out[year] = factor
    return out
