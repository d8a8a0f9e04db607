from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "allocations.yaml"
SCENARIOS = ROOT / "data" / "scenarios"


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
