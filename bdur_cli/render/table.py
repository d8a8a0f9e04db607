"""The table format's building blocks (rich): a table in bdur's look, a heading, a note, a
coloured gap. rich is imported only when one is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .style import Style, Sum

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..plan.engine import YearTotals

#: A rich renderable (rich is not imported to name its types: start-up time).
Renderable = Any


def new_table(title: str | None, columns: Iterable[tuple[str, str]]) -> Renderable:
    """A borderless table with a bold left-aligned title; `columns` are (header, justify)."""
    from rich import box

    from .fit import FitTable as Table

    table = Table(title=escape(title) if title else None, box=box.SIMPLE_HEAD,
                  title_justify="left", pad_edge=False, title_style="bold",
                  header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def escape(text: str) -> str:
    """Text from a plan shown as is: `[bold]` in a theme's name is not markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def gap_style(value: Decimal) -> str:
    return "red" if value < 0 else "green"


def gap_cell(text: str, value: Decimal) -> str:
    """A gap's cell: red when short, green when there is room."""
    return f"[{gap_style(value)}]{text}[/]"


def heading(title: str) -> list[Renderable]:
    from rich.text import Text

    return [Text(title, style="bold")] if title else []


def note(style: Style, sums: Iterable[Sum] = ()) -> list[Renderable]:
    """The line under a table: the unit in thousands, and rounding differences if any."""
    from rich.text import Text

    text = style.note(sums)
    return [] if text is None else [Text(text)]


def funding_status_line(years: Sequence[YearTotals], style: Style) -> str | None:
    """Under Table 2 or the chart of a plan with sources besides the BDuR: each year's money
    by source with its status (the funding row adds them up), so a conditional grant is
    seen; None for a plan of the BDuR alone."""
    if not years or "sources" not in years[0].shown:
        return None
    L = style.label
    out = []
    for y in years:
        held = [f"{sid} {L(status)}" for sid, amount in y.funding_sources.items()
                if amount and (status := y.source_status.get(sid))]
        if held:
            out.append(f"{y.year} " + ", ".join(held))
    return L("Funding status") + ": " + "; ".join(out) if out else None
