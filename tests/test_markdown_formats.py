"""`--format markdown` for totals and compare: pipe tables for a job summary or a memo. Figures
are the memo's Table 2 (1,685,000 planned in 2023 against the granted 1,407,149, and so on)."""

from __future__ import annotations

from conftest import PLAN, SCENARIOS, bdur


def run(*args: str) -> str:
    result = bdur(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_totals_markdown() -> None:
    assert run("totals", "-f", str(PLAN), "--format", "markdown") == """\
| Year | Funding |  | Planned | Incidental | Structural | Staff | Means | fte | Gap | Cumulative gap |
|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|
| 2023 | €1,407,149 | granted | €1,685,000 | €485,000 | €1,200,000 | €1,275,000 | €410,000 | 11.5 | -€277,851 | -€277,851 |
| 2024 | €1,650,000 | forecast | €1,505,000 | €0 | €1,505,000 | €1,200,000 | €305,000 | 12 | +€145,000 | -€132,851 |
| 2025 | €2,150,000 | forecast | €1,605,000 | €0 | €1,605,000 | €1,300,000 | €305,000 | 13 | +€545,000 | +€412,149 |
| 2026 | €2,400,000 | forecast | €1,605,000 | €0 | €1,605,000 | €1,300,000 | €305,000 | 13 | +€795,000 | +€1,207,149 |
"""  # noqa: E501


def test_totals_markdown_of_one_year_has_its_goals() -> None:
    out = run("totals", "2024", "-f", str(PLAN), "--format", "markdown")
    assert out.startswith("| Year | Funding |")
    assert "| 2024 | €1,650,000 | forecast | €1,505,000 |" in out
    assert "| Goal / theme | Planned | Incidental | Structural | Staff | Means | fte |" in out
    assert "| BI-specialist | €100,000 | €0 | €100,000 | €100,000 | €0 | 1 |" in out


def test_totals_markdown_in_thousands_says_so() -> None:
    out = run("totals", "-f", str(PLAN), "--format", "markdown", "--unit", "thousand")
    assert "| 2023 | €1,407 | granted | €1,685 |" in out
    assert out.endswith("| +€1,207 |\n\namounts x €1,000\n")


def test_compare_markdown() -> None:
    out = run("compare", str(PLAN), str(SCENARIOS / "bdur-cut-2026.yaml"), "--format",
              "markdown", "--explain")
    # The 10% cut of 2,400,000 in 2026 is -240,000 of funding; no line differs.
    assert "| 2026 | allocations | €2,400,000 | forecast | €1,605,000 | 13 | +€795,000 |  |  |  " \
           "|  |\n" in out
    assert "|  | bdur-cut-2026 | €2,160,000 | forecast | €1,605,000 | 13 | +€555,000 | -€240,000 " \
           "| €0 | -€240,000 | 0 |\n" in out
    assert out.endswith("Lines that differ: bdur-cut-2026 against allocations\n\n"
                        "(no line differs; any difference is in funding)\n")
