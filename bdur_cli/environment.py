"""The process bdur runs in, made safe before anything else: signals, the standard streams,
their encoding, and the COLUMNS and BDUR_MAX_BYTES settings.

Standard library only and imported first by the console script (`_entry.py`), so that a
Ctrl-C in the first milliseconds, a closed stdout or an ASCII terminal meets this code rather
than a traceback. docs/reliability.md lists what is promised.
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import sys
import unicodedata
from types import FrameType

#: Exit status of a run stopped by a signal: 128 + its number (130 for Ctrl-C, 143 for TERM).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))


class Stopped(BaseException):
    """Raised in the main thread by SIGINT, SIGTERM or SIGHUP. A BaseException, and not a
    KeyboardInterrupt, so that click does not turn it into "Aborted!" with exit 1 and no
    `except Exception` swallows it; `finally` blocks (temporary files) still run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        return "bdur: interrupted" if self.signum == signal.SIGINT else "bdur: terminated"


#: The signal that stopped the run, once one came. A Stopped raised at an unlucky moment can
#: be swallowed (by a __del__, a weakref callback, or C code that clears errors) and the run
#: would go on to exit 0: the console script then still exits 128 + this (`_entry.main`).
received: int | None = None


def _stop(signum: int, frame: FrameType | None) -> None:
    global received
    received = signum
    raise Stopped(signum)


def install_signal_handlers() -> None:
    for signum in SIGNALS:
        signal.signal(signum, _stop)


def ignore_signals() -> None:
    """From here on a second Ctrl-C cannot interrupt the clean-up or the last message."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


#: True when bdur was started with its standard output closed (`bdur ... >&-`): data for
#: stdout is then an error (exit 2), while `-o FILE` still works.
stdout_closed = False


def guard_descriptors() -> None:
    """Occupy a closed fd 0, 1 or 2 with /dev/null, so that no file bdur opens (an output's
    temporary file) lands on it and receives text meant for a standard stream."""
    global stdout_closed
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:  # pragma: no cover - the lowest free descriptor is the closed one
            os.dup2(null, fd)
            os.close(null)
        if fd == 1:
            stdout_closed = True
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - lives with the process
        elif fd == 2:
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115


# --- encodings -------------------------------------------------------------------------------

_ERRORS = "bdur-degrade"

#: Plain stand-ins for the characters bdur itself prints, on a stream that cannot show them
#: (PYTHONIOENCODING=ascii, a latin-1 terminal): € becomes EUR, not a crash.
_STAND_INS = {"€": "EUR", "Δ": "D", "×": "x", "…": "...", "·": "-", "–": "-", "—": "-",
              "−": "-", "≈": "~", "‘": "'", "’": "'", "“": '"', "”": '"', "█": "#",
              "▌": "#", "│": "|", "─": "-", "┼": "+", "\u00a0": " ", "\u202f": " "}


def degrade(text: str) -> str:
    """ASCII stand-ins for `text`: the table above, else the letter without its accent
    (é → e), else '?'."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        stand_in = _STAND_INS.get(ch)
        if stand_in is None:
            stand_in = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(stand_in or "?")
    return "".join(out)


def _degrade_error(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return degrade(exc.object[exc.start:exc.end]), exc.end


codecs.register_error(_ERRORS, _degrade_error)


def degrade_streams() -> None:
    """Let stdout and stderr print anything: characters their encoding lacks are replaced."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is not None and encoding not in ("utf-8", "utf8"):
            reconfigure(errors=_ERRORS)


# --- settings --------------------------------------------------------------------------------

#: The widest table bdur draws; a larger COLUMNS (COLUMNS=999999999) is capped to it.
MAX_COLUMNS = 500
_DIGITS = re.compile(r"[0-9]{1,9}")


def columns(default: int | None = None) -> int | None:
    """COLUMNS as a width: ASCII digits only (not '²'), at least 1, at most MAX_COLUMNS;
    anything malformed gives `default`."""
    value = os.environ.get("COLUMNS", "").strip()
    if not _DIGITS.fullmatch(value) or int(value) < 1:
        # More than nine digits is absurd as well as malformed; cap it like one that fits.
        return MAX_COLUMNS if value.isascii() and value.isdigit() and len(value) > 9 else \
            default
    return min(int(value), MAX_COLUMNS)


def sanitise_columns() -> None:
    """Make COLUMNS safe for everything that reads it (rich, click's help): capped when
    absurd, removed when malformed (then the terminal's own width is used)."""
    if "COLUMNS" not in os.environ:
        return
    width = columns()
    if width is None:
        del os.environ["COLUMNS"]
    else:
        os.environ["COLUMNS"] = str(width)


_SIZE = re.compile(r"([0-9]{1,15})\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", re.IGNORECASE)
_UNIT = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30}


class BadSetting(ValueError):
    """An environment setting bdur cannot use; the message says what it expects."""


def parse_size(text: str, name: str = "BDUR_MAX_BYTES") -> int:
    """'33554432', '100MB', '512 k', '2GiB' as bytes. K, M and G count in 1024s (as bdur's
    messages do: 32.0 MB = 33,554,432 bytes); a missing unit means bytes."""
    match = _SIZE.fullmatch(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise BadSetting(f"{name}={text!r} is not a size; write a number of bytes, or one "
                         "with K, M or G (e.g. 100MB)")
    return int(match.group(1)) * _UNIT[match.group(2).lower()[:1]]


def setup() -> None:
    """Everything above, in the order it matters; called first by the console script."""
    install_signal_handlers()
    guard_descriptors()
    degrade_streams()
    sanitise_columns()
