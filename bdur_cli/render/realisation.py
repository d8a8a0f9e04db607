"""`bdur realisation`: budget against realisation as a table, JSON or CSV.

The table rounds to whole euros (half up) and says so when a figure has cents; JSON and CSV
hold the exact amounts, to the cent. The reconciliation is always shown: in the table under
the figures, in JSON as its own object, with CSV on stderr (the CLI writes it there).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from itertools import pairwise
from typing import Any

from ..actuals.analysis import Figures, Realisation, Row, StatementYear, YearRealisation
from ..actuals.booking import Reconciliation
from ..actuals.ledger import Posting
from ..actuals.realise import Analysis, posting_record
from . import grid, view
from .formats import ReportFormat
from .grid import Cell, Column, Grid, GridRow, Styled
from .style import ENGLISH, Locale, Style, Sum
from .table import heading
from .xlsx import new_workbook

#: Dutch labels of this view (--locale nl); a label missing here is printed as is.
DUTCH: dict[str, str] = {
    "Budget against realisation": "Begroting en realisatie",
    "Budget against realisation, {year}": "Begroting en realisatie {year}",
    "Year": "Jaar",
    "Status": "Status",
    "closed": "afgesloten",
    "running": "lopend",
    "future": "toekomst",
    "not started": "nog niet begonnen",
    "no realisation yet": "nog geen realisatie",
    "Budget": "Begroting",
    "Primitive budget": "Primitieve begroting",
    "Amended budget": "Begroting na wijziging",
    "amended budget: includes amendment {number} ({name}), adopted {adopted} by {by}":
        "begroting na wijziging: inclusief wijziging {number} ({name}), vastgesteld {adopted} "
        "door {by}",
    "budget as of {date}: no amendment adopted by then":
        "begroting per {date}: nog geen wijziging vastgesteld",
    "Realised": "Realisatie",
    "Realised to date": "Realisatie tot nu",
    "Forecast": "Prognose",
    "Expected": "Verwacht",
    "Deviation": "Afwijking",
    "Note": "Toelichting",
    "Part": "Onderdeel",
    "Total": "Totaal",
    "incidental": "incidenteel",
    "structural": "structureel",
    "staff": "personeel",
    "means": "middelen",
    "staff, structural": "personeel, structureel",
    "staff, incidental": "personeel, incidenteel",
    "means, structural": "middelen, structureel",
    "means, incidental": "middelen, incidenteel",
    "By kind": "Naar soort",
    "Result (funding - realised)": "Resultaat (beschikbaar - realisatie)",
    "Funding": "Beschikbaar",
    "Result": "Resultaat",
    "Goal / theme / line": "Hoofdthema / thema / regel",
    "explanation needed": "toelichting nodig",
    "see the explanation above": "zie de toelichting hierboven",
    "see the explanations below": "zie de toelichting hieronder",
    "explained [{n}]": "toegelicht [{n}]",
    "Explanations": "Toelichtingen",
    "Reconciliation of {file}": "Aansluiting van {file}",
    "read": "gelezen",
    "mapped": "geboekt op het plan",
    "unmapped": "niet toegewezen",
    "outside the horizon": "buiten de planperiode",
    "ambiguous (two rules)": "dubbelzinnig (twee regels)",
    "postings": "boekingen",
    "nothing lost: mapped + unmapped + outside + ambiguous = read":
        "niets verloren: toegewezen + niet toegewezen + buiten + dubbelzinnig = gelezen",
    "of which after {month}, not in the figures": "waarvan na {month}, niet in de cijfers",
    "Unmapped postings": "Niet toegewezen boekingen",
    "Row": "Rij",
    "Date": "Datum",
    "Amount": "Bedrag",
    "Cost centre": "Kostenplaats",
    "Account": "Grootboek",
    "Project": "Project",
    "Description": "Omschrijving",
    "deviation = {what} - {budget}; positive is overspent":
        "afwijking = {what} - {budget}; positief is overschrijding",
    "expected": "verwacht",
    "realised": "realisatie",
    "budget": "begroting",
    "amended budget": "begroting na wijziging",
    "amounts rounded to whole euros; the exact cents are in --format json or csv":
        "bedragen afgerond op hele euro's; exacte centen in --format json of csv",
    "through {month}; the rest of {year} is forecast from the budget":
        "t/m {month}; de rest van {year} is prognose uit de begroting",
    "through {month}; {year} is closed": "t/m {month}; {year} is afgesloten",
    "Deviation €": "Afwijking €",
    "Reserve": "Reserve",
    "Deviation %": "Afwijking %",
    "Realised, expected in {year}": "Realisatie, verwacht in {year}",
    "Total {year}": "Totaal {year}",
    "Budget against realisation per year": "Begroting en realisatie per jaar",
    "To reserve": "Naar reserve",
    "Reserve (bestemmingsreserve)": "Bestemmingsreserve",
    "Reserve, {year}": "Bestemmingsreserve {year}",
    "Result, {year}": "Resultaat {year}",
    "Opening": "Begin",
    "Additions": "Toevoegingen",
    "Withdrawals": "Onttrekkingen",
    "Closing": "Eind",
    "decided {adopted} by {by}": "besloten {adopted} door {by}",
    "no decision": "geen besluit",
    "no shortfall": "geen tekort",
    "shortfall {amount}, covered": "tekort {amount}, gedekt",
    "shortfall {amount}, not covered: {short} short":
        "tekort {amount}, niet gedekt: {short} te weinig",
    "reserve: {names}": "reserve: {names}",
    "Staffing (fte)": "Formatie (fte)",
    "fte planned": "fte begroot",
    "fte in place": "fte bezet",
    "Difference": "Verschil",
    "fte: the year's average (fte x months / 12)":
        "fte: gemiddelde over het jaar (fte x maanden / 12)",
    "Income": "Baten",
    "Cost": "Lasten",
    "Net realised": "Netto realisatie",
    "Net expected": "Netto verwacht",
    "Result (funding + income - cost)": "Resultaat (beschikbaar + baten - lasten)",
    "Funding per source": "Beschikbaar per bron",
    "Source": "Bron",
    "Received": "Ontvangen",
    "Basis": "Grondslag",
    "booked": "geboekt",
    "plan": "begroting",
    "Income and net (baten en netto)": "Baten en netto",
    "Income budget": "Baten begroot",
    "Income realised": "Baten gerealiseerd",
    "Net budget": "Netto begroot",
    "Net deviation": "Netto afwijking",
    "Ambiguous postings (not booked)": "Dubbelzinnige boekingen (niet geboekt)",
    "Rules": "Regels",
}


def _label(style: Style, text: str, **values: object) -> str:
    if style.locale is Locale.nl:
        text = DUTCH.get(text, text)
    return text.format(**values) if values else text


#: A year's status as a reader reads it ("future" is a year not started).
_STATUS = {"closed": "closed", "running": "running", "future": "not started"}

UNMAPPED_CSV = ("row", "date", "amount", "cost_centre", "account", "project", "description")


@dataclass(frozen=True)
class RealisationView:
    """`bdur realisation` as a `View`: the figures per year (or one year in detail)."""

    analysis: Analysis
    title: str = ""
    formats = view.offers("table", "json", "csv")
    csv_header = ()

    def data(self) -> object:
        return self.analysis.as_dict()

    def records(self) -> list[dict[str, Any]]:
        return records(self.analysis.realisation)

    def table(self, style: Style) -> Any:
        return _tables(self.analysis, self.title, style)


@dataclass(frozen=True)
class UnmappedView:
    """`bdur realisation --unmapped`: only the postings no rule took."""

    analysis: Analysis
    formats = view.offers("table", "json", "csv")
    csv_header = UNMAPPED_CSV

    def data(self) -> object:
        return self.records()

    def records(self) -> list[dict[str, Any]]:
        return [posting_record(p) for p in self.analysis.unmapped]

    def table(self, style: Style) -> Any:
        return grid.table(unmapped_grid(self.analysis.unmapped, style), style)


def records(result: Realisation) -> list[dict[str, Any]]:
    """CSV rows: one per year (and per part), or with a year in detail, per goal, theme and
    line of that year too."""
    out: list[dict[str, Any]] = []
    running = result.running
    statement = {s.year: s for s in result.reserve.years} if result.reserve else {}

    def add(year: YearRealisation, level: str, ident: str, name: str, f: Figures,
            row: Row | None) -> None:
        rec: dict[str, Any] = {"year": year.year, "status": year.status, "level": level,
                               "id": ident, "name": name}
        rec.update(f.as_dict(running, result.amended, result.staffing, result.money_in))
        rec["needs_explanation"] = "" if row is None else ("yes" if row.needs_explanation
                                                          else "no")
        rec["explanation"] = "" if row is None else (row.explanation or "")
        total = level == "total"
        rec["funding"] = year.funding if total else None
        if year.sources is not None:
            rec["funding_budget"] = sum((x.budget for x in year.sources), Decimal(0)) \
                if total else None
        rec["result"] = year.result if total else None
        if result.reserve is not None:
            s = statement[year.year]
            for key in ("decided", "opening", "additions", "withdrawals", "closing",
                        "shortfall"):
                rec["reserve_" + key] = getattr(s, key) if total else None
        out.append(rec)

    for y in result.years:
        add(y, "total", "", "Total", y.total.figures, y.total)
        for part, f in y.parts.items():
            add(y, "part", part, part, f, None)
        for g in y.goals or []:
            add(y, "goal", g.id, g.name, g.figures, g)
            for t in g.children:
                add(y, "theme", t.id, t.name, t.figures, t)
                for line in t.children:
                    add(y, "line", line.id, line.name, line.figures, line)
    return out


# --- tables ----------------------------------------------------------------------------------

def _columns(style: Style, amended: bool, running: bool, first: str,
             once: bool = False) -> list[Column]:
    """first | budget (primitive and amended with amendments) | realised (to date, forecast,
    expected in a running year) | deviation | %."""
    L = partial(_label, style)
    cols = [Column(first, "name", once=once)]
    if amended:
        cols += [Column(L("Primitive budget"), "primitive_budget", "money"),
                 Column(L("Amended budget"), "budget", "money")]
    else:
        cols.append(Column(L("Budget"), "budget", "money"))
    if running:
        cols += [Column(L("Realised to date"), "realised", "money"),
                 Column(L("Forecast"), "forecast", "money"),
                 Column(L("Expected"), "expected", "money")]
    else:
        cols.append(Column(L("Realised"), "realised", "money"))
    return [*cols, Column(L("Deviation"), "deviation", "money", signed=True, colour="cost"),
            Column("%", "percent", "percent")]


def _cells(f: Figures, running: bool, amended: bool) -> list[Cell]:
    cells: list[Cell] = [f.primitive, f.budget] if amended else [f.budget]
    cells += [f.realised, f.forecast, f.expected] if running else [f.realised]
    # No realisation yet: no deviation; the note says "no realisation yet".
    return [*cells, f.deviation, f.percent] if f.started else [*cells, "", ""]


class _Notes:
    """Explanations numbered in the order they are shown, listed under the tables."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.texts: list[tuple[str, str]] = []

    def cell(self, row: Row, where: str) -> Cell:
        """The note column: a number pointing to the explanation listed under the tables, or
        where the explanation is (`_note_text`, the board's wording), a missing one in bold."""
        if row.explanation:
            self.texts.append((where, row.explanation))
            return _label(self.style, "explained [{n}]", n=len(self.texts))
        text = _note_text(row, self.style)
        return Styled(text) if row.needs_explanation and not row.covered else text

    def block(self) -> list[Any]:
        if not self.texts:
            return []
        from rich.text import Text

        lines = [Text(_label(self.style, "Explanations"), style="bold")]
        lines += [Text(f"[{n}] {where}: {text}") for n, (where, text) in
                  enumerate(self.texts, 1)]
        return lines


def _figures(row: Figures) -> list[Decimal]:
    return [row.budget, row.realised, row.forecast, row.primitive]


def _amounts(rows: Iterable[Figures]) -> Iterator[Decimal]:
    """The amounts of `rows` whose cents `_under` looks for."""
    for f in rows:
        yield from _figures(f)


def _grid(title: str, columns: list[Column], rows: list[GridRow], caption: bool = True,
          notes: tuple[str, ...] = (), indent: str | None = None) -> Grid:
    """One of `bdur realisation`'s tables: the view states one note under them all."""
    return Grid(title, tuple(columns), tuple(rows), notes=notes, caption=caption,
                noted=False, indent_key=indent)


def realisation_grids(analysis: Analysis, title: str, style: Style,
                      notes: _Notes) -> tuple[str, list[Grid], list[Decimal]]:
    """`bdur realisation`'s heading, its tables (per year, or one year per goal, theme and
    line) and the amounts they show (whose cents the lines under them mention)."""
    result = analysis.realisation
    running = result.running
    amended = result.amended
    L = partial(_label, style)
    detail = next((y for y in result.years if y.goals is not None), None)
    shown: list[Decimal] = []
    if detail is None:
        head = L("Budget against realisation") + (f", {title}" if title else "")
        rows: list[GridRow] = []
        for y in result.years:
            shown += _figures(y.total.figures)
            rows.append(GridRow((f"{y.year}" + (f" ({L(_STATUS[y.status])})" if running else ""),
                                 *_cells(y.total.figures, running, amended),
                                 notes.cell(y.total, str(y.year)))))
        table = _grid("", [*_columns(style, amended, running, L("Year")),
                           Column(L("Note"), "note")], rows, caption=False)
        rows = []
        for y in result.years:
            for n, (part, f) in enumerate(y.parts.items()):
                shown += _figures(f)
                rows.append(GridRow((str(y.year), *_cells(f, running, amended), L(part)),
                                    end_section=n == len(y.parts) - 1))
        kinds = _grid(L("By kind"), [*_columns(style, amended, running, L("Year"), once=True),
                                     Column(L("Part"), "part")], rows)
        statement = {s.year: s for s in result.reserve.years} if result.reserve else {}
        money_in = result.money_in
        rows = []
        for y in result.years:
            decided = statement[y.year].decided if statement else None
            shown += [y.funding, y.result]
            rows.append(GridRow((str(y.year), y.funding,
                                 *([y.total.figures.income_expected] if money_in else []),
                                 y.total.figures.expected, y.result,
                                 *([decided if decided is not None else "-"]
                                   if statement else []))))
        result_table = _grid(L("Result (funding + income - cost)" if money_in else
                               "Result (funding - realised)"), [
            Column(L("Year"), "year"), Column(L("Funding"), "funding", "money"),
            *([Column(L("Income"), "income", "money")] if money_in else []),
            Column(L("Expected") if running else L("Realised"), "expected", "money"),
            Column(L("Result"), "result", "money", signed=True),
            *([Column(L("To reserve"), "to_reserve", "money", signed=True)]
              if statement else [])], rows)
        grids = [table, kinds, result_table, *_funding_grids(result, style),
                 *reserve_grids(analysis, style)]
    else:
        head = L("Budget against realisation, {year}", year=detail.year) + \
            (f" - {title}" if title else "")
        # One year in detail: a closed year has no forecast to show, whatever month the
        # reporting runs through (that month's own year is the running one).
        running = detail.status == "running"
        shown += _figures(detail.total.figures)
        rows = [GridRow((L("Total"), *_cells(detail.total.figures, running, amended),
                         notes.cell(detail.total, f"{detail.year}")), bold=True)]
        for part, f in detail.parts.items():
            shown += _figures(f)
            rows.append(GridRow((L(part), *_cells(f, running, amended), ""), indent=1))
        summary = _grid("", [*_columns(style, amended, running, ""),
                             Column(L("Note"), "note")], rows, caption=False, indent="name")
        rows = []
        for g in detail.goals or []:
            shown += _figures(g.figures)
            rows.append(GridRow((g.name, *_cells(g.figures, running, amended),
                                 notes.cell(g, f"{detail.year} {g.name}")), bold=True))
            for t in g.children:
                shown += _figures(t.figures)
                rows.append(GridRow((t.name, *_cells(t.figures, running, amended),
                                     notes.cell(t, f"{detail.year} {t.name}")), indent=1))
                for line in t.children:
                    shown += _figures(line.figures)
                    rows.append(GridRow((L(line.name), *_cells(line.figures, running, amended),
                                         notes.cell(line, f"{detail.year} {line.id}")),
                                        indent=2))
            rows[-1] = GridRow(rows[-1].cells, rows[-1].bold, indent=rows[-1].indent,
                               end_section=True)
        lines = _grid("", [*_columns(style, amended, running, L("Goal / theme / line")),
                           Column(L("Note"), "note")], rows, caption=False, indent="name")
        grids = [summary, lines, *_income_grids(result, detail, style),
                 *_funding_grids(result, style, detail.year),
                 *staffing_grids(analysis, detail, style),
                 *reserve_grids(analysis, style, detail.year)]
    return head, grids, shown


def _tables(analysis: Analysis, title: str, style: Style) -> Any:
    from rich.console import Group
    from rich.text import Text

    notes = _Notes(style)
    head, grids, shown = realisation_grids(analysis, title, style, notes)
    # One note for all the tables: the unit (in thousands) and rounding differences.
    under = [*_under(analysis, style, shown), *filter(None, [style.note(table_sums(analysis))])]
    return Group(*heading(head), *(grid.table(g, style) for g in grids),
                 *(Text(u) for u in under), *notes.block(), Text(""),
                 *reconciliation_block(analysis, style))


def _funding_grids(result: Realisation, style: Style, only: int | None = None) -> list[Grid]:
    """Per year and source, budgeted against received, when the mapping books funding."""
    years = [y for y in result.years if y.sources is not None and
             (only is None or y.year == only)]
    if not years:
        return []
    L = partial(_label, style)
    rows = [GridRow((str(y.year), src.id, src.budget, src.expected, src.deviation,
                     L("booked" if src.booked else "plan")),
                    end_section=n == len(y.sources or []) - 1)
            for y in years for n, src in enumerate(y.sources or [])]
    return [_grid(L("Funding per source"), [
        Column(L("Year"), "year", once=True), Column(L("Source"), "source"),
        Column(L("Budget"), "budget", "money"),
        Column(L("Expected") if result.running else L("Received"), "expected", "money"),
        Column(L("Deviation"), "deviation", "money", signed=True),
        Column(L("Basis"), "basis")], rows)]


def _income_grids(result: Realisation, year: YearRealisation, style: Style) -> list[Grid]:
    """The rows with income, in a year in detail: income and net beside the cost above."""
    if not result.money_in:
        return []
    L = partial(_label, style)
    shown = [(L("Total"), year.total.figures, 0)]
    for g in year.goals or []:
        for t in g.children:
            shown += [(L(line.name), line.figures, 1) for line in t.children
                      if line.figures.income_budget or line.figures.income_expected]
    rows = [GridRow((name, f.income_budget, f.income_expected, f.net_budget, f.net_expected,
                     f.net_deviation), indent=indent) for name, f, indent in shown]
    return [_grid(L("Income and net (baten en netto)"), [
        Column(L("Goal / theme / line"), "name"),
        Column(L("Income budget"), "income_budget", "money"),
        Column(L("Income realised"), "income_expected", "money"),
        Column(L("Net budget"), "net_budget", "money"),
        Column(L("Net expected") if result.running else L("Net realised"), "net_expected",
               "money"),
        Column(L("Net deviation"), "net_deviation", "money", signed=True)], rows,
        indent="name")]


def _adds(parents: list[Figures], rows: list[Figures], amended: bool) -> list[Sum]:
    """Each shown column of `rows` against the same column of the row above them."""
    names = ("budget", "realised", "forecast", "expected", "deviation") + \
        (("primitive",) if amended else ())
    return [([getattr(r, n) for r in rows], [getattr(p, n) for p in parents]) for n in names]


def table_sums(analysis: Analysis) -> list[Sum]:
    """What must add up in `bdur realisation`'s tables as shown (docs/rounding.md): in every
    row expected = realised + forecast and deviation = expected - budget; a year's parts
    (incidental + structural, staff + means), goals, themes and rows against the row above
    them; result = funding + income - expected; and the reserve: opening + additions - withdrawals =
    closing, each closing the next opening."""
    result = analysis.realisation
    amended = result.amended
    out: list[Sum] = []
    for y in result.years:
        total = y.total.figures
        rows = [total, *y.parts.values()]
        out += _adds([total], [y.parts["incidental"], y.parts["structural"]], amended)
        out += _adds([total], [y.parts["staff"], y.parts["means"]], amended)
        # result = funding + income - cost (income is 0 without any).
        out.append(([y.funding, total.income_expected, -total.expected], [y.result]))
        if y.goals is not None:
            out += _adds([total], [g.figures for g in y.goals], amended)
            for g in y.goals:
                out += _adds([g.figures], [t.figures for t in g.children], amended)
                rows.append(g.figures)
                for t in g.children:
                    if t.children:
                        out += _adds([t.figures], [r.figures for r in t.children], amended)
                    rows += [t.figures, *(r.figures for r in t.children)]
        for f in rows:
            out += [([f.realised, f.forecast], [f.expected]),
                    ([f.expected, -f.budget], [f.deviation])]
    if result.reserve is not None:
        previous = None
        for s in result.reserve.years:
            out.append(([s.opening, s.additions, -s.withdrawals], [s.closing]))
            if previous is not None:
                out.append(([previous], [s.opening]))
            previous = s.closing
    return out


def reserve_grids(analysis: Analysis, style: Style, only: int | None = None) -> list[Grid]:
    """The reserve statement: per year the opening balance, additions, withdrawals (the
    plan's and the board's decisions on results), the closing balance carried on, and for
    the years still to come whether the reserve covers their shortfall. With `only`, that
    year with its result."""
    statement = analysis.realisation.reserve
    if statement is None:
        return []
    L = partial(_label, style)
    m = style.money
    years = [y for y in statement.years if only is None or y.year == only]
    out: list[Grid] = []
    if only is not None:
        [y] = years
        out.append(_grid(L("Result, {year}", year=only), [
            Column(L("Funding"), "funding", "money"),
            Column(L("Expected") if y.status != "closed" else
                   L("Net realised") if analysis.realisation.money_in else L("Realised"),
                   "expected", "money"),
            Column(L("Result"), "result", "money", signed=True),
            Column(L("To reserve"), "to_reserve", "money", signed=True)],
            [GridRow((y.funding, y.expected, y.result,
                      y.decided if y.decided is not None else "-"))]))
    rows: list[GridRow] = []
    for y in years:
        note: Cell
        if y.status == "closed":
            if y.decisions:
                note = "; ".join(L("decided {adopted} by {by}", adopted=d.adopted.isoformat(),
                                   by=d.by) for d in
                                 sorted(y.decisions, key=lambda d: d.adopted)[-1:])
            else:
                note = L("no decision")
        elif not y.shortfall:
            note = L("no shortfall")
        elif y.covered:
            note = L("shortfall {amount}, covered", amount=m(y.shortfall or Decimal(0)))
        else:
            note = Styled(L("shortfall {amount}, not covered: {short} short",
                            amount=m(y.shortfall or Decimal(0)),
                            short=m(-(y.balance_after_shortfalls or Decimal(0)))), "red")
        rows.append(GridRow((str(y.year), y.opening, y.additions, y.withdrawals, y.closing,
                             note)))
    names = ", ".join(f"{r.name} ({r.id})" for r in statement.reserves)
    out.append(_grid(L("Reserve, {year}", year=only) if only is not None else
                     L("Reserve (bestemmingsreserve)"), [
        Column(L("Year"), "year"), Column(L("Opening"), "opening", "money"),
        Column(L("Additions"), "additions", "money"),
        Column(L("Withdrawals"), "withdrawals", "money"),
        Column(L("Closing"), "closing", "money"), Column(L("Note"), "note")], rows,
        notes=(L("reserve: {names}", names=names),)))
    return out


def staffing_grids(analysis: Analysis, year: YearRealisation, style: Style) -> list[Grid]:
    """fte planned against fte in place, per goal, theme and staff row of one year."""
    if not analysis.realisation.staffing:
        return []
    L = partial(_label, style)
    rows: list[GridRow] = []

    def add(name: str, f: Figures, indent: int = 0, bold: bool = False) -> None:
        diff = f.fte_in_place - f.fte
        rows.append(GridRow((name, f.fte, f.fte_in_place,
                             ("+" if diff > 0 else "") + style.number(diff)),
                            bold=bold, indent=indent))

    add(L("Total"), year.total.figures, bold=True)
    # Each average is rounded once from its exact fte-months, so shown rows can differ from
    # their total by a hundredth (docs/rounding.md); the note says so where they do.
    groups = [(year.total.figures, [g.figures for g in year.goals or []])]
    groups += [(g.figures, [t.figures for t in g.children]) for g in year.goals or []]
    groups += [(t.figures, [r.figures for r in t.children]) for g in year.goals or []
               for t in g.children]
    differs = any(sum((c.fte for c in kids), Decimal(0)) != f.fte or
                  sum((c.fte_in_place for c in kids), Decimal(0)) != f.fte_in_place
                  for f, kids in groups if kids)
    for g in year.goals or []:
        if not (g.figures.fte_months or g.figures.fte_months_in_place):
            continue
        add(g.name, g.figures, bold=True)
        for t in g.children:
            if not (t.figures.fte_months or t.figures.fte_months_in_place):
                continue
            add(t.name, t.figures, 1)
            for line in t.children:
                if line.figures.fte_months or line.figures.fte_months_in_place:
                    add(L(line.name), line.figures, 2)
    notes = [L("fte: the year's average (fte x months / 12)")]
    if differs:
        notes.append(style.label("rounding differences: a total can differ from the sum of "
                                 "the figures shown"))
    return [_grid(L("Staffing (fte)"), [
        Column(L("Goal / theme / line"), "name"), Column(L("fte planned"), "fte", "fte"),
        Column(L("fte in place"), "fte_in_place", "fte"),
        Column(L("Difference"), "difference", right=True)], rows,
        notes=("; ".join(notes),), indent="name")]


def _cents(value: Decimal, style: Style) -> str:
    text = f"{value:,.2f}"
    if style.locale is Locale.nl:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"€ {text}"
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def reconciliation_grid(analysis: Analysis, style: Style = ENGLISH) -> Grid:
    """The reconciliation, always to the cent: postings read, mapped, unmapped, outside the
    horizon and ambiguous, with their counts and totals."""
    rec = analysis.reconciliation
    L = partial(_label, style)
    rows = [GridRow((L(label), f"{part.count:,}", _cents(part.total, style)))
            for label, part in [("read", rec.read), ("mapped", rec.mapped),
                                ("unmapped", rec.unmapped),
                                ("outside the horizon", rec.outside),
                                ("ambiguous (two rules)", rec.ambiguous)]]
    through = analysis.realisation.through
    if through is not None:
        rows.append(GridRow((L("of which after {month}, not in the figures",
                               month=str(through)),
                             f"{analysis.after_through.count:,}",
                             _cents(analysis.after_through.total, style)), indent=1))
    return Grid(L("Reconciliation of {file}", file=rec.file), (
        Column("", "part"), Column(L("postings"), "postings", right=True),
        Column("", "amount", right=True)), tuple(rows), header=False, noted=False,
        indent_key="part")


def reconciliation_block(analysis: Analysis, style: Style = ENGLISH) -> list[Any]:
    """The reconciliation, always to the cent, and the unmapped postings listed."""
    from rich.text import Text

    rec = analysis.reconciliation
    out: list[Any] = [grid.table(reconciliation_grid(analysis, style), style)]
    if rec.balanced:
        out.append(Text(_label(style,
                               "nothing lost: mapped + unmapped + outside + ambiguous = read")))
    if analysis.unmapped:
        out += [Text(""), grid.table(unmapped_grid(analysis.unmapped, style), style)]
    if analysis.ambiguous:
        out += [Text(""), grid.table(ambiguous_grid(analysis, style), style)]
    return out


def ambiguous_grid(analysis: Analysis, style: Style) -> Grid:
    """The postings two rules match, with each rule and the lines it would book them on."""
    L = partial(_label, style)
    rows = []
    for a in analysis.ambiguous:
        p = a.posting
        rules = "; ".join(f"{n}: {', '.join(lines) or what}" for n, what, lines in a.rules)
        rows.append(GridRow((str(p.row), p.date.strftime("%d-%m-%Y"), _cents(p.amount, style),
                             p.project, p.description, rules)))
    return _grid(L("Ambiguous postings (not booked)"), [
        Column(L("Row"), "row", right=True), Column(L("Date"), "date"),
        Column(L("Amount"), "amount", right=True), Column(L("Project"), "project"),
        Column(L("Description"), "description"), Column(L("Rules"), "rules")], rows)


def reconciliation_line(rec: Reconciliation) -> str:
    """One line for stderr next to CSV output."""
    noun = "posting" if rec.read.count == 1 else "postings"
    return (f"{rec.file}: {rec.read.count:,} {noun} read ({_cents(rec.read.total, ENGLISH)})"
            f" = {rec.mapped.count:,} mapped ({_cents(rec.mapped.total, ENGLISH)}) + "
            f"{rec.unmapped.count:,} unmapped ({_cents(rec.unmapped.total, ENGLISH)}) + "
            f"{rec.outside.count:,} outside the horizon ({_cents(rec.outside.total, ENGLISH)})"
            f" + {rec.ambiguous.count:,} ambiguous ({_cents(rec.ambiguous.total, ENGLISH)})")


def unmapped_grid(postings: list[Posting], style: Style) -> Grid:
    """The postings no rule books on the plan, as the export has them (amounts to the cent)."""
    L = partial(_label, style)
    return _grid(L("Unmapped postings"), [
        Column(L("Row"), "row", right=True), Column(L("Date"), "date"),
        Column(L("Amount"), "amount", right=True), Column(L("Cost centre"), "cost_centre"),
        Column(L("Account"), "account"), Column(L("Project"), "project"),
        Column(L("Description"), "description")],
        [GridRow((str(p.row), p.date.strftime("%d-%m-%Y"), _cents(p.amount, style),
                  p.cost_centre, p.account, p.project, p.description)) for p in postings])


# --- the board's report (bdur report --mapping) ----------------------------------------------

def _figure_columns(style: Style, running: bool) -> list[Column]:
    """primitieve begroting | begroting na wijziging | realisatie (to date, forecast,
    expected in a running year) | afwijking € | afwijking %."""
    L = partial(_label, style)
    cols = [Column(L("Primitive budget"), "primitive_budget", "money"),
            Column(L("Amended budget"), "budget", "money")]
    if running:
        cols += [Column(L("Realised to date"), "realised", "money"),
                 Column(L("Forecast"), "forecast", "money"),
                 Column(L("Expected"), "expected", "money")]
    else:
        cols.append(Column(L("Realised"), "realised", "money"))
    return [*cols, Column(L("Deviation €"), "deviation", "money", signed=True, colour="cost"),
            Column(L("Deviation %"), "percent", "percent", width=12)]


def _figure_cells(f: Figures, running: bool, amended: bool) -> list[Cell]:
    # Without amendments the budget as adopted is the budget: both columns show it.
    cells: list[Cell] = [f.primitive if amended else f.budget, f.budget]
    cells += [f.realised, f.forecast, f.expected] if running else [f.realised]
    return [*cells, f.deviation, f.percent] if f.started else [*cells, None, None]


def _note_text(row: Row, style: Style) -> str:
    """The toelichting as the board reads it: the explanation itself, or where it is."""
    if not row.figures.started:
        return _label(style, "no realisation yet")
    if row.explanation:
        return row.explanation
    if row.covered and row.needs_explanation:
        return _label(style, "see the explanation above" if row.covered_from == "above"
                      else "see the explanations below")
    return _label(style, "explanation needed") if row.needs_explanation else ""


def _under(analysis: Analysis, style: Style, values: Iterable[Decimal]) -> tuple[str, ...]:
    """The lines under the figures, for `bdur realisation` and the board alike: what a
    deviation is, the reporting month, the amendments the budget includes, and that the cents
    are elsewhere when one of the amounts shown (`values`) has them."""
    L = partial(_label, style)
    result = analysis.realisation
    running, amended = result.running, result.amended
    out = [L("deviation = {what} - {budget}; positive is overspent",
             what=L("expected") if running else L("realised"),
             budget=L("amended budget") if amended else L("budget"))]
    if result.through is not None and result.through.month == 12:
        # December closes its year: nothing of it is left to forecast.
        out.append(L("through {month}; {year} is closed", month=str(result.through),
                     year=result.through.year))
    elif result.through is not None:
        out.append(L("through {month}; the rest of {year} is forecast from the budget",
                     month=str(result.through), year=result.through.year))
    for a in analysis.amendments:
        out.append(L("amended budget: includes amendment {number} ({name}), adopted "
                     "{adopted} by {by}", number=a.number, name=a.name or a.display,
                     adopted=a.adopted, by=a.by))
    if analysis.as_of is not None and not analysis.amendments:
        out.append(L("budget as of {date}: no amendment adopted by then",
                     date=analysis.as_of))
    if any(v != v.to_integral_value() for v in values):
        out.append(L("amounts rounded to whole euros; the exact cents are in --format "
                     "json or csv"))
    return tuple(out)


def _sums(rows: list[Figures], running: bool) -> list[Sum]:
    # expected = realised + forecast, deviation = expected - budget, as shown.
    out: list[Sum] = []
    for f in rows:
        out.append(([f.expected, -f.budget], [f.deviation]))
        if running:
            out.append(([f.realised, f.forecast], [f.expected]))
    return out


def overview_grid(analysis: Analysis, style: Style,
                  years: range | None = None) -> Grid:
    """The board's table per year: the budget as adopted and after amendments, the
    realisation, the deviation in euros and percent, the funding and the result (funding -
    realised), and the toelichting."""
    L = partial(_label, style)
    result = analysis.realisation
    running = result.running
    cols = [Column(L("Year"), "year", "year", width=10)]
    if running:
        cols.append(Column(L("Status"), "status", width=12))
    statement = {s.year: s for s in result.reserve.years} if result.reserve else {}
    cols += [*_figure_columns(style, running), Column(L("Funding"), "funding", "money"),
             Column(L("Result"), "result", "money", signed=True, colour="gap")]
    if statement:  # what the board put into the reserve (resultaatbestemming)
        cols.append(Column(L("To reserve"), "to_reserve", "money", signed=True))
    cols.append(Column(L("Note"), "note", width=60))
    rows: list[GridRow] = []
    shown: list[Figures] = []
    sums: list[Sum] = []
    for y in result.years:
        if years is not None and y.year not in years:
            continue
        f = y.total.figures
        shown.append(f)
        sums.append(([y.funding, -f.expected], [y.result]))
        status: list[Cell] = [L(_STATUS[y.status])] if running else []
        decided: list[Cell] = [statement[y.year].decided] if statement else []
        rows.append(GridRow((Decimal(y.year), *status, *_figure_cells(f, running, result.amended),
                             y.funding, y.result, *decided, _note_text(y.total, style))))
    return Grid(L("Budget against realisation per year") +
                (f" - {analysis.title}" if analysis.title else ""),
                tuple(cols), tuple(rows), tuple(_sums(shown, running) + sums),
                _under(analysis, style, _amounts(shown)), sheet=L("Realised"), markdown_bold=True)


def detail_grid(analysis: Analysis, year: int, style: Style) -> Grid:
    """One year per goal, theme and line (or the lines a theme rule books together), each
    with its figures and toelichting; the year's total on top."""
    L = partial(_label, style)
    result = analysis.realisation
    running, amended = result.running, result.amended
    y = next(r for r in result.years if r.year == year)
    staffing = result.staffing  # fte planned against fte in place, as the year's averages
    cols = [Column(L("Year"), "year", "year", width=8, audience="machine"),
            Column("", "level", audience="machine"), Column("", "id", audience="machine"),
            Column(L("Goal / theme / line"), "name", width=60),
            *_figure_columns(style, running),
            *([Column(L("fte planned"), "fte", "fte", width=10),
               Column(L("fte in place"), "fte_in_place", "fte", width=10)] if staffing else []),
            Column(L("Note"), "note", width=60)]
    rows: list[GridRow] = []
    shown: list[Figures] = []

    def add(row: Row, name: str, indent: int, bold: bool, end: bool = False) -> None:
        shown.append(row.figures)
        f = row.figures
        fte: list[Cell] = [] if not staffing else [f.fte, f.fte_in_place] if \
            f.fte_months or f.fte_months_in_place else [None, None]  # a means row has none
        rows.append(GridRow((Decimal(year), row.level, row.id, name,
                             *_figure_cells(f, running, amended), *fte,
                             _note_text(row, style)), bold=bold, indent=indent,
                            end_section=end))

    add(y.total, L("Total {year}", year=year), 0, True, True)
    sums: list[Sum] = []
    for g in y.tree:
        add(g, g.name, 0, True)
        for t in g.children:
            add(t, t.name, 1, False)
            for line in t.children:
                add(line, L(line.name), 2, False)
            sums.append(([c.figures.realised for c in t.children], [t.figures.realised]))
        sums.append(([t.figures.realised for t in g.children], [g.figures.realised]))
        if rows:
            rows[-1] = GridRow(rows[-1].cells, rows[-1].bold, indent=rows[-1].indent,
                               end_section=True)
    sums.append(([g.figures.realised for g in y.tree], [y.total.figures.realised]))
    return Grid(L("Budget against realisation, {year}", year=year) +
                (f" - {analysis.title}" if analysis.title else ""),
                tuple(cols), tuple(rows), tuple(_sums(shown, running) + sums),
                _under(analysis, style, _amounts(shown)) +
                ((L("fte: the year's average (fte x months / 12)"),) if staffing else ()),
                sheet=str(year), markdown_bold=True, indent_key="name")


def _statement_note(y: StatementYear, style: Style) -> str:
    """Who decided a closed year's appropriation; for a year to come, whether the reserve
    covers its shortfall."""
    L = partial(_label, style)
    m = style.money
    if y.status == "closed":
        if not y.decisions:
            return L("no decision")
        last = max(y.decisions, key=lambda d: d.adopted)
        return L("decided {adopted} by {by}", adopted=last.adopted.isoformat(), by=last.by)
    if not y.shortfall:
        return L("no shortfall")
    if y.covered:
        return L("shortfall {amount}, covered", amount=m(y.shortfall))
    return L("shortfall {amount}, not covered: {short} short", amount=m(y.shortfall),
             short=m(-(y.balance_after_shortfalls or Decimal(0))))


def reserve_grid(analysis: Analysis, style: Style, years: range | None = None) -> Grid | None:
    """The reserve statement: per year the opening balance, the additions and withdrawals
    (the plan's and the board's decisions on results), the closing balance carried into the
    next year, and who decided; None when the plan has no reserve and no decision formed one."""
    statement = analysis.realisation.reserve
    if statement is None:
        return None
    L = partial(_label, style)
    cols = (Column(L("Year"), "year", "year", width=10),
            Column(L("Opening"), "opening", "money"), Column(L("Additions"), "additions", "money"),
            Column(L("Withdrawals"), "withdrawals", "money"),
            Column(L("Closing"), "closing", "money"), Column(L("Note"), "note", width=50))
    shown = [y for y in statement.years if years is None or y.year in years]
    rows = tuple(GridRow((Decimal(y.year), y.opening, y.additions, y.withdrawals, y.closing,
                          _statement_note(y, style))) for y in shown)
    sums: list[Sum] = [([y.opening, y.additions, -y.withdrawals], [y.closing]) for y in shown]
    sums += [([a.closing], [b.opening]) for a, b in pairwise(shown)]
    names = ", ".join(f"{r.name} ({r.id})" for r in statement.reserves)
    return Grid(L("Reserve (bestemmingsreserve)"), cols, rows, tuple(sums),
                (L("reserve: {names}", names=names),), sheet=L("Reserve"), markdown_bold=True)


def for_board(grid: Grid, analysis: Analysis) -> Grid:
    """A grid as the board reads it (the pack, the workbook of `bdur report --mapping`): a
    line row labelled by the line's name (its id only where it has none), an empty cell
    where a year to come has no realisation yet (not "€ 0"), and no note that points at a
    command-line option (the board works from the document, not a terminal)."""
    names = analysis.names
    keys = [c.key for c in grid.columns]
    rows = grid.rows
    if "level" in keys and "id" in keys and "name" in keys:
        level, ident, label = keys.index("level"), keys.index("id"), keys.index("name")
        rows = tuple(
            replace(r, cells=(*r.cells[:label], names.get(str(r.cells[ident]),
                                                          r.cells[label]),
                              *r.cells[label + 1:]))
            if r.cells[level] == "line" and str(r.cells[ident]) in names else r
            for r in rows)
    future = {Decimal(y.year) for y in analysis.realisation.years if y.status == "future"}
    if future and "year" in keys and "realised" in keys:
        year, realised = keys.index("year"), keys.index("realised")
        rows = tuple(replace(r, cells=(*r.cells[:realised], None, *r.cells[realised + 1:]))
                     if r.cells[year] in future else r for r in rows)
    notes = tuple(n for n in grid.notes if "--format" not in n)
    return replace(grid, rows=rows, notes=notes)


@dataclass(frozen=True)
class BoardView:
    """`bdur report --mapping` as a `View`: the table per year, then each year in detail (the
    years of `years`). CSV is one table: every year's total, goal, theme and line rows, exact;
    the workbook has the table per year on its first sheet and a sheet per year."""

    analysis: Analysis
    years: range | None = None
    formats = view.offers(*ReportFormat)
    csv_header = ()

    def _span(self) -> list[int]:
        return [y.year for y in self.analysis.realisation.years
                if self.years is None or y.year in self.years]

    def _grids(self, style: Style) -> list[Grid]:
        reserve = reserve_grid(self.analysis, style, self.years)
        return [overview_grid(self.analysis, style, self.years),
                *([reserve] if reserve is not None else []),
                *(detail_grid(self.analysis, year, style) for year in self._span())]

    def data(self) -> object:
        return self.analysis.as_dict()

    def records(self) -> list[dict[str, Any]]:
        return [r for year in self._span()
                for r in grid.records(detail_grid(self.analysis, year, ENGLISH))]

    def markdown(self, style: Style) -> str:
        return "\n".join(grid.markdown(g, style) for g in self._grids(style))

    def table(self, style: Style) -> Any:
        from rich.console import Group
        from rich.text import Text

        parts: list[Any] = []
        for g in self._grids(style):
            parts += [grid.table(g, style), Text("")]
        return Group(*parts[:-1])

    def workbook(self, style: Style) -> Any:
        # The board prints it: finished as the pack's sheets are, with names, not ids.
        wb = new_workbook()
        for n, g in enumerate(self._grids(style)):
            ws = wb.active if n == 0 else wb.create_sheet(g.sheet)
            ws.title = g.sheet
            grid.board_sheet(ws, for_board(g, self.analysis), style, self.analysis.title)
        return wb
