"""Honest tables (docs/rounding.md): where shown figures do not add up to a shown total, in
euros or in thousands, the table says so in one note; compare's Δ is the difference of the
figures shown beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import PLAN, SCENARIOS, bdur

JUNE = SCENARIOS / "staff-from-june-2023.yaml"
NOTE = "rounding differences: a total can differ from the sum of the figures shown"
NOTE_NL = "afrondingsverschillen: een totaal kan afwijken van de som van de getoonde bedragen"


def run(*args: str) -> str:
    result = bdur(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def edited(write: Callable[..., Path], *edits: tuple[str, str]) -> Path:
    text = PLAN.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write(text)


def test_the_memo_adds_up_and_says_nothing() -> None:
    for args in (["totals"], ["totals", "2023"], ["report"], ["report", "--by", "theme"],
                 ["report", "--incidental"], ["totals", "--unit", "thousand"],
                 ["report", "--unit", "thousand"]):
        assert NOTE not in run(*args, "-f", str(PLAN)), args


def test_thousands_that_do_not_add_up_in_any_column_are_noted(
        write: Callable[..., Path]) -> None:
    # 2023: incidental 485,500 (+500) and structural 1,199,500 (-500) under a planned total of
    # 1,685,000; funding 1,407,000, so funding, planned and gap are whole thousands and only
    # the incidental and structural columns round: 486 + 1,200 shown against 1,685.
    path = edited(write, ("amount: 1407149", "amount: 1407000"),
                  ("        amount: 20000\n        note: Tabel 1, middelen incidenteel 2023",
                   "        amount: 20500\n        note: Tabel 1, middelen incidenteel 2023"),
                  ("        amount: 10000\n        note: Tabel 1, middelen structureel 2023",
                   "        amount: 9500\n        note: Tabel 1, middelen structureel 2023"),
                  ("        amount: 5000\n", "        amount: 5500\n"))
    out = run("totals", "-f", str(path), "--unit", "thousand")
    assert out.splitlines()[4].split()[:6] == ["2023", "€1,407", "granted", "€1,685", "€486",
                                               "€1,200"]
    assert out.rstrip().endswith(f"\n\namounts x €1,000; {NOTE}")
    assert out.count(NOTE) == 1
    # In euros everything adds up: no note.
    assert NOTE not in run("totals", "-f", str(path))
    out = run("totals", "-f", str(path), "--unit", "thousand", "--locale", "nl")
    assert out.rstrip().endswith(f"bedragen x € 1.000; {NOTE_NL}")
    out = run("totals", "-f", str(path), "--unit", "thousand", "--format", "markdown")
    assert out.endswith(f"\namounts x €1,000; {NOTE}\n")


def test_totals_rounded_once_under_rows_rounded_on_their_own_are_noted_in_euros() -> None:
    # June scenario, 2023: four themes of goal 1 at 58,333.33 each, shown 58,333; the goal's
    # total is 233,333 (rounded once), not 233,332.
    out = run("totals", "2023", "-f", str(JUNE))
    assert "€58,333" in out
    assert out.rstrip().endswith(NOTE)
    # Table 2: the 2023 s column's total is 2 euros above its shown cells; the funding's
    # status (the base plan's) under the note.
    status = "Funding status: 2023 granted; 2024-2026 forecast"
    out = run("report", "-f", str(JUNE))
    assert out.rstrip().endswith(f"{NOTE}\n{status}")
    out = run("report", "-f", str(JUNE), "--format", "markdown")
    assert out.endswith(f"\n{NOTE}\n\n{status}\n")
    # The yearly totals do add up (485,000 + 825,000 = 1,310,000): no note.
    assert NOTE not in run("totals", "-f", str(JUNE))


def test_compare_explained_notes_line_differences_that_do_not_add_up() -> None:
    # -41,667 x 6 - 62,500 x 2 = -375,002 listed against a Δ planned of -375,000.
    out = run("compare", str(PLAN), str(JUNE), "--explain")
    assert out.rstrip().endswith(NOTE)
    assert NOTE not in run("compare", str(PLAN), str(JUNE))


def test_compare_delta_is_the_difference_of_the_shown_cells(
        write: Callable[..., Path]) -> None:
    # 1,000,400 -> 1,000,600: in thousands €1,000 -> €1,001, so Δ +€1 (not €0 from 200 euros).
    base = edited(write, ("amount: 1407149", "amount: 1000400"))
    other = write("scenario: {name: Up}\nbase: plan.yaml\n"
                  "funding: {set: {2023: {amount: 1000600}}}\n", "up.yaml")
    # Both break the structural rule in 2023 (1,200,000 structural against ~1,000,000): `!`.
    out = run("compare", str(base), str(other), "--unit", "thousand")
    row = [x for x in out.splitlines() if x.strip().startswith("up ")][1]
    assert row.split() == ["up", "!", "€1,001", "g", "€1,685", "11.5", "-€684", "+€1", "€0",
                           "+€1", "0"]
    out = run("compare", str(base), str(other))
    row = [x for x in out.splitlines() if x.strip().startswith("up ")][1]
    assert row.split() == ["up", "!", "€1,000,600", "g", "€1,685,000", "11.5", "-€684,400",
                           "+€200", "€0", "+€200", "0"]


def test_the_workbook_notes_rounding_differences_under_table_2(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "june.xlsx"
    run("report", "-f", str(JUNE), "--format", "xlsx", "--output", str(target))
    ws = load_workbook(target).worksheets[0]
    assert [ws.cell(row=ws.max_row - n, column=1).value for n in (1, 0)] == [
        NOTE, "Funding status: 2023 granted; 2024-2026 forecast"]
    plain = tmp_path / "memo.xlsx"
    run("report", "-f", str(PLAN), "--format", "xlsx", "--output", str(plain))
    ws = load_workbook(plain).worksheets[0]
    assert all(NOTE not in str(c.value) for row in ws.iter_rows() for c in row)


MONEY_IN = PLAN.parent.parent / "examples" / "plan-format" / "money-in.yaml"


def test_table_2_with_income_and_a_reserve_adds_up_and_says_nothing() -> None:
    # docs/plan-format.md: 2025 gap 320,000 - 300,000 - 10,000 = 10,000; 2026 net 340,000 -
    # 20,000 = 320,000 and gap 290,000 - 320,000 + 30,000 = 0. The note checked funding -
    # planned against the gap, which with income or a reserve never holds.
    for args in (["report"], ["report", "--format", "markdown"], ["totals"]):
        assert NOTE not in run(*args, "-f", str(MONEY_IN)), args


def test_table_2_notes_a_net_cost_that_does_not_add_up(write: Callable[..., Path]) -> None:
    # A partner pays 10,500 of a 20,000 line: in thousands income shows 11 (10.5 rounds up),
    # planned 20 and net 9,500 -> 10, so 20 - 11 is not the 10 shown beside it.
    text = MONEY_IN.read_text(encoding="utf-8").replace(
        "        amount: 40000\n        income: {partner: Gemeente Havenstad, share: 50%, ",
        "        amount: 20000\n        income: {partner: Gemeente Havenstad, amount: 10500, ")
    path = write(text)
    out = run("report", "-f", str(path), "--unit", "thousand")
    # The note, then the line of each source's status (a plan with a source besides the BDuR).
    assert out.rstrip().splitlines()[-2:] == [
        f"amounts x €1,000; {NOTE}",
        "Funding status: 2025 bdur granted, provincie granted; 2026 bdur forecast, provincie "
        "conditional"]
    assert NOTE not in run("report", "-f", str(path))
