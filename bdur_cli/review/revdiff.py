"""`bdur diff`: plan files as they are now against the same files at a git revision.

The working tree is read by the loader as every command reads it; the revision through git
(`gitrev.GitFiles`, so a scenario's base chain is read at the revision too). The comparison
itself is `plandiff`, over the engine's figures. Scenarios in the repository that build on a
compared file (directly or through other scenarios) are compared as well.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..plan.loader import is_scenario, parse, read_text
from ..plan.pipeline import load_plan
from ..plan.source import Loaded
from ..reading import unreadable, why_not
from .gitrev import GitFiles, Repository, normalise
from .plandiff import FileDiff, RevisionDiff, diff

#: How deep a chain of scenarios is followed when looking for what builds on a plan.
_MAX_CHAIN = 32


def revision_diff(paths: Sequence[Path], rev: str | None = None,
                  scenarios: bool = True) -> RevisionDiff:
    """Each of `paths` (relative to the current folder) now against `rev` (default: the
    merge base with the default branch, else HEAD), followed by the scenarios that build on
    them. Raises `BdurError`: exit 2 for git, revision and path problems, exit 1 for a plan
    that is invalid now or at the revision."""
    repo = Repository.find()
    revision = repo.revision(rev)
    at_rev = GitFiles(repo, revision)
    targets: list[tuple[str, str]] = []  # (as shown, path inside the repository)
    for path in paths:
        try:
            inside = repo.relative(path)
        except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL
            raise unreadable(str(path), why_not(exc)) from None
        if inside is None:
            raise BdurError([Finding(
                "outside-repository", f"{path} is outside the repository ({repo.root})",
                hint="bdur diff compares files of the repository it runs in",
                location=Location(str(path)))], EXIT_USAGE)
        if inside not in (t[1] for t in targets):
            targets.append((str(path), inside))
    # A scenario given next to its plan is shown as building on it, after the plans.
    given = [t[1] for t in targets]
    on = {inside: _first_target(repo, at_rev, inside, [g for g in given if g != inside])
          for inside in given}
    ordered = sorted(targets, key=lambda t: on[t[1]] is not None)
    shown_of = {i: s for s, i in targets}
    files = [_one(repo, at_rev, shown, inside, shown_of.get(on[inside] or ""))
             for shown, inside in ordered]
    if scenarios:
        for inside, plan in _dependents(repo, at_rev, given):
            files.append(_one(repo, at_rev, os.path.relpath(repo.root / inside), inside,
                              shown_of[plan]))
    return RevisionDiff(revision.description, revision.commit, files)


def _one(repo: Repository, at_rev: GitFiles, shown: str, inside: str,
         builds_on: str | None = None) -> FileDiff:
    now = Path(shown)
    old_shown = at_rev.name(inside)
    then = repo.kind(at_rev.revision.commit, inside)
    if now.is_dir() or then == "dir":
        raise BdurError([Finding("unreadable", "is a directory, not a file",
                                 location=Location(shown))], EXIT_USAGE)
    if not now.is_file() and then is None:
        raise BdurError([Finding("unreadable", f"no such file, now or at "
                                 f"{at_rev.revision.label}", location=Location(shown))],
                        EXIT_USAGE)
    try:
        new = load_plan(now, shown) if now.is_file() else None
        old = load_plan(Path(inside), old_shown, at_rev) if then else None
    except BdurError as exc:
        if builds_on is None or exc.exit_code != EXIT_INVALID:
            raise
        # A scenario found next to the plan: say it cannot be compared, show the rest.
        first = exc.findings[0]
        where = f"{first.location}: " if first.location else ""
        return FileDiff(shown, old_shown, None, "invalid", builds_on=builds_on,
                        problem=f"{where}{first.message} [{first.code}]")
    name = _name(new) or _name(old)
    return diff(shown, old_shown, old.plan if old else None, new.plan if new else None,
                name=name, builds_on=builds_on)


def _name(loaded: Loaded | None) -> str | None:
    meta = loaded.scenario if loaded is not None else None
    return None if meta is None else str(meta.name)


# --- scenarios that build on a compared file -----------------------------------------------

def _dependents(repo: Repository, at_rev: GitFiles, targets: list[str]
                ) -> list[tuple[str, str]]:
    """(scenario, the target it builds on) for every YAML file in the repository, now or at
    the revision, whose chain of bases reaches one of `targets`."""
    commit = at_rev.revision.commit
    out = []
    for candidate in sorted(set(repo.yaml_files()) | set(repo.yaml_files_at(commit, "base"))):
        if candidate in targets:
            continue
        hit = _first_target(repo, at_rev, candidate, targets)
        if hit is not None:
            out.append((candidate, hit))
    return out


def _first_target(repo: Repository, at_rev: GitFiles, inside: str, targets: list[str]
                  ) -> str | None:
    """The first of `targets` on the chain of bases of `inside`, now or at the revision."""
    def read_now(path: str) -> str | None:
        full = repo.root / path
        try:
            return read_text(full, path) if full.is_file() else None
        except BdurError:
            return None

    def read_then(path: str) -> str | None:
        try:
            return at_rev.read_text(Path(path), path)
        except BdurError:
            return None

    wanted = set(targets)
    for read in (read_now, read_then):
        hit = next((b for b in _bases(inside, read) if b in wanted), None)
        if hit is not None:
            return hit
    return None


def _bases(inside: str, read: Callable[[str], str | None]) -> list[str]:
    """The chain of bases of a scenario (paths inside the repository), nearest first; empty
    for a plan or for a file that cannot be read."""
    chain: list[str] = []
    current = inside
    while len(chain) < _MAX_CHAIN:
        text = read(current)
        if text is None or "base" not in text:  # cheap: most YAML files are no scenario
            break
        try:
            data, _ = parse(text, current)
        except BdurError:
            break
        base = data.get("base") if is_scenario(data) else None
        if not isinstance(base, str):
            break
        nxt = normalise(posixpath.join(posixpath.dirname(current), base))
        if nxt is None or nxt in chain or nxt == inside:
            break
        chain.append(nxt)
        current = nxt
    return chain
