"""Numbers as text, the English way, for every layer that writes a message or a cell.

The one place that spells an amount: `euro` (€1,505,000 / -€277,851 / +€145,000),
`fte` (1.5 fte / +0.5 fte) and `plain_number` (the shortest exact decimal). Locales and
units build on these in `render`. And the other way: `YamlFloat`, a number as a plan spelt
it, kept as text.
"""

from __future__ import annotations

from decimal import Decimal


class YamlFloat(str):
    """A YAML scalar that PyYAML would have read as a float, kept as its source text (the
    loader makes them, the models' validators tell them apart from text, the cache keeps
    them)."""

    __slots__ = ()


def plain_number(value: Decimal) -> str:
    """A Decimal as the shortest exact decimal text: 1685000, 11.5, -0.25."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def euro(value: Decimal | int, signed: bool = False) -> str:
    """Whole euros: €1,505,000; -€277,851; with `signed`, +€145,000 (0 stays €0)."""
    text = f"€{abs(int(value)):,}"
    if value < 0:
        return f"-{text}"
    return f"+{text}" if signed and value > 0 else text


def fte(value: Decimal | int, signed: bool = False) -> str:
    """A number of fte: 1 fte (not 1.00), 11.5 fte; with `signed`, +0.5 fte (0 stays 0 fte)."""
    text = plain_number(Decimal(value))
    return f"+{text} fte" if signed and value > 0 else f"{text} fte"
