"""`bdur chart`: funding against planned per year, and the cumulative gap, as bars.

Two renderings of the same figures (`engine.YearTotals`): text bars for the terminal (a rich
renderable; plain text when piped) and a self-contained SVG for the memo, written by hand so
that it needs no plotting library. Geometry is computed in Decimal like the money it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..actuals.analysis import YearRealisation
from ..plan.results import ZERO, YearTotals
from . import view
from .style import ENGLISH, Style

BAR = "█"
#: Bars of the terminal chart are at most this many characters long.
WIDTH = 48

COLOURS = {"funding": "#1f77b4", "planned": "#ff7f0e", "cumulative_gap": "#2ca02c",
           "shortfall": "#d62728", "net": "#ff7f0e", "income": "#ffbb78",
           "budget": "#1f77b4", "realised": "#ff7f0e", "forecast": "#ffbb78",
           "reserve": "#2ca02c", "reserve_drawn": "url(#bdur-reserve)",
           "reserve_added": "url(#bdur-reserve)"}
#: The reserve's segments in the SVG: green stripes on light green, the `▒` of the terminal,
#: so that money moved to or from the reserve is not read as funding or cost itself.
RESERVE_PATTERN = ('<defs><pattern id="bdur-reserve" width="6" height="6" '
                   'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                   '<rect width="6" height="6" fill="#c7e9c0"/>'
                   '<rect width="3" height="6" fill="#2ca02c"/></pattern></defs>')
_TERMINAL = {"funding": "blue", "planned": "yellow", "income": "bright_black",
             "budget": "blue", "realised": "yellow", "forecast": "bright_black"}
#: The part of a bar that is not the figure itself: income on top of net cost, the forecast
#: on top of what was realised to date.
INCOME_BAR = "░"

TITLE = "Funding against planned, {first}-{last}"
NET_TITLE = "Funding against net cost, {first}-{last}"
REALISED_TITLE = "Budget against realisation, {first}-{last}"
RESERVE_TITLE = "Reserve balance at the end of each year"
CUMULATIVE = "Cumulative gap (funding - planned, summed)"
#: With income or a reserve the gap is funding - net cost - additions + withdrawals.
CUMULATIVE_NET = "Cumulative gap (funding - net cost - added + drawn, summed)"
#: Under the SVG of a plan with reserves: what the striped segments are and what the gap bars
#: add up (the terminal says both in its lines above and between the bars).
RESERVE_NOTE = ("Striped: the reserve, drawn on top of the funding bar, added on top of the "
                "{cost} bar; cumulative gap = funding - {cost} - added + drawn, summed")


def nice_step(raw: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^k that is at least `raw` (> 0)."""
    exponent = raw.adjusted()  # floor(log10(raw))
    base = Decimal(10) ** exponent
    for m in ("1", "2", "2.5", "5", "10"):
        step = Decimal(m) * base
        if step >= raw:
            return step.normalize() if step != step.to_integral_value() else \
                step.quantize(Decimal(1))
    raise AssertionError("unreachable")  # pragma: no cover


def _bar(value: Decimal, step: Decimal) -> int:
    return int((abs(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _stack(amounts: Sequence[Decimal], step: Decimal) -> list[int]:
    """The blocks of a stacked bar's segments (net cost, then what is added to the reserve,
    then the income), from the zero line out: each segment runs to its cumulative end
    rounded (half up), so together they are the rounded total. A segment with money that
    rounds to no block gets one, taken from the longest segment where that can spare it (two
    blocks or more), so income of less than half a block is seen beside its amount; only a
    bar too short to give one grows by it."""
    ends: list[int] = []
    running = ZERO
    for amount in amounts:
        running += abs(amount)
        ends.append(_bar(running, step))
    lengths = [end - start for start, end in zip([0, *ends], ends, strict=False)]
    for i, amount in enumerate(amounts):
        if amount and not lengths[i]:
            donor = max(range(len(lengths)), key=lambda j: lengths[j])
            if lengths[donor] > 1:
                lengths[donor] -= 1
            lengths[i] = 1
    return lengths


def _series_label(name: str, style: Style) -> str:
    return style.label(name.replace("_", " "))


def _has_income(years: Sequence[YearTotals]) -> bool:
    """A plan with co-financing: its bars show net cost (and the income on top)."""
    return bool(years) and "income" in years[0].shown


# --- the views ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartView:
    """`bdur chart` as a `View`: bars in the terminal (table), or an SVG image."""

    years: Sequence[YearTotals]
    title: str = ""
    formats = view.offers("table", "svg")

    def table(self, style: Style) -> Any:
        return terminal(self.years, style)

    def svg(self, style: Style) -> str:
        return svg(self.years, style, self.title)


@dataclass(frozen=True)
class RealisationChartView:
    """`bdur chart --mapping` as a `View`: budget against realisation per year."""

    years: Sequence[YearRealisation]
    title: str = ""
    #: The reserve's closing balance per year, when there is a reserve statement.
    reserve: dict[int, Decimal] | None = None
    formats = view.offers("table", "svg")

    def table(self, style: Style) -> Any:
        return realisation_terminal(self.years, style, reserve=self.reserve)

    def svg(self, style: Style) -> str:
        return realisation_svg(self.years, style, self.title, self.reserve)


# --- terminal ---------------------------------------------------------------------------------

#: The narrowest bars drawn before a line's amounts move under its bar instead.
NARROW = 8
#: The reserve beside the bars: drawn from it on the funding's bar, added to it on the cost's.
RESERVE_BAR = "▒"


class _Fitted:
    """Lines drawn for the width they get: the longest bars (at most `width` blocks) with
    which every line fits, so an amount or a word is never cut; below NARROW blocks the
    lines wrap at their spaces instead."""

    def __init__(self, build: Any, width: int) -> None:
        self.build, self.width = build, width

    def __rich_console__(self, console: Any, options: Any) -> Any:
        room = options.max_width
        for blocks in range(self.width, NARROW - 1, -1):
            lines = self.build(blocks)
            if all(line.cell_len <= room for line in lines):
                break
        for line in lines:
            line.no_wrap = False  # only when even the narrowest bars do not fit
            yield line


def terminal(years: Sequence[YearTotals], style: Style = ENGLISH, width: int = WIDTH) -> Any:
    """Bars per year (funding, planned) and the cumulative gap around a zero axis, all on one
    scale: each block stands for the same amount, stated in the heading. A plan with reserves
    draws what it draws from them beside the funding and what it adds to them beside the cost
    (`▒`), so a year the reserve covers does not look short. Fitted to the terminal."""
    from rich.console import Group

    from .table import clauses, funding_status_line

    status = funding_status_line(years, style)
    return Group(_Fitted(lambda blocks: _terminal_lines(years, style, blocks), width),
                 *_unit_note(style), *([clauses(status)] if status else []))


def _terminal_lines(years: Sequence[YearTotals], style: Style, width: int) -> list[Any]:
    from rich.text import Text

    net = _has_income(years)
    reserves = bool(years) and "reserves" in years[0].shown
    cost = "net" if net else "planned"
    top = max([max(y.funding + y.reserve_withdrawals, y.planned + y.reserve_additions)
               for y in years] + [abs(y.cumulative_gap) for y in years] + [Decimal(1)])
    step = nice_step(top / width)
    money = style.money
    label = {"funding": _series_label("funding", style),
             cost: _series_label("net cost" if net else "planned", style)}
    pad = max(len(v) for v in label.values())
    lines: list[Any] = [
        Text(style.label(NET_TITLE if net else TITLE, first=years[0].year,
                         last=years[-1].year), style="bold"),
        Text(style.label("each {mark} = {amount}", mark=BAR, amount=money(step)))]
    if net:
        lines.append(Text(style.label("{mark} income from partners (net cost + income = "
                                      "planned)", mark=INCOME_BAR)))
    if reserves:
        lines.append(Text(style.label("{mark} reserve: drawn beside funding, added beside "
                                      "the cost", mark=RESERVE_BAR)))
    lines.append(Text(""))
    # Each bar's segments: the figure, the reserve beside it (drawn adds to funding, added
    # to the cost) and, on the net cost, the income (together the planned cost).
    bars = {(y.year, n): _stack([value, moved] + ([income] if n and net else []), step)
            for y in years for n, (value, moved, income) in enumerate((
                (y.funding, y.reserve_withdrawals, ZERO),
                (getattr(y, cost), y.reserve_additions, y.planned - y.net)))}
    reach = max([_bar(top, step), *(sum(b) for b in bars.values())])
    for y in years:
        for n, name in enumerate(("funding", cost)):
            value: Decimal = getattr(y, name)
            line = Text(f"{y.year if n == 0 else '':<4}  {label[name]:<{pad}}  ", no_wrap=True)
            blocks = bars[(y.year, n)]
            line.append(BAR * blocks[0], style=_TERMINAL["funding" if n == 0 else "planned"])
            moved = y.reserve_withdrawals if n == 0 else y.reserve_additions
            line.append(RESERVE_BAR * blocks[1], style="green")
            line.append(INCOME_BAR * sum(blocks[2:]), style=_TERMINAL["income"])
            text = f"  {money(value)}"
            if moved:
                text += " + " + style.label("{amount} drawn" if n == 0 else "{amount} added",
                                            amount=money(moved))
            if n and net and y.income:
                text += " + " + style.label("{amount} income", amount=money(y.income))
            line.append(" " * (reach - sum(blocks)) + text)
            lines.append(line)
    plain = not ({"income", "reserves"} & (years[0].shown if years else frozenset()))
    lines += [Text(""), Text(style.label(CUMULATIVE if plain else CUMULATIVE_NET),
                             style="bold"), Text("")]
    left = max([_bar(y.cumulative_gap, step) for y in years if y.cumulative_gap < 0] + [0])
    right = max([_bar(y.cumulative_gap, step) for y in years if y.cumulative_gap > 0] + [0])
    for y in years:
        n = _bar(y.cumulative_gap, step)
        colour = "red" if y.cumulative_gap < 0 else "green"
        line = Text(f"{y.year:<4}  ", no_wrap=True)
        neg = n if y.cumulative_gap < 0 else 0
        pos = n if y.cumulative_gap > 0 else 0
        line.append(" " * (left - neg))
        line.append(BAR * neg, style=colour)
        line.append("│")
        line.append(BAR * pos, style=colour)
        line.append(" " * (right - pos) + f"  {money(y.cumulative_gap, signed=True)}")
        lines.append(line)
    return lines


def _unit_note(style: Style) -> list[Any]:
    """'amounts x €1,000' under a chart in thousands, as under the tables and in the SVG."""
    from rich.text import Text

    return [Text(""), Text(style.unit_note)] if style.unit_note else []


def realisation_terminal(years: Sequence[YearRealisation], style: Style = ENGLISH,
                         width: int = WIDTH, reserve: dict[int, Decimal] | None = None) -> Any:
    """Per year the budget (after amendments) and the realisation as bars on one scale; in a
    running year the forecast continues the realisation to date. Fitted to the terminal."""
    from rich.console import Group

    return Group(_Fitted(lambda blocks: _realisation_lines(years, style, blocks, reserve),
                         width), *_unit_note(style))


def _realisation_lines(years: Sequence[YearRealisation], style: Style, width: int,
                       reserve: dict[int, Decimal] | None) -> list[Any]:
    from rich.text import Text

    balances = [reserve[y.year] for y in years if y.year in reserve] if reserve else []
    top = max([max(y.total.figures.budget, y.total.figures.expected) for y in years] +
              [abs(b) for b in balances] + [Decimal(1)])
    step = nice_step(top / width)
    money = style.money
    label = {n: _series_label(n, style) for n in ("budget", "realised")}
    pad = max(len(v) for v in label.values())
    lines: list[Any] = [
        Text(style.label(REALISED_TITLE, first=years[0].year, last=years[-1].year),
             style="bold"),
        Text(style.label("each {mark} = {amount}", mark=BAR, amount=money(step)))]
    if any(y.total.figures.forecast for y in years):
        lines.append(Text(style.label("{mark} forecast (realised + forecast = expected)",
                                      mark=INCOME_BAR)))
    lines.append(Text(""))
    # The realisation and, in a running year, the forecast on top of it, stacked as the plan
    # chart's income is (`_stack`).
    bars = {(y.year, n): _stack([y.total.figures.budget] if n == 0 else
                                [y.total.figures.realised, y.total.figures.forecast], step)
            for y in years for n in (0, 1)}
    reach = max([_bar(top, step), *(sum(b) for b in bars.values())])
    for y in years:
        f = y.total.figures
        for n, name in enumerate(("budget", "realised")):
            value = f.budget if n == 0 else f.realised
            line = Text(f"{y.year if n == 0 else '':<4}  {label[name]:<{pad}}  ", no_wrap=True)
            blocks = bars[(y.year, n)]
            line.append(BAR * blocks[0], style=_TERMINAL[name])
            line.append(INCOME_BAR * sum(blocks[1:]), style=_TERMINAL["forecast"])
            text = f"  {money(value)}"
            if n and f.forecast:
                text += " + " + style.label("{amount} forecast", amount=money(f.forecast))
            line.append(" " * (reach - sum(blocks)) + text)
            lines.append(line)
    if reserve:  # the bestemmingsreserve at each year's end, on the same scale
        lines += [Text(""), Text(style.label(RESERVE_TITLE), style="bold"), Text("")]
        for y in years:
            if y.year not in reserve:
                continue
            value = reserve[y.year]
            line = Text(f"{y.year:<4}  ", no_wrap=True)
            bar = BAR * _bar(value, step)
            line.append(bar, style="red" if value < 0 else "green")
            line.append(" " * (_bar(top, step) - len(bar)) + f"  {money(value)}")
            lines.append(line)
    return lines


# --- SVG --------------------------------------------------------------------------------------

_W, _H = 760, 460
_LEFT, _RIGHT, _TOP, _BOTTOM = 110, 30, 90, 50
_TWO = Decimal("0.01")
#: A note under the chart (the funding status): characters a line holds across the plot
#: (about 6.5 px a character at 12 px), and the height of a line.
_NOTE_WIDTH, _NOTE_LINE = 92, 16
#: The legend: the height of a row, and the width of a character at 12 px as the wrap judges
#: it (an entry that would pass the right edge starts a new row; the plot moves down for it).
_LEGEND_ROW, _LEGEND_CHAR = 18, Decimal("6.5")


def _n(value: Decimal) -> str:
    """An SVG coordinate: at most two decimals, no exponent."""
    text = format(value.quantize(_TWO, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


#: One bar: its segments from the zero line outwards, each (series, value, tooltip); a bar's
#: segments have one sign.
Bar = list[tuple[str, Decimal, str]]


def svg(years: Sequence[YearTotals], style: Style = ENGLISH, title: str = "") -> str:
    """A grouped bar chart: per year funding, planned (or, for a plan with income, the net
    cost with the income on top of it) and the cumulative gap (below the zero line when it is
    a shortfall), with a y axis in euros, gridlines and a legend, and the funding status under
    it (also in each funding bar's tooltip). A plan with reserves stacks what it draws from
    them on the funding and what it adds to them on the cost (striped, as the terminal's `▒`),
    and says under the chart that the gap bars are funding - cost - added + drawn. Every bar
    carries data-series, data-year and data-value, and a tooltip."""
    from .table import funding_status_line, wrap_clauses, year_status

    net = _has_income(years)
    reserves = bool(years) and "reserves" in years[0].shown

    def tip(y: YearTotals, name: str, value: Decimal) -> str:
        return f"{y.year} {_series_label(name, style)}: " \
               f"{style.money(value, signed=name == 'cumulative_gap')}"

    groups: list[tuple[int, list[Bar]]] = []
    for y in years:
        cost: Bar = [("net", y.net, tip(y, "net cost", y.net))] if net else \
            [("planned", y.planned, tip(y, "planned", y.planned))]
        status = year_status(y, style)
        funding: Bar = [("funding", y.funding,
                         tip(y, "funding", y.funding) + (f" ({status})" if status else ""))]
        # As in the terminal: drawn on the funding, added on the cost under the income, so
        # the solid part plus the stripes is what is available against what has to be paid.
        if y.reserve_withdrawals:
            funding.append(("reserve_drawn", y.reserve_withdrawals,
                            tip(y, "drawn from reserve", y.reserve_withdrawals)))
        if y.reserve_additions:
            cost.append(("reserve_added", y.reserve_additions,
                         tip(y, "added to reserve", y.reserve_additions)))
        if net:
            cost.append(("income", y.income, tip(y, "income", y.income)))
        groups.append((y.year, [funding, cost,
                                [("cumulative_gap", y.cumulative_gap,
                                  tip(y, "cumulative_gap", y.cumulative_gap))]]))
    legend = [("funding", "funding"), *([("net", "net cost"), ("income", "income")] if net
                                        else [("planned", "planned")]),
              *([("reserve_drawn", "reserve drawn / added")] if reserves else []),
              ("cumulative_gap", "cumulative_gap")]
    heading = style.label(NET_TITLE if net else TITLE, first=years[0].year,
                          last=years[-1].year)
    line = funding_status_line(years, style)
    notes = wrap_clauses(line, _NOTE_WIDTH) if line else []
    if reserves:
        notes += wrap_clauses(style.label(RESERVE_NOTE, cost=style.label(
            "net cost" if net else "planned")), _NOTE_WIDTH)
    return _svg(heading, title, style, legend, groups, notes)


def realisation_svg(years: Sequence[YearRealisation], style: Style = ENGLISH,
                    title: str = "", reserve: dict[int, Decimal] | None = None) -> str:
    """Budget against realisation per year: the budget (after amendments) beside what was
    realised, with the forecast on top of the realisation to date in a running year."""
    groups: list[tuple[int, list[Bar]]] = []
    for y in years:
        f = y.total.figures
        realised: Bar = [("realised", f.realised,
                          f"{y.year} {_series_label('realised', style)}: "
                          f"{style.money(f.realised)}")]
        if f.forecast:
            realised.append(("forecast", f.forecast,
                             f"{y.year} {_series_label('forecast', style)}: "
                             f"{style.money(f.forecast)}"))
        bars = [[("budget", f.budget, f"{y.year} {_series_label('budget', style)}: "
                                      f"{style.money(f.budget)}")], realised]
        if reserve and y.year in reserve:
            bars.append([("reserve", reserve[y.year],
                          f"{y.year} {_series_label('reserve balance', style)}: "
                          f"{style.money(reserve[y.year])}")])
        groups.append((y.year, bars))
    legend = [("budget", "budget"), ("realised", "realised")]
    if any(y.total.figures.forecast for y in years):
        legend.append(("forecast", "forecast"))
    if reserve:
        legend.append(("reserve", "reserve balance"))
    heading = style.label(REALISED_TITLE, first=years[0].year, last=years[-1].year)
    return _svg(heading, title, style, legend, groups)


def _svg(heading: str, title: str, style: Style, legend: Sequence[tuple[str, str]],
         groups: Sequence[tuple[int, list[Bar]]], notes: Sequence[str] = ()) -> str:
    """Bars per year on one euro axis: each bar its segments stacked from the zero line;
    `notes` are lines under the years (the image grows by a line for each after the
    first)."""
    ends = [sum((v for _, v, _ in bar), ZERO) for _, bars in groups for bar in bars]
    values = [v for _, bars in groups for bar in bars for _, v, _ in bar]
    high, low = max([*values, *ends, ZERO]), min([*values, *ends, ZERO])
    step = nice_step(max(high - low, Decimal(1)) / 6)
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if top == bottom:  # every figure is 0: keep one step of axis rather than divide by 0
        top = bottom + step
    plot_w = Decimal(_W - _LEFT - _RIGHT)
    plot_h = Decimal(_H - _TOP - _BOTTOM)
    scale = plot_h / (top - bottom)  # pixels per euro, the same for every bar
    # The legend's place per entry: rows as wide as the plot; a second row moves the plot and
    # everything under it down by a row, and the image grows by as much.
    places: list[tuple[int, int]] = []  # x, row
    x, row = _LEFT, 0
    for _, name in legend:
        text = _series_label(name, style)
        if x > _LEFT and x + 18 + _LEGEND_CHAR * len(text) > _W - _RIGHT:
            x, row = _LEFT, row + 1
        places.append((x, row))
        x += 18 + 8 * len(text) + 24
    down = _LEGEND_ROW * row

    def y_of(value: Decimal) -> Decimal:
        return Decimal(_TOP + down) + (top - value) * scale

    high_ = _H + down + _NOTE_LINE * max(len(notes) - 1, 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{high_}" '
           f'viewBox="0 0 {_W} {high_}" font-family="Helvetica, Arial, sans-serif" '
           f'font-size="12" role="img" aria-label={quoteattr(heading)}>',
           f'<rect width="{_W}" height="{high_}" fill="#ffffff"/>',
           f'<text x="{_LEFT}" y="26" font-size="16" font-weight="bold">{escape(heading)}</text>']
    if title:
        out.append(f'<text x="{_LEFT}" y="44" fill="#555555">{escape(title)}</text>')
    if style.unit_note:
        out.append(f'<text x="{_W - _RIGHT}" y="44" text-anchor="end" fill="#555555">'
                   f'{escape(style.unit_note)}</text>')
    fills = {COLOURS[series] for series, _ in legend}
    if COLOURS["reserve_drawn"] in fills:  # the stripes, defined once for swatch and bars
        out.append(RESERVE_PATTERN)
    # Legend.
    for (series, name), (x, row) in zip(legend, places, strict=True):
        text = _series_label(name, style)
        at = 58 + _LEGEND_ROW * row
        out.append(f'<rect x="{x}" y="{at}" width="12" height="12" fill="{COLOURS[series]}"/>')
        out.append(f'<text x="{x + 18}" y="{at + 11}">{escape(text)}</text>')
    # Gridlines and y-axis labels.
    out.append('<g class="axis">')
    tick = bottom
    while tick <= top:
        y = _n(y_of(tick))
        out.append(f'<line x1="{_LEFT}" y1="{y}" x2="{_W - _RIGHT}" y2="{y}" '
                   f'stroke="{"#333333" if tick == 0 else "#dddddd"}" stroke-width="1"/>')
        out.append(f'<text x="{_LEFT - 8}" y="{y}" dy="4" text-anchor="end">'
                   f'{escape(style.money(tick))}</text>')
        tick += step
    out.append("</g>")
    # Bars: a group per year.
    per = max(len(bars) for _, bars in groups)
    group_w = plot_w / len(groups)
    bar_w = group_w * Decimal("0.8") / per
    zero = y_of(ZERO)
    out.append('<g class="bars">')
    for i, (year, bars) in enumerate(groups):
        x0 = Decimal(_LEFT) + group_w * i + group_w * Decimal("0.1")
        for j, bar in enumerate(bars):
            base = ZERO
            for name, value, tip in bar:
                height = abs(value) * scale
                top_y = (zero if base == 0 else y_of(base)) - height if value >= 0 else \
                    (zero if base == 0 else y_of(base))
                colour = COLOURS["shortfall" if value < 0 else name]
                out.append(f'<rect x="{_n(x0 + bar_w * j)}" y="{_n(top_y)}" '
                           f'width="{_n(bar_w)}" height="{_n(height)}" fill="{colour}" '
                           f'data-series="{name}" data-year="{year}" data-value="{value}">'
                           f'<title>{escape(tip)}</title></rect>')
                base += value
        out.append(f'<text x="{_n(x0 + bar_w * Decimal(per) / 2)}" '
                   f'y="{_H - _BOTTOM + 20 + down}" '
                   f'text-anchor="middle" font-weight="bold">{year}</text>')
    out.append("</g>")
    for n, note in enumerate(notes):
        out.append(f'<text x="{_LEFT}" y="{_H - 8 + down + _NOTE_LINE * n}" fill="#555555" '
                   f'class="note">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
