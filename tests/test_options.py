"""The options every command shares (`bdur_cli/cli/options.py`): the gap said once and meant
as the JSON adds it up, one YEAR parser with the same hint everywhere, -o refusing a directory
in bdur's words at any path length and terminal width, and the one patch of typer, held to the
typer versions it is known to work with."""

from __future__ import annotations

import importlib.metadata
import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.cli.options import GAP
from conftest import PLAN, ROOT, bdur

NOORDERKUST = ROOT / "examples" / "noorderkust.yaml"
MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"


def _words(text: str) -> str:
    """Text as words, so that a line wrapped anywhere (by rich or in Markdown) still matches."""
    return " ".join(text.replace("│", " ").split())


def _json(*args: str) -> list[dict[str, Decimal]]:
    result = bdur(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    years: list[dict[str, Decimal]] = json.loads(result.stdout, parse_float=Decimal)
    return years


def _gap_by_the_words(year: dict[str, Decimal]) -> Decimal:
    """The gap as GAP's formula says it, evaluated on a year of the JSON: the words are turned
    into the JSON's keys, so a definition that drifts from the arithmetic fails here."""
    formula = GAP.removeprefix("gap = ").split(":", 1)[0]
    assert formula == ("funding - net cost (planned - income) - reserve additions + reserve "
                       "withdrawals")
    expression = (formula.replace("net cost ", "").replace("reserve additions",
                  "reserve_additions").replace("reserve withdrawals", "reserve_withdrawals"))
    value: Decimal = eval(expression, {"__builtins__": {}}, dict(year))  # our own constant
    return value


def test_the_gap_is_said_once_in_the_help_and_the_docs() -> None:
    for command in ("totals", "report"):
        shown = bdur(command, "--help", env={"COLUMNS": "80"}).stdout
        assert _words(GAP) in _words(shown), command
    docs = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert _words(GAP) in _words(docs)
    assert "always funding" not in docs


def test_the_gap_is_what_the_json_adds_up_with_income_and_a_reserve() -> None:
    years = {y["year"]: y for y in _json("totals", "-f", str(NOORDERKUST))}
    # By hand from the example's header: 2024 600,000 - 530,000 - 50,000 added = 20,000;
    # 2025 661,080 - (672,005 - 45,810) = 34,885; 2026 464,902 - (511,141 - 20,000)
    # + 72,000 drawn = 45,761.
    assert {y: v["gap"] for y, v in years.items()} == {2024: 20000, 2025: 34885, 2026: 45761,
                                                      2027: 45761}
    for year in years.values():
        assert year["gap"] == _gap_by_the_words(year), year["year"]
        assert year["net"] == year["planned"] - year["income"]
        # Not funding - planned: income and the reserve are in the gap (2025: 45,810 apart).
    assert years[2025]["gap"] != years[2025]["funding"] - years[2025]["planned"]
    assert years[2024]["gap"] != years[2024]["funding"] - years[2024]["planned"]


def test_without_income_or_reserves_the_gap_is_funding_minus_planned() -> None:
    years = _json("totals", "-f", str(PLAN))
    # The memo's plan: 2023 1,407,149 - 1,685,000 = -277,851; 2024 1,650,000 - 1,505,000.
    assert [y["gap"] for y in years][:2] == [-277851, 145000]
    for year in years:
        assert "income" not in year and "reserve_additions" not in year
        assert year["gap"] == year["funding"] - year["planned"]
        assert year["gap"] == _gap_by_the_words(
            {**year, "income": Decimal(0), "reserve_additions": Decimal(0),
             "reserve_withdrawals": Decimal(0)})


@pytest.mark.parametrize(("args", "command", "needs"), [
    (["totals", "-f", str(PLAN)], "totals", ""),
    (["realisation", "-m", str(MAPPING)], "realisation", " -m MAPPING"),
])
def test_a_span_for_one_year_gets_the_same_hint_everywhere(args: list[str], command: str,
                                                            needs: str) -> None:
    span = bdur(args[0], "2024..2026", *args[1:])
    assert (span.exit_code, span.stdout) == (2, "")
    assert span.stderr == (
        f"error: bdur {command} takes one year or none, not '2024..2026' [usage] (hint: all "
        f"years: bdur {command}{needs}; one year: bdur {command} 2024{needs}; some years as a "
        f"table: bdur report{needs} --years 2024..2026)\n")
    word = bdur(args[0], "twenty", *args[1:])
    assert (word.exit_code, word.stderr) == (
        2, f"error: 'twenty' is not a year [usage] (hint: bdur {command} 2024{needs})\n")
    assert "Input should be" not in span.output + word.output


def test_realisation_takes_one_year() -> None:
    result = bdur("realisation", "2025", "-m", str(MAPPING), "--format", "json")
    assert result.exit_code == 0, result.output
    outside = bdur("realisation", "2031", "-m", str(MAPPING))
    assert (outside.exit_code, outside.stderr) == (
        2, "error: 2031 is outside the plan's horizon 2023-2026 [usage]\n")


@pytest.mark.parametrize("columns", ["40", "200"])
def test_a_directory_as_output_gets_bdurs_one_line_error(tmp_path: Path, columns: str) -> None:
    folder = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 6) / "out"
    folder.mkdir(parents=True)
    assert len(str(folder)) > 150
    for args in (["totals", "-f", str(PLAN)], ["report", "-f", str(PLAN), "--format",
                                               "markdown"], ["schema"]):
        result = bdur(*args, "-o", str(folder), env={"COLUMNS": columns})
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"{folder}: error: is a directory, not a regular file; bdur writes only regular "
            "files [unwritable] (hint: leave out -o (or write -o -) to send the output to "
            "stdout)\n")
    assert list(folder.iterdir()) == []


MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"


@pytest.mark.parametrize("args", [
    ["totals", "-f", "{dir}"], ["report", "-f", "{dir}"], ["chart", "-f", "{dir}"],
    ["check", "-f", "{dir}"], ["compare", "{dir}", str(PLAN)], ["compare", str(PLAN), "{dir}"],
    ["report", "-m", "{dir}"], ["realisation", "-m", "{dir}"],
    ["pack", "-o", "{out}", "--scenario", "{dir}"],
])
def test_a_directory_as_input_gets_bdurs_one_line_error(tmp_path: Path, args: list[str]
                                                        ) -> None:
    # click's own check gave a boxed usage error naming '--file' / '-f'; the loader says
    # what every other unreadable input gets.
    folder = tmp_path / "plans"
    folder.mkdir()
    out = tmp_path / "pack.html"
    result = bdur(*(a.format(dir=folder, out=out) for a in args), env={"COLUMNS": "80"})
    # `bdur check` reports its findings on stdout, like a linter; the others on stderr.
    report, other = (result.stdout, result.stderr) if args[0] == "check" else (
        result.stderr, result.stdout)
    assert result.exit_code == 2
    if args[0] == "check":  # its text folds to COLUMNS like a terminal's: join the lines
        report = report.replace("\n    ", " ")
    assert report.startswith(f"{folder}: error: is a directory, not a file [unreadable]\n")
    assert "╭" not in report + other
    assert other in ("", "bdur check: 1 file, 1 error, 0 warnings\n")
    assert not out.exists()


def test_a_directory_as_the_export_is_not_read(tmp_path: Path) -> None:
    result = bdur("realisation", "-m", str(MAPPING), "--actuals", str(tmp_path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{tmp_path}: error: '{tmp_path.name}' is not named as an export (.csv, .tsv, .xlsx, "
        ".xlsm); it is not read [not-an-export] (hint: save the ledger export as CSV or as an "
        "xlsx workbook)\n")


def test_typer_is_bounded_to_where_the_help_patch_works() -> None:
    """bdur replaces one method of typer (`options.plain_help_types`); a typer outside the
    bound may have moved it. This fails when typer changes under the patch."""
    from typer import core

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "typer>=0.12,<0.30" in pyproject["project"]["dependencies"]
    major, minor = (int(p) for p in importlib.metadata.version("typer").split(".")[:2])
    assert (0, 12) <= (major, minor) < (0, 30)
    for cls in (core.TyperOption, core.TyperArgument):
        assert getattr(cls.display_type_rich, "bdur", False), cls
    shown = {c: _words(bdur(c, "--help", env={"COLUMNS": "200"}).stdout)
             for c in ("check", "diff", "compare", "realisation")}
    assert "files... <file>... Plan files" in shown["check"]
    assert "REV|FILE <text>... A git revision" in shown["diff"]
    assert "OTHER <file>... One or more" in shown["compare"]
    assert "--unmapped List only" in shown["realisation"]  # a flag shows no <bool>
    assert "--help -h Show this message" in shown["check"]
