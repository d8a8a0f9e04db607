"""The one place that knows output formats: tables, JSON, CSV, and how findings look.

Renderers take computed data (from `engine`) and return either a string or a rich renderable;
`write` sends either to a stream. rich is imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .. import environment
from ..engine import ZERO, GroupTotals, YearTotals, round_euros
from ..errors import EXIT_USAGE, BdurError, Finding, Location
from ..numbers import euro, plain_number

if TYPE_CHECKING:
    from ..api import Totals


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ReportFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class Prices(StrEnum):
    nominal = "nominal"
    constant = "constant"


class Grouping(StrEnum):
    goal = "goal"
    theme = "theme"
    department = "department"


class Locale(StrEnum):
    en = "en"
    nl = "nl"


class Unit(StrEnum):
    euro = "euro"
    thousand = "thousand"


# --- labels ----------------------------------------------------------------------------------

#: English label -> Dutch label, the one place for the Dutch presentation (--locale nl).
#: A label missing here is printed as is.
DUTCH: dict[str, str] = {
    "Year": "Jaar",
    "Funding": "Beschikbaar",
    "Planned": "Gepland",
    "Incidental": "Incidenteel",
    "Structural": "Structureel",
    "Staff": "Personeel",
    "Means": "Middelen",
    "Gap": "Ruimte / tekort",
    "Cumulative gap": "Cumulatief ruimte / tekort",
    "Average fte": "Gemiddeld fte",
    "of which adjusted": "waarvan bijgesteld",
    "Income": "Baten derden",
    "Adjusted": "Bijgesteld",
    "Income from partners": "Bijdragen derden",
    "Funding (BDuR and other sources)": "Beschikbaar (BDuR en andere bronnen)",
    "Added to reserve": "Dotatie aan reserve",
    "Drawn from reserve": "Onttrekking aan reserve",
    "Gap (funding - net cost - added + drawn)": "Ruimte / tekort",
    "Gap, cumulative": "Cumulatief ruimte / tekort",
    "Avg fte": "Gem. fte",
    "Net": "Netto",
    "Added": "Dotatie",
    "Drawn": "Onttrekking",
    "Net cost (planned - income)": "Netto lasten (gepland - baten)",
    "To reserve": "Dotatie reserve",
    "From reserve": "Onttrekking reserve",
    "Reserve": "Reserve",
    "Reserve balance": "Stand reserve",
    "Gap (funding - planned)": "Ruimte / tekort",
    "granted": "toegekend",
    "forecast": "prognose",
    "incidental": "incidenteel",
    "structural": "structureel",
    "staff": "personeel",
    "means": "middelen",
    "Total": "Totaal",
    "Goal / theme": "Hoofdthema / thema",
    "By goal and theme, {year}": "Per hoofdthema en thema, {year}",
    # bdur report
    "Main goal": "Hoofdthema",
    "Theme": "Subthema",
    "Department": "Afdeling/sector",
    "Note": "Opmerking",
    "staff (fte)": "fte",
    "external": "extern inhuur",
    "Total of the rows": "Totaal van de regels",
    "Total per year (incidental and structural)": "Totaal per jaar (inc. en struct.)",
    "Funding from BDuR": "Beschikbaar uit BDuR",
    "Gap (funding - planned), cumulative": "Cumulatief ruimte / tekort",
    "Table 2. Planned cost per year against the extra BDuR money":
        "Tabel 2. Gevraagde investeringen per jaar tegenover de extra BDuR-gelden",
    "Table 1. Capacity in fte per theme and year (incidental and structural in force)":
        "Tabel 1. Capaciteit in fte per thema en jaar (incidenteel en structureel)",
    "Incidental lines per year": "Incidentele lasten per jaar",
    "Total incidental": "Totaal incidenteel",
    "no incidental lines": "geen incidentele lasten",
    "Line": "Regel",
    "Kind": "Soort",
    "Amount": "Bedrag",
    "fte": "fte",
    "Table 2": "Tabel 2",
    "Rows": "Regels",
    "amounts x {unit}": "bedragen x {unit}",
    "rounding differences: a total can differ from the sum of the figures shown":
        "afrondingsverschillen: een totaal kan afwijken van de som van de getoonde bedragen",
    # bdur chart
    "funding": "beschikbaar",
    "planned": "gepland",
    "cumulative gap": "cumulatief ruimte / tekort",
    "Funding against planned, {first}-{last}": "Beschikbaar tegenover gepland, {first}-{last}",
    "Cumulative gap (funding - planned, summed)": "Cumulatief ruimte / tekort",
    "each {mark} = {amount}": "elke {mark} = {amount}",
    # bdur compare
    "Compared with {file}": "Vergeleken met {file}",
    "Files": "Bestanden",
    "File": "Bestand",
    "Scenario": "Scenario",
    "base": "basis",
    "Per year, against the base": "Per jaar, ten opzichte van de basis",
    "Δ funding": "Δ beschikbaar",
    "Δ planned": "Δ gepland",
    "Δ gap": "Δ ruimte / tekort",
    "Lines that differ: {label} against {base}": "Regels die verschillen: {label} tegenover {base}",
    "Base": "Basis",
    "Other": "Ander",
    "Difference": "Verschil",
    "added": "toegevoegd",
    "removed": "verwijderd",
    "(no line differs; any difference is in funding)":
        "(geen regel verschilt; het verschil zit in de beschikbare middelen)",
    # bdur diff
    "Gap now": "Ruimte / tekort nu",
    "Δ cum. gap": "Δ cum. ruimte / tekort",
    "Cum. gap now": "Cum. ruimte / tekort nu",
    "Lines behind it": "Regels die het verklaren",
    "Change": "Wijziging",
    "Other changes": "Overige wijzigingen",
    "Setting": "Instelling",
    "Before": "Voor",
    "After": "Na",
}


# --- numbers ---------------------------------------------------------------------------------

def money(value: Decimal, signed: bool = False, style: Style | None = None) -> str:
    """€1,505,000; with `signed`, +€145,000 and -€277,851. A `style` other than the default
    gives e.g. `€ 1.505.000` (nl) or `€1,505` (thousands)."""
    return (style or ENGLISH).money(value, signed)


def fte(value: Decimal, style: Style | None = None) -> str:
    if style is not None and style.locale is Locale.nl:
        return style.number(value)
    return plain_number(value)


_THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class Style:
    """How numbers and labels look to a reader: the locale (en, nl) and the unit (euro,
    thousand). Machine formats (json, csv) ignore it; they stay exact euros.

    Dutch number formats come from Babel (the `nl` extra), imported when first needed;
    `Style.make` checks that it is there, so a missing Babel is a usage error up front.
    """

    locale: Locale = Locale.en
    unit: Unit = Unit.euro

    @classmethod
    def make(cls, locale: Locale | str = Locale.en, unit: Unit | str = Unit.euro) -> Style:
        style = cls(Locale(locale), Unit(unit))
        if style.locale is Locale.nl:
            try:
                import babel.numbers  # noqa: F401
            except ImportError:
                raise BdurError([Finding(
                    "usage", "--locale nl needs Babel for the Dutch number format, and it is "
                    "not installed", hint="pip install 'bdur[nl]' (or: pip install babel)")],
                    EXIT_USAGE) from None
        return style

    def scaled(self, value: Decimal) -> Decimal:
        """The value in the style's unit, rounded half up to a whole number."""
        if self.unit is Unit.thousand:
            value = value / _THOUSAND
        # The engine's one rounding rule; `+ 0` turns -0 (e.g. -€400 in thousands) into 0.
        return round_euros(value) + 0

    def money(self, value: Decimal, signed: bool = False) -> str:
        """`€1,685,000` / `-€285,000` (en), `€ 1.685.000` / `€ -285.000` (nl)."""
        return self._spell(self.scaled(value), signed)

    def difference(self, base: Decimal, other: Decimal) -> str:
        """other - base as the reader can check it beside the two: the difference of the
        shown figures (in thousands, €1 -> €2 is +€1 whatever the euros), signed; 0 is €0."""
        return self._spell(self.scaled(other) - self.scaled(base), signed=True)

    def _spell(self, amount: Decimal, signed: bool) -> str:
        if self.locale is Locale.nl:
            from babel.numbers import format_currency

            pattern = "¤ +#,##0;¤ -#,##0" if signed and amount > 0 else "¤ #,##0;¤ -#,##0"
            return format_currency(amount, "EUR", format=pattern, locale="nl_NL",
                                   currency_digits=False)
        return euro(amount, signed)

    def number(self, value: Decimal) -> str:
        """A plain decimal (fte): 11.5 (en), 11,5 (nl)."""
        if self.locale is Locale.nl:
            from babel.numbers import format_decimal

            return format_decimal(value, format="#,##0.####", locale="nl_NL")
        return plain_number(value)

    def label(self, text: str, **values: object) -> str:
        if self.locale is Locale.nl:
            text = DUTCH.get(text, text)
        return text.format(**values) if values else text

    @property
    def unit_note(self) -> str | None:
        """'amounts x €1,000' when amounts are shown in thousands."""
        if self.unit is not Unit.thousand:
            return None
        return self.label("amounts x {unit}", unit=Style(self.locale).money(_THOUSAND))

    def adds_up(self, parts: Sequence[Decimal], totals: Sequence[Decimal]) -> bool:
        """Whether `parts`, each shown on its own, add up to `totals` as shown (both signed
        euro amounts: the gap is [funding, -planned] against [gap])."""
        return sum(map(self.scaled, parts), ZERO) == sum(map(self.scaled, totals), ZERO)

    def note(self, sums: Iterable[Sum] = ()) -> str | None:
        """The one line under a table: the unit (in thousands), and "rounding differences"
        when any shown total differs from the sum of the shown figures it stands for
        (docs/rounding.md)."""
        notes = [self.unit_note] if self.unit_note else []
        if not all(self.adds_up(parts, totals) for parts, totals in sums):
            notes.append(self.label(
                "rounding differences: a total can differ from the sum of the figures shown"))
        return "; ".join(notes) or None


#: Shown figures that must add up: (parts, totals), each a list of signed euro amounts.
Sum = tuple[Sequence[Decimal], Sequence[Decimal]]


def year_sums(rows: Sequence[YearTotals]) -> list[Sum]:
    """What adds up in rows of year totals: planned = incidental + structural = staff + means,
    gap = funding - net cost (planned - income) - reserve additions + withdrawals, and each
    cumulative gap = the one before + the gap."""
    out: list[Sum] = []
    for i, r in enumerate(rows):
        out += [([r.incidental, r.structural], [r.planned]), ([r.staff, r.means], [r.planned]),
                ([r.funding, -r.net, -r.reserve_additions, r.reserve_withdrawals], [r.gap])]
        if "income" in r.shown:
            out.append(([r.planned, -r.income], [r.net]))
        if "sources" in r.shown:
            out.append((list(r.funding_sources.values()), [r.funding]))
        if i:
            out.append(([rows[i - 1].cumulative_gap, r.gap], [r.cumulative_gap]))
    return out


_GROUP_FIELDS = ("planned", "incidental", "structural", "staff", "means")


def group_sums(goals: Sequence[GroupTotals], total: YearTotals) -> list[Sum]:
    """What adds up in a year's breakdown: themes to their goal, goals to the total, and in
    every row planned = incidental + structural = staff + means."""
    out: list[Sum] = []
    for group in (*goals, *(t for g in goals for t in g.children)):
        out += [([group.incidental, group.structural], [group.planned]),
                ([group.staff, group.means], [group.planned])]
    for name in _GROUP_FIELDS:
        out.append(([getattr(g, name) for g in goals], [getattr(total, name)]))
        out += [([getattr(t, name) for t in g.children], [getattr(g, name)]) for g in goals
                if g.children]
    return out


ENGLISH = Style()


# --- JSON ------------------------------------------------------------------------------------

def _json(value: Any, indent: str, step: str) -> str:
    # Hand-written so that Decimals come out as exact JSON numbers, never through float.
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + step
        items = ",\n".join(f"{inner}{json.dumps(str(k), ensure_ascii=False)}: "
                           f"{_json(v, inner, step)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + step
        items = ",\n".join(inner + _json(v, inner, step) for v in value)
        return "[\n" + items + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def to_json(value: Any) -> str:
    """JSON text with 2-space indentation; Decimal values become exact numbers."""
    return _json(value, "", "  ") + "\n"


# --- CSV -------------------------------------------------------------------------------------

def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(plain_number(v) if isinstance(v, Decimal) else
                            ("" if v is None else v) for v in row.values())
    return out.getvalue()


# --- rich tables -----------------------------------------------------------------------------

def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stream: IO[str] | None = None) -> Any:
    """A rich Console: colour only on a terminal and without NO_COLOR; wide when piped."""
    from rich.console import Console

    stream = stream or sys.stdout
    tty = _is_terminal(stream)
    no_color = bool(os.environ.get("NO_COLOR"))
    # A tty's width comes from the terminal (COLUMNS, when set, is already capped at start).
    width = None if tty else environment.columns(200)
    return Console(file=stream, no_color=no_color or not tty, force_terminal=False,
                   highlight=False, width=width, emoji=False, soft_wrap=False,
                   color_system="auto" if tty and not no_color else None)


def _table(title: str | None, columns: Iterable[tuple[str, str]]) -> Any:
    from rich import box

    from .fit import FitTable as Table

    table = Table(title=_escape(title) if title else None, box=box.SIMPLE_HEAD,
                  title_justify="left", pad_edge=False, title_style="bold",
                  header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _gap_style(value: Decimal) -> str:
    return "red" if value < 0 else "green"


def write(output: Any, stream: IO[str] | None = None) -> None:
    """Send a rendered string or rich renderable to `stream` (stdout by default).

    A reader that goes away (`bdur report | head -1`) ends the run quietly with exit 0: click
    would otherwise turn the broken pipe into exit 1, which fails a `set -o pipefail` step.
    """
    if stream is None and environment.stdout_closed:
        raise SystemExit(_stdout_failed("it is closed", "write to a file with -o FILE"))
    stream = stream or sys.stdout
    try:
        _write(output, stream)
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush cannot fail again.
        _silence(stream)
        raise SystemExit(0) from None
    except OSError as exc:  # a full disk (>/dev/full), a device error: usage, not "invalid"
        _silence(stream)
        raise SystemExit(_stdout_failed(exc.strerror or str(exc))) from None


def _silence(stream: IO[str]) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # pragma: no cover - a stream without a descriptor
        pass


def _stdout_failed(reason: str, hint: str | None = None) -> int:
    finding = Finding("unwritable", f"cannot write to standard output: {reason}", hint=hint)
    sys.stderr.write(finding_line(finding) + "\n")
    return EXIT_USAGE


def _encodable(stream: IO[str]) -> bool:
    try:
        "€Δ─".encode(getattr(stream, "encoding", None) or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _degraded(obj: Any) -> Any:
    """A table for a stream that cannot show €: the cells get their ASCII stand-ins (EUR)
    before rich lays them out, so that the columns still line up."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if isinstance(obj, str):
        return environment.degrade(obj)
    if isinstance(obj, Text):
        copy = obj.copy()
        copy.plain = environment.degrade(obj.plain)
        return copy
    if isinstance(obj, Group):
        return Group(*(_degraded(r) for r in obj.renderables))
    if isinstance(obj, Table):
        obj.title = _degraded(obj.title) if obj.title is not None else None
        obj.caption = _degraded(obj.caption) if obj.caption is not None else None
        for column in obj.columns:
            column.header = _degraded(column.header)
            column._cells = [_degraded(cell) for cell in column._cells]
    return obj


def _write(output: Any, stream: IO[str]) -> None:
    if not isinstance(output, str) and not _encodable(stream):
        output = _degraded(output)
    if not isinstance(output, str):
        con = console(stream)
        if con.is_terminal:
            con.print(output)
            return
        # Piped: plain text, without the padding rich adds to reach the table's width,
        # and without the blank line a borderless table ends with.
        with con.capture() as captured:
            con.print(output)
        output = "\n".join(line.rstrip() for line in captured.get().split("\n")).rstrip() + "\n"
    stream.write(output)
    stream.flush()


def as_text(output: Any) -> str:
    """A rendered string or rich renderable as plain text (no colour), e.g. for a file."""
    if isinstance(output, str):
        return output
    from rich.console import Console

    con = Console(file=io.StringIO(), no_color=True, color_system=None, width=200,
                  highlight=False, emoji=False, soft_wrap=False, force_terminal=False)
    with con.capture() as captured:
        con.print(output)
    return "\n".join(line.rstrip() for line in captured.get().split("\n"))


def write_file(path: Path, produce: Callable[[IO[bytes]], None]) -> None:
    """Write a file atomically: `produce` writes into a temporary file in the same directory,
    which then replaces `path` in one step. If anything fails (or the run is interrupted),
    no half-written `path` and no temporary file remain; the old `path`, if any, is untouched.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
            dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    tmp = Path(handle.name)
    try:
        with handle:
            produce(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600; give the result the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def write_text_file(path: Path, text: str) -> None:
    write_file(path, lambda f: f.write(text.encode("utf-8")))


def _unwritable(path: Path, exc: OSError) -> BdurError:
    reason = exc.strerror or type(exc).__name__
    return BdurError([Finding("unwritable", f"cannot write the file: {reason}",
                              location=Location(str(path)))], EXIT_USAGE)


# --- totals ----------------------------------------------------------------------------------

def totals(result: Totals, fmt: Format, *, title: str = "", style: Style = ENGLISH) -> Any:
    """`bdur totals`: one row per year, or one year with its breakdown by goal and theme.
    `style` (locale, unit) shapes the table; json and csv stay exact euros."""
    if fmt is Format.json:
        return to_json(result.as_dict())
    if fmt is Format.csv:
        return to_csv([flat_year(t) for t in result.years])
    if fmt is Format.markdown:
        return _totals_markdown(result, style)
    if result.breakdown is not None:
        return _totals_year_table(result.years[0], result.breakdown, title, style)
    return _totals_table(result.years, title, style)


def _year_columns(rows: Sequence[YearTotals], style: Style, markup: bool = True
                  ) -> list[tuple[str, str, Callable[[YearTotals], str]]]:
    """The columns of the per-year totals: (header, justify, cell). The optional figures of
    the further keys (adjustment, average fte, income, reserves) only when the plan has them,
    so a plain plan's table is what it always was."""
    L, m = style.label, style.money
    shown = rows[0].shown if rows else frozenset()

    def gap(value: Decimal) -> str:
        text = m(value, signed=True)
        return f"[{_gap_style(value)}]{text}[/]" if markup else text

    cols: list[tuple[str, str, Callable[[YearTotals], str]]] = [
        (L("Year"), "left", lambda r: str(r.year)),
        (L("Funding"), "right", lambda r: m(r.funding)),
        ("", "left", lambda r: L(r.funding_status or "")),
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
        ("fte", "right", lambda r: fte(r.fte, style)),
    ]
    if "average_fte" in shown:
        cols.append((L("Avg fte"), "right", lambda r: fte(r.average_fte, style)))
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


def flat_year(r: YearTotals) -> dict[str, object]:
    """A year's totals as one flat CSV row: funding per source as `funding_<id>` columns, the
    reserves together (their own list is in the json)."""
    out: dict[str, object] = {}
    for key, value in r.as_dict().items():
        if key == "funding_sources" and isinstance(value, dict):
            out.update({f"funding_{sid}": amount for sid, amount in value.items()})
        elif key != "reserves":
            out[key] = value
    return out


def _totals_markdown(result: Totals, style: Style) -> str:
    # A pipe table for a job summary or a memo; a single year adds its goals and themes.
    from .report import markdown_table

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


def _heading(title: str) -> list[Any]:
    from rich.text import Text

    return [Text(title, style="bold")] if title else []


def _note(style: Style, sums: Iterable[Sum] = ()) -> list[Any]:
    """The line under a table: the unit in thousands, and rounding differences if any."""
    from rich.text import Text

    note = style.note(sums)
    return [] if note is None else [Text(note)]


def _totals_table(rows: Sequence[YearTotals], title: str, style: Style = ENGLISH) -> Any:
    from rich.console import Group

    cols = _year_columns(rows, style)
    table = _table(None, [(h, j) for h, j, _ in cols])
    for r in rows:
        table.add_row(*[cell(r) for _, _, cell in cols])
    return Group(*_heading(title), table, *_note(style, year_sums(rows)))


def _totals_year_table(r: YearTotals, goals: list[GroupTotals], title: str,
                       style: Style = ENGLISH) -> Any:
    from rich.console import Group

    L, m = style.label, style.money
    summary = _table(f"{r.year}", [("", "left"), ("", "right")])
    summary.show_header = False
    summary.add_row(L("Funding") + (f" ({L(r.funding_status)})" if r.funding_status else ""),
                    m(r.funding))
    if "sources" in r.shown:
        for sid, amount in r.funding_sources.items():
            summary.add_row(f"  {_escape(sid)}", m(amount))
    if "adjustment" in r.shown:
        summary.add_row("  " + L("of which adjusted"), m(r.funding_adjustment, signed=True))
    summary.add_row(L("Planned"), m(r.planned))
    summary.add_row("  " + L("incidental"), m(r.incidental))
    summary.add_row("  " + L("structural"), m(r.structural))
    summary.add_row("  " + L("staff"), m(r.staff))
    summary.add_row("  " + L("means"), m(r.means))
    summary.add_row("fte", fte(r.fte, style))
    if "average_fte" in r.shown:
        summary.add_row(L("Average fte"), fte(r.average_fte, style))
    if "income" in r.shown:
        summary.add_row(L("Income"), m(r.income))
        summary.add_row(L("Net cost (planned - income)"), m(r.net))
    if "reserves" in r.shown:
        summary.add_row(L("To reserve"), m(r.reserve_additions))
        summary.add_row(L("From reserve"), m(r.reserve_withdrawals))
    plain = not ({"income", "reserves"} & r.shown)
    summary.add_row(L("Gap (funding - planned)") if plain else L("Gap"),
                    f"[{_gap_style(r.gap)}]{m(r.gap, signed=True)}[/]")
    summary.add_row(L("Cumulative gap"), f"[{_gap_style(r.cumulative_gap)}]"
                    f"{m(r.cumulative_gap, signed=True)}[/]")
    if "reserves" in r.shown:
        summary.add_row(L("Reserve balance"), m(r.reserve_balance))

    detail = _table(L("By goal and theme, {year}", year=r.year), [
        (L("Goal / theme"), "left"), (L("Planned"), "right"), (L("Incidental"), "right"),
        (L("Structural"), "right"), (L("Staff"), "right"), (L("Means"), "right"),
        ("fte", "right"),
    ])
    for goal in goals:
        detail.add_row(_escape(goal.name), *_group_cells(goal, style), style="bold")
        for theme in goal.children:
            detail.add_row("  " + _escape(theme.name), *_group_cells(theme, style))
    detail.add_row(L("Total"), m(r.planned), m(r.incidental), m(r.structural),
                   m(r.staff), m(r.means), fte(r.fte, style), end_section=True, style="bold")
    sums = year_sums([r]) + group_sums(goals, r)
    return Group(*_heading(title), summary, detail, *_note(style, sums))


def _group_cells(g: GroupTotals, style: Style = ENGLISH) -> list[str]:
    m = style.money
    return [m(g.planned), m(g.incidental), m(g.structural), m(g.staff),
            m(g.means), fte(g.fte, style)]


# --- findings --------------------------------------------------------------------------------

def finding_line(f: Finding) -> str:
    """`path:line:col: error: message [code] (hint: ...)` on one line."""
    where = f"{f.location}: " if f.location else ""
    hint = f" (hint: {f.hint})" if f.hint else ""
    return f"{where}{f.level}: {f.message} [{f.code}]{hint}"
