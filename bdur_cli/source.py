"""Where a plan came from: the parsed file (`Source`) and a validated plan with it (`Loaded`).

Shared by the loader (which makes them), the scenario module (which maps a key path of the
resulting plan back to the file it was written in) and everything above. Below both, so
that neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import Location
from .model import Plan, ScenarioMeta

#: A key path inside a document: ("themes", 0, "lines", 2, "fte").
KeyPath = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed file: its path, text and node tree, to locate key paths after validation."""

    path: str
    text: str
    root: yaml.Node | None

    def node_at(self, path: KeyPath) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The deepest (key node, value node) reachable along `path`."""
        key: yaml.Node | None = None
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if str(k.value) == str(part):
                        key, node = k, v
                        break
                else:
                    return key, node
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return key, node
                key, node = None, node.value[part]
            else:
                return key, node
        return key, node

    def locate(self, path: KeyPath, at_key: bool = False) -> Location:
        key, node = self.node_at(path)
        target = key if (at_key and key is not None) or node is None else node
        if target is None:
            return Location(self.path, 1, 1)
        mark = target.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)


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

    def locate(self, path: KeyPath, at_key: bool = False) -> Location:
        """Where a key path of `plan` was written (in the scenario or in its base)."""
        return self.source.locate(path, at_key)

    @property
    def texts(self) -> dict[str, str]:
        """Every file's text by display path, for quoting a located line."""
        return {s.path: s.text for s in (self.files or (self.source,))}
