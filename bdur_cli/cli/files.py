"""The commands that work on files: check (for CI), diff (the money effect of a change under
review), schema and init. Each parses its options, makes one call into the house and renders
what comes back; `app` registers them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import EXIT_INVALID
from ..render import console
from ..render.formats import CheckFormat, DiffFormat, Locale, Unit
from .options import (
    BY_EXTENSION,
    FileOption,
    LocaleOption,
    OutputOption,
    UnitOption,
    file_option,
    format_option,
)
from .run import (
    DEFAULT_FILE,
    checked,
    emit,
    output_format,
    packaged,
    resolve_file,
    run,
    style_of,
    usage_error,
    written,
)


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
    # Folded to the terminal's width (or COLUMNS) on screen only: a report file stays whole.
    width = console.text_width() if output is None else None
    emit(rf.render(results, fmt, strict, width), output)
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
            from ..actuals import mapping as actuals

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
