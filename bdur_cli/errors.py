"""Findings and errors: what went wrong, where, and how to fix it.

A finding is data (code, level, message, hint, location); it is rendered in one place
(`render.py`). `BdurError` carries findings out of the loader so the CLI can print them and
choose the exit code without knowing how they were found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]

#: Exit codes of the command-line contract.
EXIT_OK = 0
EXIT_INVALID = 1  # the plan is invalid or breaks a rule
EXIT_USAGE = 2  # wrong usage, or a file that cannot be read at all


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based position in a file (line 0 means: the file as a whole)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:  # a row of a table (a ledger export): path:row
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a file. `path` is the key path inside the document (for
    locating it later); `location` is filled in once the source is known."""

    code: str
    message: str
    level: Level = "error"
    hint: str | None = None
    location: Location | None = None
    path: tuple[str | int, ...] = ()

    def located(self, location: Location) -> Finding:
        return Finding(self.code, self.message, self.level, self.hint, location, self.path)


def by_position(findings: list[Finding]) -> list[Finding]:
    """Findings in reading order: by file, line, column (a finding about a whole file first);
    findings at one spot keep the order they were found in."""
    def key(f: Finding) -> tuple[str, int, int]:
        loc = f.location
        return ("", 0, 0) if loc is None else (loc.path, loc.line, loc.column)

    return sorted(findings, key=key)


@dataclass
class BdurError(Exception):
    """Raised by the loader when a file cannot be used; holds every finding."""

    findings: list[Finding] = field(default_factory=list)
    exit_code: int = EXIT_INVALID
    #: The file's text, so a renderer can quote the offending line.
    source_text: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{f.location or ''}: {f.message}" for f in self.findings)


#: Every code a finding of `bdur check` can have, in the order the manual (docs/ci.md) lists
#: them; a JUnit report has a test case per file and code. A test keeps the two in step.
CODES: tuple[str, ...] = (
    "unreadable", "too-large", "binary", "encoding", "empty-file", "not-a-mapping",
    "not-a-plan",
    "yaml-syntax", "tab-indent", "control-character", "too-deep", "duplicate-key", "alias",
    "yaml-tag", "yaml-key", "yaml-number", "too-many-digits", "unknown-key", "missing-key",
    "dutch-number", "float-money",
    "out-of-range", "schema", "duplicate-id", "unknown-goal", "unknown-rate",
    "year-outside-horizon", "funding-missing", "rate-missing", "until-past-horizon",
    "stated-total-mismatch", "structural-not-covered", "over-funding", "bad-base",
    "base-outside",
    "scenario-cycle", "unknown-line", "unknown-theme", "empty-selection",
    # a realisation mapping, its export and its explanations (docs/realisation.md)
    "path-outside", "not-an-export", "empty-export", "missing-column", "duplicate-column",
    "missing-sheet", "hidden-sheet", "xlsx-warning", "encoding-inferred", "bad-row",
    "bad-date", "bad-amount", "bad-cell", "ambiguous-posting", "outside-horizon",
    "unmapped-postings", "rule-unused", "line-not-mapped", "duplicate-explanation",
    "explanation-missing", "amendment-order", "not-a-staff-line", "duplicate-staffing",
    "year-taken-as-closed", "year-not-closed",
    "duplicate-appropriation", "duplicate-reserve", "overlapping-rules",
    "appropriation-exceeds-result", "income-not-mapped",
    # the plan's further keys (docs/plan-format.md)
    "by-year-key", "by-year-empty", "by-year-missing", "bad-month", "period-order",
    "period-overlap", "one-off-month", "phasing-total", "phasing-share", "unknown-source",
    "unknown-reserve", "reserve-negative", "structural-on-reserve", "index-year",
    "income-exceeds-cost",
    "usage", "internal",
)
