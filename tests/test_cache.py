"""The plan cache (plan/cache.py): a valid plan's parsed data kept as JSON between runs, read
back only for the same text by the same version, and never changing what bdur says."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bdur_cli import __version__
from bdur_cli.numbers import YamlFloat
from bdur_cli.plan import cache, pipeline
from conftest import PLAN, bdur


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files parsed as YAML."""
    seen: list[str] = []
    real = pipeline.parse

    def counting(text: str, display: str) -> object:
        seen.append(display)
        return real(text, display)

    monkeypatch.setattr(pipeline, "parse", counting)
    return seen


def _fresh() -> None:
    pipeline._PLANS.clear()


def test_a_valid_plan_is_read_once_then_from_the_cache(own_cache: Path, parses: list[str]) -> None:
    first = pipeline.load_plan(PLAN, "plan.yaml")
    [written] = own_cache.glob("*.json")
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert (doc["format"], doc["bdur"]) == (1, __version__)
    assert doc["data"]["funding"]["\0m"][0][0] == 2023  # a year key, kept an integer
    _fresh()
    again = pipeline.load_plan(PLAN, "plan.yaml")
    assert parses == ["plan.yaml"]  # the second load parsed no YAML
    assert again.plan == first.plan
    # A location asked for later still comes from the text: the memo's 2024 funding row.
    line = PLAN.read_text(encoding="utf-8").splitlines().index("  2024:") + 1
    assert again.locate(("funding", 2024), at_key=True).line == line


def _patched(write: Callable[..., Path], old: str, new: str) -> Path:
    text = PLAN.read_text(encoding="utf-8")
    assert old in text
    return write(text.replace(old, new, 1))


def _check(path: Path, env: dict[str, str | None]) -> tuple[int, str, str]:
    _fresh()
    result = bdur("check", path, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("old", "new", "cached", "code"), [
    # A broken rule (stated total): the plan is valid data and cached, the finding located.
    ("  2025: {planned: 1605000, fte: 13}", "  2025: {planned: 1605001, fte: 13}", True, 1),
    # A reference warning (until past the horizon): never cached, its location kept.
    ("        fte: 1\n        rate: internal\n        note: Tabel 1, capaciteit structureel "
     "2024 e.v.", "        until: 2030\n        fte: 1\n        rate: internal\n        note: "
     "Tabel 1, capaciteit structureel 2024 e.v.", False, 0),
    # Invalid: a schema error and a YAML error; nothing cached.
    ("  2025: {planned: 1605000, fte: 13}", "  2025: {planned: lots, fte: 13}", False, 1),
    ("  2025: {planned: 1605000, fte: 13}", "  2025: {planned: 1605000, fte: 13", False, 1),
])
def test_findings_are_the_same_with_and_without_the_cache(
        own_cache: Path, write: Callable[..., Path], old: str, new: str, cached: bool,
        code: int) -> None:
    path = _patched(write, old, new)
    off = _check(path, {"BDUR_CACHE": "0"})
    assert not own_cache.exists()
    cold = _check(path, {})
    assert len(list(own_cache.glob("*.json"))) == (1 if cached else 0)
    warm = _check(path, {})
    assert off == cold == warm
    assert off[0] == code
    out, err = off[1:]
    at = PLAN.read_text(encoding="utf-8").split(old)[0].count("\n") + 1
    if new.endswith("fte: 13"):  # the YAML error: where libyaml noticed it
        assert re.search(r"plan\.yaml:\d+:\d+: error: ", out + err)
    else:
        assert f"plan.yaml:{at}:" in out + err


def test_a_damaged_stale_or_foreign_cache_file_is_ignored(own_cache: Path, parses: list[str]
                                                          ) -> None:
    expected = pipeline.load_plan(PLAN, "plan.yaml").plan
    [written] = own_cache.glob("*.json")
    good = json.loads(written.read_text(encoding="utf-8"))
    for body in ("{not json", b"\xff\xfe\x00", "", json.dumps({**good, "bdur": "0.0.1"}),
                 json.dumps({**good, "format": 99}), json.dumps({**good, "sha256": "0" * 64}),
                 json.dumps({**good, "data": ["a list"]}),
                 json.dumps({**good, "data": {"\0m": 5}}),
                 json.dumps({**good, "data": {"\0": 1, "x": "\0zz"}}),
                 # Valid data whose references no longer resolve (the rates renamed): the
                 # reference checks run on a cached plan too, and any finding sends bdur to
                 # the file.
                 json.dumps({**good, "data": {**good["data"], "rates": {
                     f"other-{k}": v for k, v in good["data"]["rates"].items()}}})):
        parses.clear()
        if isinstance(body, bytes):
            written.write_bytes(body)
        else:
            written.write_text(body, encoding="utf-8")
        _fresh()
        assert pipeline.load_plan(PLAN, "plan.yaml").plan == expected, body
        assert parses == ["plan.yaml"], body  # read from the file itself
        # ... and the file rewritten whole from it.
        assert json.loads(written.read_text(encoding="utf-8")) == good


def test_yaml_data_round_trips_exactly(own_cache: Path) -> None:
    data = {"plan": {"a": YamlFloat("1.50"), "b": [YamlFloat("0.5"), "0.5", [YamlFloat("2.0")]],
                     "c": True, "d": None, "e": 7},
            "funding": {2023: {"amount": 1}, True: "yes", None: [1, YamlFloat("1.0")]},
            "text": "ünïcode, \"quotes\" and a \\ backslash"}
    cache.write("some text", data)
    back = cache.read("some text")
    assert back == data
    assert type(back["plan"]["a"]) is YamlFloat and back["plan"]["a"] == "1.50"
    assert [type(v) for v in back["plan"]["b"]] == [YamlFloat, str, list]
    assert type(back["plan"]["b"][2][0]) is YamlFloat
    assert list(back["funding"]) == [2023, True, None]
    assert type(back["funding"][None][1]) is YamlFloat
    assert cache.read("other text") is None


def test_off_and_where(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BDUR_CACHE", "0")
    assert cache.folder() is None
    cache.write("t", {"a": 1})  # nothing, no error
    monkeypatch.delenv("BDUR_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "bdur"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "bdur"


def test_a_folder_that_cannot_be_written_costs_nothing(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BDUR_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(pipeline, "_PLANS", {})
    assert pipeline.load_plan(PLAN, "plan.yaml").plan.years == range(2023, 2027)
