"""Benchmark of `bdur realisation`: a ledger export of N postings read, mapped and analysed.

    python benchmarks/realisation.py                     # 100,000 postings, CSV, 3 runs
    python benchmarks/realisation.py --sizes 100000 1000000 --xlsx --runs 3

The postings are drawn (seeded) from the kinds of posting in examples/realisation/generate.py:
the same cost centres, accounts and projects, so the example's mapping books them; about 1%
carry no project (unmapped) and 0.1% fall in 2022 (outside the horizon). Amounts are random
cents, dates random from January 2023 to October 2026. Files go to benchmarks/_work/.

Measured per size, as the median of N whole-process runs after one warm-up, with the peak
resident memory of the process: `bdur realisation --through 2026-10 --format json` on the CSV
(and on the same data as xlsx with --xlsx), and, when hledger is installed, `hledger balance -Y`
over the same postings written as a journal (for comparison only; it is no dependency).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
EXAMPLE = ROOT / "examples" / "realisation"
HEADER = "Boekdatum;Boekstuk;Kostenplaats;Grootboekrekening;Project;Omschrijving;Debet;Credit"


def _templates() -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(EXAMPLE))
    import generate  # type: ignore[import-not-found]

    seen = {}
    for _, _, cc, account, project, text, _ in generate.entries():
        if project and project != "BDUR-XX":
            seen[(cc, account, project)] = text.split(" 0")[0].split(" Q")[0]
    return [(cc, account, project, text) for (cc, account, project), text in seen.items()]


def _dutch(cents: int) -> str:
    euros, rest = divmod(abs(cents), 100)
    text = f"{euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"-{text}" if cents < 0 else text


def rows(n: int, seed: int = 2026) -> list[tuple[date, str, str, str, str, int]]:
    rnd = random.Random(seed)
    kinds = _templates()
    start, days = date(2023, 1, 1), (date(2026, 10, 31) - date(2023, 1, 1)).days
    out = []
    for i in range(n):
        cc, account, project, text = kinds[rnd.randrange(len(kinds))]
        day = start + timedelta(days=rnd.randrange(days + 1))
        r = rnd.random()
        if r < 0.01:
            project = ""  # unmapped
        elif r < 0.011:
            day = date(2022, 12, rnd.randint(1, 31))  # outside the horizon
        cents = rnd.randrange(1_000, 2_000_000)
        if rnd.random() < 0.02:
            cents = -cents  # a credit
        out.append((day, cc, account, project, f"{text} {i}", cents))
    return out


def write_csv(path: Path, data: list[tuple[date, str, str, str, str, int]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Grootboekmutaties (benchmark)\r\n\r\n" + HEADER + "\r\n")
        for i, (day, cc, account, project, text, cents) in enumerate(data):
            debit, credit = (_dutch(cents), "") if cents >= 0 else ("", _dutch(-cents))
            f.write(f"{day:%d-%m-%Y};MEM{i};{cc};{account};{project};{text};{debit};"
                    f"{credit}\r\n")


def write_xlsx(path: Path, data: list[tuple[date, str, str, str, str, int]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Mutaties")
    ws.append(["Grootboekmutaties (benchmark)"])
    ws.append([])
    ws.append(HEADER.split(";"))
    for i, (day, cc, account, project, text, cents) in enumerate(data):
        amount = float(Decimal(abs(cents)) / 100)
        ws.append([day, f"MEM{i}", cc, account, project, text,
                   amount if cents >= 0 else None, amount if cents < 0 else None])
    wb.save(path)


def write_journal(path: Path, data: list[tuple[date, str, str, str, str, int]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for day, cc, account, project, text, cents in data:
            euros = f"{cents / 100:.2f}"
            f.write(f"{day:%Y-%m-%d} {text}\n    expenses:{cc}:{account}:{project or 'none'}"
                    f"  {euros} EUR\n    assets:bank\n\n")


def mapping(folder: Path, export: str, decisions: bool = True) -> Path:
    """The example's mapping, reading `export` (UTF-8) from `folder`, beside copies of the
    example's explanations, staffing and board's decisions (files a mapping reads lie beside
    it); its plan stays the example's own. Without `decisions` the board's decisions are left
    out: they were taken on the example's results, not on random postings."""
    text = (EXAMPLE / "mapping.yaml").read_text(encoding="utf-8")
    if not decisions:
        text = re.sub(r"^appropriations: \S+\n", "", text, flags=re.M)
    text = re.sub(r"^plan: (\S+)", lambda m: f"plan: {EXAMPLE / m[1]}", text, flags=re.M)
    for name in re.findall(r"^(?:explanations|staffing|appropriations): (\S+)", text, re.M):
        shutil.copy(EXAMPLE / name, folder / name)
    text = text.replace("  file: grootboek.csv", f"  file: {export}")
    text = text.replace("  encoding: cp1252", "  encoding: utf-8")
    path = folder / f"mapping-{export}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(cmd: list[str], runs: int) -> tuple[float, float]:
    # The random postings give results the example's board decisions do not fit: bdur
    # realisation prints its whole report and then exits 1 (appropriation-exceeds-result).
    # The warm-up checks that this is the only error; the timed runs must exit the same way.
    warm = subprocess.run(cmd, capture_output=True, text=True)
    errors = {m for m in re.findall(r": error: .*\[([a-z-]+)\]", warm.stderr)}
    expected = warm.returncode
    if expected not in (0, 1) or not warm.stdout.strip() or \
            errors - {"appropriation-exceeds-result"}:
        sys.exit(f"bench: {' '.join(cmd)} failed")

    def once() -> tuple[float, float]:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != expected:
            sys.exit(f"bench: {' '.join(cmd)} failed")
        return time.perf_counter() - start, usage.ru_maxrss / 1024

    results = [once() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--xlsx", action="store_true", help="also time the same data as xlsx")
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    bdur = str(Path(sys.executable).parent / "bdur")
    hledger = shutil.which("hledger")
    print(f"bdur realisation benchmark: median of {args.runs} runs after a warm-up; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'postings':>10} {'input':>6} {'MB':>6} {'bdur s':>8} {'peak MB':>8}"
          f"{'  hledger s':>11} {'peak MB':>8}")
    for n in args.sizes:
        data = rows(n)
        folder = WORK / f"ledger-{n}"
        folder.mkdir(exist_ok=True)
        kinds = [("csv", write_csv)] + ([("xlsx", write_xlsx)] if args.xlsx else [])
        for ext, writer in kinds:
            export = folder / f"export.{ext}"
            if not export.exists():
                writer(export, data)
            m = mapping(folder, export.name)
            seconds, peak = run([bdur, "realisation", "-m", str(m), "--through", "2026-10",
                                 "--format", "json"], args.runs)
            line = (f"{n:>10,} {ext:>6} {export.stat().st_size / 2**20:>6.1f} {seconds:>8.2f} "
                    f"{peak:>8.0f}")
            if ext == "csv" and hledger:
                journal = folder / "export.journal"
                if not journal.exists():
                    write_journal(journal, data)
                h_seconds, h_peak = run([hledger, "-f", str(journal), "balance", "-Y"],
                                        args.runs)
                line += f" {h_seconds:>10.2f} {h_peak:>8.0f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
