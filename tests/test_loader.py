"""Loading: every YAML or validation problem becomes a located finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan
from conftest import PLAN as PLAN_PATH


def problems(path: Path) -> list[tuple[str, int, int, str]]:
    with pytest.raises(BdurError) as info:
        load_plan(path, display="plan.yaml")
    out = []
    for f in info.value.findings:
        assert f.location is not None
        out.append((f.code, f.location.line, f.location.column, f.message))
    return out


def test_shipped_plan_loads() -> None:
    from conftest import PLAN

    loaded = load_plan(PLAN)
    assert loaded.plan.plan.horizon.first == 2023
    assert len([line for t in loaded.plan.themes for line in t.lines]) == 23


def test_duplicate_key_is_an_error(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("  2024:\n    amount: 1650000", "  2023:\n    amount: 1650000")
    assert problems(path) == [
        ("duplicate-key", 25, 3, "duplicate key '2023' (first defined on line 21)")]


def test_dutch_thousands_separator_is_located(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("amount: 1650000", "amount: 1.650.000")
    [(code, line, col, message)] = problems(path)
    assert (code, line, col) == ("dutch-number", 26, 13)
    assert "'1.650.000' uses a Dutch thousands separator" in message


def test_unknown_key_suggests_the_right_one(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("  region:", "  regoin:")
    with pytest.raises(BdurError) as info:
        load_plan(path)
    # One slip, one finding: the missing 'region' is the misspelt 'regoin'.
    [unknown] = info.value.findings
    assert (unknown.code, unknown.message) == ("unknown-key", "unknown key 'regoin'")
    assert unknown.hint == "did you mean 'region'? (it is missing)"
    assert (unknown.location.line, unknown.location.column) == (12, 3)  # type: ignore


def test_unknown_rate_points_at_the_value(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("rate: external\n        department: CB/RD",
                  "rate: externl\n        department: CB/RD")
    assert problems(path) == [("unknown-rate", 191, 15, "line 'vik-extern-2023' names rate "
                               "'externl', which is not in 'rates'")]


def test_duplicate_line_id(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("- id: bi-fte-2024", "- id: vik-fte-2024")
    assert problems(path) == [("duplicate-id", 230, 13, "line id 'vik-fte-2024' is used twice")]


def test_dates_are_not_converted(write: Callable[..., Path]) -> None:
    from bdur_cli.plan.loader import parse

    data, _ = parse("note: 2023-02-23\n", "x.yaml")
    assert data == {"note": "2023-02-23"}


def test_a_plan_lets_its_parsed_data_go_and_still_locates(plan_text: str) -> None:
    # A loaded plan drops its parsed data (memory); a location asked for afterwards parses
    # the text again and points where the key was written, counted here from the text.
    from bdur_cli.plan import pipeline

    pipeline._PLANS.clear()  # a plan loaded (and located in) by an earlier test is cached
    loaded = load_plan(PLAN_PATH)
    assert loaded.source.root is None
    lines = plan_text.splitlines()
    row = next(i for i, text in enumerate(lines) if text.strip() == "rates:")
    internal = next(i for i in range(row, len(lines)) if lines[i].strip().startswith("internal:"))
    where = loaded.locate(("rates", "internal"), at_key=True)
    assert (where.line, where.column) == (internal + 1, lines[internal].index("internal") + 1)
    assert loaded.source.root is not None  # parsed again, once


def test_a_bad_fte_written_twice_is_refused_twice(plan_text: str,
                                                  write: Callable[..., Path]) -> None:
    # fte texts are checked once per distinct text and remembered; a refused one never is,
    # so each line that writes it gets its own located error.
    written = [n + 1 for n, text in enumerate(plan_text.splitlines()) if text == "        fte: 1.5"]
    assert len(written) >= 2
    path = write(plan_text.replace("        fte: 1.5\n", "        fte: 1.23456\n"))
    with pytest.raises(BdurError) as caught:
        load_plan(path)
    lines = [f.location.line for f in caught.value.findings if f.location is not None]
    assert lines == written
    assert all("at most 4 decimals" in f.message for f in caught.value.findings)
