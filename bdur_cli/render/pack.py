"""The board pack (`bdur pack`): one document from the figures the three jobs already make.

The plan's tables (Table 2, Table 1's fte, the incidental overview) come from
`plan.tables`, the years from the engine's totals, the scenarios from `plan.comparison`, and
with a mapping the year analysis from the actuals wing (`actuals.realise`, called by the
command). This module computes nothing: it puts those figures in the board's order as grids
(`render.grid`) and encodes them as HTML for A4 (`render.html`), as PDF from that HTML
(WeasyPrint, optional) and as a workbook.

Order: title page, summary, the plan, scenarios, budget against realisation, the reserve,
the appendix for the accountant (reconciliation to the cent, the postings not booked, the
mapping's rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from ..errors import EXIT_USAGE, BdurError, Finding
from ..plan.model import Plan
from ..plan.results import Totals
from ..plan.tables import FteTable, IncidentalOverview, Table2, names_of
from . import chart, html
from .grid import Cell, Column, Grid, GridRow
from .html import Section, esc
from .realisation import for_board
from .style import Locale, Style

if TYPE_CHECKING:
    from ..actuals.realise import Analysis
    from ..plan.comparison import Comparison

#: The pack's own words in Dutch (--locale nl); the tables it reuses bring their own.
DUTCH: dict[str, str] = {
    "Board pack": "Bestuurspakket",
    "Incidental": "Incidenteel",
    "Reconciliation": "Aansluiting",
    "Unmapped postings": "Boekingen buiten het plan",
    "Rules": "Regels",
    "By kind": "Naar soort",
    "Contents": "Inhoud",
    "Region": "Regio",
    "Date": "Datum",
    "Made from": "Gemaakt van",
    "Git revision": "Git-revisie",
    "not in a git repository": "niet in een git-repository",
    "made by bdur {version}": "gemaakt met bdur {version}",
    "Summary": "Samenvatting",
    "The years at a glance": "De jaren in één oogopslag",
    "The plan": "Het plan",
    "Scenarios": "Scenario's",
    "Scenarios side by side": "Scenario's naast elkaar",
    "Budget against realisation": "Begroting en realisatie",
    "Appendix: for the accountant": "Bijlage: voor de accountant",
    "Year": "Jaar",
    "Funding": "Beschikbaar",
    "Planned": "Gepland",
    "Income": "Baten derden",
    "Net cost": "Netto lasten",
    "Gap": "Ruimte / tekort",
    "Cumulative gap": "Cumulatief",
    "Reserve balance": "Stand reserve",
    "Realised to date": "Realisatie tot nu",
    "Expected": "Verwacht",
    "Realised": "Realisatie",
    "File": "Bestand",
    "Δ {what}": "Δ {what}",
    "funding": "beschikbaar",
    "planned": "gepland",
    "net": "netto",
    "gap": "ruimte",
    "difference against {base}": "verschil met {base}",
    "Incidental lines per year": "Incidentele lasten per jaar",
    "Theme": "Thema",
    "Line": "Regel",
    "Kind": "Soort",
    "Department": "Afdeling",
    "Amount": "Bedrag",
    "Note": "Toelichting",
    "staff": "personeel",
    "means": "middelen",
    "Total incidental": "Totaal incidenteel",
    "no incidental lines": "geen incidentele lasten",
    "Reconciliation of {file}": "Aansluiting van {file}",
    "Part": "Onderdeel",
    "Postings": "Boekingen",
    "read": "gelezen",
    "mapped": "geboekt op het plan",
    "unmapped": "niet toegewezen",
    "outside the horizon": "buiten de planperiode",
    "ambiguous (two rules)": "dubbelzinnig (twee regels)",
    "of which after {month}, not in the figures": "waarvan na {month}, niet in de cijfers",
    "nothing lost: mapped + unmapped + outside + ambiguous = read":
        "niets verloren: toegewezen + niet toegewezen + buiten + dubbelzinnig = gelezen",
    "amounts to the cent": "bedragen tot op de cent",
    "Postings not booked on the plan": "Boekingen die niet op het plan zijn geboekt",
    "Reason": "Reden",
    "Row": "Rij",
    "Cost centre": "Kostenplaats",
    "Account": "Grootboek",
    "Project": "Project",
    "Description": "Omschrijving",
    "none": "geen",
    "Mapping rules": "Toewijzingsregels",
    "Books on": "Boekt op",
    "Conditions": "Voorwaarden",
    "line {name}": "regel {name}",
    "theme {name}, {kind}, {type}": "thema {name}, {kind}, {type}",
    "incidental": "incidenteel",
    "structural": "structureel",
    "Budget against realisation per year": "Begroting en realisatie per jaar",
    "in {year}, realised through {month} and the rest expected from the budget":
        "in {year}: gerealiseerd t/m {month}, de rest verwacht uit de begroting",
    "Chart: funding against planned cost": "Grafiek: beschikbaar tegenover geplande lasten",
    "Chart: budget against realisation": "Grafiek: begroting tegenover realisatie",
    "amounts in whole euros (half up); the reconciliation is to the cent":
        "bedragen in hele euro's (half naar boven afgerond); de aansluiting is tot op de cent",
}


def _label(style: Style, text: str, **values: object) -> str:
    if style.locale is Locale.nl:
        text = DUTCH.get(text, text)
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Source:
    """A file the pack was made from: its name as given and its sha256."""

    role: str
    name: str
    sha256: str


@dataclass
class Pack:
    """Everything the pack shows, made by the jobs before it is laid out."""

    plan: Plan
    totals: Totals
    table2: Table2
    fte: FteTable
    incidental: IncidentalOverview
    made: date
    sources: list[Source]
    revision: str | None = None
    version: str = ""
    comparison: Comparison | None = None
    analysis: Analysis | None = None
    #: The mapping's rules as (books on, conditions), in the mapping's order.
    rules: list[tuple[str, str]] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        """Line id -> the line's name (its id where it has none); theme ids -> names."""
        return names_of(self.plan)


# --- the grids -------------------------------------------------------------------------------

def summary_grid(pack: Pack, style: Style) -> Grid:
    """The years at a glance: funding, planned, (income, net), gap, cumulative gap, (reserve);
    with a mapping, realised (to date, in a running year) and expected."""
    L = partial(_label, style)
    years = pack.totals.years
    shown = frozenset().union(*(y.shown for y in years)) if years else frozenset()
    cols = [Column(L("Year"), "year", "year", width=8), Column(L("Funding"), "funding", "money"),
            Column(L("Planned"), "planned", "money")]
    if "income" in shown:
        cols += [Column(L("Income"), "income", "money"), Column(L("Net cost"), "net", "money")]
    cols += [Column(L("Gap"), "gap", "money", signed=True, colour="gap"),
             Column(L("Cumulative gap"), "cumulative_gap", "money", signed=True, colour="gap")]
    statement = pack.analysis.realisation.reserve if pack.analysis is not None else None
    # The reserve as the year end carries it (the board's decisions) when there is a
    # statement; else the plan's own reserve.
    closing = {s.year: s.closing for s in statement.years} if statement else {}
    if "reserves" in shown or closing:
        cols.append(Column(L("Reserve balance"), "reserve_balance", "money"))
    realised: dict[int, Any] = {}
    running = False
    if pack.analysis is not None:
        realised = {y.year: y for y in pack.analysis.realisation.years}
        running = pack.analysis.realisation.running
        cols += [Column(L("Realised to date") if running else L("Realised"), "realised",
                        "money"), Column(L("Expected"), "expected", "money")]
    rows = []
    for y in years:
        cells: list[Cell] = [Decimal(y.year), y.funding, y.planned]
        if "income" in shown:
            cells += [y.income, y.net]
        cells += [y.gap, y.cumulative_gap]
        if closing:
            cells.append(closing.get(y.year))
        elif "reserves" in shown:
            cells.append(y.reserve_balance)
        if pack.analysis is not None:
            r = realised.get(y.year)
            # A year not begun has no realisation: an empty cell, not €0.
            if r is None or r.status == "future":
                cells += [None, None]
            else:
                cells += [r.total.figures.realised, r.total.figures.expected]
        rows.append(GridRow(tuple(cells)))
    notes: tuple[str, ...] = ()
    through = pack.analysis.realisation.through if pack.analysis is not None else None
    if through is not None:
        notes = (L("in {year}, realised through {month} and the rest expected from the budget",
                   year=through.year, month=str(through)),)
    return Grid(L("The years at a glance"), tuple(cols), tuple(rows), notes=notes,
                sheet=L("Summary"))


def incidental_grid(o: IncidentalOverview, style: Style, names: dict[str, str]) -> Grid:
    """Every incidental line per year, by name, with the year's total under it."""
    L = partial(_label, style)
    cols = (Column(L("Year"), "year", "year", width=8), Column(L("Theme"), "theme", width=30),
            Column(L("Line"), "line", width=30), Column(L("Kind"), "kind", width=10),
            Column(L("Department"), "department", width=12),
            Column(L("Amount"), "amount", "money"), Column("fte", "fte", "fte", width=8),
            Column(L("Note"), "note", width=40))
    rows: list[GridRow] = []
    for y in o.years:
        for i in y.items:
            rows.append(GridRow((Decimal(y.year), i.theme_name, names.get(i.line_id, i.line_id),
                                 L(i.kind), i.department, i.amount, i.fte or None, i.note)))
        label = L("Total incidental") if y.items else L("no incidental lines")
        rows.append(GridRow((Decimal(y.year), label, "", "", "", y.total, None, ""), bold=True,
                            end_section=True))
    sums = [([i.amount for i in y.items], [y.total]) for y in o.years]
    return Grid(L("Incidental lines per year"), cols, tuple(rows), tuple(sums),
                sheet=L("Incidental"))


def compare_grid(result: Comparison, style: Style) -> Grid:
    """Per year each file's figures and, for the others, their difference against the base."""
    from .compare import labels

    L = partial(_label, style)
    figures = list(result.figures)
    deltas = ["funding", "planned", *(["net"] if "income" in result.shown else []), "gap"]
    heads = {"funding": "Funding", "planned": "Planned", "income": "Income", "net": "Net cost",
             "reserve_additions": "reserve +", "reserve_withdrawals": "reserve -",
             "gap": "Gap", "reserve_balance": "Reserve balance"}
    cols = [Column(L("Year"), "year", "year", width=8), Column(L("File"), "file", width=28),
            *(Column(L(heads.get(n, n)), n, "money", signed=n == "gap",
                     colour="gap" if n == "gap" else "") for n in figures),
            *(Column(L("Δ {what}", what=L(n)), f"d_{n}", "money", signed=True) for n in deltas)]
    names = labels(result)
    rows: list[GridRow] = []
    files = (result.base, *result.others)
    for i, base_year in enumerate(result.base.years):
        for n, f in enumerate(files):
            y = f.years[i]
            diff = y.difference or {}
            cells: list[Cell] = [Decimal(base_year.year), names[n],
                                 *(y.figure(name) for name in figures),
                                 *((diff.get(d) if n else None) for d in deltas)]
            rows.append(GridRow(tuple(cells), bold=n == 0, end_section=n + 1 == len(files)))
    return Grid(L("Scenarios side by side"), tuple(cols), tuple(rows),
                notes=(L("difference against {base}", base=names[0]),), sheet=L("Scenarios"))


def parts_grid(analysis: Analysis, year: int, style: Style) -> Grid:
    """One year by kind: incidental and structural, staff and means, each with the figures of
    the board's table (and the fte when a staffing file gives them)."""
    from .realisation import _figure_cells, _figure_columns
    from .realisation import _label as rlabel

    L = partial(_label, style)
    result = analysis.realisation
    y = next(r for r in result.years if r.year == year)
    fte = result.staffing
    cols = [Column(rlabel(style, "Part"), "part", width=24),
            *_figure_columns(style, result.running),
            *([Column(rlabel(style, "fte planned"), "fte", "fte", width=10),
               Column(rlabel(style, "fte in place"), "fte_in_place", "fte", width=10)]
              if fte else [])]
    rows = []
    for key in ("incidental", "structural", "staff", "means"):
        f = y.parts.get(key)
        if f is None:
            continue
        extra: list[Cell] = [f.fte, f.fte_in_place] if fte else []
        rows.append(GridRow((rlabel(style, key), *_figure_cells(f, result.running,
                                                                 result.amended), *extra),
                            end_section=key == "structural"))
    return Grid(rlabel(style, "By kind") + f" {year}", tuple(cols), tuple(rows),
                sheet=L("By kind"))


def _cents(value: Decimal, style: Style) -> str:
    text = f"{value:,.2f}"
    if style.locale is Locale.nl:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"€ {text}"
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def reconciliation_grid(analysis: Analysis, style: Style, exact: bool = False) -> Grid:
    """read = mapped + unmapped + outside + ambiguous, in count and to the cent (as text for
    a reader; `exact`: as numbers, for the workbook's cents format)."""
    L = partial(_label, style)

    def cents(value: Decimal) -> Cell:
        return value if exact else _cents(value, style)

    rec = analysis.reconciliation
    cols = (Column(L("Part"), "part", width=40), Column(L("Postings"), "count", "fte", width=10),
            Column(L("Amount"), "amount", "money", width=18))
    rows = [GridRow((L(label), Decimal(part.count), cents(part.total)),
                    bold=label == "read", end_section=label == "read")
            for label, part in (("read", rec.read), ("mapped", rec.mapped),
                                ("unmapped", rec.unmapped), ("outside the horizon", rec.outside),
                                ("ambiguous (two rules)", rec.ambiguous))]
    through = analysis.realisation.through
    if through is not None:
        rows.append(GridRow((L("of which after {month}, not in the figures",
                               month=str(through)), Decimal(analysis.after_through.count),
                             cents(analysis.after_through.total)), indent=1))
    notes = [L("amounts to the cent")]
    if rec.balanced:
        notes.append(L("nothing lost: mapped + unmapped + outside + ambiguous = read"))
    return Grid(L("Reconciliation of {file}", file=rec.file), cols, tuple(rows),
                notes=tuple(notes), sheet=L("Reconciliation"), indent_key="part")


def _located(f: Finding) -> str:
    loc = f.location
    return "" if loc is None or loc.line is None else str(loc.line)


def postings_grid(analysis: Analysis, style: Style, exact: bool = False) -> Grid:
    """Every posting not booked on the plan: the unmapped ones in full, and those outside the
    horizon or matched by two rules as the reading reported them (by row)."""
    L = partial(_label, style)
    cols = (Column(L("Reason"), "reason", width=16), Column(L("Row"), "row", width=7),
            Column(L("Date"), "date", width=11), Column(L("Amount"), "amount", "money", width=16),
            Column(L("Cost centre"), "cost_centre", width=12),
            Column(L("Account"), "account", width=10), Column(L("Project"), "project", width=14),
            Column(L("Description"), "description", width=40))
    rows = [GridRow((L("unmapped"), str(p.row), p.date.strftime("%d-%m-%Y"),
                     p.amount if exact else _cents(p.amount, style), p.cost_centre,
                     p.account, p.project, p.description)) for p in analysis.unmapped]
    for f in analysis.findings:
        if f.code in ("outside-horizon", "ambiguous-posting") and _located(f):
            reason = "outside the horizon" if f.code == "outside-horizon" else \
                "ambiguous (two rules)"
            rows.append(GridRow((L(reason), _located(f), "", None, "", "", "", f.message)))
    if not rows:
        rows.append(GridRow((L("none"), "", "", None, "", "", "", "")))
    return Grid(L("Postings not booked on the plan"), cols, tuple(rows),
                sheet=L("Unmapped postings"))


def rules_grid(rules: Sequence[tuple[str, str]], style: Style) -> Grid:
    L = partial(_label, style)
    cols = (Column("#", "n", "year", width=5), Column(L("Books on"), "target", width=40),
            Column(L("Conditions"), "conditions", width=60))
    rows = tuple(GridRow((Decimal(n), target, cond))
                 for n, (target, cond) in enumerate(rules, start=1))
    return Grid(L("Mapping rules"), cols, rows, sheet=L("Rules"))


def rule_texts(rules: Sequence[Any], names: dict[str, str], style: Style) -> list[tuple[str, str]]:
    """A mapping's rules as the accountant reads them: what they book on (by name) and the
    columns they match."""
    L = partial(_label, style)
    out = []
    for r in rules:
        if r.line is not None:
            target = L("line {name}", name=names.get(r.line, r.line))
        else:
            target = L("theme {name}, {kind}, {type}", name=names.get(r.theme, r.theme),
                       kind=L(r.kind or ""), type=L(r.type or ""))
        conds = []
        for key in ("cost_centre", "account", "project", "description"):
            value = getattr(r, key, None)
            if value is None:
                continue
            shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) \
                else str(value)
            conds.append(f"{key} = {shown}")
        out.append((target, "; ".join(conds)))
    return out


# --- the document ----------------------------------------------------------------------------

def _title(pack: Pack) -> str:
    return pack.plan.plan.title


def sections(pack: Pack, style: Style) -> list[Section]:
    """The pack's sections in the board's order, as HTML."""
    from . import realisation as board
    from .report import fte_grid, table2_grid

    L = partial(_label, style)
    names = pack.names
    meta = pack.plan.plan
    title = Section("title", _title(pack))
    pairs = [(L("Region"), meta.region), (L("Date"), pack.made.isoformat())]
    title.parts.append(html.meta_list(pairs))
    title.parts.append(f"<h3>{esc(L('Made from'))}</h3>")
    title.parts.append("<ul>" + "".join(
        f"<li>{esc(s.role)}: <code>{esc(s.name)}</code><br><code>sha256 {esc(s.sha256)}"
        "</code></li>" for s in pack.sources) + "</ul>")
    title.parts.append(html.meta_list([(L("Git revision"),
                                        pack.revision or L("not in a git repository"))]))
    title.parts += html.paragraphs([L("made by bdur {version}", version=pack.version),
                                    L("amounts in whole euros (half up); the reconciliation "
                                      "is to the cent")], "note")
    out = [title]

    summary = Section("summary", L("Summary"))
    summary.parts.append(html.grid_table(summary_grid(pack, style), style))
    out.append(summary)

    plan = Section("plan", L("The plan"), wide=True)
    plan.parts.append(html.grid_table(table2_grid(pack.table2, style), style))
    plan.parts.append(html.grid_table(fte_grid(pack.fte, style), style))
    plan.parts.append(html.grid_table(incidental_grid(pack.incidental, style, names), style))
    plan.parts.append(f'<figure aria-label="{esc(L("Chart: funding against planned cost"))}">'
                      + _inline_svg(chart.svg(pack.totals.years, style, _title(pack)))
                      + "</figure>")
    out.append(plan)

    if pack.comparison is not None:
        s = Section("scenarios", L("Scenarios"), wide=True)
        s.parts.append(html.grid_table(compare_grid(pack.comparison, style), style))
        out.append(s)

    a = pack.analysis
    if a is not None:
        s = Section("realisation", L("Budget against realisation"), wide=True)
        s.parts.append(html.grid_table(for_board(board.overview_grid(a, style), a),
                                       style, caption=L("Budget against realisation per year")))
        statement = a.realisation.reserve
        reserve = {y.year: y.closing for y in statement.years} if statement else None
        s.parts.append(f'<figure aria-label="{esc(L("Chart: budget against realisation"))}">'
                       + _inline_svg(chart.realisation_svg(a.realisation.years, style,
                                                           _title(pack), reserve))
                       + "</figure>")
        rg = board.reserve_grid(a, style)
        if rg is not None:
            s.parts.append(html.grid_table(rg, style))
        out.append(s)
        for y in a.realisation.years:
            if y.status == "future":
                continue
            detail = board.detail_grid(a, y.year, style)
            ys = Section(f"year-{y.year}", detail.title.split(" - ")[0], wide=True)
            ys.parts.append(html.grid_table(for_board(detail, a), style))
            ys.parts.append(html.grid_table(parts_grid(a, y.year, style), style))
            out.append(ys)
        app = Section("appendix", L("Appendix: for the accountant"), wide=True)
        app.parts.append(html.grid_table(reconciliation_grid(a, style), style))
        app.parts.append(html.grid_table(postings_grid(a, style), style))
        if pack.rules:
            app.parts.append(html.grid_table(rules_grid(pack.rules, style), style))
        out.append(app)
    return out


def _inline_svg(svg: str) -> str:
    """The chart inside the page: no XML declaration, scaled to the text width by CSS."""
    return svg.strip()


def to_html(pack: Pack, style: Style) -> str:
    lang = "nl" if style.locale is Locale.nl else "en"
    return html.document(f"{_title(pack)} - {_label(style, 'Board pack')}", lang,
                         sections(pack, style), contents=_label(style, "Contents"))


def to_pdf(pack: Pack, style: Style) -> bytes:
    """The same HTML printed by WeasyPrint (the `pdf` extra); the caller checks that it is
    installed. No base URL and a fetcher that refuses: the pack asks for nothing."""
    from weasyprint import HTML  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"the pack fetches nothing ({url})")

    pdf: bytes = HTML(string=to_html(pack, style), url_fetcher=refuse).write_pdf()
    return pdf


def pdf_missing() -> BdurError | None:
    """The one-line usage error for a PDF without WeasyPrint, or None when it is there."""
    import importlib.util

    if importlib.util.find_spec("weasyprint") is not None:
        return None
    return BdurError([Finding("usage", "a PDF pack needs WeasyPrint, which is not installed: "
                              "pip install 'bdur[pdf]' (or pip install weasyprint)")],
                     EXIT_USAGE)


# --- the workbook ----------------------------------------------------------------------------

def grids(pack: Pack, style: Style) -> list[Grid]:
    """The pack as grids for the workbook, one sheet each, in the document's order."""
    from . import realisation as board
    from .report import fte_grid, table2_grid

    names = pack.names
    out = [summary_grid(pack, style), table2_grid(pack.table2, style),
           fte_grid(pack.fte, style), incidental_grid(pack.incidental, style, names)]
    if pack.comparison is not None:
        out.append(compare_grid(pack.comparison, style))
    a = pack.analysis
    if a is not None:
        out.append(for_board(board.overview_grid(a, style), a))
        rg = board.reserve_grid(a, style)
        if rg is not None:
            out.append(rg)
        out += [for_board(board.detail_grid(a, y.year, style), a)
                for y in a.realisation.years if y.status != "future"]
        out += [reconciliation_grid(a, style, exact=True), postings_grid(a, style, exact=True)]
        if pack.rules:
            out.append(rules_grid(pack.rules, style))
    return out


def to_workbook(pack: Pack, style: Style) -> Any:
    """The pack as a workbook: a sheet per grid, each printable on its own and finished for
    the board (`grid.board_sheet`)."""
    from .grid import board_sheet
    from .xlsx import new_workbook

    wb = new_workbook()
    used: set[str] = set()
    title = _title(pack)
    exact = (_label(style, "Reconciliation"), _label(style, "Unmapped postings"))
    for n, g in enumerate(grids(pack, style)):
        name = _sheet_name(g.sheet, used)
        ws = wb.active if n == 0 else wb.create_sheet(name)
        ws.title = name
        board_sheet(ws, g, style, title, pack.made.isoformat(), cents=g.sheet in exact)
    return wb


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    out, n = clean, 2
    while out.lower() in used:
        out = f"{clean[:28]} {n}"
        n += 1
    used.add(out.lower())
    return out
