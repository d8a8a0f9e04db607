"""The `bdur` command line: the typer app and its commands, each parsing its options, making
one call into the house and rendering what comes back.

No arithmetic here: figures come from `plan` and `actuals` (through `api`), formats from
`render`. The options are declared once in `options`; finding the plan, errors, the output
format and writing are in `run`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import __version__
from ..errors import EXIT_INVALID
from ..render.findings import CheckFormat
from ..render.formats import (
    DiffFormat,
    Format,
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
    ActualsOption,
    AsOfOption,
    ExcelOption,
    FileOption,
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
    mapping_option,
    output_option,
    through_option,
    year_argument,
    years_option,
)
from .run import (
    DEFAULT_FILE,
    analysed,
    checked,
    emit,
    output_format,
    packaged,
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


@app.command(help=f"""Per-year funding, planned cost (incidental/structural, staff/means), fte
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
) -> None:
    # The help is above: it says the gap as `options.GAP` does.
    from .. import api
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
        plan = api.load(path).plan
        if year is not None and year not in plan.years:
            usage_error(f"{year} is outside the horizon {plan.years.start}-"
                        f"{plan.years.stop - 1} of {path}")
        title = plan.plan.title
        if prices is Prices.constant and plan.indexation is not None:
            title += f" (constant prices of {plan.indexation.base_year})"
        return render_totals.render(api.totals(plan, year, prices.value), form, title=title,
                                    style=style)

    emit(run(work), output, to_excel)


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
    fmt: Annotated[Format | None, format_option(Format, tail=BY_EXTENSION)] = None,
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
    from .. import api
    from ..render import compare as render_compare

    form = output_format(output, fmt, Format, Format.table, "compare")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_of(locale, unit)
        result = api.compare(base, *others, explain=explain)
        return render_compare.compare(result, form, explain=explain, style=style)

    emit(run(work), output, to_excel)


@app.command(help=f"""The memo's Table 2: cost per theme and year (incidental i / structural s),
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
    mapping: MappingOption = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
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
            show)
        return saved(render(view, form, style))

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


@app.command()
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

    def work() -> object:
        style = style_of(locale, unit)
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


@app.command()
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
    as_of: Annotated[str | None, as_of_option(
        "When the plan is a budget amendment: the budget as it stood on this date "
        "(the amendments adopted by then). Default: every amendment.")] = None,
    file: Annotated[Path | None, file_option(
        "The plan (or scenario). Default: 'plan' in the mapping, else "
        "./data/allocations.yaml.", metavar=None)] = None,
    fmt: Annotated[RealisationFormat | None, format_option(
        RealisationFormat, tail="; with -o, the file's extension chooses.")] = None,
    output: OutputOption = None,
    excel: ExcelOption = False,
    locale: LocaleOption = Locale.en,
    unit: UnitOption = Unit.euro,
) -> None:
    """Budget against realisation from the ledger export: per year, or for one year per goal,
    theme and line, with the deviation (realised - budget, in euros and percent) and the
    explanations; deviations above the mapping's threshold are marked.

    Every run reconciles the export: postings read = mapped + unmapped + outside the
    horizon + ambiguous, to the cent; the unmapped postings are listed.

    Examples:

      bdur realisation -m examples/realisation/mapping.yaml

      bdur realisation 2024 -m examples/realisation/mapping.yaml

      bdur realisation 2026 -m examples/realisation/mapping.yaml --through 2026-10

      bdur realisation -m examples/realisation/mapping.yaml --actuals export.xlsx --format json

      bdur realisation 2025 -m examples/realisation/mapping.yaml -o analyse.csv --excel
    """
    from ..render import realisation as out
    from ..render.view import render

    if mapping is None:
        usage_error("bdur realisation needs the mapping file: --mapping FILE (see "
                    "docs/realisation.md)")
    form = output_format(output, fmt, RealisationFormat, RealisationFormat.table,
                         "realisation")
    to_excel = wants_excel(ctx, excel, locale, form)

    def work() -> object:
        style = style_of(locale, unit)
        analysis = analysed(mapping, plan=file, actuals=actuals, through=through, as_of=as_of,
                            year=year)
        if only_unmapped:
            return render(out.UnmappedView(analysis), form, style)
        if form is RealisationFormat.csv:
            typer.echo(out.reconciliation_line(analysis.reconciliation), err=True)
        return render(out.RealisationView(analysis, analysis.title), form, style)

    emit(run(work), output, to_excel)


@app.command()
def check(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Plan files to check (as pre-commit passes them). Default: the same file as "
        "-f/--file of the other commands.", show_default=False)] = None,
    fmt: Annotated[CheckFormat | None, format_option(CheckFormat, default=None, notes={
        "github": "annotations", "gitlab": "Code Quality report", "junit": "XML",
        "azure": "logging commands"}, tail=". Default: github when GITHUB_ACTIONS=true, azure "
        "when TF_BUILD=True, else text.")] = None,
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
    from ..render import findings as rf

    # Inside a CI, its own annotations are what a reviewer sees; elsewhere, text. A report
    # file (-o report.xml) is named for its format.
    fmt = output_format(output, fmt, CheckFormat, rf.default_format(os.environ), "check")
    paths = [*(files or []), *([file] if file else [])] or [run(lambda: resolve_file(None))]

    results = run(lambda: [checked(p) for p in paths])
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
    fmt: Annotated[DiffFormat | None, format_option(DiffFormat, notes={
        "markdown": "for a review comment"}, tail=BY_EXTENSION)] = None,
    scenarios: Annotated[bool, typer.Option(
        "--scenarios/--no-scenarios", help="Also compare the scenarios in the repository "
        "that build on the files.")] = True,
    file: Annotated[Path | None, file_option(
        "A plan or scenario file, as with the other commands (the same as giving it "
        "after REV).", metavar=None)] = None,
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
    from ..render import diff as render_diff
    from ..render.view import render
    from ..review.revdiff import revision_diff

    rev, paths = _revision_and_files(args or [])
    if file is not None:
        paths.append(file)

    form = output_format(output, fmt, DiffFormat, DiffFormat.table, "diff")

    def work() -> tuple[object, list[str]]:
        style = style_of(locale, unit)
        result = revision_diff(paths or [DEFAULT_FILE], rev, scenarios=scenarios)
        return render(render_diff.DiffView(result), form, style), render_diff.notes(result)

    shown, notes = run(work)
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
        from ..render.encode import to_json

        if staffing or appropriations:
            from ..actuals import yearend

            return to_json(yearend.staffing_schema() if staffing else
                           yearend.appropriations_schema())
        if mapping or explanations:
            from ..actuals import realise as actuals

            return to_json(actuals.json_schema() if mapping else
                                  actuals.explanations_schema())
        if scenario:
            from ..plan.scenario import json_schema as scenario_schema

            return to_json(scenario_schema())
        from ..plan.model import json_schema

        return to_json(json_schema())

    if output is not None and output.suffix.lower() not in ("", ".json"):
        usage_error(f"--output {output}: a schema is JSON; use a name ending in .json")
    emit(run(work), output)


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
        from ..render.output import write_text_file

        existing = [p for p in (plan, schema_file) if p.exists()]
        if existing and not force:
            usage_error(f"{existing[0]} already exists; bdur init never overwrites a file "
                        "(add --force to replace it, or give another folder: bdur init DIR)")
        source = packaged("allocations.yaml") if sample else packaged("new-plan.yaml")
        try:
            data.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            usage_error(f"cannot create the folder {data}: {exc.strerror or exc}")
        write_text_file(plan, source.read_text(encoding="utf-8"))
        write_text_file(schema_file, packaged("bdur.schema.json").read_text(
            encoding="utf-8"))

    run(work)
    written(plan)
    written(schema_file)
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


__all__ = ["app", "main"]
