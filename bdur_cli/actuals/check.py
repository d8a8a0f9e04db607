"""`bdur check` of the files of the actuals wing: a mapping (with its plan, explanations,
staffing, resultaatbestemming and export), or one of those files alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_OK, BdurError, Finding, Location
from ..plan.pipeline import Checked, load_plan
from ..plan.source import Source
from .analysis import Row, cents, is_closed, last_booked_year, realisation, reserve_statement
from .booking import read_actuals
from .mapping import (
    explanations_of,
    load_explanations,
    load_mapping,
    mapping_findings,
    plan_path,
    shown_as,
    threshold_of,
)
from .yearend import appropriations_of, reporting_month, staffing_of, taken_as_complete


def kind_of(path: Path) -> str | None:
    """'mapping' for a YAML file with a top-level `export:` key, 'explanations' for one with
    a top-level `explanations:` key and no `plan:`; None for anything else (a plan)."""
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
    return _shape_only(path, display, load_explanations)


def check_year_end(path: str | Path, kind: str, display: str | None = None) -> Checked:
    """`bdur check` of a staffing or resultaatbestemming file alone: its shape (its ids and
    years are checked against the plan when its mapping is checked)."""
    from .yearend import load_appropriations, load_staffing

    return _shape_only(path, display,
                       load_staffing if kind == "staffing" else load_appropriations)


def _shape_only(path: str | Path, display: str | None,
                load: Callable[[Path, str], tuple[object, Source]]) -> Checked:
    shown = display or str(path)
    try:
        _, source = load(Path(path), shown)
    except BdurError as exc:
        return Checked(shown, exc.findings, exc.exit_code, exc.source_text.get(shown),
                       texts=exc.source_text)
    return Checked(shown, [], EXIT_OK, source.text, texts={shown: source.text})


def check_mapping(path: str | Path, display: str | None = None) -> Checked:
    """`bdur check` of a mapping file: the mapping, its plan, its explanations and its export,
    every finding located; a deviation above the threshold in a closed year (`year_status`)
    without an explanation is a warning."""
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
        # Closed as `bdur realisation` without --through decides it (`year_status`): the
        # mapping's closed_through, else every year up to the last one anything is booked in.
        booked_keys = [*booked.amounts, *booked.income]
        through = reporting_month(None, plan, lm, booked_keys)
        if through is None:
            findings += taken_as_complete(lm, booked_keys)
        last = last_booked_year(booked_keys)
        closed = [y for y in plan.years if is_closed(y, through, last)]
        year_end = appropriations_of(plan, lm, closed)
        texts.update(year_end.texts)
    except BdurError as exc:
        return failed(exc)
    findings += year_end.findings
    findings += booked.findings
    ex_file = lm.mapping.explanations
    where = Location(shown_as(lm, ex_file)) if ex_file else lm.locate(("threshold",), True)
    books_funding = any(r.funding is not None for r in lm.mapping.rules)
    result = realisation(plan, booked.buckets, booked.amounts, threshold=threshold_of(lm),
                         explanations=explanations, through=through, staffing=staff,
                         income=booked.income,
                         received=booked.funding if books_funding else None)
    if year_end.reserves and not any(f.level == "error" for f in year_end.findings):
        statement = reserve_statement(plan, result, year_end.reserves, year_end.decisions)
        negative = year_end.negative(statement)
        # A balance below zero is the finding to fix first; the result's room comes after.
        findings += negative or year_end.beyond_result(statement)
    for year in result.years:
        if year.year not in closed:
            continue
        y = year.year
        for row in [year.total, *(r for g in year.tree for r in _walk(g))]:
            if row.unexplained:
                f = row.figures
                # On net, as the threshold is (without income, net is the cost).
                pct = f" ({f.net_percent:+}%)" if f.net_percent is not None else ""
                what = "the year" if row.level == "total" else f"{row.level} '{row.id}'"
                findings.append(Finding(
                    "explanation-missing", f"{y}, {what}: the deviation {cents(f.net_deviation)}"
                    f"{pct} is above the threshold and has no explanation", level="warning",
                    location=where, hint="add an entry to the explanations file"))
    code = EXIT_INVALID if any(f.level == "error" for f in findings) else EXIT_OK
    return Checked(shown, findings, code, lm.source.text, plan, texts)


def _walk(row: Row) -> Iterable[Row]:
    yield row
    for child in row.children:
        yield from _walk(child)
