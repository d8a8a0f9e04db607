"""Pure arithmetic over a validated plan: per-line, per-year amounts and totals.

No printing, no file access. Exact values are `fractions.Fraction`, shown figures `Decimal`
whole euros.

Rounding, in one place (`round_euros`, see docs/rounding.md): every figure is rounded once,
half up, from its exact value. A line's figure in a year is its own exact amount rounded
(`LineYear.amount`), so no other line can move it; a total (a year, a goal, a theme, a
category, a cell of a report) is the exact sum of its lines rounded once, never the sum of
rounded figures. Six lines of 1 fte x 100,000 x 7/12 are 58,333 each and 350,000 together: a
shown total can differ from the sum of its shown rows, and the tables say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .model import Line, Plan, Theme

ZERO = Decimal(0)

#: An exact amount: whole euros as an int (the common case, and fast), else a Fraction.
Exact = int | Fraction


def round_euros(value: Exact | Decimal) -> Decimal:
    """The one rounding rule: to whole euros, half up (a half goes away from zero, as
    `decimal.ROUND_HALF_UP`: 2.5 -> 3, -2.5 -> -3), exactly, at any precision."""
    if isinstance(value, int):
        return Decimal(value)
    exact = Fraction(value)
    n, d = exact.numerator, exact.denominator
    whole = (2 * abs(n) + d) // (2 * d)
    return Decimal(whole if n >= 0 else -whole)


def exact_sum(values: Iterable[Exact]) -> Exact:
    """The exact sum of exact amounts."""
    return sum(values)


def _exact(value: Decimal | Exact) -> Exact:
    """An exact amount, as an int when it is whole."""
    if isinstance(value, int):
        return value
    q = Fraction(value)
    return q.numerator if q.denominator == 1 else q


@dataclass(frozen=True, slots=True)
class LineYear:
    """The cost of one line in one year."""

    line_id: str
    theme_id: str
    goal_id: str
    kind: str  # "staff" | "means"
    type: str  # "incidental" | "structural"
    department: str | None
    year: int
    amount: Decimal  # the line's figure: `exact` rounded to whole euros, half up
    fte: Decimal  # staff in force that year (not pro-rated); 0 for means
    months: int  # months of the year the line runs (12 unless it starts mid-year)
    exact: Exact  # the exact cost; totals add these up and round once


@dataclass(frozen=True, slots=True)
class YearTotals:
    """A year's funding against what is planned. gap = funding - planned (negative: shortfall)."""

    year: int
    funding: Decimal
    planned: Decimal
    incidental: Decimal
    structural: Decimal
    staff: Decimal
    means: Decimal
    fte: Decimal
    gap: Decimal
    cumulative_gap: Decimal
    funding_status: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "funding": self.funding,
            "planned": self.planned,
            "incidental": self.incidental,
            "structural": self.structural,
            "staff": self.staff,
            "means": self.means,
            "fte": self.fte,
            "gap": self.gap,
            "cumulative_gap": self.cumulative_gap,
            "funding_status": self.funding_status,
        }


class _Sums:
    """Exact sums of one set of line-years: planned, incidental, structural, staff, means, and
    fte (a Decimal: fte have at most 4 decimals and add up exactly)."""

    __slots__ = ("fte", "incidental", "means", "staff", "structural")

    def __init__(self) -> None:
        self.incidental: Exact = 0
        self.structural: Exact = 0
        self.staff: Exact = 0
        self.means: Exact = 0
        self.fte = ZERO

    def add(self, row: LineYear) -> None:
        if row.type == "incidental":
            self.incidental += row.exact
        else:
            self.structural += row.exact
        if row.kind == "staff":
            self.staff += row.exact
            self.fte += row.fte
        else:
            self.means += row.exact

    @property
    def planned(self) -> Exact:
        return self.incidental + self.structural


@dataclass(slots=True)
class GroupTotals:
    """Sums for one group of lines (a goal, a theme, a department) in one year: each the exact
    sum of the group's lines, rounded once (see the module's note on rounding)."""

    id: str
    name: str
    children: list[GroupTotals] = field(default_factory=list)
    _sums: _Sums = field(default_factory=_Sums, repr=False)

    def add(self, row: LineYear) -> None:
        self._sums.add(row)

    @property
    def planned(self) -> Decimal:
        return round_euros(self._sums.planned)

    @property
    def incidental(self) -> Decimal:
        return round_euros(self._sums.incidental)

    @property
    def structural(self) -> Decimal:
        return round_euros(self._sums.structural)

    @property
    def staff(self) -> Decimal:
        return round_euros(self._sums.staff)

    @property
    def means(self) -> Decimal:
        return round_euros(self._sums.means)

    @property
    def fte(self) -> Decimal:
        return self._sums.fte

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id, "name": self.name, "planned": self.planned,
            "incidental": self.incidental, "structural": self.structural,
            "staff": self.staff, "means": self.means, "fte": self.fte,
        }
        if self.children:
            out["themes"] = [c.as_dict() for c in self.children]
        return out


def line_active_years(line: Line, last: int) -> range:
    if line.type == "incidental":
        return range(line.year, line.year + 1)
    end = line.until if line.until is not None else last
    return range(line.year, min(end, last) + 1)


def line_years(plan: Plan, years: range | None = None) -> list[LineYear]:
    """Every line's cost in every year it runs, within the horizon (or `years`), in file order:
    exact, and rounded on its own to whole euros (see the module's note on rounding)."""
    horizon = plan.years
    wanted = years if years is not None else horizon
    rates = {name: {y: r.for_year(y) for y in horizon} for name, r in plan.rates.items()}
    rows: list[LineYear] = []
    for theme in plan.themes:
        _theme_rows(theme, wanted, horizon.stop - 1, rates, rows)
    return rows


def _theme_rows(theme: Theme, wanted: range, last: int,
                rates: dict[str, dict[int, Decimal | None]], rows: list[LineYear]) -> None:
    for line in theme.lines:
        department = line.department or theme.department
        staff = line.fte is not None
        fte = _exact(line.fte) if line.fte is not None else None
        for year in line_active_years(line, last):
            if year not in wanted:
                continue
            exact: Exact
            if fte is not None:
                rate = rates[line.rate][year] if line.rate else None
                exact = _exact(fte * _exact(rate)) if rate is not None else 0
            else:
                exact = int(line.amount)  # type: ignore[arg-type]
            months = 12
            if year == line.year and line.start_month is not None:
                months = 13 - line.start_month
                exact = _exact(Fraction(exact) * months / 12)
            rows.append(LineYear(line.id, theme.id, theme.goal, "staff" if staff else "means",
                                 line.type, department, year, round_euros(exact),
                                 line.fte if line.fte is not None else ZERO, months, exact))


def year_totals(plan: Plan, rows: Iterator[LineYear] | list[LineYear] | None = None
                ) -> list[YearTotals]:
    """Per year of the horizon: funding, planned and its parts (each the exact sum of its lines,
    rounded once), fte, gap (funding - planned, as shown) and cumulative gap."""
    years = plan.years
    sums = {y: _Sums() for y in years}
    for row in rows if rows is not None else line_years(plan):
        sums[row.year].add(row)
    out: list[YearTotals] = []
    cumulative = ZERO
    for year in years:
        s = sums[year]
        funding_entry = plan.funding.get(year)
        funding = funding_entry.amount if funding_entry else ZERO
        planned = round_euros(s.planned)
        gap = funding - planned
        cumulative += gap
        out.append(YearTotals(year, funding, planned, round_euros(s.incidental),
                              round_euros(s.structural), round_euros(s.staff),
                              round_euros(s.means), s.fte, gap, cumulative,
                              funding_entry.status if funding_entry else None))
    return out


def goal_breakdown(plan: Plan, year: int,
                   rows: Iterator[LineYear] | list[LineYear] | None = None) -> list[GroupTotals]:
    """For one year: per main goal, its themes' sums (in file order, empty ones included)."""
    goals = {g.id: GroupTotals(g.id, g.name) for g in plan.goals}
    themes: dict[str, GroupTotals] = {}
    for theme in plan.themes:
        group = GroupTotals(theme.id, theme.name)
        themes[theme.id] = group
        goals[theme.goal].children.append(group)
    for row in rows if rows is not None else line_years(plan, range(year, year + 1)):
        if row.year == year:
            themes[row.theme_id].add(row)
            goals[row.goal_id].add(row)
    return list(goals.values())
