"""How numbers and labels look to a reader: `Style` (locale and unit), the one place that
spells money and fte for tables, Markdown and xlsx. Machine formats (json, csv) do not use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import EXIT_USAGE, BdurError, Finding
from ..numbers import euro, plain_number
from ..plan.results import ZERO, GroupTotals, YearTotals
from ..rounding import round_euros
from .formats import Locale as Locale
from .formats import Unit as Unit
from .labels import DUTCH

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
                    "not installed", hint="pip install babel (or reinstall bdur with its nl "
                    "extra: pip install -e '.[nl]' in bdur's folder)")],
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

    def percent(self, value: Decimal | None) -> str:
        """A deviation in percent, signed: +1.7% (en), +1,7% (nl); 0.0% unsigned; "-" for
        none (no budget to take a percentage of)."""
        if value is None:
            return "-"
        text = f"{value:+}%" if value else f"{abs(value)}%"
        return text.replace(".", ",") if self.locale is Locale.nl else text

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
