"""Actuals: a ledger export read through its mapping file, every posting accounted for.

The mapping file (YAML) says how the export is written (its columns) and, by rules on those
columns, which plan line or theme each posting is booked on. Reading it is like reading a plan:
safe YAML, duplicate keys refused, every error at `path:line:column` (the loader's machinery).

Every run reconciles: the postings read and their total are split into mapped, unmapped,
outside the horizon and ambiguous (matched by two rules), and those parts add up to the cent.
Nothing is dropped: an unmapped posting is kept and listed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, BdurError, Finding, Location
from ..plan.amendments import State
from ..plan.loader import parse, read_text, require_bdur_file, validate
from ..plan.model import Id, Money, Plan, StrictModel, Text, Year
from ..plan.pipeline import Checked, load_plan, project_root
from ..plan.source import Source
from ..reading import EXPORT_SUFFIXES, YAML_SUFFIXES, confined
from .analysis import (
    Bucket,
    Decision,
    Realisation,
    ReserveInfo,
    ReserveStatement,
    Row,
    Staffed,
    Target,
    Threshold,
    Through,
    after_through,
    buckets,
    is_closed,
    realisation,
    reserve_statement,
)
from .ledger import Export, ExportSpec, Posting, open_export

if TYPE_CHECKING:
    from .yearend import AppropriationFile

ZERO = Decimal(0)
MAX_ROW_FINDINGS = 20


# --- the mapping file ------------------------------------------------------------------------

def _codes(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise PydanticCustomError("code_type", "expected a code (text or a number), got "
                                      "{v}", {"v": str(item)})
        text = str(item).strip()
        if not text:
            raise PydanticCustomError("code_type", "a code cannot be empty")
        out.append(text)
    if not out:
        raise PydanticCustomError("code_type", "an empty list matches nothing")
    return tuple(out)


Codes = Annotated[tuple[str, ...], BeforeValidator(_codes), WithJsonSchema({
    "anyOf": [{"type": "string"}, {"type": "integer"},
              {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
               "minItems": 1}]})]
Column = Annotated[str, Field(min_length=1, max_length=200)]


def _percent(value: Any) -> Decimal:
    text = str(value).strip()
    try:
        result = Decimal(text)
    except ArithmeticError:
        result = Decimal(-1)
    if isinstance(value, bool) or not result.is_finite() or not 0 <= result <= 1000:
        raise PydanticCustomError("out_of_range", "expected a percentage between 0 and 1000, "
                                  "got '{text}'", {"text": text})
    return result


Percent = Annotated[Decimal, BeforeValidator(_percent),
                    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1000})]


class ExportColumns(StrictModel):
    """The export's column headers, as they are written in its header row."""

    date: Column = Field(description="Booking date (boekdatum), dd-mm-jjjj.")
    amount: Column | None = Field(None, description="Amount (bedrag), a cost positive; or "
                                  "give debit and credit instead.")
    debit: Column | None = Field(None, description="Debit column (debet); with credit.")
    credit: Column | None = Field(None, description="Credit column (credit); with debit. "
                                  "amount = debit - credit.")
    cost_centre: Column | None = Field(None, description="Cost centre (kostenplaats).")
    account: Column | None = Field(None, description="Ledger account (grootboekrekening).")
    project: Column | None = Field(None, description="Project code (projectcode).")
    description: Column | None = Field(None, description="Description (omschrijving).")

    @model_validator(mode="after")
    def _amount(self) -> ExportColumns:
        split = (self.debit is not None, self.credit is not None)
        if self.amount is None and split != (True, True):
            raise PydanticCustomError("columns", "name the 'amount' column, or both 'debit' "
                                      "and 'credit'")
        if self.amount is not None and any(split):
            raise PydanticCustomError("columns", "name either 'amount' or 'debit' and "
                                      "'credit', not both")
        return self


class ExportSection(StrictModel):
    """How the ledger export is written."""

    file: Text | None = Field(None, description="The export (.csv or .xlsx), relative to "
                              "this mapping file; --actuals overrides it.")
    sheet: Text | None = Field(None, description="xlsx: the sheet to read (default: the "
                               "first).")
    header_row: Annotated[int, Field(ge=1, le=1000, strict=True)] | None = Field(
        None, description="Row of the column headers (1 = the first); by default the first "
        "row that holds every named column.")
    encoding: Literal["utf-8", "cp1252"] | None = Field(
        None, description="CSV encoding; by default UTF-8 (with or without BOM), else cp1252 "
        "with a warning.")
    delimiter: Literal[";", ",", "\t"] | None = Field(
        None, description="CSV separator; by default ';' as Dutch Excel writes it.")
    columns: ExportColumns = Field(description="The export's column headers.")


class ThresholdSection(StrictModel):
    """When a deviation needs an explanation (toelichting)."""

    amount: Money = Field(Decimal(25000), description="A deviation above this many euros "
                          "needs an explanation.")
    percent: Percent = Field(Decimal(10), description="A deviation above this percentage "
                             "of the budget needs an explanation.")
    combine: Literal["or", "and"] = Field(
        "or", description="'or': above either limit; 'and': above both.")


class Rule(StrictModel):
    """Postings whose columns match every condition given are booked on `line`, or on the
    lines of `theme` of one `kind` and `type`."""

    line: Id | None = Field(None, description="The plan line the postings are booked on.")
    theme: Id | None = Field(None, description="Or: the theme (with kind and type).")
    kind: Literal["staff", "means"] | None = Field(None, description="With theme: staff or "
                                                   "means.")
    type: Literal["incidental", "structural"] | None = Field(
        None, description="With theme: incidental or structural.")
    cost_centre: Codes | None = Field(None, description="Cost centre(s); a trailing * "
                                      "matches any ending (41*).")
    account: Codes | None = Field(None, description="Ledger account(s); a trailing * "
                                  "matches any ending (43*).")
    project: Codes | None = Field(None, description="Project code(s); a trailing * matches "
                                  "any ending.")
    description: Text | None = Field(None, description="Text the description contains "
                                     "(case-insensitive).")
    note: Text | None = Field(None, description="Free text.")

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if (self.line is None) == (self.theme is None):
            raise PydanticCustomError("rule_shape", "a rule names either 'line' or 'theme', "
                                      "not {what}",
                                      {"what": "both" if self.line else "neither"})
        if self.theme is not None and (self.kind is None or self.type is None):
            raise PydanticCustomError(
                "rule_shape", "a theme rule needs 'kind' (staff or means) and 'type' "
                "(incidental or structural)", {"hint": "or name a line with 'line:'"})
        if self.line is not None and (self.kind is not None or self.type is not None):
            raise PydanticCustomError("rule_shape", "'kind' and 'type' go with 'theme'; a "
                                      "line has its own")
        if not self.conditions:
            raise PydanticCustomError(
                "rule_shape", "a rule needs a condition (cost_centre, account, project or "
                "description); without one it would take every posting")
        return self

    @property
    def conditions(self) -> dict[str, tuple[str, ...]]:
        out = {k: v for k in ("cost_centre", "account", "project")
               if (v := getattr(self, k)) is not None}
        if self.description is not None:
            out["description"] = (self.description,)
        return out

    @property
    def target(self) -> Target:
        return Target(self.line, self.theme, self.kind, self.type)


class Mapping(StrictModel):
    """A mapping file: how a ledger export is read and which plan lines its postings are
    booked on (`bdur realisation`)."""

    plan: Text | None = Field(None, description="The plan the rules name lines of, relative "
                              "to this file; -f overrides it.")
    export: ExportSection = Field(description="How the ledger export is written.")
    threshold: ThresholdSection = Field(default_factory=lambda: ThresholdSection.model_validate({}),
                                        description="When a deviation needs an explanation.")
    explanations: Text | None = Field(None, description="The explanations file "
                                      "(toelichtingen), relative to this file.")
    staffing: Text | None = Field(None, description="The staffing file (fte in place per "
                                  "line), relative to this file.")
    appropriations: Text | None = Field(None, description="The resultaatbestemming file (the "
                                        "board's decisions on closed years' results), "
                                        "relative to this file.")
    rules: list[Rule] = Field(description="Rules from columns to plan lines or themes.")


class Explanation(StrictModel):
    """The explanation (toelichting) of one year's deviation: of the year, a goal, a theme or
    a line."""

    year: Year = Field(description="The year explained.")
    total: bool = Field(False, description="true: the year as a whole.")
    goal: Id | None = Field(None, description="Or: a main goal.")
    theme: Id | None = Field(None, description="Or: a theme.")
    line: Id | None = Field(None, description="Or: a line.")
    kind: Literal["staff", "means"] | None = Field(
        None, description="With theme and type: the lines a theme rule books together.")
    type: Literal["incidental", "structural"] | None = Field(
        None, description="With theme and kind.")
    text: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description="The explanation.")

    @model_validator(mode="after")
    def _one(self) -> Explanation:
        named = [k for k in ("goal", "theme", "line") if getattr(self, k) is not None]
        if len(named) + self.total != 1:
            raise PydanticCustomError("explanation_shape", "an explanation is of exactly one "
                                      "of: total: true, goal, theme or line")
        if (self.kind is None) != (self.type is None) or (
                self.kind is not None and self.theme is None):
            raise PydanticCustomError("explanation_shape", "'kind' and 'type' go together, "
                                      "with 'theme' (the lines of a theme rule)")
        return self

    @property
    def key(self) -> tuple[int, str, str]:
        if self.kind is not None:
            return self.year, "line", f"{self.theme}/{self.kind}/{self.type}"
        for level in ("goal", "theme", "line"):
            if (value := getattr(self, level)) is not None:
                return self.year, level, value
        return self.year, "total", ""


class ExplanationsFile(StrictModel):
    """Explanations of deviations (toelichtingen) per year."""

    explanations: list[Explanation] = Field(description="One entry per explained row.")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a mapping file (`bdur schema --mapping`)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **Mapping.model_json_schema()}


def explanations_schema() -> dict[str, Any]:
    """The JSON Schema of an explanations file (`bdur schema --explanations`)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **ExplanationsFile.model_json_schema()}


# --- loading ---------------------------------------------------------------------------------

@dataclass
class LoadedMapping:
    mapping: Mapping
    source: Source
    path: Path

    def locate(self, path: tuple[str | int, ...], at_key: bool = False) -> Location:
        return self.source.locate(path, at_key)

    def relative(self, name: str, key: tuple[str | int, ...]) -> Path:
        """A file the mapping names, relative to the mapping's folder and inside it."""
        # realpath, not Path.resolve: a loop of symbolic links is reported when it is read.
        base = Path(os.path.realpath(self.path.parent))
        target = Path(os.path.realpath(self.path.parent / name))
        if Path(name).is_absolute() or not target.is_relative_to(base):
            raise BdurError([Finding(
                "path-outside", f"'{name}' lies outside the mapping's folder",
                location=self.locate(key),
                hint="keep the export and explanations beside the mapping (or below it); "
                "give another export with --actuals")],
                EXIT_INVALID, {self.source.path: self.source.text})
        self.confine(name, key, self.path.parent)
        return self.path.parent / name

    def confine(self, name: str, key: tuple[str | int, ...], root: Path) -> None:
        """Refuse a file the mapping names that is not of its kind by name or lies outside
        `root` (reading.confined: the rule of a scenario's base)."""
        export = key[0] == "export"
        problem = confined(self.path, name, root, EXPORT_SUFFIXES if export else YAML_SUFFIXES,
                           "the export" if export else f"the {key[0]} file")
        if problem is not None:
            raise BdurError([Finding("path-outside", problem, location=self.locate(key),
                                     hint="a mapping names files of its own project: the "
                                     "plan (.yaml), the export (.csv or .xlsx) and its "
                                     "other files beside it")],
                            EXIT_INVALID, {self.source.path: self.source.text})


def load_mapping(path: str | Path, display: str | None = None) -> LoadedMapping:
    p = Path(path)
    shown = display or str(path)
    text = read_text(p, shown)
    data, source = parse(text, shown)
    require_bdur_file(data, source)
    return LoadedMapping(validate(data, source, Mapping), source, p)


def load_explanations(path: Path, display: str) -> tuple[ExplanationsFile, Source]:
    text = read_text(path, display)
    data, source = parse(text, display)
    require_bdur_file(data, source)
    return validate(data, source, ExplanationsFile), source


def mapping_findings(plan: Plan, lm: LoadedMapping) -> list[Finding]:
    """Rules that name a line or theme the plan does not have (errors)."""
    lines = {line.id for t in plan.themes for line in t.lines}
    themes = {t.id for t in plan.themes}
    out = []
    for i, rule in enumerate(lm.mapping.rules):
        if rule.line is not None and rule.line not in lines:
            out.append(Finding("unknown-line", f"rule {i + 1} names line '{rule.line}', which "
                               "is not in the plan", hint=_close(rule.line, lines),
                               location=lm.locate(("rules", i, "line"))))
        if rule.theme is not None and rule.theme not in themes:
            out.append(Finding("unknown-theme", f"rule {i + 1} names theme '{rule.theme}', "
                               "which is not in the plan", hint=_close(rule.theme, themes),
                               location=lm.locate(("rules", i, "theme"))))
    return out


def explanation_findings(plan: Plan, ex: ExplanationsFile, source: Source) -> list[Finding]:
    known = {"goal": {g.id for g in plan.goals}, "theme": {t.id for t in plan.themes},
             "line": {line.id for t in plan.themes for line in t.lines}}
    out = []
    seen: dict[tuple[int, str, str], int] = {}
    for i, e in enumerate(ex.explanations):
        year, level, ident = e.key
        if e.kind is not None:  # a theme rule's lines: the theme must exist
            level, ident = "theme", e.theme or ""
        if year not in plan.years:
            out.append(Finding("year-outside-horizon", f"explanation for {year}, outside the "
                               f"plan's horizon", location=source.locate(("explanations", i,
                                                                          "year"))))
        if level != "total" and ident not in known[level]:
            out.append(Finding(f"unknown-{level}", f"explanation names {level} '{ident}', "
                               "which is not in the plan", hint=_close(ident, known[level]),
                               location=source.locate(("explanations", i, level))))
        if e.key in seen:
            out.append(Finding("duplicate-explanation", f"a second explanation of {year} "
                               f"{level} {ident}".rstrip(), hint=f"merge it with entry "
                               f"{seen[e.key] + 1}", location=source.locate(("explanations",
                                                                             i))))
        seen.setdefault(e.key, i)
    return out


def _close(name: str, names: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "see the plan's ids"


# --- mapping postings ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Part:
    """A number of postings and their total."""

    count: int = 0
    total: Decimal = ZERO

    def __add__(self, other: Part) -> Part:
        return Part(self.count + other.count, self.total + other.total)


@dataclass(frozen=True)
class Reconciliation:
    """Every posting read, and where it went. mapped + unmapped + outside + ambiguous = read,
    in count and to the cent; `bad_rows` could not be read as postings at all."""

    file: str
    read: Part
    mapped: Part
    unmapped: Part
    outside: Part
    ambiguous: Part
    bad_rows: int
    kind: str
    encoding: str | None
    header_row: int

    @property
    def balanced(self) -> bool:
        return self.mapped + self.unmapped + self.outside + self.ambiguous == self.read

    def as_dict(self) -> dict[str, object]:
        def part(p: Part) -> dict[str, object]:
            return {"postings": p.count, "total": p.total}

        return {"file": self.file, "format": self.kind, "encoding": self.encoding,
                "header_row": self.header_row, "read": part(self.read),
                "mapped": part(self.mapped), "unmapped": part(self.unmapped),
                "outside_horizon": part(self.outside), "ambiguous": part(self.ambiguous),
                "unreadable_rows": self.bad_rows, "balanced": self.balanced}


@dataclass
class Actuals:
    """The export mapped onto the plan: amounts and posting counts per (bucket, year, month),
    the postings no rule took, the reconciliation and the findings."""

    buckets: list[Bucket]
    amounts: dict[tuple[int, int, int], Decimal]
    counts: dict[tuple[int, int, int], int]
    unmapped: list[Posting]
    reconciliation: Reconciliation
    findings: list[Finding] = field(default_factory=list)
    rule_use: list[int] = field(default_factory=list)


Key = tuple[str, str, str, str]  # cost centre, account, project, description


def _matcher(values: tuple[str, ...]) -> Callable[[str], bool]:
    exact = frozenset(v for v in values if not v.endswith("*"))
    prefixes = tuple(v[:-1] for v in values if v.endswith("*"))
    if not prefixes:
        return exact.__contains__
    return lambda s: s in exact or s.startswith(prefixes)


def _contains(needle: str) -> Callable[[str], bool]:
    folded = needle.casefold()
    return lambda s: folded in s.casefold()


def _rule_test(rule: Rule) -> Callable[[Key], bool]:
    tests: list[tuple[int, Callable[[str], bool]]] = []
    for name, values in rule.conditions.items():
        if name == "description":
            tests.append((3, _contains(values[0])))
        else:
            tests.append((("cost_centre", "account", "project").index(name), _matcher(values)))
    return lambda key: all(test(key[i]) for i, test in tests)


def spec_of(lm: LoadedMapping) -> ExportSpec:
    section = lm.mapping.export
    columns = {k: v for k, v in section.columns.model_dump().items() if v is not None}
    where = {k: lm.locate(("export", "columns", k)) for k in columns}
    for key in ("encoding", "sheet", "header_row"):
        where[key] = lm.locate(("export", key))
    return ExportSpec(columns, section.header_row, section.encoding, section.delimiter,
                      section.sheet, where)


def export_path(lm: LoadedMapping, actuals: Path | None) -> tuple[Path, str]:
    if actuals is not None:
        return actuals, str(actuals)
    name = lm.mapping.export.file
    if name is None:
        raise BdurError([Finding("usage", "no export given: name it with --actuals, or as "
                                 "export.file in the mapping", location=lm.locate(("export",),
                                                                                  True))],
                        EXIT_USAGE)
    path = lm.relative(name, ("export", "file"))
    return path, _shown(lm, name)


def _shown(lm: LoadedMapping, name: str) -> str:
    import os

    return os.path.normpath(os.path.join(os.path.dirname(lm.source.path), name))


def read_actuals(plan: Plan, lm: LoadedMapping, actuals: Path | None = None) -> Actuals:
    """Read the export the mapping describes (or `actuals`) and book every posting.

    Raises `BdurError` when the mapping names lines the plan lacks, or the export cannot be
    opened or lacks a column; every other problem is a finding in the result."""
    errors = mapping_findings(plan, lm)
    if errors:
        raise BdurError(errors, EXIT_INVALID, {lm.source.path: lm.source.text})
    path, shown = export_path(lm, actuals)
    try:
        export = open_export(path, spec_of(lm), shown)
    except BdurError as exc:
        exc.source_text.setdefault(lm.source.path, lm.source.text)
        raise
    return book(plan, lm, export)


def book(plan: Plan, lm: LoadedMapping, export: Export) -> Actuals:
    """Every posting of `export` booked on a bucket, or kept as unmapped, outside the horizon
    or ambiguous; the reconciliation adds them up."""
    rules = lm.mapping.rules
    bucket_list, targets = buckets(plan, (r.target for r in rules))
    # read_actuals refused rules that name what the plan lacks, so every rule has a bucket.
    of_rule = [b if b is not None else -1 for b in targets]
    tests = [_rule_test(r) for r in rules]
    uses_description = any(r.description is not None for r in rules)
    first, last = plan.years.start, plan.years.stop - 1
    amounts: dict[tuple[int, int, int], Decimal] = {}
    counts: dict[tuple[int, int, int], int] = {}
    rule_use = [0] * len(rules)
    cache: dict[Key, tuple[int, ...]] = {}
    # Counted in plain locals: this loop runs once per posting.
    n_read = n_mapped = n_unmapped = n_outside = n_ambiguous = 0
    t_read = t_mapped = t_unmapped = t_outside = t_ambiguous = ZERO
    unmapped_rows: list[Posting] = []
    findings = export.findings
    path = export.meta.path
    for p in export.postings():
        amount = p.amount
        n_read += 1
        t_read += amount
        year = p.date.year
        if not first <= year <= last:
            n_outside += 1
            t_outside += amount
            if n_outside <= MAX_ROW_FINDINGS:
                findings.append(Finding(
                    "outside-horizon", f"posting of {p.date:%d-%m-%Y} lies outside the plan's "
                    f"horizon {first}-{last}; it is not booked on the plan", level="warning",
                    location=Location(path, p.row, 0)))
            continue
        key = (p.cost_centre, p.account, p.project, p.description if uses_description else "")
        hits = cache.get(key)
        if hits is None:
            hits = tuple(i for i, test in enumerate(tests) if test(key))
            cache[key] = hits
        if len(hits) == 1:
            r = hits[0]
            rule_use[r] += 1
            cell = (of_rule[r], year, p.date.month)
            amounts[cell] = amounts.get(cell, ZERO) + amount
            counts[cell] = counts.get(cell, 0) + 1
            n_mapped += 1
            t_mapped += amount
        elif not hits:
            n_unmapped += 1
            t_unmapped += amount
            unmapped_rows.append(p)
        else:
            n_ambiguous += 1
            t_ambiguous += amount
            for r in hits:
                rule_use[r] += 1
            if n_ambiguous <= MAX_ROW_FINDINGS:
                where = " and ".join(f"{i + 1} (line {lm.locate(('rules', i)).line})"
                                     for i in hits)
                findings.append(Finding(
                    "ambiguous-posting", f"posting matches rules {where}; it is not booked",
                    location=Location(path, p.row, 0),
                    hint="make the rules exclusive, e.g. by account or project"))
    read, mapped = Part(n_read, t_read), Part(n_mapped, t_mapped)
    unmapped, outside = Part(n_unmapped, t_unmapped), Part(n_outside, t_outside)
    ambiguous = Part(n_ambiguous, t_ambiguous)
    for code, n in (("outside-horizon", n_outside), ("ambiguous-posting", n_ambiguous)):
        if n > MAX_ROW_FINDINGS:
            findings.append(Finding(code, f"{n - MAX_ROW_FINDINGS:,} more postings like this "
                                    f"({n:,} in all)", level="warning" if code.startswith(
                                        "outside") else "error", location=Location(path)))
    if unmapped.count:
        findings.append(Finding(
            "unmapped-postings", f"{unmapped.count:,} postings ({_cents(unmapped.total)}) match "
            "no rule; they are listed, not booked on the plan", level="warning",
            location=Location(path), hint="add a rule for them, or leave them if they are not "
            "BDuR money"))
    for i, used in enumerate(rule_use):
        if not used:
            findings.append(Finding("rule-unused", f"rule {i + 1} matches no posting",
                                    level="warning", location=lm.locate(("rules", i)),
                                    hint="check its codes (a code with a leading zero must "
                                    "be quoted: '0410')"))
    mapped_lines = {line for b in bucket_list if b.mapped for line in b.lines}
    for theme in plan.themes:
        for line in theme.lines:
            if line.id not in mapped_lines:
                findings.append(Finding(
                    "line-not-mapped", f"no rule books postings on line '{line.id}'; its "
                    "realisation is 0", level="warning", location=lm.locate(("rules",), True),
                    hint=f"add a rule with 'line: {line.id}' or 'theme: {theme.id}'"))
    meta = export.meta
    rec = Reconciliation(path, read, mapped, unmapped, outside, ambiguous, meta.bad_rows,
                         meta.kind, meta.encoding, meta.header_row)
    assert rec.balanced, rec  # the parts are counted in one pass; a bug here loses money
    return Actuals(bucket_list, amounts, counts, unmapped_rows, rec, findings, rule_use)


def _cents(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}€{abs(value):,.2f}"


# --- the analysis: plan, mapping, export and explanations together ----------------------------

@dataclass
class Analysis:
    """What `bdur realisation` shows: the realisation per year (one in detail), the
    reconciliation, the postings no rule took, and every finding on the way."""

    realisation: Realisation
    reconciliation: Reconciliation
    unmapped: list[Posting]
    findings: list[Finding]
    after_through: Part = Part()
    texts: dict[str, str] = field(default_factory=dict)
    title: str = ""
    #: The amendments the budget includes, newest first (empty: the primitive budget).
    amendments: list[State] = field(default_factory=list)
    as_of: str | None = None

    def as_dict(self) -> dict[str, object]:
        out = self.realisation.as_dict()
        out["as_of"] = self.as_of
        out["amendments"] = [a.as_dict() for a in self.amendments]
        rec = self.reconciliation.as_dict()
        if self.realisation.through is not None:
            rec["after_through"] = {"postings": self.after_through.count,
                                    "total": self.after_through.total}
        out["reconciliation"] = rec
        out["unmapped"] = [posting_record(p) for p in self.unmapped]
        return out


def posting_record(p: Posting) -> dict[str, object]:
    return {"row": p.row, "date": p.date.isoformat(), "amount": p.amount,
            "cost_centre": p.cost_centre, "account": p.account, "project": p.project,
            "description": p.description}


def explanations_of(plan: Plan, lm: LoadedMapping
                    ) -> tuple[dict[tuple[int, str, str], str], list[Finding], dict[str, str]]:
    """The mapping's explanations by (year, level, id), their findings and the file's text."""
    name = lm.mapping.explanations
    if name is None:
        return {}, [], {}
    path = lm.relative(name, ("explanations",))
    shown = _shown(lm, name)
    try:
        ex, source = load_explanations(path, shown)
    except BdurError as exc:
        exc.source_text.setdefault(lm.source.path, lm.source.text)
        raise
    found = explanation_findings(plan, ex, source)
    return {e.key: " ".join(e.text.split()) for e in ex.explanations}, found, \
        {shown: source.text}


def plan_path(lm: LoadedMapping, given: Path | None) -> Path:
    """The plan to analyse: `given` (-f), else the mapping's `plan`, else the default."""
    if given is not None:
        return given
    if lm.mapping.plan is not None:
        lm.confine(lm.mapping.plan, ("plan",), project_root(lm.path))
        return lm.path.parent / lm.mapping.plan
    return Path("data/allocations.yaml")


def through_month(text: str, plan: Plan) -> Through:
    """`2026-10` as the reporting month; a usage error otherwise."""
    import re

    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BdurError([Finding("usage", f"--through: expected a month as YYYY-MM, such as "
                                 f"2026-10, got '{text}'")], EXIT_USAGE)
    year = int(m.group(1))
    if year not in plan.years:
        raise BdurError([Finding("usage", f"--through: {year} is outside the plan's horizon "
                                 f"{plan.years.start}-{plan.years.stop - 1}")], EXIT_USAGE)
    return Through(year, int(m.group(2)))


def threshold_of(lm: LoadedMapping) -> Threshold:
    t = lm.mapping.threshold
    return Threshold(t.amount, t.percent, t.combine)


def analyse(plan: Plan, lm: LoadedMapping, *, year: int | None = None,
            through: Through | None = None, actuals: Path | None = None,
            primitive: Plan | None = None, as_of: date | None = None) -> Analysis:
    """Read, map and analyse: the whole of `bdur realisation`. Raises `BdurError` on a
    mapping or explanations file that names what the plan lacks, or an unreadable export."""
    explanations, found, texts = explanations_of(plan, lm)
    staff, more, staff_texts = staffing_of(plan, lm)
    found += more
    texts.update(staff_texts)
    closed = [y for y in plan.years if is_closed(y, through)]
    year_end = appropriations_of(plan, lm, closed, as_of, through)
    found += year_end.findings
    texts.update(year_end.texts)
    errors = [f for f in found if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, texts)
    booked = read_actuals(plan, lm, actuals)
    result = realisation(plan, booked.buckets, booked.amounts, detail=year,
                         threshold=threshold_of(lm), explanations=explanations,
                         through=through, primitive=primitive, staffing=staff)
    if year_end.reserves:
        result.reserve = reserve_statement(plan, result, year_end.reserves,
                                           year_end.decisions)
        negative = year_end.negative(result.reserve)
        if negative:
            raise BdurError(negative, EXIT_INVALID, texts)
    count, total = after_through(booked.amounts, booked.counts, through)
    texts[lm.source.path] = lm.source.text
    return Analysis(result, booked.reconciliation, booked.unmapped,
                    [*found, *booked.findings], Part(count, total), texts)


def staffing_of(plan: Plan, lm: LoadedMapping
                ) -> tuple[list[Staffed] | None, list[Finding], dict[str, str]]:
    """The mapping's staffing file as entries (None without one), its findings and text."""
    from .yearend import load_staffing, staffed, staffing_findings

    name = lm.mapping.staffing
    if name is None:
        return None, [], {}
    path = lm.relative(name, ("staffing",))
    shown = _shown(lm, name)
    try:
        sf, source = load_staffing(path, shown)
    except BdurError as exc:
        exc.source_text.setdefault(lm.source.path, lm.source.text)
        raise
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
                    f"takes its balance to {_cents(m.closing)}: below zero",
                    hint=f"at most {_cents(m.closing - m.decided)} can be withdrawn",
                    location=self.source.locate(("appropriations", i,
                                                                      "withdrawal"))))
        return out


def appropriations_of(plan: Plan, lm: LoadedMapping, closed: Iterable[int],
                      as_of: date | None = None, through: Through | None = None) -> YearEnd:
    """The plan's reserves and those the resultaatbestemming forms, its decisions (those
    adopted by `as_of`, when given), and its findings (a decision on a year not in `closed`
    is one)."""
    from .yearend import (
        appropriation_findings,
        decisions,
        load_appropriations,
        reserve_names,
    )

    name = lm.mapping.appropriations
    af = source = None
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    if name is not None:
        path = lm.relative(name, ("appropriations",))
        shown = _shown(lm, name)
        try:
            af, source = load_appropriations(path, shown)
        except BdurError as exc:
            exc.source_text.setdefault(lm.source.path, lm.source.text)
            raise
        findings = appropriation_findings(plan, af, source, closed, as_of,
                                          str(through) if through is not None else None)
        texts[shown] = source.text
    opening = {r.id: r.opening for r in plan.reserves}
    infos = [ReserveInfo(r.id, r.name, opening.get(r.id, ZERO), r.formed)
             for r in reserve_names(plan, af)]
    taken = [d for d in (decisions(af) if af is not None else [])
             if as_of is None or d.adopted <= as_of]
    return YearEnd(infos, taken, findings, texts, af, source)


# --- bdur check ------------------------------------------------------------------------------

def kind_of(path: Path) -> str | None:
    """'mapping' for a YAML file with a top-level `export:` key, 'explanations' for one with
    a top-level `explanations:` key and no `plan:`; None for anything else (a plan)."""
    import re

    from ..reading import is_regular

    if not is_regular(path):  # a FIFO would block the open; its reading says what it is
        return None
    try:
        with path.open("rb") as f:
            head = f.read(256 * 1024).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
    if re.search(r"^export\s*:", head, re.M):
        return "mapping"
    for key in ("staffing", "appropriations"):
        if re.search(rf"^{key}\s*:", head, re.M) and not re.search(r"^plan\s*:", head, re.M):
            return key
    if re.search(r"^explanations\s*:", head, re.M) and not re.search(r"^plan\s*:", head,
                                                                       re.M):
        return "explanations"
    return None


def check_explanations(path: str | Path, display: str | None = None) -> Checked:
    """`bdur check` of an explanations file alone: its shape (its ids are checked against
    the plan when its mapping is checked)."""
    shown = display or str(path)
    try:
        _, source = load_explanations(Path(path), shown)
    except BdurError as exc:
        return Checked(shown, exc.findings, exc.exit_code, exc.source_text.get(shown),
                       texts=exc.source_text)
    return Checked(shown, [], EXIT_OK, source.text, texts={shown: source.text})


def check_year_end(path: str | Path, kind: str, display: str | None = None) -> Checked:
    """`bdur check` of a staffing or resultaatbestemming file alone: its shape (its ids and
    years are checked against the plan when its mapping is checked)."""
    from .yearend import load_appropriations, load_staffing

    shown = display or str(path)
    load = load_staffing if kind == "staffing" else load_appropriations
    try:
        _, source = load(Path(path), shown)
    except BdurError as exc:
        return Checked(shown, exc.findings, exc.exit_code, exc.source_text.get(shown),
                       texts=exc.source_text)
    return Checked(shown, [], EXIT_OK, source.text, texts={shown: source.text})


def check_mapping(path: str | Path, display: str | None = None) -> Checked:
    """`bdur check` of a mapping file: the mapping, its plan, its explanations and its export,
    every finding located; a deviation above the threshold in a year the export has closed
    (it runs past the year's end) without an explanation is a warning."""
    shown = display or str(path)
    texts: dict[str, str] = {}

    def failed(exc: BdurError) -> Checked:
        texts.update(exc.source_text)
        return Checked(shown, exc.findings, exc.exit_code, texts.get(shown), texts=texts)

    try:
        lm = load_mapping(path, shown)
        texts[shown] = lm.source.text
        plan = load_plan(plan_path(lm, None)).plan
        explanations, findings, more = explanations_of(plan, lm)
        texts.update(more)
        staff, found, more = staffing_of(plan, lm)
        findings += found
        texts.update(more)
        findings += mapping_findings(plan, lm)
        if any(f.level == "error" for f in findings):
            return Checked(shown, findings, EXIT_INVALID, lm.source.text, plan, texts)
        booked = read_actuals(plan, lm)
        last = max(((y, m) for _, y, m in booked.amounts), default=(0, 0))
        closed = [y for y in plan.years if (y, 12) <= last]
        year_end = appropriations_of(plan, lm, closed)
        texts.update(year_end.texts)
    except BdurError as exc:
        return failed(exc)
    findings += year_end.findings
    findings += booked.findings
    ex_file = lm.mapping.explanations
    where = Location(_shown(lm, ex_file)) if ex_file else lm.locate(("threshold",), True)
    through = Through(*last) if closed != list(plan.years) and last >= (
        plan.years.start, 1) else None
    result = realisation(plan, booked.buckets, booked.amounts, threshold=threshold_of(lm),
                         explanations=explanations, through=through, staffing=staff)
    if year_end.reserves and not any(f.level == "error" for f in year_end.findings):
        findings += year_end.negative(reserve_statement(plan, result, year_end.reserves,
                                                        year_end.decisions))
    for year in result.years:
        if year.year not in closed:
            continue
        y = year.year
        for row in [year.total, *(r for g in year.tree for r in _walk(g))]:
            if row.unexplained:
                f = row.figures
                pct = f" ({f.percent:+}%)" if f.percent is not None else ""
                what = "the year" if row.level == "total" else f"{row.level} '{row.id}'"
                findings.append(Finding(
                    "explanation-missing", f"{y}, {what}: the deviation {_cents(f.deviation)}"
                    f"{pct} is above the threshold and has no explanation", level="warning",
                    location=where, hint="add an entry to the explanations file"))
    code = EXIT_INVALID if any(f.level == "error" for f in findings) else EXIT_OK
    return Checked(shown, findings, code, lm.source.text, plan, texts)


def _walk(row: Row) -> Iterable[Row]:
    yield row
    for child in row.children:
        yield from _walk(child)
