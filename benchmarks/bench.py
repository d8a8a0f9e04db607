"""bdur's benchmark: every command at every size, its time and peak memory, and how they grow.

    python benchmarks/bench.py                      # 1,000 / 10,000 / 100,000 lines, 3 rounds
    python benchmarks/bench.py --sizes 1000 10000 --postings 10000 --rounds 5
    python benchmarks/bench.py --only totals "report csv" --postings

For the shipped plan and for generated plans (benchmarks/generate.py: many themes, staff and
means, incidental and structural, start months, three rates, one changing by year; with five
scenarios each) it runs every command as the installed `bdur` in a fresh process and records
the wall time, the CPU time (user + system) and the peak resident memory of each run:
`totals`, `totals YEAR`, `check` of the plan and its five scenarios, `compare` with the five,
`chart`, `report` in every view and format, and `diff` (a one-line change against the plan as
committed in a scratch git repository). `bdur realisation` runs on ledger exports of 10,000,
100,000 and 1,000,000 postings (benchmarks/realisation.py writes them).

Runs are paired and interleaved, so that the load of a shared machine moves both sides of a
ratio alike. Each round runs every command at every size, the sizes in turn and the order
alternating between rounds; every bdur run sits next to a run of the floor program on the same
plan (benchmarks/floor.py: a bare typer app that imports typer, rich, pydantic and PyYAML, loads
the YAML with PyYAML's C loader, checks its funding rows with a pydantic model and prints one
rich table), the floor first in one pair and bdur first in the next. A ratio (bdur / floor,
100,000 / 10,000 lines, 1,000,000 / 100,000 postings) is taken within each round and the median
over the rounds is shown. The figures so far are written to benchmarks/_work/bench.json after
every round, and the report to benchmarks/_work/bench.md (Markdown) at the end.

It exits 1 when a command grows more than 12x in time or in memory for ten times the input:
10,000 to 100,000 lines, or 100,000 to 1,000,000 postings.
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

GROWTH_LIMIT = 12.0  # for ten times the input
POSTINGS = [10_000, 100_000, 1_000_000]

#: name -> bdur arguments, given the plan, its five scenarios and a scratch folder.
Args = Callable[[Path, list[Path], Path], list[str]]
COMMANDS: dict[str, Args] = {
    "version": lambda p, s, t: ["--version"],
    # Three states of the cache (bdur_cli/plan/cache.py). Kept: the same request ran before,
    # so its figures are drawn as kept (plan/memo.py), as on every repeat of a command. New:
    # a copy of the cache without its figures/ for each run, the plan's parsed data kept, so
    # the plan is validated and computed: a new request (another year) of a plan read before.
    # Cold: a fresh, empty cache folder for each run, so the YAML is parsed and both are
    # written, as on a plan's first run after an edit.
    "totals": lambda p, s, t: ["totals", "-f", str(p)],
    "totals new": lambda p, s, t: ["totals", "-f", str(p)],
    "totals cold": lambda p, s, t: ["totals", "-f", str(p)],
    "totals YEAR": lambda p, s, t: ["totals", "2024", "-f", str(p)],
    "totals YEAR new": lambda p, s, t: ["totals", "2024", "-f", str(p)],
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
    # The plan against itself as committed, one line changed: both versions are read.
    "diff": lambda p, s, t: ["diff", "HEAD", "--no-scenarios", "--format", "json", "-f",
                             "plan.yaml"],
}


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)  # the floor run paired with each

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)

    @property
    def over_floor(self) -> float:
        return statistics.median(s / f for s, f in zip(self.seconds, self.floor, strict=True))

    def add(self, run: tuple[float, float, float]) -> None:
        self.seconds.append(run[0])
        self.cpu.append(run[1])
        self.peak_mb.append(run[2])


def _bdur() -> str:
    exe = Path(sys.executable).parent / "bdur"
    found = str(exe) if exe.exists() else shutil.which("bdur")
    if not found:
        sys.exit("bench: the bdur program is not installed in this environment")
    return found


#: The plan cache of bdur's runs (BDUR_CACHE): the benchmark's own, never the user's.
CACHE = WORK / "cache"


def _run_once(cmd: list[str], cwd: Path | None = None, cache: Path = CACHE
              ) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                            env={**os.environ, "NO_COLOR": "1", "BDUR_CACHE": str(cache)})
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    # check exits 1 on a plan with errors; the generated plans and scenarios have none.
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {code}:\n{err.decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


# Mirrors the console script (bdur_cli/_entry.py), which runs with the collector off.
_PHASES = r"""
import gc, os; gc.disable(); os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import io, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from bdur_cli import api
from bdur_cli.plan import checks, loader
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


def _diff_repo(folder: Path, plan: Path) -> Path:
    """A scratch git repository holding `plan` as committed, and in its working tree the same
    plan with one line's amount or fte changed."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    text = plan.read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-C",
           str(folder)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "plan.yaml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], check=True)
    changed = text.replace("        fte: 1\n", "        fte: 2\n", 1)
    if changed == text:
        changed = text.replace("rate: internal", "rate: external", 1)
    (folder / "plan.yaml").write_text(changed, encoding="utf-8")
    return folder


def _ledgers(sizes: list[int]) -> dict[int, Path]:
    """The mapping file of a ledger export of each size (written once, by realisation.py)."""
    sys.path.insert(0, str(HERE))
    import realisation

    out = {}
    for n in sizes:
        folder = WORK / f"ledger-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / "export.csv"
        if not export.exists():
            print(f"writing a ledger export of {n:,} postings ...", file=sys.stderr)
            realisation.write_csv(export, realisation.rows(n))
        # Without the example's board decisions: on random postings they add more to the
        # reserve than the result allows, and bdur realisation rightly exits 1.
        out[n] = realisation.mapping(folder, export.name, decisions=False)
    return out


def _growth(a: Runs, b: Runs) -> tuple[float, float]:
    """Time (median of the ratios within a round) and peak memory from `a` to `b`."""
    t = statistics.median(y / x for x, y in zip(a.seconds, b.seconds, strict=True))
    return t, b.peak / a.peak


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (runs per command)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000],
                        help="plan sizes in lines")
    parser.add_argument("--postings", type=int, nargs="*", default=POSTINGS,
                        help="ledger export sizes for bdur realisation (none: skip it)")
    parser.add_argument("--only", nargs="*", choices=list(COMMANDS), default=list(COMMANDS),
                        metavar="COMMAND", help="run only these commands (none: only "
                        "realisation)")
    args = parser.parse_args()
    bdur, floor = _bdur(), [sys.executable, str(HERE / "floor.py")]
    started = time.perf_counter()
    load_before = os.getloadavg()
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
    repos = {size: _diff_repo(scratch / f"diff-{size}", path)
             for size, (path, _) in plans.items()} if "diff" in args.only else {}
    ledgers = _ledgers(args.postings) if args.postings else {}
    runs = {(size, name): Runs() for size in plans for name in args.only}
    floors = {size: Runs() for size in plans}
    real = {n: Runs() for n in ledgers}

    def realisation_cmd(n: int) -> list[str]:
        return [bdur, "realisation", "-m", str(ledgers[n]), "--through", "2026-10",
                "--format", "json"]

    for path, _ in plans.values():  # warm-up: file cache, .pyc files, the kept figures
        _run_once([*floor, str(path)])
        _run_once([bdur, "totals", "-f", str(path)])
        _run_once([bdur, "totals", "2024", "-f", str(path)])
    for n in ledgers:
        _run_once(realisation_cmd(n))
    for r in range(args.rounds):
        order = list(plans) if r % 2 == 0 else list(reversed(plans))
        names = args.only if r % 2 == 0 else list(reversed(args.only))
        for size in order:
            path, scenarios = plans[size]
            print(f"round {r + 1}/{args.rounds}: {size} ...", file=sys.stderr)
            for k, name in enumerate(names):
                cwd = repos.get(size) if name == "diff" else None
                cmd = [bdur, *COMMANDS[name](path, scenarios, scratch)]
                cache = scratch / f"cold-{r}-{size}" if name == "totals cold" else CACHE
                if name.endswith(" new"):  # the plans' parsed data, none of the figures
                    cache = scratch / f"new-{r}-{size}-{k}"
                    shutil.copytree(CACHE, cache, ignore=shutil.ignore_patterns("figures"))
                if (r + k) % 2:
                    runs[(size, name)].add(_run_once(cmd, cwd, cache))
                    floors[size].add(_run_once([*floor, str(path)]))
                else:
                    floors[size].add(_run_once([*floor, str(path)]))
                    runs[(size, name)].add(_run_once(cmd, cwd, cache))
                runs[(size, name)].floor.append(floors[size].seconds[-1])
                if name.endswith(" new"):
                    shutil.rmtree(cache, ignore_errors=True)
        for n in (list(ledgers) if r % 2 == 0 else list(reversed(ledgers))):
            print(f"round {r + 1}/{args.rounds}: realisation, {n:,} postings ...",
                  file=sys.stderr)
            real[n].add(_run_once(realisation_cmd(n)))
        (WORK / "bench.json").write_text(json.dumps(
            {"rounds": r + 1, "floor": {k: vars(v) for k, v in floors.items()},
             "runs": {f"{k[0]} {k[1]}": vars(v) for k, v in runs.items()},
             "realisation": {str(k): vars(v) for k, v in real.items()}}, indent=1))
    shutil.rmtree(scratch, ignore_errors=True)

    out: list[str] = []
    load = os.getloadavg()
    out.append(f"bdur benchmark: {args.rounds} rounds, each bdur run paired with a floor run, "
               f"interleaved; Python {sys.version.split()[0]}, {os.cpu_count()} cores; load "
               f"average (1 / 5 / 15 min) {load_before[0]:.2f} / {load_before[1]:.2f} / "
               f"{load_before[2]:.2f} at the start, {load[0]:.2f} / {load[1]:.2f} / "
               f"{load[2]:.2f} at the end")
    out.append("")
    out.append("Median wall time (s), median CPU time (user + system, s), peak memory (MB), "
               "and the median over the rounds of each run's time over its paired floor run.")
    for size in plans:
        if not floors[size].seconds:  # `--only` with no plan command: realisation alone
            continue
        label = "the shipped plan" if size == "shipped" else f"{int(size):,} lines"
        out += ["", f"**{label}** (floor: {floors[size].median:.3f} s, CPU "
                f"{floors[size].median_cpu:.3f} s, {floors[size].peak:.0f} MB)", "",
                "| command | s | CPU s | MB | / floor |", "|---|---:|---:|---:|---:|"]
        for name in args.only:
            x = runs[(size, name)]
            out.append(f"| {name} | {x.median:.3f} | {x.median_cpu:.3f} | {x.peak:.0f} | "
                       f"{x.over_floor:.2f} |")

    failed = 0
    if "10000" in plans and "100000" in plans:
        out += ["", f"**Growth from 10,000 to 100,000 lines** (10x the lines; limit "
                f"{GROWTH_LIMIT:.0f}x in time and in memory)", "",
                "| command | time | memory | |", "|---|---:|---:|---|"]
        for name in args.only:
            t, m = _growth(runs[("10000", name)], runs[("100000", name)])
            bad = t > GROWTH_LIMIT or m > GROWTH_LIMIT
            failed += bad
            out.append(f"| {name} | {t:.1f}x | {m:.1f}x | "
                       f"{'GROWS TOO FAST' if bad else 'ok'} |")
    if real:
        out += ["", "**bdur realisation --through 2026-10 --format json** on a ledger export "
                "(CSV, Dutch Excel)", "", "| postings | s | CPU s | MB | growth |",
                "|---:|---:|---:|---:|---|"]
        sizes = list(real)
        for i, n in enumerate(sizes):
            x = real[n]
            growth = ""
            if i and n == 10 * sizes[i - 1]:
                t, m = _growth(real[sizes[i - 1]], x)
                bad = t > GROWTH_LIMIT or m > GROWTH_LIMIT
                failed += bad
                growth = f"{t:.1f}x time, {m:.1f}x memory{' GROWS TOO FAST' if bad else ''}"
            out.append(f"| {n:,} | {x.median:.3f} | {x.median_cpu:.3f} | {x.peak:.0f} | "
                       f"{growth} |")

    targets: list[tuple[str, float, float, str]] = []
    if "100000" in plans:
        for name, limit in (("report csv", 5.0), ("totals", 2.5), ("totals new", 2.5)):
            if name in args.only:
                targets.append((f"100,000 lines: `{name}`", runs[("100000", name)].median,
                                limit, "s"))
        if args.only:
            peak = max(runs[("100000", name)].peak for name in args.only)
            which = max(args.only, key=lambda name: runs[("100000", name)].peak)
            targets.append((f"100,000 lines: peak memory of any command ({which})", peak,
                            400, "MB"))
    if "10000" in plans:
        for name in ("totals", "check +5"):
            if name in args.only:
                x = runs[("10000", name)]
                limit = statistics.median(1.2 * f + 0.3 for f in x.floor)
                targets.append((f"10,000 lines: `{name}` <= 1.2 x floor + 0.3 s", x.median,
                                limit, "s"))
    if "totals cold" in args.only and "100000" in plans:
        targets.append(("100,000 lines: `totals`, cache cold (no target; for comparison)",
                        runs[("100000", "totals cold")].median, float("inf"), "s"))
    if "totals YEAR" in args.only:
        x = runs[("shipped", "totals YEAR")]
        targets.append(("shipped plan: `totals 2024` / floor", x.over_floor, 1.0, "x"))
    if "totals YEAR new" in args.only:
        x = runs[("shipped", "totals YEAR new")]
        targets.append(("shipped plan: `totals 2024`, figures new / floor (no target; for "
                        "comparison)", x.over_floor, float("inf"), "x"))
    if "version" in args.only:
        x = runs[("shipped", "version")]
        targets.append(("`bdur --version`", x.median, 0.15, "s"))
    for n, limit in ((100_000, 1.7), (1_000_000, 24.5)):
        if n in real:
            targets.append((f"realisation, {n:,} postings", real[n].median, limit, "s"))
    if 1_000_000 in real:
        targets.append(("realisation, 1,000,000 postings: peak memory", real[1_000_000].peak,
                        1024, "MB"))
    if targets:
        out += ["", "**Targets**", "", "| target | figure | limit | |", "|---|---:|---:|---|"]
        for label, value, limit, unit in targets:
            verdict = "met" if value <= limit else f"missed by {value - limit:.2f} {unit}"
            shown = f"{limit:.2f} {unit}" if limit != float("inf") else "-"
            out.append(f"| {label} | {value:.2f} {unit} | {shown} | "
                       f"{verdict if limit != float('inf') else ''} |")

    out += ["", "In-process phases of `totals` (s, one run each): import, parse, validate, "
            "compute, render", ""]
    for size, (path, _) in plans.items():
        p = phases(path)
        out.append(f"    {size:>8} " + " ".join(f"{k} {v:.3f}" for k, v in p.items()))
    out += ["", f"The benchmark took {time.perf_counter() - started:.0f} s."]
    text = "\n".join(out) + "\n"
    (WORK / "bench.md").write_text(text, encoding="utf-8")
    print(text)
    if failed:
        print(f"{failed} command(s) grow more than {GROWTH_LIMIT:.0f}x for ten times the input",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
