"""Writing an output file atomically and safely: never a half-written file, never a stray
temporary, never a device or an input overwritten (see `safety`)."""

from __future__ import annotations

import io
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .. import environment
from ..errors import EXIT_USAGE, BdurError, Finding, Location
from . import safety
from .console import silence, stdout_failed


def write_file(path: Path, produce: Callable[[IO[bytes]], None]) -> None:
    """Write a file atomically and safely (see `safety`): `produce` writes into a temporary
    file in the target's directory, which then replaces the target in one step. If anything
    fails, or SIGINT or SIGTERM arrives, no half-written file and no temporary file remain
    and the old file, if any, is untouched. `-` is standard output.
    """
    if safety.is_stdout(path):
        buffer = io.BytesIO()
        produce(buffer)
        write_bytes(buffer.getvalue())
        return
    target = safety.target(path)
    tmp: Path | None = None
    try:
        with _signals_held():  # the temporary file exists only once its name is known here
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
                dir=target.path.parent, prefix=f".{target.path.name[:100]}.", suffix=".tmp",
                delete=False)
            tmp = Path(handle.name)
        with handle:
            produce(handle)
            handle.flush()
            safety.keep_attributes(handle.fileno(), target)
            os.fsync(handle.fileno())
        safety.target(path)  # once more just before: it may have changed while we wrote
        os.replace(tmp, target.path)
    except BaseException as exc:
        with _signals_held():
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        # A half-written workbook's zip file would complain from its finaliser at exit.
        sys.unraisablehook = _ignore_unraisable
        folder = Path(path).parent
        if tmp is None and isinstance(exc, FileNotFoundError) and not folder.is_dir():
            # The file is not the problem: say which folder is missing.
            raise BdurError([Finding(
                "unwritable", f"cannot write {Path(path).name}: the folder {folder} does not "
                "exist", hint=f"create it first (mkdir -p {folder}), or write somewhere else",
                location=Location(str(path)))], EXIT_USAGE) from None
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def _ignore_unraisable(unraisable: Any) -> None:
    pass


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (then arrive as usual)."""
    signals = set(environment.SIGNALS)
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_text_file(path: Path, text: str) -> None:
    data = text.encode("utf-8")

    def produce(f: IO[bytes]) -> None:
        f.write(data)

    write_file(path, produce)


def write_bytes(data: bytes) -> None:
    """Bytes (an xlsx with `-o -`) to standard output, with the errors `write` handles."""
    if environment.stdout_closed:
        raise SystemExit(stdout_failed("it is closed", "write to a file with -o FILE"))
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        silence(sys.stdout)
        raise SystemExit(0) from None
    except OSError as exc:
        silence(sys.stdout)
        raise SystemExit(stdout_failed(exc.strerror or str(exc))) from None


def _unwritable(path: Path, exc: OSError) -> BdurError:
    reason = exc.strerror or type(exc).__name__
    return BdurError([Finding("unwritable", f"cannot write the file: {reason}",
                              location=Location(str(path)))], EXIT_USAGE)
