"""Compare every scenario with the memo's plan, the way an analyst would script it.

    python examples/compare_scenarios.py                      # data/scenarios/*.yaml
    python examples/compare_scenarios.py BASE SCENARIO...     # your own files

For each scenario: its gap per year and the change against the base, the year it hurts most,
and the lines behind the biggest change. Uses only the public API of `bdur_cli`.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path

import bdur_cli
from bdur_cli.render.style import ENGLISH


def data_dir() -> Path:
    here = Path(__file__).resolve().parent.parent / "data"
    return here if here.is_dir() else Path(str(resources.files("bdur_cli") / "data"))


def euro(value: Decimal | None) -> str:
    # None: the year lies outside that file's horizon.
    return "-" if value is None else ENGLISH.money(value, signed=True)


def main(argv: list[str]) -> int:
    if argv:
        base, scenarios = Path(argv[0]), [Path(a) for a in argv[1:]]
    else:
        base = data_dir() / "allocations.yaml"
        scenarios = sorted((data_dir() / "scenarios").glob("*.yaml"))
    try:
        result = bdur_cli.compare(base, *scenarios, explain=True)
    except bdur_cli.BdurError as exc:
        print(exc, file=sys.stderr)
        return 1

    years = [y.year for y in result.base.years]
    print(f"Base: {Path(result.base.file).name}")
    print("gap per year " + "  ".join(f"{y:>12}" for y in years))
    print("base         " + "  ".join(f"{euro(y.gap):>12}" for y in result.base.years))
    for other in result.others:
        print()
        print(f"{other.name or Path(other.file).stem} ({Path(other.file).name})")
        print("  gap        " + "  ".join(f"{euro(y.gap):>12}" for y in other.years))
        print("  change     " + "  ".join(f"{euro((y.difference or {}).get('gap')):>12}"
                                          for y in other.years))
        worst = min(other.years, key=lambda y: (y.difference or {}).get("gap") or 0)
        change = (worst.difference or {}).get("gap") or 0
        if change < 0:
            print(f"  hurts most in {worst.year}: change in gap {euro(change)}")
        biggest = max(other.years, key=lambda y: abs((y.difference or {}).get("planned") or 0))
        for line in (biggest.lines or [])[:3]:
            base, other = ENGLISH.money(line.base), ENGLISH.money(line.other)
            print(f"  {biggest.year} {line.line}: {base} -> {other}")
    return 0


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at devnull so the
        # interpreter's last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
