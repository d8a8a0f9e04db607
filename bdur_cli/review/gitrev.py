"""Files as they were at a git revision, read with git itself (never from the working tree).

`bdur diff` compares a plan now with the same file at a revision. This module finds the
repository, resolves the revision (by default the merge base with the default branch), and
reads blobs with `git cat-file`, so nothing in the working tree or the index is touched.

Every failure is a `BdurError` with one finding and exit code 2 (the command cannot run):
git missing, not a repository, a repository without commits, an unknown revision, a path
outside the repository.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ..errors import EXIT_USAGE, BdurError, Finding, Location

#: Branches tried, in order, for the default revision: the merge base of HEAD and the first
#: that exists.
DEFAULT_BRANCHES = ("origin/HEAD", "main", "master")

_TIMEOUT = 60


def _error(code: str, message: str, hint: str | None = None) -> BdurError:
    return BdurError([Finding(code, message, hint=hint)], EXIT_USAGE)


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    # Plain bytes: blobs are decoded by the loader, which reports bad encodings with a location.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env,
                              timeout=_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise _error("no-git", "git is not installed (or not on PATH); bdur diff reads "
                     "earlier versions with git", hint="install git, or compare two files "
                     "with 'bdur compare OLD NEW'") from None
    except subprocess.TimeoutExpired:
        raise _error("git", f"git {args[0]} did not answer within {_TIMEOUT} s") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _error("git", f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


@dataclass(frozen=True)
class Revision:
    """A resolved revision: what the user asked for (or how the default was found), and the
    commit it names."""

    label: str  # "HEAD~1", "main", or the merge base's short hash
    commit: str  # the full hash
    description: str  # "HEAD~1 (1a2b3c4)" or "merge base of HEAD and main (1a2b3c4)"

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class Repository:
    """A git work tree: its top folder (absolute, symlinks resolved)."""

    root: Path

    @classmethod
    def find(cls, cwd: Path | None = None) -> Repository:
        here = Path.cwd() if cwd is None else cwd
        proc = _git(here, "rev-parse", "--show-toplevel", check=False)
        if proc.returncode != 0:
            raise _error("not-a-repository", f"{here} is not inside a git repository",
                         hint="run bdur diff from the repository that holds the plan")
        top = proc.stdout.decode("utf-8", "surrogateescape").strip()
        if not top:  # inside .git, or a bare repository: there is no work tree to compare
            raise _error("not-a-repository", f"{here} is not inside a git work tree",
                         hint="run bdur diff from the repository that holds the plan")
        return cls(Path(top).resolve())

    def commit(self, rev: str) -> str | None:
        """The full hash of the commit `rev` names, or None when it names none."""
        if not rev or rev.startswith("-") or "\n" in rev or "\0" in rev:
            return None  # never let a revision be read as an option of git's
        proc = _git(self.root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}",
                    check=False)
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def revision(self, rev: str | None) -> Revision:
        """`rev` resolved; None means the default: the merge base of HEAD with the default
        branch (origin/HEAD, main or master, whichever exists first), else HEAD."""
        head = self.commit("HEAD")
        if head is None:
            raise _error("no-commits", "the repository has no commits yet: there is no "
                         "earlier version to compare with", hint="commit the plan first")
        if rev is not None:
            sha = self.commit(rev)
            if sha is None:
                raise _error("unknown-revision", f"revision '{rev}' does not exist in this "
                             "repository", hint="give a commit, branch or tag, e.g. HEAD~1 "
                             "or main")
            return Revision(rev, sha, f"{rev} ({sha[:7]})")
        for branch in DEFAULT_BRANCHES:
            if self.commit(branch) is None:
                continue
            proc = _git(self.root, "merge-base", "HEAD", branch, check=False)
            if proc.returncode == 0:
                sha = proc.stdout.decode().strip()
                return Revision(sha[:7], sha, f"merge base of HEAD and {branch} ({sha[:7]})")
        return Revision("HEAD", head, f"HEAD ({head[:7]})")

    def relative(self, path: Path) -> str | None:
        """`path` (relative to the current folder, or absolute) as a path inside the
        repository in git's form (`data/allocations.yaml`), or None when it lies outside."""
        absolute = Path(os.path.abspath(path))
        # A link to a file is the file it names (git keeps the link, not the plan); a deleted
        # file cannot be resolved, but its folder can. realpath, not Path.resolve: a loop of
        # symbolic links is reported when the file is read, not as a crash here.
        if absolute.is_symlink() and absolute.exists():
            target = Path(os.path.realpath(absolute))
        else:
            target = Path(os.path.realpath(absolute.parent)) / absolute.name
        try:
            inside = target.relative_to(self.root)
        except ValueError:
            return None
        if absolute.name in ("", ".", "..") or not inside.parts:
            return None
        return inside.as_posix()

    def kind(self, commit: str, path: str) -> Literal["file", "dir"] | None:
        """What `path` is at `commit`: a file, a folder, or nothing."""
        proc = _git(self.root, "cat-file", "-t", f"{commit}:{path}", check=False)
        kind = proc.stdout.decode().strip() if proc.returncode == 0 else ""
        return "file" if kind == "blob" else "dir" if kind == "tree" else None

    def size(self, commit: str, path: str) -> int:
        return int(_git(self.root, "cat-file", "-s", f"{commit}:{path}").stdout.decode())

    def read(self, commit: str, path: str) -> bytes:
        """The bytes of `path` at `commit` (raises FileNotFoundError when it is not there)."""
        if self.kind(commit, path) != "file":
            raise FileNotFoundError(path)
        return _git(self.root, "cat-file", "blob", f"{commit}:{path}").stdout

    def yaml_files(self) -> list[str]:
        """Every YAML file git knows of or would add (tracked, or untracked and not
        ignored), as paths inside the repository."""
        proc = _git(self.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                    "--", "*.yaml", "*.yml")
        names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted({n for n in names if n})

    def yaml_files_at(self, commit: str, containing: str | None = None) -> list[str]:
        """The YAML files at `commit`; with `containing`, only those whose text has that
        word (one `git grep` instead of reading every file)."""
        if containing is None:
            proc = _git(self.root, "ls-tree", "-r", "-z", "--name-only", commit, "--")
            names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
            return sorted(n for n in names if n.endswith((".yaml", ".yml")))
        proc = _git(self.root, "grep", "-z", "-l", "--fixed-strings", "-e", containing,
                    commit, "--", "*.yaml", "*.yml", check=False)
        if proc.returncode not in (0, 1):  # 1: no file has it
            raise _error("git", "git grep failed: " +
                         proc.stderr.decode("utf-8", "replace").strip())
        prefix = f"{commit}:"
        names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted(n.removeprefix(prefix) for n in names if n)


def normalise(path: str) -> str | None:
    """A repository path with `..` and `.` folded (`data/scenarios/../a.yaml` ->
    `data/a.yaml`), or None when it climbs out of the repository."""
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part == "/":
            return None  # an absolute path is not a path inside the repository
        else:
            parts.append(part)
    return "/".join(parts) if parts else None


@dataclass(frozen=True)
class GitFiles:
    """The loader's `Files` at a revision: paths are inside the repository (`data/x.yaml`),
    shown as `REV:path` the way git names a file at a revision."""

    repo: Repository
    revision: Revision

    def _inside(self, path: Path) -> str | None:
        return normalise(path.as_posix())

    def read_text(self, path: Path, display: str) -> str:
        from ..plan.loader import decode
        from ..reading import check_size

        inside = self._inside(path)
        kind = self.repo.kind(self.revision.commit, inside) if inside else None
        if kind != "file":
            why = ("is a directory, not a file" if kind == "dir" else
                   "lies outside the repository" if inside is None else
                   f"does not exist at {self.revision.label}")
            raise BdurError([Finding("unreadable", why, location=Location(display))], EXIT_USAGE)
        assert inside is not None
        check_size(self.repo.size(self.revision.commit, inside), display)
        return decode(self.repo.read(self.revision.commit, inside), display)

    def kind(self, path: Path) -> Literal["file", "dir"] | None:
        inside = self._inside(path)
        return self.repo.kind(self.revision.commit, inside) if inside else None

    def identity(self, path: Path) -> object:
        return self._inside(path)

    def display(self, path: Path, parent: str, base: str) -> str:
        inside = self._inside(path)
        return f"{self.revision.label}:{inside if inside else path.as_posix()}"

    def name(self, inside: str) -> str:
        return f"{self.revision.label}:{inside}"
