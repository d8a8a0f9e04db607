"""The memo's Tables 1 and 2, to the euro: the first tests of bdur."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bdur_cli
from conftest import PLAN

MEMO = {
    # year: planned, incidental, structural, staff, means, fte, funding, gap, cumulative gap
    2023: (1_685_000, 485_000, 1_200_000, 1_275_000, 410_000, "11.5", 1_407_149, -277_851,
           -277_851),
    2024: (1_505_000, 0, 1_505_000, 1_200_000, 305_000, "12", 1_650_000, 145_000, -132_851),
    2025: (1_605_000, 0, 1_605_000, 1_300_000, 305_000, "13", 2_150_000, 545_000, 412_149),
    2026: (1_605_000, 0, 1_605_000, 1_300_000, 305_000, "13", 2_400_000, 795_000, 1_207_149),
}


@pytest.fixture(scope="module")
def years() -> dict[int, bdur_cli.YearTotals]:
    plan = bdur_cli.load(PLAN).plan
    return {t.year: t for t in bdur_cli.totals(plan).years}


@pytest.mark.parametrize("year", sorted(MEMO))
def test_year_matches_memo(years: dict[int, bdur_cli.YearTotals], year: int) -> None:
    planned, inc, struct, staff, means, fte, funding, gap, cum = MEMO[year]
    t = years[year]
    assert (t.planned, t.incidental, t.structural) == (planned, inc, struct)
    assert (t.staff, t.means) == (staff, means)
    assert t.fte == Decimal(fte)
    assert (t.funding, t.gap, t.cumulative_gap) == (funding, gap, cum)


def test_every_amount_is_a_decimal(years: dict[int, bdur_cli.YearTotals]) -> None:
    for t in years.values():
        for value in (t.funding, t.planned, t.staff, t.means, t.fte, t.gap):
            assert type(value) is Decimal


def test_table2_rows() -> None:
    """Selected rows of Table 2, per theme and kind, through the per-line amounts."""
    plan = bdur_cli.load(PLAN).plan
    rows = list(bdur_cli.plan.engine.line_years(plan))

    def cell(theme: str, kind: str, typ: str, year: int) -> int:
        return int(sum(r.amount for r in rows if r.theme_id == theme and r.kind == kind
                       and r.type == typ and r.year == year))

    assert cell("vik", "staff", "incidental", 2023) == 225_000
    assert cell("vik", "staff", "structural", 2023) == 100_000
    assert cell("vik", "staff", "structural", 2024) == 200_000
    assert cell("bi-specialist", "staff", "incidental", 2023) == 150_000
    assert cell("bi-specialist", "staff", "structural", 2023) == 0
    assert cell("bevolkingszorg", "staff", "structural", 2024) == 100_000
    assert cell("bevolkingszorg", "staff", "structural", 2025) == 200_000
    assert cell("nieuwe-crises", "means", "structural", 2023) == 10_000
    assert cell("nieuwe-crises", "means", "structural", 2024) == 15_000
    assert cell("vik", "means", "incidental", 2023) == 80_000
    assert cell("vakbekwaamheid", "staff", "structural", 2026) == 150_000


def test_breakdown_by_goal() -> None:
    plan = bdur_cli.load(PLAN).plan
    goals = bdur_cli.totals(plan, 2024).breakdown
    assert goals is not None
    assert [(g.id, int(g.planned), g.fte) for g in goals] == [
        ("toekomst-cb", 885_000, 7), ("informatiepositie", 620_000, 5)]
    assert sum(g.planned for g in goals) == 1_505_000
