"""Write the realisation example: a ledger export for the memo's plan, January 2023 to
October 2026, as Dutch Excel writes it (CSV and xlsx), beside its mapping and explanations.

    python examples/realisation/generate.py            # rewrites the files beside this script
    python examples/realisation/generate.py OUT_DIR    # or somewhere else

The story a board would recognise:
- staff arrive on 1 June 2023, as the memo's note under Table 2 warns (vakbekwaamheid and
  crisiscommunicatie already had 0.5 fte in place);
- the external hire for the VIK started in February 2023 and ran on into 2024, until the
  second internal VIK post was filled on 1 July 2024;
- netwerkmanagement spends 20,000 a year of its 50,000 means;
- a course refund (credit note) in 2024, one invoice in cents, three postings on no BDuR
  project (unmapped), and one 2022 invoice (outside the plan's horizon).

The amounts are fixed so that every figure can be worked out by hand: an internal fte costs
8,500.00 a month (102,000 a year against the plan's 100,000), means are booked per quarter
(a quarter of the yearly amount, in March, June, September and December), external hire is
invoiced monthly. Only the booking day within a month and the voucher numbers are drawn from
the seeded random generator, so the files are the same on every run.
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2023
FTE_MONTH = Decimal("8500.00")
LAST = (2026, 10)  # the export runs to the end of October 2026
TITLE = [
    "Grootboekmutaties BDuR crisisbeheersing",
    "Veiligheidsregio Hollands Midden - afdeling Financiën",
    "Periode 01-01-2023 t/m 31-10-2026, geëxporteerd op 03-11-2026",
]
HEADER = ["Boekdatum", "Boekstuk", "Kostenplaats", "Grootboekrekening", "Project",
          "Omschrijving", "Debet", "Credit"]
QUARTERS = (3, 6, 9, 12)

# Cost centres per department, ledger accounts, projects per theme.
CC = {"CB": "3100", "CB/RD": "3110", "S&B": "3200", "BGC": "3300", "IM": "3400", "RCB": "3500"}
SALARIES, HIRE, TRAINING, OTHER = "4000", "4100", "4300", "4500"


@dataclass(frozen=True)
class Posting:
    day: date
    cost_centre: str
    account: str
    project: str
    description: str
    amount: Decimal  # positive: a cost (debit); negative: a credit


def months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from first to last inclusive."""
    out = []
    y, m = first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def staff(project: str, cc: str, name: str, periods: list[tuple[tuple[int, int],
                                                                tuple[int, int], str]]
          ) -> list[tuple[int, int, str, str, str, str, Decimal]]:
    """Monthly salary postings: (first, last, fte) periods at 8,500.00 per fte a month."""
    out = []
    for first, last, fte in periods:
        for y, m in months(first, last):
            out.append((y, m, cc, SALARIES, project, f"Salarissen {name} {m:02d}-{y}",
                        FTE_MONTH * Decimal(fte)))
    return out


def quarterly(project: str, cc: str, account: str, what: str,
              per_year: dict[int, Decimal]) -> list[tuple[int, int, str, str, str, str,
                                                           Decimal]]:
    """Means booked per quarter: a quarter of the yearly amount, up to the export's end."""
    out = []
    for year, amount in per_year.items():
        for m in QUARTERS:
            if (year, m) <= LAST:
                out.append((year, m, cc, account, project, f"{what} Q{QUARTERS.index(m) + 1} "
                            f"{year}", amount / 4))
    return out


def entries() -> list[tuple[int, int, str, str, str, str, Decimal]]:
    """(year, month, cost centre, account, project, description, amount) of every posting."""
    june = (2023, 6)
    end = LAST
    e = []
    # Internal staff: from 1 June 2023 (the memo's warning), 1 fte unless said otherwise.
    for project, cc, name in [("BDUR-NC", CC["CB"], "adviseur nieuwe crises"),
                              ("BDUR-NW", CC["CB"], "netwerkmanager"),
                              ("BDUR-JUR", CC["S&B"], "jurist crisisbeheersing"),
                              ("BDUR-DE", CC["IM"], "data-engineer")]:
        e += staff(project, cc, name, [(june, end, "1")])
    for project, name in [("BDUR-VB", "adviseur vakbekwaamheid"),
                          ("BDUR-CC", "adviseur crisiscommunicatie")]:
        # 0.5 fte already in place since September 2022, the other fte from June 2023.
        e += staff(project, CC["CB"], name, [((2023, 1), (2023, 5), "0.5"),
                                             (june, end, "1.5")])
    e += staff("BDUR-BZ", CC["BGC"], "adviseur bevolkingszorg",
               [(june, (2024, 12), "1"), ((2025, 1), end, "2")])
    e += staff("BDUR-VIK", CC["CB/RD"], "informatieanalist VIK",
               [(june, (2024, 6), "1"), ((2024, 7), end, "2")])
    e += staff("BDUR-BI", CC["IM"], "BI-specialist", [((2024, 1), end, "1")])
    e += staff("BDUR-IS", CC["RCB"], "informatiespecialist", [((2024, 1), end, "1")])
    # External hire: VIK from February 2023 until the internal post was filled (July 2024).
    for y, m in months((2023, 2), (2024, 6)):
        e.append((y, m, CC["CB/RD"], HIRE, "BDUR-VIK", f"Inhuur VIK-analist {m:02d}-{y}",
                  Decimal("18750.00")))
    for y, m in months((2023, 1), (2023, 12)):
        e.append((y, m, CC["IM"], HIRE, "BDUR-BI", f"Inhuur BI-specialist {m:02d}-{y}",
                  Decimal("12500.00")))
    # Structural means, per quarter.
    nc = {2023: Decimal(10000), 2024: Decimal(15000), 2025: Decimal(15000),
          2026: Decimal(15000)}
    every = (2023, 2024, 2025, 2026)
    e += quarterly("BDUR-NC", CC["CB"], OTHER, "Middelen nieuwe crises", nc)
    e += quarterly("BDUR-VB", CC["CB"], TRAINING, "Opleiden en oefenen",
                   dict.fromkeys(every, Decimal(100000)))
    e += quarterly("BDUR-CC", CC["CB"], OTHER, "Crisiscommunicatie campagne",
                   dict.fromkeys(every, Decimal(20000)))
    e += quarterly("BDUR-NW", CC["CB"], OTHER, "Netwerkbijeenkomsten",
                   dict.fromkeys(every, Decimal(20000)))  # 20,000 of the 50,000
    e += quarterly("BDUR-VIK", CC["CB"], OTHER, "Licenties risicomonitoring",
                   dict.fromkeys(every, Decimal(120000)))
    # Incidental means 2023.
    e += [(2023, 11, CC["CB"], OTHER, "BDUR-NC-I", "Scenario-oefening langdurige crisis",
           Decimal("19876.54")),
          (2023, 10, CC["CB"], OTHER, "BDUR-CC-I", "Ontwerp risicocommunicatie-toolkit",
           Decimal("10000.00")),
          (2023, 9, CC["CB"], OTHER, "BDUR-VIK-I", "Inrichting VIK, fase 1",
           Decimal("48000.00")),
          (2023, 12, CC["CB"], OTHER, "BDUR-VIK-I", "Inrichting VIK, fase 2",
           Decimal("32000.00"))]
    # A credit note: a cancelled course refunded in May 2024.
    e.append((2024, 5, CC["CB"], TRAINING, "BDUR-VB", "Creditnota geannuleerde cursus "
              "crisiscoördinatie", Decimal("-1234.56")))
    # Not BDuR money (no project, or a mistyped one): unmapped, and listed as such.
    e += [(2024, 3, CC["CB"], OTHER, "", "Koffie en thee crisisteam, café De Sluis",
           Decimal("123.45")),
          (2025, 1, CC["CB"], OTHER, "", "Abonnement vakblad Crisisbeheersing",
           Decimal("1000.00")),
          (2025, 6, CC["CB"], OTHER, "BDUR-XX", "Drukwerk folders", Decimal("2500.00"))]
    # A 2022 invoice booked in the export: before the plan's horizon.
    e.append((2022, 12, CC["CB"], TRAINING, "BDUR-VB", "Voorschot oefendag 2023",
              Decimal("5000.00")))
    return e


def postings(seed: int = SEED) -> list[Posting]:
    rnd = random.Random(seed)
    out = []
    for y, m, cc, account, project, text, amount in entries():
        day = date(y, m, 28) if (y, m) == (2022, 12) else date(y, m, rnd.randint(1, 28))
        out.append(Posting(day, cc, account, project, text, amount))
    out.sort(key=lambda p: (p.day, p.project, p.description))
    return out


def dutch(amount: Decimal) -> str:
    """1.234,56 as Dutch Excel writes it."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def rows(items: list[Posting], seed: int = SEED) -> list[list[object]]:
    rnd = random.Random(seed + 1)
    out: list[list[object]] = []
    voucher = 23000
    for p in items:
        voucher += rnd.randint(1, 9)
        debit = p.amount if p.amount > 0 else None
        credit = -p.amount if p.amount < 0 else None
        out.append([p.day, f"MEM{voucher}", p.cost_centre, p.account, p.project,
                    p.description, debit, credit])
    return out


def write_csv(path: Path, table: list[list[object]]) -> None:
    """`;`, decimal comma, dd-mm-jjjj, Windows-1252: 'CSV (puntkomma gescheiden)'."""
    with path.open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        for title in TITLE:
            w.writerow([title] + [""] * (len(HEADER) - 1))
        w.writerow([""] * len(HEADER))
        w.writerow(HEADER)
        for row in table:
            w.writerow([c.strftime("%d-%m-%Y") if isinstance(c, date) else
                        dutch(c) if isinstance(c, Decimal) else "" if c is None else c
                        for c in row])


def write_xlsx(path: Path, table: list[list[object]]) -> None:
    """The same rows as an Excel workbook: dates and amounts as Excel numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Mutaties"
    for title in TITLE:
        ws.append([title])
    ws.append([])
    ws.append(HEADER)
    for row in table:
        ws.append([datetime(c.year, c.month, c.day) if isinstance(c, date) else
                   float(c) if isinstance(c, Decimal) else c for c in row])
    for cells in ws.iter_rows(min_row=len(TITLE) + 3):
        cells[0].number_format = "DD-MM-YYYY"
        for c in cells[6:8]:
            c.number_format = "#,##0.00"
    stamp = datetime(2026, 11, 3, 9, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.save(path)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    table = rows(postings())
    write_csv(out / "grootboek.csv", table)
    write_xlsx(out / "grootboek.xlsx", table)
    print(f"wrote {len(table)} postings to {out / 'grootboek.csv'} and grootboek.xlsx")


if __name__ == "__main__":
    main(sys.argv[1:])
