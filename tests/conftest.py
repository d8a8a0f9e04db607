"""What every test shares: the repository's paths, a known environment, bdur in-process (one
CliRunner) and as the installed program, and the plan, scenario and realisation-example
fixtures that tests patch by a small visible edit rather than copy."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "allocations.yaml"
SCENARIOS = ROOT / "data" / "scenarios"
REALISATION = ROOT / "examples" / "realisation"

#: Settings of the user's shell that change what bdur prints (width, colour, CI annotations,
#: locale, size limits); a test that wants one sets it itself. Without this, `COLUMNS=40
#: python -m pytest` or a run inside GitHub Actions would fail tests that are right.
_OUTSIDE = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
            "TERMINAL_WIDTH", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "BDUR_LOCALE",
            "BDUR_MAX_BYTES", "BDUR_MAX_EXPORT_BYTES")


#: bdur's plan cache (plan/cache.py) goes to a folder of the session's own, never the user's
#: home: set before collection, as some test modules load a plan when they are imported.
#: Shared by the session's tests, so most runs read plans the way a user's second run does.
_PLAN_CACHE: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _PLAN_CACHE
    _PLAN_CACHE = Path(tempfile.mkdtemp(prefix="bdur-test-cache-"))
    os.environ.pop("BDUR_CACHE", None)
    os.environ["XDG_CACHE_HOME"] = str(_PLAN_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _PLAN_CACHE is not None:
        shutil.rmtree(_PLAN_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _known_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests' own settings (BDUR_FUZZ_EXAMPLES, BDUR_REGENERATE, ...) are kept.
    for name in _OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("BDUR_CACHE", raising=False)
    if _PLAN_CACHE is not None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(_PLAN_CACHE))
    if os.environ.get("BDUR_TEST_CACHE") == "0":
        # scripts/mutation: mutants share one source tree (one build stamp, plan/cache.py),
        # so figures or parsed data kept under one mutant could hide the next; the cache's
        # own tests set BDUR_CACHE themselves.
        monkeypatch.setenv("BDUR_CACHE", "0")


# --- bdur in-process and as the installed program ---------------------------------------------

_RUNNER = CliRunner()


def bdur(*args: str | Path, env: Mapping[str, str | None] | None = None,
         input: str | bytes | None = None) -> Result:
    """`bdur ARGS` in-process, as from a script (stdout and stderr not a terminal). A Python
    exception escaping the command fails the test: bdur never shows a traceback."""
    from bdur_cli.cli import app

    result = _RUNNER.invoke(app, [str(a) for a in args], env=env, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"bdur {' '.join(map(str, args))} raised "
                             f"{result.exception!r}") from result.exception
    return result


def installed() -> str:
    """The installed `bdur` console script of this Python, for the tests that need a real
    process (signals, closed streams, encodings, the console script itself)."""
    exe = shutil.which("bdur", path=str(Path(sys.executable).parent)) or shutil.which("bdur")
    assert exe, "the bdur console script is not installed: pip install -e '.[test]'"
    return exe


# --- test data, each derived from one shipped source ------------------------------------------

@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (plan/cache.py), and the process's memo of loaded
    plans emptied around it, so every load goes to the cache or the file."""
    from bdur_cli.plan import pipeline

    where = tmp_path / "cache"
    monkeypatch.setenv("BDUR_CACHE", str(where))
    monkeypatch.setattr(pipeline, "_PLANS", {})
    return where


@pytest.fixture
def plan_text() -> str:
    return PLAN.read_text(encoding="utf-8")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in tmp_path and return its path."""

    def _write(content: str | bytes, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def mutate(plan_text: str, write: Callable[..., Path]) -> Callable[[str, str], Path]:
    """The shipped plan with one exact substring replaced (asserted to be present once)."""

    def _mutate(old: str, new: str) -> Path:
        assert plan_text.count(old) == 1, f"{old!r} occurs {plan_text.count(old)} times"
        return write(plan_text.replace(old, new))

    return _mutate


def example_budget(folder: Path) -> None:
    """The shipped budget (examples/realisation/begrotingswijziging-2024-1.yaml) and its base
    copied into `folder`, the base beside it: a mapping there names `plan:` inside its own
    project, as it must (issue 20: a mapping's plan is confined like a scenario's base)."""
    example = ROOT / "examples" / "realisation"
    text = (example / "begrotingswijziging-2024-1.yaml").read_text(encoding="utf-8")
    assert text.count("base: ../../data/allocations.yaml") == 1
    (folder / "begrotingswijziging-2024-1.yaml").write_text(
        text.replace("base: ../../data/allocations.yaml", "base: allocations.yaml"),
        encoding="utf-8")
    (folder / "allocations.yaml").write_bytes(PLAN.read_bytes())


@pytest.fixture
def scenario(write: Callable[..., Path], tmp_path: Path) -> Callable[..., Path]:
    """A scenario file next to a copy of the shipped plan (base: allocations.yaml)."""
    (tmp_path / "allocations.yaml").write_text(PLAN.read_text(encoding="utf-8"),
                                               encoding="utf-8")

    def _scenario(body: str, name: str = "s.yaml") -> Path:
        return write("scenario: {name: Test}\nbase: allocations.yaml\n" + body, name)

    return _scenario


#: `example(*EXPORT_COMPLETE)`: the example's mapping without its `closed_through: 2025`. Without
#: that key (and without --through) the export is taken as complete: every year anything is
#: booked in is closed, 2026 too, and the tables have no forecast columns.
EXPORT_COMPLETE = ("mapping.yaml", "closed_through: 2025\n", "")

#: The realisation example's files that a test may patch (the budget stays the shipped one).
_EXAMPLE_FILES = ("mapping.yaml", "toelichting.yaml", "grootboek.csv", "grootboek.xlsx",
                  "formatie.yaml", "resultaatbestemming.yaml")


@pytest.fixture
def example(tmp_path: Path) -> Callable[..., Path]:
    """The realisation example (examples/realisation) copied to tmp_path with the shipped
    budget and its base beside the mapping (a mapping's plan lies inside its own project, as
    it must). `example(file, old, new, ...)`
    replaces each exact substring (asserted to occur once) in one file and returns the
    mapping's path; `example()` changes nothing."""
    return example_in(tmp_path)


def example_in(folder: Path) -> Callable[..., Path]:
    """The `example` fixture's copy in `folder` (for a fixture of wider scope)."""
    for name in _EXAMPLE_FILES:
        shutil.copy(REALISATION / name, folder / name)
    example_budget(folder)
    mapping = folder / "mapping.yaml"

    def edit(name: str | None = None, *pairs: str) -> Path:
        if name is not None:
            path = folder / name
            enc = "cp1252" if name.endswith(".csv") else "utf-8"  # the export is Excel's CSV
            content = path.read_text(encoding=enc)
            for old, new in zip(pairs[::2], pairs[1::2], strict=True):
                assert content.count(old) == 1, f"{old!r} occurs {content.count(old)} times"
                content = content.replace(old, new)
            path.write_text(content, encoding=enc, newline="")
        return mapping

    return edit


@pytest.fixture
def shipped(write: Callable[..., Path]) -> Callable[..., Path]:
    """A shipped example plan (a path under the repository, such as
    'examples/two-cuts/plan.yaml') copied to tmp_path with each exact substring replaced
    (asserted to occur once): `shipped(example, old, new, ...)` returns the copy's path;
    `name=` names the copy (default plan.yaml)."""

    def _shipped(example: str, *pairs: str, name: str = "plan.yaml") -> Path:
        content = (ROOT / example).read_text(encoding="utf-8")
        for old, new in zip(pairs[::2], pairs[1::2], strict=True):
            assert content.count(old) == 1, f"{old!r} occurs {content.count(old)} times"
            content = content.replace(old, new)
        return write(content, name)

    return _shipped
