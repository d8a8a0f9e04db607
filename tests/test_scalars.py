"""The scalar rules (bdur_cli/scalars.py): which texts are numbers, and which text is refused.

Expected values are worked by hand: 0x1578dd = 0x15 * 65536 + 0x78dd = 1,376,256 + 30,941.
"""

from __future__ import annotations

import pytest

from bdur_cli.scalars import (
    FLOAT_TAG,
    INT_TAG,
    MAX_DIGITS,
    control_offset,
    control_problem,
    is_plain_number,
    number_problem,
)


@pytest.mark.parametrize("text", ["0", "-0", "7", "1685000", "1_685_000", "+12", "-2", "1.5",
                                  "0.25", "10.000_1", "1_0.5"])
def test_plain_decimals_are_numbers(text: str) -> None:
    assert is_plain_number(text)
    assert number_problem(text, INT_TAG) is None
    assert number_problem(text, FLOAT_TAG) is None
    assert number_problem(text) is None


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("1:30", "'1:30' is a base-60 (sexagesimal) number (YAML 1.1 reads 90), not a plain "
             "decimal", "write 90 if you mean that number; quote it ('1:30') if it is text"),
    ("2:00:01", "'2:00:01' is a base-60 (sexagesimal) number (YAML 1.1 reads 7201), not a "
                "plain decimal", "write 7201 if you mean that number; quote it ('2:00:01') "
                "if it is text"),
    ("0b101", "'0b101' is a binary number (YAML 1.1 reads 5), not a plain decimal",
     "write it in decimal: 5"),
    ("0x1578dd", "'0x1578dd' is a hexadecimal number (YAML 1.1 reads 1407197), not a plain "
                 "decimal", "write it in decimal: 1407197"),
    ("0o17", "'0o17' is an octal number (YAML 1.1 reads 15), not a plain decimal",
     "write it in decimal: 15"),
    ("010", "'010' is an octal number (YAML 1.1 reads 8), not a plain decimal",
     "write '010' in quotes if it is a code (an account, a cost centre), or 10 if it is a "
     "number"),
    ("-017", "'-017' is an octal number (YAML 1.1 reads -15), not a plain decimal",
     "write '-017' in quotes if it is a code (an account, a cost centre), or -17 if it is a "
     "number"),
    # 0820 is no octal number (8 is no octal digit), but as likely an account code as 0720.
    ("0820", "'0820' has a leading zero, not a plain decimal",
     "write '0820' in quotes if it is a code (an account, a cost centre), or 820 if it is a "
     "number"),
    ("1e3", "'1e3' is a number with an exponent, not a plain decimal",
     "write all its digits, e.g. 1000 for 1e3"),
    (".inf", "'.inf' is infinity or not-a-number, not a plain decimal",
     "write an amount in digits"),
    ("-.NaN", "'-.NaN' is infinity or not-a-number, not a plain decimal",
     "write an amount in digits"),
])
def test_yaml_1_1_number_forms_are_refused_with_what_to_write(text: str, message: str,
                                                               hint: str) -> None:
    for tag in (INT_TAG, FLOAT_TAG, None):
        problem = number_problem(text, tag)
        assert problem is not None
        assert (problem.code, problem.message, problem.hint) == ("yaml-number", message, hint)


@pytest.mark.parametrize("text", [".5", "1.", "1_", "1__000", "_1", "012.5", "00"])
def test_sloppy_decimals_are_refused(text: str) -> None:
    problem = number_problem(text, FLOAT_TAG)
    assert problem is not None and problem.code == "yaml-number"
    assert not is_plain_number(text)


def test_explicit_number_tags_are_refused_even_on_a_plain_value() -> None:
    problem = number_problem("16", INT_TAG, explicit=True)
    assert problem is not None
    assert (problem.code, problem.message, problem.hint) == (
        "yaml-tag", "the tag !!int is not supported: a number is written plainly", "write 16")
    problem = number_problem("0x10", INT_TAG, explicit=True)
    assert problem is not None and problem.hint == ("write the number plainly, without a tag "
                                                   "or quotes")
    problem = number_problem("1.5", FLOAT_TAG, explicit=True)
    assert problem is not None and problem.message.startswith("the tag !!float ")


def test_the_digit_limit_has_its_own_code_and_holds_at_the_boundary() -> None:
    assert number_problem("9" * MAX_DIGITS, INT_TAG) is None
    problem = number_problem("9" * (MAX_DIGITS + 1), INT_TAG)
    assert problem is not None and problem.code == "too-many-digits"
    assert problem.message == "a number of 31 digits; bdur reads at most 30"
    # Python's own int() limit (4,300 digits) is never reached.
    big = number_problem("1" * 4301, INT_TAG)
    assert big is not None and big.message == "a number of 4,301 digits; bdur reads at most 30"


def test_text_that_is_no_number_is_left_to_the_model_message() -> None:
    assert number_problem("abc") is None
    assert number_problem("١٢٣") is None  # Arabic-Indic digits: not plain digits either
    assert not is_plain_number("١٢٣")
    assert not is_plain_number("²")


@pytest.mark.parametrize(("text", "label"), [
    ("\x1b[2J", "U+001B (ESC)"), ("a\rb", "U+000D (CR)"), ("\x7f", "U+007F (DEL)"),
    ("\x9b31m", "U+009B (CSI)"), ("x\x85", "U+0085 (NEL)"), ("\x00", "U+0000 (NUL)"),
    ("\x07", "U+0007 (BEL)"), ("abc\u202edcba", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\x1b]0;title\x07", "U+001B (ESC)"),
])
def test_control_characters_are_refused(text: str, label: str) -> None:
    problem = control_problem(text)
    assert problem is not None
    assert (problem.code, problem.message) == (
        "control-character", f"text contains the control character {label}")


def test_tab_newline_and_ordinary_unicode_are_text() -> None:
    for text in ["a\tb", "line one\nline two\n", "€ 1.685.000", "Zoë – ‘crisis’", ""]:
        assert control_problem(text) is None
        assert control_offset(text) == -1
    assert control_offset("ab\x1bc") == 2
