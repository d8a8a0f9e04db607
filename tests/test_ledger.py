"""Reading a Dutch ledger export: numbers, dates, encodings, title rows, located problems.

Expected values are written out by hand; the exports are the shipped example with one small
visible edit (the `example` fixture), or a few lines written here.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.actuals.booking import read_actuals
from bdur_cli.actuals.ledger import ExportSpec, cell_amount, open_export, parse_amount, parse_date
from bdur_cli.actuals.mapping import load_mapping
from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan
from conftest import ROOT

EXAMPLE = ROOT / "examples" / "realisation"
PLAN = load_plan(ROOT / "data" / "allocations.yaml").plan


def run(mapping: Path, actuals: Path | None = None):  # type: ignore[no-untyped-def]
    return read_actuals(PLAN, load_mapping(mapping), actuals)


# --- numbers and dates -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("1.234,56", "1234.56"), ("-1.234,56", "-1234.56"), ("1.234,56-", "-1234.56"),
    ("(1.234,56)", "-1234.56"), ("€ 1.234,56", "1234.56"), ("1234", "1234"),
    ("0,01", "0.01"), ("1.000.000,00", "1000000.00"), ("18750,5", "18750.5"),
    (" 8.500,00 ", "8500.00"), ("+12,00", "12.00"),
])
def test_dutch_amounts_are_exact(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)
    assert str(parse_amount(text)) == value


@pytest.mark.parametrize("text", ["12.50", "1,234.56", "1.23,45", "12,", "abc", "", "1.2345",
                                  "--5", "1e3"])
def test_english_or_broken_amounts_are_refused(text: str) -> None:
    # 12.50 would be twelve and a half in English; in a Dutch export it is no amount at all.
    assert parse_amount(text) is None


def test_xlsx_numbers_are_read_as_excel_shows_them() -> None:
    assert cell_amount(19876.54) == Decimal("19876.54")  # not 19876.540000000000873...
    # Exact or refused (issue 20): 0.1 + 0.2 is stored as 0.30000000000000004, more decimals
    # than a total can carry exactly, so it is a bad amount, not a silent 0.30.
    assert cell_amount(0.1 + 0.2) is None
    assert cell_amount(1234.5678) == Decimal("1234.5678")
    assert cell_amount(8500.0) == Decimal(8500)
    assert cell_amount(True) is None


@pytest.mark.parametrize(("text", "value"), [
    ("05-06-2023", date(2023, 6, 5)), ("5-6-2023", date(2023, 6, 5)),
    ("05/06/2023", date(2023, 6, 5)), ("05.06.2023", date(2023, 6, 5)),
    ("2023-06-05", date(2023, 6, 5)), ("29-02-2024", date(2024, 2, 29)),
])
def test_dates(text: str, value: date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["29-02-2023", "31-04-2024", "06-05-23", "2023/06/05",
                                  "05-06/2023", "13-13-2024", ""])
def test_bad_dates(text: str) -> None:
    assert parse_date(text) is None


# --- reading the example -----------------------------------------------------------------------

def test_the_example_reads_below_its_title_rows_in_cp1252() -> None:
    a = run(EXAMPLE / "mapping.yaml")
    rec = a.reconciliation
    assert (rec.kind, rec.encoding, rec.header_row) == ("csv", "cp1252", 5)
    # 519 postings: see examples/realisation/generate.py (counted by hand in test_realisation)
    assert rec.read.count == 519
    assert rec.balanced
    assert [p.description for p in a.unmapped] == [
        "Koffie en thee crisisteam, café De Sluis", "Abonnement vakblad Crisisbeheersing",
        "Drukwerk folders"]


def test_csv_and_xlsx_give_identical_postings() -> None:
    spec = ExportSpec({"date": "Boekdatum", "debit": "Debet", "credit": "Credit",
                       "cost_centre": "Kostenplaats", "account": "Grootboekrekening",
                       "project": "Project", "description": "Omschrijving"})
    csv_rows = list(open_export(EXAMPLE / "grootboek.csv", spec).postings())
    xlsx_rows = list(open_export(EXAMPLE / "grootboek.xlsx", spec).postings())
    assert len(csv_rows) == 519
    assert csv_rows == xlsx_rows  # same rows, dates, codes, texts and exact amounts


def test_utf8_with_and_without_bom_read_like_cp1252(example: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    mapping = example("mapping.yaml", "  encoding: cp1252 ", "  # no encoding")
    csv = tmp_path / "grootboek.csv"
    text = csv.read_text(encoding="cp1252")
    base = run(mapping)  # undeclared cp1252: read, with a warning
    assert base.reconciliation.encoding == "cp1252"
    warning = [f for f in base.findings if f.code == "encoding-inferred"]
    assert len(warning) == 1 and warning[0].level == "warning"
    assert str(warning[0].location).startswith(f"{csv}:2:")  # 'Financiën' is on line 2
    for encoding, shown in (("utf-8", "utf-8"), ("utf-8-sig", "utf-8 (with BOM)")):
        csv.write_bytes(text.encode(encoding))
        again = run(mapping)
        assert again.reconciliation.encoding == shown
        assert not [f for f in again.findings if f.code.startswith("encoding")]
        assert again.amounts == base.amounts and again.unmapped == base.unmapped
        assert again.unmapped[0].description == "Koffie en thee crisisteam, café De Sluis"


def test_declared_utf8_refuses_cp1252(example: Callable[..., Path]) -> None:
    mapping = example("mapping.yaml", "encoding: cp1252", "encoding: utf-8")
    with pytest.raises(BdurError) as err:
        run(mapping)
    f = err.value.findings[0]
    assert f.code == "encoding"
    assert f.message == "the export is not utf-8: byte 0xeb on line 2 cannot be decoded"
    assert (f.location.line, f.location.column) == (13, 13)  # the mapping's encoding: value


def test_a_missing_column_points_at_the_mapping(example: Callable[..., Path]) -> None:
    mapping = example("mapping.yaml", "project: Project\n", "project: Projectcode\n")
    with pytest.raises(BdurError) as err:
        run(mapping)
    [f] = err.value.findings
    assert f.code == "missing-column"
    assert str(f.location) == f"{mapping}:20:14"
    assert f.message.startswith("column 'Projectcode' (project) is not in the export ")
    assert "(closest: row 5) holds 'Boekdatum', 'Boekstuk'," in f.message
    assert err.value.exit_code == 1


def test_header_row_given(example: Callable[..., Path]) -> None:
    mapping = example("mapping.yaml", "  encoding: cp1252 ", "  header_row: 5\n  encoding: cp1252 ")
    assert run(mapping).reconciliation.header_row == 5
    mapping = example("mapping.yaml", "header_row: 5", "header_row: 4")
    with pytest.raises(BdurError) as err:
        run(mapping)
    assert {f.code for f in err.value.findings} == {"missing-column"}
    assert "row 4 holds nothing" in err.value.findings[0].message


def test_bad_amount_and_date_are_located_at_file_and_row(example: Callable[..., Path],
                                                         tmp_path: Path) -> None:
    example("grootboek.csv", "Voorschot oefendag 2023;5.000,00", "Voorschot oefendag 2023;5.000.00")
    mapping = example("grootboek.csv", "02-01-2023;MEM23011", "32-01-2023;MEM23011")
    a = run(mapping)
    found = {(f.code, str(f.location)): f.message for f in a.findings if f.level == "error"}
    csv = tmp_path / "grootboek.csv"
    assert found == {("bad-amount", f"{csv}:6"): "'5.000.00' is not an amount",
                     ("bad-date", f"{csv}:7"): "'32-01-2023' is not a date (dd-mm-jjjj)"}
    assert a.reconciliation.bad_rows == 2
    assert a.reconciliation.read.count == 517


def test_a_total_row_at_the_bottom_is_reported_not_summed(example: Callable[..., Path],
                                                         tmp_path: Path) -> None:
    csv = tmp_path / "grootboek.csv"
    with csv.open("a", encoding="cp1252", newline="") as f:
        f.write(";;;;;Totaal;5.799.500,00;1.234,56\r\n")
    a = run(example())
    [f] = [f for f in a.findings if f.code == "bad-date"]
    assert str(f.location) == f"{csv}:525"
    assert f.message == "the booking date is empty"
    assert a.reconciliation.read.total == Decimal("5794265.43")  # the total row is not in it


def test_amount_column_instead_of_debit_and_credit(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(
        "Datum;Bedrag;Project\n01-02-2024;1.000,00;BDUR-NW\n02-02-2024;-250,50;BDUR-NW\n"
        "03-02-2024;0,01;\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "export:\n  file: e.csv\n  columns: {date: Datum, amount: Bedrag, project: Project}\n"
        "rules:\n  - {line: netwerkmanagement-middelen, project: BDUR-NW}\n", encoding="utf-8")
    a = run(tmp_path / "m.yaml")
    assert a.reconciliation.read.total == Decimal("749.51")
    assert a.reconciliation.mapped.total == Decimal("749.50")
    assert a.reconciliation.unmapped.total == Decimal("0.01")
    assert a.reconciliation.encoding == "utf-8"


def test_comma_separated_export(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text('Datum,Bedrag,Project\n01-02-2024,"1.000,00",BDUR-NW\n',
                                    encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "export:\n  file: e.csv\n  columns: {date: Datum, amount: Bedrag, project: Project}\n"
        "rules:\n  - {line: netwerkmanagement-middelen, project: BDUR-NW}\n", encoding="utf-8")
    a = run(tmp_path / "m.yaml")
    assert a.reconciliation.mapped.total == Decimal("1000.00")


def test_an_xlsx_export_named_csv_is_refused(example: Callable[..., Path],
                                             tmp_path: Path) -> None:
    shutil.copy(tmp_path / "grootboek.xlsx", tmp_path / "grootboek.csv")
    with pytest.raises(BdurError) as err:
        run(example())
    assert err.value.findings[0].message == "this is an xlsx workbook (a zip file), not CSV"
    assert err.value.exit_code == 2


def test_missing_export(example: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "grootboek.csv").unlink()
    with pytest.raises(BdurError) as err:
        run(example())
    assert (err.value.findings[0].message, err.value.exit_code) == ("no such file", 2)


def test_missing_sheet(example: Callable[..., Path], tmp_path: Path) -> None:
    mapping = example("mapping.yaml", "  encoding: cp1252 ",
                      "  sheet: Boekingen\n  encoding: cp1252 ")
    with pytest.raises(BdurError) as err:
        run(mapping, tmp_path / "grootboek.xlsx")
    [f] = err.value.findings
    assert (f.code, f.hint) == ("missing-sheet", "sheets: Mutaties")
    assert str(f.location) == f"{mapping}:13:10"


def test_xlsx_without_calamine_reads_the_same_with_openpyxl(
        monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ExportSpec({"date": "Boekdatum", "debit": "Debet", "credit": "Credit",
                       "project": "Project", "description": "Omschrijving"})
    fast = list(open_export(EXAMPLE / "grootboek.xlsx", spec).postings())
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails: openpyxl
    slow = list(open_export(EXAMPLE / "grootboek.xlsx", spec).postings())
    assert len(fast) == 519 and fast == slow
    assert slow[0] == (6, date(2022, 12, 28), Decimal(5000), "", "", "BDUR-VB",
                       "Voorschot oefendag 2023")
