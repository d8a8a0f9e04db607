"""How `bdur check` shows its findings: text for people, JSON for scripts, GitHub annotations.

Every renderer takes the per-file results of `loader.check_file` and returns one string; the
command writes it to stdout. The one-line summary (`summary`) goes to stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..errors import Finding
from . import to_json

if TYPE_CHECKING:
    from ..loader import Checked


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def render(results: Sequence[Checked], fmt: CheckFormat) -> str:
    """All findings of all files in `fmt`; "" for text and github when there are none."""
    return RENDERERS[fmt](results)


# --- text ------------------------------------------------------------------------------------

_TAB = 4


def _quote(text: str | None, f: Finding) -> list[str]:
    """The offending source line with a caret under the column, as compilers show it."""
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
    if len(shown) > 120:  # a minified or generated line: show the part around the spot
        start = max(col - 60, 0)
        shown, col = shown[start:start + 120], col - start
    number = str(loc.line)
    pad = " " * len(number)
    return [f" {number} | {shown}".rstrip(), f" {pad} | {' ' * col}^"]


def _visible(line: str) -> str:
    # A control character would act on the terminal; one replacement keeps the caret aligned.
    return "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in line)


def _text(results: Sequence[Checked]) -> str:
    out: list[str] = []
    for result in results:
        for f in result.findings:
            where = f"{f.location}: " if f.location else f"{result.path}: "
            out.append(f"{where}{f.level}: {f.message} [{f.code}]")
            out.extend(_quote(result.text_of(f.location.path) if f.location else None, f))
            if f.hint:
                out.append(f"  hint: {f.hint}")
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
            message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
            out.append(f"::{f.level} {','.join(props)}::{_escape_data(message)}\n")
    return "".join(out)


RENDERERS: dict[CheckFormat, Callable[[Sequence[Checked]], str]] = {
    CheckFormat.text: _text,
    CheckFormat.json: _json,
    CheckFormat.github: _github,
}


# --- summary ---------------------------------------------------------------------------------

def counts(results: Sequence[Checked]) -> tuple[int, int]:
    errors = sum(f.level == "error" for r in results for f in r.findings)
    warnings = sum(f.level == "warning" for r in results for f in r.findings)
    return errors, warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(results: Sequence[Checked]) -> str:
    """`bdur check: 2 files, 1 error, 0 warnings` (for stderr)."""
    errors, warnings = counts(results)
    return (f"bdur check: {_plural(len(results), 'file')}, {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}\n")
