"""The one way through the realisation (`bdur_cli.actuals.realise.realise`) and the
reconciliation's guard.

Following a mapping file from the command line runs the entry once and never enters the public
API (which sits above the CLI's wing); a script that calls the API enters it once, and the API
calls the entry once. The guard that the parts of the reconciliation add up is an explicit error,
so it holds under `python -O` too.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from types import FrameType
from typing import Any

import pytest

from bdur_cli import api
from bdur_cli.actuals import booking, realise
from bdur_cli.actuals.booking import Part, Reconciliation, balance
from bdur_cli.errors import EXIT_USAGE, BdurError
from conftest import ROOT, bdur

MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"


@contextmanager
def entries() -> Iterator[dict[str, int]]:
    """Count the calls into `bdur_cli.api` from outside it, and the calls of the entry."""
    counts = {"api": 0, "realise": 0}
    entry = realise.realise.__code__

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        if frame.f_code is entry:
            counts["realise"] += 1
        if frame.f_globals.get("__name__") == "bdur_cli.api":
            caller = frame.f_back
            if caller is None or caller.f_globals.get("__name__") != "bdur_cli.api":
                counts["api"] += 1

    sys.setprofile(profile)
    try:
        yield counts
    finally:
        sys.setprofile(None)


@pytest.mark.parametrize("args", [
    ["realisation", "-m", str(MAPPING), "--through", "2026-10", "--format", "json"],
    ["realisation", "2024", "-m", str(MAPPING), "--unmapped"],
    ["report", "-m", str(MAPPING), "--through", "2026-10", "--format", "csv"],
    ["chart", "-m", str(MAPPING), "--through", "2026-10"],
])
def test_the_command_line_runs_the_entry_once_and_never_the_api(args: list[str]) -> None:
    with entries() as counts:
        result = bdur(*args)
    assert result.exit_code == 0, result.stderr
    assert counts == {"api": 0, "realise": 1}


@pytest.mark.parametrize("scenarios", [[], ["--scenario",
                                          str(ROOT / "data/scenarios/bdur-cut-2026.yaml")]])
def test_the_pack_reads_the_mapping_once_and_never_enters_the_api(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch, scenarios: list[str]) -> None:
    # The pack gathers its figures as the other commands do: the analysis once (its plan,
    # amendments and mapping with it), the plan's tables from that plan.
    from bdur_cli.actuals import mapping

    reads = []
    real = mapping.load_mapping
    monkeypatch.setattr(mapping, "load_mapping", lambda *a, **k: reads.append(a) or real(*a, **k))
    monkeypatch.setattr(realise, "load_mapping", mapping.load_mapping)
    with entries() as counts:
        result = bdur("pack", "-m", str(MAPPING), "--through", "2026-10", *scenarios,
                      "-o", str(tmp_path / "pack.html"))
    assert result.exit_code == 0, result.stderr
    assert counts == {"api": 0, "realise": 1}
    assert len(reads) == 1
    assert "Besteding extra BDuR-gelden" in (tmp_path / "pack.html").read_text()


def test_the_api_is_entered_once_and_calls_the_entry_once() -> None:
    with entries() as counts:
        analysis = api.realisation(MAPPING, year=2024, through="2026-10")
    assert counts == {"api": 1, "realise": 1}
    # 2024 as worked out by hand in tests/test_realisation.py: staff 1,285,500.00 and means
    # 273,765.44 realised.
    assert analysis.realisation.years[1].total.figures.realised == Decimal("1559265.44")


def _unbalanced() -> Reconciliation:
    # Three postings of 100.00 read, two booked, none elsewhere: one is lost.
    return Reconciliation("export.csv", Part(3, Decimal("300.00")), Part(2, Decimal("200.00")),
                          Part(), Part(), Part(), 0, "csv", "utf-8", 1)


def test_an_unbalanced_reconciliation_is_an_internal_error() -> None:
    with pytest.raises(BdurError) as caught:
        balance(_unbalanced())
    [finding] = caught.value.findings
    assert caught.value.exit_code == EXIT_USAGE
    assert (finding.code, finding.message) == (
        "internal", "internal error: the postings do not reconcile: 3 read (€300.00), 2 "
        "accounted for (€200.00)")
    assert str(finding.location) == "export.csv"
    balance(Reconciliation("export.csv", Part(3, Decimal("300.00")), Part(1, Decimal("50")),
                           Part(1, Decimal("150")), Part(1, Decimal("100.00")), Part(), 0,
                           "csv", "utf-8", 1))  # balanced: no error


def test_the_guard_holds_under_python_O() -> None:
    code = ("import sys; sys.path.insert(0, 'tests'); from test_realise_entry import "
            "_unbalanced; from bdur_cli.actuals.booking import balance; from bdur_cli.errors "
            "import BdurError\ntry:\n    balance(_unbalanced())\nexcept BdurError as e:\n"
            "    print(e.findings[0].code)")
    out = subprocess.run([sys.executable, "-O", "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout == "internal\n"


def test_booking_calls_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    # A booking loop that loses a posting (simulated: the parts never add up) stops the run
    # with bdur's one-line internal error, not a traceback or a figure.
    never: Callable[[Reconciliation], bool] = lambda rec: False  # noqa: E731
    monkeypatch.setattr(booking.Reconciliation, "balanced", property(never))
    result = bdur("realisation", "-m", MAPPING)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    # 519 postings of €5,794,265.43 in the example (its reconciliation, docs/realisation.md).
    assert result.stderr.replace(str(ROOT) + "/", "") == (
        "examples/realisation/grootboek.csv: error: internal error: the postings do not "
        "reconcile: 519 read (€5,794,265.43), 519 accounted for (€5,794,265.43) [internal] "
        "(hint: please report this with the export that caused it)\n")
