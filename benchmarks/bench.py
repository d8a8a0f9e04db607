"""bdur's benchmark: whole-process time and memory against a floor program, and phase timings.

    python benchmarks/bench.py            # sizes 1,000 / 10,000 / 100,000 lines, 5 runs each
    python benchmarks/bench.py --runs 7 --sizes 1000 10000

For the shipped plan and for generated plans of each size it measures, in one run:
- the whole-process time of `bdur totals 2024`, `bdur check` and the floor program
  (benchmarks/floor.py: a bare typer app that loads the file with PyYAML's C loader and prints
  one rich table), as the median of N runs after one warm-up, and each one's peak memory;
- in-process, the time of each phase (parse, validate, compute, render) and the peak memory.
It prints a table and the ratios that the targets are stated in, and exits 1 if one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "data" / "allocations.yaml"
WORK = HERE / "_work"

# Targets (issue 6), as ratios measured in this one run.
SHIPPED_VS_FLOOR = 1.2
LARGE_VS_FLOOR = 1.5
GROWTH = 11.0


@dataclass
class Measure:
    seconds: float  # median wall time
    peak_mb: float  # peak resident memory of the process (max over the runs)


def _bdur() -> str:
    exe = Path(sys.executable).parent / "bdur"
    found = str(exe) if exe.exists() else shutil.which("bdur")
    if not found:
        sys.exit("bench: the bdur program is not installed in this environment")
    return found


def _run_once(cmd: list[str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_COLOR": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(cmd: list[str], runs: int) -> Measure:
    _, _, code = _run_once(cmd)  # warm-up: file cache, .pyc files
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {code}")
    times, peaks = [], []
    for _ in range(runs):
        seconds, peak, _ = _run_once(cmd)
        times.append(seconds)
        peaks.append(peak)
    return Measure(statistics.median(times), max(peaks))


# Mirrors the console script (bdur_cli/_entry.py), which runs with the collector off.
_PHASES = r"""
import gc, os; gc.disable(); os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from bdur_cli import api, checks, loader, render
t1 = time.perf_counter()
path = Path(sys.argv[1])
text = loader.read_text(path, str(path))
data, source = loader.parse(text, str(path))
t2 = time.perf_counter()
plan = loader.validate(data, source)
refs = checks.reference_findings(plan)
t3 = time.perf_counter()
result = api.totals(plan, 2024)
t4 = time.perf_counter()
out = render.totals(result, render.Format.table, title="x")
import io
buf = io.StringIO()
render.write(out, buf)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "validate": t3 - t2, "compute": t4 - t3,
                  "render": t5 - t4,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def phases(path: Path, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(max(1, runs // 2)):
        out = subprocess.run([sys.executable, "-c", _PHASES, str(path)], capture_output=True,
                             text=True, check=True).stdout
        samples.append(json.loads(out))
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (>= 5)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    bdur, floor = _bdur(), [sys.executable, str(HERE / "floor.py")]
    started = time.perf_counter()
    # Byte-compile bdur as pip does when it installs a wheel: an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise recompile bdur's sources on every run, while the
    # floor's libraries come precompiled.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "bdur_cli"),
                    str(HERE)], check=True)

    # Generated in a child process: a forked child's peak memory counts the parent's pages
    # until it execs, so the parent must stay small for the memory figures to be bdur's own.
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(WORK),
                    *map(str, args.sizes)], check=True, stdout=subprocess.DEVNULL)
    files = {"shipped": SHIPPED} | {str(n): WORK / f"plan-{n}.yaml" for n in args.sizes}
    results: dict[str, dict[str, Measure]] = {}
    phase: dict[str, dict[str, float]] = {}
    for name, path in files.items():
        print(f"measuring {name} ({path.stat().st_size / 1e6:.1f} MB) ...", file=sys.stderr)
        results[name] = {
            "floor": measure([*floor, str(path)], args.runs),
            "totals": measure([bdur, "totals", "2024", "-f", str(path)], args.runs),
            "check": measure([bdur, "check", str(path)], args.runs),
        }
        phase[name] = phases(path, args.runs)

    print(f"\nbdur benchmark: median of {args.runs} runs after a warm-up; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    head = (f"{'plan':>9} {'floor s':>8} {'totals s':>9} {'check s':>8} {'tot/floor':>9} "
            f"{'chk/floor':>9} {'floor MB':>9} {'totals MB':>9} {'check MB':>9} | "
            f"{'import':>6} {'parse':>6} {'valid.':>6} {'comp.':>6} {'render':>6}")
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        p = phase[name]
        print(f"{name:>9} {r['floor'].seconds:8.3f} {r['totals'].seconds:9.3f} "
              f"{r['check'].seconds:8.3f} {r['totals'].seconds / r['floor'].seconds:9.2f} "
              f"{r['check'].seconds / r['floor'].seconds:9.2f} {r['floor'].peak_mb:9.0f} "
              f"{r['totals'].peak_mb:9.0f} {r['check'].peak_mb:9.0f} | "
              f"{p['import']:6.3f} {p['parse']:6.3f} {p['validate']:6.3f} {p['compute']:6.3f} "
              f"{p['render']:6.3f}")

    checks: list[tuple[str, float, float]] = []
    s = results["shipped"]
    checks.append(("shipped: totals / floor", s["totals"].seconds / s["floor"].seconds,
                   SHIPPED_VS_FLOOR))
    if "10000" in results:
        r = results["10000"]
        checks.append(("10,000: totals / floor", r["totals"].seconds / r["floor"].seconds,
                       LARGE_VS_FLOOR))
        checks.append(("10,000: check / floor", r["check"].seconds / r["floor"].seconds,
                       LARGE_VS_FLOOR))
    if "10000" in results and "100000" in results:
        a, b = results["10000"], results["100000"]
        for cmd in ("totals", "check"):
            checks.append((f"{cmd} time 100,000 / 10,000", b[cmd].seconds / a[cmd].seconds,
                           GROWTH))
            checks.append((f"{cmd} memory 100,000 / 10,000", b[cmd].peak_mb / a[cmd].peak_mb,
                           GROWTH))
    print("\ntarget                              ratio   limit")
    missed = 0
    for label, ratio, limit in checks:
        ok = ratio <= limit
        missed += not ok
        print(f"{label:34} {ratio:6.2f}  {limit:6.2f}  {'ok' if ok else 'MISSED'}")
    print(f"\n{len(checks) - missed} of {len(checks)} targets met; "
          f"bench took {time.perf_counter() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
