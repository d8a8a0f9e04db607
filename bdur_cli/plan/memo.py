"""What `bdur totals` shows of a plan file, computed once and kept until the file changes.

The figures of a plan depend on nothing but its bytes and the request (year, prices,
funding). A person asks for them again and again between two edits, and computing them means
building the plan's pydantic models and validating it, about half of the command's start-up.
So the first run keeps what it computed (`cache.write_figures`) and the next run of the same
request over the same bytes, by the same build of bdur, reads it back (`cache.read_figures`)
and never loads the models, the engine or the YAML reader.

Only a plan is kept, not a scenario: a scenario's figures also depend on its bases, on where
they are after symbolic links, and on which of them its project lets it read (the current
folder, the git work tree: `pipeline.confine_base`), which are checked on every run. Figures
are kept only once the plan has loaded (its errors refuse it before), and a year outside the
horizon is never kept, so its usage error is given each time. `BDUR_CACHE=0` switches this off
with the plan cache (`cache.folder`).
"""

from __future__ import annotations

from pathlib import Path

from ..reading import read_bytes
from . import cache
from .results import PlanTotals


def totals(path: Path, year: int | None = None, prices: str = "nominal",
           granted: bool = False) -> PlanTotals:
    """The totals of the plan or scenario at `path` (`engine.totals`), with its title, horizon
    and indexation base year; `totals` is None when `year` is outside the horizon. `granted`:
    on granted money alone (`flows.granted_only`). Raises `BdurError` as loading the plan does.
    """
    display = str(path)
    # The loader's own error for a missing, special or too large file, whether kept or not.
    data = read_bytes(path, display)
    name = cache.figures_name(("totals", year, prices, granted), data)
    if name is not None:
        kept = cache.read_figures(name)
        if kept is not None:
            return kept

    # Imported here: a run that finds its figures kept never loads them.
    from .engine import totals as compute
    from .flows import granted_only
    from .pipeline import load_plan

    loaded = load_plan(path)
    plan = loaded.plan
    indexation = plan.indexation
    base_year = indexation.base_year if indexation is not None else None
    first, last = plan.years.start, plan.years.stop - 1
    if year is not None and year not in plan.years:
        return PlanTotals(plan.plan.title, first, last, base_year, None)
    if granted:
        plan = granted_only(plan)
    result = PlanTotals(loaded.plan.plan.title, first, last, base_year,
                        compute(plan, year, prices))
    # A plan, not a scenario (see above), loaded from the bytes the name was made of (not
    # changed between the two reads).
    if (name is not None and loaded.scenario is None and len(loaded.files) <= 1
            and _text(data) == loaded.source.text):
        cache.write_figures(name, result)
    return result


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
