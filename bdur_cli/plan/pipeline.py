"""Loading a plan the way every command does, and checking one the way `bdur check` does.

`load_plan` reads a file (through `loader`), and for a scenario loads its base and applies it
(through `scenario`); a plan whose references do not resolve is refused. `check_file` runs the
same stages and then the file's own rules, and returns every finding instead of raising.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import EXIT_INVALID, EXIT_OK, BdurError, Finding, by_position
from ..reading import kind_of, why_not
from . import cache
from .checks import reference_findings, rule_findings
from .loader import LOCAL, Files, LocalFiles, is_scenario, parse, require_bdur_file, validate
from .model import Plan
from .source import Loaded, Marked, Source


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
    cached = cache.read(text)
    if cached is not None:
        # Written only for a plan that parsed, validated and passed the reference checks
        # without a finding, from this same text by this same version. It is validated and
        # checked again all the same (a changed or damaged cache file, or checks changed
        # without a new version in a development install): at any problem, or any finding,
        # the file itself is read, so findings never come from the cache. A finding asked
        # for later (a rule's, in `bdur check`) parses the text for its line and column.
        source = Source(shown, text, None)
        source.let_go(_marked)
        try:
            plan = validate(cached, source, Plan, _all_keys)
            clean = not reference_findings(plan)
        except Exception:
            clean = False
        if clean:
            return _keep(shown, text, Loaded(plan, source, files=(source,)))
    data, source = parse(text, shown)
    require_bdur_file(data, source)
    if is_scenario(data):
        return _load_scenario(p, data, source, chain, files)
    plan = validate(data, source, Plan, _all_keys)
    problems = [f.located(source.locate(f.path)) for f in reference_findings(plan)]
    errors = [f for f in problems if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, {shown: text})
    if not problems:
        # Only a plan without a finding: a cached plan skips the checks, so a warning (and
        # the location it needs) could not be given again.
        cache.write(text, data)
    source.let_go(_marked)
    return _keep(shown, text, Loaded(plan, source, files=(source,), warnings=tuple(problems)))


def _keep(shown: str, text: str, loaded: Loaded) -> Loaded:
    if len(_PLANS) >= _KEEP:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[(shown, text)] = loaded
    return loaded


def _marked(text: str) -> Marked | None:
    return parse(text, "")[1].root


def _load_scenario(p: Path, data: Any, source: Source,
                   chain: tuple[tuple[object, Source], ...], files: Files) -> Loaded:
    # Imported here: a plain plan never pays for the scenario models (start-up time).
    from . import scenario

    sc = validate(data, source, scenario.Scenario, scenario.all_keys)
    at_base = source.locate(("base",))
    if isinstance(files, LocalFiles):
        # Before anything else touches the path: a base outside the project is not read,
        # not even looked at (base: /etc/shadow, ../../secret/creds.yaml).
        problem = confine_base(p, sc.base)
        if problem is not None:
            code, message, hint = problem
            raise BdurError([Finding(code, message, location=at_base, hint=hint,
                                     path=("base",))], EXIT_INVALID, {source.path: source.text})
    here = (*chain, (files.identity(p), source))
    base_path = p.parent / sc.base
    base_shown = files.display(base_path, source.path, sc.base)
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
        why = "is a directory, not a file" if kind == "dir" else (
            base_kind(base_path) if isinstance(files, LocalFiles) else "no such file")
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


def project_root(scenario: Path) -> Path:
    """The project a scenario belongs to: the git work tree it lies in, else the folder the
    command was started from if it lies there, else the folder above its own (a project
    outside both keeps scenarios in data/scenarios beside data/allocations.yaml); real
    paths."""
    folder = Path(os.path.realpath(scenario)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path(os.path.realpath(os.getcwd()))
    return cwd if folder.is_relative_to(cwd) else folder.parent


def confine_base(scenario: Path, base: str) -> tuple[str, str, str] | None:
    """Why the `base` a scenario names may not be read (code, message, hint), or None: it
    must be a .yaml or .yml file inside the scenario's project, after symbolic links."""
    hint = ("a base is a plan or scenario of the same project (its git work tree, or the "
            "folder bdur runs in), named relative to this scenario")
    if "\0" in base:
        return "bad-base", "the base name contains a NUL character", hint
    if len(base) > 1000 or any(len(part) > 255 for part in Path(base).parts):
        return "bad-base", "the base name is too long", hint
    shown = base if base.isprintable() else repr(base)
    if Path(base).suffix.lower() not in (".yaml", ".yml"):
        return ("base-outside", f"base '{shown}' is not a .yaml or .yml file; it is not read",
                hint)
    root = project_root(scenario)
    target = Path(os.path.realpath(scenario.parent / base))
    if not target.is_relative_to(root):
        return ("base-outside", f"base '{shown}' lies outside the project ({root}); it is not "
                "read", hint)
    return None


def base_kind(path: Path) -> str:
    """Why a base that is not a regular file cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        return why_not(exc)
    return f"is {kind_of(info.st_mode) or 'not a regular file'}, not a plan file"


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
    #: The scenario's name when the file is one: a finding in its base is shown with it.
    scenario: str | None = None

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
    # A hint's snippet goes inside the `funding` the scenario already has (`scale`, `set`).
    funding: list[str] | None = None
    if loaded.scenario is not None:
        from .scenario import OverlaySource

        own = loaded.source.scenario if isinstance(loaded.source, OverlaySource) else None
        if own is not None and own.funding is not None:
            funding = [key for key in ("scale", "set") if key in own.funding.model_fields_set]
    rules = rule_findings(loaded.plan, scenario=loaded.scenario is not None,
                          scenario_funding=funding)
    if loaded.scenario is not None:
        # What the scenario broke points into the scenario, not at the base's untouched line.
        from .scenario import blame

        located = blame(loaded.source, rules, rule_findings) \
            if isinstance(loaded.source, OverlaySource) else \
            [f.located(loaded.locate(f.path)) for f in rules]
    else:
        located = [f.located(loaded.locate(f.path)) for f in rules]
    findings = [*loaded.warnings, *located]
    code = EXIT_INVALID if any(f.level == "error" for f in findings) else EXIT_OK
    return Checked(shown, findings, code, loaded.texts.get(shown), loaded.plan,
                   texts=loaded.texts,
                   scenario=loaded.scenario.name if loaded.scenario is not None else None)
