"""The funding status per source in every output of `bdur report` (Table 2) and `bdur chart`,
also for a plan of the BDuR alone (issue 23): the statuses are read by hand from the files.

data/allocations.yaml (the memo): the BDuR 2023 granted (letter of 12 December 2022), 2024-2026
forecast (Table 2's prognosis). examples/noorderkust.yaml: the BDuR 2024 granted, 2025-2027
forecast; the municipalities' co-financing has no entry in 2024, 2025 granted, 2026 forecast
and 2027 conditional.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, bdur

NOORDERKUST = ROOT / "examples" / "noorderkust.yaml"
MEMO_LINE = "Funding status: 2023 granted; 2024-2026 forecast"
#: Noorderkust's line: the municipalities have no money in 2024, so only the BDuR is named.
NOORDERKUST_LINE = ("Funding status: 2024 bdur granted; 2025 bdur forecast, gemeenten granted; "
                    "2026 bdur forecast, gemeenten forecast; 2027 bdur forecast, gemeenten "
                    "conditional")
SVG = "{http://www.w3.org/2000/svg}"
NARROW = {"COLUMNS": "80"}


def out(*args: str | Path, env: dict[str, str] | None = None) -> str:
    result = bdur(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the memo's plan (the BDuR alone) --------------------------------------------------------

def test_memo_table_2_says_each_years_status_under_the_figures() -> None:
    lines = out("report", env=NARROW).splitlines()
    assert lines[-1] == MEMO_LINE
    # Under the figures, not among them: the last figure row is the memo's cumulative gap,
    # and a blank line between them, as under every table.
    assert lines[-2] == ""
    assert lines[-3].split() == ["-€277,851", "-€132,851", "+€412,149", "+€1,207,149"]
    dutch = out("report", "--locale", "nl", env=NARROW).splitlines()
    assert dutch[-1] == "Status beschikbaar: 2023 toegekend; 2024-2026 prognose"
    markdown = out("report", "--format", "markdown").splitlines()
    assert markdown[-2:] == ["", MEMO_LINE]


def test_memo_csv_adds_a_status_row_after_unchanged_figures() -> None:
    rows = list(csv.reader(io.StringIO(out("report", "--format", "csv"))))
    assert rows[0] == ["goal", "kind", "theme", "2023 i", "2023 s", "2024", "2025", "2026",
                       "department", "note"]
    # The status in each year's last column, as the funding's amount two rows up.
    assert rows[-4:] == [
        ["", "", "Funding from BDuR", "", "1407149", "1650000", "2150000", "2400000", "", ""],
        ["", "", "Gap (funding - planned)", "", "-277851", "145000", "545000", "795000", "",
         ""],
        ["", "", "Gap (funding - planned), cumulative", "", "-277851", "-132851", "412149",
         "1207149", "", ""],
        ["", "", "Funding status (bdur)", "", "granted", "forecast", "forecast", "forecast",
         "", ""]]
    # 20 theme rows (10 themes, staff and means) and 5 of totals, as before.
    assert len(rows) == 1 + 20 + 5 + 1


def test_memo_json_has_each_years_status_per_source() -> None:
    per_year = json.loads(out("report", "--format", "json"))["per_year"]
    assert [(y["year"], y["funding"], y["funding_status_by_source"]) for y in per_year] == [
        (2023, 1407149, {"bdur": "granted"}), (2024, 1650000, {"bdur": "forecast"}),
        (2025, 2150000, {"bdur": "forecast"}), (2026, 2400000, {"bdur": "forecast"})]


def test_memo_chart_says_the_status_in_the_terminal_and_the_svg(tmp_path: Path) -> None:
    lines = out("chart", env=NARROW).splitlines()
    assert lines[-2:] == ["2026        │████████████████████████  +€1,207,149", MEMO_LINE]
    target = tmp_path / "chart.svg"
    out("chart", "-o", target)
    root = ET.parse(target).getroot()
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "note"] == \
        [MEMO_LINE]
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "2023 funding: €1,407,149 (granted)" in tips
    assert "2026 funding: €2,400,000 (forecast)" in tips
    assert root.get("height") == "460"  # one line fits the image as it was


def test_consecutive_years_share_a_clause_only_when_they_follow_each_other(
        mutate: Callable[[str, str], Path]) -> None:
    # 2025 granted between two forecasts: 2024 and 2026 are both forecast but not together.
    gap = mutate("amount: 2150000\n    status: forecast", "amount: 2150000\n    status: granted")
    assert out("report", "-f", gap, env=NARROW).splitlines()[-1] == \
        "Funding status: 2023 granted; 2024 forecast; 2025 granted; 2026 forecast"
    # 2023 and 2024 granted: one clause each way.
    two = mutate("amount: 1650000\n    status: forecast", "amount: 1650000\n    status: granted")
    assert out("chart", "-f", two, env=NARROW).splitlines()[-1] == \
        "Funding status: 2023-2024 granted; 2025-2026 forecast"


# --- Noorderkust (sources, a conditional grant) ----------------------------------------------

def test_noorderkust_table_2_breaks_its_status_between_years_at_80_columns() -> None:
    lines = out("report", "-f", NOORDERKUST, env=NARROW).splitlines()
    # A blank line between the figures (names above their amounts at 80 columns) and the
    # status, as under the wide table (rich's bottom edge).
    assert lines[-5:] == ["          €200,000            €200,000   €128,000    €56,000",
                          "",
                          "Funding status: 2024 bdur granted; 2025 bdur forecast, gemeenten "
                          "granted;",
                          "2026 bdur forecast, gemeenten forecast;",
                          "2027 bdur forecast, gemeenten conditional"]
    assert max(len(line) for line in lines) <= 80
    wide = out("report", "-f", NOORDERKUST, env={"COLUMNS": "200"}).splitlines()
    assert wide[-2:] == ["", NOORDERKUST_LINE]


def test_noorderkust_csv_has_a_status_row_per_source() -> None:
    rows = list(csv.reader(io.StringIO(out("report", "-f", NOORDERKUST, "--format", "csv"))))
    assert rows[0][3:9] == ["2024 i", "2024 s", "2025 i", "2025 s", "2026", "2027"]
    assert rows[-3] == ["", "", "Reserve balance", "", "200000", "", "200000", "128000",
                        "56000", "", ""]
    assert rows[-2:] == [
        ["", "", "Funding status (bdur)", "", "granted", "", "forecast", "forecast",
         "forecast", "", ""],
        # No entry in 2024: an empty cell, as in `bdur totals --format csv`.
        ["", "", "Funding status (gemeenten)", "", "", "", "granted", "forecast",
         "conditional", "", ""]]


def test_noorderkust_json_has_the_conditional_grant() -> None:
    per_year = json.loads(out("report", "-f", NOORDERKUST, "--format", "json"))["per_year"]
    assert [y["funding_status_by_source"] for y in per_year] == [
        {"bdur": "granted", "gemeenten": None},
        {"bdur": "forecast", "gemeenten": "granted"},
        {"bdur": "forecast", "gemeenten": "forecast"},
        {"bdur": "forecast", "gemeenten": "conditional"}]


def test_noorderkust_chart_names_the_conditional_grant(tmp_path: Path) -> None:
    lines = out("chart", "-f", NOORDERKUST, env=NARROW).splitlines()
    assert lines[-3:] == ["Funding status: 2024 bdur granted; 2025 bdur forecast, gemeenten "
                          "granted;",
                          "2026 bdur forecast, gemeenten forecast;",
                          "2027 bdur forecast, gemeenten conditional"]
    assert max(len(line) for line in lines) <= 80
    target = tmp_path / "noorderkust.svg"
    out("chart", "-f", NOORDERKUST, "-o", target)
    root = ET.parse(target).getroot()
    notes = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "note"]
    # The status in two lines, then the two of the reserve's note (tests/test_chart.py).
    assert " ".join(notes[:2]) == NOORDERKUST_LINE and len(notes) == 4
    assert notes[2].startswith("Striped: the reserve")
    assert root.get("height") == "508"  # three lines more than one: 48 px more
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "2027 funding: €464,902 (bdur forecast, gemeenten conditional)" in tips


# --- one status in every format (review of Zuidrand, items 1 and 2) ---------------------------

TWO_CUTS = "examples/two-cuts/plan.yaml"
#: The province's grant of 2026 confirmed: 2026 is the BDuR's forecast beside granted money.
CONFIRMED = ("2026: {amount: 20000, status: conditional}", "2026: {amount: 20000, status: granted}")


def status_column(csv_text: str) -> list[str]:
    rows = [line.split(",") for line in csv_text.splitlines()]
    at = rows[0].index("funding_status")
    return [row[at] for row in rows[1:]]


def test_totals_csv_and_json_give_the_status_the_table_shows() -> None:
    # By hand (the plan): 2025 the BDuR and the province granted; 2026 the BDuR a forecast,
    # the province's grant conditional.
    table = bdur("totals", "-f", TWO_CUTS, env={"COLUMNS": "80"}).stdout
    assert re.search(r"^\s+granted\s+forecast\+conditional$", table, re.M), table
    assert status_column(out("totals", "-f", TWO_CUTS, "--format", "csv")) == [
        "granted", "forecast+conditional"]
    data = json.loads(out("totals", "-f", TWO_CUTS, "--format", "json"))
    assert [y["funding_status"] for y in data] == ["granted", "forecast+conditional"]
    # Each source keeps its own status beside it.
    assert data[1]["funding_sources"] == {"bdur": {"amount": 340000, "status": "forecast"},
                                          "provincie": {"amount": 20000,
                                                        "status": "conditional"}}
    one = json.loads(out("totals", "2026", "-f", TWO_CUTS, "--format", "json"))
    assert one["funding_status"] == "forecast+conditional"


def test_granted_money_keeps_the_status_the_table_shows(
        shipped: Callable[..., Path]) -> None:
    plan = shipped(TWO_CUTS, *CONFIRMED)
    every = status_column(out("totals", "-f", plan, "--format", "csv"))
    assert every == ["granted", "granted+forecast"]
    # On granted money 2026 holds the province's 20,000 alone: granted, in the table as in
    # the csv (which said 'forecast', the BDuR's status, of money counted as 0).
    table = bdur("totals", "-f", plan, "--funding", "granted", env={"COLUMNS": "80"}).stdout
    funding = table.splitlines()[table.splitlines().index(
        next(x for x in table.splitlines() if x.startswith(" Funding"))) + 1]
    assert funding.split() == ["granted", "granted"]
    assert status_column(out("totals", "-f", plan, "--funding", "granted",
                             "--format", "csv")) == ["granted", "granted"]


def test_a_year_without_granted_money_is_none_granted() -> None:
    # On granted money 2026 has nothing: the BDuR's 400,000 is a forecast and the province's
    # 20,000 conditional. Its status said 'forecast' (and not the conditional grant).
    args = ("totals", "-f", TWO_CUTS, "--funding", "granted")
    table = bdur(*args, env={"COLUMNS": "80"}).stdout.splitlines()
    at = next(i for i, x in enumerate(table) if x.startswith(" Funding"))
    assert table[at].split() == ["Funding", "€320,000", "€0"]
    assert table[at + 1].split() == ["granted", "none", "granted"]
    assert status_column(out(*args, "--format", "csv")) == ["granted", "none granted"]
    assert [y["funding_status"] for y in json.loads(out(*args, "--format", "json"))] == [
        "granted", "none granted"]
    dutch = bdur(*args, "--locale", "nl", env={"COLUMNS": "80"}).stdout
    assert "niets toegekend" in dutch and "prognose" not in dutch
    # Table 2 and compare say it the same way; without --funding nothing changes.
    report = out("report", "-f", TWO_CUTS, "--funding", "granted", env={"COLUMNS": "200"})
    assert report.splitlines()[-1] == (
        "Funding status: 2025 bdur granted, provincie granted; 2026 none granted")
    compare = out("compare", TWO_CUTS, TWO_CUTS, "--funding", "granted",
                  env={"COLUMNS": "200"})
    assert "Status: g granted, n none granted" in compare.splitlines()
    assert "none granted" not in out("totals", "-f", TWO_CUTS)


def test_table_2s_json_gives_the_same_status_as_totals() -> None:
    # examples/two-cuts: 2026's BDuR is forecast and the province's grant conditional; Table
    # 2's json said 'forecast' (the BDuR's alone) where totals says the mix.
    plan = str(ROOT / "examples" / "two-cuts" / "plan.yaml")
    report = json.loads(bdur("report", "-f", plan, "--format", "json").stdout)
    totals = json.loads(bdur("totals", "-f", plan, "--format", "json").stdout)
    assert [(y["year"], y["funding_status"]) for y in report["per_year"]] == [
        (2025, "granted"), (2026, "forecast+conditional")]
    assert [y["funding_status"] for y in report["per_year"]] == [
        y["funding_status"] for y in totals]
