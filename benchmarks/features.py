"""The further keys' cost: `bdur totals` on a generated plan written with them (by-year amounts
and fte, periods, phased budgets, income, a reserve, sources, the BDuR cut, indexation) against
the same plan without them. The target: within 1.5x.

    python benchmarks/features.py                 # 10,000 lines, 7 rounds
    python benchmarks/features.py --lines 100000 --rounds 3

Runs are paired and interleaved (plain first in one round, features first in the next), so the
load of a shared machine moves both sides alike; the ratio is taken within each round and the
median over the rounds is shown. It exits 1 when the median ratio is above 1.5. bdur runs with
a cache of its own (never the user's), the plans' parsed data kept and no figures kept, so
every run validates and computes its plan (bdur_cli/plan/memo.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
LIMIT = 1.5
CACHE = WORK / "cache-features"

sys.path.insert(0, str(HERE))
from generate import write_features_plan, write_plan  # noqa: E402


def _seconds(cmd: list[str]) -> float:
    shutil.rmtree(CACHE / "figures", ignore_errors=True)  # computed, not drawn as kept
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "BDUR_CACHE": str(CACHE)})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    bdur = shutil.which("bdur", path=str(Path(sys.executable).parent)) or "bdur"
    plain = write_plan(WORK, args.lines)
    rich = write_features_plan(WORK, args.lines)
    runs = {plain: [], rich: []}  # type: dict[Path, list[float]]
    for path in (plain, rich):  # warm-up: file cache and .pyc files
        _seconds([bdur, "totals", "-f", str(path)])
    ratios = []
    for r in range(args.rounds):
        pair = [plain, rich] if r % 2 == 0 else [rich, plain]
        timed = {path: _seconds([bdur, "totals", "-f", str(path)]) for path in pair}
        for path, seconds in timed.items():
            runs[path].append(seconds)
        ratios.append(timed[rich] / timed[plain])
    ratio = statistics.median(ratios)
    print(f"bdur totals, {args.lines:,} lines, {args.rounds} paired rounds (median):")
    print(f"  without the further keys  {statistics.median(runs[plain]):7.3f} s")
    print(f"  with them                 {statistics.median(runs[rich]):7.3f} s")
    print(f"  ratio                     {ratio:7.2f}x  (limit {LIMIT}x: "
          f"{'met' if ratio <= LIMIT else 'MISSED'})")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
