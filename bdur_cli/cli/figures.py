"""The commands that show a plan's figures (totals, compare, report, chart) and the budget
against the realisation (realisation; report and chart with --mapping): each parses its
options, makes one call into the house and renders what comes back.

No arithmetic here: figures come from `plan` and `actuals` (through `api`), formats from
`render`; the options are `options`', the plumbing `run`'s. `app` registers the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..render.formats import (
    Format,
    FundingBasis,
    Grouping,
    Locale,
    Prices,
    RealisationFormat,
    ReportFormat,
    Unit,
)
from ..render.safety import is_stdout
from .options import (
    BY_EXTENSION,
    GAP,
    GRANTED_ONLY,
    ActualsOption,
    AsOfOption,
    ByOption,
    ExcelOption,
    FileOption,
    FundingOption,
    LocaleOption,
    MappingOption,
    OutputOption,
    ThroughOption,
    UnitOption,
    YearsOption,
    actuals_option,
    as_of_option,
    choice,
    file_option,
    format_option,
    granted_noted,
    mapping_option,
    on_funding,
    output_option,
    through_option,
    year_argument,
    years_option,
)
from .run import (
    analysed,
    emit,
    helped,
    output_format,
    realisation_only,
    resolve_file,
    run,
    style_of,
    usage_error,
    wants_excel,
    written,
)

if TYPE_CHECKING:
    from ..render.style import Style


@helped(f"""Per-year funding, planned cost (incidental/structural, staff/means), fte
and the gap.

{GAP} With a YEAR, that year's figures and a breakdown by main goal and theme.

Examples:

  bdur totals 2024

  bdur totals --format json

  bdur totals 2023 -f data/scenarios/staff-from-june-2023.yaml --format csv

  bdur totals --locale nl --unit thousand
""")
def totals(
    ctx: typer.Context,
    year: Annotated[int | None, year_argument(
        "totals", "One year of the horizon; omit for all years.")] = None,
    file: FileOption = None,
    fmt: Annotated[Format | None, format_option(Format, tail=BY_EXTENSION)] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
    prices: Annotated[Prices, typer.Option(
        "--prices", parser=choice(Prices), help="nominal: with the plan's indexation (the "
        "default); constant: in base-year euros, without it.")] = Prices.nominal,
    as_of: Annotated[str | None, as_of_option(
        "When the file is a budget amendment: the budget as it stood on this date (the "
        "amendments adopted by then; see docs/realisation.md).")] = None,
    funding: FundingOption = FundingBasis.all,
) -> None:
    # The help is above: it says the gap as `options.GAP` does.
    from ..plan import memo
    from ..render import totals as render_totals

    form = output_format(output, fmt, Format, Format.table, "totals")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_of(locale, unit)
        path = resolve_file(file)
        if as_of is not None:
            from ..plan import amendments

            states = amendments.chain(path)
            path = amendments.as_of(states, amendments.parse_date(as_of))[0].path
        shown = memo.totals(path, year, prices.value, funding is FundingBasis.granted)
        if shown.totals is None:
            usage_error(f"{year} is outside the horizon {shown.first}-{shown.last} of {path}")
        title = shown.title
        if prices is Prices.constant and shown.base_year is not None:
            title += f" (constant prices of {shown.base_year})"
        if funding is FundingBasis.granted:
            title += GRANTED_ONLY
        return render_totals.render(shown.totals, form, title=title, style=style)

    emit(run(work), output, to_excel)


def compare(
    ctx: typer.Context,
    base: Annotated[Path, typer.Argument(help="The plan (or scenario) to compare against.",
                                         metavar="BASE", show_default=False)],
    others: Annotated[list[Path], typer.Argument(help="One or more plans or scenarios.",
                                                 metavar="OTHER", show_default=False)],
    explain: Annotated[bool, typer.Option("--explain", help="Per year, list the lines that "
                                          "cause each difference (line, theme, base amount, "
                                          "other amount).")] = False,
    fmt: Annotated[Format | None, format_option(Format, tail=BY_EXTENSION)] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
    funding: FundingOption = FundingBasis.all,
) -> None:
    """Plans and scenarios side by side: per year funding, planned and gap of each file, and
    the differences against BASE (other - base; a positive gap difference is more room).

    Examples:

      bdur compare data/allocations.yaml data/scenarios/staff-from-june-2023.yaml

      bdur compare data/allocations.yaml data/scenarios/*.yaml --explain

      bdur compare data/allocations.yaml data/scenarios/bdur-cut-2026.yaml --format json

      bdur compare data/allocations.yaml data/scenarios/bdur-cut-2026.yaml --locale nl
    """
    from .. import api
    from ..render import compare as render_compare

    form = output_format(output, fmt, Format, Format.table, "compare")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_of(locale, unit)
        if funding is FundingBasis.granted:
            from dataclasses import replace

            sides = [api.load(p) for p in (base, *others)]
            sides = [replace(s, plan=on_funding(s.plan, funding)) for s in sides]
            result = api.compare(sides[0], *sides[1:], explain=explain)
        else:
            result = api.compare(base, *others, explain=explain)
        return granted_noted(render_compare.compare(result, form, explain=explain,
                                                    style=style), funding, form.value)

    emit(run(work), output, to_excel)


@helped(f"""The memo's Table 2: cost per theme and year (incidental i / structural s),
with the total per year, the funding, the gap and the cumulative gap.

A year is split into i and s columns only when something incidental falls in it (for the
memo's plan: 2023 i, 2023 s, 2024, 2025, 2026). {GAP}

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
""")
def report(
    ctx: typer.Context,
    file: FileOption = None,
    fmt: Annotated[ReportFormat | None, format_option(ReportFormat, notes={
        "markdown": "pastes into a memo",
        "xlsx": "a workbook with a sheet per view; needs --output"}, tail=BY_EXTENSION)] = None,
    by: Annotated[Grouping | None, typer.Option(
        "--by", show_default=False, parser=choice(Grouping), help="Rows per theme within goal "
        "and kind as in the memo (goal, the default), per theme (staff and means together), "
        "or per department.")]
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
    funding: FundingOption = FundingBasis.all,
) -> None:
    # The help is above: it says the gap as `options.GAP` does.
    form = output_format(output, fmt, ReportFormat, ReportFormat.table, "report")
    to_excel = wants_excel(ctx, excel, locale, form)
    if fte_view and incidental:
        usage_error("--fte and --incidental are two views; choose one")
    if tidy and form is not ReportFormat.csv:
        usage_error("--tidy is a csv layout; use it with --format csv")
    if tidy and (fte_view or incidental or by is not None):
        usage_error("--tidy lists every line and year; it takes no --fte, --incidental or --by")
    if by is not None and (fte_view or incidental):
        usage_error("--by groups Table 2; the --fte and --incidental views take no --by")
    realisation_only(mapping, actuals, through, as_of)
    if mapping is not None and funding is FundingBasis.granted:
        usage_error("--funding granted is a view of the plan; with --mapping the budget is "
                    "as adopted")
    if mapping is not None and (fte_view or incidental or tidy or by is not None):
        usage_error("--mapping gives budget against realisation; it takes no --fte, "
                    "--incidental, --tidy or --by")
    if form is ReportFormat.xlsx and output is None:
        usage_error("--format xlsx writes a file; add --output FILE.xlsx")
    if output is not None and form is not ReportFormat.xlsx \
            and output.suffix.lower() == ".xlsx":
        usage_error(f"--output {output} does not match --format {form.value}: an .xlsx file "
                    "needs --format xlsx, and --format xlsx needs a name ending in .xlsx")
    from .. import api
    from ..plan import tables as core
    from ..render import report as out
    from ..render.view import render

    def work() -> object:
        style = style_of(locale, unit)
        if mapping is not None:
            return realised(style)
        path = resolve_file(file)
        plan = on_funding(api.load(path).plan, funding)
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
        return saved(granted_noted(render(view, form, style), funding, form.value))

    def realised(style: Style) -> object:
        from ..render import realisation as board

        assert mapping is not None
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of)
        first, last = analysis.realisation.years[0].year, analysis.realisation.years[-1].year
        span = years_option(years, first, last)
        # The board's report leaves the reconciliation out; the controller sees it here.
        typer.echo(board.reconciliation_line(analysis.reconciliation), err=True)
        return saved(render(board.BoardView(analysis, span), form, style))

    def saved(result: object) -> object:
        """A workbook is saved to --output here; text goes back to `emit`."""
        if form is not ReportFormat.xlsx:
            return result
        from ..render.output import write_file

        assert output is not None
        workbook: Any = result  # an openpyxl Workbook
        write_file(output, workbook.save)
        return None

    emit(run(work), output, to_excel)


def chart(
    file: FileOption = None,
    years: YearsOption = None,
    output: Annotated[Path | None, output_option(
        "Save the chart as an SVG image (e.g. chart.svg) instead of drawing it in the "
        "terminal.")] = None,
    mapping: MappingOption = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
    funding: FundingOption = FundingBasis.all,
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
    from .. import api
    from ..render import chart as draw
    from ..render.view import render

    realisation_only(mapping, actuals, through, as_of)
    if mapping is not None and funding is FundingBasis.granted:
        usage_error("--funding granted is a view of the plan; with --mapping the budget is "
                    "as adopted")

    def work() -> object:
        style = style_of(locale, unit)
        if mapping is not None:
            return realised(style)
        path = resolve_file(file)
        plan = on_funding(api.load(path).plan, funding)
        span = years_option(years, plan.years.start, plan.years.stop - 1, path) or plan.years
        figures = [t for t in api.totals(plan).years if t.year in span]
        return granted_noted(drawn(draw.ChartView(figures, plan.plan.title), style), funding,
                             "table" if output is None else "svg")

    def drawn(chart: Any, style: Style) -> object:
        if output is None:
            return render(chart, "table", style)
        from ..render.output import write_text_file

        write_text_file(output, render(chart, "svg", style))
        return None

    def realised(style: Style) -> object:
        assert mapping is not None
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of)
        from ..render.realisation import reconciliation_line

        typer.echo(reconciliation_line(analysis.reconciliation), err=True)
        all_years = analysis.realisation.years
        span = years_option(years, all_years[0].year, all_years[-1].year) or \
            range(all_years[0].year, all_years[-1].year + 1)
        shown = [y for y in all_years if y.year in span]
        statement = analysis.realisation.reserve
        reserve = {y.year: y.closing for y in statement.years} if statement else None
        return drawn(draw.RealisationChartView(shown, analysis.title, reserve), style)

    result = run(work)
    if output is None:
        from ..render import console

        console.write(result)
    else:
        written(output)


def realisation(
    ctx: typer.Context,
    year: Annotated[int | None, year_argument(
        "realisation", "One year of the horizon in detail (per goal, theme and line); omit "
        "for every year.", needs=" -m MAPPING")] = None,
    mapping: Annotated[Path | None, mapping_option(
        "The mapping file: how the ledger export is read and which plan lines its "
        "postings are booked on.")] = None,
    actuals: Annotated[Path | None, actuals_option(
        "The ledger export (.csv or .xlsx). Default: export.file in the mapping.")] = None,
    through: Annotated[str | None, through_option(
        "The reporting month of a running year: postings up to its end count, the "
        "rest of that year is forecast from the budget (bestuursrapportage).")] = None,
    only_unmapped: Annotated[bool, typer.Option(
        "--unmapped", help="List only the postings no rule books on the plan.")] = False,
    by: ByOption = None,
    as_of: Annotated[str | None, as_of_option(
        "When the plan is a budget amendment: the budget as it stood on this date "
        "(the amendments adopted by then). Default: every amendment.")] = None,
    file: Annotated[Path | None, file_option(
        "The plan (or scenario). Default: 'plan' in the mapping, else "
        "./data/allocations.yaml.", metavar=None)] = None,
    fmt: Annotated[RealisationFormat | None, format_option(
        RealisationFormat, notes={"xlsx": "YEAR --by month only, needs --output"},
        tail="; with -o, the file's extension chooses.")] = None,
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

      bdur realisation 2026 -m examples/realisation/mapping.yaml --through 2026-10 --by month

      bdur realisation 2026 -m examples/realisation/mapping.yaml --by month -o maanden.xlsx
    """
    from ..render import realisation as out
    from ..render.view import render

    if mapping is None:
        usage_error("bdur realisation needs the mapping file: --mapping FILE (see "
                    "docs/realisation.md)")
    form = output_format(output, fmt, RealisationFormat, RealisationFormat.table,
                         "realisation")
    to_excel = wants_excel(ctx, excel, locale, form)
    if by is not None and year is None:
        usage_error("--by month needs a YEAR: bdur realisation 2026 -m MAPPING --by month")
    if form is RealisationFormat.xlsx:
        if by is None or only_unmapped:
            usage_error("bdur realisation writes xlsx for one year month by month (YEAR --by "
                        "month); the whole realisation as a workbook is bdur report -m "
                        "MAPPING -o FILE.xlsx")
        if output is None:
            usage_error("--format xlsx writes a file; add --output FILE.xlsx")

    def work() -> object:
        style = style_of(locale, unit)
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of,
                            year=year, by_month=by is not None)
        if by is not None and year is not None and not only_unmapped:
            from ..render.months import MonthView

            if form in (RealisationFormat.csv, RealisationFormat.xlsx):
                typer.echo(out.reconciliation_line(analysis.reconciliation), err=True)
            result = render(MonthView(analysis, year), form, style)
            if form is RealisationFormat.xlsx:  # a workbook is saved here; text goes to emit
                from ..render.output import write_file

                assert output is not None
                write_file(output, result.save)
                return None
            return result
        if only_unmapped:
            return render(out.UnmappedView(analysis), form, style)
        if form is RealisationFormat.csv:
            typer.echo(out.reconciliation_line(analysis.reconciliation), err=True)
        return render(out.RealisationView(analysis, analysis.title), form, style)

    emit(run(work), output, to_excel)
