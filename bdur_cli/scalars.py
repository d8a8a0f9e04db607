"""What a YAML scalar may be, beyond what YAML itself allows: numbers written plainly, and text
without control characters. Pure functions of the scalar's text, for the loader (and the
models) to call on every number and every quoted or block text.

YAML 1.1, which PyYAML follows, reads `1:30` as 90 (base 60), `0b101` as 5, `010` as 8,
`0x1578dd` as 1,407,197, and `!!int '16'` as a number: each a silent wrong figure in a budget.
Only plain decimals are numbers here: `1685000`, `1_685_000`, `1.5`, `-2`. Everything else that
YAML would read as a number is refused with what to write instead (docs/file-format.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: A number with more digits is refused before Python converts it (int() stops at 4,300
#: digits); no budget figure comes near: €100 billion has 12, fte has at most 4 decimals.
MAX_DIGITS = 30

_DIGITS = r"[0-9](?:_?[0-9])*"
#: A plain decimal: optional sign, no leading zero (010 is octal in YAML 1.1), underscores
#: only between digits, digits on both sides of a decimal point.
PLAIN_NUMBER = re.compile(rf"[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.{_DIGITS})?")

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a scalar is refused: a finding's code, message and hint."""

    code: str
    message: str
    hint: str | None = None


def is_plain_number(text: str) -> bool:
    return PLAIN_NUMBER.fullmatch(text) is not None


def _value(text: str) -> int | None:
    """What YAML 1.1 makes of an integer form, for the message; None if it is no integer."""
    t = text.replace("_", "")
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    try:
        if ":" in t:  # sexagesimal: 1:30 = 1 * 60 + 30
            value = 0
            for part in t.split(":"):
                value = value * 60 + int(part)
            return sign * value
        if t[:2].lower() in ("0x", "0b", "0o"):
            return sign * int(t, {"x": 16, "b": 2, "o": 8}[t[1].lower()])
        if len(t) > 1 and t.startswith("0") and t.isdigit():
            return sign * int(t, 8)
    except ValueError:
        return None
    return None


def number_problem(text: str, tag: str | None = None, explicit: bool = False
                   ) -> Problem | None:
    """Why `text` is not accepted as a number, or None when it is a plain decimal.

    Call it for every scalar that YAML resolves to an int or a float (`tag`), with `explicit`
    when the tag was written (`!!int`, `!!float`); and for text a model is asked to read as
    a number (then `tag` is None).
    """
    body = text.strip()
    digits = sum(ch.isdigit() for ch in body)
    if digits > MAX_DIGITS:
        return Problem("too-many-digits", f"a number of {digits:,} digits; bdur reads at most "
                       f"{MAX_DIGITS}", "no amount or fte has that many; look for a paste "
                       "gone wrong")
    if explicit and tag in (INT_TAG, FLOAT_TAG):
        kind = "!!int" if tag == INT_TAG else "!!float"
        plain = body if is_plain_number(body) else None
        return Problem("yaml-tag", f"the tag {kind} is not supported: a number is written "
                       "plainly", f"write {plain}" if plain else "write the number plainly, "
                       "without a tag or quotes")
    if is_plain_number(body):
        return None
    compact = body.replace("_", "").lstrip("+-")
    value = _value(body)
    reads = f" (YAML 1.1 reads {value})" if value is not None else ""
    if ":" in compact:
        what = "a base-60 (sexagesimal) number" + reads
        hint = (f"write {value} if you mean that number; quote it ('{body}') if it is text"
                if value is not None else f"quote it ('{body}') if it is text")
    elif compact[:2].lower() in ("0x", "0b", "0o"):
        what = {"x": "a hexadecimal", "b": "a binary", "o": "an octal"}[compact[1].lower()]
        what += " number" + reads
        hint = f"write it in decimal: {value}" if value is not None else \
            "write it in decimal digits"
    elif value is not None:  # 010: octal in YAML 1.1
        # A leading zero is most often a code (ledger account 0720, cost centre 0410): then
        # it is text and is quoted; only a number loses the zero.
        what = "an octal number" + reads
        hint = (f"write '{body}' in quotes if it is a code (an account, a cost centre), or "
                f"{'-' if body.startswith('-') else ''}{compact.lstrip('0') or '0'} if it is "
                "a number")
    elif re.fullmatch(r"0[0-9]+", compact):  # 0820: no octal, still a code more often
        return Problem("yaml-number", f"'{body}' has a leading zero, not a plain decimal",
                       f"write '{body}' in quotes if it is a code (an account, a cost centre), "
                       f"or {'-' if body.startswith('-') else ''}{compact.lstrip('0')} if it "
                       "is a number")
    elif compact.lower().lstrip(".") in ("inf", "nan"):
        what, hint = "infinity or not-a-number", "write an amount in digits"
    elif re.fullmatch(r"[0-9]*\.?[0-9]*[eE][+-]?[0-9]+", compact):
        what, hint = "a number with an exponent", "write all its digits, e.g. 1000 for 1e3"
    elif re.fullmatch(r"[0-9_]*\.?[0-9_]*", body.lstrip("+-")) and digits:
        return Problem("yaml-number", f"'{body}' is not a plain decimal", "write digits on "
                       "both sides of a point (0.5, not .5), no leading zero, and _ only "
                       "between two digits")
    else:
        return None if tag is None else Problem(
            "yaml-number", f"'{body}' is read by YAML as a number, but not as a plain decimal",
            "write the number in plain decimal digits, or quote it if it is text")
    return Problem("yaml-number", f"'{body}' is {what}, not a plain decimal", hint)


# --- text ------------------------------------------------------------------------------------

#: Tab and newline are what YAML text may hold (a block `|` note has newlines); every other C0
#: character, DEL, the C1 range (with CSI and NEL) and the bidirectional overrides that make
#: text read differently from how it is stored ("Trojan source") are refused.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_NAMES = {"\x1b": "ESC", "\x7f": "DEL", "\r": "CR", "\x00": "NUL", "\x07": "BEL",
          "\x08": "BS", "\x9b": "CSI", "\x85": "NEL", "\x0c": "FF", "\x0b": "VT"}


def control_problem(text: str) -> Problem | None:
    """A control character in text: an escape sequence would reach the terminal that shows
    the name, a CR can overwrite what was printed before it."""
    match = _CONTROL.search(text)
    if match is None:
        return None
    ch = match.group()
    name = _NAMES.get(ch) or unicodedata.name(ch, "")
    label = f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
    return Problem("control-character", f"text contains the control character {label}",
                   "remove it; a name or note is plain text (a \\e or \\x.. escape in "
                   "double quotes makes one)")


def control_offset(text: str) -> int:
    """Where the first control character of `text` is (-1 if none)."""
    match = _CONTROL.search(text)
    return -1 if match is None else match.start()


def visible(text: str) -> str:
    """`text` safe for a terminal: each control character (tab included) becomes U+FFFD, so
    that a file name or a ledger description cannot act on the terminal that shows it."""
    return _SHOWN.sub("\N{REPLACEMENT CHARACTER}", text)


_SHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def decimal_comma_hint(whole: str, fraction: str, money: bool) -> str:
    """What to write for `whole,fraction` (a Dutch decimal comma): the number it means, or for
    money its whole euros rounded half up (100,5 -> 101), never a silently cut figure."""
    if not money:
        return f"write {whole}.{fraction}; YAML has no decimal comma"
    exact = Decimal(f"{whole}.{fraction}")
    rounded = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounded == exact:
        return f"write {rounded}; YAML has no decimal comma"
    return (f"write {rounded} (whole euros: {whole}.{fraction} rounded half up); YAML has no "
            "decimal comma")


_EURO = re.compile(r"^(?:€|EUR|eur)\s*|\s*(?:€|EUR|eur)$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[.,' ][0-9]{3})+$")


def money_hint(text: str) -> str | None:
    """What to write for an amount typed the way a document shows it: `€ 95.000`,
    `95.000 EUR`, `€95,000`, `1 650 000` -> write 95000 (or None when it is not that)."""
    body = _EURO.sub("", text.strip()).strip()
    if body == text.strip() and not _GROUPED.match(body):
        return None
    if _GROUPED.match(body) and len({ch for ch in body if not ch.isdigit()}) == 1:
        whole = re.sub(r"[^0-9]", "", body)
        return f"write {int(whole)}: whole euros, without a currency sign or separators"
    if is_plain_number(body):
        return f"write {body}: an amount without a currency sign"
    return None
