"""`bdur diff` against real git: temporary repositories with commits, a branch and a merge base.

Expected figures are worked out by hand from the memo's plan: every fte costs €100,000 a year
internally, so +0.5 fte from 2025 is +€50,000 in 2025 and in 2026; the memo's planned totals
are 1,605,000 in 2025 and 2026 against funding 2,150,000 and 2,400,000.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PLAN, ROOT, SCENARIOS, installed
from conftest import bdur as in_process

ANCHOR = "      - id: vik-fte-2024\n"
EXTRA = ("      - id: extra-2025\n        type: structural\n        year: 2025\n"
         "        fte: 0.5\n        rate: internal\n")
JUNE = "staff-from-june-2023.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A predictable git: no user configuration, no hook's GIT_DIR, a fixed author.
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GITHUB_ACTIONS", "TF_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Controller")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "controller@example.org")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits on main: the memo's plan (with one scenario), then +0.5 fte internal from
    2025 in theme vik. The current folder is the repository."""
    root = tmp_path / "plans"
    (root / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(PLAN, root / "data" / "allocations.yaml")
    shutil.copy(SCENARIOS / JUNE, root / "data" / "scenarios" / JUNE)
    git(root, "init", "-q", "-b", "main")
    commit(root, "The memo's plan")
    edit(root / "data" / "allocations.yaml", ANCHOR, EXTRA + ANCHOR)
    commit(root, "Half an fte more for VIK from 2025")
    monkeypatch.chdir(root)
    return root


def bdur(*args: str) -> tuple[int, str, str]:
    result = in_process(*args)
    return result.exit_code, result.stdout, result.stderr


def years(doc: dict[str, object], path: str) -> dict[int, dict[str, object]]:
    [f] = [f for f in doc["files"] if f["path"] == path]  # type: ignore[attr-defined]
    return {y["year"]: {k: y[k]["change"] for k in ("funding", "planned", "gap",
                                                     "cumulative_gap")} for y in f["years"]}


def only(doc: dict[str, object], path: str) -> dict[str, object]:
    [f] = [f for f in doc["files"] if f["path"] == path]  # type: ignore[attr-defined]
    return f  # type: ignore[no-any-return]


# --- the money effect of one commit ------------------------------------------------------------

def test_head_1_shows_the_money_effect_of_the_second_commit(repo: Path) -> None:
    code, out, err = bdur("diff", "HEAD~1", "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["revision"].startswith("HEAD~1 (")
    assert doc["commit"] == git(repo, "rev-parse", "HEAD~1").strip()
    # 0.5 fte x 100,000 = 50,000 in 2025 and 2026; the cumulative gap carries it forward.
    assert years(doc, "data/allocations.yaml") == {
        2023: {"funding": 0, "planned": 0, "gap": 0, "cumulative_gap": 0},
        2024: {"funding": 0, "planned": 0, "gap": 0, "cumulative_gap": 0},
        2025: {"funding": 0, "planned": 50000, "gap": -50000, "cumulative_gap": -50000},
        2026: {"funding": 0, "planned": 50000, "gap": -50000, "cumulative_gap": -100000},
    }
    plan = only(doc, "data/allocations.yaml")
    assert plan["status"] == "changed" and plan["settings"] == []
    [y2026] = [y for y in plan["years"] if y["year"] == 2026]  # type: ignore[attr-defined]
    # Gap 2026: 2,400,000 - 1,605,000 = 795,000 before, 745,000 after.
    assert y2026["gap"] == {"old": 795000, "new": 745000, "change": -50000}
    assert plan["lines"] == [{
        "line": "extra-2025", "theme": "vik", "status": "added",
        "fields": [{"field": "theme", "old": None, "new": "vik"},
                   {"field": "type", "old": None, "new": "structural"},
                   {"field": "year", "old": None, "new": 2025},
                   {"field": "fte", "old": None, "new": 0.5},
                   {"field": "rate", "old": None, "new": "internal"}],
        "effect": {"2025": 50000, "2026": 50000}}]


def test_head_1_as_a_table(repo: Path) -> None:
    code, out, _ = bdur("diff", "HEAD~1", "data/allocations.yaml", "--no-scenarios")
    short = git(repo, "rev-parse", "--short=7", "HEAD~1").strip()
    assert code == 0
    assert out == f"""\
bdur diff against HEAD~1 ({short})

data/allocations.yaml

 Year   Δ planned      Δ gap     Gap now   Δ cum. gap   Cum. gap now
 ───────────────────────────────────────────────────────────────────
 2023           0          0   -€277,851            0      -€277,851
 2024           0          0   +€145,000            0      -€132,851
 2025    +€50,000   -€50,000   +€495,000     -€50,000      +€362,149
 2026    +€50,000   -€50,000   +€745,000    -€100,000    +€1,107,149

Cumulative gap at the end of 2026: +€1,207,149 → +€1,107,149 (-€100,000)

Lines behind it

 Line         Theme   Change                                              2025       2026
 ────────────────────────────────────────────────────────────────────────────────────────
 extra-2025   vik     added: 0.5 fte internal, structural from 2025   +€50,000   +€50,000
"""


def test_markdown_reads_as_a_review_comment(repo: Path) -> None:
    code, out, _ = bdur("diff", "HEAD~1", "--format", "markdown")
    short = git(repo, "rev-parse", "--short=7", "HEAD~1").strip()
    assert code == 0
    assert out.startswith(f"""\
### bdur diff against HEAD~1 ({short})

Figures as they are now, with the change against the earlier version in brackets; gap = funding - planned.

#### data/allocations.yaml

| Year | Funding | Planned | Gap | Cumulative gap |
|---|---:|---:|---:|---:|
| 2023 | €1,407,149 | €1,685,000 | -€277,851 | -€277,851 |
| 2024 | €1,650,000 | €1,505,000 | +€145,000 | -€132,851 |
| 2025 | €2,150,000 | €1,655,000 (+€50,000) | +€495,000 (-€50,000) | +€362,149 (-€50,000) |
| 2026 | €2,400,000 | €1,655,000 (+€50,000) | +€745,000 (-€50,000) | +€1,107,149 (-€100,000) |

**Cumulative gap at the end of 2026: +€1,207,149 → +€1,107,149 (-€100,000)**

Lines behind it:

| Line | Theme | Change | 2025 | 2026 |
|---|---|---|---:|---:|
| `extra-2025` | vik | added: 0.5 fte internal, structural from 2025 | +€50,000 | +€50,000 |

<details>
<summary>data/scenarios/staff-from-june-2023.yaml (scenario: Staff from 1 June 2023), builds on data/allocations.yaml: cumulative gap 2026 -€100,000</summary>
""")  # noqa: E501
    assert "Lines behind it: as in data/allocations.yaml.\n\n</details>\n" in out


def test_a_scenario_on_the_changed_plan_is_shown_with_its_own_figures(repo: Path) -> None:
    doc = json.loads(bdur("diff", "HEAD~1", "--format", "json")[1])
    june = only(doc, "data/scenarios/staff-from-june-2023.yaml")
    assert (june["name"], june["builds_on"]) == ("Staff from 1 June 2023",
                                                 "data/allocations.yaml")
    # The scenario's 2023 is 1,310,000 planned (its own comment); the change adds 2025-26 only.
    [y2023] = [y for y in june["years"] if y["year"] == 2023]  # type: ignore[attr-defined]
    assert y2023["planned"] == {"old": 1310000, "new": 1310000, "change": 0}
    assert years(doc, "data/scenarios/staff-from-june-2023.yaml")[2026] == {
        "funding": 0, "planned": 50000, "gap": -50000, "cumulative_gap": -100000}
    assert bdur("diff", "HEAD~1", "--no-scenarios", "--format", "json")[1].count(
        '"path"') == 1


def test_a_changed_field_and_a_rate_are_named_with_their_money(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    # vik-fte-2024: 1 fte from 2024 -> 1.5 fte (+50,000 a year from 2024);
    # 2026 funding 2,400,000 -> 2,300,000.
    text = plan.read_text(encoding="utf-8")
    start = text.index("      - id: vik-fte-2024")
    block = text[start:text.index("      - id:", start + 1)]
    assert "fte: 1\n" in block
    plan.write_text(text.replace(block, block.replace("fte: 1\n", "fte: 1.5\n")),
                    encoding="utf-8")
    edit(plan, "    amount: 2400000", "    amount: 2300000")
    doc = json.loads(bdur("diff", "HEAD", "data/allocations.yaml", "--format", "json")[1])
    f = only(doc, "data/allocations.yaml")
    assert f["settings"] == [{"field": "funding.2026.amount", "old": 2400000, "new": 2300000}]
    assert f["lines"] == [{"line": "vik-fte-2024", "theme": "vik", "status": "changed",
                           "fields": [{"field": "fte", "old": 1, "new": 1.5}],
                           "effect": {"2024": 50000, "2025": 50000, "2026": 50000}}]
    assert years(doc, "data/allocations.yaml")[2026] == {
        "funding": -100000, "planned": 50000, "gap": -150000, "cumulative_gap": -250000}
    out = bdur("diff", "HEAD", "data/allocations.yaml", "--no-scenarios")[1]
    assert " vik-fte-2024   vik     fte 1 → 1.5   +€50,000   +€50,000   +€50,000" in out
    assert " funding.2026.amount   €2,400,000   €2,300,000" in out


def test_a_rate_change_marks_the_lines_it_moves(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count("amount: 150000") == 1  # the external rate
    plan.write_text(text.replace("amount: 150000", "amount: 160000"), encoding="utf-8")
    doc = json.loads(bdur("diff", "HEAD", "data/allocations.yaml", "--format", "json")[1])
    f = only(doc, "data/allocations.yaml")
    assert f["settings"] == [{"field": "rates.external.amount", "old": 150000, "new": 160000}]
    # The 2023 external hire: VIK 1.5 fte and BI 1 fte at +10,000 per fte.
    assert [(x["line"], x["status"], x["effect"], x["reason"]) for x in f["lines"]] == [
        ("vik-extern-2023", "affected", {"2023": 15000}, "rate external"),
        ("bi-extern-2023", "affected", {"2023": 10000}, "rate external")]


def test_nothing_changed(repo: Path) -> None:
    code, out, err = bdur("diff", "HEAD", "--format", "markdown")
    assert (code, err) == (0, "")
    short = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert out == (f"### bdur diff against HEAD ({short})"
                   "\n\nNo plan or scenario changed in money or settings.\n\nNo change in money "
                   f"or settings: data/allocations.yaml, data/scenarios/{JUNE}.\n")
    table = bdur("diff", "HEAD")[1]
    assert table.endswith("\n\nNo change in money or settings: data/allocations.yaml, "
                          f"data/scenarios/{JUNE}\n")


# --- which revision ----------------------------------------------------------------------------

def test_default_is_the_merge_base_with_main(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD~1").strip()
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    edit(repo / "data" / "allocations.yaml", ANCHOR, EXTRA + ANCHOR)
    commit(repo, "On the branch: +0.5 fte")
    # main moves on after the branch: its change must not show in the branch's diff.
    git(repo, "checkout", "-q", "main")
    edit(repo / "data" / "allocations.yaml", "    amount: 2400000", "    amount: 2300000")
    commit(repo, "On main: less funding in 2026")
    git(repo, "checkout", "-q", "feature")
    code, out, _ = bdur("diff", "--format", "json", "--no-scenarios")
    doc = json.loads(out)
    assert code == 0
    assert doc["commit"] == first
    assert doc["revision"] == f"merge base of HEAD and main ({first[:7]})"
    assert years(doc, "data/allocations.yaml")[2026]["funding"] == 0
    assert years(doc, "data/allocations.yaml")[2026]["planned"] == 50000


def test_default_is_head_without_a_default_branch(repo: Path) -> None:
    git(repo, "branch", "-q", "-m", "main", "trunk")
    (repo / "data" / "allocations.yaml").write_text(
        (repo / "data" / "allocations.yaml").read_text(encoding="utf-8")
        .replace(EXTRA, ""), encoding="utf-8")
    doc = json.loads(bdur("diff", "--format", "json", "--no-scenarios")[1])
    assert doc["revision"].startswith("HEAD (")
    assert years(doc, "data/allocations.yaml")[2025]["planned"] == -50000


def test_working_tree_is_not_touched_and_bases_are_read_at_the_revision(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    edit(plan, "    amount: 2400000", "    amount: 2300000")  # uncommitted
    before = (git(repo, "status", "--porcelain"), plan.read_bytes(),
              (repo / ".git" / "index").read_bytes())
    doc = json.loads(bdur("diff", "HEAD", "--format", "json")[1])
    # The scenario at HEAD is applied to the plan at HEAD (read from git, not from the
    # working tree), so it shows the uncommitted funding change too.
    assert years(doc, "data/scenarios/staff-from-june-2023.yaml")[2026]["funding"] == -100000
    after = (git(repo, "status", "--porcelain"), plan.read_bytes(),
             (repo / ".git" / "index").read_bytes())
    assert after == before


def test_runs_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "data")
    doc = json.loads(bdur("diff", "HEAD~1", "allocations.yaml", "--format", "json")[1])
    assert [f["path"] for f in doc["files"]] == ["allocations.yaml",
                                                  "scenarios/staff-from-june-2023.yaml"]
    assert only(doc, "allocations.yaml")["old_path"] == "HEAD~1:data/allocations.yaml"


# --- files new, deleted, missing; errors --------------------------------------------------------

def test_a_file_new_in_the_change(repo: Path) -> None:
    new = repo / "data" / "scenarios" / "new.yaml"
    shutil.copy(SCENARIOS / "bdur-cut-2026.yaml", new)
    code, out, err = bdur("diff", "HEAD", "data/scenarios/new.yaml")
    assert code == 0
    short = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert err == (f"bdur diff: data/scenarios/new.yaml: new in this change (not in HEAD "
                   f"({short})); nothing to compare it with\n")
    assert "new in this change" in out


def test_a_file_deleted_in_the_change(repo: Path) -> None:
    git(repo, "rm", "-q", f"data/scenarios/{JUNE}")
    code, out, err = bdur("diff", "HEAD", f"data/scenarios/{JUNE}", "--format", "json")
    assert code == 0
    assert err.endswith(f"data/scenarios/{JUNE}: deleted in this change (it was in HEAD "
                        f"({git(repo, 'rev-parse', '--short=7', 'HEAD').strip()})); nothing "
                        "left to compare\n")
    assert only(json.loads(out), f"data/scenarios/{JUNE}")["status"] == "deleted"


def test_a_file_in_neither_version(repo: Path) -> None:
    code, out, err = bdur("diff", "HEAD", "data/nothing.yaml")
    assert (code, out) == (2, "")
    assert err == "data/nothing.yaml: error: no such file, now or at HEAD [unreadable]\n"


def test_a_loop_of_symbolic_links_is_no_file_not_a_crash(repo: Path) -> None:
    (repo / "loop").symlink_to("loop")
    code, out, err = bdur("diff", "HEAD", "loop/loop/allocations.yaml")
    assert (code, out) == (2, "")
    assert err == ("loop/loop/allocations.yaml: error: no such file, now or at HEAD "
                   "[unreadable]\n")


def test_a_revision_that_does_not_exist(repo: Path) -> None:
    code, out, err = bdur("diff", "no-such-branch")
    assert (code, out) == (2, "")
    assert err == ("error: revision 'no-such-branch' does not exist in this repository "
                   "[unknown-revision] (hint: give a commit, branch or tag, e.g. HEAD~1 or "
                   "main)\n")
    # Something git would read as an option is no revision either.
    assert bdur("diff", "--", "--output=x")[0] == 2


def test_a_path_outside_the_repository(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(PLAN, outside)
    code, out, err = bdur("diff", "HEAD", str(outside))
    assert (code, out) == (2, "")
    assert err.startswith(f"{outside}: error: {outside} is outside the repository "
                          f"({repo.resolve()}) [outside-repository]")
    code, _, err = bdur("diff", "HEAD", "../elsewhere.yaml")
    assert code == 2 and "is outside the repository" in err


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "no-git"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, out, err = bdur("diff")
    assert (code, out) == (2, "")
    assert err == (f"error: {folder} is not inside a git repository [not-a-repository] "
                   "(hint: run bdur diff from the repository that holds the plan)\n")


def test_a_repository_without_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    code, _, err = bdur("diff")
    assert code == 2
    assert err.startswith("error: the repository has no commits yet")


def test_an_invalid_plan_now_or_at_the_revision(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    edit(plan, "amount: 1650000", "amount: 1.650.000")
    code, out, err = bdur("diff", "HEAD", "--no-scenarios")
    assert (code, out) == (1, "")
    assert err.startswith("data/allocations.yaml:26:13: error: funding[2024].amount: "
                          "'1.650.000' uses a Dutch thousands separator")
    commit(repo, "broken")
    edit(plan, "amount: 1.650.000", "amount: 1650000")
    code, out, err = bdur("diff", "HEAD", "--no-scenarios")
    assert (code, out) == (1, "")
    assert err.startswith("HEAD:data/allocations.yaml:26:13: error: funding[2024].amount: ")


def test_a_scenario_that_cannot_be_loaded_is_noted_not_fatal(repo: Path) -> None:
    edit(repo / "data" / "scenarios" / JUNE, "start_month: 6", "start_month: 13")
    code, out, err = bdur("diff", "HEAD~1", "--format", "json")
    assert code == 0
    june = only(json.loads(out), f"data/scenarios/{JUNE}")
    assert june["status"] == "invalid"
    assert str(june["problem"]).startswith(f"data/scenarios/{JUNE}:")
    assert f"bdur diff: data/scenarios/{JUNE}: cannot be compared: " in err


# --- as installed ------------------------------------------------------------------------------


def test_installed_bdur_diff(repo: Path) -> None:
    proc = subprocess.run([installed(), "diff", "HEAD~1", "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert years(json.loads(proc.stdout), "data/allocations.yaml")[2025]["planned"] == 50000


def test_installed_bdur_without_git(repo: Path) -> None:
    # A PATH with bdur's own folder only: no git anywhere.
    env = {**os.environ, "PATH": str(Path(installed()).parent)}
    proc = subprocess.run([installed(), "diff"], capture_output=True, text=True, timeout=60,
                          env=env)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("error: git is not installed (or not on PATH)")



def test_a_scenario_given_next_to_its_plan_builds_on_it(repo: Path) -> None:
    doc = json.loads(bdur("diff", "HEAD~1", f"data/scenarios/{JUNE}", "data/allocations.yaml",
                          "--format", "json")[1])
    assert [(f["path"], f["builds_on"]) for f in doc["files"]] == [
        ("data/allocations.yaml", None),
        (f"data/scenarios/{JUNE}", "data/allocations.yaml")]


def test_file_option_and_a_scenario_on_a_scenario(repo: Path) -> None:
    # A scenario whose base is another scenario on the plan: found through the chain.
    on_june = repo / "data" / "scenarios" / "june-and-cut.yaml"
    on_june.write_text("scenario: {name: June and a cut}\nbase: staff-from-june-2023.yaml\n"
                       "funding:\n  scale: {factor: 0.9, from_year: 2026}\n", encoding="utf-8")
    commit(repo, "A scenario on a scenario")
    edit(repo / "data" / "allocations.yaml", EXTRA, "")  # uncommitted: the extra line goes
    doc = json.loads(bdur("diff", "HEAD", "-f", "data/allocations.yaml", "--format",
                          "json")[1])
    assert [(f["path"], f["builds_on"]) for f in doc["files"]] == [
        ("data/allocations.yaml", None),
        ("data/scenarios/june-and-cut.yaml", "data/allocations.yaml"),
        (f"data/scenarios/{JUNE}", "data/allocations.yaml")]
    assert years(doc, "data/scenarios/june-and-cut.yaml")[2026]["planned"] == -50000


def test_dutch_labels(repo: Path) -> None:
    out = bdur("diff", "HEAD~1", "--no-scenarios", "--locale", "nl")[1]
    assert "Jaar   Δ gepland   Δ ruimte / tekort   Ruimte / tekort nu" in out
    assert "€\u00a0+50.000" in out  # a money cell does not break after the €


def test_a_longer_horizon_and_a_removed_line(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    edit(plan, "horizon: {first: 2023, last: 2026}", "horizon: {first: 2023, last: 2027}")
    edit(plan, '    note: Tabel 2, prognose ("ongeveer €2.4M in 2026")\n',
         '    note: Tabel 2, prognose ("ongeveer €2.4M in 2026")\n'
         "  2027:\n    amount: 2400000\n    status: forecast\n")
    text = plan.read_text(encoding="utf-8")
    start = text.index("      - id: bi-extern-2023\n")
    plan.write_text(text[:start] + text[text.index("      - id:", start + 1):],
                    encoding="utf-8")
    doc = json.loads(bdur("diff", "HEAD", "data/allocations.yaml", "--format", "json")[1])
    f = only(doc, "data/allocations.yaml")
    # The 2023 external BI hire was 1 fte x 150,000: 2023 and every cumulative gap +150,000.
    assert years(doc, "data/allocations.yaml") == {
        2023: {"funding": 0, "planned": -150000, "gap": 150000, "cumulative_gap": 150000},
        2024: {"funding": 0, "planned": 0, "gap": 0, "cumulative_gap": 150000},
        2025: {"funding": 0, "planned": 0, "gap": 0, "cumulative_gap": 150000},
        2026: {"funding": 0, "planned": 0, "gap": 0, "cumulative_gap": 150000},
        2027: {"funding": None, "planned": None, "gap": None, "cumulative_gap": None}}
    [y2027] = [y for y in f["years"] if y["year"] == 2027]  # type: ignore[attr-defined]
    # 2027: 2,400,000 against 1,655,000 structural (2026's lines go on): +745,000.
    assert y2027["funding"] == {"old": None, "new": 2400000, "change": None}
    assert y2027["gap"] == {"old": None, "new": 745000, "change": None}
    # Lines that merely run on into the new year are no change.
    assert [(x["line"], x["status"], x["effect"]) for x in f["lines"]] == [
        ("bi-extern-2023", "removed", {"2023": -150000})]
    assert [(s["field"], s["old"], s["new"]) for s in f["settings"]] == [
        ("plan.horizon.last", 2026, 2027), ("funding.2027.amount", None, 2400000),
        ("funding.2027.status", None, "forecast")]
    out = bdur("diff", "HEAD", "data/allocations.yaml", "--no-scenarios")[1]
    assert " 2027                                       +€745,000                 +€2,002,149\n" \
        in out
    assert " bi-extern-2023   bi-specialist   removed: 1 fte external, incidental in 2023   " \
           "-€150,000\n" in out


def test_a_link_to_the_plan_is_the_plan(repo: Path, tmp_path: Path) -> None:
    (repo / "plan.yaml").symlink_to("data/allocations.yaml")
    doc = json.loads(bdur("diff", "HEAD~1", "plan.yaml", "--no-scenarios", "--format",
                          "json")[1])
    assert only(doc, "plan.yaml")["old_path"] == "HEAD~1:data/allocations.yaml"
    assert years(doc, "plan.yaml")[2026]["planned"] == 50000
    # A link that leads out of the repository is outside it.
    shutil.copy(PLAN, tmp_path / "outside.yaml")
    (repo / "out.yaml").symlink_to(tmp_path / "outside.yaml")
    code, _, err = bdur("diff", "HEAD", "out.yaml")
    assert code == 2 and "is outside the repository" in err


def test_fits_80_columns_without_cutting_money(repo: Path) -> None:
    plan = repo / "data" / "allocations.yaml"
    # A year more (its funding adds the Δ funding column) and the 2023 external BI hire
    # (1 fte x 150,000) gone: the widest year table, 83 columns as it is.
    edit(plan, "horizon: {first: 2023, last: 2026}", "horizon: {first: 2023, last: 2027}")
    edit(plan, '    note: Tabel 2, prognose ("ongeveer €2.4M in 2026")\n',
         '    note: Tabel 2, prognose ("ongeveer €2.4M in 2026")\n'
         "  2027:\n    amount: 2400000\n    status: forecast\n")
    text = plan.read_text(encoding="utf-8")
    start = text.index("      - id: bi-extern-2023\n")
    plan.write_text(text[:start] + text[text.index("      - id:", start + 1):],
                    encoding="utf-8")
    wide = in_process("diff", "HEAD", "--no-scenarios", env={"COLUMNS": "200"})
    assert max(len(line) for line in wide.stdout.splitlines()) > 80
    result = in_process("diff", "HEAD", "--no-scenarios",
                        env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    # 2027: 2,400,000 - 1,655,000 = +745,000; cumulative 1,257,149 + 745,000.
    assert re.search(r"^ 2027 +\+€745,000 +\+€2,002,149$", result.stdout, re.M)
    # Headers wrap at their spaces rather than being cut.
    assert re.search(r"^ +Δ .* Cum\. gap$", result.stdout, re.M), result.stdout
    assert re.search(r"^ Year +funding .* now$", result.stdout, re.M), result.stdout


def test_output_file_takes_its_format_from_the_extension(repo: Path) -> None:
    code, out, err = bdur("diff", "HEAD~1", "--no-scenarios", "-o", "change.md")
    assert (code, out) == (0, "")
    assert err == "wrote change.md\n"
    written = (repo / "change.md").read_text(encoding="utf-8")
    # The markdown of a review comment, not the terminal's box-drawn table.
    assert "| 2026 | €2,400,000 | €1,655,000 (+€50,000) | +€745,000 (-€50,000) |" in written
    assert "─" not in written


def test_output_never_overwrites_the_plan_it_compares(repo: Path) -> None:
    before = (repo / "data" / "allocations.yaml").read_bytes()
    code, _, err = bdur("diff", "HEAD~1", "--format", "markdown", "-o",
                        "data/allocations.yaml")
    assert code == 2, err
    assert "is one of the files this run reads" in err
    assert (repo / "data" / "allocations.yaml").read_bytes() == before


def test_output_refuses_an_extension_for_another_format(repo: Path) -> None:
    code, _, err = bdur("diff", "HEAD~1", "--format", "json", "-o", "change.md")
    assert code == 2
    assert "does not match --format json" in err
    assert not (repo / "change.md").exists()


# --- a plan with income and a reserve ----------------------------------------------------------

MONEY_IN = PLAN.parent.parent / "examples" / "plan-format" / "money-in.yaml"
SHARED = ("      - id: gedeeld\n        type: structural\n        start: 2025-06\n"
          "        fte: 1\n        rate: internal\n"
          "        income: {partner: Gemeente A, share: 50%, status: granted}\n")


@pytest.fixture
def money_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """money-in.yaml (income, a reserve, a cut), then a line from June that a partner pays
    half of: 2025 7/12 x 100,000 = 58,333.33 (shown 58,333), income 29,166.67 (29,167), net
    29,166.67 (29,167); 2026 100,000, 50,000, 50,000."""
    root = tmp_path / "plans"
    root.mkdir()
    shutil.copy(MONEY_IN, root / "plan.yaml")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Money in")
    text = (root / "plan.yaml").read_text(encoding="utf-8")
    (root / "plan.yaml").write_text(text + SHARED, encoding="utf-8")
    commit(root, "A shared line")
    monkeypatch.chdir(root)
    return root


def test_diff_of_a_plan_with_income_has_the_gap_of_totals(money_repo: Path) -> None:
    code, out, _ = bdur("diff", "HEAD~1", "-f", "plan.yaml", "--format", "json")
    assert code == 0
    [y2025, y2026] = only(json.loads(out), "plan.yaml")["years"]  # type: ignore[misc]
    figures = {k: v for k, v in y2025.items()
               if k not in ("year", "funding_status", "funding_sources")}
    assert {k: v["change"] for k, v in figures.items()} == {
        "funding": 0, "planned": 58_333, "income": 29_167, "net": 29_167,
        "reserve_additions": 0, "reserve_withdrawals": 0, "gap": -29_167,
        "cumulative_gap": -29_167}
    assert (y2026["net"]["change"], y2026["gap"]["change"]) == (50_000, -50_000)


def test_diff_table_shows_the_terms_and_a_rounding_note(money_repo: Path) -> None:
    _, out, _ = bdur("diff", "HEAD~1", "-f", "plan.yaml")
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("Year"))
    assert header.split() == ["Year", "Δ", "planned", "Δ", "income", "Δ", "net", "Δ", "gap",
                              "Gap", "now", "Δ", "cum.", "gap", "Cum.", "gap", "now"]
    row = next(line for line in lines if line.startswith(" 2025"))
    assert row.split()[:5] == ["2025", "+€58,333", "+€29,167", "+€29,167", "-€29,167"]
    # 58,333 - 29,167 = 29,166 as shown, but net is 29,166.67 rounded once: 29,167.
    assert ("gap = funding - net cost (planned - income) - reserve additions + withdrawals, "
            "as in bdur totals") in out
    assert "rounding differences: net cost is planned - income rounded once" in out
    markdown = bdur("diff", "HEAD~1", "-f", "plan.yaml", "--format", "markdown")[1]
    assert "| Year | Funding | Planned | Income | Net | Added | Drawn | Gap |" in markdown
    assert "gap = funding - planned" not in markdown


NOORDERKUST = ROOT / "examples" / "noorderkust.yaml"


@pytest.fixture
def grant_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Noorderkust, then the municipalities' 2026 co-financing confirmed: forecast ->
    granted, not a euro changed (issue 23: funding status per source in every output)."""
    root = tmp_path / "plans"
    root.mkdir()
    shutil.copy(NOORDERKUST, root / "plan.yaml")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Noorderkust")
    edit(root / "plan.yaml", "      2026: {amount: 40000, status: forecast}\n",
         "      2026: {amount: 40000, status: granted}\n")
    commit(root, "Co-financing 2026 granted")
    monkeypatch.chdir(root)
    return root


def test_diff_shows_a_source_going_from_forecast_to_granted(grant_repo: Path) -> None:
    code, out, _ = bdur("diff", "HEAD~1", "-f", "plan.yaml", "--format", "json")
    assert code == 0
    doc = only(json.loads(out), "plan.yaml")
    years_ = {y["year"]: y for y in doc["years"]}  # type: ignore[attr-defined]
    y2026 = years_[2026]
    # 2026: BDuR 470,000 - 10% = 423,000 forecast; gemeenten 40,000 x 1.027 x 1.02 = 41,902.
    assert y2026["funding_sources"] == {
        "bdur": {"amount": {"old": 423_000, "new": 423_000, "change": 0},
                 "status": {"old": "forecast", "new": "forecast", "changed": False}},
        "gemeenten": {"amount": {"old": 41_902, "new": 41_902, "change": 0},
                      "status": {"old": "forecast", "new": "granted", "changed": True}}}
    # The year's mix: forecast alone, then granted beside the forecast BDuR.
    assert y2026["funding_status"] == {"old": "forecast", "new": "granted+forecast",
                                       "changed": True}
    assert y2026["gap"]["change"] == 0
    assert years_[2025]["funding_status"] == {"old": "granted+forecast",
                                              "new": "granted+forecast", "changed": False}

    code, out, _ = bdur("diff", "HEAD~1", "-f", "plan.yaml")
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("Year"))
    assert header.split()[:3] == ["Year", "Status", "Δ"]
    row = next(line for line in lines if line.startswith(" 2026"))
    assert row.split()[:4] == ["2026", "f", "→", "g+f"]
    assert next(line for line in lines if line.startswith(" 2025")).split()[1] == "0"
    assert "Status: g granted, f forecast" in out
    assert "sources.gemeenten.amounts.2026.status" in out

    markdown = bdur("diff", "HEAD~1", "-f", "plan.yaml", "--format", "markdown")[1]
    assert "| Year | Funding | Status | Planned |" in markdown
    assert "| €464,902 | granted+forecast (was forecast) | €511,141 |" in markdown
    # 2025: gemeenten granted beside the forecast BDuR, no change; 2024: the BDuR, granted.
    assert "| €661,080 | granted+forecast | €672,005 |" in markdown
    assert "| €600,000 | granted | €530,000 |" in markdown


TWO_CUTS = ROOT / "examples" / "two-cuts" / "plan.yaml"
SECOND_CUT = "  - {from_year: 2026, change: -5%, note: Tweede korting}\n"


@pytest.fixture
def cut_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """examples/two-cuts/plan.yaml, then its second cut deepened from -5% to -25%: by hand,
    2026's BDuR 400,000 - 10% - 25% = 260,000 and the province's 20,000 make 280,000
    (-80,000), below the structural 300,000: the change breaks structural_within_funding,
    which the plan held (300,000 within 360,000)."""
    root = tmp_path / "plans"
    root.mkdir()
    shutil.copy(TWO_CUTS, root / "plan.yaml")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Two cuts")
    edit(root / "plan.yaml", SECOND_CUT, SECOND_CUT.replace("-5%", "-25%"))
    monkeypatch.chdir(root)
    return root


def test_diff_marks_a_rule_the_change_breaks(cut_repo: Path) -> None:
    code, out, _ = bdur("diff", "HEAD", "-f", "plan.yaml")
    # diff reports; bdur check is the gate (docs/commands.md).
    assert code == 0
    lines = out.splitlines()
    assert next(x for x in lines if x.startswith(" 2026")).split()[:3] == [
        "2026", "!", "-€80,000"]
    assert next(x for x in lines if x.startswith(" 2025")).split()[:2] == ["2025", "0"]
    assert ("! this change breaks a rule in 2026: structural-not-covered (bdur check "
            "plan.yaml says where)") in lines
    assert bdur("check", "plan.yaml")[0] == 1  # where the footnote sends the reader
    code, markdown, _ = bdur("diff", "HEAD", "-f", "plan.yaml", "--format", "markdown")
    assert code == 0
    assert "| 2026 ! | €280,000 (-€80,000) |" in markdown
    assert ("\n\n\\! this change breaks a rule in 2026: structural-not-covered (bdur check "
            "plan.yaml says where)\n\n") in markdown
    code, data, _ = bdur("diff", "HEAD", "-f", "plan.yaml", "--format", "json")
    assert code == 0
    [y2025, y2026] = only(json.loads(data), "plan.yaml")["years"]  # type: ignore[misc]
    assert "rules_newly_broken" not in y2025
    assert y2026["rules_newly_broken"] == ["structural-not-covered"]


def test_diff_does_not_mark_a_rule_broken_before_the_change(cut_repo: Path) -> None:
    commit(cut_repo, "Second cut -25%")
    # Deeper still (-30%: 400,000 x 0.6 + 20,000 = 260,000): broken before and after.
    edit(cut_repo / "plan.yaml", SECOND_CUT.replace("-5%", "-25%"),
         SECOND_CUT.replace("-5%", "-30%"))
    code, out, _ = bdur("diff", "HEAD", "-f", "plan.yaml")
    assert code == 0
    assert next(x for x in out.splitlines() if x.startswith(" 2026")).split()[:2] == [
        "2026", "-€20,000"]
    assert "breaks a rule" not in out
    data = bdur("diff", "HEAD", "-f", "plan.yaml", "--format", "json")[1]
    assert "rules_newly_broken" not in data
