"""The running year's forecast month by month, and the one meaning of closed (issue 19).

Every expected figure is worked out by hand in the comments: a line's year budget is spread
evenly over the months it is in force; the forecast is the share of the months after the
reporting month; a year is closed before the reporting month's year and in it when the month
is December.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.actuals.analysis import (
    Realisation,
    Target,
    Through,
    buckets,
    is_closed,
    realisation,
    year_status,
)
from bdur_cli.plan.pipeline import load_plan
from tests.conftest import EXPORT_COMPLETE, bdur

PLAN = """
plan: {region: R, title: T, source: S, currency: EUR, horizon: {first: 2025, last: 2027}}
funding:
  2025: {amount: 500000, status: granted}
  2026: {amount: 500000, status: forecast}
  2027: {amount: 500000, status: forecast}
rates:
  internal: {amount: 120000}
goals:
  - {id: g, name: G}
themes:
  - id: t
    name: T
    goal: g
    department: CB
    lines:
      # In force September 2026 onwards: 2026 is 4 months = 40,000.
      - {id: sept, type: structural, start: 2026-09, fte: 1, rate: internal}
      # In force January 2025 to March 2026: 2026 is 3 months = 30,000.
      - {id: march, type: structural, start: 2025-01, end: 2026-03, fte: 1, rate: internal}
      # In force May and June, then October to December 2026: 5 months = 50,000.
      - id: gaps
        type: structural
        periods: [{start: 2026-05, end: 2026-06}, {start: 2026-10, end: 2026-12}]
        fte: 1
        rate: internal
"""


@pytest.fixture
def plan(write: Callable[..., Path]):  # type: ignore[no-untyped-def]
    return load_plan(write(PLAN)).plan


def _run(plan, through: Through | None,  # type: ignore[no-untyped-def]
         booked: dict[tuple[int, int, int], Decimal] | None = None) -> Realisation:
    bl, _ = buckets(plan, [Target(line="sept"), Target(line="march"), Target(line="gaps")])
    return realisation(plan, bl, booked or {}, detail=2026, through=through)


def _forecast(result: Realisation, year: int) -> dict[str, Decimal]:
    y = next(y for y in result.years if y.year == year)
    assert y.goals is not None
    return {row.id: row.figures.forecast for row in y.goals[0].children[0].children}


@pytest.mark.parametrize(("month", "sept", "march", "gaps"), [
    # Through February: sept all 4 months (40,000); march only March (1 of 3: 10,000);
    # gaps all 5 months (50,000).
    (2, "40000.00", "10000.00", "50000.00"),
    # Through March: march has ended (0).
    (3, "40000.00", "0.00", "50000.00"),
    # Through July (before September): sept still all 4 months, 40,000, never 5 of 12
    # months (50,000) as if it ran from January; gaps: October-December, 3 of 5 = 30,000.
    (7, "40000.00", "0.00", "30000.00"),
    # Through October: sept November and December, 2 of 4 = 20,000; gaps 2 of 5 = 20,000.
    (10, "20000.00", "0.00", "20000.00"),
    # Through November: 1 of 4 = 10,000; gaps 1 of 5 = 10,000.
    (11, "10000.00", "0.00", "10000.00"),
    # Through December: the year is closed, nothing is forecast.
    (12, "0.00", "0.00", "0.00"),
])
def test_forecast_follows_each_lines_months(plan, month: int, sept: str, march: str,  # type: ignore[no-untyped-def]
                                           gaps: str) -> None:
    result = _run(plan, Through(2026, month))
    assert _forecast(result, 2026) == {"sept": Decimal(sept), "march": Decimal(march),
                                       "gaps": Decimal(gaps)}


def test_forecast_of_a_year_not_started_is_its_budget(plan) -> None:  # type: ignore[no-untyped-def]
    # Through October 2025: 2026 has not started; its forecast is its whole budget and it has
    # no deviation to explain.
    result = _run(plan, Through(2025, 10))
    y = next(y for y in result.years if y.year == 2026)
    assert y.status == "future"
    assert _forecast(result, 2026) == {"sept": Decimal(40000), "march": Decimal(30000),
                                       "gaps": Decimal(50000)}
    assert y.total.figures.deviation == 0 and not y.total.needs_explanation
    as_json = y.as_dict(True)
    assert as_json["deviation"] is None and as_json["percent"] is None


@pytest.mark.parametrize(("through", "statuses"), [
    # November leaves its year running; December closes it.
    (Through(2026, 11), ["closed", "running", "future"]),
    (Through(2026, 12), ["closed", "closed", "future"]),
    (Through(2025, 1), ["running", "future", "future"]),
    (Through(2025, 12), ["closed", "future", "future"]),
])
def test_year_status_with_a_reporting_month(through: Through, statuses: list[str]) -> None:
    assert [year_status(y, through, None) for y in (2025, 2026, 2027)] == statuses
    assert [is_closed(y, through) for y in (2025, 2026, 2027)] == [
        s == "closed" for s in statuses]


def test_year_status_without_a_reporting_month() -> None:
    # The export is taken as complete: up to the last year anything is booked in.
    assert [year_status(y, None, 2026) for y in (2025, 2026, 2027)] == [
        "closed", "closed", "future"]
    assert [year_status(y, None, None) for y in (2025, 2026)] == ["future", "future"]


def test_a_year_with_nothing_booked_has_no_realisation_yet(plan) -> None:  # type: ignore[no-untyped-def]
    # 45,000 booked on 'march' in 2025 (budget 120,000: -75,000, -62.5%); 2026 and 2027 have
    # nothing booked and no reporting month is given: no realisation yet, never -100%.
    result = _run(plan, None, {(1, 2025, 6): Decimal(45000)})
    assert [y.status for y in result.years] == ["closed", "future", "future"]
    y2025, y2026 = result.years[0], result.years[1]
    assert y2025.total.figures.deviation == Decimal(-75000)
    assert y2025.total.figures.percent == Decimal("-62.5")
    assert y2026.total.figures.deviation == 0 and not y2026.total.needs_explanation


def test_through_december_closes_the_year_in_every_command(example: Callable[..., Path]
                                                          ) -> None:
    # Without the mapping's closed_through: --through alone decides (and may say 2025-11).
    mapping = example(*EXPORT_COMPLETE)
    out = bdur("realisation", "-m", str(mapping), "--through", "2025-12", "--format", "json")
    assert out.exit_code == 0, out.output
    years = {y["year"]: y for y in json.loads(out.stdout)["years"]}
    assert [years[y]["status"] for y in (2023, 2024, 2025, 2026)] == [
        "closed", "closed", "closed", "future"]
    # 2025 is closed: nothing forecast; 2026 has not started: no deviation yet.
    assert years[2025]["forecast"] == "0.00" or Decimal(str(years[2025]["forecast"])) == 0
    assert years[2026]["deviation"] is None and years[2026]["needs_explanation"] is False
    # The board's decision on 2025 is taken (2025 is closed), not left out.
    assert "year-not-closed" not in out.stderr
    november = bdur("realisation", "-m", str(mapping), "--through", "2025-11")
    assert "decision on 2025 left out: through 2025-11, 2025 is not closed" in november.stderr


def test_the_mapping_states_the_last_closed_year() -> None:
    """The shipped mapping states `closed_through: 2025`: with no --through, 2023-2025 are
    closed and 2026 runs, in `realisation`, `report -m` and `check` alike."""
    from tests.test_realisation import MAPPING

    out = bdur("realisation", "-m", str(MAPPING), "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    # 2026 runs as far as the export goes: its last posting is of 28-10-2026.
    assert data["through"] == "2026-10"
    assert [y["status"] for y in data["years"]] == ["closed", "closed", "closed", "running"]
    years = {y["year"]: y for y in data["years"]}
    # 2025 closed: nothing forecast, realised 1,326,000 staff + 275,000 means = 1,601,000 final.
    assert Decimal(str(years[2025]["forecast"])) == 0
    assert Decimal(str(years[2025]["expected"])) == Decimal(1601000)
    # 2026: 1,311,250 through October + November and December of 1,605,000 (2/12 = 267,500).
    assert Decimal(str(years[2026]["forecast"])) == Decimal(267500)
    assert Decimal(str(years[2026]["deviation"])) == Decimal(1311250 + 267500 - 1605000)
    table = bdur("realisation", "-m", str(MAPPING)).stdout
    assert " 2025 (closed) " in table and " 2026 (running) " in table
    assert "through 2026-10; the rest of 2026 is forecast from the budget" in table
    report = bdur("report", "-m", str(MAPPING), "--format", "markdown")
    assert report.exit_code == 0, report.output
    rows = [ln for ln in report.stdout.splitlines() if ln.startswith(("| 2025 |", "| 2026 |"))]
    assert rows[0].startswith("| 2025 | closed | €1,605,000 | €1,605,000 | €1,601,000 | €0 | "
                              "€1,601,000 | -€4,000 | -0.2% |")
    assert rows[1].startswith("| 2026 | running | €1,605,000 | €1,605,000 | €1,311,250 | "
                              "€267,500 | €1,578,750 | -€26,250 | -1.6% |")
    # check: 2025's two unexplained deviations are warnings, none of the running 2026.
    check = bdur("check", str(MAPPING))
    assert check.exit_code == 0, check.output
    missing = [ln for ln in check.stdout.splitlines() if "[explanation-missing]" in ln]
    assert [ln.split(": warning: ")[1].split(":")[0] for ln in missing] == [
        "2025, theme 'netwerkmanagement'", "2025, line 'netwerkmanagement-middelen'"]
    assert "0 errors, 4 warnings" in check.stderr
    reopen = bdur("realisation", "-m", str(MAPPING), "--through", "2025-06")
    assert reopen.exit_code == 2
    assert "--through 2025-06 reopens 2025, which the mapping closes (closed_through: 2025)" \
        in reopen.stderr


def test_a_year_after_the_stated_one_with_nothing_booked_has_no_realisation_yet(
        example: Callable[..., Path]) -> None:
    """The shipped mapping (closed_through: 2025) with an export that ends in 2025: 2025 is
    closed and 2026 has not started, in every command: "no realisation yet", no deviation,
    and nothing of the closed 2025 said to be forecast."""
    mapping = example()
    export = mapping.parent / "grootboek.csv"
    lines = export.read_text(encoding="cp1252").splitlines(keepends=True)
    export.write_text("".join(ln for ln in lines if "-2026;" not in ln.split(";")[0] + ";"),
                      encoding="cp1252", newline="")
    data = json.loads(bdur("realisation", "-m", str(mapping), "--format", "json").stdout)
    assert data["through"] == "2025-12"
    assert [y["status"] for y in data["years"]] == ["closed", "closed", "closed", "future"]
    assert data["years"][3]["deviation"] is None
    table = bdur("realisation", "-m", str(mapping))
    assert table.exit_code == 0, table.output
    row = next(ln for ln in table.stdout.splitlines() if ln.startswith(" 2026 "))
    assert row.split() == ["2026", "(not", "started)", "€1,605,000", "€1,605,000", "€0",
                           "€1,605,000", "€1,605,000", "no", "realisation", "yet"]
    assert "through 2025-12; 2025 is closed\n" in table.stdout
    assert "rest of 2025" not in table.stdout
    nl = bdur("realisation", "-m", str(mapping), "--locale", "nl").stdout
    assert "t/m 2025-12; 2025 is afgesloten\n" in nl and "nog geen realisatie" in nl
    report = bdur("report", "-m", str(mapping), "--format", "markdown").stdout
    assert "| 2026 | not started | €1,605,000 | €1,605,000 | €0 | €1,605,000 | €1,605,000 |  " \
        "| - | €2,400,000 | +€795,000 |  | no realisation yet |" in report
    check = bdur("check", str(mapping))
    assert check.exit_code == 0 and "warning: 2026" not in check.stdout
    assert check.stdout.count("[explanation-missing]") == 2  # 2025's two
    assert "0 errors, 4 warnings" in check.stderr


# --- per month -------------------------------------------------------------------------------

def test_budget_by_month_follows_the_same_month_rule(plan) -> None:  # type: ignore[no-untyped-def]
    # 2026 at 10,000 a month per line in force: march Jan-Mar, gaps May, Jun, Oct-Dec,
    # sept Sep-Dec. 12,345.67 booked in February and 5,000 in April (after the reporting
    # month March: not shown).
    from bdur_cli.actuals.analysis import by_month

    booked = {(0, 2026, 2): Decimal("12345.67"), (1, 2026, 4): Decimal(5000),
              (0, 2025, 2): Decimal(999)}
    months = by_month(plan, booked, 2026, "running", Through(2026, 3))
    assert [int(m.budget) for m in months] == [
        10000, 10000, 10000, 0, 10000, 10000, 0, 0, 10000, 20000, 20000, 20000]
    assert months[-1].cumulative_budget == Decimal(120000)  # 40,000 + 30,000 + 50,000
    assert [m.realised for m in months[:4]] == [Decimal(0), Decimal("12345.67"), Decimal(0),
                                                None]
    assert months[2].cumulative_realised == Decimal("12345.67")
    assert months[2].deviation == Decimal("12345.67") - 30000
    assert months[3].deviation is None
    closed = by_month(plan, booked, 2026, "closed", None)
    assert closed[3].cumulative_realised == Decimal("17345.67")
    # A closed year before the reporting month's year shows all twelve months, not the
    # reporting month's three.
    before = by_month(plan, booked, 2026, "closed", Through(2027, 3))
    assert before[3].realised == Decimal(5000) and before[11].cumulative_realised == \
        Decimal("17345.67")
    assert all(m.realised is None for m in by_month(plan, booked, 2027, "future", None))


def test_realisation_by_month_on_the_command_line() -> None:
    from tests.test_realisation import MAPPING

    out = bdur("realisation", "2026", "-m", str(MAPPING), "--through", "2026-10", "--by",
               "month", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    months = data["months"]
    assert data["status"] == "running" and data["through"] == "2026-10"
    # The year's budget 1,605,000 (structural lines only, all year): 133,750 a month.
    assert {Decimal(str(m["budget"])) for m in months} == {Decimal(133750)}
    # Realised through October is the year's realised of `bdur realisation`: 1,311,250.
    assert Decimal(str(months[9]["cumulative_realised"])) == Decimal(1311250)
    assert Decimal(str(months[9]["deviation"])) == Decimal(1311250 - 1337500)
    assert months[10]["realised"] is None
    csv = bdur("realisation", "2026", "-m", str(MAPPING), "--through", "2026-10", "--by",
               "month", "--format", "csv")
    lines = csv.stdout.splitlines()
    assert lines[0] == "year,month,budget,cumulative_budget,realised,cumulative_realised," \
        "deviation"
    assert lines[10].startswith("2026,10,133750,1337500,") and lines[12] == \
        "2026,12,133750,1605000,,,"
    nl = bdur("realisation", "2026", "-m", str(MAPPING), "--through", "2026-10", "--by",
              "month", "--locale", "nl")
    assert "2026 per maand" in nl.stdout and "Realisatie cumulatief" in nl.stdout
    assert bdur("realisation", "-m", str(MAPPING), "--by", "month").exit_code == 2


def _sheet_numbers(path: Path) -> list[str]:
    """Every number as the workbook's XML holds it (what Excel reads, before any float)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return re.findall(r'<c r="[A-Z]+[0-9]+"[^>]*t="n"[^>]*><v>([^<]*)</v>', xml)


def test_realisation_by_month_as_a_workbook(tmp_path: Path) -> None:
    """`--by month -o FILE.xlsx`: the CSV's columns and figures, cell by cell. The CSV is the
    independent route (its own encoder, `to_csv`); November 2023 is worked by hand from the
    export: 19,876.54 (scenario exercise, BDUR-NC-I) + 6 salaries of 8,500 (VIK, NC, BZ, NW,
    DE, JUR) + 12,500 (BI hire) + 2 salaries of 12,750 (VB, CC) + 18,750 (VIK hire) =
    127,626.54; its budget to date 1,685,000 x 11/12 = 1,544,583.33, rounded once."""
    from openpyxl import load_workbook

    from tests.test_realisation import MAPPING

    out = tmp_path / "maanden.xlsx"
    written = bdur("realisation", "2023", "-m", str(MAPPING), "--by", "month", "-o", str(out))
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert f"wrote {out}" in written.stderr and "519 postings read" in written.stderr
    csv = bdur("realisation", "2023", "-m", str(MAPPING), "--by", "month", "--format",
               "csv").stdout.splitlines()
    wb = load_workbook(out)
    assert wb.sheetnames == ["2023 by month"]
    ws = wb.active
    assert ws["A1"].value == "2023 by month"
    # The CSV's columns, in its order, under the table's headings.
    assert [c.value for c in ws[2]] == ["Year", "Month", "Budget", "Budget to date",
                                        "Realised", "Realised to date", "Deviation to date"]
    assert csv[0] == "year,month,budget,cumulative_budget,realised,cumulative_realised," \
        "deviation"
    rows = list(ws.iter_rows(min_row=3, max_row=14, values_only=True))
    # openpyxl reads a number back as int or float; str() of it is the number written.
    assert [[Decimal(str(v)) for v in row] for row in rows] == \
        [[Decimal(c) for c in line.split(",")] for line in csv[1:13]]
    assert ws.max_row == 14  # a closed year: no note under the twelve months
    november = rows[10]
    assert november[:2] == (2023, 11)
    assert Decimal(str(november[3])) == Decimal(1544583)
    assert Decimal(str(november[4])) == Decimal("127626.54")
    # Written exactly: whole euros as integers, cents as two decimals, never a float's tail.
    numbers = _sheet_numbers(out)
    assert len(numbers) == 12 * 7 and "127626.54" in numbers and "-437706.46" in numbers
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]{1,2})?", n) for n in numbers), numbers
    for row in ws.iter_rows(min_row=3, max_row=14):
        assert [c.number_format for c in row[:2]] == ["General", "General"]
        # The board's euro format (whole euros, never "€ -0"), as report -m's workbook has.
        assert {c.number_format for c in row[2:]} == {
            '[<=-0.5]-"€"#,##0;[>=0.5]"€"#,##0;"€"0'}
        assert not [c for c in row if c.data_type == "f"]
    assert ws.freeze_panes == "C3" and ws.print_title_rows == "$1:$2"
    assert ws.oddHeader.center.text == \
        "Besteding extra BDuR-gelden crisisbeheersing 2023-2026 - 2023 by month"


def test_a_running_year_by_month_as_a_workbook(tmp_path: Path) -> None:
    """2026 runs through October (the shipped mapping closes 2025): November and December have
    empty realised cells, never 0, and the note says why; Dutch headings with --locale nl."""
    from openpyxl import load_workbook

    from tests.test_realisation import MAPPING

    out = tmp_path / "maanden.xlsx"
    result = bdur("realisation", "2026", "-m", str(MAPPING), "--by", "month", "--format",
                  "xlsx", "-o", str(out), "--locale", "nl")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["2026 per maand"]
    ws = wb.active
    assert [c.value for c in ws[2]] == ["Jaar", "Maand", "Begroting", "Begroting cumulatief",
                                        "Realisatie", "Realisatie cumulatief",
                                        "Afwijking cumulatief"]
    rows = list(ws.iter_rows(min_row=3, max_row=14, values_only=True))
    # 1,605,000 a year, 133,750 a month; through October 1,311,250 realised (the table's).
    assert rows[9] == (2026, 10, 133750, 1337500, 110500, 1311250, -26250)
    assert rows[10] == (2026, 11, 133750, 1471250, None, None, None)
    assert rows[11] == (2026, 12, 133750, 1605000, None, None, None)
    assert ws.cell(row=3, column=3).number_format == '[<=-0.5]"€" -#,##0;[>=0.5]"€" #,##0;"€" 0'
    notes = [r[0] for r in ws.iter_rows(min_row=15, values_only=True) if r[0]]
    assert notes == ["Tot en met 2026-10: de latere maanden hebben nog geen realisatie."]


def test_a_workbook_by_month_needs_a_file_and_the_month_view(tmp_path: Path) -> None:
    from tests.test_realisation import MAPPING

    base = ("realisation", "2026", "-m", str(MAPPING))
    # As every xlsx of bdur: a file, never the terminal; `-o -` is stdout on purpose.
    bare = bdur(*base, "--by", "month", "--format", "xlsx")
    assert (bare.exit_code, bare.stderr) == (
        2, "error: --format xlsx writes a file; add --output FILE.xlsx [usage]\n")
    piped = bdur(*base, "--by", "month", "--format", "xlsx", "-o", "-")
    assert piped.exit_code == 0 and piped.stdout_bytes[:2] == b"PK"
    # The other views of bdur realisation have no workbook: report -m is theirs.
    for extra in ((), ("--unmapped", "--by", "month")):
        out = tmp_path / "r.xlsx"
        refused = bdur(*base, *extra, "-o", str(out))
        assert refused.exit_code == 2 and "bdur report -m MAPPING -o FILE.xlsx" in \
            refused.stderr
        assert not out.exists()
    mismatch = bdur(*base, "--by", "month", "--format", "csv", "-o", str(tmp_path / "r.xlsx"))
    assert mismatch.exit_code == 2 and "does not match --format csv" in mismatch.stderr
    # Never over an input: the export read as a workbook stays as it was.
    export = tmp_path / "grootboek.xlsx"
    export.write_bytes((MAPPING.parent / "grootboek.xlsx").read_bytes())
    before = export.read_bytes()
    over = bdur(*base, "--actuals", str(export), "--by", "month", "-o", str(export))
    assert over.exit_code == 2 and "is one of the files this run reads" in over.stderr
    assert export.read_bytes() == before


def test_the_api_decides_status_and_months_as_the_command_does() -> None:
    from bdur_cli import api
    from tests.test_realisation import MAPPING

    a = api.realisation(MAPPING, year=2025, through="2025-12", by_month=True)
    assert [y.status for y in a.realisation.years] == ["closed", "closed", "closed", "future"]
    assert a.months is not None and a.months[-1].cumulative_budget == Decimal(1605000)
    assert a.months[-1].cumulative_realised == next(
        y for y in a.realisation.years if y.year == 2025).total.figures.realised


def test_a_year_without_realisation_reads_no_realisation_yet(example: Callable[..., Path]
                                                            ) -> None:
    """The export without its 2026 postings and no --through (nor closed_through, so the
    export is taken as complete): 2026 has no realisation yet, in the table (English and
    Dutch), CSV and the board's workbook: never -100% or € -0."""
    mapping = example(*EXPORT_COMPLETE)
    export = mapping.parent / "grootboek.csv"
    lines = export.read_text(encoding="cp1252").splitlines(keepends=True)
    export.write_text("".join(ln for ln in lines if "-2026;" not in ln.split(";")[0] + ";"),
                      encoding="cp1252", newline="")
    table = bdur("realisation", "-m", str(mapping))
    assert table.exit_code == 0, table.output
    row = next(ln for ln in table.stdout.splitlines() if ln.startswith(" 2026 "))
    assert "no realisation yet" in row and "%" not in row and "explanation needed" not in row
    assert row.split() == ["2026", "€1,605,000", "€1,605,000", "€0", "no", "realisation",
                           "yet"]
    nl = bdur("realisation", "-m", str(mapping), "--locale", "nl")
    assert "nog geen realisatie" in nl.stdout
    csv = bdur("realisation", "-m", str(mapping), "--format", "csv").stdout.splitlines()
    header = csv[0].split(",")
    total = next(ln.split(",") for ln in csv if ln.startswith("2026,future,total"))
    assert total[header.index("deviation")] == "" and total[header.index("percent")] == ""
    assert total[header.index("needs_explanation")] == "no"

    from openpyxl import load_workbook

    out = mapping.parent / "pack.xlsx"
    packed = bdur("pack", "-m", str(mapping), "-o", str(out))
    assert packed.exit_code == 0, packed.output
    ws = load_workbook(out)["Realised"]
    heads = [c.value for c in ws[2]]
    row2026 = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 2026)
    assert row2026[heads.index("Deviation €")] is None
    assert row2026[heads.index("Note")] == "no realisation yet"


def test_a_line_row_as_json(plan) -> None:  # type: ignore[no-untyped-def]
    # sept through October 2026: budget 40,000 (4 months at 10,000), nothing booked,
    # November and December forecast (20,000): 20,000 under budget, -50.0%, above the
    # default threshold (10% of 40,000 = 4,000), so an explanation is needed.
    result = _run(plan, Through(2026, 10))
    y = next(y for y in result.years if y.year == 2026)
    assert y.goals is not None
    theme = y.goals[0].children[0]
    assert theme.children[0].as_dict(True) == {
        "level": "line", "id": "sept", "name": "sept", "kind": "staff", "type": "structural",
        "budget": Decimal(40000), "realised": Decimal(0), "forecast": Decimal("20000.00"),
        "expected": Decimal("20000.00"), "deviation": Decimal("-20000.00"),
        "percent": Decimal("-50.0"), "needs_explanation": True, "explanation": None,
        "explained_elsewhere": False}
    as_json = theme.as_dict(False)
    assert [line["id"] for line in as_json["lines"]] == ["sept", "march", "gaps"]  # type: ignore[index]
    assert "forecast" not in as_json and as_json["level"] == "theme"


@pytest.mark.parametrize(("month", "code", "message"), [
    ("2026-01", 0, None),  # January is a reporting month: 2026 runs through it
    ("2026-00", 2, "--through: expected a month as YYYY-MM, such as 2026-10, got '2026-00'"),
    ("2026-13", 2, "--through: expected a month as YYYY-MM, such as 2026-10, got '2026-13'"),
    ("2027-01", 2, "--through: 2027 is outside the plan's horizon 2023-2026"),
])
def test_the_reporting_month_and_its_bounds(month: str, code: int, message: str | None) -> None:
    from tests.test_realisation import MAPPING

    out = bdur("realisation", "-m", str(MAPPING), "--through", month, "--format", "json")
    assert out.exit_code == code, out.output
    if message is None:
        assert json.loads(out.stdout)["through"] == month
    else:
        assert f"error: {message} [usage]" in out.stderr


def test_forecast_in_the_horizons_last_year(write: Callable[..., Path]) -> None:
    # The horizon ends in 2027; its lines' months there follow the same rule. At 10,000 a
    # month: 'sept' runs all of 2027 (open-ended), 'late' from September 2027 (open-ended, 4
    # months, 40,000), 'early' January to March 2027 (3 months, 30,000).
    text = PLAN.replace(
        "      - id: gaps\n",
        "      - {id: late, type: structural, start: 2027-09, fte: 1, rate: internal}\n"
        "      - {id: early, type: structural, start: 2027-01, end: 2027-03, fte: 1,"
        " rate: internal}\n"
        "      - id: gaps\n")
    plan = load_plan(write(text)).plan
    bl, _ = buckets(plan, [Target(line=i) for i in ("sept", "late", "early")])

    def forecast(month: int) -> dict[str, Decimal]:
        result = realisation(plan, bl, {}, detail=2027, through=Through(2027, month))
        return _forecast(result, 2027)

    # Through February: sept 10 of 12 months (100,000), late all 4 (40,000), early March,
    # 1 of 3 (10,000).
    assert forecast(2) == {"sept": Decimal("100000.00"), "late": Decimal("40000.00"),
                           "early": Decimal("10000.00")}
    # Through July: sept 5 of 12 (50,000); late still all 4, never 5 of 12 (16,666.67).
    assert forecast(7) == {"sept": Decimal("50000.00"), "late": Decimal("40000.00"),
                           "early": Decimal("0.00")}


def test_income_follows_the_months_of_its_line(write: Callable[..., Path]) -> None:
    # Partners pay on two lines, booked together by a theme rule (one bucket): 12,000 a year
    # on 'sept', pro-rated like the line (2026: 4 of 12 months, 4,000), and half of 'march'
    # (2026: 15,000). Through July 2026 the bucket's figures are, by hand:
    #   budget 40,000 + 30,000 + 50,000 = 120,000; forecast sept's 4 months 40,000 + gaps'
    #   October-December 30,000 = 70,000 (march has ended);
    #   income budget 4,000 + 15,000 = 19,000; income forecast sept's 4 months, 4,000
    #   (never 5 of 12 months of both lines' income, 7,916.67);
    #   booked: cost 25,000 in March, income 1,000 in February and 2,000 in July (the
    #   reporting month counts): 3,000;
    #   August's 9,999 cost and 500 income lie beyond it. The August entries come first: they
    #   are skipped, not an end of reading.
    text = PLAN.replace(
        "      - {id: sept, type: structural, start: 2026-09, fte: 1, rate: internal}\n",
        "      - {id: sept, type: structural, start: 2026-09, fte: 1, rate: internal,\n"
        "         income: {partner: P, amount: 12000, status: forecast}}\n").replace(
        "      - {id: march, type: structural, start: 2025-01, end: 2026-03, fte: 1, "
        "rate: internal}\n",
        "      - {id: march, type: structural, start: 2025-01, end: 2026-03, fte: 1, "
        "rate: internal,\n         income: {partner: Q, share: 50%, status: granted}}\n")
    assert text.count("income:") == 2
    plan = load_plan(write(text)).plan
    bl, _ = buckets(plan, [Target(theme="t", kind="staff", type="structural")])
    cost = {(0, 2026, 8): Decimal(9999), (0, 2025, 5): Decimal(100000),
            (0, 2026, 3): Decimal(25000)}
    income = {(0, 2026, 8): Decimal(500), (0, 2025, 6): Decimal(60000),
              (0, 2026, 2): Decimal(1000), (0, 2026, 7): Decimal(2000)}
    result = realisation(plan, bl, cost, detail=2026, through=Through(2026, 7), income=income)

    def bucket(year: int) -> tuple[Decimal, ...]:
        y = next(y for y in result.years if y.year == year)
        [row] = y.tree[0].children[0].children
        f = row.figures
        return (f.budget, f.realised, f.forecast, f.income_budget, f.income_realised,
                f.income_forecast)

    assert bucket(2026) == (120000, 25000, Decimal("70000.00"), 19000, 3000,
                            Decimal("4000.00"))
    # 2025 (closed): 120,000 of march, half of it income: 60,000; both booked in full.
    assert bucket(2025) == (120000, 100000, 0, 60000, 60000, 0)


def test_a_booking_in_a_year_without_budget_is_shown(plan) -> None:  # type: ignore[no-untyped-def]
    # 'march' and 'gaps' ended in 2026. 5,000 cost booked on march and 700 income on gaps in
    # February 2027 appear as rows of 2027 against a budget of 0, above any percentage of 0:
    # march net +5,000, gaps net -700.
    bl, _ = buckets(plan, [Target(line="sept"), Target(line="march"), Target(line="gaps")])
    result = realisation(plan, bl, {(1, 2027, 2): Decimal(5000)}, detail=2027,
                         income={(2, 2027, 2): Decimal(700)})
    y = next(y for y in result.years if y.year == 2027)
    assert y.goals is not None
    rows = {r.id: r for r in y.goals[0].children[0].children}
    f = rows["march"].figures
    assert (f.budget, f.realised, f.income_realised, f.net_deviation, f.percent) == \
        (0, 5000, 0, 5000, None)
    f = rows["gaps"].figures
    assert (f.budget, f.realised, f.income_realised, f.net_deviation) == (0, 0, 700, -700)
    assert rows["march"].needs_explanation and rows["gaps"].needs_explanation


def test_buckets_of_line_and_theme_rules(plan) -> None:  # type: ignore[no-untyped-def]
    # All three lines of theme t are staff, structural. A line rule for 'march' keeps march
    # in its own bucket though a theme rule takes the theme's staff, structural lines (sept
    # and gaps); a theme rule for means, incidental, of which t has no line, still gets a
    # bucket (what it books is realisation without a budget, never dropped).
    bl, per_target = buckets(plan, [Target(line="march"),
                                    Target(theme="t", kind="staff", type="structural"),
                                    Target(theme="t", kind="means", type="incidental")])
    assert [(b.id, b.name, b.lines, b.kind, b.type) for b in bl] == [
        ("t/staff/structural", "staff, structural", ("sept", "gaps"), "staff", "structural"),
        ("march", "march", ("march",), "staff", "structural"),
        ("t/means/incidental", "means, incidental", (), "means", "incidental")]
    assert per_target == [1, 0, 2]
