"""Scenarios: a few lines of "what if" on top of a plan (or of another scenario).

A scenario file names its `base` (a path relative to itself) and changes it: funding (set per
year, or scale by a factor from a year on), rates, the start year or month of selected lines, and
lines added, changed or removed by id. The loader reads the files and resolves the base; this
module validates the overlay and applies it. It is pure: no printing, no file access.

Order of application: rates, funding (`scale`, then `set`, which wins), lines `remove`, `change`,
`add`, then `shift` (so a selection sees the final set of lines). The base's `stated_totals` are
dropped, as they assert the base's figures; a scenario may state its own.

Every finding about the overlay is located in the scenario file; a finding about a line or
figure the scenario did not touch is located in the file it comes from (see `OverlaySource`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..errors import EXIT_INVALID, BdurError, Finding, Location
from ..rounding import round_euros
from ..scalars import is_plain_number
from .loader import validation_findings
from .model import (
    Adjustment,
    FteByYear,
    Funding,
    Id,
    Income,
    Line,
    MeansLine,
    Money,
    MoneyByYear,
    Month,
    Period,
    PhasedLine,
    PhasingMap,
    Plan,
    Rate,
    Rules,
    ScenarioMeta,
    StaffLine,
    StatedTotals,
    Status,
    Text,
    Year,
    YearMonth,
    known_keys,
    line_shape,
    line_tag,
    refuse_number_form,
    validate_line,
)
from .source import KeyPath, Loaded, Source

MAX_FACTOR = Decimal(10)


def parse_factor(value: Any) -> Decimal:
    """A scale factor such as 0.9: a positive decimal, at most 10, at most 6 decimals."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PydanticCustomError("factor_type", "expected a factor such as 0.9, got {v}",
                                  {"v": str(value).lower() if isinstance(value, bool)
                                   else str(value)})
    if isinstance(value, str) and not is_plain_number(value.strip()):
        refuse_number_form(value.strip())
        raise PydanticCustomError("factor_type", "expected a factor such as 0.9, got '{v}'",
                                  {"v": value})
    result = Decimal(value.strip().replace("_", "")) if isinstance(value, str) \
        else Decimal(value)
    if not result.is_finite() or result <= 0 or result > MAX_FACTOR:
        raise PydanticCustomError("out_of_range", "a factor is above 0 and at most {max}, "
                                  "got {v}", {"v": str(value), "max": str(MAX_FACTOR)})
    if result != result.quantize(Decimal("0.000001")):
        raise PydanticCustomError("out_of_range", "a factor has at most 6 decimals, got {v}",
                                  {"v": str(value)})
    return result


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FundingPatch(_Strict):
    amount: Money | None = Field(None, description="New amount, whole euros.")
    status: Status | None = Field(None, description="New status: 'granted', 'forecast' or "
                                  "'conditional', as in a plan's funding.")
    note: Text | None = Field(None, description="New note.")


class FundingScale(_Strict):
    factor: Annotated[Decimal, BeforeValidator(parse_factor)] = Field(
        description="Multiply funding by this factor, e.g. 0.9 for a 10% cut; rounded to "
        "whole euros, half up.")
    from_year: Year | None = Field(None, description="First year scaled (default: all).")
    until: Year | None = Field(None, description="Last year scaled (default: the horizon's end).")

    @model_validator(mode="after")
    def _ordered(self) -> FundingScale:
        if self.from_year is not None and self.until is not None and self.until < self.from_year:
            raise PydanticCustomError(
                "scale_span", "'until' ({until}) is before 'from_year' ({first}): nothing would "
                "be scaled", {"until": self.until, "first": self.from_year})
        return self


class FundingOverlay(_Strict):
    set: dict[Year, FundingPatch] = Field(
        default_factory=dict, description="Per year: the fields of funding to replace.")
    scale: FundingScale | None = Field(None, description="Scale funding from a year on.")


class Selection(_Strict):
    line: Id | None = Field(None, description="One line by id (alone).")
    theme: Id | None = Field(None, description="Lines of this theme.")
    kind: Literal["staff", "means"] | None = Field(None, description="staff (fte) or means.")
    type: Literal["incidental", "structural"] | None = Field(None, description="Line type.")
    year: Year | None = Field(None, description="Lines whose (first) year is this year.")

    @model_validator(mode="after")
    def _shape(self) -> Selection:
        others = [k for k in ("theme", "kind", "type", "year") if getattr(self, k) is not None]
        if self.line is not None and others:
            raise PydanticCustomError("selection", "select either one 'line' or lines by "
                                      "theme/kind/type/year, not both")
        if self.line is None and not others:
            raise PydanticCustomError("selection", "an empty selection; give 'line', or any of "
                                      "'theme', 'kind', 'type', 'year'")
        return self

    def matches(self, theme_id: str, line: Line) -> bool:
        if self.line is not None:
            return line.id == self.line
        return ((self.theme is None or self.theme == theme_id)
                and (self.kind is None or self.kind == line.kind)
                and (self.type is None or self.type == line.type)
                and (self.year is None or self.year == line.first_year))

    def describe(self) -> str:
        if self.line is not None:
            return f"line '{self.line}'"
        parts = [f"{k} {getattr(self, k)}" for k in ("theme", "kind", "type", "year")
                 if getattr(self, k) is not None]
        return "lines with " + ", ".join(parts)


class Shift(_Strict):
    select: Selection = Field(description="Which lines to move.")
    start_month: Month | None = Field(None, description="New start month (1-12) in the first "
                                                        "year; null removes it.")
    year: Year | None = Field(None, description="New first year (for incidental: the year). "
                              "What is relative to the start moves with it (a by-year map, "
                              "periods); a fixed end ('until', 'end') stays.")

    @model_validator(mode="after")
    def _something(self) -> Shift:
        if not self.model_fields_set & {"start_month", "year"}:
            raise PydanticCustomError("shift", "a shift sets 'start_month' and/or 'year'")
        return self


class _Added(BaseModel):
    theme: Id = Field(description="Id of the theme the new line belongs to.")


# A new line is a line of the plan with the theme it goes in: the same three kinds.
class AddedStaffLine(StaffLine, _Added):
    """A new staff line and its theme."""


class AddedMeansLine(MeansLine, _Added):
    """A new means line and its theme."""


class AddedPhasedLine(PhasedLine, _Added):
    """A new phased budget and its theme."""


AddedLine = Annotated[Annotated[AddedStaffLine, Tag("staff")]
                      | Annotated[AddedMeansLine, Tag("means")]
                      | Annotated[AddedPhasedLine, Tag("phased")],
                      Discriminator(line_tag), BeforeValidator(line_shape)]


class LineChange(_Strict):
    """The fields of an existing line to replace; `null` removes an optional field."""

    id: Id = Field(description="Id of the line to change.")
    type: Literal["incidental", "structural"] | None = None
    year: Year | None = None
    until: Year | None = None
    start_month: Month | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None
    periods: list[Period] | None = None
    fte: FteByYear | None = None
    rate: Id | None = None
    amount: MoneyByYear | None = None
    total: Money | None = None
    phasing: PhasingMap | None = None
    income: Income | None = None
    reserve: Id | None = None
    indexed: bool | None = None
    department: Text | None = None
    note: Text | None = None


class LinesOverlay(_Strict):
    add: list[AddedLine] = Field(default_factory=list, description="New lines, each with the "
                                 "theme it belongs to.")
    change: list[LineChange] = Field(default_factory=list, description="Fields to replace in "
                                     "existing lines, by id.")
    remove: list[Id] = Field(default_factory=list, description="Ids of lines to drop.")


class Scenario(_Strict):
    """A scenario file: a base plan (or scenario) and the changes to apply to it."""

    scenario: ScenarioMeta = Field(description="Name and description.")
    base: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="Path of the base plan or scenario, relative to this file.")
    funding: FundingOverlay | None = Field(None, description="Funding changes.")
    rates: dict[Id, Rate] = Field(default_factory=dict, description="Rates to replace or add.")
    shift: list[Shift] = Field(default_factory=list, description="Start year/month changes.")
    lines: LinesOverlay | None = Field(None, description="Lines added, changed, removed.")
    stated_totals: dict[Year, StatedTotals] = Field(
        default_factory=dict, description="This scenario's own figures to reconcile against; "
        "the base's are dropped.")
    rules: Rules | None = Field(None, description="Replace the base's rules.")
    adjustments: list[Adjustment] | None = Field(
        None, description="Replace the base's funding adjustments, e.g. [{from_year: 2026, "
        "change: -10%}] for the BDuR cut.")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (`bdur schema --scenario`)."""
    from .model import finish_schema

    schema = Scenario.model_json_schema()
    return finish_schema(schema, [schema["$defs"]["FundingOverlay"]["properties"]["set"],
                                  schema["properties"]["stated_totals"]])


def overlay_keys() -> set[str]:
    """Every key a scenario file knows, for "did you mean" hints."""
    keys: set[str] = set()
    for model in (ScenarioMeta, FundingPatch, FundingScale, FundingOverlay, Selection, Shift,
                  AddedStaffLine, AddedMeansLine, AddedPhasedLine, LineChange, LinesOverlay,
                  Scenario):
        keys.update(model.model_fields)
    return keys


def all_keys() -> set[str]:
    """Every key of a plan or a scenario: a real key in the wrong file gets its own hint."""
    return known_keys() | overlay_keys()


# --- locating ------------------------------------------------------------------------------

@dataclass
class OverlaySource(Source):
    """The scenario file, whose `locate` maps a key path of the *resulting plan* to the file
    it comes from: the scenario for what it changed, the base for the rest."""

    own: Source | None = None
    origins: dict[KeyPath, tuple[Source, KeyPath]] = field(default_factory=dict)
    #: The plan before the scenario, and the scenario itself: `blame` tells what it caused.
    base_plan: Plan | None = None
    scenario: Scenario | None = None

    def locate(self, path: KeyPath, at_key: bool = False) -> Location:
        for n in range(len(path), -1, -1):
            hit = self.origins.get(path[:n])
            if hit is not None:
                source, target = hit
                return source.locate((*target, *path[n:]), at_key)
        return Source.locate(self, path, at_key)  # pragma: no cover - () is always mapped


# --- applying ------------------------------------------------------------------------------

def _hint_for(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


@dataclass
class _Apply:
    base: Loaded
    sc: Scenario
    own: Source
    findings: list[Finding] = field(default_factory=list)
    origins: dict[KeyPath, tuple[Source, KeyPath]] = field(default_factory=dict)

    def error(self, code: str, message: str, path: KeyPath, hint: str | None = None) -> None:
        self.findings.append(Finding(code, message, hint=hint, location=self.own.locate(path),
                                     path=path))

    def validated(self, validate: Callable[[dict[str, Any]], Any], data: dict[str, Any],
                  where: KeyPath) -> Any:
        try:
            return validate(data)
        except ValidationError as exc:
            for f in validation_findings(exc, self.own, prefix=where, keys=all_keys):
                self.findings.append(f)
            return None


def apply(base: Loaded, scenario: Scenario, own: Source) -> Loaded:
    """The base plan with the scenario applied, or a `BdurError` located in the scenario file.

    `own` is the scenario file's parsed source; the result's `source` is an `OverlaySource`.
    """
    run = _Apply(base, scenario, own)
    plan = base.plan
    run.origins[()] = (base.source, ())

    rates = dict(plan.rates)
    for name, rate in scenario.rates.items():
        rates[name] = rate
        run.origins[("rates", name)] = (own, ("rates", name))

    funding = _funding(run, plan)
    themes = _lines(run, plan, rates)

    if run.findings:
        raise BdurError(run.findings, EXIT_INVALID, _texts(base, own))

    title = f"{plan.plan.title} — scenario: {scenario.scenario.name}"
    update: dict[str, Any] = {
        "plan": plan.plan.model_copy(update={"title": title}),
        "funding": funding, "rates": rates, "themes": themes,
        "stated_totals": dict(scenario.stated_totals),
    }
    run.origins[("stated_totals",)] = (own, ("stated_totals",))
    if scenario.rules is not None:
        update["rules"] = scenario.rules
        run.origins[("rules",)] = (own, ("rules",))
    if scenario.adjustments is not None:
        update["adjustments"] = scenario.adjustments
        run.origins[("adjustments",)] = (own, ("adjustments",))
    result = plan.model_copy(update=update)
    source = OverlaySource(own.path, own.text, own.root, own=own, origins=run.origins,
                           base_plan=plan, scenario=scenario)
    return Loaded(result, source, scenario=scenario.scenario,
                  files=(own, *(base.files or (base.source,))))


def shifted(line: Line, change: dict[str, Any]) -> dict[str, Any]:
    """The fields of `line` that a shift of its first `year` and/or `start_month` replaces.

    A new year moves the line's start by whole years, and with it what is relative to the
    start: a by-year map of fte or amount (the line's, and a partner's income), and `periods`
    as a whole. A fixed end (`until`,
    `end`) stays. A start month applies to the first month in force (`start_month`, the month
    of `start`, or of the first period).
    """
    out: dict[str, Any] = {}
    delta = change["year"] - line.first_year if change.get("year") is not None else 0
    if isinstance(line, PhasedLine):
        if delta:
            written = line.phasing.as_written()
            out["phasing"] = {year + delta: item for year, item in written.items()}
        if "start_month" in change:
            out["start_month"] = change["start_month"]  # let the model say it does not apply
        return out
    if "year" in change and change["year"] is not None:
        if line.year is not None:
            out["year"] = change["year"]
        key, value = ("fte", line.fte) if isinstance(line, StaffLine) else \
            ("amount", line.amount)
        if isinstance(value, dict) and delta:
            out[key] = {year + delta: item for year, item in value.items()}
        # A partner's yearly amounts by year are relative to the line like its own: they move.
        income = line.income
        if income is not None and isinstance(income.amount, dict) and delta:
            out["income"] = {**income.model_dump(exclude_none=True), "amount": {
                year + delta: item for year, item in income.amount.items()}}
    elif "year" in change and line.year is not None:
        out["year"] = None  # let the model say what is missing
    start, periods = line.start, line.periods
    if delta and start is not None:
        start = _plus_years(start, delta)
    if delta and periods is not None:
        periods = [Period(start=_plus_years(p.start, delta),
                          end=_plus_years(p.end, delta) if p.end else None) for p in periods]
    if "start_month" in change:
        month = change["start_month"]
        if start is not None:
            start = f"{start[:4]}-{month or 1:02d}"
        elif periods is not None:
            listed = periods
            first = min(range(len(listed)), key=lambda k: listed[k].start)
            periods = [p.model_copy(update={"start": f"{p.start[:4]}-{month or 1:02d}"})
                       if k == first else p for k, p in enumerate(listed)]
        else:
            out["start_month"] = month
    if start != line.start:
        out["start"] = start
    if periods is not line.periods and periods is not None:
        out["periods"] = [p.model_dump() for p in periods]
    return out


def _plus_years(month: str, years: int) -> str:
    return f"{int(month[:4]) + years:04d}{month[4:]}"


def _texts(base: Loaded, own: Source) -> dict[str, str]:
    out = {s.path: s.text for s in (base.files or (base.source,))}
    out[own.path] = own.text
    return out


def _funding(run: _Apply, plan: Plan) -> dict[int, Funding]:
    funding = dict(plan.funding)
    overlay = run.sc.funding
    if overlay is None:
        return funding
    # Scale first, then merge `set`: a set that changes only the status keeps the scaled amount.
    if overlay.scale is not None:
        scale = overlay.scale
        first = scale.from_year if scale.from_year is not None else plan.years.start
        last = scale.until if scale.until is not None else plan.years.stop - 1
        if not any(first <= year <= last for year in plan.years):
            span = (f"{scale.from_year}-{scale.until}" if scale.until is not None
                    and scale.from_year is not None else f"from {scale.from_year}"
                    if scale.from_year is not None else f"until {scale.until}")
            run.error("empty-selection", f"scale: no year of the horizon "
                      f"{plan.years.start}-{plan.years.stop - 1} is selected ({span})",
                      ("funding", "scale"), "change 'from_year' or 'until'")
        for year, entry in funding.items():
            if first <= year <= last:
                # The exact product, rounded once (docs/rounding.md).
                amount = round_euros(Fraction(entry.amount) * Fraction(scale.factor))
                funding[year] = entry.model_copy(update={"amount": amount})
                run.origins[("funding", year)] = (run.own, ("funding", "scale"))
    for year, patch in overlay.set.items():
        where = ("funding", "set", year)
        merged = {**(funding[year].model_dump() if year in funding else {}),
                  **patch.model_dump(exclude_unset=True)}
        entry = run.validated(Funding.model_validate, merged, where)
        if entry is not None:
            funding[year] = entry
            run.origins[("funding", year)] = (run.own, where)
    return dict(sorted(funding.items()))


def _lines(run: _Apply, plan: Plan, rates: dict[str, Rate]) -> list[Any]:
    sc, own = run.sc, run.own
    overlay = sc.lines or LinesOverlay()
    # Where each line of the result comes from: (theme index, source, key path there).
    where: dict[str, tuple[Source, KeyPath]] = {}
    lines: list[list[Line]] = []
    owner: dict[str, int] = {}
    for t, theme in enumerate(plan.themes):
        lines.append(list(theme.lines))
        for n, line in enumerate(theme.lines):
            where[line.id] = (run.base.source, ("themes", t, "lines", n))
            owner[line.id] = t
    field_origin: dict[str, dict[str, tuple[Source, KeyPath]]] = {}

    removed: set[str] = set()
    for k, line_id in enumerate(overlay.remove):
        if line_id not in owner:
            run.error("unknown-line", f"remove: unknown line id '{line_id}'",
                      ("lines", "remove", k), _hint_for(line_id, owner))
            continue
        removed.add(line_id)
        lines[owner[line_id]] = [x for x in lines[owner[line_id]] if x.id != line_id]

    for k, change in enumerate(overlay.change):
        at: KeyPath = ("lines", "change", k)
        if change.id in removed:
            run.error("unknown-line", f"change: line '{change.id}' is removed by this scenario",
                      (*at, "id"))
            continue
        if change.id not in owner:
            run.error("unknown-line", f"change: unknown line id '{change.id}'", (*at, "id"),
                      _hint_for(change.id, owner))
            continue
        t = owner[change.id]
        idx = next(i for i, x in enumerate(lines[t]) if x.id == change.id)
        fields = change.model_dump(exclude_unset=True)
        new = run.validated(validate_line, {**lines[t][idx].model_dump(), **fields}, at)
        if new is not None:
            lines[t][idx] = new
            for name in fields:
                field_origin.setdefault(change.id, {})[name] = (own, (*at, name))

    theme_ids = {theme.id: t for t, theme in enumerate(plan.themes)}
    new_ids: set[str] = set()
    for k, added in enumerate(overlay.add):
        at = ("lines", "add", k)
        if added.theme not in theme_ids:
            run.error("unknown-theme", f"add: line '{added.id}' names theme '{added.theme}', "
                      "which is not in the base plan", (*at, "theme"),
                      _hint_for(added.theme, theme_ids) or "known: " + ", ".join(theme_ids))
            continue
        if added.id in new_ids:
            run.error("duplicate-id", f"add: line id '{added.id}' is added twice", (*at, "id"),
                      "line ids are unique in the plan")
            continue
        if added.id in owner and added.id not in removed:
            run.error("duplicate-id", f"add: line id '{added.id}' already exists in the base "
                      "plan", (*at, "id"), "use 'change' to alter it, or pick a new id")
            continue
        if isinstance(added, StaffLine) and added.rate not in rates:
            run.error("unknown-rate", f"add: line '{added.id}' names rate '{added.rate}', "
                      "which is not in 'rates'", (*at, "rate"), "known: " + ", ".join(rates))
            continue
        t = theme_ids[added.theme]
        lines[t].append(validate_line(added.model_dump(exclude={"theme"})))
        owner[added.id] = t
        new_ids.add(added.id)
        removed.discard(added.id)
        where[added.id] = (own, at)

    for k, shift in enumerate(sc.shift):
        at = ("shift", k)
        hits = 0
        for t, theme in enumerate(plan.themes):
            for idx, line in enumerate(lines[t]):
                if not shift.select.matches(theme.id, line):
                    continue
                hits += 1
                fields = shifted(line, shift.model_dump(include={"start_month", "year"},
                                                        exclude_unset=True))
                new = run.validated(validate_line, {**line.model_dump(), **fields}, at)
                if new is not None:
                    lines[t][idx] = new
                    for name in fields:
                        shift_key = name if name in ("start_month", "year") else \
                            "year" if "year" in shift.model_fields_set else "start_month"
                        field_origin.setdefault(line.id, {})[name] = (own, (*at, shift_key))
        if not hits:
            sel = shift.select
            if sel.line is not None and sel.line in removed:
                msg = f"shift: line '{sel.line}' is removed by this scenario"
            elif sel.line is not None:
                msg = f"shift: unknown line id '{sel.line}'"
            else:
                msg = f"shift: no line matches ({sel.describe()})"
            hint = _hint_for(sel.line, owner) if sel.line is not None else None
            run.error("empty-selection" if sel.line is None else "unknown-line", msg,
                      (*at, "select", "line") if sel.line is not None else (*at, "select"),
                      hint)

    themes = []
    for t, theme in enumerate(plan.themes):
        themes.append(theme.model_copy(update={"lines": lines[t]}))
        for n, line in enumerate(lines[t]):
            here = ("themes", t, "lines", n)
            run.origins[here] = where[line.id]
            for name, origin in field_origin.get(line.id, {}).items():
                run.origins[(*here, name)] = origin
    return themes


# --- what the scenario caused ------------------------------------------------------------------

def blame(source: OverlaySource, findings: list[Finding],
          rules: Callable[[Plan], list[Finding]]) -> list[Finding]:
    """`findings` (rule findings of the scenario's plan, unlocated) located: one the base
    plan does not have itself is the scenario's doing, so it points at the change that causes
    it (the scenario's own funding of that year, an adjustment in force that year, its only
    change) or else at the scenario's head, never at a base line the scenario did not touch.
    A finding the base has too stays where the base wrote it."""
    base = source.base_plan
    sc, own = source.scenario, source.own
    if base is None or sc is None or own is None:  # pragma: no cover - apply sets all three
        return [f.located(source.locate(f.path)) for f in findings]
    before = {(f.code, f.path) for f in rules(base)}
    out = []
    for f in findings:
        where = source.locate(f.path)
        if (f.code, f.path) not in before and where.path != own.path:
            cause = _cause(sc, f.path)
            where = own.locate(cause, at_key=len(cause) == 1)
        out.append(f.located(where))
    return out


def _cause(sc: Scenario, path: KeyPath) -> KeyPath:
    """The key path in the scenario of the change most likely behind a finding at `path` (a
    one-key path is located at its key: the head of a list or of the scenario)."""
    year = path[1] if len(path) > 1 and path[0] == "funding" else None
    if isinstance(year, int) and sc.adjustments:
        # Two cuts in force together cause it together: the list, not the first of them.
        hits = [k for k, adj in enumerate(sc.adjustments)
                if adj.from_year <= year and (adj.until is None or year <= adj.until)]
        if hits:
            return ("adjustments", hits[0]) if len(hits) == 1 else ("adjustments",)
    changes: list[KeyPath] = [("rates", name) for name in sc.rates]
    if sc.funding is not None:
        changes += [("funding", "set", y) for y in sc.funding.set]
        changes += [("funding", "scale")] if sc.funding.scale is not None else []
    if sc.lines is not None:
        changes += [("lines", "remove", k) for k in range(len(sc.lines.remove))]
        changes += [("lines", "change", k) for k in range(len(sc.lines.change))]
        changes += [("lines", "add", k) for k in range(len(sc.lines.add))]
    changes += [("shift", k) for k in range(len(sc.shift))]
    changes += [("adjustments",)] if sc.adjustments is not None else []
    changes += [("rules",)] if sc.rules is not None else []
    return changes[0] if len(changes) == 1 else ("scenario",)
