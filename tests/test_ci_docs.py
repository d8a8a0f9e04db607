"""docs/ci.md's CI set-ups and bdur diff examples are real: each YAML snippet is parsed and its
commands are run the way that CI would run them, in a temporary repository with a change
(+0.5 fte internal from 2025: +€50,000 in 2025 and 2026); the diff examples are run there too
and their output compared."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from bdur_cli.errors import CODES
from conftest import PLAN, ROOT, SCENARIOS

# The CI snippets of docs/ci.md run in bash in scratch git repositories: slow (`.ci/run`
# runs them as its second step).
pytestmark = pytest.mark.slow

PAGE = ROOT / "docs" / "ci.md"
ANCHOR = "      - id: vik-fte-2024\n"
EXTRA = ("      - id: extra-2025\n        type: structural\n        year: 2025\n"
         "        fte: 0.5\n        rate: internal\n")
SCHEMA = json.loads((ROOT / "tests" / "gitlab-code-quality.schema.json").read_text("utf-8"))
BIN = str(Path(sys.executable).parent)


def block(first_line: str) -> str:
    """The fenced block of docs/ci.md whose first line is `first_line`."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(r"^```[a-z]*\n(" + re.escape(first_line) + r"\n.*?)^```$", text,
                       re.M | re.S)
    assert len(found) == 1, first_line
    return str(found[0])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


def make_repo(tmp_path: Path) -> dict[str, Any]:
    """Two commits: the memo's plan with one scenario, then +0.5 fte from 2025 (with the
    stated totals brought along, so the plan still passes `bdur check`)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GITHUB_ACTIONS",
                        "TF_BUILD")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
                "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org",
                "PATH": f"{BIN}:{os.environ['PATH']}", "NO_COLOR": "1", "COLUMNS": "200"})
    work = tmp_path / "plans"
    (work / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(PLAN, work / "data" / "allocations.yaml")
    shutil.copy(SCENARIOS / "staff-from-june-2023.yaml", work / "data" / "scenarios")

    def git_(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=work, check=True, capture_output=True,
                              text=True, env=env).stdout.strip()

    git_("init", "-q", "-b", "main")
    git_("add", "-A")
    git_("commit", "-q", "-m", "The memo's plan")
    base = git_("rev-parse", "HEAD")
    plan = work / "data" / "allocations.yaml"
    text = plan.read_text(encoding="utf-8").replace(ANCHOR, EXTRA + ANCHOR)
    for year in (2025, 2026):
        text = text.replace(f"  {year}: {{planned: 1605000, fte: 13}}",
                            f"  {year}: {{planned: 1655000, fte: 13.5}}")
    plan.write_text(text, encoding="utf-8")
    git_("commit", "-q", "-am", "Half an fte more for VIK from 2025")
    return {"work": work, "base": base, "env": env}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made = make_repo(tmp_path)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GITHUB_ACTIONS", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(name, made["env"][name])
    return made


def shell(command: str, repo: dict[str, Any], extra: dict[str, str] | None = None,
          shell_args: tuple[str, ...] = ("bash", "-c")) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*shell_args, command], cwd=repo["work"], capture_output=True,
                          text=True, timeout=120, env={**repo["env"], **(extra or {})})


def break_plan(repo: dict[str, Any]) -> None:
    plan = repo["work"] / "data" / "allocations.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("amount: 1650000",
                                                             "amount: 1.650.000"))


# --- bdur diff examples ---------------------------------------------------------------------------

def _example(first: str) -> tuple[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    [body] = re.findall(r"^```(?:text|markdown)\n(\$ " + re.escape(first) + r".*?)^```$",
                        text, re.M | re.S)
    command, _, output = body.partition("\n")
    return command.removeprefix("$ "), output


EXAMPLES = ["bdur diff HEAD~1 --no-scenarios", "bdur diff HEAD~1 --format markdown"]


def _output(command: str, repo: dict[str, Any]) -> str:
    proc = shell(command, repo)
    assert proc.returncode == 0, proc.stderr
    short = git(repo["work"], "rev-parse", "--short=7", "HEAD~1")
    # The page shows a made-up hash; everything else is exactly what bdur prints.
    return proc.stdout.replace(f"({short})", "(1a2b3c4)")


@pytest.mark.parametrize("command", EXAMPLES)
def test_diff_examples(repo: dict[str, Any], command: str) -> None:
    shown, expected = _example(command)
    assert _output(shown, repo) == expected, \
        "docs/ci.md is stale: run `python tests/test_ci_docs.py --update`"


def update() -> None:
    """Rewrite the outputs of the bdur diff examples in docs/ci.md."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp))
        os.environ.update(repo["env"])
        text = PAGE.read_text(encoding="utf-8")
        for command in EXAMPLES:
            shown, expected = _example(command)
            head = f"$ {shown}\n"
            at = text.index(head + expected)
            text = text[:at] + head + _output(shown, repo) + text[at + len(head + expected):]
        PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        sys.exit("usage: python tests/test_ci_docs.py --update")


# --- GitHub Actions ------------------------------------------------------------------------------

def test_github_workflow_snippet_uses_the_action() -> None:
    flow = yaml.safe_load(block("# .github/workflows/plans.yml"))
    [job] = flow["jobs"].values()
    assert job["steps"][0]["uses"].startswith("actions/checkout@")
    step = job["steps"][1]
    assert re.fullmatch(r"[\w-]+/bdur@v[\d.]+", step["uses"])
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(step["with"]) <= set(action["inputs"])
    # The inputs table documents every input with its default.
    page = PAGE.read_text(encoding="utf-8")
    for name, spec in action["inputs"].items():
        assert f"| `{name}` | `{spec['default']}` |" in page


def test_github_manual_workflow_snippet_runs(repo: dict[str, Any]) -> None:
    flow = yaml.safe_load(block("# .github/workflows/plans.yaml"))
    [job] = flow["jobs"].values()
    [check] = [s for s in job["steps"] if s.get("name") == "bdur check"]
    proc = shell(check["run"], repo, {"GITHUB_ACTIONS": "true"},
                 ("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"))
    assert (proc.returncode, proc.stdout) == (0, "")
    break_plan(repo)
    proc = shell(check["run"], repo, {"GITHUB_ACTIONS": "true"},
                 ("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"))
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=data/allocations.yaml,line=26,col=13,")


# --- GitLab --------------------------------------------------------------------------------------

def _gitlab_job() -> dict[str, Any]:
    config = yaml.safe_load(block("# .gitlab-ci.yml"))
    job = config["bdur"]
    assert job["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json",
                                           "junit": "bdur-junit.xml"}
    assert job["artifacts"]["when"] == "always"
    assert job["script"][0].startswith('pip install "bdur @ ')
    return dict(job)


def _run_gitlab(job: dict[str, Any], repo: dict[str, Any], base: str) -> int:
    # The runner runs each line in one shell and stops at the first that fails.
    env = {"CI": "true", "GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    for line in job["script"][1:]:
        proc = shell(line, repo, env, ("sh", "-c"))
        if proc.returncode != 0:
            return proc.returncode
    return 0


def test_gitlab_snippet_runs_in_a_merge_request(repo: dict[str, Any]) -> None:
    job = _gitlab_job()
    assert _run_gitlab(job, repo, repo["base"]) == 0
    work = repo["work"]
    report = json.loads((work / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report == []
    jsonschema.validate(report, SCHEMA)
    suites = ET.parse(work / "bdur-junit.xml").getroot()
    # A case per file and rule: two files.
    assert (suites.get("tests"), suites.get("failures")) == (str(2 * len(CODES)), "0")
    diff = (work / "bdur-diff.md").read_text(encoding="utf-8")
    assert "| 2026 | €2,400,000 | €1,655,000 (+€50,000) | +€745,000 (-€50,000) |" in diff


def test_gitlab_snippet_fails_on_a_broken_plan_and_keeps_the_report(
        repo: dict[str, Any]) -> None:
    job = _gitlab_job()
    break_plan(repo)
    assert _run_gitlab(job, repo, "") == 1
    report = json.loads((repo["work"] / "gl-code-quality-report.json").read_text("utf-8"))
    jsonschema.validate(report, SCHEMA)
    # The plan's problem, once, though the scenario on it reports it too.
    assert [(i["check_name"], i["location"]) for i in report] == [
        ("dutch-number", {"path": "data/allocations.yaml", "lines": {"begin": 26}})]
    assert not (repo["work"] / "bdur-diff.md").exists()  # no merge request: no diff


# --- Azure DevOps --------------------------------------------------------------------------------

def _azure(repo: dict[str, Any], pull_request: bool) -> dict[str, Any]:
    pipeline = yaml.safe_load(block("# azure-pipelines.yml"))
    steps = pipeline["steps"]
    assert steps[0] == {"checkout": "self", "fetchDepth": 0}
    [publish] = [s for s in steps if s.get("task", "").startswith("PublishTestResults@")]
    assert publish["inputs"]["testResultsFormat"] == "JUnit"
    temp = repo["work"].parent / "agent-temp"
    temp.mkdir(exist_ok=True)
    # The pull request's target branch, as the checkout with fetchDepth 0 has it.
    git(repo["work"], "update-ref", "refs/remotes/origin/main", repo["base"])
    env = {"TF_BUILD": "True", "BUILD_REASON": "PullRequest" if pull_request else "Manual",
           "SYSTEM_PULLREQUEST_TARGETBRANCH": "refs/heads/main" if pull_request else ""}
    results: dict[str, Any] = {"temp": temp}
    failed = False
    for step in steps:
        if "script" not in step:
            continue
        name = step["displayName"]
        if name == "Install bdur":
            assert 'pip install "bdur @ ' in step["script"]
            continue
        condition = step.get("condition", "succeeded()")
        if "PullRequest" in condition and not pull_request:
            continue
        if failed and "succeededOrFailed()" not in condition:
            continue
        # Azure replaces $(Macro) before the script runs.
        script = step["script"].replace("$(Agent.TempDirectory)", str(temp))
        proc = shell(script, repo, env, ("bash", "--noprofile", "--norc", "-c"))
        results[name] = proc
        failed = failed or proc.returncode != 0
    results["junit"] = publish["inputs"]["testResultsFiles"].replace("$(Agent.TempDirectory)",
                                                                     str(temp))
    return results


def test_azure_snippet_on_a_pull_request(repo: dict[str, Any]) -> None:
    r = _azure(repo, pull_request=True)
    assert (r["bdur check"].returncode, r["bdur check"].stdout) == (0, "")
    assert ET.parse(r["junit"]).getroot().get("failures") == "0"
    diff = r["bdur diff"]
    assert diff.returncode == 0
    page = r["temp"] / "bdur-diff.md"
    assert diff.stdout == f"##vso[task.uploadsummary]{page}\n"
    assert "| `extra-2025` | vik | added: 0.5 fte internal, structural from 2025 | +€50,000 | " \
           "+€50,000 |" in page.read_text(encoding="utf-8")


def test_azure_snippet_marks_a_broken_plan(repo: dict[str, Any]) -> None:
    break_plan(repo)
    r = _azure(repo, pull_request=False)
    check = r["bdur check"]
    assert check.returncode == 1
    assert check.stdout.startswith(
        "##vso[task.logissue type=error;sourcepath=data/allocations.yaml;linenumber=26;"
        "columnnumber=13;code=dutch-number]funding[2024].amount: '1.650.000'")
    # The plan fails, and so does the scenario on it (its base cannot be read).
    assert ET.parse(r["junit"]).getroot().get("failures") == "2"
    assert "bdur diff" not in r
