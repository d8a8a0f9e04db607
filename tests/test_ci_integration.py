"""The pre-commit hook and the JSON Schema, exercised the way CI and editors use them."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import PLAN, ROOT, bdur

SCHEMA = ROOT / "bdur.schema.json"


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert exe, f"{name} is not installed (pip install -e '.[test]')"
    return exe


# --- pre-commit ------------------------------------------------------------------------------

def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "bdur-check"]
    return hook


def test_pre_commit_hook_declaration() -> None:
    hook = _hook()
    assert (hook["entry"], hook["language"], hook["types"]) == ("bdur check", "python", ["yaml"])
    files = re.compile(str(hook["files"]))
    matched = [p for p in ("data/allocations.yaml", "allocations-2025.yml",
                           "data/scenarios/staff-from-june-2023.yaml",
                           "plans/allocations/vrhm.yaml", "bdur.schema.json",
                           ".github/workflows/ci.yaml", "data/other.yaml")
               if files.search(p)]
    assert matched == ["data/allocations.yaml", "allocations-2025.yml",
                       "data/scenarios/staff-from-june-2023.yaml", "plans/allocations/vrhm.yaml"]


def test_pre_commit_hook_entry_runs_on_the_shipped_plan(tmp_path: Path) -> None:
    # pre-commit runs `entry` with the matching file names appended.
    entry = shlex.split(str(_hook()["entry"]))
    assert entry[0] == "bdur"
    proc = subprocess.run([_tool("bdur"), *entry[1:], str(PLAN)], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "bdur check: 1 file, 0 errors, 0 warnings\n"
    bad = tmp_path / "allocations.yaml"
    bad.write_text(PLAN.read_text(encoding="utf-8").replace("amount: 1650000",
                                                            "amount: 1.650.000"))
    proc = subprocess.run([_tool("bdur"), *entry[1:], bad.name], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("allocations.yaml:26:13: error: funding[2024].amount: "
                                  "'1.650.000' uses a Dutch thousands separator")


# --- JSON Schema -----------------------------------------------------------------------------

def test_committed_schema_is_what_bdur_schema_prints() -> None:
    result = bdur("schema")
    assert result.exit_code == 0
    assert result.stdout == SCHEMA.read_text(encoding="utf-8"), \
        "bdur.schema.json is stale: run `bdur schema > bdur.schema.json`"


def test_every_field_has_a_description() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    missing = [f"{name}.{field}" for name, model in [("Plan", schema), *schema["$defs"].items()]
               for field, spec in model["properties"].items() if not spec.get("description")]
    assert missing == []
    assert sorted(schema["$defs"]) == ["Adjustment", "Funding", "Goal", "Horizon", "Income",
                                       "Indexation", "MeansLine", "Period", "PhasedLine",
                                       "PlanMeta", "PlannedWithinFunding", "Rate", "Reserve",
                                       "Rules", "Source", "StaffLine", "StatedTotals", "Theme"]


def test_the_plan_points_editors_at_the_schema() -> None:
    first = PLAN.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=bdur.schema.json"
    # Resolved next to the plan (bdur_cli/data/, also seen as data/): a copy of the root's,
    # a real file so that the wheel and the sdist ship it.
    for name in ("bdur.schema.json", "bdur-scenario.schema.json"):
        for folder in (ROOT / "data", ROOT / "bdur_cli" / "data"):
            assert (folder / name).read_text(encoding="utf-8") == \
                (ROOT / name).read_text(encoding="utf-8")


def test_the_package_holds_no_links() -> None:
    # A link inside the package is copied as its target by some tools and dropped by others.
    assert [p for p in (ROOT / "bdur_cli").rglob("*") if p.is_symlink()] == []


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("check-jsonschema"), "--schemafile", str(SCHEMA),
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def test_check_jsonschema_accepts_the_shipped_plan_and_examples() -> None:
    positive = sorted((ROOT / "tests" / "examples" / "positive").glob("*.yaml"))
    further = [ROOT / "examples" / "noorderkust.yaml",
               *sorted((ROOT / "examples" / "plan-format").glob("*.yaml"))]
    proc = _check_jsonschema(PLAN, *positive, *further)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


def test_check_jsonschema_refuses_what_bdur_refuses(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8")
    cases = {
        "float.yaml": text.replace("amount: 120000", "amount: 120000.5"),
        "year-key.yaml": text.replace("  2024:\n    amount: 1650000", "  24:\n    amount: 1650000"),
        "misspelt.yaml": text.replace("  region:", "  regoin:"),
        "negative.yaml": text.replace("amount: 50000", "amount: -50000"),
        # A line of two kinds, or of none: each member of the lines' oneOf refuses it.
        "staff-and-means.yaml": text.replace("fte: 1\n        rate: internal\n        note: "
                                             "Tabel 1", "fte: 1\n        rate: internal\n"
                                             "        amount: 5\n        note: Tabel 1", 1),
        "no-kind.yaml": text.replace("fte: 1\n        rate: internal\n        note: Tabel 1",
                                     "note: Tabel 1", 1),
    }
    for name, content in cases.items():
        assert content != text
        (tmp_path / name).write_text(content, encoding="utf-8")
        proc = _check_jsonschema(tmp_path / name)
        assert proc.returncode == 1, name
        assert "Schema validation errors were encountered" in proc.stdout, name


# --- the scenario schema ---------------------------------------------------------------------

SCENARIO_SCHEMA = ROOT / "bdur-scenario.schema.json"


def test_committed_scenario_schema_is_what_bdur_schema_prints() -> None:
    result = bdur("schema", "--scenario")
    assert result.exit_code == 0
    assert result.stdout == SCENARIO_SCHEMA.read_text(encoding="utf-8"), \
        "stale: run `bdur schema --scenario > bdur-scenario.schema.json`"
    schema = json.loads(result.stdout)
    assert schema["required"] == ["scenario", "base"]
    assert schema["properties"]["stated_totals"]["propertyNames"] == \
        {"pattern": "^(20[0-9]{2}|2100)$"}


def test_shipped_scenarios_point_editors_at_their_schema_and_pass_it(tmp_path: Path) -> None:
    scenarios = sorted((ROOT / "data" / "scenarios").glob("*.yaml"))
    for path in scenarios:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../bdur-scenario.schema.json"
        assert (path.parent / ".." / "bdur-scenario.schema.json").read_text("utf-8") == \
            SCENARIO_SCHEMA.read_text("utf-8")
    tool = [_tool("check-jsonschema"), "--schemafile", str(SCENARIO_SCHEMA)]
    proc = subprocess.run([*tool, *map(str, scenarios)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(scenarios[0].read_text(encoding="utf-8").replace("base:", "bsae:"))
    proc = subprocess.run([*tool, str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Schema validation errors were encountered" in proc.stdout
