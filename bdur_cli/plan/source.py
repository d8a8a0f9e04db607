"""Where a plan came from: the parsed file (`Source`) and a validated plan with it (`Loaded`).

Shared by the loader (which makes them), the scenario module (which maps a key path of the
resulting plan back to the file it was written in) and everything above. Below both, so
that neither imports the other for them.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import Finding, Location
from .model import Plan, ScenarioMeta

#: A key path inside a document: ("themes", 0, "lines", 2, "fte").
KeyPath = tuple[str | int, ...]


@dataclass
class Marked:
    """Parsed YAML data and where each part was written, without the parser's node tree.

    `spans` holds, per container (by `id`; `data` keeps them alive), an array of positions
    (line << 32 | column, both from 0): the container's own, then for a mapping each key's and
    value's in order, for a sequence each item's.
    """

    data: Any
    spans: dict[int, array[int]]


def _position(pos: int) -> tuple[int, int]:
    return (pos >> 32) + 1, (pos & 0xFFFFFFFF) + 1


@dataclass
class Source:
    """A parsed file: its path, text and where each value was written, to locate key paths
    after validation."""

    path: str
    text: str
    root: Marked | None
    #: Parses `text` again when `root` was let go (`let_go`) and a location is asked for.
    reparse: Callable[[str], Marked | None] | None = field(default=None, repr=False,
                                                          compare=False)

    def let_go(self, reparse: Callable[[str], Marked | None]) -> None:
        """Drop the parsed data once the plan is validated: for a large plan it is a third of
        the memory, and most runs never ask where something was written. When one does, the
        text is parsed again (the same text, so the same positions)."""
        self.root, self.reparse = None, reparse

    def marked(self) -> Marked | None:
        """The parsed data and its positions (parsed again if it was let go)."""
        if self.root is None and self.reparse is not None:
            self.root, self.reparse = self.reparse(self.text), None
        return self.root

    def position_at(self, path: KeyPath) -> tuple[int | None, int | None]:
        """The positions of the deepest (key, value) reachable along `path`."""
        root = self.marked()
        if root is None:
            return None, None
        spans = root.spans
        data = root.data
        key: int | None = None
        at: int | None = spans[id(data)][0] if id(data) in spans else None
        for part in path:
            if isinstance(data, dict):
                marks = spans[id(data)]
                wanted = str(part)
                for i, k in enumerate(data):
                    if str(k) == wanted:
                        key, at, data = marks[1 + 2 * i], marks[2 + 2 * i], data[k]
                        break
                else:
                    break
            elif isinstance(data, list) and isinstance(part, int):
                if not 0 <= part < len(data):
                    break
                key, at, data = None, spans[id(data)][1 + part], data[part]
            else:
                break
        return key, at

    def value_at(self, path: KeyPath) -> Any:
        """The parsed data at `path`, or None where the path leads nowhere."""
        root = self.marked()
        data = root.data if root is not None else None
        for part in path:
            if isinstance(data, dict):
                data = next((v for k, v in data.items() if str(k) == str(part)), None)
            elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
                data = data[part]
            else:
                return None
        return data

    def locate(self, path: KeyPath, at_key: bool = False) -> Location:
        key, at = self.position_at(path)
        target = key if (at_key and key is not None) or at is None else at
        if target is None:
            return Location(self.path, 1, 1)
        return Location(self.path, *_position(target))


@dataclass
class Loaded:
    """A validated plan with the source it came from.

    For a scenario, `plan` is the base with the scenario applied, `source` maps a key path of
    that plan to the file it comes from (`source.locate`), `scenario` holds its name and
    description, and `files` the chain of parsed files, the scenario first and the plan last.
    """

    plan: Plan
    source: Source
    scenario: ScenarioMeta | None = None  # None for a plain plan
    files: tuple[Source, ...] = ()
    #: The reference checks' warnings, located (their errors refuse the plan while loading).
    warnings: tuple[Finding, ...] = ()

    def locate(self, path: KeyPath, at_key: bool = False) -> Location:
        """Where a key path of `plan` was written (in the scenario or in its base)."""
        return self.source.locate(path, at_key)

    @property
    def texts(self) -> dict[str, str]:
        """Every file's text by display path, for quoting a located line."""
        return {s.path: s.text for s in (self.files or (self.source,))}
