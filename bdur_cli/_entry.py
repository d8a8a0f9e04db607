"""The `bdur` console script: make the process safe, switch the garbage collector off, and
only then do the heavy imports.

The signal handlers come first so that a Ctrl-C while typer, rich and pydantic load ends the
run with one line and exit 130, not a traceback (`bdur_cli/__init__.py` imports nothing heavy
for the same reason).

A run is short and nearly everything it allocates (typer, rich, pydantic's validators, the
plan) lives until it ends, so the cyclic collector would only rescan it: about 10% of
`bdur totals` on the memo's plan and far more on large plans (see benchmarks/bench.py).
"""

from __future__ import annotations

# _signal, not signal: the C module is loaded with the interpreter, so installing the handler
# runs no Python code of the standard library that a Ctrl-C could interrupt (importing
# `signal` builds its enums first, some milliseconds in which a traceback could escape).
import _signal  # type: ignore[import-not-found]  # typeshed has no stub for it
import os


def _early(signum: int, frame: object) -> None:
    # Until environment.setup() replaces it: nothing has started, so nothing to clean up.
    os.write(2, b"bdur: interrupted\n" if signum == _signal.SIGINT else b"bdur: terminated\n")
    os._exit(128 + signum)


for _signum in (_signal.SIGINT, _signal.SIGTERM):
    _signal.signal(_signum, _early)

import gc  # noqa: E402 - after the handler, on purpose
import sys  # noqa: E402

from . import environment  # noqa: E402


def main() -> None:
    try:
        environment.setup()
        if sys.argv[1:] == ["--version"]:
            # The one answer that needs nothing of the command line: typer and rich alone
            # take longer to import than a person waits for a version (docs/performance.md).
            from . import __version__

            sys.stdout.write(f"bdur {__version__}\n")
            sys.stdout.flush()
            return
        gc.disable()
        # bdur uses no pydantic plugins, and looking for them reads the metadata of every
        # installed package (about 5 ms); a setting of the user's own is kept.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        _no_plugin_loader()
        from .cli import main as cli_main

        cli_main()
    except environment.Stopped as stop:
        environment.ignore_signals()
        _finish(stop.message, stop.exit_code)
    except SystemExit:
        _if_stopped()
        raise
    except OSError as exc:
        # What reaches here is a standard stream that cannot be written (stdout on a full
        # disk): every other OSError is turned into a finding inside the command.
        environment.ignore_signals()
        _finish(f"bdur: cannot write the output: {exc.strerror or exc}", 2)
    _if_stopped()


_PLUGINS = "pydantic.plugin._loader"


def _no_plugin_loader() -> None:
    """With plugins off, pydantic still imports its plugin loader when it builds the first
    validator, and the loader imports importlib.metadata (email, zipfile, csv ...: a tenth
    of `bdur totals` on a small plan) only to be told that plugins are off. In its place
    goes a module that says so at once; any other name of it loads the real one."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true") \
            or _PLUGINS in sys.modules:
        return
    import types

    stub = types.ModuleType(_PLUGINS)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> object:
        if name.startswith("__"):  # the import system asking (__path__, __spec__ ...)
            raise AttributeError(name)
        sys.modules.pop(_PLUGINS, None)
        import importlib

        return getattr(importlib.import_module(_PLUGINS), name)

    stub.get_plugins = get_plugins  # type: ignore[attr-defined]
    stub.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGINS] = stub


def _if_stopped() -> None:
    """A signal whose Stopped was swallowed on the way still ends the run as stopped: never
    exit 0 after a Ctrl-C."""
    signum = environment.received
    if signum is not None:
        environment.ignore_signals()
        stop = environment.Stopped(signum)
        _finish(stop.message, stop.exit_code)


def _finish(message: str, code: int) -> None:
    # os._exit: the interpreter's own shutdown would flush stdout once more (and fail again
    # on a full disk) or meet a half-written workbook's finaliser; temporary files are
    # already gone (render's write_file removes them on the way out).
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        os.write(2, (message + "\n").encode("ascii", "replace"))
    except (OSError, ValueError):
        pass
    os._exit(code)
