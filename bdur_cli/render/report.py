"""`bdur report` in every format: Table 2, Table 1's fte view and the incidental overview as a
rich table, a Markdown pipe table, CSV (wide, or tidy), JSON and an xlsx workbook.

The figures come ready from `bdur_cli.plan.tables`; this module only lays them out. `Style` (locale,
unit) shapes what people read (table, markdown, xlsx labels and number formats); csv and json
are machine data and stay exact euros with English keys. rich and openpyxl are imported only
when used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from ..plan.results import ZERO, YearTotals
from ..plan.tables import FteTable, IncidentalOverview, Row, Section, Table2, TidyRow
from . import grid, view
from .formats import ReportFormat
from .grid import Cell, Column, Grid, GridRow
from .markdown import markdown_note, markdown_table
from .safety import neutralise_sheet
from .style import ENGLISH, Style, Sum
from .table import escape, funding_status_line, heading, new_table, note
from .xlsx import (
    FTE_FORMAT,
    cell_value,
    euro_format,
    last_row,
    new_workbook,
    sheet_title,
)

TABLE2_TITLE = "Table 2. Planned cost per year against the extra BDuR money"
FTE_TITLE = "Table 1. Capacity in fte per theme and year (incidental and structural in force)"
INCIDENTAL_TITLE = "Incidental lines per year"

TOTAL_ROWS = "Total of the rows"
TOTAL_YEAR = "Total per year (incidental and structural)"
FUNDING = "Funding from BDuR"
GAP = "Gap (funding - planned)"
CUMULATIVE = "Gap (funding - planned), cumulative"
INCOME = "Income from partners"
NET = "Net cost (planned - income)"
FUNDING_ALL = "Funding (BDuR and other sources)"
ADJUSTED = "of which adjusted"
ADDED = "Added to reserve"
DRAWN = "Drawn from reserve"
GAP_NET = "Gap (funding - net cost - added + drawn)"
CUMULATIVE_NET = "Gap, cumulative"
RESERVE = "Reserve balance"


# --- the layout shared by every format -------------------------------------------------------

def _kind_label(kind: str | None, style: Style) -> str:
    return "" if kind is None else style.label("staff (fte)" if kind == "staff" else "means")


def _goal_cells(section: Section, style: Style) -> list[str]:
    """The memo's first column for a section's rows: the goal's short name on the first row
    and the kind (fte / middelen) on the second; both on one row if the section has one."""
    goal = section.goal_short or section.goal_name or ""
    kind = _kind_label(section.kind, style)
    cells = [""] * len(section.rows)
    if not cells:
        return cells
    if len(cells) == 1 or not kind:
        cells[0] = f"{goal} {kind}".strip()
    else:
        cells[0], cells[1] = goal, kind
    return cells


def _per_year(t: Table2, field: str) -> list[Decimal | None]:
    """A per-year figure placed in the year's last column (as the memo does), None elsewhere."""
    by_year = {s.year: getattr(s, field) for s in t.summary}
    out: list[Decimal | None] = []
    for i, col in enumerate(t.columns):
        last = i + 1 == len(t.columns) or t.columns[i + 1].year != col.year
        out.append(by_year[col.year] if last else None)
    return out


def _split(t: Table2 | FteTable) -> bool:
    return any(c.type is not None for c in t.columns)


def summary_rows(t: Table2) -> list[tuple[str, list[Decimal | None], bool]]:
    """(label, cells, signed) for the rows under Table 2: totals, funding, gap, cumulative."""
    rows: list[tuple[str, list[Decimal | None], bool]] = []
    if _split(t):
        rows.append((TOTAL_ROWS, list(t.column_totals), False))
    shown = t.summary[0].shown if t.summary else frozenset()
    rows.append((TOTAL_YEAR, _per_year(t, "planned"), False))
    if "income" in shown:  # the further keys' rows only for a plan that has them
        rows += [(INCOME, _per_year(t, "income"), False), (NET, _per_year(t, "net"), False)]
    rows.append((FUNDING_ALL if "sources" in shown else FUNDING, _per_year(t, "funding"),
                 False))
    if "adjustment" in shown:
        rows.append((ADJUSTED, _per_year(t, "funding_adjustment"), True))
    if "reserves" in shown:
        rows += [(ADDED, _per_year(t, "reserve_additions"), False),
                 (DRAWN, _per_year(t, "reserve_withdrawals"), False)]
    plain = not ({"income", "reserves"} & shown)
    rows += [(GAP if plain else GAP_NET, _per_year(t, "gap"), True),
             (CUMULATIVE if plain else CUMULATIVE_NET, _per_year(t, "cumulative_gap"), True)]
    if "reserves" in shown:
        rows.append((RESERVE, _per_year(t, "reserve_balance"), False))
    return rows


def _row_note(row: Row, style: Style) -> str:
    return ", ".join(style.label(r) for r in row.rates)


def _money_cell(value: Decimal | None, style: Style, *, blank_zero: bool = False,
                signed: bool = False) -> str:
    if value is None or (blank_zero and value == ZERO):
        return ""
    return style.money(value, signed)


def _fte_cell(value: Decimal | None, style: Style, *, blank_zero: bool = True) -> str:
    if value is None or (blank_zero and value == ZERO):
        return ""
    return style.number(value)


# --- Table 2 ---------------------------------------------------------------------------------

def table2_record(t: Table2) -> dict[str, Any]:
    keys = [c.key for c in t.columns]
    return {
        "title": t.title,
        "by": t.by,
        "years": list(t.years),
        "columns": [{"key": c.key, "year": c.year, "type": c.type or "all"} for c in t.columns],
        "sections": [{
            "goal": s.goal_id, "goal_name": s.goal_name, "kind": s.kind or "all",
            "rows": [{"id": r.id, "name": r.name, "department": r.department,
                      "rates": list(r.rates), "cells": dict(zip(keys, r.cells, strict=True)),
                      "total": r.total} for r in s.rows],
        } for s in t.sections],
        "column_totals": dict(zip(keys, t.column_totals, strict=True)),
        "per_year": [_per_year_record(y) for y in t.summary],
    }


def _per_year_record(y: YearTotals) -> dict[str, Any]:
    out: dict[str, Any] = {"year": y.year, "planned": y.planned, "incidental": y.incidental,
                           "structural": y.structural, "funding": y.funding,
                           "funding_status": y.status_mix,
                           # Every plan's status per source ('bdur' first), also the BDuR's
                           # alone: a reader of the json needs no check for sources first.
                           "funding_status_by_source": dict(y.source_status), "gap": y.gap,
                           "cumulative_gap": y.cumulative_gap}
    full = y.as_dict()  # the further keys' figures, when the plan has them
    out.update({k: full[k] for k in ("funding_adjustment", "funding_sources", "income", "net",
                                     "reserve_additions", "reserve_withdrawals",
                                     "reserve_balance") if k in full})
    return out


def table2_grid(t: Table2, style: Style) -> Grid:
    """Table 2 laid out once, for every format: the label columns (a reader's goal-and-kind
    column, a machine's goal and kind apart), a money column per year (i/s), the department
    and the note; a row per theme (or department) with a rule under each goal and kind, then
    the per-year rows under them (totals, funding, gap) in bold, the gaps signed."""
    L = style.label
    by_department = t.by == "department"
    years = [Column(c.key, c.key, "money") for c in t.columns]
    if by_department:
        head = [Column(L("Department"), "department", width=22)]
        tail = [Column(L("Note"), "note")]
    else:
        # By goal, the reader's first column holds the goal and, under it, the kind.
        first = "Main goal / kind" if t.by == "goal" else "Main goal"
        head = [Column("", "goal", audience="machine"), Column("", "kind", audience="machine"),
                Column(L(first), "", width=22, audience="reader"),
                Column(L("Theme"), "theme", width=60)]
        tail = [Column(L("Department"), "department"), Column(L("Note"), "note", width=16)]
    rows: list[GridRow] = []
    for section in t.sections:
        goals = _goal_cells(section, style)
        for n, (row, goal_cell) in enumerate(zip(section.rows, goals, strict=True)):
            note_ = _row_note(row, style)
            labels: list[Cell] = [row.name] if by_department else [
                section.goal_short or section.goal_name or "", section.kind or "", goal_cell,
                row.name]
            after: list[Cell] = [note_] if by_department else [row.department, note_]
            rows.append(GridRow((*labels, *row.cells, *after), blank_zero=True,
                                end_section=n + 1 == len(section.rows)))
    for label, values, signed in summary_rows(t):
        labels = [L(label)] if by_department else ["", "", "", L(label)]
        blank: list[Cell] = [""] * len(tail)
        rows.append(GridRow((*labels, *values, *blank), bold=True, signed=signed))
    return Grid(L(TABLE2_TITLE), (*head, *years, *tail), tuple(rows), tuple(_t2_sums(t)),
                sheet=L("Table 2"), notes=_funding_status(t, style))


def _funding_status(t: Table2, style: Style) -> tuple[str, ...]:
    line = funding_status_line(t.summary, style)
    return () if line is None else (line,)


def status_records(t: Table2, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Table 2's CSV rows of the funding status, after its figures (which stay where they
    are): a row per source, 'Funding status (bdur)', with the source's status in each year's
    last column, as the funding row has its amount there; empty where the source has no
    entry that year. `keys` are the CSV's columns."""
    if not t.summary:
        return []
    last = {c.year: c.key for c in t.columns}  # a year's last column
    out = []
    for sid in t.summary[0].source_status:
        row: dict[str, Any] = dict.fromkeys(keys, "")
        # Where the figures' rows have their label: the theme's column, or by department
        # the department's.
        row["department" if t.by == "department" else "theme"] = f"Funding status ({sid})"
        for y in t.summary:
            row[last[y.year]] = y.source_status.get(sid) or ""
        out.append(row)
    return out


def _t2_sums(t: Table2) -> list[Sum]:
    """What adds up in Table 2: each column's rows to its total, a year's columns to the year's
    total, and under them gap = funding - planned and the cumulative gap."""
    rows = t.rows
    out: list[Sum] = [([r.cells[i] for r in rows], [total])
                      for i, total in enumerate(t.column_totals)]
    for y in t.summary:
        out.append(([total for c, total in zip(t.columns, t.column_totals, strict=True)
                     if c.year == y.year], [y.planned]))
    return out + _t2_gaps(t)


def _t2_gaps(t: Table2) -> list[Sum]:
    """gap = funding - planned; with the further keys' rows shown (docs/plan-format.md),
    net = planned - income and gap = funding - net - added + drawn, as the rows say."""
    out: list[Sum] = []
    for i, y in enumerate(t.summary):
        cost = [-y.planned]
        if "income" in y.shown:
            out.append(([y.planned, -y.income], [y.net]))
            cost = [-y.net]
        if "reserves" in y.shown:
            cost += [-y.reserve_additions, y.reserve_withdrawals]
        out.append(([y.funding, *cost], [y.gap]))
        if i:
            out.append(([t.summary[i - 1].cumulative_gap, y.gap], [y.cumulative_gap]))
    return out


def without_empty(t: Table2) -> Table2:
    """Table 2 as a reader wants it: without the rows of themes that have no line of that
    kind in these years (most themes have staff or means, seldom both), and without a section
    left with no row. The data (json, csv, the workbook) keeps every row; the totals are the
    same, as an empty row adds nothing."""
    sections = []
    for section in t.sections:
        rows = tuple(r for r in section.rows if not _empty(r))
        if rows:
            sections.append(replace(section, rows=rows))
    return replace(t, sections=tuple(sections)) if len(sections) != len(t.sections) or any(
        len(a.rows) != len(b.rows) for a, b in zip(sections, t.sections, strict=True)) else t


def _empty(row: Row) -> bool:
    # No line-year at all: no department either (a line of €0 still names its department).
    return not row.department and not row.total and not any(row.cells)


def table2_sheet(ws: Any, t: Table2, style: Style) -> None:
    """Fill an openpyxl worksheet with Table 2: numeric cells, a euro format, frozen header."""
    grid.sheet(ws, table2_grid(t, style), style)


# --- fte (Table 1's capacity) ----------------------------------------------------------------

def _fte_data(t: FteTable) -> dict[str, Any]:
    keys = [c.key for c in t.columns]
    return {
        "title": t.title, "years": list(t.years),
        "columns": [{"key": c.key, "year": c.year, "type": c.type or "all"}
                    for c in t.columns],
        "goals": [{"goal": s.goal_id, "goal_name": s.goal_name,
                   "themes": [{"id": r.id, "name": r.name, "department": r.department,
                               "fte": dict(zip(keys, r.cells, strict=True))}
                              for r in s.rows]} for s in t.sections],
        "total": dict(zip(keys, t.column_totals, strict=True)),
    }


def fte_grid(t: FteTable, style: Style) -> Grid:
    """Table 1's capacity laid out once: a row per theme under its main goal (a machine's
    goal on every row, a reader's on the first), an fte column per year (i/s), the total in
    bold under a rule."""
    L = style.label
    cols = (Column("", "goal", audience="machine"),
            Column(L("Main goal"), "", width=22, audience="reader"),
            Column(L("Theme"), "theme", width=60),
            *(Column(c.key, c.key, "fte") for c in t.columns),
            Column(L("Department"), "department"))
    rows: list[GridRow] = []
    for s in t.sections:
        goal = s.goal_short or s.goal_name or ""
        rows += [GridRow((goal, goal if i == 0 else "", r.name, *r.cells, r.department),
                         blank_zero=True) for i, r in enumerate(s.rows)]
    if rows:
        rows[-1] = GridRow(rows[-1].cells, blank_zero=True, end_section=True)
    rows.append(GridRow(("", "", L("Total"), *t.column_totals, ""), bold=True))
    return Grid(L(FTE_TITLE), cols, tuple(rows), sheet="fte")


# --- incidental overview ---------------------------------------------------------------------

def _incidental_records(o: IncidentalOverview) -> list[dict[str, Any]]:
    return [{"year": i.year, "goal": i.goal_id, "theme": i.theme_id, "line_id": i.line_id,
             "kind": i.kind, "department": i.department, "amount": i.amount, "fte": i.fte,
             "note": i.note} for y in o.years for i in y.items]


INCIDENTAL_CSV = ("year", "goal", "theme", "line_id", "kind", "department", "amount", "fte",
                  "note")


def _incidental_data(o: IncidentalOverview) -> dict[str, Any]:
    return {"title": o.title, "years": [
        {"year": y.year, "total": y.total,
         "lines": [{k: v for k, v in rec.items() if k != "year"}
                   for rec in _incidental_records(o) if rec["year"] == y.year]}
        for y in o.years], "total": o.total}


def _incidental_body(o: IncidentalOverview, style: Style
                     ) -> tuple[list[str], list[list[str]], set[int]]:
    """Header, rows and the rows that close a year (bold, with a rule under them)."""
    L = style.label
    header = [L("Year"), L("Theme"), L("Line"), L("Kind"), L("Department"), L("Amount"),
              "fte", L("Note")]
    body: list[list[str]] = []
    ends: set[int] = set()
    for y in o.years:
        if not y.items:
            body.append([str(y.year), L("no incidental lines"), "", "", "", style.money(ZERO),
                         "", ""])
            ends.add(len(body) - 1)
            continue
        for i in y.items:
            body.append([str(y.year), i.theme_name, i.line_id, L(i.kind), i.department,
                         style.money(i.amount), _fte_cell(i.fte, style), i.note])
        body.append([str(y.year), L("Total incidental"), "", "", "", style.money(y.total),
                     "", ""])
        ends.add(len(body) - 1)
    return header, body, ends


def _incidental_markdown(o: IncidentalOverview, style: Style) -> str:
    header, body, _ = _incidental_body(o, style)
    return markdown_table(header, body, [False] * 5 + [True, True, False]) + \
        markdown_note(style, _incidental_sums(o))


def _incidental_table(o: IncidentalOverview, style: Style) -> Any:
    from rich.console import Group

    header, body, ends = _incidental_body(o, style)
    table = new_table(None, [(h, "right" if n in (5, 6) else "left") for n, h in enumerate(header)])
    table.columns[1].no_wrap = True  # the note may wrap; the theme's name reads better whole
    for n, row in enumerate(body):
        table.add_row(*[escape(c) for c in row], style="bold" if n in ends else None,
                      end_section=n in ends)
    return Group(*heading(style.label(INCIDENTAL_TITLE)), table,
                 *note(style, _incidental_sums(o)))


def _incidental_sums(o: IncidentalOverview) -> list[Sum]:
    return [([i.amount for i in y.items], [y.total]) for y in o.years]


def incidental_sheet(ws: Any, o: IncidentalOverview, style: Style) -> None:
    L = style.label
    fmt = euro_format(style)
    bold = sheet_title(ws, L(INCIDENTAL_TITLE))
    ws.append([L("Year"), L("Theme"), L("Line"), L("Kind"), L("Department"), L("Amount"),
               "fte", L("Note")])
    for cell in ws[2]:
        cell.font = bold
    for y in o.years:
        for i in y.items:
            ws.append([y.year, i.theme_name, i.line_id, L(i.kind), i.department,
                       cell_value(i.amount), cell_value(i.fte) if i.fte else None, i.note])
            ws.cell(row=last_row(ws), column=6).number_format = fmt
            ws.cell(row=last_row(ws), column=7).number_format = FTE_FORMAT
        ws.append([y.year, L("Total incidental"), "", "", "", cell_value(y.total), None, ""])
        ws.cell(row=last_row(ws), column=6).number_format = fmt
        for cell in ws[last_row(ws)]:
            cell.font = bold
    note = style.note(_incidental_sums(o))
    if note:
        ws.append([])
        ws.append([note])
    ws.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGH", [8, 50, 30, 12, 14, 14, 8, 60], strict=True):
        ws.column_dimensions[letter].width = width


# --- the views ------------------------------------------------------------------------------

Shown = Literal["table2", "fte", "incidental"]


@dataclass(frozen=True)
class ReportView:
    """`bdur report` as a `View`: Table 2, Table 1's fte or the incidental overview (`show`).
    The workbook holds all three, `show` on top; the other formats need only the shown one."""

    table2: Table2 | None = None
    fte: FteTable | None = None
    incidental: IncidentalOverview | None = None
    show: Shown = "table2"
    #: Table 2's empty rows shown (the memo's layout); by default the table and markdown
    #: leave them out (`without_empty`).
    empty_rows: bool = False
    formats = view.offers(*ReportFormat)

    def _shown(self) -> Table2 | FteTable | IncidentalOverview:
        shown = {"table2": self.table2, "fte": self.fte, "incidental": self.incidental}
        figures = shown[self.show]
        assert figures is not None, f"the report's {self.show} was not computed"
        return figures

    def data(self) -> object:
        t = self._shown()
        if isinstance(t, Table2):
            return table2_record(t)
        return _fte_data(t) if isinstance(t, FteTable) else _incidental_data(t)

    def records(self) -> list[dict[str, Any]]:
        t = self._shown()
        if isinstance(t, Table2):
            figures = grid.records(table2_grid(t, ENGLISH))
            return figures + status_records(t, list(figures[0]) if figures else [])
        return grid.records(fte_grid(t, ENGLISH)) if isinstance(t, FteTable) else \
            _incidental_records(t)

    @property
    def csv_header(self) -> tuple[str, ...]:
        return INCIDENTAL_CSV if self.show == "incidental" else ()

    def table(self, style: Style) -> Any:
        t = self._shown()
        if isinstance(t, Table2):
            return grid.table(table2_grid(t if self.empty_rows else without_empty(t), style),
                              style)
        return grid.table(fte_grid(t, style), style) if isinstance(t, FteTable) else \
            _incidental_table(t, style)

    def markdown(self, style: Style) -> str:
        t = self._shown()
        if isinstance(t, Table2):
            return grid.markdown(table2_grid(t if self.empty_rows else without_empty(t),
                                             style), style)
        return grid.markdown(fte_grid(t, style), style) if isinstance(t, FteTable) else \
            _incidental_markdown(t, style)

    def workbook(self, style: Style) -> Any:
        """An openpyxl Workbook with a sheet per view: Table 2, fte, incidental."""
        assert self.table2 and self.fte and self.incidental, "the workbook holds all three"
        wb = new_workbook()
        ws = wb.active
        ws.title = style.label("Table 2")
        table2_sheet(ws, self.table2, style)
        grid.sheet(wb.create_sheet("fte"), fte_grid(self.fte, style), style)
        incidental_sheet(wb.create_sheet(style.label("Incidental")), self.incidental, style)
        wb.active = {"table2": 0, "fte": 1, "incidental": 2}[self.show]
        for sheet in wb.worksheets:  # a name such as =HYPERLINK(...) stays text
            neutralise_sheet(sheet)
        return wb


TIDY_CSV = ("year", "goal", "theme", "line_id", "kind", "type", "department", "amount", "fte")


@dataclass(frozen=True)
class TidyView:
    """`bdur report --tidy`: one CSV row per line and year, for spreadsheets and pandas."""

    rows: Sequence[TidyRow]
    formats = view.offers("csv")
    csv_header = TIDY_CSV

    def records(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.rows]
