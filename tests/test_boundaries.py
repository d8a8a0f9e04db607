"""Boundaries that a mutation of the code would move: each test fails if `>` becomes `>=`, a
rounding mode changes, or an off-by-one slips in (see docs/development.md, mutation testing)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import bdur_cli
from bdur_cli.errors import BdurError
from bdur_cli.plan.checks import reference_findings, rule_findings
from bdur_cli.plan.model import Plan
from bdur_cli.plan.pipeline import load_plan
from conftest import PLAN

Mutate = Callable[[str, str], Path]
FUNDING_2024 = "    amount: 1650000\n"


def findings(path: Path) -> list[tuple[str, str]]:
    plan = bdur_cli.load(path).plan
    return [(f.code, f.message) for f in (*reference_findings(plan), *rule_findings(plan))]


def codes(path: Path) -> list[str]:
    return [code for code, _ in findings(path)]


# --- rules: structural_within_funding (>), planned_within_funding (gap < 0, from_year) -------

def test_structural_equal_to_funding_is_covered(mutate: Mutate) -> None:
    # 2024: structural 1,505,000 (everything), so funding 1,505,000 leaves a gap of exactly 0.
    assert findings(mutate(FUNDING_2024, "    amount: 1505000\n")) == []


def test_one_euro_short_breaks_both_rules(mutate: Mutate) -> None:
    assert findings(mutate(FUNDING_2024, "    amount: 1504999\n")) == [
        ("structural-not-covered",
         "2024: structural costs €1,505,000 exceed funding €1,504,999 by €1"),
        ("over-funding", "2024: planned €1,505,000 exceeds funding €1,504,999; shortfall €1")]


def test_planned_within_funding_starts_at_its_from_year(mutate: Mutate) -> None:
    # 2023 has a shortfall of 277,851: exempt before from_year, reported from it.
    assert "over-funding" not in codes(PLAN)
    got = findings(mutate("    from_year: 2024\n", "    from_year: 2023\n"))
    assert ("over-funding", "2023: planned €1,685,000 exceeds funding €1,407,149; "
            "shortfall €277,851") in got
    # The structural rule holds in 2023 (1,200,000 within 1,407,149): only planned breaks.
    assert [c for c, _ in got] == ["over-funding"]


# --- until against the horizon's last year ----------------------------------------------------

JURIDISCH = ("        fte: 1\n        rate: internal\n        note: Tabel 1\n\n"
             "  - id: bevolkingszorg")


def test_until_the_last_year_is_fine_one_past_it_warns(mutate: Mutate) -> None:
    assert findings(mutate(JURIDISCH, JURIDISCH.replace("fte: 1\n", "fte: 1\n        until: "
                                                                  "2026\n"))) == []
    assert findings(mutate(JURIDISCH, JURIDISCH.replace("fte: 1\n", "fte: 1\n        until: "
                                                                  "2027\n"))) == [
        ("until-past-horizon",
         "line 'juridisch-fte' runs until 2027, past the horizon 2023-2026")]


# --- stated totals ------------------------------------------------------------------------------

def test_a_stated_total_in_the_horizons_last_year_is_reconciled(mutate: Mutate) -> None:
    got = findings(mutate("  2026: {planned: 1605000, fte: 13}",
                          "  2026: {planned: 1605001, fte: 13}"))
    assert got == [("stated-total-mismatch", "2026 planned: the file states €1,605,001 but the "
                    "lines add up to €1,605,000 (difference -€1)")]


def test_stated_total_messages_spell_fte_plainly_and_sign_the_difference(
        mutate: Mutate) -> None:
    # juridisch 1 -> 1.50 fte: 2024 has 12.50 fte (a Decimal sum), shown as 12.5, and a
    # positive difference is signed. Its money changes too (+50,000 from 2023 on).
    got = dict((m.split(":")[0], m) for c, m in findings(
        mutate(JURIDISCH, JURIDISCH.replace("fte: 1\n", "fte: 1.50\n")))
        if c == "stated-total-mismatch")
    assert got["2024 fte"] == ("2024 fte: the file states 12 fte but the lines add up to "
                               "12.5 fte (difference +0.5 fte)")
    assert got["2024 planned"] == ("2024 planned: the file states €1,505,000 but the lines add "
                                   "up to €1,555,000 (difference +€50,000)")


@pytest.mark.parametrize(("fte", "mismatch"), [("1.04", False), ("1.05", True),
                                               ("0.95", False), ("0.94", True)])
def test_stated_fte_compares_at_the_places_it_is_written_with(mutate: Mutate, fte: str,
                                                              mismatch: bool) -> None:
    # 2023 states 11.5 fte: 11.54 rounds (half up, one place) to 11.5, 11.55 to 11.6; 11.45
    # to 11.5 (half even would give 11.4), 11.44 to 11.4.
    actual = Decimal("10.5") + Decimal(fte)
    got = [m for c, m in findings(mutate(JURIDISCH, JURIDISCH.replace("fte: 1\n",
                                                                      f"fte: {fte}\n")))
           if m.startswith("2023 fte")]
    diff = actual - Decimal("11.5")
    sign = "+" if diff > 0 else ""
    assert got == ([f"2023 fte: the file states 11.5 fte but the lines add up to {actual} "
                    f"fte (difference {sign}{diff} fte)"] if mismatch else [])


def test_every_rule_finding_has_its_hint_and_points_at_its_key(mutate: Mutate) -> None:
    path = mutate("  2026: {planned: 1605000, fte: 13}", "  2026: {planned: 1605001, fte: 13}")
    plan = bdur_cli.load(path).plan
    [f] = rule_findings(plan)
    assert (f.hint, f.path) == ("write planned: 1605000 if the lines are right, else correct "
                                "them", ("stated_totals", 2026, "planned"))
    plan = bdur_cli.load(mutate(FUNDING_2024, "    amount: 1504999\n")).plan
    assert [(f.code, f.hint, f.path) for f in rule_findings(plan)] == [
        ("structural-not-covered",
         # 1,505,000 of structural cost (covered exactly at that funding, above) less 1,504,999
         "a structural cost needs structural money: lower 2024's structural cost by €1, or "
         "raise funding for 2024 to at least €1,505,000 (funding: 2024: {amount: 1505000, "
         "status: forecast})",
         ("funding", 2024, "amount")),
        ("over-funding", "lower 2024's planned cost by €1, or, when more is granted, raise "
         "funding for 2024 to at least €1,505,000 (funding: 2024: {amount: 1505000, status: "
         "forecast})",
         ("funding", 2024, "amount"))]


def test_a_stated_year_outside_the_horizon_does_not_hide_the_years_after_it() -> None:
    # `bdur check` reports the year outside the horizon on its own; rule_findings skips the
    # year it has no totals for and goes on with the next one.
    plan = bdur_cli.load(PLAN).plan
    stated = {2030: plan.stated_totals[2026], 2026: plan.stated_totals[2026].model_copy(
        update={"planned": Decimal(1)})}
    plan = plan.model_copy(update={"stated_totals": stated})
    assert [f.message.split(":")[0] for f in rule_findings(plan)] == ["2026 planned"]


def small_plan(lines: list[dict[str, Any]], stated: dict[str, int]) -> Plan:
    return Plan.model_validate({
        "plan": {"region": "R", "title": "T", "horizon": {"first": 2023, "last": 2023}},
        "funding": {2023: {"amount": 1_000_000, "status": "forecast"}},
        "rates": {"internal": {"amount": 100_000}},
        "goals": [{"id": "g", "name": "G"}],
        "themes": [{"id": "t", "name": "T", "goal": "g", "lines": lines}],
        "stated_totals": {2023: stated}})


def test_totals_stated_per_category_rounded_once_agree() -> None:
    # Staff and means of 58,333.33 each (7/12 of 100,000): each category rounds to 58,333 and
    # the year to 116,667. Sharing the year's euros out over the lines made one of them 58,334.
    plan = small_plan([
        {"id": "s", "type": "structural", "year": 2023, "start_month": 6, "fte": 1,
         "rate": "internal"},
        {"id": "m", "type": "structural", "year": 2023, "start_month": 6, "amount": 100_000}],
        {"planned": 116_667, "staff": 58_333, "means": 58_333, "structural": 116_667})
    assert rule_findings(plan) == []


# --- scenario funding: scale, then set ----------------------------------------------------------


def funding(path: Path) -> dict[int, tuple[int, str]]:
    return {y: (int(f.amount), f.status) for y, f in bdur_cli.load(path).plan.funding.items()}


def test_scale_rounds_a_half_up(scenario: Callable[[str], Path]) -> None:
    # 1,407,149 x 0.5 = 703,574.5 -> 703,575 (floor and half even both give 703,574);
    # 2,150,000 x 0.333333 = 716,665.95 -> 716,666 (floor: 716,665).
    got = funding(scenario("funding:\n  scale: {factor: 0.5, until: 2023}\n"))
    assert got[2023] == (703_575, "granted")
    got = funding(scenario("funding:\n  scale: {factor: 0.333333, from_year: 2025, "
                           "until: 2025}\n"))
    assert (got[2024], got[2025], got[2026]) == ((1_650_000, "forecast"),
                                                 (716_666, "forecast"),
                                                 (2_400_000, "forecast"))


def test_a_set_of_only_the_status_keeps_the_scaled_amount(
        scenario: Callable[[str], Path]) -> None:
    got = funding(scenario("funding:\n  scale: {factor: 0.5}\n"
                           "  set: {2025: {status: granted}, 2026: {amount: 7}}\n"))
    assert got == {2023: (703_575, "granted"), 2024: (825_000, "forecast"),
                   2025: (1_075_000, "granted"), 2026: (7, "forecast")}


@pytest.mark.parametrize(("span", "shown"), [("from_year: 2027", "from 2027"),
                                             ("until: 2022", "until 2022"),
                                             ("from_year: 2030, until: 2031", "2030-2031")])
def test_a_scale_span_without_a_year_of_the_horizon_is_an_empty_selection(
        scenario: Callable[[str], Path], span: str, shown: str) -> None:
    path = scenario(f"funding:\n  scale: {{factor: 0.9, {span}}}\n")
    with pytest.raises(BdurError) as info:
        load_plan(path, display="s.yaml")
    [f] = info.value.findings
    assert (f.code, str(f.location)) == ("empty-selection", "s.yaml:4:10")
    assert f.message == f"scale: no year of the horizon 2023-2026 is selected ({shown})"
    assert f.hint == "change 'from_year' or 'until'"


def test_a_scale_span_on_the_horizons_edges_selects_them(
        scenario: Callable[[str], Path]) -> None:
    assert funding(scenario("funding:\n  scale: {factor: 2, from_year: 2026}\n"))[2026] == (
        4_800_000, "forecast")
    assert funding(scenario("funding:\n  scale: {factor: 2, until: 2023}\n"))[2023] == (
        2_814_298, "granted")


# --- references: every finding with its code, message, hint and key path ------------------------

def test_every_reference_finding_says_what_and_where() -> None:
    from bdur_cli.plan.model import Rate

    plan = bdur_cli.load(PLAN).plan
    t0, t1 = plan.themes[0], plan.themes[1]
    first_line = t0.lines[0]
    lines0 = [first_line.model_copy(update={"rate": "intern"}),
              t0.lines[1].model_copy(update={"year": 2022}),
              t0.lines[2].model_copy(update={"until": 2027}),
              t0.lines[3].model_copy(update={"until": 2026})]
    funding = {y: f for y, f in plan.funding.items() if y != 2025}
    funding[2027] = plan.funding[2026]
    funding[2022] = plan.funding[2023]
    broken = plan.model_copy(update={
        "funding": funding,
        "stated_totals": {2022: plan.stated_totals[2023], 2023: plan.stated_totals[2023],
                          2026: plan.stated_totals[2026], 2027: plan.stated_totals[2026]},
        "rates": {**plan.rates, "senior": Rate(by_year={2024: Decimal(120_000)}),
                  "own": Rate(by_year={2023: Decimal(120_000)})},
        "goals": [*plan.goals, plan.goals[0]],
        "themes": [t0.model_copy(update={"lines": lines0}),
                   t1.model_copy(update={"id": t0.id, "goal": "elders",
                                         "lines": [t1.lines[0].model_copy(
                                             update={"id": first_line.id})]})]})
    got = [(f.code, f.message, f.hint, f.path, f.level) for f in reference_findings(broken)]
    known = "known: external, internal, own, senior"
    assert got == [
        ("year-outside-horizon", "funding for 2027 lies outside the horizon 2023-2026", None,
         ("funding", 2027), "error"),
        ("year-outside-horizon", "funding for 2022 lies outside the horizon 2023-2026", None,
         ("funding", 2022), "error"),
        ("funding-missing", "no funding declared for 2025",
         "add 'funding: {2025: {amount: ..., status: forecast}}'", ("funding",), "error"),
        ("year-outside-horizon", "stated totals for 2022 lie outside the horizon 2023-2026",
         None, ("stated_totals", 2022), "error"),
        ("year-outside-horizon", "stated totals for 2027 lie outside the horizon 2023-2026",
         None, ("stated_totals", 2027), "error"),
        ("rate-missing", "rate 'senior' has no amount for 2023", "start by_year at 2023",
         ("rates", "senior", "by_year"), "error"),
        ("duplicate-id", "goal id 'toekomst-cb' is used twice", None, ("goals", 2, "id"),
         "error"),
        ("unknown-rate", "line 'nieuwe-crises-fte' names rate 'intern', which is not in "
         "'rates'", known, ("themes", 0, "lines", 0, "rate"), "error"),
        ("year-outside-horizon", "line 'nieuwe-crises-middelen-inc' starts in 2022, outside "
         "the horizon 2023-2026", None, ("themes", 0, "lines", 1, "year"), "error"),
        ("until-past-horizon", "line 'nieuwe-crises-middelen' runs until 2027, past the "
         "horizon 2023-2026", None, ("themes", 0, "lines", 2, "until"), "warning"),
        ("duplicate-id", "theme id 'nieuwe-crises' is used twice", "every theme needs its own id",
         ("themes", 1, "id"), "error"),
        ("unknown-goal", "theme 'nieuwe-crises' names goal 'elders', which is not in 'goals'",
         "known: informatiepositie, toekomst-cb", ("themes", 1, "goal"), "error"),
        ("duplicate-id", "line id 'nieuwe-crises-fte' is used twice",
         "line ids are unique in the file", ("themes", 1, "lines", 0, "id"), "error"),
    ]


def test_no_goals_no_rates_say_none_are_declared() -> None:
    plan = bdur_cli.load(PLAN).plan
    line = plan.themes[0].lines[0]
    broken = plan.model_copy(update={"goals": [], "rates": {}, "themes": [
        plan.themes[0].model_copy(update={"lines": [line]})]})
    assert [(f.code, f.hint) for f in reference_findings(broken)] == [
        ("unknown-goal", "none are declared"), ("unknown-rate", "none are declared")]


def test_a_line_may_start_in_the_horizons_last_year(mutate: Mutate) -> None:
    line = "      - id: juridisch-fte\n        type: structural\n        year: 2023\n"
    assert findings(mutate(line, line.replace("2023", "2026"))) == [
        ("stated-total-mismatch", "2023 planned: the file states €1,685,000 but the lines "
         "add up to €1,585,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2023 structural: the file states €1,200,000 but the lines "
         "add up to €1,100,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2023 staff: the file states €1,275,000 but the lines add "
         "up to €1,175,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2023 fte: the file states 11.5 fte but the lines add up to "
         "10.5 fte (difference -1 fte)"),
        ("stated-total-mismatch", "2024 planned: the file states €1,505,000 but the lines "
         "add up to €1,405,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2024 staff: the file states €1,200,000 but the lines add "
         "up to €1,100,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2024 fte: the file states 12 fte but the lines add up to "
         "11 fte (difference -1 fte)"),
        ("stated-total-mismatch", "2025 planned: the file states €1,605,000 but the lines "
         "add up to €1,505,000 (difference -€100,000)"),
        ("stated-total-mismatch", "2025 fte: the file states 13 fte but the lines add up to "
         "12 fte (difference -1 fte)")]
