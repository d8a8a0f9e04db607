"""The allocation file as pydantic models: the YAML contract.

Money is whole euros and fte a decimal, both `decimal.Decimal` from the file on. The loader
hands float-looking YAML scalars over as `YamlFloat` (their source text), so the validators here
see exactly what the author typed and can tell `1.5` fte from a Dutch `100.000` euro.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_MONEY = Decimal(10) ** 11  # €100 billion: more is a typo, not a plan
MAX_FTE = Decimal(10_000)
MIN_YEAR, MAX_YEAR = 2000, 2100


class YamlFloat(str):
    """A YAML scalar that PyYAML would have read as a float, kept as its source text."""

    __slots__ = ()


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
        return f"write {whole} (whole euros); YAML has no decimal comma"
    return f"write {whole} (or {int(whole):_}); YAML has no thousands separator"


def parse_money(value: Any) -> Decimal:
    """Whole euros: an int, a digit string, or a Decimal without fraction."""
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
        if not re.fullmatch(r"[+-]?\d[\d_]*", text):
            raise PydanticCustomError(
                "money_type", "expected an amount in whole euros, got '{text}'", {"text": text}
            )
        value = Decimal(text.replace("_", ""))
    elif isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise PydanticCustomError("float_money", "money is whole euros, got {v}",
                                      {"v": str(value)})
    else:
        raise PydanticCustomError("money_type", "expected an amount in whole euros, got {t}",
                                  {"t": type(value).__name__})
    if value < 0:
        raise PydanticCustomError("out_of_range", "an amount cannot be negative: {v}",
                                  {"v": str(value)})
    if value > MAX_MONEY:
        raise PydanticCustomError("out_of_range", "{v} is beyond any plausible amount",
                                  {"v": str(value), "hint": "amounts are in whole euros"})
    return value


def parse_fte(value: Any) -> Decimal:
    """Full-time equivalents: a positive decimal such as 1, 1.5 or 0.8."""
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
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError("fte_type", "expected a number of fte, got '{text}'",
                                      {"text": text}) from None
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
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, strict=True)]
Month = Annotated[int, Field(ge=1, le=12, strict=True)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, Field(max_length=2000)]


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt key must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Horizon(_Strict):
    """The planning horizon: first and last year, inclusive."""

    first: Year = Field(description="First year of the planning horizon, e.g. 2023.")
    last: Year = Field(description="Last year of the planning horizon, e.g. 2026.")

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.last < self.first:
            raise PydanticCustomError("horizon", "horizon ends ({last}) before it starts ({first})",
                                      {"first": self.first, "last": self.last})
        if self.last - self.first > 50:
            raise PydanticCustomError("horizon", "a horizon of more than 50 years is not a plan")
        return self

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)


class PlanMeta(_Strict):
    """What the plan is: region, title, source, currency and horizon."""

    region: Text = Field(description="The safety region, e.g. 'Veiligheidsregio Hollands Midden'.")
    title: Text = Field(description="Title of the plan.")
    source: Text | None = Field(None, description="Where the figures come from (memo, date).")
    currency: Literal["EUR"] = Field("EUR", description="Currency of every amount; only EUR.")
    horizon: Horizon = Field(description="The years the plan covers.")


class Funding(_Strict):
    """The extra BDuR money for one year."""

    amount: Money = Field(description="Extra BDuR money for the year, whole euros.")
    status: Literal["granted", "forecast"] = Field(
        description="'granted' (toegekend, e.g. by letter) or 'forecast' (prognose)."
    )
    note: Text | None = Field(None, description="Where the amount comes from.")


class Rate(_Strict):
    """The yearly cost of 1 fte: one amount, or amounts from given years on."""

    amount: Money | None = Field(None, description="Yearly cost of 1 fte, whole euros.")
    by_year: dict[Year, Money] | None = Field(
        None,
        description="Yearly cost of 1 fte from each listed year on, when it changes over time "
        "(e.g. {2023: 100000, 2025: 104000}). Use either amount or by_year.",
    )
    note: Text | None = Field(None, description="What the rate stands for.")

    @model_validator(mode="after")
    def _one_of(self) -> Rate:
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


class Goal(_Strict):
    """A main goal (hoofdthema) that themes belong to."""

    id: Id = Field(description="Stable id of the main goal (hoofdthema), used by themes.")
    name: Text = Field(description="Name of the main goal.")
    short: Text | None = Field(None, description="Short label as in the memo's Table 2.")
    rcdv: list[Annotated[int, Field(ge=1, le=9)]] = Field(
        default_factory=list, description="National (RCDV) goal numbers this goal serves."
    )
    note: Text | None = Field(None, description="Free text.")


class Line(_Strict):
    """One cost: staff (fte × rate) or means (an amount), incidental or structural."""

    id: Id = Field(description="Stable id, unique in the file (lowercase, digits, - _ .).")
    type: Literal["incidental", "structural"] = Field(
        description="'incidental' (one year) or 'structural' (every year from 'year' on)."
    )
    year: Year = Field(description="The year of an incidental line; the first year of a "
                                   "structural one.")
    until: Year | None = Field(None, description="Last year of a structural line (inclusive); "
                                                 "default: the end of the horizon.")
    start_month: Month | None = Field(
        None, description="Month (1-12) the line starts in its first year; that year is "
        "pro-rated by (13 - month) / 12."
    )
    fte: Fte | None = Field(None, description="Staff in full-time equivalents; cost = fte × rate.")
    rate: Id | None = Field(None, description="Name of the rate in 'rates' (with fte).")
    amount: Money | None = Field(None, description="Means (middelen): a yearly amount in whole "
                                                   "euros (instead of fte).")
    department: Text | None = Field(None, description="Department carrying the cost, when it "
                                                      "differs from the theme's.")
    note: Text | None = Field(None, description="Free text, e.g. the memo row it comes from.")

    @model_validator(mode="after")
    def _shape(self) -> Line:
        if (self.fte is None) == (self.amount is None):
            raise PydanticCustomError(
                "line_shape", "a line has either 'fte' (with 'rate') or 'amount', not {what}",
                {"what": "both" if self.fte is not None else "neither"},
            )
        if self.fte is not None and self.rate is None:
            raise PydanticCustomError("line_shape", "a staff line needs a 'rate' next to 'fte'",
                                      {"hint": "add e.g. 'rate: internal'"})
        if self.amount is not None and self.rate is not None:
            raise PydanticCustomError("line_shape", "'rate' belongs to fte, not to an amount")
        if self.until is not None:
            if self.type == "incidental":
                raise PydanticCustomError("line_shape", "'until' is for structural lines only")
            if self.until < self.year:
                raise PydanticCustomError(
                    "line_shape", "'until' ({until}) is before 'year' ({year})",
                    {"until": self.until, "year": self.year})
        return self

    @property
    def kind(self) -> Literal["staff", "means"]:
        return "staff" if self.fte is not None else "means"


class Theme(_Strict):
    """A line of work (subthema) under a main goal, with its cost lines."""

    id: Id = Field(description="Stable id of the theme (subthema).")
    name: Text = Field(description="Name of the theme as in the memo.")
    goal: Id = Field(description="Id of the main goal in 'goals'.")
    department: Text | None = Field(None, description="Default department (afdeling/sector) "
                                                      "of its lines.")
    objectives: list[Annotated[str, Field(max_length=10)]] = Field(
        default_factory=list, description="RBP objectives served, e.g. ['1a', '4c']."
    )
    note: Text | None = Field(None, description="Free text.")
    lines: list[Line] = Field(default_factory=list, description="Staff and means lines.")


class StatedTotals(_Strict):
    """Figures the author states for a year; `bdur check` reconciles them with the computed ones."""

    planned: Money | None = Field(None, description="Total planned (incidental + structural).")
    incidental: Money | None = Field(None, description="Incidental part.")
    structural: Money | None = Field(None, description="Structural part.")
    staff: Money | None = Field(None, description="Staff (fte) cost.")
    means: Money | None = Field(None, description="Means (middelen).")
    fte: Fte | None = Field(None, description="fte in force that year.")


class PlannedWithinFunding(_Strict):
    """Planned may not exceed funding in any year from `from_year` on."""

    from_year: Year = Field(description="First year in which planned may not exceed funding.")
    note: Text | None = Field(None, description="Why earlier years are exempt.")


class Rules(_Strict):
    """Rules the file declares; `bdur check` enforces them."""

    structural_within_funding: bool = Field(
        False, description="Structural costs of every year stay within that year's funding "
        "('structureel sluitende begroting')."
    )
    planned_within_funding: PlannedWithinFunding | None = Field(
        None, description="Planned (incidental + structural) stays within funding per year."
    )


class Amendment(_Strict):
    """A budget amendment (begrotingswijziging): a scenario the board adopted."""

    number: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="Its number, e.g. '2024-1'.")
    adopted: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] = Field(
        description="The date it was adopted, YYYY-MM-DD.")
    by: Text = Field(description="Who adopted it, e.g. 'Algemeen Bestuur'.")

    @model_validator(mode="after")
    def _real_date(self) -> Amendment:
        from datetime import date

        try:
            date.fromisoformat(self.adopted)
        except ValueError:
            raise PydanticCustomError("out_of_range", "'{v}' is not a date",
                                      {"v": self.adopted}) from None
        return self


# Here rather than in scenario.py so that `source.Loaded` can name it without importing the
# scenario module (no docstring: it would become the schema's description).
class ScenarioMeta(_Strict):
    name: Text = Field(description="Short name of the scenario, e.g. 'Staff from 1 June 2023'.")
    description: Text | None = Field(None, description="What it models and why.")
    amendment: Amendment | None = Field(
        None, description="When the scenario is a budget amendment the board adopted: its "
        "number, date and who adopted it. `bdur realisation --as-of DATE` applies the "
        "amendments adopted by then.")


class Plan(_Strict):
    """An allocation plan: the extra BDuR money of one region, spent over a horizon."""

    plan: PlanMeta = Field(description="Plan metadata and horizon.")
    funding: dict[Year, Funding] = Field(description="Funding per year of the horizon.")
    rates: dict[Id, Rate] = Field(description="Named yearly fte rates (internal, external ...).")
    goals: list[Goal] = Field(description="Main goals (hoofdthema's).")
    themes: list[Theme] = Field(description="Themes with their lines.")
    stated_totals: dict[Year, StatedTotals] = Field(
        default_factory=dict, description="Totals per year as stated in the source, to "
        "reconcile against (like a balance assertion)."
    )
    rules: Rules = Field(default_factory=Rules, description="Rules 'bdur check' enforces.")

    @property
    def years(self) -> range:
        return self.plan.horizon.years


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
    for year_map in (*year_maps, defs["Rate"]["properties"]["by_year"]["anyOf"][0]):
        year_map.update(_YEAR_KEYS)
    schema["properties"]["rates"]["additionalProperties"] = False
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


#: Every key the format knows, for "did you mean" hints on a misspelt key.
def known_keys() -> set[str]:
    keys: set[str] = set()
    for model in (Horizon, PlanMeta, Funding, Rate, Goal, Line, Theme, StatedTotals,
                  PlannedWithinFunding, Rules, Plan):
        keys.update(model.model_fields)
    return keys
