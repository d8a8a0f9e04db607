"""The year-end files beside a mapping: the staffing file (fte in place per line) and the
resultaatbestemming (the board's decisions on each closed year's result).

Both are read like a plan: safe YAML, duplicate keys refused, every error at
`path:line:column`. This module reads and validates them against a plan; the arithmetic
(fte in place per year, the reserve statement) is in `realisation`, which is pure.

A resultaatbestemming is never automatic: a closed year's result goes into (or a shortfall
comes out of) a bestemmingsreserve only by a decision written in the file, with the date it
was adopted and by whom, as a budget amendment carries them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..errors import EXIT_USAGE, BdurError, Finding, Location
from ..numbers import YamlFloat
from ..plan.loader import parse, read_text, require_bdur_file, validate
from ..plan.model import MAX_MONEY, Id, Plan, StrictModel, Text, Year
from ..plan.source import Source
from ..scalars import is_plain_number
from .analysis import (
    Decision,
    ReserveInfo,
    ReserveStatement,
    Staffed,
    Through,
    cents,
)
from .mapping import LoadedMapping, close_match, open_named

_CENT = Decimal("0.01")
_FTE_STEP = Decimal("0.0001")

ZERO = Decimal(0)


def _cents(value: Any) -> Decimal:
    """A positive amount in euros, to the cent at most: 93022 or 93022.46."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise PydanticCustomError("money_type", "expected an amount in euros, got {v}",
                                  {"v": str(value)})
    text = str(value).strip()
    if re.fullmatch(r"\d+,\d{1,2}", text):
        raise PydanticCustomError("dutch_number", "'{text}' uses a decimal comma",
                                  {"text": text, "hint": f"write {text.replace(',', '.')}"})
    if isinstance(value, str) and not isinstance(value, YamlFloat) and not \
            is_plain_number(text):
        raise PydanticCustomError("money_type", "expected an amount in euros, got '{text}'",
                                  {"text": text})
    try:
        amount = Decimal(text.replace("_", ""))
    except ArithmeticError:
        raise PydanticCustomError("money_type", "expected an amount in euros, got '{text}'",
                                  {"text": text}) from None
    if not amount.is_finite() or amount != amount.quantize(_CENT):
        raise PydanticCustomError("out_of_range", "an amount has at most two decimals (cents), "
                                  "got {v}", {"v": text})
    if not 0 < amount <= MAX_MONEY:
        raise PydanticCustomError("out_of_range", "expected an amount above 0, got {v}",
                                  {"v": text})
    return amount


Cents = Annotated[Decimal, BeforeValidator(_cents),
                  WithJsonSchema({"type": "number", "exclusiveMinimum": 0,
                                  "maximum": int(MAX_MONEY)})]


def _fte_or_zero(value: Any) -> Decimal:
    """fte in place: 0 (a post left empty) up to 1000, at most four decimals."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise PydanticCustomError("fte_type", "expected a number of fte, got {v}",
                                  {"v": str(value)})
    text = str(value).strip()
    if not is_plain_number(text):
        raise PydanticCustomError("fte_type", "expected a number of fte, got '{text}'",
                                  {"text": text, "hint": "write 1.5, not 1,5"})
    fte = Decimal(text.replace("_", ""))
    if not 0 <= fte <= 1000 or fte != fte.quantize(_FTE_STEP):
        raise PydanticCustomError("out_of_range", "fte in place is 0 to 1000 with at most 4 "
                                  "decimals, got {v}", {"v": text})
    return fte


FteInPlace = Annotated[Decimal, BeforeValidator(_fte_or_zero),
                       WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1000})]


def _month(value: Any) -> str:
    """`2023-06` (from June 2023) or `2025` (from January 2025), as YYYY-MM."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value}-01"
    if isinstance(value, date) or not isinstance(value, str):
        raise PydanticCustomError("month", "expected a month as YYYY-MM (2023-06) or a year, "
                                  "got {v}", {"v": str(value)})
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PydanticCustomError("month", "expected a month as YYYY-MM (2023-06) or a year, "
                                  "got '{v}'", {"v": value})
    return f"{m.group(1)}-{int(m.group(2)):02d}"


MonthFrom = Annotated[str, BeforeValidator(_month), WithJsonSchema({"anyOf": [
    {"type": "string", "pattern": r"^\d{4}-\d{1,2}$"}, {"type": "integer"}]})]


class StaffingEntry(StrictModel):
    """From a month on, this many fte are in place on a staff line (until the line's next
    entry)."""

    line: Id = Field(description="The plan's staff line.")
    fte: FteInPlace = Field(description="fte in place from that month on (0: the post is "
                            "empty).")
    from_: MonthFrom = Field(alias="from", description="The first month, YYYY-MM (or a year: "
                             "from its January).")
    note: Text | None = Field(None, description="Free text: who, which vacancy.")

    @property
    def month(self) -> tuple[int, int]:
        year, month = self.from_.split("-")
        return int(year), int(month)


class StaffingFile(StrictModel):
    """fte in place per staff line (formatie), for `bdur realisation`: fte planned against fte
    in place."""

    staffing: list[StaffingEntry] = Field(description="One entry per line and month from "
                                          "which its fte in place changes.")


def _real_date(value: Any) -> str:
    text = value.isoformat() if isinstance(value, date) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise PydanticCustomError("date", "expected a date as YYYY-MM-DD, got '{v}'",
                                  {"v": str(value)})
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        raise PydanticCustomError("date", "{v} is not a date", {"v": text}) from None
    return text.strip()


IsoDate = Annotated[str, BeforeValidator(_real_date),
                    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


class FormedReserve(StrictModel):
    """A bestemmingsreserve the board formed by these decisions (one the plan does not have).
    Its balance starts at 0."""

    id: Id = Field(description="Stable id, named by the decisions.")
    name: Text = Field(description="Name, e.g. 'Bestemmingsreserve BDuR crisisbeheersing'.")
    note: Text | None = Field(None, description="The decision that formed it.")


class Appropriation(StrictModel):
    """The board's decision on one closed year's result: an addition to a reserve (dotatie)
    or a withdrawal from it (onttrekking)."""

    year: Year = Field(description="The closed year whose result this decides.")
    reserve: Id = Field(description="The reserve: one of the plan's, or one formed in this "
                        "file.")
    addition: Cents | None = Field(None, description="Into the reserve, in euros.")
    withdrawal: Cents | None = Field(None, description="Out of the reserve, in euros.")
    adopted: IsoDate = Field(description="The date it was decided, YYYY-MM-DD.")
    by: Text = Field(description="Who decided, e.g. 'Algemeen Bestuur'.")
    note: Text | None = Field(None, description="The decision, e.g. the jaarrekening.")

    @model_validator(mode="after")
    def _one(self) -> Appropriation:
        if (self.addition is None) == (self.withdrawal is None):
            raise PydanticCustomError(
                "appropriation_shape", "a decision is either an 'addition' or a "
                "'withdrawal', not {what}",
                {"what": "both" if self.addition is not None else "neither"})
        return self

    @property
    def amount(self) -> Decimal:
        """Signed: positive into the reserve."""
        if self.addition is not None:
            return self.addition
        return -(self.withdrawal or Decimal(0))


class AppropriationFile(StrictModel):
    """The resultaatbestemming: the board's decisions on the closed years' results."""

    reserves: list[FormedReserve] = Field(default_factory=list, description="Reserves the "
                                          "decisions form (besides the plan's).")
    appropriations: list[Appropriation] = Field(description="One entry per decision.")


def staffing_schema() -> dict[str, Any]:
    """The JSON Schema of a staffing file (`bdur schema --staffing`)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **StaffingFile.model_json_schema()}


def appropriations_schema() -> dict[str, Any]:
    """The JSON Schema of a resultaatbestemming file (`bdur schema --appropriations`)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **AppropriationFile.model_json_schema()}


def _load(path: Path, display: str, model: type[Any]) -> tuple[Any, Source]:
    text = read_text(path, display)
    data, source = parse(text, display)
    require_bdur_file(data, source)
    return validate(data, source, model), source


def load_staffing(path: Path, display: str) -> tuple[StaffingFile, Source]:
    return _load(path, display, StaffingFile)


def load_appropriations(path: Path, display: str) -> tuple[AppropriationFile, Source]:
    return _load(path, display, AppropriationFile)


def staffing_findings(plan: Plan, sf: StaffingFile, source: Source) -> list[Finding]:
    """Entries that name an unknown or means line, a month outside the horizon, or the same
    line and month twice (errors)."""
    kinds = {line.id: line.kind for t in plan.themes for line in t.lines}
    out: list[Finding] = []
    seen: dict[tuple[str, tuple[int, int]], int] = {}
    for i, e in enumerate(sf.staffing):
        if e.line not in kinds:
            out.append(Finding("unknown-line", f"staffing names line '{e.line}', which is not "
                               "in the plan", hint=close_match(e.line, kinds),
                               location=source.locate(("staffing", i, "line"))))
        elif kinds[e.line] != "staff":
            out.append(Finding("not-a-staff-line", f"line '{e.line}' is a means line; fte in "
                               "place are for staff lines",
                               location=source.locate(("staffing", i, "line"))))
        if e.month[0] not in plan.years:
            out.append(Finding("year-outside-horizon", f"staffing from {e.from_}, outside the "
                               f"plan's horizon {plan.years.start}-{plan.years.stop - 1}",
                               location=source.locate(("staffing", i, "from"))))
        key = (e.line, e.month)
        if key in seen:
            out.append(Finding("duplicate-staffing", f"a second entry for line '{e.line}' from "
                               f"{e.from_}", hint=f"merge it with entry {seen[key] + 1}",
                               location=source.locate(("staffing", i))))
        seen.setdefault(key, i)
    return out


def staffed(sf: StaffingFile) -> list[Staffed]:
    return [Staffed(e.line, e.month, e.fte) for e in sf.staffing]


@dataclass(frozen=True)
class ReserveName:
    id: str
    name: str
    formed: bool  # True: formed by the decisions; False: the plan's


def reserve_names(plan: Plan, af: AppropriationFile | None) -> list[ReserveName]:
    out = [ReserveName(r.id, r.name, False) for r in plan.reserves]
    known = {r.id for r in plan.reserves}
    for r in af.reserves if af is not None else ():
        if r.id not in known:
            out.append(ReserveName(r.id, r.name, True))
            known.add(r.id)
    return out


def appropriation_findings(plan: Plan, af: AppropriationFile, source: Source,
                           closed: Iterable[int], as_of: date | None = None,
                           through: str | None = None) -> list[Finding]:
    """Decisions that name an unknown reserve, a year outside the horizon or not closed, the
    same year and reserve twice, or a reserve the file forms that the plan already has
    (errors). With `through` (the reporting month of `bdur realisation`), a decision on a
    year it leaves open is a warning: it is left out of the figures as of that month. A
    balance below zero is found with the statement (`YearEnd.negative`)."""
    plan_ids = {r.id for r in plan.reserves}
    known = plan_ids | {r.id for r in af.reserves}
    closed = set(closed)
    out: list[Finding] = []
    for i, r in enumerate(af.reserves):
        if r.id in plan_ids:
            out.append(Finding("duplicate-reserve", f"reserve '{r.id}' is already in the plan",
                               hint="name the plan's reserve in the decisions; do not form it "
                               "again", location=source.locate(("reserves", i, "id"))))
    seen: dict[tuple[int, str], int] = {}
    for i, a in enumerate(af.appropriations):
        if a.reserve not in known:
            out.append(Finding("unknown-reserve", f"decision {i + 1} names reserve "
                               f"'{a.reserve}', which is neither in the plan nor formed in "
                               "this file", hint=close_match(a.reserve, known) if known else
                               "form it under 'reserves:' with an id and a name",
                               location=source.locate(("appropriations", i, "reserve"))))
        if a.year not in plan.years:
            out.append(Finding("year-outside-horizon", f"decision on {a.year}, outside the "
                               f"plan's horizon {plan.years.start}-{plan.years.stop - 1}",
                               location=source.locate(("appropriations", i, "year"))))
        elif a.year not in closed and (as_of is None or
                                       date.fromisoformat(a.adopted) <= as_of):
            if through is not None:
                out.append(Finding("year-not-closed", f"decision on {a.year} left out: "
                                   f"through {through}, {a.year} is not closed",
                                   level="warning",
                                   location=source.locate(("appropriations", i, "year"))))
            else:
                out.append(Finding("year-not-closed", f"decision on {a.year}, which is not "
                                   "closed: a result is appropriated once its year is closed",
                                   hint="the export must run past the year's end",
                                   location=source.locate(("appropriations", i, "year"))))
        key = (a.year, a.reserve)
        if key in seen:
            out.append(Finding("duplicate-appropriation", f"a second decision on {a.year} for "
                               f"reserve '{a.reserve}'", hint=f"merge it with decision "
                               f"{seen[key] + 1}", location=source.locate(("appropriations",
                                                                           i))))
        seen.setdefault(key, i)
    return out


def decisions(af: AppropriationFile) -> list[Decision]:
    return [Decision(a.year, a.reserve, a.amount, date.fromisoformat(a.adopted), a.by, a.note)
            for a in af.appropriations]


# --- the year-end files a mapping names --------------------------------------------------

def staffing_of(plan: Plan, lm: LoadedMapping
                ) -> tuple[list[Staffed] | None, list[Finding], dict[str, str]]:
    """The mapping's staffing file as entries (None without one), its findings and text."""
    opened = open_named(lm, "staffing", load_staffing)
    if opened is None:
        return None, [], {}
    sf, source, shown = opened
    return staffed(sf), staffing_findings(plan, sf, source), {shown: source.text}


@dataclass
class YearEnd:
    """The reserves and the board's decisions on results, as the mapping names them."""

    reserves: list[ReserveInfo]
    decisions: list[Decision]
    findings: list[Finding]
    texts: dict[str, str]
    file: AppropriationFile | None = None
    source: Source | None = None

    def negative(self, statement: ReserveStatement) -> list[Finding]:
        """A decided withdrawal that takes a reserve below zero (an error at the decision)."""
        out = []
        for y in statement.years:
            for m in y.reserves:
                if m.closing >= 0 or m.decided >= 0 or self.file is None or \
                        self.source is None:
                    continue
                i = next(i for i, a in enumerate(self.file.appropriations)
                         if (a.year, a.reserve) == (y.year, m.id) and a.withdrawal)
                out.append(Finding(
                    "reserve-negative", f"the withdrawal from reserve '{m.id}' in {y.year} "
                    f"takes its balance to {cents(m.closing)}: below zero",
                    hint=f"at most {cents(m.closing - m.decided)} can be withdrawn",
                    location=self.source.locate(("appropriations", i,
                                                                      "withdrawal"))))
        return out


    def beyond_result(self, statement: ReserveStatement) -> list[Finding]:
        """Decisions on a closed year that add more to reserves than its result (after the
        plan's movements) leaves, or withdraw more than its shortfall: errors at the first
        such decision. The result counts realised income and funding received (docs/
        realisation.md)."""
        out = []
        for y in statement.years:
            if y.decided is None or self.file is None or self.source is None:
                continue
            room = y.result_after_reserves
            if y.decided > max(room, ZERO):
                what = (f"adds {cents(y.decided)} to reserves, more than the result of "
                        f"{cents(room)} allows")
                hint = f"add at most {cents(max(room, ZERO))}"
            elif y.decided < 0 and -y.decided > max(-room, ZERO):
                what = (f"withdraws {cents(-y.decided)} from reserves, more than the "
                        f"shortfall of {cents(max(-room, ZERO))} needs")
                hint = f"withdraw at most {cents(max(-room, ZERO))}"
            else:
                continue
            i = next(i for i, a in enumerate(self.file.appropriations) if a.year == y.year)
            out.append(Finding("appropriation-exceeds-result", f"the resultaatbestemming "
                               f"of {y.year} {what}", hint=hint,
                               location=self.source.locate(("appropriations", i))))
        return out


def appropriations_of(plan: Plan, lm: LoadedMapping, closed: Iterable[int],
                      as_of: date | None = None, through: Through | None = None) -> YearEnd:
    """The plan's reserves and those the resultaatbestemming forms, its decisions (those
    adopted by `as_of`, when given), and its findings (a decision on a year not in `closed`
    is one)."""
    af = source = None
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    opened = open_named(lm, "appropriations", load_appropriations)
    if opened is not None:
        af, source, shown = opened
        findings = appropriation_findings(plan, af, source, closed, as_of,
                                          str(through) if through is not None else None)
        texts[shown] = source.text
    opening = {r.id: r.opening for r in plan.reserves}
    infos = [ReserveInfo(r.id, r.name, opening.get(r.id, Decimal(0)), r.formed)
             for r in reserve_names(plan, af)]
    taken = [d for d in (decisions(af) if af is not None else [])
             if as_of is None or d.adopted <= as_of]
    return YearEnd(infos, taken, findings, texts, af, source)


# --- the reporting month: which years are closed -----------------------------------------

def through_month(text: str, plan: Plan) -> Through:
    """`2026-10` as the reporting month; a usage error otherwise."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BdurError([Finding("usage", f"--through: expected a month as YYYY-MM, such as "
                                 f"2026-10, got '{text}'")], EXIT_USAGE)
    year = int(m.group(1))
    if year not in plan.years:
        raise BdurError([Finding("usage", f"--through: {year} is outside the plan's horizon "
                                 f"{plan.years.start}-{plan.years.stop - 1}")], EXIT_USAGE)
    return Through(year, int(m.group(2)))


def taken_as_complete(lm: LoadedMapping, booked: Iterable[tuple[int, int, int]]
                      ) -> list[Finding]:
    """Without a reporting month and without the mapping's `closed_through`, every year up
    to the last one booked counts as closed (`year_status`). An export whose last year stops
    before December is then read as a whole year with months of its budget unspent: most
    often a running year exported early. Say so, and what to type. `booked`: the keys
    (bucket, year, month) of what the export booked."""
    if lm.mapping.closed_through is not None:
        return []
    months: dict[int, int] = {}
    for _, y, m in booked:
        months[y] = max(m, months.get(y, 0))
    if not months:
        return []
    last = max(months)
    month = months[last]
    if month == 12:
        return []
    return [Finding(
        "year-taken-as-closed",
        f"the export books {last} only through {last}-{month:02d}, yet without a reporting "
        f"month {last} counts as closed: its deviations compare a part of the year with the "
        "whole year's budget", level="warning", location=Location(lm.source.path),
        hint=f"if {last} is still running, give --through {last}-{month:02d}, or state "
             f"'closed_through: {last - 1}' in the mapping")]


def reporting_month(text: str | None, plan: Plan, lm: LoadedMapping,
                    booked: Iterable[tuple[int, int, int]] = ()) -> Through | None:
    """The reporting month: `--through`; else, when the mapping states its last closed year
    (`closed_through: C`), the last month booked in the year after it (the running year), or
    December of C when nothing is booked there yet; else none (the export is taken as
    complete, see `year_status`). A `--through` that would reopen a year the mapping closes
    is a usage error. `booked`: the keys (bucket, year, month) of what the export booked."""
    closed = lm.mapping.closed_through
    if text is None:
        if closed is None:
            return None
        running = max((m for _, y, m in booked if y == closed + 1), default=None)
        return Through(closed + 1, running) if running is not None else Through(closed, 12)
    month = through_month(text, plan)
    if closed is not None and (month.year, month.month) < (closed, 12):
        raise BdurError([Finding("usage", f"--through {text} reopens {closed}, which the "
                                 f"mapping closes (closed_through: {closed})",
                                 hint=f"give a month from {closed}-12 on, or change "
                                 "closed_through in the mapping")], EXIT_USAGE)
    return month
