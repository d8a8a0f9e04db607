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
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..rounding import Exact, round_euros, round_ratio
from .flows import ReserveYear, flows
from .indexation import factors
from .model import Line, MeansLine, PhasedLine, Plan, StaffLine, Theme, value_for

ZERO = Decimal(0)
#: The funding status of a year without granted money, on granted money alone.
NONE_GRANTED = "none granted"

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
    return _settle(whole, parts)


def _settle(whole: int, parts: dict[int, int]) -> Exact:
    """The one exact value of whole euros plus numerators per denominator (how `exact_sum`
    and `_Sums` keep a running sum): an int when it is whole, else a Fraction."""
    if not parts:
        return whole
    total = sum((Fraction(n, d) for d, n in parts.items()), Fraction(whole))
    return total.numerator if total.denominator == 1 else total


# Not frozen: the engine makes one per line and year (240,000 for a 100,000-line plan), and a
# frozen dataclass's __init__ sets each field through object.__setattr__, 9x the cost of a
# plain one (6.2 against 0.7 microseconds). Treat it as read-only all the same.
@dataclass(slots=True)
class LineYear:
    """The cost of one line in one year (a record: read it, do not change it)."""

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
    income: Decimal = ZERO  # what a partner pays towards it (co-financing), rounded
    income_exact: Exact = 0
    reserve: str | None = None  # the reserve that covers its net cost


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
    #: fte weighted by months in force (what the money pays for), to 2 decimals, half up.
    average_fte: Decimal = ZERO
    #: The optional figures this plan has ("average_fte" when a line runs part of a year,
    #: "sources", "adjustment", "income", "reserves"): shown in every format; a plan without
    #: them prints exactly as before.
    shown: frozenset[str] = frozenset()
    #: Funding per source after adjustments: 'bdur' first, then the plan's sources.
    funding_sources: dict[str, Decimal] = field(default_factory=dict)
    #: What the adjustments add to funding (negative: a cut such as the BDuR's 10%).
    funding_adjustment: Decimal = ZERO
    income: Decimal = ZERO  # from partners towards lines (co-financing)
    net: Decimal = ZERO  # planned - income
    reserve_additions: Decimal = ZERO  # dotaties: room set aside
    reserve_withdrawals: Decimal = ZERO  # onttrekkingen: planned plus the lines covered
    reserve_balance: Decimal = ZERO  # closing balance of every reserve together
    reserves: tuple[ReserveYear, ...] = ()
    #: Structural costs less the income towards structural lines, for the structural rule.
    structural_net: Decimal = ZERO
    #: Each source's status this year ('granted', 'forecast', 'conditional'; None: no entry),
    #: in the order of `funding_sources`.
    source_status: dict[str, str | None] = field(default_factory=dict)
    #: Per source the plan adjusts, what its adjustments add this year (0 where none is in
    #: force), in the order of `funding_sources`; they add up to `funding_adjustment`.
    source_adjustment: dict[str, Decimal] = field(default_factory=dict)
    #: Computed on granted money alone (`--funding granted`): forecast and conditional
    #: amounts count as 0, and a year without granted money is 'none granted'.
    granted_only: bool = False

    @property
    def status_mix(self) -> str | None:
        """The year's funding status over every source with money this year: one status, or
        the ones there are from firm to loose ('granted+conditional'), so a conditional grant
        beside granted BDuR money is seen. On granted money alone, a year whose money is all
        forecast or conditional (counted as 0) is `NONE_GRANTED`, not the status of money
        that is not in the figures. `bdur totals` shows it in every format."""
        if "sources" not in self.shown and not self.granted_only:
            return self.funding_status
        held = {self.source_status.get(sid) for sid, amount in self.funding_sources.items()
                if amount}
        mix = [s for s in ("granted", "forecast", "conditional") if s in held]
        if mix:
            return "+".join(mix)
        if self.granted_only:
            written = {s for s in self.source_status.values() if s}
            if "granted" in written:  # granted, and €0
                return "granted"
            if written:
                return NONE_GRANTED
        return self.funding_status

    def as_dict(self) -> dict[str, object]:
        shown = self.shown
        out: dict[str, object] = {"year": self.year, "funding": self.funding}
        if "adjustment" in shown:
            out["funding_adjustment"] = self.funding_adjustment
        if "sources" in shown:
            out["funding_sources"] = {
                sid: {"amount": amount, "status": self.source_status.get(sid)}
                for sid, amount in self.funding_sources.items()}
        out.update({
            "planned": self.planned,
            "incidental": self.incidental,
            "structural": self.structural,
            "staff": self.staff,
            "means": self.means,
            "fte": self.fte,
        })
        if "average_fte" in shown:
            out["average_fte"] = self.average_fte
        if "income" in shown:
            out["income"] = self.income
            out["net"] = self.net
        if "reserves" in shown:
            out["reserve_additions"] = self.reserve_additions
            out["reserve_withdrawals"] = self.reserve_withdrawals
        out.update({
            "gap": self.gap,
            "cumulative_gap": self.cumulative_gap,
        })
        if "reserves" in shown:
            out["reserve_balance"] = self.reserve_balance
            out["reserves"] = [r.as_dict() for r in self.reserves]
        # The status the table shows: over every source, and 'none granted' on granted money
        # alone (docs/plan-format.md, "Status per source"); each source's in funding_sources.
        out["funding_status"] = self.status_mix
        return out


class _Sums:
    """Exact sums of one set of line-years: planned, incidental, structural, staff, means, and
    fte (a Decimal: fte have at most 4 decimals and add up exactly).

    Whole euros add up as ints; fractions are kept as numerators per denominator (a year's
    lines share a few denominators: twelfths, an indexation factor's), so adding stays integer
    arithmetic and each sum becomes one exact value when it is asked for."""

    __slots__ = ("_parts", "_whole", "fte")

    def __init__(self) -> None:
        # incidental, structural, staff, means
        self._whole = [0, 0, 0, 0]
        self._parts: list[dict[int, int]] = [{}, {}, {}, {}]
        self.fte = ZERO

    def add(self, row: LineYear) -> None:
        first = 0 if row.type == "incidental" else 1
        second = 2 if row.kind == "staff" else 3
        if second == 2:
            self.fte += row.fte
        x = row.exact
        if type(x) is int:
            self._whole[first] += x
            self._whole[second] += x
            return
        n, d = x.numerator, x.denominator
        for k in (first, second):
            parts = self._parts[k]
            parts[d] = parts.get(d, 0) + n

    def add_bucket(self, typ: str, kind: str, whole: int, parts: dict[int, int],
                   fte: Decimal) -> None:
        """Rows of one type and kind, summed already (see `year_totals`)."""
        first = 0 if typ == "incidental" else 1
        second = 2 if kind == "staff" else 3
        if second == 2:
            self.fte += fte
        for k in (first, second):
            self._whole[k] += whole
            mine = self._parts[k]
            for d, n in parts.items():
                mine[d] = mine.get(d, 0) + n

    def _value(self, k: int) -> Exact:
        return _settle(self._whole[k], self._parts[k])

    @property
    def incidental(self) -> Exact:
        return self._value(0)

    @property
    def structural(self) -> Exact:
        return self._value(1)

    @property
    def staff(self) -> Exact:
        return self._value(2)

    @property
    def means(self) -> Exact:
        return self._value(3)

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
    sums = {y: _Sums() for y in years}
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


@dataclass(frozen=True)
class Totals:
    """Per-year totals; with a single year also its breakdown by goal and theme."""

    years: list[YearTotals]
    breakdown: list[GroupTotals] | None = None

    def as_dict(self) -> object:
        """The JSON data of `bdur totals --format json`: a list of years, or with a single
        year one object with its `goals`."""
        if self.breakdown is None:
            return [t.as_dict() for t in self.years]
        record = self.years[0].as_dict()
        record["goals"] = [g.as_dict() for g in self.breakdown]
        return record


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
