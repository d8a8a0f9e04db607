"""Money over time: amounts and fte by year, periods within a year, one-offs never pro-rated.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.plan.engine import line_years, year_totals
from bdur_cli.plan.model import Plan
from bdur_cli.plan.pipeline import check_file, load_plan
from conftest import bdur, installed

HEAD = """\
plan:
  region: Veiligheidsregio Voorbeeld
  title: T
  horizon: {first: 2023, last: 2026}
funding:
  2023: {amount: 1000000, status: granted}
  2024: {amount: 1000000, status: forecast}
  2025: {amount: 1000000, status: forecast}
  2026: {amount: 1000000, status: forecast}
rates:
  internal: {amount: 100000}
  external: {amount: 150000}
goals:
  - {id: g, name: G}
themes:
  - id: t
    name: T
    goal: g
    lines:
"""


def plan_file(write: Callable[..., Path], *lines: str, tail: str = "") -> Path:
    body = "".join(f"      - {line}\n" for line in lines)
    return write(HEAD + body + tail)


def amounts(plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {(r.line_id, r.year): r.amount for r in line_years(plan)}


def findings(path: Path) -> list[str]:
    checked = check_file(path, path.name)
    return [f"{f.location}: {f.level}: {f.message} [{f.code}]" for f in checked.findings]


# --- amounts and fte by year -------------------------------------------------------------

def test_amount_by_year_steps_up_and_down(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: licentie, type: structural, year: 2023, "
                            "amount: {2023: 100000, 2024: 120000, 2026: 60000}}")
    got = amounts(load_plan(path).plan)
    # From each listed year on: 2023 100,000; 2024 and 2025 120,000; 2026 down to 60,000.
    assert [got[("licentie", y)] for y in range(2023, 2027)] == [100_000, 120_000, 120_000,
                                                                  60_000]


def test_fte_by_year_is_the_formation_in_force(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: adviseur, type: structural, year: 2023, "
                            "fte: {2023: 0.8, 2025: 1}, rate: internal}")
    plan = load_plan(path).plan
    got = amounts(plan)
    # 0.8 x 100,000 = 80,000 in 2023 and 2024; 1 x 100,000 from 2025.
    assert [got[("adviseur", y)] for y in range(2023, 2027)] == [80_000, 80_000, 100_000,
                                                                  100_000]
    assert [t.fte for t in year_totals(plan)] == [Decimal("0.8"), Decimal("0.8"), 1, 1]


def test_memo_step_up_as_one_by_year_line_gives_the_memo(mutate: Callable[[str, str], Path]
                                                          ) -> None:
    # "nieuwe crisis" means 10,000 -> 15,000 from 2024: one line instead of two.
    path = mutate("""        amount: 10000
        note: Tabel 1, middelen structureel 2023 e.v.
      - id: nieuwe-crises-middelen-2024
        type: structural
        year: 2024
        amount: 5000
        note: Tabel 2, van 10.000 naar 15.000 vanaf 2024
""", """        amount: {2023: 10000, 2024: 15000}
        note: Tabel 1, middelen structureel 2023 e.v.
""")
    checked = check_file(path)
    assert checked.findings == [] and checked.plan is not None
    assert [t.planned for t in year_totals(checked.plan)] == [1_685_000, 1_505_000, 1_605_000,
                                                              1_605_000]


def test_by_year_map_must_cover_the_first_year(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, year: 2023, amount: {2024: 5}}")
    assert findings(path) == [
        "plan.yaml:20:55: error: line 'a' starts in 2023 but its amount is given from 2024 on "
        "[by-year-missing]"]


def test_by_year_key_that_is_not_a_year(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, year: 2023, amount: {first: 5}}")
    assert findings(path) == [
        "plan.yaml:20:55: error: themes[0].lines[0].amount: 'first' is not a year "
        "(2000-2100) [by-year-key]"]


def test_a_bad_value_in_a_map_names_its_year(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, year: 2023, fte: {2023: '1,5'}, "
                            "rate: internal}")
    assert findings(path) == [  # at the year's value, not at the map's '{'
        "plan.yaml:20:59: error: themes[0].lines[0].fte: 2023: '1,5' uses a decimal comma "
        "[dutch-number]"]


# --- one-offs are never pro-rated --------------------------------------------------------

def test_a_one_off_with_a_start_month_is_refused_not_pro_rated(write: Callable[..., Path]
                                                               ) -> None:
    # Before: start_month 11 silently made it 2/12 of 30,000 = 5,000. Now: a located error.
    path = plan_file(write, "{id: laptop, type: incidental, year: 2024, start_month: 11, "
                            "amount: 30000}")
    result = bdur("totals", "-f", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}:20:9: error: themes[0].lines[0]: an incidental means line is a one-off and "
        "is never pro-rated; 'start_month' would change its amount [one-off-month] (hint: "
        "remove it and give 'year' only: the amount is paid in full in that year (say the "
        "month in 'note'))\n")


@pytest.mark.parametrize("when", ["start: 2024-11", "year: 2024, end: 2024-11",
                                  "periods: [{start: 2024-11}]"])
def test_a_one_off_takes_no_month_in_any_spelling(write: Callable[..., Path], when: str) -> None:
    path = plan_file(write, f"{{id: laptop, type: incidental, {when}, amount: 30000}}")
    codes = [f.code for f in check_file(path).findings]
    assert codes[0] in ("one-off-month", "schema")
    assert codes == ["one-off-month"] or "end" in when  # year + end is refused as a shape


def test_the_one_off_without_a_month_is_paid_in_full(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: laptop, type: incidental, year: 2024, amount: 30000, "
                            "note: gekocht in november}")
    assert amounts(load_plan(path).plan) == {("laptop", 2024): 30_000}


def test_incidental_staff_with_a_start_month_is_still_pro_rated(write: Callable[..., Path]
                                                                ) -> None:
    path = plan_file(write, "{id: inhuur, type: incidental, year: 2024, start_month: 7, "
                            "fte: 1, rate: external}")
    # Six months of 150,000 a year: 75,000.
    assert amounts(load_plan(path).plan) == {("inhuur", 2024): 75_000}


def test_the_installed_program_refuses_a_one_off_month(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: laptop, type: incidental, year: 2024, start_month: 11, "
                            "amount: 30000}")
    proc = subprocess.run([installed(), "check", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert "[one-off-month]" in proc.stdout
    assert "would change its amount" in proc.stdout


# --- periods within a year ---------------------------------------------------------------

def test_interim_hire_from_september_to_march(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: interim, type: incidental, start: 2024-09, end: 2026-03, "
                            "fte: 1, rate: external}")
    plan = load_plan(path).plan
    # 150,000 a year: 4 months of 2024 = 50,000; all of 2025; 3 months of 2026 = 37,500.
    assert amounts(plan) == {("interim", 2024): 50_000, ("interim", 2025): 150_000,
                             ("interim", 2026): 37_500}
    totals = year_totals(plan)
    assert [t.fte for t in totals] == [0, 1, 1, 1]  # the formation in force
    # What the money pays for: 4/12 = 0.33, 12/12 = 1, 3/12 = 0.25.
    assert [t.average_fte for t in totals] == [0, Decimal("0.33"), 1, Decimal("0.25")]


def test_average_fte_adds_the_months_of_every_staff_line(write: Callable[..., Path]) -> None:
    path = write(HEAD + "".join(f"      - {line}\n" for line in (
        "{id: a, type: incidental, start: 2024-07, end: 2024-12, fte: 1, rate: internal}",
        "{id: b, type: incidental, start: 2024-01, end: 2024-03, fte: 2, rate: internal}",
        "{id: m, type: incidental, year: 2024, amount: 5}")))
    # 6 months of 1 fte + 3 months of 2 fte = 12 fte-months: 1 fte on average over 2024;
    # the means line has no fte.
    assert [t.average_fte for t in year_totals(load_plan(path).plan)] == [0, 1, 0, 0]


def test_a_secondment_that_ends_on_1_july(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: detachering, type: structural, start: 2023-01, end: 2025-06, "
                            "fte: 0.5, rate: internal}")
    got = amounts(load_plan(path).plan)
    # 0.5 x 100,000 = 50,000 a year; January-June 2025 is 6/12: 25,000; nothing in 2026.
    assert got == {("detachering", 2023): 50_000, ("detachering", 2024): 50_000,
                   ("detachering", 2025): 25_000}


def test_periods_with_a_gap_year(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: piket, type: structural, fte: 1, rate: internal, periods: "
                            "[{start: 2023-10, end: 2024-03}, {start: 2026-01}]}")
    got = amounts(load_plan(path).plan)
    # Oct-Dec 2023 = 3/12 = 25,000; Jan-Mar 2024 = 25,000; 2025 nothing; 2026 whole year.
    assert got == {("piket", 2023): 25_000, ("piket", 2024): 25_000, ("piket", 2026): 100_000}


def test_by_year_fte_within_a_period(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, start: 2023-07, "
                            "fte: {2023: 0.5, 2024: 1}, rate: internal}")
    got = amounts(load_plan(path).plan)
    # 0.5 x 100,000 x 6/12 = 25,000 in 2023, then 100,000 a year.
    assert [got[("a", y)] for y in range(2023, 2027)] == [25_000, 100_000, 100_000, 100_000]


def test_overlapping_periods_are_a_located_finding(write: Callable[..., Path]) -> None:
    path = write(HEAD + """\
      - id: piket
        type: structural
        fte: 1
        rate: internal
        periods:
          - {start: 2023-01, end: 2024-06}
          - {start: 2024-03, end: 2024-12}
""")
    assert findings(path) == [
        "plan.yaml:26:13: error: line 'piket': periods 1 and 2 overlap (both include 2024-03) "
        "[period-overlap]"]


def test_an_end_before_the_start(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: incidental, start: 2024-09, end: 2024-03, fte: 1, "
                            "rate: internal}")
    assert findings(path) == [
        "plan.yaml:20:56: error: line 'a' ends (2024-03) before it starts (2024-09) "
        "[period-order]"]


@pytest.mark.parametrize(("text", "message"), [
    ("2024-9", "expected a month such as 2024-09, got '2024-9'"),
    ("2024-13", "expected a month such as 2024-09, got '2024-13'"),
    ("2024-09-01", "expected a month such as 2024-09, got '2024-09-01'"),
])
def test_a_malformed_month(write: Callable[..., Path], text: str, message: str) -> None:
    path = plan_file(write, f"{{id: a, type: structural, start: {text}, fte: 1, "
                            "rate: internal}")
    checked = check_file(path)
    assert [(f.code, f.message) for f in checked.findings] == [
        ("bad-month", f"themes[0].lines[0].start: {message}")]


@pytest.mark.parametrize(("extra", "message"), [
    ("year: 2024", "'year' and 'start' say the same thing twice; use 'start' only"),
    ("start_month: 9", "'start_month' and 'start' say the same thing twice; use 'start' only"),
    ("until: 2026", "a line with 'start' ends with 'end', not 'until'"),
])
def test_start_with_year_month_or_until_is_refused(write: Callable[..., Path], extra: str,
                                                   message: str) -> None:
    path = plan_file(write, f"{{id: a, type: structural, {extra}, start: 2024-09, fte: 1, "
                            "rate: internal}")
    assert [f.message for f in check_file(path).findings] == [f"themes[0].lines[0]: {message}"]


def test_a_line_without_any_start(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, fte: 1, rate: internal}")
    assert [(f.code, f.message) for f in check_file(path).findings] == [
        ("missing-key", "themes[0].lines[0]: a line needs 'year' (or 'start', e.g. 2024-09)")]


def test_totals_json_has_average_fte_only_when_it_differs(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, start: 2023-10, fte: 1, rate: internal}")
    data = json.loads(bdur("totals", "--format", "json", "-f", str(path)).stdout)
    # 3 months of 1 fte: 25,000 and an average of 0.25 fte; then whole years.
    assert [(d["planned"], d["fte"], d["average_fte"]) for d in data][:2] == [
        (25000, 1, 0.25), (100000, 1, 1)]
    memo = bdur("totals", "--format", "json").stdout
    assert "average_fte" not in memo


# --- scenarios understand them -----------------------------------------------------------

def _scenario(write: Callable[..., Path], plan: Path, body: str) -> Any:
    path = write(f"scenario: {{name: S}}\nbase: {plan.name}\n{body}", "s.yaml")
    return load_plan(path)


def test_shift_moves_a_by_year_profile_with_its_start(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: a, type: structural, year: 2023, "
                            "fte: {2023: 0.5, 2024: 1}, rate: internal}")
    loaded = _scenario(write, plan, "shift:\n  - select: {line: a}\n    year: 2024\n")
    got = amounts(loaded.plan)
    # The ramp moves a year: 0.5 fte in 2024, 1 fte from 2025.
    assert [got.get(("a", y)) for y in range(2023, 2027)] == [None, 50_000, 100_000, 100_000]


def test_shift_start_month_on_a_start_line(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: a, type: incidental, start: 2024-01, end: 2024-12, fte: 1, "
                            "rate: internal}")
    loaded = _scenario(write, plan, "shift:\n  - select: {year: 2024}\n    start_month: 10\n")
    # October-December: 3/12 of 100,000.
    assert amounts(loaded.plan) == {("a", 2024): 25_000}
    assert str(loaded.locate(("themes", 0, "lines", 0, "start"))).endswith("s.yaml:5:18")


def test_shift_moves_periods_and_a_start_by_whole_years(write: Callable[..., Path]) -> None:
    plan = write(HEAD + "".join(f"      - {line}\n" for line in (
        "{id: p, type: incidental, fte: 1, rate: internal, periods: "
        "[{start: 2023-01, end: 2023-03}, {start: 2023-10}]}",
        "{id: s, type: structural, start: 2023-07, end: 2025-06, amount: 1200}",
        "{id: m, type: structural, year: 2023, amount: {2023: 12, 2024: 24}}")))
    loaded = _scenario(write, plan, "shift:\n  - select: {theme: t, type: incidental}\n"
                                    "    year: 2024\n"
                                    "  - select: {line: s}\n    year: 2024\n")
    lines = loaded.plan.themes[0].lines
    # Both periods a year later, their ends too; s's start moves, its fixed end stays.
    assert [(p.start, p.end) for p in lines[0].periods] == [("2024-01", "2024-03"),
                                                           ("2024-10", None)]
    assert (lines[1].start, lines[1].end) == ("2024-07", "2025-06")
    # p: 3 + 3 months of 100,000 in 2024 = 50,000. m is structural: not selected.
    assert amounts(loaded.plan)[("p", 2024)] == 50_000
    assert lines[2] == load_plan(plan).plan.themes[0].lines[2]


def test_shift_start_month_applies_to_the_first_period_only(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: p, type: incidental, fte: 1, rate: internal, periods: "
                            "[{start: 2024-09, end: 2024-12}, {start: 2024-02, end: 2024-04}]}")
    loaded = _scenario(write, plan, "shift:\n  - select: {line: p}\n    start_month: 3\n")
    # The earliest period (February) starts in March instead; the later one is unchanged.
    assert [(p.start, p.end) for p in loaded.plan.themes[0].lines[0].periods] == [
        ("2024-09", "2024-12"), ("2024-03", "2024-04")]
    # 4 + 2 months of 100,000 = 50,000.
    assert amounts(loaded.plan) == {("p", 2024): 50_000}


def test_shift_start_month_null_starts_a_start_line_in_january(
        write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: a, type: structural, start: 2024-07, fte: 1, rate: internal}")
    loaded = _scenario(write, plan, "shift:\n  - select: {line: a}\n    start_month: null\n")
    assert loaded.plan.themes[0].lines[0].start == "2024-01"


def test_a_shift_by_year_on_a_phased_budget_with_a_start_month_is_refused(
        write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: f, type: incidental, total: 300, phasing: {2024: 300}}")
    with pytest.raises(Exception) as caught:
        _scenario(write, plan, "shift:\n  - select: {line: f}\n    start_month: 9\n")
    assert [f.message for f in caught.value.findings] == [  # type: ignore[attr-defined]
        "shift[0]: a phased budget takes its years from 'phasing'; drop 'start_month'"]


def test_change_gives_a_line_a_by_year_amount(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: a, type: structural, year: 2023, amount: 1000}")
    loaded = _scenario(write, plan, "lines:\n  change:\n"
                                    "    - {id: a, amount: {2023: 1000, 2025: 400}}\n")
    got = amounts(loaded.plan)
    assert [got[("a", y)] for y in range(2023, 2027)] == [1000, 1000, 400, 400]


def test_a_scenario_that_would_pro_rate_a_one_off_is_refused(write: Callable[..., Path]
                                                             ) -> None:
    plan = plan_file(write, "{id: m, type: incidental, year: 2024, amount: 30000}")
    with pytest.raises(Exception) as caught:
        _scenario(write, plan, "shift:\n  - select: {line: m}\n    start_month: 11\n")
    assert [f.code for f in caught.value.findings] == ["one-off-month"]  # type: ignore[attr-defined]


# --- multi-year budgets ------------------------------------------------------------------

def test_a_budget_phased_by_amount(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: oefenen, type: incidental, total: 300000, "
                            "phasing: {2024: 100000, 2025: 200000}}")
    plan = load_plan(path).plan
    assert amounts(plan) == {("oefenen", 2024): 100_000, ("oefenen", 2025): 200_000}
    assert [t.incidental for t in year_totals(plan)] == [0, 100_000, 200_000, 0]


def test_a_budget_phased_by_share_adds_up_to_its_total(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: incidental, total: 100000, "
                            "phasing: {2024: 33.3333%, 2025: 33.3333%, 2026: 33.3334%}}")
    got = amounts(load_plan(path).plan)
    # Cumulative shares: 33,333.33 -> 33,333; 66,666.66 -> 66,667 (so 2025 gets 33,334);
    # 100,000 -> 100,000 (2026 gets 33,333). The years add up to the total exactly.
    assert got == {("a", 2024): 33_333, ("a", 2025): 33_334, ("a", 2026): 33_333}
    assert sum(got.values()) == 100_000


def test_a_half_share_rounds_half_up(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: incidental, total: 5, "
                            "phasing: {2024: 50%, 2025: 50%}}")
    # 2.5 -> 3 (half up), then 5 - 3 = 2.
    assert amounts(load_plan(path).plan) == {("a", 2024): 3, ("a", 2025): 2}


def test_a_phasing_that_misses_its_total(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: b, type: incidental, total: 300000, "
                            "phasing: {2024: 100000, 2025: 150000}}")
    assert findings(path) == [
        "plan.yaml:20:59: error: line 'b': the phasing adds up to €250,000, not the total "
        "€300,000 (difference -€50,000) [phasing-total]"]


def test_shares_that_miss_100_percent(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: c, type: incidental, total: 300000, "
                            "phasing: {2024: 40%, 2025: 50%}}")
    assert findings(path) == [
        "plan.yaml:20:59: error: line 'c': the shares add up to 90%, not 100% [phasing-share]"]


@pytest.mark.parametrize(("line", "message"), [
    ("{id: d, type: structural, total: 300, phasing: {2024: 100%}}",
     "a phased budget is incidental (one-off money spread over years)"),
    ("{id: d, type: incidental, total: 300, phasing: {2024: 40%, 2025: 260}}",
     "a phasing is all amounts or all shares, not a mix"),
    ("{id: d, type: incidental, phasing: {2024: 40%, 2025: 60%}}",
     "a phasing in shares needs the 'total' it shares out"),
    ("{id: d, type: incidental, year: 2024, total: 300, phasing: {2024: 300}}",
     "a phased budget takes its years from 'phasing'; drop 'year'"),
    ("{id: d, type: incidental, total: 300, phasing: {2024: 120%}}",
     "2024: a share is above 0% and at most 100%, got 120%"),
])
def test_phasing_shapes_that_are_refused(write: Callable[..., Path], line: str,
                                         message: str) -> None:
    checked = check_file(plan_file(write, line))
    assert [f.message.split(": ", 1)[1] for f in checked.findings] == [message]


def test_a_phased_budget_moves_with_a_shift(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: a, type: incidental, total: 300, "
                            "phasing: {2024: 40%, 2025: 60%}}")
    loaded = _scenario(write, plan, "shift:\n  - select: {line: a}\n    year: 2025\n")
    # 40% of 300 = 120 in 2025, 60% = 180 in 2026.
    assert amounts(loaded.plan) == {("a", 2025): 120, ("a", 2026): 180}


def test_scenario_funding_set_and_scale_are_located_in_the_scenario(
        write: Callable[..., Path]) -> None:
    base = write(HEAD + "      - {id: a, type: structural, year: 2023, amount: 900000}\n"
                 "rules:\n  planned_within_funding: {from_year: 2023}\n", "plan.yaml")
    # The scale's cut is located at the scale.
    path = write(f"scenario: {{name: S}}\nbase: {base.name}\nfunding:\n"
                 "  scale: {factor: 0.8, until: 2024}\n", "s.yaml")
    checked = check_file(path, "s.yaml")
    # 0.8 x 1,000,000 = 800,000 against 900,000 planned in 2023 and 2024.
    assert [(str(f.location), f.message) for f in checked.findings] == [
        ("s.yaml:4:10", "2023: planned €900,000 exceeds funding €800,000; shortfall €100,000"),
        ("s.yaml:4:10", "2024: planned €900,000 exceeds funding €800,000; shortfall €100,000")]
    bad = write(f"scenario: {{name: S}}\nbase: {base.name}\nfunding:\n"
                "  set: {2025: {amount: 1.000}}\n", "s.yaml")
    assert [(str(f.location), f.message) for f in check_file(bad, "s.yaml").findings] == [
        ("s.yaml:4:24", "funding.set[2025].amount: '1.000' uses a Dutch thousands separator "
         "or decimal comma; it is not the number you mean")]


def test_a_set_for_a_year_without_funding_needs_its_amount(write: Callable[..., Path]) -> None:
    base = write(HEAD + "      - {id: a, type: structural, year: 2023, amount: 1}\n",
                 "plan.yaml")
    path = write(f"scenario: {{name: S}}\nbase: {base.name}\nfunding:\n"
                 "  set: {2030: {status: granted}}\n", "s.yaml")
    assert [(str(f.location), f.message) for f in check_file(path, "s.yaml").findings] == [
        ("s.yaml:4:15", "missing key 'amount'")]


def test_shift_moves_a_by_year_amount_with_its_start(write: Callable[..., Path]) -> None:
    plan = plan_file(write, "{id: m, type: structural, year: 2023, amount: {2023: 5, 2024: 7}}")
    loaded = _scenario(write, plan, "shift:\n  - select: {line: m}\n    year: 2025\n")
    # 5 from 2025, 7 from 2026.
    assert amounts(loaded.plan) == {("m", 2025): 5, ("m", 2026): 7}
