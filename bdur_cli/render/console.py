"""Sending rendered output to a stream: colour only on a terminal, plain text when piped, a
closed pipe ends the run quietly. rich is imported only when a renderable is written.
"""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Any

from .. import environment
from ..errors import EXIT_USAGE, Finding


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


#: The width of piped output with no terminal around it (a file, CI): wide enough for every
#: table, so nothing wraps.
PIPED = 200


def piped_width(streams: tuple[IO[str], ...] | None = None) -> int:
    """How wide piped output is: the terminal's width when the run has one (stderr or stdin
    is a terminal: `bdur report | less` is read there, at its width), else 200."""
    for stream in streams if streams is not None else (sys.stderr, sys.stdin):
        if stream is not None and _is_terminal(stream):
            try:
                return os.get_terminal_size(stream.fileno()).columns or PIPED
            except (OSError, ValueError):
                continue
    return PIPED


def text_width(stream: IO[str] | None = None) -> int | None:
    """The width to fold plain text to (`bdur check`'s findings): `COLUMNS` when set, else
    the terminal's when `stream` (stdout) is one; None when piped without `COLUMNS`, so that
    a CI log, a file or `grep` gets each finding's lines whole, as they always were (a
    compiler-style line is read by tools too)."""
    width = environment.columns(None)
    if width is not None:
        return width
    stream = stream or sys.stdout
    if _is_terminal(stream):
        try:
            return os.get_terminal_size(stream.fileno()).columns or None
        except (OSError, ValueError):
            return None
    return None


def console(stream: IO[str] | None = None) -> Any:
    """A rich Console: colour only on a terminal and without NO_COLOR; wide when piped."""
    from rich.console import Console

    stream = stream or sys.stdout
    tty = _is_terminal(stream)
    no_color = bool(os.environ.get("NO_COLOR"))
    # A tty's width comes from the terminal (COLUMNS, when set, is already capped at start).
    width = None if tty else environment.columns(None) or piped_width()
    # force_terminal decides: None would let rich guess from FORCE_COLOR and the like, False
    # (as once here) turned colour off on a real terminal too.
    return Console(file=stream, no_color=no_color or not tty, force_terminal=tty,
                   highlight=False, width=width, emoji=False, soft_wrap=False,
                   color_system="auto" if tty and not no_color else None)


def write(output: Any, stream: IO[str] | None = None) -> None:
    """Send a rendered string or rich renderable to `stream` (stdout by default).

    A reader that goes away (`bdur report | head -1`) ends the run quietly with exit 0: click
    would otherwise turn the broken pipe into exit 1, which fails a `set -o pipefail` step.
    """
    if stream is None and environment.stdout_closed:
        raise SystemExit(stdout_failed("it is closed", "write to a file with -o FILE"))
    stream = stream or sys.stdout
    try:
        _write(output, stream)
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush cannot fail again.
        silence(stream)
        raise SystemExit(0) from None
    except OSError as exc:  # a full disk (>/dev/full), a device error: usage, not "invalid"
        silence(stream)
        raise SystemExit(stdout_failed(exc.strerror or str(exc))) from None


def silence(stream: IO[str]) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # pragma: no cover - a stream without a descriptor
        pass


def finding_line(f: Finding) -> str:
    """`path:line:col: error: message [code] (hint: ...)` on one line (for stderr)."""
    # Here, not at the top: a run that finds nothing wrong never needs the scalar rules.
    from ..scalars import visible

    where = f"{f.location}: " if f.location else ""
    hint = f" (hint: {f.hint})" if f.hint else ""
    return visible(f"{where}{f.level}: {f.message} [{f.code}]{hint}")


def stdout_failed(reason: str, hint: str | None = None) -> int:
    finding = Finding("unwritable", f"cannot write to standard output: {reason}", hint=hint)
    sys.stderr.write(finding_line(finding) + "\n")
    return EXIT_USAGE


def _encodable(stream: IO[str]) -> bool:
    try:
        "€Δ─".encode(getattr(stream, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _degraded(obj: Any) -> Any:
    """A table for a stream that cannot show €: the cells get their ASCII stand-ins (EUR)
    before rich lays them out, so that the columns still line up."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if isinstance(obj, str):
        return environment.degrade(obj)
    if isinstance(obj, Text):
        copy = obj.copy()
        copy.plain = environment.degrade(obj.plain)
        return copy
    if isinstance(obj, Group):
        return Group(*(_degraded(r) for r in obj.renderables))
    if isinstance(obj, Table):
        obj.title = _degraded(obj.title) if obj.title is not None else None
        obj.caption = _degraded(obj.caption) if obj.caption is not None else None
        for column in obj.columns:
            column.header = _degraded(column.header)
            column._cells = [_degraded(cell) for cell in column._cells]
    return obj


def _write(output: Any, stream: IO[str]) -> None:
    if not isinstance(output, str) and not _encodable(stream):
        output = _degraded(output)
    if not isinstance(output, str):
        con = console(stream)
        if con.is_terminal:
            con.print(output)
            return
        # Piped: plain text, without the padding rich adds to reach the table's width,
        # and without the blank line a borderless table ends with.
        with con.capture() as captured:
            con.print(output)
        output = "\n".join(line.rstrip() for line in captured.get().split("\n")).rstrip() + "\n"
    stream.write(output)
    stream.flush()


def as_text(output: Any) -> str:
    """A rendered string or rich renderable as plain text (no colour), e.g. for a file."""
    if isinstance(output, str):
        return output
    from rich.console import Console

    con = Console(file=io.StringIO(), no_color=True, color_system=None, width=200,
                  highlight=False, emoji=False, soft_wrap=False, force_terminal=False)
    with con.capture() as captured:
        con.print(output)
    return "\n".join(line.rstrip() for line in captured.get().split("\n"))
