"""`bdur realisation` on the shipped example, every figure worked out by hand from the story in
examples/realisation/generate.py (not from the code under test):

- an internal fte costs 8,500.00 a month; staff arrive on 1 June 2023 (7 months in 2023),
  vakbekwaamheid and crisiscommunicatie had 0.5 fte from January (Jan-May 4,250.00 a month,
  then 1.5 fte = 12,750.00);
- external hire: VIK 18,750.00 a month Feb 2023 - Jun 2024; BI 12,500.00 a month in 2023;
- means per quarter: a quarter of the plan's amount, but netwerkmanagement 5,000.00 (of 12,500);
- 2023 incidental means: 19,876.54 + 10,000.00 + 48,000.00 + 32,000.00; a 2024 credit note of
  1,234.56; unmapped 123.45 + 1,000.00 + 2,500.00; a 2022 posting of 5,000.00;
- the export ends in October 2026.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from bdur_cli import api
from bdur_cli.actuals.analysis import Figures, Threshold
from conftest import EXPORT_COMPLETE, ROOT, bdur

EXAMPLE = ROOT / "examples" / "realisation"
MAPPING = EXAMPLE / "mapping.yaml"
D = Decimal
FTE_YEAR = 12 * 8500  # 102,000: every full year of 1 fte
FTE_2023 = 7 * 8500  # 59,500: June to December
HALF_EARLY = 5 * 4250 + 7 * 12750  # 110,500: 0.5 fte Jan-May, 1.5 fte Jun-Dec

# 2023: internal staff of six 1-fte themes and two 1.5-fte themes, external hire, means.
STAFF_2023 = 6 * FTE_2023 + 2 * HALF_EARLY + 11 * 18750 + 12 * 12500
MEANS_2023 = D("19876.54") + 10000 + 48000 + 32000 + 10000 + 100000 + 20000 + 20000 + 120000
# 2024: 10 staff themes; 1.5 fte twice; VIK 1 fte + 1 fte from July; hire until June.
STAFF_2024 = 7 * FTE_YEAR + 2 * 153000 + (FTE_YEAR + 6 * 8500) + 6 * 18750
MEANS_2024 = 15000 + (100000 - D("1234.56")) + 20000 + 20000 + 120000
# 2025: bevolkingszorg and VIK 2 fte each.
STAFF_2025 = 6 * FTE_YEAR + 2 * 153000 + 2 * 2 * FTE_YEAR
MEANS_2025 = 15000 + 100000 + 20000 + 20000 + 120000
# 2026 to October: ten months of staff, three quarters of means.
STAFF_2026 = 6 * 85000 + 2 * 127500 + 2 * 170000
MEANS_2026 = D(3) * (3750 + 25000 + 5000 + 5000 + 30000)


def test_the_hand_worked_sums() -> None:
    # Written out once, so a reader can follow them without running anything.
    assert (934250, D("379876.54")) == (STAFF_2023, MEANS_2023)
    assert (1285500, D("273765.44")) == (STAFF_2024, MEANS_2024)
    assert (STAFF_2025, MEANS_2025) == (1326000, 275000)
    assert (STAFF_2026, MEANS_2026) == (1105000, 206250)


def analysis(**kw: object) -> api.Analysis:  # type: ignore[name-defined]
    return api.realisation(MAPPING, **kw)  # type: ignore[arg-type]


def fig(f: Figures) -> tuple[Decimal, ...]:
    return f.budget, f.realised, f.forecast, f.deviation


# Amendment 2024-1 adds 0.75 fte external hire (x 150,000) in 2024: 112,500.
AMENDED_2024 = 1505000 + 112500


def test_per_year_closed_years() -> None:
    years = {y.year: y for y in analysis().realisation.years}
    # Budgets: the memo's Table 2 (1,685,000 / 1,505,000 / 1,605,000 / 1,605,000), and the
    # amendment in 2024.
    assert fig(years[2023].total.figures) == (1685000, STAFF_2023 + MEANS_2023, 0,
                                              D("-370873.46"))
    assert fig(years[2024].total.figures) == (AMENDED_2024, STAFF_2024 + MEANS_2024, 0,
                                              D("-58234.56"))
    assert years[2024].total.figures.primitive == 1505000
    assert fig(years[2025].total.figures) == (1605000, STAFF_2025 + MEANS_2025, 0, -4000)
    assert years[2023].total.figures.percent == D("-22.0")  # -370,873.46 / 1,685,000
    assert years[2024].total.figures.percent == D("-3.6")  # -58,234.56 / 1,617,500
    assert years[2025].total.figures.percent == D("-0.2")
    p2023 = years[2023].parts
    # Incidental 2023: VIK hire 11 x 18,750, BI 150,000, the four means invoices.
    assert p2023["incidental"].realised == 206250 + 150000 + D("109876.54")
    assert p2023["incidental"].budget == 485000
    assert p2023["staff"].realised == STAFF_2023 and p2023["staff"].budget == 1275000
    assert p2023["means"].realised == MEANS_2023 and p2023["means"].budget == 410000
    assert p2023["structural"].realised == STAFF_2023 + MEANS_2023 - p2023["incidental"].realised
    # 2024: the hire that ran over, budgeted by the amendment only.
    incidental = years[2024].parts["incidental"]
    assert (incidental.primitive, incidental.budget, incidental.realised) == (0, 112500, 112500)
    assert incidental.percent == 0


def test_running_year_through_october() -> None:
    years = {y.year: y for y in analysis(through="2026-10").realisation.years}
    assert [y.status for y in years.values()] == ["closed", "closed", "closed", "running"]
    # The rest of 2026 is two months of the budget: 1,605,000 x 2/12 = 267,500.
    assert fig(years[2026].total.figures) == (1605000, STAFF_2026 + MEANS_2026, 267500,
                                              1105000 + 206250 + 267500 - 1605000)
    assert years[2026].total.figures.expected == 1578750
    assert years[2026].total.figures.percent == D("-1.6")
    # Staff: 1,300,000 x 2/12 = 216,666.67 (cents shared by largest remainder).
    staff = years[2026].parts["staff"]
    assert (staff.realised, staff.forecast) == (1105000, D("216666.67"))
    assert fig(years[2025].total.figures) == (1605000, 1601000, 0, -4000)


def test_running_year_in_detail() -> None:
    [y] = [y for y in analysis(year=2026, through="2026-10").realisation.years
           if y.goals is not None]
    rows = {r.id: r for g in y.goals or [] for t in g.children for r in (t, *t.children)}
    nw = rows["netwerkmanagement-middelen"]
    # 3 x 5,000 booked, 50,000 x 2/12 forecast: 23,333.33 expected, -26,666.67 (-53.3%).
    assert fig(nw.figures) == (50000, 15000, D("8333.33"), D("-26666.67"))
    assert nw.figures.percent == D("-53.3")
    assert nw.needs_explanation  # above 25,000 and above 10%
    theme = rows["netwerkmanagement"]
    # Exactly -25,000.00 (fte +1,666.67, means -26,666.67): not above 25,000, so no flag.
    assert theme.figures.deviation == -25000
    assert not theme.needs_explanation
    # Every forecast is its own exact amount rounded once, half up, to the cent (the rule of
    # docs/rounding.md): each theme's 2026 budget x 2/12, by hand.
    forecasts = {t.id: t.figures.forecast for g in y.goals or [] for t in g.children}
    assert forecasts == {
        "nieuwe-crises": D("19166.67"),  # 115,000 / 6 = 19,166.666...
        "vakbekwaamheid": D("41666.67"),  # 250,000 / 6
        "crisiscommunicatie": D("28333.33"),  # 170,000 / 6
        "netwerkmanagement": 25000,
        "juridisch": D("16666.67"), "bi-specialist": D("16666.67"),
        "data-engineer": D("16666.67"), "informatiespecialist": D("16666.67"),
        "bevolkingszorg": D("33333.33"),  # 200,000 / 6
        "vik": D("53333.33"),  # 320,000 / 6
    }
    # So the rows add up to 267,500.01, and the year's own figure is 1,605,000 / 6 =
    # 267,500.00: a total is never the sum of rounded rows.
    assert sum(forecasts.values(), D(0)) == D("267500.01")
    assert y.total.figures.forecast == 267500


def test_one_closed_year_per_goal_theme_and_line() -> None:
    [y] = [y for y in analysis(year=2024).realisation.years if y.goals is not None]
    goals = {g.id: g for g in y.goals or []}
    info = goals["informatiepositie"]
    # VIK 320,000 budget (+112,500 amended); BI, data-engineer, informatiespecialist 100,000.
    assert (info.figures.primitive, info.figures.budget, info.figures.realised) == (
        620000, 732500, 385500 + 3 * FTE_YEAR)
    themes = {t.id: t for t in info.children}
    vik = {r.id: r for r in themes["vik"].children}
    # vik-extern-2023 and the amendment's vik-extern-2024 are booked by one theme rule.
    assert list(vik) == ["vik/staff/incidental", "vik/staff/structural", "vik-middelen"]
    hire = vik["vik/staff/incidental"]
    assert fig(hire.figures) == (112500, 112500, 0, 0)
    assert hire.figures.primitive == 0
    assert not hire.needs_explanation
    assert hire.explanation == ("Inhuur VIK-analist verlengd tot 1 juli 2024 "
                                "(begrotingswijziging 2024-1).")
    # vik-fte (2023 e.v.) and vik-fte-2024 are booked together: 2 x 100,000 budget.
    assert fig(vik["vik/staff/structural"].figures) == (200000, FTE_YEAR + 6 * 8500, 0,
                                                        -47000)
    goal1 = {t.id: t for t in goals["toekomst-cb"].children}
    vb = {r.id: r.figures.realised for r in goal1["vakbekwaamheid"].children}
    assert vb == {"vakbekwaamheid-fte": 153000, "vakbekwaamheid-middelen": D("98765.44")}
    assert y.total.explanation is not None and y.total.explanation.startswith(
        "De externe inhuur voor het VIK liep door tot 1 juli 2024")


def test_reconciliation_nothing_lost() -> None:
    a = analysis()
    rec = a.reconciliation
    read = STAFF_2023 + MEANS_2023 + STAFF_2024 + MEANS_2024 + STAFF_2025 + MEANS_2025 + \
        STAFF_2026 + MEANS_2026 + D("3623.45") + 5000
    assert (rec.read.count, rec.read.total) == (519, read)
    assert (rec.unmapped.count, rec.unmapped.total) == (3, D("3623.45"))
    assert (rec.outside.count, rec.outside.total) == (1, 5000)
    assert (rec.ambiguous.count, rec.ambiguous.total) == (0, 0)
    assert rec.mapped.total == read - D("3623.45") - 5000
    assert rec.balanced
    # 519 postings: salaries (fte-months per theme), hire, quarters, the rest.
    salaries = 4 * 41 + 2 * (5 + 41) + 41 + 41 + 34 + 34  # one posting a month per theme
    hire = 17 + 12
    quarters = 5 * 15  # 4 + 4 + 4 + 3 quarters for five themes
    assert salaries + hire + quarters + 4 + 1 + 3 + 1 == 519


@pytest.mark.parametrize(("deviation", "budget", "flag"), [
    (D("25000.00"), D(50000), False),  # exactly the amount: not above it
    (D("25000.01"), D(50000), True),
    (D("-25000.01"), D(50000), True),
    (D("30000"), D(300000), False),  # 10% exactly: not above
    (D("30000.01"), D(300000), True),
    (D("25000.01"), D(250001), False),  # above the amount, not above 10%
    (D("0.01"), D(0), False),  # no budget: above any percentage, but not the amount
    (D("25000.01"), D(0), True),
])
def test_threshold_and(deviation: Decimal, budget: Decimal, flag: bool) -> None:
    assert Threshold(D(25000), D(10), "and").exceeded(deviation, budget) is flag


@pytest.mark.parametrize(("deviation", "budget", "flag"), [
    (D("25000.00"), D(1000000), False), (D("25000.01"), D(1000000), True),
    (D("1000"), D(10000), False), (D("1000.01"), D(10000), True), (D("0.01"), D(0), True),
    (D(0), D(0), False),  # no budget and no deviation: nothing to explain
])
def test_threshold_or(deviation: Decimal, budget: Decimal, flag: bool) -> None:
    assert Threshold().exceeded(deviation, budget) is flag  # the default: 25,000 or 10%


def test_percentage_rounds_half_up() -> None:
    assert Figures(D(1000), D("1000.5")).percent == D("0.1")  # 0.05% -> 0.1
    assert Figures(D(1000), D("999.5")).percent == D("-0.1")  # -0.05% -> -0.1
    assert Figures(D(1000), D("1000.49")).percent == D("0.0")


# --- the command line ------------------------------------------------------------------------


def test_cli_json_is_exact() -> None:
    result = bdur("realisation", "-m", str(MAPPING), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_float=Decimal)
    y2023 = data["years"][0]
    assert (y2023["budget"], y2023["realised"], y2023["deviation"]) == (
        1685000, D("1314126.54"), D("-370873.46"))
    assert data["reconciliation"]["unmapped"] == {"postings": 3, "total": D("3623.45")}
    assert data["reconciliation"]["balanced"] is True
    assert data["unmapped"][0] == {"row": 158, "date": "2024-03-27", "amount": D("123.45"),
                                   "cost_centre": "3100", "account": "4500", "project": "",
                                   "description": "Koffie en thee crisisteam, café De Sluis"}


def test_cli_table_marks_and_explains(example: Callable[..., Path]) -> None:
    # Every year closed (the export taken as complete): realised against budget, no forecast.
    result = bdur("realisation", "2024", "-m", str(example(*EXPORT_COMPLETE)))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert " Total                €1,505,000       €1,617,500   €1,559,265    -€58,235    " \
        "-3.6%   explained [1]" in out
    assert "     staff, incidental          " in out
    assert "   €0         €112,500   €112,500          €0     0.0%   explained [4]\n" in out
    assert "€200,000   €153,000    -€47,000   -23.5%   explained [5]" in out
    assert "nothing lost: mapped + unmapped + outside + ambiguous = read" in out
    assert " 326   04-06-2025   €2,500.00   3100          4500      BDUR-XX   Drukwerk folders" \
        in out
    assert "grootboek.csv:6: warning: posting of 28-12-2022 lies outside the plan's horizon " \
        "2023-2026; it is not booked on the plan [outside-horizon]" in result.stderr


def test_cli_csv_and_xlsx_identical() -> None:
    outs = []
    for export in ("grootboek.csv", "grootboek.xlsx"):
        result = bdur("realisation", "2025", "-m", str(MAPPING), "--actuals",
                      str(EXAMPLE / export), "--format", "csv",
                      "--through", "2025-12")
        assert result.exit_code == 0, result.output
        outs.append(result.stdout)
    assert outs[0] == outs[1]
    assert "2025,closed,line,netwerkmanagement-middelen,netwerkmanagement-middelen,50000," \
        "50000,20000,0,20000,-30000,-60,0,0,yes," in outs[0]


def test_cli_usage_errors() -> None:
    result = bdur("realisation")
    assert result.exit_code == 2
    assert "bdur realisation needs the mapping file: --mapping FILE" in result.stderr
    result = bdur("realisation", "-m", str(MAPPING), "--through", "2026-13")
    assert result.exit_code == 2
    assert "--through: expected a month as YYYY-MM, such as 2026-10, got '2026-13'" in \
        result.stderr
    result = bdur("realisation", "2031", "-m", str(MAPPING))
    assert (result.exit_code, result.stderr.strip()) == (
        2, "error: 2031 is outside the plan's horizon 2023-2026 [usage]")


def test_a_posting_matched_by_two_rules(example: Callable[[str, str, str], Path]) -> None:
    mapping = example("mapping.yaml", "  - {line: juridisch-fte, project: BDUR-JUR}\n",
                   "  - {line: juridisch-fte, project: BDUR-JUR}\n"
                   "  - {line: netwerkmanagement-fte, project: BDUR-JUR, account: 4000}\n")
    plan = str(ROOT / "data" / "allocations.yaml")
    result = bdur("realisation", "-m", str(mapping), "-f", plan)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{mapping.parent / 'grootboek.csv'}:")
    assert first.endswith(": error: posting matches rule 11 (line 43: line 'juridisch-fte') and "
                          "rule 12 (line 44: line 'netwerkmanagement-fte'); it is not booked "
                          "[ambiguous-posting] (hint: make the rules exclusive, e.g. by account "
                          "or project, or order them and set 'first_match: true' in the "
                          "mapping)")
    # 41 salary months of the jurist: 20 reported one by one, the rest counted.
    assert "21 more postings like this (41 in all) [ambiguous-posting]" in result.stderr


def test_a_rule_naming_an_unknown_line(example: Callable[[str, str, str], Path]) -> None:
    mapping = example("mapping.yaml", "{line: juridisch-fte,", "{line: jurdisch-fte,")
    plan = str(ROOT / "data" / "allocations.yaml")
    result = bdur("realisation", "-m", str(mapping), "-f", plan)
    assert result.exit_code == 1
    assert result.stderr == (f"{mapping}:43:12: error: rule 11 names line 'jurdisch-fte', which "
                             "is not in the plan [unknown-line] (hint: did you mean "
                             "'juridisch-fte'?)\n")


def test_a_theme_rule_needs_kind_and_type(example: Callable[[str, str, str], Path]) -> None:
    mapping = example("mapping.yaml", "{theme: bevolkingszorg, kind: staff, type: structural, ",
                   "{theme: bevolkingszorg, ")
    result = bdur("realisation", "-m", str(mapping))
    assert result.exit_code == 1
    assert f"{mapping}:44:5: error: rules[11]: a theme rule needs 'kind' (staff or means) " \
        "and 'type' (incidental or structural) [schema]" in result.stderr


def test_unmapped_only(example: Callable[[str, str, str], Path]) -> None:
    result = bdur("realisation", "-m", str(MAPPING), "--unmapped",
                  "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "row,date,amount,cost_centre,account,project,description\n"
        "158,2024-03-27,123.45,3100,4500,,\"Koffie en thee crisisteam, café De Sluis\"\n"
        "277,2025-01-23,1000,3100,4500,,Abonnement vakblad Crisisbeheersing\n"
        "326,2025-06-04,2500,3100,4500,BDUR-XX,Drukwerk folders\n")


def test_installed_bdur_in_a_subprocess() -> None:
    bdur = Path(sys.executable).parent / "bdur"
    proc = subprocess.run([str(bdur), "realisation", "-m", "examples/realisation/mapping.yaml",
                           "--format", "csv"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == (
        # 2026 runs (the mapping closes 2025): a closed year forecasts 0, expects its realised.
        "2023,closed,total,,Total,1685000,1685000,1314126.54,0,1314126.54,-370873.46,-22,11.5,"
        "8.04,yes,\"De formatie is pas "
        "vanaf 1 juni 2023 ingevuld, zoals de memo onder tabel 2 al aankondigde; de "
        "loonkosten van januari tot en met mei zijn niet besteed.\",1407149,93022.46,93022.46,0,"
        "93022.46,0,93022.46,")
    assert proc.stderr.splitlines()[-1] == (
        "examples/realisation/grootboek.csv: 519 postings read (€5,794,265.43) = 515 mapped "
        "(€5,785,641.98) + 3 unmapped (€3,623.45) + 1 outside the horizon (€5,000.00) + 0 "
        "ambiguous (€0.00)")


def test_generator_reproduces_every_shipped_file(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(EXAMPLE / "generate.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    shipped = sorted(p.name for p in EXAMPLE.iterdir() if p.name != "generate.py")
    assert written == shipped == [
        "begrotingswijziging-2024-1.yaml", "formatie.yaml", "grootboek.csv", "grootboek.xlsx",
        "mapping.yaml", "resultaatbestemming.yaml", "toelichting.yaml"]
    for name in written:
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_postings_after_the_reporting_month_are_counted_apart() -> None:
    a = analysis(through="2026-06")
    [y2026] = [y for y in a.realisation.years if y.year == 2026]
    # 13 fte x 8,500 = 110,500 a month in 2026; means 68,750 a quarter (3,750 + 25,000 +
    # 5,000 + 5,000 + 30,000).
    assert y2026.total.figures.realised == 6 * 110500 + 2 * 68750
    assert y2026.total.figures.forecast == 1605000 // 2
    # July-October: 10 salary postings a month and five quarter postings in September.
    assert (a.after_through.count, a.after_through.total) == (4 * 10 + 5, 4 * 110500 + 68750)
    assert a.reconciliation.mapped.total == sum(
        (y.total.figures.realised for y in a.realisation.years), D(0)) + a.after_through.total


def test_one_unmapped_posting_is_said_in_the_singular(example: Callable[..., Path]) -> None:
    # Two of the example's three unmapped postings taken out: the coffee of €123.45 is left.
    mapping = example("grootboek.csv",
                      "23-01-2025;MEM24385;3100;4500;;Abonnement vakblad Crisisbeheersing;"
                      "1.000,00;\n", "",
                      "04-06-2025;MEM24619;3100;4500;BDUR-XX;Drukwerk folders;2.500,00;\n", "")
    result = bdur("check", str(mapping), "--format", "json")
    messages = [f["message"] for f in json.loads(result.stdout)["files"][0]["findings"]
                if f["code"] == "unmapped-postings"]
    assert messages == ["1 posting (€123.45) matches no rule; it is listed, not booked on "
                        "the plan"]


# --- bdur check of a mapping -----------------------------------------------------------------

def test_check_a_mapping_with_its_export_and_explanations(
        example: Callable[..., Path]) -> None:
    # The mapping states its last closed year (closed_through: 2025): 2026 runs (through
    # October, as far as the export goes), so only the closed years' deviations need an
    # explanation.
    mapping = example()
    result = bdur("check", str(mapping), "--format", "json")
    assert result.exit_code == 0, result.output
    found = [(f["code"], f["level"], f["path"], f["line"], f["message"])
             for f in json.loads(result.stdout)["files"][0]["findings"]]
    csv, ex = str(mapping.parent / "grootboek.csv"), str(mapping.parent / "toelichting.yaml")
    assert found == [
        # In file order: a finding about the whole export before one at its row 6.
        ("unmapped-postings", "warning", csv, None, "3 postings (€3,623.45) match no rule; "
         "they are listed, not booked on the plan"),
        ("outside-horizon", "warning", csv, 6, "posting of 28-12-2022 lies outside the plan's "
         "horizon 2023-2026; it is not booked on the plan"),
        # 2025: netwerkmanagement spent 20,000 of 50,000 and nobody wrote why (2023 and 2024
        # have an explanation); 2026 is not closed (the export ends in October).
        ("explanation-missing", "warning", ex, None, "2025, theme 'netwerkmanagement': the "
         "deviation -€28,000.00 (-18.7%) is above the threshold and has no explanation"),
        ("explanation-missing", "warning", ex, None, "2025, line 'netwerkmanagement-middelen': "
         "the deviation -€30,000.00 (-60.0%) is above the threshold and has no explanation"),
    ]
    strict = bdur("check", str(mapping), "--strict")
    assert strict.exit_code == 1


def test_check_closes_a_year_as_realisation_does(example: Callable[..., Path]) -> None:
    """Without --through or closed_through the export is taken as complete: 2026 is closed
    in `bdur check` as in `bdur realisation` (which marks it "explanation needed"), so its
    unexplained deviations are warnings in both (issue 19: one meaning of closed)."""
    mapping = example(*EXPORT_COMPLETE)
    shown = bdur("realisation", "-m", str(mapping))
    assert " 2026 " in shown.stdout and "-18.3%   explanation needed" in shown.stdout
    result = bdur("check", str(mapping))
    assert "2026, the year: the deviation -€293,750.00 (-18.3%) is above the threshold and " \
        "has no explanation [explanation-missing]" in result.stdout + result.stderr
    ran = bdur("realisation", "-m", str(mapping), "--through", "2025-12")
    assert ran.exit_code == 0
    checked = [ln for ln in (result.stdout + result.stderr).splitlines()
               if "explanation-missing" in ln]
    assert len(checked) == 2 + 12  # 2025's two and 2026's twelve


def test_check_a_mapping_with_errors(example: Callable[[str, str, str], Path]) -> None:
    mapping = example("mapping.yaml", "{line: juridisch-fte,", "{line: jurdisch-fte,")
    example("toelichting.yaml", "    goal: informatiepositie\n", "    goal: informatie\n")
    result = bdur("check", str(mapping))
    assert result.exit_code == 1
    # By file (mapping.yaml before toelichting.yaml), then line and column.
    assert result.stdout.splitlines()[0] == (
        f"{mapping}:43:12: error: rule 11 names line 'jurdisch-fte', which is not in the "
        "plan [unknown-line]")
    assert f"{mapping.parent / 'toelichting.yaml'}:14:11: error: explanation names goal " \
        "'informatie', which is not in the plan [unknown-goal]" in result.stdout
    assert " 43 |   - {line: jurdisch-fte, project: BDUR-JUR}" in result.stdout


def test_check_a_mapping_whose_export_lacks_a_column(
        example: Callable[[str, str, str], Path]) -> None:
    mapping = example("mapping.yaml", "    credit: Credit\n", "    credit: Krediet\n")
    result = bdur("check", str(mapping))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{mapping}:17:13: error: column 'Krediet' (credit) is not in the export ")
    assert " 17 |     credit: Krediet\n" in result.stdout


def test_the_schemas_accept_the_example_files() -> None:
    import jsonschema
    import yaml

    from bdur_cli.actuals import mapping as actuals

    jsonschema.validate(yaml.safe_load(MAPPING.read_text(encoding="utf-8")),
                        actuals.json_schema())
    jsonschema.validate(yaml.safe_load((EXAMPLE / "toelichting.yaml").read_text(
        encoding="utf-8")), actuals.explanations_schema())
    result = bdur("schema", "--mapping")
    assert json.loads(result.stdout)["properties"]["rules"]["type"] == "array"
    bad = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    bad["export"]["colums"] = bad["export"].pop("columns")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, actuals.json_schema())


# --- budget states: the amendment ------------------------------------------------------------

def test_as_of_before_the_amendment_is_the_primitive_budget() -> None:
    before = analysis(as_of="2024-07-03")  # adopted on 4 July 2024
    [y2024] = [y for y in before.realisation.years if y.year == 2024]
    assert not before.realisation.amended and before.amendments == []
    assert fig(y2024.total.figures) == (1505000, STAFF_2024 + MEANS_2024, 0, D("54265.44"))
    after = analysis(as_of="2024-07-04")
    assert [a.number for a in after.amendments] == ["2024-1"]
    [y2024] = [y for y in after.realisation.years if y.year == 2024]
    assert (y2024.total.figures.primitive, y2024.total.figures.budget) == (1505000,
                                                                           AMENDED_2024)


def test_amendment_in_json_and_table() -> None:
    result = bdur("realisation", "-m", str(MAPPING), "--format", "json")
    data = json.loads(result.stdout, parse_float=Decimal)
    assert data["amendments"] == [{
        "file": "examples/realisation/begrotingswijziging-2024-1.yaml".replace(
            "examples/realisation", str(EXAMPLE)), "number": "2024-1",
        "name": "Verlenging externe inhuur VIK", "adopted": "2024-07-04",
        "by": "Algemeen Bestuur"}]
    assert (data["years"][1]["primitive_budget"], data["years"][1]["budget"]) == (1505000,
                                                                                  1617500)
    table = bdur("realisation", "-m", str(MAPPING), "--as-of", "2024-01-01")
    assert "budget as of 2024-01-01: no amendment adopted by then" in table.stdout
    assert "Primitive budget" not in table.stdout
    bad = bdur("realisation", "-m", str(MAPPING), "--as-of", "1-7-2024")
    assert bad.exit_code == 2
    assert "--as-of: expected a date as YYYY-MM-DD, such as 2024-07-01, got '1-7-2024'" in \
        bad.stderr


def test_amendments_out_of_order(tmp_path: Path) -> None:
    first = (EXAMPLE / "begrotingswijziging-2024-1.yaml").read_text(encoding="utf-8")
    (tmp_path / "bw1.yaml").write_text(first.replace(
        "base: ../../data/allocations.yaml", f"base: {ROOT / 'data' / 'allocations.yaml'}"),
        encoding="utf-8")
    (tmp_path / "bw2.yaml").write_text(
        "scenario:\n  name: Tweede wijziging\n"
        "  amendment: {number: 2024-2, adopted: 2024-03-01, by: Dagelijks Bestuur}\n"
        "base: bw1.yaml\nfunding:\n  set: {2024: {amount: 1700000, status: granted}}\n",
        encoding="utf-8")
    result = bdur("realisation", "-m", str(MAPPING), "-f",
                  str(tmp_path / "bw2.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path / 'bw1.yaml'}:12:40: error: amendment 2024-2 (2024-03-01) builds on "
        "amendment 2024-1, adopted later (2024-07-04) [amendment-order] (hint: an "
        "amendment's base is the plan or an amendment adopted before it)\n")


def test_check_an_explanations_file_alone(tmp_path: Path) -> None:
    good = bdur("check", str(EXAMPLE / "toelichting.yaml"))
    assert (good.exit_code, good.stdout) == (0, "")
    bad = tmp_path / "toelichting.yaml"
    bad.write_text("explanations:\n  - {year: 2024, theme: vik, line: vik-middelen, text: x}\n",
                   encoding="utf-8")
    result = bdur("check", str(bad))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{bad}:2:5: error: explanations[0]: an explanation is of exactly one of: total: "
        "true, goal, theme or line [schema]")


def test_totals_as_of() -> None:
    amendment = str(EXAMPLE / "begrotingswijziging-2024-1.yaml")
    before = bdur("totals", "2024", "-f", amendment, "--as-of", "2024-07-03",
                  "--format", "json")
    after = bdur("totals", "2024", "-f", amendment, "--as-of", "2024-07-04",
                 "--format", "json")
    assert json.loads(before.stdout)["planned"] == 1505000
    assert json.loads(after.stdout)["planned"] == 1505000 + 112500
    assert json.loads(after.stdout)["fte"] == 12.75  # + 0.75 fte external hire


def test_result_is_funding_minus_realised() -> None:
    years = {y.year: y for y in analysis(through="2026-10").realisation.years}
    # Funding: 1,407,149 granted for 2023, then the memo's 1,650,000 / 2,150,000 / 2,400,000.
    assert years[2023].result == 1407149 - (STAFF_2023 + MEANS_2023)  # 93,022.46
    assert years[2023].result == D("93022.46")
    assert years[2024].result == 1650000 - (STAFF_2024 + MEANS_2024)
    assert years[2025].result == 2150000 - 1601000
    assert years[2026].result == 2400000 - (1105000 + 206250 + 267500)  # expected


def test_output_file_takes_its_format_from_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "realisatie.csv"
    result = bdur("realisation", "-m", str(MAPPING), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith(
        "2023,closed,total,,Total,1685000,1685000,1314126.54,0,1314126.54,-370873.46,-22,11.5,"
        "8.04,yes,")
    # Markdown is not among the realisation's formats: --help does not offer it, and asking
    # for it (or for a .md file) is a usage error before anything is read.
    md = bdur("realisation", "-m", str(MAPPING), "--format", "markdown", env={"COLUMNS": "200"})
    assert md.exit_code == 2
    assert "Invalid value for '--format': 'markdown' is not one of 'table', 'json', 'csv', " \
        "'xlsx'." in md.stderr
    named = bdur("realisation", "-m", str(MAPPING), "-o", str(tmp_path / "r.md"))
    assert (named.exit_code, named.stderr) == (2, (
        "error: bdur realisation does not write markdown (.md); its files are .csv, .json, "
        ".text, .txt, .xlsx [usage]\n"))
    assert not (tmp_path / "r.md").exists()


def test_cli_excel_csv_opens_in_dutch_excel() -> None:
    # Hand-checked against the machine CSV above: `;` between fields, decimal commas in the
    # cents, a byte order mark first; texts (with their commas) stay whole in quotes.
    result = bdur("realisation", "-m", str(MAPPING), "--format", "csv",
                  "--excel")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("\ufeffyear;status;level;id;name;primitive_budget;budget;realised;")
    # The forecast (0: 2023 is closed) and the expected (the realised) after the realised.
    assert "\n2023;closed;part;incidental;incidental;485000;485000;466126,54;0;466126,54;" \
        "-18873,46;-3,9;2,5;2,38;;" in out
    machine = bdur("realisation", "-m", str(MAPPING), "--format", "csv")
    assert "466126.54,0,466126.54,-18873.46,-3.9," in machine.stdout


# --- totals rounded once ---------------------------------------------------------------------

def test_budgets_are_exact_sums_rounded_once() -> None:
    # The scenario where staff arrive in June: each 1-fte line is 100,000 x 7/12 = 58,333.33
    # in 2023. Six of them (and the 1.5-fte lines at 87,500) make the memo's 1,310,000
    # (docs/rounding.md), never the 1,309,998 that adding rounded lines would give.
    scenario = ROOT / "data" / "scenarios" / "staff-from-june-2023.yaml"
    [y] = [y for y in analysis(year=2023, plan=scenario).realisation.years if y.year == 2023]
    assert y.total.figures.budget == 1310000
    assert (y.parts["staff"].budget, y.parts["structural"].budget) == (900000, 825000)
    goals = {g.id: g for g in y.goals or []}
    # toekomst-cb: four lines of 58,333.33 + 87,500 twice + 290,000 means = 618,333.33.
    assert goals["toekomst-cb"].figures.budget == 618333
    themes = {t.id: t.figures.budget for t in goals["toekomst-cb"].children}
    # Its themes as shown (88,333 + 187,500 + 117,500 + 108,333 + 58,333 + 58,333) add up to
    # 618,332: the table says so.
    assert sum(themes.values()) == 618332
    out = bdur("realisation", "2023", "-m", str(MAPPING), "-f", str(scenario))
    assert out.exit_code == 0, out.output
    assert "\nrounding differences: a total can differ from the sum of the figures shown\n" \
        in out.stdout


def test_the_forecast_note_where_theme_cents_do_not_add_up() -> None:
    # 2026 through October: the themes' forecasts shown in euros (19,167 + 41,667 + 28,333 +
    # 25,000 + 4 x 16,667 + 33,333 + 53,333) are 267,501, the year's 267,500.
    detail = bdur("realisation", "2026", "-m", str(MAPPING), "--through",
                  "2026-10")
    assert "\nrounding differences: a total can differ" in detail.stdout
    # The years at a glance add up (their parts are whole euros or add up as shown).
    overview = bdur("realisation", "-m", str(MAPPING), "--through", "2026-10")
    assert "rounding differences" not in overview.stdout


@pytest.mark.parametrize(("exact", "budget", "forecast"), [
    (Fraction(5, 2), 3, D("2.50")),  # half up: 2.5 -> 3, not to the even 2
    (Fraction(3, 2), 2, D("1.50")),
    (Fraction(249, 100), 2, D("2.49")),
    (Fraction(1, 200), 0, D("0.01")),  # 0.005 -> 0.01
    (Fraction(-1, 200), 0, D("-0.01")),  # half away from zero
    (Fraction(49, 10000), 0, D("0.00")),
])
def test_settle_rounds_once_half_up(exact: Fraction, budget: int, forecast: Decimal) -> None:
    f = Figures(exact_budget=exact, exact_forecast=exact).settle()
    assert (f.budget, f.forecast) == (budget, forecast)


def test_thousands_say_so_once_under_every_table() -> None:
    # 2023's budget of 1,685,000 shown as €1,685; the unit stated once for all the tables,
    # with the rounding note (the example's parts do not add up once rounded to thousands).
    result = bdur("realisation", "-m", str(ROOT / "examples/realisation/mapping.yaml"),
                  "--unit", "thousand")
    assert result.exit_code == 0, result.stderr
    assert " 2023 (closed)              €1,685           €1,685             €1,314         " \
        "€0     €1,314       -€371   -22.0%" in result.stdout
    assert result.stdout.count("amounts x €1,000") == 1
    assert "amounts x €1,000; rounding differences: a total can differ from the sum of the " \
        "figures shown\n" in result.stdout
