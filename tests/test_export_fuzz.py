"""A fuzz run over the export reader (issue 20, item 8): mutated CSV bytes and xlsx cells,
each read as bdur reads an export. Whatever the mutation:

- no internal error: the run ends in postings or a located `BdurError`;
- the reconciliation holds (mapped + unmapped + outside + ambiguous = read);
- no total changes without a finding: when the reader says nothing about the file, the
  postings read and their total are those of the unmutated export.

The mutations are those that must not change a figure silently: structural bytes (quotes,
delimiters, line breaks, NUL, byte-order marks, stray encodings, letters) inserted, deleted or
replaced anywhere, but no digit, minus sign, decimal comma or bracket removed and no digit or
minus sign added (those make another valid export). Seeded and bounded in time (about 20 s
in all)."""

from __future__ import annotations

import math
import random
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.actuals.realise import load_mapping, read_actuals
from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan
from conftest import ROOT

PLAN = load_plan(ROOT / "data" / "allocations.yaml").plan
HEADER = "Datum;Omschrijving;Bedrag;Project"
ROWS = [("01-02-2024", "Salarissen 02-2024", "1.000,00", "BDUR-NW"),
        ("15-03-2024", "Opleiding \"crisis\"", "250,50", "BDUR-NW"),
        ("02-04-2024", "Correctie", "-75,25", "BDUR-NW"),
        ("30-06-2025", "Huur; oefenlocatie", "(12,00)", "BDUR-NW"),
        ("01-07-2025", "Licenties", "1.234.567,89", "BDUR-XX"),
        ("31-12-2026", "Overig", "3,5", "BDUR-NW")]
TOTAL = Decimal("1000.00") + Decimal("250.50") - Decimal("75.25") - Decimal("12.00") + \
    Decimal("1234567.89") + Decimal("3.5")
#: The findings by which the reader says a row, a cell or the file is not what it seems.
READER = {"bad-row", "bad-date", "bad-amount", "bad-cell", "encoding-inferred",
          "hidden-sheet", "xlsx-warning"}

#: What is inserted or put in place of a byte: no digit, no minus sign.
STRUCTURAL = [b'"', b";", b",", b".", b"\n", b"\r", b"\r\n", b"\t", b"\x00", b" ", b"\xa0",
              b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\x1b", b"(", b")", b"+", b"e", b"x",
              b"\xd9\xa1", b"\xef\xbc\x91", b"''", b'""', b"\xc2\xa0", b"\xe2\x80\xae"]
#: Bytes never deleted or replaced: each removal can make another valid amount (250,50 ->
#: 25050; (12,00) -> 12,00), which is a different export, not a broken one.
KEEP = set(b"0123456789-,()")


def csv_text() -> bytes:
    def field(text: str) -> str:
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in '";') \
            else text
    lines = [HEADER] + [";".join(field(c) for c in row) for row in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def mapping(tmp: Path, name: str) -> Path:
    (tmp / "m.yaml").write_text(
        f"export:\n  file: {name}\n  columns: {{date: Datum, amount: Bedrag, project: Project, "
        "description: Omschrijving}\nrules:\n  - {line: netwerkmanagement-middelen, project: "
        "BDUR-NW}\n", encoding="utf-8")
    return tmp / "m.yaml"


def mutate(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.choice((1, 1, 1, 2, 3))):
        at = rnd.randrange(len(out) + 1)
        op = rnd.random()
        if op < 0.5 or at == len(out):
            out[at:at] = rnd.choice(STRUCTURAL)
        elif out[at] not in KEEP:
            if op < 0.75:
                del out[at]
            else:
                out[at:at + 1] = rnd.choice(STRUCTURAL)
    return bytes(out)


def check(m: Path, what: Any) -> str:
    """Read the export `m` names; the outcome in a word, after asserting the three promises."""
    try:
        a = read_actuals(PLAN, load_mapping(m))
    except BdurError as exc:
        assert exc.findings, what
        assert all(f.code != "internal" for f in exc.findings), what
        return "refused"
    rec = a.reconciliation
    assert rec.balanced, what
    said = [f for f in a.findings if f.code in READER]
    if not said:
        assert (rec.read.count, rec.read.total) == (len(ROWS), TOTAL), (what, rec)
        return "same"
    return "found"


@pytest.mark.slow
def test_mutated_csv_bytes(tmp_path: Path) -> None:
    rnd = random.Random(20)
    base = csv_text()
    m = mapping(tmp_path, "e.csv")
    (tmp_path / "e.csv").write_bytes(base)
    assert check(m, "base") == "same"
    seen: dict[str, int] = {}
    deadline = time.monotonic() + 12
    n = 0
    while time.monotonic() < deadline and n < 20_000:
        data = mutate(base, rnd)
        (tmp_path / "e.csv").write_bytes(data)
        outcome = check(m, data)
        seen[outcome] = seen.get(outcome, 0) + 1
        n += 1
    # The run did find both kinds: mutations that change nothing, and ones that are found.
    assert seen.get("same", 0) > 10 and seen.get("found", 0) + seen.get("refused", 0) > 10, seen


#: Values put in an amount cell: each is no amount, or the same amount written otherwise.
#: (Not 0.1 + 0.2: openpyxl writes it as 0.3, a valid amount; cell_amount's own test has it.)
BAD_AMOUNTS: list[Any] = [math.nan, math.inf, -math.inf, 1e308, 1.00001, 10**40, True,
                          "1,234", "#REF!", "#N/A", "\u0661\u0662", "1e5", "inf", "NaN",
                          "1" * 5000, "\u202e1", "", None, datetime(2024, 1, 1),
                          "12.50", "1.2345,6789,1"]


@pytest.mark.slow
def test_mutated_xlsx_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rnd = random.Random(2026)
    m = mapping(tmp_path, "e.xlsx")
    values: list[list[Any]] = [["Datum", "Omschrijving", "Bedrag", "Project"]]
    for d, text, amount, project in ROWS:
        day, month, year = map(int, d.split("-"))
        values.append([datetime(year, month, day), text, amount, project])
    seen: dict[str, int] = {}
    deadline = time.monotonic() + 8
    n = 0
    while time.monotonic() < deadline and n < 2_000:
        rows = [list(r) for r in values]
        for _ in range(rnd.choice((1, 2))):
            r = rnd.randrange(1, len(rows))
            c = rnd.randrange(4)
            if c == 2:
                rows[r][c] = rnd.choice(BAD_AMOUNTS)
            elif c == 0:
                rows[r][c] = rnd.choice(["31-02-2024", "2024-13-01", 45000, None, "#N/A",
                                         date(2024, 5, 1), "\ufeff01-02-2024"])
            else:
                rows[r][c] = rnd.choice(["]52;c;aGk=", "=HYPERLINK(\"x\")", "[x](y)",
                                         "\u202eexe", "", None, 4000, "BDUR-NW", "BDUR-XX"])
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in rows:
            ws.append([v if not (isinstance(v, str) and v.startswith("=")) else "'" + v
                       for v in row])
        wb.save(tmp_path / "e.xlsx")
        outcome = check_xlsx(m, rows)
        seen[outcome] = seen.get(outcome, 0) + 1
        n += 1
    assert seen.get("found", 0) > 10, seen


def check_xlsx(m: Path, rows: list[list[Any]]) -> str:
    # A date cell made another valid date (date(2024, 5, 1), 45000) or a project changed
    # moves no money: the total read only depends on the amount cells kept.
    try:
        a = read_actuals(PLAN, load_mapping(m))
    except BdurError as exc:
        assert all(f.code != "internal" for f in exc.findings), rows
        return "refused"
    rec = a.reconciliation
    assert rec.balanced, rows
    said = [f for f in a.findings if f.code in READER]
    if not said:
        assert (rec.read.count, rec.read.total) == (len(ROWS), TOTAL), (rows, rec)
        return "same"
    return "found"
