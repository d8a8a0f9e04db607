"""The floor program of the benchmark: the least a tool of bdur's shape can do.

A bare typer app that imports typer, rich, pydantic and PyYAML, loads the same YAML file with
PyYAML's C loader, checks the funding entries with a pydantic model and prints them as one rich
table. bdur's own commands are measured against this.
"""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


class Funding(BaseModel):
    amount: int
    status: str


@app.command()
def main(file: Path) -> None:
    with file.open("rb") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader)
    table = Table("year", "funding")
    for year, entry in data["funding"].items():
        table.add_row(str(year), str(Funding.model_validate(entry).amount))
    Console().print(table)


if __name__ == "__main__":
    app()
