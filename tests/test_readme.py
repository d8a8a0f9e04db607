"""The README's and docs/ examples are real: every `$ bdur ...` in a console block that can run
from the repository (its files exist) is run, and its output must match.

They run in-process (one CliRunner, as a terminal-less run: no colour, COLUMNS=200), with the
shell's `2>/dev/null | head | tail | sed -n '/A/,/B/p' | grep -A -B` emulated on the output;
anything else (`python script.py`) runs in bash, and one example of each emulated part runs in
bash with the installed program as well, to show the emulation changes nothing.

    python tests/test_readme.py --update     # rewrite those outputs after a deliberate change
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, bdur

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent

_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.M | re.S)


def examples(text: str) -> list[tuple[str, str, int, int]]:
    """(command, expected output, start, end) of every runnable example; start/end delimit
    the expected output in `text`."""
    found = []
    for block in _BLOCK.finditer(text):
        body, offset = block.group(1), block.start(1)
        starts = [m.start() for m in re.finditer(r"^\$ ", body, re.M)] + [len(body)]
        for a, b in itertools.pairwise(starts):
            chunk = body[a:b]
            command, _, output = chunk.partition("\n")
            command = command[2:]
            if runnable(command):
                out_start = offset + a + len(command) + 3
                found.append((command, output, out_start, offset + b))
    return found


#: A command may start in an empty folder (to show what happens without a plan).
EMPTY_FOLDER = 'cd "$(mktemp -d)" && '


def runnable(command: str) -> bool:
    words = shlex.split(command.removeprefix(EMPTY_FOLDER).split("|")[0].split("#")[0])
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # COLUMNS=80 bdur ...
        words = words[1:]
    if not words or words[0] not in ("bdur", "python"):
        return False
    files = [w for w in words[1:] if w.endswith((".yaml", ".py")) and "*" not in w]
    return all((ROOT / f).exists() for f in files)


def writes(command: str) -> bool:
    words = shlex.split(command.split("|")[0].split("#")[0])
    return "-o" in words or "--output" in words


#: What a run from a script sees: no colour, the width bdur uses when piped, no CI and no
#: locale of the user's shell.
ENV = {"NO_COLOR": "1", "COLUMNS": "200", "GITHUB_ACTIONS": None, "BDUR_LOCALE": None}


def env_for(command: str) -> dict[str, str | None]:
    """`ENV` for `command`. `bdur check` piped keeps each finding's lines whole; it folds its
    text to COLUMNS when that is set, as a terminal's width, so a check example runs without
    it unless the example sets it itself (COLUMNS=80 bdur check ...)."""
    words = command.removeprefix(EMPTY_FOLDER).split()
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        words = words[1:]
    return {**ENV, "COLUMNS": None} if words[:2] == ["bdur", "check"] else ENV


def run(command: str, shell: bool = False) -> str:
    """The command's output (stdout, then stderr), in-process unless `shell` or the command is
    more than bdur and the filters emulated here. One that writes a file runs in a temporary
    folder holding a copy of data/ and examples/, so the repository is never written to, and
    what it says it wrote must be there."""
    command = command.split("  #")[0].strip()
    go = in_a_shell if shell or emulated(command) is None else in_process
    with tempfile.TemporaryDirectory() as tmp:
        if command.startswith(EMPTY_FOLDER):
            return go(command.removeprefix(EMPTY_FOLDER), Path(tmp))
        if not writes(command):
            return go(command, ROOT)
        for folder in ("data", "examples"):
            shutil.copytree(ROOT / folder, Path(tmp) / folder, symlinks=False)
        out = go(command, Path(tmp))
        for written in re.findall(r"^wrote (\S+)$", out, re.M):
            assert (Path(tmp) / written).is_file(), f"{command}: {written} was not written"
        return out


def _lines(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def in_a_shell(command: str, cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    for name, value in env_for(command).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    if command.startswith("python "):
        command = command.replace("python ", f"{shlex.quote(sys.executable)} ", 1)
    proc = subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)
    return _lines(proc.stdout + proc.stderr)


# --- the shell, as far as the examples use it -------------------------------------------------

Filter = Callable[[list[str]], list[str]]


def emulated(command: str) -> tuple[dict[str, str], list[str], bool, list[Filter]] | None:
    """(environment, bdur's arguments, stderr shown, filters of stdout) of `VAR=x bdur ARGS
    [2>/dev/null] [| head -N | tail -N | sed -n '/A/,/B/p' | grep [-B N] [-A N] RE]`;
    None for anything else (it then runs in bash)."""
    first, *pipes = command.split(" | ")
    words = shlex.split(first)
    env = {}
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words or words[0] != "bdur":
        return None
    stderr = words[-1] != "2>/dev/null"
    args = words[1:] if stderr else words[1:-1]
    if any(set(a) & set("<>&;$`") for a in args):
        return None
    filters = [f for f in map(_filter, pipes) if f is not None]
    return (env, args, stderr, filters) if len(filters) == len(pipes) else None


def _filter(stage: str) -> Filter | None:
    words = shlex.split(stage)
    match words:
        case ["head", n] if re.fullmatch(r"-[0-9]+", n):
            return lambda lines: lines[:int(n[1:])]
        case ["tail", n] if re.fullmatch(r"-[0-9]+", n):
            return lambda lines: lines[-int(n[1:]):]
        case ["sed", "-n", script] if (m := re.fullmatch(r"/(.*)/,/(.*)/p", script)):
            return lambda lines: _sed_range(lines, re.compile(m[1]), re.compile(m[2]))
        case ["grep", *opts, pattern] if all(re.fullmatch(r"-[AB][0-9]+", o) for o in opts):
            context = {o[1]: int(o[2:]) for o in opts}
            return lambda lines: _grep(lines, re.compile(pattern), context.get("B", 0),
                                       context.get("A", 0))
    return None


def _sed_range(lines: list[str], start: re.Pattern[str], end: re.Pattern[str]) -> list[str]:
    kept, inside = [], False
    for line in lines:
        if inside or start.search(line):
            kept.append(line)
            # sed looks for the end from the line after the start.
            inside = not (inside and end.search(line))
    return kept


def _grep(lines: list[str], pattern: re.Pattern[str], before: int, after: int) -> list[str]:
    shown = sorted({j for i, line in enumerate(lines) if pattern.search(line)
                    for j in range(max(0, i - before), min(len(lines), i + after + 1))})
    kept: list[str] = []
    for k, j in enumerate(shown):
        if k and j != shown[k - 1] + 1 and (before or after):
            kept.append("--")
        kept.append(lines[j])
    return kept


def in_process(command: str, cwd: Path) -> str:
    parsed = emulated(command)
    assert parsed is not None
    env, args, show_stderr, filters = parsed
    here = Path.cwd()
    os.chdir(cwd)
    try:
        # bash's glob: the matches in order, or the word itself when nothing matches.
        words = [m for w in args for m in ((sorted(glob.glob(w)) or [w]) if "*" in w else [w])]
        result = bdur(*words, env={**env_for(command), **env})
    finally:
        os.chdir(here)
    lines = result.stdout.splitlines()
    for keep in filters:
        lines = keep(lines)
    out = "".join(line + "\n" for line in lines)
    return _lines(out + (result.stderr if show_stderr else ""))


CASES = [(page.relative_to(ROOT).as_posix(), *case)
         for page in PAGES for case in examples(page.read_text(encoding="utf-8"))]


ELLIPSIS = "…\n"


def shown(actual: str, expected: str) -> str:
    """What the README shows of `actual`: all of it, or as many lines as the README shows
    before a closing '…' line (an example cut short on purpose)."""
    if not expected.endswith(ELLIPSIS):
        return actual
    keep = expected.count("\n") - 1
    return "".join(actual.splitlines(keepends=True)[:keep]) + ELLIPSIS


@pytest.mark.parametrize(("command", "expected"), [(c, e) for _, c, e, _, _ in CASES],
                         ids=[f"{p}: {c}" for p, c, _, _, _ in CASES])
def test_readme_example(command: str, expected: str) -> None:
    assert shown(run(command), expected) == expected


#: One example of each thing the in-process run emulates, run once more by bash and the
#: installed program: the emulation must not be what makes them pass.
SMOKE = ["| head -", "2>/dev/null | sed -n", "| grep -B", "| tail -", "COLUMNS=80 ", "--output ",
         EMPTY_FOLDER]


def _smoke() -> list[tuple[str, str]]:
    cases = [(c, e) for _, c, e, _, _ in CASES]
    return [next((c, e) for c, e in cases if part in c) for part in SMOKE]


@pytest.mark.parametrize(("command", "expected"), _smoke(), ids=SMOKE)
def test_the_same_in_a_shell(command: str, expected: str) -> None:
    assert emulated(command.removeprefix(EMPTY_FOLDER).split("  #")[0]) is not None
    assert shown(run(command, shell=True), expected) == expected


def test_docs_have_examples_of_every_command() -> None:
    commands = {c.split()[1] for _, c, _, _, _ in CASES if c.startswith("bdur ")}
    assert {"totals", "check", "compare", "report", "chart"} <= commands


def update() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for command, expected, start, end in reversed(examples(text)):
            text = text[:start] + shown(run(command), expected) + text[end:]
        page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        sys.exit("usage: python tests/test_readme.py --update")
