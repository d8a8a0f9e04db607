"""The one place that knows output formats: tables, JSON, CSV, and how findings look.

Renderers take computed data (from `engine`) and return either a string or a rich renderable;
`write` sends either to a stream. rich is imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from ..engine import GroupTotals, YearTotals
from ..errors import Finding


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


# --- numbers ---------------------------------------------------------------------------------

def plain_number(value: Decimal) -> str:
    """A Decimal as the shortest exact decimal text: 1685000, 11.5, -0.25."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal, signed: bool = False) -> str:
    """€1,505,000; with `signed`, +€145,000 and -€277,851."""
    text = f"€{abs(int(value)):,}"
    if value < 0:
        return f"-{text}"
    return f"+{text}" if signed and value > 0 else text


def fte(value: Decimal) -> str:
    return plain_number(value)


# --- JSON ------------------------------------------------------------------------------------

def _json(value: Any, indent: str, step: str) -> str:
    # Hand-written so that Decimals come out as exact JSON numbers, never through float.
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + step
        items = ",\n".join(f"{inner}{json.dumps(str(k), ensure_ascii=False)}: "
                           f"{_json(v, inner, step)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + step
        items = ",\n".join(inner + _json(v, inner, step) for v in value)
        return "[\n" + items + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def to_json(value: Any) -> str:
    """JSON text with 2-space indentation; Decimal values become exact numbers."""
    return _json(value, "", "  ") + "\n"


# --- CSV -------------------------------------------------------------------------------------

def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(plain_number(v) if isinstance(v, Decimal) else
                            ("" if v is None else v) for v in row.values())
    return out.getvalue()


# --- rich tables -----------------------------------------------------------------------------

def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stream: IO[str] | None = None) -> Any:
    """A rich Console: colour only on a terminal and without NO_COLOR; wide when piped."""
    from rich.console import Console

    stream = stream or sys.stdout
    tty = _is_terminal(stream)
    no_color = bool(os.environ.get("NO_COLOR"))
    width = None if tty else int(os.environ.get("COLUMNS", "0") or 0) or 200
    return Console(file=stream, no_color=no_color or not tty, force_terminal=False,
                   highlight=False, width=width, emoji=False, soft_wrap=False,
                   color_system="auto" if tty and not no_color else None)


def _table(title: str | None, columns: Iterable[tuple[str, str]]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=_escape(title) if title else None, box=box.SIMPLE_HEAD,
                  title_justify="left", pad_edge=False, title_style="bold",
                  header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _gap_style(value: Decimal) -> str:
    return "red" if value < 0 else "green"


def write(output: Any, stream: IO[str] | None = None) -> None:
    """Send a rendered string or rich renderable to `stream` (stdout by default)."""
    stream = stream or sys.stdout
    if not isinstance(output, str):
        con = console(stream)
        if con.is_terminal:
            con.print(output)
            return
        # Piped: plain text, without the padding rich adds to reach the table's width.
        with con.capture() as captured:
            con.print(output)
        output = "\n".join(line.rstrip() for line in captured.get().split("\n"))
    stream.write(output)
    stream.flush()


# --- totals ----------------------------------------------------------------------------------

def totals_records(rows: Sequence[YearTotals]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in rows]


def totals(rows: Sequence[YearTotals], fmt: Format, *, title: str = "",
           breakdown: list[GroupTotals] | None = None) -> Any:
    """`bdur totals`: one row per year, or one year (rows has one item) with its breakdown."""
    single = breakdown is not None
    if fmt is Format.json:
        if single:
            record = rows[0].as_dict()
            record["goals"] = [g.as_dict() for g in breakdown or []]
            return to_json(record)
        return to_json(totals_records(rows))
    if fmt is Format.csv:
        return to_csv(totals_records(rows))
    return _totals_year_table(rows[0], breakdown or [], title) if single else \
        _totals_table(rows, title)


def _heading(title: str) -> list[Any]:
    from rich.text import Text

    return [Text(title, style="bold")] if title else []


def _totals_table(rows: Sequence[YearTotals], title: str) -> Any:
    from rich.console import Group

    table = _table(None, [
        ("Year", "left"), ("Funding", "right"), ("", "left"), ("Planned", "right"),
        ("Incidental", "right"), ("Structural", "right"), ("Staff", "right"),
        ("Means", "right"), ("fte", "right"), ("Gap", "right"), ("Cumulative gap", "right"),
    ])
    for r in rows:
        table.add_row(
            str(r.year), money(r.funding), r.funding_status or "", money(r.planned),
            money(r.incidental), money(r.structural), money(r.staff), money(r.means), fte(r.fte),
            f"[{_gap_style(r.gap)}]{money(r.gap, signed=True)}[/]",
            f"[{_gap_style(r.cumulative_gap)}]{money(r.cumulative_gap, signed=True)}[/]",
        )
    return Group(*_heading(title), table)


def _totals_year_table(r: YearTotals, goals: list[GroupTotals], title: str) -> Any:
    from rich.console import Group

    summary = _table(f"{r.year}", [("", "left"), ("", "right")])
    summary.show_header = False
    summary.add_row("Funding" + (f" ({r.funding_status})" if r.funding_status else ""),
                    money(r.funding))
    summary.add_row("Planned", money(r.planned))
    summary.add_row("  incidental", money(r.incidental))
    summary.add_row("  structural", money(r.structural))
    summary.add_row("  staff", money(r.staff))
    summary.add_row("  means", money(r.means))
    summary.add_row("fte", fte(r.fte))
    summary.add_row("Gap (funding - planned)",
                    f"[{_gap_style(r.gap)}]{money(r.gap, signed=True)}[/]")
    summary.add_row("Cumulative gap", f"[{_gap_style(r.cumulative_gap)}]"
                    f"{money(r.cumulative_gap, signed=True)}[/]")

    detail = _table(f"By goal and theme, {r.year}", [
        ("Goal / theme", "left"), ("Planned", "right"), ("Incidental", "right"),
        ("Structural", "right"), ("Staff", "right"), ("Means", "right"), ("fte", "right"),
    ])
    for goal in goals:
        detail.add_row(_escape(goal.name), *_group_cells(goal), style="bold")
        for theme in goal.children:
            detail.add_row("  " + _escape(theme.name), *_group_cells(theme))
    detail.add_row("Total", money(r.planned), money(r.incidental), money(r.structural),
                   money(r.staff), money(r.means), fte(r.fte), end_section=True, style="bold")
    return Group(*_heading(title), summary, detail)


def _group_cells(g: GroupTotals) -> list[str]:
    return [money(g.planned), money(g.incidental), money(g.structural), money(g.staff),
            money(g.means), fte(g.fte)]


# --- findings --------------------------------------------------------------------------------

def finding_line(f: Finding) -> str:
    """`path:line:col: error: message [code] (hint: ...)` on one line."""
    where = f"{f.location}: " if f.location else ""
    hint = f" (hint: {f.hint})" if f.hint else ""
    return f"{where}{f.level}: {f.message} [{f.code}]{hint}"
