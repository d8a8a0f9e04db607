"""A table laid out once, as data, and encoded by each format.

A view that is a table (the memo's Table 2, the realisation for the board) builds a `Grid`:
its columns (a reader's heading, a machine key, what kind of figure), its rows (the cells,
bold for a total, signed for a gap, a rule under the last row of a group) and what must add
up under it (the note). The formats only encode it: a rich table, a Markdown pipe table, CSV
records and an xlsx sheet. So a heading, a subtotal or a note is decided in one place, and
the formats cannot drift apart.

Cells hold exact figures (Decimal); a format spells them: the style's money for a reader,
exact numbers in CSV and in the workbook (with a number format that shows them as money).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .markdown import markdown_table
from .style import Style, Sum
from .table import Clauses, Renderable, clauses, escape, gap_cell, heading, new_table

#: What a column holds: text, a year, euros, fte, or a percentage (-3.6 for -3.6%).
Kind = Literal["text", "year", "money", "fte", "percent"]
#: Who sees a column: everyone, only a reader (table, Markdown, xlsx) or only a machine (CSV).
Audience = Literal["all", "reader", "machine"]
Cell = str | Decimal | None


class Styled(str):
    """Text that the table shows in a rich style (a missing explanation in bold, a shortfall
    not covered in red); every other format reads it as the plain text it is."""

    style: str

    def __new__(cls, text: str, style: str = "bold") -> Styled:
        self = super().__new__(cls, text)
        self.style = style
        return self

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # what a reader sees, in the style's language
    key: str  # the CSV header
    kind: Kind = "text"
    width: int = 14  # in the workbook
    audience: Audience = "all"
    signed: bool = False  # money always with its sign (a deviation, a result)
    #: How the table colours its money: "gap" red when short (below 0), "cost" red when
    #: over budget (above 0); "" not at all (a row's `signed` colours as a gap).
    colour: Literal["", "gap", "cost"] = ""
    #: Shown by a reader only on a group's first row (the first row, and each row after one
    #: that ends a section): the year once over its parts. CSV and the workbook (a filter, a
    #: sort) hold it on every row.
    once: bool = False
    #: Text aligned right (a count, an amount spelled to the cent); figures always are.
    right: bool = False

    @property
    def numeric(self) -> bool:
        """A figure: right-aligned, with a number format in the workbook."""
        return self.kind not in ("text", "year")

    @property
    def justify(self) -> str:
        return "right" if self.numeric or self.right else "left"


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[Cell, ...]  # one per column of the grid
    bold: bool = False  # a total or a group's heading
    signed: bool = False  # money with its sign, coloured in the table (a gap, a deviation)
    blank_zero: bool = False  # 0 shown as an empty cell, as the memo leaves an empty cell
    end_section: bool = False  # a rule under it in the table
    indent: int = 0  # levels of indentation of the grid's `indent_key` column


@dataclass(frozen=True)
class Grid:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    #: What must add up as shown (the rounding note, `Style.note`).
    sums: tuple[Sum, ...] = ()
    #: Lines under the table after the note (what a deviation means, the amendments).
    notes: tuple[str, ...] = ()
    #: The xlsx sheet's name.
    sheet: str = "Sheet"
    #: Markdown: the title as a bold line above the table, bold rows in bold.
    markdown_bold: bool = False
    #: The column whose text is indented by a row's `indent` (a theme under its goal).
    indent_key: str | None = None
    #: The table: the title inside it (as a table among others under one heading) rather
    #: than as a heading above it.
    caption: bool = False
    #: The table: the column headings shown.
    header: bool = True
    #: The note (unit, rounding differences) under this grid; False where the view states one
    #: note for all its tables (`bdur realisation`).
    noted: bool = True

    def _shown(self, audience: Audience) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.audience in ("all", audience)]

    def note(self, style: Style) -> str | None:
        """The line under the table (the unit, rounding differences): only where it shows
        money (an fte table in thousands has no unit to state)."""
        if not self.noted or not any(c.kind == "money" for c in self.columns):
            return None
        return style.note(list(self.sums))


def _blank(value: Cell, row: GridRow) -> bool:
    return value is None or (row.blank_zero and isinstance(value, Decimal) and value == 0)


def spell(column: Column, value: Cell, row: GridRow, style: Style) -> str:
    """A cell as a reader reads it."""
    if isinstance(value, str):
        return value
    if value is None and column.kind == "percent":
        return "-"  # no budget, so no percentage of it
    if value is None or _blank(value, row):
        return ""
    if column.kind == "year":
        return str(value)
    if column.kind == "money":
        return style.money(value, row.signed or column.signed)
    if column.kind == "percent":
        return style.percent(value)
    return style.number(value)


# --- the formats -----------------------------------------------------------------------------

def _indented(grid: Grid, column: Column, row: GridRow, text: str, pad: str) -> str:
    if row.indent and column.key == grid.indent_key and column.audience != "machine":
        return pad * row.indent + text
    return text


def records(grid: Grid) -> list[dict[str, Any]]:
    """CSV rows: the machine columns, exact numbers (0 written as 0), English keys."""
    shown = grid._shown("machine")
    return [{grid.columns[i].key: ("" if row.cells[i] is None else row.cells[i])
             for i in shown} for row in grid.rows]


def markdown(grid: Grid, style: Style) -> str:
    shown = grid._shown("reader")
    cols = [grid.columns[i] for i in shown]
    body = []
    first = True  # a group's first row
    for row in grid.rows:
        cells = ["" if grid.columns[i].once and not first else
                 _indented(grid, grid.columns[i], row,
                           spell(grid.columns[i], row.cells[i], row, style), "&nbsp;" * 2)
                 for i in shown]
        first = row.end_section
        if grid.markdown_bold and row.bold:  # the label and the figures; a note stays light
            cells = [f"**{c}**" if c and (n == 0 or grid.columns[i].numeric) else c
                     for n, (i, c) in enumerate(zip(shown, cells, strict=True))]
        body.append(cells)
    title = f"**{grid.title}**\n\n" if grid.markdown_bold and grid.title else ""
    out = title + markdown_table([c.header for c in cols], body,
                                  [c.justify == "right" for c in cols])
    note_ = grid.note(style)
    out += "" if note_ is None else f"\n{note_}\n"
    if grid.notes:
        out += "\n" + "\n\n".join(grid.notes) + "\n"
    return out


def table(grid: Grid, style: Style, titled: bool = True) -> Renderable:
    """A rich table under its title (or with it inside), with the note and the lines under
    it."""
    from rich.console import Group
    from rich.text import Text

    shown = grid._shown("reader")
    cols = [grid.columns[i] for i in shown]
    rich = new_table(grid.title if grid.caption else None,
                     [(c.header, c.justify) for c in cols])
    rich.show_header = grid.header
    first = True  # a group's first row
    for row in grid.rows:
        cells = []
        for i in shown:
            column, value = grid.columns[i], row.cells[i]
            text = spell(column, value, row, style)
            coloured = isinstance(value, Decimal) and column.kind == "money" and \
                not _blank(value, row)
            if column.once and not first:
                cells.append("")
            elif isinstance(value, Styled):
                cells.append(f"[{value.style}]" + _indented(grid, column, row, escape(text),
                                                            "  ") + "[/]")
            elif isinstance(value, str):
                cells.append(_indented(grid, column, row, escape(text), "  "))
            elif coloured and isinstance(value, Decimal) and (row.signed or
                                                               column.colour == "gap"):
                cells.append(gap_cell(text, value))
            elif coloured and isinstance(value, Decimal) and column.colour == "cost" and value:
                cells.append(f"[{'red' if value > 0 else 'green'}]{text}[/]")
            else:
                cells.append(text)
        rich.add_row(*cells, style="bold" if row.bold else None, end_section=row.end_section)
        first = row.end_section
    under = [*(Text(n) for n in [grid.note(style)] if n),
             *(clauses(n) if isinstance(n, Clauses) else Text(n) for n in grid.notes)]
    rich.spaced = bool(under)  # a blank line before the notes in every layout
    return Group(*(heading(grid.title) if titled and not grid.caption else []), rich, *under)


def sheet(ws: Any, grid: Grid, style: Style) -> None:
    """Fill an openpyxl worksheet: the title in A1, the headings in row 2 (frozen), figures as
    exact numbers with a money, fte or percent format, totals in bold, the note under it."""
    from .xlsx import FTE_FORMAT, cell_value, euro_format, last_row, sheet_title

    shown = grid._shown("reader")
    cols = [grid.columns[i] for i in shown]
    formats = {"money": euro_format(style), "fte": FTE_FORMAT,
               "percent": '+0.0%;-0.0%;0.0%'}
    bold = sheet_title(ws, grid.title)
    ws.append([c.header for c in cols])
    for c in ws[2]:
        c.font = bold
    for row in grid.rows:
        values: list[Any] = []
        for i in shown:
            value = row.cells[i]
            if isinstance(value, Decimal):
                if _blank(value, row):
                    value = None
                elif grid.columns[i].kind == "percent":
                    value = value / _HUNDRED  # Excel's percent is a fraction
            values.append(cell_value(value) if isinstance(value, Decimal) or value is None
                          else value)
        ws.append(values)
        at = last_row(ws)
        for n, c in enumerate(cols, start=1):
            if c.numeric:
                ws.cell(row=at, column=n).number_format = formats[c.kind]
        if row.bold:
            for c in ws[at]:
                c.font = bold
        if row.indent and grid.indent_key is not None:
            # Excel's own indent, so that the cell holds the name alone (a filter, a lookup).
            from openpyxl.styles import Alignment

            n = next(n for n, c in enumerate(cols, start=1) if c.key == grid.indent_key)
            ws.cell(row=at, column=n).alignment = Alignment(indent=2 * row.indent)
    lines = [n for n in (grid.note(style), *grid.notes) if n]
    if lines:
        ws.append([])
        for line in lines:
            ws.append([line])
    first = next((n for n, c in enumerate(cols, start=1) if c.numeric), 1)
    ws.freeze_panes = ws.cell(row=3, column=first).coordinate
    from openpyxl.utils import get_column_letter

    for n, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(n)].width = c.width


def board_sheet(ws: Any, grid: Grid, style: Style, title: str, made: str = "",
                cents: bool = False) -> None:
    """A grid as a sheet the board prints (the pack's, `bdur report --mapping`'s): headings
    wrapped and widths that fit the figures, panes frozen under the headings, A4 landscape
    fit to the page's width, the heading rows repeated on every page, the title in the page
    header and the page number (and `made`, the date) in the footer; money to the cent with
    `cents`. Text from a plan or an export stays text (no live formula)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from .safety import neutralise_sheet
    from .xlsx import board_format

    sheet(ws, grid, style)
    neutralise_sheet(ws)
    shown = [c for c in grid.columns if c.audience in ("all", "reader")]
    money = board_format(style, cents)
    rows = range(3, 3 + len(grid.rows))
    for col, c in enumerate(shown, start=1):
        letter = get_column_letter(col)
        texts = [str(ws.cell(row=r, column=col).value or "") for r in rows]
        if c.kind == "money":
            for r in rows:
                ws.cell(row=r, column=col).number_format = money
            longest = max((len(f"{Decimal(t):,.0f}") + 3 for t in texts if _is_number(t)),
                          default=8)
        else:
            longest = max((len(t) for t in texts), default=4)
        header_word = max((len(w) for w in c.header.split()), default=4)
        ws.column_dimensions[letter].width = max(6, min(60, max(longest, header_word) + 2))
        ws.cell(row=2, column=col).alignment = Alignment(
            wrap_text=True, vertical="top", horizontal="right" if c.numeric else "left")
        if not c.numeric:
            for r in rows:
                cell = ws.cell(row=r, column=col)
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           indent=cell.alignment.indent)
    ws.row_dimensions[2].height = 15 * max(
        (_lines(c.header, ws.column_dimensions[get_column_letter(i)].width)
         for i, c in enumerate(shown, start=1)), default=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    # The grid's title names the plan already where it is the realisation's.
    header = grid.title if title in grid.title else f"{title} - {grid.title}"
    ws.oddHeader.center.text = header.replace("&", "&&")[:250]
    if made:
        ws.oddFooter.left.text = made
    ws.oddFooter.right.text = "&P / &N"


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return text.strip() != ""


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped heading takes in a column `width` characters wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines
