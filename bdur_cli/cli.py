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
from .errors import EXIT_USAGE, BdurError, Finding, Location

T = TypeVar("T")

app = typer.Typer(
    name="bdur",
    help="Budget calculator for the extra BDuR money of a Dutch safety region.\n\n"
    "Reads an allocation plan (YAML), computes per-year totals and the gap against funding.",
    epilog="Examples:  bdur totals 2024   ·   bdur totals --format json   ·   "
    "bdur totals -f my-plan.yaml",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
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
def compare(
    base: Annotated[Path, typer.Argument(help="The plan (or scenario) to compare against.",
                                         metavar="BASE", show_default=False, dir_okay=False)],
    others: Annotated[list[Path], typer.Argument(help="One or more plans or scenarios.",
                                                 metavar="OTHER", show_default=False,
                                                 dir_okay=False)],
    explain: Annotated[bool, typer.Option("--explain", help="Per year, list the lines that "
                                          "cause each difference (line, theme, base amount, "
                                          "other amount).")] = False,
    fmt: Annotated[render.Format, typer.Option("--format", help="Output format.")] =
        render.Format.table,
) -> None:
    """Plans and scenarios side by side: per year funding, planned and gap of each file, and
    the differences against BASE (other - base; a positive gap difference is more room).

    Examples:

      bdur compare data/allocations.yaml data/scenarios/staff-from-june-2023.yaml

      bdur compare data/allocations.yaml data/scenarios/*.yaml --explain

      bdur compare data/allocations.yaml data/scenarios/bdur-cut-2026.yaml --format json
    """
    from . import api
    from .render import compare as render_compare

    def work() -> object:
        result = api.compare(base, *others, explain=explain)
        return render_compare.compare(result, fmt, explain=explain)

    render.write(_run(work))


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
