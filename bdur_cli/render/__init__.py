"""The one place that knows output formats. Nothing lives here; each piece has a module:

shared plumbing
    labels (the Dutch words), style (locale, unit: how money and fte are spelt), encode (JSON
    and CSV, exact), console (writing to a stream), output (atomic files)
format building blocks
    formats (the format names), table (rich), markdown (pipe tables), xlsx (openpyxl);
    grid (a table laid out once as data, which each of them encodes)
views, one module each
    totals, report, compare, chart, diff, realisation, findings (`bdur check`)

A view takes computed data and returns a string or a rich renderable; `console.write` sends
either to a stream. rich and openpyxl are imported only when a table or workbook is built.
"""
