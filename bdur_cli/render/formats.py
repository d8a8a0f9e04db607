"""The names of the output formats and report layouts, as the command line offers them."""

from __future__ import annotations

from enum import StrEnum


class Output(StrEnum):
    """Every output format any view offers (`render.view`)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    svg = "svg"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ReportFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class RealisationFormat(StrEnum):
    """What `bdur realisation` writes: the month-by-month view offers all of these, the
    others all but xlsx (`bdur report -m` is their workbook)."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Locale(StrEnum):
    """The reader's language and number format (`render.style`)."""

    en = "en"
    nl = "nl"


class Unit(StrEnum):
    euro = "euro"
    thousand = "thousand"


class Prices(StrEnum):
    nominal = "nominal"
    constant = "constant"


class FundingBasis(StrEnum):
    """`bdur totals --funding`: every source, or granted money alone."""

    all = "all"
    granted = "granted"


class Grouping(StrEnum):
    goal = "goal"
    theme = "theme"
    department = "department"


class DiffFormat(StrEnum):
    """What `bdur diff` writes (it lives here, not in render.diff, so that naming the option
    does not import the diff and the engine at every command's start)."""

    table = "table"
    json = "json"
    markdown = "markdown"


class CheckFormat(StrEnum):
    """What `bdur check` writes (render.findings): for people, for scripts, and for CI systems
    (here, like DiffFormat, so that naming the option loads no renderer)."""

    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"
    azure = "azure"
