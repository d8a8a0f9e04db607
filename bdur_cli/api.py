"""The Python API for scripts: load a plan or scenario, compute its totals, compare files.

Everything returned is plain data (dataclasses of Decimals) whose `as_dict()`, through
`render.encode.to_json`, is the same JSON as the command line prints::

    import bdur_cli
    from bdur_cli.render.encode import to_json

    base = bdur_cli.load("data/allocations.yaml")
    june = bdur_cli.load("data/scenarios/staff-from-june-2023.yaml")
    print(bdur_cli.totals(june.plan, 2023).years[0].planned)        # 1310000
    print(to_json(bdur_cli.compare(base, june).as_dict()))           # = bdur compare --format json
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .plan.engine import totals as plan_totals
from .plan.model import Plan
from .plan.pipeline import load_plan
from .plan.results import Totals as Totals
from .plan.source import Loaded

if TYPE_CHECKING:  # imported when used: `bdur totals` need not pay for it at start-up
    from .actuals.realise import Analysis
    from .plan.comparison import Comparison, Side


def load(path: str | Path) -> Loaded:
    """Read and validate a plan or a scenario file (a scenario is applied to its base).

    Raises `bdur_cli.BdurError` with located findings."""
    return load_plan(path)


def totals(plan: Plan, year: int | None = None, prices: str = "nominal") -> Totals:
    """Totals for every year of the horizon, or for `year` with its goal/theme breakdown.

    `prices="constant"`: in base-year euros, without the plan's indexation (of costs and of the
    sources it indexes); the default "nominal" applies it."""
    return plan_totals(plan, year, prices)


def _side(item: Loaded | str | Path) -> Side:
    from .plan.comparison import Side

    loaded = item if isinstance(item, Loaded) else load(item)
    name = loaded.scenario.name if loaded.scenario is not None else None
    return Side(loaded.source.path, name, loaded.plan)


def compare(base: Loaded | str | Path, *others: Loaded | str | Path,
            explain: bool = False) -> Comparison:
    """Each file's funding, planned and gap per year, and the others' differences against
    `base`; with `explain`, per year the lines whose amounts differ. Paths are loaded first."""
    from .plan.comparison import compare as _compare

    return _compare(_side(base), [_side(o) for o in others], explain)


def realisation(mapping: str | Path, *, year: int | None = None,
                through: str | None = None, actuals: str | Path | None = None,
                plan: str | Path | None = None, as_of: str | None = None,
                by_month: bool = False) -> Analysis:
    """Budget against realisation (`bdur realisation`): the mapping file is read, its plan
    (or `plan`) loaded, the export (or `actuals`) read and booked, and every year analysed,
    `year` in detail; `through` ('2026-10') makes that month the reporting month of a running
    year. When the plan is a budget amendment, the budget is the one after the amendments
    (adopted by `as_of`, 'YYYY-MM-DD', when given) and the primitive budget is shown beside
    it. Each year's `status` (closed, running, future) is decided as every command decides it
    (`actuals.analysis.year_status`). `by_month` with `year`: that year month by month in
    `Analysis.months`. Raises `BdurError` with located findings; warnings are in
    `Analysis.findings`."""
    from .actuals.realise import Request, realise

    return realise(Request(mapping, plan=plan, actuals=actuals, through=through,
                           as_of=as_of, year=year, by_month=by_month))
