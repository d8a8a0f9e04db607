"""Writing an output file atomically: never a half-written file, never a stray temporary."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..errors import EXIT_USAGE, BdurError, Finding, Location


def write_file(path: Path, produce: Callable[[IO[bytes]], None]) -> None:
    """Write a file atomically: `produce` writes into a temporary file in the same directory,
    which then replaces `path` in one step. If anything fails (or the run is interrupted),
    no half-written `path` and no temporary file remain; the old `path`, if any, is untouched.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
            dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and not directory.is_dir():
            # The file is not the problem: say which folder is missing.
            raise BdurError([Finding(
                "unwritable", f"cannot write {path.name}: the folder {directory} does not exist",
                hint=f"create it first (mkdir -p {directory}), or write somewhere else",
                location=Location(str(path)))], EXIT_USAGE) from None
        raise _unwritable(path, exc) from None
    tmp = Path(handle.name)
    try:
        with handle:
            produce(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600; give the result the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def write_text_file(path: Path, text: str) -> None:
    data = text.encode("utf-8")

    def produce(f: IO[bytes]) -> None:
        f.write(data)

    write_file(path, produce)


def _unwritable(path: Path, exc: OSError) -> BdurError:
    reason = exc.strerror or type(exc).__name__
    return BdurError([Finding("unwritable", f"cannot write the file: {reason}",
                              location=Location(str(path)))], EXIT_USAGE)
