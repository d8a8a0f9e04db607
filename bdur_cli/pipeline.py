"""Loading a plan the way every command does, and checking one the way `bdur check` does.

`load_plan` reads a file (through `loader`), and for a scenario loads its base and applies it
(through `scenario`); a plan whose references do not resolve is refused. `check_file` runs the
same stages and then the file's own rules, and returns every finding instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .checks import reference_findings, rule_findings
from .errors import EXIT_INVALID, EXIT_OK, BdurError, Finding, by_position
from .loader import LOCAL, Files, is_scenario, parse, validate
from .model import Plan
from .source import Loaded, Source


def _all_keys() -> set[str]:
    # A scenario's key in a plan (or the other way round) gets "not allowed here", not
    # "did you mean"; the scenario module loads only when a file has an unknown key.
    from .scenario import all_keys

    return all_keys()


def load_plan(path: str | Path, display: str | None = None, files: Files = LOCAL) -> Loaded:
    """Read, parse and validate a plan or a scenario file; raise `BdurError` with located
    findings. A file with a top-level `scenario:` or `base:` key is a scenario: its base is
    loaded (recursively, from the same `files`) and the scenario applied to it."""
    return _load(Path(path), display or str(path), (), files)




#: Plans loaded in this process by (display path, text): `bdur check plan.yaml
#: scenarios/*.yaml` and `bdur compare` read the plan and each scenario's base, the same file,
#: once instead of once per scenario. A loaded plan depends on nothing else and is frozen.
_PLANS: dict[tuple[str, str], Loaded] = {}
_KEEP = 4


def _load(p: Path, shown: str, chain: tuple[tuple[object, Source], ...], files: Files
          ) -> Loaded:
    text = files.read_text(p, shown)
    known = _PLANS.get((shown, text))
    if known is not None:
        return known
    data, source = parse(text, shown)
    if is_scenario(data):
        return _load_scenario(p, data, source, chain, files)
    plan = validate(data, source, Plan, _all_keys)
    problems = [f.located(source.locate(f.path)) for f in reference_findings(plan)]
    errors = [f for f in problems if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, {shown: text})
    loaded = Loaded(plan, source, files=(source,), warnings=tuple(problems))
    if len(_PLANS) >= _KEEP:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[(shown, text)] = loaded
    return loaded


def _load_scenario(p: Path, data: Any, source: Source,
                   chain: tuple[tuple[object, Source], ...], files: Files) -> Loaded:
    # Imported here: a plain plan never pays for the scenario models (start-up time).
    from . import scenario

    sc = validate(data, source, scenario.Scenario, scenario.all_keys)
    here = (*chain, (files.identity(p), source))
    base_path = p.parent / sc.base
    base_shown = files.display(base_path, source.path, sc.base)
    at_base = source.locate(("base",))
    resolved = files.identity(base_path)
    seen = [q for q, _ in here]
    if resolved in seen:
        loop = [s.path for _, s in here[seen.index(resolved):]] + [base_shown]
        raise BdurError([Finding("scenario-cycle", f"base '{sc.base}' leads back to a file "
                                 f"already on the way: {' -> '.join(loop)}", location=at_base,
                                 hint="a scenario's base is a plan or another scenario, "
                                 "never itself", path=("base",))],
                        EXIT_INVALID, {source.path: source.text})
    kind = files.kind(base_path)
    if kind != "file":
        why = "is a directory, not a file" if kind == "dir" else "no such file"
        raise BdurError([Finding("bad-base", f"base '{sc.base}' cannot be read: {why} "
                                 f"({base_shown})", location=at_base,
                                 hint="the base path is relative to this scenario file",
                                 path=("base",))], EXIT_INVALID, {source.path: source.text})
    base = _load(base_path, base_shown, here, files)
    loaded = scenario.apply(base, sc, source)
    problems = [f.located(loaded.locate(f.path)) for f in reference_findings(loaded.plan)]
    errors = [f for f in problems if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, loaded.texts)
    return replace(loaded, warnings=tuple(problems))


@dataclass
class Checked:
    """What `bdur check` found in one file: every finding, located, whatever stage failed."""

    path: str
    findings: list[Finding]
    #: EXIT_USAGE when the file could not be read at all, else EXIT_INVALID or EXIT_OK.
    exit_code: int
    #: The file's text when it could be decoded, to quote the offending lines.
    text: str | None = None
    plan: Plan | None = None
    #: Every file's text by display path: a scenario's findings can point into its base.
    texts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Stages find problems in their own order (references, then rules); a reader and a
        # CI annotation list want them in the file's order.
        self.findings = by_position(self.findings)

    def text_of(self, path: str) -> str | None:
        return self.texts.get(path, self.text if path == self.path else None)


def check_file(path: str | Path, display: str | None = None) -> Checked:
    """Load a plan the way every command does, then add warnings and the file's own rules.

    Never raises `BdurError`: the findings of each stage are returned, so one bad file among
    several does not hide the others. Later stages need the earlier ones to pass (rules cannot
    be computed over a plan whose references do not resolve).
    """
    shown = display or str(path)
    try:
        loaded = load_plan(path, shown)
    except BdurError as exc:
        return Checked(shown, exc.findings, exc.exit_code, exc.source_text.get(shown),
                       texts=exc.source_text)
    # load_plan raised on reference errors, so only its warnings are left.
    findings = [*loaded.warnings,
                *(f.located(loaded.locate(f.path)) for f in rule_findings(loaded.plan))]
    code = EXIT_INVALID if any(f.level == "error" for f in findings) else EXIT_OK
    return Checked(shown, findings, code, loaded.texts.get(shown), loaded.plan,
                   texts=loaded.texts)
