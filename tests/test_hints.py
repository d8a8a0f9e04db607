"""Hints that say what to type: a value written the way a person says it (a Dutch status, a
fraction for a share, an amount as a letter prints it, an account code with a leading zero, a
note with a comma inside {...}, a cumulative gap summed from unrounded years)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli.plan.pipeline import check_file
from conftest import ROOT, bdur

MONEY_IN = (ROOT / "examples" / "plan-format" / "money-in.yaml").read_text(encoding="utf-8")
NOORDERKUST = (ROOT / "examples" / "noorderkust.yaml").read_text(encoding="utf-8")
INCOME = "income: {partner: Gemeente Havenstad, share: 50%, status: granted}"


def hints(write: Callable[..., Path], text: str, old: str, new: str) -> list[tuple[str, str]]:
    assert text.count(old) == 1, old
    checked = check_file(write(text.replace(old, new)), "plan.yaml")
    return [(f.message, f.hint or "") for f in checked.findings if f.level == "error"]


@pytest.mark.parametrize(("old", "new", "hint"), [
    ("share: 50%", "share: 0.25", "write share: 25%"),
    ("share: 50%", "share: 1", "write share: 100%"),
    ("share: 50%", "share: 40", "write share: 40%"),
    ("2026: {amount: 20000, status: conditional}", "2026: {amount: 20000, status: "
     "voorwaardelijk}", "write status: conditional"),
    ("2025: {amount: 300000, status: granted}", "2025: {amount: 300000, status: Toegekend}",
     "write status: granted"),
    ("2025: {amount: 300000, status: granted}", "2025: {amount: 300000, status: prognose}",
     "write status: forecast"),
    ("2025: {amount: 300000, status: granted}", "2025: {amount: € 95.000, status: granted}",
     "write 95000: whole euros, without a currency sign or separators"),
    ("2025: {amount: 300000, status: granted}", "2025: {amount: €1.650.000, status: granted}",
     "write 1650000: whole euros, without a currency sign or separators"),
    ("2025: {amount: 300000, status: granted}", "2025: {amount: 95000 EUR, status: granted}",
     "write 95000: an amount without a currency sign"),
])
def test_a_value_as_people_write_it_gets_what_to_type(write: Callable[..., Path], old: str,
                                                      new: str, hint: str) -> None:
    assert [h for _, h in hints(write, MONEY_IN, old, new)] == [hint]


def test_a_comma_in_a_note_inside_braces_is_a_quoting_matter(
        write: Callable[..., Path]) -> None:
    found = hints(write, MONEY_IN, INCOME, INCOME.replace(
        "}", ", note: eigen formatie, schaal 11}"))
    assert found == [("unknown key 'schaal 11'", "inside {...} a comma separates entries, so "
                      "the note ended at the comma: quote it, note: 'eigen formatie, schaal "
                      "11'")]


def test_a_real_unknown_key_keeps_its_did_you_mean(write: Callable[..., Path]) -> None:
    found = hints(write, MONEY_IN, INCOME, INCOME.replace("}", ", notes: x}"))
    assert found == [("unknown key 'notes'", "did you mean 'note'?")]


def test_a_cumulative_gap_a_euro_off_gets_a_word_about_rounding(
        write: Callable[..., Path]) -> None:
    # The years' gaps as shown: 20,000 + 34,885 + 45,761 + 45,761 = 146,407 (the example's
    # own comment); 146,406 is a euro off.
    found = hints(write, NOORDERKUST, "cumulative_gap: 146407", "cumulative_gap: 146406")
    assert found == [(
        "2027 cumulative_gap: the file states €146,406 but the plan gives €146,407 "
        "(difference +€1)",
        "the cumulative gap is the sum of the years' gaps as shown, each in whole euros: "
        "€20,000 + €34,885 + €45,761 + €45,761 = €146,407; a sum of unrounded years can "
        "differ by a euro a year (docs/rounding.md): state the sum of the rounded years "
        "(cumulative_gap: 146407)")]


def test_a_cumulative_gap_far_off_is_not_rounding(write: Callable[..., Path]) -> None:
    found = hints(write, NOORDERKUST, "cumulative_gap: 146407", "cumulative_gap: 146402")
    # Five euros off four years is no rounding: the figure to type is the plan's, 146,407.
    assert [h for _, h in found] == [
        "write cumulative_gap: 146407 if the plan is right, else correct it"]


def test_one_posting_is_singular() -> None:
    from types import SimpleNamespace

    from bdur_cli.render.realisation import reconciliation_line

    def part(n: int) -> SimpleNamespace:
        return SimpleNamespace(count=n, total=__import__("decimal").Decimal(n * 10))

    rec = SimpleNamespace(file="x.csv", read=part(1), mapped=part(1), unmapped=part(0),
                          outside=part(0), ambiguous=part(0))
    assert reconciliation_line(rec).startswith("x.csv: 1 posting read (")  # type: ignore[arg-type]
    rec.read = part(2)
    assert reconciliation_line(rec).startswith("x.csv: 2 postings read (")  # type: ignore[arg-type]


def test_realisation_help_keeps_its_sum_on_lines_that_start_with_a_word() -> None:
    shown = bdur("realisation", "--help", env={"COLUMNS": "100"}).stdout
    # A docstring line that starts with "+ " is rendered as a bullet point.
    assert "• ambiguous" not in shown
    assert "outside the horizon + ambiguous;" in " ".join(shown.split())


# --- a stated total that disagrees: the figure to type, under its key ----------------------------

@pytest.mark.parametrize(("old", "new", "hint"), [
    # The lines add up to 672,005 planned in 2025 (the example's stated figure).
    ("2025: {planned: 672005,", "2025: {planned: 672000,",
     "write planned: 672005 if the lines are right, else correct them"),
    # 2024's fte in force is 4.8 (stated); 4.7 is a tenth off (a stated 5 would agree, being
    # compared at the places it is written with).
    ("2024: {planned: 530000, fte: 4.8,", "2024: {planned: 530000, fte: 4.7,",
     "write fte: 4.8 if the lines are right, else correct them"),
    # Funding and the gap are the plan's, not the lines' sums.
    ("2026: {funding: 464902,", "2026: {funding: 464900,",
     "write funding: 464902 if the plan is right, else correct it"),
    ("2027: {gap: 45761,", "2027: {gap: 45000,",
     "write gap: 45761 if the plan is right, else correct it"),
])
def test_a_stated_total_that_disagrees_names_the_figure_to_type(
        write: Callable[..., Path], old: str, new: str, hint: str) -> None:
    found = hints(write, NOORDERKUST, old, new)
    assert [h for _, h in found] == [hint]
    # Typed as the hint says, in place of the stated figure, the file adds up again.
    key, _, value = hint.removeprefix("write ").split(" if ")[0].partition(": ")
    typed = new.replace(new.rsplit(f"{key}: ", 1)[1], f"{value},")
    assert hints(write, NOORDERKUST, old, typed) == []


# --- a value that is none of the choices; an income with both share and amount -----------------

@pytest.mark.parametrize(("new", "hint"), [
    ("kind: subsidie", "write kind: grant"),
    ("kind: Bijdrage derden", "write kind: cofinancing"),
    ("kind: overig", "write kind: other"),
    # No Dutch word for it and close to none: every choice, the closest first. By difflib's
    # ratio (2 x matching characters / both lengths): 'fonds' shares 'o' and 'n' with
    # 'cofinancing' (4/16 = 0.25) and one letter with 'grant' and with 'other' (2/10 = 0.2
    # each, which keep their order).
    ("kind: fonds", "write kind: cofinancing, grant or other"),
])
def test_a_source_kind_in_other_words_gets_what_to_type(write: Callable[..., Path], new: str,
                                                        hint: str) -> None:
    assert [h for _, h in hints(write, MONEY_IN, "kind: grant", new)] == [hint]


def test_an_income_with_both_share_and_amount_is_told_to_keep_one(
        write: Callable[..., Path]) -> None:
    found = hints(write, MONEY_IN, INCOME, INCOME.replace("share: 50%,",
                                                          "share: 50%, amount: 10000,"))
    assert found == [("themes[0].lines[1].income: income has either 'share' or 'amount', not "
                      "both", "keep share (a part of the line's cost) or amount (a fixed sum "
                      "per year), not both")]
