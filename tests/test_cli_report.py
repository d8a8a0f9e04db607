"""`bdur report` through the command line: every format, the Dutch presentation, xlsx, files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.render import output
from conftest import PLAN, bdur, installed

NOORDERKUST = PLAN.parent.parent / "examples" / "noorderkust.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = bdur(*args, "-f", str(PLAN), env=env)
    return result.exit_code, result.stdout, result.stderr


def run_on(path: Path, *args: str) -> tuple[int, str, str]:
    """Like `run`, on another plan file."""
    result = bdur(*args, "-f", str(path))
    return result.exit_code, result.stdout, result.stderr


# --- the table ------------------------------------------------------------------------------

THEMES = ["Langdurige/ongekende/nieuwe crises (incl. versterken rollen L&C en IM)",
          "Vakbekwaamheid", "Risico- en crisiscommunicatie", "Netwerkmanagement", "Juridisch",
          "Versterking bevolkingszorg",
          "Inrichten/ontwikkelen VIK + dynamisch risicomonitoring", "BI-specialist",
          "Data-engineer", "Data/informatiespecialist"]

# Every row of the memo's Table 2 as printed: the cells after the theme's name.
K = "€100,000"
TABLE2_ROWS = [
    # toek. CB / fte
    [K, K, K, K, "CB"], ["€150,000"] * 4 + ["CB"], ["€150,000"] * 4 + ["CB"], [K, K, K, K, "CB"],
    [K, K, K, K, "S&B"], [K, K, "€200,000", "€200,000", "BGC"],
    # versterken IM / fte: VIK 225,000 i + 100,000 s in 2023, 200,000 from 2024
    ["€225,000", K, "€200,000", "€200,000", "€200,000", "CB/RD", "external"],
    ["€150,000", K, K, K, "IM", "external"], [K, K, K, K, "IM"], [K, K, K, "RCB"],
    # toek. CB / means
    ["€20,000", "€10,000", "€15,000", "€15,000", "€15,000", "CB"],
    [K, K, K, K, "CB"], ["€10,000", "€20,000", "€20,000", "€20,000", "€20,000", "CB"],
    ["€50,000"] * 4 + ["CB"], [], [],
    # versterken IM / means
    ["€80,000", "€120,000", "€120,000", "€120,000", "€120,000", "CB"], [], [], [],
]


def test_table_prints_every_row_and_total_of_table2() -> None:
    code, out, err = run("report", "--empty-rows")  # the memo's layout: every theme twice
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.rstrip().splitlines()]
    assert lines[0] == "Table 2. Planned cost per year against the extra BDuR money"
    assert lines[2].split() == ["Main", "goal", "/", "kind", "Theme", "2023", "i", "2023", "s",
                                "2024", "2025", "2026", "Department", "Note"]
    body = [x for x in lines[4:] if x and any(t in x for t in THEMES)]
    printed = []
    for line in body:
        theme = next(t for t in THEMES if t in line)
        printed.append((theme, line.split(theme, 1)[1].split()))
    assert [t for t, _ in printed] == THEMES * 2
    assert [cells for _, cells in printed] == TABLE2_ROWS
    # Under the figures, the funding's status (data/allocations.yaml: 2023 granted by the
    # letter of 12 December 2022, 2024-2026 the memo's prognosis).
    assert lines[-2:] == ["", "Funding status: 2023 granted; 2024-2026 forecast"]
    lines = lines[:-2]
    assert lines[-5].split() == ["Total", "of", "the", "rows", "€485,000", "€1,200,000",
                                 "€1,505,000", "€1,605,000", "€1,605,000"]
    # The year's total stands in its last column, under 2023 s, as in the memo.
    total = lines[-4]
    assert total.split() == ["Total", "per", "year", "(incidental", "and", "structural)",
                             "€1,685,000", "€1,505,000", "€1,605,000", "€1,605,000"]
    assert total.index("€1,685,000") + len("€1,685,000") == lines[2].index("2023 s") + 6
    assert lines[-3].split() == ["Funding", "from", "BDuR", "€1,407,149", "€1,650,000",
                                 "€2,150,000", "€2,400,000"]
    assert lines[-2].split()[-4:] == ["-€277,851", "+€145,000", "+€545,000", "+€795,000"]
    assert lines[-1].split()[-4:] == ["-€277,851", "-€132,851", "+€412,149", "+€1,207,149"]
    assert "\x1b[" not in out


def test_table_first_column_is_goal_then_kind() -> None:
    _, out, _ = run("report", "--empty-rows")
    firsts = [line[:16].strip() for line in out.splitlines()[4:-2]]  # the status under
    assert [f for f in firsts if f] == ["toek. CB", "staff (fte)", "versterken IM",
                                        "staff (fte)", "toek. CB", "means", "versterken IM",
                                        "means"]


def test_table2_leaves_out_empty_rows_and_sections_by_default() -> None:
    # The memo's plan: Juridisch and Versterking bevolkingszorg have no means, nor do
    # BI-specialist, Data-engineer and Data/informatiespecialist; the totals are the same.
    _, out, _ = run("report")
    themes = [t for line in out.splitlines() for t in THEMES if t in line]
    assert themes == THEMES + [THEMES[i] for i in (0, 1, 2, 3, 6)]
    assert out.splitlines()[-7].split()[-5:] == ["€485,000", "€1,200,000", "€1,505,000",
                                                "€1,605,000", "€1,605,000"]
    # The versterken IM means section has one row left: goal and kind on it together.
    assert "versterken IM means" in out
    # Noorderkust: 'Informatiegestuurd werken means' has no row at all, so no section.
    _, out, _ = run_on(NOORDERKUST, "report", "--format", "markdown")
    assert "Informatiegestuurd werken means" not in out and "| Informatiegestuurd werken" \
        " staff (fte) | Informatievoorziening |" in out
    _, out, _ = run_on(NOORDERKUST, "report", "--format", "markdown", "--empty-rows")
    assert "Informatiegestuurd werken means" in out


# --- markdown, in Dutch (literally) ---------------------------------------------------------

NL_MARKDOWN = "".join([
    "| Hoofdthema | Subthema | 2024 | 2025 | 2026 | Afdeling/sector | Opmerking |\n",
    "|---|---|---:|---:|---:|---|---|\n",
    "| toek. CB | Langdurige/ongekende/nieuwe crises (incl. versterken rollen L&C en IM)"
    " | € 115.000 | € 115.000 | € 115.000 | CB |  |\n",
    "|  | Vakbekwaamheid | € 250.000 | € 250.000 | € 250.000 | CB |  |\n",
    "|  | Risico- en crisiscommunicatie | € 170.000 | € 170.000 | € 170.000 | CB |  |\n",
    "|  | Netwerkmanagement | € 150.000 | € 150.000 | € 150.000 | CB |  |\n",
    "|  | Juridisch | € 100.000 | € 100.000 | € 100.000 | S&B |  |\n",
    "|  | Versterking bevolkingszorg | € 100.000 | € 200.000 | € 200.000 | BGC |  |\n",
    "| versterken IM | Inrichten/ontwikkelen VIK + dynamisch risicomonitoring"
    " | € 320.000 | € 320.000 | € 320.000 | CB/RD, CB |  |\n",
    "|  | BI-specialist | € 100.000 | € 100.000 | € 100.000 | IM |  |\n",
    "|  | Data-engineer | € 100.000 | € 100.000 | € 100.000 | IM |  |\n",
    "|  | Data/informatiespecialist | € 100.000 | € 100.000 | € 100.000 | RCB |  |\n",
    "|  | Totaal per jaar (inc. en struct.) | € 1.505.000 | € 1.605.000"
    " | € 1.605.000 |  |  |\n",
    "|  | Beschikbaar uit BDuR | € 1.650.000 | € 2.150.000 | € 2.400.000 |  |  |\n",
    "|  | Ruimte / tekort | € +145.000 | € +545.000 | € +795.000 |  |  |\n",
    "|  | Cumulatief ruimte / tekort | € -132.851 | € +412.149 | € +1.207.149 |  |  |\n",
    "\n",
    "Status beschikbaar: 2024-2026 prognose\n",  # the memo's prognosis
])


def test_markdown_nl_by_theme_literally() -> None:
    code, out, err = run("report", "--format", "markdown", "--locale", "nl", "--by", "theme",
                         "--years", "2024..2026")
    assert (code, err) == (0, "")
    assert out == NL_MARKDOWN


def test_markdown_nl_memo_layout_rows() -> None:
    _, out, _ = run("report", "--format", "markdown", "--locale", "nl")
    lines = out.splitlines()
    assert lines[0] == ("| Hoofdthema / soort | Subthema | 2023 i | 2023 s | 2024 | 2025 | 2026 | "
                        "Afdeling/sector | Opmerking |")
    assert lines[3] == ("| fte | Vakbekwaamheid |  | € 150.000 | € 150.000 | € 150.000 | "
                        "€ 150.000 | CB |  |")
    assert lines[8] == ("| versterken IM | Inrichten/ontwikkelen VIK + dynamisch "
                        "risicomonitoring | € 225.000 | € 100.000 | € 200.000 | € 200.000 | "
                        "€ 200.000 | CB/RD | extern inhuur |")
    assert lines[-2:] == ["", "Status beschikbaar: 2023 toegekend; 2024-2026 prognose"]
    assert lines[-7:-2] == [
        "|  | Totaal van de regels | € 485.000 | € 1.200.000 | € 1.505.000 | € 1.605.000 | "
        "€ 1.605.000 |  |  |",
        "|  | Totaal per jaar (inc. en struct.) |  | € 1.685.000 | € 1.505.000 | € 1.605.000 | "
        "€ 1.605.000 |  |  |",
        "|  | Beschikbaar uit BDuR |  | € 1.407.149 | € 1.650.000 | € 2.150.000 | "
        "€ 2.400.000 |  |  |",
        "|  | Ruimte / tekort |  | € -277.851 | € +145.000 | € +545.000 | € +795.000 |  |  |",
        "|  | Cumulatief ruimte / tekort |  | € -277.851 | € -132.851 | € +412.149 | "
        "€ +1.207.149 |  |  |"]


def test_locale_from_the_environment() -> None:
    code, out, _ = run("report", "--format", "markdown", env={"BDUR_LOCALE": "nl"})
    assert code == 0 and "| Beschikbaar uit BDuR |  | € 1.407.149 |" in out


def test_unit_thousand_nl_with_note() -> None:
    code, out, _ = run("report", "--format", "markdown", "--locale", "nl", "--unit",
                       "thousand")
    assert code == 0
    assert "| Totaal per jaar (inc. en struct.) |  | € 1.685 | € 1.505 | € 1.605 | € 1.605 |" \
        in out
    assert "| Ruimte / tekort |  | € -278 | € +145 | € +545 | € +795 |  |  |" in out
    # The memo's figures add up in thousands too (1.407 - 1.685 = -278, -278 + 145 = -133 ...):
    # the unit is noted, no rounding differences; the funding's status under it.
    assert out.endswith("\nbedragen x € 1.000\n\n"
                        "Status beschikbaar: 2023 toegekend; 2024-2026 prognose\n")


def test_unit_thousand_english_table() -> None:
    _, out, _ = run("report", "--unit", "thousand", "--years", "2024..2026")
    assert [x.split()[-3:] for x in out.splitlines() if "Total per year" in x] == [
        ["€1,505", "€1,605", "€1,605"]]
    assert out.rstrip().endswith("\n\namounts x €1,000\nFunding status: 2024-2026 forecast")


def test_totals_in_dutch_literally() -> None:
    code, out, _ = run("totals", "2023", "--locale", "nl")
    assert code == 0
    out = out.replace("\u00a0", " ")  # a money cell's space does not break (tests/test_fit.py)
    lines = [line.rstrip() for line in out.rstrip().splitlines()]
    assert lines[3:12] == [
        " Beschikbaar (toegekend)      € 1.407.149",
        " Gepland                      € 1.685.000",
        "   incidenteel                  € 485.000",
        "   structureel                € 1.200.000",
        "   personeel                  € 1.275.000",
        "   middelen                     € 410.000",
        " fte                                 11,5",
        " Ruimte / tekort               € -277.851",
        " Cumulatief ruimte / tekort    € -277.851"]
    assert lines[-1].split() == ["Totaal", "€", "1.685.000", "€", "485.000", "€", "1.200.000",
                                 "€", "1.275.000", "€", "410.000", "11,5"]


def test_totals_english_unchanged_by_default() -> None:
    _, out, _ = run("totals")
    assert " 2023   €1,407,149   granted    €1,685,000     €485,000   €1,200,000" in out


def test_locale_nl_without_babel_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "babel", None)
    monkeypatch.setitem(sys.modules, "babel.numbers", None)
    code, out, err = run("report", "--locale", "nl")
    assert (code, out) == (2, "")
    assert err == ("error: --locale nl needs Babel for the Dutch number format, and it is not "
                   "installed [usage] (hint: pip install babel (or reinstall bdur with its nl "
                   "extra: pip install -e '.[nl]' in bdur's folder))\n")


# --- csv, json ------------------------------------------------------------------------------

def test_csv_wide_layout() -> None:
    code, out, _ = run("report", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["goal", "kind", "theme", "2023 i", "2023 s", "2024", "2025", "2026",
                       "department", "note"]
    assert rows[7] == ["versterken IM", "staff",
                       "Inrichten/ontwikkelen VIK + dynamisch risicomonitoring",
                       "225000", "100000", "200000", "200000", "200000", "CB/RD", "external"]
    assert rows[-5] == ["", "", "Total per year (incidental and structural)", "", "1685000",
                        "1505000", "1605000", "1605000", "", ""]
    assert rows[-2] == ["", "", "Gap (funding - planned), cumulative", "", "-277851",
                        "-132851", "412149", "1207149", "", ""]
    # The status after the figures, in each year's last column as the funding's amount.
    assert rows[-1] == ["", "", "Funding status (bdur)", "", "granted", "forecast",
                        "forecast", "forecast", "", ""]


def test_csv_ignores_the_unit_and_a_locale_from_the_environment() -> None:
    _, english, _ = run("report", "--format", "csv")
    _, dutch, _ = run("report", "--format", "csv", "--unit", "thousand",
                      env={"BDUR_LOCALE": "nl"})
    assert dutch == english
    # --locale nl typed with csv asks for Excel's CSV (tests/test_output.py).
    _, excel, _ = run("report", "--format", "csv", "--locale", "nl")
    assert excel.startswith("\ufeffgoal;kind;theme;")


def test_csv_tidy() -> None:
    code, out, _ = run("report", "--format", "csv", "--tidy", "--years", "2024")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["year", "goal", "theme", "line_id", "kind", "type", "department",
                             "amount", "fte"]
    assert {r["year"] for r in rows} == {"2024"}
    assert sum(Decimal(r["amount"]) for r in rows) == 1_505_000
    assert sum(Decimal(r["fte"]) for r in rows) == 12
    vik = next(r for r in rows if r["line_id"] == "vik-fte-2024")
    assert vik == {"year": "2024", "goal": "informatiepositie", "theme": "vik",
                   "line_id": "vik-fte-2024", "kind": "staff", "type": "structural",
                   "department": "CB/RD", "amount": "100000", "fte": "1"}


def test_json() -> None:
    code, out, _ = run("report", "--format", "json")
    assert code == 0
    data = json.loads(out, parse_float=Decimal)
    assert [c["key"] for c in data["columns"]] == ["2023 i", "2023 s", "2024", "2025", "2026"]
    vik = data["sections"][1]["rows"][0]
    assert (vik["id"], vik["cells"], vik["rates"]) == (
        "vik", {"2023 i": 225000, "2023 s": 100000, "2024": 200000, "2025": 200000,
                "2026": 200000}, ["external"])
    assert data["column_totals"] == {"2023 i": 485000, "2023 s": 1200000, "2024": 1505000,
                                     "2025": 1605000, "2026": 1605000}
    assert [(y["planned"], y["gap"]) for y in data["per_year"]] == [
        (1685000, -277851), (1505000, 145000), (1605000, 545000), (1605000, 795000)]


def test_fte_json_and_incidental_csv() -> None:
    _, out, _ = run("report", "--fte", "--format", "json")
    assert json.loads(out, parse_float=Decimal)["total"] == {
        "2023 i": Decimal("2.5"), "2023 s": 9, "2024": 12, "2025": 13, "2026": 13}
    _, out, _ = run("report", "--incidental", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["line_id"], r["amount"]) for r in rows] == [
        ("nieuwe-crises-middelen-inc", "20000"), ("crisiscommunicatie-middelen-inc", "10000"),
        ("vik-extern-2023", "225000"), ("vik-middelen-inc", "80000"),
        ("bi-extern-2023", "150000")]


def test_fte_table() -> None:
    code, out, _ = run("report", "--fte")
    assert code == 0
    lines = out.rstrip().splitlines()
    assert lines[0] == ("Table 1. Capacity in fte per theme and year (incidental and "
                        "structural in force)")
    assert next(x for x in lines if "dynamisch" in x).split()[-6:] == [
        "1.5", "1", "2", "2", "2", "CB/RD"]
    assert lines[-1].split() == ["Total", "2.5", "9", "12", "13", "13"]


def test_incidental_table() -> None:
    code, out, _ = run("report", "--incidental", "--locale", "nl")
    assert code == 0
    out = out.replace("\u00a0", " ")
    assert out.splitlines()[0] == "Incidentele lasten per jaar"
    assert any(x.split()[:4] == ["2023", "BI-specialist", "bi-extern-2023", "personeel"]
               and "€ 150.000" in x for x in out.splitlines())
    assert any(x.split() == ["2023", "Totaal", "incidenteel", "€", "485.000"]
               for x in out.splitlines())
    assert any(x.split() == ["2024", "geen", "incidentele", "lasten", "€", "0"]
               for x in out.splitlines())


# --- usage ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--format", "xlsx"], "--format xlsx writes a file; add --output FILE.xlsx"),
    (["--fte", "--incidental"], "--fte and --incidental are two views; choose one"),
    (["--tidy"], "--tidy is a csv layout; use it with --format csv"),
    (["--format", "csv", "--tidy", "--fte"],
     "--tidy lists every line and year; it takes no --fte, --incidental or --by"),
    (["--fte", "--by", "theme"], "--by groups Table 2; the --fte and --incidental views take "
                                 "no --by"),
    (["--years", "2022..2024"], f"--years: 2022..2024 is outside the horizon 2023-2026 of "
                                    f"{PLAN}"),
    (["--years", "2025..2024"], "--years: 2025..2024 ends before it starts"),
    (["--years", "next"], "--years: expected FIRST..LAST such as 2024..2026, got 'next'"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, out, err = run("report", *args)
    assert (code, out) == (2, "")
    assert err == f"error: {message} [usage]\n"


def test_years_forms() -> None:
    for text, keys in [("2025", ["2025"]), ("2025..", ["2025", "2026"]),
                       ("..2023", ["2023 i", "2023 s"])]:
        _, out, _ = run("report", "--format", "json", "--years", text)
        assert [c["key"] for c in json.loads(out)["columns"]] == keys


# --- xlsx and files -------------------------------------------------------------------------

def test_xlsx_reads_back_with_the_same_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "t2.xlsx"
    code, out, err = run("report", "--format", "xlsx", "--output", str(target))
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    wb = load_workbook(target)
    assert wb.sheetnames == ["Table 2", "fte", "Incidental"]
    ws = wb["Table 2"]
    assert ws.freeze_panes == "C3"
    header = [c.value for c in ws[2]]
    assert header == ["Main goal / kind", "Theme", "2023 i", "2023 s", "2024", "2025", "2026",
                      "Department", "Note"]
    rows = {(r[0].row, r[1].value): [c.value for c in r[2:7]] for r in ws.iter_rows(min_row=3)}
    by_label = {}
    for (_, label), values in rows.items():
        by_label.setdefault(label, values)  # the staff row comes first
    assert by_label["Inrichten/ontwikkelen VIK + dynamisch risicomonitoring"] == [
        225000, 100000, 200000, 200000, 200000]
    # Blank where the memo leaves a blank (nothing incidental in 2023), not 0.
    assert by_label["Vakbekwaamheid"] == [None, 150000, 150000, 150000, 150000]
    assert by_label["Total per year (incidental and structural)"] == [
        None, 1685000, 1505000, 1605000, 1605000]
    assert by_label["Funding from BDuR"] == [None, 1407149, 1650000, 2150000, 2400000]
    assert by_label["Gap (funding - planned), cumulative"] == [
        None, -277851, -132851, 412149, 1207149]
    # Totals are numbers that match the rows above them.
    line_rows = [r for r in ws.iter_rows(min_row=3, max_row=22)]
    totals = by_label["Total of the rows"]
    for i in range(5):
        assert totals[i] == sum(r[2 + i].value or 0 for r in line_rows)
    assert totals == [485000, 1200000, 1505000, 1605000, 1605000]
    cell = ws.cell(row=3, column=4)
    assert isinstance(cell.value, int)
    assert cell.number_format == '"€"#,##0;-"€"#,##0'

    fte = wb["fte"]
    assert fte.freeze_panes == "C3"
    last = [c.value for c in fte[fte.max_row]]
    assert last[1:7] == ["Total", Decimal("2.5"), 9, 12, 13, 13]
    assert fte.cell(row=3, column=4).number_format == "0.0##"
    inc = wb["Incidental"]
    assert inc.freeze_panes == "A3"
    amounts = [r[5].value for r in inc.iter_rows(min_row=3)]
    assert amounts[:6] == [20000, 10000, 225000, 80000, 150000, 485000]
    assert inc.cell(row=3, column=6).number_format == '"€"#,##0;-"€"#,##0'


def test_xlsx_dutch_thousands_keeps_exact_euros(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "tabel2.xlsx"
    code, _, _ = run("report", "--format", "xlsx", "-o", str(target), "--locale", "nl",
                     "--unit", "thousand", "--fte")
    assert code == 0
    wb = load_workbook(target)
    assert wb.sheetnames == ["Tabel 2", "fte", "Incidenteel"]
    assert wb.active.title == "fte"
    ws = wb["Tabel 2"]
    funding = next(r for r in ws.iter_rows(min_row=3) if r[1].value == "Beschikbaar uit BDuR")
    assert funding[3].value == 1407149
    assert funding[3].number_format == '"€" #,##0,;"€" -#,##0,'
    assert [ws.cell(row=ws.max_row - n, column=1).value for n in (1, 0)] == [
        "bedragen x € 1.000", "Status beschikbaar: 2023 toegekend; 2024-2026 prognose"]


def test_text_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "t2.md"
    code, out, _ = run("report", "--format", "markdown", "--locale", "nl", "--by", "theme",
                       "--years", "2024..2026", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == NL_MARKDOWN
    target = tmp_path / "t2.txt"
    run("report", "-o", str(target))
    assert "€1,685,000" in target.read_text(encoding="utf-8")


def test_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "t2.xlsx"
    code, _, err = run("report", "--format", "xlsx", "-o", str(target))
    assert code == 2
    assert err.startswith(f"{target}: error: cannot write t2.xlsx: the folder {target.parent} "
                          "does not exist [unwritable]")


def test_interrupted_xlsx_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    from openpyxl import Workbook

    def broken_save(self: Workbook, stream: object) -> None:
        stream.write(b"PK\x03\x04 half a zip")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", broken_save)
    target = tmp_path / "t2.xlsx"
    result = bdur("report", "--format", "xlsx", "-o", str(target), "-f",
                  str(PLAN))
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "t2.md"
    target.write_text("old\n")

    def produce(f: io.BufferedWriter) -> None:
        f.write(b"new, half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        output.write_file(target, produce)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t2.md"]
    output.write_text_file(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t2.md"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not the temp file's mode


def test_installed_program_writes_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    proc = subprocess.run([installed(), "report", "-f", str(PLAN),
                           "--format", "xlsx", "--output", "t2.xlsx"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "wrote t2.xlsx\n"
    ws = load_workbook(tmp_path / "t2.xlsx")["Table 2"]
    totals = next(r for r in ws.iter_rows(min_row=3)
                  if r[1].value == "Total per year (incidental and structural)")
    assert [c.value for c in totals[3:7]] == [1685000, 1505000, 1605000, 1605000]
    proc = subprocess.run([installed(), "report", "--format", "xlsx"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "Traceback" not in proc.stderr


def test_xlsx_without_openpyxl_is_a_usage_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run("report", "--format", "xlsx", "-o", str(tmp_path / "t2.xlsx"))
    assert code == 2
    assert err == ("error: --format xlsx needs openpyxl, and it is not installed [usage] "
                   "(hint: pip install openpyxl (or reinstall bdur with its xlsx extra: pip "
                   "install -e '.[xlsx]' in bdur's folder))\n")
    assert list(tmp_path.iterdir()) == []


def test_help_has_examples() -> None:
    for command, example in [("report", "bdur report --format xlsx --output tabel2.xlsx"),
                             ("chart", "bdur chart --output chart.svg"),
                             ("totals", "bdur totals --locale nl --unit thousand")]:
        result = bdur(command, "--help")
        assert result.exit_code == 0 and example in result.stdout


def test_totals_in_thousands() -> None:
    code, out, _ = run("totals", "--unit", "thousand")
    assert code == 0
    assert out.splitlines()[4].split() == ["2023", "€1,407", "granted", "€1,685", "€485",
                                           "€1,200", "€1,275", "€410", "11.5", "-€278",
                                           "-€278"]
    assert out.rstrip().endswith("\n\namounts x €1,000")


@pytest.mark.parametrize(("fmt", "name", "holds"), [("table", "t.xlsx", "xlsx"),
                                                    ("xlsx", "t.md", "markdown")])
def test_output_name_must_match_the_format(tmp_path: Path, fmt: str, name: str,
                                           holds: str) -> None:
    target = tmp_path / name
    code, out, err = run("report", "--format", fmt, "--output", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: --output {target} does not match --format {fmt}: a "
                          f"{target.suffix} file holds {holds}; drop --format")
    assert not target.exists()


def test_report_of_a_plan_without_lines(tmp_path: Path, plan_text: str) -> None:
    """No rows at all (or none in the --years span) is a report of zeros, not a crash."""
    start = plan_text.index("themes:")
    empty = plan_text[:start] + "themes: []\n" + plan_text[plan_text.index("# Table 2's"):]
    empty = empty.split("stated_totals:")[0]
    path = tmp_path / "empty.yaml"
    path.write_text(empty, encoding="utf-8")
    for args in ([], ["--fte"], ["--by", "department"], ["--incidental"]):
        code, out, err = run_on(path, "report", *args)
        assert (code, err) == (0, ""), args
    code, out, _ = run_on(path, "report")
    assert "Total per year (incidental and structural)" in out
    assert "Versterking bevolkingszorg" not in out
    code, out, err = run_on(path, "chart", "--output", str(tmp_path / "c.svg"))
    assert (code, err) == (0, f"wrote {tmp_path / 'c.svg'}\n")
    assert (tmp_path / "c.svg").read_text().startswith("<svg")


def test_small_negative_in_thousands_is_zero_not_minus_zero() -> None:
    from bdur_cli.render.style import Style

    nl, en = Style.make("nl", "thousand"), Style.make("en", "thousand")
    assert [nl.money(Decimal(v)) for v in (-400, -600, 400)] == ["€ 0", "€ -1", "€ 0"]
    assert [en.money(Decimal(v)) for v in (-400, -600)] == ["€0", "-€1"]


def test_markdown_cell_with_a_newline_stays_on_its_row(tmp_path: Path, plan_text: str) -> None:
    old = "        note: Tabel 1, middelen incidenteel 2023\n"
    assert plan_text.count(old) == 3
    text = plan_text.replace(old, "        note: |\n          Tabel 1,\n          incidenteel\n", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_on(path, "report", "--incidental", "--format", "markdown")
    assert code == 0
    assert "| Tabel 1, incidenteel |" in out
    assert all(line.startswith("|") for line in out.splitlines() if line and "Tabel 1" in line)


def test_wide_csv_has_the_tables_words_and_tidy_the_ids(
        shipped: Callable[..., Path]) -> None:
    # docs/reports.md: the wide csv is the table's layout, so its goal is the goal's short
    # label and its theme the theme's name; --tidy has ids. Noorderkust's information goal
    # with a short label (IGW) tells the two apart.
    plan = shipped("examples/noorderkust.yaml",
                   "{id: informatie, name: Informatiegestuurd werken}",
                   "{id: informatie, name: Informatiegestuurd werken, short: IGW}")
    wide = list(csv.DictReader(io.StringIO(
        bdur("report", "-f", plan, "--format", "csv").stdout)))
    tidy = list(csv.DictReader(io.StringIO(
        bdur("report", "-f", plan, "--format", "csv", "--tidy").stdout)))
    assert {r["goal"] for r in wide if r["goal"]} == {
        "Toekomstbestendige crisisorganisatie", "IGW"}
    assert {r["goal"] for r in tidy} == {"crisisorganisatie", "informatie"}
    assert {r["theme"] for r in tidy} == {"organisatie", "informatievoorziening"}
    assert {r["theme"] for r in wide[:4]} == {"Crisisorganisatie", "Informatievoorziening"}
