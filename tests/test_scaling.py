"""Every view costs work in proportion to the plan: counted, not timed.

The shipped plan's themes are repeated k times (ids suffixed, so they stay unique); a view that
groups its rows once reads each line-year row a fixed number of times, so doubling k doubles the
reads. A view that scans all rows once per theme would quadruple them. Row reads are counted by
giving the engine a `LineYear` whose attribute reads are tallied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import bdur_cli
from bdur_cli import api
from bdur_cli.plan import engine
from bdur_cli.plan import tables as report
from bdur_cli.plan.comparison import Side, compare
from bdur_cli.plan.model import Plan
from conftest import PLAN

READS = [0]


class _CountedLineYear(engine.LineYear):
    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        READS[0] += 1
        return object.__getattribute__(self, name)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    monkeypatch.setattr(engine, "LineYear", _CountedLineYear)
    READS[0] = 0
    yield READS


@pytest.fixture(scope="module")
def shipped() -> Plan:
    return bdur_cli.load(PLAN).plan


def widened(plan: Plan, k: int) -> Plan:
    """The plan with its themes repeated k times; copy c suffixes every theme and line id."""
    themes = [t.model_copy(update={"id": f"{t.id}-{c}", "lines": [
        line.model_copy(update={"id": f"{line.id}-{c}"}) for line in t.lines]})
        for c in range(k) for t in plan.themes]
    return plan.model_copy(update={"themes": themes})


def test_widened_plan_has_k_times_the_rows(shipped: Plan) -> None:
    # The yardstick itself: 3 copies give 3 x the line-years and 3 x the 2024 total.
    one, three = widened(shipped, 1), widened(shipped, 3)
    assert len(engine.line_years(three)) == 3 * len(engine.line_years(one))
    assert api.totals(three, 2024).years[0].planned == 3 * 1_505_000


VIEWS: dict[str, Callable[[Plan], object]] = {
    "totals": lambda p: api.totals(p),
    "totals YEAR": lambda p: api.totals(p, 2024),
    "report by goal": lambda p: report.table2(p, by="goal"),
    "report by theme": lambda p: report.table2(p, by="theme"),
    "report by department": lambda p: report.table2(p, by="department"),
    "report 2024..2025": lambda p: report.table2(p, range(2024, 2026)),
    "report --fte": lambda p: report.fte_table(p),
    "report --incidental": lambda p: report.incidental_overview(p),
    "report --tidy": lambda p: report.tidy(p),
    "compare --explain": lambda p: compare(Side("a", None, p), [Side("b", None, p)] * 5,
                                           explain=True),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_row_reads_grow_linearly(view: str, shipped: Plan, counted: list[int]) -> None:
    small, large = widened(shipped, 8), widened(shipped, 32)
    VIEWS[view](small)
    reads_small = counted[0]
    counted[0] = 0
    VIEWS[view](large)
    reads_large = counted[0]
    assert reads_small > 0
    # 4 x the rows: linear is 4 x the reads; a scan per theme would be 16 x.
    assert reads_large <= 4.2 * reads_small, (view, reads_small, reads_large)


def test_check_and_compare_parse_the_plan_once_for_all_its_scenarios(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bdur_cli.plan import pipeline
    from conftest import SCENARIOS

    parsed: list[str] = []
    real = pipeline.parse

    def counting(text: str, display: str) -> Any:
        parsed.append(display)
        return real(text, display)

    monkeypatch.setattr(pipeline, "parse", counting)
    monkeypatch.setattr(pipeline, "_PLANS", {})
    # The memo within one process is counted here, not the cache between runs (test_cache).
    monkeypatch.setenv("BDUR_CACHE", "0")
    scenarios = sorted(SCENARIOS.glob("*.yaml"))
    plan = str(PLAN)
    for path in [plan, *scenarios]:
        assert pipeline.check_file(path).exit_code == 0
    assert parsed.count(plan) == 1 and len(parsed) == 1 + len(scenarios)


def test_a_plan_edited_between_loads_is_read_again(write: Callable[..., Path],
                                                   plan_text: str) -> None:
    from bdur_cli.plan import pipeline

    path = write(plan_text)
    assert pipeline.load_plan(path).plan.funding[2024].amount == 1_650_000
    path.write_text(plan_text.replace("amount: 1650000", "amount: 1650001"), encoding="utf-8")
    assert pipeline.load_plan(path).plan.funding[2024].amount == 1_650_001
