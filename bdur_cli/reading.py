"""Reading an input file: regular files only, never more than the size limit, and a record of
what was read so that no output can overwrite it.

Every file bdur reads (plans, scenarios and their bases, mappings, exports) comes through
`read_bytes`. It opens without blocking and looks at what it opened: a device (`/dev/zero`
reports size 0 and never ends), a FIFO (it would wait for a writer) or a socket is refused,
and a file that grows while it is read is still cut off at the limit. See docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from . import environment
from .errors import EXIT_USAGE, BdurError, Finding, Location

#: Larger plan files are refused: a plan of 100,000 lines is about 15 MB.
DEFAULT_MAX_BYTES = 32 * 2**20
#: A ledger export may be far larger than a plan (BDUR_MAX_EXPORT_BYTES).
DEFAULT_MAX_EXPORT_BYTES = 2**30

#: (device, inode) and real path of every file read in this run: outputs must not hit them.
_read: set[tuple[int, int]] = set()
_read_paths: set[str] = set()


def max_bytes(setting: str = "BDUR_MAX_BYTES", default: int = DEFAULT_MAX_BYTES) -> int:
    """The size limit from the environment (bytes, or with K, M or G: 100MB); a malformed
    setting is a usage error (exit 2) rather than a silent default."""
    value = os.environ.get(setting, "").strip()
    if not value:
        return default
    try:
        return environment.parse_size(value, setting)
    except environment.BadSetting as exc:
        raise BdurError([Finding("usage", str(exc))], EXIT_USAGE) from None


def size_text(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def too_large(display: str, size: int | None, limit: int, setting: str = "BDUR_MAX_BYTES"
              ) -> BdurError:
    what = f"file is {size_text(size)}" if size is not None else "file is larger than that"
    return BdurError([Finding(
        "too-large", f"{what}; the limit is {size_text(limit)}" if size is not None else
        f"file is larger than the limit of {size_text(limit)}",
        hint=f"set {setting} (e.g. {setting}=100MB) to allow more",
        location=Location(display))], EXIT_USAGE)


def check_size(size: int, display: str) -> None:
    """Refuse a file larger than the limit before reading it (e.g. from a git revision)."""
    limit = max_bytes()
    if size > limit:
        raise too_large(display, size, limit)


def unreadable(display: str, reason: str) -> BdurError:
    return BdurError([Finding("unreadable", reason, location=Location(display))], EXIT_USAGE)


def why_not(exc: OSError | ValueError) -> str:
    """A short reason for a path that cannot be opened."""
    if isinstance(exc, ValueError):  # os functions refuse a NUL in a path this way
        return "the name contains a NUL character"
    reasons = {errno.ENOENT: "no such file", errno.EISDIR: "is a directory, not a file",
               errno.ELOOP: "a loop of symbolic links", errno.ENAMETOOLONG: "the name is "
               "too long", errno.EACCES: "permission denied", errno.ENOTDIR: "a part of the "
               "path is not a folder"}
    return reasons.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover


def read_bytes(path: Path | str, display: str, *, setting: str = "BDUR_MAX_BYTES",
               default: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most the limit; a located `BdurError` (exit 2) for a
    missing, special or too large file."""
    limit = max_bytes(setting, default)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) |
                     getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise unreadable(display, why_not(exc)) from None
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            what = "is a directory, not a file" if kind == "a directory" else \
                f"is {kind}, not a regular file"
            raise unreadable(display, what)
        if info.st_size > limit:
            raise too_large(display, info.st_size, limit, setting)
        chunks, total = [], 0
        while True:  # the size can change after fstat: the limit holds for what is read
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_large(display, None, limit, setting)
        remember(info, path)
        return b"".join(chunks)
    except OSError as exc:
        raise unreadable(display, why_not(exc)) from None
    finally:
        os.close(fd)


def remember(info: os.stat_result, path: Path | str) -> None:
    _read.add((info.st_dev, info.st_ino))
    with contextlib.suppress(OSError, ValueError):
        _read_paths.add(os.path.realpath(path))


def was_read(path: Path | str) -> bool:
    """Whether `path` is (by real path, or as the same file under another name) one of the
    files this run has read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path) in _read_paths
    return (info.st_dev, info.st_ino) in _read or os.path.realpath(path) in _read_paths


def is_regular(path: Path) -> bool:
    """A regular file (after symbolic links), without opening it: never blocks on a FIFO."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# --- files named inside a file ---------------------------------------------------------------

#: What a file named inside another may be, by its name.
YAML_SUFFIXES = (".yaml", ".yml")
EXPORT_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")


def confined(owner: Path, name: str, root: Path, suffixes: tuple[str, ...],
             what: str) -> str | None:
    """Why `name`, named in the file `owner` (relative to its folder), may not be read, or
    None: it must end in one of `suffixes` and lie inside `root` after symbolic links. The
    same rule as a scenario's `base:`, for every file a mapping names (plan, export,
    explanations, staffing, appropriations): a mapping cannot make bdur open, and so quote,
    `.env`, `.git/config` or `/etc/shadow`. The path is only computed, never opened."""
    if "\0" in name:
        return f"the {what} name contains a NUL character"
    if len(name) > 1000 or any(len(part) > 255 for part in Path(name).parts):
        return f"the {what} name is too long"
    shown = name if name.isprintable() else repr(name)
    if Path(name).suffix.lower() not in suffixes:
        return f"{what} '{shown}' is not a {' or '.join(suffixes)} file; it is not read"
    try:
        target = Path(os.path.realpath(owner.parent / name))
        inside = target.is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        inside = False
    if not inside:
        return f"{what} '{shown}' lies outside {root}; it is not read"
    return None
