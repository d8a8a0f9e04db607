"""The memo's tables as data: Table 2 (cost per theme and year), Table 1's capacity view (fte),
the incidental overview and the tidy line-year list. Pure: no printing, no I/O.

Everything is built on `engine.line_years`. A line's figure is its own exact amount rounded;
every cell and total here (a theme in a year, a column, a row's total) is the exact sum of its
lines rounded once (`engine.round_euros`), so a total can differ from the sum of the rounded
rows it stands under: the renderers say so where it shows.

Columns: a year is split into incidental (i) and structural (s) only when the view has
something incidental in that year; otherwise it is one column (then equal to its structural
part). For the memo's plan that gives 2023 i | 2023 s | 2024 | 2025 | 2026: the memo itself
prints 2025 and 2026 as single columns, and its 2024 i column is empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeVar

from ..rounding import Exact, round_euros
from .engine import exact_sum, line_years, year_totals
from .model import Line, Plan, StaffLine, Theme
from .results import ZERO, LineYear, YearTotals

By = Literal["goal", "theme", "department"]
KINDS = ("staff", "means")
_K = TypeVar("_K")


@dataclass(frozen=True, slots=True)
class Column:
    """One money (or fte) column: a year, or the incidental/structural part of a year."""

    year: int
    type: str | None  # "incidental" | "structural" | None: the whole year

    @property
    def key(self) -> str:
        """Stable column name: '2023 i', '2023 s' or '2024'."""
        if self.type is None:
            return str(self.year)
        return f"{self.year} {self.type[0]}"

    def holds(self, row: LineYear) -> bool:
        return row.year == self.year and (self.type is None or row.type == self.type)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a report: a theme (or department) with a figure per column."""

    id: str
    name: str
    department: str  # departments of its lines, joined with ", "; "" for an empty row
    rates: tuple[str, ...]  # fte rates used other than the plan's usual one (e.g. external)
    cells: tuple[Decimal, ...]  # aligned with the report's columns
    total: Decimal  # over all columns: the exact sum rounded once (not the sum of the cells)


@dataclass(frozen=True, slots=True)
class Section:
    """A block of rows: a main goal and a kind (Table 2), a goal (by theme), or all rows."""

    goal_id: str | None
    goal_name: str | None
    goal_short: str | None
    kind: str | None  # "staff" | "means" | None (both)
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Table2:
    """The memo's Table 2: rows per theme, columns per year (i/s), and the per-year summary.

    `summary` comes from `engine.year_totals`: its cumulative gap counts from the first year of
    the plan's horizon, also when `years` is narrower.
    """

    title: str
    by: str
    years: tuple[int, ...]
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    column_totals: tuple[Decimal, ...]
    summary: tuple[YearTotals, ...]

    @property
    def rows(self) -> list[Row]:
        return [r for s in self.sections for r in s.rows]


@dataclass(frozen=True, slots=True)
class FteTable:
    """Table 1's capacity: fte in force per theme and year (incidental and structural)."""

    title: str
    years: tuple[int, ...]
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]  # one per main goal
    column_totals: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class IncidentalItem:
    year: int
    line_id: str
    theme_id: str
    theme_name: str
    goal_id: str
    kind: str
    department: str
    amount: Decimal
    fte: Decimal
    note: str


@dataclass(frozen=True, slots=True)
class IncidentalYear:
    year: int
    items: tuple[IncidentalItem, ...]
    total: Decimal


@dataclass(frozen=True, slots=True)
class IncidentalOverview:
    """Per year every incidental (one-off) line with its amount and note."""

    title: str
    years: tuple[IncidentalYear, ...]
    total: Decimal  # the exact sum of every year's lines, rounded once


@dataclass(frozen=True, slots=True)
class TidyRow:
    """One line in one year, for spreadsheets and pandas."""

    year: int
    goal: str
    theme: str
    line_id: str
    kind: str
    type: str
    department: str
    amount: Decimal
    fte: Decimal

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "goal": self.goal, "theme": self.theme,
                "line_id": self.line_id, "kind": self.kind, "type": self.type,
                "department": self.department, "amount": self.amount, "fte": self.fte}


# --- helpers ---------------------------------------------------------------------------------

def _columns(years: Sequence[int], split: set[int]) -> tuple[Column, ...]:
    out: list[Column] = []
    for year in years:
        if year in split:
            out += [Column(year, "incidental"), Column(year, "structural")]
        else:
            out.append(Column(year, None))
    return tuple(out)


def _where(columns: Sequence[Column]) -> Callable[[LineYear], int | None]:
    """The index of the column that holds a row, by one dictionary look-up: a row lands in its
    year's column or in its year's incidental/structural column, never in both."""
    index: dict[tuple[int, str | None], int] = {(c.year, c.type): i for i, c in enumerate(columns)}

    def where(r: LineYear) -> int | None:
        i = index.get((r.year, None))
        return index.get((r.year, r.type)) if i is None else i

    return where


def _sum_cells(columns: Sequence[Column], rows: Iterable[LineYear]) -> tuple[Decimal, ...]:
    """Money per column: the exact sum of the rows it holds, rounded once."""
    where = _where(columns)
    cells: list[list[Exact]] = [[] for _ in columns]
    for r in rows:
        i = where(r)
        if i is not None:
            cells[i].append(r.exact)
    return tuple(round_euros(exact_sum(c)) for c in cells)


def _cells_and_total(columns: Sequence[Column], rows: Iterable[LineYear]
                     ) -> tuple[tuple[Decimal, ...], Decimal]:
    """Money per column, and the row's total over the columns shown, in one pass over the
    rows: each the exact sum of its rows rounded once (not the sum of the rounded cells)."""
    index: dict[tuple[int, str | None], int] = {(c.year, c.type): i for i, c in enumerate(columns)}
    cells: list[list[Exact]] = [[] for _ in columns]
    for r in rows:
        i = index.get((r.year, None))
        if i is None:
            i = index.get((r.year, r.type))
            if i is None:
                continue
        cells[i].append(r.exact)
    return (tuple(round_euros(exact_sum(c)) for c in cells),
            round_euros(exact_sum(x for c in cells for x in c)))


def _sum_fte(columns: Sequence[Column], rows: Iterable[LineYear]) -> tuple[Decimal, ...]:
    where = _where(columns)
    cells = [ZERO] * len(columns)
    for r in rows:
        i = where(r)
        if i is not None:
            cells[i] += r.fte
    return tuple(cells)


def _group(rows: Iterable[LineYear], key: Callable[[LineYear], _K]) -> dict[_K, list[LineYear]]:
    """Rows grouped by `key`, in file order, in one pass: views never scan all rows per group."""
    groups: dict[_K, list[LineYear]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    return groups


def _departments(rows: Iterable[LineYear]) -> str:
    seen: dict[str, None] = {}
    for r in rows:
        if r.department:
            seen.setdefault(r.department, None)
    return ", ".join(seen)


def _line_index(plan: Plan) -> dict[str, tuple[Line, Theme]]:
    return {line.id: (line, theme) for theme in plan.themes for line in theme.lines}


def _usual_rate(plan: Plan) -> str | None:
    used = Counter(line.rate for t in plan.themes for line in t.lines
                   if isinstance(line, StaffLine))
    return used.most_common(1)[0][0] if used else None


def _rates(rows: Iterable[LineYear], index: dict[str, tuple[Line, Theme]],
           usual: str | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for r in rows:
        line = index[r.line_id][0]
        rate = line.rate if isinstance(line, StaffLine) else None
        if rate and rate != usual:
            seen.setdefault(rate, None)
    return tuple(seen)


def _fte_totals(sections: Iterable[Section], width: int) -> tuple[Decimal, ...]:
    totals = [ZERO] * width
    for section in sections:
        for row in section.rows:
            for i, cell in enumerate(row.cells):
                totals[i] += cell
    return tuple(totals)


def _themes_of(plan: Plan) -> dict[str, list[Theme]]:
    """Each goal's themes in file order (one pass over the themes, not one per goal)."""
    out: dict[str, list[Theme]] = {g.id: [] for g in plan.goals}
    for t in plan.themes:
        out.setdefault(t.goal, []).append(t)
    return out


def _years(plan: Plan, years: range | None) -> range:
    return years if years is not None else plan.years


# --- Table 2 ---------------------------------------------------------------------------------

def table2(plan: Plan, years: range | None = None, by: By = "goal") -> Table2:
    """The memo's Table 2 for `years` (default: the horizon), grouped `by` goal, theme or
    department.

    by goal (the memo's layout): a section per kind and main goal, staff of every goal first and
    then means, as the memo prints them; a row per theme, empty rows included.
    by theme: a section per main goal, a row per theme with staff and means together.
    by department: one section, a row per department (in order of first appearance).
    """
    span = _years(plan, years)
    wanted = set(span)
    every = line_years(plan)
    lines = [r for r in every if r.year in wanted]
    split = {r.year for r in lines if r.type == "incidental"}
    columns = _columns(list(span), split)
    index = _line_index(plan)
    usual = _usual_rate(plan)
    themes_of = _themes_of(plan)
    none: list[LineYear] = []

    def row(id_: str, name: str, picked: list[LineYear]) -> Row:
        return Row(id_, name, _departments(picked), _rates(picked, index, usual),
                   *_cells_and_total(columns, picked))

    sections: list[Section] = []
    if by == "goal":
        by_theme_kind = _group(lines, lambda r: (r.theme_id, r.kind))
        for kind in KINDS:
            for goal in plan.goals:
                rows = tuple(row(t.id, t.name, by_theme_kind.get((t.id, kind), none))
                             for t in themes_of[goal.id])
                sections.append(Section(goal.id, goal.name, goal.short, kind, rows))
    elif by == "theme":
        by_theme = _group(lines, lambda r: r.theme_id)
        for goal in plan.goals:
            rows = tuple(row(t.id, t.name, by_theme.get(t.id, none))
                         for t in themes_of[goal.id])
            sections.append(Section(goal.id, goal.name, goal.short, None, rows))
    elif by == "department":
        by_department = _group(lines, lambda r: r.department or "")
        rows = tuple(row(d, d, picked) for d, picked in by_department.items())
        sections.append(Section(None, None, None, None, rows))
    else:
        raise ValueError(f"unknown grouping {by!r}")

    summary = tuple(t for t in year_totals(plan, every) if t.year in wanted)
    return Table2(plan.plan.title, by, tuple(span), columns, tuple(sections),
                  _sum_cells(columns, lines), summary)


# --- Table 1: capacity -----------------------------------------------------------------------

def fte_table(plan: Plan, years: range | None = None) -> FteTable:
    """fte in force per theme and year, split into incidental and structural where a year has
    incidental staff. Staff lines only; fte are not pro-rated (a position in force counts)."""
    span = _years(plan, years)
    staff = [r for r in line_years(plan, span) if r.kind == "staff"]
    split = {r.year for r in staff if r.type == "incidental"}
    columns = _columns(list(span), split)
    by_theme = _group(staff, lambda r: r.theme_id)
    themes_of = _themes_of(plan)
    none: list[LineYear] = []
    sections: list[Section] = []
    for goal in plan.goals:
        rows = []
        for t in themes_of[goal.id]:
            picked = by_theme.get(t.id, none)
            cells = _sum_fte(columns, picked)
            rows.append(Row(t.id, t.name, _departments(picked), (), cells, sum(cells, ZERO)))
        sections.append(Section(goal.id, goal.name, goal.short, "staff", tuple(rows)))
    return FteTable(plan.plan.title, tuple(span), columns, tuple(sections),
                    _fte_totals(sections, len(columns)))


# --- incidental overview ---------------------------------------------------------------------

def incidental_overview(plan: Plan, years: range | None = None) -> IncidentalOverview:
    """Per year of `years`, every incidental line with amount, fte and note (years without any
    incidental line are listed with a total of 0)."""
    span = _years(plan, years)
    index = _line_index(plan)
    per_year: dict[int, list[IncidentalItem]] = {y: [] for y in span}
    exact: dict[int, list[Exact]] = {y: [] for y in span}
    for r in line_years(plan, span):
        if r.type != "incidental":
            continue
        line, theme = index[r.line_id]
        per_year[r.year].append(IncidentalItem(
            r.year, r.line_id, theme.id, theme.name, r.goal_id, r.kind, r.department or "",
            r.amount, r.fte, line.note or ""))
        exact[r.year].append(r.exact)
    return IncidentalOverview(plan.plan.title, tuple(
        IncidentalYear(y, tuple(items), round_euros(exact_sum(exact[y])))
        for y, items in per_year.items()),
        round_euros(exact_sum(e for each in exact.values() for e in each)))


# --- tidy ------------------------------------------------------------------------------------

def tidy(plan: Plan, years: range | None = None) -> list[TidyRow]:
    """One row per line and year it runs: the long format for spreadsheets and pandas."""
    return [TidyRow(r.year, r.goal_id, r.theme_id, r.line_id, r.kind, r.type,
                    r.department or "", r.amount, r.fte)
            for r in line_years(plan, _years(plan, years))]



def names_of(plan: Plan) -> dict[str, str]:
    """What a board reads for an id: a theme's name, a line's `name:` (its id where it has
    none)."""
    out = {t.id: t.name for t in plan.themes}
    for t in plan.themes:
        for line in t.lines:
            out[line.id] = line.name or line.id
    return out
