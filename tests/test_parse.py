"""The YAML reader: data built from parser events equals PyYAML's own reading, every key and
value is located where PyYAML's node tree says it is, and what we refuse is refused in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bdur_cli.errors import BdurError
from bdur_cli.numbers import YamlFloat
from bdur_cli.plan.loader import parse
from conftest import PLAN, SCENARIOS

FILES = [PLAN, *sorted(SCENARIOS.glob("*.yaml"))]


class _TextFloats(yaml.SafeLoader):
    """PyYAML's safe loader, with floats and dates kept as their text (as bdur keeps them)."""


_TextFloats.add_constructor("tag:yaml.org,2002:float",
                            lambda loader, node: YamlFloat(node.value))
_TextFloats.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


def _walk(node: yaml.Node, path: tuple[Any, ...] = ()) -> Any:
    """Every (key path, key node or None, value node) of PyYAML's node tree."""
    yield path, None, node
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = yaml.load(yaml.serialize(k), Loader=_TextFloats)
            for sub in _walk(v, (*path, key)):
                yield sub if sub[0] != (*path, key) else (sub[0], k, sub[2])
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            yield from _walk(v, (*path, i))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_data_equals_pyyaml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data, _ = parse(text, path.name)
    assert data == yaml.load(text, Loader=_TextFloats)
    if path == PLAN:  # its 1.5 fte reach the validators as their text
        assert YamlFloat("1.5") in list(_values(data))


def _values(data: Any) -> Any:
    if isinstance(data, dict):
        for v in data.values():
            yield from _values(v)
    elif isinstance(data, list):
        for v in data:
            yield from _values(v)
    else:
        yield data


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_key_and_value_is_located_as_pyyaml_marks_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _, source = parse(text, path.name)
    seen = 0
    for keys, key_node, node in _walk(yaml.compose(text, Loader=yaml.SafeLoader)):
        at = source.locate(keys)
        assert (at.line, at.column) == (node.start_mark.line + 1, node.start_mark.column + 1)
        if key_node is not None:
            at = source.locate(keys, at_key=True)
            assert (at.line, at.column) == (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
        seen += 1
    assert seen > 5


def refused(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(BdurError) as info:
        parse(text, "x.yaml")
    [f] = info.value.findings
    assert f.location is not None
    return f.code, f.location.line, f.location.column, f.message


ALIAS = "anchors and aliases (&, *) are not supported"


def test_an_anchor_on_a_scalar_is_refused_where_it_stands() -> None:
    assert refused("a: 1\nb: &x 2\nc: *x\n") == ("alias", 2, 4, ALIAS)


def test_an_alias_alone_is_refused_where_it_stands() -> None:
    assert refused("a: 1\nb: [1, *x]\n") == ("alias", 2, 8, ALIAS)


def test_a_merge_key_is_refused_at_the_key() -> None:
    assert refused("a: {b: 1}\nc:\n  <<: {b: 2}\n") == (
        "yaml-key", 3, 3, "merge keys (<<) are not supported")


def test_a_mapping_as_key_is_refused() -> None:
    assert refused("a: 1\n? {b: 1}\n: 2\n") == ("yaml-key", 2, 3, "a key must be a plain scalar")


def test_a_second_key_after_a_nested_block_is_a_duplicate_at_its_own_line() -> None:
    assert refused("a:\n  x: 1\n  y: [1, 2]\nb: 2\na: 3\n") == (
        "duplicate-key", 5, 1, "duplicate key 'a' (first defined on line 1)")


def test_a_float_key_is_text_and_duplicates_by_its_text() -> None:
    data, _ = parse("1.5: a\n'2': b\n2: c\n", "x.yaml")
    assert data == {"1.5": "a", "2": "b", 2: "c"}
    assert refused("1.5: a\n'1.5': b\n") == (
        "duplicate-key", 2, 1, "duplicate key '1.5' (first defined on line 1)")


def test_a_second_document_is_refused_where_it_starts() -> None:
    assert refused("a: 1\n---\nb: 2\n") == (
        "yaml-syntax", 2, 1, "but found another document (expected a single document in the "
        "stream)")


def test_an_unknown_tag_is_refused() -> None:
    assert refused("a: !python/name:os.system x\n")[:3] == ("yaml-tag", 1, 4)
    assert refused("a: !!set {b: null}\n")[:3] == ("yaml-tag", 1, 4)


def test_quoted_and_tagged_text_stays_text_and_plain_scalars_are_typed() -> None:
    data, _ = parse("a: '2023'\nb: !!str 100\nc: 2023\nd: true\ne: ~\nf: 1_000\ng: 0.5\n"
                    "h: \"x\"\ni:\n", "x.yaml")
    assert data == {"a": "2023", "b": "100", "c": 2023, "d": True, "e": None, "f": 1000,
                    "g": "0.5", "h": "x", "i": None}
    assert type(data["g"]) is YamlFloat and type(data["b"]) is str


def test_a_lone_scalar_and_an_empty_document() -> None:
    with pytest.raises(BdurError) as info:
        parse("just text\n", "x.yaml")
    assert info.value.findings[0].code == "not-a-mapping"
    with pytest.raises(BdurError) as info:
        parse("# only a comment\n", "x.yaml")
    assert info.value.findings[0].code == "empty-file"


def test_a_split_number_is_named_before_the_duplicate_key_it_makes() -> None:
    # {a: 1,000, b: 2,000} reads as keys 000 twice; the comma is the slip to name.
    code, line, column, message = refused("x: {a: 1,000, b: 2,000}\n")
    assert (code, line, column) == ("dutch-number", 1, 8)
    assert message.startswith("'1,000' is split in two")
