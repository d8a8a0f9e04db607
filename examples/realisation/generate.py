"""Write the realisation example: a ledger export for the memo's plan, January 2023 to
October 2026, as Dutch Excel writes it (CSV and xlsx), with every file beside it: the
mapping, the budget amendment, the explanations, the staffing file (fte in place) and the
board's resultaatbestemming.

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

The staffing file and the salary postings come from one table (STAFF), so they cannot
disagree; the resultaatbestemming adds each closed year's result, computed from the postings
and the memo's funding, as the board decided it.

The amounts are fixed so that every figure can be worked out by hand: an internal fte costs
8,500.00 a month (102,000 a year against the plan's 100,000), means are booked per quarter
(a quarter of the yearly amount, in March, June, September and December), external hire is
invoiced monthly. Only the booking day within a month and the voucher numbers are drawn from
the seeded random generator, so the files are the same on every run, byte for byte (a test
regenerates them).
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import zipfile
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
SALARIES, HIRE_ACCOUNT, TRAINING, OTHER = "4000", "4100", "4300", "4500"


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


#: Internal staff per project: (project, cost centre, name, [(plan line, fte, from month)]).
#: A line's fte hold from its month until its next entry; the salaries of a project are its
#: lines' fte together x 8,500.00 a month, to the end of the export.
STAFF: list[tuple[str, str, str, list[tuple[str, str, tuple[int, int]]]]] = [
    ("BDUR-NC", CC["CB"], "adviseur nieuwe crises", [("nieuwe-crises-fte", "1", (2023, 6))]),
    ("BDUR-NW", CC["CB"], "netwerkmanager", [("netwerkmanagement-fte", "1", (2023, 6))]),
    ("BDUR-JUR", CC["S&B"], "jurist crisisbeheersing", [("juridisch-fte", "1", (2023, 6))]),
    ("BDUR-DE", CC["IM"], "data-engineer", [("data-engineer-fte", "1", (2023, 6))]),
    # 0.5 fte already in place since September 2022, the other fte from June 2023.
    ("BDUR-VB", CC["CB"], "adviseur vakbekwaamheid", [("vakbekwaamheid-fte", "0.5", (2023, 1)),
                                                      ("vakbekwaamheid-fte", "1.5", (2023, 6))]),
    ("BDUR-CC", CC["CB"], "adviseur crisiscommunicatie",
     [("crisiscommunicatie-fte", "0.5", (2023, 1)), ("crisiscommunicatie-fte", "1.5",
                                                     (2023, 6))]),
    ("BDUR-BZ", CC["BGC"], "adviseur bevolkingszorg", [("bevolkingszorg-fte", "1", (2023, 6)),
                                                       ("bevolkingszorg-fte-2025", "1",
                                                        (2025, 1))]),
    # The second internal VIK post is filled only on 1 July 2024.
    ("BDUR-VIK", CC["CB/RD"], "informatieanalist VIK", [("vik-fte", "1", (2023, 6)),
                                                        ("vik-fte-2024", "1", (2024, 7))]),
    ("BDUR-BI", CC["IM"], "BI-specialist", [("bi-fte-2024", "1", (2024, 1))]),
    ("BDUR-IS", CC["RCB"], "informatiespecialist", [("informatiespecialist-fte-2024", "1",
                                                     (2024, 1))]),
]
#: External hire: (project, cost centre, name, plan line, fte, first month, last month, a
#: month's invoice = fte x 150,000 / 12).
HIRE = [
    # VIK from February 2023 until the internal post was filled (July 2024): it ran over.
    ("BDUR-VIK", CC["CB/RD"], "VIK-analist", "vik-extern-2023", "1.5", (2023, 2), (2024, 6),
     Decimal("18750.00")),
    ("BDUR-BI", CC["IM"], "BI-specialist", "bi-extern-2023", "1", (2023, 1), (2023, 12),
     Decimal("12500.00")),
]


def staff(project: str, cc: str, name: str, lines: list[tuple[str, str, tuple[int, int]]]
          ) -> list[tuple[int, int, str, str, str, str, Decimal]]:
    """Monthly salary postings of a project: its lines' fte in place x 8,500.00 a month."""
    out = []
    for y, m in months(min(first for _, _, first in lines), LAST):
        fte = Decimal(0)
        for line in {line for line, _, _ in lines}:
            now = [Decimal(f) for li, f, first in lines if li == line and first <= (y, m)]
            fte += now[-1] if now else Decimal(0)
        out.append((y, m, cc, SALARIES, project, f"Salarissen {name} {m:02d}-{y}",
                    FTE_MONTH * fte))
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
    e = []
    for project, cc, name, lines in STAFF:
        e += staff(project, cc, name, lines)
    for project, cc, name, _, _, first, last, amount in HIRE:
        for y, m in months(first, last):
            e.append((y, m, cc, HIRE_ACCOUNT, project, f"Inhuur {name} {m:02d}-{y}", amount))
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
    buffer = io.BytesIO()
    wb.save(buffer)
    # The zip's entries carry the time they were written: fixed, so the file is the same on
    # every run.
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 11, 3, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the time it saved
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-11-03T09:00:00Z",
                              data)
            dst.writestr(info, data)


# --- the files beside the export ---------------------------------------------------------------

#: The memo's funding (Table 2): what each year's result is measured against.
FUNDING = {2023: Decimal(1407149), 2024: Decimal(1650000), 2025: Decimal(2150000),
           2026: Decimal(2400000)}
#: Not BDuR money (no project, or a mistyped one): the mapping leaves them unmapped.
NOT_BDUR = ("", "BDUR-XX")
#: The board's decisions on the closed years' results: (year, addition or None for the whole
#: result, adopted, note). 2025: 300,000 of its result; the rest goes to the general reserve.
DECISIONS: list[tuple[int, Decimal | None, str, str]] = [
    (2023, None, "2024-07-04", "Jaarrekening 2023, het hele resultaat op de BDuR-gelden."),
    (2024, None, "2025-07-03", "Jaarrekening 2024, het hele resultaat op de BDuR-gelden."),
    (2025, Decimal(300000), "2026-07-02", "Jaarrekening 2025, 300.000 van het resultaat van "
     "{result}; de rest naar de algemene reserve."),
]

MAPPING = """\
# How the ledger export of VRHM is read, and which plan lines its postings are booked on.
# `bdur realisation -m examples/realisation/mapping.yaml` reads it; `bdur check` checks it.
#
# Every posting that matches exactly one rule is booked on that rule's line (or on the lines of
# a theme of one kind and type). A posting no rule matches is listed as unmapped, never dropped;
# one that two rules book on different lines is listed, booked on neither, and fails the run.

plan: begrotingswijziging-2024-1.yaml  # the budget: the plan and its amendment (-f overrides)
explanations: toelichting.yaml         # explanations of deviations (toelichtingen)

export:
  file: grootboek.csv                  # --actuals grootboek.xlsx reads the same as a workbook
  encoding: cp1252                     # Excel's "CSV (puntkomma gescheiden)"
  columns:                             # the header row is found below the title rows
    date: Boekdatum
    debit: Debet
    credit: Credit
    cost_centre: Kostenplaats
    account: Grootboekrekening
    project: Project
    description: Omschrijving

# A deviation above EUR 25,000 and above 10% of the budget needs an explanation.
threshold:
  amount: 25000
  percent: 10
  combine: and

# Accounts: 4000 salaries, 4100 external hire, 4300 training, 4500 other means.
# Projects: one per theme; "-I" marks the incidental 2023 budget of a theme.
rules:
  # --- toekomstgerichte crisisbeheersing ---
  - {theme: nieuwe-crises, kind: staff, type: structural, project: BDUR-NC, account: 4000}
  - {theme: nieuwe-crises, kind: means, type: structural, project: BDUR-NC, account: 4500}
  - {line: nieuwe-crises-middelen-inc, project: BDUR-NC-I}
  - {line: vakbekwaamheid-fte, project: BDUR-VB, account: 4000}
  - {line: vakbekwaamheid-middelen, project: BDUR-VB, account: [4300, 4500]}
  - {line: crisiscommunicatie-fte, project: BDUR-CC, account: 4000}
  - {line: crisiscommunicatie-middelen, project: BDUR-CC, account: 4500}
  - {line: crisiscommunicatie-middelen-inc, project: BDUR-CC-I}
  - {line: netwerkmanagement-fte, project: BDUR-NW, account: 4000}
  - {line: netwerkmanagement-middelen, project: BDUR-NW, account: 4500}
  - {line: juridisch-fte, project: BDUR-JUR}
  - {theme: bevolkingszorg, kind: staff, type: structural, project: BDUR-BZ}
  # --- versterken informatiepositie ---
  - {theme: vik, kind: staff, type: incidental, project: BDUR-VIK, account: 4100}
  - {theme: vik, kind: staff, type: structural, project: BDUR-VIK, account: 4000}
  - {line: vik-middelen, project: BDUR-VIK, account: 4500}
  - {line: vik-middelen-inc, project: BDUR-VIK-I}
  - {line: bi-extern-2023, project: BDUR-BI, account: 4100}
  - {line: bi-fte-2024, project: BDUR-BI, account: 4000}
  - {line: data-engineer-fte, project: BDUR-DE, cost_centre: "34*"}
  - {line: informatiespecialist-fte-2024, project: BDUR-IS}

# The year-end files: fte in place per staff line (formatie), and the board's decisions on each
# closed year's result (resultaatbestemming), with the bestemmingsreserve they form.
staffing: formatie.yaml
appropriations: resultaatbestemming.yaml

# The last closed year: the accounts (jaarrekening) of 2025 are adopted, so 2023-2025 are
# closed and 2026 runs through the last month the export books (October); no --through needed.
closed_through: 2025
"""

AMENDMENT = """\
# yaml-language-server: $schema=../../bdur-scenario.schema.json
# Begrotingswijziging 2024-1: the external hire for the VIK runs on until 1 July 2024, because
# the second internal VIK post is filled only then. The Algemeen Bestuur adopted it on
# 4 July 2024: 0.75 fte external (six months of 1.5 fte) = {hire_2024_en} incidental in 2024.
#
# The plan as adopted (data/allocations.yaml) stays the primitive budget; `bdur realisation`
# shows both, and `--as-of 2024-06-30` the budget as it stood before this amendment.

scenario:
  name: Verlenging externe inhuur VIK
  description: Externe inhuur VIK tot 1 juli 2024, tot de tweede formatieplaats is ingevuld.
  amendment: {{number: 2024-1, adopted: 2024-07-04, by: Algemeen Bestuur}}

base: ../../data/allocations.yaml

lines:
  add:
    - theme: vik
      id: vik-extern-2024
      type: incidental
      year: 2024
      fte: 0.75
      rate: external
      department: CB/RD
      note: Begrotingswijziging 2024-1, inhuur VIK januari tot en met juni 2024
"""

EXPLANATIONS = """\
# Explanations of deviations (toelichtingen bij afwijkingen), shown beside the figures by
# `bdur realisation`. Each is of one year and one row: the year (total: true), a goal, a
# theme or a line.
explanations:
  - year: 2023
    total: true
    text: >
      De formatie is pas vanaf 1 juni 2023 ingevuld, zoals de memo onder tabel 2 al
      aankondigde; de loonkosten van januari tot en met mei zijn niet besteed.
  - year: 2023
    goal: toekomst-cb
    text: Vacatures pas per 1 juni 2023 ingevuld (zie het jaartotaal).
  - year: 2023
    goal: informatiepositie
    text: Vacatures pas per 1 juni 2023 ingevuld; externe inhuur VIK pas vanaf februari.
  - year: 2024
    total: true
    text: >
      De externe inhuur voor het VIK liep door tot 1 juli 2024, omdat de tweede interne
      formatieplaats pas toen werd ingevuld; het bestuur heeft daarvoor {hire_2024} bijgeraamd
      (begrotingswijziging 2024-1).
  - year: 2024
    theme: vik
    kind: staff
    type: incidental
    text: Inhuur VIK-analist verlengd tot 1 juli 2024 (begrotingswijziging 2024-1).
  - year: 2023
    line: netwerkmanagement-middelen
    text: Minder netwerkbijeenkomsten dan begroot; de partners organiseren zelf.
  - year: 2024
    line: netwerkmanagement-middelen
    text: Minder netwerkbijeenkomsten dan begroot; de partners organiseren zelf.
  - year: 2024
    theme: vik
    text: >
      Externe inhuur tot 1 juli 2024 ({hire_2024}); de tweede interne formatieplaats is pas per
      1 juli 2024 ingevuld ({vik_less} minder loonkosten).
  - year: 2024
    theme: vik
    kind: staff
    type: structural
    text: Tweede formatieplaats VIK pas per 1 juli 2024 ingevuld.
"""


def realised(year: int) -> Decimal:
    """What the ledger booked on the plan in a year: every posting but those of no BDuR
    project."""
    return sum((amount for y, _, _, _, project, _, amount in entries()
                if y == year and project not in NOT_BDUR), Decimal(0))


def plain(amount: Decimal) -> str:
    """An amount as YAML holds it: 93022.46, 300000."""
    return f"{amount:.2f}" if amount != amount.to_integral_value() else f"{amount:.0f}"


def staffing_text() -> str:
    out = ["# fte in place per staff line (formatie), from the month they are in place until the",
           "# line's next entry; `bdur realisation YEAR` shows them against the fte planned.",
           "# Written by generate.py from the same table as the salary postings.",
           "staffing:"]
    for _, _, _, lines in STAFF:
        for line, fte, (y, m) in lines:
            out.append(f"  - {{line: {line}, fte: {fte}, from: {y}-{m:02d}}}")
    for _, _, name, line, fte, (y, m), (ly, lm), _ in HIRE:
        out.append(f"  - {{line: {line}, fte: {fte}, from: {y}-{m:02d}}}  # inhuur {name}")
        ey, em = (ly + 1, 1) if lm == 12 else (ly, lm + 1)
        out.append(f"  - {{line: {line}, fte: 0, from: {ey}-{em:02d}}}")
    return "\n".join(out) + "\n"


def appropriations_text() -> str:
    out = ["# The resultaatbestemming: what the Algemeen Bestuur decided, at each year's accounts",
           "# (jaarrekening), to put into the bestemmingsreserve of the year's result (funding -",
           "# realised). Never automatic: a year without a decision here keeps its result out of",
           "# the reserve. Written by generate.py: the results are computed from the postings.",
           "reserves:",
           "  - id: br-bdur",
           "    name: Bestemmingsreserve BDuR crisisbeheersing",
           "    note: Gevormd bij de jaarrekening 2023 (Algemeen Bestuur, 4 juli 2024).",
           "appropriations:"]
    for year, amount, adopted, note in DECISIONS:
        result = FUNDING[year] - realised(year)
        out += [f"  - year: {year}", "    reserve: br-bdur",
                f"    addition: {plain(result if amount is None else amount)}",
                f"    adopted: {adopted}", "    by: Algemeen Bestuur",
                f"    note: {note.format(result=dutch(result).removesuffix(',00'))}"]
    return "\n".join(out) + "\n"


def write_texts(out: Path) -> list[str]:
    hire_2024 = sum((a for y, _, _, acc, p, _, a in entries()
                     if y == 2024 and acc == HIRE_ACCOUNT and p == "BDUR-VIK"), Decimal(0))
    # The VIK's two internal posts are budgeted at 2 x 100,000 in 2024; booked: its salaries.
    vik_2024 = sum((a for y, _, _, acc, p, _, a in entries()
                    if y == 2024 and acc == SALARIES and p == "BDUR-VIK"), Decimal(0))
    files = {
        "mapping.yaml": MAPPING,
        "begrotingswijziging-2024-1.yaml": AMENDMENT.format(
            hire_2024_en=f"{hire_2024:,.0f}"),
        "toelichting.yaml": EXPLANATIONS.format(
            hire_2024=dutch(hire_2024).removesuffix(",00"),
            vik_less=dutch(200000 - vik_2024).removesuffix(",00")),
        "formatie.yaml": staffing_text(),
        "resultaatbestemming.yaml": appropriations_text(),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    return list(files)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    table = rows(postings())
    write_csv(out / "grootboek.csv", table)
    write_xlsx(out / "grootboek.xlsx", table)
    names = write_texts(out)
    print(f"wrote {len(table)} postings to {out / 'grootboek.csv'} and grootboek.xlsx, and "
          + ", ".join(names))


if __name__ == "__main__":
    main(sys.argv[1:])
