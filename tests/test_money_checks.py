"""The checks of money in and of the rules: each finding's code, message, hint and location,
and the boundaries (a reserve that ends at exactly zero, a year on the horizon's edge).

Figures by hand in the comments; the plan is `test_plan_time.HEAD` (funding 1,000,000 a
year, 2023-2026; rate internal 100,000) with the lines and keys each test adds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from test_plan_money import column, totals
from test_plan_time import HEAD

from bdur_cli.plan.pipeline import check_file
from conftest import ROOT


def plan(write: Callable[..., Path], lines: list[str], tail: str = "") -> Path:
    return write(HEAD + "".join(f"      - {line}\n" for line in lines) + tail)


def found(path: Path) -> list[tuple[str, str, str, str | None]]:
    checked = check_file(path, path.name)
    return [(str(f.location), f.code, f.message, f.hint) for f in checked.findings]


ONE_LINE = ["{id: a, type: structural, year: 2023, amount: 1}"]


# --- sources, adjustments, reserves: ids and years ------------------------------------------

def test_sources_adjustments_and_reserves_are_checked_where_they_are_written(
        write: Callable[..., Path]) -> None:
    tail = """\
sources:
  - id: bdur
    name: B
    kind: other
    amounts: {2023: {amount: 1, status: granted}}
  - id: gem
    name: G
    kind: cofinancing
    amounts: {2023: {amount: 1, status: granted}, 2026: {amount: 1, status: granted}}
  - id: gem
    name: G2
    kind: grant
    amounts: {2022: {amount: 1, status: granted}, 2027: {amount: 1, status: granted}}
adjustments:
  - {from_year: 2025, until: 2024, change: -10%}
  - {source: gemm, from_year: 2023, change: 5%}
  - {from_year: 2027, change: 1%}
reserves:
  - {id: br, name: R, additions: {2022: 1, 2023: 1}, withdrawals: {2026: 1, 2027: 1}}
  - {id: br, name: R2}
"""
    assert found(plan(write, ONE_LINE, tail)) == [
        ("plan.yaml:22:9", "duplicate-id", "source id 'bdur' is the 'funding' key",
         "give every source its own id"),
        ("plan.yaml:30:9", "duplicate-id", "source id 'gem' is used twice",
         "give every source its own id"),
        # 2023 and 2026 are the horizon's edges, inside it; 2022 and 2027 just outside.
        ("plan.yaml:33:21", "year-outside-horizon",
         "source 'gem' for 2022 lies outside the horizon 2023-2026", None),
        ("plan.yaml:33:57", "year-outside-horizon",
         "source 'gem' for 2027 lies outside the horizon 2023-2026", None),
        ("plan.yaml:35:30", "period-order", "an adjustment ends (2024) before it starts (2025)",
         None),
        ("plan.yaml:36:14", "unknown-source", "an adjustment names source 'gemm', which is not "
         "'bdur' or in 'sources'", "known: bdur, gem"),
        ("plan.yaml:37:5", "year-outside-horizon",
         "an adjustment for 2027 lies outside the horizon 2023-2026", None),
        ("plan.yaml:39:41", "year-outside-horizon",
         "an addition to reserve 'br' for 2022 lies outside the horizon 2023-2026", None),
        ("plan.yaml:39:83", "year-outside-horizon",
         "a withdrawal from reserve 'br' for 2027 lies outside the horizon 2023-2026", None),
        ("plan.yaml:40:10", "duplicate-id", "reserve id 'br' is used twice", None),
    ]


# --- reserves: never below zero -------------------------------------------------------------

RESERVE = """\
reserves:
  - id: br
    name: Bestemmingsreserve
    opening: 30000
    additions: {2023: 20000}
"""


def test_a_reserve_that_ends_at_exactly_zero_is_fine(write: Callable[..., Path]) -> None:
    # 30,000 + 20,000 - 50,000 = 0: empty, not below zero.
    path = plan(write, ONE_LINE, RESERVE + "    withdrawals: {2026: 50000}\n")
    assert found(path) == []


def test_a_reserve_below_zero_is_reported_once_in_its_first_year(
        write: Callable[..., Path]) -> None:
    # 2025: 50,000 - 50,001 = -1; 2026 goes on to -2 but the slip is in 2025. The hint:
    # 50,001 - 1 = 50,000 at most withdrawn in 2025, or 1 more added (the maps as they would
    # read, the other years kept).
    path = plan(write, ONE_LINE, RESERVE + "    withdrawals: {2025: 50001, 2026: 1}\n")
    assert found(path) == [
        ("plan.yaml:26:25", "reserve-negative", "2025: reserve 'br' would go below zero: "
         "€50,000 + €0 - €50,001 withdrawn = -€1", "withdraw at most €50,000 in 2025 "
         "(withdrawals: {2025: 50000, 2026: 1}), or add €1 more in 2025 or before (additions: "
         "{2023: 20000, 2025: 1})")]


def test_a_reserve_emptied_by_the_lines_it_covers_points_at_its_opening(
        write: Callable[..., Path]) -> None:
    # No planned withdrawal in 2025: the line's 60,000 is drawn, 50,000 - 60,000 = -10,000.
    path = plan(write, ["{id: b, type: incidental, year: 2025, amount: 60000, reserve: br}"],
                RESERVE)
    # Nothing planned to withdraw less of: 10,000 more added, or the line off the reserve.
    assert found(path) == [
        ("plan.yaml:24:14", "reserve-negative", "2025: reserve 'br' would go below zero: "
         "€50,000 + €0 - €60,000 withdrawn, of which €60,000 for the lines it covers = "
         "-€10,000", "add €10,000 more in 2025 or before (additions: {2023: 20000, 2025: "
         "10000}), or cover the lines from funding")]


def test_a_line_on_an_unknown_reserve_is_told_the_known_ones(
        write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: b, type: incidental, year: 2025, amount: 5, reserve: rb}"],
                RESERVE)
    assert found(path) == [
        ("plan.yaml:20:67", "unknown-reserve", "line 'b' is covered from reserve 'rb', which "
         "is not in 'reserves'", "known: br")]


def test_a_structural_line_on_a_reserve_says_why_it_is_not_covered(
        write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: s, type: structural, year: 2025, amount: 5, reserve: br}"],
                RESERVE)
    assert found(path) == [
        ("plan.yaml:20:67", "structural-on-reserve", "line 's' is structural but covered from "
         "reserve 'br': a reserve withdrawal is incidental income, so this cost is not "
         "structurally covered", "cover a structural cost from structural funding, or make "
         "the line incidental (BBV: structureel evenwicht)"),
    ]


# --- where a line that starts outside the horizon is pointed at -----------------------------

def test_a_line_outside_the_horizon_is_pointed_at_the_key_that_starts_it(
        write: Callable[..., Path]) -> None:
    path = plan(write, ["{id: y, type: incidental, year: 2030, amount: 5}",
                        "{id: s, type: structural, start: 2030-01, fte: 1, rate: internal}",
                        "{id: p, type: structural, periods: [{start: 2030-01}], fte: 1, "
                        "rate: internal}",
                        "{id: f, type: incidental, total: 5, phasing: {2030: 5}}"])
    assert [(loc, code) for loc, code, _, _ in found(path)] == [
        # At the year, the start, the periods, the phasing.
        ("plan.yaml:20:41", "year-outside-horizon"),
        ("plan.yaml:21:42", "year-outside-horizon"),
        ("plan.yaml:22:44", "year-outside-horizon"),
        ("plan.yaml:23:54", "year-outside-horizon"),
    ]


# --- the rules: what the over-funding and structural messages name --------------------------

def test_over_funding_with_income_names_the_net_cost(write: Callable[..., Path]) -> None:
    # 1,100,000 less 50,000 income = 1,050,000 net, 50,000 over the 1,000,000 of funding.
    path = plan(write, ["{id: a, type: structural, year: 2026, amount: 1100000, "
                        "income: {partner: P, amount: 50000, status: granted}}"],
                "rules:\n  structural_within_funding: true\n"
                "  planned_within_funding: {from_year: 2026}\n")
    assert [(code, message) for _, code, message, _ in found(path)] == [
        ("structural-not-covered", "2026: structural costs less income €1,050,000 exceed "
         "funding €1,000,000 by €50,000"),
        ("over-funding", "2026: net cost €1,050,000 exceeds funding €1,000,000; shortfall "
         "€50,000"),
    ]


def test_over_funding_with_reserve_movements_names_them_net(
        write: Callable[..., Path]) -> None:
    # 2026: 20,000 added, 5,000 withdrawn: 15,000 goes into the reserve, so the gap is
    # 1,000,000 - 1,000,000 - 20,000 + 5,000 = -15,000; the reserves give -15,000 net.
    path = plan(write, ["{id: a, type: structural, year: 2026, amount: 1000000}"],
                "reserves:\n  - {id: br, name: R, additions: {2026: 20000}, "
                "withdrawals: {2026: 5000}}\n"
                "rules:\n  planned_within_funding: {from_year: 2026}\n")
    assert [(code, message) for _, code, message, _ in found(path)] == [
        ("over-funding", "2026: net cost €1,000,000 with -€15,000 from the reserves exceeds "
         "funding €1,000,000; shortfall €15,000")]


def test_structural_income_of_every_line_counts_and_equal_is_covered(
        write: Callable[..., Path]) -> None:
    lines = ["{id: s1, type: structural, year: 2026, amount: 600000, "
             "income: {partner: P, amount: 100000, status: granted}}",
             "{id: s2, type: structural, year: 2026, amount: 600000, "
             "income: {partner: Q, amount: 100000, status: granted}}"]
    rule = "rules:\n  structural_within_funding: true\n"
    # 1,200,000 less 2 x 100,000 = 1,000,000: exactly the funding, so covered.
    assert found(plan(write, lines, rule)) == []
    # One euro more is one euro short.
    over = [lines[0].replace("600000", "600001"), lines[1]]
    assert [m for _, _, m, _ in found(plan(write, over, rule))] == [
        "2026: structural costs less income €1,000,001 exceed funding €1,000,000 by €1"]


def test_a_reserve_covers_the_net_cost_of_every_line_on_it(
        write: Callable[..., Path]) -> None:
    path = plan(write, [
        "{id: r1, type: incidental, year: 2025, amount: 40000, reserve: br, "
        "income: {partner: P, share: 25%, status: granted}}",
        "{id: r2, type: incidental, year: 2025, amount: 10000, reserve: br}"],
        "reserves:\n  - {id: br, name: R, opening: 100000}\n")
    data = totals(path)
    # r1 costs 40,000 less 25% income = 30,000 net; r2 10,000: 40,000 withdrawn in 2025.
    assert column(data, "reserve_withdrawals") == [0, 0, 40_000, 0]
    assert column(data, "reserve_balance") == [100_000, 100_000, 60_000, 60_000]
    # The gap: 1,000,000 - net 40,000 + 40,000 withdrawn = 1,000,000.
    assert column(data, "gap")[2] == 1_000_000


# --- what to type: a reserve below zero, a source with no entry ---------------------------------

NOORDERKUST = (ROOT / "examples" / "noorderkust.yaml").read_text(encoding="utf-8")
WITHDRAWALS = "withdrawals: {2026: 47000, 2027: 47000}"
ADDITIONS = "additions: {2024: 50000}"


def noorderkust(write: Callable[..., Path], *pairs: str, name: str = "plan.yaml") -> Path:
    """examples/noorderkust.yaml with each (old, new) replaced, each old present once."""
    text = NOORDERKUST
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write(text, name)


def reserve_findings(path: Path) -> list[tuple[str, str | None]]:
    return [(m, h) for _, code, m, h in found(path) if code == "reserve-negative"]


def test_a_reserve_below_zero_is_told_how_much_to_withdraw_or_add(
        write: Callable[..., Path]) -> None:
    # Noorderkust's br-crisis: 150,000 opening + 50,000 added in 2024 = 200,000 into 2026,
    # where the piket line it covers draws 25,000 (its 2026 balance of 128,000 is 200,000 -
    # 47,000 - 25,000). Withdrawing 200,000 instead of 47,000 takes 225,000: 25,000 below
    # zero. At most 200,000 - 25,000 = 175,000 can be withdrawn, or 25,000 more added.
    path = noorderkust(write, WITHDRAWALS, "withdrawals: {2026: 200000, 2027: 47000}")
    assert reserve_findings(path) == [(
        "2026: reserve 'br-crisis' would go below zero: €200,000 + €0 - €225,000 withdrawn, "
        "of which €25,000 for the lines it covers = -€25,000",
        "withdraw at most €175,000 in 2026 (withdrawals: {2026: 175000, 2027: 47000}), add "
        "€25,000 more in 2026 or before (additions: {2024: 50000, 2026: 25000}), or cover the "
        "lines from funding")]
    # Either map typed as shown ends 2026 at exactly zero: 2027 is then the first year below
    # it (0 - 47,000 - 25,000), and 2026 is not.
    less = noorderkust(write, WITHDRAWALS, "withdrawals: {2026: 175000, 2027: 47000}",
                       name="less.yaml")
    more = noorderkust(write, WITHDRAWALS, "withdrawals: {2026: 200000, 2027: 47000}",
                       ADDITIONS, "additions: {2024: 50000, 2026: 25000}", name="more.yaml")
    for typed in (less, more):
        [(message, _)] = reserve_findings(typed)
        assert message.startswith("2027: reserve 'br-crisis' would go below zero: €0 + €0 - "
                                  "€72,000 withdrawn")
    # One euro more withdrawn than the hint allows still goes below zero in 2026.
    over = noorderkust(write, WITHDRAWALS, "withdrawals: {2026: 175001, 2027: 47000}")
    assert reserve_findings(over)[0][0].endswith("= -€1")


def test_a_source_without_an_entry_that_year_is_left_out_of_funding(
        write: Callable[..., Path]) -> None:
    # Noorderkust's municipalities pay from 2025 on; 2024 has only the BDuR. With 2024's
    # BDuR at 400,000 (from 600,000), 2024 breaks the rule from 2024: funding is the BDuR
    # alone, not "(bdur €400,000, gemeenten €0)". 2025 (BDuR 500,000 and the municipalities'
    # 41,080) still names both.
    path = noorderkust(write, "2024: {amount: 600000,", "2024: {amount: 400000,",
                       "2025: {amount: 620000,", "2025: {amount: 500000,")
    assert [m for _, code, m, _ in found(path) if code == "over-funding"] == [
        "2024: net cost €530,000 with -€50,000 from the reserves exceeds funding €400,000; "
        "shortfall €180,000",
        "2025: net cost €626,195 exceeds funding €541,080 (bdur €500,000, gemeenten €41,080); "
        "shortfall €85,115"]
