"""Scenario files: the shipped ones, their figures, and located errors for broken overlays."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import bdur_cli
from bdur_cli.errors import BdurError
from bdur_cli.plan.checks import rule_findings
from bdur_cli.plan.pipeline import check_file, load_plan
from bdur_cli.render.findings import CheckFormat, render
from conftest import PLAN, ROOT, SCENARIOS

SHIPPED = sorted(p.name for p in SCENARIOS.glob("*.yaml"))


def figures(path: Path | str) -> dict[int, tuple[int, int, int]]:
    plan = bdur_cli.load(path).plan
    return {t.year: (int(t.funding), int(t.planned), int(t.gap))
            for t in bdur_cli.totals(plan).years}


def errors(path: Path) -> list[str]:
    with pytest.raises(BdurError) as info:
        load_plan(path, display=path.name)
    return [f"{f.location}: {f.message} [{f.code}]" for f in info.value.findings]


def test_five_scenarios_are_shipped() -> None:
    assert SHIPPED == ["bdur-cut-2026.yaml", "external-hire-175k.yaml", "ghor-from-2025.yaml",
                       "informatiespecialist-2025.yaml", "staff-from-june-2023.yaml"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_loads_and_keeps_its_rules(name: str) -> None:
    loaded = load_plan(SCENARIOS / name)
    assert loaded.scenario is not None and loaded.scenario.name
    assert rule_findings(loaded.plan) == []  # stated totals and the base's rules hold
    first, second = (SCENARIOS / name).read_text().splitlines()[:2]
    assert first == "# yaml-language-server: $schema=../bdur-scenario.schema.json"
    assert second.startswith("# What if")  # says what it models


def test_scenarios_load_from_the_package_data_alone(tmp_path: Path) -> None:
    # The installed package has bdur_cli/data/{allocations.yaml,scenarios/} and no repository
    # around it: a copy of that tree must load the same figures.
    shutil.copytree(Path(str(resources.files("bdur_cli") / "data")), tmp_path / "data")
    for name in SHIPPED:
        assert figures(tmp_path / "data" / "scenarios" / name) == figures(SCENARIOS / name)


def test_staff_from_june_2023() -> None:
    # 9 structural fte from month 6: 7/12 of 900,000 = 525,000, so 2023 staff falls by 375,000.
    got = figures(SCENARIOS / "staff-from-june-2023.yaml")
    assert got[2023] == (1_407_149, 1_310_000, 97_149)
    assert got[2024] == (1_650_000, 1_505_000, 145_000)


def test_bdur_cut_2026() -> None:
    got = figures(SCENARIOS / "bdur-cut-2026.yaml")
    assert got[2026] == (2_160_000, 1_605_000, 555_000)
    assert got[2025] == (2_150_000, 1_605_000, 545_000)


def test_external_hire_and_postponed_role_and_ghor() -> None:
    assert figures(SCENARIOS / "external-hire-175k.yaml")[2023] == (1_407_149, 1_747_500,
                                                                      -340_351)
    assert figures(SCENARIOS / "informatiespecialist-2025.yaml")[2024] == (1_650_000,
                                                                           1_405_000, 245_000)
    ghor = figures(SCENARIOS / "ghor-from-2025.yaml")
    assert (ghor[2024][1], ghor[2025][1], ghor[2026][1]) == (1_505_000, 1_730_000, 1_730_000)


def test_scenario_title_and_the_base_plan_is_untouched() -> None:
    loaded = bdur_cli.load(SCENARIOS / "bdur-cut-2026.yaml")
    assert loaded.plan.plan.title.endswith("— scenario: BDuR cut by 10% from 2026")
    assert figures(PLAN)[2026] == (2_400_000, 1_605_000, 795_000)
    assert type(loaded.plan.funding[2026].amount) is Decimal


def test_scale_rounds_half_up_and_set_wins(scenario: Callable[[str], Path]) -> None:
    path = scenario("funding:\n  scale: {factor: 0.3333335}\n"
                    "  set: {2026: {amount: 1000000, status: granted}}\n")
    assert errors(path) == [
        "s.yaml:4:19: funding.scale.factor: a factor has at most 6 decimals, got 0.3333335 "
        "[out-of-range]"]
    path = scenario("funding:\n  scale: {factor: 0.333333, until: 2024}\n"
                    "  set: {2026: {amount: 1000000, status: granted}}\n")
    loaded = bdur_cli.load(path)
    # 1,407,149 × 0.333333 = 469,049.19 -> 469,049; 1,650,000 × 0.333333 = 549,999.45 -> 549,999
    assert {y: (int(f.amount), f.status) for y, f in loaded.plan.funding.items()} == {
        2023: (469_049, "granted"), 2024: (549_999, "forecast"), 2025: (2_150_000, "forecast"),
        2026: (1_000_000, "granted")}


def test_change_and_remove_and_add(scenario: Callable[[str], Path]) -> None:
    path = scenario("lines:\n"
                    "  remove: [vik-fte-2024]\n"
                    "  change:\n"
                    "    - {id: juridisch-fte, fte: 2, start_month: 4}\n"
                    "    - {id: vik-middelen, amount: null, fte: 1, rate: external}\n"
                    "  add:\n"
                    "    - {theme: juridisch, id: juridisch-extra, type: incidental, year: 2024,"
                    " amount: 30000}\n")
    got = figures(path)
    # 2023: juridisch 2 fte × 9/12 = 150,000 (+50,000); vik-middelen 120,000 -> 150,000
    assert got[2023][1] == 1_685_000 + 50_000 + 30_000
    # 2024: -100,000 (vik-fte-2024) +100,000 (juridisch) +30,000 +30,000 (added, vik)
    assert got[2024][1] == 1_505_000 - 100_000 + 100_000 + 30_000 + 30_000


def test_chained_scenario(scenario: Callable[[str], Path], write: Callable[..., Path]) -> None:
    scenario("funding:\n  scale: {factor: 0.9, from_year: 2026}\n", "cut.yaml")
    path = write("scenario: {name: Cut and late}\nbase: cut.yaml\n"
                 "shift:\n  - select: {line: informatiespecialist-fte-2024}\n    year: 2025\n",
                 "late.yaml")
    got = figures(path)
    assert (got[2024][1], got[2026][0]) == (1_405_000, 2_160_000)
    assert [s.path for s in bdur_cli.load(path).files] == [
        str(path), str(path.parent / "cut.yaml"), str(path.parent / "allocations.yaml")]


# --- located errors ---------------------------------------------------------------------------

def test_unknown_ids_are_named_and_located(scenario: Callable[[str], Path]) -> None:
    path = scenario("lines:\n"
                    "  remove: [vik-fte-2025]\n"
                    "  change:\n"
                    "    - {id: juridish-fte, note: x}\n"
                    "  add:\n"
                    "    - {theme: vikk, id: x, type: incidental, year: 2023, amount: 5}\n"
                    "    - {theme: vik, id: vik-fte, type: incidental, year: 2023, amount: 5}\n"
                    "shift:\n"
                    "  - select: {line: nope}\n"
                    "    start_month: 6\n"
                    "  - select: {theme: vik, kind: means, year: 2025}\n"
                    "    start_month: 3\n")
    assert errors(path) == [
        "s.yaml:4:12: remove: unknown line id 'vik-fte-2025' [unknown-line]",
        "s.yaml:6:12: change: unknown line id 'juridish-fte' [unknown-line]",
        "s.yaml:8:15: add: line 'x' names theme 'vikk', which is not in the base plan "
        "[unknown-theme]",
        "s.yaml:9:24: add: line id 'vik-fte' already exists in the base plan [duplicate-id]",
        "s.yaml:11:20: shift: unknown line id 'nope' [unknown-line]",
        "s.yaml:13:13: shift: no line matches (lines with theme vik, kind means, year 2025) "
        "[empty-selection]",
    ]
    with pytest.raises(BdurError) as info:
        load_plan(path)
    assert info.value.findings[0].hint == "did you mean 'vik-fte-2024'?"


def test_line_added_twice(scenario: Callable[[str], Path]) -> None:
    line = "{theme: vik, id: vik-new, type: incidental, year: 2023, amount: 5}"
    path = scenario(f"lines:\n  add:\n    - {line}\n    - {line}\n")
    assert errors(path) == ["s.yaml:6:24: add: line id 'vik-new' is added twice [duplicate-id]"]


def test_invalid_field_in_an_added_line(scenario: Callable[[str], Path]) -> None:
    path = scenario("lines:\n  add:\n"
                    "    - theme: vik\n      id: vik-new\n      type: incidental\n"
                    "      year: 2023\n      amount: 1.000\n      colour: red\n")
    assert errors(path) == [
        "s.yaml:9:15: lines.add[0].amount: '1.000' uses a Dutch thousands separator or decimal "
        "comma; it is not the number you mean [dutch-number]",
        "s.yaml:10:7: unknown key 'colour' [unknown-key]"]


def test_changed_line_must_stay_valid(scenario: Callable[[str], Path]) -> None:
    path = scenario("lines:\n  change:\n    - {id: juridisch-fte, amount: 5}\n")
    assert errors(path) == ["s.yaml:5:7: lines.change[0]: a line has either 'fte' (with "
                            "'rate') or 'amount', not both [schema]"]


def test_shift_outside_the_horizon_is_located_at_the_shift(
        scenario: Callable[[str], Path]) -> None:
    path = scenario("shift:\n  - select: {line: juridisch-fte}\n    year: 2031\n")
    assert errors(path) == ["s.yaml:5:11: line 'juridisch-fte' starts in 2031, outside the "
                            "horizon 2023-2026 [year-outside-horizon]"]


def test_cycle_is_located_at_the_base_line(write: Callable[..., Path]) -> None:
    write("scenario: {name: A}\nbase: b.yaml\n", "a.yaml")
    path = write("scenario: {name: B}\n# loops\nbase: a.yaml\n", "b.yaml")
    assert errors(path) == ["a.yaml:2:7: base 'b.yaml' leads back to a file already on the "
                            "way: b.yaml -> a.yaml -> b.yaml [scenario-cycle]"]
    self_loop = write("scenario: {name: S}\nbase: ./self.yaml\n", "self.yaml")
    assert errors(self_loop) == ["self.yaml:2:7: base './self.yaml' leads back to a file "
                                 "already on the way: self.yaml -> self.yaml [scenario-cycle]"]


def test_bad_base_path(write: Callable[..., Path]) -> None:
    path = write("scenario:\n  name: X\nbase: ../nope/plan.yaml\n", "x.yaml")
    assert errors(path) == ["x.yaml:3:7: base '../nope/plan.yaml' cannot be read: no such file "
                            "(../nope/plan.yaml) [bad-base]"]


def test_misspelt_scenario_key_gets_a_hint(scenario: Callable[[str], Path]) -> None:
    path = scenario("funding:\n  scale: {factor: 0.9, from_yaer: 2026}\n")
    with pytest.raises(BdurError) as info:
        load_plan(path, display="s.yaml")
    [f] = info.value.findings
    assert (str(f.location), f.message, f.hint) == (
        "s.yaml:4:24", "unknown key 'from_yaer'", "did you mean 'from_year'?")


def test_findings_about_untouched_lines_point_into_the_base() -> None:
    loaded = load_plan(SCENARIOS / "ghor-from-2025.yaml")
    themes = [t.id for t in loaded.plan.themes]
    t = themes.index("nieuwe-crises")
    # Line 0 of the theme is the base's; lines 4 and 5 were added by the scenario.
    assert str(loaded.locate(("themes", t, "lines", 0, "fte"))).endswith(
        "data/allocations.yaml:71:14")
    assert str(loaded.locate(("themes", t, "lines", 4, "fte"))) == \
        f"{SCENARIOS / 'ghor-from-2025.yaml'}:21:12"
    june = load_plan(SCENARIOS / "staff-from-june-2023.yaml")
    assert str(june.locate(("themes", 1, "lines", 0, "start_month"))) == \
        f"{SCENARIOS / 'staff-from-june-2023.yaml'}:21:18"
    assert str(june.locate(("themes", 1, "lines", 0, "fte"))).endswith(
        "data/allocations.yaml:99:14")


def test_over_funding_in_a_scenario_is_located_at_its_funding(
        scenario: Callable[[str], Path]) -> None:
    path = scenario("funding:\n  set:\n    2025: {amount: 1500000}\n")
    loaded = load_plan(path, display="s.yaml")
    assert [(f.code, str(loaded.locate(f.path))) for f in rule_findings(loaded.plan)] == [
        ("structural-not-covered", "s.yaml:5:20"), ("over-funding", "s.yaml:5:20")]


def test_plan_key_in_a_scenario_is_refused(scenario: Callable[[str], Path]) -> None:
    path = scenario("themes: []\n")
    with pytest.raises(BdurError) as info:
        load_plan(path, display="s.yaml")
    [f] = info.value.findings
    assert (str(f.location), f.message, f.hint) == (
        "s.yaml:3:1", "unknown key 'themes'",
        "'themes' is not allowed here; a scenario changes lines with 'lines: {add, change, "
        "remove}' and 'shift'")


@pytest.mark.parametrize(("written", "hint"), [
    ("2024-09", "write start_month: 9"),  # the month as a plan's `start` writes it
    ("2024-9", "write start_month: 9"),
    ("september", "e.g. start_month: 9 for September"),
])
def test_a_start_month_written_as_a_month(scenario: Callable[[str], Path], written: str,
                                          hint: str) -> None:
    path = scenario(f"shift:\n  - select: {{line: juridisch-fte}}\n    start_month: {written}\n")
    with pytest.raises(BdurError) as info:
        load_plan(path, display="s.yaml")
    [f] = info.value.findings
    assert (str(f.location), f.message, f.hint) == (
        "s.yaml:5:18", f"shift[0].start_month: expected a month number 1-12, got '{written}'",
        hint)


def test_scale_span_that_ends_before_it_starts(scenario: Callable[[str], Path]) -> None:
    path = scenario("funding:\n  scale: {factor: 0.9, from_year: 2026, until: 2024}\n")
    with pytest.raises(BdurError) as info:
        load_plan(path, display="s.yaml")
    [f] = info.value.findings
    assert (f.code, str(f.location)) == ("schema", "s.yaml:4:10")
    assert f.message == ("funding.scale: 'until' (2024) is before 'from_year' (2026): nothing "
                         "would be scaled")


@pytest.mark.parametrize(("factor", "message"), [
    ("true", "expected a factor such as 0.9, got true [schema]"),
    ("[0.9]", "expected a factor such as 0.9, got ['0.9'] [schema]"),
    ("nine", "expected a factor such as 0.9, got 'nine' [schema]"),
    ("0", "a factor is above 0 and at most 10, got 0 [out-of-range]"),
    ("10.000001", "a factor is above 0 and at most 10, got 10.000001 [out-of-range]"),
])
def test_a_factor_that_is_not_one(scenario: Callable[[str], Path], factor: str,
                                  message: str) -> None:
    path = scenario(f"funding:\n  scale: {{factor: {factor}}}\n")
    assert errors(path) == [f"s.yaml:4:19: funding.scale.factor: {message}"]


def test_a_factor_of_exactly_10_is_allowed(scenario: Callable[[str], Path]) -> None:
    path = scenario("funding:\n  scale: {factor: 10, until: 2023}\n")
    # 1,407,149 x 10 = 14,071,490: the upper bound itself is a factor.
    assert bdur_cli.load(path).plan.funding[2023].amount == 14_071_490


def test_funding_set_accepts_conditional_like_a_plans_funding(
        scenario: Callable[[str], Path]) -> None:
    # The plan format allows granted, forecast and conditional; a scenario's `set` is a patch
    # of that same funding, so it must allow the same three.
    path = scenario("funding:\n  set:\n    2026: {status: conditional, note: Onder voorwaarden}\n")
    funding = load_plan(path).plan.funding[2026]
    assert (funding.amount, funding.status, funding.note) == (
        Decimal(2_400_000), "conditional", "Onder voorwaarden")


DEEPER_CUT = """scenario: {name: Diepere korting}
base: noorderkust.yaml
adjustments:
  - {source: bdur, from_year: 2026, change: -10%}
  - {source: bdur, from_year: 2026, change: -20%}
"""


@pytest.fixture
def deeper_cut(write: Callable[..., Path], tmp_path: Path) -> Path:
    """Noorderkust (examples/) and a scenario whose two cuts break planned_within_funding."""
    write((ROOT / "examples" / "noorderkust.yaml").read_text(encoding="utf-8"),
          "noorderkust.yaml")
    return write(DEEPER_CUT, "cut.yaml")


def test_a_rule_the_scenario_breaks_points_into_the_scenario_and_names_it(
        deeper_cut: Path) -> None:
    # By hand: BDuR 2026 470,000 cut by 10% + 20% = -141,000 -> 329,000; gemeenten 40,000 x
    # 1.04754 = 41,902; funding 370,902 against net 491,141 less 72,000 from the reserve:
    # shortfall 48,239. Both cuts together cause it: the finding is at `adjustments:` (line 3).
    checked = check_file(deeper_cut, "cut.yaml")
    errors = [f for f in checked.findings if f.level == "error"]
    assert [(str(f.location), f.code) for f in errors] == [
        ("cut.yaml:3:1", "over-funding"), ("cut.yaml:3:1", "over-funding")]
    assert errors[0].message == (
        "2026: net cost €491,141 with €72,000 from the reserves exceeds funding €370,902 "
        "(bdur €329,000, gemeenten €41,902, after adjustments of -€141,000); shortfall "
        "€48,239")
    text = render([checked], CheckFormat.text)
    assert "cut.yaml:3:1: error: 2026:" in text
    assert "  in scenario 'Diepere korting'\n" in text
    # The base's own warning stays in the base, and says which scenario was checked.
    assert ("noorderkust.yaml:132:18: warning: line 'piket-regeling'" in text
            and "  in scenario 'Diepere korting' (cut.yaml)\n" in text)
    github = render([checked], CheckFormat.github)
    assert ("::error file=cut.yaml,line=3,col=1,title=over-funding::2026: net cost "
            in github and "%0Ain scenario 'Diepere korting'%0Ahint:" in github)
    gitlab = json.loads(render([checked], CheckFormat.gitlab))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in gitlab] == [
        ("cut.yaml", 3), ("cut.yaml", 3), ("noorderkust.yaml", 132)]
    assert "(in scenario 'Diepere korting')" in gitlab[0]["description"]


def test_one_cut_that_breaks_a_rule_is_pointed_at_itself(write: Callable[..., Path],
                                                          deeper_cut: Path) -> None:
    one = write(DEEPER_CUT.replace("  - {source: bdur, from_year: 2026, change: -10%}\n", "")
                .replace("-20%", "-30%"), "one.yaml")
    errors = [f for f in check_file(one, "one.yaml").findings if f.level == "error"]
    assert [str(f.location) for f in errors] == ["one.yaml:4:5", "one.yaml:4:5"]


def test_a_finding_the_base_has_too_stays_in_the_base(scenario: Callable[[str], Path],
                                                      plan_text: str, tmp_path: Path) -> None:
    # The base is over funding in 2023 by itself (its rule made to hold from 2023); the
    # scenario's one added line (+200,000) takes 2024 from +145,000 to -55,000.
    path = scenario("lines:\n  add:\n    - {theme: vik, id: extra, type: incidental, "
                    "year: 2024, amount: 200000}\n")
    (tmp_path / "allocations.yaml").write_text(
        plan_text.replace("    from_year: 2024\n", "    from_year: 2023\n"), encoding="utf-8")
    found = [(f.message[:5], str(f.location)) for f in check_file(path, "s.yaml").findings
             if f.code == "over-funding"]
    assert plan_text.splitlines()[21] == "    amount: 1407149"  # line 22, value at column 13
    assert found == [("2023:", "allocations.yaml:22:13"), ("2024:", "s.yaml:5:7")]


def test_the_python_example_of_the_docs_prints_what_its_comments_say(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    expected = []
    for n, line in enumerate(lines):
        if line.startswith("print("):
            comment = line.partition("#")[2] if "#" in line else lines[n + 1].lstrip("# ")
            expected.append(comment.strip())
    monkeypatch.chdir(ROOT)
    exec(compile(block, "docs/scenarios.md", "exec"), {})  # the docs' own code
    assert capsys.readouterr().out.splitlines() == expected
