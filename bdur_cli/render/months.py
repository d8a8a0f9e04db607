"""`bdur realisation YEAR --by month`: one year month by month, for the bestuursrapportage.

Per month the budget phased by the forecast's month rule (each line's year budget spread over
the months it is in force) and what is booked in it, each also cumulative, and the cumulative
deviation. A month after the reporting month (or in a year not started) has no realisation
yet: its realised cells are empty, never 0. The workbook (xlsx) is the table finished for the
board as the other realisation workbooks are (`grid.board_sheet`), with the CSV's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ..actuals.realise import Analysis
from . import grid, view
from .formats import RealisationFormat
from .grid import Column, Grid, GridRow
from .style import ENGLISH, Locale, Style
from .xlsx import new_workbook

DUTCH: dict[str, str] = {
    "{year} by month": "{year} per maand",
    "Month": "Maand",
    "Year": "Jaar",
    "Budget": "Begroting",
    "Budget to date": "Begroting cumulatief",
    "Realised": "Realisatie",
    "Realised to date": "Realisatie cumulatief",
    "Deviation to date": "Afwijking cumulatief",
    "Through {month}: the later months have no realisation yet.":
        "Tot en met {month}: de latere maanden hebben nog geen realisatie.",
    "No realisation yet.": "Nog geen realisatie.",
}

MONTHS_CSV = ("year", "month", "budget", "cumulative_budget", "realised",
              "cumulative_realised", "deviation")


def _label(style: Style, text: str, **values: object) -> str:
    if style.locale is Locale.nl:
        text = DUTCH.get(text, text)
    return text.format(**values) if values else text


@dataclass(frozen=True)
class MonthView:
    """The detailed year of an analysis, month by month (`Analysis.months`)."""

    analysis: Analysis
    year: int
    formats = view.offers(*RealisationFormat)
    csv_header = MONTHS_CSV

    def data(self) -> object:
        r = self.analysis.realisation
        status = next(y.status for y in r.years if y.year == self.year)
        return {"year": self.year, "status": status,
                "through": str(r.through) if r.through else None,
                "months": [m.as_dict() for m in self.analysis.months or []]}

    def records(self) -> list[dict[str, Any]]:
        return grid.records(self.grid(ENGLISH))

    def table(self, style: Style) -> Any:
        return grid.table(self.grid(style), style)

    def workbook(self, style: Style) -> Any:
        """One sheet: the CSV's columns under the reader's headings (the year too, which the
        table states in its title, so that a sheet copied elsewhere still says it), money as
        exact numbers in the board's euro format, a month to come an empty cell."""
        g = self.grid(style)
        year = replace(g.columns[0], header=_label(style, "Year"), audience="all")
        g = replace(g, columns=(year, *g.columns[1:]))
        wb = new_workbook()
        ws = wb.active
        ws.title = g.sheet
        grid.board_sheet(ws, g, style, self.analysis.title)
        return wb

    def grid(self, style: Style) -> Grid:
        def L(text: str, **values: object) -> str:
            return _label(style, text, **values)

        cols = (Column(str(self.year), "year", "year", audience="machine"),
                Column(L("Month"), "month", "year", width=8),
                Column(L("Budget"), "budget", "money"),
                Column(L("Budget to date"), "cumulative_budget", "money"),
                Column(L("Realised"), "realised", "money"),
                Column(L("Realised to date"), "cumulative_realised", "money"),
                Column(L("Deviation to date"), "deviation", "money", signed=True,
                       colour="cost"))
        # The year and the month as numbers: the table and the CSV spell them as text
        # ("2026", "1"), the workbook keeps them numbers (a filter, a sort).
        rows = tuple(GridRow((Decimal(self.year), Decimal(m.month), m.budget,
                              m.cumulative_budget, m.realised, m.cumulative_realised,
                              m.deviation))
                     for m in self.analysis.months or [])
        r = self.analysis.realisation
        status = next(y.status for y in r.years if y.year == self.year)
        notes: tuple[str, ...] = ()
        if status == "future":
            notes = (L("No realisation yet."),)
        elif status == "running" and r.through is not None:
            notes = (L("Through {month}: the later months have no realisation yet.",
                       month=str(r.through)),)
        return Grid(L("{year} by month", year=self.year), cols, rows, notes=notes,
                    sheet=L("{year} by month", year=self.year))
