"""`bdur compare`, the comparison API and the example script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bdur_cli
from bdur_cli.render.encode import to_json
from conftest import PLAN, ROOT, SCENARIOS, bdur

JUNE = SCENARIOS / "staff-from-june-2023.yaml"
CUT = SCENARIOS / "bdur-cut-2026.yaml"
ALL = sorted(SCENARIOS.glob("*.yaml"))


def run(*args: str) -> tuple[int, str, str]:
    result = bdur(*args)
    return result.exit_code, result.stdout, result.stderr


def test_totals_accepts_a_scenario() -> None:
    code, out, err = run("totals", "2023", "-f", str(JUNE), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["planned"], data["gap"], data["staff"]) == (1310000, 97149, 900000)


def test_compare_json_shape_is_exact() -> None:
    code, out, err = run("compare", "data/allocations.yaml", "data/scenarios/bdur-cut-2026.yaml",
                         "--format", "json")
    assert (code, err) == (0, "")
    # fte in force: 11.5 in 2023 (the memo's formation), then 12, 13, 13; the cut keeps it.
    base_years = [(2023, 1407149, 1685000, 11.5, -277851), (2024, 1650000, 1505000, 12, 145000),
                  (2025, 2150000, 1605000, 13, 545000), (2026, 2400000, 1605000, 13, 795000)]
    assert json.loads(out) == {
        "base": {"file": "data/allocations.yaml", "name": None, "years": [
            {"year": y, "funding": f, "funding_status": "granted" if y == 2023 else "forecast",
             "planned": p, "fte": n, "gap": g}
            for y, f, p, n, g in base_years]},
        "others": [{"file": "data/scenarios/bdur-cut-2026.yaml",
                    "name": "BDuR cut by 10% from 2026", "years": [
                        {"year": y, "funding": f if y < 2026 else 2160000,
                         "funding_status": "granted" if y == 2023 else "forecast",
                         "planned": p, "fte": n, "gap": g if y < 2026 else 555000,
                         "difference": {"funding": 0 if y < 2026 else -240000, "planned": 0,
                                        "fte": 0, "gap": 0 if y < 2026 else -240000}}
                        for y, f, p, n, g in base_years]}],
    }


def test_compare_explain_json_names_the_lines() -> None:
    code, out, _ = run("compare", str(PLAN), str(JUNE), "--explain", "--format", "json")
    assert code == 0
    y2023 = json.loads(out)["others"][0]["years"][0]
    assert y2023["difference"] == {"funding": 0, "planned": -375000, "fte": 0, "gap": 375000}
    assert y2023["lines"][:2] == [
        {"line": "nieuwe-crises-fte", "theme": "nieuwe-crises", "base": 100000, "other": 58333,
         "difference": -41667, "status": "changed"},
        {"line": "vakbekwaamheid-fte", "theme": "vakbekwaamheid", "base": 150000,
         "other": 87500, "difference": -62500, "status": "changed"}]
    assert len(y2023["lines"]) == 8
    # Each line is rounded on its own (6 x 58,333 and 2 x 87,500, against 375,000 exactly), so
    # the lines' differences add up to 6 x -41,667 + 2 x -62,500 = -375,002: a rounding
    # difference, not a phantom change in any line.
    assert sum(x["difference"] for x in y2023["lines"]) == -375_002
    assert json.loads(out)["others"][0]["years"][1]["lines"] == []


def test_compare_table_every_scenario_side_by_side() -> None:
    code, out, err = run("compare", "data/allocations.yaml", *(str(p.relative_to(ROOT))
                                                               for p in ALL))
    assert (code, err) == (0, "")
    assert "Compared with data/allocations.yaml" in out
    for p in ALL:
        assert p.stem in out
    # fte beside the money (the memo's 11.5 fte in 2023, 13 in 2026) and its Δ last; the
    # funding's status beside it (2023 granted, the later years forecast in the plan).
    assert (" 2023   allocations                 €1,407,149   g        €1,685,000   11.5"
            "   -€277,851\n" in out)
    assert ("        staff-from-june-2023        €1,407,149   g        €1,310,000   11.5"
            "    +€97,149          €0   -€375,000   +€375,000       0" in out)
    assert ("        bdur-cut-2026               €2,160,000   f        €1,605,000     13"
            "   +€555,000   -€240,000          €0   -€240,000       0" in out)
    assert "Status: g granted, f forecast\n" in out
    assert "Lines that differ" not in out


def test_compare_explain_table_lists_lines() -> None:
    code, out, _ = run("compare", str(PLAN), str(SCENARIOS / "ghor-from-2025.yaml"),
                       str(CUT), "--explain")
    assert code == 0
    assert "Lines that differ: ghor-from-2025 against allocations" in out
    assert " 2025   ghor-fte-2025        nieuwe-crises     €0   €100,000    +€100,000   added" \
        in out
    assert "(no line differs; any difference is in funding)" in out


def test_compare_csv_and_explain_csv() -> None:
    _, out, _ = run("compare", str(PLAN), str(CUT), "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == ("file,name,year,funding,funding_status,planned,fte,gap,"
                        "funding_difference,planned_difference,fte_difference,gap_difference")
    assert lines[1] == f"{PLAN},,2023,1407149,granted,1685000,11.5,-277851,,,,"
    assert lines[-1] == (f"{CUT},BDuR cut by 10% from 2026,2026,2160000,forecast,1605000,13,"
                         "555000,-240000,0,0,-240000")
    _, out, _ = run("compare", str(PLAN), str(SCENARIOS / "external-hire-175k.yaml"),
                    "--format", "csv", "--explain")
    assert out.splitlines()[1:] == [
        f"{SCENARIOS / 'external-hire-175k.yaml'},2023,vik-extern-2023,vik,225000,262500,"
        "37500,changed",
        f"{SCENARIOS / 'external-hire-175k.yaml'},2023,bi-extern-2023,bi-specialist,150000,"
        "175000,25000,changed"]


def test_compare_errors() -> None:
    code, out, err = run("compare", str(PLAN))
    assert (code, out) == (2, "")
    assert "Missing argument 'OTHER'." in err
    code, _, err = run("compare", str(PLAN), "no-such.yaml")
    assert (code, err) == (2, "no-such.yaml: error: no such file [unreadable]\n")


def test_compare_two_plans_with_different_horizons(tmp_path: Path) -> None:
    text = PLAN.read_text().replace("horizon: {first: 2023, last: 2026}",
                                    "horizon: {first: 2023, last: 2027}").replace(
        "funding:\n", "funding:\n  2027: {amount: 2500000, status: forecast}\n", 1)
    longer = tmp_path / "longer.yaml"
    longer.write_text(text)
    result = bdur_cli.compare(PLAN, longer)
    assert result.base.years[-1].as_dict() == {"year": 2027, "funding": None,
                                               "funding_status": None, "planned": None,
                                               "fte": None, "gap": None}
    last = result.others[0].years[-1]
    assert (last.funding, last.planned, last.fte, last.difference) == (
        2500000, 1605000, 13, {"funding": None, "planned": None, "fte": None, "gap": None})


def test_api_dumps_the_same_json_as_the_cli() -> None:
    result = bdur_cli.compare(str(PLAN), bdur_cli.load(JUNE), explain=True)
    _, out, _ = run("compare", str(PLAN), str(JUNE), "--explain", "--format", "json")
    assert to_json(result.as_dict()) == out
    totals = bdur_cli.totals(bdur_cli.load(JUNE).plan, 2023)
    _, out, _ = run("totals", "2023", "-f", str(JUNE), "--format", "json")
    assert to_json(totals.as_dict()) == out
    _, out, _ = run("totals", "-f", str(JUNE), "--format", "json")
    assert to_json(bdur_cli.totals(bdur_cli.load(JUNE).plan).as_dict()) == out


def test_installed_bdur_compares_scenarios(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "bdur"
    proc = subprocess.run([str(exe), "compare", "data/allocations.yaml",
                           "data/scenarios/informatiespecialist-2025.yaml", "--explain"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert (proc.returncode, proc.stderr) == (0, "")
    # The specialist's 1 fte in 2024 goes: 12 fte -> 11.
    assert ("        informatiespecialist-2025   €1,650,000   f        €1,405,000     11"
            "   +€245,000          €0   -€100,000   +€100,000      -1") in proc.stdout
    assert (" 2024   informatiespecialist-fte-2024   informatiespecialist   €100,000      €0"
            "    -€100,000") in proc.stdout


def test_example_script_prints_real_figures(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "compare_scenarios.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    out = proc.stdout
    assert out.startswith("Base: allocations.yaml\n")
    assert "base            -€277,851     +€145,000     +€545,000     +€795,000\n" in out
    assert ("Staff from 1 June 2023 (staff-from-june-2023.yaml)\n"
            "  gap            +€97,149     +€145,000     +€545,000     +€795,000\n"
            "  change        +€375,000            €0            €0            €0\n") in out
    assert "  hurts most in 2026: change in gap -€240,000\n" in out
    assert "  2023 vik-extern-2023: €225,000 -> €262,500\n" in out
    assert out.count("\n  gap ") == 5


def test_compare_in_dutch_thousands(monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths: the title names the plan, and a long checkout path would wrap it.
    monkeypatch.chdir(ROOT)
    code, out, _ = run("compare", "data/allocations.yaml", "data/scenarios/bdur-cut-2026.yaml",
                       "--locale", "nl", "--unit", "thousand")
    assert code == 0
    out = out.replace("\u00a0", " ")  # a money cell's space does not break (tests/test_fit.py)
    assert "Vergeleken met " in out
    assert ("        bdur-cut-2026       € 2.160   p        € 1.605     13            € +555"
            "          € -240         € 0              € -240       0") in out
    assert "Status: t toegekend, p prognose" in out
    assert "bedragen x € 1.000" in out


def test_compare_json_ignores_the_locale() -> None:
    _, out, _ = run("compare", str(PLAN), str(SCENARIOS / "bdur-cut-2026.yaml"), "--format",
                    "json", "--locale", "nl")
    assert json.loads(out)["others"][0]["years"][3]["funding"] == 2160000


def test_readme_api_example() -> None:
    """The figures the README's Python API example prints."""
    import bdur_cli

    june = bdur_cli.load(ROOT / "data/scenarios/staff-from-june-2023.yaml")
    assert june.scenario.name == "Staff from 1 June 2023"
    assert bdur_cli.totals(june.plan, 2023).years[0].planned == 1310000
    result = bdur_cli.compare(ROOT / "data/allocations.yaml", june, explain=True)
    y2023 = result.others[0].years[0]
    assert y2023.difference == {"funding": 0, "planned": -375000, "fte": 0, "gap": 375000}
    assert [(x.line, x.difference) for x in y2023.lines or []][:2] == [
        ("nieuwe-crises-fte", -41667), ("vakbekwaamheid-fte", -62500)]


def test_api_names_survive_lazy_imports() -> None:
    import bdur_cli

    assert callable(bdur_cli.compare)
    assert bdur_cli.Comparison.__module__ == "bdur_cli.plan.comparison"
    assert callable(bdur_cli.compare)  # importing the module did not shadow the function
    assert set(bdur_cli.__all__) <= set(dir(bdur_cli)) | {"Comparison", "FileFigures",
                                                          "LineDifference", "YearFigures"}


def test_example_script_survives_head() -> None:
    # `| head` closes the pipe early; here the reader is gone before the first write.
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "compare_scenarios.py")],
                          stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")


NOORDERKUST = "examples/noorderkust.yaml"
ANALIST = "examples/noorderkust-analist-2026.yaml"


def test_compare_shows_income_net_and_the_reserve_where_a_plan_has_them() -> None:
    """Figures by hand in the scenario's comments: 2025 loses the analyst's 78,525 and the
    water board's 15,000 towards it; 2026 and 2027 are unchanged."""
    code, out, err = run("compare", NOORDERKUST, ANALIST, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    base_2025 = {"year": 2025, "funding": 661080, "funding_status": "granted+forecast",
                 "planned": 672005, "fte": 5.8, "income": 45810,
                 "net": 626195, "reserve_additions": 0, "reserve_withdrawals": 0,
                 "gap": 34885, "reserve_balance": 200000}
    assert data["base"]["years"][1] == base_2025
    assert list(data["base"]["years"][1]) == list(base_2025)  # balance after the gap
    assert data["others"][0]["years"][1] == {
        "year": 2025, "funding": 661080, "funding_status": "granted+forecast",
        "planned": 593480, "fte": 4.8, "income": 30810,
        "net": 562670, "reserve_additions": 0, "reserve_withdrawals": 0, "gap": 98410,
        "reserve_balance": 200000,
        "difference": {"funding": 0, "planned": -78525, "fte": -1, "income": -15000,
                       "net": -63525,
                       "reserve_additions": 0, "reserve_withdrawals": 0, "gap": 63525,
                       "reserve_balance": 0}}
    y2026 = data["others"][0]["years"][2]
    assert (y2026["net"], y2026["reserve_withdrawals"], y2026["gap"],
            y2026["reserve_balance"]) == (491141, 72000, 45761, 128000)
    assert set(y2026["difference"].values()) == {0}

    code, out, _ = run("compare", NOORDERKUST, ANALIST)
    assert code == 0
    assert (" Year   File                        Funding   Status    Planned   fte    Income"
            "        Net     Added     Drawn        Gap    Reserve   Δ funding   Δ planned"
            "      Δ net      Δ gap   Δ fte") in out
    # 2025: the analyst's 1 fte from April goes (5.8 -> 4.8 fte in force); the BDuR's
    # granted money and the water board's forecast (g+f).
    assert ("        noorderkust-analist-2026   €661,080   g+f      €593,480   4.8   €30,810"
            "   €562,670        €0        €0   +€98,410   €200,000          €0    -€78,525"
            "   -€63,525   +€63,525      -1") in out
    assert (" 2026   noorderkust                €464,902   f        €511,141     4   €20,000"
            "   €491,141        €0   €72,000   +€45,761   €128,000") in out
    assert "Status: g granted, f forecast, c conditional" in out
    assert "rounding differences" not in out  # every shown row adds up: 661,080 - 562,670

    _, out, _ = run("compare", NOORDERKUST, ANALIST, "--format", "csv")
    head, _, row_2025 = out.splitlines()[:3]
    assert head == ("file,name,year,funding,funding_status,planned,fte,income,net,"
                    "reserve_additions,"
                    "reserve_withdrawals,gap,reserve_balance,funding_difference,"
                    "planned_difference,fte_difference,income_difference,net_difference,"
                    "reserve_additions_difference,reserve_withdrawals_difference,"
                    "gap_difference,reserve_balance_difference")
    assert row_2025 == "examples/noorderkust.yaml,,2025,661080,granted+forecast,672005,5.8," \
        "45810,626195,0,0,34885,200000,,,,,,,,,"
    assert out.splitlines()[6] == ("examples/noorderkust-analist-2026.yaml,Data-analist vanaf"
                                   " 2026,2025,661080,granted+forecast,593480,4.8,30810,562670,"
                                   "0,0,98410,200000,"
                                   "0,-78525,-1,-15000,-63525,0,0,63525,0")


def test_compare_without_income_or_reserves_keeps_its_columns() -> None:
    _, out, _ = run("compare", str(PLAN), str(CUT), "--format", "csv")
    assert out.splitlines()[0] == ("file,name,year,funding,funding_status,planned,fte,gap,"
                                   "funding_difference,planned_difference,fte_difference,"
                                   "gap_difference")
    _, out, _ = run("compare", str(PLAN), str(CUT), "--format", "markdown")
    assert out.splitlines()[0] == ("| Year | File | Funding | Status | Planned | fte | Gap | "
                                   "Δ funding | Δ planned | Δ gap | Δ fte |")


def test_compare_notes_rounding_in_thousands_with_income() -> None:
    # The scenario's 2025 in thousands: planned 593,480 -> 593 less income 30,810 -> 31 shows
    # 562, but net 562,670 -> 563: the shown figures do not add up, so the note is there.
    _, out, _ = run("compare", NOORDERKUST, ANALIST, "--unit", "thousand", "--locale", "nl")
    rows = [" ".join(r.replace("\u00a0", " ").split()) for r in out.splitlines()]
    assert ("noorderkust-analist-2026 € 661 t+p € 593 4,8 € 31 € 563 € 0 € 0 € +98 € 200 € 0 € -79 "
            "€ -63 € +63 -1") in rows
    assert rows[-1] == ("bedragen x € 1.000; afrondingsverschillen: een totaal kan afwijken "
                        "van de som van de getoonde bedragen")


# --- fitted to 80 columns, with fte and the rules a file breaks ---------------------------------

def test_compare_at_80_columns_is_a_block_per_file_with_years_as_columns() -> None:
    result = bdur("compare", NOORDERKUST, ANALIST, env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) < 60  # not about 100 stacked lines
    assert " noorderkust (base)       2024       2025       2026       2027" in lines
    assert " noorderkust-analist-2026       2024       2025       2026       2027" in lines
    # By hand (the scenario's comments): 2025 net 562,670, Δ net -63,525, Δ fte -1.
    assert " Net                        €530,000   €562,670   €491,141   €491,141" in lines
    assert " Δ net                            €0   -€63,525         €0         €0" in lines
    assert " Δ fte                             0         -1          0          0" in lines


def test_compare_marks_a_year_in_which_a_file_breaks_a_rule(tmp_path: Path) -> None:
    (tmp_path / "noorderkust.yaml").write_text(Path(NOORDERKUST).read_text(encoding="utf-8"),
                                               encoding="utf-8")
    (tmp_path / "cut.yaml").write_text(
        "scenario: {name: Diepere korting}\nbase: noorderkust.yaml\nadjustments:\n"
        "  - {from_year: 2026, change: -30%}\n", encoding="utf-8")
    # 470,000 - 141,000 + 41,902 = 370,902 against net 491,141 less 72,000 drawn: -48,239.
    wide = bdur("compare", str(tmp_path / "noorderkust.yaml"),
                str(tmp_path / "cut.yaml"), env={"COLUMNS": "200"}).stdout
    rows = [line for line in wide.splitlines() if line.lstrip().startswith("cut")][1:]
    assert [r.split()[:4] for r in rows] == [
        ["cut", "€600,000", "g", "€530,000"], ["cut", "€661,080", "g+f", "€672,005"],
        ["cut", "!", "€370,902", "f"], ["cut", "!", "€370,902", "f+c"]]
    assert f"! cut breaks a rule in 2026, 2027: over-funding (bdur check {tmp_path}/cut.yaml " \
        "says where)" in wide.replace("\n", " ")
    narrow = bdur("compare", str(tmp_path / "noorderkust.yaml"),
                  str(tmp_path / "cut.yaml"), env={"COLUMNS": "80"}).stdout
    assert " cut             2024       2025     2026 !     2027 !" in narrow.splitlines()
    data = json.loads(bdur("compare", str(tmp_path / "noorderkust.yaml"),
                           str(tmp_path / "cut.yaml"), "--format",
                           "json").stdout)
    assert [y.get("rules_broken") for y in data["others"][0]["years"]] == [
        None, None, ["over-funding"], ["over-funding"]]


def test_long_file_names_wrap_after_a_folder_never_mid_word(tmp_path: Path) -> None:
    folder = tmp_path / "a-rather-long-folder-name-for-scenarios" / "and-one-more-level"
    folder.mkdir(parents=True)
    (folder / "allocations.yaml").write_bytes(PLAN.read_bytes())
    (folder / "staff-from-june-2023.yaml").write_text(
        JUNE.read_text(encoding="utf-8").replace("base: ../allocations.yaml",
                                                 "base: allocations.yaml"), encoding="utf-8")
    base = "a-rather-long-folder-name-for-scenarios/and-one-more-level/allocations.yaml"
    other = base.replace("allocations", "staff-from-june-2023")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = bdur("compare", base, other, env={"COLUMNS": "80"})
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    # The title: at 80 columns the path goes on its own line, whole (69 characters).
    assert lines[:2] == ["Compared with", base]
    # The Files table: each folder whole on its line (before: `...-for-scenario` `s/and...`).
    files = "\n".join(lines[lines.index("Files"):lines.index("Per year, against the base")])
    for piece in ("a-rather-long-folder-name-for-scenarios/", "and-one-more-level/",
                  "allocations.yaml", "(base)", "staff-from-june-2023.yaml"):
        assert piece in files, files


def test_the_rule_footnote_is_dutch_with_locale_nl(monkeypatch: pytest.MonkeyPatch) -> None:
    # Run in the example's folder: the footnote names the file as given, whatever the
    # checkout's path (a long one would wrap it).
    monkeypatch.chdir(ROOT / "examples" / "two-cuts")
    result = bdur("compare", "plan.yaml", "deeper-cuts.yaml", "--locale", "nl",
                  env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "! deeper-cuts breekt een regel in 2026: structural-not-covered\n"
        "  (bdur check deeper-cuts.yaml zegt waar)\n")
