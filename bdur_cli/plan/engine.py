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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..rounding import Exact, round_euros, round_ratio
from .flows import flows
from .indexation import factors
from .model import Line, MeansLine, PhasedLine, Plan, StaffLine, Theme, value_for
from .results import (
    ZERO,
    GroupTotals,
    LineYear,
    Sums,
    Totals,
    YearTotals,
    settle,
)


def exact_sum(values: Iterable[Exact]) -> Exact:
    """The exact sum of exact amounts. Whole euros add up as ints and fractions as numerators
    per denominator (a plan's line-years share a few: twelfths, an indexation factor's), so
    the sum stays integer arithmetic until one `Fraction` at the end: adding Fractions one by
    one reduces by a gcd at every step, and was most of the time of a large report."""
    whole = 0
    parts: dict[int, int] = {}
    for x in values:
        if type(x) is int:
            whole += x
        else:
            d = x.denominator
            parts[d] = parts.get(d, 0) + x.numerator
    return settle(whole, parts)


def months_by_year(line: Line, last: int) -> dict[int, int]:
    """Months in force per year (1-12), up to the end of year `last`; years without any month
    are left out (a gap between two periods)."""
    out: dict[int, int] = {}
    for a, b in line.spans(last):
        if b < a:
            continue
        first, final = a // 12, b // 12
        if first == final:
            out[first] = out.get(first, 0) + b - a + 1
            continue
        # The first year from month a, the years between in full, the last to month b.
        out[first] = out.get(first, 0) + 12 - a % 12
        for year in range(first + 1, final):
            out[year] = out.get(year, 0) + 12
        out[final] = out.get(final, 0) + b % 12 + 1
    return out


#: An exact value as an integer ratio (numerator, denominator), not yet reduced: integer
#: arithmetic is much faster than `Fraction`, which is made once, at the end, if at all.
Ratio = tuple[int, int]


def _ratio(value: Decimal | int | Fraction) -> Ratio:
    return value.as_integer_ratio()


def _from_ratio(n: int, d: int) -> Exact:
    q, r = divmod(n, d)
    return q if not r else Fraction(n, d)


@dataclass(frozen=True, slots=True)
class _Index:
    """Per year the wage factor (staff rates) and price factor (means) as integer ratios."""

    wages: dict[int, Ratio]
    prices: dict[int, Ratio]

    @classmethod
    def of(cls, plan: Plan, indexed: bool) -> _Index | None:
        if plan.indexation is None or not indexed:
            return None
        return cls({y: _ratio(f) for y, f in factors(plan.indexation, plan.years,
                                                      "wages").items()},
                   {y: _ratio(f) for y, f in factors(plan.indexation, plan.years,
                                                      "prices").items()})


_ONE: Ratio = (1, 1)


def line_years(plan: Plan, years: range | None = None, indexed: bool = True,
               select: Callable[[Line], bool] | None = None) -> list[LineYear]:
    """Every line's cost in every year it runs, within the horizon (or `years`), in file order:
    exact, and rounded on its own to whole euros (see the module's note on rounding).
    `indexed=False`: in base-year euros, without the plan's indexation (`--prices constant`).
    `select`: only the lines it accepts (a line's figures never depend on another's)."""
    horizon = plan.years
    wanted = years if years is not None else horizon
    rates = {name: {y: r.for_year(y) for y in horizon} for name, r in plan.rates.items()}
    rows: list[LineYear] = []
    index = _Index.of(plan, indexed)
    # Whole-euro amounts made so far, each as (int, Decimal); both are immutable, so
    # line-years of equal amounts share them (a plan repeats its amounts, fte x a rate: a
    # tenth of a large plan's memory). Local to this call: the engine keeps no state.
    whole: dict[int, tuple[int, Decimal]] = {}
    # The (year, months) a line runs, by its timing, for the lines timed by a year alone;
    # a plan has few distinct timings, so `months_by_year` runs once for each (see
    # `_months`). Local to this call, like `whole`.
    timings: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    for theme in plan.themes:
        if select is not None:
            lines = [line for line in theme.lines if select(line)]
            if not lines:
                continue
            theme = theme.model_copy(update={"lines": lines})
        _theme_rows(theme, wanted, horizon.stop - 1, rates, rows, index, whole, timings)
    return rows


def _months(line: Line, last: int, wanted: range,
            timings: dict[tuple[object, ...], list[tuple[int, int]]] | None
            ) -> list[tuple[int, int]]:
    """`months_by_year` of `line` as (year, months) pairs, only the `wanted` years.

    A line timed by its year alone (type, year, start month, until; no periods, no start or
    end, not phased) runs the same months as every other line timed alike, so its pairs are
    looked up in `timings` by those four, made once by `months_by_year` itself: no second
    implementation of the months, only fewer calls of the one (a line's `spans` and their
    dict cost more than the rest of its line-years on a plain plan)."""
    key: tuple[object, ...] | None = None
    if timings is not None and not isinstance(line, PhasedLine) \
            and line.periods is None and line.start is None:
        key = (line.type, line.year, line.start_month, line.until)
        known = timings.get(key)
        if known is not None:
            return known
    pairs = [(year, months) for year, months in months_by_year(line, last).items()
             if year in wanted]
    if key is not None and timings is not None:
        timings[key] = pairs
    return pairs


def line_rows(line: Line, theme: Theme, last: int, wanted: range,
              rates: dict[str, dict[int, Decimal | None]], index: _Index | None,
              rows: list[LineYear], whole: dict[int, tuple[int, Decimal]] | None = None,
              timings: dict[tuple[object, ...], list[tuple[int, int]]] | None = None
              ) -> None:
    """One line's `LineYear` for every year it runs (`months_by_year`, up to the end of year
    `last`) that is `wanted`, appended to `rows`: the one implementation of a line's value.

    Staff: fte x rate (x the wage factor); means: the amount (x the price factor); a phased
    budget: its year's share, never indexed or pro-rated. Then x months / 12. Income: a share
    of that cost, or a yearly amount x months / 12. All in integers, one exact value at the
    end. What does not change from year to year (the kind, the rate, the factors, a value not
    given by year) is looked up once per line: this runs for every line-year of a plan.
    `whole`: whole-euro amounts made so far, shared between line-years, and `timings` the
    months of the lines timed alike (see `line_years`)."""
    by_month = _months(line, last, wanted, timings)
    shares = line.phased_amounts() if isinstance(line, PhasedLine) else None
    indexed = index is not None and line.indexed is not False
    per_rate: dict[int, Decimal | None] | None = None
    factors: dict[int, Ratio] | None = None
    given: Decimal | dict[int, Decimal] = ZERO
    if isinstance(line, StaffLine):
        given, per_rate = line.fte, rates[line.rate]
        factors = index.wages if indexed and index is not None else None
    elif isinstance(line, MeansLine):
        given = line.amount
        factors = index.prices if indexed and index is not None else None
    # fte (never 0) and an amount (whole euros) as they stand, when not given by year.
    fte = ZERO
    fn, fd = 0, 1
    if not isinstance(given, dict):
        if per_rate is not None:
            fte = given
            fn, fd = _ratio(given)
        else:
            fn = int(given)
    line_id, theme_id, goal, kind, typ = line.id, theme.id, theme.goal, line.kind, line.type
    department, reserve = line.department or theme.department, line.reserve
    has_income = line.income is not None
    append, make = rows.append, LineYear
    if whole is None:
        whole = {}
    for year, months in by_month:
        if shares is not None:  # a phased budget: its year's share, as it is
            n, d = int(shares[year]), 1
        else:
            if isinstance(given, dict):
                value = value_for(given, year) or ZERO
                if per_rate is not None:
                    fte = value
                    fn, fd = _ratio(value)
                else:
                    fn = int(value)
            n = fn * int(per_rate[year] or 0) if per_rate is not None else fn
            d = fd
            if factors is not None:
                f = factors[year]
                n, d = n * f[0], d * f[1]
            if months != 12:
                n, d = n * months, d * 12
        q, r = divmod(n, d)
        if r:
            exact: Exact = Fraction(n, d)
            amount = round_ratio(n, d)
        else:
            # A plan repeats its amounts (fte x a rate): one Decimal and one int for each,
            # not one per line-year (a tenth of a large plan's memory).
            got = whole.get(q)
            if got is None:
                got = whole[q] = (q, Decimal(q))
            exact, amount = got
        if has_income:
            income = _income(line, year, months, n, d)
            append(make(line_id, theme_id, goal, kind, typ, department, year, amount, fte,
                        months, exact, round_euros(income) if income else ZERO, income,
                        reserve))
        else:
            append(make(line_id, theme_id, goal, kind, typ, department, year, amount, fte,
                        months, exact, ZERO, 0, reserve))


def _income(line: Line, year: int, months: int, n: int, d: int) -> Exact:
    """What a partner pays towards the line in `year`, exactly: a share of its cost n / d, or
    a yearly amount x months / 12; 0 without income."""
    income = line.income
    if income is None:
        return 0
    if income.share is not None:
        sn, sd = _ratio(income.share)
        return _from_ratio(n * sn, d * sd)
    amount = value_for(income.amount, year) if income.amount is not None else None
    return _from_ratio(int(amount or 0) * months, 12)


def _theme_rows(theme: Theme, wanted: range, last: int,
                rates: dict[str, dict[int, Decimal | None]], rows: list[LineYear],
                index: _Index | None, whole: dict[int, tuple[int, Decimal]],
                timings: dict[tuple[object, ...], list[tuple[int, int]]]) -> None:
    for line in theme.lines:
        line_rows(line, theme, last, wanted, rates, index, rows, whole, timings)


def year_totals(plan: Plan, rows: Iterator[LineYear] | list[LineYear] | None = None,
                indexed: bool = True) -> list[YearTotals]:
    """Per year of the horizon: funding, planned and its parts (each the exact sum of its lines,
    rounded once), fte, income and net cost, reserve movements, gap (funding - net - additions
    + withdrawals, as shown) and cumulative gap."""
    years = plan.years
    sums = {y: Sums() for y in years}
    fte_months = dict.fromkeys(years, ZERO)
    # Income and what reserves cover are summed at the end (exact_sum), not Fraction by
    # Fraction: with indexation nearly every amount is a fraction.
    income_rows: dict[int, list[Exact]] = {}
    structural_income_rows: dict[int, list[Exact]] = {}
    covered_rows: dict[tuple[str, int], list[Exact]] = {}
    part_year = False  # a staff line in force part of a year: then average fte is shown
    # Rows add up per (year, type, kind) first, whole euros as ints and fractions as
    # numerators per denominator, and into the year's sums once per bucket (the rows of a
    # large plan are many, the buckets sixteen).
    buckets: dict[tuple[int, str, str], list[Any]] = {}
    for row in rows if rows is not None else line_years(plan, indexed=indexed):
        key3 = (row.year, row.type, row.kind)
        bucket = buckets.get(key3)
        if bucket is None:
            bucket = buckets[key3] = [0, {}, ZERO, ZERO]  # whole, parts, fte, fte-months
        x = row.exact
        if type(x) is int:
            bucket[0] += x
        else:
            parts = bucket[1]
            parts[x.denominator] = parts.get(x.denominator, 0) + x.numerator
        if row.kind == "staff":
            bucket[2] += row.fte
            if row.months != 12:
                part_year = True
                bucket[3] += row.fte * row.months
            else:
                bucket[3] += row.fte * 12
        if row.income_exact:
            income_rows.setdefault(row.year, []).append(row.income_exact)
            if row.type == "structural":
                structural_income_rows.setdefault(row.year, []).append(row.income_exact)
        if row.reserve is not None:
            cover = covered_rows.setdefault((row.reserve, row.year), [])
            cover.append(row.exact)
            if row.income_exact:
                cover.append(-row.income_exact)
    income = {y: exact_sum(income_rows.get(y, ())) for y in years}
    income_structural = {y: exact_sum(structural_income_rows.get(y, ())) for y in years}
    covered = {key: Fraction(exact_sum(cover)) for key, cover in covered_rows.items()}
    for (year, typ, kind), (whole, parts, fte, months) in buckets.items():
        if year in sums:
            sums[year].add_bucket(typ, kind, whole, parts, fte)
            fte_months[year] += months
    money_in = {f.year: f for f in flows(plan, covered, indexed)}
    statuses: dict[int, dict[str, str | None]] = {
        year: {"bdur": plan.funding[year].status if year in plan.funding else None,
               **{src.id: src.amounts[year].status if year in src.amounts else None
                  for src in plan.sources}} for year in years}
    out: list[YearTotals] = []
    cumulative = ZERO
    for year in years:
        s = sums[year]
        funding_entry = plan.funding.get(year)
        flow = money_in[year]
        funding = flow.funding
        planned = round_euros(s.planned)
        got = round_euros(income[year])
        # Net cost is the exact sum of costs less income, rounded once.
        net = round_euros(s.planned - income[year])
        gap = funding - net - flow.additions + flow.withdrawals
        cumulative += gap
        out.append(YearTotals(
            year, funding, planned, round_euros(s.incidental), round_euros(s.structural),
            round_euros(s.staff), round_euros(s.means), s.fte, gap, cumulative,
            funding_entry.status if funding_entry else None, average_fte(fte_months[year]),
            funding_sources=flow.sources, funding_adjustment=flow.adjustment, income=got,
            net=net, reserve_additions=flow.additions, reserve_withdrawals=flow.withdrawals,
            reserve_balance=flow.balance, reserves=flow.reserves,
            structural_net=round_euros(s.structural - income_structural[year]),
            source_status=statuses[year], source_adjustment=flow.source_adjustment,
            granted_only=plan.granted_only))
    shown = {"average_fte"} if part_year else set()
    if plan.sources:
        shown.add("sources")
    if plan.adjustments:
        shown.add("adjustment")
    if _has_income(plan):
        shown.add("income")
    if plan.reserves:
        shown.add("reserves")
    return [replace(t, shown=frozenset(shown)) for t in out] if shown else out


def _has_income(plan: Plan) -> bool:
    return any(line.income is not None for theme in plan.themes for line in theme.lines)


_CENT = Decimal("0.01")


def average_fte(fte_months: Decimal) -> Decimal:
    """fte-months over the year as an average fte, 2 decimals, half up (7 of 12 months of 1 fte
    is 0.58)."""
    value = (fte_months / 12).quantize(_CENT, rounding=ROUND_HALF_UP)
    return value.normalize() if value else ZERO


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


def totals(plan: Plan, year: int | None = None, prices: str = "nominal") -> Totals:
    """Totals for every year of the horizon, or for `year` with its goal/theme breakdown.

    `prices="constant"`: in base-year euros, without the plan's indexation (of costs and of the
    sources it indexes); the default "nominal" applies it."""
    if prices not in ("nominal", "constant"):
        raise ValueError(f"prices is 'nominal' or 'constant', not {prices!r}")
    indexed = prices == "nominal"
    rows = list(line_years(plan, indexed=indexed))
    every = year_totals(plan, rows, indexed=indexed)
    if year is None:
        return Totals(every)
    return Totals([t for t in every if t.year == year], goal_breakdown(plan, year, rows))
