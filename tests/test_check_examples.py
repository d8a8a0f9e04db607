"""`bdur check` over example files: every bad input gets one clear, located finding.

tests/examples/negative/NAME.yaml is a bad file; NAME.out beside it is the exact text output.
The table below states each file's exit code, finding code, location and message, so a
reader sees what is asserted without opening the files. Regenerate the .out files after a
deliberate change of wording with `BDUR_REGENERATE=1 pytest tests/test_check_examples.py`,
then review the diff.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import ROOT, bdur

EXAMPLES = ROOT / "tests" / "examples"

DUTCH = "uses a Dutch thousands separator or decimal comma; it is not the number you mean"

# name: (exit code, finding code, line, column, message)
NEGATIVE: dict[str, tuple[int, str, int, int, str]] = {
    "dutch-thousands": (1, "dutch-number", 26, 13, f"funding[2024].amount: '100.000' {DUTCH}"),
    "dutch-string": (1, "dutch-number", 30, 13, f"funding[2025].amount: '1.407.149' {DUTCH}"),
    "dutch-decimal-comma": (1, "dutch-number", 34, 13,
                            f"funding[2026].amount: '1.685.000,50' {DUTCH}"),
    "dutch-fte": (1, "dutch-number", 99, 14, "themes[1].lines[0].fte: '1,5' uses a decimal comma"),
    "float-money": (1, "float-money", 216, 17,
                    "themes[6].lines[4].amount: money is whole euros, not a float: '120000.50'"),
    "negative-amount": (1, "out-of-range", 146, 17,
                        "themes[3].lines[1].amount: an amount cannot be negative: -50000"),
    "absurd-amount": (1, "out-of-range", 128, 17,
                      "themes[2].lines[2].amount: 200000000000000 is beyond any plausible amount"),
    "negative-fte": (1, "out-of-range", 190, 14,
                     "themes[6].lines[0].fte: fte must be above 0 and at most 10000, got -1.5"),
    "absurd-fte": (1, "out-of-range", 158, 14,
                   "themes[4].lines[0].fte: fte must be above 0 and at most 10000, got 15000"),
    "misspelt-key": (1, "unknown-key", 27, 5, "unknown key 'statsu'"),
    "missing-key": (1, "missing-key", 12, 3, "missing key 'region'"),
    "tab-indent": (1, "tab-indent", 15, 1, "a tab character in the indentation"),
    "empty-file": (1, "empty-file", 1, 1, "the file is empty"),
    "list-at-top": (1, "not-a-mapping", 1, 1, "the top level is a list; a plan is a mapping "
                    "with plan, funding, rates, goals and themes"),
    "binary": (2, "binary", 3, 1, "this is a binary file, not YAML text"),
    "latin-1": (2, "encoding", 6, 16, "not UTF-8: byte 0xd7 cannot be decoded"),
    "billion-laughs": (1, "alias", 1, 4, "anchors and aliases (&, *) are not supported"),
    "alias": (1, "alias", 41, 13, "anchors and aliases (&, *) are not supported"),
    "deeply-nested": (1, "too-deep", 1, 1006, "the document is nested too deeply"),
    "yaml-syntax": (1, "yaml-syntax", 20, 1,
                    "did not find expected ',' or '}' (while parsing a flow mapping)"),
    "duplicate-key": (1, "duplicate-key", 25, 3,
                      "duplicate key '2023' (first defined on line 21)"),
    "duplicate-id": (1, "duplicate-id", 230, 13, "line id 'vik-fte-2024' is used twice"),
    "unknown-goal": (1, "unknown-goal", 239, 11, "theme 'data-engineer' names goal "
                     "'informatie', which is not in 'goals'"),
    "unknown-rate": (1, "unknown-rate", 191, 15, "line 'vik-extern-2023' names rate "
                     "'externl', which is not in 'rates'"),
    "year-outside-horizon": (1, "year-outside-horizon", 256, 15, "line "
                             "'informatiespecialist-fte-2024' starts in 2027, outside the "
                             "horizon 2023-2026"),
    "funding-missing": (1, "funding-missing", 21, 3, "no funding declared for 2026"),
    "rate-missing": (1, "rate-missing", 42, 14, "rate 'internal' has no amount for 2023"),
    "stated-total-mismatch": (1, "stated-total-mismatch", 266, 19, "2025 planned: the file "
                              "states €1,650,000 but the lines add up to €1,605,000 "
                              "(difference -€45,000)"),
    "structural-not-covered": (1, "structural-not-covered", 22, 13, "2023: structural costs "
                               "€1,200,000 exceed funding €1,100,000 by €100,000"),
    "over-funding": (1, "over-funding", 22, 13, "2023: planned €1,685,000 exceeds funding "
                     "€1,407,149; shortfall €277,851"),
    # The commonest slips of someone new to YAML, in the reader's terms.
    "funding-bare-number": (1, "schema", 25, 9, "funding[2024]: expected a mapping of keys and "
                            "values here, got '1650000'"),
    "horizon-range": (1, "schema", 16, 12, "plan.horizon: expected a mapping of keys and values "
                      "here, got '2023-2026'"),
    "key-indented": (1, "yaml-syntax", 105, 17, "a key indented further than the key above it "
                     "(or a value with ': ' in it) (YAML: mapping values are not allowed in "
                     "this context)"),
    "list-item-short": (1, "yaml-syntax", 102, 6, "this line does not line up with the keys "
                        "above it (YAML: did not find expected key (while parsing a block "
                        "mapping))"),
    "list-item-long": (1, "yaml-syntax", 102, 8, "a list item that does not line up with the "
                       "items before it (YAML: did not find expected '-' indicator (while "
                       "parsing a block collection))"),
    "wrong-word": (1, "schema", 103, 15, "themes[1].lines[1].type: expected 'incidental' or "
                   "'structural', got 'structureel'"),
    # The plan's further keys (docs/plan-format.md): small plans of their own, each with one
    # slip that its first comment names.
    "period-order": (1, "period-order", 23, 62,
                     "line 'interim' ends (2025-03) before it starts (2025-09)"),
    "period-overlap": (1, "period-overlap", 29, 13,
                       "line 'interim': periods 1 and 2 overlap (both include 2025-06)"),
    "bad-month": (1, "bad-month", 23, 48, "themes[0].lines[0].start: expected a month such as "
                  "2024-09, got '2025-09-01'"),
    "phasing-total": (1, "phasing-total", 26, 18, "line 'herziening': the phasing adds up to "
                      "€110,000, not the total €120,000 (difference -€10,000)"),
    "phasing-share": (1, "phasing-share", 26, 18,
                      "line 'herziening': the shares add up to 90%, not 100%"),
    "reserve-negative": (1, "reserve-negative", 16, 25, "2026: reserve 'br-crisis' would go "
                         "below zero: €40,000 + €0 - €50,000 withdrawn = -€10,000"),
    "unknown-reserve": (1, "unknown-reserve", 27, 75, "line 'piket' is covered from reserve "
                        "'br-crises', which is not in 'reserves'"),
    "unknown-source": (1, "unknown-source", 13, 14, "an adjustment names source 'provincie', "
                       "which is not 'bdur' or in 'sources'"),
    "by-year-missing": (1, "by-year-missing", 23, 62, "line 'licentie' starts in 2025 but its "
                        "amount is given from 2026 on"),
    "one-off-month": (1, "one-off-month", 23, 9, "themes[0].lines[0]: an incidental means line "
                      "is a one-off and is never pro-rated; 'start_month' would change its "
                      "amount"),
    "income-both": (1, "schema", 27, 17, "themes[0].lines[0].income: income has either 'share' "
                    "or 'amount', not both"),
    "index-out-of-range": (1, "out-of-range", 14, 18,
                           "prices indexation of -100% for 2026 is not a price change"),
    "by-year-key": (1, "by-year-key", 23, 62,
                    "themes[0].lines[0].amount: '2025/26' is not a year (2000-2100)"),
    "by-year-empty": (1, "by-year-empty", 23, 62, "themes[0].lines[0].amount: an empty by-year "
                      "map"),
}

# name: (finding code, line, column, message): each passes `bdur check`, fails `--strict`.
WARNING: dict[str, tuple[str, int, int, str]] = {
    "until-past-horizon": ("until-past-horizon", 245, 16, "line 'data-engineer-fte' runs until "
                           "2030, past the horizon 2023-2026"),
    "income-exceeds-cost": ("income-exceeds-cost", 27, 17, "line 'oefenmiddelen': Gemeente "
                            "Havenstad pays €30,000 in 2026, more than the line costs "
                            "(€25,000)"),
    "structural-on-reserve": ("structural-on-reserve", 26, 75, "line 'piket' is structural but "
                              "covered from reserve 'br-crisis': a reserve withdrawal is "
                              "incidental income, so this cost is not structurally covered"),
    "index-year": ("index-year", 14, 17, "wages indexation for 2025 is never applied: a "
                   "percentage is the step from the year before, so only 2026 counts"),
}

#: pydantic's and click's own wording, which must never reach a reader.
RAW = ("Input should be", "instance of", "Value error", "validation error", "pydantic",
       "Traceback", "type=", "For further information")


def check(*args: str) -> tuple[int, str, str]:
    result = bdur("check", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the expected output are relative to the repository root.
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_every_negative_example_is_in_the_table() -> None:
    assert sorted(p.stem for p in (EXAMPLES / "negative").glob("*.yaml")) == sorted(NEGATIVE)


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_negative_example(name: str) -> None:
    exit_code, code, line, column, message = NEGATIVE[name]
    rel = f"tests/examples/negative/{name}.yaml"
    started = time.perf_counter()
    got_exit, out, err = check(rel, "--format", "json")
    assert time.perf_counter() - started < 5
    findings = json.loads(out)["files"][0]["findings"]
    errors = [f for f in findings if f["level"] == "error"]
    assert got_exit == exit_code
    # The error the file is about; one slip is one error (a misspelt key is not also missing).
    assert len(errors) == 1, errors
    finding = next(f for f in errors if f["code"] == code)
    assert {k: finding[k] for k in ("path", "line", "column", "message")} == {
        "path": rel, "line": line, "column": column, "message": message}
    assert err.startswith("bdur check: 1 file, ")

    text_exit, text, _ = check(rel)
    assert text_exit == exit_code
    expected = EXAMPLES / "negative" / f"{name}.out"
    if os.environ.get("BDUR_REGENERATE"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    assert text.startswith(f"{rel}:{line}:{column}: error: ") or f"\n{rel}:{line}:{column}: " \
        "error: " in text


POSITIVE = [*sorted((EXAMPLES / "positive").glob("*.yaml")), ROOT / "data" / "allocations.yaml"]


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.name)
def test_positive_example(path: Path) -> None:
    assert check(str(path)) == (0, "", "bdur check: 1 file, 0 errors, 0 warnings\n")


def test_hints_that_tell_how_to_fix() -> None:
    hints = {}
    for name in ("dutch-thousands", "dutch-decimal-comma", "misspelt-key", "tab-indent",
                 "float-money", "latin-1", "funding-bare-number", "horizon-range",
                 "key-indented", "list-item-short", "list-item-long", "wrong-word"):
        _, out, _ = check(f"tests/examples/negative/{name}.yaml", "--format", "json")
        hints[name] = [f["hint"] for f in json.loads(out)["files"][0]["findings"] if f["hint"]]
    assert hints == {
        "dutch-thousands": ["write 100000 (or 100_000); YAML has no thousands separator"],
        "dutch-decimal-comma": ["write 1685000 (or 1_685_000); YAML has no thousands separator"],
        "misspelt-key": ["did you mean 'status'? (it is missing)"],
        "tab-indent": ["indent with spaces only"],
        "float-money": ["write a whole number of euros, e.g. 100000"],
        "latin-1": ["save the file as UTF-8 (for example with 'iconv -f cp1252 -t utf-8', which "
                    "also reads a € saved by Windows)"],
        "funding-bare-number": ["write 2024: {amount: 1650000, status: forecast}"],
        "horizon-range": ["write horizon: {first: 2023, last: 2026}"],
        "key-indented": ["keys of one mapping start in the same column; put quotes around a "
                         "value that contains ': '"],
        "list-item-short": ["keys of one mapping start in the same column, and a list's '- ' "
                            "items too; look at this line and the ones just above it"],
        "list-item-long": ["start every '- ' of one list in the same column"],
        "wrong-word": ["write type: structural"],
    }


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_no_raw_validator_wording_reaches_the_reader(name: str) -> None:
    rel = f"tests/examples/negative/{name}.yaml"
    for args in ([rel], [rel, "--format", "json"], ["--format", "github", rel]):
        _, out, err = check(*args)
        for phrase in RAW:
            assert phrase not in out + err, (name, args, phrase)
    result = bdur("totals", "-f", rel)  # a rule is check's business: may be 0
    for phrase in RAW:
        assert phrase not in result.stdout + result.stderr, (name, phrase)


def test_every_warning_example_is_in_the_table() -> None:
    assert sorted(p.stem for p in (EXAMPLES / "warning").glob("*.yaml")) == sorted(WARNING)


@pytest.mark.parametrize("name", sorted(WARNING))
def test_warning_example(name: str) -> None:
    code, line, column, message = WARNING[name]
    rel = f"tests/examples/warning/{name}.yaml"
    got_exit, out, err = check(rel, "--format", "json")
    assert got_exit == 0
    findings = json.loads(out)["files"][0]["findings"]
    assert [{k: f[k] for k in ("code", "level", "path", "line", "column", "message")}
            for f in findings] == [{"code": code, "level": "warning", "path": rel, "line": line,
                                    "column": column, "message": message}]
    assert err == "bdur check: 1 file, 0 errors, 1 warning\n"
    strict_exit, _, strict_err = check(rel, "--strict")
    assert (strict_exit, strict_err) == (1, "bdur check: 1 file, 0 errors, 1 warning (--strict: "
                                         "warnings fail the check)\n")


def test_warning_passes_unless_strict() -> None:
    rel = "tests/examples/warning/until-past-horizon.yaml"
    code, out, err = check(rel)
    assert code == 0
    assert out == (f"{rel}:245:16: warning: line 'data-engineer-fte' runs until 2030, past the "
                   "horizon 2023-2026 [until-past-horizon]\n"
                   " 245 |         until: 2030\n"
                   "     |                ^\n")
    assert err == "bdur check: 1 file, 0 errors, 1 warning\n"
    assert check(rel, "--strict")[0] == 1


def test_a_50_mb_file_is_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:  # sparse: 50 MB on paper, nothing written
        fh.truncate(50 * 2**20)
    started = time.perf_counter()
    code, out, _ = check(str(big))
    assert time.perf_counter() - started < 1
    assert code == 2
    assert out == (f"{big}: error: file is 50.0 MB; the limit is 32.0 MB [too-large]\n"
                   "  hint: set BDUR_MAX_BYTES (e.g. BDUR_MAX_BYTES=100MB) to allow more\n")


def test_nesting_just_inside_libyaml_limit_is_refused_by_the_schema(tmp_path: Path) -> None:
    # libyaml stops at 1000 levels; just below that the data is built without recursion, and
    # a plan whose 'plan' is a deep list is refused where that list starts.
    path = tmp_path / "deep.yaml"
    path.write_text("plan: " + "[" * 995 + "]" * 995 + "\n")
    code, out, _ = check(str(path), "--format", "json")
    # Findings come in the file's order: the missing top-level keys (at 1:1) before it.
    found = [f for f in json.loads(out)["files"][0]["findings"] if f["code"] == "schema"]
    assert code == 1
    assert [(f["line"], f["column"], f["message"]) for f in found] == [
        (1, 7, "plan: expected a mapping of keys and values here, got a list")]


def test_missing_file_is_a_finding_with_exit_2() -> None:
    code, out, err = check("no-such-plan.yaml")
    assert (code, out) == (2, "no-such-plan.yaml: error: no such file [unreadable]\n")
    assert err == "bdur check: 1 file, 1 error, 0 warnings\n"
