"""The arithmetic: pro-rating, rounding, until, rates per year."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from bdur_cli.plan.engine import goal_breakdown, line_years, round_euros, year_totals
from bdur_cli.plan.model import Plan


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
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "start_month": 7,
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


def test_each_line_is_rounded_on_its_own_and_the_total_once() -> None:
    lines = [{"id": f"l{i}", "type": "structural", "year": 2023, "start_month": 2,
              "amount": 1} for i in range(12)]  # each 11/12 = 0.9167 -> 1; exactly 11 together
    plan = make_plan(lines)
    first = [r.amount for r in line_years(plan) if r.year == 2023]
    assert first == [1] * 12
    assert year_totals(plan)[0].planned == 11


def test_six_lines_from_june_show_58333_each_and_350000_together() -> None:
    # 1 fte x 100,000 x 7/12 = 58,333.33 each; exactly 350,000 together (not 6 x 58,333).
    lines = [{"id": f"s{i}", "type": "structural", "year": 2023, "start_month": 6, "fte": 1,
              "rate": "internal"} for i in range(6)]
    plan = make_plan(lines)
    got = amounts(plan)
    assert [got[(f"s{i}", 2023)] for i in range(6)] == [58_333] * 6
    first = year_totals(plan)[0]
    assert (first.planned, first.structural, first.staff, first.means) == (350_000, 350_000,
                                                                            350_000, 0)
    assert first.gap == 1_000_000 - 350_000


def test_half_rounds_up_on_2_5_not_only_on_1_5() -> None:
    # 5 x 6/12 = 2.5: half up gives 3 (half even would give 2); 3 x 6/12 = 1.5 -> 2 both ways.
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "until": 2023,
                       "start_month": 7,
                       "amount": 5},
                      {"id": "b", "type": "structural", "year": 2024, "until": 2024,
                       "start_month": 7,
                       "amount": 3}])
    assert amounts(plan)[("a", 2023)] == 3
    assert amounts(plan)[("b", 2024)] == 2
    assert [t.planned for t in year_totals(plan)][:2] == [3, 2]


def test_just_below_a_half_rounds_down() -> None:
    # 29 x 1/12 = 2.41667 -> 2; 31 x 1/12 = 2.58333 -> 3 (floor would give 2, ceiling 3 and 3)
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "until": 2023,
                       "start_month": 12,
                       "amount": 29},
                      {"id": "b", "type": "structural", "year": 2024, "until": 2024,
                       "start_month": 12,
                       "amount": 31}])
    assert (amounts(plan)[("a", 2023)], amounts(plan)[("b", 2024)]) == (2, 3)


def test_exact_arithmetic_beyond_28_digits() -> None:
    # Six means lines of 100,009 from December: 8,334.0833... each; exactly 50,004.5 together,
    # so half up gives 50,005. Decimal division by 12 truncates at 28 digits and gave 50,004.
    lines = [{"id": f"m{i}", "type": "structural", "year": 2023, "until": 2023,
                       "start_month": 12,
              "amount": 100_009} for i in range(6)]
    plan = make_plan(lines)
    assert [amounts(plan)[(f"m{i}", 2023)] for i in range(6)] == [8_334] * 6
    first = year_totals(plan)[0]
    assert (first.planned, first.structural, first.means) == (50_005, 50_005, 50_005)


def test_adding_a_line_in_another_theme_changes_no_figure_of_this_one() -> None:
    # The case: five lines of 1 fte from September in theme A (33,333.33 each); a line
    # added in theme B used to take a shared-out euro from A's line a2.
    a = [{"id": f"a{i}", "type": "structural", "year": 2023, "start_month": 9, "fte": 1,
          "rate": "internal"} for i in range(5)]
    before = make_plan(a)
    after = make_plan(a, themes=[
        {"id": "t", "name": "T", "goal": "g", "lines": a},
        {"id": "u", "name": "U", "goal": "g", "lines": [
            {"id": "b", "type": "incidental", "year": 2023, "start_month": 9, "fte": 1,
             "rate": "internal"}]}])
    old, new = amounts(before), amounts(after)
    assert all(old[k] == new[k] == 33_333 for k in old if k[1] == 2023)
    # The year's total is its exact sum rounded once: 5 x 33,333.33 = 166,666.67 -> 166,667;
    # with b, 200,000 exactly.
    assert year_totals(before)[0].planned == 166_667
    assert year_totals(after)[0].planned == 200_000


def test_exact_values_are_kept_next_to_the_figures() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "start_month": 6,
                       "fte": "0.3333", "rate": "internal"}])
    row = line_years(plan)[0]
    assert row.exact == Fraction(3333 * 10 * 7, 12)  # 0.3333 x 100,000 x 7/12, no rounding
    assert row.amount == 19_443  # 19,442.5 -> 19,443


def test_goal_breakdown_rounds_each_group_once() -> None:
    lines = [{"id": f"s{i}", "type": "structural", "year": 2023, "start_month": 6, "fte": 1,
              "rate": "internal"} for i in range(3)]  # 58,333.33 each: 175,000 together
    plan = make_plan(lines)
    (goal,) = goal_breakdown(plan, 2023)
    assert (goal.planned, goal.staff, goal.structural, goal.means, goal.incidental) == (
        175_000, 175_000, 175_000, 0, 0)
    assert goal.children[0].planned == 175_000
    assert goal.fte == 3


def test_round_euros_is_half_up_away_from_zero_at_any_precision() -> None:
    assert round_euros(Fraction(5, 2)) == 3
    assert round_euros(Fraction(-5, 2)) == -3  # as decimal.ROUND_HALF_UP
    assert round_euros(Decimal("2.4999999999999999999999999999999")) == 2
    assert round_euros(Fraction(10**40 + 1, 2)) == (10**40) // 2 + 1
    assert round_euros(Decimal("-0.4")) == 0
    assert round_euros(7) == 7


def test_totals_as_data_name_every_figure() -> None:
    plan = make_plan([{"id": "a", "type": "incidental", "year": 2023, "amount": 7},
                      {"id": "b", "type": "structural", "year": 2024, "fte": "0.5",
                       "rate": "internal"}])
    assert year_totals(plan)[1].as_dict() == {
        "year": 2024, "funding": 1_000_000, "planned": 50_000, "incidental": 0,
        "structural": 50_000, "staff": 50_000, "means": 0, "fte": Decimal("0.5"),
        "gap": 950_000, "cumulative_gap": 1_000_000 - 7 + 950_000,
        "funding_status": "forecast"}
    [goal] = goal_breakdown(plan, 2023)
    assert goal.as_dict() == {
        "id": "g", "name": "G", "planned": 7, "incidental": 7, "structural": 0, "staff": 0,
        "means": 7, "fte": 0, "themes": [{"id": "t", "name": "T", "planned": 7,
                                          "incidental": 7, "structural": 0, "staff": 0,
                                          "means": 7, "fte": 0}]}
    # A breakdown of the rows already computed equals one computed for the year alone.
    assert [g.as_dict() for g in goal_breakdown(plan, 2024, line_years(plan))] == \
        [g.as_dict() for g in goal_breakdown(plan, 2024)]


def test_exact_sum_of_wholes_and_fractions_is_the_fraction_sum() -> None:
    # The fast accumulator against Fraction arithmetic: thirds, twelfths and fte decimals.
    from fractions import Fraction

    from bdur_cli.plan.engine import exact_sum

    values = [100_000, Fraction(175_000, 3), Fraction(7, 12), -5, Fraction(3, 20000), 1]
    assert exact_sum(values) == sum(values, Fraction(0)) == Fraction(9_499_795_009, 60_000)


def test_round_euros_never_gives_a_negative_zero() -> None:
    assert str(round_euros(Fraction(-1, 3))) == "0"
    assert str(round_euros(Fraction(-1, 2))) == "-1"
    assert str(round_euros(Fraction(0))) == "0"
    assert str(round_euros(Fraction(1, 3))) == "0"
    assert str(round_euros(Decimal("-2.5"))) == "-3"


def test_a_line_knows_the_months_it_runs() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "start_month": 6,
                       "fte": 1, "rate": "internal"}])
    assert [(r.year, r.months) for r in line_years(plan)] == [
        (2023, 7), (2024, 12), (2025, 12), (2026, 12)]


def test_a_year_without_a_rate_or_funding_costs_and_brings_nothing() -> None:
    # `bdur check` refuses such a plan (rate-missing, funding-missing); the arithmetic itself
    # counts the missing as nothing rather than failing.
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "fte": 1,
                       "rate": "later"}],
                     rates={"later": {"by_year": {2024: 100_000}}},
                     funding={2023: {"amount": 5, "status": "granted"}})
    assert [(t.year, t.staff, t.funding, t.funding_status) for t in year_totals(plan)] == [
        (2023, 0, 5, "granted"), (2024, 100_000, 0, None), (2025, 100_000, 0, None),
        (2026, 100_000, 0, None)]


def test_a_year_without_a_rate_or_amount_costs_nothing_on_the_long_way_too() -> None:
    # `start` takes a line off the short path; 2023 has no rate and no amount yet.
    plan = make_plan([{"id": "s", "type": "structural", "start": "2023-01", "fte": 1,
                       "rate": "later"},
                      {"id": "m", "type": "structural", "start": "2023-01",
                       "amount": {2024: 7}}],
                     rates={"later": {"by_year": {2024: 100_000}}})
    assert [(r.line_id, r.year, r.amount) for r in line_years(plan) if r.year < 2025] == [
        ("s", 2023, 0), ("s", 2024, 100_000), ("m", 2023, 0), ("m", 2024, 7)]


def test_income_by_year_counts_from_its_first_year() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "amount": 100_000,
                       "income": {"partner": "P", "amount": {2024: 12_000, 2026: 6_000},
                                  "status": "granted"}}])
    # Nothing in 2023 (the map starts in 2024), 12,000 in 2024 and 2025, 6,000 from 2026.
    assert [r.income for r in line_years(plan)] == [0, 12_000, 12_000, 6_000]


def test_a_phased_budget_takes_a_yearly_income_in_full() -> None:
    # A phased year is never pro-rated, nor is the income towards it: 30,000, not 13/12 of it.
    plan = make_plan([{"id": "p", "type": "incidental", "phasing": {2024: 100_000},
                       "income": {"partner": "P", "amount": 30_000, "status": "granted"}}])
    assert [(r.year, r.amount, r.months, r.income) for r in line_years(plan)] == [
        (2024, 100_000, 12, 30_000)]


def test_two_periods_in_one_year_add_their_months() -> None:
    plan = make_plan([{"id": "a", "type": "incidental", "fte": 1, "rate": "internal",
                       "periods": [{"start": "2024-01", "end": "2024-03"},
                                   {"start": "2024-10", "end": "2024-12"}]}])
    # 3 + 3 months of 100,000 a year = 50,000.
    assert [(r.year, r.months, r.amount) for r in line_years(plan)] == [(2024, 6, 50_000)]


def test_average_fte_rounds_half_up_on_a_tie_below_an_even_digit() -> None:
    # 0.5 fte for 3 months: 1.5 fte-months / 12 = 0.125 -> 0.13 (half up; half even gives 0.12).
    plan = make_plan([{"id": "a", "type": "incidental", "start": "2024-10", "fte": Decimal("0.5"),
                       "rate": "internal"}])
    assert [t.average_fte for t in year_totals(plan)] == [0, Decimal("0.13"), 0, 0]


def test_line_years_for_some_years_some_lines_and_their_department() -> None:
    plan = make_plan([{"id": "a", "type": "structural", "year": 2023, "amount": 1}],
                     themes=[{"id": "t1", "name": "T1", "goal": "g", "department": "Bureau",
                              "lines": [{"id": "a", "type": "structural", "year": 2023,
                                         "amount": 1},
                                        {"id": "b", "type": "structural", "start": "2023-01",
                                         "amount": 2, "department": "Meldkamer"}]},
                             {"id": "t2", "name": "T2", "goal": "g",
                              "lines": [{"id": "c", "type": "structural", "year": 2023,
                                         "amount": 3}]}])
    rows = line_years(plan, range(2025, 2026))
    assert [(r.line_id, r.year, r.department) for r in rows] == [
        ("a", 2025, "Bureau"), ("b", 2025, "Meldkamer"), ("c", 2025, None)]
    # A selection past a theme with none of its lines, and within a theme.
    assert [r.line_id for r in line_years(plan, range(2025, 2026),
                                          select=lambda line: line.id == "c")] == ["c"]
    assert [r.line_id for r in line_years(plan, range(2025, 2026),
                                          select=lambda line: line.id == "b")] == ["b"]


def test_line_years_is_indexed_unless_asked_not_to_be() -> None:
    plan = make_plan([{"id": "m", "type": "structural", "year": 2023, "amount": 10_000}],
                     indexation={"base_year": 2023, "prices": {2024: "10%"}})
    # 10,000 x 1.1 = 11,000 from 2024; base-year euros when not indexed.
    assert [r.amount for r in line_years(plan)] == [10_000, 11_000, 11_000, 11_000]
    assert [r.amount for r in line_years(plan, indexed=False)] == [10_000] * 4


def _general_rows(plan: Plan, indexed: bool = True) -> list[tuple[object, ...]]:
    """Every line-year the long way, in Fractions and month by month, independent of the
    engine: the months in force counted one by one from the line's spans, the cost fte x rate
    (or the amount) x the indexation factor x months / 12, a phased year's share as it is, and
    the income a share of that cost or a yearly amount x months / 12."""
    from bdur_cli.plan.indexation import factors
    from bdur_cli.plan.model import PhasedLine, StaffLine, value_for

    last = plan.years.stop - 1
    ones = dict.fromkeys(plan.years, Fraction(1))
    wages = factors(plan.indexation, plan.years, "wages") if plan.indexation and indexed \
        else ones
    prices = factors(plan.indexation, plan.years, "prices") if plan.indexation and indexed \
        else ones
    out: list[tuple[object, ...]] = []
    for theme in plan.themes:
        for line in theme.lines:
            months_in: dict[int, int] = {}
            for a, b in line.spans(last):
                for month in range(a, b + 1):
                    months_in[month // 12] = months_in.get(month // 12, 0) + 1
            for year, months in months_in.items():
                if year not in plan.years:
                    continue
                fte = Decimal(0)
                if isinstance(line, PhasedLine):
                    cost = Fraction(line.phased_amounts()[year])
                elif isinstance(line, StaffLine):
                    fte = value_for(line.fte, year) or Decimal(0)
                    rate = plan.rates[line.rate].for_year(year) or 0
                    factor = wages[year] if line.indexed is not False else 1
                    cost = Fraction(fte) * Fraction(rate) * factor * months / 12
                else:
                    factor = prices[year] if line.indexed is not False else 1
                    cost = Fraction(value_for(line.amount, year) or 0) * factor * months / 12
                income = Fraction(0)
                if line.income is not None and line.income.share is not None:
                    income = cost * Fraction(line.income.share)
                elif line.income is not None and line.income.amount is not None:
                    income = Fraction(value_for(line.income.amount, year) or 0) * months / 12
                out.append((line.id, year, fte, months, cost, round_euros(cost), income))
    return out


def test_line_years_agrees_with_the_long_way() -> None:
    # line_years looks up what a line keeps from year to year once and works in integer
    # ratios; on every kind of line its rows must be the long way's, exactly.
    import sys
    from pathlib import Path

    from bdur_cli import api

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        from generate import plan_text  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(root / "benchmarks"))
    from bdur_cli.plan import loader

    plans = [api.load(p).plan for p in (
        root / "data" / "allocations.yaml", *sorted((root / "data" / "scenarios").glob("*.yaml")),
        root / "examples" / "noorderkust.yaml",
        *sorted((root / "examples" / "plan-format").glob("*.yaml"))) if p.stem != "one-off-month"]
    plans += [loader.validate(*loader.parse(plan_text(600, seed=s, features=f), "gen.yaml"))
              for s in (1, 2) for f in (False, True)]
    plans.append(make_plan([
        {"id": "late", "type": "structural", "year": 2027, "fte": 1, "rate": "internal"},
        {"id": "early", "type": "structural", "year": 2021, "until": 2024, "start_month": 5,
         "amount": 1001},
        {"id": "odd", "type": "incidental", "year": 2026, "start_month": 12, "fte": "0.3333",
         "rate": "internal"}]))
    for plan in plans:
        for indexed in (True, False):
            fast = [(r.line_id, r.year, r.fte, r.months, r.exact, r.amount, r.income_exact)
                    for r in line_years(plan, indexed=indexed)]
            assert fast == _general_rows(plan, indexed)
            assert fast


def test_round_ratio_is_round_euros_of_the_same_amount() -> None:
    # Half up, away from zero, from unreduced integers: 5/2 = 2.5 -> 3 and written as 10/4
    # too; 3/2 = 1.5 -> 2; -5/2 -> -3; 7/3 = 2.33 -> 2; 2/5 = 0.4 -> 0 (never -0).
    from bdur_cli.rounding import round_ratio

    cases = {(5, 2): 3, (10, 4): 3, (3, 2): 2, (-5, 2): -3, (7, 3): 2, (-2, 5): 0, (2, 5): 0,
             (-7, 2): -4, (1_999_999, 2): 1_000_000}
    for (n, d), whole in cases.items():
        got = round_ratio(n, d)
        assert got == Decimal(whole) and got.is_signed() == (whole < 0), (n, d, got)
        assert got == round_euros(Fraction(n, d))
