"""The edges of the checks of periods, phasing, by-year maps, indexation and income: each case
sits on a boundary (a month shared or not, the horizon's last year, exactly two years), so
that an operator moved by one (`<` for `<=`) fails a test. Horizon 2023-2026 (test_plan_time's
HEAD); the lines start on line 20 of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_plan_time import HEAD, plan_file

from bdur_cli.plan.pipeline import check_file


def found(path: Path) -> list[tuple[str, str, str, str | None]]:
    return [(str(f.location), f.code, f.message, f.hint)
            for f in check_file(path, path.name).findings]


def codes(path: Path) -> list[str]:
    return [f.code for f in check_file(path, path.name).findings]


STAFF = "type: incidental, fte: 1, rate: internal"


def periods(write: Callable[..., Path], *spans: str) -> Path:
    body = "".join(f"          - {s}\n" for s in spans)
    return write(HEAD + f"      - id: a\n        type: incidental\n        fte: 1\n"
                 f"        rate: internal\n        periods:\n{body}")


# --- periods --------------------------------------------------------------------------------

def test_a_one_month_period_is_not_an_end_before_its_start(write: Callable[..., Path]) -> None:
    assert codes(plan_file(write, f"{{id: a, {STAFF}, start: 2025-09, end: 2025-09}}")) == []
    assert codes(plan_file(write, f"{{id: a, {STAFF}, start: 2025-09, end: 2025-08}}")) == [
        "period-order"]


def test_an_end_before_its_start_inside_periods_is_located_at_that_period(
        write: Callable[..., Path]) -> None:
    path = periods(write, "{start: 2024-01, end: 2024-03}", "{start: 2025-09, end: 2025-03}")
    assert found(path) == [("plan.yaml:26:35", "period-order",
                            "line 'a' ends (2025-03) before it starts (2025-09)",
                            "'end' is the last month in force; it comes on or after 'start'")]


@pytest.mark.parametrize(("end", "warned"), [("2026-12", False), ("2027-01", True)])
def test_an_end_past_the_horizons_last_year_is_a_warning(write: Callable[..., Path], end: str,
                                                         warned: bool) -> None:
    path = plan_file(write, f"{{id: a, {STAFF}, start: 2025-09, end: {end}}}")
    assert found(path) == ([("plan.yaml:20:80", "until-past-horizon", f"line 'a' runs until "
                             f"{end}, past the horizon's last year 2026", None)] if warned else [])
    if warned:
        assert [f.level for f in check_file(path, path.name).findings] == ["warning"]


def test_periods_that_share_one_month_overlap_and_adjacent_ones_do_not(
        write: Callable[..., Path]) -> None:
    # June is in both: an overlap; ending in June and starting in July: none.
    assert [m for _, _, m, _ in found(periods(
        write, "{start: 2025-01, end: 2025-06}", "{start: 2025-06, end: 2025-09}"))] == [
        "line 'a': periods 1 and 2 overlap (both include 2025-06)"]
    assert codes(periods(write, "{start: 2025-01, end: 2025-06}", "{start: 2025-07}")) == []


def test_an_open_period_overlaps_one_in_the_horizons_last_year(
        write: Callable[..., Path]) -> None:
    # The first period has no end: it runs through the horizon (2026), so a second period in
    # 2026 shares its months.
    assert [m for _, _, m, _ in found(periods(write, "{start: 2024-01}", "{start: 2026-03}"))] == [
        "line 'a': periods 1 and 2 overlap (both include 2026-03)"]


def test_overlaps_name_the_period_that_reaches_furthest(write: Callable[..., Path]) -> None:
    # 1 and 2 both end in June; 3 starts in May: it overlaps 1, the first that reaches June.
    assert [m for _, _, m, _ in found(periods(
        write, "{start: 2025-01, end: 2025-06}", "{start: 2025-03, end: 2025-06}",
        "{start: 2025-05, end: 2025-08}"))] == [
        "line 'a': periods 1 and 2 overlap (both include 2025-03)",
        "line 'a': periods 1 and 3 overlap (both include 2025-05)"]


# --- phasing and by-year maps ---------------------------------------------------------------

def test_a_phasing_year_past_the_horizon(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: incidental, total: 100, "
                            "phasing: {2026: 50, 2027: 50}}")
    assert found(path) == [("plan.yaml:20:73", "year-outside-horizon", "line 'a' is phased "
                            "into 2027, outside the horizon 2023-2026", None)]


def test_a_phasing_that_starts_before_the_horizon_is_named_for_that_year_only(
        write: Callable[..., Path]) -> None:
    # 2022 lies outside; 2023 is the horizon's first year and inside it.
    path = plan_file(write, "{id: a, type: incidental, total: 100, "
                            "phasing: {2022: 50, 2023: 50}}")
    assert [m for _, _, m, _ in found(path)] == [
        "line 'a' starts in 2022, outside the horizon 2023-2026"]


def test_a_by_year_fte_that_starts_after_the_line(write: Callable[..., Path]) -> None:
    path = plan_file(write, "{id: a, type: structural, year: 2024, fte: {2025: 1}, "
                            "rate: internal}")
    assert found(path) == [("plan.yaml:20:52", "by-year-missing", "line 'a' starts in 2024 but "
                            "its fte is given from 2025 on", "add 2024: ... to the map (its "
                            "first year)")]


# --- indexation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "outside"), [(2023, False), (2026, False), (2027, True),
                                               (2022, True)])
def test_the_indexations_base_year_lies_in_the_horizon(write: Callable[..., Path], base: int,
                                                       outside: bool) -> None:
    path = plan_file(write, "{id: a, type: structural, year: 2024, amount: 5}",
                     tail=f"indexation:\n  base_year: {base}\n")
    assert found(path) == ([("plan.yaml:22:14", "year-outside-horizon", f"the indexation's "
                             f"base year {base} lies outside the horizon 2023-2026", None)]
                           if outside else [])


# --- income ---------------------------------------------------------------------------------

def test_income_above_cost_in_exactly_two_years_names_the_second(
        write: Callable[..., Path]) -> None:
    # From 2025: 2025 and 2026 are both over (30,000 against 25,000); the first line's partner
    # pays a share and is never named.
    path = plan_file(
        write, "{id: a, type: structural, year: 2024, amount: 10, "
               "income: {partner: Gemeente A, share: 50%, status: granted}}",
        "{id: b, type: structural, year: 2025, amount: 25000, "
        "income: {partner: Gemeente B, amount: 30000, status: granted}}")
    assert found(path) == [("plan.yaml:21:70", "income-exceeds-cost", "line 'b': Gemeente B "
                            "pays €30,000 in 2025, more than the line costs (€25,000); also "
                            "in 2026", "income is at most the line's cost: lower the amount, "
                            "or give a share (e.g. share: 50%)")]
