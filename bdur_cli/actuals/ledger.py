"""Read a ledger export (grootboekexport) as Dutch Excel writes it: CSV or xlsx, into rows.

CSV: `;`-separated (`,` when the header says so), decimal comma and thousands dots
(`1.234,56`, `-1.234,56`, `1.234,56-`, `(1.234,56)`), dates `dd-mm-jjjj`, encoded as UTF-8 with
or without a byte-order mark, or as Windows-1252 (cp1252). The encoding is detected, never
guessed silently: UTF-8 when the bytes decode as UTF-8, else cp1252 with a warning unless the
mapping names it. xlsx: the first (or the named) sheet, with numbers and dates as Excel
stores them; text cells are read like CSV text. Title rows above the header are skipped: the
header is the first row holding every column the mapping names (or the row it gives).

This module reads and parses; it knows nothing of plans or rules. Every problem is a
`Finding` located at `file:row` (or at the mapping key that named a column), and every row is
accounted for: parsed, or reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..reading import DEFAULT_MAX_EXPORT_BYTES, read_bytes
from ..scalars import visible

#: The columns a mapping can name; `date` and either `amount` or `debit`/`credit` are required.
COLUMNS = ("date", "amount", "debit", "credit", "cost_centre", "account", "project",
           "description")

#: How many title rows above the header are searched for it.
HEADER_SEARCH = 50

#: Per kind of bad row, how many are reported one by one; the rest are counted.
MAX_ROW_FINDINGS = 20


class Posting(NamedTuple):
    """One booking line of the export. `row` is its line (CSV) or row (xlsx) in the file.
    (A tuple: a million of them are made in a few hundred milliseconds.)"""

    row: int
    date: date
    amount: Decimal
    cost_centre: str = ""
    account: str = ""
    project: str = ""
    description: str = ""


@dataclass
class ExportMeta:
    """How the export was read, for the reconciliation line and the findings."""

    path: str
    kind: str  # "csv" | "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 0
    rows: int = 0  # data rows seen (blank rows not counted)
    bad_rows: int = 0  # rows that could not be read as a posting (each reported or counted)


@dataclass
class ExportSpec:
    """What the mapping says about the export: column names and how the file is written.

    `where` gives, per logical column (and for `encoding`, `header_row`), the mapping
    location that named it, so a missing column points at the mapping's line."""

    columns: Mapping[str, str]
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    where: Mapping[str, Location] = field(default_factory=dict)


# --- numbers and dates -----------------------------------------------------------------------

_DUTCH_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f€")


_PLAIN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")


def parse_amount(text: str) -> Decimal | None:
    """A Dutch amount as text, exactly: `1.234,56`, `-1.234,56`, `1.234,56-`, `(1.234,56)`,
    `€ 1.234,56`, `1234`. None when it is not one (e.g. `12.50`, which is English)."""
    if _PLAIN_AMOUNT.fullmatch(text):  # the common case, in one step
        return Decimal(text.replace(".", "").replace(",", "."))
    t = text.translate(_SPACES)
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    elif t.endswith("-"):
        negative, t = True, t[:-1]
    elif t.startswith("-"):
        negative, t = True, t[1:]
    elif t.startswith("+"):
        t = t[1:]
    if not _DUTCH_AMOUNT.fullmatch(t):
        return None
    value = Decimal(t.replace(".", "").replace(",", "."))
    return -value if negative else value


_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str) -> date | None:
    """`dd-mm-jjjj` (also `d-m-jjjj`, with `/` or `.`), or an unambiguous ISO `jjjj-mm-dd`."""
    t = text.strip()
    m = _DATE.fullmatch(t)
    try:
        if m:
            return date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        m = _ISO.fullmatch(t)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def cell_amount(value: Any) -> Decimal | None:
    """An xlsx cell as an amount: a number exactly as Excel shows it (a float through its
    shortest repr, never its binary expansion), or Dutch text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return parse_amount(value)
    return None


def cell_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def cell_text(value: Any) -> str:
    """A code or description cell as text: 4000 (a number in xlsx) reads as '4000'."""
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    # An export is someone else's text: an escape code in a description is shown, not run.
    return visible(str(value).replace("\t", " ")).strip()


# --- reading ---------------------------------------------------------------------------------

def _fail(path: str, code: str, message: str, hint: str | None = None,
          line: int = 0) -> BdurError:
    return BdurError([Finding(code, message, hint=hint, location=Location(path, line, 0 if
                                                                           not line else 1))],
                     EXIT_USAGE)


def _read_bytes(path: Path, display: str) -> bytes:
    return read_bytes(path, display, setting="BDUR_MAX_EXPORT_BYTES",
                      default=DEFAULT_MAX_EXPORT_BYTES)


def decode(data: bytes, display: str, declared: str | None,
           where: Location | None) -> tuple[str, str, list[Finding]]:
    """The export's text, the encoding used, and a warning when it had to be inferred as
    cp1252. A declared encoding is used strictly."""
    if declared is not None:
        name = "utf-8-sig" if declared.lower().replace("_", "-") in ("utf-8", "utf8") \
            else declared
        try:
            return data.decode(name), declared, []
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise BdurError([Finding(
                "encoding", f"the export is not {declared}: byte 0x{data[exc.start]:02x} on "
                f"line {line} cannot be decoded", location=where or Location(display),
                hint="correct export.encoding in the mapping (utf-8 or cp1252)")],
                EXIT_USAGE) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "strict"), "utf-8 (with BOM)", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _fail(display, "encoding", "the export is neither UTF-8 nor Windows-1252 "
                        f"(cp1252): byte 0x{data[exc.start]:02x} cannot be decoded",
                        hint="save it from Excel as 'CSV UTF-8' or 'CSV (puntkomma)'",
                        line=line) from None
        warning = Finding(
            "encoding-inferred", f"the export is not UTF-8 (byte 0x{data[exc.start]:02x} on line "
            f"{line}); read as Windows-1252 (cp1252), as Dutch Excel writes CSV",
            level="warning", location=Location(display, line, 1),
            hint="say so in the mapping to confirm it: export: {encoding: cp1252}")
        return text, "cp1252", [warning]


def _csv_rows(stream: IO[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(stream, delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, cells


def _sniff_delimiter(text: str) -> str:
    # Dutch Excel writes ';'; a ',' file must also have no ';' in its first lines.
    head = text[:20000]
    return ";" if head.count(";") >= head.count(",") or head.count(";") else ","


def _xlsx_rows(path: Path, display: str, sheet: str | None,
               where: Location | None) -> Iterator[tuple[int, list[Any]]]:
    try:
        from python_calamine import CalamineWorkbook  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        yield from _openpyxl_rows(path, display, sheet, where)
        return
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
        name = _sheet_name(names, sheet, display, where)
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except BdurError:
        raise
    except Exception as exc:
        raise _fail(display, "unreadable", f"not a readable xlsx workbook: {exc}") from None
    for n, cells in enumerate(rows, 1):
        yield n, [None if c == "" else c for c in cells]


def _openpyxl_rows(path: Path, display: str, sheet: str | None,
                   where: Location | None) -> Iterator[tuple[int, list[Any]]]:
    try:
        import openpyxl
    except ImportError:
        raise _fail(display, "usage", "reading an xlsx export needs openpyxl (or "
                    "python-calamine), and neither is installed",
                    hint="pip install 'bdur[xlsx]'") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _fail(display, "unreadable", f"not a readable xlsx workbook: {exc}") from None
    try:
        ws = wb[_sheet_name(wb.sheetnames, sheet, display, where)]
        for n, cells in enumerate(ws.iter_rows(values_only=True), 1):
            yield n, list(cells)
    finally:
        wb.close()


def _sheet_name(names: list[str], wanted: str | None, display: str,
                where: Location | None) -> str:
    if not names:
        raise _fail(display, "unreadable", "the workbook has no sheets")
    if wanted is None:
        return names[0]
    if wanted not in names:
        raise BdurError([Finding("missing-sheet", f"the workbook {display} has no sheet "
                                 f"'{wanted}'", location=where or Location(display),
                                 hint="sheets: " + ", ".join(names))], EXIT_INVALID)
    return wanted


def _norm(cell: Any) -> str:
    return " ".join(cell_text(cell).split()).casefold()


@dataclass
class Export:
    """The rows of an export, ready to be read: `postings()` yields each good row and
    records every bad one in `findings`."""

    meta: ExportMeta
    findings: list[Finding]
    _rows: Iterator[tuple[int, list[Any]]]
    _index: dict[str, int]
    _text: bool
    _counted: dict[str, int] = field(default_factory=dict)

    def _bad(self, code: str, row: int, message: str, hint: str | None = None) -> None:
        self.meta.bad_rows += 1
        n = self._counted.get(code, 0) + 1
        self._counted[code] = n
        if n <= MAX_ROW_FINDINGS:
            self.findings.append(Finding(code, message, hint=hint,
                                         location=Location(self.meta.path, row, 0)))

    def postings(self) -> Iterator[Posting]:
        ix = self._index
        i_date = ix["date"]
        i_amount = ix.get("amount")
        i_debit, i_credit = ix.get("debit", -1), ix.get("credit", -1)
        # A column the mapping does not name reads as the "" appended to every row.
        i_cc, i_acc, i_proj, i_desc = (ix.get(k, -1) for k in ("cost_centre", "account",
                                                               "project", "description"))
        width = max(ix.values()) + 1
        text = self._text
        amount_of: Callable[[Any], Decimal | None] = parse_amount if text else cell_amount
        as_text: Callable[[Any], str] = str.strip if text else cell_text
        dates: dict[Any, date | None] = {}
        zero = Decimal(0)
        meta = self.meta
        for row, cells in self._rows:
            if text:
                if not "".join(cells).strip():
                    continue  # blank rows are layout, not postings
            elif not any(c is not None and str(c).strip() for c in cells):
                continue
            meta.rows += 1
            if len(cells) < width:
                cells = [*cells, *([None if not text else ""] * (width - len(cells)))]
            cells.append("")
            raw_date = cells[i_date]
            key = raw_date.strip() if text else raw_date
            try:
                when = dates[key]
            except (KeyError, TypeError):
                when = parse_date(key) if text else cell_date(key)
                if key is not None:
                    dates[key] = when
            if when is None:
                shown = cell_text(raw_date)
                self._bad("bad-date", row, f"'{shown}' is not a date (dd-mm-jjjj)"
                          if shown else "the booking date is empty",
                          hint=None if shown else "a total or note row? remove it from the "
                          "export")
                continue
            if i_amount is not None:
                raw = cells[i_amount]
                amount = amount_of(raw) if raw is not None and raw != "" else None
                if amount is None:
                    self._bad("bad-amount", row, f"'{cell_text(raw)}' is not an amount"
                              if cell_text(raw) else "the amount is empty",
                              hint="amounts are written as 1.234,56 (decimal comma)")
                    continue
            else:
                raw = cells[i_debit]
                debit = amount_of(raw) if raw is not None and raw != "" else zero
                if debit is not None:
                    raw = cells[i_credit]
                    credit = amount_of(raw) if raw is not None and raw != "" else zero
                if debit is None or credit is None:
                    self._bad("bad-amount", row, f"'{cell_text(raw)}' is not an amount",
                              hint="amounts are written as 1.234,56 (decimal comma)")
                    continue
                amount = debit - credit
            yield Posting(row, when, amount, as_text(cells[i_cc]), as_text(cells[i_acc]),
                          as_text(cells[i_proj]), as_text(cells[i_desc]))
        self._summarise()

    def _summarise(self) -> None:
        for code, n in self._counted.items():
            if n > MAX_ROW_FINDINGS:
                self.findings.append(Finding(
                    code, f"{n - MAX_ROW_FINDINGS:,} more rows like this ({n:,} in all)",
                    location=Location(self.meta.path)))


def open_export(path: str | Path, spec: ExportSpec, display: str | None = None) -> Export:
    """Open an export and find its header; raises `BdurError` when the file cannot be read or
    a named column is missing. Read the postings with `Export.postings()`."""
    p = Path(path)
    shown = display or str(path)
    findings: list[Finding] = []
    is_xlsx = p.suffix.lower() in (".xlsx", ".xlsm")
    meta = ExportMeta(shown, "xlsx" if is_xlsx else "csv")
    rows: Iterator[tuple[int, list[Any]]]
    if is_xlsx:
        if not p.is_file():
            _read_bytes(p, shown)  # raises the usual message
        rows = _xlsx_rows(p, shown, spec.sheet, spec.where.get("sheet"))
    else:
        data = _read_bytes(p, shown)
        if data[:4] == b"PK\x03\x04":
            raise _fail(shown, "unreadable", "this is an xlsx workbook (a zip file), not CSV",
                        hint="name it .xlsx")
        text, meta.encoding, findings = decode(data, shown, spec.encoding,
                                               spec.where.get("encoding"))
        meta.delimiter = spec.delimiter or _sniff_delimiter(text)
        del text  # checked; the rows are decoded again as they are read, not held twice
        codec = "cp1252" if meta.encoding == "cp1252" else "utf-8-sig"
        stream = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
        rows = _csv_rows(stream, meta.delimiter)
    index = _find_header(rows, spec, meta)
    return Export(meta, findings, rows, index, not is_xlsx)


def _find_header(rows: Iterator[tuple[int, list[Any]]], spec: ExportSpec,
                 meta: ExportMeta) -> dict[str, int]:
    wanted = {k: " ".join(v.split()).casefold() for k, v in spec.columns.items()}
    best: tuple[int, int, list[Any]] = (-1, 0, [])
    for row, cells in rows:
        names = [_norm(c) for c in cells]
        if spec.header_row is not None and row < spec.header_row:
            continue
        found = sum(1 for w in wanted.values() if w in names)
        if found > best[0]:
            best = (found, row, cells)
        if found == len(wanted) or spec.header_row is not None:
            break
        if row >= HEADER_SEARCH:
            break
    found, row, cells = best
    names = [_norm(c) for c in cells]
    missing = [k for k, w in wanted.items() if w not in names]
    if row == 0:
        raise _fail(meta.path, "empty-export", "the export holds no rows")
    if missing:
        shown = ", ".join(repr(cell_text(c)) for c in cells if cell_text(c)) or "nothing"
        where = f"row {row}" if spec.header_row is not None else \
            f"the first {HEADER_SEARCH} rows (closest: row {row})"
        raise BdurError([Finding(
            "missing-column", f"column '{spec.columns[k]}' ({k}) is not in the export "
            f"{meta.path}: {where} holds {shown}",
            location=spec.where.get(k, Location(meta.path, row, 1)),
            hint="correct the column name in the mapping, or set export.header_row")
            for k in missing], EXIT_INVALID)
    meta.header_row = row
    return {k: names.index(w) for k, w in wanted.items()}
