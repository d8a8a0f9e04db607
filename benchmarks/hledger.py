"""bdur totals beside hledger's yearly forecast of the same sums (for comparison only:
hledger is no dependency of bdur).

    python benchmarks/hledger.py                     # 10,000 lines, 5 rounds
    python benchmarks/hledger.py --sizes 10000 100000 --rounds 3

For a generated plan (benchmarks/generate.py, as bench.py makes them) it writes the journal a
hledger user would keep for its yearly figures: per line one periodic transaction for each
run of years with the same yearly cost (`~ yearly from 2024 to 2027`), that cost to the cent
(bdur's own line-years give the figures; a monthly rule per line makes hledger generate twelve
times the transactions and take about ten times as long). Then, paired and
interleaved, it times `bdur totals -f PLAN` (the plan cache warm, as on every run after the
first, but no figures kept: bdur computes them every run, as hledger does) and
`hledger -f JOURNAL balance -Y --forecast=2023..2027 -N --depth 1` (the yearly
sums of the forecast), and prints each one's median and minimum wall time and the median of
the ratios within a pair. Checks first that the yearly sums agree (to a cent per line-year).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
CENT = Decimal("0.01")


def journal(plan_path: Path) -> tuple[str, dict[int, Decimal]]:
    """The journal of the plan's line-years, and its yearly sums as hledger will make them."""
    from bdur_cli.plan import engine
    from bdur_cli.plan.pipeline import load_plan

    plan = load_plan(plan_path).plan
    out: list[str] = []
    sums: dict[int, Decimal] = {}
    # Per line, runs of consecutive years of the same yearly cost share one rule.
    rules: list[tuple[str, str, int, int, Decimal]] = []  # theme, line, from, to, yearly
    for row in engine.line_years(plan):
        exact = Fraction(row.exact)
        yearly = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            CENT, ROUND_HALF_UP)
        sums[row.year] = sums.get(row.year, Decimal(0)) + yearly
        last = rules[-1] if rules else None
        if (last is not None and last[1] == row.line_id and last[3] == row.year
                and last[4] == yearly):
            rules[-1] = (*last[:3], row.year + 1, yearly)
        else:
            rules.append((row.theme_id, row.line_id, row.year, row.year + 1, yearly))
    for theme, line, y0, y1, yearly in rules:
        out += [f"~ yearly from {y0} to {y1}  {line}",
                f"    expenses:{theme}:{line}    {yearly} EUR", "    assets:bdur", ""]
    return "\n".join(out), sums


def _run(cmd: list[str]) -> tuple[float, str]:
    # bdur's kept figures (bdur_cli/plan/memo.py) would skip the sums being compared.
    shutil.rmtree(WORK / "cache" / "figures", ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True,
                          env={**os.environ, "NO_COLOR": "1",
                               "BDUR_CACHE": str(WORK / "cache")})
    return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    hledger = shutil.which("hledger")
    if hledger is None:
        sys.exit("hledger is not installed (apt-get install hledger)")
    version = subprocess.run([hledger, "--version"], capture_output=True, text=True
                             ).stdout.strip()
    bdur = str(Path(sys.executable).parent / "bdur")
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(WORK),
                    *map(str, args.sizes)], check=True, stdout=subprocess.DEVNULL)
    print(f"{version}; load average {os.getloadavg()[0]:.2f} at the start")
    for n in args.sizes:
        plan = WORK / f"plan-{n}.yaml"
        text, sums = journal(plan)
        path = WORK / f"plan-{n}.journal"
        path.write_text(text, encoding="utf-8")
        hcmd = [hledger, "-f", str(path), "balance", "-Y", "--forecast=2023..2027", "-N",
                "--depth", "1"]
        bcmd = [bdur, "totals", "-f", str(plan)]
        _, shown = _run(hcmd)  # warm-up, and the sums agree
        _run(bcmd)
        for year, total in sums.items():
            assert f"{total:,.2f}".replace(",", "") in shown.replace(",", ""), (year, total)
        b_times: list[float] = []
        h_times: list[float] = []
        for r in range(args.rounds):
            pair = [(bcmd, b_times), (hcmd, h_times)]
            for cmd, times in pair if r % 2 == 0 else reversed(pair):
                times.append(_run(cmd)[0])
        ratio = statistics.median(b / h for b, h in zip(b_times, h_times, strict=True))
        print(f"{n:,} lines: bdur totals median {statistics.median(b_times):.3f} s (min "
              f"{min(b_times):.3f}); hledger balance -Y --forecast median "
              f"{statistics.median(h_times):.3f} s (min {min(h_times):.3f}); "
              f"bdur / hledger {ratio:.2f}x (median of {args.rounds} pairs), "
              f"{min(b_times) / min(h_times):.2f}x (minimums)")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
