"""How `bdur check` shows its findings: text for people, JSON for scripts, and what CI systems
read: GitHub annotations, a GitLab Code Quality report, JUnit XML, Azure DevOps logging commands.

Every renderer takes the per-file results of `pipeline.check_file` and returns one string; the
command writes it to stdout. The one-line summary (`summary`) goes to stderr.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import CODES, Finding
from ..scalars import visible
from .encode import to_json
from .formats import CheckFormat

if TYPE_CHECKING:
    from ..plan.pipeline import Checked


def render(results: Sequence[Checked], fmt: CheckFormat, strict: bool = False,
           width: int | None = None) -> str:
    """All findings of all files in `fmt`; "" for text, github and azure when there are none.
    `strict` (warnings fail) shapes the JUnit report; `width` folds the text format to a
    terminal's width (None: each finding's lines as long as they are, as a log keeps them)."""
    if fmt is CheckFormat.junit:
        return junit(results, strict)
    if fmt is CheckFormat.text:
        return _text(results, width)
    return RENDERERS[fmt](results)


def default_format(environ: Mapping[str, str]) -> CheckFormat:
    """What a CI shows best: annotations inside GitHub Actions (GITHUB_ACTIONS=true), logging
    commands inside Azure Pipelines (TF_BUILD=True), else text."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return CheckFormat.github
    if environ.get("TF_BUILD", "").lower() == "true":
        return CheckFormat.azure
    return CheckFormat.text


# --- text ------------------------------------------------------------------------------------

_TAB = 4


#: The narrowest a quoted line is cut to, whatever the width: enough to see the spot.
_LEAST = 10
#: How far a cut end moves to a space rather than split a word or a number.
_SNAP = 12


def _quote(text: str | None, f: Finding, width: int | None = None) -> list[str]:
    """The offending source line with a caret under the column, as compilers show it. With a
    `width`, a line wider than it is cut to the part around the spot, each cut end marked
    with '…'."""
    loc = f.location
    if text is None or loc is None or loc.line <= 0:
        return []
    lines = text.splitlines()
    if loc.line > len(lines):
        return []
    raw = lines[loc.line - 1]
    # Tabs are expanded so that the caret lines up whatever the terminal's tab stops are.
    shown = _visible(raw.expandtabs(_TAB))
    col = len(raw[:max(loc.column - 1, 0)].expandtabs(_TAB))
    number = str(loc.line)
    pad = " " * len(number)
    if width is not None:
        shown, col = _elide(shown, col, max(width - len(f" {number} | "), _LEAST))
    elif len(shown) > 120:  # a minified or generated line: show the part around the spot
        start = max(col - 60, 0)
        shown, col = shown[start:start + 120], col - start
    return [f" {number} | {shown}".rstrip(), f" {pad} | {' ' * col}^"]


def _elide(line: str, col: int, room: int) -> tuple[str, int]:
    """`line` in at most `room` columns around column `col`: the part that fits, '…' where it
    is cut (at a space nearby rather than inside a word or number), and the caret's column in
    the result."""
    if len(line) <= room:
        return line, col
    if col < room - 1:  # the spot is near the start: cut the end only
        start, end = 0, room - 1
    elif col >= len(line) - (room - 1):  # near the end: cut the start only
        start, end = len(line) - (room - 1), len(line)
    else:
        start = col - (room - 2) // 2
        end = start + room - 2
    # A cut at a space keeps the space beside its mark ('… 2026: {' and 'planned: …'), so a
    # whole word next to a mark does not look cut.
    if start > 0:
        space = line.find(" ", start, min(start + _SNAP, col))
        start = space if space >= 0 else start
    if end < len(line):
        space = line.rfind(" ", max(end - _SNAP, col + 1), end - 1)
        end = space + 1 if space >= 0 else end
    head = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    return head + line[start:end] + tail, col - start + len(head)


def _fold(line: str, width: int | None, indent: int) -> list[str]:
    """`line` wrapped at its spaces to `width`, the lines after the first indented by
    `indent` (a hanging indent); a word or amount is never split, even when longer than the
    width. None: the line as it is."""
    if width is None or len(line) <= width:
        return [line]
    import textwrap  # here: only a narrow terminal needs it (start-up time)

    return textwrap.wrap(line, width, subsequent_indent=" " * indent, break_long_words=False,
                         break_on_hyphens=False) or [line]


def _visible(line: str) -> str:
    # A control character would act on the terminal; one replacement keeps the caret aligned.
    return "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in line)


def scenario_note(f: Finding, result: Checked) -> str | None:
    """For a finding of a scenario: which scenario was checked (and its file, when the
    finding points into another file, its base, since the location names only that)."""
    if result.scenario is None:
        return None
    here = f.location is None or f.location.path == result.path
    return f"scenario '{result.scenario}'" + ("" if here else f" ({result.path})")


def _text(results: Sequence[Checked], width: int | None = None) -> str:
    """Each finding as a compiler shows it; with a `width`, folded to it: the message and
    the hint wrapped at spaces under a hanging indent, the quoted line cut around the spot."""
    out: list[str] = []
    for result in results:
        for f in result.findings:
            where = f"{f.location}: " if f.location else f"{result.path}: "
            # A file name or an export's cell can hold an escape code: shown, never run.
            out += _fold(visible(f"{where}{f.level}: {f.message} [{f.code}]"), width, 4)
            out.extend(_quote(result.text_of(f.location.path) if f.location else None, f,
                              width))
            note = scenario_note(f, result)
            if note:
                out += _fold(visible(f"  in {note}"), width, 5)
            if f.hint:
                out += _fold(visible(f"  hint: {f.hint}"), width, 8)
    return "".join(line + "\n" for line in out)


# --- JSON ------------------------------------------------------------------------------------

def finding_record(f: Finding, path: str) -> dict[str, Any]:
    loc = f.location
    return {
        "code": f.code,
        "level": f.level,
        "path": loc.path if loc else path,
        "line": loc.line if loc and loc.line > 0 else None,
        "column": loc.column if loc and loc.line > 0 else None,
        "message": f.message,
        "hint": f.hint,
    }


def _json(results: Sequence[Checked]) -> str:
    errors, warnings = counts(results)
    return to_json({
        "files": [{"path": r.path, "ok": r.exit_code == 0,
                   "findings": [finding_record(f, r.path) for f in r.findings]}
                  for r in results],
        "errors": errors,
        "warnings": warnings,
    })


# --- GitHub Actions workflow commands ----------------------------------------------------------

def _escape_data(text: str) -> str:
    # GitHub's own rules (actions/toolkit, command.ts): % first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(results: Sequence[Checked]) -> str:
    out = []
    for result in results:
        for f in result.findings:
            loc = f.location
            props = [f"file={_escape_property(loc.path if loc else result.path)}"]
            if loc and loc.line > 0:
                props += [f"line={loc.line}", f"col={loc.column}"]
            props.append(f"title={_escape_property(f.code)}")
            note = scenario_note(f, result)
            message = f.message + (f"\nin {note}" if note else "") + \
                (f"\nhint: {f.hint}" if f.hint else "")
            out.append(f"::{f.level} {','.join(props)}::{_escape_data(message)}\n")
    return "".join(out)


# --- GitLab Code Quality ----------------------------------------------------------------------

def repo_path(path: str) -> str:
    """A path as GitLab wants it in a report: relative to the project folder (the current one
    in a CI job), with forward slashes and no leading `./`."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _gitlab(results: Sequence[Checked]) -> str:
    # GitLab's Code Quality report: a JSON array, one object per finding. The fingerprint
    # leaves out the line, so a finding keeps its identity when lines above it move; a count
    # keeps two equal findings in one file apart (GitLab shows one per fingerprint).
    issues = []
    seen: dict[tuple[str, str, str], int] = {}
    spots: set[tuple[str, int, int, str, str]] = set()
    for result in results:
        for f in result.findings:
            loc = f.location
            path = repo_path(loc.path if loc else result.path)
            # A plan and a scenario on it report the plan's problem twice: one issue.
            spot = (path, loc.line if loc else 0, loc.column if loc else 0, f.code, f.message)
            if spot in spots:
                continue
            spots.add(spot)
            key = (path, f.code, f.message)
            seen[key] = seen.get(key, 0) + 1
            import hashlib  # here: only the GitLab format needs it (start-up time)

            fingerprint = hashlib.sha256("\0".join(
                [path, f.code, f.message, str(seen[key])]).encode()).hexdigest()
            note = scenario_note(f, result)
            issues.append({
                "description": f.message + (f" (in {note})" if note else "")
                + (f" (hint: {f.hint})" if f.hint else ""),
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": "major" if f.level == "error" else "minor",
                # A finding about the whole file (line 0) is shown on its first line.
                "location": {"path": path,
                             "lines": {"begin": loc.line if loc and loc.line > 0 else 1}},
            })
    return to_json(issues)


# --- JUnit XML ---------------------------------------------------------------------------------

#: Findings that mean the file could not be checked at all: a JUnit <error>, not a <failure>.
_UNCHECKED = {"unreadable", "too-large", "binary", "encoding", "usage", "internal"}


def junit(results: Sequence[Checked], strict: bool = False) -> str:
    """JUnit XML: a test suite per file with a test case per code (`errors.CODES`); a finding
    fails its case, with the located message. Warnings fail only with `strict` (as the exit
    code does); otherwise they are the case's output."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="bdur check")
    totals = [0, 0, 0]  # tests, failures, errors
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.path)
        by_code: dict[str, list[Finding]] = {code: [] for code in CODES}
        for f in result.findings:
            by_code.setdefault(f.code, []).append(f)
        counts = [0, 0, 0]
        for code, found in by_code.items():
            case = ET.SubElement(suite, "testcase", classname=result.path, name=code,
                                 file=repo_path(result.path))
            counts[0] += 1
            failing = [f for f in found if f.level == "error" or strict]
            if failing:
                kind = "error" if code in _UNCHECKED else "failure"
                counts[1 if kind == "failure" else 2] += 1
                element = ET.SubElement(case, kind, type=code,
                                        message=_one_line(failing[0], result.path))
                element.text = "\n".join(_located(f, result.path) for f in failing) + "\n"
            quiet = [f for f in found if f not in failing]
            if quiet:
                ET.SubElement(case, "system-out").text = "\n".join(
                    _located(f, result.path) for f in quiet) + "\n"
        suite.set("tests", str(counts[0]))
        suite.set("failures", str(counts[1]))
        suite.set("errors", str(counts[2]))
        suite.set("skipped", "0")
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def _one_line(f: Finding, path: str) -> str:
    where = f.location if f.location else path
    return f"{where}: {f.message}"


def _located(f: Finding, path: str) -> str:
    hint = f"\n  hint: {f.hint}" if f.hint else ""
    return f"{_one_line(f, path)} [{f.code}] ({f.level}){hint}"


# --- Azure DevOps logging commands --------------------------------------------------------------

def _escape_azure_data(text: str) -> str:
    # Azure's own rules (azure-pipelines-task-lib, taskcommand.ts): % first, then line breaks.
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_azure_property(text: str) -> str:
    return _escape_azure_data(text).replace("]", "%5D").replace(";", "%3B")


def _azure(results: Sequence[Checked]) -> str:
    out = []
    for result in results:
        for f in result.findings:
            loc = f.location
            props = [f"type={f.level}",
                     f"sourcepath={_escape_azure_property(loc.path if loc else result.path)}"]
            if loc and loc.line > 0:
                props += [f"linenumber={loc.line}", f"columnnumber={loc.column}"]
            props.append(f"code={_escape_azure_property(f.code)}")
            message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
            out.append(f"##vso[task.logissue {';'.join(props)}]{_escape_azure_data(message)}\n")
    return "".join(out)


RENDERERS: dict[CheckFormat, Callable[[Sequence[Checked]], str]] = {
    CheckFormat.text: _text,
    CheckFormat.json: _json,
    CheckFormat.github: _github,
    CheckFormat.gitlab: _gitlab,
    CheckFormat.junit: junit,
    CheckFormat.azure: _azure,
}


# --- summary ---------------------------------------------------------------------------------

def counts(results: Sequence[Checked]) -> tuple[int, int]:
    errors = sum(f.level == "error" for r in results for f in r.findings)
    warnings = sum(f.level == "warning" for r in results for f in r.findings)
    return errors, warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(results: Sequence[Checked], strict: bool = False) -> str:
    """`bdur check: 2 files, 1 error, 0 warnings` (for stderr); with `--strict` and warnings,
    it says that they fail the check, so an exit code of 1 beside "0 errors" is explained."""
    errors, warnings = counts(results)
    failing = " (--strict: warnings fail the check)" if strict and warnings else ""
    return (f"bdur check: {_plural(len(results), 'file')}, {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}{failing}\n")
