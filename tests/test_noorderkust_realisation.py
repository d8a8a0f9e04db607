"""The second worked example of the realisation: Noorderkust (examples/noorderkust.yaml, with
co-financing and a reserve) against its ledger export, with income and funding booked
(examples/noorderkust-realisatie). Every figure is worked out by hand below, from the plan's
own hand-worked comments and the export's 25 postings, never from the code under test.

The plan per line (examples/noorderkust.yaml):

    line                    2024 budget   2025 budget   2025 income (plan)
    adviseurs-cb                200,000       209,400
    netwerkregisseur             80,000        83,760
    detachering-gemeente        100,000        52,350
    oefenmiddelen                50,000        51,350
    meldkamer-licentie           20,000        20,000
    herziening-crisisplan        30,000        90,000
    gezamenlijke-oefening             0        61,620        30,810  (Havenstad, 50%)
    interim-im                   50,000        25,000
    data-analist                      0        78,525        15,000  (waterschap, 9/12 x 20,000)
    total                       530,000       672,005        45,810

Realised (grootboek.csv; cost is a debit, income and funding are credits):

    2024 cost: 97,500 + 97,500 (adviseurs) + 80,000 + 100,000 + 42,000 (oefenmiddelen)
               + 20,000 + 30,000 + 50,000 = 517,000; deviation 517,000 - 530,000 = -13,000
    2024 funding: bdur received 600,000 (= plan); gemeenten: none booked, plan 0
    2024 result = 600,000 + 0 - 517,000 = 83,000; after the planned addition of 50,000:
               33,000 -> the board adds 33,000 to br-crisis (resultaatbestemming = result)

    2025 cost: 209,400 + 83,760 + 52,350 + 60,000 (oefenmiddelen, +8,650) + 20,000
               + 110,000 (herziening, +20,000) + 61,620 + 25,000 + 78,525 = 700,655;
               deviation 700,655 - 672,005 = +28,650
    2025 income: Havenstad 30,810 + waterschap 15,000 = 45,810 (= plan, deviation 0)
    2025 net: 700,655 - 45,810 = 654,845 against 672,005 - 45,810 = 626,195: +28,650
    2025 funding: bdur 620,000 (= plan); gemeenten received 30,000 against the plan's 40,000
               x 1.027 = 41,080: short 11,080; funding 650,000 against 661,080
    2025 result = 650,000 + 45,810 - 700,655 = -4,845: a shortfall, no planned movement ->
               the board withdraws 4,845 from br-crisis (resultaatbestemming = result)

    reserve br-crisis: 150,000 + 50,000 + 33,000 = 233,000 (2024); 233,000 - 4,845 = 228,155
               (2025); 2026 the plan draws 47,000 + 25,000 (piket) = 72,000: 156,155

    the line gezamenlijke-oefening 2025: cost 61,620 = budget, income 30,810 = budget, net
               deviation 0; booked the old way (the partner's credit as cost on the line) the
               cost reads 61,620 - 30,810 = 30,810 against 61,620: -30,810 (-50.0%), the
               income 0 against 30,810: -30,810, and the net (30,810 - 0 against 61,620 -
               30,810) still 0: the threshold, on net, flags nothing either way
    herziening-crisisplan 2025: net +20,000 = 22.2% of 90,000: above 10,000 and 10% (and):
               needs a toelichting, which toelichting.yaml gives
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, bdur

EXAMPLE = ROOT / "examples" / "noorderkust-realisatie"
MAPPING = EXAMPLE / "mapping.yaml"
THROUGH = ("--through", "2026-06")
D = Decimal


def figures(mapping: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = bdur("realisation", "-m", str(mapping), *THROUGH, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout, parse_float=Decimal)


def year(data: dict[str, Any], y: int) -> dict[str, Any]:
    return next(row for row in data["years"] if row["year"] == y)


def line(data: dict[str, Any], line_id: str) -> dict[str, Any]:
    for y in data["years"]:
        for goal in y.get("goals") or ():
            for theme in goal["themes"]:
                for row in theme["lines"]:
                    if row["id"] == line_id:
                        return dict(row)
    raise AssertionError(line_id)


@pytest.fixture
def patched(tmp_path: Path) -> Callable[..., Path]:
    """The example copied (plan beside its folder), one file patched by exact substrings."""
    shutil.copy(ROOT / "examples" / "noorderkust.yaml", tmp_path / "noorderkust.yaml")
    folder = tmp_path / "noorderkust-realisatie"
    shutil.copytree(EXAMPLE, folder)

    def edit(name: str, *pairs: str) -> Path:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in zip(pairs[::2], pairs[1::2], strict=True):
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return folder / "mapping.yaml"

    return edit


def test_the_years_cost_income_funding_and_result_by_hand() -> None:
    code, data = figures(MAPPING)
    assert code == 0
    y24, y25 = year(data, 2024), year(data, 2025)
    assert (y24["budget"], y24["realised"], y24["deviation"]) == (530000, 517000, -13000)
    assert (y24["funding"], y24["result"]) == (600000, 83000)
    assert (y25["budget"], y25["realised"], y25["deviation"]) == (672005, 700655, 28650)
    assert (y25["income_budget"], y25["income_realised"], y25["income_deviation"]) == \
        (45810, 45810, 0)
    assert (y25["net_budget"], y25["net_expected"], y25["net_deviation"]) == \
        (626195, 654845, 28650)
    assert (y25["funding_budget"], y25["funding"], y25["funding_deviation"]) == \
        (661080, 650000, -11080)
    assert y25["result"] == -4845
    sources = {s["id"]: s for s in y25["funding_sources"]}
    assert (sources["gemeenten"]["budget"], sources["gemeenten"]["received"],
            sources["gemeenten"]["deviation"], sources["gemeenten"]["basis"]) == \
        (41080, 30000, -11080, "booked")
    assert (sources["bdur"]["received"], sources["bdur"]["basis"]) == (620000, "booked")
    # 2024: no co-financing booked (nor planned): the plan's figure, marked as such.
    assert [(s["id"], s["received"], s["basis"]) for s in y24["funding_sources"]] == \
        [("bdur", 600000, "booked"), ("gemeenten", 0, "plan")]
    # 2026 (running, through June): the BDuR's first half received, the second forecast at
    # the plan's 423,000 x 6/12 = 211,500; the co-financing not yet booked: the plan's 41,902.
    s26 = {s["id"]: s for s in year(data, 2026)["funding_sources"]}
    assert (s26["bdur"]["received"], s26["bdur"]["forecast"], s26["bdur"]["expected"]) == \
        (211500, 211500, 423000)
    assert (s26["gemeenten"]["received"], s26["gemeenten"]["basis"]) == (41902, "plan")
    assert year(data, 2026)["funding"] == 423000 + 41902
    rec = data["reconciliation"]
    assert (rec["read"]["postings"], rec["mapped"]["postings"], rec["unmapped"]["postings"]) == \
        (25, 25, 0)


def test_the_partners_payment_is_income_of_its_line() -> None:
    code, data = figures(MAPPING, "2025")
    assert code == 0
    row = line(data, "gezamenlijke-oefening")
    assert (row["budget"], row["realised"], row["income_budget"], row["income_realised"],
            row["net_budget"], row["net_deviation"], row["needs_explanation"]) == \
        (61620, 61620, 30810, 30810, 30810, 0, False)
    row = line(data, "herziening-crisisplan")
    assert (row["net_deviation"], row["net_percent"], row["needs_explanation"]) == \
        (20000, D("22.2"), True)
    assert row["explanation"].startswith("Extra ronde met de gemeenten")
    row = line(data, "oefenmiddelen")  # +8,650: 16.8%, but not above 10,000
    assert (row["net_deviation"], row["needs_explanation"]) == (8650, False)


def test_the_partners_payment_booked_as_cost_shows_the_old_error(
        patched: Callable[..., Path]) -> None:
    mapping = patched("mapping.yaml",
                      "  - {line: gezamenlijke-oefening, book: income, project: NK-GZO, "
                      "account: 8100}\n",
                      "  - {line: gezamenlijke-oefening, project: NK-GZO, account: 8100}\n")
    code, data = figures(mapping, "2025")
    assert code == 0
    row = line(data, "gezamenlijke-oefening")
    assert (row["realised"], row["deviation"], row["percent"], row["income_realised"],
            row["income_deviation"], row["net_deviation"], row["needs_explanation"]) == \
        (30810, -30810, D("-50.0"), 0, -30810, 0, False)
    # The result is the same either way: the credit lowers cost instead of raising income.
    assert year(data, 2025)["result"] == -4845
    warned = bdur("realisation", "-m", str(mapping), *THROUGH).stderr
    assert "warning: line 'gezamenlijke-oefening' has income in the plan, but no rule books " \
        "income on it; its realised income is 0 [income-not-mapped]" in warned
    assert "line 'data-analist' has income" not in warned


def test_without_funding_rules_the_plan_funds_the_year(patched: Callable[..., Path]) -> None:
    mapping = patched("mapping.yaml",
                      "  - {funding: bdur, account: 8000}\n"
                      "  - {funding: gemeenten, account: 8010}\n", "",
                      "appropriations: resultaatbestemming.yaml\n", "")
    code, data = figures(mapping)
    assert code == 0
    y25 = year(data, 2025)
    # funding from the plan: 661,080; result 661,080 + 45,810 - 700,655 = 6,235
    assert (y25["funding"], y25["result"]) == (661080, 6235)
    assert "funding_sources" not in y25
    # the four receipts are now unmapped: -600,000 - 620,000 - 30,000 - 211,500
    assert (data["reconciliation"]["unmapped"]["postings"],
            data["reconciliation"]["unmapped"]["total"]) == (4, -1461500)


def test_the_reserve_follows_the_result() -> None:
    code, data = figures(MAPPING)
    assert code == 0
    rows = {r["year"]: r for r in data["reserve"]["years"]}
    assert (rows[2024]["result"], rows[2024]["result_after_reserves"], rows[2024]["decided"],
            rows[2024]["not_appropriated"], rows[2024]["closing"]) == \
        (83000, 33000, 33000, 0, 233000)
    assert (rows[2025]["result"], rows[2025]["decided"], rows[2025]["withdrawals"],
            rows[2025]["not_appropriated"], rows[2025]["closing"]) == \
        (-4845, -4845, 4845, 0, 228155)
    assert (rows[2026]["planned_withdrawals"], rows[2026]["closing"]) == (72000, 156155)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("addition: 33000", "addition: 33001",
     "the resultaatbestemming of 2024 adds €33,001.00 to reserves, more than the result of "
     "€33,000.00 allows"),
    ("withdrawal: 4845", "withdrawal: 4846",
     "the resultaatbestemming of 2025 withdraws €4,846.00 from reserves, more than the "
     "shortfall of €4,845.00 needs"),
])
def test_a_decision_beyond_the_result_is_an_error(patched: Callable[..., Path], old: str,
                                                   new: str, message: str) -> None:
    mapping = patched("resultaatbestemming.yaml", old, new)
    result = bdur("realisation", "-m", str(mapping), *THROUGH)
    assert result.exit_code == 1
    assert f"error: {message} [appropriation-exceeds-result]" in result.stderr
    assert "Budget against realisation" in result.stdout  # the report is still printed


def test_the_example_checks_clean() -> None:
    result = bdur("check", str(MAPPING), str(EXAMPLE / "resultaatbestemming.yaml"),
                  str(EXAMPLE / "toelichting.yaml"))
    assert result.exit_code == 0, result.output


def test_without_through_the_stated_closed_year_makes_2026_a_running_half_year() -> None:
    # The export books up to June 2026 and the mapping states `closed_through: 2025`: the
    # half year is read as running through June (as with --through 2026-06), not as a whole
    # closed year with half its budget unspent, which needed eleven explanations.
    plain = bdur("realisation", "-m", str(MAPPING), "--format", "json")
    through = bdur("realisation", "-m", str(MAPPING), *THROUGH, "--format", "json")
    assert plain.exit_code == through.exit_code == 0
    assert plain.stdout == through.stdout
    data = json.loads(plain.stdout, parse_float=Decimal)
    assert data["through"] == "2026-06"
    assert [(y["year"], y["status"]) for y in data["years"]] == [
        (2024, "closed"), (2025, "closed"), (2026, "running"), (2027, "future")]
    check = bdur("check", str(MAPPING))
    assert (check.exit_code, check.stdout) == (0, "")
    assert check.stderr == "bdur check: 1 file, 0 errors, 0 warnings\n"


NO_CLOSED_YEAR = ("closed_through: 2025\n", "")
JUNE = ("30-06-2026;CB;4000;NK-ADV", "30-06-2026;CB;4500;NK-PIK")


@pytest.mark.parametrize(("month", "warned"), [("30-06", True), ("30-11", True),
                                               ("31-12", False)])
def test_a_last_year_that_stops_before_december_is_named_when_taken_as_closed(
        patched: Callable[..., Path], month: str, warned: bool) -> None:
    # Without --through or closed_through the export is taken as complete: its last year
    # counts as closed. Booked only into June (or November), that is most often a running
    # year exported early; through December it is a whole year and nothing is said.
    patched("grootboek.csv", *(x for j in JUNE for x in (j, j.replace("30-06", month))))
    mapping = patched("mapping.yaml", *NO_CLOSED_YEAR)
    last = {"30-06": "06", "30-11": "11", "31-12": "12"}[month]
    warning = (f"{mapping}: warning: the export books 2026 only through 2026-{last}, yet "
               "without a reporting month 2026 counts as closed: its deviations compare a "
               "part of the year with the whole year's budget [year-taken-as-closed]")
    hint = (f"if 2026 is still running, give --through 2026-{last}, or state "
            "'closed_through: 2025' in the mapping")
    result = bdur("realisation", "-m", str(mapping))
    check = bdur("check", str(mapping))
    assert result.exit_code == 0
    assert (f"{warning} (hint: {hint})\n" in result.stderr) is warned
    assert (f"{warning}\n  hint: {hint}\n" in check.stdout) is warned
    assert ("year-taken-as-closed" in result.stderr + check.stdout) is warned


def test_a_reporting_month_or_a_stated_closed_year_says_it_is_running(
        patched: Callable[..., Path]) -> None:
    mapping = patched("mapping.yaml", *NO_CLOSED_YEAR)
    assert "year-taken-as-closed" not in bdur("realisation", "-m", str(mapping),
                                               *THROUGH).stderr
    assert "year-taken-as-closed" not in bdur("realisation", "-m", str(MAPPING)).stderr


def test_receipts_add_up_to_the_reporting_month_and_no_further(
        patched: Callable[..., Path]) -> None:
    # The 2026 BDuR of 211,500 paid in two halves of 105,750, in January and in June (the
    # reporting month itself, which counts); a July payment of 211,500 lies beyond it and is
    # left out, even as the export's first posting.
    mapping = patched(
        "grootboek.csv",
        "Bedrag\n", "Bedrag\n15-07-2026;FIN;8000;BDUR;BDuR-uitkering 2026 juli;-211.500,00\n",
        "15-01-2026;FIN;8000;BDUR;BDuR-uitkering 2026 eerste helft;-211.500,00\n",
        "15-01-2026;FIN;8000;BDUR;BDuR-uitkering 2026 deel 1;-105.750,00\n"
        "30-06-2026;FIN;8000;BDUR;BDuR-uitkering 2026 deel 2;-105.750,00\n")
    _, data = figures(mapping)
    s26 = {s["id"]: s for s in year(data, 2026)["funding_sources"]}
    # received 105,750 + 105,750; the months after June forecast at 423,000 x 6/12
    assert (s26["bdur"]["received"], s26["bdur"]["forecast"], s26["bdur"]["expected"],
            s26["bdur"]["basis"]) == (211500, 211500, 423000, "booked")
    # the earlier years as in the example: every receipt before the July one still counts
    assert [(s["id"], s["received"], s["basis"]) for s in year(data, 2025)["funding_sources"]] \
        == [("bdur", 620000, "booked"), ("gemeenten", 30000, "booked")]


def test_a_source_without_receipts_does_not_hide_the_next(
        patched: Callable[..., Path]) -> None:
    # Without the 2025 BDuR receipt the BDuR keeps the plan's 620,000 (basis plan), and the
    # municipalities' 30,000 received, listed after it, still counts: funding 650,000.
    mapping = patched("grootboek.csv",
                      "15-01-2025;FIN;8000;BDUR;BDuR-uitkering 2025;-620.000,00\n", "")
    _, data = figures(mapping)
    y25 = year(data, 2025)
    assert [(s["id"], s["budget"], s["received"], s["basis"]) for s in y25["funding_sources"]] \
        == [("bdur", 620000, 620000, "plan"), ("gemeenten", 41080, 30000, "booked")]
    assert (y25["funding"], y25["result"]) == (650000, -4845)


def _decisions(data: dict[str, Any]) -> list[tuple[int, str, Any, Any]]:
    return [(d["year"], d["reserve"], d["addition"], d["withdrawal"])
            for row in data["reserve"]["years"] for d in row["decisions"]]


def test_each_decision_is_an_addition_or_a_withdrawal(patched: Callable[..., Path]) -> None:
    # resultaatbestemming.yaml: 2024 adds 33,000, 2025 withdraws 4,845 (never a negative
    # addition or a negative withdrawal)
    assert _decisions(figures(MAPPING)[1]) == \
        [(2024, "br-crisis", 33000, 0), (2025, "br-crisis", 0, 4845)]
    # Below a euro either way: 0.40 added (and 32,999.60 of 2024 left unappropriated),
    # 0.40 withdrawn (4,844.60 of 2025's shortfall left).
    mapping = patched("resultaatbestemming.yaml", "addition: 33000", "addition: 0.40",
                      "withdrawal: 4845", "withdrawal: 0.40")
    _, data = figures(mapping)
    assert _decisions(data) == \
        [(2024, "br-crisis", D("0.4"), 0), (2025, "br-crisis", 0, D("0.4"))]
    rows = {r["year"]: r for r in data["reserve"]["years"]}
    assert (rows[2024]["not_appropriated"], rows[2025]["not_appropriated"]) == \
        (D("32999.6"), D("-4844.6"))


def test_the_reserve_statement_as_json() -> None:
    # What a script reads: 2024 closed, worked out by hand in the module's docstring, whole.
    _, data = figures(MAPPING)
    assert data["through"] == "2026-06"
    assert data["threshold"] == {"amount": 10000, "percent": 10, "combine": "and"}
    assert data["reserve"]["reserves"] == [
        {"id": "br-crisis", "name": "Bestemmingsreserve crisisbeheersing", "opening": 150000,
         "formed_by_decision": False}]
    y24 = next(r for r in data["reserve"]["years"] if r["year"] == 2024)
    assert y24 == {
        "year": 2024, "status": "closed", "funding": 600000, "realised": 517000,
        "result": 83000, "planned_additions": 50000, "planned_withdrawals": 0,
        "result_after_reserves": 33000, "decided": 33000, "not_appropriated": 0,
        # 150,000 + the plan's 50,000 + the board's 33,000
        "opening": 150000, "additions": 83000, "withdrawals": 0, "closing": 233000,
        "shortfall": None, "balance_after_shortfalls": None, "covered": None,
        "reserves": [{"id": "br-crisis", "opening": 150000, "additions": 83000,
                      "withdrawals": 0, "planned_additions": 50000,
                      "planned_withdrawals": 0, "decided": 33000, "closing": 233000}],
        "decisions": [{"year": 2024, "reserve": "br-crisis", "addition": 33000,
                       "withdrawal": 0, "adopted": "2025-07-03", "by": "Algemeen Bestuur",
                       "note": "Jaarrekening 2024, het resultaat na de geplande dotatie."}]}
    # 2025: the board's withdrawal of 4,845, no planned movement: 233,000 - 4,845
    y25 = next(r for r in data["reserve"]["years"] if r["year"] == 2025)
    assert y25["reserves"] == [
        {"id": "br-crisis", "opening": 233000, "additions": 0, "withdrawals": 4845,
         "planned_additions": 0, "planned_withdrawals": 0, "decided": -4845,
         "closing": 228155}]


def test_net_figures_of_a_closed_and_a_future_year(patched: Callable[..., Path]) -> None:
    # Through June 2026, 2027 has not started: no deviation of income or net yet (not -100%).
    _, data = figures(MAPPING)
    y27 = year(data, 2027)
    assert y27["status"] == "future"
    assert (y27["income_deviation"], y27["net_deviation"], y27["net_percent"]) == \
        (None, None, None)
    # Without a reporting month (nor closed_through) the export is complete and the net
    # figures are realised, not expected: 2025 net 700,655 - 45,810 = 654,845 against
    # 626,195: +28,650.
    result = bdur("realisation", "-m", str(patched("mapping.yaml", *NO_CLOSED_YEAR)),
                  "--format", "json")
    y25 = year(json.loads(result.stdout, parse_float=Decimal), 2025)
    assert (y25["net_budget"], y25["net_realised"], y25["net_deviation"]) == \
        (626195, 654845, 28650)
    assert "net_expected" not in y25


def test_a_running_years_line_with_income_as_json() -> None:
    # data-analist 2026, through June, nothing booked yet: the cost 108,678.60 (shown
    # 108,679) and the water board's 20,000 are forecast for July-December, 6 of 12 months:
    # 54,339.30 and 10,000. Deviation 54,339.30 - 108,679 = -54,339.70 (-50.0%); net 88,679
    # budgeted, 44,339.30 expected: -44,339.70 (-50.0%), above 10,000 and 10%.
    _, data = figures(MAPPING, "2026")
    assert line(data, "data-analist") == {
        "level": "line", "id": "data-analist", "name": "data-analist", "kind": "staff",
        "type": "structural", "budget": 108679, "realised": 0, "forecast": D("54339.3"),
        "expected": D("54339.3"), "deviation": D("-54339.7"), "percent": -50,
        "income_budget": 20000, "income_realised": 0, "income_forecast": 10000,
        "income_expected": 10000, "income_deviation": -10000, "net_budget": 88679,
        "net_expected": D("44339.3"), "net_deviation": D("-44339.7"), "net_percent": -50,
        "needs_explanation": True, "explanation": None, "explained_elsewhere": False}


def test_a_decision_beyond_the_result_hints_the_most_allowed(
        patched: Callable[..., Path]) -> None:
    mapping = patched("resultaatbestemming.yaml", "addition: 33000", "addition: 33001")
    assert "[appropriation-exceeds-result] (hint: add at most €33,000.00)" in \
        bdur("realisation", "-m", str(mapping), *THROUGH).stderr
    # Without a decision on 2024 (the one above removed), the one on 2025 is still checked:
    # 4,846 against 4,845.
    mapping = patched("resultaatbestemming.yaml",
                      "  - year: 2024\n    reserve: br-crisis\n    addition: 33001\n"
                      "    adopted: 2025-07-03\n    by: Algemeen Bestuur\n"
                      "    note: Jaarrekening 2024, het resultaat na de geplande dotatie.\n", "",
                      "withdrawal: 4845", "withdrawal: 4846")
    result = bdur("realisation", "-m", str(mapping), *THROUGH)
    assert result.exit_code == 1
    assert "the resultaatbestemming of 2025 withdraws €4,846.00 from reserves, more than the " \
        "shortfall of €4,845.00 needs [appropriation-exceeds-result] (hint: withdraw at most " \
        "€4,845.00)" in result.stderr


def test_shortfalls_of_the_years_to_come_add_up(patched: Callable[..., Path]) -> None:
    # 200,000 more cost in May 2026: 2026's result after the plan's withdrawals of 72,000 is
    # 170,153.10 - 200,000 = -29,846.90. The BDuR of 2027 at 370,000 before the 10% cut
    # (333,000): funding 333,000 + 41,902 = 374,902 against the net 491,140.60, result
    # -116,238.60, after the plan's 72,000: -44,238.60. The reserve closes 2027 at 84,155;
    # after both shortfalls 84,155 - 29,846.90 - 44,238.60 = 10,069.50.
    patched("grootboek.csv", "30-06-2026;CB;4500;NK-PIK;",
            "15-05-2026;CB;4500;NK-OEF;Extra oefening;200.000,00\n30-06-2026;CB;4500;NK-PIK;")
    mapping = patched("../noorderkust.yaml",
                      "2027: {amount: 470000, status: forecast}",
                      "2027: {amount: 370000, status: forecast}",
                      "  2027: {gap: 45761, cumulative_gap: 146407, reserve_balance: 56000}\n",
                      "")
    _, data = figures(mapping)
    rows = {r["year"]: r for r in data["reserve"]["years"]}
    assert [(rows[y]["shortfall"], rows[y]["balance_after_shortfalls"], rows[y]["covered"])
            for y in (2026, 2027)] == [(D("29846.9"), D("126308.1"), True),
                                       (D("44238.6"), D("10069.5"), True)]


def test_an_addition_in_a_year_of_shortfall_may_add_nothing(
        patched: Callable[..., Path]) -> None:
    # 2025's result is -4,845: nothing can be added; the most is €0.00, never "-€0.00".
    mapping = patched("resultaatbestemming.yaml", "withdrawal: 4845", "addition: 0.50")
    assert "the resultaatbestemming of 2025 adds €0.50 to reserves, more than the result of " \
        "-€4,845.00 allows [appropriation-exceeds-result] (hint: add at most €0.00)" in \
        bdur("realisation", "-m", str(mapping), *THROUGH).stderr


def test_the_years_rows_are_flagged_on_net_and_covered_from_below() -> None:
    # 2025: net +28,650 against 626,195 is 4.6%: above 10,000 but not above 10% (and), so
    # the year, its goal and its theme need no explanation; herziening-crisisplan (+20,000,
    # 22.2%) has one, which covers its theme and goal though it is not the theme's last line.
    _, data = figures(MAPPING, "2025")
    y25 = year(data, 2025)
    assert (y25["net_deviation"], y25["net_percent"], y25["needs_explanation"]) == \
        (28650, D("4.6"), False)
    goal = y25["goals"][0]
    theme = goal["themes"][0]
    assert (goal["id"], goal["name"], goal["needs_explanation"],
            goal["explained_elsewhere"]) == \
        ("crisisorganisatie", "Toekomstbestendige crisisorganisatie", False, True)
    assert (theme["id"], theme["name"], theme["explained_elsewhere"]) == \
        ("organisatie", "Crisisorganisatie", True)
    assert [row["id"] for row in theme["lines"]][-2:] == \
        ["herziening-crisisplan", "gezamenlijke-oefening"]
    assert (y25["goals"][1]["name"], y25["goals"][1]["explained_elsewhere"]) == \
        ("Informatiegestuurd werken", False)


def test_the_reconciliation_and_the_years_note_as_json() -> None:
    # 25 postings: cost 517,000 + 700,655 + 108,678.60 + 12,500 = 1,338,833.60, credits
    # 600,000 + 620,000 + 30,810 + 30,000 + 15,000 + 211,500 = 1,507,310: -168,476.40; the
    # header on row 4, below three title rows.
    _, data = figures(MAPPING)
    total = D("-168476.4")
    assert data["reconciliation"] == {
        "file": str(EXAMPLE / "grootboek.csv"), "format": "csv",
        "encoding": "utf-8", "header_row": 4,
        "read": {"postings": 25, "total": total}, "mapped": {"postings": 25, "total": total},
        "unmapped": {"postings": 0, "total": 0},
        "outside_horizon": {"postings": 0, "total": 0},
        "ambiguous": {"postings": 0, "total": 0}, "unreadable_rows": 0, "balanced": True,
        "after_through": {"postings": 0, "total": 0}}
    # 2025 has no explanation of its own; herziening-crisisplan's covers it.
    y25 = year(data, 2025)
    assert (y25["explanation"], y25["explained_elsewhere"]) == (None, True)


def test_postings_in_one_month_on_one_place_add_up(patched: Callable[..., Path]) -> None:
    # Each of three postings split in two halves on the same day: a cost (netwerkregisseur
    # 2024, 2 x 40,000), an income (the water board 2025, 2 x 7,500) and a funding receipt
    # (the municipalities 2025, 2 x 15,000); and two costs of July 2026, after the reporting
    # month (2 x 1,000): counted apart, not in the figures. Every figure stays the example's.
    mapping = patched(
        "grootboek.csv",
        "31-12-2024;CB;4000;NK-NWR;Salaris netwerkregisseur 2024;80.000,00\n",
        "31-12-2024;CB;4000;NK-NWR;Salaris netwerkregisseur 2024 a;40.000,00\n"
        "31-12-2024;CB;4000;NK-NWR;Salaris netwerkregisseur 2024 b;40.000,00\n",
        "15-12-2025;IM;8100;NK-DA;Bijdrage Waterschap data-analist 2025;-15.000,00\n",
        "15-12-2025;IM;8100;NK-DA;Bijdrage Waterschap a;-7.500,00\n"
        "15-12-2025;IM;8100;NK-DA;Bijdrage Waterschap b;-7.500,00\n",
        "30-09-2025;FIN;8010;COFI;Cofinanciering gemeenten 2025;-30.000,00\n",
        "30-09-2025;FIN;8010;COFI;Cofinanciering a;-15.000,00\n"
        "30-09-2025;FIN;8010;COFI;Cofinanciering b;-15.000,00\n"
        "10-07-2026;CB;4500;NK-OEF;Oefening juli a;1.000,00\n"
        "20-07-2026;CB;4500;NK-OEF;Oefening juli b;1.000,00\n")
    _, data = figures(mapping, "2024")
    assert line(data, "netwerkregisseur")["realised"] == 80000
    assert year(data, 2024)["realised"] == 517000
    _, data = figures(mapping, "2025")
    assert line(data, "data-analist")["income_realised"] == 15000
    sources = {s["id"]: s for s in year(data, 2025)["funding_sources"]}
    assert sources["gemeenten"]["received"] == 30000
    assert year(data, 2025)["result"] == -4845
    assert data["reconciliation"]["after_through"] == {"postings": 2, "total": 2000}


def test_the_month_named_is_the_latest_booked_not_the_last_read(
        patched: Callable[..., Path]) -> None:
    # An export need not be sorted: with the piket posting moved to January and read after
    # June's salaries, 2026 is still booked through June.
    patched("grootboek.csv", "30-06-2026;CB;4500;NK-PIK", "31-01-2026;CB;4500;NK-PIK")
    mapping = patched("mapping.yaml", *NO_CLOSED_YEAR)
    result = bdur("realisation", "-m", str(mapping))
    assert "the export books 2026 only through 2026-06," in result.stderr
