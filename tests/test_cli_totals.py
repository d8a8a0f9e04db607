"""`bdur totals` in-process (CliRunner) and as the installed program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PLAN, ROOT, bdur, installed

EXPECTED_2024 = {"year": 2024, "funding": 1650000, "planned": 1505000, "incidental": 0,
                 "structural": 1505000, "staff": 1200000, "means": 305000, "fte": 12,
                 "gap": 145000, "cumulative_gap": -132851}


def run(*args: str) -> tuple[int, str, str]:
    result = bdur(*args)
    return result.exit_code, result.stdout, result.stderr


def test_totals_2024_json_is_the_contract() -> None:
    code, out, err = run("totals", "2024", "--format", "json", "-f", str(PLAN))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {k: data[k] for k in EXPECTED_2024} == EXPECTED_2024
    assert list(data)[:len(EXPECTED_2024)] == list(EXPECTED_2024)


def test_totals_json_lists_every_year() -> None:
    _, out, _ = run("totals", "--format", "json", "-f", str(PLAN))
    data = json.loads(out)
    assert [(d["year"], d["planned"], d["gap"], d["fte"]) for d in data] == [
        (2023, 1685000, -277851, 11.5), (2024, 1505000, 145000, 12),
        (2025, 1605000, 545000, 13), (2026, 1605000, 795000, 13)]
    assert '"fte": 11.5,' in out  # exact decimal text, not a float artefact


def test_totals_table_shows_planned_funding_and_gap() -> None:
    code, out, _ = run("totals", "2024", "-f", str(PLAN))
    assert code == 0
    assert "Funding (forecast)        €1,650,000" in out
    assert "Planned                   €1,505,000" in out
    assert "Gap (funding - planned)    +€145,000" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_totals_table_all_years() -> None:
    code, out, _ = run("totals", "-f", str(PLAN))
    assert code == 0
    assert " 2023   €1,407,149   granted    €1,685,000     €485,000   €1,200,000" in out
    assert "-€277,851" in out and "+€1,207,149" in out


def test_totals_csv() -> None:
    _, out, _ = run("totals", "--format", "csv", "-f", str(PLAN))
    assert out.splitlines()[:2] == [
        "year,funding,planned,incidental,structural,staff,means,fte,gap,cumulative_gap,"
        "funding_status",
        "2023,1407149,1685000,485000,1200000,1275000,410000,11.5,-277851,-277851,granted"]


def test_year_outside_horizon_exits_2() -> None:
    code, out, err = run("totals", "2030", "-f", str(PLAN))
    assert (code, out) == (2, "")
    assert err == f"error: 2030 is outside the horizon 2023-2026 of {PLAN} [usage]\n"


def test_broken_file_one_located_line_exit_1(mutate: Callable[[str, str], Path]) -> None:
    path = mutate("amount: 2150000", "amount: 2.150.000")
    code, out, err = run("totals", "-f", str(path))
    assert (code, out) == (1, "")
    assert err == (f"{path}:30:13: error: funding[2025].amount: '2.150.000' uses a Dutch "
                   "thousands separator or decimal comma; it is not the number you mean "
                   "[dutch-number] (hint: write 2150000 (or 2_150_000); YAML has no thousands "
                   "separator)\n")


def test_missing_file_exits_2() -> None:
    code, _, err = run("totals", "-f", "no-such.yaml")
    assert code == 2
    assert err == "no-such.yaml: error: no such file [unreadable]\n"


def test_no_plan_no_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never the memo's sample behind the user's back: say how to get a plan instead.
    monkeypatch.chdir(tmp_path)
    code, out, err = run("totals", "2024")
    assert (code, out) == (2, "")
    assert err == ("error: no plan to read: there is no data/allocations.yaml in this folder "
                   "[no-plan] (hint: point at a plan with -f FILE, start one with `bdur init`, "
                   "or try the memo's sample with `bdur init --sample`)\n")


def test_default_file_prefers_local_data(tmp_path: Path, plan_text: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "allocations.yaml").write_text(
        plan_text.replace("amount: 1650000", "amount: 1700000"))
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("totals", "2024", "--format", "json")
    assert json.loads(out)["funding"] == 1700000


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("bdur ")
    code, out, _ = run("totals", "--help")
    assert code == 0 and "bdur totals 2024" in out



def test_installed_program_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([installed(), "totals", "2024", "-f", str(PLAN), "--format", "json"],
                          cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert {k: json.loads(proc.stdout)[k] for k in EXPECTED_2024} == EXPECTED_2024
    proc = subprocess.run([installed(), "totals", "2031"], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("error: 2031 is outside the horizon 2023-2026 of "
                                   "data/allocations.yaml [usage]")


def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bdur_cli", "totals", "2023", "-f", str(PLAN),
                           "--format", "csv"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[1].startswith("2023,1407149,1685000,485000,")


def test_closed_pipe_exits_0_quietly() -> None:
    """`bdur totals | true` under `set -o pipefail` must not fail the step."""
    proc = subprocess.Popen([installed(), "totals", "-f", str(PLAN)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before bdur writes
    err = proc.stderr.read().decode()
    assert (proc.wait(timeout=60), err) == (0, "")


def test_bad_environment_values_fall_back(tmp_path: Path) -> None:
    env = {**os.environ, "BDUR_MAX_BYTES": "32MB", "COLUMNS": "abc"}
    proc = subprocess.run([installed(), "totals", "2024", "--format", "csv", "-f", str(PLAN)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines()[1].startswith("2024,1650000,1505000,")
