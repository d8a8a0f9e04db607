"""`bdur compare`, the comparison API and the example script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import bdur_cli
from bdur_cli.cli import app
from bdur_cli.render.encode import to_json
from conftest import PLAN, ROOT, SCENARIOS

runner = CliRunner()
JUNE = SCENARIOS / "staff-from-june-2023.yaml"
CUT = SCENARIOS / "bdur-cut-2026.yaml"
ALL = sorted(SCENARIOS.glob("*.yaml"))


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
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
    base_years = [(2023, 1407149, 1685000, -277851), (2024, 1650000, 1505000, 145000),
                  (2025, 2150000, 1605000, 545000), (2026, 2400000, 1605000, 795000)]
    assert json.loads(out) == {
        "base": {"file": "data/allocations.yaml", "name": None, "years": [
            {"year": y, "funding": f, "planned": p, "gap": g} for y, f, p, g in base_years]},
        "others": [{"file": "data/scenarios/bdur-cut-2026.yaml",
                    "name": "BDuR cut by 10% from 2026", "years": [
                        {"year": y, "funding": f if y < 2026 else 2160000, "planned": p,
                         "gap": g if y < 2026 else 555000,
                         "difference": {"funding": 0 if y < 2026 else -240000, "planned": 0,
                                        "gap": 0 if y < 2026 else -240000}}
                        for y, f, p, g in base_years]}],
    }


def test_compare_explain_json_names_the_lines() -> None:
    code, out, _ = run("compare", str(PLAN), str(JUNE), "--explain", "--format", "json")
    assert code == 0
    y2023 = json.loads(out)["others"][0]["years"][0]
    assert y2023["difference"] == {"funding": 0, "planned": -375000, "gap": 375000}
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
    assert (" 2023   allocations                 €1,407,149   €1,685,000   -€277,851\n"
            in out)
    assert ("        staff-from-june-2023        €1,407,149   €1,310,000    +€97,149"
            "          €0   -€375,000   +€375,000" in out)
    assert ("        bdur-cut-2026               €2,160,000   €1,605,000   +€555,000"
            "   -€240,000          €0   -€240,000" in out)
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
    assert lines[0] == ("file,name,year,funding,planned,gap,funding_difference,"
                        "planned_difference,gap_difference")
    assert lines[1] == f"{PLAN},,2023,1407149,1685000,-277851,,,"
    assert lines[-1] == (f"{CUT},BDuR cut by 10% from 2026,2026,2160000,1605000,555000,"
                         "-240000,0,-240000")
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
                                               "planned": None, "gap": None}
    last = result.others[0].years[-1]
    assert (last.funding, last.planned, last.difference) == (
        2500000, 1605000, {"funding": None, "planned": None, "gap": None})


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
    assert ("        informatiespecialist-2025   €1,650,000   €1,405,000   +€245,000"
            "          €0   -€100,000   +€100,000") in proc.stdout
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


def test_compare_in_dutch_thousands() -> None:
    code, out, _ = run("compare", str(PLAN), str(SCENARIOS / "bdur-cut-2026.yaml"), "--locale",
                       "nl", "--unit", "thousand")
    assert code == 0
    out = out.replace("\u00a0", " ")  # a money cell's space does not break (tests/test_fit.py)
    assert "Vergeleken met " in out
    assert ("        bdur-cut-2026       € 2.160   € 1.605            € +555          € -240"
            "         € 0              € -240") in out
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
    assert y2023.difference == {"funding": 0, "planned": -375000, "gap": 375000}
    assert [(x.line, x.difference) for x in y2023.lines or []][:2] == [
        ("nieuwe-crises-fte", -41667), ("vakbekwaamheid-fte", -62500)]


def test_api_names_survive_lazy_imports() -> None:
    import bdur_cli

    assert callable(bdur_cli.compare)
    assert bdur_cli.Comparison.__module__ == "bdur_cli.comparison"
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
