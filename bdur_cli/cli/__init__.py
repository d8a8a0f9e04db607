"""The `bdur` command line: the typer app (`app`), its shared options (`options`) and what
every command does around its one call into the house (`run`)."""

from __future__ import annotations

from .app import app, main

__all__ = ["app", "main"]
