"""Generate large, valid allocation plans for the benchmark (deterministic)."""

from __future__ import annotations

import random
from pathlib import Path

LINES_PER_THEME = 20


def plan_text(n_lines: int, seed: int = 2023, features: bool = False) -> str:
    """A plan of `n_lines` lines. With `features`, the same plan written with the further keys
    of docs/plan-format.md: amounts and fte by year, periods, phased budgets, income, a
    reserve, sources, the BDuR cut and indexation (for the 1.5x comparison in features.py)."""
    rnd = random.Random(seed)
    extra = random.Random(seed + 1)  # the features' own draws: the base plan stays the same
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
    if features:
        out += [
            "sources:",
            "  - id: gemeenten",
            "    name: Cofinanciering gemeenten",
            "    kind: cofinancing",
            "    indexed: prices",
            "    amounts:",
            *(f"      {y}: {{amount: {n_lines * 1_000}, status: granted}}"
              for y in range(2023, 2027)),
            "adjustments:",
            "  - {from_year: 2026, change: -10%}",
            "reserves:",
            "  - id: br",
            "    name: Bestemmingsreserve",
            f"    opening: {n_lines * 50_000}",
            "    additions: {2023: 100000}",
            "    withdrawals: {2026: 100000}",
            "indexation:",
            "  base_year: 2023",
            "  wages: {2024: 3.5%, 2025: 4.7%, 2026: 3.8%}",
            "  prices: {2024: 2.1%, 2025: 2.7%}",
        ]
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
            line = {"type": typ, "year": str(year)}
            if kind < 0.6:
                line["fte"] = rnd.choice(("0.5", "1", "1.5", "2"))
                line["rate"] = rnd.choice(("internal", "external", "senior"))
            else:
                line["amount"] = str(rnd.randrange(1_000, 200_000, 500))
            month = rnd.randint(1, 12) if rnd.random() < 0.25 else None
            # A one-off is never pro-rated: no start month on an incidental means line.
            if month is not None and not (typ == "incidental" and kind >= 0.6):
                line["start_month"] = str(month)
            if features:
                _with_features(line, extra)
            out.append(f"      - id: line-{line_no}")
            out += [f"        {key}: {value}" for key, value in line.items()]
            out.append(f"        note: generated line {line_no}")
            line_no += 1
    return "\n".join(out) + "\n"


def _with_features(line: dict[str, str], rnd: random.Random) -> None:
    """Rewrite one generated line with the further keys, in place."""
    pick = rnd.random()
    year = int(line["year"])
    if "amount" in line and line["type"] == "structural" and pick < 0.4:
        amount = int(line["amount"])
        line["amount"] = f"{{{year}: {amount}, {year + 1}: {amount // 2}}}"
    elif "fte" in line and line["type"] == "structural" and pick < 0.3:
        line["fte"] = f"{{{year}: 0.5, {year + 1}: {line['fte']}}}"
    elif "fte" in line and pick < 0.6:
        month = int(line.pop("start_month", "1"))
        del line["year"]
        line = _reorder(line, "start", f"{year}-{month:02d}")
        if line["type"] == "incidental" or pick < 0.45:
            line["end"] = f"{min(year + 1, 2026)}-{rnd.randint(1, 12):02d}"
    elif "amount" in line and line["type"] == "incidental" and pick < 0.7:
        total = int(line.pop("amount"))
        del line["year"]
        line["total"] = str(total)
        line["phasing"] = f"{{{year}: 40%, {year + 1}: 60%}}"
    if rnd.random() < 0.2:
        line["income"] = "{partner: Gemeente, share: 25%, status: granted}"
    if rnd.random() < 0.1:
        line["indexed"] = "false"
    if line["type"] == "incidental" and rnd.random() < 0.2:
        line["reserve"] = "br"


def _reorder(line: dict[str, str], key: str, value: str) -> dict[str, str]:
    # `start` goes where `year` was, after `type`; the dict is changed in place.
    items = list(line.items())
    line.clear()
    line.update(items[:1])
    line[key] = value
    line.update(items[1:])
    return line


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


def write_features_plan(folder: Path, n_lines: int) -> Path:
    """plan-N-features.yaml: plan-N.yaml written with the further keys."""
    folder.mkdir(parents=True, exist_ok=True)
    return _write(folder / f"plan-{n_lines}-features.yaml", plan_text(n_lines, features=True))


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
