"""What every command does around its one call into the house: find the plan, turn errors into
located one-line messages, choose the output format, write the result.

No arithmetic here, and no typer options (those are in `options`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location, by_position
from ..render import console
from ..render.console import finding_line
from ..render.encode import excel_csv
from ..render.formats import Locale, Unit
from ..render.output import write_text_file
from ..render.safety import is_stdout

if TYPE_CHECKING:
    from ..actuals.realise import Analysis
    from ..plan.pipeline import Checked
    from ..render.style import Style

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

DEFAULT_FILE = Path("data/allocations.yaml")

#: What to do when there is no plan: said the same way by every command.
NO_PLAN_HINT = ("point at a plan with -f FILE, start one with `bdur init`, or try the memo's "
                "sample with `bdur init --sample`")


def packaged(name: str) -> Path:
    """A file shipped inside the package (the memo's plan, the starting plan, the schema)."""
    from importlib import resources  # only here: 2 ms of every start-up otherwise

    return Path(str(resources.files("bdur_cli") / "data" / name))


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


def fail(findings: list[Finding], code: int) -> NoReturn:
    for f in by_position(findings):
        typer.echo(finding_line(f), err=True)
    raise typer.Exit(code)


def usage_error(message: str, hint: str | None = None) -> NoReturn:
    fail([Finding("usage", message, hint=hint)], EXIT_USAGE)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn core errors into located one-line messages on stderr and the contract's exit code."""
    try:
        yield
    except BdurError as exc:
        fail(exc.findings, exc.exit_code)
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        fail([internal(exc)], EXIT_USAGE)


def internal(exc: Exception, path: Path | None = None) -> Finding:
    return Finding("internal", f"internal error: {type(exc).__name__}: {exc}",
                   hint="please report this with the file that caused it",
                   location=Location(str(path)) if path is not None else None)


def run(fn: Callable[[], T]) -> T:
    with reported_errors():
        return fn()
    raise AssertionError("unreachable")  # pragma: no cover


#: Errors of the realisation its report shows (an ambiguous posting is listed, a decision
#: beyond the year's result is in the reserve statement): the report is still printed, and
#: the command exits 1 after it (`finish`), so CI fails all the same.
SHOWN_IN_REPORT = frozenset({"ambiguous-posting", "appropriation-exceeds-result"})
#: Set by `analysed` when such an error was found; `finish` exits 1 on it.
pending_exit: list[int] = []


def finish() -> None:
    """After the output: exit 1 when the realisation had an error its report shows."""
    if pending_exit:
        pending_exit.clear()
        raise typer.Exit(EXIT_INVALID)


def analysed(mapping: Path, *, plan: Path | None, actuals: Path | None, through: str | None,
             as_of: str | None, year: int | None = None, by_month: bool = False) -> Analysis:
    """The realisation of `mapping` (`actuals.realise`), its findings on stderr (errors
    first); exit 1 on an error among them, or, when every error is one the report shows
    (`SHOWN_IN_REPORT`), after the output (`finish`). The one way every command reaches the
    actuals."""
    from ..actuals.realise import Request, realise

    analysis = realise(Request(mapping, plan=plan, actuals=actuals, through=through,
                               as_of=as_of, year=year, by_month=by_month))
    errors = [f for f in analysis.findings if f.level == "error"]
    for f in [*errors, *(f for f in analysis.findings if f.level != "error")]:
        typer.echo(finding_line(f), err=True)
    if errors:
        if not all(f.code in SHOWN_IN_REPORT for f in errors):
            raise typer.Exit(EXIT_INVALID)
        pending_exit[:] = [EXIT_INVALID]
    return analysis


def realisation_only(mapping: Path | None, actuals: Path | None, through: str | None,
                     as_of: str | None) -> None:
    given = [name for name, value in (("--actuals", actuals), ("--through", through),
                                      ("--as-of", as_of)) if value is not None]
    if mapping is None and given:
        usage_error(f"{given[0]} reads the ledger export; it needs --mapping FILE")


def checked(path: Path) -> Checked:
    """`bdur check` on one file: a plan or scenario, or a file of the actuals (told apart by
    its keys). A bug on one file must not hide the others' findings."""
    from ..actuals.check import check_explanations, check_mapping, check_year_end, kind_of
    from ..plan.pipeline import Checked, check_file

    try:
        kind = kind_of(path) if path.suffix.lower() in (".yaml", ".yml") else None
        if kind == "mapping":  # a realisation mapping, with its export and explanations
            return check_mapping(path)
        if kind == "explanations":
            return check_explanations(path)
        if kind in ("staffing", "appropriations"):
            return check_year_end(path, kind)
        return check_file(path)
    except Exception as exc:
        return Checked(str(path), [internal(exc, path)], EXIT_USAGE)


def written(path: Path) -> None:
    if not is_stdout(path):
        typer.echo(f"wrote {path}", err=True)


#: The extensions each format is written to; another known extension is a mismatch.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "json": (".json",), "gitlab": (".json",), "csv": (".csv",), "markdown": (".md", ".markdown"),
    "table": (".txt", ".text"), "text": (".txt", ".text"), "github": (".txt",),
    "azure": (".txt",), "junit": (".xml",), "xlsx": (".xlsx",), "svg": (".svg",),
}


def output_format(output: Path | None, given: E | None, choices: type[E], default: E,
                  command: str) -> E:
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
    for word in says:
        if word in {c.value for c in choices}:
            return choices(word)
    known = sorted({s for c in choices for s in FORMAT_SUFFIXES.get(c.value, ())})
    usage_error(f"bdur {command} does not write {says[0]} ({suffix}); its files are "
                + ", ".join(known))


def wants_excel(ctx: typer.Context, excel: bool, locale: Locale, fmt: StrEnum) -> bool:
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
    """Print `result`, or write it to `output` (atomically, never coloured; a directory, a
    device or an input there is refused with bdur's one-line error, `render.safety`)."""
    if excel and isinstance(result, str):
        result = excel_csv(result)
    if output is None:
        console.write(result)
        finish()
        return
    if result is not None:
        text = console.as_text(result)
        run(lambda: write_text_file(output, text))
    written(output)
    finish()


def style_of(locale: Locale, unit: Unit) -> Style:
    """The reader's style from --locale/--unit; call inside `run` (a missing Babel is a usage
    error)."""
    from ..render.style import Style

    return Style.make(locale, unit)


F = TypeVar("F", bound=Callable[..., None])


def helped(text: str) -> Callable[[F], F]:
    """The command's help is `text`: built from constants (`options.GAP`), which a docstring
    cannot hold."""

    def mark(fn: F) -> F:
        fn.__doc__ = text
        return fn

    return mark
