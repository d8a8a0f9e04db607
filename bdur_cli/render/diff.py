"""`bdur diff`: the money effect of a change, as a table, JSON, or markdown for a review comment.

Takes `plandiff.RevisionDiff` (all figures computed there); this module only spells them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..numbers import plain_number
from ..plan.results import NONE_GRANTED
from ..review.plandiff import FieldChange, FileDiff, LineChange, RevisionDiff, YearChange
from . import view
from .formats import DiffFormat
from .markdown import markdown_table
from .style import ENGLISH, Style
from .table import MARK, Footnote, escape, gap_cell, new_table, rules_broken


@dataclass(frozen=True)
class DiffView:
    """`bdur diff` as a `View`: the money effect of a change."""

    result: RevisionDiff
    formats = view.offers(*DiffFormat)

    def data(self) -> object:
        return self.result.as_dict()

    def table(self, style: Style) -> Any:
        return _tables(self.result, style)

    def markdown(self, style: Style) -> str:
        return markdown(self.result, style)


def notes(result: RevisionDiff) -> list[str]:
    """One line per file that could not be compared line by line (for stderr)."""
    out = []
    for f in result.files:
        if f.status in ("added", "deleted", "invalid"):
            out.append(f"bdur diff: {f.path}: {_status_sentence(f, result)}")
    return out


# --- words -----------------------------------------------------------------------------------

_MONEY_KEYS = {"amount", "planned", "incidental", "structural", "staff", "means"}


def _is_money(path: str) -> bool:
    parts = path.split(".")
    return parts[-1] in _MONEY_KEYS or (len(parts) > 1 and parts[-2] == "by_year")


def _value(path: str, value: Any, style: Style) -> str:
    """A setting's or a line field's value as a reader expects it: euros for money."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal) and _is_money(path):
        return style.money(Decimal(value))
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _signed(value: Decimal | None, style: Style) -> str:
    if value is None:
        return ""
    return "0" if value == 0 else style.money(value, signed=True)


def _status_sentence(f: FileDiff, result: RevisionDiff) -> str:
    at = result.revision
    if f.status == "added":
        return f"new in this change (not in {at}); nothing to compare it with"
    if f.status == "deleted":
        return f"deleted in this change (it was in {at}); nothing left to compare"
    if f.status == "invalid":
        return f"cannot be compared: {f.problem}"
    if f.status == "unchanged":
        return "no change in money or settings"
    return "changed"


def _describe(fields: Sequence[FieldChange], which: str, style: Style) -> str:
    """A whole line in words: `0.5 fte internal, structural from 2025`."""
    v = {c.field: getattr(c, which) for c in fields}
    words = []
    if v.get("fte") is not None:
        words.append(f"{_value('fte', v['fte'], style)} fte {v.get('rate') or ''}".rstrip())
    elif v.get("amount") is not None:
        words.append(style.money(Decimal(v["amount"])))
    if v.get("type") == "structural":
        until = f" until {v['until']}" if v.get("until") is not None else ""
        words.append(f"structural from {v.get('year')}{until}")
    elif v.get("type") is not None:
        words.append(f"{v['type']} in {v.get('year')}")
    if v.get("start_month") is not None:
        words.append(f"start month {v['start_month']}")
    # Theme has a column of its own and a note is words; anything else is listed as it is.
    known = {"fte", "rate", "amount", "type", "year", "until", "start_month", "theme", "note"}
    words += [f"{k} {_value(k, x, style)}" for k, x in v.items() if k not in known]
    return ", ".join(words)


def _change(line: LineChange, style: Style) -> str:
    if line.status == "added":
        return f"added: {_describe(line.fields, 'new', style)}"
    if line.status == "removed":
        return f"removed: {_describe(line.fields, 'old', style)}"
    if line.status == "affected":
        return f"same line, amount changed by {line.reason}"
    return "; ".join(f"{c.field} {_value(c.field, c.old, style)} → "
                     f"{_value(c.field, c.new, style)}" for c in line.fields)


def _same_lines(f: FileDiff, result: RevisionDiff) -> str | None:
    """For a scenario whose line changes are exactly those of the plan it builds on: that
    plan's path (its lines are not repeated)."""
    if f.builds_on is None:
        return None
    plan = next((p for p in result.files if p.path == f.builds_on), None)
    return f.builds_on if plan is not None and plan.lines == f.lines else None


def _effect_years(f: FileDiff) -> list[int]:
    return sorted({y for line in f.lines for y in line.effect})


def _title(f: FileDiff) -> str:
    name = f" (scenario: {f.name})" if f.name else ""
    on = f", builds on {f.builds_on}" if f.builds_on else ""
    return f"{f.path}{name}{on}"


def _last_cumulative(f: FileDiff) -> YearChange | None:
    years = [y for y in f.years if y.cumulative_gap.old is not None
             and y.cumulative_gap.new is not None]
    return years[-1] if years else None


def _headline(f: FileDiff, style: Style) -> str | None:
    last = _last_cumulative(f)
    if last is None or last.cumulative_gap.change == 0:
        return None
    c = last.cumulative_gap
    assert c.old is not None and c.new is not None
    return (f"Cumulative gap at the end of {last.year}: {style.money(c.old, signed=True)} → "
            f"{style.money(c.new, signed=True)} ({_signed(c.change, style)})")


# --- table -----------------------------------------------------------------------------------

def _tables(result: RevisionDiff, style: Style) -> Any:
    from rich.console import Group
    from rich.text import Text

    L = style.label
    parts: list[Any] = [Text(f"bdur diff against {result.revision}", style="bold")]
    if not result.files:
        parts.append(Text("no files compared"))
    for f in result.files:
        if f.status == "unchanged":
            continue  # listed together at the end
        parts.append(Text(""))
        parts.append(Text(_title(f), style="bold"))
        if f.status != "changed":
            parts.append(Text(_status_sentence(f, result)))
            continue
        parts.append(_years_table(f.years, style, f.path))
        headline = _headline(f, style)
        if headline:
            parts.append(Text(headline))
        same = _same_lines(f, result)
        if same:
            parts += [Text(""), Text(f"Lines behind it: as in {same}")]
        elif f.lines:
            parts += [Text(""), _lines_table(f, style)]
        if f.settings:
            table = new_table(L("Other changes"), [(L("Setting"), "left"), (L("Before"), "right"),
                                                (L("After"), "right")])
            for s in f.settings:
                table.add_row(escape(s.field), escape(_value(s.field, s.old, style)),
                              escape(_value(s.field, s.new, style)))
            parts.append(table)
    unchanged = _unchanged(result)
    if unchanged:
        parts += [Text(""), Text(f"No change in money or settings: {', '.join(unchanged)}")]
    return Group(*parts)


def _unchanged(result: RevisionDiff) -> list[str]:
    return [f.path for f in result.files if f.status == "unchanged"]


#: The terms of the gap besides funding and planned, with their column headings.
_TERM_LABELS = {"income": "Income", "net": "Net", "reserve_additions": "Added",
                "reserve_withdrawals": "Drawn"}


def _term_columns(years: Sequence[YearChange]) -> list[str]:
    """The gap's further terms to show: net cost whenever the plan has income (the gap is
    on it), and income, additions and withdrawals where they changed, so that Δ gap =
    Δ funding - Δ net - Δ added + Δ drawn reads off the table."""
    names = [n for n in _TERM_LABELS if any(n in y.terms for y in years)]
    return [n for n in names if n == "net" or any(
        y.terms[n].old != y.terms[n].new for y in years if n in y.terms)]


def gap_words(years: Sequence[YearChange]) -> str | None:
    """How the gap is made, for a plan with income or reserves (as `bdur totals` has it)."""
    terms = {n for y in years for n in y.terms}
    if not terms:
        return None
    parts = ["funding", "- net cost (planned - income)" if "net" in terms else "- planned"]
    if "reserve_additions" in terms:
        parts.append("- reserve additions + withdrawals")
    return "gap = " + " ".join(parts) + ", as in bdur totals"


def rounding_words(years: Sequence[YearChange]) -> str | None:
    """Net cost is rounded once from exact amounts: Δ net may differ by a euro or so from
    Δ planned - Δ income as shown. Said when it does."""
    for y in years:
        if "net" not in y.terms or "income" not in y.terms:
            continue
        net, planned, income = y.terms["net"].change, y.planned.change, y.terms["income"].change
        if net is not None and planned is not None and income is not None \
                and net != planned - income:
            return ("rounding differences: net cost is planned - income rounded once from "
                    "the exact amounts, so Δ net can differ from Δ planned - Δ income by a "
                    "euro (docs/rounding.md)")
    return None


#: The statuses in the legend's order; 'none granted' is a year's on granted money alone.
_STATUSES = ("granted", "forecast", "conditional", NONE_GRANTED)


def _status(mix: str | None, style: Style, short: bool) -> str:
    """A status (or a mix 'granted+forecast') in the style's words, or by initials ('g+f')."""
    return "+".join(style.label(p)[0] if short else style.label(p)
                    for p in (mix or "").split("+") if p) or "–"


def _status_change(y: YearChange, style: Style, short: bool = True) -> str:
    """A year's change of funding status: the year's ('f → g'), or, where the year's mix
    stays the same, the sources' that changed ('provincie f → g')."""
    def arrow(old: str | None, new: str | None) -> str:
        return f"{_status(old, style, short)} → {_status(new, style, short)}"
    if y.funding_status.changed:
        return arrow(y.funding_status.old, y.funding_status.new)
    return ", ".join(f"{sid} {arrow(c.status.old, c.status.new)}"
                     for sid, c in y.sources.items() if c.status.changed)


def _status_now(y: YearChange, style: Style) -> str:
    """Markdown's cell, like its figures: the status now, with what changed in brackets."""
    now = _status(y.funding_status.new, style, False)
    if y.funding_status.changed:
        return f"{now} (was {_status(y.funding_status.old, style, False)})"
    changed = _status_change(y, style, short=False)
    return f"{now} ({changed})" if changed else now


def status_words(years: Sequence[YearChange], style: Style) -> str | None:
    """Under the terminal's table: what the initials of the status column stand for."""
    held = {p for y in years if y.status_changed
            for c in (y.funding_status, *(s.status for s in y.sources.values()))
            for p in f"{c.old or ''}+{c.new or ''}".split("+") if p}
    words = [style.label(s) for s in _STATUSES if s in held]
    return style.label("Status") + ": " + ", ".join(f"{w[0]} {w}" for w in words) \
        if words else None


def _year(y: YearChange) -> str:
    """A year's cell, marked where the change breaks a rule (as `bdur compare` marks it)."""
    return f"{y.year} {MARK}" if y.broken else str(y.year)


def broken_note(years: Sequence[YearChange], path: str, style: Style) -> Footnote | None:
    """Under the years: the rules the change breaks, and where `bdur check` says where."""
    words = rules_broken(style.label("this change"), [(y.year, y.broken) for y in years],
                         style)
    return None if words is None else Footnote(
        words, style.label("(bdur check {file} says where)", file=path))


def _years_table(years: Sequence[YearChange], style: Style, path: str) -> Any:
    from rich.console import Group
    from rich.text import Text

    L = style.label
    # Funding changes less often than the plan: its column only when it did (80 columns).
    funding = any(y.funding.old != y.funding.new for y in years)
    # Likewise the status: only when a source's status changed (forecast → granted).
    status = any(y.status_changed for y in years)
    terms = _term_columns(years)
    table = new_table(None, [(L("Year"), "left"), *([(L("Δ funding"), "right")] * funding),
                          *([(L("Status"), "left")] * status),
                          (L("Δ planned"), "right"),
                          *((f"Δ {L(_TERM_LABELS[n]).lower()}", "right") for n in terms),
                          (L("Δ gap"), "right"),
                          (L("Gap now"), "right"), (L("Δ cum. gap"), "right"),
                          (L("Cum. gap now"), "right")])
    for y in years:
        gap, cum = y.gap.new, y.cumulative_gap.new
        table.add_row(
            _year(y), *([_signed(y.funding.change, style)] * funding),
            *([escape(_status_change(y, style))] * status),
            _signed(y.planned.change, style),
            *(_signed(y.terms[n].change, style) if n in y.terms else "" for n in terms),
            _signed(y.gap.change, style),
            "" if gap is None else gap_cell(style.money(gap, signed=True), gap),
            _signed(y.cumulative_gap.change, style),
            "" if cum is None else gap_cell(style.money(cum, signed=True), cum))
    words: list[Any] = [Text(w) for w in (status_words(years, style), gap_words(years),
                                          rounding_words(years)) if w]
    broken = broken_note(years, path, style)
    words += [broken] if broken else []
    return Group(table, *words) if words else table


def _lines_table(f: FileDiff, style: Style) -> Any:
    L = style.label
    years = _effect_years(f)
    table = new_table(L("Lines behind it"), [(L("Line"), "left"), (L("Theme"), "left"),
                                          (L("Change"), "left"),
                                          *((str(y), "right") for y in years)])
    for line in f.lines:
        table.add_row(escape(line.line), escape(line.theme), escape(_change(line, style)),
                      *(_signed(line.effect.get(y), style) for y in years))
    return table


# --- markdown --------------------------------------------------------------------------------

def _md(text: str) -> str:
    # Names come from the files under review: they must not turn into markup or mentions.
    for ch in "\\`*_[]<>#@!":
        text = text.replace(ch, "\\" + ch)
    return text


def _with_change(now: Decimal | None, change: Decimal | None, style: Style,
                 signed: bool = False) -> str:
    if now is None:
        return "–"
    text = style.money(now, signed=signed)
    return text if not change else f"{text} ({_signed(change, style)})"


def markdown(result: RevisionDiff, style: Style = ENGLISH) -> str:
    """The diff as GitHub-flavoured markdown: one section per file, ready for a review
    comment or a job summary."""
    out = [f"### bdur diff against {_md(result.revision)}", ""]
    changed = [f for f in result.files if f.status == "changed"]
    if changed:
        # A plan with income or reserves says its own gap under its table.
        plain = not any(y.terms for f in changed for y in f.years)
        out += ["Figures as they are now, with the change against the earlier version in "
                "brackets" + ("; gap = funding - planned." if plain else "."), ""]
    else:
        out += ["No plan or scenario changed in money or settings.", ""]
    for f in result.files:
        if f.status == "unchanged":
            continue  # listed together at the end
        # A scenario follows its plan folded away: the plan is what the change is about.
        folded = f.builds_on is not None
        if folded:
            # Inside HTML, markdown escapes would show: escape as HTML instead.
            out += ["<details>", f"<summary>{html.escape(_title(f))}: "
                    f"{html.escape(_summary(f, result, style))}</summary>", ""]
        else:
            out += [f"#### {_md(_title(f))}", ""]
        out += _markdown_file(f, result, style)
        if folded:
            out += ["</details>", ""]
    unchanged = _unchanged(result)
    if unchanged:
        out.append("No change in money or settings: " + ", ".join(_md(p) for p in unchanged)
                   + ".")
    return "\n".join(out).rstrip("\n") + "\n"


def _summary(f: FileDiff, result: RevisionDiff, style: Style) -> str:
    if f.status != "changed":
        return _status_sentence(f, result)
    last = _last_cumulative(f)
    if last is None or not last.cumulative_gap.change:
        return "changed, same cumulative gap"
    return f"cumulative gap {last.year} {_signed(last.cumulative_gap.change, style)}"


def _markdown_file(f: FileDiff, result: RevisionDiff, style: Style) -> list[str]:
    L = style.label
    out: list[str] = []
    if f.status != "changed":
        return [_md(_status_sentence(f, result)), ""]
    terms = [n for n in _TERM_LABELS if any(n in y.terms for y in f.years)]
    status = any(y.status_changed for y in f.years)
    header = [L("Year"), L("Funding"), *([L("Status")] * status), L("Planned"),
              *(L(_TERM_LABELS[n]) for n in terms),
              L("Gap"), L("Cumulative gap")]
    body = [[_year(y),
             _with_change(y.funding.new, y.funding.change, style),
             *([_md(_status_now(y, style))] * status),
             _with_change(y.planned.new, y.planned.change, style),
             *(_with_change(y.terms[n].new, y.terms[n].change, style) if n in y.terms
               else "–" for n in terms),
             _with_change(y.gap.new, y.gap.change, style, signed=True),
             _with_change(y.cumulative_gap.new, y.cumulative_gap.change, style,
                          signed=True)] for y in f.years]
    out.append(markdown_table(header, body, [False, True, *([False] * status),
                                             *([True] * (len(header) - 2 - status))]))
    words = [w for w in (gap_words(f.years), rounding_words(f.years)) if w]
    if words:
        out += [*(_md(w) for w in words), ""]
    broken = broken_note(f.years, f.path, style)
    if broken:  # a paragraph of its own, as compare's
        out += [_md(str(broken)), ""]
    headline = _headline(f, style)
    if headline:
        out += [f"**{_md(headline)}**", ""]
    same = _same_lines(f, result)
    if same:
        out += [f"{L('Lines behind it')}: as in {_md(same)}.", ""]
    elif f.lines:
        years = _effect_years(f)
        rows = [[f"`{line.line}`", _md(line.theme), _md(_change(line, style)),
                 *(_signed(line.effect.get(y), style) for y in years)] for line in f.lines]
        out.append(f"{L('Lines behind it')}:")
        out.append("")
        out.append(markdown_table([L("Line"), L("Theme"), L("Change"),
                                   *(str(y) for y in years)], rows,
                                  [False, False, False, *(True for _ in years)]))
    if f.settings:
        rows = [[f"`{s.field}`", _md(_value(s.field, s.old, style)),
                 _md(_value(s.field, s.new, style))] for s in f.settings]
        out.append(f"{L('Other changes')}:")
        out.append("")
        out.append(markdown_table([L("Setting"), L("Before"), L("After")], rows,
                                  [False, True, True]))
    return out
