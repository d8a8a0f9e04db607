"""What keeps a large plan small: the models share what is the same in every line.

The memory itself is measured by benchmarks/bench.py (`diff` at 100,000 lines under 400 MB,
docs/performance.md); this pins the mechanism, so a change that gives every line its own
set of keys again fails here rather than only in the benchmark.
"""

from __future__ import annotations

from decimal import Decimal

from bdur_cli.plan import pipeline
from conftest import PLAN


def test_lines_written_with_the_same_keys_share_one_set_of_them() -> None:
    plan = pipeline.load_plan(PLAN, "plan.yaml").plan
    lines = [line for theme in plan.themes for line in theme.lines]
    by_keys: dict[frozenset[str], set[int]] = {}
    for line in lines:
        by_keys.setdefault(frozenset(line.model_fields_set), set()).add(
            id(line.__pydantic_fields_set__))
    # The shipped plan's 23 lines are written with three combinations of keys (staff:
    # id, type, year, fte, rate, note; means: id, type, year, amount, note; and one more),
    # each held once.
    assert len(lines) == 23
    assert len(by_keys) == 3
    assert all(len(ids) == 1 for ids in by_keys.values())


def test_a_copy_with_changes_does_not_change_the_shared_set() -> None:
    plan = pipeline.load_plan(PLAN, "plan.yaml").plan
    # The first theme's 2nd and 3rd lines are both means lines written with an amount.
    first, second = plan.themes[0].lines[1], plan.themes[0].lines[2]
    shared = first.__pydantic_fields_set__
    assert second.__pydantic_fields_set__ is shared
    assert shared == {"id", "type", "year", "amount", "note"}
    copied = first.model_copy(update={"department": "CB", "amount": Decimal(1)})
    assert copied.model_fields_set == {"id", "type", "year", "amount", "note", "department"}
    assert copied.__pydantic_fields_set__ is not shared
    assert shared == {"id", "type", "year", "amount", "note"}
    assert second.model_fields_set == {"id", "type", "year", "amount", "note"}
