"""Read a ledger export (grootboekexport) as Dutch Excel writes it: CSV or xlsx, into rows.

CSV: `;`-separated (`,` or tab when the header says so), decimal comma and thousands dots
(`1.234,56`, `-1.234,56`, `1.234,56-`, `(1.234,56)`), dates `dd-mm-jjjj`, encoded as UTF-8 with
or without a byte-order mark, or as Windows-1252 (cp1252). The encoding is detected, never
guessed silently: UTF-8 when the bytes decode as UTF-8, else cp1252 with a warning unless the
mapping names it; UTF-16 with a byte-order mark. xlsx: the first visible (or the named)
sheet, checked within bounds before an engine reads it (`inspect_workbook`), with numbers and
dates as Excel stores them; text cells are read like CSV text. Title rows above the header are
skipped: the header is the first row holding every column the mapping names (or the row it
gives).

This module reads and parses; it knows nothing of plans or rules. Every problem is a
`Finding` located at `file:row` (or at the mapping key that named a column), and every row is
accounted for: parsed, or reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..reading import (
    DEFAULT_MAX_EXPORT_BYTES,
    EXPORT_SUFFIXES,
    max_bytes,
    read_bytes,
    remember,
    size_text,
    too_large,
    unreadable,
    why_not,
)
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

#: The most digits an amount may have before and after the decimal comma. A sum of a million
#: such amounts needs 15 + 6 + 4 = 25 significant digits, within Decimal's default 28: every
#: total stays exact to the cent. Longer figures are refused, never rounded.
INT_DIGITS, FRACTION_DIGITS = 15, 4

# ASCII digits only ([0-9], not \d): Arabic-Indic or fullwidth digits are no amount.
_DUTCH_AMOUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){1,4}(?:,[0-9]{1,4})?"
                           r"|[0-9]{1,15}(?:,[0-9]{1,4})?")
_SPACES = str.maketrans("", "", " \u00a0\u202f€")


_PLAIN_AMOUNT = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3}){1,4}|[0-9]{1,15})(?:,[0-9]{1,4})?")
#: `1,234` in a `,`-separated export: a Dutch 1.234 or an English 1234? Refused, not guessed.
_AMBIGUOUS = re.compile(r"[-+(]?[0-9]{1,3},[0-9]{3}[-)]?")
_ANY_DIGIT = re.compile(r"\d")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


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


def _comma_amount(text: str) -> Decimal | None:
    return None if _AMBIGUOUS.fullmatch(text.strip()) else parse_amount(text)


def amount_hint(value: Any, delimiter: str | None = None) -> str:
    """Why a cell is not read as an amount, and what to write instead."""
    if isinstance(value, float) and abs(value) < _LARGEST:
        return (f"the cell holds {value!r}, more than {FRACTION_DIGITS} decimals: a total "
                "cannot carry it exactly; round it in the workbook (=ROUND(...;2))")
    t = cell_text(value)
    if _NON_ASCII_DIGIT.search(t):
        return "only the digits 0-9 are read (not Arabic-Indic or fullwidth digits)"
    low = t.casefold().lstrip("+-")
    if low in ("inf", "infinity", "nan", "#num!") or re.fullmatch(r"[0-9.,]+e[+-]?[0-9]+", low):
        return "an amount is written in digits, as 1.234,56 (no exponent, inf or NaN)"
    digits = re.sub(r"[^0-9,]", "", t).partition(",")
    if len(digits[0]) > INT_DIGITS or len(digits[2]) > FRACTION_DIGITS:
        return (f"an amount has at most {INT_DIGITS} digits before the decimal comma and "
                f"{FRACTION_DIGITS} after it; a longer one is refused, not rounded")
    if delimiter == "," and _AMBIGUOUS.fullmatch(t):
        return ("in a ','-separated export '1,234' may be 1.234 or 1234: write 1.234,00 or "
                "1234,00, or export with ';' (export.delimiter)")
    if delimiter is None and _AMBIGUOUS.fullmatch(t):
        return ("a text cell '1,234' may be 1.234 or 1234: store the amount as a number, or "
                "write 1.234,00 or 1234,00")
    return "amounts are written as 1.234,56 (decimal comma)"


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
        return Decimal(value) if abs(value) < _LARGEST else None
    if isinstance(value, float):
        # NaN and inf fail the comparison; 1e308 is far beyond it.
        if not abs(value) < _LARGEST:
            return None
        d = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
        return d if _exact_enough(d) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() and abs(value) < _LARGEST and _exact_enough(value) \
            else None
    if isinstance(value, str):
        # Text in a workbook has no delimiter to tell: `1,234` is refused as in a ','-export.
        return None if _AMBIGUOUS.fullmatch(value.strip()) else parse_amount(value)
    return None


_LARGEST = 10**INT_DIGITS


def _exact_enough(d: Decimal) -> bool:
    exponent = d.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -FRACTION_DIGITS


def cell_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


_INF = float("inf")


def cell_text(value: Any) -> str:
    """A code or description cell as text: 4000 (a number in xlsx) reads as '4000'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value or value in (_INF, -_INF):
            return str(value)  # nan, inf: int() would raise
        if value.is_integer() and abs(value) < _LARGEST:
            return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    # An export is someone else's text: an escape code in a description is shown, not run.
    return visible(str(value).replace("\t", " ")).strip()


def csv_text(value: str) -> str:
    """A CSV code or description as text, escaped like an xlsx cell (`cell_text`): an ESC
    sequence (clear screen, OSC 52 clipboard, OSC 8 link), a bidi override or another control
    character is shown as U+FFFD, never sent to a terminal. Printable text, nearly every
    cell, passes in one C call."""
    return value.strip() if value.isprintable() else cell_text(value)


# --- reading ---------------------------------------------------------------------------------

def _fail(path: str, code: str, message: str, hint: str | None = None,
          line: int = 0) -> BdurError:
    return BdurError([Finding(code, message, hint=hint, location=Location(path, line, 0 if
                                                                           not line else 1))],
                     EXIT_USAGE)


def _read_bytes(path: Path, display: str) -> bytes:
    return read_bytes(path, display, setting="BDUR_MAX_EXPORT_BYTES",
                      default=DEFAULT_MAX_EXPORT_BYTES)


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS = "save it from Excel as 'CSV UTF-8' or 'CSV (puntkomma)'"


class Decoded(NamedTuple):
    text: str
    encoding: str  # as shown in the reconciliation: "utf-8 (with BOM)", "cp1252", ...
    codec: str  # how the rows are decoded again as they are read
    findings: list[Finding]


def _line_of(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of the first ones is NUL."""
    head = data[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or
                               head[0::2].count(0) > len(head) // 4)


def decode(data: bytes, display: str, declared: str | None,
           where: Location | None) -> Decoded:
    """The export's text, the encoding used, and a warning when it had to be inferred as
    cp1252. A declared encoding is used strictly; every byte that cannot be decoded is a
    located error (exit 2), never a traceback."""
    here = where or Location(display)
    if data.startswith(_UTF16_BOMS):
        if declared is not None and not declared.lower().startswith("utf-16"):
            raise BdurError([Finding(
                "encoding", f"the export is UTF-16 (it starts with a UTF-16 byte-order mark), "
                f"not {declared}", location=here,
                hint="leave out export.encoding to read it as UTF-16, or " + _SAVE_AS)],
                EXIT_USAGE)
        try:
            return Decoded(data.decode("utf-16"), "utf-16", "utf-16", [])
        except UnicodeDecodeError as exc:
            raise _fail(display, "encoding", "the export starts as UTF-16 but bytes "
                        f"{exc.start}-{exc.end} cannot be decoded as UTF-16",
                        hint=_SAVE_AS) from None
    if _looks_utf16(data) and (declared is None or not declared.lower().startswith("utf-16")):
        raise _fail(display, "encoding", "the export looks like UTF-16 without a byte-order "
                    "mark (every other byte is NUL); it is not read", line=1,
                    hint=_SAVE_AS + " (UTF-16 is read when the file starts with its "
                    "byte-order mark)")
    if declared is not None:
        norm = declared.lower().replace("_", "-")
        if data.startswith(_UTF8_BOM) and norm not in ("utf-8", "utf8", "utf-8-sig"):
            raise BdurError([Finding(
                "encoding", f"the mapping says the export is {declared}, but it starts with a "
                "UTF-8 byte-order mark", location=here,
                hint="write export.encoding: utf-8 (or leave it out)")], EXIT_USAGE)
        name = "utf-8-sig" if norm in ("utf-8", "utf8") else declared
        try:
            return Decoded(data.decode(name), declared, name, [])
        except (UnicodeDecodeError, LookupError) as exc:
            if isinstance(exc, LookupError):
                raise BdurError([Finding("encoding", f"unknown encoding '{visible(declared)}'",
                                         location=here, hint="utf-8 or cp1252")],
                                EXIT_USAGE) from None
            line = _line_of(data, exc.start)
            raise BdurError([Finding(
                "encoding", f"the export is not {declared}: byte 0x{data[exc.start]:02x} on "
                f"line {line} cannot be decoded", location=here,
                hint="correct export.encoding in the mapping (utf-8 or cp1252)")],
                EXIT_USAGE) from None
    if data.startswith(_UTF8_BOM):
        try:
            return Decoded(data[3:].decode("utf-8", "strict"), "utf-8 (with BOM)",
                           "utf-8-sig", [])
        except UnicodeDecodeError as exc:
            at = exc.start + 3
            raise _fail(display, "encoding", "the export starts with a UTF-8 byte-order mark, "
                        f"but byte 0x{data[at]:02x} on line {_line_of(data, at)} is not "
                        "UTF-8 (a Windows-1252 file with a UTF-8 mark?)",
                        hint=_SAVE_AS + " again", line=_line_of(data, at)) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8-sig", [])
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as bad:
            raise _fail(display, "encoding", "the export is neither UTF-8 nor Windows-1252 "
                        f"(cp1252): byte 0x{data[bad.start]:02x} on line "
                        f"{_line_of(data, bad.start)} cannot be decoded", hint=_SAVE_AS,
                        line=_line_of(data, bad.start)) from None
        warning = Finding(
            "encoding-inferred", f"the export is not UTF-8 (byte 0x{data[exc.start]:02x} on line "
            f"{line}); read as Windows-1252 (cp1252), as Dutch Excel writes CSV",
            level="warning", location=Location(display, line, 1),
            hint="say so in the mapping to confirm it: export: {encoding: cp1252}")
        return Decoded(text, "cp1252", "cp1252", [warning])


#: How much of a cell a message quotes: a short excerpt, never a whole line of a file.
EXCERPT = 40


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A cell as a message may quote it: escaped (control characters, bidi overrides, a
    byte-order mark shown as <U+FEFF>) and cut to `limit` characters."""
    text = cell_text(value).replace("\ufeff", "<U+FEFF>")
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


class CsvRows:
    """The records of a CSV text with the line each starts and ends on. A record the reader
    cannot take (a field over the size limit, a NUL byte) is a located error (exit 2)."""

    def __init__(self, stream: IO[str], delimiter: str, display: str) -> None:
        self._reader = csv.reader(stream, delimiter=delimiter)
        self._display = display
        self.first = 1  # the line the last record started on

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        last = 0
        try:
            for cells in reader:
                end = reader.line_num
                if end - last > 1:
                    # A record over several lines gets a marker cell, so that the one check
                    # of the cell count per row catches it too (no cost for the others).
                    self.first = last + 1
                    cells.append(SPANNED)
                last = end
                yield end, cells
        except csv.Error as exc:
            line = reader.line_num
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = (f"a field is longer than {csv.field_size_limit():,} characters "
                          "(a quote that is never closed?)")
            elif "NUL" in reason:
                reason = "the line holds a NUL byte (a binary file, or UTF-16?)"
            raise _fail(self._display, "bad-row", f"lines {last + 1}-{line} cannot be read "
                        f"as CSV: {reason}" if line > last + 1 else
                        f"line {line} cannot be read as CSV: {reason}",
                        hint="look for a stray double quote (\") on the first of these "
                        "lines", line=last + 1) from None


#: The marker cell of a record over several lines (a NUL: the reader refuses it in a field).
SPANNED = "\0"


_DELIMITERS = (";", ",", "\t")


def _sniff_delimiter(text: str) -> str:
    # Dutch Excel writes ';'; a ',' file must also have no ';' in its first lines.
    head = text[:20000]
    if head.count("\t") > head.count(";") + head.count(","):
        return "\t"
    return ";" if head.count(";") >= head.count(",") or head.count(";") else ","


def choose_delimiter(text: str, wanted: Iterable[str]) -> str:
    """The delimiter that splits a line of the first ones into the most of the columns the
    mapping names (the header decides, not the title rows above it); the counting guess when
    none does better."""
    names = [" ".join(w.split()).casefold() for w in wanted]
    lines = text[:200_000].splitlines()[:HEADER_SEARCH]
    best, score = _sniff_delimiter(text), 0
    for d in (best, *(x for x in _DELIMITERS if x != best)):
        try:
            found = max((sum(1 for n in names if n in {" ".join(c.split()).casefold()
                                                       for c in cells})
                         for cells in csv.reader(lines, delimiter=d)), default=0)
        except csv.Error:
            continue
        if found > score:
            best, score = d, found
    return best


def _delimiter_name(d: str | None) -> str:
    return {"\t": "tab", ";": "';'", ",": "','"}.get(d or "", repr(d))


#: Excel's own limits: XFD1048576 is the last cell of a sheet.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
#: What the engines hold per cell of a sheet's used range (calamine allocates it densely):
#: rows x columns x this may not exceed the export limit.
BYTES_PER_CELL = 32
#: A member that inflates more than this (and to more than ZIP_BOMB_FLOOR) is a zip bomb:
#: an xlsx sheet compresses 5-30 times, deflate at most about 1,000 times.
ZIP_RATIO, ZIP_BOMB_FLOOR = 200, 32 * 2**20
_CHUNK = 4 * 2**20

# Patterns that start with a literal, so that a scan of a 40 MB sheet takes tens of
# milliseconds each (a pattern starting <c\b[^>]*? takes ten times as long).
_ROW_TAG = re.compile(rb"<row r=\"([0-9]+)\"")
_CELL_REF = re.compile(rb" r=\"([A-Z]+)([0-9]+)\"")
_DIMENSION = re.compile(rb"<dimension\s+ref=\"([A-Z]*)([0-9]*)(?::([A-Z]*)([0-9]*))?\"")
_ERROR_CELL = re.compile(rb" r=\"([A-Z]+)([0-9]+)\"[^>]*?\st=\"e\"[^>]*>"
                         rb"(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]{1,32})</v>")
_FORMULA = re.compile(rb"<f[\s>/]")  # faster than `b"<f" in data`, '<' being everywhere
_UNCACHED = re.compile(rb"(?:</f>|<f\b[^>]*/>)(?:<v\s*/>|<v></v>)?</c>")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class Workbook:
    """What the zip inspection found before any engine reads the workbook."""

    sheet: str  # the sheet to read
    notes: list[Finding] = field(default_factory=list)
    #: (row, column index from 0) -> what the cell holds instead of a value (#REF!, ...).
    odd_cells: dict[tuple[int, int], str] = field(default_factory=dict)


def inspect_workbook(path: Path, display: str, wanted: str | None,
                     where: Location | None) -> Workbook:
    """Check a workbook within bounds before an engine allocates anything: the file and
    every member against the export size limit, no zip bomb, the sheet's cells within
    Excel's limits (XFD1048576) and its used range within the limit; find the sheet (the
    first visible one unless `sheet:` names one) and the cells that hold an Excel error or
    a formula without a cached value. Raises a located `BdurError` (exit 2)."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    limit = max_bytes("BDUR_MAX_EXPORT_BYTES", DEFAULT_MAX_EXPORT_BYTES)
    setting = "BDUR_MAX_EXPORT_BYTES"
    try:
        info = path.stat()
    except OSError as exc:
        raise unreadable(display, why_not(exc)) from None
    if info.st_size > limit:
        raise too_large(display, info.st_size, limit, setting)
    remember(info, path)  # an output may not overwrite the workbook, as for a CSV export
    try:
        with zipfile.ZipFile(path) as z:
            members = {i.filename: i for i in z.infolist()}
            total = sum(i.file_size for i in members.values())
            if total > limit:
                raise _fail(display, "too-large", f"the workbook unpacks to "
                            f"{size_text(total)}; the limit is {size_text(limit)}",
                            hint=f"set {setting} (e.g. {setting}=4GB) to allow more")
            for i in members.values():
                if i.file_size > ZIP_BOMB_FLOOR and i.file_size > ZIP_RATIO * max(
                        i.compress_size, 1):
                    raise _fail(display, "unreadable", f"{excerpt(i.filename)} in the "
                                f"workbook unpacks {i.file_size // max(i.compress_size, 1):,} "
                                f"times its size ({size_text(i.file_size)}): a zip bomb, "
                                "not an export", hint="export the ledger again from the "
                                "bookkeeping system")

            def small(name: str) -> bytes:
                info = members.get(name)
                if info is None:
                    raise _fail(display, "unreadable", f"not a readable xlsx workbook: it "
                                f"has no {name}")
                if info.file_size > 16 * 2**20:
                    raise _fail(display, "unreadable", f"{name} is {size_text(info.file_size)}"
                                "; not a workbook an export writes")
                return z.read(info)

            book = ElementTree.fromstring(small("xl/workbook.xml"))
            rels = ElementTree.fromstring(small("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in
                       rels.iter(f"{{{_NS['p']}}}Relationship")}
            sheets = [(sh.get("name", ""), sh.get("state", "visible"),
                       targets.get(sh.get(f"{{{_NS['r']}}}id"), ""))
                      for sh in book.iter(f"{{{_NS['m']}}}sheet")]
            names = [n for n, _, _ in sheets]
            if wanted is None:
                visible_ones = [sh for sh in sheets if sh[1] == "visible"]
                if not visible_ones:
                    raise _fail(display, "unreadable", "the workbook has no visible sheet",
                                hint="name the sheet to read with export.sheet")
                chosen = visible_ones[0]
            else:
                chosen = next((sh for sh in sheets if sh[0] == wanted), ("", "", ""))
                _sheet_name(names, wanted, display, where)  # the usual message
            result = Workbook(chosen[0])
            hidden = [n for n, state, _ in sheets[:sheets.index(chosen)] if state != "visible"]
            if hidden and wanted is None:
                result.notes.append(Finding(
                    "hidden-sheet", f"hidden sheet{'s' if len(hidden) > 1 else ''} "
                    f"{', '.join(repr(excerpt(h)) for h in hidden)} skipped; read "
                    f"'{excerpt(chosen[0])}', the first visible one", level="warning",
                    location=Location(display),
                    hint="name a sheet with export.sheet to read another one"))
            target = chosen[2]
            member = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
            if member not in members:
                raise _fail(display, "unreadable", "not a readable xlsx workbook: sheet "
                            f"'{excerpt(chosen[0])}' has no part in the file")
            _scan_sheet(z, members[member], display, limit, result)
            return result
    except BdurError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, KeyError,
            EOFError, RuntimeError, NotImplementedError) as exc:
        raise _fail(display, "unreadable", f"not a readable xlsx workbook: "
                    f"{excerpt(str(exc), 80)}") from None


def _scan_sheet(z: Any, info: Any, display: str, limit: int, result: Workbook) -> None:
    """Stream the sheet's XML once: its largest row and column, its Excel errors and
    uncached formulas. The CRC check at the end also catches a member larger than its
    stated size. Cheap checks first: most sheets have no cell past column Z, no error and
    no formula, and then each costs one search."""
    max_row = max_col = 0
    tail = b""
    first = True
    for chunk in _inflated(z, info):
        data = tail + chunk
        if first:
            first = False
            m = _DIMENSION.search(data[:4096])
            if m:
                c2, r2 = (m.group(3), m.group(4)) if m.group(3) is not None else \
                    (m.group(1), m.group(2))
                max_col = _column_number(c2 or b"")
                max_row = int(r2 or 0)
        # The largest row from the last <row> of the chunk (rows are in order in a sheet
        # Excel writes); then one search, for a row or a cell whose row number has more
        # digits than that, or a cell past column Z: only then every reference is read (a
        # cell can name any row, whatever its <row> says).
        last = data.rfind(b"<row r=\"")
        if last >= 0 and (m := _ROW_TAG.match(data, last)):
            max_row = max(max_row, int(m.group(1)[:12]))
        digits = len(str(max_row)) if max_row else 1
        if digits >= 7 or re.search(rb" r=\"(?:[A-Z](?:[A-Z]|[0-9]{%d})|[0-9]{%d})"
                                    % (digits + 1, digits + 1), data):
            max_row = max([max_row, *(int(r[:12]) for r in _ROW_TAG.findall(data))])
            for letters, row in _CELL_REF.findall(data):
                # Four letters at most are counted: any more is past XFD anyway.
                max_col = max(max_col, _column_number(letters[:4]) if len(letters) <= 4
                              else MAX_COLUMNS + 1)
                max_row = max(max_row, int(row[:12]))
        elif b"<c " in data:
            max_col = max(max_col, 26)
        if b't="e"' in data:
            _odd(result, ((m.group(1), m.group(2), "the Excel error " + m.group(3).decode(
                "ascii", "replace")) for m in _ERROR_CELL.finditer(data)))
        if _FORMULA.search(data):
            _odd(result, _uncached(data))
        tail = data[-512:]
    if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
        where = f"row {max_row:,}" if max_row > MAX_ROWS else "a column past XFD"
        raise _fail(display, "unreadable", f"the sheet reaches {where}, past Excel's last "
                    "cell XFD1048576: not a workbook Excel writes")
    if max_row * max_col * BYTES_PER_CELL > limit:
        raise _fail(display, "too-large", f"the sheet spans {max_row:,} rows by {max_col:,} "
                    f"columns ({_column_letters(max_col)}{max_row}); read, it would take more "
                    f"than the limit of {size_text(limit)}",
                    hint="set BDUR_MAX_EXPORT_BYTES to allow more, or delete the empty rows "
                    "and columns far below and right of the data")


def _inflated(z: Any, info: Any) -> Iterator[bytes]:
    """The member's bytes in chunks of _CHUNK, inflated by a second thread while the caller
    scans the chunk before (zlib lets go of the GIL as it inflates and checks the CRC): the
    bound check of a 100,000-posting sheet costs about the larger of the two, not their sum.
    At most three chunks are held; an error of the inflation is raised in the caller."""
    import queue
    import threading

    handed: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand(item: bytes | BaseException | None) -> None:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def inflate() -> None:
        try:
            with z.open(info) as f:
                while not stop.is_set():
                    chunk = f.read(_CHUNK)
                    if not chunk:
                        break
                    hand(chunk)
            hand(None)
        except BaseException as exc:  # re-raised in the caller's thread
            hand(exc)

    worker = threading.Thread(target=inflate, name="bdur-xlsx-inflate", daemon=True)
    worker.start()
    try:
        while (item := handed.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()  # a bound broken half-way stops the inflation too
        worker.join()


def _uncached(data: bytes) -> Iterator[tuple[bytes, bytes, str]]:
    for m in _UNCACHED.finditer(data):
        start = data.rfind(b"<c ", 0, m.start())
        ref = _CELL_REF.search(data, start, m.start()) if start >= 0 else None
        if ref is not None:
            yield ref.group(1), ref.group(2), "a formula without a value"


def _odd(result: Workbook, cells: Iterable[tuple[bytes, bytes, str]]) -> None:
    for letters, row, what in cells:
        if len(result.odd_cells) >= 10_000 or len(letters) > 3:
            return
        result.odd_cells[(int(row), _column_number(letters) - 1)] = what


def _engine_failed(display: str, engine: str, exc: BaseException) -> BdurError:
    """A located error for whatever an engine raised, pyo3's PanicException included."""
    return _fail(display, "unreadable", f"not a readable xlsx workbook ({engine}: "
                 f"{excerpt(str(exc) or type(exc).__name__, 120)})",
                 hint="open it in Excel and save it again")


def _xlsx_rows(path: Path, display: str, sheet: str,
               notes: list[Finding]) -> Iterator[tuple[int, list[Any]]]:
    try:
        from python_calamine import CalamineWorkbook  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        yield from _openpyxl_rows(path, display, sheet, notes)
        return
    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # a Rust panic (pyo3's PanicException) is no Exception
        raise _engine_failed(display, "calamine", exc) from None
    for n, cells in enumerate(rows, 1):
        yield n, [None if c == "" else c for c in cells]


def _openpyxl_rows(path: Path, display: str, sheet: str,
                   notes: list[Finding]) -> Iterator[tuple[int, list[Any]]]:
    import warnings

    try:
        import openpyxl
    except ImportError:
        raise _fail(display, "usage", "reading an xlsx export needs openpyxl (or "
                    "python-calamine), and neither is installed",
                    hint="pip install 'bdur[xlsx]'") from None
    # openpyxl warns through `warnings` (no default style, unsupported extension): said
    # once as a located note, never raw on stderr.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise _engine_failed(display, "openpyxl", exc) from None
    try:
        ws = wb[sheet]
        with warnings.catch_warnings(record=True) as more:
            warnings.simplefilter("always")
            try:
                for n, cells in enumerate(ws.iter_rows(values_only=True), 1):
                    yield n, list(cells)
            except Exception as exc:
                raise _engine_failed(display, "openpyxl", exc) from None
        caught.extend(more)
    finally:
        wb.close()
    for message in dict.fromkeys(excerpt(str(w.message), 120) for w in caught):
        notes.append(Finding("xlsx-warning", f"openpyxl: {message}", level="warning",
                             location=Location(display)))


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
    #: Cells in the header (CSV: a record with another count is checked, see `_shape`).
    _width: int = 0
    _csv: CsvRows | None = None
    #: xlsx: cells that hold an Excel error or an uncached formula, by (row, column).
    _odd: dict[tuple[int, int], str] = field(default_factory=dict)

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
        as_text: Callable[[Any], str] = csv_text if text else cell_text
        dates: dict[Any, date | None] = {}
        zero = Decimal(0)
        meta = self.meta
        header_width = self._width
        delimiter = meta.delimiter
        if text and delimiter == ",":
            amount_of = _comma_amount  # `1,234` is not guessed
        # xlsx: rows where a used cell holds an Excel error or an uncached formula (which
        # the engines read as empty: a debit of 0 that is no 0).
        used = {i: k for k, i in ix.items()}
        odd_rows: dict[int, tuple[int, str, str]] = {}
        for (r, c), what in self._odd.items():
            if c in used:
                odd_rows.setdefault(r, (c, used[c], what))
        strip = str.strip
        escape: Callable[[Any], str] = as_text
        for row, cells in self._rows:
            if text:
                joined = "".join(cells)
                if not joined.strip():
                    continue  # blank rows are layout, not postings
                # One C call for the row: only a row with a control character is escaped
                # cell by cell.
                escape = strip if joined.isprintable() else as_text
                if len(cells) != header_width and self._shape(row, cells):
                    meta.rows += 1
                    continue
            elif not any(c is not None and str(c).strip() for c in cells):
                continue
            meta.rows += 1
            if len(cells) < width:
                cells = [*cells, *([None if not text else ""] * (width - len(cells)))]
            cells.append("")
            if odd_rows and row in odd_rows:
                self._odd_cell(row, odd_rows[row])
                continue
            raw_date = cells[i_date]
            key = raw_date.strip() if text else raw_date
            try:
                when = dates[key]
            except (KeyError, TypeError):
                when = parse_date(key) if text else cell_date(key)
                if key is not None:
                    dates[key] = when
            if when is None:
                shown = excerpt(raw_date)
                self._bad("bad-date", row, f"'{shown}' is not a date (dd-mm-jjjj)"
                          if shown else "the booking date is empty",
                          hint=None if shown else "a total or note row? remove it from the "
                          "export")
                continue
            if i_amount is not None:
                raw = cells[i_amount]
                amount = amount_of(raw) if raw is not None and raw != "" else None
                if amount is None:
                    self._bad("bad-amount", row, f"'{excerpt(raw)}' is not an amount"
                              if cell_text(raw) else "the amount is empty",
                              hint=amount_hint(raw, delimiter))
                    continue
            else:
                raw = cells[i_debit]
                debit = amount_of(raw) if raw is not None and raw != "" else zero
                if debit is not None:
                    raw = cells[i_credit]
                    credit = amount_of(raw) if raw is not None and raw != "" else zero
                if debit is None or credit is None:
                    self._bad("bad-amount", row, f"'{excerpt(raw)}' is not an amount",
                              hint=amount_hint(raw, delimiter))
                    continue
                amount = debit - credit
            yield Posting(row, when, amount, escape(cells[i_cc]), escape(cells[i_acc]),
                          escape(cells[i_proj]), escape(cells[i_desc]))
        self._summarise()

    def _odd_cell(self, row: int, odd: tuple[int, str, str]) -> None:
        column, key, what = odd
        code = "bad-date" if key == "date" else "bad-amount" if key in (
            "amount", "debit", "credit") else "bad-cell"
        self._bad(code, row, f"cell {_column_letters(column + 1)}{row} ({key}) holds {what}, "
                  "not a value", hint="correct it in the workbook (an error like #REF! or "
                  "#N/A, or a formula Excel never calculated: open and save it in Excel)")

    def _shape(self, row: int, cells: list[str]) -> bool:
        """A CSV record whose cell count differs from the header's: True (and reported) when
        it cannot be read safely. More cells than the header (unless the extra ones are
        empty) could be an amount split at the delimiter; a record over several lines with
        another count, or with the delimiter in a field that holds a line break, is a quote
        that swallowed rows. A short record on one line is read as before (the missing cells
        are empty)."""
        width = self._width
        spanned = bool(cells) and cells[-1] == SPANNED
        if spanned:
            cells.pop()
        first = self._csv.first if spanned and self._csv is not None else row
        extra = [c for c in cells[width:] if c.strip()]
        where = f"lines {first}-{row}" if first < row else f"line {row}"
        if spanned and (len(cells) != width or any(
                "\n" in c and (self.meta.delimiter or ";") in c for c in cells)):
            self._bad("bad-row", first, f"{where} are read as one row of {len(cells)} cells "
                      f"(the header has {width}): a double quote (\") opens a field that "
                      "runs over a line break, so rows may have been swallowed",
                      hint="correct the quote on the first of these lines (write \"\" for a "
                      "quote inside a quoted field)")
            return True
        if len(cells) > width and extra:
            self._bad("bad-row", row, f"{where} has {len(cells)} cells, the header {width}: "
                      f"'{excerpt(extra[0])}' lies beyond the last column",
                      hint="an amount like 1234,56 in a ','-separated export is split in two: "
                      "quote it, or export with ';' (and set export.delimiter)"
                      if self.meta.delimiter == "," else
                      f"is the export split at {_delimiter_name(self.meta.delimiter)}? "
                      "set export.delimiter, or quote the field that holds it")
            return True
        return False

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
    if p.suffix.lower() not in EXPORT_SUFFIXES:
        # Nothing but an export is opened as one: never .env or .git/config, whose lines a
        # message about a missing column would otherwise quote.
        raise _fail(shown, "not-an-export", f"'{excerpt(p.name)}' is not named as an export "
                    f"({', '.join(EXPORT_SUFFIXES)}); it is not read",
                    hint="save the ledger export as CSV or as an xlsx workbook")
    meta = ExportMeta(shown, "xlsx" if is_xlsx else "csv")
    rows: Iterator[tuple[int, list[Any]]]
    if is_xlsx:
        if not p.is_file():
            _read_bytes(p, shown)  # raises the usual message
        book = inspect_workbook(p, shown, spec.sheet, spec.where.get("sheet"))
        findings = book.notes
        rows = _xlsx_rows(p, shown, book.sheet, findings)
    else:
        data = _read_bytes(p, shown)
        if data[:4] == b"PK\x03\x04":
            raise _fail(shown, "unreadable", "this is an xlsx workbook (a zip file), not CSV",
                        hint="name it .xlsx")
        decoded = decode(data, shown, spec.encoding, spec.where.get("encoding"))
        meta.encoding, findings = decoded.encoding, decoded.findings
        meta.delimiter = spec.delimiter or choose_delimiter(decoded.text,
                                                            spec.columns.values())
        del decoded  # checked; the rows are decoded again as they are read, not held twice
        stream = io.TextIOWrapper(io.BytesIO(data), encoding=codec_of(meta.encoding),
                                  newline="")
        csv_rows = CsvRows(stream, meta.delimiter, shown)
        rows = iter(csv_rows)
    index, width = _find_header(rows, spec, meta)
    export = Export(meta, findings, rows, index, not is_xlsx)
    export._width = width
    if is_xlsx:
        export._odd = book.odd_cells
    if not is_xlsx:
        export._csv = csv_rows
    return export


def codec_of(encoding: str | None) -> str:
    """The codec that decodes the rows, from the encoding `decode` reported."""
    if encoding in (None, "utf-8", "utf-8 (with BOM)"):
        return "utf-8-sig"
    return encoding


def _find_header(rows: Iterator[tuple[int, list[Any]]], spec: ExportSpec,
                 meta: ExportMeta) -> tuple[dict[str, int], int]:
    wanted = {k: " ".join(v.split()).casefold() for k, v in spec.columns.items()}
    best: tuple[int, int, list[Any]] = (-1, 0, [])
    for row, cells in rows:
        if cells and cells[-1] is SPANNED:
            cells = cells[:-1]
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
        shown = _header_excerpt(cells)
        where = f"row {row}" if spec.header_row is not None else \
            f"the first {HEADER_SEARCH} rows (closest: row {row})"
        raise BdurError([Finding(
            "missing-column", f"column '{spec.columns[k]}' ({k}) is not in the export "
            f"{meta.path}: {where} holds {shown}",
            location=spec.where.get(k, Location(meta.path, row, 1)),
            hint="correct the column name in the mapping, or set export.header_row" +
            (f"; the export was split at {_delimiter_name(meta.delimiter)}: if it uses "
             "another separator, set export.delimiter" if meta.kind == "csv" else ""))
            for k in missing], EXIT_INVALID)
    twice = [(k, [i + 1 for i, n in enumerate(names) if n == w]) for k, w in wanted.items()
             if names.count(w) > 1]
    if twice:
        raise BdurError([Finding(
            "duplicate-column", f"column '{excerpt(spec.columns[k])}' ({k}) appears "
            f"{len(at)} times in the header on row {row} (columns "
            f"{', '.join(map(str, at))}); which one holds the {k} is not guessed",
            location=Location(meta.path, row, at[1]),
            hint="rename or remove one of them in the export") for k, at in twice],
            EXIT_INVALID)
    meta.header_row = row
    width = len(cells)
    while width and cell_text(cells[width - 1]) == "":
        width -= 1  # empty cells at the end of the header name no column
    return {k: names.index(w) for k, w in wanted.items()}, width


def _header_excerpt(cells: list[Any], most: int = 8) -> str:
    """At most `most` cells of a header row, each a short escaped excerpt: a message quotes
    what it found, never a whole line (of what may be no export at all)."""
    found = [repr(excerpt(c)) for c in cells if cell_text(c)]
    if not found:
        return "nothing"
    more = f" and {len(found) - most} more" if len(found) > most else ""
    return ", ".join(found[:most]) + more
