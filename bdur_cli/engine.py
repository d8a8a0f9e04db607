"""Pure arithmetic over a validated plan: per-line, per-year amounts and totals.

No printing, no file access. Every amount is a `Decimal`.

Rounding, in one place (`line_years`): a line's amount is exact unless it is pro-rated (or an
fte fraction times a rate), and then it has cents. Per year, the exact total of those amounts is
rounded to whole euros, half up (`round_euros`), and the whole euros are shared out over the
lines by largest remainder: each line gets its exact amount rounded down or up, and the lines
add up exactly to the rounded exact total. So a year's total is what the exact arithmetic gives
(1 fte x 100,000 x 7/12 six times is 350,000, not 6 x 58,333), and every total is still exactly
the sum of its rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .model import Line, Plan, Theme

ZERO = Decimal(0)
_ONE = Decimal(1)
_TWELVE = Decimal(12)


def round_euros(amount: Decimal) -> Decimal:
    """The one rounding rule: to whole euros, half up. Scenarios scale funding with it too."""
    return amount.quantize(_ONE, rounding=ROUND_HALF_UP)


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
    amount: Decimal
    fte: Decimal  # staff in force that year (not pro-rated); 0 for means
    months: int  # months of the year the line runs (12 unless it starts mid-year)


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


@dataclass(slots=True)
class GroupTotals:
    """Sums for one group of lines (a goal, a theme, a department) in one year."""

    id: str
    name: str
    planned: Decimal = ZERO
    incidental: Decimal = ZERO
    structural: Decimal = ZERO
    staff: Decimal = ZERO
    means: Decimal = ZERO
    fte: Decimal = ZERO
    children: list[GroupTotals] = field(default_factory=list)

    def add(self, row: LineYear) -> None:
        self.planned += row.amount
        if row.type == "incidental":
            self.incidental += row.amount
        else:
            self.structural += row.amount
        if row.kind == "staff":
            self.staff += row.amount
        else:
            self.means += row.amount
        self.fte += row.fte

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
    """Every line's cost in every year it runs, within the horizon (or `years`), in file order,
    in whole euros (see the module's note on rounding)."""
    horizon = plan.years
    wanted = years if years is not None else horizon
    rates = {name: {y: r.for_year(y) for y in horizon} for name, r in plan.rates.items()}
    rows: list[LineYear] = []
    fractional: dict[int, list[int]] = {}  # year -> indexes of rows whose amount has cents
    for theme in plan.themes:
        _theme_rows(theme, wanted, horizon.stop - 1, rates, rows, fractional)
    for indexes in fractional.values():
        _share_out(rows, indexes)
    return rows


def _theme_rows(theme: Theme, wanted: range, last: int,
                rates: dict[str, dict[int, Decimal | None]], rows: list[LineYear],
                fractional: dict[int, list[int]]) -> None:
    for line in theme.lines:
        department = line.department or theme.department
        staff = line.fte is not None
        for year in line_active_years(line, last):
            if year not in wanted:
                continue
            if staff:
                rate = rates[line.rate][year] if line.rate else None  # type: ignore[index]
                base = line.fte * (rate if rate is not None else ZERO)  # type: ignore[operator]
            else:
                base = line.amount  # type: ignore[assignment]
            months = 12
            if year == line.year and line.start_month is not None:
                months = 13 - line.start_month
                base = base * months / _TWELVE
            if base != base.to_integral_value():
                fractional.setdefault(year, []).append(len(rows))
            else:
                base = base.quantize(_ONE)  # 1.5 x 100000 is 150000.0: keep whole euros whole
            rows.append(LineYear(line.id, theme.id, theme.goal, "staff" if staff else "means",
                                 line.type, department, year, base,
                                 line.fte if staff else ZERO, months))  # type: ignore[arg-type]


def _share_out(rows: list[LineYear], indexes: list[int]) -> None:
    """Round one year's fractional rows so that they add up to their rounded exact total."""
    exact = [rows[i].amount for i in indexes]
    floors = [a.quantize(_ONE, rounding=ROUND_FLOOR) for a in exact]
    extra = int(round_euros(sum(exact, ZERO)) - sum(floors, ZERO))
    # Largest remainder first; ties keep file order (sorted is stable).
    order = sorted(range(len(indexes)), key=lambda k: exact[k] - floors[k], reverse=True)
    bump = set(order[:extra])
    for k, i in enumerate(indexes):
        rows[i] = replace(rows[i], amount=floors[k] + (1 if k in bump else 0))


def year_totals(plan: Plan, rows: Iterator[LineYear] | list[LineYear] | None = None
                ) -> list[YearTotals]:
    """Per year of the horizon: funding, planned and its parts, fte, gap and cumulative gap."""
    years = plan.years
    sums = {y: [ZERO, ZERO, ZERO, ZERO, ZERO] for y in years}  # inc, struct, staff, means, fte
    for row in rows if rows is not None else line_years(plan):
        s = sums[row.year]
        if row.type == "incidental":
            s[0] += row.amount
        else:
            s[1] += row.amount
        if row.kind == "staff":
            s[2] += row.amount
            s[4] += row.fte
        else:
            s[3] += row.amount
    out: list[YearTotals] = []
    cumulative = ZERO
    for year in years:
        inc, struct, staff, means, fte = sums[year]
        funding_entry = plan.funding.get(year)
        funding = funding_entry.amount if funding_entry else ZERO
        planned = inc + struct
        gap = funding - planned
        cumulative += gap
        out.append(YearTotals(year, funding, planned, inc, struct, staff, means, fte, gap,
                              cumulative, funding_entry.status if funding_entry else None))
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
