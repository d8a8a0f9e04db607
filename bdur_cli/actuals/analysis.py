"""Budget against realisation: pure arithmetic over a plan and the postings mapped onto it.

No printing, no file access. Amounts are exact `Decimal`s: the budget in whole euros (from
`engine.line_years`), the realisation in the cents the ledger books.

Terms (as a Dutch controller uses them):
- begroting (budget): what the plan puts in a year;
- realisatie (realised): what the ledger booked on it;
- prognose (forecast), only in a running year: for the months after the reporting month, the
  budget of those months (a line's year budget x remaining months / months it runs);
- verwachte realisatie (expected) = realised + forecast; for a closed year, the realisation;
- afwijking (deviation) = expected - budget: positive is overspent (nadelig), negative is
  underspent (voordelig); as a percentage of the budget (none when the budget is 0);
- toelichting nodig: the deviation is above the threshold (by amount or by percentage, as the
  mapping sets it), so the jaarrekening needs an explanation.

Where realisation is booked: a mapping rule names a line, or a theme with a kind (staff or
means) and a type (incidental or structural). The lines booked together form a `Bucket`: one
line, or all lines of a theme of that kind and type that no line rule names. A line no rule
reaches is a bucket of its own that nothing is booked on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from ..plan.engine import average_fte, line_years, year_totals
from ..plan.model import Line, Plan
from ..plan.results import LineYear, YearTotals
from ..rounding import Exact, round_euros

ZERO = Decimal(0)
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)

Level = Literal["total", "goal", "theme", "line"]
PARTS = ("incidental", "structural", "staff", "means")


@dataclass(frozen=True, slots=True)
class Target:
    """What one mapping rule books onto: a line, or a theme's lines of one kind and type."""

    line: str | None = None
    theme: str | None = None
    kind: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Bucket:
    """Plan lines whose realisation is booked together (see the module's note)."""

    id: str  # the line id, or "theme/kind/type" for a theme rule
    name: str
    theme_id: str
    goal_id: str
    kind: str
    type: str
    lines: tuple[str, ...]
    mapped: bool  # False: no rule books onto it, so its realisation is always 0


def buckets(plan: Plan, targets: Iterable[Target]) -> tuple[list[Bucket], list[int | None]]:
    """The buckets of a plan under a mapping's rule targets, in file order, and per target
    the index of its bucket (None for a target that names nothing in the plan)."""
    targets = list(targets)
    line_rules = {t.line for t in targets if t.line is not None}
    theme_rules = {(t.theme, t.kind or "", t.type or "") for t in targets
                   if t.theme is not None}
    out: list[Bucket] = []
    index: dict[tuple[str, ...], int] = {}
    for theme in plan.themes:
        for line in theme.lines:
            kind: str = line.kind
            key = (theme.id, kind, str(line.type))
            if line.id not in line_rules and key in theme_rules:
                bid = ("theme", *key)
                if bid in index:
                    b = out[index[bid]]
                    out[index[bid]] = Bucket(b.id, b.name, b.theme_id, b.goal_id, b.kind,
                                             b.type, (*b.lines, line.id), True)
                    continue
                index[bid] = len(out)
                out.append(Bucket(f"{theme.id}/{kind}/{line.type}", f"{kind}, {line.type}",
                                  theme.id, theme.goal, kind, line.type, (line.id,), True))
            else:
                index[("line", line.id)] = len(out)
                out.append(Bucket(line.id, line.id, theme.id, theme.goal, kind, line.type,
                                  (line.id,), line.id in line_rules))
        # A theme rule for a kind and type the theme has no line of still gets its bucket:
        # what is booked on it is realisation without a budget, never dropped.
        for t_id, kind, type_ in sorted(k for k in theme_rules if k[0] == theme.id):
            bid = ("theme", t_id, kind, type_)
            if bid not in index:
                index[bid] = len(out)
                out.append(Bucket(f"{theme.id}/{kind}/{type_}", f"{kind}, {type_}", theme.id,
                                  theme.goal, kind, type_, (), True))
    per_target: list[int | None] = []
    for t in targets:
        wanted: tuple[str, ...] = ("line", t.line) if t.line is not None else \
            ("theme", t.theme or "", t.kind or "", t.type or "")
        per_target.append(index.get(wanted))
    return out, per_target


@dataclass(frozen=True, slots=True)
class Threshold:
    """Above which deviation an explanation is needed: by amount and/or by percentage."""

    amount: Decimal = Decimal(25000)
    percent: Decimal = Decimal(10)
    combine: Literal["or", "and"] = "or"

    def exceeded(self, deviation: Decimal, budget: Decimal) -> bool:
        """Strictly above: a deviation of exactly €25,000 (or 10%) needs no explanation.
        With no budget, any deviation is above every percentage."""
        size = abs(deviation)
        by_amount = size > self.amount
        by_percent = size * _HUNDRED > self.percent * abs(budget) if budget else size > 0
        return (by_amount or by_percent) if self.combine == "or" else (by_amount and by_percent)


@dataclass(slots=True)
class Figures:
    """Budget, realisation and forecast of one row; the rest follows from them."""

    budget: Decimal = ZERO
    realised: Decimal = ZERO
    forecast: Decimal = ZERO
    primitive: Decimal = ZERO  # the budget as first adopted, when amendments apply
    fte_months: Decimal = ZERO  # planned: fte x the months they run
    fte_months_in_place: Decimal = ZERO  # in place, from the staffing file
    # The exact sums behind budget, primitive and forecast: every row's figure is its own
    # exact sum rounded once (docs/rounding.md), never the sum of its rows' rounded figures.
    exact_budget: Exact = 0
    exact_primitive: Exact = 0
    exact_forecast: Exact = 0
    # Money in (baten): the plan's income towards the row's lines, what the ledger booked as
    # their income, and its forecast in a running year. Net = cost - income.
    income_budget: Decimal = ZERO
    income_realised: Decimal = ZERO
    income_forecast: Decimal = ZERO
    exact_income_budget: Exact = 0
    exact_income_forecast: Exact = 0
    #: False in a year not started: no realisation yet, so no deviation to show (a view
    #: shows "no realisation yet", never -100% or 0).
    started: bool = True

    def add(self, other: Figures) -> None:
        self.budget += other.budget
        self.realised += other.realised
        self.forecast += other.forecast
        self.primitive += other.primitive
        self.fte_months += other.fte_months
        self.fte_months_in_place += other.fte_months_in_place
        self.exact_budget += other.exact_budget
        self.exact_primitive += other.exact_primitive
        self.exact_forecast += other.exact_forecast
        self.income_realised += other.income_realised
        self.exact_income_budget += other.exact_income_budget
        self.exact_income_forecast += other.exact_income_forecast

    def settle(self) -> Figures:
        """Round once: the budgets to whole euros, the forecast to cents, half up."""
        self.budget = round_euros(self.exact_budget)
        self.primitive = round_euros(self.exact_primitive)
        self.forecast = round_euros(self.exact_forecast * 100).scaleb(-2)
        self.income_budget = round_euros(self.exact_income_budget)
        self.income_forecast = round_euros(self.exact_income_forecast * 100).scaleb(-2)
        return self

    @property
    def fte(self) -> Decimal:
        """Planned fte, as a year's average (7 months of 1 fte is 0.58)."""
        return average_fte(self.fte_months)

    @property
    def fte_in_place(self) -> Decimal:
        """fte in place, as a year's average."""
        return average_fte(self.fte_months_in_place)

    @property
    def expected(self) -> Decimal:
        return self.realised + self.forecast

    @property
    def deviation(self) -> Decimal:
        return self.expected - self.budget

    @property
    def percent(self) -> Decimal | None:
        """Deviation as a percentage of the budget, to one decimal (half up); None without
        a budget."""
        return _percent(self.deviation, self.budget)

    @property
    def income_expected(self) -> Decimal:
        return self.income_realised + self.income_forecast

    @property
    def income_deviation(self) -> Decimal:
        """Income expected - budgeted: negative is income short (nadelig)."""
        return self.income_expected - self.income_budget

    @property
    def net_budget(self) -> Decimal:
        return self.budget - self.income_budget

    @property
    def net_expected(self) -> Decimal:
        """Realised (expected) cost less realised (expected) income: what the row costs the
        region's own funding. Without income it is the cost."""
        return self.expected - self.income_expected

    @property
    def net_deviation(self) -> Decimal:
        """Net expected - net budget: positive is overspent. The threshold applies to it."""
        return self.net_expected - self.net_budget

    @property
    def net_percent(self) -> Decimal | None:
        return _percent(self.net_deviation, self.net_budget)

    def as_dict(self, running: bool, amended: bool = False,
                staffing: bool = False, money_in: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"primitive_budget": self.primitive} if amended else {}
        out["budget"] = self.budget
        out["realised"] = self.realised
        if running:
            out["forecast"] = self.forecast
            out["expected"] = self.expected
        # A year not started has no deviation yet (`started`): null, never -100% or 0.
        out["deviation"] = self.deviation if self.started else None
        out["percent"] = self.percent if self.started else None
        if staffing:
            out["fte"] = self.fte
            out["fte_in_place"] = self.fte_in_place
        if money_in:
            out["income_budget"] = self.income_budget
            out["income_realised"] = self.income_realised
            if running:
                out["income_forecast"] = self.income_forecast
                out["income_expected"] = self.income_expected
            out["income_deviation"] = self.income_deviation if self.started else None
            out["net_budget"] = self.net_budget
            out["net_realised" if not running else "net_expected"] = self.net_expected
            out["net_deviation"] = self.net_deviation if self.started else None
            out["net_percent"] = self.net_percent if self.started else None
        return out


def _percent(deviation: Decimal, budget: Decimal) -> Decimal | None:
    if not budget:
        return None
    return (deviation * _HUNDRED / budget).quantize(_TENTH, ROUND_HALF_UP)


@dataclass(slots=True)
class Row:
    """A total, goal, theme or bucket row of one year, flagged when above the threshold.

    `covered`: its theme or goal, or a row below it, has an explanation, which then explains
    this row's deviation too (a goal's "staff arrived in June" covers its staff lines; a
    line's explanation covers its theme); the year's own explanation covers only the year.
    A flagged row that is neither explained nor covered is `unexplained`.
    """

    level: Level
    id: str
    name: str
    figures: Figures = field(default_factory=Figures)
    needs_explanation: bool = False
    explanation: str | None = None
    children: list[Row] = field(default_factory=list)
    kind: str | None = None  # buckets only
    type: str | None = None
    covered: bool = False
    covered_from: Literal["above", "below"] | None = None

    @property
    def unexplained(self) -> bool:
        return self.needs_explanation and not self.explanation and not self.covered

    def as_dict(self, running: bool, amended: bool = False,
                staffing: bool = False, money_in: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"level": self.level, "id": self.id, "name": self.name}
        if self.kind is not None:
            out["kind"], out["type"] = self.kind, self.type
        out.update(self.figures.as_dict(running, amended, staffing, money_in))
        out["needs_explanation"] = self.needs_explanation
        out["explanation"] = self.explanation
        out["explained_elsewhere"] = self.covered
        if self.children:
            out["themes" if self.level == "goal" else "lines"] = [
                c.as_dict(running, amended, staffing, money_in) for c in self.children]
        return out


@dataclass(slots=True)
class YearRealisation:
    """One year: its total and its parts (incidental/structural, staff/means); `goals` holds
    the goal > theme > line rows when the year was asked for in detail."""

    year: int
    status: YearStatus
    total: Row
    parts: dict[str, Figures]
    goals: list[Row] | None = None
    #: The goal > theme > line rows, also when the year is not shown in detail.
    tree: list[Row] = field(default_factory=list)
    #: The year's funding (as the plan computes it: BDuR money and other sources; with
    #: funding rules, per source what was received, else the plan's figure).
    funding: Decimal = ZERO
    #: Per source, budgeted against received, when the mapping books funding.
    sources: list[SourceFunding] | None = None

    @property
    def result(self) -> Decimal:
        """Funding + realised income - realised cost (expected, in a running year): positive
        is money left."""
        return self.funding - self.total.figures.net_expected

    def as_dict(self, running: bool, amended: bool = False,
                staffing: bool = False, money_in: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"year": self.year, "status": self.status}
        out.update(self.total.figures.as_dict(running, amended, staffing, money_in))
        out["needs_explanation"] = self.total.needs_explanation
        out["explanation"] = self.total.explanation
        out["explained_elsewhere"] = self.total.covered
        out["funding"] = self.funding
        if self.sources is not None:
            budget = sum((s.budget for s in self.sources), ZERO)
            out["funding_budget"] = budget
            out["funding_deviation"] = self.funding - budget
            out["funding_sources"] = [s.as_dict() for s in self.sources]
        out["result"] = self.result
        out["parts"] = {k: v.as_dict(running, amended, staffing, money_in)
                        for k, v in self.parts.items()}
        if self.goals is not None:
            out["goals"] = [g.as_dict(running, amended, staffing, money_in)
                            for g in self.goals]
        return out


@dataclass(frozen=True, slots=True)
class SourceFunding:
    """One funding source in one year: the plan's figure (after adjustments) and what the
    ledger booked as received. `booked` False: no receipt is booked, so `received` is the
    plan's figure. In a running year, the months after the reporting month are forecast at
    the plan's figure (`forecast`)."""

    id: str
    budget: Decimal
    received: Decimal
    booked: bool
    forecast: Decimal = ZERO

    @property
    def expected(self) -> Decimal:
        return self.received + self.forecast

    @property
    def deviation(self) -> Decimal:
        return self.expected - self.budget

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "budget": self.budget, "received": self.received,
                "forecast": self.forecast, "expected": self.expected,
                "deviation": self.deviation,
                "basis": "booked" if self.booked else "plan"}


@dataclass(frozen=True)
class Through:
    """The reporting month of a running year: postings up to and including it count."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


#: A year's status: closed (its realisation is final), running (realised through the
#: reporting month, forecast after it) or not started ("future": no realisation yet).
YearStatus = Literal["closed", "running", "future"]


def year_status(year: int, through: Through | None,
                last_booked: int | None) -> YearStatus:
    """The one meaning of closed, used by every command (docs/realisation.md has the table).

    With a reporting month (`--through`, or the mapping's `closed_through` as its December):
    the years before it are closed, its own year is closed when the month is December and
    running otherwise, the years after it have not started. Without one, the export is taken
    as complete: a year up to the last year anything is booked in (`last_booked`) is closed,
    a later year has no realisation yet."""
    if through is not None:
        if year < through.year or (year == through.year and through.month == 12):
            return "closed"
        return "running" if year == through.year else "future"
    return "closed" if last_booked is not None and year <= last_booked else "future"


def last_booked_year(realised: Iterable[tuple[int, int, int]]) -> int | None:
    """The last year any posting is booked in (keys are (bucket, year, month))."""
    return max((k[1] for k in realised), default=None)


def is_closed(year: int, through: Through | None, last_booked: int | None = None) -> bool:
    """Whether a year's result can be appropriated: its status is closed."""
    return year_status(year, through, last_booked) == "closed"


def month_mask(line: Line, last: int) -> dict[int, int]:
    """Per year the months a line is in force, as a 12-bit mask (bit 0: January): the same
    spans the engine pro-rates by (start, end, periods; a phased year is whole)."""
    out: dict[int, int] = {}
    for a, b in line.spans(last):
        for m in range(max(a, 0), b + 1):
            out[m // 12] = out.get(m // 12, 0) | 1 << (m % 12)
    return out


def months_after(month: int) -> int:
    """The mask of the months after `month` (1-12) in its year."""
    return 0xFFF & ~((1 << month) - 1)


def share(row: LineYear, mask: int, wanted: int) -> Exact:
    """The part of a line's year budget in the `wanted` months: its budget spread evenly over
    the months it is in force (`mask`), exactly. The one month rule of the forecast and of
    the budget by month."""
    months = (mask or 0xFFF).bit_count()
    part = (mask or 0xFFF) & wanted
    if part == (mask or 0xFFF):
        return row.exact
    n = part.bit_count()
    return Fraction(row.exact) * n / months if n else 0


def _remaining(row: LineYear, status: YearStatus, through: Through | None,
               mask: int) -> Exact:
    """The part of a line's year budget still to come: none in a closed year, all of it in a
    year not started, in a running year the months in force after the reporting month."""
    if status == "closed":
        return 0
    if status == "future" or through is None:
        return row.exact
    return share(row, mask, months_after(through.month))


def masks(plan: Plan) -> dict[tuple[str, int], int]:
    """Per (line, year) the months it is in force (see `month_mask`)."""
    last = plan.years.stop - 1
    return {(line.id, year): mask for theme in plan.themes for line in theme.lines
            for year, mask in month_mask(line, last).items()}


@dataclass
class Realisation:
    """Every year of the horizon (`years`), one of them in detail when asked."""

    years: list[YearRealisation]
    threshold: Threshold
    through: Through | None = None
    #: True when amendments apply: `budget` is then the budget after them, and
    #: `primitive` (primitive_budget in JSON) the budget as first adopted.
    amended: bool = False
    #: True when a staffing file gives the fte in place (`fte_in_place` beside `fte`).
    staffing: bool = False
    #: The reserve statement, when the plan has reserves or the board decided on a result.
    reserve: ReserveStatement | None = None
    #: True when income is shown: the plan has income, or the mapping books income/funding.
    money_in: bool = False

    @property
    def running(self) -> bool:
        return self.through is not None

    def as_dict(self) -> dict[str, object]:
        return {
            "through": str(self.through) if self.through else None,
            "threshold": {"amount": self.threshold.amount, "percent": self.threshold.percent,
                          "combine": self.threshold.combine},
            "years": [y.as_dict(self.running, self.amended, self.staffing, self.money_in)
                      for y in self.years],
            "reserve": self.reserve.as_dict() if self.reserve is not None else None,
        }


#: (year, level, id) -> explanation text; the year total has level "total" and id "".
Explanations = Mapping[tuple[int, str, str], str]


def realisation(plan: Plan, bucket_list: list[Bucket],
                realised: Mapping[tuple[int, int, int], Decimal], *,
                detail: int | None = None, threshold: Threshold | None = None,
                explanations: Explanations | None = None,
                through: Through | None = None,
                primitive: Plan | None = None,
                staffing: Iterable[Staffed] | None = None,
                income: Mapping[tuple[int, int, int], Decimal] | None = None,
                received: Mapping[tuple[str, int, int], Decimal] | None = None,
                money_in: bool = False) -> Realisation:
    """Budget against realisation for every year of the plan.

    `realised` maps (bucket index, year, month) to the amount booked; with `through`, months
    after the reporting month of its year are left out (they are counted apart, see
    `after_through`) and the rest of that year is forecast from the budget. With `primitive`
    (the plan before amendments; `plan` is then the budget after them) each row also holds
    its primitive budget; a line an amendment removed counts in its year, part, goal and
    theme, though it has no row of its own. With `staffing`, each row also holds its fte in
    place beside its planned fte. `income` maps (bucket index, year, month) to the income
    booked (positive); `received`, when given (the mapping books funding), (source, year,
    month) to the funding received; `money_in` shows income and net (with either given it is
    on).
    """
    money_in = money_in or bool(income) or received is not None
    threshold = threshold or Threshold()
    explanations = explanations or {}
    of_line = {line_id: i for i, b in enumerate(bucket_list) for line_id in b.lines}
    last = last_booked_year([*realised, *(income or {})])
    status = {year: year_status(year, through, last) for year in plan.years}
    in_force = masks(plan) if through is not None else {}
    per: dict[tuple[int, int], Figures] = {}
    for ly in line_years(plan):
        key = (of_line[ly.line_id], ly.year)
        cell = per.setdefault(key, Figures())
        cell.exact_budget += ly.exact
        if ly.kind == "staff":
            cell.fte_months += ly.fte * ly.months
        mask = in_force.get((ly.line_id, ly.year), 0)
        cell.exact_forecast += _remaining(ly, status[ly.year], through, mask)
        if ly.income_exact:
            money_in = True
            cell.exact_income_budget += ly.income_exact
            # The income is forecast like the cost it goes with.
            cell.exact_income_forecast += _remaining(replace(ly, exact=ly.income_exact),
                                                     status[ly.year], through, mask)
    removed: dict[int, list[LineYear]] = {}
    for ly in line_years(primitive) if primitive is not None else ():
        if ly.line_id in of_line:
            per.setdefault((of_line[ly.line_id], ly.year), Figures()).exact_primitive += \
                ly.exact
        else:
            removed.setdefault(ly.year, []).append(ly)
    staffed = list(staffing) if staffing is not None else None
    for (line_id, year), months in fte_months_in_place(staffed or [], plan.years).items():
        if line_id in of_line:
            per.setdefault((of_line[line_id], year), Figures()).fte_months_in_place += months
    totals = year_totals(plan)
    funding = {t.year: t.funding for t in totals}
    sources = _sources(totals, received, through) if received is not None else {}
    for year, listed in sources.items():
        funding[year] = sum((s.expected for s in listed), ZERO)
    for (b, year, month), amount in realised.items():
        if through is not None and (year, month) > (through.year, through.month):
            continue
        per.setdefault((b, year), Figures()).realised += amount
    for (b, year, month), amount in (income or {}).items():
        if through is not None and (year, month) > (through.year, through.month):
            continue
        per.setdefault((b, year), Figures()).income_realised += amount
    for cell in per.values():
        cell.settle()

    def flag(row: Row, year: int) -> Row:
        f = row.figures
        # On net: a partner's payment booked against its line is no underspending. A year
        # not started has no deviation yet: its forecast is its budget.
        row.needs_explanation = status[year] != "future" and threshold.exceeded(
            f.net_deviation, f.net_budget)
        row.explanation = explanations.get((year, row.level, row.id))
        return row

    years = []
    for year in plan.years:
        total = Row("total", "", str(year))
        parts = {k: Figures() for k in PARTS}
        goals = {g.id: Row("goal", g.id, g.name) for g in plan.goals}
        themes: dict[str, Row] = {}
        for theme in plan.themes:
            themes[theme.id] = Row("theme", theme.id, theme.name)
            goals[theme.goal].children.append(themes[theme.id])
        for i, bucket in enumerate(bucket_list):
            figures = per.get((i, year))
            if figures is None:
                continue
            total.figures.add(figures)
            parts[bucket.type].add(figures)
            parts[bucket.kind].add(figures)
            row = Row("line", bucket.id, bucket.name, figures, kind=bucket.kind,
                      type=bucket.type)
            themes[bucket.theme_id].children.append(flag(row, year))
            themes[bucket.theme_id].figures.add(figures)
            goals[bucket.goal_id].figures.add(figures)
        for ly in removed.get(year, ()):
            gone = Figures(exact_primitive=ly.exact)
            for holder in (total, themes.get(ly.theme_id), goals.get(ly.goal_id)):
                if holder is not None:
                    holder.figures.add(gone)
            parts[ly.type].add(gone)
            parts[ly.kind].add(gone)
        for holder in (total, *goals.values(), *themes.values()):
            holder.figures.settle()
        for f in parts.values():
            f.settle()
        tree = [flag(g, year) for g in goals.values()]
        for g in tree:
            for t in g.children:
                flag(t, year)
        flag(total, year)
        if status[year] == "future":
            for f in (total.figures, *parts.values(), *(r.figures for g in tree
                                                        for r in _rows(g))):
                f.started = False
        total.children = tree
        _cover(total, False)
        total.children = []
        years.append(YearRealisation(year, status[year], total, parts,
                                     tree if detail == year else None, tree,
                                     funding.get(year, ZERO), sources.get(year)))
    return Realisation(years, threshold, through, primitive is not None, staffed is not None,
                       money_in=money_in)


def _sources(totals: Iterable[YearTotals], received: Mapping[tuple[str, int, int], Decimal],
             through: Through | None) -> dict[int, list[SourceFunding]]:
    """Per year, every source with money in the plan or a receipt booked: budgeted against
    received. Without a receipt booked in a year the plan's figure stands (basis 'plan'); in
    a running year the months after the reporting month are forecast at the plan's figure,
    pro rata (12ths), and a later year has only the plan's figure."""
    got: dict[tuple[str, int], Decimal] = {}
    for (sid, year, month), amount in received.items():
        if through is not None and (year, month) > (through.year, through.month):
            continue
        got[(sid, year)] = got.get((sid, year), ZERO) + amount
    out: dict[int, list[SourceFunding]] = {}
    for t in totals:
        listed = []
        ids = [*t.funding_sources, *sorted({sid for sid, y in got if y == t.year}
                                             - set(t.funding_sources))]
        for sid in ids:
            budget = t.funding_sources.get(sid, ZERO)
            if (sid, t.year) not in got or (through is not None and t.year > through.year):
                listed.append(SourceFunding(sid, budget, budget, False))
                continue
            left = 0
            if through is not None and t.year == through.year:
                left = 12 - through.month
            forecast = (budget * left / 12).quantize(_CENT, ROUND_HALF_UP)
            listed.append(SourceFunding(sid, budget, got[(sid, t.year)], True, forecast))
        out[t.year] = listed
    return out


@dataclass(frozen=True, slots=True)
class Staffed:
    """From `month` (year, month) on, `fte` are in place on a staff line."""

    line: str
    month: tuple[int, int]
    fte: Decimal


def fte_months_in_place(entries: Iterable[Staffed], years: range
                        ) -> dict[tuple[str, int], Decimal]:
    """Per (line, year) the fte-months in place: each entry holds from its month until the
    line's next entry."""
    by_line: dict[str, list[Staffed]] = {}
    for e in entries:
        by_line.setdefault(e.line, []).append(e)
    out: dict[tuple[str, int], Decimal] = {}
    for line, items in by_line.items():
        items.sort(key=lambda e: e.month)
        for year in years:
            total = ZERO
            for month in range(1, 13):
                now = [e.fte for e in items if e.month <= (year, month)]
                total += now[-1] if now else ZERO
            if total:
                out[(line, year)] = total
    return out


# --- the result and the reserve --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Decision:
    """A resultaatbestemming: what the board decided to put into (positive) or take out of
    (negative) a reserve from a closed year's result, when and by whom."""

    year: int
    reserve: str
    amount: Decimal
    adopted: date
    by: str
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "reserve": self.reserve,
                "addition": self.amount if self.amount > 0 else ZERO,
                "withdrawal": -self.amount if self.amount < 0 else ZERO,
                "adopted": self.adopted.isoformat(), "by": self.by, "note": self.note}


@dataclass(frozen=True, slots=True)
class ReserveMovement:
    """One reserve in one year: opening, the plan's additions and withdrawals, what the board
    decided on the year's result (signed), closing."""

    id: str
    opening: Decimal
    planned_additions: Decimal
    planned_withdrawals: Decimal
    decided: Decimal
    closing: Decimal

    @property
    def additions(self) -> Decimal:
        return self.planned_additions + max(self.decided, ZERO)

    @property
    def withdrawals(self) -> Decimal:
        return self.planned_withdrawals + max(-self.decided, ZERO)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "opening": self.opening, "additions": self.additions,
                "withdrawals": self.withdrawals, "planned_additions": self.planned_additions,
                "planned_withdrawals": self.planned_withdrawals, "decided": self.decided,
                "closing": self.closing}


@dataclass
class StatementYear:
    """One year of the reserve statement (all reserves together).

    result = funding - realised (expected, in a running or future year);
    result after the plan's reserve movements = result - planned additions + planned
    withdrawals; for a closed year the board decides what of it goes into a reserve
    (`decided`, None when it has not); for a year still to come, a negative result after
    movements is a `shortfall`, and `covered` says whether the reserve, after every shortfall
    so far, still covers it (a projection, never a decision).
    """

    year: int
    status: str
    funding: Decimal
    expected: Decimal
    planned_additions: Decimal
    planned_withdrawals: Decimal
    decided: Decimal | None
    opening: Decimal
    closing: Decimal
    reserves: list[ReserveMovement]
    decisions: list[Decision]
    shortfall: Decimal | None = None
    balance_after_shortfalls: Decimal | None = None

    @property
    def result(self) -> Decimal:
        return self.funding - self.expected

    @property
    def result_after_reserves(self) -> Decimal:
        return self.result - self.planned_additions + self.planned_withdrawals

    @property
    def additions(self) -> Decimal:
        return sum((r.additions for r in self.reserves), ZERO)

    @property
    def withdrawals(self) -> Decimal:
        return sum((r.withdrawals for r in self.reserves), ZERO)

    @property
    def not_appropriated(self) -> Decimal | None:
        """The part of a closed year's result (after the plan's movements) no decision put
        in or took out of a reserve."""
        if self.decided is None:
            return None
        return self.result_after_reserves - self.decided

    @property
    def covered(self) -> bool | None:
        if self.balance_after_shortfalls is None:
            return None
        return self.balance_after_shortfalls >= 0

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "status": self.status, "funding": self.funding,
                "realised": self.expected, "result": self.result,
                "planned_additions": self.planned_additions,
                "planned_withdrawals": self.planned_withdrawals,
                "result_after_reserves": self.result_after_reserves,
                "decided": self.decided, "not_appropriated": self.not_appropriated,
                "opening": self.opening, "additions": self.additions,
                "withdrawals": self.withdrawals, "closing": self.closing,
                "shortfall": self.shortfall,
                "balance_after_shortfalls": self.balance_after_shortfalls,
                "covered": self.covered,
                "reserves": [r.as_dict() for r in self.reserves],
                "decisions": [d.as_dict() for d in self.decisions]}


@dataclass(frozen=True, slots=True)
class ReserveInfo:
    id: str
    name: str
    opening: Decimal  # at the start of the horizon
    formed: bool = False  # formed by the board's decisions, not in the plan


@dataclass
class ReserveStatement:
    reserves: list[ReserveInfo]
    years: list[StatementYear]

    def as_dict(self) -> dict[str, object]:
        return {"reserves": [{"id": r.id, "name": r.name, "opening": r.opening,
                              "formed_by_decision": r.formed} for r in self.reserves],
                "years": [y.as_dict() for y in self.years]}


def reserve_statement(plan: Plan, result: Realisation, reserves: list[ReserveInfo],
                      decisions: Iterable[Decision]) -> ReserveStatement:
    """Per year of the horizon, the reserves' opening balance, the plan's additions and
    withdrawals, the board's decisions on closed years' results, the closing balance, carried
    into the next year; for the years still to come, whether the reserves cover their
    shortfalls. Decisions on years that are not closed are the caller's error to report;
    they are left out here."""
    planned = {t.year: {r.id: r for r in t.reserves} for t in year_totals(plan)}
    decided: dict[tuple[int, str], Decimal] = {}
    by_year: dict[int, list[Decision]] = {}
    closed = {y.year for y in result.years if y.status == "closed"}
    for d in decisions:
        if d.year in closed:
            decided[(d.year, d.reserve)] = decided.get((d.year, d.reserve), ZERO) + d.amount
            by_year.setdefault(d.year, []).append(d)
    balance = {r.id: r.opening for r in reserves}
    short = ZERO
    out: list[StatementYear] = []
    for y in result.years:
        moves = []
        for r in reserves:
            p = planned.get(y.year, {}).get(r.id)
            add = p.additions if p is not None else ZERO
            take = p.withdrawals if p is not None else ZERO
            dec = decided.get((y.year, r.id), ZERO)
            opening = balance[r.id]
            balance[r.id] = opening + add - take + dec
            moves.append(ReserveMovement(r.id, opening, add, take, dec, balance[r.id]))
        row = StatementYear(
            y.year, y.status, y.funding, y.total.figures.net_expected,
            sum((m.planned_additions for m in moves), ZERO),
            sum((m.planned_withdrawals for m in moves), ZERO),
            sum((m.decided for m in moves), ZERO) if y.year in by_year else None,
            sum((m.opening for m in moves), ZERO), sum((m.closing for m in moves), ZERO),
            moves, by_year.get(y.year, []))
        if y.year not in closed:
            row.shortfall = max(-row.result_after_reserves, ZERO)
            short += row.shortfall
            row.balance_after_shortfalls = row.closing - short
        out.append(row)
    return ReserveStatement(reserves, out)


def _rows(row: Row) -> Iterable[Row]:
    """A row and every row below it."""
    yield row
    for child in row.children:
        yield from _rows(child)


def _cover(row: Row, above: bool) -> bool:
    """Mark rows explained from above or below; True when `row` or a row below it has an
    explanation."""
    mine = row.explanation is not None
    below = False
    # A goal's or theme's explanation covers its rows; the year's does not cover everything.
    for child in row.children:
        below |= _cover(child, above or (mine and row.level != "total"))
    if not mine and (above or below):
        row.covered, row.covered_from = True, "above" if above else "below"
    return mine or below


def after_through(realised: Mapping[tuple[int, int, int], Decimal],
                  counts: Mapping[tuple[int, int, int], int],
                  through: Through | None) -> tuple[int, Decimal]:
    """How many postings, and how much, are booked after the reporting month."""
    if through is None:
        return 0, ZERO
    end = (through.year, through.month)
    later = [k for k in realised if (k[1], k[2]) > end]
    return sum(counts[k] for k in later), sum((realised[k] for k in later), ZERO)


def cents(value: Decimal) -> str:
    """An amount as a finding spells it: -€1,234.56."""
    sign = "-" if value < 0 else ""
    return f"{sign}€{abs(value):,.2f}"


# --- per month (bestuursrapportage) ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One month of a year: the budget phased by the month rule (`share`) and what is
    booked in it, each also cumulative from January. `realised` is None for a month after
    the reporting month, or in a year not started: nothing is realised there yet."""

    month: int
    budget: Decimal
    cumulative_budget: Decimal
    realised: Decimal | None
    cumulative_realised: Decimal | None

    @property
    def deviation(self) -> Decimal | None:
        """Cumulative realised - cumulative budget (positive: overspent so far)."""
        if self.cumulative_realised is None:
            return None
        return self.cumulative_realised - self.cumulative_budget

    def as_dict(self) -> dict[str, object]:
        return {"month": self.month, "budget": self.budget,
                "cumulative_budget": self.cumulative_budget, "realised": self.realised,
                "cumulative_realised": self.cumulative_realised,
                "deviation": self.deviation}


def by_month(plan: Plan, realised: Mapping[tuple[int, int, int], Decimal], year: int,
             status: YearStatus, through: Through | None) -> list[MonthFigures]:
    """A year month by month: each line's year budget spread over the months it is in force
    (the forecast's rule), against what is booked per month (`realised`, keyed (bucket,
    year, month)). The cumulative budget is its exact sum rounded once to whole euros; a
    month's budget is the difference of two cumulatives, so the months add up to the year's
    budget exactly (docs/rounding.md)."""
    in_force = masks(plan)
    exact: list[Exact] = [0] * 12
    for ly in line_years(plan, range(year, year + 1)):
        mask = in_force.get((ly.line_id, ly.year), 0)
        for m in range(12):
            if (mask or 0xFFF) >> m & 1:
                exact[m] += share(ly, mask, 1 << m)
    booked = [ZERO] * 12
    for (_, y, m), amount in realised.items():
        if y == year:
            booked[m - 1] += amount
    last = 0 if status == "future" else 12 if status == "closed" or through is None \
        else through.month
    out: list[MonthFigures] = []
    so_far: Exact = 0
    before = ZERO
    spent = ZERO
    for m in range(1, 13):
        so_far += exact[m - 1]
        cumulative = round_euros(so_far)
        spent += booked[m - 1]
        shown = m <= last
        out.append(MonthFigures(m, cumulative - before, cumulative,
                                booked[m - 1] if shown else None, spent if shown else None))
        before = cumulative
    return out
