"""What keeps an output harmless: to the file system it lands in, and to whoever opens it.

- `target`: where an output file may be written. Only a regular file (or a new name) is
  replaced; a device, FIFO, socket or directory is refused (as root, `-o /dev/null` would
  otherwise replace the device with a file), and so is any file this run has read (the plan,
  a scenario, any base in its chain, a mapping or export: compared by device and inode, so a
  symbolic or hard link to an input is caught too). An existing file keeps its mode and owner.
- `cell`: a spreadsheet cell that starts with = + - @ tab or CR is a formula to Excel and
  LibreOffice (CSV injection); such text gets a leading single quote, as OWASP advises,
  while numbers (-285000) stay numbers. `neutralise_sheet` does the same for xlsx with
  Excel's own quote prefix, so that the cell shows the text as written.
- `html`: markdown is rendered as HTML by GitHub, GitLab and most viewers; a name holding
  `<script>` or `<img onerror=...>` is shown as text, and so is `[link](url)` or
  `![image](url)` (no live link or remote image from a name).

docs/reliability.md lists the promises; tests/test_hostile.py runs them.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EXIT_USAGE, BdurError, Finding, Location
from ..reading import kind_of, was_read

# --- cells -----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9_,.]*")


def is_formula_like(text: str) -> bool:
    """Text a spreadsheet would evaluate: starts with = + - @ tab or CR, and is no number."""
    return text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None


def cell(value: Any) -> Any:
    """A CSV cell: formula-like text gets a leading single quote; anything else as it is."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutralise_sheet(ws: Any) -> None:
    """Every formula-like text cell of an openpyxl worksheet becomes plain text: stored as a
    string (openpyxl would write a text starting with = as a formula) with Excel's quote
    prefix, so that it stays text when someone edits the cell."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and is_formula_like(c.value):
                c.data_type = "s"
                c.quotePrefix = True


_HTML = str.maketrans({"<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"})


def html(text: str) -> str:
    """Text for markdown that a viewer renders as HTML: < and > as entities, so no tag is
    ever made (an & stays, as in "L&C": an entity it starts can only be a character); [ and ]
    as entities too, so no link `[x](y)` or image `![x](y)` is made from a name or a ledger
    description (a character reference is never markup, in Markdown or in HTML)."""
    return text.translate(_HTML)


# --- output files ----------------------------------------------------------------------------

STDOUT = "-"


def is_stdout(path: Path | str | None) -> bool:
    """`-o -` means standard output, as for most command-line tools."""
    return path is not None and str(path) == STDOUT


@dataclass(frozen=True)
class Target:
    """Where an output goes: the real path (after symbolic links), and the mode, owner and
    group of the file it replaces (None for a new file)."""

    path: Path
    mode: int | None = None
    owner: tuple[int, int] | None = None


def refused(path: Path | str, message: str, hint: str | None = None) -> BdurError:
    return BdurError([Finding("unwritable", message, hint=hint, location=Location(str(path)))],
                     EXIT_USAGE)


def target(path: Path | str) -> Target:
    """Where `path` may be written, or a `BdurError` (exit 2) that says why not."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        raise refused(path, "cannot write the file: the name is not usable") from None
    try:
        # The name itself, following links: /dev/stdout leads to a pipe that has no path.
        info = os.stat(path)
    except FileNotFoundError:
        return Target(real)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "the name is not usable"
        raise refused(path, f"cannot write the file: {reason}") from None
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise refused(path, f"is {kind}, not a regular file; bdur writes only regular files",
                      "leave out -o (or write -o -) to send the output to stdout")
    if was_read(real):
        raise refused(path, "is one of the files this run reads; writing it would destroy it",
                      "choose another name for the output")
    return Target(real, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid))


def keep_attributes(fd: int, t: Target) -> None:
    """Give the new file the old one's mode (a 0600 report stays private) and, where allowed
    (as root), its owner; a new file gets the usual 0666 less the umask."""
    if t.mode is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    if t.owner is not None and hasattr(os, "fchown"):
        with contextlib.suppress(OSError):  # not root: the file is ours, like a new one
            os.fchown(fd, *t.owner)
    os.fchmod(fd, t.mode)
