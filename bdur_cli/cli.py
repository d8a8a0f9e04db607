"""The `bdur` command line: thin commands that parse options, call the core and render.

No arithmetic here: figures come from `engine`, formats from `render`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from . import __version__, render
from .errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from .render.findings import CheckFormat

T = TypeVar("T")

app = typer.Typer(
    name="bdur",
    help="Budget calculator for the extra BDuR money of a Dutch safety region.\n\n"
    "Reads an allocation plan (YAML), computes per-year totals and the gap against funding.",
    epilog="Examples:  bdur totals 2024   ·   bdur totals --format json   ·   "
    "bdur totals -f my-plan.yaml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_FILE = Path("data/allocations.yaml")

FileOption = Annotated[
    Path | None,
    typer.Option("--file", "-f", help="Allocation plan or scenario file. Default: "
                 "./data/allocations.yaml if present, else the plan shipped with bdur.",
                 show_default=False, dir_okay=False),
]


def shipped_plan() -> Path:
    return Path(str(resources.files("bdur_cli") / "data" / "allocations.yaml"))


def resolve_file(file: Path | None) -> Path:
    if file is not None:
        return file
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else shipped_plan()


def _fail(findings: list[Finding], code: int) -> NoReturn:
    for f in findings:
        typer.echo(render.finding_line(f), err=True)
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bdur {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Budget calculator for the extra BDuR money of a Dutch safety region."""


@app.command()
def totals(
    year: Annotated[int | None, typer.Argument(help="One year of the horizon; omit for all years.",
                                               show_default=False)] = None,
    file: FileOption = None,
    fmt: Annotated[render.Format, typer.Option("--format", help="Output format.")] =
        render.Format.table,
) -> None:
    """Per-year funding, planned cost (incidental/structural, staff/means), fte and the gap.

    gap = funding - planned: positive is room left, negative a shortfall. With a YEAR, that
    year's figures and a breakdown by main goal and theme.

    Examples:

      bdur totals 2024

      bdur totals --format json

      bdur totals 2023 -f data/scenarios/staff-from-june-2023.yaml --format csv
    """
    from . import api

    def work() -> object:
        loaded = api.load(resolve_file(file))
        plan = loaded.plan
        if year is not None and year not in plan.years:
            usage_error(f"{year} is outside the plan's horizon {plan.years.start}-"
                        f"{plan.years.stop - 1}")
        result = api.totals(plan, year)
        title = plan.plan.title
        if year is None:
            return render.totals(result.years, fmt, title=title)
        return render.totals(result.years, fmt, title=title, breakdown=result.breakdown)

    render.write(_run(work))


@app.command()
def check(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Plan files to check (as pre-commit passes them). Default: the same file as "
        "-f/--file of the other commands.", show_default=False)] = None,
    fmt: Annotated[CheckFormat | None, typer.Option(
        "--format", help="Output format. Default: github when GITHUB_ACTIONS=true, else text.",
        show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 on warnings too, not only on errors.")] = False,
    file: FileOption = None,
) -> None:
    """Validate plan files for CI: syntax, schema, ids, rules, totals.

    Findings go to stdout: text (path:line:col, the line, a caret and
    a hint), json (one document for all files) or github (annotations).
    Quiet on success but for one summary line on stderr.

    Exit 0 fine; 1 an error (or a warning with --strict); 2 wrong usage
    or a file that cannot be read.

    Examples:

      bdur check data/allocations.yaml

      bdur check data/allocations.yaml data/scenarios/*.yaml --strict

      bdur check --format json my-plan.yaml | jq '.files[].findings[].code'
    """
    from .loader import Checked, check_file
    from .render import findings as rf

    if fmt is None:
        # Inside GitHub Actions annotations are what a reviewer sees; elsewhere, text.
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        fmt = CheckFormat.github if github else CheckFormat.text
    paths = [*(files or []), *([file] if file else [])] or [resolve_file(None)]

    def one(path: Path) -> Checked:
        try:
            return check_file(path)
        except Exception as exc:  # a bug on one file must not hide the others' findings
            return Checked(str(path), [Finding(
                "internal", f"internal error: {type(exc).__name__}: {exc}",
                hint="please report this with the file that caused it",
                location=Location(str(path)))], EXIT_USAGE)

    results = _run(lambda: [one(p) for p in paths])
    render.write(rf.render(results, fmt))
    typer.echo(rf.summary(results).rstrip("\n"), err=True)
    code = max((r.exit_code for r in results), default=0)
    if code == 0 and strict and rf.counts(results)[1]:
        code = EXIT_INVALID
    raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the allocation file, generated from bdur's own models.

    The repository keeps a copy as bdur.schema.json, for editors (yaml-language-server) and
    for check-jsonschema; a test keeps the two equal.

    Examples:

      bdur schema > bdur.schema.json

      check-jsonschema --schemafile bdur.schema.json data/allocations.yaml
    """
    from .model import json_schema

    render.write(_run(lambda: render.to_json(json_schema())))


def main() -> None:
    """Console-script entry point: no traceback, quiet on a closed pipe or Ctrl-C."""
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


__all__ = ["Location", "app", "main"]
