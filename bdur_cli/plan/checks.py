"""Rules over a validated plan, as findings that carry a key path (located later).

Pure: no printing, no file access. `reference_findings` holds what every command needs (a plan
whose references do not resolve cannot be computed); `rule_findings` holds what `bdur check`
adds on top: stated totals and the file's own rules.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..errors import Finding
from ..numbers import euro, fte, plain_number
from .engine import line_years, year_totals
from .flows import BDUR, adjustment_changes, booked, index_factors
from .model import (
    Line,
    MeansLine,
    PhasedLine,
    Plan,
    Reserve,
    StaffLine,
    month_index,
    plain_share,
)
from .results import ZERO, YearTotals

KeyPath = tuple[str | int, ...]


def at_precision(actual: Decimal, stated: Decimal) -> Decimal:
    """`actual` rounded half up to the places `stated` is written with (11.5 fte: one place;
    money: whole euros, which money totals already are), so a total stated the usual way,
    rounded once, agrees (docs/rounding.md)."""
    return actual.quantize(stated, rounding=ROUND_HALF_UP)  # to `stated`'s exponent


def reference_findings(plan: Plan) -> list[Finding]:
    """Unique ids, goals and rates that exist, years inside the horizon, funding per year."""
    out: list[Finding] = []
    first, last = plan.plan.horizon.first, plan.plan.horizon.last
    horizon = f"{first}-{last}"

    for year in plan.funding:
        if not first <= year <= last:
            out.append(Finding("year-outside-horizon", f"funding for {year} lies outside the "
                               f"horizon {horizon}", path=("funding", year)))
    for year in plan.years:
        if year not in plan.funding:
            out.append(Finding("funding-missing", f"no funding declared for {year}",
                               hint=f"add 'funding: {{{year}: {{amount: ..., status: forecast}}}}'",
                               path=("funding",)))
    for year in plan.stated_totals:
        if not first <= year <= last:
            out.append(Finding("year-outside-horizon", f"stated totals for {year} lie outside "
                               f"the horizon {horizon}", path=("stated_totals", year)))
    for name, rate in plan.rates.items():
        if rate.by_year and min(rate.by_year) > first:
            out.append(Finding("rate-missing", f"rate '{name}' has no amount for {first}",
                               hint=f"start by_year at {first}", path=("rates", name, "by_year")))

    out += _money_in_findings(plan)

    goal_ids: set[str] = set()
    for i, goal in enumerate(plan.goals):
        if goal.id in goal_ids:
            out.append(Finding("duplicate-id", f"goal id '{goal.id}' is used twice",
                               path=("goals", i, "id")))
        goal_ids.add(goal.id)

    reserve_ids = {r.id for r in plan.reserves}
    theme_ids: set[str] = set()
    line_ids: set[str] = set()
    for t, theme in enumerate(plan.themes):
        if theme.id in theme_ids:
            out.append(Finding("duplicate-id", f"theme id '{theme.id}' is used twice",
                               hint="every theme needs its own id", path=("themes", t, "id")))
        theme_ids.add(theme.id)
        if theme.goal not in goal_ids:
            out.append(Finding("unknown-goal", f"theme '{theme.id}' names goal '{theme.goal}', "
                               "which is not in 'goals'", hint=_choices(goal_ids),
                               path=("themes", t, "goal")))
        for n, line in enumerate(theme.lines):
            where = ("themes", t, "lines", n)
            if line.id in line_ids:
                out.append(Finding("duplicate-id", f"line id '{line.id}' is used twice",
                                   hint="line ids are unique in the file",
                                   path=(*where, "id")))
            line_ids.add(line.id)
            if isinstance(line, StaffLine) and line.rate not in plan.rates:
                out.append(Finding("unknown-rate", f"line '{line.id}' names rate '{line.rate}', "
                                   "which is not in 'rates'", hint=_choices(plan.rates),
                                   path=(*where, "rate")))
            if not first <= line.first_year <= last:
                start_key = "phasing" if isinstance(line, PhasedLine) else "year" \
                    if line.year is not None else "start" if line.start is not None else \
                    "periods"
                out.append(Finding("year-outside-horizon", f"line '{line.id}' starts in "
                                   f"{line.first_year}, outside the horizon {horizon}",
                                   path=(*where, start_key)))
            if not isinstance(line, PhasedLine) and line.until is not None and line.until > last:
                out.append(Finding("until-past-horizon", f"line '{line.id}' runs until "
                                   f"{line.until}, past the horizon {horizon}", level="warning",
                                   path=(*where, "until")))
            # Each helper only for a line that has what it checks (most have none of it).
            if isinstance(line, PhasedLine):
                out += _phasing_findings(line, where, first, last)
            elif line.periods is not None or line.start is not None:
                out += _period_findings(line, where, last)
            # isinstance, not getattr with a default: a key a kind of line lacks costs
            # pydantic's __getattr__ and an exception.
            if (isinstance(line, StaffLine) and isinstance(line.fte, dict)) or \
                    (isinstance(line, MeansLine) and isinstance(line.amount, dict)):
                out += _by_year_findings(line, where)
            if line.reserve is not None and line.reserve not in reserve_ids:
                out.append(Finding("unknown-reserve", f"line '{line.id}' is covered from "
                                   f"reserve '{line.reserve}', which is not in 'reserves'",
                                   hint=_choices(reserve_ids), path=(*where, "reserve")))
            elif line.reserve is not None and line.type == "structural":
                out.append(Finding(
                    "structural-on-reserve", f"line '{line.id}' is structural but covered from "
                    f"reserve '{line.reserve}': a reserve withdrawal is incidental income, so "
                    "this cost is not structurally covered", level="warning",
                    hint="cover a structural cost from structural funding, or make the line "
                    "incidental (BBV: structureel evenwicht)", path=(*where, "reserve")))
    return out


def _money_in_findings(plan: Plan) -> list[Finding]:
    """Sources, adjustments, reserves and indexation: ids that resolve, years in the horizon."""
    out: list[Finding] = []
    first, last = plan.plan.horizon.first, plan.plan.horizon.last
    horizon = f"{first}-{last}"

    def outside(years: Iterable[int], what: str, at: KeyPath) -> None:
        for year in years:
            if not first <= year <= last:
                out.append(Finding("year-outside-horizon", f"{what} for {year} lies outside "
                                   f"the horizon {horizon}", path=(*at, year)))

    source_ids: set[str] = set()
    for k, source in enumerate(plan.sources):
        if source.id == "bdur" or source.id in source_ids:
            out.append(Finding("duplicate-id", f"source id '{source.id}' is used twice" if
                               source.id != "bdur" else "source id 'bdur' is the 'funding' key",
                               hint="give every source its own id", path=("sources", k, "id")))
        source_ids.add(source.id)
        outside(source.amounts, f"source '{source.id}'", ("sources", k, "amounts"))
    for k, adj in enumerate(plan.adjustments):
        if adj.source != "bdur" and adj.source not in source_ids:
            out.append(Finding("unknown-source", f"an adjustment names source '{adj.source}', "
                               "which is not 'bdur' or in 'sources'",
                               hint=_choices({"bdur", *source_ids}),
                               path=("adjustments", k, "source")))
        if adj.until is not None and adj.until < adj.from_year:
            out.append(Finding("period-order", f"an adjustment ends ({adj.until}) before it "
                               f"starts ({adj.from_year})", path=("adjustments", k, "until")))
        outside([adj.from_year], "an adjustment", ("adjustments", k))
    reserve_ids: set[str] = set()
    for k, reserve in enumerate(plan.reserves):
        if reserve.id in reserve_ids:
            out.append(Finding("duplicate-id", f"reserve id '{reserve.id}' is used twice",
                               path=("reserves", k, "id")))
        reserve_ids.add(reserve.id)
        outside(reserve.additions, f"an addition to reserve '{reserve.id}'",
                ("reserves", k, "additions"))
        outside(reserve.withdrawals, f"a withdrawal from reserve '{reserve.id}'",
                ("reserves", k, "withdrawals"))
    ix = plan.indexation
    if ix is not None:
        if not first <= ix.base_year <= last:
            out.append(Finding("year-outside-horizon", f"the indexation's base year "
                               f"{ix.base_year} lies outside the horizon {horizon}",
                               path=("indexation", "base_year")))
        for which in ("wages", "prices"):
            for year, pct in getattr(ix, which).items():
                if year <= first or year > last:
                    out.append(Finding(
                        "index-year", f"{which} indexation for {year} is never applied: a "
                        f"percentage is the step from the year before, so only "
                        f"{_span(first + 1, last)}", level="warning",
                        path=("indexation", which, year)))
                if pct <= -1:
                    out.append(Finding("out-of-range", f"{which} indexation of "
                                       f"{plain_share(pct)}% for {year} is not a price change",
                                       path=("indexation", which, year)))
    return out


def _span(first: int, last: int) -> str:
    """'2026 counts', '2024-2026 count': the years an indexation percentage may be given for."""
    return f"{first} counts" if first == last else f"{first}-{last} count"


def _phasing_findings(line: Line, where: KeyPath, first: int, last: int) -> list[Finding]:
    """A phasing adds up to its total (or to 100%) and stays inside the horizon."""
    if not isinstance(line, PhasedLine):
        return []
    out: list[Finding] = []
    at = (*where, "phasing")
    for year in line.phasing.years:
        if year != line.first_year and not first <= year <= last:
            out.append(Finding("year-outside-horizon", f"line '{line.id}' is phased into "
                               f"{year}, outside the horizon {first}-{last}", path=(*at, year)))
    added = sum(line.phasing.years.values(), Decimal(0))
    if line.phasing.shares and added != 1:
        out.append(Finding(
            "phasing-share", f"line '{line.id}': the shares add up to {plain_share(added)}%, "
            "not 100%", hint="make the years' shares add up to 100%", path=at))
    elif not line.phasing.shares and line.total is not None and added != line.total:
        out.append(Finding(
            "phasing-total", f"line '{line.id}': the phasing adds up to {euro(added)}, not the "
            f"total {euro(line.total)} (difference {euro(added - line.total)})",
            hint="correct a year's amount, or the total", path=at))
    return out


def _period_findings(line: Line, where: KeyPath, last: int) -> list[Finding]:
    """An end before its start, periods that overlap, an end past the horizon."""
    out: list[Finding] = []
    if isinstance(line, PhasedLine):
        return out
    if line.periods is not None:
        pairs = [(p.start, p.end, (*where, "periods", k)) for k, p in enumerate(line.periods)]
    elif line.start is not None:
        pairs = [(line.start, line.end, where)]
    else:
        return out
    for start, end, at in pairs:
        if end is not None and month_index(end) < month_index(start):
            out.append(Finding("period-order", f"line '{line.id}' ends ({end}) before it "
                               f"starts ({start})", hint="'end' is the last month in force; "
                               "it comes on or after 'start'", path=(*at, "end")))
        elif end is not None and int(end[:4]) > last:
            out.append(Finding("until-past-horizon", f"line '{line.id}' runs until {end}, "
                               f"past the horizon's last year {last}", level="warning",
                               path=(*at, "end")))
    if line.periods is not None:
        far = (last + 1) * 12
        spans = sorted((month_index(s), month_index(e) if e is not None else far, k)
                       for k, (s, e, _) in enumerate(pairs))
        reach, holder = -1, -1  # the latest end so far, and the period that has it
        for begin, finish, k in spans:
            if begin <= reach:
                later = max(k, holder)
                out.append(Finding(
                    "period-overlap", f"line '{line.id}': periods {min(k, holder) + 1} and "
                    f"{later + 1} overlap (both include {_month(begin)})",
                    hint="a month can be in force only once; end the earlier period before "
                    "the later one starts", path=(*where, "periods", later)))
            if finish > reach:
                reach, holder = finish, k
    return out


def _month(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def _by_year_findings(line: Line, where: KeyPath) -> list[Finding]:
    """A by-year map must say what the line costs in its first year."""
    out: list[Finding] = []
    for key in ("fte", "amount"):
        value = line.fte if key == "fte" and isinstance(line, StaffLine) else \
            line.amount if key == "amount" and isinstance(line, MeansLine) else None
        if isinstance(value, dict) and min(value) > line.first_year:
            out.append(Finding(
                "by-year-missing", f"line '{line.id}' starts in {line.first_year} but its "
                f"{key} is given from {min(value)} on", hint=f"add {line.first_year}: ... to "
                f"the map (its first year)", path=(*where, key)))
    return out


def _choices(names: Iterable[str]) -> str:
    return "known: " + ", ".join(sorted(names)) if names else "none are declared"


_LINE_SUMS = {"planned", "incidental", "structural", "staff", "means", "fte"}


def rule_findings(plan: Plan, totals: list[YearTotals] | None = None, *,
                  scenario: bool = False, scenario_funding: Collection[str] | None = None
                  ) -> list[Finding]:
    """Stated totals reconciled, and the rules the file declares. `scenario`: `plan` is a
    scenario's, so a hint says what to type in the scenario (`funding: {set: ...}`), inside
    the `funding` it has when it has one (`scenario_funding`: its keys, `scale` and `set`;
    None: no `funding`)."""
    totals = totals if totals is not None else year_totals(plan)
    by_year = {t.year: t for t in totals}
    out: list[Finding] = []
    for year, stated in plan.stated_totals.items():
        computed = by_year.get(year)
        if computed is None:
            continue
        for key, value in stated.model_dump(exclude_none=True).items():
            actual = getattr(computed, key)
            if at_precision(actual, value) != value:
                shown = fte if key == "fte" else euro
                out.append(Finding(
                    "stated-total-mismatch",
                    f"{year} {key}: the file states {shown(value)} but the "
                    f"{'lines add up to' if key in _LINE_SUMS else 'plan gives'} "
                    f"{shown(actual)} (difference {shown(actual - value, signed=True)})",
                    hint=_cumulative_hint(totals, year, actual - value)
                    if key == "cumulative_gap" else _stated_hint(key, actual),
                    path=("stated_totals", year, key)))
    out += _reserve_findings(plan, totals)
    out += _income_findings(plan)
    rules = plan.rules
    if rules.structural_within_funding:
        for t in totals:
            # Income towards structural lines lowers what they need; a reserve never counts.
            if t.structural_net > t.funding:
                what = "structural costs" if t.structural_net == t.structural else \
                    "structural costs less income"
                out.append(Finding(
                    "structural-not-covered",
                    f"{t.year}: {what} {euro(t.structural_net)} exceed funding "
                    f"{_funding(plan, t)} by {euro(t.structural_net - t.funding)}",
                    hint="a structural cost needs structural money: " + _raise_hint(
                        plan, t, t.structural_net - t.funding, "structural cost",
                        scenario=scenario, scenario_funding=scenario_funding),
                    path=("funding", t.year, "amount")))
    pwf = rules.planned_within_funding
    if pwf is not None:
        for t in totals:
            if t.year >= pwf.from_year and t.gap < 0:
                plain = t.net == t.planned and not t.reserve_additions and \
                    not t.reserve_withdrawals
                what = f"planned {euro(t.planned)}" if plain else (
                    f"net cost {euro(t.net)}" + (
                        f" with {euro(t.reserve_withdrawals - t.reserve_additions)} from the "
                        "reserves" if t.reserve_additions or t.reserve_withdrawals else ""))
                out.append(Finding(
                    "over-funding",
                    f"{t.year}: {what} exceeds funding {_funding(plan, t)}; "
                    f"shortfall {euro(-t.gap)}",
                    hint=_raise_hint(plan, t, -t.gap, "planned cost",
                                     ", when more is granted,", scenario=scenario,
                                     scenario_funding=scenario_funding),
                    path=("funding", t.year, "amount")))
    return out


def _stated_value(key: str, actual: Decimal) -> str | None:
    """What to type for a stated total so that it agrees with `actual`: whole euros, fte as
    exact as it is up to the four places a file may write; None when the figure cannot be
    typed there (a negative amount where only a gap may be negative, no fte at all)."""
    if key == "fte":
        if actual <= 0:
            return None
        exponent = actual.normalize().as_tuple().exponent
        places = min(-exponent, 4) if isinstance(exponent, int) and exponent < 0 else 0
        return plain_number(actual.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if actual < 0 and key not in _SIGNED:
        return None
    return str(int(actual))


def _stated_hint(key: str, actual: Decimal) -> str:
    """'write planned: 583467 if the lines are right, else correct them': the figure to type,
    under the key as `stated_totals` writes it."""
    typed = _stated_value(key, actual)
    if typed is None:
        return "correct the lines, or the stated total if the source changed"
    if key in _LINE_SUMS:
        return f"write {key}: {typed} if the lines are right, else correct them"
    return f"write {key}: {typed} if the plan is right, else correct it"


#: Stated totals that may be negative (a shortfall); the others are amounts of zero or more.
_SIGNED = {"gap", "cumulative_gap"}


def _cumulative_hint(totals: list[YearTotals], year: int, off: Decimal) -> str:
    """A cumulative gap a few euros off is most often rounding: bdur adds the years' gaps as
    shown, in whole euros; a figure worked out from unrounded amounts differs by up to a euro
    a year. Say so, with the sum that bdur makes."""
    years = [t for t in totals if t.year <= year]
    total = sum((t.gap for t in years), Decimal(0))
    if abs(off) > len(years):
        return _stated_hint("cumulative_gap", total)
    terms = " ".join(f"{'+' if t.gap >= 0 else '-'} {euro(abs(t.gap))}" for t in years)
    return (f"the cumulative gap is the sum of the years' gaps as shown, each in whole euros: "
            f"{terms.removeprefix('+ ')} = {euro(total)}; "
            "a sum of unrounded years can differ by a euro a year (docs/rounding.md): state "
            f"the sum of the rounded years (cumulative_gap: {int(total)})")


def _raise_hint(plan: Plan, t: YearTotals, over: Decimal, what: str, when: str = "", *,
                scenario: bool = False, scenario_funding: Collection[str] | None = None) -> str:
    """What to type to mend a year over its funding: the amount it is over, the funding that
    would cover it, and the BDuR amount to write for that funding (`_typed`)."""
    needed = t.funding + over
    return (f"lower {t.year}'s {what} by {euro(over)}, or{when} raise funding for {t.year} "
            f"to at least {euro(needed)}{_typed(plan, t, over, scenario, scenario_funding)}")


def _typed(plan: Plan, t: YearTotals, over: Decimal, scenario: bool,
           scenario_funding: Collection[str] | None = None) -> str:
    """' (funding: 2026: {amount: N, status: forecast})': the BDuR amount to write so that
    funding rises by `over`, as the engine computes funding from it: indexed, then its
    adjustments' rounded change (a cut of the written amount, docs/rounding.md), beside the
    other sources as they are. The entry keeps the year's status (`forecast` for a year
    without one), which a funding entry must have: typed as shown, it is a whole entry. Where
    the written amount is not what funding counts, it says what it becomes. In a scenario the
    amount goes in the scenario's `funding.set`, which wins over its `scale` and the base;
    `scenario_funding` holds the keys the scenario's `funding` already has (None: it has no
    `funding`), so that the snippet goes inside it rather than beside it (a second `funding`
    is a duplicate key).
    '' when no amount of the BDuR can do it (its cuts leave nothing)."""
    scale = index_factors(plan, BDUR)
    factor = scale[t.year] if scale else Fraction(1)
    change = adjustment_changes(plan).get((BDUR, t.year))
    amount = _written_for(factor, change, t.funding_sources.get(BDUR, ZERO) + over)
    if amount is None:
        return ""
    entry = plan.funding.get(t.year)
    status = entry.status if entry is not None else "forecast"
    value = f"{{amount: {amount}, status: {status}}}"
    if not scenario:
        typed = f"funding: {t.year}: {value}"
    elif scenario_funding is None:
        typed = f"in the scenario: funding: {{set: {{{t.year}: {value}}}}}"
    elif "set" in scenario_funding:
        typed = f"in the scenario's funding.set: {t.year}: {value}"
    else:
        typed = f"in the scenario's funding: set: {{{t.year}: {value}}}"
    others = {sid: money for sid, money in t.funding_sources.items() if sid != BDUR and money}
    steps = ([f"indexed x {_exact(factor)}"] if factor != 1 else []) + \
        ([f"adjusted by {plain_share(_exact(change))}%"] if change is not None else [])
    if not steps and not others:  # the BDuR alone, as written: the amount says it all
        return f" ({typed})"
    gives = booked(Fraction(amount) * factor, change)[0]
    said = [f"the BDuR {' and '.join(steps)} gives {euro(gives)}"] if steps else []
    if others:
        total = gives + sum(others.values(), Decimal(0))
        said.append("with " + ", ".join(f"{sid} {euro(money)}" for sid, money in
                                        others.items()) + f" funding is {euro(total)}")
    return f" ({typed}: {'; '.join(said)})"


def _written_for(factor: Fraction, change: Fraction | None, target: Decimal) -> int | None:
    """The smallest whole amount to write for a source that gives at least `target` euros of
    funding (`booked`: the indexed amount and its adjustments' change, each rounded), so
    that one euro less gives less; None when its adjustments leave nothing of it."""
    rate = factor * (1 + (change or 0))
    if rate <= 0:
        return None

    def gives(amount: int) -> Decimal:
        return booked(Fraction(amount) * factor, change)[0]

    # Each rounding moves the result by at most half a euro, so the estimate is a few euros
    # off at most (a euro's worth of steps at a small rate); walk to the boundary.
    amount = max(math.ceil(Fraction(target) / rate), 0)
    while gives(amount) < target:
        amount += 1
    while amount > 0 and gives(amount - 1) >= target:
        amount -= 1
    return amount


def _exact(value: Fraction) -> Decimal:
    """A factor or a change as the decimal it is (percentages make finite decimals; a factor
    before the base year that is not one is shown to 6 places)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if exact * value.denominator != value.numerator:
        exact = exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return exact.normalize()


def _funding(plan: Plan, t: YearTotals) -> str:
    """A year's funding, and, when it is not one amount written in the file, how it is made
    up: a figure that appears in no file must say where it comes from. A source without an
    entry that year is no part of it (not 'provincie €0')."""
    entered = {BDUR} | {s.id for s in plan.sources if t.year in s.amounts}
    shown = {sid: amount for sid, amount in t.funding_sources.items() if sid in entered}
    parts = [] if set(shown) <= {BDUR} else \
        [f"{sid} {euro(amount)}" for sid, amount in shown.items()]
    if t.funding_adjustment:
        parts.append(f"after adjustments of {euro(t.funding_adjustment, signed=True)}")
    return euro(t.funding) + (f" ({', '.join(parts)})" if parts else "")


def _income_findings(plan: Plan) -> list[Finding]:
    """A partner that pays more than a line costs in a year: the line's net cost goes below
    zero, which is a slip (a yearly amount that outgrew a line that steps down or is not
    indexed), so it is a warning at the line's `income`, once per line, naming every year."""
    at: dict[str, KeyPath] = {}
    partners: dict[str, str] = {}
    for t, theme in enumerate(plan.themes):
        for n, line in enumerate(theme.lines):
            if line.income is not None and line.income.amount is not None:
                at.setdefault(line.id, ("themes", t, "lines", n, "income"))
                partners.setdefault(line.id, line.income.partner)
    if not at:  # a share of the cost never exceeds it (shares are at most 100%)
        return []
    over: dict[str, list[tuple[int, Decimal, Decimal]]] = {}
    for row in line_years(plan, select=lambda line: line.id in at):
        if row.income_exact > row.exact:
            over.setdefault(row.line_id, []).append((row.year, row.income, row.amount))
    out: list[Finding] = []
    for line_id, years in over.items():
        year, income, cost = years[0]
        also = f"; also in {', '.join(str(y) for y, _, _ in years[1:])}" if years[1:] else ""
        out.append(Finding(
            "income-exceeds-cost",
            f"line '{line_id}': {partners[line_id]} pays {euro(income)} in {year}, more than "
            f"the line costs ({euro(cost)}){also}", level="warning",
            hint="income is at most the line's cost: lower the amount, or give a share "
            "(e.g. share: 50%)", path=at[line_id]))
    return out


def _reserve_findings(plan: Plan, totals: list[YearTotals]) -> list[Finding]:
    """A reserve's balance never goes below zero: the first year it would, per reserve."""
    out: list[Finding] = []
    index = {r.id: k for k, r in enumerate(plan.reserves)}
    flagged: set[str] = set()
    for t in totals:
        for r in t.reserves:
            if r.closing < 0 and r.id not in flagged:
                flagged.add(r.id)
                k = index[r.id]
                at: KeyPath = ("reserves", k, "withdrawals", t.year) \
                    if t.year in plan.reserves[k].withdrawals else ("reserves", k, "opening")
                covered = f", of which {euro(r.covered)} for the lines it covers" \
                    if r.covered else ""
                out.append(Finding(
                    "reserve-negative",
                    f"{t.year}: reserve '{r.id}' would go below zero: {euro(r.opening)} + "
                    f"{euro(r.additions)} - {euro(r.withdrawals)} withdrawn{covered} = "
                    f"{euro(r.closing)}",
                    hint=_reserve_hint(plan.reserves[k], t.year, -r.closing, bool(r.covered)),
                    path=at))
    return out


def _reserve_hint(reserve: Reserve, year: int, short: Decimal, covers: bool) -> str:
    """What to type so that the balance is zero, not below, at the end of `year` (the first
    year it goes below): the year's planned withdrawal less the shortfall, when it is that
    large, or the shortfall added in that year (an addition counts in its own year, and in
    every year after it). Each snippet is the whole map as it would then read."""
    ways = []
    planned = reserve.withdrawals.get(year, ZERO)
    if planned >= short:
        most = planned - short
        ways.append(f"withdraw {f'at most {euro(most)}' if most else 'nothing'} in {year} "
                    f"(withdrawals: "
                    f"{_year_map(reserve.withdrawals, year, most)})")
    added = reserve.additions.get(year, ZERO) + short
    ways.append(f"add {euro(short)} more in {year} or before (additions: "
                f"{_year_map(reserve.additions, year, added)})")
    if covers:
        ways.append("cover the lines from funding")
    return ", or ".join(ways) if len(ways) < 3 else f"{ways[0]}, {ways[1]}, or {ways[2]}"


def _year_map(amounts: dict[int, Decimal], year: int, amount: Decimal) -> str:
    """A reserve's map of years to amounts with `year` set to `amount` ({2025: 50000, 2027:
    30000}), a year of nothing left out."""
    merged = {**amounts, year: amount}
    return "{" + ", ".join(f"{y}: {int(v)}" for y, v in sorted(merged.items()) if v) + "}"
