"""Plans and scenarios side by side: per year funding, planned and gap (with income, net cost
and the reserves where a file has them), and the differences against a base, down to the lines
that cause them.

Pure: no printing, no file access. Everything is plain data whose `as_dict()` is the JSON of
`bdur compare --format json` (through `render.encode.to_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .checks import rule_findings
from .engine import line_years, year_totals
from .model import Plan
from .results import ZERO, YearTotals

#: The optional figures, by the group that shows them: a comparison shows a group when any of
#: its files has it (`YearTotals.shown`), so plans without income or reserves compare as before.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "income": ("income", "net"),
    "reserves": ("reserve_additions", "reserve_withdrawals", "reserve_balance"),
}


@dataclass(frozen=True, slots=True)
class LineDifference:
    """One line whose amount in a year differs between the base and the other file."""

    line: str
    theme: str
    base: Decimal  # 0 when the line is not in the base, or does not run that year
    other: Decimal
    difference: Decimal  # other - base
    status: Literal["changed", "added", "removed"]  # the line exists in both, other, base

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "theme": self.theme, "base": self.base, "other": self.other,
                "difference": self.difference, "status": self.status}


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One file's figures for a year; with `difference` (other - base) for a compared file.

    A year outside a file's horizon has None figures (and None differences).
    """

    year: int
    funding: Decimal | None
    planned: Decimal | None
    gap: Decimal | None
    #: funding, planned, fte, (optional), gap
    difference: dict[str, Decimal | None] | None = None
    lines: list[LineDifference] | None = None  # only when explained
    #: The optional figures the comparison shows (income, net, reserve_*), by name.
    optional: dict[str, Decimal | None] = field(default_factory=dict)
    #: fte in force in the year (None outside the file's horizon).
    fte: Decimal | None = None
    #: The codes of the file's rules broken in this year (`bdur check`'s errors at the
    #: year's funding: over-funding, structural-not-covered), in the order found.
    broken: tuple[str, ...] = ()
    #: The year's funding status over its sources with money, from firm to loose
    #: ('granted', 'forecast+conditional'), as `bdur totals` shows it; None outside the horizon.
    funding_status: str | None = None

    def figure(self, name: str) -> Decimal | None:
        """funding, planned, gap, fte or an optional figure, by name."""
        if name in ("funding", "planned", "gap", "fte"):
            return getattr(self, name)  # type: ignore[no-any-return]
        return self.optional.get(name)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"year": self.year, "funding": self.funding,
                                  "funding_status": self.funding_status,
                                  "planned": self.planned, "fte": self.fte}
        out.update((k, v) for k, v in self.optional.items() if k != "reserve_balance")
        out["gap"] = self.gap
        if "reserve_balance" in self.optional:  # a closing balance: after the gap, as in totals
            out["reserve_balance"] = self.optional["reserve_balance"]
        if self.broken:
            out["rules_broken"] = list(self.broken)
        if self.difference is not None:
            out["difference"] = dict(self.difference)
        if self.lines is not None:
            out["lines"] = [x.as_dict() for x in self.lines]
        return out


@dataclass(frozen=True, slots=True)
class FileFigures:
    """A plan or scenario in a comparison: its file, scenario name (None for a plan), years."""

    file: str
    name: str | None
    years: list[YearFigures]

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "name": self.name,
                "years": [y.as_dict() for y in self.years]}


@dataclass(frozen=True, slots=True)
class Comparison:
    """The base and every other file, year by year over the union of their horizons."""

    base: FileFigures
    others: list[FileFigures]
    #: The groups of `OPTIONAL` shown ("income", "reserves"), in that order.
    shown: tuple[str, ...] = ()
    #: The files compared on granted money alone (`--funding granted`): the rules they break
    #: are broken on that money, which `bdur check` (on all funding) does not judge.
    granted_only: bool = False

    @property
    def figures(self) -> tuple[str, ...]:
        """The figures per year, in the order they are shown: funding, planned, the optional
        ones, gap."""
        return _order(self.shown)

    def as_dict(self) -> dict[str, object]:
        return {"base": self.base.as_dict(), "others": [o.as_dict() for o in self.others]}


@dataclass(frozen=True, slots=True)
class Side:
    """What `compare` needs of one file: its display path, scenario name and plan."""

    file: str
    name: str | None
    plan: Plan


def _amounts(plan: Plan) -> tuple[dict[tuple[str, int], Decimal], dict[str, str]]:
    amounts: dict[tuple[str, int], Decimal] = {}
    for row in line_years(plan):
        amounts[(row.line_id, row.year)] = row.amount
    themes = {line.id: theme.id for theme in plan.themes for line in theme.lines}
    return amounts, themes


def _diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


def compare(base: Side, others: list[Side], explain: bool = False) -> Comparison:
    """Per year of any file's horizon: each file's funding, planned and gap (and income, net
    cost and reserves where any file has them); for the others their difference against the
    base, and with `explain` the lines that differ."""
    sides = [base, *others]
    years = sorted({y for s in sides for y in s.plan.years})
    totals = [{t.year: t for t in year_totals(side.plan)} for side in sides]
    present = {g for by_year in totals for t in by_year.values() for g in t.shown}
    shown = tuple(g for g in OPTIONAL if g in present)
    names = _order(shown)
    figures = [{y: _figures(by_year.get(y), names) for y in years} for by_year in totals]
    broken = [broken_rules(side.plan, list(by_year.values())) for side, by_year in
              zip(sides, totals, strict=True)]
    base_amounts, base_themes = _amounts(base.plan) if explain else ({}, {})

    def block(i: int, side: Side) -> FileFigures:
        rows = []
        amounts, themes = _amounts(side.plan) if explain and i else ({}, {})
        for y in years:
            mine = figures[i][y]
            optional = {n: mine[n] for n in names if n not in _ALWAYS}
            fte = totals[i][y].fte if y in totals[i] else None
            status = totals[i][y].status_mix if y in totals[i] else None
            if i == 0:
                rows.append(YearFigures(y, mine["funding"], mine["planned"], mine["gap"],
                                        optional=optional, fte=fte,
                                        broken=broken[i].get(y, ()), funding_status=status))
                continue
            base_fte = totals[0][y].fte if y in totals[0] else None
            difference = {n: _diff(figures[0][y][n], mine[n]) for n in names[:2]}
            change = _diff(base_fte, fte)  # after planned, as the table shows it; no 0.0
            difference["fte"] = Decimal(0) if change == 0 else change
            difference.update((n, _diff(figures[0][y][n], mine[n])) for n in names[2:])
            lines = _line_differences(y, base_amounts, base_themes, amounts, themes) \
                if explain else None
            rows.append(YearFigures(y, mine["funding"], mine["planned"], mine["gap"],
                                    difference, lines, optional, fte,
                                    broken[i].get(y, ()), status))
        return FileFigures(side.file, side.name, rows)

    return Comparison(block(0, base), [block(i, s) for i, s in enumerate(others, 1)], shown,
                      any(side.plan.granted_only for side in sides))


_ALWAYS = ("funding", "planned", "gap")


def broken_rules(plan: Plan, totals: list[YearTotals]) -> dict[int, tuple[str, ...]]:
    """Per year, the codes of the plan's rules it breaks that year (errors at the year's
    funding, as `bdur check` reports them): compare's and diff's `!`."""
    out: dict[int, tuple[str, ...]] = {}
    for f in rule_findings(plan, totals):
        year = f.path[1] if len(f.path) > 1 and f.path[0] == "funding" else None
        if f.level == "error" and isinstance(year, int) and f.code not in out.get(year, ()):
            out[year] = (*out.get(year, ()), f.code)
    return out


def _order(shown: tuple[str, ...]) -> tuple[str, ...]:
    """funding, planned, income, net, reserve movements, gap, then the reserve balance (a
    closing figure), as `bdur totals` orders them."""
    optional = [n for g in shown for n in OPTIONAL[g]]
    return ("funding", "planned", *(n for n in optional if n != "reserve_balance"), "gap",
            *(n for n in optional if n == "reserve_balance"))


def _figures(totals: YearTotals | None, names: tuple[str, ...]) -> dict[str, Decimal | None]:
    if totals is None:  # the year lies outside this file's horizon
        return dict.fromkeys(names)
    return {n: getattr(totals, n) for n in names}


def _line_differences(year: int, base: dict[tuple[str, int], Decimal], base_themes: dict[str, str],
                      other: dict[tuple[str, int], Decimal], other_themes: dict[str, str]
                      ) -> list[LineDifference]:
    # Base order first, then the lines only the other file has: the order of the files.
    ids = list(base_themes) + [i for i in other_themes if i not in base_themes]
    out = []
    for line_id in ids:
        a, b = base.get((line_id, year), ZERO), other.get((line_id, year), ZERO)
        if a == b:
            continue
        status: Literal["changed", "added", "removed"] = (
            "changed" if line_id in base_themes and line_id in other_themes
            else "added" if line_id in other_themes else "removed")
        theme = other_themes.get(line_id) or base_themes[line_id]
        out.append(LineDifference(line_id, theme, a, b, b - a, status))
    return out
