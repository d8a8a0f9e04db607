"""The `bdur` command line: the typer app, its commands in the order `bdur --help` lists them,
and the console script's entry point.

The commands are in `figures` (a plan's figures and the realisation), `files` (check,
diff, schema, init) and `pack` (the board pack); their options are declared once in
`options`, and what every command does around its one call into the house (finding the plan,
errors, the output format, writing) is in `run`. Only the command that runs is built
(`_registered_for`).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from .. import __version__
from . import figures, files, pack
from .run import pending_exit

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

for _command in (figures.totals, figures.compare, figures.report, figures.chart,
                 figures.realisation, files.check, files.diff, files.schema, files.init,
                 pack.pack):
    app.command()(_command)


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
    pending_exit.clear()  # in-process runs (tests) start clean
    # Plain `bdur` is a request for help, not a mistake: help and exit 0 (click exits 2).
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


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
