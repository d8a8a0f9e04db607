"""The options every command shares, declared once: the plan, the format, the reader's style,
the output file, the realisation's mapping, export, month and date, the years.

A command names an option here and, where its sentence differs, says its own help. The
`--format` choices of a command are the formats its view offers (`render.view`; the views
declare them from the same enums, and tests/test_views.py holds each command's help to its
view). Choices are parsed here, not by typer's pydantic check, so a wrong one reads plainly:
"'xml' is not one of 'table', 'json'." Years are parsed here too, with a hint for the spans
people try first.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..render.formats import FundingBasis, Locale, Unit
from .run import usage_error

E = TypeVar("E", bound=StrEnum)

#: The gap, said once: the help of `bdur totals` and `bdur report` prints it, and
#: tests/test_options.py holds docs/commands.md and the JSON's arithmetic to it.
GAP = ("gap = funding - net cost (planned - income) - reserve additions + reserve withdrawals: "
       "positive is room left, negative a shortfall. For a plan without income or reserves "
       "that is funding - planned.")

def plain_help_types() -> None:
    """Recent typer prints a type beside every parameter; for a flag (`<bool>`, also --help's)
    or a list argument (`<list[Path]>`) that is Python, not help. Flags show none, lists their
    element type. typer has no setting for it, so its display method is replaced: the one
    patch of typer that bdur keeps (a list argument's type ignores any metavar). pyproject.toml
    bounds typer to the versions it is known to work with, and tests/test_options.py fails
    when typer changes under it."""
    from typer import core

    names = {"Path": "file", "str": "text"}
    for cls in (getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)):
        original = getattr(cls, "display_type_rich", None)
        if cls is None or original is None or getattr(original, "bdur", False):
            continue  # not there: the test says so; already replaced: once is enough

        def display(self: Any, ctx: Any, _original: Any = original) -> str | None:
            if getattr(self, "is_flag", False):
                return None
            label: str | None = _original(self, ctx)
            if isinstance(label, str) and label.startswith("<list[") and "]>" in label:
                inner = label[len("<list["):label.index("]>")]
                label = f"<{names.get(inner, inner)}>..."
            return label

        display.bdur = True  # type: ignore[attr-defined]  # applied once, whoever imports
        cls.display_type_rich = display


plain_help_types()


def choice(kind: type[E]) -> Callable[[Any], E]:
    """A parser for one of `kind`'s values, in any case, with click's own wording."""

    def parse(value: Any) -> E:
        if isinstance(value, kind):
            return value
        for c in kind:
            if c.value.casefold() == str(value).casefold():
                return c
        raise typer.BadParameter(
            f"{str(value)!r} is not one of {', '.join(repr(c.value) for c in kind)}.")

    return parse


def format_option(kind: type[StrEnum], default: str | None = "table",
                  notes: dict[str, str] | None = None, tail: str = "") -> Any:
    """--format: exactly `kind`'s formats, listed in the help in their order."""
    listed = ", ".join(
        c.value + (" (the default)" if c.value == default else "")
        + (f" ({notes[c.value]})" if notes and c.value in notes else "") for c in kind)
    return typer.Option("--format", case_sensitive=False, show_default=False,
                        parser=choice(kind), help=f"Output format: {listed}{tail}")


#: What --format's help says of -o, for the commands whose format it may choose.
BY_EXTENSION = "; with -o, the file's extension chooses when --format is not given."


def file_option(help: str = "Allocation plan or scenario file. Default: "
                "./data/allocations.yaml.", metavar: str | None = "FILE") -> Any:
    return typer.Option("--file", "-f", metavar=metavar, help=help, show_default=False)


def output_option(help: str = "Write to this file instead of stdout (atomically: a failed "
                  "run leaves no half file; only a regular file, never one of the inputs; "
                  "'-' is stdout). Required for xlsx.") -> Any:
    # parser=Path: typer's own check of the path would answer a directory with click's boxed
    # error; `render.safety` refuses it (and devices, and the inputs) in bdur's words.
    return typer.Option("--output", "-o", metavar="FILE", parser=Path, show_default=False,
                        help=help)


def mapping_option(help: str = "Budget against realisation: the mapping file of `bdur "
                   "realisation` (how the ledger export is read and which plan lines its "
                   "postings are booked on; see docs/realisation.md).") -> Any:
    return typer.Option("--mapping", "-m", show_default=False, help=help)


def actuals_option(help: str = "With --mapping: the ledger export (.csv or .xlsx). Default: "
                   "export.file in the mapping.") -> Any:
    return typer.Option("--actuals", show_default=False, help=help)


def through_option(help: str = "With --mapping: the reporting month of a running year; the "
                   "rest of that year is forecast from the budget.") -> Any:
    return typer.Option("--through", metavar="YYYY-MM", show_default=False, help=help)


def as_of_option(help: str = "With --mapping, when the plan is a budget amendment: the "
                 "budget as it stood on this date.") -> Any:
    return typer.Option("--as-of", metavar="YYYY-MM-DD", show_default=False, help=help)


def year_argument(command: str, help: str, needs: str = "") -> Any:
    """YEAR of `bdur COMMAND`, parsed by `one_year`: typer's int would answer '2024..2026'
    in pydantic's words."""
    return typer.Argument(help=help, metavar="YEAR", show_default=False,
                          parser=lambda text: one_year(text, command, needs))


class By(StrEnum):
    """How `bdur realisation YEAR` breaks its year down besides goals, themes and lines."""

    month = "month"


ByOption = Annotated[By | None, typer.Option(
    "--by", case_sensitive=False, parser=choice(By), show_default=False,
    help="With YEAR: 'month' shows that year month by month: realised per month and "
    "cumulative against the budget phased by the months each line is in force.")]


FileOption = Annotated[Path | None, file_option()]
OutputOption = Annotated[Path | None, output_option()]
MappingOption = Annotated[Path | None, mapping_option()]
ActualsOption = Annotated[Path | None, actuals_option()]
ThroughOption = Annotated[str | None, through_option()]
AsOfOption = Annotated[str | None, as_of_option()]
LocaleOption = Annotated[Locale, typer.Option(
    "--locale", envvar="BDUR_LOCALE", show_envvar=True, case_sensitive=False,
    parser=choice(Locale),
    help="Language and number format of tables: en (€1,685,000) or nl (€ 1.685.000, Dutch "
    "labels; needs Babel: pip install babel). json and csv are not affected.")]
UnitOption = Annotated[Unit, typer.Option(
    "--unit", case_sensitive=False, parser=choice(Unit),
    help="Show amounts in euros, or in thousands (x €1,000). json and csv always hold exact "
    "euros.")]
YearsOption = Annotated[str | None, typer.Option(
    "--years", metavar="FIRST..LAST", show_default=False,
    help="Only these years, e.g. 2024..2026 or 2025 (default: the whole horizon). A "
    "cumulative gap still counts from the first year of the plan.")]
FundingOption = Annotated[FundingBasis, typer.Option(
    "--funding", parser=choice(FundingBasis),
    help="all: every source whatever its status (the default); granted: only granted "
    "money (forecast and conditional funding, sources and income count as 0).")]
ExcelOption = Annotated[bool, typer.Option(
    "--excel", help="With csv: the CSV Dutch Excel opens in columns (; between fields, "
    "decimal comma, UTF-8 with BOM). Also when --locale nl is given with --format csv.")]


# --- years -----------------------------------------------------------------------------------


def _span(text: str) -> tuple[int | None, int | None, bool]:
    """'2024..2026' -> (2024, 2026, True), '2025' -> (2025, None, False), '..2025' ->
    (None, 2025, True); ValueError when a side is no whole number."""
    start, sep, end = text.strip().partition("..")
    return (int(start) if start.strip() else None, int(end) if end.strip() else None,
            bool(sep))


def one_year(text: Any, command: str, needs: str = "") -> int | None:
    """`bdur COMMAND YEAR`: one year or none, with a pointer for the spans people try first.
    `needs` is what the command needs besides (' -m MAPPING'), for the hint's examples."""
    if text is None or isinstance(text, int):
        return text
    if text.strip().isdigit():  # and not '²', which isdigit() too
        with suppress(ValueError):
            return int(text)
    if ".." in text or "-" in text.strip("-"):
        usage_error(f"bdur {command} takes one year or none, not '{text}'",
                    hint=f"all years: bdur {command}{needs}; one year: bdur {command} "
                    f"2024{needs}; some years as a table: bdur report{needs} --years "
                    "2024..2026")
    usage_error(f"'{text}' is not a year", hint=f"bdur {command} 2024{needs}")


def years_option(text: str | None, first: int, last: int, path: Path | None = None) \
        -> range | None:
    """`--years 2024..2026` (or `2025`, `2024..`, `..2025`) within the horizon first..last
    of the plan `path`."""
    if text is None:
        return None
    try:
        start, end, sep = _span(text)
    except ValueError:
        usage_error(f"--years: expected FIRST..LAST such as 2024..2026, got '{text}'")
    low = first if start is None else start
    high = (last if end is None else end) if sep else low
    if high < low:
        usage_error(f"--years: {low}..{high} ends before it starts")
    if low < first or high > last:
        where = f" of {path}" if path is not None else ""
        usage_error(f"--years: {low}..{high} is outside the horizon {first}-{last}{where}")
    return range(low, high + 1)


# --- funding ---------------------------------------------------------------------------------

#: After the title of a figure computed with --funding granted.
GRANTED_ONLY = " (granted money only)"


def on_funding(plan: Any, basis: FundingBasis) -> Any:
    """The plan as --funding asks: as written, or on granted money alone (every forecast and
    conditional amount counts as 0), its title saying so."""
    if basis is FundingBasis.all:
        return plan
    from ..plan.flows import granted_only

    firm = granted_only(plan)
    # The title says so wherever a view shows it (Table 2, the chart).
    return firm.model_copy(update={"plan": firm.plan.model_copy(
        update={"title": firm.plan.title + GRANTED_ONLY})})


#: Above a table, Markdown or chart drawn with --funding granted (json and csv carry the
#: figures as computed, as `bdur totals --funding granted` does).
GRANTED_NOTE = ("Granted money only: forecast and conditional funding, sources and income "
                "count as 0.")


def granted_noted(result: object, basis: FundingBasis, form: str) -> object:
    """`result` with GRANTED_NOTE above it when --funding granted drew a table (or the
    terminal chart) or Markdown; as it is otherwise."""
    if basis is FundingBasis.all or result is None or form not in ("table", "markdown"):
        return result
    if isinstance(result, str):
        return f"_{GRANTED_NOTE}_\n\n{result}"
    from rich.console import Group
    from rich.text import Text

    drawn: Any = result  # a rich renderable (rich's types are not imported at start-up)
    return Group(Text(GRANTED_NOTE, style="bold"), drawn)
