"""The `bdur` command line: thin commands that parse options, call the core and render.

No arithmetic here: figures come from `engine`, formats from `render`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn, TypeVar

import typer

from . import __version__
from .errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location, by_position
from .render import console
from .render.console import finding_line
from .render.encode import excel_csv, to_json
from .render.findings import CheckFormat
from .render.formats import DiffFormat, Format, FundingBasis, Grouping, Prices, ReportFormat
from .render.output import write_file, write_text_file
from .render.safety import is_stdout
from .render.style import Locale, Style, Unit

T = TypeVar("T")


def _plain_help_types() -> None:
    """Recent typer prints a type beside every parameter; for a flag (`<bool>`) or a list
    (`<list[Path]>`) that is Python, not help. Flags show none, lists their element type."""
    from typer import core

    names = {"Path": "file", "str": "text"}
    for cls in (getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)):
        original = getattr(cls, "display_type_rich", None)
        if cls is None or original is None:
            return

        def display(self: Any, ctx: Any, _original: Any = original) -> str | None:
            if getattr(self, "is_flag", False):
                return None
            label: str | None = _original(self, ctx)
            if isinstance(label, str) and label.startswith("<list[") and "]>" in label:
                inner = label[len("<list["):label.index("]>")]
                label = f"<{names.get(inner, inner)}>..."
            return label

        cls.display_type_rich = display


_plain_help_types()


def _plain_usage_errors() -> None:
    """typer checks choices through pydantic, whose 'Value error, ' prefix then reaches the
    reader of a usage error ("Invalid value for '--format': Value error, 'xlsx' is not ...")."""
    import importlib

    for name in ("typer._click.exceptions", "click.exceptions"):
        if name == "click.exceptions" and "typer._click" in sys.modules:
            continue  # typer carries its own click: importing click too costs start-up time
        try:
            cls: Any = importlib.import_module(name).BadParameter
        except (ImportError, AttributeError):
            continue
        original = cls.format_message

        def format_message(self: Any, _original: Any = original) -> str:
            return str(_original(self)).replace("Value error, ", "")

        cls.format_message = format_message


_plain_usage_errors()

app = typer.Typer(
    name="bdur",
    help="Budget calculator for the extra BDuR money of a Dutch safety region.\n\n"
    "Reads an allocation plan (YAML), computes per-year totals and the gap against funding.",
    epilog="Examples:  bdur totals 2024   ·   bdur totals --format json   ·   "
    "bdur totals -f my-plan.yaml",
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_FILE = Path("data/allocations.yaml")

FileOption = Annotated[
    Path | None,
    typer.Option("--file", "-f", metavar="FILE",
                 help="Allocation plan or scenario file. Default: ./data/allocations.yaml.",
                 show_default=False, dir_okay=False),
]

#: What to do when there is no plan: said the same way by every command.
NO_PLAN_HINT = ("point at a plan with -f FILE, start one with `bdur init`, or try the memo's "
                "sample with `bdur init --sample`")


def packaged(name: str) -> Path:
    """A file shipped inside the package (the memo's plan, the starting plan, the schema)."""
    return Path(str(resources.files("bdur_cli") / "data" / name))


def shipped_plan() -> Path:
    return packaged("allocations.yaml")


def resolve_file(file: Path | None) -> Path:
    """The plan a command reads: -f, else ./data/allocations.yaml. Never the memo's sample
    behind the user's back: a CI job whose glob matched nothing must not go green on it."""
    if file is not None:
        return file
    if DEFAULT_FILE.is_file():
        return DEFAULT_FILE
    raise BdurError([Finding(
        "no-plan", f"no plan to read: there is no {DEFAULT_FILE} in this folder",
        hint=NO_PLAN_HINT)], EXIT_USAGE)


def _fail(findings: list[Finding], code: int) -> NoReturn:
    for f in by_position(findings):
        typer.echo(finding_line(f), err=True)
    raise typer.Exit(code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn core errors into located one-line messages on stderr and the contract's exit code."""
    try:
        yield
    except BdurError as exc:
        _fail(exc.findings, exc.exit_code)
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        _fail([Finding("internal", f"internal error: {type(exc).__name__}: {exc}",
                       hint="please report this with the file that caused it")], EXIT_USAGE)


def usage_error(message: str) -> NoReturn:
    _fail([Finding("usage", message)], EXIT_USAGE)


def _run(fn: Callable[[], T]) -> T:
    with reported_errors():
        return fn()
    raise AssertionError("unreachable")  # pragma: no cover


LocaleOption = Annotated[
    Locale,
    typer.Option("--locale", envvar="BDUR_LOCALE", show_envvar=True, case_sensitive=False,
                 help="Language and number format of tables: en (€1,685,000) or nl "
                 "(€ 1.685.000, Dutch labels; needs Babel: pip install babel). "
                 "json and csv are not affected."),
]
UnitOption = Annotated[
    Unit,
    typer.Option("--unit", case_sensitive=False, help="Show amounts in euros, or in "
                 "thousands (x €1,000). json and csv always hold exact euros."),
]
YearsOption = Annotated[
    str | None,
    typer.Option("--years", metavar="FIRST..LAST", show_default=False,
                 help="Only these years, e.g. 2024..2026 or 2025 (default: the whole "
                 "horizon). A cumulative gap still counts from the first year of the plan."),
]


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", dir_okay=False, show_default=False,
                 help="Write to this file instead of stdout (atomically: a failed run leaves "
                 "no half file; only a regular file, never one of the inputs; '-' is "
                 "stdout). Required for xlsx."),
]


MappingOption = Annotated[Path | None, typer.Option(
    "--mapping", "-m", dir_okay=False, show_default=False,
    help="Budget against realisation: the mapping file of `bdur realisation` (how the ledger "
    "export is read and which plan lines its postings are booked on; see "
    "docs/realisation.md).")]
ActualsOption = Annotated[Path | None, typer.Option(
    "--actuals", dir_okay=False, show_default=False,
    help="With --mapping: the ledger export (.csv or .xlsx). Default: export.file in the "
    "mapping.")]
ThroughOption = Annotated[str | None, typer.Option(
    "--through", metavar="YYYY-MM", show_default=False,
    help="With --mapping: the reporting month of a running year; the rest of that year is "
    "forecast from the budget.")]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", metavar="YYYY-MM-DD", show_default=False,
    help="With --mapping, when the plan is a budget amendment: the budget as it stood on "
    "this date.")]


def analysed(mapping: Path, *, plan: Path | None, actuals: Path | None, through: str | None,
             as_of: str | None, year: int | None = None) -> Any:
    """The realisation of `mapping` (`api.realisation`), its findings on stderr; exit 1 on an
    error among them."""
    from . import api

    analysis = api.realisation(mapping, year=year, through=through, actuals=actuals,
                               plan=plan, as_of=as_of)
    errors = [f for f in analysis.findings if f.level == "error"]
    for f in [*errors, *(f for f in analysis.findings if f.level != "error")]:
        typer.echo(finding_line(f), err=True)
    if errors:
        raise typer.Exit(EXIT_INVALID)
    return analysis


def _realisation_only(mapping: Path | None, actuals: Path | None, through: str | None,
                      as_of: str | None) -> None:
    given = [name for name, value in (("--actuals", actuals), ("--through", through),
                                      ("--as-of", as_of)) if value is not None]
    if mapping is None and given:
        usage_error(f"{given[0]} reads the ledger export; it needs --mapping FILE")


def _written(path: Path) -> None:
    if not is_stdout(path):
        typer.echo(f"wrote {path}", err=True)


E = TypeVar("E", bound=StrEnum)

#: The extensions each format is written to; another known extension is a mismatch.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "json": (".json",), "gitlab": (".json",), "csv": (".csv",), "markdown": (".md", ".markdown"),
    "table": (".txt", ".text"), "text": (".txt", ".text"), "github": (".txt",),
    "azure": (".txt",), "junit": (".xml",), "xlsx": (".xlsx",), "svg": (".svg",),
}


def output_format(output: Path | None, given: E | None, choices: type[E], default: E,
                  command: str, writes: tuple[str, ...] | None = None) -> E:
    """The format to write: --format if given, else what --output's extension says, else
    `default`. A file named for one format and asked to hold another is refused: a .csv
    holding a box-drawn table opens as garbage."""
    if output is None:
        return given or default
    suffix = output.suffix.lower()
    says = [f for f, suffixes in FORMAT_SUFFIXES.items() if suffix in suffixes]
    if not says:
        return given or default
    if given is not None:
        if suffix not in FORMAT_SUFFIXES.get(given.value, ()):
            usage_error(f"--output {output} does not match --format {given.value}: a "
                        f"{suffix} file holds {says[0]}; drop --format, or name the file "
                        f"for {given.value} ({', '.join(FORMAT_SUFFIXES[given.value])})")
        return given
    # `writes`: the formats the command really writes, when fewer than its --format choices.
    written = [c for c in choices if writes is None or c.value in writes]
    for word in says:
        if word in {c.value for c in written}:
            return choices(word)
    known = sorted({s for c in written for s in FORMAT_SUFFIXES.get(c.value, ())})
    usage_error(f"bdur {command} does not write {says[0]} ({suffix}); its files are "
                + ", ".join(known))


def wants_excel(ctx: typer.Context, excel: bool, locale: Locale,
                fmt: StrEnum) -> bool:
    """`--excel`, or `--format csv --locale nl` typed on the command line (BDUR_LOCALE alone
    does not turn a script's CSV into Excel's)."""
    if fmt.value != "csv":
        if excel:
            usage_error("--excel is a CSV layout; use it with --format csv (or -o FILE.csv)")
        return False
    source = ctx.get_parameter_source("locale")  # typer may carry its own copy of click
    typed = source is not None and source.name == "COMMANDLINE"
    return excel or (typed and locale is Locale.nl)


def emit(result: object, output: Path | None, excel: bool = False) -> None:
    """Print `result`, or write it to `output` (atomically, never coloured)."""
    if excel and isinstance(result, str):
        result = excel_csv(result)
    if output is None:
        console.write(result)
        return
    if result is not None:
        text = console.as_text(result)
        _run(lambda: write_text_file(output, text))
    _written(output)


ExcelOption = Annotated[bool, typer.Option(
    "--excel", help="With csv: the CSV Dutch Excel opens in columns (; between fields, "
    "decimal comma, UTF-8 with BOM). Also when --locale nl is given with --format csv.")]


def style_option(locale: Locale, unit: Unit) -> Style:
    """The reader's style from --locale/--unit; call inside `_run` (a missing Babel is a
    usage error)."""
    return Style.make(locale, unit)


def years_option(text: str | None, first: int, last: int, path: Path | None = None) \
        -> range | None:
    """`--years 2024..2026` (or `2025`, `2024..`, `..2025`) within the horizon first..last
    of the plan `path`."""
    if text is None:
        return None
    start, sep, end = text.strip().partition("..")
    try:
        low = int(start) if start.strip() else first
        high = (int(end) if end.strip() else last) if sep else low
    except ValueError:
        usage_error(f"--years: expected FIRST..LAST such as 2024..2026, got '{text}'")
    if high < low:
        usage_error(f"--years: {low}..{high} ends before it starts")
    if low < first or high > last:
        where = f" of {path}" if path is not None else ""
        usage_error(f"--years: {low}..{high} is outside the horizon {first}-{last}{where}")
    return range(low, high + 1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bdur {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Budget calculator for the extra BDuR money of a Dutch safety region."""
    # Plain `bdur` is a request for help, not a mistake: help and exit 0 (click exits 2).
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def _year_argument(text: str | None) -> int | None:
    """`bdur totals YEAR`: a year, with a pointer for the spans people try first."""
    if text is None:
        return None
    if text.strip().isdigit():
        return int(text)
    if ".." in text or "-" in text.strip("-"):
        _fail([Finding("usage", f"bdur totals takes one year or none, not '{text}'",
                       hint="all years: bdur totals; one year: bdur totals 2024; some years "
                       "as a table: bdur report --years 2024..2026")], EXIT_USAGE)
    _fail([Finding("usage", f"'{text}' is not a year", hint="bdur totals 2024")], EXIT_USAGE)


@app.command()
def totals(
    ctx: typer.Context,
    year: Annotated[str | None, typer.Argument(
        help="One year of the horizon; omit for all years.", metavar="YEAR",
        show_default=False)] = None,
    file: FileOption = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", case_sensitive=False, show_default=False,
        help="Output format: table (the default), json, csv, markdown; with -o, the file's "
        "extension chooses when --format is not given.")] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
    prices: Annotated[Prices, typer.Option(
        "--prices", help="nominal: with the plan's indexation (the default); constant: in "
        "base-year euros, without it.")] = Prices.nominal,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", show_default=False,
        help="When the file is a budget amendment: the budget as it stood on this date (the "
        "amendments adopted by then; see docs/realisation.md).")] = None,
    funding: Annotated[FundingBasis, typer.Option(
        "--funding",
        help="all: every source whatever its status (the default); granted: only granted "
        "money (forecast and conditional funding, sources and income count as 0)."
    )] = FundingBasis.all,
) -> None:
    """Per-year funding, planned cost (incidental/structural, staff/means), fte and the gap.

    gap = funding - planned: positive is room left, negative a shortfall. With a YEAR, that
    year's figures and a breakdown by main goal and theme.

    Examples:

      bdur totals 2024

      bdur totals --format json

      bdur totals 2023 -f data/scenarios/staff-from-june-2023.yaml --format csv

      bdur totals --locale nl --unit thousand
    """
    from . import api
    from .render import totals as render_totals

    one = _year_argument(year)
    form = output_format(output, fmt, Format, Format.table, "totals")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_option(locale, unit)
        path = resolve_file(file)
        if as_of is not None:
            from .plan import amendments

            states = amendments.chain(path)
            path = amendments.as_of(states, amendments.parse_date(as_of))[0].path
        plan = api.load(path).plan
        if one is not None and one not in plan.years:
            usage_error(f"{one} is outside the horizon {plan.years.start}-"
                        f"{plan.years.stop - 1} of {path}")
        title = plan.plan.title
        if prices is Prices.constant and plan.indexation is not None:
            title += f" (constant prices of {plan.indexation.base_year})"
        if funding is FundingBasis.granted:
            from .plan.flows import granted_only

            plan, title = granted_only(plan), title + " (granted money only)"
        return render_totals.render(api.totals(plan, one, prices.value), form, title=title,
                                    style=style)

    emit(_run(work), output, to_excel)


@app.command()
def compare(
    ctx: typer.Context,
    base: Annotated[Path, typer.Argument(help="The plan (or scenario) to compare against.",
                                         metavar="BASE", show_default=False, dir_okay=False)],
    others: Annotated[list[Path], typer.Argument(help="One or more plans or scenarios.",
                                                 metavar="OTHER", show_default=False,
                                                 dir_okay=False)],
    explain: Annotated[bool, typer.Option("--explain", help="Per year, list the lines that "
                                          "cause each difference (line, theme, base amount, "
                                          "other amount).")] = False,
    fmt: Annotated[Format | None, typer.Option(
        "--format", case_sensitive=False, show_default=False,
        help="Output format: table (the default), json, csv, markdown; with -o, the file's "
        "extension chooses when --format is not given.")] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
) -> None:
    """Plans and scenarios side by side: per year funding, planned and gap of each file, and
    the differences against BASE (other - base; a positive gap difference is more room).

    Examples:

      bdur compare data/allocations.yaml data/scenarios/staff-from-june-2023.yaml

      bdur compare data/allocations.yaml data/scenarios/*.yaml --explain

      bdur compare data/allocations.yaml data/scenarios/bdur-cut-2026.yaml --format json

      bdur compare data/allocations.yaml data/scenarios/bdur-cut-2026.yaml --locale nl
    """
    from . import api
    from .render import compare as render_compare

    form = output_format(output, fmt, Format, Format.table, "compare")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_option(locale, unit)
        result = api.compare(base, *others, explain=explain)
        return render_compare.compare(result, form, explain=explain, style=style)

    emit(_run(work), output, to_excel)

@app.command()
def report(
    ctx: typer.Context,
    file: FileOption = None,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", case_sensitive=False, show_default=False, help="table (the default), "
        "markdown (pastes into a memo), csv, json, or xlsx (a workbook with a sheet per view; "
        "needs --output). With -o, the file's extension chooses when --format is not given.")]
        = None,
    by: Annotated[Grouping | None, typer.Option(
        "--by", show_default=False, help="Rows per theme within goal and kind as in the memo "
        "(goal, the default), per theme (staff and means together), or per department.")]
        = None,
    years: YearsOption = None,
    fte_view: Annotated[bool, typer.Option(
        "--fte", help="Table 1's capacity view: fte per theme and year.")] = False,
    incidental: Annotated[bool, typer.Option(
        "--incidental", help="The incidental overview: every incidental line per year with "
        "its amount and note.")] = False,
    tidy: Annotated[bool, typer.Option(
        "--tidy", help="With --format csv: one row per line and year (year, goal, theme, "
        "line_id, kind, type, department, amount, fte), for spreadsheets and pandas.")]
        = False,
    empty_rows: Annotated[bool, typer.Option(
        "--empty-rows", help="Table 2 with every theme in every section, as the memo prints "
        "it (by default a theme without lines of that kind, and a section left empty, are "
        "left out).")] = False,
    mapping: MappingOption = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
) -> None:
    """The memo's Table 2: cost per theme and year (incidental i / structural s), with the total
    per year, the funding, the gap and the cumulative gap.

    A year is split into i and s columns only when something incidental falls in it (for the
    memo's plan: 2023 i, 2023 s, 2024, 2025, 2026). gap = funding - planned.

    Examples:

      bdur report

      bdur report --format markdown --locale nl

      bdur report --fte --years 2024..2026

      bdur report --incidental

      bdur report --format csv --tidy > lines.csv

      bdur report --format xlsx --output tabel2.xlsx --locale nl

    With --mapping, budget against realisation instead: per year, then each year per goal,
    theme and line, with the deviation and the explanations (docs/realisation.md):

      bdur report -m examples/realisation/mapping.yaml --years 2024 --format markdown

      bdur report -m examples/realisation/mapping.yaml -o jaarrekening.xlsx --locale nl
    """
    form = output_format(output, fmt, ReportFormat, ReportFormat.table,
                         "report")
    to_excel = wants_excel(ctx, excel, locale, form)
    if fte_view and incidental:
        usage_error("--fte and --incidental are two views; choose one")
    if tidy and form is not ReportFormat.csv:
        usage_error("--tidy is a csv layout; use it with --format csv")
    if tidy and (fte_view or incidental or by is not None):
        usage_error("--tidy lists every line and year; it takes no --fte, --incidental or --by")
    if by is not None and (fte_view or incidental):
        usage_error("--by groups Table 2; the --fte and --incidental views take no --by")
    _realisation_only(mapping, actuals, through, as_of)
    if mapping is not None and (fte_view or incidental or tidy or by is not None):
        usage_error("--mapping gives budget against realisation; it takes no --fte, "
                    "--incidental, --tidy or --by")
    if form is ReportFormat.xlsx and output is None:
        usage_error("--format xlsx writes a file; add --output FILE.xlsx")
    if output is not None and form is not ReportFormat.xlsx \
            and output.suffix.lower() == ".xlsx":
        usage_error(f"--output {output} does not match --format {form.value}: an .xlsx file "
                    "needs --format xlsx, and --format xlsx needs a name ending in .xlsx")
    from . import api
    from .plan import tables as core
    from .render import report as out
    from .render.view import render

    def work() -> object:
        style = style_option(locale, unit)
        if mapping is not None:
            return realised(style)
        path = resolve_file(file)
        plan = api.load(path).plan
        span = years_option(years, plan.years.start, plan.years.stop - 1, path)
        if tidy:
            return render(out.TidyView(core.tidy(plan, span)), form, style)
        show: out.Shown = "fte" if fte_view else "incidental" if incidental else "table2"
        whole = form is ReportFormat.xlsx  # the workbook holds every view, `show` on top
        view = out.ReportView(
            core.table2(plan, span, (by or Grouping.goal).value)
            if whole or show == "table2" else None,
            core.fte_table(plan, span) if whole or show == "fte" else None,
            core.incidental_overview(plan, span) if whole or show == "incidental" else None,
            show, empty_rows)
        return written(render(view, form, style))

    def realised(style: Style) -> object:
        from .render import realisation as board

        assert mapping is not None
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of)
        first, last = analysis.realisation.years[0].year, analysis.realisation.years[-1].year
        span = years_option(years, first, last)
        # The board's report leaves the reconciliation out; the controller sees it here.
        typer.echo(board.reconciliation_line(analysis.reconciliation), err=True)
        return written(render(board.BoardView(analysis, span), form, style))

    def written(result: object) -> object:
        """A workbook is saved to --output here; text goes back to `emit`."""
        if form is not ReportFormat.xlsx:
            return result
        assert output is not None
        workbook: Any = result  # an openpyxl Workbook
        write_file(output, workbook.save)
        return None

    emit(_run(work), output, to_excel)


@app.command()
def chart(
    file: FileOption = None,
    years: YearsOption = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="Save the chart as an SVG image (e.g. chart.svg) instead of drawing it in the "
        "terminal.")] = None,
    mapping: MappingOption = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
) -> None:
    """Funding against planned per year, and the cumulative gap, as bars.

    In the terminal every block stands for the same amount (stated above the bars); with
    --output the chart is an SVG image for the memo.

    Examples:

      bdur chart

      bdur chart --years 2024..2026 --locale nl

      bdur chart --output chart.svg

    A plan with income (co-financing) draws its net cost, with the income on top, against
    the funding. With --mapping, the budget against the realisation per year instead:

      bdur chart -m examples/realisation/mapping.yaml --through 2026-10 -o realisatie.svg
    """
    if output is not None and output.suffix.lower() != ".svg" and not is_stdout(output):
        usage_error(f"--output {output}: the chart is saved as SVG; use a name ending in .svg")
    from . import api
    from .render import chart as draw
    from .render.view import render

    _realisation_only(mapping, actuals, through, as_of)

    def work() -> object:
        style = style_option(locale, unit)
        if mapping is not None:
            return realised(style)
        path = resolve_file(file)
        plan = api.load(path).plan
        span = years_option(years, plan.years.start, plan.years.stop - 1, path) or plan.years
        figures = [t for t in api.totals(plan).years if t.year in span]
        return drawn(draw.ChartView(figures, plan.plan.title), style)

    def drawn(chart: Any, style: Style) -> object:
        if output is None:
            return render(chart, "table", style)
        write_text_file(output, render(chart, "svg", style))
        return None

    def realised(style: Style) -> object:
        assert mapping is not None
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of)
        from .render.realisation import reconciliation_line

        typer.echo(reconciliation_line(analysis.reconciliation), err=True)
        all_years = analysis.realisation.years
        span = years_option(years, all_years[0].year, all_years[-1].year) or \
            range(all_years[0].year, all_years[-1].year + 1)
        shown = [y for y in all_years if y.year in span]
        statement = analysis.realisation.reserve
        reserve = {y.year: y.closing for y in statement.years} if statement else None
        return drawn(draw.RealisationChartView(shown, analysis.title, reserve), style)

    result = _run(work)
    if output is None:
        console.write(result)
    else:
        _written(output)


@app.command()
def realisation(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Argument(
        help="One year of the horizon in detail (per goal, theme and line); omit for every "
        "year.", show_default=False)] = None,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", "-m", dir_okay=False, show_default=False,
        help="The mapping file: how the ledger export is read and which plan lines its "
        "postings are booked on.")] = None,
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", dir_okay=False, show_default=False,
        help="The ledger export (.csv or .xlsx). Default: export.file in the mapping.")]
        = None,
    through: Annotated[str | None, typer.Option(
        "--through", metavar="YYYY-MM", show_default=False,
        help="The reporting month of a running year: postings up to its end count, the "
        "rest of that year is forecast from the budget (bestuursrapportage).")] = None,
    only_unmapped: Annotated[bool, typer.Option(
        "--unmapped", help="List only the postings no rule books on the plan.")] = False,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", show_default=False,
        help="When the plan is a budget amendment: the budget as it stood on this date "
        "(the amendments adopted by then). Default: every amendment.")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", dir_okay=False, show_default=False,
        help="The plan (or scenario). Default: 'plan' in the mapping, else "
        "./data/allocations.yaml.")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", case_sensitive=False, show_default=False,
        help="Output format: table (the default), json or csv; with -o, the file's "
        "extension chooses.")] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
) -> None:
    """Budget against realisation from the ledger export: per year, or for one year per goal,
    theme and line, with the deviation (realised - budget, in euros and percent) and the
    explanations; deviations above the mapping's threshold are marked.

    Every run reconciles the export, to the cent: postings read = mapped + unmapped +
    outside the horizon + ambiguous; the unmapped postings are listed.

    Examples:

      bdur realisation -m examples/realisation/mapping.yaml

      bdur realisation 2024 -m examples/realisation/mapping.yaml

      bdur realisation 2026 -m examples/realisation/mapping.yaml --through 2026-10

      bdur realisation -m examples/realisation/mapping.yaml --actuals export.xlsx --format json

      bdur realisation 2025 -m examples/realisation/mapping.yaml -o analyse.csv --excel
    """
    from . import api
    from .render import realisation as out
    from .render.view import render

    if mapping is None:
        usage_error("bdur realisation needs the mapping file: --mapping FILE (see "
                    "docs/realisation.md)")

    form = output_format(output, fmt, Format, Format.table, "realisation",
                         writes=("table", "json", "csv"))
    if form not in (Format.table, Format.json, Format.csv):
        usage_error(f"bdur realisation writes table, json or csv, not {form.value}")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_option(locale, unit)
        analysis = api.realisation(mapping, year=year, through=through, actuals=actuals,
                                   plan=file, as_of=as_of)
        errors = [f for f in analysis.findings if f.level == "error"]
        for f in [*errors, *(f for f in analysis.findings if f.level != "error")]:
            typer.echo(finding_line(f), err=True)
        if errors:
            raise typer.Exit(EXIT_INVALID)
        if only_unmapped:
            return render(out.UnmappedView(analysis), form, style)
        if form is Format.csv:
            typer.echo(out.reconciliation_line(analysis.reconciliation), err=True)
        return render(out.RealisationView(analysis, analysis.title), form, style)

    emit(_run(work), output, to_excel)


@app.command()
def check(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Plan files to check (as pre-commit passes them). Default: the same file as "
        "-f/--file of the other commands.", show_default=False)] = None,
    fmt: Annotated[CheckFormat | None, typer.Option(
        "--format", help="Output format: text, json, github (annotations), gitlab (Code "
        "Quality report), junit (XML), azure (logging commands). Default: github when "
        "GITHUB_ACTIONS=true, azure when TF_BUILD=True, else text.",
        show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 on warnings too, not only on errors.")] = False,
    file: FileOption = None,
    output: OutputOption = None,
) -> None:
    """Validate plan files for CI: syntax, schema, ids, rules, totals.

    Findings go to stdout: text (path:line:col, the line, a caret and
    a hint), json (one document for all files), github (annotations),
    gitlab (a Code Quality report), junit (XML) or azure (logging
    commands).
    Quiet on success but for one summary line on stderr.

    Exit 0 fine; 1 an error (or a warning with --strict); 2 wrong usage
    or a file that cannot be read.

    Examples:

      bdur check data/allocations.yaml

      bdur check data/allocations.yaml data/scenarios/*.yaml --strict

      bdur check --format json my-plan.yaml | jq '.files[].findings[].code'
    """
    from .actuals.realise import check_explanations, check_mapping, check_year_end, kind_of
    from .plan.pipeline import Checked, check_file
    from .render import findings as rf

    # Inside a CI, its own annotations are what a reviewer sees; elsewhere, text. A report
    # file (-o report.xml) is named for its format.
    fmt = output_format(output, fmt, CheckFormat, rf.default_format(os.environ), "check")
    paths = [*(files or []), *([file] if file else [])] or [_run(lambda: resolve_file(None))]

    def one(path: Path) -> Checked:
        try:
            kind = kind_of(path) if path.suffix.lower() in (".yaml", ".yml") else None
            if kind == "mapping":  # a realisation mapping, with its export and explanations
                return check_mapping(path)
            if kind == "explanations":
                return check_explanations(path)
            if kind in ("staffing", "appropriations"):
                return check_year_end(path, kind)
            return check_file(path)
        except Exception as exc:  # a bug on one file must not hide the others' findings
            return Checked(str(path), [Finding(
                "internal", f"internal error: {type(exc).__name__}: {exc}",
                hint="please report this with the file that caused it",
                location=Location(str(path)))], EXIT_USAGE)

    results = _run(lambda: [one(p) for p in paths])
    emit(rf.render(results, fmt, strict), output)
    typer.echo(rf.summary(results, strict).rstrip("\n"), err=True)
    code = max((r.exit_code for r in results), default=0)
    if code == 0 and strict and rf.counts(results)[1]:
        code = EXIT_INVALID
    raise typer.Exit(code)


def _revision_and_files(args: list[str]) -> tuple[str | None, list[Path]]:
    """`bdur diff [REV] [FILE...]`: the first word is a file when it names one (or ends in
    .yaml/.yml), else a revision."""
    if args and not (Path(args[0]).exists() or args[0].endswith((".yaml", ".yml"))):
        return args[0], [Path(a) for a in args[1:]]
    return None, [Path(a) for a in args]


@app.command()
def diff(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="REV|FILE", show_default=False,
        help="A git revision (default: the merge base with the default branch - origin/HEAD, "
        "main or master - else HEAD), then the plan or scenario files (default: "
        "./data/allocations.yaml).")] = None,
    fmt: Annotated[DiffFormat | None, typer.Option(
        "--format", show_default=False,
        help="table (default), json, or markdown (for a review comment); with -o, the "
        "file's extension chooses when --format is not given.")] = None,
    scenarios: Annotated[bool, typer.Option(
        "--scenarios/--no-scenarios", help="Also compare the scenarios in the repository "
        "that build on the files.")] = True,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", dir_okay=False, show_default=False,
        help="A plan or scenario file, as with the other commands (the same as giving it "
        "after REV).")] = None,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
    output: OutputOption = None,
) -> None:
    """The money effect of a change: plans as they are now against the same files at a git
    revision, read with git (the working tree is not touched).

    Per year the change in funding, planned, gap and cumulative gap, and the lines behind it
    (added, removed, changed: the field and the money per year). Scenarios that build on a
    changed plan are compared too.

    Exit 0 compared (a file new or deleted in the change is noted on stderr); 1 a plan is
    invalid now or at the revision; 2 no git, not a repository, an unknown revision, a path
    outside the repository, or a file in neither version.

    Examples:

      bdur diff

      bdur diff HEAD~1

      bdur diff main data/allocations.yaml --format markdown

      bdur diff HEAD~1 -o change.md
    """
    from .render import diff as render_diff
    from .render.view import render
    from .review.revdiff import revision_diff

    rev, paths = _revision_and_files(args or [])
    if file is not None:
        paths.append(file)

    form = output_format(output, fmt, DiffFormat, DiffFormat.table, "diff")

    def work() -> tuple[object, list[str]]:
        style = style_option(locale, unit)
        result = revision_diff(paths or [DEFAULT_FILE], rev, scenarios=scenarios)
        return render(render_diff.DiffView(result), form, style), render_diff.notes(result)

    shown, notes = _run(work)
    for note in notes:
        typer.echo(note, err=True)
    emit(shown, output)


@app.command()
def schema(
    scenario: Annotated[bool, typer.Option(
        "--scenario", help="The schema of a scenario file instead of a plan.")] = False,
    mapping: Annotated[bool, typer.Option(
        "--mapping", help="The schema of a realisation mapping file.")] = False,
    explanations: Annotated[bool, typer.Option(
        "--explanations", help="The schema of an explanations file (toelichtingen).")]
        = False,
    staffing: Annotated[bool, typer.Option(
        "--staffing", help="The schema of a staffing file (fte in place).")] = False,
    appropriations: Annotated[bool, typer.Option(
        "--appropriations", help="The schema of a resultaatbestemming file (the board's "
        "decisions on results).")] = False,
    output: OutputOption = None,
) -> None:
    """Print the JSON Schema of the allocation file (or, with --scenario, of a scenario
    file), generated from bdur's own models.

    The repository keeps copies as bdur.schema.json and bdur-scenario.schema.json, for editors
    (yaml-language-server) and for check-jsonschema; a test keeps them equal to this output.

    Examples:

      bdur schema > bdur.schema.json

      bdur schema --scenario > bdur-scenario.schema.json

      bdur schema --mapping > bdur-mapping.schema.json

      check-jsonschema --schemafile bdur.schema.json data/allocations.yaml
    """
    if scenario + mapping + explanations + staffing + appropriations > 1:
        usage_error("--scenario, --mapping, --explanations, --staffing and --appropriations "
                    "are different schemas; choose one")

    def work() -> str:
        if staffing or appropriations:
            from .actuals import yearend

            return to_json(yearend.staffing_schema() if staffing else
                           yearend.appropriations_schema())
        if mapping or explanations:
            from .actuals import realise as actuals

            return to_json(actuals.json_schema() if mapping else
                                  actuals.explanations_schema())
        if scenario:
            from .plan.scenario import json_schema as scenario_schema

            return to_json(scenario_schema())
        from .plan.model import json_schema

        return to_json(json_schema())

    if output is not None and output.suffix.lower() not in ("", ".json"):
        usage_error(f"--output {output}: a schema is JSON; use a name ending in .json")
    emit(_run(work), output)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(
        metavar="[DIR]", help="The folder to start the plan in (default: this folder); the "
        "plan goes to DIR/data/allocations.yaml.", show_default=False, file_okay=False)]
        = Path("."),
    sample: Annotated[bool, typer.Option(
        "--sample", help="Write the memo's plan (Hollands Midden, 2023-2026) instead of a "
        "small plan to fill in.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite files that are already there.")] = False,
) -> None:
    """Start a plan: DIR/data/allocations.yaml, a small valid plan with comments (two goals, a
    few themes, internal and external rates, funding per year to fill in), and
    DIR/data/bdur.schema.json, which the plan names so that an editor completes its keys.

    Then the other commands read it without -f, from DIR. An existing file is never
    overwritten unless you add --force.

    Examples:

      bdur init

      bdur init my-region

      bdur init --sample
    """
    data = directory / "data"
    plan = data / DEFAULT_FILE.name
    schema_file = data / "bdur.schema.json"

    def work() -> None:
        existing = [p for p in (plan, schema_file) if p.exists()]
        if existing and not force:
            usage_error(f"{existing[0]} already exists; bdur init never overwrites a file "
                        "(add --force to replace it, or give another folder: bdur init DIR)")
        source = shipped_plan() if sample else packaged("new-plan.yaml")
        try:
            data.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            usage_error(f"cannot create the folder {data}: {exc.strerror or exc}")
        write_text_file(plan, source.read_text(encoding="utf-8"))
        write_text_file(schema_file, packaged("bdur.schema.json").read_text(
            encoding="utf-8"))

    _run(work)
    _written(plan)
    _written(schema_file)
    where = "" if directory == Path(".") else f"cd {directory} && "
    typer.echo(f"next: {where}bdur check && bdur totals", err=True)


def _registered_for(args: list[str]) -> list[Any]:
    """The commands to build for a run with `args`: typer makes a click command of every
    registered command (each option, its help) before it parses a word, a sixth of the
    start-up of `bdur totals 2024`; a run names its command first, so only that one is built.
    Without a command name first (`bdur`, `bdur --help`, a misspelt name) all are built, for
    the list of commands and the "did you mean"."""
    every = list(app.registered_commands)
    if not args or args[0].startswith("-"):
        return every
    picked = [c for c in every if c.callback is not None
              and (c.name or c.callback.__name__).replace("_", "-").lower() == args[0]]
    return picked or every


def main() -> None:
    """Console-script entry point: no traceback, quiet on a closed pipe or Ctrl-C."""
    every = app.registered_commands
    app.registered_commands = _registered_for(sys.argv[1:])
    try:
        app()
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; that is not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        app.registered_commands = every


__all__ = ["Location", "app", "main"]


@app.command()
def pack(
    output: Annotated[Path, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="The pack to write: FILE.html (prints on A4), FILE.pdf (needs WeasyPrint: pip "
        "install 'bdur[pdf]') or FILE.xlsx.")],
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", dir_okay=False, show_default=False,
        help="The plan. Default: 'plan' in the mapping, else ./data/allocations.yaml.")]
        = None,
    mapping: MappingOption = None,
    scenario: Annotated[list[Path] | None, typer.Option(
        "--scenario", dir_okay=False, show_default=False,
        help="A scenario to show beside the plan (repeatable).")] = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    locale: LocaleOption = Locale.en,
) -> None:
    """The board pack: one document from the plan (and, with --mapping, the ledger): a title
    page with the files it was made from, a summary, Table 2, Table 1 (fte), the incidental
    overview and a chart, scenarios side by side, budget against realisation per year, goal,
    theme and line with the toelichtingen, the reserve, and an appendix for the accountant
    (the reconciliation to the cent, the postings not booked, the mapping's rules).

    Examples:

      bdur pack -o pack.html

      bdur pack -m examples/realisation/mapping.yaml --through 2026-10 --locale nl -o pack.html
    """
    import hashlib
    from datetime import date

    from . import api
    from .render import pack as board_pack

    kind = output.suffix.lower()
    if kind not in (".html", ".htm", ".pdf", ".xlsx"):
        usage_error(f"--output {output}: the pack is written as .html, .pdf or .xlsx")
    missing = board_pack.pdf_missing() if kind == ".pdf" else None
    if missing is not None:
        _fail(missing.findings, missing.exit_code)
    _realisation_only(mapping, actuals, through, as_of)

    def digest(role: str, path: Path) -> board_pack.Source:
        try:
            return board_pack.Source(role, os.path.normpath(path), hashlib.sha256(path.read_bytes())
                                     .hexdigest())
        except OSError:
            return board_pack.Source(role, os.path.normpath(path), "-")

    def work() -> board_pack.Pack:
        from .plan import amendments
        from .plan import tables as core

        style = style_option(locale, Unit.euro)
        sources: list[board_pack.Source] = []
        analysis, rules, path = None, [], file
        if mapping is not None:
            from .actuals.realise import load_mapping, plan_path

            lm = load_mapping(mapping)
            path = plan_path(lm, file)
            analysis = analysed(mapping, plan=file, actuals=actuals, through=through,
                                as_of=as_of)
            sources.append(digest("mapping", mapping))
            sources.append(digest("ledger export", Path(analysis.reconciliation.file)))
            for role, name in (("explanations", lm.mapping.explanations),
                               ("staffing", lm.mapping.staffing),
                               ("appropriations", lm.mapping.appropriations)):
                if name is not None:
                    sources.append(digest(role, mapping.parent / name))
        path = resolve_file(path)
        states = amendments.chain(path)
        if as_of is not None:
            states = amendments.as_of(states, amendments.parse_date(as_of))
        sources[:0] = [digest("amendment" if s.is_amendment else "plan", s.path)
                       for s in reversed(states)]
        plan = api.load(states[0].path).plan
        comparison = None
        if scenario:
            comparison = api.compare(states[0].path, *scenario)
            sources += [digest("scenario", s) for s in scenario]
        names = board_pack.Pack(plan, api.totals(plan), core.table2(plan, None, "goal"),
                                core.fte_table(plan, None), core.incidental_overview(plan, None),
                                date.today(), sources).names
        if mapping is not None:
            rules = board_pack.rule_texts(lm.mapping.rules, names, style)
        revision = None
        try:
            from .review.gitrev import Repository

            revision = Repository.find(path.parent.resolve()).commit("HEAD")
        except Exception:  # not a repository, or no git: the pack says so
            revision = None
        return board_pack.Pack(plan, api.totals(plan), core.table2(plan, None, "goal"),
                               core.fte_table(plan, None), core.incidental_overview(plan, None),
                               date.today(), sources, revision, __version__, comparison,
                               analysis, rules)

    def write() -> None:
        made = work()
        # Every file the pack names on its title page is an input, whichever reader opened
        # it: the output may be none of them (an .xlsx ledger export has the pack's suffix).
        for source in made.sources:
            if output.exists() and Path(source.name).exists() and \
                    os.path.samefile(output, source.name):
                from .render.safety import refused

                raise refused(output, "is one of the files this run reads; writing it would "
                              "destroy it", "choose another name for the output")
        style = style_option(locale, Unit.euro)
        if kind == ".xlsx":
            write_file(output, board_pack.to_workbook(made, style).save)
        elif kind == ".pdf":
            data = board_pack.to_pdf(made, style)

            def put(f: IO[bytes]) -> None:
                f.write(data)

            write_file(output, put)
        else:
            write_text_file(output, board_pack.to_html(made, style))

    _run(write)
    _written(output)
