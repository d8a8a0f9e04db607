"""Never blank: a posting two rules match is listed (with both rules and the plan lines they
would book it on), not booked, and the report is still printed with exit 1; two rules that
book on the same line are no conflict; `first_match: true` resolves overlaps on purpose.

The jurist's postings (project BDUR-JUR, account 4000) are the ones a second rule overlaps:
their count and total are read from the export here by plain text, not by bdur.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from conftest import REALISATION, ROOT, bdur

PLAN = str(ROOT / "data" / "allocations.yaml")
JURIST = "  - {line: juridisch-fte, project: BDUR-JUR}\n"


def _jurist() -> tuple[int, Decimal]:
    """Count and total of the BDUR-JUR postings, from the CSV's Debet/Credit columns."""
    count, total = 0, Decimal(0)
    for row in (REALISATION / "grootboek.csv").read_text(encoding="cp1252").splitlines():
        cells = row.split(";")
        if len(cells) == 8 and cells[4] == "BDUR-JUR":
            def num(text: str) -> Decimal:
                return Decimal(text.replace(".", "").replace(",", ".")) if text else \
                    Decimal(0)
            count += 1
            total += num(cells[6]) - num(cells[7])
    return count, total


def _overlap(example: Callable[..., Path], target: str, head: str = "") -> Path:
    mapping = example("mapping.yaml", JURIST,
                      JURIST + f"  - {{line: {target}, project: BDUR-JUR, account: 4000}}\n")
    if head:
        text = mapping.read_text(encoding="utf-8")
        mapping.write_text(text.replace("rules:\n", head + "rules:\n", 1), encoding="utf-8")
    return mapping


def test_an_ambiguous_posting_is_listed_and_the_report_printed(
        example: Callable[..., Path]) -> None:
    mapping = _overlap(example, "netwerkmanagement-fte")
    count, total = _jurist()
    assert count == 41
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout, parse_float=Decimal)
    rec = data["reconciliation"]
    assert (rec["ambiguous"]["postings"], rec["ambiguous"]["total"]) == (count, total)
    assert rec["balanced"] is True
    assert len(data["ambiguous"]) == count
    first = data["ambiguous"][0]
    assert (first["date"], first["amount"], first["project"]) == ("2023-06-16", 8500, "BDUR-JUR")
    assert first["rules"] == [
        {"rule": 11, "books_on": "line 'juridisch-fte'", "lines": ["juridisch-fte"]},
        {"rule": 12, "books_on": "line 'netwerkmanagement-fte'",
         "lines": ["netwerkmanagement-fte"]}]
    # Not booked: the jurist's line realises nothing.
    year_2023 = json.loads(bdur("realisation", "2023", "-m", str(mapping), "-f", PLAN,
                                "--format", "json").stdout, parse_float=Decimal)
    lines = {r["id"]: r for y in year_2023["years"] for g in y.get("goals") or ()
             for t in g["themes"] for r in t.get("lines", ())}
    assert lines["juridisch-fte"]["realised"] == 0
    table = bdur("realisation", "-m", str(mapping), "-f", PLAN, env={"COLUMNS": "160"})
    assert table.exit_code == 1
    out = table.stdout.splitlines()
    assert any(row.split() == ["ambiguous", "(two", "rules)", "41", f"€{total:,.2f}"]
               for row in out)
    listed = out[out.index("Ambiguous postings (not booked)"):]
    assert sum("11: juridisch-fte; 12: netwerkmanagement-fte" in row for row in listed) == 41
    csv = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "csv")
    assert csv.exit_code == 1
    assert csv.stdout.startswith("year,status,level,")
    assert f"+ 41 ambiguous (€{total:,.2f})" in csv.stderr
    report = bdur("report", "-m", str(mapping), "-f", PLAN)
    assert report.exit_code == 1
    assert "2026" in report.stdout
    assert "[ambiguous-posting]" in report.stderr
    pack = bdur("pack", "-m", str(mapping), "-f", PLAN, "-o", str(mapping.parent / "p.html"))
    assert pack.exit_code == 1
    assert (mapping.parent / "p.html").stat().st_size > 10_000


def test_a_theme_rule_in_an_ambiguity_names_its_lines(example: Callable[..., Path]) -> None:
    mapping = example("mapping.yaml", JURIST, JURIST + "  - {theme: vik, kind: staff, type: "
                      "structural, project: BDUR-JUR, account: 4000}\n")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "json")
    assert result.exit_code == 1
    rules = json.loads(result.stdout)["ambiguous"][0]["rules"]
    assert rules[1]["books_on"] == "theme 'vik' (staff, structural)"
    # data/allocations.yaml: the theme's structural staff lines
    assert rules[1]["lines"] == ["vik-fte", "vik-fte-2024"]
    assert result.stderr.splitlines()[0].endswith(
        "rule 12 (line 44: theme 'vik' (staff, structural), lines vik-fte, vik-fte-2024); it is "
        "not booked [ambiguous-posting] (hint: make the rules exclusive, e.g. by account or "
        "project, or order them and set 'first_match: true' in the mapping)")


def test_two_rules_on_the_same_line_are_no_conflict(example: Callable[..., Path]) -> None:
    before = json.loads(bdur("realisation", "-m", str(example()), "-f", PLAN, "--format",
                             "json").stdout)
    mapping = _overlap(example, "juridisch-fte")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "json")
    assert result.exit_code == 0, result.stderr
    after = json.loads(result.stdout)
    assert after["reconciliation"]["ambiguous"]["postings"] == 0
    assert [y["realised"] for y in after["years"]] == [y["realised"] for y in before["years"]]
    assert "rule-unused" not in result.stderr


def test_first_match_books_by_the_first_rule_with_a_warning(
        example: Callable[..., Path]) -> None:
    before = json.loads(bdur("realisation", "-m", str(example()), "-f", PLAN, "--format",
                             "json").stdout)
    mapping = _overlap(example, "netwerkmanagement-fte", "first_match: true\n")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN, "--format", "json")
    assert result.exit_code == 0, result.stderr
    after = json.loads(result.stdout)
    assert after["reconciliation"]["ambiguous"]["postings"] == 0
    assert [y["realised"] for y in after["years"]] == [y["realised"] for y in before["years"]]
    assert "warning: 41 postings match rule 11 (line 44: line 'juridisch-fte') and rule 12 " \
        "(line 45: line 'netwerkmanagement-fte'); rule 11 books them (first_match) " \
        "[overlapping-rules]" in result.stderr


def test_a_funding_rule_names_a_known_source_and_nothing_else(
        example: Callable[..., Path]) -> None:
    mapping = example("mapping.yaml", JURIST, JURIST + "  - {funding: rijk, account: 8000}\n")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{mapping}:44:15: error: rule 12 names funding source "
                                    "'rijk', which is not in the plan [unknown-source]")
    mapping = example("mapping.yaml", "  - {funding: rijk, account: 8000}\n",
                      "  - {funding: bdur, line: juridisch-fte, account: 8000}\n")
    result = bdur("realisation", "-m", str(mapping), "-f", PLAN)
    assert result.exit_code == 1
    assert "a funding rule names only its source and conditions, not a line, theme or " \
        "'book'" in result.stderr


def test_first_match_books_on_the_first_rules_line(example: Callable[..., Path]) -> None:
    # The jurist's 41 postings match rule 11 (juridisch-fte) and rule 12
    # (netwerkmanagement-fte); with first_match rule 11 books them: juridisch-fte realises
    # their total in 2023 and netwerkmanagement-fte what it realised without rule 12.
    def lines_2023(mapping: Path) -> dict[str, Decimal]:
        data = json.loads(bdur("realisation", "2023", "-m", str(mapping), "-f", PLAN,
                               "--format", "json").stdout, parse_float=Decimal)
        return {r["id"]: Decimal(str(r["realised"])) for y in data["years"]
                for g in y.get("goals") or () for t in g["themes"] for r in t.get("lines", ())}

    before = lines_2023(example())
    jurist_2023 = Decimal(0)
    for row in (REALISATION / "grootboek.csv").read_text(encoding="cp1252").splitlines():
        cells = row.split(";")
        if len(cells) == 8 and cells[4] == "BDUR-JUR" and cells[0].endswith("-2023"):
            debit, credit = (Decimal(c.replace(".", "").replace(",", ".")) if c else
                             Decimal(0) for c in cells[6:8])
            jurist_2023 += debit - credit
    after = lines_2023(_overlap(example, "netwerkmanagement-fte", "first_match: true\n"))
    assert after["juridisch-fte"] == before["juridisch-fte"] == jurist_2023
    assert after["netwerkmanagement-fte"] == before["netwerkmanagement-fte"]


def test_twenty_ambiguous_postings_are_located_the_rest_counted(
        example: Callable[..., Path]) -> None:
    result = bdur("realisation", "-m", str(_overlap(example, "netwerkmanagement-fte")), "-f",
                  PLAN, "--format", "json")
    located = [row for row in result.stderr.splitlines()
               if "; it is not booked [ambiguous-posting]" in row]
    assert len(located) == 20  # MAX_ROW_FINDINGS of the 41
    assert "21 more postings like this (41 in all) [ambiguous-posting]" in result.stderr
