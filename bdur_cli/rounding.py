"""The one rounding rule (docs/rounding.md), below everything that rounds: the engine, the
funding and reserve flows, scenario scaling and the reader's formats.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

#: An exact amount: whole euros as an int (the common case, and fast), else a Fraction.
Exact = int | Fraction
_ZERO = Decimal(0)


def round_euros(value: Exact | Decimal) -> Decimal:
    """The one rounding rule: to whole euros, half up (a half goes away from zero, as
    `decimal.ROUND_HALF_UP`: 2.5 -> 3, -2.5 -> -3), exactly, at any precision."""
    if isinstance(value, int):
        return Decimal(value)
    if type(value) is Fraction:
        n, d = value.numerator, value.denominator
    else:
        exact = Fraction(value)
        n, d = exact.numerator, exact.denominator
    whole = (2 * abs(n) + d) // (2 * d)
    # The sign copied, not compared: zero is no boundary, and -0.4 gives 0, never -0.
    return Decimal(whole).copy_sign(n) if whole else _ZERO


def round_ratio(n: int, d: int) -> Decimal:
    """`round_euros` of the exact amount n / d (d > 0), straight from the integers: the same
    half-up rule without making a `Fraction` first (n / d need not be reduced)."""
    whole = (2 * abs(n) + d) // (2 * d)
    return Decimal(whole).copy_sign(n) if whole else _ZERO
