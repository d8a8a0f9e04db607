"""Money in: funding per source, its adjustments, and the reserves, per year.

Pure: no printing, no file access. The engine hands over what the lines cost; this module says
what is available against it. Every figure is whole euros, by the engine's one rounding rule:
an indexed or adjusted amount is rounded once (half up) per source and year, and a reserve's
withdrawal for the lines it covers is the exact sum of their net cost, rounded once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..rounding import round_euros
from .indexation import factors
from .model import Funding, Plan
from .results import ReserveYear

ZERO = Decimal(0)
BDUR = "bdur"


@dataclass(frozen=True, slots=True)
class YearFlow:
    """What is available in a year: funding per source (after adjustments), the amount the
    adjustments produce, and the reserves' movements."""

    year: int
    sources: dict[str, Decimal]  # 'bdur' first, then the plan's sources in file order
    adjustment: Decimal  # what the adjustments add (negative: a cut), included in `sources`
    reserves: tuple[ReserveYear, ...]
    #: Per source the plan adjusts (in any year): what its adjustments add this year, 0 where
    #: none is in force; they add up to `adjustment`.
    source_adjustment: dict[str, Decimal] = field(default_factory=dict)

    @property
    def funding(self) -> Decimal:
        return sum(self.sources.values(), ZERO)

    @property
    def additions(self) -> Decimal:
        return sum((r.additions for r in self.reserves), ZERO)

    @property
    def withdrawals(self) -> Decimal:
        return sum((r.withdrawals for r in self.reserves), ZERO)

    @property
    def balance(self) -> Decimal:
        return sum((r.closing for r in self.reserves), ZERO)


def flows(plan: Plan, covered: dict[tuple[str, int], Fraction] | None,
          indexed: bool) -> list[YearFlow]:
    """Per year of the horizon. `covered` maps (reserve id, year) to the exact net cost of the
    lines that reserve covers; `indexed=False` leaves indexed sources at base-year euros."""
    years = plan.years
    covered = covered or {}
    raw: dict[str, dict[int, Fraction]] = {BDUR: {}}
    scale = index_factors(plan, BDUR, indexed)
    for year in years:
        entry = plan.funding.get(year)
        if entry is not None:
            raw[BDUR][year] = Fraction(entry.amount) * (scale[year] if scale else 1)
    for source in plan.sources:
        scale = index_factors(plan, source.id, indexed)
        raw[source.id] = {year: Fraction(e.amount) * (scale[year] if scale else 1)
                          for year, e in source.amounts.items() if year in years}
    changes = adjustment_changes(plan)
    adjusted = {adj.source for adj in plan.adjustments}
    balances = {r.id: r.opening for r in plan.reserves}
    out: list[YearFlow] = []
    for year in years:
        sources: dict[str, Decimal] = {}
        by_source: dict[str, Decimal] = {}
        adjustment = ZERO
        for sid, amounts in raw.items():
            change = changes.get((sid, year))
            sources[sid], delta = booked(amounts.get(year, Fraction(0)), change)
            adjustment += delta
            if sid in adjusted:
                by_source[sid] = delta
        reserves = []
        for reserve in plan.reserves:
            opening = balances[reserve.id]
            add = reserve.additions.get(year, ZERO)
            cover = round_euros(covered.get((reserve.id, year), Fraction(0)))
            take = reserve.withdrawals.get(year, ZERO) + cover
            closing = opening + add - take
            balances[reserve.id] = closing
            reserves.append(ReserveYear(reserve.id, opening, add, take, cover, closing))
        out.append(YearFlow(year, sources, adjustment, tuple(reserves), by_source))
    return out


def index_factors(plan: Plan, sid: str, indexed: bool = True) -> dict[int, Fraction] | None:
    """Per year of the horizon, the factor that turns source `sid`'s written amount (in the
    base year's euros) into that year's; None when the source is not indexed (or
    `indexed=False`, `--prices constant`)."""
    if not indexed or plan.indexation is None:
        return None
    which = plan.indexation.bdur if sid == BDUR else next(
        (s.indexed for s in plan.sources if s.id == sid), None)
    return factors(plan.indexation, plan.years, which) if which else None


def adjustment_changes(plan: Plan) -> dict[tuple[str, int], Fraction]:
    """Per (source, year) with an adjustment in force: the change as a fraction of the
    written (indexed) amount. Percentages add (-10% and -5% = -15%), unless one says
    `compound`: it takes its percentage of what the adjustments before it left (x 0.9 x
    0.95). Rounded once, at the end (`booked`)."""
    years = plan.years
    changes: dict[tuple[str, int], Fraction] = {}
    last = years.stop - 1
    for adj in plan.adjustments:
        end = adj.until if adj.until is not None else last
        for year in range(adj.from_year, end + 1):
            if year in years:
                key = (adj.source, year)
                so_far = changes.get(key, Fraction(0))
                changes[key] = (1 + so_far) * (1 + Fraction(adj.change)) - 1 \
                    if adj.compound else so_far + Fraction(adj.change)
    return changes


def booked(base: Fraction, change: Fraction | None) -> tuple[Decimal, Decimal]:
    """A source's money in a year from its exact amount (written, indexed) and the change its
    adjustments make (None: none in force): (funding, of which the adjustment). The amount
    and the adjustment are each rounded once, half up, so funding uses the rounded cut
    (docs/rounding.md: 10% of 1,234,675 books -123,468, funding 1,111,207)."""
    shown = round_euros(base)
    if change is None:
        return shown, ZERO
    delta = round_euros(base * change)
    return shown + delta, delta


def granted_only(plan: Plan) -> Plan:
    """The plan on granted money alone (`bdur totals --funding granted`): every funding entry,
    source amount and partner's income whose status is 'forecast' or 'conditional' counts as
    nothing, so the gap says what is covered if only what is granted comes in. Adjustments
    apply to what is left; reserves and costs are as written."""
    def firm(entry: Funding) -> Funding:
        return entry if entry.status == "granted" else \
            entry.model_copy(update={"amount": Decimal(0)})

    themes = [theme.model_copy(update={"lines": [
        line.model_copy(update={"income": None})
        if line.income is not None and line.income.status != "granted" else line
        for line in theme.lines]}) for theme in plan.themes]
    out = plan.model_copy(update={
        "funding": {year: firm(e) for year, e in plan.funding.items()},
        "sources": [src.model_copy(update={"amounts": {y: firm(e) for y, e in
                                                       src.amounts.items()}})
                    for src in plan.sources],
        "themes": themes,
    })
    # The engine's statuses then say a year without granted money is 'none granted',
    # not the status of the money it counted as nothing.
    out._granted_only = True
    return out
