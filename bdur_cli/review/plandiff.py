"""The money effect of a change to a plan: two versions of one file, year by year and line by line.

Pure: no printing, no file access, no git. `bdur diff` loads the file as it is now and as it was
at a revision and hands both here; every figure comes from the engine (`year_totals`,
`line_years`), and `as_dict()` is the JSON of `bdur diff --format json` (through
`render.encode.to_json`).

What a reviewer sees, per file:
- per year of either horizon the change in funding, planned, gap and cumulative gap;
- every line added, removed or changed, with the fields that changed (old -> new) and the
  money effect per year (new amount - old amount); a line whose own fields did not change but
  whose amounts did (its rate changed, the horizon moved, a euro of rounding moved) is
  `affected`, with the reason;
- every other setting that changed (funding, rates, horizon, rules, goals, themes ...), as a
  dotted path such as `funding.2026.amount` or `rates.internal.amount`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..plan.comparison import broken_rules
from ..plan.engine import line_years, year_totals
from ..plan.model import Plan
from ..plan.results import ZERO

FileStatus = Literal["changed", "unchanged", "added", "deleted", "invalid"]
LineStatus = Literal["added", "removed", "changed", "affected"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure before and after; None where the year is outside that version's horizon
    (or the version does not exist)."""

    old: Decimal | None
    new: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old

    def as_dict(self) -> dict[str, object]:
        return {"old": self.old, "new": self.new, "change": self.change}


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A funding status before and after ('granted', 'forecast', 'conditional', or a mix
    such as 'granted+forecast' for a year's funding over its sources); None where there is
    none (no entry, or the year is outside that version's horizon)."""

    old: str | None
    new: str | None

    @property
    def changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old != self.new

    def as_dict(self) -> dict[str, object]:
        return {"old": self.old, "new": self.new, "changed": self.changed}


@dataclass(frozen=True, slots=True)
class SourceChange:
    """One funding source in a year (after adjustments), amount and status, before and
    after, as `bdur totals` has it in `funding_sources`."""

    amount: Figure
    status: StatusChange

    def as_dict(self) -> dict[str, object]:
        return {"amount": self.amount.as_dict(), "status": self.status.as_dict()}


@dataclass(frozen=True, slots=True)
class YearChange:
    """A year's funding, planned, gap and cumulative gap, before and after."""

    year: int
    funding: Figure
    planned: Figure
    gap: Figure
    cumulative_gap: Figure
    #: The terms of the gap a plan with income or reserves has besides funding and planned
    #: (as `bdur totals` shows them), by name: income, net, reserve_additions,
    #: reserve_withdrawals. Empty for a plan without them, whose gap is funding - planned.
    terms: dict[str, Figure] = field(default_factory=dict)
    #: The year's funding status (over every source with money, as `bdur totals`): a grant
    #: going from forecast to granted changes no euro, but it is a change a reviewer weighs.
    funding_status: StatusChange = StatusChange(None, None)
    #: Per source, for a plan with sources besides the BDuR (empty otherwise).
    sources: dict[str, SourceChange] = field(default_factory=dict)
    #: The rules the new version breaks this year and the old one did not (`bdur check`'s
    #: over-funding, structural-not-covered), in the order found: what `bdur compare` marks
    #: with '!'. diff reports them and does not gate (its exit code stays 0).
    broken: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return any(f.old != f.new for f in self.figures.values()) or self.status_changed

    @property
    def status_changed(self) -> bool:
        return self.funding_status.changed or any(
            s.status.changed for s in self.sources.values())

    @property
    def figures(self) -> dict[str, Figure]:
        return {"funding": self.funding, "planned": self.planned, **self.terms,
                "gap": self.gap, "cumulative_gap": self.cumulative_gap}

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"year": self.year,
                                  **{k: f.as_dict() for k, f in self.figures.items()},
                                  "funding_status": self.funding_status.as_dict()}
        if self.sources:
            out["funding_sources"] = {sid: c.as_dict() for sid, c in self.sources.items()}
        if self.broken:
            out["rules_newly_broken"] = list(self.broken)
        return out


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field whose value differs: `field` is a dotted path (`fte`, `funding.2026.amount`);
    None stands for absent."""

    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class LineChange:
    """A line that was added, removed or changed, or whose amounts changed around it."""

    line: str
    theme: str
    status: LineStatus
    #: The line's own fields that changed (for added and removed lines: all of them).
    fields: list[FieldChange]
    #: Per year of both horizons in which its amount changed: new amount - old amount.
    effect: dict[int, Decimal]
    #: For an `affected` line: why its amounts changed (`rate internal`, `horizon`,
    #: `rounding`).
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "line": self.line, "theme": self.theme, "status": self.status,
            "fields": [f.as_dict() for f in self.fields],
            "effect": {str(y): v for y, v in self.effect.items()},
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One file now against the same file at the revision.

    `path` is the file as given (now); `old_path` names the version at the revision
    (`REV:path`). `builds_on` is set for a scenario shown because a plan it builds on was
    asked for: that plan's path. A scenario found that way which cannot be loaded on one side
    is `invalid`, with the first finding in `problem` (`bdur check` is the gate for that).
    """

    path: str
    old_path: str
    name: str | None
    status: FileStatus
    years: list[YearChange] = field(default_factory=list)
    settings: list[FieldChange] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)
    builds_on: str | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "old_path": self.old_path, "name": self.name,
                "status": self.status, "builds_on": self.builds_on, "problem": self.problem,
                "years": [y.as_dict() for y in self.years],
                "settings": [s.as_dict() for s in self.settings],
                "lines": [line.as_dict() for line in self.lines]}


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    """Every compared file against one revision."""

    revision: str  # as given, or how the default was found
    commit: str  # the full hash
    files: list[FileDiff]

    @property
    def changed(self) -> bool:
        return any(f.status != "unchanged" for f in self.files)

    def as_dict(self) -> dict[str, object]:
        return {"revision": self.revision, "commit": self.commit,
                "files": [f.as_dict() for f in self.files]}


# --- building --------------------------------------------------------------------------------

def diff(path: str, old_path: str, old: Plan | None, new: Plan | None, *,
         name: str | None = None, builds_on: str | None = None) -> FileDiff:
    """`new` against `old` (either None when the file does not exist on that side)."""
    status: FileStatus
    if old is None and new is None:
        raise ValueError("nothing to compare: both versions are missing")
    if old is None or new is None:
        status = "added" if old is None else "deleted"
        return FileDiff(path, old_path, name, status, _years(old, new), builds_on=builds_on)
    settings = _changes(_settings(old), _settings(new))
    lines = _lines(old, new, settings)
    years = _years(old, new)
    changed = settings or lines or any(y.changed for y in years)
    return FileDiff(path, old_path, name, "changed" if changed else "unchanged", years,
                    settings, lines, builds_on)


_TERMS = ("income", "net", "reserve_additions", "reserve_withdrawals")


def _years(old: Plan | None, new: Plan | None) -> list[YearChange]:
    before = {t.year: t for t in year_totals(old)} if old is not None else {}
    after = {t.year: t for t in year_totals(new)} if new is not None else {}
    # A rule the change breaks: broken now, not at the revision (a file new in the change
    # has no table; its json says what it breaks).
    was = broken_rules(old, list(before.values())) if old is not None else {}
    now = broken_rules(new, list(after.values())) if new is not None else {}
    out = []
    for y in sorted(before.keys() | after.keys()):
        a, b = before.get(y), after.get(y)

        def fig(name: str, a: Any = a, b: Any = b) -> Figure:
            return Figure(getattr(a, name) if a else None, getattr(b, name) if b else None)

        shown = (a.shown if a else frozenset()) | (b.shown if b else frozenset())
        terms = {name: fig(name) for name in _TERMS
                 if ("income" in shown and name in ("income", "net"))
                 or ("reserves" in shown and name.startswith("reserve_"))}
        status = StatusChange(a.status_mix if a else None, b.status_mix if b else None)
        sources = {} if "sources" not in shown else {
            sid: SourceChange(
                Figure(a.funding_sources.get(sid) if a else None,
                       b.funding_sources.get(sid) if b else None),
                StatusChange(a.source_status.get(sid) if a else None,
                             b.source_status.get(sid) if b else None))
            for sid in [*(a.funding_sources if a else {}),
                        *(k for k in (b.funding_sources if b else {})
                          if not a or k not in a.funding_sources)]}
        broken = tuple(c for c in now.get(y, ()) if c not in was.get(y, ()))
        out.append(YearChange(y, fig("funding"), fig("planned"), fig("gap"),
                              fig("cumulative_gap"), terms, status, sources, broken))
    return out


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    # Mappings and lists of objects with an id become dotted paths (`themes.vik.name`), so a
    # reviewer reads which setting changed; lists of plain values are compared whole.
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list) and value and all(
            isinstance(x, dict) and "id" in x for x in value):
        for x in value:
            _flatten({k: v for k, v in x.items() if k != "id"}, f"{prefix}.{x['id']}", out)
    elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        # Objects without an id (adjustments) by their place, counted from 1: a cut deepened
        # from -5% to -25% is `adjustments.2.change`, not two whole lists side by side that
        # no terminal holds (issue 23, at 80 columns).
        for i, x in enumerate(value, 1):
            _flatten(x, f"{prefix}.{i}", out)
    else:
        out[prefix] = value


def _settings(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump()
    for theme in data.get("themes", []):
        theme.pop("lines", None)
    out: dict[str, Any] = {}
    _flatten(data, "", out)
    return out


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    keys = list(new) + [k for k in old if k not in new]
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _line_index(plan: Plan) -> dict[str, tuple[str, Any]]:
    return {line.id: (theme.id, line) for theme in plan.themes for line in theme.lines}


def _fields(theme: str, line: Any) -> dict[str, Any]:
    """A line's fields as dotted paths, with its theme."""
    flat: dict[str, Any] = {"theme": theme}
    _flatten({k: v for k, v in line.model_dump().items() if k != "id"}, "", flat)
    return {k: v for k, v in flat.items() if v is not None}


def _amounts(plan: Plan) -> dict[str, dict[int, Decimal]]:
    out: dict[str, dict[int, Decimal]] = {}
    for row in line_years(plan):
        out.setdefault(row.line_id, {})[row.year] = row.amount
    return out


def _lines(old: Plan, new: Plan, settings: list[FieldChange]) -> list[LineChange]:
    # Lines are flattened only where the two versions differ: a change touches few lines, and
    # the dotted fields of every line of a large plan, twice, were most of the memory.
    before, after = _line_index(old), _line_index(new)
    paid_before, paid_after = _amounts(old), _amounts(new)
    changed_settings = [s.field for s in settings]
    # Money is compared in the years both versions plan; a year only one of them has is
    # shown in the year table with its figures, not as an effect of every line in it.
    common = set(old.years) & set(new.years)
    out = []
    for line_id in [*after, *(i for i in before if i not in after)]:
        a, b = before.get(line_id), after.get(line_id)
        x, y = paid_before.get(line_id, {}), paid_after.get(line_id, {})
        effect = {yr: y.get(yr, ZERO) - x.get(yr, ZERO)
                  for yr in sorted((x.keys() | y.keys()) & common)}
        effect = {yr: v for yr, v in effect.items() if v != 0}
        theme = (b or a)[0]  # type: ignore[index]
        same = a is not None and b is not None and a[0] == b[0] and a[1] == b[1]
        fields = [] if same else _changes(_fields(*a) if a else {}, _fields(*b) if b else {})
        if a is None or b is None:
            out.append(LineChange(line_id, theme, "added" if a is None else "removed", fields,
                                  effect))
        elif fields:
            out.append(LineChange(line_id, theme, "changed", fields, effect))
        elif effect:
            out.append(LineChange(line_id, theme, "affected", [], effect,
                                  _reason(_fields(*b), changed_settings)))
    return out


def _reason(line: dict[str, Any], changed: list[str]) -> str:
    rate = line.get("rate")
    if rate is not None and any(c.startswith(f"rates.{rate}.") for c in changed):
        return f"rate {rate}"
    if any(c.startswith("plan.horizon.") for c in changed):
        return "horizon"
    if changed:
        return "settings: " + ", ".join(changed)
    # Nothing of its own and no setting changed: euros of pro-rated lines are shared out
    # per year, so another line's change can move a euro of rounding onto this one.
    return "rounding"
