"""The README's and docs/ examples are real: every `$ bdur ...` in a console block that can run
from the repository (its files exist, it writes no file) is run, and its output must match.

    python tests/test_readme.py --update     # rewrite those outputs after a deliberate change
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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


def run(command: str) -> str:
    """The command's output; one that writes a file runs in a temporary folder holding a copy
    of data/ and examples/, so the repository is never written to, and what it says it
    wrote must be there."""
    if not writes(command):
        return _run(command, ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        for folder in ("data", "examples"):
            shutil.copytree(ROOT / folder, Path(tmp) / folder, symlinks=False)
        out = _run(command, Path(tmp))
        for written in re.findall(r"^wrote (\S+)$", out, re.M):
            assert (Path(tmp) / written).is_file(), f"{command}: {written} was not written"
        return out


def _run(command: str, cwd: Path) -> str:
    command = command.split("  #")[0].strip()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("BDUR_LOCALE", None)
    proc = subprocess.run(["bash", "-c", command.replace("python ", f"{sys.executable} ", 1)
                           if command.startswith("python ") else command],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    out = proc.stdout + proc.stderr
    return "".join(line.rstrip() + "\n" for line in out.splitlines())


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
