"""Staff, means and phased lines: one model each, told apart by their keys.

The file names no kind; the keys do. A line that mixes the keys of two kinds, or has none, is
refused with what to write, located at the line; an error inside a line is located at its key.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.plan.engine import line_years
from bdur_cli.plan.model import MeansLine, PhasedLine, Plan, StaffLine
from bdur_cli.plan.pipeline import check_file, load_plan

HEAD = """\
plan:
  region: Veiligheidsregio Voorbeeld
  title: T
  horizon: {first: 2023, last: 2026}
funding:
  2023: {amount: 1000000, status: granted}
  2024: {amount: 1000000, status: granted}
  2025: {amount: 1000000, status: granted}
  2026: {amount: 1000000, status: granted}
rates:
  internal: {amount: 100000}
goals:
  - {id: g, name: G}
themes:
  - id: t
    name: T
    goal: g
    lines:
"""  # the line is on line 19, its mapping at column 9


def plan_file(write: Callable[..., Path], line: str) -> Path:
    return write(f"{HEAD}      - {line}\n")


def findings(path: Path) -> list[str]:
    checked = check_file(path, path.name)
    return [f"{f.location}: {f.message} [{f.code}]" + (f" ({f.hint})" if f.hint else "")
            for f in checked.findings]


@pytest.mark.parametrize(("line", "message"), [
    ("{id: a, type: incidental, year: 2024}",
     "themes[0].lines[0]: a line has either 'fte' (with 'rate') or 'amount', not neither "
     "[schema] (or, for a budget over several years, 'total' and 'phasing')"),
    ("{id: a, type: incidental, year: 2024, rate: internal}",
     "themes[0].lines[0]: a line has either 'fte' (with 'rate') or 'amount', not neither "
     "[schema] (or, for a budget over several years, 'total' and 'phasing')"),
    ("{id: a, type: incidental, year: 2024, fte: 1, rate: internal, amount: 5}",
     "themes[0].lines[0]: a line has either 'fte' (with 'rate') or 'amount', not both "
     "[schema] (or, for a budget over several years, 'total' and 'phasing')"),
    ("{id: a, type: incidental, year: 2024, fte: 1}",
     "themes[0].lines[0]: a staff line needs a 'rate' next to 'fte' [schema] "
     "(add e.g. 'rate: internal')"),
    ("{id: a, type: incidental, year: 2024, fte: 1, rate: null}",
     "themes[0].lines[0]: a staff line needs a 'rate' next to 'fte' [schema] "
     "(add e.g. 'rate: internal')"),
    ("{id: a, type: incidental, year: 2024, amount: 5, rate: internal}",
     "themes[0].lines[0]: 'rate' belongs to fte, not to an amount [schema]"),
    ("{id: a, type: incidental, total: 5, phasing: {2024: 5}, fte: 1}",
     "themes[0].lines[0]: a phased budget takes its years from 'phasing'; drop 'fte' [schema]"),
    ("{id: a, type: incidental, total: 5, phasing: {2024: 5}, amount: 5}",
     "themes[0].lines[0]: a phased budget takes its years from 'phasing'; drop 'amount' "
     "[schema]"),
    ("{id: a, type: incidental, total: 5}",
     "themes[0].lines[0]: 'total' goes with 'phasing' (the years it is spread over) [schema] "
     "(add e.g. phasing: {2024: 40%, 2025: 60%})"),
    ("just a line",
     "themes[0].lines[0]: expected a mapping of keys and values here, got 'just a line' "
     "[schema] (write the keys on the lines below it, indented)"),
])
def test_a_line_of_no_kind_or_two_is_refused_at_the_line(
        write: Callable[..., Path], line: str, message: str) -> None:
    assert findings(plan_file(write, line)) == [f"plan.yaml:19:9: {message}"]


@pytest.mark.parametrize(("line", "message"), [
    # The kind a line is read as is pydantic's step, not a key: it is not in the path.
    ('{id: a, type: incidental, year: 2024, fte: "1,5", rate: internal}',
     "plan.yaml:19:52: themes[0].lines[0].fte: '1,5' uses a decimal comma [dutch-number] "
     "(write 1.5)"),
    ("{id: a, type: incidental, year: 2024, amount: 1.000}",
     "plan.yaml:19:55: themes[0].lines[0].amount: '1.000' uses a Dutch thousands separator "
     "or decimal comma; it is not the number you mean [dutch-number] (write 1000 (or 1_000); "
     "YAML has no thousands separator)"),
    ("{id: a, type: incidental, phasing: {2024: 5, 2025: 5%}}",
     "plan.yaml:19:44: themes[0].lines[0].phasing: a phasing is all amounts or all shares, "
     "not a mix [schema] (write every year as NN% or every year as an amount)"),
    # A key named like a kind is still an unknown key, at the key.
    ("{id: a, type: incidental, year: 2024, fte: 1, rate: internal, staff: yes}",
     "plan.yaml:19:71: unknown key 'staff' [unknown-key] ('staff' is not allowed here; "
     "docs/file-format.md and docs/plan-format.md say what goes where)"),
    ("{id: a, type: incidental, year: 2024, amount: 5, colour: null}",
     "plan.yaml:19:58: unknown key 'colour' [unknown-key] (remove it, or see 'bdur schema')"),
    ("{type: incidental, year: 2024, amount: 5}",
     "plan.yaml:19:9: missing key 'id' [missing-key]"),
])
def test_an_error_inside_a_line_is_located_at_its_key(
        write: Callable[..., Path], line: str, message: str) -> None:
    assert findings(plan_file(write, line)) == [message]


def _figures(plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {(r.line_id, r.year): r.amount for r in line_years(plan)}


def test_each_kind_is_its_own_model_with_the_same_figures(write: Callable[..., Path]) -> None:
    path = write(HEAD + "".join(f"      - {line}\n" for line in (
        "{id: s, type: structural, year: 2025, start_month: 7, fte: 0.5, rate: internal}",
        "{id: m, type: incidental, year: 2024, amount: 12345}",
        "{id: p, type: incidental, total: 1001, phasing: {2024: 50%, 2025: 50%}}",
    )))
    plan = load_plan(path).plan
    lines = plan.themes[0].lines
    assert [type(x) for x in lines] == [StaffLine, MeansLine, PhasedLine]
    assert [x.kind for x in lines] == ["staff", "means", "means"]
    # s: 0.5 x 100,000 = 50,000 a year, 6 of 12 months in 2025 = 25,000. p: 50% of 1,001 =
    # 500.5 -> 501 (half up), the rest 500.
    assert _figures(plan) == {("s", 2025): 25_000, ("s", 2026): 50_000, ("m", 2024): 12_345,
                              ("p", 2024): 501, ("p", 2025): 500}


def test_a_key_of_another_kind_written_as_null_is_left_out(write: Callable[..., Path]) -> None:
    # One model with every key took `fte: null` as no fte; so do the three.
    path = plan_file(write, "{id: m, type: incidental, year: 2024, amount: 5, fte: null, "
                            "rate: null, total: null, phasing: null}")
    assert findings(path) == []
    assert _figures(load_plan(path).plan) == {("m", 2024): 5}
    path = plan_file(write, "{id: p, type: incidental, total: 7, phasing: {2024: 7}, "
                            "year: null, amount: ~}")
    assert _figures(load_plan(path).plan) == {("p", 2024): 7}


def test_a_scenario_changes_a_staff_line_into_a_means_line(write: Callable[..., Path]) -> None:
    write(HEAD + "      - {id: s, type: structural, year: 2024, fte: 1, rate: internal}\n",
          "plan.yaml")
    path = write("scenario: {name: S}\nbase: plan.yaml\nlines:\n  change:\n"
                 "    - {id: s, fte: null, rate: null, amount: 40000}\n", "s.yaml")
    plan = load_plan(path).plan
    assert type(plan.themes[0].lines[0]) is MeansLine
    assert _figures(plan) == {("s", y): 40_000 for y in (2024, 2025, 2026)}


def test_a_scenario_adds_a_line_of_each_kind(write: Callable[..., Path]) -> None:
    write(HEAD.replace("lines:\n", "lines: []\n"), "plan.yaml")
    path = write("scenario: {name: S}\nbase: plan.yaml\nlines:\n  add:\n"
                 "    - {theme: t, id: s, type: incidental, year: 2025, fte: 2, rate: internal}\n"
                 "    - {theme: t, id: m, type: incidental, year: 2025, amount: 3}\n"
                 "    - {theme: t, id: p, type: incidental, phasing: {2025: 4}}\n"
                 "    - {theme: t, id: x, type: incidental, year: 2025, fte: 1, amount: 3}\n",
                 "s.yaml")
    assert findings(path) == [
        "s.yaml:8:7: lines.add[3]: a line has either 'fte' (with 'rate') or 'amount', not both "
        "[schema] (or, for a budget over several years, 'total' and 'phasing')"]
    path.write_text(path.read_text().rsplit("    - {theme: t, id: x", 1)[0])
    plan = load_plan(path).plan
    assert [type(x) for x in plan.themes[0].lines] == [StaffLine, MeansLine, PhasedLine]
    assert _figures(plan) == {("s", 2025): 200_000, ("m", 2025): 3, ("p", 2025): 4}
