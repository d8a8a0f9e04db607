"""bdur_cli.plan.tables: the memo's Table 2, Table 1's fte and the incidental overview, as data."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bdur_cli
from bdur_cli.plan import tables as report
from bdur_cli.plan.model import Plan
from conftest import PLAN

# Table 2 of the memo, row by row: (kind, theme id) -> 2023 i, 2023 s, 2024, 2025, 2026, dept.
# (The memo prints 2024 as i and s columns; its i column is empty, so 2024 is one column here.)
TABLE2 = {
    ("staff", "nieuwe-crises"): (0, 100_000, 100_000, 100_000, 100_000, "CB"),
    ("staff", "vakbekwaamheid"): (0, 150_000, 150_000, 150_000, 150_000, "CB"),
    ("staff", "crisiscommunicatie"): (0, 150_000, 150_000, 150_000, 150_000, "CB"),
    ("staff", "netwerkmanagement"): (0, 100_000, 100_000, 100_000, 100_000, "CB"),
    ("staff", "juridisch"): (0, 100_000, 100_000, 100_000, 100_000, "S&B"),
    ("staff", "bevolkingszorg"): (0, 100_000, 100_000, 200_000, 200_000, "BGC"),
    ("staff", "vik"): (225_000, 100_000, 200_000, 200_000, 200_000, "CB/RD"),
    ("staff", "bi-specialist"): (150_000, 0, 100_000, 100_000, 100_000, "IM"),
    ("staff", "data-engineer"): (0, 100_000, 100_000, 100_000, 100_000, "IM"),
    ("staff", "informatiespecialist"): (0, 0, 100_000, 100_000, 100_000, "RCB"),
    ("means", "nieuwe-crises"): (20_000, 10_000, 15_000, 15_000, 15_000, "CB"),
    ("means", "vakbekwaamheid"): (0, 100_000, 100_000, 100_000, 100_000, "CB"),
    ("means", "crisiscommunicatie"): (10_000, 20_000, 20_000, 20_000, 20_000, "CB"),
    ("means", "netwerkmanagement"): (0, 50_000, 50_000, 50_000, 50_000, "CB"),
    ("means", "juridisch"): (0, 0, 0, 0, 0, ""),
    ("means", "bevolkingszorg"): (0, 0, 0, 0, 0, ""),
    ("means", "vik"): (80_000, 120_000, 120_000, 120_000, 120_000, "CB"),
    ("means", "bi-specialist"): (0, 0, 0, 0, 0, ""),
    ("means", "data-engineer"): (0, 0, 0, 0, 0, ""),
    ("means", "informatiespecialist"): (0, 0, 0, 0, 0, ""),
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bdur_cli.load(PLAN).plan


@pytest.fixture(scope="module")
def t2(plan: Plan) -> report.Table2:
    return report.table2(plan)


def test_columns_split_only_years_with_incidental(t2: report.Table2) -> None:
    assert [c.key for c in t2.columns] == ["2023 i", "2023 s", "2024", "2025", "2026"]


def test_sections_in_the_memos_order(t2: report.Table2) -> None:
    assert [(s.goal_short, s.kind) for s in t2.sections] == [
        ("toek. CB", "staff"), ("versterken IM", "staff"),
        ("toek. CB", "means"), ("versterken IM", "means")]


@pytest.mark.parametrize(("kind", "theme"), list(TABLE2))
def test_every_row_of_table2(t2: report.Table2, kind: str, theme: str) -> None:
    *cells, department = TABLE2[(kind, theme)]
    [row] = [r for s in t2.sections if s.kind == kind for r in s.rows if r.id == theme]
    assert row.cells == tuple(Decimal(c) for c in cells)
    assert row.department == department


def test_rows_are_exactly_the_memos(t2: report.Table2) -> None:
    assert [(s.kind, r.id) for s in t2.sections for r in s.rows] == list(TABLE2)


def test_external_hire_is_noted(t2: report.Table2) -> None:
    noted = {(s.kind, r.id): r.rates for s in t2.sections for r in s.rows if r.rates}
    assert noted == {("staff", "vik"): ("external",), ("staff", "bi-specialist"): ("external",)}


def test_totals_funding_gap(t2: report.Table2) -> None:
    assert t2.column_totals == (485_000, 1_200_000, 1_505_000, 1_605_000, 1_605_000)
    assert [(y.year, y.planned, y.funding, y.gap, y.cumulative_gap) for y in t2.summary] == [
        (2023, 1_685_000, 1_407_149, -277_851, -277_851),
        (2024, 1_505_000, 1_650_000, 145_000, -132_851),
        (2025, 1_605_000, 2_150_000, 545_000, 412_149),
        (2026, 1_605_000, 2_400_000, 795_000, 1_207_149)]


def test_column_totals_are_the_sum_of_the_rows(t2: report.Table2) -> None:
    for i in range(len(t2.columns)):
        assert t2.column_totals[i] == sum(r.cells[i] for r in t2.rows)


def test_pro_rated_totals_are_rounded_once(plan: Plan) -> None:
    # Start every staff line in June: 7/12 of the year, rounded per line.
    themes = [t.model_copy(update={"lines": [
        ln.model_copy(update={"start_month": 6}) if ln.kind == "staff" else ln
        for ln in t.lines]}) for t in plan.themes]
    t = report.table2(plan.model_copy(update={"themes": themes}))
    # Means 410,000 + staff at 7/12: 9 internal fte (525,000) + 2.5 external (218,750).
    assert t.summary[0].planned == 410_000 + 525_000 + 218_750
    assert t.column_totals[0] + t.column_totals[1] == t.summary[0].planned
    # 2023 s holds six themes of 1 fte from June (58,333.33 each, shown 58,333): the column
    # total is the exact sum rounded once, 2 euros above the sum of its shown cells (a rounding
    # difference the table notes).
    assert t.column_totals[1] == sum(r.cells[1] for r in t.rows) + 2


def test_years_narrow_and_keep_cumulative_from_the_start(plan: Plan) -> None:
    t = report.table2(plan, range(2024, 2027))
    assert [c.key for c in t.columns] == ["2024", "2025", "2026"]
    assert t.column_totals == (1_505_000, 1_605_000, 1_605_000)
    assert t.summary[0].cumulative_gap == -132_851


def test_by_theme(plan: Plan) -> None:
    t = report.table2(plan, by="theme")
    assert [(s.goal_id, s.kind) for s in t.sections] == [("toekomst-cb", None),
                                                        ("informatiepositie", None)]
    vik = next(r for r in t.rows if r.id == "vik")
    assert vik.cells == (305_000, 220_000, 320_000, 320_000, 320_000)
    assert vik.department == "CB/RD, CB"
    assert t.column_totals == (485_000, 1_200_000, 1_505_000, 1_605_000, 1_605_000)


def test_by_department(plan: Plan) -> None:
    t = report.table2(plan, by="department")
    assert {r.id: r.cells for r in t.rows} == {
        "CB": (110_000, 800_000, 805_000, 805_000, 805_000),
        "S&B": (0, 100_000, 100_000, 100_000, 100_000),
        "BGC": (0, 100_000, 100_000, 200_000, 200_000),
        "CB/RD": (225_000, 100_000, 200_000, 200_000, 200_000),
        "IM": (150_000, 100_000, 200_000, 200_000, 200_000),
        "RCB": (0, 0, 100_000, 100_000, 100_000),
    }
    assert t.column_totals == (485_000, 1_200_000, 1_505_000, 1_605_000, 1_605_000)


def test_fte_view_is_table1(plan: Plan) -> None:
    f = report.fte_table(plan)
    assert [c.key for c in f.columns] == ["2023 i", "2023 s", "2024", "2025", "2026"]
    # Table 1: 2.5 fte incidental (VIK 1.5, BI 1), 9 fte structural 2023, +3 fte from 2024.
    assert f.column_totals == (Decimal("2.5"), 9, 12, 13, 13)
    cells = {r.id: r.cells for s in f.sections for r in s.rows}
    assert cells["vik"] == (Decimal("1.5"), 1, 2, 2, 2)
    assert cells["bi-specialist"] == (1, 0, 1, 1, 1)
    assert cells["vakbekwaamheid"] == (0, Decimal("1.5"), Decimal("1.5"), Decimal("1.5"),
                                       Decimal("1.5"))
    assert cells["bevolkingszorg"] == (0, 1, 1, 2, 2)


def test_incidental_overview(plan: Plan) -> None:
    o = report.incidental_overview(plan)
    assert [(y.year, y.total) for y in o.years] == [(2023, 485_000), (2024, 0), (2025, 0),
                                                    (2026, 0)]
    assert [(i.line_id, i.amount, i.fte, i.department) for i in o.years[0].items] == [
        ("nieuwe-crises-middelen-inc", 20_000, 0, "CB"),
        ("crisiscommunicatie-middelen-inc", 10_000, 0, "CB"),
        ("vik-extern-2023", 225_000, Decimal("1.5"), "CB/RD"),
        ("vik-middelen-inc", 80_000, 0, "CB"),
        ("bi-extern-2023", 150_000, 1, "IM")]
    assert o.years[0].items[2].note == 'Tabel 1, "€ 225.000 (± 1,5 fte)"; tabel 2, extern inhuur'


def test_tidy_rows_sum_to_the_year_totals(plan: Plan) -> None:
    rows = report.tidy(plan)
    assert rows[0].as_dict() == {"year": 2023, "goal": "toekomst-cb", "theme": "nieuwe-crises",
                                 "line_id": "nieuwe-crises-fte", "kind": "staff",
                                 "type": "structural", "department": "CB",
                                 "amount": 100_000, "fte": 1}
    assert {y: sum(r.amount for r in rows if r.year == y) for y in plan.years} == {
        2023: 1_685_000, 2024: 1_505_000, 2025: 1_605_000, 2026: 1_605_000}


def test_every_figure_is_a_decimal(t2: report.Table2) -> None:
    for row in t2.rows:
        assert all(type(c) is Decimal for c in row.cells)
    assert all(type(c) is Decimal for c in t2.column_totals)
