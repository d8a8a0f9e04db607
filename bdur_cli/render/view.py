"""The one interface between views and formats.

A view (totals, compare) offers its figures four ways: as data (JSON), as records (CSV), as
a rich table and as Markdown; a format takes any view and asks for its way. So a view never
branches on the format, and the formats a command offers (`Format`) are exactly the keys of
`RENDERERS` (a test holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from .encode import to_csv, to_json
from .formats import Format
from .style import Style
from .table import Renderable


@runtime_checkable
class View(Protocol):
    def data(self) -> object:
        """The figures as JSON data: exact Decimals, English keys."""
        ...

    def records(self) -> list[dict[str, Any]]:
        """The figures as CSV rows (one dict per row, the keys are the header)."""
        ...

    def table(self, style: Style) -> Renderable:
        """The figures for a reader: rich tables under a heading, a note."""
        ...

    def markdown(self, style: Style) -> str:
        """The figures as Markdown pipe tables (a job summary, a memo)."""
        ...


def _json(view: View, style: Style) -> str:
    return to_json(view.data())


def _csv(view: View, style: Style) -> str:
    return to_csv(view.records())


def _table(view: View, style: Style) -> Renderable:
    return view.table(style)


def _markdown(view: View, style: Style) -> str:
    return view.markdown(style)


#: Each format of `Format`, as one function of any view.
RENDERERS: dict[Format, Callable[[View, Style], Any]] = {
    Format.table: _table,
    Format.json: _json,
    Format.csv: _csv,
    Format.markdown: _markdown,
}


def render(view: View, fmt: Format, style: Style) -> Any:
    """`view` in `fmt`: a string (json, csv, markdown) or a rich renderable (table)."""
    return RENDERERS[fmt](view, style)
