"""The second, fictional region (examples/noorderkust.yaml): every figure is worked out by hand
in the file's comments; here they are asserted against `bdur totals --format json`.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from typing import Any

from bdur_cli.plan.pipeline import check_file
from conftest import ROOT, bdur, installed

EXAMPLE = ROOT / "examples" / "noorderkust.yaml"


def totals(*extra: str) -> Any:
    result = bdur("totals", "--format", "json", "-f", str(EXAMPLE), *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def column(data: list[dict[str, Any]], key: str) -> list[Any]:
    return [d[key] for d in data]


def test_gross_income_net_funding_and_gap_per_year() -> None:
    data = totals()
    assert column(data, "year") == [2024, 2025, 2026, 2027]
    # Gross: 2024 200,000 + 80,000 + 100,000 + 50,000 + 50,000 + 20,000 + 30,000 = 530,000.
    # 2025 209,400 + 83,760 + 52,350 + 25,000 + 51,350 + 20,000 + 90,000 + 61,620 + 78,525.
    # 2026 the exact sum 511,140.60, rounded once.
    assert column(data, "planned") == [530_000, 672_005, 511_141, 511_141]
    # Income: 2025 half of 61,620 (30,810) + 9/12 of 20,000 (15,000); then 20,000 a year.
    assert column(data, "income") == [0, 45_810, 20_000, 20_000]
    assert column(data, "net") == [530_000, 626_195, 491_141, 491_141]
    # Funding: BDuR (after the cut) + the municipalities' indexed co-financing.
    assert column(data, "funding") == [600_000, 661_080, 464_902, 464_902]
    assert column(data, "funding_sources") == [
        {"bdur": {"amount": 600_000, "status": "granted"},
         "gemeenten": {"amount": 0, "status": None}},
        {"bdur": {"amount": 620_000, "status": "forecast"},
         "gemeenten": {"amount": 41_080, "status": "granted"}},
        {"bdur": {"amount": 423_000, "status": "forecast"},
         "gemeenten": {"amount": 41_902, "status": "forecast"}},
        {"bdur": {"amount": 423_000, "status": "forecast"},
         "gemeenten": {"amount": 41_902, "status": "conditional"}}]
    # gap = funding - net - added + drawn: 600,000 - 530,000 - 50,000; 661,080 - 626,195;
    # 464,902 - 491,141 + 72,000.
    assert column(data, "gap") == [20_000, 34_885, 45_761, 45_761]
    assert column(data, "cumulative_gap") == [20_000, 54_885, 100_646, 146_407]


def test_the_2026_cut_is_written_as_a_rule_and_its_amount_shown() -> None:
    data = totals()
    # 10% of 470,000 = 47,000 in 2026 and 2027; nothing before.
    assert column(data, "funding_adjustment") == [0, 0, -47_000, -47_000]


def test_the_reserve_covers_the_cut() -> None:
    data = totals()
    assert column(data, "reserve_additions") == [50_000, 0, 0, 0]
    # 47,000 drawn against the cut + 25,000 for the piket line it covers.
    assert column(data, "reserve_withdrawals") == [0, 0, 72_000, 72_000]
    assert column(data, "reserve_balance") == [200_000, 200_000, 128_000, 56_000]
    assert data[2]["reserves"] == [{"id": "br-crisis", "opening": 200_000, "additions": 0,
                                    "withdrawals": 72_000, "covered": 25_000,
                                    "closing": 128_000}]
    # Without the 47,000 withdrawal 2026 would fall short: 464,902 - 491,141 + 25,000.
    assert 464_902 - 491_141 + 25_000 == -1_239


def test_indexation_compounds() -> None:
    data = totals()
    # Staff 2026: 2 fte + 1 fte (netwerkregisseur) + 1 fte (analist) at 100,000 x 1.047 x 1.038
    # = 108,678.60 a fte: 434,714.40 -> 434,714 (rounded once from the exact sum, not the sum
    # of the rounded lines 217,357 + 108,679 + 108,679 = 434,715).
    assert data[2]["staff"] == 434_714
    assert Decimal("1.047") * Decimal("1.038") * 4 * 100_000 == Decimal("434714.4")
    # Means 2026: 30,000 x 1.027 x 1.02 = 31,426.20 + 20,000 (not indexed) + 25,000.
    assert data[2]["means"] == 76_426


def test_constant_prices_leave_the_indexation_out() -> None:
    data = totals("--prices", "constant")
    # 2026 at 2024 prices: 200,000 + 100,000 + 30,000 + 20,000 + 25,000 + 100,000.
    assert column(data, "planned") == [530_000, 650_000, 475_000, 475_000]
    # The co-financing is indexed by the file, so at constant prices it is 40,000.
    assert column(data, "funding") == [600_000, 660_000, 463_000, 463_000]


def test_a_mid_year_end_and_average_fte() -> None:
    data = totals()
    # The secondment ends on 1 July 2025, the interim hire runs September 2024-February 2025.
    assert column(data, "fte") == [Decimal("4.8"), Decimal("5.8"), 4, 4]
    # 2 + 0.8 + 1 + 4/12 = 4.13; 2 + 0.8 + 6/12 + 2/12 + 9/12 = 4.22.
    assert column(data, "average_fte") == [Decimal("4.13"), Decimal("4.22"), 4, 4]


def test_check_passes_with_one_warning_for_the_structural_line_on_the_reserve() -> None:
    checked = check_file(EXAMPLE, "examples/noorderkust.yaml")
    assert [(str(f.location), f.level, f.code) for f in checked.findings] == [
        ("examples/noorderkust.yaml:132:18", "warning", "structural-on-reserve")]
    assert checked.exit_code == 0


def test_the_installed_program_flags_it_with_strict() -> None:
    proc = subprocess.run([installed(), "check", "--strict", "examples/noorderkust.yaml"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.startswith(
        "examples/noorderkust.yaml:132:18: warning: line 'piket-regeling' is structural but "
        "covered from reserve 'br-crisis': a reserve withdrawal is incidental income, so this "
        "cost is not structurally covered [structural-on-reserve]")


def test_the_stated_totals_hold() -> None:
    # The file states gap, cumulative gap, income, net cost and reserve balance; any
    # mismatch would be a stated-total-mismatch finding.
    checked = check_file(EXAMPLE)
    assert not [f for f in checked.findings if f.code == "stated-total-mismatch"]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "cumulative_gap: 146407" in text and "reserve_balance: 56000" in text


def test_a_conditional_source_is_seen_in_the_table_and_the_year() -> None:
    # 2027: BDuR forecast, gemeenten conditional (the example's comment: onder voorbehoud).
    table = bdur("totals", "-f", str(EXAMPLE), env={"COLUMNS": "250"}).stdout
    row = next(line for line in table.splitlines() if line.startswith(" 2027"))
    assert "forecast+conditional" in row
    assert next(line for line in table.splitlines() if line.startswith(" 2025")).split()[2] \
        == "granted+forecast"  # gemeenten granted, BDuR a forecast
    year = bdur("totals", "2027", "-f", str(EXAMPLE)).stdout
    assert "Funding (forecast+conditional)" in year
    assert "gemeenten (conditional)" in year and "bdur (forecast)" in year
    csv = bdur("totals", "2027", "-f", str(EXAMPLE), "--format", "csv").stdout
    header, row = csv.splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))[
        "funding_gemeenten_status"] == "conditional"


def test_the_gap_on_granted_money_alone() -> None:
    # Granted: BDuR 2024 (600,000), gemeenten 2025 (41,080 indexed), the Havenstad share in
    # 2025 (30,810). Not: the water board's 15,000 in 2025 (forecast), everything in 2026-27.
    data = totals("--funding", "granted")
    assert column(data, "funding") == [600_000, 41_080, 0, 0]
    assert column(data, "income") == [0, 30_810, 0, 0]
    # gap = funding - net - added + drawn: 600,000 - 530,000 - 50,000; 41,080 - (672,005 -
    # 30,810); 0 - 511,141 + 72,000 (47,000 planned + 25,000 for the piket line).
    assert column(data, "gap") == [20_000, -600_115, -439_141, -439_141]
    assert column(data, "cumulative_gap") == [20_000, -580_115, -1_019_256, -1_458_397]
    title = bdur("totals", "-f", str(EXAMPLE), "--funding", "granted").stdout
    assert title.splitlines()[0] == \
        "Extra BDuR-gelden crisisbeheersing 2024-2027 (granted money only)"
