"""Issue 23's "done when", as a test: a plan with income, a reserve, a conditional grant and two
cuts (examples/two-cuts/plan.yaml) and a scenario that breaks a rule (deeper-cuts.yaml), read
at 80 columns in every command: no line is wider, every amount of the command's json appears
whole in its text, and the scenario's finding points at the scenario's own line."""

from __future__ import annotations

import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.render.fit import amounts_whole
from conftest import ROOT, bdur

PLAN = "examples/two-cuts/plan.yaml"
SCENARIO = "examples/two-cuts/deeper-cuts.yaml"
#: Figures that are no money: years, fte, positions.
NOT_MONEY = {"year", "fte", "average_fte", "line", "column"}
#: What a command's json holds beyond its table by design: Table 2 has no column of a row's
#: total over the years (the memo's layout), and its funding row is every source together; the
#: totals of every year give funding, not each source (`bdur totals YEAR` does); both give
#: the reserves together (their balance), not each reserve's opening.
BEYOND = {"report": {"total", "funding_sources", "reserves"},
          "totals": {"funding_sources", "reserves"}}


def money(data: Any, skip: set[str]) -> list[int]:
    """Every amount in a json answer: its numbers, but years, fte and positions."""
    if isinstance(data, dict):
        return [a for k, v in data.items() if k not in NOT_MONEY | skip and not (
            k == "years" and all(isinstance(y, int) for y in v)) for a in money(v, skip)]
    if isinstance(data, list):
        return [a for v in data for a in money(v, skip)]
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return [int(Decimal(str(data)))]
    return []


def shown(amount: int) -> str:
    return f"€{abs(amount):,}"


@pytest.mark.parametrize("args", [
    ("totals", "-f", PLAN), ("totals", "-f", SCENARIO), ("totals", "2026", "-f", SCENARIO),
    ("report", "-f", PLAN), ("report", "-f", SCENARIO), ("compare", PLAN, SCENARIO)],
    ids=lambda a: " ".join(a))
def test_every_amount_whole_at_80_columns(args: tuple[str, ...]) -> None:
    text = bdur(*args, env={"COLUMNS": "80"})
    assert text.exit_code == 0, text.output
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
    data = json.loads(bdur(*args, "--format", "json").stdout)
    one_year = args[1].isdigit()
    amounts = sorted({shown(a) for a in money(data, {"reserves"} if one_year else
                                              BEYOND.get(args[0], set()))})
    assert len(amounts) > 10
    assert amounts_whole(text.stdout, amounts) == []


def test_the_hand_figures_of_2026() -> None:
    # By hand in the files' comments: the plan's cuts add up to -60,000, its gap is +70,000;
    # the scenario's to -140,000, funding 280,000, gap -10,000.
    plan = json.loads(bdur("totals", "2026", "-f", PLAN, "--format", "json").stdout)
    assert (plan["funding_adjustment"], plan["funding"], plan["net"], plan["gap"]) == (
        -60000, 360000, 320000, 70000)
    deeper = json.loads(bdur("totals", "2026", "-f", SCENARIO, "--format", "json").stdout)
    assert (deeper["funding_adjustment"], deeper["funding"], deeper["gap"]) == (
        -140000, 280000, -10000)
    assert deeper["funding_sources"] == {"bdur": {"amount": 260000, "status": "forecast"},
                                         "provincie": {"amount": 20000,
                                                       "status": "conditional"}}


def test_the_chart_cuts_no_amount_at_80_columns() -> None:
    chart = bdur("chart", "-f", SCENARIO, env={"COLUMNS": "80"})
    assert chart.exit_code == 0
    assert max(len(line) for line in chart.stdout.splitlines()) <= 80
    assert amounts_whole(chart.stdout, ["€320,000", "€300,000 + €10,000 added",
                                        "€280,000 + €30,000 drawn",
                                        "€320,000 + €20,000 income", "+€10,000"]) == []


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit"])
def test_the_scenarios_finding_points_into_the_scenario(fmt: str) -> None:
    result = bdur("check", "--format", fmt, PLAN, SCENARIO, env={"COLUMNS": "80"})
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    # Line 8 of deeper-cuts.yaml is its `adjustments:`, the change that breaks the rule.
    if fmt == "text":  # folded to the 80 columns, at a space
        assert f"{SCENARIO}:8:1: error: 2026: structural costs €300,000\n    exceed funding " \
            "€280,000" in out
        assert max(len(line) for line in out.splitlines()) <= 80
        assert "in scenario 'Diepere korting 2026'" in out
    elif fmt == "json":
        [finding] = [f for f in json.loads(result.stdout)["files"][1]["findings"]]
        assert (finding["path"], finding["line"], finding["code"]) == (
            SCENARIO, 8, "structural-not-covered")
    elif fmt == "github":
        assert f"::error file={SCENARIO},line=8,col=1,title=structural-not-covered::" in out
    elif fmt == "gitlab":
        [issue] = json.loads(result.stdout)
        assert (issue["location"]["path"], issue["location"]["lines"]["begin"]) == (SCENARIO, 8)
    else:  # JUnit: under the scenario's own testsuite, at its line
        assert re.search(f'<testsuite name="{SCENARIO}" tests="[0-9]+" failures="1"', out)
        assert f'message="{SCENARIO}:8:1: 2026: structural costs €300,000' in out
    assert PLAN + ":" not in out.replace(SCENARIO, "")


def test_bdur_diff_of_the_deeper_cut_at_80_columns(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The plan committed, then its second cut deepened from -5% to -25% (as the scenario does):
    # Δ funding 2026 = -20% of 400,000 = -80,000. Before, the changed setting was the two whole
    # adjustments lists side by side, a table of 482 columns that did not fit.
    from test_diff import commit, git

    # A predictable git, as tests/test_diff.py sets it up.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Controller")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "controller@example.org")
    shutil.copy(ROOT / PLAN, tmp_path / "plan.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "two cuts")
    text = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text.replace("change: -5%,", "change: -25%,"),
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = bdur("diff", "HEAD", "plan.yaml", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "this table needs" not in result.stdout
    # 260,000 + 20,000 = 280,000 is below the structural 300,000: the year is marked.
    assert " 2026 !   -€80,000         0     0   -€80,000   -€10,000   -€80,000         €0" \
        in lines
    assert " adjustments.2.change      -5%    -25%" in lines


def test_totals_year_at_80_columns_keeps_a_long_theme_name_whole() -> None:
    # Issue 23: 'Informatiepositie' (17 letters, no space) was folded into 'Informatieposi' /
    # 'tie' in the goal-and-theme table; the name needs 17 columns beside five amounts.
    text = bdur("totals", "2026", "-f", PLAN, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert text.exit_code == 0, text.output
    out = text.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Informatiepositie" in out and "Informatieposi\n" not in out
    assert not re.search(r"^\s*tie\b", out, re.MULTILINE)
    # The theme's 2026 by hand: 3 fte x 100,000 = 300,000 staff + 40,000 means = 340,000.
    table = out[out.index("By goal and theme"):]
    assert amounts_whole(table, ["€340,000", "€40,000", "€300,000"]) == []


def test_a_scenarios_scale_is_the_bdurs_and_the_plans_cuts_follow_it(tmp_path: Path) -> None:
    # docs/scenarios.md: `funding.scale` multiplies the BDuR as written, other sources keep
    # theirs, and the plan's adjustments then cut the scaled amount. By hand, 2026:
    # 400,000 x 0.9 = 360,000; -10% - 5% = -54,000; BDuR 306,000; the province 20,000.
    shutil.copy(ROOT / PLAN, tmp_path / "plan.yaml")
    scaled = tmp_path / "scaled.yaml"
    scaled.write_text("scenario: {name: scaled}\nbase: plan.yaml\n"
                      "funding:\n  scale: {factor: 0.9, from_year: 2026}\n", encoding="utf-8")
    result = bdur("totals", "2026", "-f", str(scaled), "--format", "json")
    assert result.exit_code == 0, result.output
    year = json.loads(result.stdout)
    year = year[0] if isinstance(year, list) else year
    assert year["funding_sources"]["bdur"]["amount"] == 306000
    assert year["funding_sources"]["provincie"]["amount"] == 20000
    assert (year["funding_adjustment"], year["funding"]) == (-54000, 326000)


def test_one_year_nests_the_adjustment_under_the_source_it_cuts(
        shipped: Any) -> None:
    # By hand (the plan's comments): 10% + 5% of the BDuR's 400,000 is -60,000, the BDuR
    # gives 340,000 and the province 20,000. The cut stood under the province's line, where
    # it read as the province's; now it is a step in under the BDuR's.
    lines = bdur("totals", "2026", "-f", PLAN, env={"COLUMNS": "80"}).stdout.splitlines()
    at = lines.index(" Funding (forecast+conditional)   €360,000")
    assert lines[at + 1:at + 4] == ["   bdur (forecast)                €340,000",
                                    "     of which adjusted            -€60,000",
                                    "   provincie (conditional)         €20,000"]
    # A cut of the province's grant (-25% of 20,000 = -5,000) stands under the province.
    cut = shipped(PLAN, "  - {from_year: 2026, change: -5%, note: Tweede korting}",
                  "  - {source: provincie, from_year: 2026, change: -25%}")
    lines = bdur("totals", "2026", "-f", cut, env={"COLUMNS": "80"}).stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith(" Funding ("))
    assert [x.split() for x in lines[at:at + 5]] == [
        ["Funding", "(forecast+conditional)", "€375,000"],
        ["bdur", "(forecast)", "€360,000"], ["of", "which", "adjusted", "-€40,000"],
        ["provincie", "(conditional)", "€15,000"], ["of", "which", "adjusted", "-€5,000"]]
    # A year with no cut in force: the row under the source it cuts, at 0.
    lines = bdur("totals", "2025", "-f", PLAN, env={"COLUMNS": "80"}).stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith(" Funding ("))
    assert [x.split() for x in lines[at + 1:at + 4]] == [
        ["bdur", "(granted)", "€300,000"], ["of", "which", "adjusted", "€0"],
        ["provincie", "(granted)", "€20,000"]]


#: The plan's rules with planned within funding too: deeper-cuts.yaml then breaks two rules in
#: 2026 (by hand: structural 300,000 above funding 260,000 + 20,000 = 280,000,
#: structural-not-covered; 280,000 against net 320,000 less the 30,000 drawn is -10,000,
#: over-funding), in the order bdur check finds them.
BOTH_RULES = ("  structural_within_funding: true",
              "  planned_within_funding: {from_year: 2025}\n  structural_within_funding: true")


def test_compare_gives_one_footnote_per_file_and_never_breaks_its_command(
        shipped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped(PLAN, *BOTH_RULES)
    shipped(SCENARIO, name="deeper-cuts.yaml")
    monkeypatch.chdir(tmp_path)  # the files as a user names them
    plan, deeper = "plan.yaml", "deeper-cuts.yaml"
    lines = bdur("compare", plan, deeper, env={"COLUMNS": "80"}).stdout.splitlines()
    notes = [x for x in lines if x.startswith("! ")]
    assert notes == ["! deeper-cuts breaks rules in 2026: structural-not-covered, "
                     "over-funding"]
    # The command on a line of its own (it does not fit beside the words), whole.
    assert lines[lines.index(notes[0]) + 1] == f"  (bdur check {deeper} says where)"
    wide = bdur("compare", plan, deeper, env={"COLUMNS": "200"}).stdout.splitlines()
    assert (f"! deeper-cuts breaks rules in 2026: structural-not-covered, over-funding "
            f"(bdur check {deeper} says where)") in wide
    markdown = bdur("compare", plan, deeper, "--format", "markdown").stdout
    assert markdown.count("! deeper-cuts breaks") == 1


def test_compare_on_granted_money_says_so_and_sends_to_no_check(shipped: Any) -> None:
    # On granted money 2026 has no funding at all (the BDuR a forecast, the province's grant
    # conditional), so the plan breaks both rules too, which bdur check (all funding) does not
    # find in it: no 'bdur check' to run.
    plan = shipped(PLAN, *BOTH_RULES)
    deeper = shipped(SCENARIO, name="deeper-cuts.yaml")
    assert bdur("check", plan).exit_code == 0
    text = bdur("compare", plan, deeper, "--funding", "granted", env={"COLUMNS": "200"}).stdout
    assert [x for x in text.splitlines() if x.startswith("! ")] == [
        "! plan breaks rules on granted money alone in 2026: structural-not-covered, "
        "over-funding",
        "! deeper-cuts breaks rules on granted money alone in 2026: structural-not-covered, "
        "over-funding"]
    assert "bdur check" not in text
