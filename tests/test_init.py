"""`bdur init`: a plan to start from, never over an existing file; and no plan, no run."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import PLAN, installed
from conftest import bdur as in_process


def bdur(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([installed(), *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})


def test_init_then_check_passes(tmp_path: Path) -> None:
    made = bdur("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stderr == ("wrote data/allocations.yaml\nwrote data/bdur.schema.json\n"
                           "next: bdur check && bdur totals\n")
    checked = bdur("check", cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, "")
    assert checked.stderr == "bdur check: 1 file, 0 errors, 0 warnings\n"
    text = (tmp_path / "data" / "allocations.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=bdur.schema.json\n")
    schema = json.loads((tmp_path / "data" / "bdur.schema.json").read_text(encoding="utf-8"))
    assert schema["title"]


def test_the_starting_plan_adds_up(tmp_path: Path) -> None:
    assert bdur("init", cwd=tmp_path).returncode == 0
    out = bdur("totals", "--format", "json", cwd=tmp_path)
    years = {r["year"]: r for r in json.loads(out.stdout)}
    # 2025: staff 1 fte x 100,000 x 9/12 (from April) + 1 fte internal + 1 fte external
    # (150,000, incidental) = 75,000 + 100,000 + 150,000; means 50,000.
    assert (years[2025]["staff"], years[2025]["means"], years[2025]["incidental"]) == (
        325000, 50000, 150000)
    # 2026: 1 + 1 + 0.5 fte internal; means 50,000 + the 40,000 dashboard (incidental).
    assert (years[2026]["staff"], years[2026]["means"], years[2026]["fte"]) == (
        250000, 90000, 2.5)
    assert sorted(years) == [2025, 2026, 2027, 2028]


def test_init_sample_writes_the_memo_plan_in_a_folder(tmp_path: Path) -> None:
    made = bdur("init", "--sample", "region", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stderr.endswith("next: cd region && bdur check && bdur totals\n")
    assert (tmp_path / "region" / "data" / "allocations.yaml").read_bytes() == PLAN.read_bytes()
    out = bdur("totals", "2024", "--format", "json", cwd=tmp_path / "region")
    record = json.loads(out.stdout)
    assert (record["funding"], record["planned"], record["gap"]) == (1650000, 1505000, 145000)


def test_init_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    mine = tmp_path / "data" / "allocations.yaml"
    mine.write_text("my plan\n", encoding="utf-8")
    result = in_process("init")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: data/allocations.yaml already exists; bdur init never overwrites a file (add "
        "--force to replace it, or give another folder: bdur init DIR) [usage]\n")
    assert mine.read_text(encoding="utf-8") == "my plan\n"
    assert not (tmp_path / "data" / "bdur.schema.json").exists()
    result = in_process("init", "--force")
    assert result.exit_code == 0
    assert mine.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_an_existing_schema_is_not_overwritten_either(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bdur.schema.json").write_text("{}", encoding="utf-8")
    result = in_process("init")
    assert result.exit_code == 2 and "data/bdur.schema.json already exists" in result.stderr
    assert not (tmp_path / "data" / "allocations.yaml").exists()


@pytest.mark.parametrize("command", [["totals"], ["totals", "2027"], ["report"], ["chart"],
                                     ["check"]])
def test_no_plan_here_stops_with_guidance(tmp_path: Path, command: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    proc = in_process(*command)
    assert (proc.exit_code, proc.stdout) == (2, "")
    assert proc.stderr.startswith("error: no plan to read: there is no data/allocations.yaml "
                                  "in this folder [no-plan]")
    for advice in ("-f FILE", "`bdur init`", "`bdur init --sample`"):
        assert advice in proc.stderr


def test_plain_bdur_prints_help_and_exits_0() -> None:
    result = in_process()
    assert result.exit_code == 0
    assert "Usage: bdur [OPTIONS] COMMAND" in result.stdout and "init" in result.stdout


@pytest.mark.parametrize("command", ["totals", "compare", "report", "chart", "realisation",
                                     "check", "diff", "schema", "init"])
def test_help_shows_no_python_types(command: str) -> None:
    result = in_process(command, "--help", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for python in ("<bool>", "<list[", "Path]", "<str>", "<Path>"):
        assert python not in result.stdout, (command, python)


def test_choices_ignore_case_and_a_wrong_one_reads_plainly() -> None:
    upper = in_process("totals", "2024", "-f", str(PLAN), "--locale", "NL",
                       "--format", "JSON")
    assert upper.exit_code == 0 and '"planned": 1505000' in upper.stdout
    wrong = in_process("totals", "-f", str(PLAN), "--locale", "de",
                       env={"COLUMNS": "200"})
    assert wrong.exit_code == 2
    assert "'de' is not one of 'en', 'nl'." in wrong.stderr
    assert "Value error" not in wrong.stderr


def test_a_span_given_to_totals_points_at_report() -> None:
    result = in_process("totals", "2024..2026", "-f", str(PLAN))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: bdur totals takes one year or none, not '2024..2026' [usage] (hint: all years: "
        "bdur totals; one year: bdur totals 2024; some years as a table: bdur report --years "
        "2024..2026)\n")
