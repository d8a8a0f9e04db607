"""The allocation file as pydantic models: the YAML contract.

Money is whole euros and fte a decimal, both `decimal.Decimal` from the file on. The loader
hands float-looking YAML scalars over as `YamlFloat` (their source text), so the validators here
see exactly what the author typed and can tell `1.5` fte from a Dutch `100.000` euro.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PrivateAttr,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..numbers import YamlFloat
from ..scalars import decimal_comma_hint, is_plain_number, number_problem

MAX_MONEY = Decimal(10) ** 11  # €100 billion: more is a typo, not a plan
MAX_FTE = Decimal(10_000)
_MAX_MONEY_INT, _MAX_FTE_INT = int(MAX_MONEY), int(MAX_FTE)
MIN_YEAR, MAX_YEAR = 2000, 2100


# 100.000 / 1.407.149 / 1.685.000,50 / 100,5: Dutch grouping or a decimal comma (150,000:
# English grouping, told apart in the hint).
_DUTCH = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")


_COMMA_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


def _dutch_hint(text: str) -> str:
    if _COMMA_GROUPS.match(text):  # 150,000: English grouping
        whole = text.replace(",", "")
        return f"write {whole} (or {int(whole):_}); YAML has no thousands separator"
    whole, _, cents = text.partition(",")
    whole = whole.replace(".", "")
    if cents and "." not in text:  # 100,5: a decimal comma
        return decimal_comma_hint(whole, cents, money=True)
    return f"write {whole} (or {int(whole):_}); YAML has no thousands separator"


def refuse_number_form(text: str) -> None:
    """Refuse, with what to write instead, text that is a number in a form other than plain
    decimal digits (0x10, 1:30, 010, 1e3, .inf, more than 30 digits); other text is left to
    the caller's own message."""
    problem = None if is_plain_number(text) else number_problem(text)
    if problem is not None:
        raise PydanticCustomError(problem.code.replace("-", "_"), problem.message.replace(
            "{", "{{").replace("}", "}}"), {"hint": problem.hint} if problem.hint else None)


def parse_money(value: Any) -> Decimal:
    """Whole euros: an int, a digit string, or a Decimal without fraction."""
    # The common case first, in one test: a plain YAML integer in range (not a bool).
    if type(value) is int and 0 <= value <= _MAX_MONEY_INT:
        return Decimal(value)
    if isinstance(value, bool):
        raise PydanticCustomError("money_type", "expected an amount in whole euros, got {v}",
                                  {"v": str(value).lower()})
    if isinstance(value, str):
        text = value.strip()
        if _DUTCH.match(text):
            raise PydanticCustomError(
                "dutch_number",
                "'{text}' uses a Dutch thousands separator or decimal comma; "
                "it is not the number you mean",
                {"text": text, "hint": _dutch_hint(text)},
            )
        if isinstance(value, YamlFloat):
            raise PydanticCustomError(
                "float_money",
                "money is whole euros, not a float: '{text}'",
                {"text": text, "hint": "write a whole number of euros, e.g. 100000"},
            )
        if not is_plain_number(text) or "." in text:
            refuse_number_form(text)  # 0x10, 1:30, 1e3 ...: refused with what to write
            raise PydanticCustomError(
                "money_type", "expected an amount in whole euros, got '{text}'",
                {"text": text})
        amount = Decimal(text.replace("_", ""))
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
        if not value.is_finite() or value != value.to_integral_value():
            raise PydanticCustomError("float_money", "money is whole euros, got {v}",
                                      {"v": str(value)})
    else:
        raise PydanticCustomError("money_type", "expected an amount in whole euros, got {t}",
                                  {"t": type(value).__name__})
    if amount < 0:
        raise PydanticCustomError("out_of_range", "an amount cannot be negative: {v}",
                                  {"v": str(amount)})
    if amount > MAX_MONEY:
        raise PydanticCustomError("out_of_range", "{v} is beyond any plausible amount",
                                  {"v": str(amount), "hint": "amounts are in whole euros"})
    return amount


def parse_signed_money(value: Any) -> Decimal:
    """Whole euros that may be negative (a gap, a shortfall): -277851."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.startswith("-") and not isinstance(value, YamlFloat):
        return -parse_money(text[1:])
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and value < 0:
        return -parse_money(-value)
    return parse_money(value)


#: fte written as a decimal (1.5, 0.8), checked once per distinct text: a plan repeats a few.
_FTE_TEXT: dict[str, Decimal] = {}


def parse_fte(value: Any) -> Decimal:
    """Full-time equivalents: a positive decimal such as 1, 1.5 or 0.8."""
    if type(value) is int and 0 < value <= _MAX_FTE_INT:  # the common case: 1, 2
        return Decimal(value)
    if type(value) is YamlFloat:
        known = _FTE_TEXT.get(value)
        if known is None:
            known = _parse_fte(value)  # a bad one raises, and is never remembered
            if len(_FTE_TEXT) < 10_000:
                _FTE_TEXT[value] = known
        return known
    return _parse_fte(value)


def _parse_fte(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PydanticCustomError("fte_type", "expected a number of fte, got {v}",
                                  {"v": str(value)})
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+,\d+", text):
            raise PydanticCustomError(
                "dutch_number", "'{text}' uses a decimal comma",
                {"text": text, "hint": f"write {text.replace(',', '.')}"},
            )
        if not is_plain_number(text):
            refuse_number_form(text)
            raise PydanticCustomError("fte_type", "expected a number of fte, got '{text}'",
                                      {"text": text})
        value = Decimal(text.replace("_", ""))
    result = Decimal(value)
    if not result.is_finite() or result <= 0 or result > MAX_FTE:
        raise PydanticCustomError(
            "out_of_range", "fte must be above 0 and at most {max}, got {v}",
            {"v": str(value), "max": str(MAX_FTE)},
        )
    if result != result.quantize(Decimal("0.0001")):
        raise PydanticCustomError("out_of_range", "fte has at most 4 decimals, got {v}",
                                  {"v": str(value)})
    return result


# The JSON Schema says what a file may contain (a whole number, a plain decimal), not what
# pydantic would coerce; the validators above stay the authority and give the located hints.
Money = Annotated[Decimal, BeforeValidator(parse_money),
                  WithJsonSchema({"type": "integer", "minimum": 0, "maximum": int(MAX_MONEY)})]
Fte = Annotated[Decimal, BeforeValidator(parse_fte),
                WithJsonSchema({"type": "number", "exclusiveMinimum": 0,
                                "maximum": int(MAX_FTE)})]
SignedMoney = Annotated[Decimal, BeforeValidator(parse_signed_money),
                        WithJsonSchema({"type": "integer", "minimum": -int(MAX_MONEY),
                                        "maximum": int(MAX_MONEY)})]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, strict=True)]
Month = Annotated[int, Field(ge=1, le=12, strict=True)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, Field(max_length=2000)]


def _year_key(key: Any, what: str) -> int:
    if isinstance(key, bool) or not isinstance(key, int) or not MIN_YEAR <= key <= MAX_YEAR:
        raise PydanticCustomError(
            "by_year_key", "'{key}' is not a year ({low}-{high})",
            {"what": what, "key": str(key), "low": MIN_YEAR, "high": MAX_YEAR,
             "hint": "a by-year map has years as keys, e.g. {2023: 10000, 2025: 12000}"})
    return key


def _by_year(parse: Any, what: str) -> Any:
    """One value, or a map {year: value} meaning "from this year on" (a step function, as a
    rate's by_year); each value is checked as a single one would be, its year in the message."""

    def validate(value: Any) -> Any:
        if not isinstance(value, dict):
            return parse(value)
        if not value:
            raise PydanticCustomError("by_year_empty", "an empty by-year map",
                                      {"hint": "give at least the first year, e.g. {2024: 1}"})
        out: dict[int, Decimal] = {}
        for key, item in value.items():
            year = _year_key(key, what)
            try:
                out[year] = parse(item)
            except PydanticCustomError as exc:
                # `entry`: the loader points at this year's value, not at the map's start.
                raise PydanticCustomError(exc.type, f"{year}: {exc.message_template}",
                                          {**(exc.context or {}), "entry": year}) from None
        return dict(sorted(out.items()))

    return validate


def _by_year_schema(single: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [single, {"type": "object", "minProperties": 1,
                               "propertyNames": {"pattern": "^(20[0-9]{2}|2100)$"},
                               "additionalProperties": single}]}


_MONEY_SCHEMA = {"type": "integer", "minimum": 0, "maximum": int(MAX_MONEY)}
_FTE_SCHEMA = {"type": "number", "exclusiveMinimum": 0, "maximum": int(MAX_FTE)}

#: An amount, or amounts from given years on: `{2023: 10000, 2025: 8000}` (steps down allowed).
MoneyByYear = Annotated[Decimal | dict[int, Decimal],
                        BeforeValidator(_by_year(parse_money, "amount")),
                        WithJsonSchema(_by_year_schema(_MONEY_SCHEMA))]
#: fte, or fte from given years on: `{2023: 0.8, 2024: 1}`.
FteByYear = Annotated[Decimal | dict[int, Decimal], BeforeValidator(_by_year(parse_fte, "fte")),
                      WithJsonSchema(_by_year_schema(_FTE_SCHEMA))]


def value_for(value: Decimal | dict[int, Decimal], year: int) -> Decimal | None:
    """A by-year value in `year`: the entry of the latest listed year at or before it."""
    if not isinstance(value, dict):
        return value
    found = None
    for listed, item in value.items():  # sorted by year
        if listed > year:
            break
        found = item
    return found


_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: Any) -> str:
    """A month as `2024-09` (September 2024)."""
    text = str(value).strip() if isinstance(value, str) else None
    match = _MONTH_TEXT.match(text) if text is not None else None
    if text is None or match is None or not 1 <= int(match[2]) <= 12 \
            or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        hint = "write year and month as 2024-09"
        if text is not None and re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            hint = f"a month, not a day: write {text[:7]}" if re.match(
                r"^\d{4}-\d{2}-", text) else hint
        raise PydanticCustomError("month_text", "expected a month such as 2024-09, got '{v}'",
                                  {"v": str(value), "hint": hint})
    return text


#: A month, `YYYY-MM`: a period starts on the first of it, or ends on the last day of it.
YearMonth = Annotated[str, BeforeValidator(parse_month),
                      WithJsonSchema({"type": "string",
                                      "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"})]


def month_index(text: str) -> int:
    """`2024-09` as a count of months (year * 12 + month - 1), to compare and subtract."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d{1,4})?)\s*%$")
_HUNDRED = Decimal(100)


def parse_share(value: Any) -> Decimal:
    """A share written as a percentage, `40%` or `33.3333%`, as a fraction of 1."""
    match = _PERCENT.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        comma = _COMMA_PERCENT.match(value.strip()) if isinstance(value, str) else None
        raise PydanticCustomError("share_type", "expected a percentage such as 40%, got '{v}'",
                                  {"v": str(value), **({"hint": _percent_hint(value)} if comma
                                                       else {})})
    share = Decimal(match[1])
    if not 0 < share <= _HUNDRED:
        raise PydanticCustomError("out_of_range", "a share is above 0% and at most 100%, "
                                  "got {v}", {"v": str(value)})
    return share / _HUNDRED


_SIGNED_PERCENT = re.compile(r"^([+-]?\d{1,3}(?:\.\d{1,4})?)\s*%$")


_COMMA_PERCENT = re.compile(r"^([+-]?\d+),(\d+)\s*%$")


def _percent_hint(value: Any) -> str:
    """`4.7` -> write 4.7%; `-0.1` may be a fraction of 1 (-10%) as well as -0.1%: say both,
    since the two differ a hundredfold."""
    comma = _COMMA_PERCENT.match(value.strip()) if isinstance(value, str) else None
    if comma:  # 3,5%: a Dutch decimal comma
        return f"write {comma[1]}.{comma[2]}%; YAML has no decimal comma"
    if isinstance(value, bool) or not isinstance(value, int | YamlFloat):
        return "e.g. -10% or 4.7%"
    number = Decimal(str(value))
    if number and abs(number) < 1:
        as_share = format((number * _HUNDRED).normalize(), "f")
        return f"write {as_share}% if {value} is a fraction of 1, or {value}% if it is percent"
    return f"write {value}%"


def parse_percent(value: Any) -> Decimal:
    """A signed percentage, `-10%` or `+4.7%`, as a fraction of 1 (-0.1, 0.047)."""
    match = _SIGNED_PERCENT.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        hint = _percent_hint(value)
        raise PydanticCustomError("share_type", "expected a percentage such as -10% or 4.7%, "
                                  "got '{v}'", {"v": str(value), "hint": hint})
    percent = Decimal(match[1])
    if not -_HUNDRED <= percent <= _HUNDRED:
        raise PydanticCustomError("out_of_range", "a percentage is between -100% and 100%, "
                                  "got {v}", {"v": str(value)})
    return percent / _HUNDRED


def _as_percent(value: Decimal) -> str:
    # Back to the file's form, so that a line dumped and validated again (a scenario's shift
    # or change) is the same line: 0.25 -> '25%'.
    return f"{plain_share(value)}%"


_WRITTEN = PlainSerializer(_as_percent, return_type=str)
Percent = Annotated[Decimal, BeforeValidator(parse_percent), _WRITTEN, WithJsonSchema(
    {"type": "string", "pattern": "^[+-]?[0-9]{1,3}(\\.[0-9]{1,4})?\\s*%$"})]
Share = Annotated[Decimal, BeforeValidator(parse_share), _WRITTEN, WithJsonSchema(
    {"type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,4})?\\s*%$"})]


def _empty_list() -> list[Any]:
    # Not `list` itself: pydantic inspects a default factory's signature, and that of a
    # builtin is read by tokenizing its text signature (the tokenizer's regular expressions
    # are compiled for it: about 1% of `bdur totals 2024`).
    return []


def _empty_dict() -> dict[Any, Any]:
    return {}


#: One set of written keys per distinct combination (see `StrictModel.model_post_init`);
#: a plan has a few dozen, so the table stays small.
_KEY_SETS: dict[frozenset[str], set[str]] = {}


class StrictModel(BaseModel):
    # Unknown keys are errors: a misspelt key must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def model_post_init(self, context: Any, /) -> None:
        # pydantic gives every instance a set of the keys it was given, about 700 bytes a
        # line: at 100,000 lines more than the lines' own values, and `bdur diff` holds two
        # plans. The models are frozen and `model_copy` copies the set before it adds to
        # it, so instances with the same keys can share one.
        keys = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__",
                           _KEY_SETS.setdefault(frozenset(keys), keys))


class Horizon(StrictModel):
    """The planning horizon: first and last year, inclusive."""

    first: Year = Field(description="First year of the planning horizon, e.g. 2023.")
    last: Year = Field(description="Last year of the planning horizon, e.g. 2026.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last < self.first:
            raise PydanticCustomError("horizon", "horizon ends ({last}) before it starts ({first})",
                                      {"first": self.first, "last": self.last})
        if self.last - self.first > 50:
            raise PydanticCustomError("horizon", "a horizon of more than 50 years is not a plan")
        return self

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)


class PlanMeta(StrictModel):
    """What the plan is: region, title, source, currency and horizon."""

    region: Text = Field(description="The safety region, e.g. 'Veiligheidsregio Hollands Midden'.")
    title: Text = Field(description="Title of the plan.")
    source: Text | None = Field(None, description="Where the figures come from (memo, date).")
    currency: Literal["EUR"] = Field("EUR", description="Currency of every amount; only EUR.")
    horizon: Horizon = Field(description="The years the plan covers.")


Status = Literal["granted", "forecast", "conditional"]


class Funding(StrictModel):
    """The extra BDuR money for one year."""

    amount: Money = Field(description="Extra BDuR money for the year, whole euros.")
    status: Status = Field(
        description="'granted' (toegekend, e.g. by letter), 'forecast' (prognose) or "
        "'conditional' (onder voorwaarden)."
    )
    note: Text | None = Field(None, description="Where the amount comes from.")


class Source(StrictModel):
    """Funding besides the BDuR: co-financing by municipalities or partners, another grant."""

    id: Id = Field(description="Stable id of the source (not 'bdur', which is 'funding').")
    name: Text = Field(description="Name, e.g. 'Cofinanciering gemeenten'.")
    kind: Literal["cofinancing", "grant", "other"] = Field(
        description="'cofinancing' (cofinanciering, bijdrage derden), 'grant' (another "
        "subsidy) or 'other'.")
    amounts: dict[Year, Funding] = Field(description="Per year: amount, status and note.")
    indexed: Literal["wages", "prices"] | None = Field(
        None, description="Index this source's amounts with the plan's wage or price "
        "indexation (default: not indexed; amounts are nominal).")
    note: Text | None = Field(None, description="Free text.")


class Adjustment(StrictModel):
    """A change of a funding source by a percentage from a year on: the BDuR cut of 10% from
    2026 is `{from_year: 2026, change: -10%}`."""

    source: Id = Field("bdur", description="The source changed: 'bdur' (the 'funding' key, "
                       "the default) or the id of one of 'sources'.")
    from_year: Year = Field(description="First year the change applies.")
    until: Year | None = Field(None, description="Last year (default: the horizon's end).")
    change: Percent = Field(description="The change as a percentage, e.g. -10%; the amount is "
                            "rounded to whole euros, half up, per year.")
    compound: bool = Field(False, description="Take the percentage of the amount after the "
                           "adjustments listed before it (-10% then -5%: x 0.9 x 0.95 = "
                           "-14.5%), not of the amount as written (the default: they add up, "
                           "-10% and -5% = -15%).")
    note: Text | None = Field(None, description="Where the change comes from.")


class Income(StrictModel):
    """What a partner pays towards a line: a share of its cost, or a yearly amount."""

    partner: Text = Field(description="Who pays, e.g. 'Gemeente Leiden'.")
    share: Share | None = Field(None, description="Share of the line's cost, e.g. 25%.")
    amount: MoneyByYear | None = Field(
        None, description="A yearly amount (or from given years on), pro-rated by the line's "
        "months in force like the line's own amount.")
    status: Status = Field(description="'granted', 'forecast' or 'conditional'.")
    note: Text | None = Field(None, description="Free text.")

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.share is None) == (self.amount is None):
            both = self.share is not None
            raise PydanticCustomError(
                "line_shape", "income has either 'share' or 'amount', not {what}",
                {"what": "both" if both else "neither", "hint": (
                    "keep share (a part of the line's cost) or amount (a fixed sum per year), "
                    "not both" if both else "add share (a part of the line's cost, e.g. "
                    "share: 25%) or amount (a fixed sum per year, e.g. amount: 10000)")})
        return self


class Reserve(StrictModel):
    """An earmarked reserve (bestemmingsreserve): its opening balance, the additions (dotaties)
    and withdrawals (onttrekkingen) the board decides, and the lines it covers."""

    id: Id = Field(description="Stable id of the reserve.")
    name: Text = Field(description="Name, e.g. 'Bestemmingsreserve crisisbeheersing'.")
    opening: Money = Field(Decimal(0), description="Balance at the start of the horizon's "
                           "first year.")
    additions: dict[Year, Money] = Field(default_factory=_empty_dict, description="Additions "
                                         "(dotaties) per year; they take room from funding.")
    withdrawals: dict[Year, Money] = Field(
        default_factory=_empty_dict, description="Planned withdrawals (onttrekkingen) per "
        "year; they add to what is available. Lines with 'reserve' are withdrawn on top.")
    note: Text | None = Field(None, description="Board decision, purpose.")


class Indexation(StrictModel):
    """Yearly wage and price indexation (loon- en prijsbijstelling) from a base year."""

    base_year: Year = Field(description="The year the plan's amounts are priced in "
                            "(prijspeil).")
    wages: dict[Year, Percent] = Field(
        default_factory=_empty_dict, description="Wage indexation per year, e.g. {2025: 4.7%}: the "
        "step from the year before; applied to staff rates, compounding.")
    prices: dict[Year, Percent] = Field(
        default_factory=_empty_dict, description="Price indexation per year, e.g. {2025: 2.7%}: "
        "applied to means, compounding.")
    bdur: Literal["wages", "prices"] | None = Field(
        None, description="Index the BDuR funding too (default: not; its indexation is not "
        "guaranteed).")


class Rate(StrictModel):
    """The yearly cost of 1 fte: one amount, or amounts from given years on."""

    amount: Money | None = Field(None, description="Yearly cost of 1 fte, whole euros.")
    by_year: dict[Year, Money] | None = Field(
        None,
        description="Yearly cost of 1 fte from each listed year on, when it changes over time "
        "(e.g. {2023: 100000, 2025: 104000}). Use either amount or by_year.",
    )
    note: Text | None = Field(None, description="What the rate stands for.")

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.amount is None) == (self.by_year is None):
            raise PydanticCustomError(
                "rate_shape", "a rate has either 'amount' or 'by_year', not {what}",
                {"what": "both" if self.amount is not None else "neither"},
            )
        return self

    def for_year(self, year: int) -> Decimal | None:
        if self.amount is not None:
            return self.amount
        assert self.by_year is not None
        known = [y for y in self.by_year if y <= year]
        return self.by_year[max(known)] if known else None


class Goal(StrictModel):
    """A main goal (hoofdthema) that themes belong to."""

    id: Id = Field(description="Stable id of the main goal (hoofdthema), used by themes.")
    name: Text = Field(description="Name of the main goal.")
    short: Text | None = Field(None, description="Short label as in the memo's Table 2.")
    rcdv: list[Annotated[int, Field(ge=1, le=9)]] = Field(
        default_factory=_empty_list, description="National (RCDV) goal numbers this goal serves."
    )
    note: Text | None = Field(None, description="Free text.")




def _phasing(value: Any) -> Any:
    """{year: amount} or {year: 'NN%'}: all amounts or all shares."""
    if not isinstance(value, dict) or not value:
        raise PydanticCustomError("phasing_type", "'phasing' is a map of years to amounts or "
                                  "to shares", {"hint": "e.g. {2024: 40%, 2025: 60%}"})
    shares = [isinstance(v, str) and v.strip().endswith("%") for v in value.values()]
    if any(shares) and not all(shares):
        raise PydanticCustomError("phasing_type", "a phasing is all amounts or all shares, "
                                  "not a mix", {"hint": "write every year as NN% or every "
                                  "year as an amount"})
    parsed = _by_year(parse_share if all(shares) else parse_money, "phasing")(value)
    return Phasing(shares=all(shares), years=parsed)


class Phasing(BaseModel):
    """A multi-year budget's years: amounts, or shares of the total (fractions of 1)."""

    model_config = ConfigDict(frozen=True)
    shares: bool
    years: dict[int, Decimal]

    @model_serializer
    def as_written(self) -> dict[int, Any]:
        """Back to the file's form, so that a line dumped and validated again (a scenario's
        change) is the same line."""
        if not self.shares:
            return dict(self.years)
        return {y: _as_percent(v) for y, v in self.years.items()}


def plain_share(share: Decimal) -> str:
    """A fraction of 1 as a percentage's number: 0.4 -> '40', 0.333333 -> '33.3333'."""
    text = format((share * _HUNDRED).normalize(), "f")
    return text


PhasingMap = Annotated[Phasing, BeforeValidator(_phasing), WithJsonSchema({
    "type": "object", "minProperties": 1, "propertyNames": {"pattern": "^(20[0-9]{2}|2100)$"},
    "additionalProperties": {"anyOf": [_MONEY_SCHEMA, {
        "type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,4})?\\s*%$"}]}})]


class Period(StrictModel):
    """Months a line is in force: from the first of `start` through the end of `end`."""

    start: YearMonth = Field(description="First month in force, e.g. 2024-09.")
    end: YearMonth | None = Field(None, description="Last month in force (inclusive), e.g. "
                                  "2026-03; default: the end of the horizon (structural) or of "
                                  "the start's year (incidental).")


class _LineHead(StrictModel):
    id: Id = Field(description="Stable id, unique in the file (lowercase, digits, - _ .).")
    name: Text | None = Field(None, description="What the board reads for this line (the "
                              "board pack shows it; the id where none is given).")
    type: Literal["incidental", "structural"] = Field(
        description="'incidental' (one year, or the months of its period) or 'structural' "
        "(every year from 'year' on)."
    )


class _LineTimed(_LineHead):
    """When a staff or means line is in force: a year (and month), a start, or periods."""

    year: Year | None = Field(None, description="The year of an incidental line; the first "
                              "year of a structural one. Required unless 'start' or 'periods' "
                              "gives it.")
    until: Year | None = Field(None, description="Last year of a structural line (inclusive); "
                                                 "default: the end of the horizon.")
    start_month: Month | None = Field(
        None, description="Month (1-12) the line starts in its first year; that year is "
        "pro-rated by (13 - month) / 12. Not on an incidental means line (a one-off)."
    )
    start: YearMonth | None = Field(
        None, description="First month in force, e.g. 2024-09 (instead of year and "
        "start_month); every year is pro-rated by its months in force.")
    end: YearMonth | None = Field(
        None, description="Last month in force (inclusive), e.g. 2026-03 (instead of until).")
    periods: list[Period] | None = Field(
        None, description="Several periods in force, each {start, end} (instead of year, "
        "start, end); they may not overlap.")

    @model_validator(mode="after")
    def _timed(self) -> Self:
        self._when()
        if self.until is not None:
            if self.type == "incidental":
                raise PydanticCustomError("line_shape", "'until' is for structural lines only",
                                          {"hint": "an incidental line that runs for some "
                                           "months takes 'start' and 'end', e.g. 2024-09"})
            if self.year is not None and self.until < self.year:
                raise PydanticCustomError(
                    "line_shape", "'until' ({until}) is before 'year' ({year})",
                    {"until": self.until, "year": self.year})
        return self

    def _when(self) -> None:
        given = [k for k in ("year", "start_month", "until", "start", "end")
                 if getattr(self, k) is not None]
        if self.periods is not None:
            if given:
                raise PydanticCustomError(
                    "line_shape", "'periods' gives the line's months; drop '{key}'",
                    {"key": given[0]})
            if not self.periods:
                raise PydanticCustomError("line_shape", "'periods' is empty",
                                          {"hint": "give at least one {start: 2024-09}"})
            return
        if self.start is not None:
            for key in ("year", "start_month"):
                if getattr(self, key) is not None:
                    raise PydanticCustomError(
                        "line_shape", "'{key}' and 'start' say the same thing twice; use "
                        "'start' only", {"key": key,
                                         "hint": "start: 2024-09 is year 2024 from month 9"})
            if self.until is not None:
                raise PydanticCustomError(
                    "line_shape", "a line with 'start' ends with 'end', not 'until'",
                    {"hint": "end: 2026-03 is in force through March 2026"})
        elif self.year is None:
            raise PydanticCustomError(
                "missing_year", "a line needs 'year' (or 'start', e.g. 2024-09)",
                {"hint": "add e.g. 'year: 2024'"})
        elif self.end is not None:
            raise PydanticCustomError("line_shape", "'end' goes with 'start'",
                                      {"hint": "write start: 2024-01 instead of year: 2024"})

    @property
    def first_year(self) -> int:
        """The year the line starts (from `year`, `start` or its first period)."""
        if self.periods is not None:
            return min(int(p.start[:4]) for p in self.periods)
        if self.start is not None:
            return int(self.start[:4])
        assert self.year is not None
        return self.year

    def spans(self, last: int) -> list[tuple[int, int]]:
        """The months in force as (first, last) month indexes (see `month_index`), inclusive,
        cut at the end of year `last` (the horizon's)."""
        stop = last * 12 + 11
        if self.periods is not None:
            pairs = [(p.start, p.end) for p in self.periods]
        elif self.start is not None:
            pairs = [(self.start, self.end)]
        else:
            assert self.year is not None
            first = self.year * 12 + (self.start_month or 1) - 1
            if self.type == "incidental":
                end = self.year * 12 + 11
            else:
                end = (self.until if self.until is not None else last) * 12 + 11
            return [(first, min(end, stop))]
        out = []
        for begin, finish in pairs:
            a = month_index(begin)
            if finish is not None:
                b = month_index(finish)
            elif self.type == "incidental":
                b = a // 12 * 12 + 11
            else:
                b = stop
            out.append((a, min(b, stop)))
        return out


class _StaffKeys(StrictModel):
    fte: FteByYear = Field(
        description="Staff in full-time equivalents; cost = fte × rate. Or fte from given "
        "years on: {2023: 0.8, 2024: 1}.")
    rate: Id = Field(description="Name of the rate in 'rates'.")


class _MeansKeys(StrictModel):
    amount: MoneyByYear = Field(
        description="Means (middelen): a yearly amount in whole euros. Or amounts from given "
        "years on: {2023: 10000, 2025: 8000}.")


class _PhasedKeys(StrictModel):
    total: Money | None = Field(
        None, description="The total of the multi-year budget, spread over years by "
        "'phasing'; required when the phasing is in shares.")
    phasing: PhasingMap = Field(
        description="The years of a multi-year budget: amounts {2024: 100000, 2025: "
        "200000} or shares of 'total' {2024: 40%, 2025: 60%}; they must add up to the total "
        "(or 100%).")


class _LineTail(StrictModel):
    income: Income | None = Field(None, description="What a partner pays towards this line "
                                  "(co-financing): a share or a yearly amount.")
    reserve: Id | None = Field(None, description="Id of the reserve that covers this line's "
                               "net cost (withdrawn each year it runs).")
    indexed: bool | None = Field(None, description="false: the amounts stay as written when "
                                 "the plan has indexation (default: indexed).")
    department: Text | None = Field(None, description="Department carrying the cost, when it "
                                                      "differs from the theme's.")
    note: Text | None = Field(None, description="Free text, e.g. the memo row it comes from.")


# A line's keys come in the order of the file format (head, time, kind, tail): pydantic
# takes the fields of a class's bases in reverse method resolution order, so each line class
# names its bases tail first. The order shows in dumps, the schema and `bdur diff`.

class StaffLine(_LineTail, _StaffKeys, _LineTimed):
    """Staff: fte × the named rate, incidental or structural."""

    kind: ClassVar[Literal["staff"]] = "staff"


class MeansLine(_LineTail, _MeansKeys, _LineTimed):
    """Means (middelen): an amount a year, incidental or structural."""

    kind: ClassVar[Literal["means"]] = "means"

    @model_validator(mode="after")
    def _one_off(self) -> Self:
        if self.type == "incidental":
            months = [k for k in ("start_month", "start", "end", "periods")
                      if getattr(self, k) is not None]
            if months:
                # A one-off bought in November costs its full amount: pro-rating it by the
                # months left would silently change the amount.
                raise PydanticCustomError(
                    "one_off_month", "an incidental means line is a one-off and is never "
                    "pro-rated; '{key}' would change its amount", {
                        "key": months[0],
                        "hint": "remove it and give 'year' only: the amount is paid in full "
                        "in that year (say the month in 'note')"})
        return self


class PhasedLine(_LineTail, _PhasedKeys, _LineHead):
    """A multi-year budget: a total (means) spread over years by its phasing."""

    kind: ClassVar[Literal["means"]] = "means"

    @model_validator(mode="after")
    def _phased(self) -> Self:
        if self.phasing.shares and self.total is None:
            raise PydanticCustomError("line_shape", "a phasing in shares needs the 'total' it "
                                      "shares out")
        if self.type != "incidental":
            raise PydanticCustomError("line_shape", "a phased budget is incidental (one-off "
                                      "money spread over years)",
                                      {"hint": "write type: incidental"})
        return self

    def phased_amounts(self) -> dict[int, Decimal]:
        """A phased budget per year in whole euros. Shares become euros so that the years add
        up to the total exactly: each year gets its cumulative share of the total, rounded
        half up, minus what the earlier years got."""
        if not self.phasing.shares:
            return dict(self.phasing.years)
        total = self.total or Decimal(0)
        out: dict[int, Decimal] = {}
        cumulative = given = Decimal(0)
        for year, share in self.phasing.years.items():
            cumulative += share
            upto = (total * cumulative).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            out[year] = upto - given
            given = upto
        return out

    @property
    def first_year(self) -> int:
        return min(self.phasing.years)

    def spans(self, last: int) -> list[tuple[int, int]]:
        """Whole years: a phased budget is never pro-rated."""
        return [(y * 12, y * 12 + 11) for y in self.phasing.years if y <= last]


LINE_CLASSES: dict[str, type[StaffLine | MeansLine | PhasedLine]] = {
    "staff": StaffLine, "means": MeansLine, "phased": PhasedLine}
_LINE_TYPES = (StaffLine, MeansLine, PhasedLine)
_KIND_KEYS = ("fte", "rate", "amount", "total", "phasing")
_TIME_KEYS = ("year", "start_month", "until", "start", "end", "periods")


def line_tag(value: Any) -> str | None:
    """Which kind of line a mapping is, by the keys it has (the file names no kind)."""
    # A mapping first: it runs twice for every line of a file (shape, then the union).
    if isinstance(value, dict):
        get = value.get
        if get("phasing") is not None or get("total") is not None:
            return "phased"
        if get("fte") is not None:
            return "staff"
        if get("amount") is not None:
            return "means"
        return None
    if isinstance(value, _LINE_TYPES):
        return "phased" if isinstance(value, PhasedLine) else value.kind
    return None


def line_shape(value: Any) -> Any:
    """A mapping that is no kind of line, or mixes the keys of two, is refused here with what
    to write instead, before the union picks a member by `line_tag`. A key written as null is
    left out, as it would be on a single model of every key."""
    if not isinstance(value, dict):
        if isinstance(value, _LINE_TYPES):
            return value
        raise PydanticCustomError("not_a_mapping", "expected a mapping of keys and values",
                                  {"class_name": "Line"})
    tag = line_tag(value)
    given = {k for k in _SHAPE_KEYS.intersection(value) if value[k] is not None}
    if tag == "phased":
        if "phasing" not in given:
            raise PydanticCustomError("line_shape", "'total' goes with 'phasing' (the years it "
                                      "is spread over)", {"hint": "add e.g. phasing: "
                                      "{2024: 40%, 2025: 60%}"})
        others = [k for k in ("fte", "rate", "amount", "year", "start_month", "until", "start",
                              "end", "periods") if k in given]
        if others:
            raise PydanticCustomError("line_shape", "a phased budget takes its years from "
                                      "'phasing'; drop '{key}'", {"key": others[0]})
    elif ("fte" in given) == ("amount" in given):
        raise PydanticCustomError(
            "line_shape", "a line has either 'fte' (with 'rate') or 'amount', not {what}",
            {"what": "both" if "fte" in given else "neither",
             "hint": "or, for a budget over several years, 'total' and 'phasing'"},
        )
    elif tag == "staff" and "rate" not in given:
        raise PydanticCustomError("line_shape", "a staff line needs a 'rate' next to 'fte'",
                                  {"hint": "add e.g. 'rate: internal'"})
    elif tag == "means" and "rate" in given:
        raise PydanticCustomError("line_shape", "'rate' belongs to fte, not to an amount")
    if None not in value.values():  # the common mapping: nothing to leave out
        return value
    own = _OWN_KEYS[str(tag)]
    return {k: v for k, v in value.items()
            if not (v is None and k in _LINE_KEYS and k not in own)}


_LINE_KEYS = frozenset(k for c in LINE_CLASSES.values() for k in c.model_fields)
_OWN_KEYS = {tag: frozenset(c.model_fields) for tag, c in LINE_CLASSES.items()}
_SHAPE_KEYS = frozenset((*_KIND_KEYS, *_TIME_KEYS))
#: One cost: staff (fte × rate), means (an amount a year) or a phased budget (a total over
#: years). A file names no kind: its keys tell (`line_tag`), and a mapping that mixes the
#: keys of two kinds gets its own message (`line_shape`).
Line = Annotated[Annotated[StaffLine, Tag("staff")] | Annotated[MeansLine, Tag("means")]
                 | Annotated[PhasedLine, Tag("phased")],
                 Discriminator(line_tag), BeforeValidator(line_shape)]


@cache
def _line_adapter() -> TypeAdapter[Line]:
    return TypeAdapter(Line)  # built on first use, as the models are (start-up time)


def validate_line(data: Any) -> Line:
    """A line from its keys (a scenario's changed or added line)."""
    return _line_adapter().validate_python(data)


class Theme(StrictModel):
    """A line of work (subthema) under a main goal, with its cost lines."""

    id: Id = Field(description="Stable id of the theme (subthema).")
    name: Text = Field(description="Name of the theme as in the memo.")
    goal: Id = Field(description="Id of the main goal in 'goals'.")
    department: Text | None = Field(None, description="Default department (afdeling/sector) "
                                                      "of its lines.")
    objectives: list[Annotated[str, Field(max_length=10)]] = Field(
        default_factory=_empty_list, description="RBP objectives served, e.g. ['1a', '4c']."
    )
    note: Text | None = Field(None, description="Free text.")
    lines: list[Line] = Field(default_factory=_empty_list, description="Staff and means lines.")


class StatedTotals(StrictModel):
    """Figures the author states for a year; `bdur check` reconciles them with the computed ones."""

    planned: Money | None = Field(None, description="Total planned (incidental + structural).")
    incidental: Money | None = Field(None, description="Incidental part.")
    structural: Money | None = Field(None, description="Structural part.")
    staff: Money | None = Field(None, description="Staff (fte) cost.")
    means: Money | None = Field(None, description="Means (middelen).")
    fte: Fte | None = Field(None, description="fte in force that year.")
    funding: Money | None = Field(None, description="Funding from every source, after "
                                  "adjustments.")
    income: Money | None = Field(None, description="Income from partners (co-financing).")
    net: Money | None = Field(None, description="Net cost: planned - income.")
    gap: SignedMoney | None = Field(None, description="Gap: funding - net cost (+ reserve "
                                    "withdrawals - additions); negative is a shortfall.")
    cumulative_gap: SignedMoney | None = Field(None, description="Gap summed from the first "
                                               "year.")
    reserve_balance: Money | None = Field(None, description="Closing balance of the reserves "
                                          "together.")


class PlannedWithinFunding(StrictModel):
    """Planned may not exceed funding in any year from `from_year` on."""

    from_year: Year = Field(description="First year in which planned may not exceed funding.")
    note: Text | None = Field(None, description="Why earlier years are exempt.")


class Rules(StrictModel):
    """Rules the file declares; `bdur check` enforces them."""

    structural_within_funding: bool = Field(
        False, description="Structural costs of every year stay within that year's funding "
        "('structureel sluitende begroting')."
    )
    planned_within_funding: PlannedWithinFunding | None = Field(
        None, description="Planned (incidental + structural) stays within funding per year."
    )


class Amendment(StrictModel):
    """A budget amendment (begrotingswijziging): a scenario the board adopted."""

    number: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="Its number, e.g. '2024-1'.")
    adopted: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] = Field(
        description="The date it was adopted, YYYY-MM-DD.")
    by: Text = Field(description="Who adopted it, e.g. 'Algemeen Bestuur'.")

    @model_validator(mode="after")
    def _real_date(self) -> Self:
        from datetime import date

        try:
            date.fromisoformat(self.adopted)
        except ValueError:
            raise PydanticCustomError("out_of_range", "'{v}' is not a date",
                                      {"v": self.adopted}) from None
        return self


# Here rather than in scenario.py so that `source.Loaded` can name it without importing the
# scenario module (no docstring: it would become the schema's description).
class ScenarioMeta(StrictModel):
    name: Text = Field(description="Short name of the scenario, e.g. 'Staff from 1 June 2023'.")
    description: Text | None = Field(None, description="What it models and why.")
    amendment: Amendment | None = Field(
        None, description="When the scenario is a budget amendment the board adopted: its "
        "number, date and who adopted it. `bdur realisation --as-of DATE` applies the "
        "amendments adopted by then.")


class Plan(StrictModel):
    """An allocation plan: the extra BDuR money of one region, spent over a horizon."""

    plan: PlanMeta = Field(description="Plan metadata and horizon.")
    funding: dict[Year, Funding] = Field(description="Funding per year of the horizon.")
    rates: dict[Id, Rate] = Field(description="Named yearly fte rates (internal, external ...).")
    goals: list[Goal] = Field(description="Main goals (hoofdthema's).")
    themes: list[Theme] = Field(description="Themes with their lines.")
    stated_totals: dict[Year, StatedTotals] = Field(
        default_factory=_empty_dict, description="Totals per year as stated in the source, to "
        "reconcile against (like a balance assertion)."
    )
    rules: Rules = Field(default_factory=Rules, description="Rules 'bdur check' enforces.")
    sources: list[Source] = Field(default_factory=_empty_list, description="Funding besides the "
                                  "BDuR: co-financing, other grants.")
    adjustments: list[Adjustment] = Field(
        default_factory=_empty_list, description="Changes of a funding source by a percentage from "
        "a year on, e.g. the BDuR cut {from_year: 2026, change: -10%}.")
    reserves: list[Reserve] = Field(default_factory=_empty_list, description="Earmarked reserves "
                                    "(bestemmingsreserves).")
    indexation: Indexation | None = Field(None, description="Wage and price indexation.")
    # Set by `flows.granted_only` on the plan it makes (`--funding granted`): the statuses
    # then say what was left out ('none granted'), not the status of money counted as 0.
    # Private: it is no key of the file and not in the schema.
    _granted_only: bool = PrivateAttr(default=False)

    @property
    def years(self) -> range:
        return self.plan.horizon.years

    @property
    def granted_only(self) -> bool:
        """Whether this is the plan on granted money alone (`flows.granted_only`)."""
        return self._granted_only


#: JSON object keys are strings: a YAML year key (2023) reaches a JSON Schema validator as "2023".
_YEAR_KEYS = {"propertyNames": {"pattern": "^(20[0-9]{2}|2100)$"}}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an allocation file (`bdur schema`, `bdur.schema.json`)."""
    schema = Plan.model_json_schema()
    props = schema["properties"]
    return finish_schema(schema, [props["funding"], props["stated_totals"]])


def finish_schema(schema: dict[str, Any], year_maps: list[dict[str, Any]]) -> dict[str, Any]:
    """What pydantic's JSON Schema misses: year keys are strings in JSON, and a rate name that
    misses the id pattern is refused by the model, so the schema refuses it too."""
    defs = schema["$defs"]
    inner = [defs["Rate"]["properties"]["by_year"]["anyOf"][0]]
    for name, keys in (("Source", ["amounts"]), ("Reserve", ["additions", "withdrawals"]),
                       ("Indexation", ["wages", "prices"])):
        if name in defs:
            inner += [defs[name]["properties"][key] for key in keys]
    for year_map in (*year_maps, *inner):
        year_map.update(_YEAR_KEYS)
    schema["properties"]["rates"]["additionalProperties"] = False
    for name in ("StaffLine", "MeansLine", "AddedStaffLine", "AddedMeansLine"):
        if name in defs:  # when it starts: a year, a start month, or periods
            defs[name]["anyOf"] = [{"required": [key]} for key in ("year", "start", "periods")]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


#: Every key the format knows, for "did you mean" hints on a misspelt key.
def known_keys() -> set[str]:
    keys: set[str] = set()
    for model in (Horizon, PlanMeta, Funding, Source, Adjustment, Income, Reserve, Indexation,
                  Rate, Goal, Period, *LINE_CLASSES.values(), Theme, StatedTotals,
                  PlannedWithinFunding, Rules, Plan):
        keys.update(model.model_fields)
    return keys
