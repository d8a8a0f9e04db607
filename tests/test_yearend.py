"""The year-end files of the realisation example: the resultaatbestemming with its reserve
statement, and the staffing file (fte in place). Every figure is worked out by hand from the
story in examples/realisation/generate.py and the memo's plan, never from the code under test:

- the results: funding (the memo's Table 2) - realised (the sums in test_realisation.py);
- the board formed br-bdur at the 2023 accounts and added the whole 2023 and 2024 results and
  300,000 of the 2025 result;
- staff in place from the story: 1 fte per post from June 2023, vakbekwaamheid and
  crisiscommunicatie 0.5 fte from January 2023, the external VIK hire 1.5 fte from February
  2023 to June 2024, the external BI hire 1 fte in 2023, and so on (formatie.yaml).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from test_realisation import (
    MEANS_2023,
    MEANS_2024,
    MEANS_2025,
    MEANS_2026,
    STAFF_2023,
    STAFF_2024,
    STAFF_2025,
    STAFF_2026,
)

from bdur_cli import api
from bdur_cli.errors import BdurError
from conftest import EXPORT_COMPLETE, ROOT, bdur

EXAMPLE = ROOT / "examples" / "realisation"
MAPPING = EXAMPLE / "mapping.yaml"
D = Decimal

# Funding, the memo's Table 2; realised, the hand-worked sums.
RESULT_2023 = 1407149 - (STAFF_2023 + MEANS_2023)
RESULT_2024 = 1650000 - (STAFF_2024 + MEANS_2024)
RESULT_2025 = 2150000 - (STAFF_2025 + MEANS_2025)
# 2026 through October: realised plus two months of the 1,605,000 budget (267,500).
RESULT_2026 = 2400000 - (STAFF_2026 + MEANS_2026 + 267500)


def test_the_hand_worked_results() -> None:
    results = (RESULT_2023, RESULT_2024, RESULT_2025, RESULT_2026)
    assert results == (D("93022.46"), D("90734.56"), 549000, 821250)


def statement(**kw: object) -> dict[int, object]:
    result = api.realisation(MAPPING, **kw).realisation.reserve  # type: ignore[arg-type]
    assert result is not None
    return {y.year: y for y in result.years}


def test_reserve_statement_through_october_2026() -> None:
    years = statement(through="2026-10")
    rows = [(y.year, y.status, y.result, y.decided, y.opening, y.additions,  # type: ignore
             y.withdrawals, y.closing) for y in years.values()]  # type: ignore[attr-defined]
    # 93,022.46 + 90,734.56 = 183,757.02; + 300,000 = 483,757.02, carried into 2026.
    assert rows == [
        (2023, "closed", RESULT_2023, RESULT_2023, 0, RESULT_2023, 0, D("93022.46")),
        (2024, "closed", RESULT_2024, RESULT_2024, D("93022.46"), RESULT_2024, 0,
         D("183757.02")),
        (2025, "closed", 549000, 300000, D("183757.02"), 300000, 0, D("483757.02")),
        (2026, "running", 821250, None, D("483757.02"), 0, 0, D("483757.02")),
    ]
    y2025, y2026 = years[2025], years[2026]
    assert y2025.not_appropriated == 249000  # type: ignore[attr-defined]
    # 2026 is still to come: its expected result is positive, so there is no shortfall.
    assert (y2026.shortfall, y2026.covered) == (0, True)  # type: ignore[attr-defined]
    decision = y2025.decisions[0]  # type: ignore[attr-defined]
    assert (str(decision.adopted), decision.by) == ("2026-07-02", "Algemeen Bestuur")


def test_as_of_leaves_out_later_decisions() -> None:
    # On 1 January 2026 only the decisions on 2023 and 2024 had been taken.
    years = statement(through="2026-10", as_of="2026-01-01")
    assert [years[y].decided for y in (2023, 2024, 2025)] == [  # type: ignore[attr-defined]
        RESULT_2023, RESULT_2024, None]
    assert years[2026].closing == D("183757.02")  # type: ignore[attr-defined]


def test_a_shortfall_the_reserve_does_not_cover(example: Callable[..., Path],
                                                mutate: Callable[[str, str], Path]) -> None:
    # 2026 funding 1,000,000 against 1,578,750 expected: a shortfall of 578,750, and the
    # reserve holds 483,757.02, so 94,992.98 is not covered.
    plan = mutate("    amount: 2400000\n", "    amount: 1000000\n")
    mapping = example()
    result = api.realisation(mapping, plan=plan, through="2026-10").realisation.reserve
    assert result is not None
    y = result.years[-1]
    assert (y.result, y.shortfall, y.balance_after_shortfalls, y.covered) == (
        -578750, 578750, D("-94992.98"), False)
    out = bdur("realisation", "-m", str(mapping), "-f", str(plan),
               "--through", "2026-10")
    assert out.exit_code == 0, out.output
    assert " 2026   €483,757          €0            €0   €483,757   shortfall €578,750, not " \
        "covered: €94,993 short" in out.stdout


def test_the_plans_reserve_and_its_planned_withdrawal(example: Callable[..., Path],
                                                     mutate: Callable[[str, str], Path]
                                                     ) -> None:
    plan = mutate("\nrates:\n", "\nreserves:\n  - {id: br-plan, name: Reserve uit het plan, "
                  "opening: 50000, withdrawals: {2025: 20000}}\n\nrates:\n")
    mapping = example()
    result = api.realisation(mapping, plan=plan, through="2026-10").realisation.reserve
    assert result is not None
    assert [(r.id, r.opening, r.formed) for r in result.reserves] == [
        ("br-plan", 50000, False), ("br-bdur", 0, True)]
    y2025 = result.years[2]
    # The plan's withdrawal adds to the result: 549,000 + 20,000 = 569,000, of which the
    # board put 300,000 in br-bdur.
    assert (y2025.result_after_reserves, y2025.not_appropriated) == (569000, 269000)
    assert (y2025.opening, y2025.closing) == (D("50000") + D("183757.02"),
                                              D("30000") + D("483757.02"))


PLAN = str(ROOT / "data" / "allocations.yaml")


def check(mapping: Path) -> list[str]:
    result = bdur("check", "--format", "json", str(mapping))
    data = json.loads(result.stdout)
    return [f"{Path(f['path']).name}:{f['line']}:{f['column']} {f['level']} {f['code']}: "
            f"{f['message']}" for file in data["files"] for f in file["findings"]
            if f["code"] not in ("unmapped-postings", "outside-horizon", "explanation-missing")]


def test_check_a_withdrawal_below_zero(example: Callable[..., Path]) -> None:
    # 2024: 93,022.46 in the reserve; withdrawing 190,734.56 leaves -97,712.10.
    mapping = example("resultaatbestemming.yaml", "    addition: 90734.56\n",
                   "    withdrawal: 190734.56\n")
    assert check(mapping) == [
        "resultaatbestemming.yaml:18:17 error reserve-negative: the withdrawal from reserve "
        "'br-bdur' in 2024 takes its balance to -€97,712.10: below zero"]
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN)
    assert result.exit_code == 1
    assert "(hint: at most €93,022.46 can be withdrawn)" in result.stderr


def test_check_bad_decisions(example: Callable[..., Path]) -> None:
    mapping = example("resultaatbestemming.yaml",
                   "  - year: 2025\n    reserve: br-bdur\n",
                   "  - year: 2025\n    reserve: br-bdr\n",
                   "  - year: 2024\n", "  - year: 2026\n")
    with (mapping.parent / "resultaatbestemming.yaml").open("a", encoding="utf-8") as f:
        f.write("  - {year: 2023, reserve: br-bdur, addition: 1, adopted: 2024-07-04, by: AB}\n"
                "  - {year: 2029, reserve: br-bdur, addition: 1, adopted: 2024-07-04, by: AB}\n")
    # The mapping closes 2025 (closed_through): 2026 is not closed.
    assert check(mapping) == [
        "resultaatbestemming.yaml:16:11 error year-not-closed: decision on 2026, which is "
        "not closed: a result is appropriated once its year is closed",
        "resultaatbestemming.yaml:23:14 error unknown-reserve: decision 3 names reserve "
        "'br-bdr', which is neither in the plan nor formed in this file",
        "resultaatbestemming.yaml:28:5 error duplicate-appropriation: a second decision on "
        "2023 for reserve 'br-bdur'",
        "resultaatbestemming.yaml:29:12 error year-outside-horizon: decision on 2029, "
        "outside the plan's horizon 2023-2026",
    ]


def test_a_decision_after_the_reporting_month_is_left_out(example: Callable[..., Path]) -> None:
    mapping = example(*EXPORT_COMPLETE)  # --through 2024-06 reopens the mapping's closed 2025
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN,
                  "--through", "2024-06")
    assert result.exit_code == 0, result.output
    assert "resultaatbestemming.yaml:16:11: warning: decision on 2024 left out: through " \
        "2024-06, 2024 is not closed [year-not-closed]" in result.stderr
    # 2023 decided; 2024 and later still to come, carried at 93,022.
    assert " 2024   €93,022          €0            €0   €93,022   no shortfall" in result.stdout


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("addition: 300000", "addition: 300.000,50", "resultaatbestemming.yaml:24:15 error schema"),
    ("addition: 300000", "addition: 300000\n    withdrawal: 5",
     "resultaatbestemming.yaml:22:5 error schema"),
    ("addition: 300000", "addition: 0.001",
     "resultaatbestemming.yaml:24:15 error out-of-range"),
    ("adopted: 2026-07-02", "adopted: 2026-02-30", "resultaatbestemming.yaml:25:14 error schema"),
])
def test_decisions_of_the_wrong_shape(example: Callable[..., Path], old: str, new: str,
                                      expected: str) -> None:
    mapping = example("resultaatbestemming.yaml", old, new)
    [found] = check(mapping)
    assert found.startswith(expected), found


def test_forming_a_reserve_the_plan_has(example: Callable[..., Path],
                                        mutate: Callable[[str, str], Path]) -> None:
    plan = mutate("\nrates:\n", "\nreserves:\n  - {id: br-bdur, name: BR}\n\nrates:\n")
    mapping = example()
    with pytest.raises(BdurError) as err:
        api.realisation(mapping, plan=plan)
    [f] = err.value.findings
    assert (f.code, str(f.location).rsplit("/", 1)[1]) == (
        "duplicate-reserve", "resultaatbestemming.yaml:6:9")


# --- staffing -------------------------------------------------------------------------------

def detail(year: int) -> dict[str, object]:
    [y] = [y for y in api.realisation(MAPPING, year=year, through="2026-10").realisation.years
           if y.goals is not None]
    out: dict[str, object] = {"total": y.total.figures}
    for g in y.goals or []:
        for t in g.children:
            out[t.id] = t.figures
            for line in t.children:
                out[line.id] = line.figures
    return out


def fte(f: object) -> tuple[Decimal, Decimal]:
    return f.fte, f.fte_in_place  # type: ignore[attr-defined]


def test_fte_planned_against_in_place_2023() -> None:
    rows = detail(2023)
    # Six posts of 1 fte from June: 7/12 = 0.58; the two 1.5-fte posts 0.5 x 5 + 1.5 x 7 = 13
    # fte-months = 1.08; external VIK 1.5 x 11 months = 1.375 -> 1.38; external BI 1.
    # Together 6 x 7 + 2 x 13 + 16.5 + 12 = 96.5 fte-months = 8.04 against the memo's 11.5.
    assert fte(rows["total"]) == (D("11.5"), D("8.04"))
    assert fte(rows["juridisch-fte"]) == (1, D("0.58"))
    assert fte(rows["vakbekwaamheid-fte"]) == (D("1.5"), D("1.08"))
    assert fte(rows["vik/staff/incidental"]) == (D("1.5"), D("1.38"))
    assert fte(rows["bi-extern-2023"]) == (1, 1)


def test_fte_planned_against_in_place_2024() -> None:
    rows = detail(2024)
    # The hire ran over: 1.5 fte for six months = 0.75, as the amendment budgeted.
    assert fte(rows["vik/staff/incidental"]) == (D("0.75"), D("0.75"))
    # vik-fte all year, vik-fte-2024 from July: 12 + 6 = 18 fte-months = 1.5 against 2.
    assert fte(rows["vik/staff/structural"]) == (2, D("1.5"))
    # Planned 12 + 0.75; in place: 7 single posts + 2 x 1.5 + 1.5 (VIK) + 0.75 = 12.25.
    assert fte(rows["total"]) == (D("12.75"), D("12.25"))


def test_staffing_in_the_table_json_and_csv() -> None:
    table = bdur("realisation", "2024", "-m", str(MAPPING))
    assert table.exit_code == 0, table.output
    assert " Total   " in table.stdout and "Staffing (fte)" in table.stdout
    line = next(r for r in table.stdout.splitlines() if r.startswith(" Total") and "12.25"
                in r)
    assert line.split()[-3:] == ["12.75", "12.25", "-0.5"]
    data = json.loads(bdur("realisation", "2024", "-m", str(MAPPING),
                           "--format", "json").stdout)
    [y2024] = [y for y in data["years"] if y["year"] == 2024]
    assert (y2024["fte"], y2024["fte_in_place"]) == (12.75, 12.25)
    assert data["reserve"]["years"][1]["closing"] == 183757.02


def test_check_bad_staffing(example: Callable[..., Path]) -> None:
    mapping = example("formatie.yaml", "{line: juridisch-fte, fte: 1, from: 2023-06}",
                   "{line: jurdisch-fte, fte: 1, from: 2022-06}",
                   "{line: data-engineer-fte, fte: 1, from: 2023-06}",
                   "{line: vik-fte, fte: 1, from: 2023-06}",
                   "{line: bi-fte-2024, fte: 1, from: 2024-01}",
                   "{line: vik-middelen, fte: 1, from: 2024-01}")
    assert check(mapping) == [
        "formatie.yaml:7:12 error unknown-line: staffing names line 'jurdisch-fte', which is "
        "not in the plan",
        "formatie.yaml:7:40 error year-outside-horizon: staffing from 2022-06, outside the "
        "plan's horizon 2023-2026",
        "formatie.yaml:15:5 error duplicate-staffing: a second entry for line 'vik-fte' from "
        "2023-06",
        "formatie.yaml:17:12 error not-a-staff-line: line 'vik-middelen' is a means line; fte "
        "in place are for staff lines",
    ]


def test_schemas_accept_the_example_files() -> None:
    import jsonschema
    import yaml

    for option, name in (("--staffing", "formatie.yaml"),
                         ("--appropriations", "resultaatbestemming.yaml")):
        result = bdur("schema", option)
        assert result.exit_code == 0, result.output
        schema = json.loads(result.stdout)
        data = yaml.safe_load((EXAMPLE / name).read_text(encoding="utf-8"))
        # YAML reads dates as dates; the files hold them as text.
        for item in data.get("appropriations", []):
            item["adopted"] = str(item["adopted"])
        jsonschema.validate(data, schema)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**data, "extra": 1}, schema)


def test_check_the_year_end_files_alone() -> None:
    result = bdur("check", str(EXAMPLE / "formatie.yaml"),
                  str(EXAMPLE / "resultaatbestemming.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "bdur check: 2 files, 0 errors, 0 warnings"


# --- the done-when: the four years as the board reads them, from the raw export ------------

def _from_the_raw_export() -> tuple[int, Decimal, dict[int, Decimal]]:
    """Read grootboek.csv with nothing of bdur: the csv module, cp1252, the header below the
    title rows, Dutch amounts. Per year, what is booked on a BDuR project (all but the
    mistyped BDUR-XX and the postings without a project), and the count and total read."""
    import csv

    with (EXAMPLE / "grootboek.csv").open(encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header = rows.index(["Boekdatum", "Boekstuk", "Kostenplaats", "Grootboekrekening",
                         "Project", "Omschrijving", "Debet", "Credit"])

    def amount(text: str) -> Decimal:
        return D(text.replace(".", "").replace(",", ".")) if text else D(0)

    per_year: dict[int, Decimal] = {}
    total = D(0)
    body = rows[header + 1:]
    for day, _, _, _, project, _, debit, credit in body:
        value = amount(debit) - amount(credit)
        total += value
        year = int(day[-4:])
        if project.startswith("BDUR-") and project != "BDUR-XX" and 2023 <= year <= 2026:
            per_year[year] = per_year.get(year, D(0)) + value
    return len(body), total, per_year


def _euro(value: Decimal, signed: bool = False) -> str:
    whole = int(abs(value).quantize(D(1), rounding="ROUND_HALF_UP"))
    sign = "-" if value < 0 and whole else "+" if signed and value > 0 else ""
    return f"{sign}€{whole:,}"


def test_the_board_reads_2023_to_2026_with_the_reserve() -> None:
    import yaml

    count, total, realised = _from_the_raw_export()
    assert (count, total) == (519, D("5794265.43"))  # the reconciliation's "read" line
    # The memo's Table 2: budget per year; amendment 2024-1 adds 0.75 fte x 150,000.
    primitive = {2023: 1685000, 2024: 1505000, 2025: 1605000, 2026: 1605000}
    amended = {**primitive, 2024: 1505000 + 112500}
    funding = {2023: 1407149, 2024: 1650000, 2025: 2150000, 2026: 2400000}
    decisions = yaml.safe_load((EXAMPLE / "resultaatbestemming.yaml").read_text("utf-8"))
    closing, balance = {}, D(0)
    for year in (2023, 2024, 2025, 2026):
        balance += sum((D(str(d["addition"])) for d in decisions["appropriations"]
                        if d["year"] == year), D(0))
        closing[year] = balance
    assert closing == {2023: D("93022.46"), 2024: D("183757.02"), 2025: D("483757.02"),
                       2026: D("483757.02")}
    for year in (2023, 2024, 2025, 2026):
        out = bdur("realisation", str(year), "-m", str(MAPPING), "--through",
                   "2026-10")
        assert out.exit_code == 0, out.output
        lines = out.stdout.splitlines()
        total_row = next(r for r in lines if r.startswith(" Total") and "€" in r).split()
        if year < 2026:
            deviation = realised[year] - amended[year]
            pct = (deviation * 100 / amended[year]).quantize(D("0.1"), "ROUND_HALF_UP")
            # A closed year has nothing left to forecast: realised, no forecast columns.
            assert total_row[1:6] == [_euro(D(primitive[year])), _euro(D(amended[year])),
                                      _euro(realised[year]), _euro(deviation, True),
                                      f"{pct:+}%"]
            result = funding[year] - realised[year]
        else:
            # Two months of the year's budget still to come: 1,605,000 x 2/12 = 267,500.
            forecast = D(1605000) * 2 / 12
            expected = realised[2026] + forecast
            deviation = expected - amended[2026]
            pct = (deviation * 100 / amended[2026]).quantize(D("0.1"), "ROUND_HALF_UP")
            assert total_row[1:8] == [_euro(D(1605000)), _euro(D(1605000)),
                                      _euro(realised[2026]), _euro(forecast), _euro(expected),
                                      _euro(deviation, True), f"{pct:+}%"]
            result = funding[2026] - expected
        # The years 2023 and 2024 are explained as a whole; 2025 and 2026 need none.
        assert (total_row[-2:] == ["explained", "[1]"]) == (year in (2023, 2024))
        result_row = lines[lines.index(f"Result, {year}") + 4].split()
        assert result_row[:3] == [_euro(D(funding[year])), _euro(realised[year] if year < 2026
                                                                 else expected),
                                  _euro(result, True)]
        reserve_row = lines[lines.index(f"Reserve, {year}") + 4].split()
        assert reserve_row[0] == str(year)
        assert reserve_row[4] == _euro(closing[year])
    assert "nothing lost: mapped + unmapped + outside + ambiguous = read" in out.stdout


def test_the_python_api_gives_the_json_of_the_command() -> None:
    from bdur_cli.render.encode import to_json

    cli = bdur("realisation", "2025", "-m", str(MAPPING), "--through",
               "2026-10", "--format", "json")
    assert cli.exit_code == 0, cli.output
    analysis = api.realisation(MAPPING, year=2025, through="2026-10")
    assert to_json(analysis.as_dict()).strip() == cli.stdout.strip()
    reserve = json.loads(cli.stdout)["reserve"]
    assert reserve["reserves"] == [{"id": "br-bdur", "name": "Bestemmingsreserve BDuR "
                                    "crisisbeheersing", "opening": 0,
                                    "formed_by_decision": True}]
    y2025 = reserve["years"][2]
    assert (y2025["result"], y2025["decided"], y2025["not_appropriated"],
            y2025["closing"]) == (549000, 300000, 249000, 483757.02)
    assert y2025["decisions"] == [{
        "year": 2025, "reserve": "br-bdur", "addition": 300000, "withdrawal": 0,
        "adopted": "2026-07-02", "by": "Algemeen Bestuur",
        "note": "Jaarrekening 2025, 300.000 van het resultaat van 549.000; de rest naar de "
                "algemene reserve."}]


def test_the_reserve_in_dutch() -> None:
    out = bdur("realisation", "2025", "-m", str(MAPPING), "--through",
               "2026-10", "--locale", "nl")
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    row = lines[lines.index("Bestemmingsreserve 2025") + 4]
    # The same figures as by hand above, in the Dutch notation.
    assert row.split() == ["2025", "€", "183.757", "€", "300.000", "€", "0", "€", "483.757",
                           "besloten", "2026-07-02", "door", "Algemeen", "Bestuur"]


def test_check_bad_staffing_hints(example: Callable[..., Path]) -> None:
    # The duplicate of vik-fte from 2023-06 (formatie.yaml line 15, entry 11) points at the
    # first one, now on line 8: the 4th entry. The misspelt line gets the near name.
    mapping = example("formatie.yaml", "{line: juridisch-fte, fte: 1, from: 2023-06}",
                      "{line: jurdisch-fte, fte: 1, from: 2023-06}",
                      "{line: data-engineer-fte, fte: 1, from: 2023-06}",
                      "{line: vik-fte, fte: 1, from: 2023-06}")
    data = json.loads(bdur("check", "--format", "json", str(mapping)).stdout)
    hints = {f["code"]: f["hint"] for file in data["files"] for f in file["findings"]}
    assert hints["duplicate-staffing"] == "merge it with entry 4"
    assert "juridisch-fte" in hints["unknown-line"]


def test_staffing_months(example: Callable[..., Path]) -> None:
    # A year is its January, December is a month; month 13, a day and a word are not.
    good = example("formatie.yaml", "{line: bi-fte-2024, fte: 1, from: 2024-01}",
                   "{line: bi-fte-2024, fte: 1, from: 2024}",
                   "{line: vik-fte-2024, fte: 1, from: 2024-07}",
                   "{line: vik-fte-2024, fte: 1, from: 2024-12}")
    assert check(good) == []
    bad = example("formatie.yaml", "{line: bi-fte-2024, fte: 1, from: 2024}",
                  "{line: bi-fte-2024, fte: 1, from: 2024-13}",
                  "{line: vik-fte-2024, fte: 1, from: 2024-12}",
                  "{line: vik-fte-2024, fte: 1, from: 2024-12-01}",
                  "{line: informatiespecialist-fte-2024, fte: 1, from: 2024-01}",
                  "{line: informatiespecialist-fte-2024, fte: 1, from: juni}")
    month = "expected a month as YYYY-MM (2023-06) or a year"
    assert check(bad) == [
        f"formatie.yaml:16:40 error schema: staffing[11].from: {month}, got '2024-12-01'",
        f"formatie.yaml:17:39 error schema: staffing[12].from: {month}, got '2024-13'",
        f"formatie.yaml:18:57 error schema: staffing[13].from: {month}, got 'juni'"]


@pytest.mark.parametrize(("withdrawal", "negative"), [("93022.46", False), ("93022.47", True)])
def test_a_withdrawal_may_empty_the_reserve(example: Callable[..., Path], withdrawal: str,
                                            negative: bool) -> None:
    # 2024: 93,022.46 in the reserve; withdrawing all of it leaves exactly 0, which is no
    # finding; one cent more leaves -0.01.
    mapping = example("resultaatbestemming.yaml", "    addition: 90734.56\n",
                      f"    withdrawal: {withdrawal}\n")
    found = [f for f in check(mapping) if "reserve-negative" in f]
    assert found == ([
        "resultaatbestemming.yaml:18:17 error reserve-negative: the withdrawal from reserve "
        "'br-bdur' in 2024 takes its balance to -€0.01: below zero"] if negative else [])


def hints(mapping: Path) -> dict[str, str | None]:
    result = bdur("check", "--format", "json", str(mapping))
    data = json.loads(result.stdout)
    return {f["code"]: f["hint"] for file in data["files"] for f in file["findings"]}


def test_the_hints_of_bad_decisions(example: Callable[..., Path]) -> None:
    # As test_check_bad_decisions: each finding says what to do. The second decision on 2023
    # is the file's fourth; the first on 2023 for br-bdur is decision 1.
    mapping = example("resultaatbestemming.yaml",
                      "  - year: 2025\n    reserve: br-bdur\n",
                      "  - year: 2025\n    reserve: br-bdr\n",
                      "  - year: 2024\n", "  - year: 2026\n")
    with (mapping.parent / "resultaatbestemming.yaml").open("a", encoding="utf-8") as f:
        f.write("  - {year: 2023, reserve: br-bdur, addition: 1, adopted: 2024-07-04, by: AB}\n")
    found = hints(mapping)
    assert found["year-not-closed"] == "the export must run past the year's end"
    assert found["unknown-reserve"] == "did you mean 'br-bdur'?"
    assert found["duplicate-appropriation"] == "merge it with decision 1"


def test_a_decision_naming_a_reserve_nobody_formed(example: Callable[..., Path]) -> None:
    # Neither the plan nor the file has a reserve: the hint says how to form one.
    mapping = example("resultaatbestemming.yaml",
                      "reserves:\n  - id: br-bdur\n    name: Bestemmingsreserve BDuR "
                      "crisisbeheersing\n    note: Gevormd bij de jaarrekening 2023 (Algemeen "
                      "Bestuur, 4 juli 2024).\n", "")
    assert hints(mapping)["unknown-reserve"] == \
        "form it under 'reserves:' with an id and a name"


def test_forming_a_reserve_the_plan_has_says_to_name_it(
        example: Callable[..., Path], mutate: Callable[[str, str], Path]) -> None:
    plan = mutate("\nrates:\n", "\nreserves:\n  - {id: br-bdur, name: BR}\n\nrates:\n")
    with pytest.raises(BdurError) as err:
        api.realisation(example(), plan=plan)
    [f] = err.value.findings
    assert (f.message, f.hint) == (
        "reserve 'br-bdur' is already in the plan",
        "name the plan's reserve in the decisions; do not form it again")


@pytest.mark.parametrize(("as_of", "flagged"), [("2025-07-02", False), ("2025-07-03", True)])
def test_a_decision_adopted_on_the_as_of_day_counts(example: Callable[..., Path], as_of: str,
                                                    flagged: bool) -> None:
    # The decision on 2024 was adopted on 3 July 2025: as of that day it is taken (and, with
    # 2024 still open through June 2024, left out with a warning); the day before, not yet.
    mapping = example(*EXPORT_COMPLETE)
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--through", "2024-06",
                  "--as-of", as_of)
    assert result.exit_code == 0, result.output
    assert ("decision on 2024 left out: through 2024-06, 2024 is not closed"
            in result.stderr) is flagged


@pytest.mark.parametrize(("adopted", "message"), [
    ("'2 juli 2026'", "adopted: expected a date as YYYY-MM-DD, got '2 juli 2026'"),
    ("2026-7-2", "adopted: expected a date as YYYY-MM-DD, got '2026-7-2'"),
    ("2026-02-30", "adopted: 2026-02-30 is not a date"),
    ("20260702", "adopted: expected a date as YYYY-MM-DD, got '20260702'"),
])
def test_an_adoption_date_is_a_real_day(example: Callable[..., Path], adopted: str,
                                        message: str) -> None:
    mapping = example("resultaatbestemming.yaml", "adopted: 2026-07-02", f"adopted: {adopted}")
    result = bdur("check", "--format", "json", str(mapping))
    [f] = [f for file in json.loads(result.stdout)["files"] for f in file["findings"]
           if f["code"] == "schema"]
    assert (Path(f["path"]).name, f["line"], f["column"]) == ("resultaatbestemming.yaml", 25, 14)
    assert f["message"].endswith(message), f["message"]


def test_an_adoption_date_with_spaces_is_read(example: Callable[..., Path]) -> None:
    mapping = example("resultaatbestemming.yaml", "adopted: 2026-07-02",
                      "adopted: ' 2026-07-02 '")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "json")
    assert result.exit_code == 0, result.output
    statement = json.loads(result.stdout)["reserve"]["years"]
    [decision] = [d for y in statement for d in y.get("decisions", []) if d["year"] == 2025]
    assert decision["adopted"] == "2026-07-02"


@pytest.mark.parametrize(("as_of", "decided_2025"), [("2026-07-01", None),
                                                     ("2026-07-02", D(300000))])
def test_a_decision_counts_from_the_day_it_is_adopted(as_of: str,
                                                      decided_2025: Decimal | None) -> None:
    # The decision on 2025 (300,000 into the reserve) was adopted on 2 July 2026: as of that
    # day it is in the statement, the day before it is not.
    years = statement(through="2026-10", as_of=as_of)
    assert years[2025].decided == decided_2025  # type: ignore[attr-defined]
