"""Benchmark of `bdur pack` against `bdur report --mapping` on the same files (issue 22: the
pack for 1,000 lines and 100,000 postings takes at most twice as long as the report).

    python benchmarks/pack.py                          # 1,000 lines, 100,000 postings, 3 runs
    python benchmarks/pack.py --lines 1000 --postings 100000 --runs 5

The plan is `generate.py`'s (plan-N.yaml); the postings are `realisation.py`'s (the kinds of
posting of the shipped example, about 1% without a project, so unmapped, and 0.1% in 2022,
outside the horizon), each given a project of one of the plan's lines, P0 ... P{N-1}, drawn
with the same seed; the mapping books project Pi on line-i. Files go to benchmarks/_work/.

Each command is a whole process, the median of N runs after one warm-up,
with the peak resident memory: `bdur report -m ... --through 2026-10` as a table (stdout to
/dev/null) and as a workbook, against `bdur pack -m ... --through 2026-10` as HTML and as a
workbook. The pack fails the benchmark (exit 1) when it takes more than twice its report.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _module(name: str, file: str) -> ModuleType:
    # Under names of their own: realisation.py imports the example's generate.py as
    # `generate`, which benchmarks/generate.py must not shadow.
    spec = importlib.util.spec_from_file_location(name, HERE / file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _module("bench_generate", "generate.py")
realisation = _module("bench_realisation", "realisation.py")

WORK = HERE / "_work"


def run(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time of `runs` whole-process runs after a warm-up, and the peak resident
    memory (MB); exit 1 when a run fails. Not realisation.run: that one expects the report on
    stdout, and the pack writes a file."""
    def once() -> tuple[float, float]:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed")
        return time.perf_counter() - start, usage.ru_maxrss / 1024

    once()
    results = [once() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def write_export(path: Path, n_lines: int, n_postings: int) -> None:
    """`realisation.py`'s postings, each moved to the project of one of the plan's lines."""
    rnd = random.Random(n_lines)
    data = [(day, cc, account, f"P{rnd.randrange(n_lines)}" if project else "", text, cents)
            for day, cc, account, project, text, cents in realisation.rows(n_postings)]
    realisation.write_csv(path, data)


def write_mapping(folder: Path, plan: Path, export: Path, n_lines: int) -> Path:
    columns = realisation.HEADER.split(";")
    keys = {"Boekdatum": "date", "Kostenplaats": "cost_centre",
            "Grootboekrekening": "account", "Project": "project",
            "Omschrijving": "description", "Debet": "debit", "Credit": "credit"}
    text = [f"plan: {plan.name}", "export:", f"  file: {export.name}", "  encoding: utf-8",
            "  columns:", *(f"    {keys[c]}: {c}" for c in columns if c in keys),
            "threshold: {amount: 25000, percent: 10, combine: and}", "rules:",
            *(f"  - {{line: line-{i}, project: P{i}}}" for i in range(n_lines))]
    path = folder / f"mapping-{n_lines}.yaml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--postings", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    folder = WORK / f"pack-{args.lines}-{args.postings}"
    folder.mkdir(parents=True, exist_ok=True)
    plan = generate.write_plan(folder, args.lines)
    export = folder / "export.csv"
    if not export.exists():
        write_export(export, args.lines, args.postings)
    mapping = write_mapping(folder, plan, export, args.lines)
    bdur = str(Path(sys.executable).parent / "bdur")
    base = ["-m", str(mapping), "--through", "2026-10"]
    print(f"bdur pack benchmark: {args.lines:,} lines, {args.postings:,} postings; median of "
          f"{args.runs} runs after a warm-up; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':<44} {'s':>7} {'peak MB':>8} {'x report':>9}")
    failed = False
    for kind, report in (("html", [bdur, "report", *base]),
                         ("xlsx", [bdur, "report", *base, "-o", str(folder / "report.xlsx")])):
        r_seconds, r_peak = run(report, args.runs)
        p_seconds, p_peak = run(
            [bdur, "pack", *base, "-o", str(folder / f"pack.{kind}")], args.runs)
        shown = "report -m" + (" -o report.xlsx" if kind == "xlsx" else " (table)")
        print(f"{shown:<44} {r_seconds:>7.2f} {r_peak:>8.0f}")
        ratio = p_seconds / r_seconds
        print(f"{'pack -m -o pack.' + kind:<44} {p_seconds:>7.2f} {p_peak:>8.0f} "
              f"{ratio:>9.2f}", flush=True)
        failed |= ratio > 2
    if failed:
        sys.exit("bench: the pack takes more than twice as long as its report")


if __name__ == "__main__":
    main()
