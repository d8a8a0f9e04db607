"""The mapping file: how a ledger export is written and, by rules on its columns, which plan
line or theme each posting is booked on; and the explanations file (toelichtingen) beside it.

Reading it is like reading a plan: safe YAML, duplicate keys refused, every error at
`path:line:column` (the loader's machinery). This module holds the schema, the loading and the
findings that set a mapping against a plan; the booking is in `booking`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..plan.loader import parse, read_text, require_bdur_file, validate
from ..plan.model import Id, Money, Plan, StrictModel, Text, Year
from ..plan.pipeline import project_root
from ..plan.source import Source
from ..reading import EXPORT_SUFFIXES, YAML_SUFFIXES, confined
from .analysis import Target, Threshold
from .ledger import ExportSpec

T = TypeVar("T")

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
    lines of `theme` of one `kind` and `type`: as cost (lasten) or, with `book: income`, as
    income (baten) of those lines; or, with `funding`, as funding received from a source."""

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
    book: Literal["cost", "income"] = Field(
        "cost", description="With line or theme: 'cost' (lasten, the default) or 'income' "
        "(baten: a partner's payment towards the line; a credit, so booked as minus the "
        "amount).")
    funding: Id | None = Field(None, description="Instead of line or theme: the funding "
                               "source the postings are receipts of: 'bdur' (the BDuR) or the "
                               "id of one of the plan's sources (booked as minus the amount).")
    note: Text | None = Field(None, description="Free text.")

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.funding is not None:
            if self.line is not None or self.theme is not None or self.kind is not None \
                    or self.type is not None or self.book != "cost":
                raise PydanticCustomError("rule_shape", "a funding rule names only its "
                                          "source and conditions, not a line, theme or "
                                          "'book'")
            if not self.conditions:
                raise PydanticCustomError(
                    "rule_shape", "a rule needs a condition (cost_centre, account, project "
                    "or description); without one it would take every posting")
            return self
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

    @property
    def destination(self) -> str:
        """What the rule books on, as a finding names it."""
        if self.funding is not None:
            return f"funding source '{self.funding}'"
        where = f"line '{self.line}'" if self.line is not None else \
            f"theme '{self.theme}' ({self.kind}, {self.type})"
        return f"{where} as income" if self.book == "income" else where


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
    first_match: bool = Field(False, description="true: the rules are ordered and a posting "
                              "two rules match is booked by the first (the overlap is then a "
                              "warning); false (the default): such a posting is ambiguous, "
                              "listed and not booked.")
    closed_through: Year | None = Field(
        None, description="The last closed year: it and the years before it are closed; the "
        "year after it runs through the last month the export books in it (a --through may "
        "not reopen it).")
    rules: list[Rule] = Field(description="Rules from columns to plan lines or themes, or "
                              "to funding sources.")


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
    sources = {"bdur", *(s.id for s in plan.sources)}
    out = []
    for i, rule in enumerate(lm.mapping.rules):
        if rule.line is not None and rule.line not in lines:
            out.append(Finding("unknown-line", f"rule {i + 1} names line '{rule.line}', which "
                               "is not in the plan", hint=close_match(rule.line, lines),
                               location=lm.locate(("rules", i, "line"))))
        if rule.funding is not None and rule.funding not in sources:
            out.append(Finding("unknown-source", f"rule {i + 1} names funding source "
                               f"'{rule.funding}', which is not in the plan",
                               hint=close_match(rule.funding, sources),
                               location=lm.locate(("rules", i, "funding"))))
        if rule.theme is not None and rule.theme not in themes:
            out.append(Finding("unknown-theme", f"rule {i + 1} names theme '{rule.theme}', "
                               "which is not in the plan", hint=close_match(rule.theme, themes),
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
                               "which is not in the plan", hint=close_match(ident, known[level]),
                               location=source.locate(("explanations", i, level))))
        if e.key in seen:
            out.append(Finding("duplicate-explanation", f"a second explanation of {year} "
                               f"{level} {ident}".rstrip(), hint=f"merge it with entry "
                               f"{seen[e.key] + 1}", location=source.locate(("explanations",
                                                                             i))))
        seen.setdefault(e.key, i)
    return out


def close_match(name: str, names: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "see the plan's ids"


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
    return path, shown_as(lm, name)


def shown_as(lm: LoadedMapping, name: str) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(lm.source.path), name))


def open_named(lm: LoadedMapping, key: str, load: Callable[[Path, str], tuple[T, Source]]
               ) -> tuple[T, Source, str] | None:
    """A file the mapping names under `key` (explanations, staffing, appropriations), read
    by `load` from beside the mapping: its model, its source and the name it is shown by;
    None where the mapping names none. An error in it carries the mapping's text too, so the
    finding at the mapping's key can be quoted."""
    name = getattr(lm.mapping, key)
    if name is None:
        return None
    shown = shown_as(lm, name)
    try:
        model, source = load(lm.relative(name, (key,)), shown)
    except BdurError as exc:
        exc.source_text.setdefault(lm.source.path, lm.source.text)
        raise
    return model, source, shown


def explanations_of(plan: Plan, lm: LoadedMapping
                    ) -> tuple[dict[tuple[int, str, str], str], list[Finding], dict[str, str]]:
    """The mapping's explanations by (year, level, id), their findings and the file's text."""
    opened = open_named(lm, "explanations", load_explanations)
    if opened is None:
        return {}, [], {}
    ex, source, shown = opened
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


def threshold_of(lm: LoadedMapping) -> Threshold:
    t = lm.mapping.threshold
    return Threshold(t.amount, t.percent, t.combine)

