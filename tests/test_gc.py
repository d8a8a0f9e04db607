"""Garbage-collector tuning belongs to the console script alone: a program that imports bdur
and calls its API keeps its collector as it set it."""

from __future__ import annotations

import subprocess
import sys

from conftest import PLAN, SCENARIOS

_SCRIPT = """
import gc, sys
calls = []
gc.disable = lambda: calls.append("disable")
gc.enable = lambda: calls.append("enable")
gc.freeze = lambda: calls.append("freeze")
import bdur_cli
from bdur_cli.plan.pipeline import check_file
plan = bdur_cli.load(sys.argv[1]).plan
bdur_cli.totals(plan)
bdur_cli.totals(plan, 2024)
bdur_cli.compare(sys.argv[1], sys.argv[2], explain=True)
check_file(sys.argv[2])
assert gc.isenabled(), "collector switched off"
print(calls)
"""


def test_the_library_leaves_the_collector_alone() -> None:
    scenario = SCENARIOS / "staff-from-june-2023.yaml"
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, str(PLAN), str(scenario)],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "[]\n", "")

