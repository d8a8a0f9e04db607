"""`bdur check --format gitlab|junit|azure`: the reports GitLab, any JUnit-reading CI and Azure
DevOps show, checked against GitLab's documented format, a JUnit XML parser and Azure's
escaping rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from bdur_cli.errors import CODES, Finding, Location
from bdur_cli.plan.pipeline import Checked
from bdur_cli.render.findings import CheckFormat, render
from conftest import PLAN, ROOT, bdur, installed

GITLAB_SCHEMA = json.loads((Path(__file__).parent / "gitlab-code-quality.schema.json")
                           .read_text(encoding="utf-8"))
DUTCH = ("amount: 1650000", "amount: 1.650.000")  # line 26, column 13 of the shipped plan
WARNING = ROOT / "tests" / "examples" / "warning" / "until-past-horizon.yaml"


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("TF_BUILD", raising=False)


def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = bdur("check", *args, env=env)
    return result.exit_code, result.stdout, result.stderr


# --- GitLab Code Quality -----------------------------------------------------------------------

def test_gitlab_report_follows_the_documented_format(mutate: Callable[[str, str], Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bad = mutate(*DUTCH)
    monkeypatch.chdir(bad.parent)
    code, out, err = check("plan.yaml", "--format", "gitlab")
    assert code == 1
    assert err == "bdur check: 1 file, 1 error, 0 warnings\n"
    report = json.loads(out)
    jsonschema.validate(report, GITLAB_SCHEMA)
    [issue] = report
    assert issue["check_name"] == "dutch-number"
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "plan.yaml", "lines": {"begin": 26}}
    assert issue["description"] == (
        "funding[2024].amount: '1.650.000' uses a Dutch thousands separator or decimal comma; "
        "it is not the number you mean (hint: write 1650000 (or 1_650_000); YAML has no "
        "thousands separator)")
    assert re.fullmatch("[0-9a-f]{64}", issue["fingerprint"])


def test_gitlab_report_without_findings_is_an_empty_array() -> None:
    code, out, _ = check(str(PLAN), "--format", "gitlab")
    assert (code, out) == (0, "[]\n")


def test_gitlab_paths_are_relative_to_the_project(mutate: Callable[[str, str], Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bad = mutate(*DUTCH)
    monkeypatch.chdir(bad.parent.parent)
    for given in (str(bad), f"./{bad.parent.name}/plan.yaml"):
        report = json.loads(check(given, "--format", "gitlab")[1])
        assert report[0]["location"]["path"] == f"{bad.parent.name}/plan.yaml"
        jsonschema.validate(report, GITLAB_SCHEMA)


def test_gitlab_fingerprints_are_stable_and_unique(tmp_path: Path, plan_text: str) -> None:
    # Two equal findings in one file, and a warning: every fingerprint differs.
    text = plan_text.replace(*DUTCH).replace("amount: 2150000", "amount: 2.150.000")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    shutil.copy(WARNING, tmp_path / "w.yaml")

    def run() -> list[dict[str, object]]:
        proc = subprocess.run([installed(), "check", "a.yaml", "w.yaml", "--format", "gitlab"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        return list(json.loads(proc.stdout))

    first, second = run(), run()
    assert first == second  # the same on every run
    jsonschema.validate(first, GITLAB_SCHEMA)
    prints = [i["fingerprint"] for i in first]
    assert len(prints) == len(set(prints)) == 2 + 1
    assert [i["severity"] for i in first] == ["major", "major", "minor"]
    # A line added above a finding moves it, but it stays the same issue for GitLab.
    (tmp_path / "a.yaml").write_text("# a new first line\n" + text, encoding="utf-8")
    moved = run()
    assert [i["fingerprint"] for i in moved] == prints
    assert [i["location"]["lines"]["begin"] for i in moved[:2]] == [27, 31]  # type: ignore[index]


def test_gitlab_file_level_finding_is_on_line_1(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = check("missing.yaml", "--format", "gitlab")
    assert code == 2
    report = json.loads(out)
    jsonschema.validate(report, GITLAB_SCHEMA)
    assert report[0]["location"] == {"path": "missing.yaml", "lines": {"begin": 1}}
    assert report[0]["check_name"] == "unreadable"


def test_gitlab_reports_a_plan_problem_once_with_its_scenario(
        tmp_path: Path, plan_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "allocations.yaml").write_text(plan_text.replace(*DUTCH), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("scenario: {name: S}\nbase: allocations.yaml\n",
                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = json.loads(check("allocations.yaml", "s.yaml", "--format", "gitlab")[1])
    assert [(i["location"]["path"], i["check_name"]) for i in report] == [
        ("allocations.yaml", "dutch-number")]


# --- JUnit XML ---------------------------------------------------------------------------------

def test_junit_has_a_case_per_file_and_rule(mutate: Callable[[str, str], Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bad = mutate(*DUTCH)
    monkeypatch.chdir(bad.parent)
    shutil.copy(PLAN, "good.yaml")
    code, out, _ = check("plan.yaml", "good.yaml", "--format", "junit")
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (
        str(2 * len(CODES)), "1", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["plan.yaml", "good.yaml"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == list(CODES)
        assert suite.get("tests") == str(len(cases))
        assert {c.get("classname") for c in cases} == {suite.get("name")}
    [failed] = [c for c in suites[0] if c.find("failure") is not None]
    failure = failed.find("failure")
    assert failure is not None
    assert failed.get("name") == "dutch-number"
    assert failure.get("type") == "dutch-number"
    assert failure.get("message") == (
        "plan.yaml:26:13: funding[2024].amount: '1.650.000' uses a Dutch thousands separator "
        "or decimal comma; it is not the number you mean")
    assert failure.text == (
        "plan.yaml:26:13: funding[2024].amount: '1.650.000' uses a Dutch thousands separator "
        "or decimal comma; it is not the number you mean [dutch-number] (error)\n"
        "  hint: write 1650000 (or 1_650_000); YAML has no thousands separator\n")
    assert suites[1].get("failures") == "0"
    assert all(len(c) == 0 for c in suites[1])


def test_junit_warnings_fail_only_with_strict(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(WARNING, tmp_path / "w.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, _ = check("w.yaml", "--format", "junit")
    case = ET.fromstring(out).find("testsuite/testcase[@name='until-past-horizon']")
    assert code == 0 and case is not None
    assert case.find("failure") is None
    out_text = case.findtext("system-out")
    assert out_text is not None and "[until-past-horizon] (warning)" in out_text
    code, out, _ = check("w.yaml", "--format", "junit", "--strict")
    root = ET.fromstring(out)
    assert code == 1 and root.get("failures") == "1"
    assert root.find("testsuite/testcase[@name='until-past-horizon']/failure") is not None


def test_junit_unreadable_file_is_an_error_not_a_failure(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = check("missing.yaml", "--format", "junit")
    root = ET.fromstring(out)
    assert code == 2
    assert (root.get("failures"), root.get("errors")) == ("0", "1")
    error = root.find("testsuite/testcase[@name='unreadable']/error")
    assert error is not None and error.get("message") == "missing.yaml: no such file"


def test_junit_escapes_what_xml_cannot_hold() -> None:
    nasty = 'a <b> & "c" ]]> d'
    out = render([Checked("p<&>.yaml", [Finding("schema", nasty, location=Location(
        "p<&>.yaml", 2, 3))], 1)], CheckFormat.junit)
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None and suite.get("name") == "p<&>.yaml"
    failure = suite.find("testcase[@name='schema']/failure")
    assert failure is not None and failure.get("message") == f"p<&>.yaml:2:3: {nasty}"


# --- Azure DevOps ------------------------------------------------------------------------------

def test_azure_logging_commands_under_tf_build(mutate: Callable[[str, str], Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bad = mutate(*DUTCH)
    monkeypatch.chdir(bad.parent)
    code, out, err = check("plan.yaml", env={"TF_BUILD": "True"})
    assert code == 1
    assert out == (
        "##vso[task.logissue type=error;sourcepath=plan.yaml;linenumber=26;columnnumber=13;"
        "code=dutch-number]funding[2024].amount: '1.650.000' uses a Dutch thousands separator "
        "or decimal comma; it is not the number you mean%0Ahint: write 1650000 (or "
        "1_650_000); YAML has no thousands separator\n")
    assert err == "bdur check: 1 file, 1 error, 0 warnings\n"
    # An explicit --format wins; GitHub's variable wins over Azure's (a runner sets one).
    assert check("plan.yaml", "--format", "text", env={"TF_BUILD": "True"})[1].startswith(
        "plan.yaml:26:13: error:")
    assert check("plan.yaml", env={"TF_BUILD": "True", "GITHUB_ACTIONS": "true"})[1] \
        .startswith("::error ")


def test_azure_escaping() -> None:
    finding = Finding("over-funding", "100% over; see [memo]\r\nline two", level="warning",
                      location=Location("plans/a;b].yaml", 4, 7))
    out = render([Checked("plans/a;b].yaml", [finding], 0)], CheckFormat.azure)
    assert out == ("##vso[task.logissue type=warning;sourcepath=plans/a%3Bb%5D.yaml;"
                   "linenumber=4;columnnumber=7;code=over-funding]"
                   "100%AZP25 over; see [memo]%0D%0Aline two\n")
    whole = render([Checked("x.yaml", [Finding("unreadable", "no such file",
                                               location=Location("x.yaml"))], 2)],
                   CheckFormat.azure)
    assert whole == "##vso[task.logissue type=error;sourcepath=x.yaml;code=unreadable]" \
                    "no such file\n"


# --- the codes ---------------------------------------------------------------------------------

def test_codes_are_the_documented_ones_and_every_one_in_the_source() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", page, re.M)
    assert tuple(documented) == CODES
    used = set()
    for source in (ROOT / "bdur_cli").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:Finding\(|error\(|_fail\(\w+, )\s*"([a-z]+(?:-[a-z]+)+|'
                               r'[a-z]+)"', text))
    check_codes = used - {"unwritable", "no-plan", "no-git", "not-a-repository", "no-commits",
                          "unknown-revision", "outside-repository", "git"}
    assert check_codes <= set(CODES), check_codes - set(CODES)

