"""Budget states: the primitive budget and the budget after amendments, as of a date.

A budget amendment (begrotingswijziging) is a scenario file whose `scenario:` block holds an
`amendment:` (number, adopted, by); its `base` is the plan or the previous amendment. So the
amendments form a chain from the newest back to the plan as first adopted (the primitieve
begroting). The budget as it stood on a date is the newest file in that chain adopted on or
before it; the chain's dates may not go back in time.

This reads only the top of each file to walk the chain; the state chosen is then loaded the
usual way (`loader.load_plan`), which validates it fully.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding
from .loader import parse, read_text
from .pipeline import confine_base, load_plan
from .source import Source


@dataclass(frozen=True)
class State:
    """One file of the chain: an amendment (with its number, date and adopter) or the plan."""

    path: Path
    display: str
    name: str | None = None
    number: str | None = None
    adopted: date | None = None
    by: str | None = None

    @property
    def is_amendment(self) -> bool:
        return self.adopted is not None

    def as_dict(self) -> dict[str, object]:
        return {"file": self.display, "number": self.number, "name": self.name,
                "adopted": self.adopted.isoformat() if self.adopted else None, "by": self.by}


def chain(path: Path, display: str | None = None) -> list[State]:
    """The file and its bases, newest first, as long as they are amendments; the last entry is
    the first file that is not (the primitive budget)."""
    out: list[State] = []
    seen: set[Path] = set()
    p, shown = path, display or str(path)
    while True:
        text = read_text(p, shown)
        data, source = parse(text, shown)
        meta = data.get("scenario")
        raw = meta.get("amendment") if isinstance(meta, dict) else None
        if raw is None or p.resolve() in seen:
            out.append(State(p, shown))
            return out
        seen.add(p.resolve())
        state = _state(p, shown, meta, raw, source)
        if out and out[-1].adopted is not None and state.adopted is not None and \
                state.adopted > out[-1].adopted:
            later = out[-1]
            raise BdurError([Finding(
                "amendment-order", f"amendment {later.number} ({later.adopted}) builds on "
                f"amendment {state.number}, adopted later ({state.adopted})",
                location=source.locate(("scenario", "amendment", "adopted")),
                hint="an amendment's base is the plan or an amendment adopted before it")],
                EXIT_INVALID, {shown: text})
        out.append(state)
        base = data.get("base")
        if not isinstance(base, str):
            load_plan(p, shown)  # a scenario without a usable base: its own located error
            raise AssertionError("unreachable")  # pragma: no cover
        if confine_base(p, base) is not None:
            load_plan(p, shown)  # a base outside the project: its located error, never read
        shown = os.path.normpath(os.path.join(os.path.dirname(shown), base))
        p = p.parent / base


def _state(p: Path, shown: str, meta: dict[str, Any], raw: Any, source: Source) -> State:
    from .model import Amendment

    try:
        am = Amendment.model_validate(raw)
    except ValidationError:
        load_plan(p, shown)  # raises the located findings of the whole file
        raise
    name = meta.get("name")
    return State(p, shown, name if isinstance(name, str) else None, am.number,
                 date.fromisoformat(am.adopted), am.by)


def as_of(states: list[State], when: date) -> list[State]:
    """The chain as it stood on `when`: the amendments adopted by then, newest first, and the
    primitive budget last."""
    for i, state in enumerate(states):
        if state.adopted is None or state.adopted <= when:
            return states[i:]
    return states[-1:]  # pragma: no cover - the last state is never an amendment


def parse_date(text: str) -> date:
    """`--as-of 2024-07-01` as a date; a usage error otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BdurError([Finding("usage", f"--as-of: expected a date as YYYY-MM-DD, such as "
                                 f"2024-07-01, got '{text}'")], EXIT_USAGE) from None
