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

    from ..plan.results import YearTotals

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


class Clauses(str):
    """A line of clauses joined by '; ' (the funding status): the table wraps it between
    clauses, so a year is never parted from its status; every other format reads it as the
    plain text it is."""


def clauses(text: str) -> Renderable:
    """`text` as rich lines no wider than the console: broken after a '; ' where it can be,
    and only within a clause that alone is wider than the console."""
    return _Clauses(text)


class _Clauses:
    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        # A clause wider than the console alone wraps at its spaces (rich does that).
        yield from (Text(line) for line in wrap_clauses(self.text, options.max_width))


def wrap_clauses(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken only after a '; ' (a clause
    longer than `width` gets a line of its own)."""
    parts = text.split("; ")
    lines: list[str] = []
    line = ""
    for n, part in enumerate(parts):
        piece = part + (";" if n + 1 < len(parts) else "")
        if line and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    return [*lines, line]


def funding_status_line(years: Sequence[YearTotals], style: Style) -> Clauses | None:
    """Under Table 2 and the chart: each year's funding status, so forecast or conditional
    money is seen beside the figures. A plan of the BDuR alone names the BDuR's status
    ('2023 granted; 2024-2026 forecast'); a plan with sources names each source that has
    money that year with its status ('2025 bdur forecast, gemeenten granted'), as the
    funding row adds them up; on granted money alone a year without any is 'none granted'.
    Consecutive years with the same words share a clause ('2024-2026'); None when no year
    has a status."""
    said = [(y.year, text) for y in years if (text := year_status(y, style))]
    runs: list[tuple[int, int, str]] = []  # first year, last year, words
    for year, text in said:
        if runs and runs[-1][2] == text and runs[-1][1] + 1 == year:
            runs[-1] = (runs[-1][0], year, text)
        else:
            runs.append((year, year, text))
    out = [f"{first}-{last} {text}" if last != first else f"{first} {text}"
           for first, last, text in runs]
    return Clauses(style.label("Funding status") + ": " + "; ".join(out)) if out else None


def year_status(y: YearTotals, style: Style) -> str:
    """A year's funding status in the style's words: the BDuR's ('forecast') for a plan of
    the BDuR alone, else each source with money that year ('bdur forecast, gemeenten
    granted'); '' when there is none."""
    from ..plan.results import NONE_GRANTED

    L = style.label
    mix = y.status_mix  # the BDuR's, or 'none granted' on granted money alone
    if "sources" not in y.shown or mix == NONE_GRANTED:
        return L(mix) if mix else ""
    return ", ".join(f"{sid} {L(status)}" for sid, amount in y.funding_sources.items()
                     if amount and (status := y.source_status.get(sid)))


class Footnote:
    """A note under a table that ends in a command to run ('(bdur check FILE says where)'):
    on one line where it fits, else the words (wrapped at spaces) and the command on a line of
    its own, a step in: the command is not broken, as a reader copies it whole."""

    def __init__(self, words: str, command: str | None = None) -> None:
        self.words, self.command = words, command

    def __str__(self) -> str:
        return self.words if self.command is None else f"{self.words} {self.command}"

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        if self.command is None or len(str(self)) <= options.max_width:
            yield Text(str(self))
            return
        from .fit import Wrapped

        yield Text(self.words)
        line = "  " + self.command
        # Whole on its line; only a command wider than the terminal itself wraps (after a
        # folder's '/', as a long file name does in a title).
        yield Text(line) if len(line) <= options.max_width else Wrapped(self.command)


#: Beside a file's name (compare) or a year (diff) where a rule is broken (listed under the
#: table).
MARK = "!"


def rules_broken(label: str, years: list[tuple[int, tuple[str, ...]]], style: Style,
                 granted_only: bool = False) -> str | None:
    """'! cyber breaks rules in 2027, 2028: structural-not-covered, over-funding': the rules a
    file (or a change, `bdur diff`) breaks, each once; rules broken in different years each
    with theirs ('breaks rules: over-funding in 2026, 2027; structural-not-covered in
    2027'). None when it breaks none."""
    codes: dict[str, list[int]] = {}  # the years of each rule, in the order found
    for year, broken in years:
        for code in broken:
            codes.setdefault(code, []).append(year)
    if not codes:
        return None
    groups: dict[tuple[int, ...], list[str]] = {}
    for code, found in codes.items():
        groups.setdefault(tuple(found), []).append(code)
    t = style.label
    verb = t("breaks")
    where = " " + t("on granted money alone") if granted_only else ""
    if len(groups) == 1:
        [(only, names)] = groups.items()
        what = t("a rule") if len(names) == 1 else t("rules")
        return (f"{MARK} {label} {verb} {what}{where} {t('in')} "
                f"{', '.join(map(str, only))}: {', '.join(names)}")
    return f"{MARK} {label} {verb} {t('rules')}{where}: " + "; ".join(
        f"{', '.join(names)} {t('in')} {', '.join(map(str, in_years))}"
        for in_years, names in groups.items())
