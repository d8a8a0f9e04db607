"""The Markdown format's building blocks: a GitHub/pandoc pipe table and the note under it."""

from __future__ import annotations

from collections.abc import Sequence

from .safety import html
from .style import Style, Sum


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]],
                   right: Sequence[bool]) -> str:
    """A GitHub/pandoc pipe table; `right` marks the right-aligned (numeric) columns."""
    def cell(text: str) -> str:
        # A note written as a YAML block ends in a newline, which would end the table row;
        # a viewer renders markdown as HTML, so <script> must stay text.
        return " ".join(html(text).replace("|", "\\|").split())

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def markdown_note(style: Style, sums: Sequence[Sum]) -> str:
    """The note under a table (unit, rounding differences), after a blank line; or ""."""
    note = style.note(sums)
    return "" if note is None else f"\n{note}\n"
