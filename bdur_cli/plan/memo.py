"""What `bdur totals` shows of a plan file, computed once and kept until the file changes.

The figures of a file depend on nothing but its bytes, the files it names (a scenario's base)
and the request (year, prices, funding). A person asks for them again and again between two
edits, and computing them means building the plan's pydantic models and validating it, about
half of the command's start-up. So the first run keeps what it computed (`cache.write_figures`)
and the next run of the same request over the same bytes, by the same build of bdur, reads it
back (`cache.read_figures`) and never loads the models, the engine or the YAML reader.

Figures are kept only once the plan has loaded (its errors refuse it before), and a year
outside the horizon is never kept, so its usage error is given each time. `BDUR_CACHE=0`
switches this off with the plan cache (`cache.folder`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BdurError
from ..reading import read_bytes
from . import cache
from .results import PlanTotals

if TYPE_CHECKING:
    from .source import Loaded


def totals(path: Path, year: int | None = None, prices: str = "nominal",
           granted: bool = False) -> PlanTotals:
    """The totals of the plan or scenario at `path` (`engine.totals`), with its title, horizon
    and indexation base year; `totals` is None when `year` is outside the horizon. `granted`:
    on granted money alone (`flows.granted_only`). Raises `BdurError` as loading the plan does.
    """
    display = str(path)
    # The loader's own error for a missing, special or too large file, whether kept or not.
    data = read_bytes(path, display)
    name = cache.figures_name(("totals", year, prices, granted), os.path.abspath(path), data)
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
    if name is not None:
        inputs = _inputs(loaded, data)
        if inputs is not None:
            cache.write_figures(name, inputs, result)
    return result


def _inputs(loaded: Loaded, data: bytes) -> list[tuple[str, bytes]] | None:
    """Every file the plan came from other than the one asked for (a scenario's bases), by
    absolute path with its bytes; None when a file is no longer what was loaded (it changed
    while bdur ran), so nothing is kept."""
    files = loaded.files or (loaded.source,)
    if _text(data) != files[0].text:
        return None
    out = []
    for source in files[1:]:
        where = os.path.abspath(source.path)
        try:
            now = read_bytes(where, source.path)
        except BdurError:  # gone or unreadable now: keep nothing
            return None
        if _text(now) != source.text:
            return None
        out.append((where, now))
    return out


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
