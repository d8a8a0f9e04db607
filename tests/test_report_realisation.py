"""`bdur report --mapping`: budget against realisation for the board, in every format.

The figures are the shipped example's (examples/realisation), worked out by hand from the
story in its generator (see tests/test_realisation.py for the derivation):

- 2023: staff 934,250.00 + means 379,876.54 = 1,314,126.54 realised against 1,685,000;
  funding 1,407,149, so the result is 93,022.46;
- 2024: staff 1,285,500.00 + means 273,765.44 = 1,559,265.44 realised; the budget of
  1,505,000 was amended by 112,500 (the VIK's external hire until July) to 1,617,500, so the
  deviation is -58,234.56 (-3.6%); funding 1,650,000, result 90,734.56;
- 2024 netwerkmanagement-middelen: four quarters of 5,000 against 50,000: -30,000 (-60.0%);
- 2026 to October: staff 1,105,000 + means 206,250 = 1,311,250 realised, the last two months
  forecast from the budget, 1,605,000 x 2/12 = 267,500, so 1,578,750 expected (-26,250).
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import EXPORT_COMPLETE, ROOT, bdur

MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"
D = Decimal


def _report(*args: str, mapping: Path = MAPPING) -> str:
    result = bdur("report", "-m", str(mapping), *args)
    assert result.exit_code == 0, result.output
    return result.stdout


# The closed years' layout (realised against budget, no forecast columns) is that of a mapping
# whose every year is closed: the example without its closed_through, its export taken as
# complete (`EXPORT_COMPLETE`). The shipped mapping closes 2025, so 2026 runs and every table
# has the running year's columns (test_running_year_has_forecast_and_expected).

def test_markdown_rows_of_a_year(example: Any) -> None:
    out = _report("--years", "2024", "--format", "markdown",
                  mapping=example(*EXPORT_COMPLETE)).splitlines()
    assert "| Year | Primitive budget | Amended budget | Realised | Deviation € | Deviation % " \
        "| Funding | Result | To reserve | Note |" in out
    assert [line for line in out if line.startswith("| 2024 | €1,505,000")] == [
        "| 2024 | €1,505,000 | €1,617,500 | €1,559,265 | -€58,235 | -3.6% | €1,650,000 | "
        "+€90,735 | +€90,735 | De externe inhuur voor het VIK liep door tot 1 juli 2024, omdat "
        "de tweede interne formatieplaats pas toen werd ingevuld; het bestuur heeft daarvoor "
        "112.500 bijgeraamd (begrotingswijziging 2024-1). |"]
    # The detail: the year's total in bold, a line two levels under its goal.
    assert "| **Total 2024** | **€1,505,000** | **€1,617,500** | **€1,559,265** | " \
        "**-€58,235** | **-3.6%** |" in "\n".join(out)
    assert "| &nbsp;&nbsp;&nbsp;&nbsp;netwerkmanagement-middelen | €50,000 | €50,000 | " \
        "€20,000 | -€30,000 | -60.0% |  |  | Minder netwerkbijeenkomsten dan begroot; de " \
        "partners organiseren zelf. |" in out
    # The theme's deviation is explained by its line, which the note says.
    assert "| &nbsp;&nbsp;Netwerkmanagement | €150,000 | €150,000 | €122,000 | -€28,000 | " \
        "-18.7% | 1 | 1 | see the explanations below |" in out
    # Only 2024: no other year's rows.
    assert not [line for line in out if line.startswith(("| 2023", "| 2025", "| 2026"))]


def test_dutch_layout(example: Any) -> None:
    out = _report("--years", "2023", "--format", "markdown", "--locale", "nl",
                  mapping=example(*EXPORT_COMPLETE)).splitlines()
    assert "| Jaar | Primitieve begroting | Begroting na wijziging | Realisatie | Afwijking € | " \
        "Afwijking % | Beschikbaar | Resultaat | Naar reserve | Toelichting |" in out
    assert "| Hoofdthema / thema / regel | Primitieve begroting | Begroting na wijziging | " \
        "Realisatie | Afwijking € | Afwijking % | fte begroot | fte bezet | Toelichting |" in out
    row = next(line for line in out if line.startswith("| 2023 |"))
    assert row.startswith("| 2023 | € 1.685.000 | € 1.685.000 | € 1.314.127 | € -370.873 | "
                          "-22,0% | € 1.407.149 | € +93.022 | € +93.022 | De formatie is pas "
                          "vanaf 1 juni")
    assert "afwijking = realisatie - begroting na wijziging; positief is overschrijding" in out


def test_csv_holds_the_exact_cents(example: Any) -> None:
    result = bdur("report", "-m", str(example(*EXPORT_COMPLETE)), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0] == "year,level,id,name,primitive_budget,budget,realised,deviation,percent," \
        "fte,fte_in_place,note"
    # fte 2024 (examples/realisation/formatie.yaml): the memo's 12 and the amendment's external
    # hire of 1.5 fte for six months (0.75) planned; in place the same, but the second VIK post
    # only from July (12.75 - 0.5 = 12.25).
    assert [r for r in rows if r.startswith("2024,total,")] == [
        "2024,total,,Total 2024,1505000,1617500,1559265.44,-58234.56,-3.6,12.75,12.25,"
        "\"De externe inhuur "
        "voor het VIK liep door tot 1 juli 2024, omdat de tweede interne formatieplaats pas toen "
        "werd ingevuld; het bestuur heeft daarvoor 112.500 bijgeraamd (begrotingswijziging "
        "2024-1).\""]
    assert "2024,line,netwerkmanagement-middelen,netwerkmanagement-middelen,50000,50000,20000," \
        "-30000,-60,,,Minder netwerkbijeenkomsten dan begroot; de partners organiseren zelf." \
        in rows
    # Nothing lost, said on stderr, not in the board's figures.
    assert "519 postings read (€5,794,265.43) = 515 mapped" in result.stderr


def test_xlsx_cells_read_back(example: Any, tmp_path: Path) -> None:
    out = tmp_path / "jaarrekening.xlsx"
    result = bdur("report", "-m", str(example(*EXPORT_COMPLETE)), "-o", str(out), "--locale",
                  "nl")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Realisatie", "Reserve", "2023", "2024", "2025", "2026"]
    ws = wb["Realisatie"]
    assert [c.value for c in ws[2]] == [
        "Jaar", "Primitieve begroting", "Begroting na wijziging", "Realisatie", "Afwijking €",
        "Afwijking %", "Beschikbaar", "Resultaat", "Naar reserve", "Toelichting"]
    year, primitive, amended, realised, deviation, percent, funding, result_, to_reserve, \
        note = [c.value for c in ws[4]]
    assert D(str(to_reserve)) == D("90734.56")  # the whole result, by the board's decision
    assert (year, primitive, amended, funding) == (2024, 1505000, 1617500, 1650000)
    # openpyxl reads numbers back as float; the exact cents were written.
    assert (D(str(realised)), D(str(deviation)), D(str(result_))) == (
        D("1559265.44"), D("-58234.56"), D("90734.56"))
    assert D(str(percent)) == D("-0.036")  # Excel's percent: -3.6%
    assert ws.cell(row=4, column=6).number_format == "+0.0%;-0.0%;0.0%"
    assert note.startswith("De externe inhuur voor het VIK")
    detail = wb["2024"]
    names = {detail.cell(row=r, column=1).value: r for r in range(3, detail.max_row + 1)}
    r = names["netwerkmanagement-middelen"]  # the name alone, indented by Excel
    assert detail.cell(row=r, column=1).alignment.indent == 4
    assert [detail.cell(row=r, column=c).value for c in range(2, 6)] == [50000, 50000, 20000,
                                                                         -30000]
    assert detail.cell(row=names["Totaal 2024"], column=1).font.b


def test_running_year_has_forecast_and_expected() -> None:
    out = _report("--years", "2026", "--through", "2026-10", "--format", "markdown")
    assert "| Year | Status | Primitive budget | Amended budget | Realised to date | Forecast | " \
        "Expected | Deviation € | Deviation % | Funding | Result | To reserve | Note |" in out
    assert "| 2026 | running | €1,605,000 | €1,605,000 | €1,311,250 | €267,500 | €1,578,750 | " \
        "-€26,250 | -1.6% | €2,400,000 | +€821,250 |" in out


@pytest.mark.parametrize("args, message", [
    (["--through", "2026-10"], "--through reads the ledger export; it needs --mapping FILE"),
    (["-m", str(MAPPING), "--fte"], "--mapping gives budget against realisation; it takes no "
     "--fte, --incidental, --tidy or --by"),
])
def test_usage(args: list[str], message: str) -> None:
    result = bdur("report", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_installed_bdur() -> None:
    bdur = Path(sys.executable).parent / "bdur"
    done = subprocess.run([str(bdur), "report", "-m", str(MAPPING), "--years", "2025",
                           "--format", "csv"], capture_output=True, text=True, check=False,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    # The shipped mapping closes 2025 and 2026 runs: 2025 forecasts 0 and expects 1,601,000.
    assert "2025,total,,Total 2025,1605000,1605000,1601000,0,1601000,-4000,-0.2,13,13," \
        in done.stdout


# --- the resultaatbestemming and the staffing file --------------------------------------------
# examples/realisation/resultaatbestemming.yaml: the board put the whole 2023 result
# (93,022.46) and the whole 2024 result (90,734.56) into the reserve, and 300,000 of 2025's
# 549,000. The reserve starts at 0: closing 93,022.46, then 183,757.02, then 483,757.02, and
# 2026 (running, a result above 0) draws nothing.
# examples/realisation/formatie.yaml, 2023 in fte-months: six 1-fte posts from June (6 x 7 =
# 42), vakbekwaamheid and crisiscommunicatie 0.5 fte Jan-May and 1.5 from June (2 x 13), the
# VIK's external hire 1.5 fte Feb-Dec (16.5) and the BI hire 1 fte all year (12): 96.5 / 12 =
# 8.04 fte in place on average, against the memo's 11.5 planned.


def test_reserve_statement_in_markdown() -> None:
    out = _report("--through", "2026-10", "--format", "markdown").splitlines()
    assert "| Year | Opening | Additions | Withdrawals | Closing | Note |" in out
    assert "| 2024 | €93,022 | €90,735 | €0 | €183,757 | decided 2025-07-03 by Algemeen " \
        "Bestuur |" in out
    assert "| 2026 | €483,757 | €0 | €0 | €483,757 | no shortfall |" in out
    row = next(line for line in out if line.startswith("| 2025 | closed |"))
    # Funding 2,150,000 - realised 1,601,000 = +549,000, of which 300,000 to the reserve.
    assert "| €2,150,000 | +€549,000 | +€300,000 |" in row


def test_reserve_and_staffing_in_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "jaarrekening.xlsx"
    result = bdur("report", "-m", str(MAPPING), "-o", str(out), "--through",
                  "2026-10")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Realised", "Reserve", "2023", "2024", "2025", "2026"]
    ws = wb["Reserve"]
    assert [c.value for c in ws[2]] == ["Year", "Opening", "Additions", "Withdrawals",
                                        "Closing", "Note"]
    assert [D(str(c.value)) for c in ws[4][:5]] == [2024, D("93022.46"), D("90734.56"), 0,
                                                    D("183757.02")]
    overview = wb["Realised"]
    head = [c.value for c in overview[2]]
    assert overview.cell(row=5, column=head.index("To reserve") + 1).value == 300000
    detail = wb["2023"]
    head = [c.value for c in detail[2]]
    total = [c.value for c in detail[3]]
    assert total[0] == "Total 2023"
    assert (total[head.index("fte planned")], total[head.index("fte in place")]) == (11.5, 8.04)


def test_reserve_balance_in_the_chart(tmp_path: Path) -> None:
    result = bdur("chart", "-m", str(MAPPING), "--through", "2026-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("Reserve balance at the end of each year")
    # 483,757.02 at 50,000 a block: 10 blocks.
    assert lines[at + 2:at + 6][2] == "2025  ██████████                          €483,757"
    svg = tmp_path / "realisatie.svg"
    bdur("chart", "-m", str(MAPPING), "-o", str(svg))
    text = svg.read_text(encoding="utf-8")
    assert 'data-series="reserve" data-year="2024" data-value="183757.02"' in text


def test_the_boards_workbook_is_finished_as_the_packs(example: Any, tmp_path: Path) -> None:
    # Issue 22: the workbook of `report -m` prints as the pack's sheets do, and reads as
    # words: the line's name, no instruction to use a command-line option, and no figure
    # where a year has not begun.
    example(*EXPORT_COMPLETE)  # --through 2025-06 would reopen the 2025 the mapping closes
    mapping = example("allocations.yaml", "      - id: netwerkmanagement-middelen\n",
                      "      - id: netwerkmanagement-middelen\n"
                      "        name: Netwerkbijeenkomsten en oefeningen\n")
    out = tmp_path / "bestuur.xlsx"
    result = bdur("report", "-m", str(mapping), "-o", str(out), "--through", "2025-06",
                  "--locale", "nl")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper sizes
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"
        assert ws.oddFooter.right.text == "&P / &N"
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("3")
        # The plan's title once in the page header, not twice.
        assert ws.oddHeader.center.text.count("Besteding extra BDuR-gelden") == 1
        for cell in ws[2]:
            if cell.value:  # every heading wraps in a column as wide as its longest word
                assert cell.alignment.wrap_text
                width = ws.column_dimensions[cell.column_letter].width
                assert width >= max(len(w) for w in str(cell.value).split())
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [t for t in texts if "--" in t or t == "netwerkmanagement-middelen"]
    overview = wb["Realisatie"]
    head = [c.value for c in overview[2]]
    # "Begroting na wijziging" fits: 14 wide cut it off, now wrapped over two lines in a
    # column as wide as "€ 1.617.500" with room.
    amended = overview.cell(row=2, column=head.index("Begroting na wijziging") + 1)
    assert overview.row_dimensions[2].height >= 30
    assert overview.column_dimensions[amended.column_letter].width >= len("€ 1.617.500")
    row_2026 = [c for c in overview[6]]
    assert row_2026[0].value == 2026
    # 2026 has not begun through June 2025: no realisation, an empty cell; its forecast is
    # the whole budget of 1,605,000.
    assert row_2026[head.index("Realisatie tot nu")].value is None
    assert row_2026[head.index("Prognose")].value == 1605000
    money = overview.cell(row=3, column=head.index("Realisatie tot nu") + 1).number_format
    assert money == '[<=-0.5]"€" -#,##0;[>=0.5]"€" #,##0;"€" 0'  # never "€ -0"
    detail = wb["2024"]
    lines = [detail.cell(row=r, column=1).value for r in range(3, detail.max_row + 1)]
    assert "Netwerkbijeenkomsten en oefeningen" in lines
    assert "netwerkmanagement-fte" in lines  # a line without a name keeps its id
    future = wb["2026"]
    total = [c.value for c in future[3]]
    assert total[0] == "Totaal 2026" and total[3] is None  # Realisatie tot nu
