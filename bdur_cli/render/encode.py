"""The machine encodings: JSON and CSV, with Decimals written exactly (never through float)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..numbers import plain_number
from .safety import cell


def _json(value: Any, indent: str, step: str, dumps: Any) -> str:
    # Hand-written so that Decimals come out as exact JSON numbers, never through float.
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + step
        items = ",\n".join(f"{inner}{dumps(str(k), ensure_ascii=False)}: "
                           f"{_json(v, inner, step, dumps)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + step
        items = ",\n".join(inner + _json(v, inner, step, dumps) for v in value)
        return "[\n" + items + "\n" + indent + "]"
    return str(dumps(value, ensure_ascii=False))


def to_json(value: Any) -> str:
    """JSON text with 2-space indentation; Decimal values become exact numbers."""
    import json  # here, not at start-up: a table needs no JSON

    return _json(value, "", "  ", json.dumps) + "\n"


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(rows[0].keys())
        for row in rows:
            # Text that a spreadsheet would run as a formula is quoted (safety.cell).
            writer.writerow(plain_number(v) if isinstance(v, Decimal) else
                            ("" if v is None else cell(v)) for v in row.values())
    return out.getvalue()


def excel_csv(text: str) -> str:
    """Machine CSV as Dutch Excel opens it: `;` between fields, a decimal comma, and a UTF-8
    byte order mark so that `€` and `ë` survive. Only plain numbers change; text stays."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(cell.replace(".", ",") if _NUMBER.fullmatch(cell) else cell
                        for cell in row)
    return "\ufeff" + out.getvalue()


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
