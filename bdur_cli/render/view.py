"""The one interface between views and formats.

A view (totals, compare, report, realisation, diff, chart) says which formats it offers
(`formats`) and answers each of them one way: as data (JSON), as records (CSV), as a rich
table, as Markdown, as a workbook (xlsx) or as an image (SVG). A format is one function of any
view that offers it (`RENDERERS`), so a view never branches on the format. The formats a
command offers are exactly its view's `formats`, and every `Output` has its renderer (tests
hold both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from .encode import to_csv, to_json
from .formats import Output
from .style import Style
from .table import Renderable


@runtime_checkable
class View(Protocol):
    #: The formats this view offers; a command's --format choices are these.
    formats: frozenset[Output]


@runtime_checkable
class Data(View, Protocol):
    def data(self) -> object:
        """The figures as JSON data: exact Decimals, English keys."""
        ...


@runtime_checkable
class Records(View, Protocol):
    def records(self) -> Sequence[dict[str, Any]]:
        """The figures as CSV rows (one dict per row, the keys are the header)."""
        ...

    @property
    def csv_header(self) -> Sequence[str]:
        """The header an empty CSV still has (so a script reads a table, not nothing)."""
        ...


@runtime_checkable
class Table(View, Protocol):
    def table(self, style: Style) -> Renderable:
        """The figures for a reader: rich tables (or bars) under a heading, a note."""
        ...


@runtime_checkable
class Markdown(View, Protocol):
    def markdown(self, style: Style) -> str:
        """The figures as Markdown pipe tables (a job summary, a memo)."""
        ...


@runtime_checkable
class Workbook(View, Protocol):
    def workbook(self, style: Style) -> Any:
        """An openpyxl Workbook: exact numbers with a number format."""
        ...


@runtime_checkable
class Image(View, Protocol):
    def svg(self, style: Style) -> str:
        """A self-contained SVG image."""
        ...


#: What a view must answer to offer each format.
NEEDS: dict[Output, type] = {Output.table: Table, Output.json: Data, Output.csv: Records,
                             Output.markdown: Markdown, Output.xlsx: Workbook,
                             Output.svg: Image}


def _json(view: Any, style: Style) -> str:
    return to_json(view.data())


def _csv(view: Any, style: Style) -> str:
    text = to_csv(view.records())
    return text or (",".join(view.csv_header) + "\n" if view.csv_header else "")


def _table(view: Any, style: Style) -> Renderable:
    return view.table(style)


def _markdown(view: Any, style: Style) -> str:
    return str(view.markdown(style))


def _xlsx(view: Any, style: Style) -> Any:
    return view.workbook(style)


def _svg(view: Any, style: Style) -> str:
    return str(view.svg(style))


#: Each format, as one function of any view that offers it.
RENDERERS: dict[Output, Callable[[Any, Style], Any]] = {
    Output.table: _table,
    Output.json: _json,
    Output.csv: _csv,
    Output.markdown: _markdown,
    Output.xlsx: _xlsx,
    Output.svg: _svg,
}


def render(view: View, fmt: Output | str, style: Style) -> Any:
    """`view` in `fmt`: a string (json, csv, markdown, svg), a rich renderable (table) or an
    openpyxl Workbook (xlsx). A format the view does not offer is a programming error."""
    fmt = Output(fmt)
    if fmt not in view.formats:
        raise ValueError(f"{type(view).__name__} does not offer {fmt.value}")
    return RENDERERS[fmt](view, style)


def offers(*formats: str) -> frozenset[Output]:
    """A view's `formats` from a command's format names."""
    return frozenset(Output(f) for f in formats)
