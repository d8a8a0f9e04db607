"""The composite GitHub action (action.yml) and the workflow that dogfoods it, run as GitHub would:
each `run:` step in bash with the runner's files (GITHUB_STEP_SUMMARY, GITHUB_ENV ...) faked,
in a temporary repository whose pull request adds 0.5 fte internal from 2025 (+€50,000 in
2025 and 2026, worked out by hand)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLAN, ROOT, SCENARIOS

# The action's own bash steps in scratch git repositories, one process tree a test: slow
# (`.ci/run` runs them as its second step).
pytestmark = pytest.mark.slow

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "plans.yml"
ANCHOR = "      - id: vik-fte-2024\n"
EXTRA = ("      - id: extra-2025\n        type: structural\n        year: 2025\n"
         "        fte: 0.5\n        rate: internal\n")
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def action() -> dict[str, Any]:
    return dict(yaml.safe_load(ACTION.read_text(encoding="utf-8")))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A pull request's checkout: the base commit (the memo's plan and a scenario) and the
    head commit (+0.5 fte from 2025); a fake `python` so the install step needs no network,
    with the tested bdur on PATH."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    # A git without the machine's configuration, with a fixed author (CI has no user.name).
    for name, value in {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                        "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
                        "GIT_COMMITTER_NAME": "A",
                        "GIT_COMMITTER_EMAIL": "a@example.org"}.items():
        monkeypatch.setenv(name, value)
    env = dict(os.environ)
    work = tmp_path / "work"
    (work / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(PLAN, work / "data" / "allocations.yaml")
    shutil.copy(SCENARIOS / "staff-from-june-2023.yaml", work / "data" / "scenarios")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "base")
    base = git(work, "rev-parse", "HEAD")
    plan = work / "data" / "allocations.yaml"
    # The change and its stated totals: 1,605,000 + 50,000 planned and 13.5 fte.
    text = plan.read_text(encoding="utf-8").replace(ANCHOR, EXTRA + ANCHOR)
    for year in (2025, 2026):
        old = f"  {year}: {{planned: 1605000, fte: 13}}"
        assert text.count(old) == 1
        text = text.replace(old, f"  {year}: {{planned: 1655000, fte: 13.5}}")
    plan.write_text(text, encoding="utf-8")
    git(work, "commit", "-q", "-am", "head")
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\necho "$@" >> "$RUNNER_TEMP/python-calls"\n')
    (fake / "python").chmod(0o755)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return {"work": work, "base": base, "temp": temp,
            "path": f"{fake}:{Path(sys.executable).parent}:{env['PATH']}"}


def run_action(r: dict[str, Any], inputs: dict[str, str] | None = None,
               event: dict[str, Any] | None = None,
               only: set[str] | None = None) -> dict[str, Any]:
    """Run the action's `run:` steps like the runner: `bash -e -o pipefail`, the step's
    `env:` with its expressions filled in, later steps skipped after a failure unless
    `if: always()`. Returns each step's result and the runner files."""
    spec = action()
    values = {k: v.get("default", "") for k, v in spec["inputs"].items()}
    values.update(inputs or {})
    context = {"github.event.pull_request.base.sha":
               ((event or {}).get("pull_request") or {}).get("base", {}).get("sha", "")}
    temp = r["temp"]
    files = {name: temp / f"{name.lower()}.txt" for name in
             ("GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT")}
    for f in files.values():
        f.write_text("")

    def fill(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return values[expr.removeprefix("inputs.")]
            return str(context[expr])
        return _EXPR.sub(one, text)

    results = []
    failed = False
    for step in spec["runs"]["steps"]:
        if "run" not in step:
            results.append(("uses", step["uses"], None))
            continue
        if (failed and "always()" not in str(step.get("if", ""))) or (
                only is not None and step.get("name") not in only):
            results.append(("skipped", step.get("name"), None))
            continue
        env = {**os.environ, "PATH": r["path"], "GITHUB_ACTIONS": "true", "CI": "true",
               "GITHUB_ACTION_PATH": str(ROOT), "RUNNER_TEMP": str(temp),
               "GITHUB_WORKSPACE": str(r["work"]), "NO_COLOR": "1",
               **{k: str(v) for k, v in files.items()},
               **{k: fill(str(v)) for k, v in step.get("env", {}).items()}}
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=r["work"], env=env, capture_output=True,
                              text=True, timeout=120)
        results.append((step.get("name"), proc.returncode, proc))
        failed = failed or proc.returncode != 0
    return {"steps": results, "summary": files["GITHUB_STEP_SUMMARY"].read_text(),
            "python": (temp / "python-calls").read_text() if (temp / "python-calls").exists()
            else ""}


def step(result: dict[str, Any], name: str) -> subprocess.CompletedProcess[str]:
    [proc] = [p for n, _, p in result["steps"] if n == name]
    return proc  # type: ignore[no-any-return]


# --- the action's declaration --------------------------------------------------------------------

def test_action_declaration() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert set(spec["inputs"]) == {"files", "plan", "strict", "diff", "python-version"}
    assert spec["inputs"]["files"]["default"] == "data/allocations.yaml data/scenarios/*.yaml"
    for s in spec["runs"]["steps"]:
        if "run" in s:
            assert s["shell"] == "bash"
            # Values come in through env:, never pasted into a script (injection).
            assert "${{" not in s["run"], s.get("name")


def test_workflow_dogfoods_the_action_on_this_repository() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(flow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    [job] = flow["jobs"].values()
    uses = [s.get("uses") for s in job["steps"]]
    assert uses == ["actions/checkout@v4", "./"]
    mine = job["steps"][1]["with"]
    # The same files .ci/run checks.
    assert mine["files"] == "data/allocations.yaml data/scenarios/*.yaml"
    assert "bdur check data/allocations.yaml data/scenarios/*.yaml" in \
        (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert (ROOT / mine["plan"]).is_file()


# --- the action, run -----------------------------------------------------------------------------

def test_pull_request_summary_has_totals_and_the_money_diff(runner: dict[str, Any]) -> None:
    result = run_action(runner, event={"pull_request": {"base": {"sha": runner["base"]}}})
    names = [(n, c) for n, c, _ in result["steps"]]
    assert names == [("uses", "actions/setup-python@v5"), ("Install bdur", 0),
                     ("bdur check", 0), ("bdur summary", 0)]
    # Installed from the action's own checkout.
    assert result["python"] == f"-m pip install --disable-pip-version-check --quiet {ROOT}\n"
    check = step(result, "bdur check")
    assert (check.stdout, check.stderr) == ("", "bdur check: 2 files, 0 errors, 0 warnings\n")
    summary = result["summary"]
    assert summary.startswith("## bdur: data/allocations.yaml\n\n| Year | Funding |  | Planned |")
    # The head's totals: 1,605,000 + 50,000 planned in 2025 and 2026.
    assert "| 2026 | €2,400,000 | forecast | €1,655,000 | €0 | €1,655,000 | €1,350,000 | " \
           "€305,000 | 13.5 | +€745,000 | +€1,107,149 |\n" in summary
    short = runner["base"][:7]
    assert f"\n### bdur diff against {runner['base']} ({short})\n" in summary
    assert "| 2026 | €2,400,000 | €1,655,000 (+€50,000) | +€745,000 (-€50,000) | " \
           "+€1,107,149 (-€100,000) |\n" in summary
    assert "| `extra-2025` | vik | added: 0.5 fte internal, structural from 2025 | +€50,000 | " \
           "+€50,000 |\n" in summary
    # The scenario given in `files` is folded under the plan it builds on.
    assert "<summary>data/scenarios/staff-from-june-2023.yaml (scenario: Staff from 1 June " \
           "2023), builds on data/allocations.yaml: cumulative gap 2026 -€100,000</summary>" \
           in summary


def test_push_summary_has_totals_only(runner: dict[str, Any]) -> None:
    result = run_action(runner)
    assert [c for _, c, _ in result["steps"]][1:] == [0, 0, 0]
    assert "bdur diff" not in result["summary"]
    assert "| 2025 | €2,150,000 | forecast | €1,655,000 |" in result["summary"]


def test_a_broken_plan_fails_the_check_and_still_gets_a_summary(runner: dict[str, Any]) -> None:
    plan = runner["work"] / "data" / "allocations.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("amount: 1650000",
                                                             "amount: 1.650.000"))
    result = run_action(runner, {"files": "data/allocations.yaml\ndata/nothing/*.yaml"},
                        event={"pull_request": {"base": {"sha": runner["base"]}}})
    check = step(result, "bdur check")
    assert check.returncode == 1
    assert check.stdout.startswith("::error file=data/allocations.yaml,line=26,col=13,"
                                   "title=dutch-number::funding[2024].amount: '1.650.000'")
    summary = step(result, "bdur summary")
    assert summary.returncode == 0
    assert result["summary"].count("the log of this step says why.") == 2
    assert summary.stderr.startswith("data/allocations.yaml:26:13: error: funding[2024]")


def test_strict_and_no_matching_files(runner: dict[str, Any]) -> None:
    warn = ROOT / "tests" / "examples" / "warning" / "until-past-horizon.yaml"
    shutil.copy(warn, runner["work"] / "data" / "allocations.yaml")
    check = {"bdur check"}
    assert step(run_action(runner, {"strict": "true"}, only=check), "bdur check") \
        .returncode == 1
    assert step(run_action(runner, {"strict": "false"}, only=check), "bdur check") \
        .returncode == 0
    nothing = step(run_action(runner, {"files": "plans/*.yaml"}, only=check), "bdur check")
    assert (nothing.returncode, nothing.stdout) == (
        2, "::error title=bdur::no file matches 'plans/*.yaml'\n")


def test_a_file_name_is_not_a_command(runner: dict[str, Any]) -> None:
    # A hostile input stays a file name: nothing runs, the check reports a missing file.
    result = run_action(runner, {"files": "$(touch pwned).yaml", "plan": "`touch pwned`"})
    assert not (runner["work"] / "pwned").exists()
    assert step(result, "bdur check").returncode == 2


def test_a_shallow_pull_request_checkout_fetches_its_base(runner: dict[str, Any],
                                                          tmp_path: Path) -> None:
    # actions/checkout fetches one commit: the action fetches the base to compare with.
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{runner['work']}",
                    str(checkout)], check=True, capture_output=True)
    assert subprocess.run(["git", "cat-file", "-e", f"{runner['base']}^{{commit}}"],
                          cwd=checkout, capture_output=True).returncode != 0
    result = run_action({**runner, "work": checkout},
                        event={"pull_request": {"base": {"sha": runner["base"]}}})
    assert [c for _, c, _ in result["steps"]][1:] == [0, 0, 0]
    assert "| `extra-2025` | vik | added: 0.5 fte internal, structural from 2025 |" \
        in result["summary"]
    assert "could not compare" not in result["summary"]


def test_diff_false_leaves_the_money_diff_out(runner: dict[str, Any]) -> None:
    result = run_action(runner, {"diff": "false"},
                        event={"pull_request": {"base": {"sha": runner["base"]}}})
    assert "bdur diff" not in result["summary"]
    assert "| 2026 | €2,400,000 | forecast | €1,655,000 |" in result["summary"]


# --- hostile file names (issue 20) -------------------------------------------------------------

#: Broken plans whose names a shell would glob, split or read as an option. Each must be checked
#: (and fail the step) exactly once, as the one file it is.
HOSTILE = ["data/scenarios/[x]evil.yaml", "data/scenarios/a*b.yaml", "data/scenarios/q?.yaml",
           "data/scenarios/with space.yaml", "data/scenarios/new\nline.yaml",
           "data/scenarios/z.yaml\n-o\nREADME.md", "-o README.md.yaml", "--strict.yaml"]


def _annotated(stdout: str) -> list[str]:
    """The files of the dutch-number annotations, as bdur escaped them."""
    return sorted(m.group(1) for m in re.finditer(r"^::error file=(.*?),line=\d+,col=\d+,"
                                                  r"title=dutch-number::", stdout, re.M))


def test_hostile_file_names_are_each_checked_once(runner: dict[str, Any]) -> None:
    work = runner["work"]
    broken = (work / "data" / "allocations.yaml").read_text(encoding="utf-8") \
        .replace("amount: 1650000", "amount: 1.650.000")
    for name in HOSTILE:
        (work / name).write_text(broken, encoding="utf-8")
    readme = work / "README.md"
    readme.write_text("the project's readme\n", encoding="utf-8")
    files = "data/allocations.yaml data/scenarios/*\n-o README.md.yaml\n--strict.yaml"
    result = run_action(runner, {"files": files},
                        event={"pull_request": {"base": {"sha": runner["base"]}}})
    check = step(result, "bdur check")
    assert check.returncode == 1, check.stderr
    # Every broken file is found, each once, under its own (escaped) name; the good plan and
    # scenario are checked too: 2 + 8 files.
    expected = sorted(n.replace("\n", "%0A").replace(",", "%2C") for n in HOSTILE)
    assert _annotated(check.stdout) == expected
    assert check.stderr.endswith("bdur check: 10 files, 8 errors, 0 warnings\n")
    # The list reaches the summary step NUL-separated: no name became an option (-o README.md).
    assert readme.read_text(encoding="utf-8") == "the project's readme\n"
    assert (runner["temp"] / "bdur-files").read_bytes().count(b"\0") == 10
    assert step(result, "bdur summary").returncode == 0


def test_a_glob_match_is_not_expanded_again(runner: dict[str, Any]) -> None:
    # `[x]evil.yaml` is what `*.yaml` matched; as a pattern it would match only xevil.yaml
    # (absent) and vanish. It must be checked and fail the step.
    work = runner["work"]
    name = "data/scenarios/[x]evil.yaml"
    (work / name).write_text("scenario: evil\nbase: ../allocations.yaml\nshift: {}\n",
                             encoding="utf-8")
    check = step(run_action(runner, only={"bdur check"}), "bdur check")
    assert check.returncode != 0
    assert "[x]evil.yaml" in check.stdout + check.stderr


def test_a_plan_named_like_an_option_is_a_file(runner: dict[str, Any]) -> None:
    work = runner["work"]
    shutil.copy(work / "data" / "allocations.yaml", work / "-o")
    result = run_action(runner, {"plan": "-o"}, only={"bdur summary"})
    assert step(result, "bdur summary").returncode == 0
    assert result["summary"].startswith("## bdur: -o\n\n| Year | Funding |")


def test_a_glob_holding_a_space_on_its_own_line_is_one_pattern(runner: dict[str, Any]) -> None:
    # `data/my scenarios/*.yaml` split at its space would be `data/my` (missing) and
    # `scenarios/*.yaml` (nothing): the broken scenario would never be checked.
    work = runner["work"]
    folder = work / "data" / "my scenarios"
    folder.mkdir()
    broken = (work / "data" / "allocations.yaml").read_text(encoding="utf-8") \
        .replace("amount: 1650000", "amount: 1.650.000")
    (folder / "b [1].yaml").write_text(broken, encoding="utf-8")
    result = run_action(runner, {"files": "data/allocations.yaml\ndata/my scenarios/*.yaml"},
                        only={"bdur check"})
    check = step(result, "bdur check")
    assert check.returncode == 1, check.stderr
    assert _annotated(check.stdout) == ["data/my scenarios/b [1].yaml"]
    assert check.stderr.endswith("bdur check: 2 files, 1 error, 0 warnings\n")
    # Two names on one line, one a glob, are still two words.
    result = run_action(runner, {"files": "data/allocations.yaml data/scenarios/*.yaml"},
                        only={"bdur check"})
    assert step(result, "bdur check").returncode == 0
