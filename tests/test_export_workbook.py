"""Workbooks within bounds (issue 20, item 4): a small hostile xlsx ends in a located error
within seconds and bounded memory, before calamine or openpyxl allocate anything; hidden
sheets, Excel errors and engine warnings are said, not hidden.

The workbooks are written here as a few lines of sheet XML in a zip, so what each holds is
plain to see."""

from __future__ import annotations

import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.actuals import ledger
from bdur_cli.actuals.realise import load_mapping, read_actuals
from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan
from conftest import ROOT

PLAN = load_plan(ROOT / "data" / "allocations.yaml").plan
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
      'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
      'officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>')
SHEET_CT = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')


def cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def rows(*data: list[str | int], start: int = 1) -> str:
    out = []
    for n, values in enumerate(data, start):
        out.append(f'<row r="{n}">' + "".join(cell(f"{chr(65 + i)}{n}", v)
                                              for i, v in enumerate(values)) + "</row>")
    return "".join(out)


GOOD = rows(["Datum", "Bedrag", "Project"], ["01-02-2024", 1000, "BDUR-NW"],
            ["02-02-2024", 250, "BDUR-NW"])


def workbook(path: Path, *sheets: tuple[str, str, str], extra: str = "",
             names: str = "") -> Path:
    """A workbook of (name, state, sheetData XML) sheets."""
    listed = "".join(f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                     for i, (name, state, _) in enumerate(sheets, 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT.format(sheets="".join(
            SHEET_CT.format(n=i) for i in range(1, len(sheets) + 1))))
        z.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                   f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                   f"{listed}</sheets>{names}</workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}'
                   "</Relationships>")
        for i, (_, _, data) in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<worksheet xmlns="{MAIN}">{extra}'
                       f"<sheetData>{data}</sheetData></worksheet>")
    return path


def mapping(tmp: Path, extra: str = "") -> Path:
    (tmp / "m.yaml").write_text(
        f"export:\n  file: e.xlsx\n{extra}  columns: {{date: Datum, amount: Bedrag, "
        "project: Project}\nrules:\n  - {line: netwerkmanagement-middelen, project: BDUR-NW}\n",
        encoding="utf-8")
    return tmp / "m.yaml"


def run(tmp: Path, extra: str = "") -> Any:
    return read_actuals(PLAN, load_mapping(mapping(tmp, extra)))


def refused(tmp: Path, extra: str = "") -> BdurError:
    with pytest.raises(BdurError) as err:
        run(tmp, extra)
    return err.value


def test_a_plain_workbook_is_read(tmp_path: Path) -> None:
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD))
    assert run(tmp_path).reconciliation.read.total == Decimal(1250)


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # 64 MB of blanks in the sheet: about 64 KB zipped (1,000 times).
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD + " " * (64 * 2**20)))
    assert (tmp_path / "e.xlsx").stat().st_size < 200_000
    began = time.monotonic()
    err = refused(tmp_path)
    assert time.monotonic() - began < 2
    assert "a zip bomb" in err.findings[0].message
    assert err.exit_code == 2


def test_the_export_size_limit_holds_for_a_workbook(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD + " " * 4000))
    monkeypatch.setenv("BDUR_MAX_EXPORT_BYTES", "3K")
    err = refused(tmp_path)
    assert err.findings[0].code == "too-large"
    assert "unpacks to" in err.findings[0].message
    assert "BDUR_MAX_EXPORT_BYTES" in (err.findings[0].hint or "")


@pytest.mark.parametrize(("ref", "said"), [
    ("A1048577", "row 1,048,577, past Excel's last cell XFD1048576"),
    ("A99999999999", "row 99,999,999,999"), ("XFE1", "a column past XFD"),
    ("AAAAAAAAAAAAAAAAAAAAAAAAAA1", "a column past XFD")])
def test_a_cell_past_excels_last_is_refused(tmp_path: Path, ref: str, said: str) -> None:
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible",
                                   GOOD + f'<row r="4"><c r="{ref}"><v>1</v></c></row>'))
    err = refused(tmp_path)
    assert said in err.findings[0].message
    assert err.exit_code == 2


def test_the_last_cell_is_refused_for_its_range_not_aborted(tmp_path: Path) -> None:
    # XFD1048576 is a legal cell, but its range (17 billion cells) would be allocated whole.
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible",
                                   GOOD + '<row r="4"><c r="XFD1048576"><v>1</v></c></row>'))
    err = refused(tmp_path)
    assert err.findings[0].code == "too-large"
    assert "1,048,576 rows by 16,384 columns (XFD1048576)" in err.findings[0].message


def test_a_lying_dimension_is_refused(tmp_path: Path) -> None:
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD),
             extra='<dimension ref="A1:XFD1048576"/>')
    assert refused(tmp_path).findings[0].code == "too-large"


def test_an_engine_error_is_located(tmp_path: Path) -> None:
    # A shared string that does not exist: calamine raises, openpyxl an IndexError.
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible",
                                   GOOD + '<row r="4"><c r="A4" t="s"><v>99</v></c></row>'))
    err = refused(tmp_path)
    assert err.findings[0].message.startswith("not a readable xlsx workbook (calamine: ")
    assert err.exit_code == 2


def test_a_panic_of_calamine_is_a_located_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    class PanicException(BaseException):  # what pyo3 raises: no Exception
        pass

    def panic(*_: Any) -> Any:
        raise PanicException("capacity overflow")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD))
    err = refused(tmp_path)
    assert err.findings[0].message == "not a readable xlsx workbook (calamine: capacity " \
                                      "overflow)"


def without_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)


def test_openpyxl_errors_and_warnings_are_located(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capfd: pytest.CaptureFixture[str]) -> None:
    without_calamine(monkeypatch)
    # A defined name for a sheet that does not exist: openpyxl warns through `warnings`.
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD),
             names='<definedNames><definedName name="x" localSheetId="7">Blad1!$A$1'
             "</definedName></definedNames>")
    a = run(tmp_path)
    assert a.reconciliation.read.total == Decimal(1250)
    notes = [f.message for f in a.findings if f.code == "xlsx-warning"]
    assert notes == ["openpyxl: Defined names for sheet index 7 cannot be located"]
    assert capfd.readouterr().err == ""
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible",
                                   GOOD + '<row r="4"><c r="A4" t="s"><v>99</v></c></row>'))
    err = refused(tmp_path)
    assert err.findings[0].message.startswith("not a readable xlsx workbook (openpyxl: ")


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_hidden_first_sheet_is_skipped_and_said(tmp_path: Path, engine: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if engine == "openpyxl":
        without_calamine(monkeypatch)
    secret = rows(["Datum", "Bedrag", "Project"], ["01-02-2024", 999999, "BDUR-NW"])
    workbook(tmp_path / "e.xlsx", ("Oud", "hidden", secret), ("Blad1", "visible", GOOD))
    a = run(tmp_path)
    assert a.reconciliation.read.total == Decimal(1250)
    [note] = [f for f in a.findings if f.code == "hidden-sheet"]
    assert note.message == "hidden sheet 'Oud' skipped; read 'Blad1', the first visible one"
    # Named, the hidden sheet is read.
    assert run(tmp_path, "  sheet: Oud\n").reconciliation.read.total == Decimal(999999)


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_excel_error_cells_are_named(tmp_path: Path, engine: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if engine == "openpyxl":
        without_calamine(monkeypatch)
    bad = ('<row r="4"><c r="A4" t="inlineStr"><is><t>03-02-2024</t></is></c>'
           '<c r="B4" t="e"><f>A1/0</f><v>#REF!</v></c></row>'
           '<row r="5"><c r="A5" t="inlineStr"><is><t>04-02-2024</t></is></c>'
           '<c r="B5" t="e"><v>#N/A</v></c></row>'
           '<row r="6"><c r="A6" t="inlineStr"><is><t>05-02-2024</t></is></c>'
           '<c r="B6"><f>SUM(B2:B3)</f></c></row>')
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD + bad))
    a = run(tmp_path)
    said = [(f.code, f.location.line, f.message) for f in a.findings  # type: ignore[union-attr]
            if f.code == "bad-amount"]
    assert said == [
        ("bad-amount", 4, "cell B4 (amount) holds the Excel error #REF!, not a value"),
        ("bad-amount", 5, "cell B5 (amount) holds the Excel error #N/A, not a value"),
        ("bad-amount", 6, "cell B6 (amount) holds a formula without a value, not a value")]
    assert a.reconciliation.read.total == Decimal(1250)


def test_the_excerpt_never_quotes_a_whole_line() -> None:
    assert ledger.excerpt("x" * 500) == "x" * 39 + "\u2026"


def test_a_huge_row_before_small_ones_is_found(tmp_path: Path) -> None:
    # Rows out of order: the last <row> of the sheet is small, an earlier one is not.
    big = '<row r="99999999"><c r="A99999999"><v>1</v></c></row>'
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", big + GOOD))
    assert "row 99,999,999" in refused(tmp_path).findings[0].message


def test_an_output_may_not_overwrite_the_workbook_read(tmp_path: Path) -> None:
    from bdur_cli.reading import was_read

    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD))
    run(tmp_path)
    assert was_read(tmp_path / "e.xlsx")


def _inflating() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "bdur-xlsx-inflate"]


def test_a_sheet_read_in_many_chunks_is_bounded_and_leaves_no_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 64-byte chunks: the sheet is inflated by the second thread piece by piece, and the
    # cell past XFD lies far from the first chunk; the scan stops there, and so does the thread.
    monkeypatch.setattr(ledger, "_CHUNK", 64)
    filler = rows(*[["01-02-2024", 1, "BDUR-NW"]] * 50, start=4)
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD + filler
                                   + '<row r="60"><c r="XFE60"><v>1</v></c></row>' + filler))
    assert "a column past XFD" in refused(tmp_path).findings[0].message
    assert _inflating() == []
    workbook(tmp_path / "e.xlsx", ("Blad1", "visible", GOOD + filler))
    assert run(tmp_path).reconciliation.read.count == 52
    assert _inflating() == []


def test_a_member_whose_bytes_do_not_match_its_crc_is_refused(tmp_path: Path) -> None:
    # The sheet stored as is, one byte of it changed after: the CRC check (in the thread that
    # inflates) fails, and the caller says so.
    path = tmp_path / "e.xlsx"
    workbook(path, ("Blad1", "visible", GOOD))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    raw = path.read_bytes()
    assert raw.count(b"<v>1000</v>") == 1
    path.write_bytes(raw.replace(b"<v>1000</v>", b"<v>9000</v>"))
    err = refused(tmp_path)
    assert "not a readable xlsx workbook" in err.findings[0].message
    assert "CRC" in err.findings[0].message
    assert _inflating() == []
