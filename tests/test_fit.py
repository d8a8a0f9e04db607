"""Every table fits the terminal without losing a digit: rendered at 80, 100, 120 and 200
columns, in both locales, every amount of the wide rendering appears whole in the narrow one,
no line is wider than the terminal, and nothing is cut with an ellipsis."""

from __future__ import annotations

import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import IO

import pytest

from conftest import PLAN, ROOT, bdur

SCENARIO = str(ROOT / "data" / "scenarios" / "staff-from-june-2023.yaml")
CUT = str(ROOT / "data" / "scenarios" / "bdur-cut-2026.yaml")

COMMANDS = {
    "totals": ["totals", "-f", str(PLAN)],
    "totals thousand": ["totals", "-f", str(PLAN), "--unit", "thousand"],
    "totals YEAR": ["totals", "2024", "-f", str(PLAN)],
    "totals scenario YEAR": ["totals", "2023", "-f", SCENARIO],
    "report": ["report", "-f", str(PLAN)],
    "report --fte": ["report", "--fte", "-f", str(PLAN)],
    "report --incidental": ["report", "--incidental", "-f", str(PLAN)],
    "report --by theme": ["report", "--by", "theme", "-f", str(PLAN)],
    "report --by department": ["report", "--by", "department", "-f", str(PLAN)],
    "report thousand": ["report", "--unit", "thousand", "-f", str(PLAN)],
    "compare": ["compare", str(PLAN), SCENARIO, CUT],
    "compare --explain": ["compare", str(PLAN), SCENARIO, "--explain"],
    "chart": ["chart", "-f", str(PLAN)],
    "check": ["check", str(ROOT / "tests" / "examples" / "negative" / "over-funding.yaml")],
}
WIDTHS = [80, 100, 120, 200]

#: An amount as the tables print it: €1,407,149 / -€277,851 / +€1,207 / € 1.407.149 / € -277.851
AMOUNT = re.compile(r"[+-]?€[ \u00a0]?[+-]?\d{1,3}(?:[.,]\d{3})*(?![\d])")


def render(args: list[str], width: int, locale: str) -> str:
    extra = ["--locale", locale] if args[0] != "check" else []
    result = bdur(*args, *extra, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return result.stdout


#: fte as Table 1 prints it: 1, 1.5, 12 (a year has four digits and is a header, not a figure)
FTE = re.compile(r"(?<![\w.,/-])\d{1,3}(?:[.,]\d+)?(?![\w.,])")


def amounts(text: str, pattern: re.Pattern[str] = AMOUNT) -> Counter[str]:
    return Counter(m.replace("\u00a0", " ") for m in pattern.findall(text))


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_amount_whole_at_every_width(name: str, locale: str) -> None:
    pattern = FTE if name == "report --fte" else AMOUNT
    wide = render(COMMANDS[name], 200, locale)
    expected = amounts(wide, pattern)
    assert expected, f"{name}: no amounts found in\n{wide}"
    for width in WIDTHS:
        text = wide if width == 200 else render(COMMANDS[name], width, locale)
        assert "…" not in text, (name, width, text)
        if name != "check":  # findings are lines of text the terminal wraps, not a table
            too_wide = [line for line in text.splitlines() if len(line) > width]
            assert not too_wide, (name, width, too_wide)
        got = amounts(text, pattern)
        assert got == expected, (name, width, got - expected, expected - got, text)


@pytest.mark.parametrize("width", WIDTHS)
def test_totals_shows_every_figure_of_the_json(width: int) -> None:
    # An independent route to the amounts: the json contract, formatted by hand.
    data = json.loads(bdur("totals", "-f", str(PLAN), "--format", "json").stdout)
    text = render(COMMANDS["totals"], width, "en")
    for year in data:
        for key in ("funding", "planned", "incidental", "structural", "staff", "means"):
            assert f"€{year[key]:,}" in text, (width, key, year[key])
        for key in ("gap", "cumulative_gap"):
            assert f"{'+' if year[key] >= 0 else '-'}€{abs(year[key]):,}" in text


def test_the_dutch_money_cell_does_not_break_after_the_euro_sign() -> None:
    text = render(COMMANDS["totals"], 80, "nl")
    assert "€\u00a01.407.149" in text and "€ 1.407.149" not in text


def test_at_80_columns_totals_turns_its_years_into_columns() -> None:
    text = render(COMMANDS["totals"], 80, "en")
    assert text.splitlines()[2].split() == ["2023", "2024", "2025", "2026"]
    assert " Cumulative gap   -€277,851   -€132,851   +€412,149  +€1,207,149" in text


def test_too_narrow_says_how_to_see_it() -> None:
    text = " ".join(render(COMMANDS["report"], 20, "en").split())
    assert re.search(r"\(this table needs 1\d\d columns and the terminal has 20; widen it, or "
                     r"see the table whole with --format markdown or -o FILE\)", text), text


# --- piped output: as wide as the terminal it is read in ----------------------------------------

@pytest.fixture
def terminal_80() -> Iterator[IO[str]]:
    """A pseudo-terminal 80 columns wide, as a stream (stderr or stdin of `bdur ... | less`)."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with os.fdopen(slave, "w") as stream:
        yield stream
    os.close(master)


def test_piped_output_takes_the_width_of_the_terminal_around_it(
        terminal_80: IO[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from bdur_cli.render.console import console, piped_width

    assert piped_width((io.StringIO(), terminal_80)) == 80  # stderr a pipe, stdin a terminal
    assert piped_width((io.StringIO(), io.StringIO())) == 200  # no terminal: CI, a file
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("sys.stderr", terminal_80)
    assert console(io.StringIO()).width == 80  # stdout piped, stderr on the terminal
    monkeypatch.setenv("COLUMNS", "120")
    assert console(io.StringIO()).width == 120  # COLUMNS still decides when it is set


def test_a_name_column_keeps_room_for_its_longest_word() -> None:
    # Two name columns and an amount at 50 columns: the long word keeps its 17 columns and
    # the note wraps at its spaces into 13 (before: 15 and 19, 'Informatiepos' / 'itie').
    from rich.console import Console

    from bdur_cli.render.fit import FitTable

    table = FitTable("Theme", "Note", "Amount")
    table.columns[2].justify = "right"
    table.add_row("Informatiepositie", "a note of several words that can wrap at spaces",
                  "€1,234,567")
    out = io.StringIO()
    Console(file=out, width=50, no_color=True, highlight=False).print(table)
    text = out.getvalue()
    assert "│ Informatiepositie │ a note of     │ €1,234,567 │" in text
    assert "│                   │ several words │            │" in text
    assert max(len(line) for line in text.splitlines()) <= 50
    # Every word of the note whole, on some line.
    words = {w for line in text.splitlines() for w in line.split()}
    assert {"several", "words", "spaces"} <= words
