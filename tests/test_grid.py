"""The Grid's features for tables among others (`bdur realisation`): a title inside the
table, a styled cell, a year once over its group, no header, one note for the whole view."""

from __future__ import annotations

import io
from decimal import Decimal

from bdur_cli.render import grid
from bdur_cli.render.grid import Column, Grid, GridRow, Styled
from bdur_cli.render.style import Style


def _text(g: Grid, colour: bool = False) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=60, no_color=not colour, force_terminal=colour,
            color_system="standard" if colour else None, highlight=False).print(
        grid.table(g, Style.make(unit="thousand")))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


GRID = Grid("By kind", (Column("Year", "year", once=True), Column("Budget", "budget", "money"),
                        Column("Part", "part"), Column("n", "n", right=True)),
            (GridRow(("2023", Decimal(1500), Styled("staff"), "1")),
             GridRow(("2023", Decimal(2500), "means", "22"), end_section=True),
             GridRow(("2024", Decimal(0), "staff", "333"))),
            caption=True, noted=False, notes=("a line under it",))


def test_title_inside_year_once_no_note_in_thousands() -> None:
    # The year only on each group's first row; the counts right-aligned; no "amounts x
    # €1,000" line: the view states one note for all its tables.
    assert _text(GRID) == "\n".join([
        "By kind",
        "",
        " Year   Budget   Part      n",
        " ───────────────────────────",
        " 2023       €2   staff     1",
        "            €3   means    22",
        "",
        " 2024       €0   staff   333",
        "",
        "a line under it"])


def test_noted_grid_states_the_unit_and_markdown_and_csv_keep_the_year() -> None:
    noted = Grid("T", GRID.columns, GRID.rows)
    assert _text(noted).splitlines()[-1] == "amounts x €1,000"
    md = grid.markdown(noted, Style.make())
    assert "| 2023 | €1,500 | staff | 1 |\n|  | €2,500 | means | 22 |\n| 2024 |" in md
    assert "|---|---:|---|---:|" in md
    assert [r["year"] for r in grid.records(noted)] == ["2023", "2023", "2024"]


def test_styled_cell_is_bold_in_the_table_and_escaped() -> None:
    g = Grid("", (Column("Note", "note"),), (GridRow((Styled("[red]x"),)),
                                               GridRow((Styled("short", "red"),))),
             header=False)
    text = _text(g, colour=True)
    assert "\x1b[1m[red]x\x1b[0m" in text  # bold, and the name's markup stays text
    assert "\x1b[31mshort\x1b[0m" in text
    assert "Note" not in text
