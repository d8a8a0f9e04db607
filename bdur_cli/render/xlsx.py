"""The xlsx format's building blocks (openpyxl, the `xlsx` extra, imported when used): a
workbook, a sheet's title, exact numeric cells, euro and fte number formats, column widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..errors import EXIT_USAGE, BdurError, Finding
from .style import Locale, Style, Unit

#: An openpyxl Workbook / Worksheet (openpyxl is optional: not imported to name its types).
Workbook = Any
Worksheet = Any

FTE_FORMAT = "0.0##"


def new_workbook() -> Workbook:
    """An empty openpyxl Workbook, or a usage error saying how to install openpyxl."""
    try:
        from openpyxl import Workbook as OpenpyxlWorkbook
    except ImportError:
        raise BdurError([Finding("usage", "--format xlsx needs openpyxl, and it is not "
                                 "installed", hint="pip install openpyxl (or reinstall bdur "
                                 "with its xlsx extra: pip install -e '.[xlsx]' in bdur's "
                                 "folder)")],
                        EXIT_USAGE) from None
    return OpenpyxlWorkbook()


def sheet_title(ws: Worksheet, title: str) -> Any:
    """Put the view's title in A1, in bold; return the bold font for the sheet's other rows."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    ws.append([title])
    ws["A1"].font = bold
    return bold


def euro_format(style: Style) -> str:
    """The Excel number format of a euro amount; in thousands, Excel's scaling comma keeps the
    cell's value in exact euros while it shows thousands."""
    scale = "," if style.unit is Unit.thousand else ""
    if style.locale is Locale.nl:
        return f'"€" #,##0{scale};"€" -#,##0{scale}'
    return f'"€"#,##0{scale};-"€"#,##0{scale}'


def cell_value(value: Decimal | None) -> int | Decimal | None:
    """A cell value: whole numbers as int, fractions as Decimal (written exactly)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def last_row(ws: Worksheet) -> int:
    """The row `ws.append` wrote last. Not `ws.max_row`: that scans every cell of the sheet,
    and asked once per row it made a 100,000-line workbook quadratic (870 s)."""
    row: int = ws._current_row
    return row


def format_row(ws: Worksheet, first: int, count: int, number_format: str) -> None:
    """Give `count` cells of the last row, from column `first`, a number format."""
    row = last_row(ws)
    for col in range(first, first + count):
        ws.cell(row=row, column=col).number_format = number_format


def widths(ws: Worksheet, labels: Sequence[int], numbers: int, tail: Sequence[int]) -> None:
    """Column widths: the label columns, `numbers` numeric columns, the trailing columns."""
    from openpyxl.utils import get_column_letter

    for n, width in enumerate([*labels, *([14] * numbers), *tail], start=1):
        ws.column_dimensions[get_column_letter(n)].width = width


def board_format(style: Style, cents: bool = False) -> str:
    """Money as the board reads it in a cell: -0.40 is € 0, not "€ -0" (Excel shows a
    negative fraction under 0.5 in the negative section otherwise)."""
    digits = "#,##0.00" if cents else "#,##0"
    if style.locale is Locale.nl:
        return f'[<=-0.5]"€" -{digits};[>=0.5]"€" {digits};"€" 0'
    return f'[<=-0.5]-"€"{digits};[>=0.5]"€"{digits};"€"0'
