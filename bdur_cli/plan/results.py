"""What the engine hands over: plain data (dataclasses of Decimals, ints and text), with no
tie to the plan's models, so a view can draw it, and the cache keep it, without loading them.

`bdur totals` on a plan it has shown before reads its `Totals` back from the cache
(`plan.memo`) and draws them: that run never builds a pydantic model (docs/performance.md).
The engine (`engine`, `flows`) makes these; the render layer and `plan.cache` only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..rounding import Exact, round_euros

ZERO = Decimal(0)
#: The funding status of a year without granted money, on granted money alone.
NONE_GRANTED = "none granted"


def settle(whole: int, parts: dict[int, int]) -> Exact:
    """The one exact value of whole euros plus numerators per denominator (how `exact_sum`
    and `Sums` keep a running sum): an int when it is whole, else a Fraction."""
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
class ReserveYear:
    """One reserve in one year: opening balance, additions, withdrawals, closing balance."""

    id: str
    opening: Decimal
    additions: Decimal
    withdrawals: Decimal  # planned ones plus the lines it covers
    covered: Decimal  # of which: the net cost of the lines it covers
    closing: Decimal

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "opening": self.opening, "additions": self.additions,
                "withdrawals": self.withdrawals, "covered": self.covered,
                "closing": self.closing}


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


def _four_zeros() -> list[int]:
    return [0, 0, 0, 0]


def _four_parts() -> list[dict[int, int]]:
    return [{}, {}, {}, {}]


@dataclass(slots=True)
class Sums:
    """Exact sums of one set of line-years: planned, incidental, structural, staff, means, and
    fte (a Decimal: fte have at most 4 decimals and add up exactly).

    Whole euros add up as ints; fractions are kept as numerators per denominator (a year's
    lines share a few denominators: twelfths, an indexation factor's), so adding stays integer
    arithmetic and each sum becomes one exact value when it is asked for. Plain data (ints,
    dicts of ints, a Decimal), so a cached result keeps it exactly (plan/cache.py)."""

    #: incidental, structural, staff, means
    whole: list[int] = field(default_factory=_four_zeros)
    parts: list[dict[int, int]] = field(default_factory=_four_parts)
    fte: Decimal = ZERO

    def add(self, row: LineYear) -> None:
        first = 0 if row.type == "incidental" else 1
        second = 2 if row.kind == "staff" else 3
        if second == 2:
            self.fte += row.fte
        x = row.exact
        if type(x) is int:
            self.whole[first] += x
            self.whole[second] += x
            return
        n, d = x.numerator, x.denominator
        for k in (first, second):
            parts = self.parts[k]
            parts[d] = parts.get(d, 0) + n

    def add_bucket(self, typ: str, kind: str, whole: int, parts: dict[int, int],
                   fte: Decimal) -> None:
        """Rows of one type and kind, summed already (see `year_totals`)."""
        first = 0 if typ == "incidental" else 1
        second = 2 if kind == "staff" else 3
        if second == 2:
            self.fte += fte
        for k in (first, second):
            self.whole[k] += whole
            mine = self.parts[k]
            for d, n in parts.items():
                mine[d] = mine.get(d, 0) + n

    def _value(self, k: int) -> Exact:
        return settle(self.whole[k], self.parts[k])

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
    sums: Sums = field(default_factory=Sums, repr=False)

    def add(self, row: LineYear) -> None:
        self.sums.add(row)

    @property
    def planned(self) -> Decimal:
        return round_euros(self.sums.planned)

    @property
    def incidental(self) -> Decimal:
        return round_euros(self.sums.incidental)

    @property
    def structural(self) -> Decimal:
        return round_euros(self.sums.structural)

    @property
    def staff(self) -> Decimal:
        return round_euros(self.sums.staff)

    @property
    def means(self) -> Decimal:
        return round_euros(self.sums.means)

    @property
    def fte(self) -> Decimal:
        return self.sums.fte

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id, "name": self.name, "planned": self.planned,
            "incidental": self.incidental, "structural": self.structural,
            "staff": self.staff, "means": self.means, "fte": self.fte,
        }
        if self.children:
            out["themes"] = [c.as_dict() for c in self.children]
        return out


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


@dataclass(frozen=True)
class PlanTotals:
    """What `bdur totals` shows of a plan file: its title, horizon and indexation base year
    (for the title and the horizon check), and the totals asked for; `totals` is None when the
    year asked for is outside the horizon."""

    title: str
    first: int
    last: int
    base_year: int | None
    totals: Totals | None


#: Every type a cached result may hold (`plan.cache`): nothing else is made from a cache file.
CLASSES: tuple[type, ...] = (PlanTotals, Totals, YearTotals, GroupTotals, Sums, ReserveYear)
