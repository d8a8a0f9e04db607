"""The figures `bdur totals` keeps between runs (plan/memo.py, plan/cache.py): read back only
for the same request over the same bytes of a plan (never a scenario), by the same build of
bdur, and never different from the figures computed afresh."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.plan import cache, memo, pipeline
from bdur_cli.plan.engine import totals as compute
from bdur_cli.plan.flows import granted_only
from bdur_cli.plan.results import CLASSES, PlanTotals
from bdur_cli.render.encode import to_json
from conftest import PLAN, ROOT, SCENARIOS, bdur

#: Files of examples/ that are refused on purpose (their own comments say so).
REFUSED = {"one-off-month.yaml", "cycle-a.yaml", "cycle-b.yaml", "scenario.yaml"}
#: Every plan and scenario the project ships, but those refused on purpose.
SHIPPED = [PLAN, *sorted(SCENARIOS.glob("*.yaml")),
           *sorted(p for p in (ROOT / "examples").rglob("*.yaml") if p.name not in REFUSED
                   and p.name not in {"mapping.yaml", "toelichting.yaml", "formatie.yaml",
                                      "resultaatbestemming.yaml"})]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans loaded (as `memo` loads them, from `pipeline` when it is called)."""
    seen: list[str] = []
    real = pipeline.load_plan

    def counting(path: str | Path, *args: object, **kwargs: object) -> object:
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_plan", counting)
    return seen


def _kept(where: Path) -> list[Path]:
    return sorted((where / "figures").glob("*.json"))


def _requests(path: Path) -> Iterator[tuple[int | None, str, bool]]:
    plan = pipeline.load_plan(path).plan
    for year in (None, *plan.years):
        for prices in ("nominal", "constant"):
            for granted in (False, True):
                yield year, prices, granted


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_figure_comes_back_exactly(path: Path) -> None:
    """Every request over every shipped file: the figures through the cache's format equal
    the engine's, to the last digit and exponent of every Decimal (repr), and print the
    same JSON."""
    plan = pipeline.load_plan(path).plan
    for year, prices, granted in _requests(path):
        figures = compute(granted_only(plan) if granted else plan, year, prices)
        result = PlanTotals(plan.plan.title, plan.years.start, plan.years.stop - 1,
                            plan.indexation.base_year if plan.indexation else None, figures)
        back = cache._from_data(json.loads(json.dumps(cache._to_data(result))))
        assert back == result
        assert _exact(back) == _exact(result)
        assert to_json(back.totals.as_dict()) == to_json(figures.as_dict())


def _exact(value: object) -> object:
    """`value` with every Decimal as its text (1.0 is not 1 here, as on the screen), every
    mapping in its order (a table's column order), and every field of a dataclass, its
    running sums (`Sums`) included."""
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return [("key", _exact(k), _exact(v)) for k, v in value.items()]
    if isinstance(value, frozenset):
        return ("set", sorted(map(repr, value)))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_exact(v) for v in value])
    if type(value) in CLASSES:
        from dataclasses import fields

        return (type(value).__name__,
                [(f.name, _exact(getattr(value, f.name))) for f in fields(value)])  # type: ignore[arg-type]
    return (type(value).__name__, value)


def test_a_decimal_keeps_its_exponent_and_sign() -> None:
    for text in ("1.50", "-0", "1E+3", "0.0001", "-2.5", "123456789012345.6789"):
        back = cache._from_data(json.loads(json.dumps(cache._to_data(Decimal(text)))))
        assert str(back) == text


def test_the_second_run_draws_the_kept_figures(own_cache: Path, loads: list[str]) -> None:
    first = bdur("totals", "2024", "-f", PLAN)
    assert first.exit_code == 0 and "1,505,000" in first.stdout  # the memo's 2024 total
    assert loads == ["allocations.yaml"] and len(_kept(own_cache)) == 1
    again = bdur("totals", "2024", "-f", PLAN)
    assert again.stdout == first.stdout and again.exit_code == 0
    assert loads == ["allocations.yaml"]  # no plan loaded the second time
    # Another request over the same plan is figures of its own.
    other = bdur("totals", "2024", "-f", PLAN, "--funding", "granted")
    assert loads == ["allocations.yaml"] * 2 and len(_kept(own_cache)) == 2
    assert "none granted" in other.stdout and "none granted" not in first.stdout


@pytest.mark.parametrize("args", [
    ("totals",), ("totals", "2023"), ("totals", "--format", "json"),
    ("totals", "2026", "--format", "csv", "--funding", "granted"),
    ("totals", "--prices", "constant", "--locale", "nl", "--unit", "thousand"),
    ("totals", "2025", "--format", "markdown", "--funding", "granted"),
])
def test_kept_and_computed_print_the_same(own_cache: Path, loads: list[str],
                                          args: tuple[str, ...]) -> None:
    plans = (PLAN, ROOT / "examples" / "noorderkust.yaml")
    for path in plans:
        computed = bdur(*args, "-f", path, env={"BDUR_CACHE": "0"})
        bdur(*args, "-f", path)
        kept = bdur(*args, "-f", path)
        assert (kept.exit_code, kept.stdout, kept.stderr) == \
            (computed.exit_code, computed.stdout, computed.stderr)
    # noorderkust's horizon starts in 2025: its 2023 is refused each time, and never kept.
    if "2023" in args:
        assert loads == ["allocations.yaml"] * 2 + ["noorderkust.yaml"] * 3
    else:
        assert loads == ["allocations.yaml"] * 2 + ["noorderkust.yaml"] * 2
    assert len(_kept(own_cache)) == (1 if "2023" in args else 2)


def test_a_scenario_is_computed_every_run(own_cache: Path, tmp_path: Path, plan_text: str,
                                          loads: list[str]) -> None:
    """A scenario's figures also depend on its base and on what its project lets it read:
    never kept, so a changed base is seen at once."""
    base = tmp_path / "plan.yaml"
    base.write_text(plan_text, encoding="utf-8")
    scenario = tmp_path / "cut.yaml"
    scenario.write_text("scenario: {name: cut}\nbase: plan.yaml\n"
                        "funding:\n  scale: {factor: 0.9, from_year: 2023}\n", encoding="utf-8")
    args = ("totals", "2024", "-f", scenario, "--format", "json")
    assert json.loads(bdur(*args).stdout)["funding"] == 1485000  # 1,650,000 x 0.9
    base.write_text(plan_text.replace("  2024:\n    amount: 1650000",
                                      "  2024:\n    amount: 1650005"), encoding="utf-8")
    assert json.loads(bdur(*args).stdout)["funding"] == 1485005  # 1,485,004.5, half up
    assert loads == ["cut.yaml"] * 2 and _kept(own_cache) == []
    shipped = bdur("totals", "-f", SCENARIOS / "bdur-cut-2026.yaml")
    assert shipped.exit_code == 0 and _kept(own_cache) == []


def test_the_same_bytes_elsewhere_are_the_same_plan(own_cache: Path, tmp_path: Path,
                                                    loads: list[str]) -> None:
    first = bdur("totals", "2024", "-f", PLAN)
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(PLAN.read_bytes())
    again = bdur("totals", "2024", "-f", copy)
    assert again.stdout == first.stdout and loads == ["allocations.yaml"]


def test_an_edited_plan_is_computed_again(own_cache: Path, mutate: Callable[[str, str], Path],
                                          loads: list[str]) -> None:
    path = mutate("  2024:\n    amount: 1650000", "  2024:\n    amount: 1650001")
    assert bdur("totals", "2024", "-f", path, "--format", "json").exit_code == 0
    before = json.loads(bdur("totals", "2024", "-f", path, "--format", "json").stdout)
    assert loads == ["plan.yaml"]
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 1650001",
                                                             "amount: 1650002"),
                    encoding="utf-8")
    after = json.loads(bdur("totals", "2024", "-f", path, "--format", "json").stdout)
    assert loads == ["plan.yaml"] * 2
    assert (before["funding"], after["funding"]) == (1650001, 1650002)


def test_another_build_never_reads_them(own_cache: Path, monkeypatch: pytest.MonkeyPatch,
                                        loads: list[str]) -> None:
    bdur("totals", "2024", "-f", PLAN)
    monkeypatch.setattr(cache, "build", lambda: "0.1.0+another")
    assert bdur("totals", "2024", "-f", PLAN).exit_code == 0
    assert loads == ["allocations.yaml"] * 2


def test_the_build_changes_with_the_code(tmp_path: Path) -> None:
    """A development install keeps its version while its code changes: the stamp sees a
    module's size or time, in any folder but caches'."""
    package = tmp_path / "bdur_cli"
    (package / "plan").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    module = package / "plan" / "engine.py"
    module.write_text("x = 1\n", encoding="utf-8")
    before = cache._stamp(package)
    (package / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"compiled")
    (package / "plan" / "notes.txt").write_text("not a module", encoding="utf-8")
    assert cache._stamp(package) == before
    info = module.stat()
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    touched = cache._stamp(package)
    assert touched != before
    module.write_text("x = 10\n", encoding="utf-8")  # a byte longer, at the same time
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    assert cache._stamp(package) not in (before, touched)


#: Damage to a kept result (the line after the head), each caught by the decoder itself.
MALFORMED: list[Callable[[str], str]] = [
    lambda body: body[: len(body) // 2],  # cut off
    lambda body: body.replace('"YearTotals"', '"ReserveYear"'),  # a result of another shape
    lambda body: body.replace('"YearTotals"', '"PosixPath"'),  # not a result's class
    lambda body: body.replace('"\\u0000d1505000"', '1505000.0'),  # a float
    lambda body: body.replace('"\\u0000d1505000"', '"\\u0000dabc"'),  # not a number
    lambda body: body.replace('"\\u0000d1505000"', '"\\u0000x1"'),  # an unknown tag
    lambda body: body.replace('"planned"', '"planed"'),  # a field the class does not have
    lambda body: "[]",
    lambda body: "",
]
#: Damage the decoder cannot tell from a result: only the head's hash finds it.
WELL_FORMED: list[Callable[[str], str]] = [
    lambda body: body.replace('"\\u0000d1505000"', '"\\u0000d9999999"'),  # another figure
    lambda body: body.replace('"first":2023', '"first":"2023"'),  # not a year
]


def _damage(where: Path, damage: Callable[[str], str], rehash: bool) -> None:
    [kept] = _kept(where)
    head, body = kept.read_text(encoding="utf-8").split("\n", 1)
    changed = damage(body)
    assert changed != body, "the damage must change the file"
    doc = json.loads(head)
    if rehash:
        doc["sha256"] = hashlib.sha256(changed.encode("utf-8")).hexdigest()
    kept.write_text(json.dumps(doc) + "\n" + changed, encoding="utf-8")


@pytest.mark.parametrize(("damage", "rehash"), [
    *((d, False) for d in MALFORMED + WELL_FORMED),
    # Behind the hash: a file whose head matches its damaged rest is still no result.
    *((d, True) for d in MALFORMED),
])
def test_a_damaged_file_is_computed_again(own_cache: Path, loads: list[str],
                                          damage: Callable[[str], str], rehash: bool) -> None:
    first = bdur("totals", "2024", "-f", PLAN, "--format", "json")
    _damage(own_cache, damage, rehash)
    again = bdur("totals", "2024", "-f", PLAN, "--format", "json")
    assert (again.exit_code, again.stdout) == (0, first.stdout)
    assert loads == ["allocations.yaml"] * 2


@pytest.mark.parametrize("head", [
    lambda doc: {**doc, "bdur": "0.0.1+other"},
    lambda doc: {**doc, "format": 0},
    lambda doc: {**doc, "name": "0" * 64},
    lambda doc: [doc],
])
def test_a_head_that_is_not_this_builds_is_a_miss(own_cache: Path, loads: list[str],
                                                  head: Callable[[Any], Any]) -> None:
    bdur("totals", "2024", "-f", PLAN)
    [kept] = _kept(own_cache)
    line, body = kept.read_text(encoding="utf-8").split("\n", 1)
    kept.write_text(json.dumps(head(json.loads(line))) + "\n" + body, encoding="utf-8")
    assert bdur("totals", "2024", "-f", PLAN).exit_code == 0
    assert loads == ["allocations.yaml"] * 2


def test_a_fifo_in_the_cache_never_blocks(own_cache: Path, loads: list[str]) -> None:
    bdur("totals", "2024", "-f", PLAN)
    [kept] = _kept(own_cache)
    kept.unlink()
    os.mkfifo(kept)
    assert bdur("totals", "2024", "-f", PLAN).exit_code == 0
    assert loads == ["allocations.yaml"] * 2


def test_a_read_file_is_kept_longest(own_cache: Path) -> None:
    """The oldest are removed first, by when they were last read, not written."""
    bdur("totals", "2024", "-f", PLAN)
    [kept] = _kept(own_cache)
    os.utime(kept, (1, 1))
    bdur("totals", "2024", "-f", PLAN)
    assert kept.stat().st_mtime > 1


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("BDUR_CACHE", "0")
    assert bdur("totals", "2024", "-f", PLAN).exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_a_year_outside_the_horizon_is_refused_every_time(own_cache: Path) -> None:
    for _ in range(2):
        out = bdur("totals", "2031", "-f", PLAN)
        assert out.exit_code == 2
        assert "2031 is outside the horizon 2023-2026" in out.stderr
    assert _kept(own_cache) == []


def test_a_read_only_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BDUR_CACHE", str(blocked / "bdur"))
    out = bdur("totals", "2024", "-f", PLAN)
    assert out.exit_code == 0 and "1,505,000" in out.stdout and out.stderr == ""


def test_a_missing_plan_is_the_loaders_error(own_cache: Path, tmp_path: Path) -> None:
    out = bdur("totals", "-f", tmp_path / "nope.yaml")
    assert out.exit_code == 2
    assert "nope.yaml" in out.stderr and "[unreadable]" in out.stderr


def test_only_result_types_are_ever_written() -> None:
    assert {c.__name__ for c in CLASSES} == {
        "PlanTotals", "Totals", "YearTotals", "GroupTotals", "Sums", "ReserveYear"}
    for value in (1.5, Path("x"), object(), "\0tag", {"\0key": 1}, {1.5: 1}):
        with pytest.raises(cache._Uncacheable):
            cache._to_data(value)


def test_memo_reads_the_file_once_it_keeps(own_cache: Path, loads: list[str]) -> None:
    """The API's view of the same: `memo.totals` returns what the engine computes, the second
    time without loading the plan."""
    shown = memo.totals(PLAN, 2024)
    assert (shown.title, shown.first, shown.last, shown.base_year) == (
        "Besteding extra BDuR-gelden crisisbeheersing 2023-2026", 2023, 2026, None)
    assert shown.totals is not None and shown.totals.years[0].planned == Decimal(1505000)
    again = memo.totals(PLAN, 2024)
    assert _exact(again) == _exact(shown) and loads == ["allocations.yaml"]
