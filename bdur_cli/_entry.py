"""The `bdur` console script: switch the garbage collector off before the heavy imports.

A run is short and nearly everything it allocates (typer, rich, pydantic's validators, the
plan) lives until it ends, so the cyclic collector would only rescan it: about 10% of
`bdur totals` on the memo's plan and far more on large plans (see benchmarks/bench.py).
"""

from __future__ import annotations

import gc
import os


def main() -> None:
    gc.disable()
    # bdur uses no pydantic plugins, and looking for them reads the metadata of every
    # installed package (about 5 ms); a setting of the user's own is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as cli_main

    cli_main()
