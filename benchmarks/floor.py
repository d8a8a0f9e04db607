"""The floor program of the benchmark: the least a tool of bdur's shape can do.

A bare typer app that loads the same YAML file with PyYAML's C loader and prints one rich
table. bdur's own commands are measured against this.
"""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def main(file: Path) -> None:
    with file.open("rb") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader)
    table = Table("year", "funding")
    for year, entry in data["funding"].items():
        table.add_row(str(year), str(entry["amount"]))
    Console().print(table)


if __name__ == "__main__":
    app()
