"""The one way through the realisation: a mapping file in, the analysis out.

`realise(Request(...))` is the whole of `bdur realisation` (and of `bdur report --mapping`,
`bdur chart --mapping`, `bdur_cli.realisation`): the mapping is read, its plan loaded through
the pipeline (after the budget amendments it carries, adopted by the date asked), the export
read and booked, the explanations, staffing and year-end files read, every year analysed and
the reserve statement drawn up. The CLI and the API call it once; it never calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding
from ..plan import amendments
from ..plan.amendments import State
from ..plan.model import Plan
from ..plan.pipeline import load_plan
from ..plan.tables import names_of
from .analysis import (
    Bucket,
    MonthFigures,
    Realisation,
    Through,
    after_through,
    by_month,
    is_closed,
    last_booked_year,
    realisation,
    reserve_statement,
)
from .booking import Part, Reconciliation, read_actuals
from .ledger import Posting
from .mapping import LoadedMapping, explanations_of, load_mapping, plan_path, threshold_of
from .yearend import (
    appropriations_of,
    reporting_month,
    staffing_of,
    taken_as_complete,
    through_month,
)


@dataclass(frozen=True)
class Request:
    """What to analyse: the mapping file, and what the command line (or a script) gives
    beside it. Each may be None: then the mapping's own choice, or every year / the whole
    export / every amendment."""

    mapping: str | Path
    #: The plan (-f), instead of the mapping's `plan`.
    plan: str | Path | None = None
    #: The export (--actuals), instead of the mapping's `export.file`.
    actuals: str | Path | None = None
    #: The reporting month of a running year, 'YYYY-MM' (--through).
    through: str | None = None
    #: The budget as it stood on this date, 'YYYY-MM-DD' (--as-of).
    as_of: str | None = None
    #: One year in detail.
    year: int | None = None
    #: With `year`: that year month by month as well (`--by month`).
    by_month: bool = False


@dataclass
class Analysis:
    """What `bdur realisation` shows: the realisation per year (one in detail), the
    reconciliation, the postings no rule took, and every finding on the way."""

    realisation: Realisation
    reconciliation: Reconciliation
    unmapped: list[Posting]
    findings: list[Finding]
    after_through: Part = field(default_factory=Part)
    texts: dict[str, str] = field(default_factory=dict)
    title: str = ""
    #: The amendments the budget includes, newest first (empty: the primitive budget).
    amendments: list[State] = field(default_factory=list)
    as_of: str | None = None
    #: Postings two rules match that book on different places (not booked), with the rules
    #: and what each would book them on.
    ambiguous: list[AmbiguousPosting] = field(default_factory=list)
    #: The detailed year month by month (`--by month`), when asked.
    months: list[MonthFigures] | None = None
    #: What the figures were made from, for a document that names it (the board pack): the
    #: plan after the amendments, every file of its chain (newest first, the plan as first
    #: adopted last) and the mapping. None/empty where `analyse` was called on its own.
    plan: Plan | None = None
    states: list[State] = field(default_factory=list)
    mapping: LoadedMapping | None = None

    @property
    def names(self) -> dict[str, str]:
        """Line id -> the line's name (its id where it has none); theme id -> its name."""
        return {} if self.plan is None else names_of(self.plan)

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
        if self.ambiguous:
            out["ambiguous"] = [a.as_dict() for a in self.ambiguous]
        return out


@dataclass(frozen=True)
class AmbiguousPosting:
    """A posting two rules match, and per rule (its number) what it would book it on."""

    posting: Posting
    rules: tuple[tuple[int, str, tuple[str, ...]], ...]

    def as_dict(self) -> dict[str, object]:
        return {**posting_record(self.posting),
                "rules": [{"rule": n, "books_on": what, "lines": list(lines)}
                          for n, what, lines in self.rules]}


def posting_record(p: Posting) -> dict[str, object]:
    return {"row": p.row, "date": p.date.isoformat(), "amount": p.amount,
            "cost_centre": p.cost_centre, "account": p.account, "project": p.project,
            "description": p.description}


def realise(request: Request) -> Analysis:
    """Budget against realisation: the mapping read, its plan (or `request.plan`) loaded, the
    export (or `request.actuals`) read and booked, and every year analysed, `request.year` in
    detail. When the plan is a budget amendment, the budget is the one after the amendments
    (adopted by `request.as_of`, when given) and the primitive budget is shown beside it.
    Raises `BdurError` with located findings; warnings are in `Analysis.findings`."""
    lm = load_mapping(request.mapping)
    given = Path(request.plan) if request.plan is not None else None
    states = amendments.chain(plan_path(lm, given))
    as_of = amendments.parse_date(request.as_of) if request.as_of is not None else None
    if as_of is not None:
        states = amendments.as_of(states, as_of)
    plan = load_plan(states[0].path).plan
    primitive = load_plan(states[-1].path).plan if len(states) > 1 else None
    month = through_month(request.through, plan) if request.through is not None else None
    if month is not None:
        reporting_month(request.through, plan, lm)  # a --through may not reopen a closed year
    year = request.year
    if year is not None and year not in plan.years:
        raise BdurError([Finding("usage", f"{year} is outside the plan's horizon "
                                 f"{plan.years.start}-{plan.years.stop - 1}")], EXIT_USAGE)
    result = analyse(plan, lm, year=year, through=month,
                     actuals=Path(request.actuals) if request.actuals is not None else None,
                     primitive=primitive, as_of=as_of, months=request.by_month)
    result.title = (primitive or plan).plan.title
    result.amendments = states[:-1]
    result.as_of = request.as_of
    result.plan, result.states, result.mapping = plan, states, lm
    return result


def analyse(plan: Plan, lm: LoadedMapping, *, year: int | None = None,
            through: Through | None = None, actuals: Path | None = None,
            primitive: Plan | None = None, as_of: date | None = None,
            months: bool = False) -> Analysis:
    """Read, map and analyse: the whole of `bdur realisation`. Raises `BdurError` on a
    mapping or explanations file that names what the plan lacks, or an unreadable export."""
    explanations, found, texts = explanations_of(plan, lm)
    staff, more, staff_texts = staffing_of(plan, lm)
    found += more
    texts.update(staff_texts)
    errors = [f for f in found if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, texts)
    booked = read_actuals(plan, lm, actuals)
    rules = lm.mapping.rules
    books_funding = any(r.funding is not None for r in rules)
    if through is None:
        through = reporting_month(None, plan, lm, [*booked.amounts, *booked.income])
        if through is None:
            found += taken_as_complete(lm, [*booked.amounts, *booked.income])
    # Which years are closed depends on what is booked when no reporting month is given
    # (`year_status`): the year end is read after the export.
    last = last_booked_year([*booked.amounts, *booked.income])
    closed = [y for y in plan.years if is_closed(y, through, last)]
    year_end = appropriations_of(plan, lm, closed, as_of, through)
    found += year_end.findings
    texts.update(year_end.texts)
    errors = [f for f in year_end.findings if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, texts)
    result = realisation(plan, booked.buckets, booked.amounts, detail=year,
                         threshold=threshold_of(lm), explanations=explanations,
                         through=through, primitive=primitive, staffing=staff,
                         income=booked.income,
                         received=booked.funding if books_funding else None,
                         money_in=any(r.book == "income" for r in rules) or books_funding)
    if year_end.reserves:
        result.reserve = reserve_statement(plan, result, year_end.reserves,
                                           year_end.decisions)
        negative = year_end.negative(result.reserve)
        if negative:
            raise BdurError(negative, EXIT_INVALID, texts)
        found += year_end.beyond_result(result.reserve)
    count, total = after_through(booked.amounts, booked.counts, through)
    texts[lm.source.path] = lm.source.text
    out = Analysis(result, booked.reconciliation, booked.unmapped,
                   [*found, *booked.findings], Part(count, total), texts,
                   ambiguous=[_ambiguous(lm, booked.buckets, p, hits)
                              for p, hits in booked.ambiguous])
    if months and year is not None:
        status = next(y.status for y in result.years if y.year == year)
        out.months = by_month(plan, booked.amounts, year, status, through)
    return out


def _ambiguous(lm: LoadedMapping, bucket_list: list[Bucket], posting: Posting,
               hits: tuple[int, ...]) -> AmbiguousPosting:
    out = []
    for i in hits:
        rule = lm.mapping.rules[i]
        if rule.funding is not None:
            lines: tuple[str, ...] = ()
        elif rule.line is not None:
            lines = (rule.line,)
        else:
            wanted = f"{rule.theme}/{rule.kind}/{rule.type}"
            lines = next((b.lines for b in bucket_list if b.id == wanted), ())
        out.append((i + 1, rule.destination, lines))
    return AmbiguousPosting(posting, tuple(out))

