"""Rules over a validated plan, as findings that carry a key path (located later).

Pure: no printing, no file access. `reference_findings` holds what every command needs (a plan
whose references do not resolve cannot be computed); `rule_findings` holds what `bdur check`
adds on top: stated totals and the file's own rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .engine import YearTotals, year_totals
from .errors import Finding
from .model import Plan
from .numbers import euro, fte


def at_precision(actual: Decimal, stated: Decimal) -> Decimal:
    """`actual` rounded half up to the places `stated` is written with (11.5 fte: one place;
    money: whole euros, which money totals already are), so a total stated the usual way,
    rounded once, agrees (docs/rounding.md)."""
    exponent = stated.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the model admits no NaN or infinity
    return actual.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


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

    goal_ids: dict[str, int] = {}
    for i, goal in enumerate(plan.goals):
        if goal.id in goal_ids:
            out.append(Finding("duplicate-id", f"goal id '{goal.id}' is used twice",
                               path=("goals", i, "id")))
        goal_ids.setdefault(goal.id, i)

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
            if line.rate is not None and line.rate not in plan.rates:
                out.append(Finding("unknown-rate", f"line '{line.id}' names rate '{line.rate}', "
                                   "which is not in 'rates'", hint=_choices(plan.rates),
                                   path=(*where, "rate")))
            if not first <= line.year <= last:
                out.append(Finding("year-outside-horizon", f"line '{line.id}' starts in "
                                   f"{line.year}, outside the horizon {horizon}",
                                   path=(*where, "year")))
            if line.until is not None and line.until > last:
                out.append(Finding("until-past-horizon", f"line '{line.id}' runs until "
                                   f"{line.until}, past the horizon {horizon}", level="warning",
                                   path=(*where, "until")))
    return out


def _choices(names: Iterable[str]) -> str:
    return "known: " + ", ".join(sorted(names)) if names else "none are declared"


def rule_findings(plan: Plan, totals: list[YearTotals] | None = None) -> list[Finding]:
    """Stated totals reconciled, and the rules the file declares."""
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
                    f"{year} {key}: the file states {shown(value)} but the lines add up to "
                    f"{shown(actual)} (difference {shown(actual - value, signed=True)})",
                    hint="correct the lines, or the stated total if the source changed",
                    path=("stated_totals", year, key)))
    rules = plan.rules
    if rules.structural_within_funding:
        for t in totals:
            if t.structural > t.funding:
                out.append(Finding(
                    "structural-not-covered",
                    f"{t.year}: structural costs {euro(t.structural)} exceed funding "
                    f"{euro(t.funding)} by {euro(t.structural - t.funding)}",
                    hint="a structural cost needs structural money: reduce it or move it later",
                    path=("funding", t.year, "amount")))
    pwf = rules.planned_within_funding
    if pwf is not None:
        for t in totals:
            if t.year >= pwf.from_year and t.gap < 0:
                out.append(Finding(
                    "over-funding",
                    f"{t.year}: planned {euro(t.planned)} exceeds funding {euro(t.funding)}; "
                    f"shortfall {euro(-t.gap)}",
                    hint="lower the plan, or raise funding if it is granted",
                    path=("funding", t.year, "amount")))
    return out
