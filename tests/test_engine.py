"""The arithmetic: pro-rating, rounding, until, rates per year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bdur_cli.engine import line_years, year_totals
from bdur_cli.model import Plan


def make_plan(lines: list[dict[str, Any]], **extra: Any) -> Plan:
    data: dict[str, Any] = {
        "plan": {"region": "R", "title": "T", "horizon": {"first": 2023, "last": 2026}},
        "funding": {y: {"amount": 1_000_000, "status": "forecast"} for y in range(2023, 2027)},
        "rates": {"internal": {"amount": 100_000}},
        "goals": [{"id": "g", "name": "G"}],
        "themes": [{"id": "t", "name": "T", "goal": "g", "lines": lines}],
    }
    data.update(extra)
    return Plan.model_validate(data)


def amounts(plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {(r.line_id, r.year): r.amount for r in line_years(plan)}


def test_start_month_pro_rates_the_first_year_only() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "start_month": 6,
                       "fte": 1, "rate": "internal"}])
    got = amounts(plan)
    # (13 - 6) / 12 of 100,000 = 58,333.33 -> 58,333 (whole euros, half up)
    assert got[("a", 2023)] == Decimal(58_333)
    assert got[("a", 2024)] == Decimal(100_000)


def test_rounding_is_half_up_per_line() -> None:
    plan = make_plan([{"id": "a", "type": "incidental", "year": 2023, "start_month": 7,
                       "amount": 3}])  # 3 * 6/12 = 1.5 -> 2
    assert amounts(plan)[("a", 2023)] == Decimal(2)


def test_fte_is_not_pro_rated() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "start_month": 10,
                       "fte": "1.5", "rate": "internal"}])
    first = year_totals(plan)[0]
    assert first.fte == Decimal("1.5")
    assert first.staff == Decimal(37_500)  # 1.5 * 100,000 * 3/12


def test_incidental_only_in_its_year_and_until_ends_structural() -> None:
    plan = make_plan([
        {"id": "i", "type": "incidental", "year": 2024, "amount": 500},
        {"id": "s", "type": "structural", "year": 2023, "until": 2024, "amount": 10},
    ])
    got = amounts(plan)
    assert set(got) == {("i", 2024), ("s", 2023), ("s", 2024)}


def test_rate_by_year_is_a_step_function() -> None:
    plan = make_plan(
        [{"id": "a", "type": "structural", "year": 2023, "fte": 2, "rate": "internal"}],
        rates={"internal": {"by_year": {2023: 100_000, 2025: 110_000}}},
    )
    got = amounts(plan)
    assert [got[("a", y)] for y in range(2023, 2027)] == [200_000, 200_000, 220_000, 220_000]


def test_gap_and_cumulative_gap() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "amount": 1_200_000}])
    rows = year_totals(plan)
    assert [r.gap for r in rows] == [-200_000] * 4
    assert [r.cumulative_gap for r in rows] == [-200_000, -400_000, -600_000, -800_000]


def test_rounded_rows_add_up_to_the_rounded_exact_total() -> None:
    lines = [{"id": f"l{i}", "type": "structural", "year": 2023, "start_month": 2,
              "amount": 1} for i in range(12)]  # each 11/12 = 0.9167; exactly 11 together
    plan = make_plan(lines)
    first = [r.amount for r in line_years(plan) if r.year == 2023]
    assert sorted(first) == [0] + [1] * 11
    assert year_totals(plan)[0].planned == 11


def test_largest_remainder_gets_the_extra_euro() -> None:
    # Six lines of 1 fte from June: 58,333.33 each, 349,999.98 together -> 350,000.
    lines = [{"id": f"s{i}", "type": "structural", "year": 2023, "start_month": 6, "fte": 1,
              "rate": "internal"} for i in range(6)]
    lines.append({"id": "m", "type": "incidental", "year": 2023, "start_month": 6,
                  "amount": 1_000_001})  # 583,333.92: the largest remainder, rounded up first
    plan = make_plan(lines)
    got = amounts(plan)
    assert got[("m", 2023)] == 583_334
    # 583,333.92 + 349,999.99 = 933,333.92 -> 933,334: three euros over the floors, to the
    # largest remainders (m, then s0 and s1 in file order).
    assert [got[(f"s{i}", 2023)] for i in range(6)] == [58_334] * 2 + [58_333] * 4
    assert year_totals(plan)[0].planned == 933_334
