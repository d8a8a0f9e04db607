"""`bdur check`'s text follows the terminal's width: with COLUMNS (or a terminal on stdout) a
quoted line wider than the terminal is cut around the spot with '…' at each cut end and the
caret still under its character, and the message and hint wrap at spaces under a hanging
indent. Piped without COLUMNS (a CI log, a file, grep) the text is as it always was, and the
formats for machines never change with the width.

The plan: data/allocations.yaml with three figures of 2023's stated totals (a 94-character
line) one off, so that findings point near its start, middle and end."""

from __future__ import annotations

import itertools
import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli.render.console import text_width
from conftest import bdur

STATED = "  2023: {planned: 1685000, incidental: 485000, structural: 1200000, staff: 1275000, " \
    "fte: 11.5}"
OFF = "  2023: {planned: 1685001, incidental: 485000, structural: 1200001, staff: 1275000, " \
    "fte: 11.4}"


@pytest.fixture
def three_off(mutate: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plan, named as a user names it: in the folder the command runs in."""
    assert len(OFF) == 94
    path = mutate(STATED, OFF)
    monkeypatch.chdir(path.parent)
    return Path(path.name)


def test_at_80_columns_lines_are_cut_visibly_and_text_wraps(three_off: Path) -> None:
    # 80 columns less ' 264 | ' leave 73 for the line. planned (column 19) and structural
    # (column 60) lie in its first 72 characters: the end is cut, at the space after
    # 'structural: 1200001,', and marked. fte (column 90) lies in its last 72: the start is
    # cut, at the space before 'incidental', and marked; the caret moves with it.
    result = bdur("check", three_off, env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert result.stdout == (
        "plan.yaml:264:19: error: 2023 planned: the file states €1,685,001 but the lines\n"
        "    add up to €1,685,000 (difference -€1) [stated-total-mismatch]\n"
        " 264 |   2023: {planned: 1685001, incidental: 485000, structural: 1200001, …\n"
        "     |                   ^\n"
        "  hint: write planned: 1685000 if the lines are right, else correct them\n"
        "plan.yaml:264:60: error: 2023 structural: the file states €1,200,001 but the\n"
        "    lines add up to €1,200,000 (difference -€1) [stated-total-mismatch]\n"
        " 264 |   2023: {planned: 1685001, incidental: 485000, structural: 1200001, …\n"
        "     |                                                            ^\n"
        "  hint: write structural: 1200000 if the lines are right, else correct them\n"
        "plan.yaml:264:90: error: 2023 fte: the file states 11.4 fte but the lines add up\n"
        "    to 11.5 fte (difference +0.1 fte) [stated-total-mismatch]\n"
        " 264 | … incidental: 485000, structural: 1200001, staff: 1275000, fte: 11.4}\n"
        "     |                                                                 ^\n"
        "  hint: write fte: 11.5 if the lines are right, else correct them\n")


def test_a_spot_in_the_middle_is_cut_at_both_ends(three_off: Path) -> None:
    # 40 columns leave 33: structural's column 60 is neither in the first nor the last 32
    # characters, so both ends are cut, each at a space near it.
    lines = bdur("check", three_off, env={"COLUMNS": "40"}).stdout.splitlines()
    at = lines.index(" 264 | … structural: 1200001, …")
    assert lines[at + 1] == "     |               ^"


@pytest.mark.parametrize("columns", ["30", "40", "57", "80", "100"])
def test_nothing_is_lost_or_split_and_the_caret_stays_on_its_character(
        three_off: Path, columns: str) -> None:
    width = int(columns)
    folded = bdur("check", three_off, env={"COLUMNS": columns}).stdout.splitlines()
    whole = bdur("check", three_off).stdout.splitlines()
    assert all(len(line) <= width for line in folded)
    # The words of the messages and hints, in order: none split, none lost.
    assert " ".join(t for t in folded if " | " not in t).split() == \
        " ".join(t for t in whole if " | " not in t).split()
    # Each caret stands under the character it stands under in the whole line.
    for quoted, caret in itertools.pairwise(folded):
        if quoted.startswith(" 264 | "):
            spot = caret.index("^")
            under = quoted[spot]
            assert under != "…"
            kept = quoted[7:].strip("…")
            start = OFF.index(kept)
            assert OFF[start + spot - 7 - (1 if quoted[7] == "…" else 0)] == under


def test_piped_without_columns_the_text_is_as_it_was(three_off: Path) -> None:
    # No width: each finding's lines whole, however long (a CI log keeps them so).
    out = bdur("check", three_off).stdout
    assert f" 264 | {OFF}\n" in out
    assert "plan.yaml:264:90: error: 2023 fte: the file states 11.4 fte but the lines add up " \
        "to 11.5 fte (difference +0.1 fte) [stated-total-mismatch]\n" in out


@pytest.mark.parametrize("fmt", ["json", "github", "gitlab", "junit", "azure"])
def test_the_formats_for_machines_ignore_the_width(three_off: Path, fmt: str) -> None:
    assert bdur("check", "--format", fmt, three_off, env={"COLUMNS": "40"}).stdout == \
        bdur("check", "--format", fmt, three_off).stdout


def test_a_report_file_is_never_folded(three_off: Path) -> None:
    report = Path("findings.txt")
    bdur("check", three_off, "-o", report, env={"COLUMNS": "40"})
    assert report.read_text(encoding="utf-8") == bdur("check", three_off).stdout


def test_the_width_is_columns_else_the_terminals_else_none(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A real terminal (a pseudo-terminal) of 57 columns on stdout: its width.
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    main, side = os.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 57, 0, 0))
    with os.fdopen(side, "w") as terminal:
        assert text_width(terminal) == 57
        monkeypatch.setenv("COLUMNS", "80")  # COLUMNS wins
        assert text_width(terminal) == 80
    os.close(main)
    monkeypatch.delenv("COLUMNS")
    with open(os.devnull, "w") as piped:
        assert text_width(piped) is None
