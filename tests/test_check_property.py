"""Property: any mutation of the shipped plan passes, or fails cleanly with located findings.

A mutation changes a value, a key, a type, the indentation, or deletes, duplicates or
scrambles a line. Whatever comes out, `bdur check` exits 0, 1 or 2 and every line it prints
is a finding `path[:line:col]: level: message [code]` (or a quoted source line, a caret, a
hint); never a traceback, never an "internal error". Bounded and derandomized for CI.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import PLAN, bdur

pytestmark = pytest.mark.slow  # hundreds of plans each: `python -m pytest -m slow`
LINES = PLAN.read_text(encoding="utf-8").splitlines()
# Lines with a `key: value` to play with (comments and list dashes kept or not).
KEYED = [i for i, line in enumerate(LINES) if re.match(r"^\s*(- )?[a-z_0-9]+:", line)]

NASTY_VALUES = [
    "100.000", "1.407.149", "1.685.000,50", "1,5", "100000.5", "1e9", "-1", "0", "-0.5",
    "99999999999999999999", "0x10", "0o17", ".inf", "-.nan", "true", "no", "null", "~", "''",
    "[]", "{}", "[1, 2]", "{a: 1}", "2023-02-23", "12:30", "&a 1", "*a", "!!binary aGVsbG8=",
    "!!python/object/apply:os.system ['true']", "'1650000'", '"2024"', "|\n  text", "é€",
    "2022", "2101", "13", "external", "extern", "incidental", "structureel", "x" * 3000,
]

_FINDING = re.compile(r"^(?P<path>\S[^:]*?)(:(?P<line>\d+):(?P<col>\d+))?: (error|warning): "
                      r".+ \[[a-z][a-z-]*\]$")
_QUOTE = re.compile(r"^ \d+ \|( |$)|^ +\| +\^$|^  hint: ")


def _set_value(line: str, value: str) -> str:
    key, _, _ = line.partition(":")
    return f"{key}: {value}"


def _rename_key(line: str, name: str) -> str:
    _, _, rest = line.partition(":")
    indent = re.match(r"^\s*(- )?", line).group(0)  # type: ignore[union-attr]
    return f"{indent}{name}:{rest}"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        # Weighted towards edits that keep the YAML readable, so the model and rules are hit.
        op = draw(st.sampled_from(["value"] * 5 + ["key"] * 2 + [
            "indent", "delete", "duplicate", "text", "swap"]))
        i = draw(st.sampled_from(KEYED)) if op in ("value", "key") else \
            draw(st.integers(0, len(lines) - 1))
        if op == "value":
            value = draw(st.one_of(st.sampled_from(NASTY_VALUES),
                                   st.integers(-10**15, 10**15).map(str),
                                   st.decimals(allow_nan=False, places=3).map(str)))
            lines[i] = _set_value(lines[i], value)
        elif op == "key":
            name = draw(st.one_of(st.sampled_from(["regoin", "amount", "fte", "id", "2023",
                                                   "yaer", "stauts", "<<"]),
                                  st.from_regex(r"[a-z_]{1,12}", fullmatch=True)))
            lines[i] = _rename_key(lines[i], name)
        elif op == "indent":
            prefix = draw(st.sampled_from([" ", "  ", "\t", "    ", ""]))
            lines[i] = prefix + (lines[i].lstrip() if draw(st.booleans()) else lines[i])
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "text":
            lines[i] = draw(st.text(max_size=40))
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "\n".join(lines) + "\n"


NUMERIC = [i for i in KEYED if re.match(r"^\s*(- )?(amount|fte|year|until|start_month|"
                                        r"from_year|first|last|20\d\d):", LINES[i])]


@st.composite
def one_number_changed(draw: st.DrawFn) -> str:
    lines = list(LINES)
    i = draw(st.sampled_from(NUMERIC))
    value = draw(st.one_of(st.integers(-10**13, 10**13), st.integers(0, 13),
                           st.integers(1990, 2110), st.decimals(-10**6, 10**6, places=2),
                           st.sampled_from(NASTY_VALUES)))
    lines[i] = _set_value(lines[i], str(value))
    return "\n".join(lines) + "\n"


_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(text=one_number_changed())
def test_a_changed_number_passes_or_fails_cleanly(text: str) -> None:
    _check_cleanly(text)


@_SETTINGS
@given(text=mutated())
def test_mutations_pass_or_fail_cleanly(text: str) -> None:
    _check_cleanly(text)


def _check_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = bdur("check", path)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    codes = sorted(set(re.findall(r" \[([a-z-]+)\]$", result.stdout, re.M)))
    event(f"exit {result.exit_code}: {' '.join(codes)}")
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err and "internal error" not in out + err
    assert re.fullmatch(r"bdur check: 1 file, \d+ errors?, \d+ warnings?\n", err)
    findings = [line for line in out.splitlines() if not _QUOTE.match(line)]
    for line in findings:
        m = _FINDING.match(line)
        assert m, f"not a finding: {line!r}"
        assert m["path"] == str(path)
        # An invalid plan is always pointed at a line; only an unreadable file may not be.
        if result.exit_code == 1 and " error: " in line:
            assert m["line"] and int(m["line"]) >= 1, line
    if result.exit_code:
        assert any(" error: " in line for line in findings)
    else:
        _other_commands_cleanly(path_text=text)


# A plan that passes the gate must also go through every command that reads it.
_COMMANDS = [["totals"], ["totals", "2023", "--format", "json"], ["report"],
             ["report", "--fte"], ["report", "--incidental", "--format", "markdown"],
             ["report", "--by", "department", "--locale", "nl", "--unit", "thousand"],
             ["chart"]]


def _other_commands_cleanly(path_text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(path_text, encoding="utf-8", errors="surrogatepass")
        for args in _COMMANDS:
            result = bdur(*args, "-f", path)
            assert (result.exit_code, result.stderr) == (0, ""), (args, result.stderr)
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                (args, repr(result.exception))
