"""`bdur compare`: a base and other files side by side, per year, with their differences."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from ..plan.comparison import Comparison, FileFigures, YearFigures
from ..plan.results import NONE_GRANTED
from . import view
from .formats import Format
from .markdown import markdown_table
from .safety import html
from .style import ENGLISH, Style, Sum
from .table import MARK, Footnote, Renderable, escape, gap_cell, new_table, rules_broken


def labels(result: Comparison) -> list[str]:
    """Short names for the files: the file stem, or the whole path where stems collide."""
    files = [result.base.file, *(o.file for o in result.others)]
    stems = [PurePath(f).stem for f in files]
    return [s if stems.count(s) == 1 else f for s, f in zip(stems, files, strict=True)]


@dataclass(frozen=True)
class CompareView:
    """`bdur compare` as a `View`; with `explain`, the lines behind each difference."""

    result: Comparison
    explain: bool = False
    formats = view.offers(*Format)
    csv_header = ()

    def data(self) -> object:
        return self.result.as_dict()

    def records(self) -> list[dict[str, Any]]:
        return _line_records(self.result) if self.explain else _records(self.result)

    def table(self, style: Style) -> Renderable:
        return _tables(self.result, self.explain, style)

    def markdown(self, style: Style) -> str:
        return _markdown(self.result, self.explain, style)


def compare(result: Comparison, fmt: Format, *, explain: bool = False,
            style: Style = ENGLISH) -> Any:
    """Render a comparison as a table, JSON (`Comparison.as_dict`), CSV or Markdown; `style`
    (locale, unit) applies to table and Markdown only: machine formats stay exact euros."""
    return view.render(CompareView(result, explain), fmt, style)


#: Column headings of the figures, by name; the optional ones as `bdur totals` heads them.
_HEADINGS = {"funding": "Funding", "funding_status": "Status", "planned": "Planned",
             "fte": "fte", "income": "Income",
             "net": "Net", "reserve_additions": "Added", "reserve_withdrawals": "Drawn",
             "gap": "Gap", "reserve_balance": "Reserve"}


def _columns(result: Comparison) -> tuple[list[str], list[str]]:
    """The figures shown per file (fte after planned, as a reader of staff plans looks for
    it), and those with a Δ column: funding, planned, (net), gap, fte."""
    figures = list(result.figures)
    # The funding's status (granted, forecast, conditional) beside it, as in `bdur totals`.
    shown = [figures[0], "funding_status", figures[1], "fte", *figures[2:]]
    deltas = ["funding", "planned", *(["net"] if "income" in result.shown else []), "gap",
              "fte"]
    return shown, deltas


def _row(result: Comparison, y: YearFigures, n: int, i: int, style: Style,
         short: bool = False) -> list[str]:
    """One file's figures in a year and, for a compared file, its Δ columns (as text); `short`:
    the funding's status by its initials (the terminal's table, `status_legend` under it)."""
    shown, deltas = _columns(result)
    cells = [_signed(y.gap, style) if name == "gap" else _number(y.fte, style)
             if name == "fte" else _status(y.funding_status, style, short)
             if name == "funding_status" else _cell(y.figure(name), style) for name in shown]
    return cells + _deltas(result.base.years[i], y, n, deltas, style)


#: The statuses in the legend's order; 'none granted' is a year's on granted money alone.
_STATUSES = ("granted", "forecast", "conditional", NONE_GRANTED)


def _status(mix: str | None, style: Style, short: bool = False) -> str:
    """'forecast+conditional' in the style's words, status by status (as `bdur totals`);
    `short`: by their initials ('f+c'; in Dutch 'p+v'), so a year stays narrow at 80 columns."""
    if not mix:
        return ""
    return "+".join(style.label(part)[0] if short else style.label(part)
                    for part in mix.split("+"))


def status_legend(result: Comparison, style: Style) -> str | None:
    """Under the terminal's table: what the initials of the status column stand for (only
    the statuses that occur)."""
    held = {part for f in (result.base, *result.others) for y in f.years
            for part in (y.funding_status or "").split("+") if part}
    words = [style.label(s) for s in _STATUSES if s in held]
    if not words:
        return None
    return style.label("Status") + ": " + ", ".join(f"{w[0]} {w}" for w in words)


def _number(value: Decimal | None, style: Style) -> str:
    return "" if value is None else style.number(value)


def _marked(name: str, y: YearFigures) -> str:
    return f"{name} {MARK}" if y.broken else name


def broken_words(result: Comparison, style: Style) -> list[Footnote]:
    """Under the table: which file breaks which rule in which year (`MARK` in the table), one
    note per file. On granted money alone (`--funding granted`) it says so and names no
    `bdur check`, which judges all funding and would find nothing there."""
    out = []
    for label, f in zip(labels(result), (result.base, *result.others), strict=True):
        words = rules_broken(label, [(y.year, y.broken) for y in f.years], style,
                             granted_only=result.granted_only)
        if words is not None:
            out.append(Footnote(words, None if result.granted_only else style.label(
                "(bdur check {file} says where)", file=f.file)))
    return out


def _heads(result: Comparison, style: Style) -> list[str]:
    t = style.label
    shown, deltas = _columns(result)
    return [t(_HEADINGS[n]) for n in shown] + [t(f"Δ {_HEADINGS[n].lower()}") for n in deltas]


def _markdown(result: Comparison, explain: bool, style: Style) -> str:
    t = style.label
    names = labels(result)
    body = []
    for i, year in enumerate(y.year for y in result.base.years):
        for n, f in enumerate((result.base, *result.others)):
            body.append([str(year) if n == 0 else "", _marked(names[n], f.years[i]),
                         *_row(result, f.years[i], n, i, style)])
    heads = _heads(result, style)
    shown, _ = _columns(result)
    out = markdown_table([t("Year"), t("File"), *heads], body, [False, False] + [
        name != "funding_status" for name in shown] + [True] * (len(heads) - len(shown)))
    if explain:
        for label, f in zip(names[1:], result.others, strict=True):
            rows = [[str(y.year), line.line, line.theme, style.money(line.base),
                     style.money(line.other), style.difference(line.base, line.other),
                     "" if line.status == "changed" else t(line.status)]
                    for y in f.years for line in y.lines or []]
            out += "\n" + html(t("Lines that differ: {label} against {base}",
                                         label=label, base=names[0]))
            out += "\n\n" + (markdown_table(
                [t("Year"), t("Line"), t("Theme"), t("Base"), t("Other"), t("Difference"), ""],
                rows, [False, False, False, True, True, True, False]) if rows else
                t("(no line differs; any difference is in funding)") + "\n")
    note = _note(result, explain, style)
    broken = "".join(html(str(w)) + "\n" for w in broken_words(result, style))
    return out + (f"\n{broken}" if broken else "") + ("" if note is None else f"\n{note}\n")


def _records(result: Comparison) -> list[dict[str, Any]]:
    names = [*result.figures[:2], "fte", *result.figures[2:]]  # fte after planned, as shown
    rows = []
    for f in (result.base, *result.others):
        for y in f.years:
            diff = y.difference or {}
            rows.append({"file": f.file, "name": f.name, "year": y.year,
                         **{n: y.figure(n) for n in names[:1]},
                         "funding_status": y.funding_status,
                         **{n: y.figure(n) for n in names[1:]},
                         **{f"{n}_difference": diff.get(n) for n in names}})
    return rows


def _line_records(result: Comparison) -> list[dict[str, Any]]:
    rows = []
    for f in result.others:
        for y in f.years:
            for line in y.lines or []:
                rows.append({"file": f.file, "year": y.year, **line.as_dict()})
    return rows


def _signed(value: Decimal | None, style: Style) -> str:
    return "" if value is None else style.money(value, signed=True)


def _deltas(base: YearFigures, other: YearFigures, n: int, names: list[str],
            style: Style) -> list[str]:
    """The Δ columns of a compared file: each the difference of the two figures shown beside
    it (blank for the base itself and where a file lacks the year)."""
    if n == 0:
        return [""] * len(names)
    return ["" if a is None or b is None else _fte_change(b - a, style) if name == "fte"
            else style.difference(a, b)
            for name, a, b in ((name, base.figure(name), other.figure(name))
                               for name in names)]


def _fte_change(value: Decimal, style: Style) -> str:
    return "0" if value == 0 else ("+" if value > 0 else "") + style.number(value)


def _sums(result: Comparison, explain: bool) -> list[Sum]:
    """What adds up on screen: each file's gap = funding - planned (with income: net =
    planned - income and gap = funding - net; with reserves: - added + drawn) and, explained,
    the lines' differences to the difference in planned."""
    out: list[Sum] = []
    income, reserves = "income" in result.shown, "reserves" in result.shown
    for f in (result.base, *result.others):
        for y in f.years:
            if y.funding is None or y.planned is None or y.gap is None:
                continue
            cost = [-y.planned]
            if income:
                planned, got, net = y.planned, y.figure("income"), y.figure("net")
                assert got is not None and net is not None
                out.append(([planned, -got], [net]))
                cost = [-net]
            if reserves:
                added = y.figure("reserve_additions")
                drawn = y.figure("reserve_withdrawals")
                assert added is not None and drawn is not None
                cost += [-added, drawn]
            out.append(([y.funding, *cost], [y.gap]))
    if explain:
        for f in result.others:
            for base, y in zip(result.base.years, f.years, strict=True):
                if y.lines and base.planned is not None and y.planned is not None:
                    out.append(([v for x in y.lines for v in (x.other, -x.base)],
                                [y.planned, -base.planned]))
    return out


def _note(result: Comparison, explain: bool, style: Style) -> str | None:
    return style.note(_sums(result, explain))


def _cell(value: Decimal | None, style: Style) -> str:
    return "" if value is None else style.money(value)


def _gap(value: Decimal | None, style: Style) -> str:
    if value is None:
        return ""
    return gap_cell(style.money(value, signed=True), value)


def _tables(result: Comparison, explain: bool, style: Style) -> Any:
    from rich.console import Group
    from rich.text import Text

    from .fit import Wrapped

    t = style.label
    names = labels(result)
    files = new_table(t("Files"), [("", "left"), (t("File"), "left"), (t("Scenario"), "left")])
    files.show_header = False
    for label, f in zip(names, (result.base, *result.others), strict=True):
        role = t("base") if f is result.base else ""
        files.add_row(escape(label), escape(f.file) + (f" ({role})" if role else ""),
                      escape(f.name or ""))

    shown, _ = _columns(result)
    table = new_table(t("Per year, against the base"), [
        (t("Year"), "left"), (t("File"), "left"),
        *((head, "left" if k < len(shown) and shown[k] == "funding_status" else "right")
          for k, head in enumerate(_heads(result, style)))])
    gap_at = shown.index("gap")
    years = [y.year for y in result.base.years]
    for i, year in enumerate(years):
        for n, f in enumerate((result.base, *result.others)):
            y = f.years[i]
            cells: list[Any] = list(_row(result, y, n, i, style, short=True))
            cells[gap_at] = _gap(y.gap, style)
            table.add_row(str(year) if n == 0 else "", escape(_marked(names[n], y)), *cells,
                          end_section=n == len(result.others))
    title = t("Compared with {file}", file=result.base.file)
    # A long file name wraps after a folder's '/', as in the table below (issue 23).
    parts: list[Any] = [Wrapped(title, "bold"), files,
                        WideOrBlocks(table, _blocks(result, names, style))]
    legend = status_legend(result, style)
    parts += [Text(legend)] if legend else []
    parts += broken_words(result, style)
    if explain:
        for label, f in zip(names[1:], result.others, strict=True):
            parts.append(_why(label, names[0], f, style))
    note = _note(result, explain, style)
    if note:
        parts.append(Text(note))
    return Group(*parts)


class WideOrBlocks:
    """The years as rows with the files side by side where that fits the terminal; where it
    does not (a plan with income at 80 columns), a block per file with the years as columns,
    its figures and, for a compared file, its Δ rows: every amount whole, no stacked list."""

    def __init__(self, wide: Any, blocks: list[Any]) -> None:
        self.wide, self.blocks = wide, blocks

    def __rich_console__(self, console: Any, options: Any) -> Any:
        if self.wide.fits(options.max_width):
            yield self.wide
        else:
            yield from self.blocks


def _blocks(result: Comparison, names: list[str], style: Style) -> list[Any]:
    from rich.text import Text

    t = style.label
    shown, deltas = _columns(result)
    out: list[Any] = [Text(t("Per year, against the base"), style="bold")]
    for n, f in enumerate((result.base, *result.others)):
        heads = [str(y.year) + (f" {MARK}" if y.broken else "") for y in f.years]
        table = new_table(None, [(escape(names[n]) + (f" ({t('base')})" if n == 0 else ""),
                                  "left"), *((h, "right") for h in heads)])
        rows = [_row(result, y, n, i, style, short=True) for i, y in enumerate(f.years)]
        labels_ = [t(_HEADINGS[k]) for k in shown] + \
            ([t(f"Δ {_HEADINGS[k].lower()}") for k in deltas] if n else [])
        for k, label in enumerate(labels_):
            cells = [row[k] for row in rows]
            if label == t("Gap"):
                cells = [_gap(y.gap, style) for y in f.years]
            table.add_row(label, *cells, end_section=n > 0 and k == len(shown) - 1)
        out.append(table)
    return out


def _why(label: str, base_label: str, f: FileFigures, style: Style) -> Any:
    t = style.label
    table = new_table(t("Lines that differ: {label} against {base}", label=label, base=base_label),
                   [(t("Year"), "left"), (t("Line"), "left"), (t("Theme"), "left"),
                    (t("Base"), "right"), (t("Other"), "right"), (t("Difference"), "right"),
                    ("", "left")])
    any_rows = False
    for y in f.years:
        for k, line in enumerate(y.lines or []):
            any_rows = True
            table.add_row(str(y.year) if k == 0 else "", escape(line.line),
                          escape(line.theme), style.money(line.base), style.money(line.other),
                          style.difference(line.base, line.other),
                          "" if line.status == "changed" else t(line.status))
    if not any_rows:
        table.add_row("", t("(no line differs; any difference is in funding)"), "", "", "", "",
                      "")
    return table
