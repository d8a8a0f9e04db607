"""`bdur totals`: one row per year, or one year with its breakdown by goal and theme, as a
table, Markdown, JSON or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..plan.results import GroupTotals, Totals, YearTotals
from . import view
from .formats import Format
from .markdown import markdown_table
from .style import ENGLISH, Style, group_sums, year_sums
from .table import Renderable, escape, gap_cell, heading, new_table, note


@dataclass(frozen=True)
class TotalsView:
    """`bdur totals` as a `View`: one row per year, or one year with its breakdown."""

    result: Totals
    title: str = ""
    formats = view.offers(*Format)
    csv_header = ()

    def data(self) -> object:
        return self.result.as_dict()

    def records(self) -> list[dict[str, Any]]:
        return [flat_year(t) for t in self.result.years]

    def table(self, style: Style) -> Renderable:
        if self.result.breakdown is not None:
            return _totals_year_table(self.result.years[0], self.result.breakdown,
                                      self.title, style)
        return _totals_table(self.result.years, self.title, style)

    def markdown(self, style: Style) -> str:
        return _totals_markdown(self.result, style)


def render(result: Totals, fmt: Format, *, title: str = "", style: Style = ENGLISH) -> Any:
    """`bdur totals`: one row per year, or one year with its breakdown by goal and theme.
    `style` (locale, unit) shapes the table; json and csv stay exact euros."""
    return view.render(TotalsView(result, title), fmt, style)


def _year_columns(rows: Sequence[YearTotals], style: Style, markup: bool = True
                  ) -> list[tuple[str, str, Callable[[YearTotals], str]]]:
    """The columns of the per-year totals: (header, justify, cell). The optional figures of
    the further keys (adjustment, average fte, income, reserves) only when the plan has them,
    so a plain plan's table is what it always was."""
    L, m = style.label, style.money
    shown = rows[0].shown if rows else frozenset()

    def gap(value: Decimal) -> str:
        text = m(value, signed=True)
        return gap_cell(text, value) if markup else text

    cols: list[tuple[str, str, Callable[[YearTotals], str]]] = [
        (L("Year"), "left", lambda r: str(r.year)),
        (L("Funding"), "right", lambda r: m(r.funding)),
        ("", "left", lambda r: _status(r.status_mix, style)),
    ]
    if "adjustment" in shown:
        cols.append((L("Adjusted"), "right",
                     lambda r: m(r.funding_adjustment, signed=True)))
    cols += [
        (L("Planned"), "right", lambda r: m(r.planned)),
        (L("Incidental"), "right", lambda r: m(r.incidental)),
        (L("Structural"), "right", lambda r: m(r.structural)),
        (L("Staff"), "right", lambda r: m(r.staff)),
        (L("Means"), "right", lambda r: m(r.means)),
        ("fte", "right", lambda r: style.number(r.fte)),
    ]
    if "average_fte" in shown:
        cols.append((L("Avg fte"), "right", lambda r: style.number(r.average_fte)))
    if "income" in shown:
        cols += [(L("Income"), "right", lambda r: m(r.income)),
                 (L("Net"), "right", lambda r: m(r.net))]
    if "reserves" in shown:
        cols += [(L("Added"), "right", lambda r: m(r.reserve_additions)),
                 (L("Drawn"), "right", lambda r: m(r.reserve_withdrawals))]
    cols += [(L("Gap"), "right", lambda r: gap(r.gap)),
             (L("Cumulative gap"), "right", lambda r: gap(r.cumulative_gap))]
    if "reserves" in shown:
        cols.append((L("Reserve"), "right", lambda r: m(r.reserve_balance)))
    return cols


def _status(mix: str | None, style: Style) -> str:
    """'granted+conditional' in the style's words, status by status."""
    return "+".join(style.label(part) for part in mix.split("+")) if mix else ""


def flat_year(r: YearTotals) -> dict[str, Any]:
    """A year's totals as one flat CSV row: funding per source as `funding_<id>` columns, the
    reserves together (their own list is in the json)."""
    out: dict[str, Any] = {}
    for key, value in r.as_dict().items():
        if key == "funding_sources" and isinstance(value, dict):
            for sid, entry in value.items():
                out[f"funding_{sid}"] = entry["amount"]
                out[f"funding_{sid}_status"] = entry["status"]
        elif key != "reserves":
            out[key] = value
    return out


def _totals_markdown(result: Totals, style: Style) -> str:
    # A pipe table for a job summary or a memo; a single year adds its goals and themes.
    L = style.label
    cols = _year_columns(result.years, style, markup=False)
    body = [[cell(r) for _, _, cell in cols] for r in result.years]
    out = markdown_table([h for h, _, _ in cols], body, [j == "right" for _, j, _ in cols])
    if result.breakdown is not None:
        rows = []
        for goal in result.breakdown:
            rows.append([f"**{goal.name}**", *_group_cells(goal, style)])
            rows += [[theme.name, *_group_cells(theme, style)]
                     for theme in goal.children]
        out += "\n" + markdown_table(
            [L("Goal / theme"), L("Planned"), L("Incidental"), L("Structural"), L("Staff"),
             L("Means"), "fte"], rows, [False] + [True] * 6)
    sums = year_sums(result.years)
    if result.breakdown is not None:
        sums += group_sums(result.breakdown, result.years[0])
    note = style.note(sums)
    return out + ("" if note is None else f"\n{note}\n")


def _totals_table(rows: Sequence[YearTotals], title: str, style: Style = ENGLISH) -> Any:
    from rich.console import Group

    cols = _year_columns(rows, style)
    table = new_table(None, [(h, j) for h, j, _ in cols])
    for r in rows:
        table.add_row(*[cell(r) for _, _, cell in cols])
    under = note(style, year_sums(rows))
    table.spaced = bool(under)  # a blank line before the note in every layout
    return Group(*heading(title), table, *under)


def _totals_year_table(r: YearTotals, goals: list[GroupTotals], title: str,
                       style: Style = ENGLISH) -> Any:
    from rich.console import Group

    L, m = style.label, style.money
    summary = new_table(f"{r.year}", [("", "left"), ("", "right")])
    summary.show_header = False
    summary.add_row(L("Funding") + (f" ({_status(r.status_mix, style)})" if r.status_mix
                                    else ""),
                    m(r.funding))
    if "sources" in r.shown:
        for sid, amount in r.funding_sources.items():
            status = r.source_status.get(sid)
            summary.add_row(f"  {escape(sid)}" + (f" ({L(status)})" if status else ""),
                            m(amount))
            # A source's adjustment under that source, a step further in: among the sources
            # it read as one more source (the province's cut, when it is the BDuR's).
            if sid in r.source_adjustment:
                summary.add_row("    " + L("of which adjusted"),
                                m(r.source_adjustment[sid], signed=True))
    elif "adjustment" in r.shown:
        summary.add_row("  " + L("of which adjusted"), m(r.funding_adjustment, signed=True))
    summary.add_row(L("Planned"), m(r.planned))
    summary.add_row("  " + L("incidental"), m(r.incidental))
    summary.add_row("  " + L("structural"), m(r.structural))
    summary.add_row("  " + L("staff"), m(r.staff))
    summary.add_row("  " + L("means"), m(r.means))
    summary.add_row("fte", style.number(r.fte))
    if "average_fte" in r.shown:
        summary.add_row(L("Average fte"), style.number(r.average_fte))
    if "income" in r.shown:
        summary.add_row(L("Income"), m(r.income))
        summary.add_row(L("Net cost (planned - income)"), m(r.net))
    if "reserves" in r.shown:
        summary.add_row(L("To reserve"), m(r.reserve_additions))
        summary.add_row(L("From reserve"), m(r.reserve_withdrawals))
    plain = not ({"income", "reserves"} & r.shown)
    summary.add_row(L("Gap (funding - planned)") if plain else L("Gap"),
                    gap_cell(m(r.gap, signed=True), r.gap))
    summary.add_row(L("Cumulative gap"),
                    gap_cell(m(r.cumulative_gap, signed=True), r.cumulative_gap))
    if "reserves" in r.shown:
        summary.add_row(L("Reserve balance"), m(r.reserve_balance))

    detail = new_table(L("By goal and theme, {year}", year=r.year), [
        (L("Goal / theme"), "left"), (L("Planned"), "right"), (L("Incidental"), "right"),
        (L("Structural"), "right"), (L("Staff"), "right"), (L("Means"), "right"),
        ("fte", "right"),
    ])
    for goal in goals:
        detail.add_row(escape(goal.name), *_group_cells(goal, style), style="bold")
        for theme in goal.children:
            detail.add_row("  " + escape(theme.name), *_group_cells(theme, style))
    detail.add_row(L("Total"), m(r.planned), m(r.incidental), m(r.structural),
                   m(r.staff), m(r.means), style.number(r.fte), end_section=True, style="bold")
    under = note(style, year_sums([r]) + group_sums(goals, r))
    detail.spaced = bool(under)
    return Group(*heading(title), summary, detail, *under)


def _group_cells(g: GroupTotals, style: Style = ENGLISH) -> list[str]:
    m = style.money
    return [m(g.planned), m(g.incidental), m(g.structural), m(g.staff),
            m(g.means), style.number(g.fte)]
