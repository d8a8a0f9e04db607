"""Properties of the rounding rule (docs/rounding.md) on random plans and random one-line edits.

An independent route computes what every figure must be: a line-year's exact cost as a
fraction, straight from the line's fields, and half up as floor(x + 1/2). The engine must show
each line as its own exact cost rounded (locality, exactness), every total as the exact sum of
its lines rounded once, and after an edit of one line only that line's figures and the totals
above it (its years, its theme, its goal) may change.

Bounded and derandomized for CI; `BDUR_PROPERTY_EXAMPLES=2000` tries more.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bdur_cli.plan.engine import goal_breakdown, line_years, year_totals
from bdur_cli.plan.model import Plan
from bdur_cli.plan.tables import incidental_overview, table2

FIRST, LAST = 2023, 2026
YEARS = range(FIRST, LAST + 1)
RATES = {"internal": 100_000, "external": 150_000, "odd": 99_997}
THEMES = {"t1": "g1", "t2": "g1", "t3": "g2"}
EXAMPLES = int(os.environ.get("BDUR_PROPERTY_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True)


def half_up(x: Fraction) -> int:
    assert x >= 0
    return math.floor(x + Fraction(1, 2))


@st.composite
def a_line(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    line: dict[str, Any] = {"id": ident, "type": draw(st.sampled_from(["incidental",
                                                                       "structural"])),
                            "year": draw(st.sampled_from(list(YEARS)))}
    if line["type"] == "structural" and draw(st.booleans()):
        line["until"] = draw(st.integers(line["year"], LAST))
    if draw(st.booleans()):
        line["start_month"] = draw(st.integers(1, 12))
    if draw(st.booleans()):
        # fte with up to four decimals, from 0.0001 up
        line["fte"] = str(Decimal(draw(st.integers(1, 40_000))) / 10_000)
        line["rate"] = draw(st.sampled_from(sorted(RATES)))
    else:
        line["amount"] = draw(st.sampled_from([1, 3, 5, 7, 11, 29, 31, 100_009, 58_333])
                              | st.integers(1, 2_000_000))
        if line["type"] == "incidental":
            line.pop("start_month", None)  # a one-off is never pro-rated (docs/plan-format.md)
    return line


@st.composite
def a_plan(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """Lines per theme, ids l0, l1, ... unique in the plan."""
    count = draw(st.integers(1, 14))
    lines: dict[str, list[dict[str, Any]]] = {t: [] for t in THEMES}
    for n in range(count):
        lines[draw(st.sampled_from(sorted(THEMES)))].append(draw(a_line(f"l{n}")))
    return lines


def build(lines: dict[str, list[dict[str, Any]]]) -> Plan:
    return Plan.model_validate({
        "plan": {"region": "R", "title": "T", "horizon": {"first": FIRST, "last": LAST}},
        "funding": {y: {"amount": 1_000_000, "status": "forecast"} for y in YEARS},
        "rates": {name: {"amount": amount} for name, amount in RATES.items()},
        "goals": [{"id": "g1", "name": "G1"}, {"id": "g2", "name": "G2"}],
        "themes": [{"id": t, "name": t.upper(), "goal": g, "lines": lines[t]}
                   for t, g in THEMES.items()],
    })


def expected(lines: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, int], Fraction]:
    """Exact cost per (line, year), by hand from the fields."""
    out: dict[tuple[str, int], Fraction] = {}
    for theme_lines in lines.values():
        for ln in theme_lines:
            end = ln["year"] if ln["type"] == "incidental" else ln.get("until", LAST)
            for year in range(ln["year"], end + 1):
                base = (Fraction(ln["fte"]) * RATES[ln["rate"]] if "fte" in ln
                        else Fraction(ln["amount"]))
                if year == ln["year"] and "start_month" in ln:
                    base *= Fraction(13 - ln["start_month"], 12)
                out[(ln["id"], year)] = base
    return out


def figures(plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {(r.line_id, r.year): r.amount for r in line_years(plan)}


def theme_of(lines: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {ln["id"]: t for t, theme_lines in lines.items() for ln in theme_lines}


@SETTINGS
@given(a_plan())
def test_every_figure_is_its_exact_value_rounded_once(lines: dict[str, list[Any]]) -> None:
    plan = build(lines)
    exact = expected(lines)
    assert figures(plan) == {k: half_up(v) for k, v in exact.items()}
    assert {(r.line_id, r.year): r.exact for r in line_years(plan)} == exact
    themes = theme_of(lines)
    kinds = {ln["id"]: "staff" if "fte" in ln else "means" for t in lines.values() for ln in t}
    types = {ln["id"]: ln["type"] for t in lines.values() for ln in t}
    for t in year_totals(plan):
        mine = {k: v for k, v in exact.items() if k[1] == t.year}
        assert t.planned == half_up(sum(mine.values(), Fraction(0)))
        for name, pick in (("incidental", lambda i: types[i] == "incidental"),
                           ("structural", lambda i: types[i] == "structural"),
                           ("staff", lambda i: kinds[i] == "staff"),
                           ("means", lambda i: kinds[i] == "means")):
            assert getattr(t, name) == half_up(sum((v for k, v in mine.items() if pick(k[0])),
                                                   Fraction(0)))
        assert t.gap == 1_000_000 - t.planned
        for goal in goal_breakdown(plan, t.year):
            in_goal = [v for k, v in mine.items() if THEMES[themes[k[0]]] == goal.id]
            assert goal.planned == half_up(sum(in_goal, Fraction(0)))
            for theme in goal.children:
                in_theme = [v for k, v in mine.items() if themes[k[0]] == theme.id]
                assert theme.planned == half_up(sum(in_theme, Fraction(0)))
    t2 = table2(plan, by="theme")
    for i, col in enumerate(t2.columns):
        held = [v for k, v in exact.items() if k[1] == col.year
                and (col.type is None or types[k[0]] == col.type)]
        assert t2.column_totals[i] == half_up(sum(held, Fraction(0)))
    for row in t2.rows:
        assert row.total == half_up(sum((v for k, v in exact.items() if themes[k[0]] == row.id),
                                        Fraction(0)))
    overview = incidental_overview(plan)
    assert overview.total == half_up(sum((v for k, v in exact.items()
                                          if types[k[0]] == "incidental"), Fraction(0)))


@st.composite
def an_edit(draw: st.DrawFn) -> tuple[dict[str, list[Any]], dict[str, list[Any]], str]:
    """A plan, the same plan with one line added, removed or changed, and that line's id."""
    before = draw(a_plan())
    after = {t: list(ls) for t, ls in before.items()}
    ids = sorted(theme_of(before))
    op = draw(st.sampled_from(["add", "remove", "change"]))
    if op == "add":
        ident = "new"
        after[draw(st.sampled_from(sorted(THEMES)))].append(draw(a_line(ident)))
    else:
        ident = draw(st.sampled_from(ids))
        theme = theme_of(before)[ident]
        idx = next(i for i, ln in enumerate(after[theme]) if ln["id"] == ident)
        if op == "remove":
            del after[theme][idx]
        else:
            after[theme][idx] = draw(a_line(ident))
    return before, after, ident


@SETTINGS
@given(an_edit())
def test_an_edit_moves_only_its_line_and_the_totals_above_it(
        edit: tuple[dict[str, list[Any]], dict[str, list[Any]], str]) -> None:
    before, after, ident = edit
    old, new = build(before), build(after)
    a, b = figures(old), figures(new)
    # Locality: every other line keeps every figure.
    assert {k: v for k, v in a.items() if k[0] != ident} == \
        {k: v for k, v in b.items() if k[0] != ident}
    # Totals: only the years, theme and goal the line is in may change.
    touched = {k[1] for k in (*a, *b) if k[0] == ident}
    themes = {theme_of(before).get(ident), theme_of(after).get(ident)} - {None}
    goals = {THEMES[t] for t in themes if t is not None}
    for x, y in zip(year_totals(old), year_totals(new), strict=True):
        if x.year not in touched:  # the cumulative gap carries a change on to later years
            # average_fte is shown for a plan with any pro-rated line: compare its value
            assert x.average_fte == y.average_fte
            assert {**x.as_dict(), "cumulative_gap": 0, "average_fte": 0} == \
                {**y.as_dict(), "cumulative_gap": 0, "average_fte": 0}
        if not touched or x.year < min(touched):
            assert x.cumulative_gap == y.cumulative_gap
    for year in YEARS:
        for g_old, g_new in zip(goal_breakdown(old, year), goal_breakdown(new, year),
                                strict=True):
            if g_old.id not in goals or year not in touched:
                assert g_old.as_dict() == g_new.as_dict()
            for t_old, t_new in zip(g_old.children, g_new.children, strict=True):
                if t_old.id not in themes or year not in touched:
                    assert t_old.as_dict() == t_new.as_dict()


def test_the_examples_above_are_not_vacuous() -> None:
    # Pro-rating that rounds: the six lines of 1 fte from June, 58,333.33 each.
    lines: dict[str, list[Any]] = defaultdict(list)
    lines["t1"] = [{"id": f"l{i}", "type": "structural", "year": 2023, "start_month": 6,
                    "fte": "1", "rate": "internal"} for i in range(6)]
    lines["t2"], lines["t3"] = [], []
    plan = build(dict(lines))
    assert set(figures(plan).values()) == {58_333, 100_000}
    assert year_totals(plan)[0].planned == 350_000
