"""Money in: income towards lines, funding sources, adjustments (the BDuR cut), reserves,
indexation and the stated totals that assert them. Expected figures are worked out by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_plan_time import HEAD

from bdur_cli.plan.pipeline import check_file
from conftest import PLAN, SCENARIOS, bdur

ROOT_EXAMPLE = PLAN.parent.parent / "examples" / "noorderkust.yaml"

OLD_KEYS = ["year", "funding", "planned", "incidental", "structural", "staff", "means", "fte",
            "gap", "cumulative_gap", "funding_status"]


def plan(write: Callable[..., Path], lines: list[str], tail: str = "") -> Path:
    return write(HEAD + "".join(f"      - {line}\n" for line in lines) + tail)


def totals(path: Path, *extra: str) -> list[dict[str, Any]]:
    result = bdur("totals", "--format", "json", "-f", str(path), *extra)
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout, parse_float=Decimal)
    return data


def column(data: list[dict[str, Any]], key: str) -> list[Any]:
    return [d[key] for d in data]


def messages(path: Path) -> list[tuple[str, str, str]]:
    checked = check_file(path, path.name)
    return [(str(f.location), f.code, f.message) for f in checked.findings]


# --- plans without the further keys print as before ----------------------------------------

@pytest.mark.parametrize("path", [PLAN, *sorted(SCENARIOS.glob("*.yaml"))],
                         ids=lambda p: p.name)
def test_memo_plan_and_scenarios_keep_their_json_keys(path: Path) -> None:
    data = totals(path)
    extra = ["average_fte"] if path.name == "staff-from-june-2023.yaml" else []
    expected = OLD_KEYS[:8] + extra + OLD_KEYS[8:]
    assert all(list(d) == expected for d in data)


def test_memo_plan_tables_have_no_new_columns() -> None:
    out = bdur("totals").stdout
    assert "Income" not in out and "Reserve" not in out and "Avg fte" not in out
    report = bdur("report").stdout
    assert "Income from partners" not in report and "Reserve balance" not in report
    assert "Funding from BDuR" in report


# --- income ---------------------------------------------------------------------------------

def test_income_as_a_share_and_as_an_amount(write: Callable[..., Path]) -> None:
    path = plan(write, [
        "{id: oefening, type: incidental, year: 2024, amount: 60000, "
        "income: {partner: Gemeente A, share: 25%, status: granted}}",
        "{id: analist, type: structural, start: 2024-07, fte: 1, rate: internal, "
        "income: {partner: Waterschap, amount: 20000, status: forecast}}"])
    data = totals(path)
    # 2024: 60,000 + 6/12 x 100,000 = 110,000; income 15,000 + 6/12 x 20,000 = 25,000.
    assert column(data, "planned") == [0, 110_000, 100_000, 100_000]
    assert column(data, "income") == [0, 25_000, 20_000, 20_000]
    assert column(data, "net") == [0, 85_000, 80_000, 80_000]
    # gap = 1,000,000 - net.
    assert column(data, "gap") == [1_000_000, 915_000, 920_000, 920_000]


def test_income_in_the_wrong_place_and_without_a_status(write: Callable[..., Path]) -> None:
    path = write(HEAD.replace("    goal: g\n", "    goal: g\n    income: {partner: A, share: 25%, "
                              "status: granted}\n") + "      - {id: a, type: structural, "
                 "year: 2024, amount: 5, income: {partner: B, share: 5%}}\n")
    found = check_file(path, path.name).findings
    assert [(str(f.location), f.message, f.hint) for f in found] == [
        ("plan.yaml:19:5", "unknown key 'income'", "'income' is not allowed here; it belongs "
         "on a line (under 'lines:'), the line a partner pays towards"),
        ("plan.yaml:21:66", "missing key 'status'",
         "add status: granted, forecast or conditional")]


def test_income_needs_a_share_or_an_amount(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: incidental, year: 2024, amount: 5, "
                        "income: {partner: X, status: granted}}"])
    assert [m for _, _, m in messages(path)] == [
        "themes[0].lines[0].income: income has either 'share' or 'amount', not neither"]


@pytest.mark.parametrize(("paid", "warned"), [(40000, False), (40001, True)])
def test_income_above_a_lines_cost_is_a_warning(write: Callable[..., Path], paid: int,
                                                warned: bool) -> None:
    # 40,000 a year from July 2024: 20,000 in 2024 and the partner's 6/12 of `paid` against
    # it; a partner paying the whole cost is fine, one euro a year more is not.
    path = plan(write, [f"{{id: oefenmiddelen, type: structural, start: 2024-07, amount: 40000, "
                        f"income: {{partner: Gemeente A, amount: {paid}, status: granted}}}}"])
    expected = [("income-exceeds-cost", "line 'oefenmiddelen': Gemeente A pays €20,001 in "
                 "2024, more than the line costs (€20,000); also in 2025, 2026")]
    assert [(code, msg) for _, code, msg in messages(path)] == (expected if warned else [])


@pytest.mark.parametrize(("overlay", "planned", "income"), [
    # From July instead of April 2024: 6/12 x 100,000 = 50,000, the partner's 25% 12,500.
    ("shift:\n  - select: {line: analist}\n    start_month: 7\n", 50_000, 12_500),
    # Any selection that holds the line, too.
    ("shift:\n  - select: {type: structural}\n    start_month: 7\n", 50_000, 12_500),
    # 2 fte from April: 9/12 x 200,000 = 150,000; 25% is 37,500.
    ("lines:\n  change:\n    - {id: analist, fte: 2}\n", 150_000, 37_500),
])
def test_a_scenario_moves_or_changes_a_line_a_partner_pays_a_share_of(
        write: Callable[..., Path], overlay: str, planned: int, income: int) -> None:
    plan(write, ["{id: analist, type: structural, start: 2024-04, fte: 1, rate: internal, "
                 "income: {partner: Gemeente A, share: 25%, status: granted}}"])
    data = totals(write(f"scenario: {{name: S}}\nbase: plan.yaml\n{overlay}", "s.yaml"))
    assert (data[1]["planned"], data[1]["income"]) == (planned, income)


# --- sources and adjustments ----------------------------------------------------------------

SOURCES = """\
sources:
  - id: provincie
    name: Subsidie provincie
    kind: grant
    amounts:
      2024: {amount: 50000, status: granted}
      2025: {amount: 50000, status: conditional}
"""


def test_a_second_source_adds_to_funding(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 100}"], SOURCES)
    data = totals(path)
    assert column(data, "funding") == [1_000_000, 1_050_000, 1_050_000, 1_000_000]
    # Each source with its status (HEAD's BDuR 2024 is a forecast, SOURCES' 2024 granted).
    assert data[1]["funding_sources"] == {
        "bdur": {"amount": 1_000_000, "status": "forecast"},
        "provincie": {"amount": 50_000, "status": "granted"}}


def test_the_bdur_cut_as_a_rule_on_the_memo_plan(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("rules:\n", "adjustments:\n  - {from_year: 2026, change: -10%}\nrules:\n")
    data = totals(path)
    # 10% of 2,400,000 = 240,000: what the shipped scenario bdur-cut-2026.yaml sets by hand.
    assert column(data, "funding_adjustment") == [0, 0, 0, -240_000]
    assert data[3]["funding"] == 2_160_000
    assert data[3]["gap"] == 2_160_000 - 1_605_000
    scenario = totals(SCENARIOS / "bdur-cut-2026.yaml")
    assert scenario[3]["funding"] == data[3]["funding"] and scenario[3]["gap"] == data[3]["gap"]


def test_an_adjustment_rounds_half_away_from_zero(write: Callable[..., Path]) -> None:
    body = HEAD.replace("2024: {amount: 1000000", "2024: {amount: 5")
    path = write(body + "      - {id: a, type: structural, year: 2023, amount: 1}\n"
                 "adjustments:\n  - {from_year: 2024, until: 2024, change: -10%}\n")
    # 10% of 5 is 0.5: -0.5 rounds to -1 (half away from zero), so 4 is left.
    assert column(totals(path), "funding_adjustment") == [0, -1, 0, 0]
    assert column(totals(path), "funding")[1] == 4


def test_adjustments_add_up_per_source_and_over_sources(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"], SOURCES +
                "adjustments:\n  - {from_year: 2025, change: -10%}\n"
                "  - {from_year: 2025, until: 2025, change: 4%}\n"
                "  - {source: provincie, from_year: 2025, change: 10%}\n")
    data = totals(path)
    # 2025: the BDuR -10% + 4% = -6% of 1,000,000 = -60,000; provincie +10% of 50,000 =
    # +5,000; together -55,000. 2026: only the -10%: -100,000 (provincie has no 2026).
    assert column(data, "funding_adjustment") == [0, 0, -55_000, -100_000]
    assert data[2]["funding_sources"] == {
        "bdur": {"amount": 940_000, "status": "forecast"},
        "provincie": {"amount": 55_000, "status": "conditional"}}


def test_an_adjustment_of_a_source_that_does_not_exist(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"],
                "adjustments:\n  - {source: provinsie, from_year: 2026, change: -10%}\n")
    assert messages(path) == [
        ("plan.yaml:22:14", "unknown-source", "an adjustment names source 'provinsie', which "
         "is not 'bdur' or in 'sources'")]


def test_a_scenario_can_set_the_cut(write: Callable[..., Path]) -> None:
    base = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"])
    path = write("scenario: {name: Cut}\nbase: plan.yaml\n"
                 "adjustments:\n  - {from_year: 2025, change: -10%}\n", "s.yaml")
    assert base.exists()
    assert column(totals(path), "funding") == [1_000_000, 1_000_000, 900_000, 900_000]


# --- reserves -------------------------------------------------------------------------------

RESERVE = """\
reserves:
  - id: br
    name: Bestemmingsreserve
    opening: 30000
    additions: {2023: 20000}
    withdrawals: {2026: 40000}
"""


def test_reserve_movements_and_balance(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1000000}",
                        "{id: b, type: incidental, year: 2025, amount: 5000, reserve: br}"],
                RESERVE)
    data = totals(path)
    # 30,000 + 20,000 = 50,000; 2025 draws 5,000 for line b; 2026 draws 40,000.
    assert column(data, "reserve_balance") == [50_000, 50_000, 45_000, 5_000]
    assert column(data, "reserve_withdrawals") == [0, 0, 5_000, 40_000]
    assert column(data, "reserve_additions") == [20_000, 0, 0, 0]
    assert data[2]["reserves"] == [{"id": "br", "opening": 50_000, "additions": 0,
                                    "withdrawals": 5_000, "covered": 5_000,
                                    "closing": 45_000}]
    # gap = 1,000,000 - net - added + drawn: 2023 -20,000; 2025 0 (b is covered); 2026 +40,000.
    assert column(data, "gap") == [-20_000, 0, 0, 40_000]


def test_a_reserve_is_kept_in_whole_euros(write: Callable[..., Path]) -> None:
    # docs/rounding.md: line b's net cost is 10,001 - 50% = 5,000.50, withdrawn as 5,001 (half
    # up); the balance is the bookings as shown: 50,000 - 5,001 = 44,999 (not 44,999.50 -> 45,000).
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1000000}",
                        "{id: b, type: incidental, year: 2025, amount: 10001, reserve: br, "
                        "income: {partner: P, share: 50%, status: granted}}"], RESERVE)
    data = totals(path)
    assert column(data, "reserve_withdrawals")[2] == 5_001
    assert column(data, "reserve_balance")[2] == 44_999
    assert (data[2]["net"], data[2]["gap"]) == (1_005_001, 0)  # 1,000,000 - 1,005,001 + 5,001


def test_a_reserve_may_not_go_below_zero(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"],
                RESERVE.replace("withdrawals: {2026: 40000}", "withdrawals: {2026: 60000}"))
    assert messages(path) == [
        ("plan.yaml:26:25", "reserve-negative", "2026: reserve 'br' would go below zero: "
         "€50,000 + €0 - €60,000 withdrawn = -€10,000")]


def test_a_line_on_a_reserve_that_does_not_exist(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: b, type: incidental, year: 2025, amount: 5, reserve: rb}"],
                RESERVE)
    assert messages(path) == [
        ("plan.yaml:20:67", "unknown-reserve", "line 'b' is covered from reserve 'rb', which "
         "is not in 'reserves'")]


def test_a_structural_line_on_a_reserve_is_not_structurally_covered(
        write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: s, type: structural, year: 2025, amount: 5, reserve: br}"],
                RESERVE)
    checked = check_file(path)
    assert [(f.level, f.code) for f in checked.findings] == [
        ("warning", "structural-on-reserve")]


# --- indexation -----------------------------------------------------------------------------

INDEX = """\
indexation:
  base_year: 2024
  wages: {2024: 2%, 2025: 4.7%, 2026: 3.8%}
  prices: {2025: 2.7%}
"""


def test_wages_compound_and_prices_apply_to_means(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: s, type: structural, year: 2023, fte: 1, rate: internal}",
                        "{id: m, type: structural, year: 2023, amount: 10000}",
                        "{id: vast, type: structural, year: 2023, amount: 10000, "
                        "indexed: false}"], INDEX)
    data = totals(path)
    # Staff: 2023 is before the base year, so the step into 2024 is divided out:
    # 100,000 / 1.02 = 98,039.22 -> 98,039; 2024 100,000; 2025 104,700;
    # 2026 100,000 x 1.047 x 1.038 = 108,678.60 -> 108,679.
    assert column(data, "staff") == [98_039, 100_000, 104_700, 108_679]
    # Means (no price step into 2024): 10,000; 10,000; 10,270; 10,270; plus 10,000 fixed.
    assert column(data, "means") == [20_000, 20_000, 20_270, 20_270]
    constant = totals(path, "--prices", "constant")
    assert column(constant, "planned") == [120_000] * 4


def test_funding_is_indexed_only_where_the_file_says(write: Callable[..., Path]) -> None:
    lines = ["{id: a, type: structural, year: 2023, amount: 1}"]
    plain = totals(plan(write, lines, INDEX))
    assert column(plain, "funding") == [1_000_000] * 4
    indexed = totals(plan(write, lines, INDEX + "  bdur: wages\n"))
    # 1,000,000 / 1.02 = 980,392.16 -> 980,392; 1,000,000; 1,047,000; 1,086,786.
    assert column(indexed, "funding") == [980_392, 1_000_000, 1_047_000, 1_086_786]
    # In constant prices the funding is as written, like the lines.
    constant = totals(plan(write, lines, INDEX + "  bdur: wages\n"), "--prices", "constant")
    assert column(constant, "funding") == [1_000_000] * 4


def test_a_source_is_indexed_only_when_it_says_so(write: Callable[..., Path]) -> None:
    lines = ["{id: a, type: structural, year: 2023, amount: 1}"]
    # Prices step 2.7% into 2025 (base year 2024): 50,000 x 1.027 = 51,350 for the indexed
    # copy; the source without 'indexed' stays at 50,000 in an indexed plan.
    indexed = SOURCES + SOURCES.replace("provincie", "regio").replace(
        "sources:\n", "").replace("kind: grant\n", "kind: grant\n    indexed: prices\n")
    data = totals(plan(write, lines, indexed + INDEX))
    assert [{sid: e["amount"] for sid, e in d["funding_sources"].items()}
            for d in data[1:3]] == [
        {"bdur": 1_000_000, "provincie": 50_000, "regio": 50_000},
        {"bdur": 1_000_000, "provincie": 50_000, "regio": 51_350}]


def test_an_indexation_year_that_is_never_applied(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"],
                INDEX.replace("2026: 3.8%}", "2028: 3%}"))
    assert messages(path) == [
        ("plan.yaml:23:39", "index-year", "wages indexation for 2028 is never applied: a "
         "percentage is the step from the year before, so only 2024-2026 count")]


@pytest.mark.parametrize(("value", "message", "hint"), [
    ("4.7", "expected a percentage such as -10% or 4.7%, got '4.7'", "write 4.7%"),
    ("'4,7%'", "expected a percentage such as -10% or 4.7%, got '4,7%'",
     "write 4.7%; YAML has no decimal comma"),
    ("'tien'", "expected a percentage such as -10% or 4.7%, got 'tien'", "e.g. -10% or 4.7%"),
    # A fraction of 1 is the likelier meaning of -0.1 (a cut of 10%), a hundred times more
    # than -0.1%: both are offered, so following the hint cannot cut 52 euros for 52,000.
    ("-0.1", "expected a percentage such as -10% or 4.7%, got '-0.1'",
     "write -10% if -0.1 is a fraction of 1, or -0.1% if it is percent"),
    ("1", "expected a percentage such as -10% or 4.7%, got '1'", "write 1%"),
    ("'3,5%'", "expected a percentage such as -10% or 4.7%, got '3,5%'",
     "write 3.5%; YAML has no decimal comma"),
])
def test_a_percentage_must_say_percent(write: Callable[..., Path], value: str,
                                       message: str, hint: str) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"],
                f"indexation:\n  base_year: 2024\n  wages: {{2025: {value}}}\n")
    assert [m for _, _, m in messages(path)] == [f"indexation.wages[2025]: {message}"]
    assert [f.hint for f in check_file(path, path.name).findings] == [hint]


# --- stated totals --------------------------------------------------------------------------

def test_stated_gap_and_reserve_balance_are_reconciled(write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1000000}"],
                RESERVE + "stated_totals:\n"
                "  2023: {gap: -20000, cumulative_gap: -20000, reserve_balance: 50000}\n"
                "  2026: {gap: 40000, net: 1000000, reserve_balance: 9000}\n")
    assert messages(path) == [
        ("plan.yaml:29:53", "stated-total-mismatch", "2026 reserve_balance: the file states "
         "€9,000 but the plan gives €10,000 (difference +€1,000)")]


def test_the_memo_can_state_its_2023_shortfall(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("  2023: {planned: 1685000,", "  2023: {gap: -277851, planned: 1685000,")
    assert check_file(path).findings == []


def test_the_python_api_gives_the_same_figures() -> None:
    import bdur_cli
    from conftest import ROOT

    loaded = bdur_cli.load(ROOT / "examples" / "noorderkust.yaml")
    y2026 = bdur_cli.totals(loaded.plan, 2026).years[0]
    # By hand (examples/noorderkust.yaml): net 491,141; the reserve ends 2026 at 128,000.
    assert (y2026.income, y2026.net, y2026.funding_adjustment) == (20_000, 491_141, -47_000)
    assert y2026.reserve_balance == 128_000 and y2026.reserves[0].covered == 25_000
    constant = bdur_cli.totals(loaded.plan, prices="constant").years
    assert [t.planned for t in constant] == [530_000, 650_000, 475_000, 475_000]
    with pytest.raises(ValueError, match="prices is 'nominal' or 'constant'"):
        bdur_cli.totals(loaded.plan, prices="real")


def test_over_funding_names_net_cost_and_the_reserve(write: Callable[..., Path]) -> None:
    text = (ROOT_EXAMPLE.read_text(encoding="utf-8")
            .replace("withdrawals: {2026: 47000, 2027: 47000}", "withdrawals: {2026: 47000}"))
    path = write(text, "nk.yaml")
    # 2027 without its 47,000: 464,902 - 491,141 + 25,000 (the piket line) = -1,239.
    assert [m for _, code, m in messages(path) if code == "over-funding"] == [
        "2027: net cost €491,141 with €25,000 from the reserves exceeds funding €464,902 "
        "(bdur €423,000, gemeenten €41,902, after adjustments of -€47,000); shortfall €1,239"]


@pytest.mark.parametrize(("second", "cut"), [
    # The default: both percentages are of the amount as written, -10% - 5% = -15%.
    ("{from_year: 2024, change: -5%}", -150_000),
    # compound: -5% of what -10% left: 1,000,000 x 0.9 x 0.95 = 855,000, so -145,000.
    ("{from_year: 2024, change: -5%, compound: true}", -145_000),
])
def test_two_adjustments_add_unless_one_compounds(write: Callable[..., Path], second: str,
                                                   cut: int) -> None:
    path = plan(write, ["{id: a, type: structural, year: 2023, amount: 1}"],
                f"adjustments:\n  - {{from_year: 2024, change: -10%}}\n  - {second}\n")
    data = totals(path)
    assert column(data, "funding_adjustment") == [0, cut, cut, cut]
    assert column(data, "funding") == [1_000_000] + [1_000_000 + cut] * 3



ANSWERS = ROOT_EXAMPLE.parent / "plan-format" / "answers.yaml"


def test_the_answers_of_the_plan_format_page() -> None:
    # By hand (docs/plan-format.md, "Answers"): BDuR 1,234,675 cut by 10% from 2026 =
    # -123,467.50 -> -123,468; gemeenten 100,000 indexed with prices +10% from 2026 (110,000),
    # cut by 10% of the indexed amount in 2027 (-11,000).
    data = totals(ANSWERS)
    assert column(data, "funding_adjustment") == [0, -123_468, -134_468]
    assert [{k: v["amount"] for k, v in d["funding_sources"].items()} for d in data] == [
        {"bdur": 1_234_675, "gemeenten": 100_000}, {"bdur": 1_111_207, "gemeenten": 110_000},
        {"bdur": 1_111_207, "gemeenten": 99_000}]
    # The adviser: a by-year rate (100,000; 120,000 from 2027) times wages +10% from 2026.
    assert column(data, "staff") == [100_000, 110_000, 132_000]
    constant = totals(ANSWERS, "--prices", "constant")
    assert column(constant, "staff") == [100_000, 100_000, 120_000]
    assert [d["funding_sources"]["gemeenten"]["amount"] for d in constant] == [
        100_000, 100_000, 90_000]


def test_a_shift_by_year_moves_start_phasing_and_income_and_keeps_until() -> None:
    data = totals(ROOT_EXAMPLE.parent / "answers-shift.yaml")
    # 2025: only the adviser is left. 2026: project 50,000 (2026 until 2026), opleiding 9/12
    # of 12,000 = 9,000, verkenning 15,000, adviser 110,000; the project's partner pays its
    # first-year 10,000. 2027: the project ended (until stays 2026); opleiding 12,000,
    # verkenning 15,000, adviser 132,000.
    assert column(data, "planned") == [100_000, 184_000, 159_000]
    assert column(data, "income") == [0, 10_000, 0]
