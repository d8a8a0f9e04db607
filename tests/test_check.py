"""`bdur check`: several files, exit codes, and the text, JSON and GitHub outputs exactly."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli.errors import Finding, Location
from bdur_cli.plan.pipeline import Checked
from bdur_cli.render.findings import RENDERERS, render
from bdur_cli.render.formats import CheckFormat
from conftest import PLAN, ROOT, bdur, installed


def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = bdur("check", *args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def two_bad(mutate: Callable[[str, str], Path], write: Callable[..., Path],
            plan_text: str) -> tuple[Path, Path]:
    """An overspent plan and one with a Dutch number, in the same folder."""
    overspent = mutate("from_year: 2024", "from_year: 2023")
    dutch = write(plan_text.replace("amount: 1650000", "amount: 1.650.000"), "dutch.yaml")
    return overspent, dutch


def test_shipped_plan_passes_quietly() -> None:
    assert check(str(PLAN)) == (0, "", "bdur check: 1 file, 0 errors, 0 warnings\n")


def test_without_files_checks_the_default_plan(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "allocations.yaml").write_bytes(PLAN.read_bytes())
    assert check() == (0, "", "bdur check: 1 file, 0 errors, 0 warnings\n")


def test_without_files_and_without_a_plan_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A CI job whose glob matched nothing must not go green on a sample plan.
    monkeypatch.chdir(tmp_path)
    code, out, err = check()
    assert (code, out) == (2, "")
    assert err.startswith("error: no plan to read: there is no data/allocations.yaml in this "
                          "folder [no-plan] (hint: point at a plan with -f FILE, start one "
                          "with `bdur init`")


def test_file_option_like_the_other_commands(two_bad: tuple[Path, Path]) -> None:
    overspent, _ = two_bad
    assert check("-f", str(PLAN)) == (0, "", "bdur check: 1 file, 0 errors, 0 warnings\n")
    code, _, err = check(str(PLAN), "-f", str(overspent))
    assert (code, err) == (1, "bdur check: 2 files, 1 error, 0 warnings\n")


def test_one_bad_file_never_hides_the_others(two_bad: tuple[Path, Path]) -> None:
    overspent, dutch = two_bad
    code, out, err = check(str(overspent), str(PLAN), str(dutch))
    assert code == 1
    assert out == (
        f"{overspent}:22:13: error: 2023: planned €1,685,000 exceeds funding €1,407,149; "
        "shortfall €277,851 [over-funding]\n"
        " 22 |     amount: 1407149\n"
        "    |             ^\n"
        "  hint: lower 2023's planned cost by €277,851, or, when more is granted, raise funding "
        "for 2023 to at least €1,685,000 (funding: 2023: {amount: 1685000, status: granted})\n"
        f"{dutch}:26:13: error: funding[2024].amount: '1.650.000' uses a Dutch thousands "
        "separator or decimal comma; it is not the number you mean [dutch-number]\n"
        " 26 |     amount: 1.650.000\n"
        "    |             ^\n"
        "  hint: write 1650000 (or 1_650_000); YAML has no thousands separator\n")
    assert err == "bdur check: 3 files, 2 errors, 0 warnings\n"


def test_an_unreadable_file_exits_2_and_still_reports_the_others(
        two_bad: tuple[Path, Path]) -> None:
    overspent, _ = two_bad
    code, out, err = check("missing.yaml", str(overspent))
    assert code == 2
    assert out.startswith("missing.yaml: error: no such file [unreadable]\n"
                          f"{overspent}:22:13: error: 2023: planned €1,685,000 exceeds")
    assert err == "bdur check: 2 files, 2 errors, 0 warnings\n"


def test_json_is_one_document_for_all_files(two_bad: tuple[Path, Path]) -> None:
    overspent, _ = two_bad
    code, out, _ = check(str(PLAN), str(overspent), "--format", "json")
    assert code == 1
    assert out == (
        "{\n"
        '  "files": [\n'
        "    {\n"
        f'      "path": "{PLAN}",\n'
        '      "ok": true,\n'
        '      "findings": []\n'
        "    },\n"
        "    {\n"
        f'      "path": "{overspent}",\n'
        '      "ok": false,\n'
        '      "findings": [\n'
        "        {\n"
        '          "code": "over-funding",\n'
        '          "level": "error",\n'
        f'          "path": "{overspent}",\n'
        '          "line": 22,\n'
        '          "column": 13,\n'
        '          "message": "2023: planned €1,685,000 exceeds funding €1,407,149; '
        'shortfall €277,851",\n'
        '          "hint": "lower 2023\'s planned cost by €277,851, or, when more is granted, '
        'raise funding for 2023 to at least €1,685,000 (funding: 2023: {amount: 1685000, '
        'status: granted})"\n'
        "        }\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        '  "errors": 1,\n'
        '  "warnings": 0\n'
        "}\n")


def test_json_on_success_still_prints_the_document() -> None:
    code, out, _ = check(str(PLAN), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"files": [{"path": str(PLAN), "ok": True, "findings": []}],
                               "errors": 0, "warnings": 0}


def test_github_annotations(two_bad: tuple[Path, Path]) -> None:
    overspent, dutch = two_bad
    code, out, _ = check(str(overspent), str(dutch), "--format", "github")
    assert code == 1
    # The message is data: only % and line breaks are escaped there, not commas.
    assert out == (
        f"::error file={overspent},line=22,col=13,title=over-funding::2023: planned "
        "€1,685,000 exceeds funding €1,407,149; shortfall €277,851%0Ahint: lower "
        "2023's planned cost by €277,851, or, when more is granted, raise funding for 2023 to at "
        "least €1,685,000 (funding: 2023: {amount: 1685000, status: granted})\n"
        f"::error file={dutch},line=26,col=13,title=dutch-number::funding[2024].amount: "
        "'1.650.000' uses a Dutch thousands separator or decimal comma; it is not the number "
        "you mean%0Ahint: write 1650000 (or 1_650_000); YAML has no thousands separator\n")


def test_github_is_chosen_inside_github_actions(two_bad: tuple[Path, Path]) -> None:
    overspent, _ = two_bad
    _, out, _ = check(str(overspent), env={"GITHUB_ACTIONS": "true"})
    assert out.startswith(f"::error file={overspent},line=22,col=13,title=over-funding::")
    _, out, _ = check(str(overspent), "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert out.startswith(f"{overspent}:22:13: error: ")


def test_github_escaping() -> None:
    # GitHub's rules: in the message % \r \n; in properties also : and ,
    finding = Finding("odd-code", "100% sure:\r\nsecond, line", hint="a: b",
                      location=Location("dir,x/a:b%.yaml", 3, 7))
    checked = Checked("dir,x/a:b%.yaml", [finding], 1)
    assert render([checked], CheckFormat.github) == (
        "::error file=dir%2Cx/a%3Ab%25.yaml,line=3,col=7,title=odd-code::"
        "100%25 sure:%0D%0Asecond, line%0Ahint: a: b\n")


def test_github_without_a_line_and_a_warning() -> None:
    results = [Checked("a.yaml", [Finding("unreadable", "no such file")], 2),
               Checked("b.yaml", [Finding("until-past-horizon", "late", level="warning",
                                          location=Location("b.yaml", 4, 2))], 0)]
    assert render(results, CheckFormat.github) == (
        "::error file=a.yaml,title=unreadable::no such file\n"
        "::warning file=b.yaml,line=4,col=2,title=until-past-horizon::late\n")


def test_every_format_has_a_renderer() -> None:
    # Like pip-audit's format enum: adding a format without a renderer fails here.
    assert set(RENDERERS) == set(CheckFormat)
    empty = [Checked("a.yaml", [], 0)]
    for fmt in CheckFormat:
        assert isinstance(render(empty, fmt), str)
    assert render(empty, CheckFormat.text) == render(empty, CheckFormat.github) == ""


def test_text_caret_lines_up_after_a_tab() -> None:
    text = "plan:\n\tx: 1.650.000\n"
    finding = Finding("dutch-number", "bad", location=Location("t.yaml", 2, 5))
    assert render([Checked("t.yaml", [finding], 1, text)], CheckFormat.text) == (
        "t.yaml:2:5: error: bad [dutch-number]\n"
        " 2 |     x: 1.650.000\n"
        "   |        ^\n")


def test_unknown_format_is_a_usage_error() -> None:
    code, out, err = check(str(PLAN), "--format", "xml")
    assert (code, out) == (2, "")
    assert "Invalid value for '--format'" in err and "'xml'" in err


def test_help_has_examples() -> None:
    result = bdur("check", "--help")
    assert result.exit_code == 0
    assert "bdur check data/allocations.yaml" in result.stdout



def test_installed_program_in_a_subprocess(two_bad: tuple[Path, Path]) -> None:
    _, dutch = two_bad
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.run([installed(), "check", "data/allocations.yaml"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "bdur check: 1 file, 0 errors, 0 warnings\n"
    proc = subprocess.run([installed(), "check", str(dutch), "--format", "github"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"::error file={dutch},line=26,col=13,title=dutch-number::")
    assert "Traceback" not in proc.stderr


def test_a_bug_on_one_file_does_not_hide_the_others(two_bad: tuple[Path, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from bdur_cli.plan import pipeline

    overspent, dutch = two_bad
    real = pipeline.check_file

    def flaky(path: Path) -> Checked:
        if path == dutch:
            raise ValueError("boom")
        return real(path)

    monkeypatch.setattr(pipeline, "check_file", flaky)
    code, out, err = check(str(dutch), str(overspent))
    assert code == 2
    assert out.startswith(f"{dutch}: error: internal error: ValueError: boom [internal]\n"
                          "  hint: please report this with the file that caused it\n"
                          f"{overspent}:22:13: error: 2023: planned €1,685,000 exceeds ")
    assert err == "bdur check: 2 files, 2 errors, 0 warnings\n"


def test_findings_come_in_the_files_order(plan_text: str, write: Callable[..., Path]) -> None:
    # The reference stage finds the late `until` (line 71) before the rule stage finds the
    # overspent 2023 (line 22); the output lists them by line and column.
    text = plan_text.replace("from_year: 2024", "from_year: 2023").replace(
        "        year: 2023\n        fte: 1\n        rate: internal\n"
        "        note: Tabel 1, capaciteit structureel 2023 e.v.\n",
        "        year: 2023\n        until: 2027\n        fte: 1\n        rate: internal\n"
        "        note: Tabel 1, capaciteit structureel 2023 e.v.\n")
    path = write(text)
    code, out, _ = check("--format", "json", str(path))
    found = [(f["code"], f["line"]) for f in json.loads(out)["files"][0]["findings"]]
    assert code == 1
    assert found == [("over-funding", 22), ("until-past-horizon", 71)]
    text_out = check(str(path))[1]
    assert text_out.index(":22:13: error") < text_out.index(":71:16: warning")
