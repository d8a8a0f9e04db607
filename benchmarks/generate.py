"""Generate large, valid allocation plans for the benchmark (deterministic)."""

from __future__ import annotations

import random
from pathlib import Path

LINES_PER_THEME = 20


def plan_text(n_lines: int, seed: int = 2023) -> str:
    rnd = random.Random(seed)
    n_themes = max(1, n_lines // LINES_PER_THEME)
    out = [
        "plan:",
        f"  region: Benchmark region ({n_lines} lines)",
        "  title: Generated plan",
        "  horizon: {first: 2023, last: 2026}",
        "funding:",
    ]
    for year in range(2023, 2027):
        out.append(f"  {year}: {{amount: {n_lines * 100_000}, status: forecast}}")
    out += [
        "rates:",
        "  internal: {amount: 100000}",
        "  external: {amount: 150000}",
        "  senior: {by_year: {2023: 120000, 2025: 125000}}",
        "goals:",
        "  - {id: g1, name: Goal one}",
        "  - {id: g2, name: Goal two}",
        "themes:",
    ]
    line_no = 0
    for t in range(n_themes):
        out += [f"  - id: theme-{t}", f"    name: Theme {t}", f"    goal: g{t % 2 + 1}",
                f"    department: D{t % 7}", "    lines:"]
        for _ in range(LINES_PER_THEME):
            if line_no >= n_lines:
                break
            kind = rnd.random()
            typ = "incidental" if rnd.random() < 0.3 else "structural"
            year = rnd.choice((2023, 2024, 2025))
            out.append(f"      - id: line-{line_no}")
            out.append(f"        type: {typ}")
            out.append(f"        year: {year}")
            if kind < 0.6:
                out.append(f"        fte: {rnd.choice(('0.5', '1', '1.5', '2'))}")
                out.append(f"        rate: {rnd.choice(('internal', 'external', 'senior'))}")
            else:
                out.append(f"        amount: {rnd.randrange(1_000, 200_000, 500)}")
            if rnd.random() < 0.25:
                out.append(f"        start_month: {rnd.randint(1, 12)}")
            out.append(f"        note: generated line {line_no}")
            line_no += 1
    return "\n".join(out) + "\n"


def scenario_texts(n_lines: int) -> list[str]:
    """Five scenarios on plan-N.yaml, one of each kind of change (the memo's own five): a
    funding cut, a dearer rate, lines added, a line moved a year, staff starting in June.
    Each selection spans the whole plan, so applying it grows with the plan."""
    head = "scenario: {{name: {name}}}\nbase: plan-{n}.yaml\n"
    return [
        head.format(name="Cut", n=n_lines) + "funding:\n  scale: {factor: 0.9, from_year: 2026}\n",
        head.format(name="Dearer", n=n_lines) + "rates:\n  external: {amount: 175000}\n",
        head.format(name="Added", n=n_lines) + "lines:\n  add:\n"
        "    - {theme: theme-0, id: added-1, type: structural, year: 2025, fte: 1, "
        "rate: internal}\n"
        "    - {theme: theme-1, id: added-2, type: incidental, year: 2024, amount: 25000}\n",
        head.format(name="Moved", n=n_lines) + "shift:\n  - select: {line: line-1}\n"
        "    year: 2025\n",
        head.format(name="June", n=n_lines) + "shift:\n"
        "  - select: {kind: staff, type: structural, year: 2023}\n    start_month: 6\n",
    ]


def _write(path: Path, text: str) -> Path:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def write_plan(folder: Path, n_lines: int) -> Path:
    """plan-N.yaml and its five scenarios scenario-N-1.yaml ... scenario-N-5.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(scenario_texts(n_lines), 1):
        _write(folder / f"scenario-{n_lines}-{i}.yaml", text)
    return _write(folder / f"plan-{n_lines}.yaml", plan_text(n_lines))


if __name__ == "__main__":
    import sys

    for size in sys.argv[2:]:
        print(write_plan(Path(sys.argv[1]), int(size)))
