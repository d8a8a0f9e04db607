"""Messages about numbers as written: a comma inside a flow mapping, English thousands
separators, decimal commas, and keys that hold a '[' (each was misleading before)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan

Mutate = Callable[[str, str], Path]
FUNDING_2025 = ("  2025:\n    amount: 2150000\n    status: forecast\n"
                "    note: Tabel 2, prognose\n")


def problems(path: Path) -> list[tuple[str, str, str, str | None]]:
    with pytest.raises(BdurError) as info:
        load_plan(path, display="plan.yaml")
    return [(f.code, str(f.location), f.message, f.hint) for f in info.value.findings]


@pytest.mark.parametrize(("written", "hint"), [
    # Whole euros, rounded half up as every figure is: 1.5 is 2, never a cut 1.
    ("1,5", "write 2 (whole euros: 1.5 rounded half up); YAML has no decimal comma"),
    ("150,000", "write 150000 (or 150_000); YAML has no thousands separator"),
    ("2,150,000", "write 2150000 (or 2_150_000); YAML has no thousands separator"),
])
def test_a_comma_in_a_flow_mapping_amount(mutate: Mutate, written: str, hint: str) -> None:
    # YAML reads {amount: 1,5} as {amount: 1, 5: null}; pydantic said "Keys should be strings"
    # about funding[2025][5].
    path = mutate(FUNDING_2025, f"  2025: {{amount: {written}, status: forecast}}\n")
    assert problems(path) == [("dutch-number", "plan.yaml:29:18", f"'{written}' is split in "
                               "two: inside {...} a comma separates entries", hint)]


def test_a_comma_in_a_flow_mapping_fte(mutate: Mutate) -> None:
    path = mutate("      - id: juridisch-fte\n        type: structural\n        year: 2023\n"
                  "        fte: 1\n        rate: internal\n        note: Tabel 1\n",
                  "      - {id: juridisch-fte, type: structural, year: 2023, fte: 1,5, "
                  "rate: internal}\n")
    assert problems(path) == [("dutch-number", "plan.yaml:155:64", "'1,5' is split in two: "
                               "inside {...} a comma separates entries",
                               "write 1.5; YAML has no decimal comma")]


@pytest.mark.parametrize(("old", "new", "where", "written", "hint"), [
    # A by-year fte: the number meant, not "whole euros" (it said "write 1 (whole euros)").
    ("        fte: 1\n        rate: internal\n        note: Tabel 1\n\n  - id: bevolkingszorg",
     "        fte: {2023: 2, 2025: 1,5}\n        rate: internal\n        note: Tabel 1\n\n"
     "  - id: bevolkingszorg", "plan.yaml:158:30", "1,5", "write 1.5; YAML has no decimal comma"),
    # A percentage: its tail '5%' is no number, so YAML's split said nothing useful before.
    ("rules:\n", "indexation: {base_year: 2023, wages: {2024: 3,5%}}\nrules:\n",
     "plan.yaml:269:45", "3,5%", "write 3.5%; YAML has no decimal comma"),
])
def test_a_decimal_comma_in_a_flow_mapping_is_the_number_meant(
        mutate: Mutate, old: str, new: str, where: str, written: str, hint: str) -> None:
    path = mutate(old, new)
    assert problems(path) == [("dutch-number", where, f"'{written}' is split in two: inside "
                               "{...} a comma separates entries", hint)]


def test_a_by_year_error_points_at_its_year(mutate: Mutate) -> None:
    # It pointed at the map's first entry (`2023: 2`), a line above the slip.
    path = mutate("        fte: 1\n        rate: internal\n        note: Tabel 1\n\n  - id: "
                  "bevolkingszorg", "        fte:\n          2023: 2\n          2025: 1,5\n"
                  "        rate: internal\n        note: Tabel 1\n\n  - id: bevolkingszorg")
    assert problems(path) == [("dutch-number", "plan.yaml:160:17", "themes[4].lines[0].fte: "
                               "2025: '1,5' uses a decimal comma", "write 1.5")]


def test_separate_entries_after_a_comma_and_space_are_left_alone(mutate: Mutate) -> None:
    # `1, 5: 3` is a second entry written on purpose (here: an unknown key, said as such).
    path = mutate(FUNDING_2025, "  2025: {amount: 2150000, status: forecast, 5: x}\n")
    assert [p[0] for p in problems(path)] != ["dutch-number"]


@pytest.mark.parametrize(("written", "hint"), [
    ("150,000", "write 150000 (or 150_000); YAML has no thousands separator"),
    ("100,5", "write 101 (whole euros: 100.5 rounded half up); YAML has no decimal comma"),
    ("100,4", "write 100 (whole euros: 100.4 rounded half up); YAML has no decimal comma"),
    ("100,00", "write 100; YAML has no decimal comma"),
    ("1.650.000", "write 1650000 (or 1_650_000); YAML has no thousands separator"),
])
def test_thousands_and_decimal_commas_in_a_block_amount(mutate: Mutate, written: str,
                                                        hint: str) -> None:
    # `amount: 150,000` hinted "write 150 (or 150)".
    path = mutate("    amount: 2150000\n", f"    amount: {written}\n")
    [(code, where, message, got)] = problems(path)
    assert (code, where, got) == ("dutch-number", "plan.yaml:30:13", hint)
    assert message.startswith(f"funding[2025].amount: '{written}' uses a ")


def test_a_key_with_a_bracket_stays_in_the_path(mutate: Mutate) -> None:
    path = mutate("  internal:", "  int[1]: {amount: 5}\n  internal:")
    assert problems(path) == [
        ("schema", "plan.yaml:41:11", "rates['int[1]']: 'int[1]' is not a valid id: use "
         "lowercase letters, digits and - _ .", None)]


def test_an_unknown_key_with_a_bracket_is_named(mutate: Mutate) -> None:
    path = mutate("        note: Tabel 1\n\n  - id: bevolkingszorg",
                  "        note[x]: Tabel 1\n\n  - id: bevolkingszorg")
    [(code, where, message, _)] = problems(path)
    assert (code, where, message) == ("unknown-key", "plan.yaml:160:9", "unknown key 'note[x]'")
