"""bdur's benchmark: every command at every size, its time and peak memory, and how they grow.

    python benchmarks/bench.py                      # 1,000 / 10,000 / 100,000 lines, 3 rounds
    python benchmarks/bench.py --sizes 1000 10000 --rounds 5
    python benchmarks/bench.py --only totals "report csv"

For the shipped plan and for generated plans (benchmarks/generate.py: many themes, staff and
means, incidental and structural, start months, three rates, one changing by year; with five
scenarios each) it runs every command as the installed `bdur` in a fresh process and records
the wall time and the peak resident memory of each run.

Runs are paired and interleaved, so that the load of a shared machine moves both sides of a
ratio alike: each round runs every command at every size (the sizes in turn, the order
alternating between rounds), and up to 10,000 lines each bdur run next to a run of the floor
program (benchmarks/floor.py: a bare typer app that loads the same YAML with PyYAML's C loader
and prints one rich table), floor first in one pair and bdur first in the next. Above 10,000
lines the floor runs once per round, before that size's commands (a floor run per command would
double the run; no target compares a large plan with the floor). A ratio (bdur / floor, 100,000
/ 10,000 lines) is taken within each round and the median over the rounds is shown. The
figures so far are written to benchmarks/_work/bench.json after every round.

It prints a table per size, the growth from 10,000 to 100,000 lines per command, and the
targets; it exits 1 when a command grows more than 12x in time or in memory from 10,000 to
100,000 lines (ten times the lines).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "data" / "allocations.yaml"
SHIPPED_SCENARIOS = sorted((ROOT / "data" / "scenarios").glob("*.yaml"))
WORK = HERE / "_work"

GROWTH_LIMIT = 12.0  # from 10,000 to 100,000 lines: 10x the input
PAIRED_UP_TO = 10_000  # lines: larger plans run the floor once per round

#: name -> bdur arguments, given the plan, its five scenarios and a scratch folder.
Args = Callable[[Path, list[Path], Path], list[str]]
COMMANDS: dict[str, Args] = {
    "totals": lambda p, s, t: ["totals", "-f", str(p)],
    "totals YEAR": lambda p, s, t: ["totals", "2024", "-f", str(p)],
    "check +5": lambda p, s, t: ["check", str(p), *map(str, s)],
    "compare 5": lambda p, s, t: ["compare", str(p), *map(str, s)],
    "chart": lambda p, s, t: ["chart", "-f", str(p)],
    "report": lambda p, s, t: ["report", "-f", str(p)],
    "report csv": lambda p, s, t: ["report", "--format", "csv", "-f", str(p)],
    "report json": lambda p, s, t: ["report", "--format", "json", "-f", str(p)],
    "report md": lambda p, s, t: ["report", "--format", "markdown", "-f", str(p)],
    "report xlsx": lambda p, s, t: ["report", "--format", "xlsx", "-o", str(t / "r.xlsx"),
                                    "-f", str(p)],
    "report by theme": lambda p, s, t: ["report", "--by", "theme", "--format", "csv", "-f",
                                        str(p)],
    "report by dept": lambda p, s, t: ["report", "--by", "department", "--format", "csv",
                                       "-f", str(p)],
    "report fte": lambda p, s, t: ["report", "--fte", "--format", "csv", "-f", str(p)],
    "report incid.": lambda p, s, t: ["report", "--incidental", "--format", "csv", "-f",
                                      str(p)],
    "report tidy": lambda p, s, t: ["report", "--tidy", "--format", "csv", "-f", str(p)],
}


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)  # the floor run paired with each
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)

    @property
    def over_floor(self) -> float:
        return statistics.median(s / f for s, f in zip(self.seconds, self.floor, strict=True))


def _bdur() -> str:
    exe = Path(sys.executable).parent / "bdur"
    found = str(exe) if exe.exists() else shutil.which("bdur")
    if not found:
        sys.exit("bench: the bdur program is not installed in this environment")
    return found


def _run_once(cmd: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1"})
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {code}:\n{err.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024


# Mirrors the console script (bdur_cli/_entry.py), which runs with the collector off.
_PHASES = r"""
import gc, os; gc.disable(); os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import io, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from bdur_cli import api, checks, loader
from bdur_cli.render import console, totals as render_totals
from bdur_cli.render.formats import Format
t1 = time.perf_counter()
path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
data, source = loader.parse(text, str(path))
t2 = time.perf_counter()
plan = loader.validate(data, source)
refs = checks.reference_findings(plan)
t3 = time.perf_counter()
result = api.totals(plan)
t4 = time.perf_counter()
console.write(render_totals.render(result, Format.csv, title="x"), io.StringIO())
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "validate": t3 - t2, "compute": t4 - t3,
                  "render": t5 - t4}))
"""


def phases(path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _PHASES, str(path)], capture_output=True,
                         text=True, check=True).stdout
    return dict(json.loads(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (runs per command)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--only", nargs="+", choices=list(COMMANDS), default=list(COMMANDS),
                        metavar="COMMAND", help="run only these commands")
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
    plans: dict[str, tuple[Path, list[Path]]] = {"shipped": (SHIPPED, SHIPPED_SCENARIOS)}
    for n in args.sizes:
        plans[str(n)] = (WORK / f"plan-{n}.yaml",
                         [WORK / f"scenario-{n}-{i}.yaml" for i in range(1, 6)])
    scratch = Path(tempfile.mkdtemp(prefix="bdur-bench-"))
    runs = {(size, name): Runs() for size in plans for name in args.only}
    floors = {size: Runs() for size in plans}

    for path, _ in plans.values():  # warm-up: file cache and .pyc files
        _run_once([*floor, str(path)])
        _run_once([bdur, "totals", "-f", str(path)])
    for r in range(args.rounds):
        order = list(plans) if r % 2 == 0 else list(reversed(plans))
        for size in order:
            path, scenarios = plans[size]
            print(f"round {r + 1}/{args.rounds}: {size} ...", file=sys.stderr)
            names = args.only if r % 2 == 0 else list(reversed(args.only))
            paired = size == "shipped" or int(size) <= PAIRED_UP_TO
            if not paired:
                floor_s, floor_mb = _run_once([*floor, str(path)])
                floors[size].seconds.append(floor_s)
                floors[size].peak_mb.append(floor_mb)
            for name in names:
                cmd = [bdur, *COMMANDS[name](path, scenarios, scratch)]
                pair = [[*floor, str(path)], cmd] if paired else [cmd]
                if (r + names.index(name)) % 2:
                    pair.reverse()
                timed = {}
                for one in pair:
                    timed[one is cmd] = _run_once(one)
                seconds, peak = timed[True]
                if paired:
                    floor_s, floor_mb = timed[False]
                    floors[size].seconds.append(floor_s)
                    floors[size].peak_mb.append(floor_mb)
                runs[(size, name)].seconds.append(seconds)
                runs[(size, name)].peak_mb.append(peak)
                runs[(size, name)].floor.append(floor_s)
        (WORK / "bench.json").write_text(json.dumps(
            {"rounds": r + 1, "floor": {k: vars(v) for k, v in floors.items()},
             "runs": {f"{k[0]} {k[1]}": vars(v) for k, v in runs.items()}}, indent=1))
    shutil.rmtree(scratch, ignore_errors=True)

    load = os.getloadavg()
    print(f"\nbdur benchmark: {args.rounds} rounds, paired with the floor, interleaved; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the end\n")
    sizes = list(plans)
    head = f"{'command':16}" + "".join(f" {s + ' s':>11} {'MB':>5} {'/floor':>6}" for s in sizes)
    print(head)
    print("-" * len(head))
    cells = "".join(f" {floors[s].median:11.3f} {floors[s].peak:5.0f} {'':>6}" for s in sizes)
    print(f"{'(floor)':16}{cells}")
    for name in args.only:
        cells = "".join(f" {runs[(s, name)].median:11.3f} {runs[(s, name)].peak:5.0f} "
                        f"{runs[(s, name)].over_floor:6.2f}" for s in sizes)
        print(f"{name:16}{cells}")

    failed = 0
    if "10000" in plans and "100000" in plans:
        print(f"\ngrowth from 10,000 to 100,000 lines (median of paired rounds; limit "
              f"{GROWTH_LIMIT:.0f}x)\n")
        print(f"{'command':16} {'time':>6} {'memory':>7}")
        for name in args.only:
            a, b = runs[("10000", name)], runs[("100000", name)]
            t = statistics.median(y / x for x, y in zip(a.seconds, b.seconds, strict=True))
            m = b.peak / a.peak
            bad = t > GROWTH_LIMIT or m > GROWTH_LIMIT
            failed += bad
            print(f"{name:16} {t:5.1f}x {m:6.1f}x  {'GROWS TOO FAST' if bad else 'ok'}")

    print("\ntargets")
    targets: list[tuple[str, float, float, str]] = []
    if "100000" in plans:
        for name, limit in (("report csv", 5.0), ("totals", 2.5)):
            if name in args.only:
                targets.append((f"100,000 lines: {name}", runs[("100000", name)].median,
                                limit, "s"))
        peak = max(runs[("100000", name)].peak for name in args.only)
        targets.append(("100,000 lines: peak memory, any command", peak, 400, "MB"))
    if "10000" in plans:
        for name in ("totals", "check +5"):
            if name in args.only:
                x = runs[("10000", name)]
                limit = statistics.median(1.2 * f + 0.3 for f in x.floor)
                targets.append((f"10,000 lines: {name} <= 1.2 x floor + 0.3 s", x.median,
                                limit, "s"))
    if "totals YEAR" in args.only:
        x = runs[("shipped", "totals YEAR")]
        targets.append(("shipped: totals 2024 / floor", x.over_floor, 1.0, "x"))
    for label, value, limit, unit in targets:
        verdict = "met" if value <= limit else f"missed by {value - limit:.2f} {unit}"
        print(f"  {label:48} {value:8.2f} {unit:2} (limit {limit:.2f})  {verdict}")

    print("\nin-process phases of totals (s): import, parse, validate, compute, render")
    for size, (path, _) in plans.items():
        p = phases(path)
        print(f"  {size:>8} " + " ".join(f"{k} {v:.3f}" for k, v in p.items()))
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    if failed:
        print(f"{failed} command(s) grow more than {GROWTH_LIMIT:.0f}x from 10,000 to 100,000 "
              "lines", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
