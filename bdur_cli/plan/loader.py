"""Read a YAML file safely and validate it against a model, or fail with located findings.

PyYAML's parser (libyaml's where present) hands us events; we build plain Python data from
them in one pass, with no node tree, so that we can refuse duplicate keys, anchors and aliases
where they stand, keep dates and float-looking scalars as text, and keep where every key and
value was written (`source.Marked`) to map any key path back to its `line:column`. Loading
a whole plan or scenario (a scenario's base, applying it) is `pipeline.load_plan`, above
this module and the scenario module.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import re
import sys
from array import array
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ValidationError

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..numbers import YamlFloat
from ..reading import is_regular, read_bytes
from ..scalars import (
    Problem,
    control_problem,
    decimal_comma_hint,
    is_plain_number,
    money_hint,
    number_problem,
)
from .model import LINE_CLASSES, Plan, known_keys
from .source import Marked, Source


def _lazy_module(name: str) -> Any:
    """`name` as a module that is imported when one of its attributes is first read."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # pragma: no cover - PyYAML is a dependency
        return importlib.import_module(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import yaml
else:
    # PyYAML loads on first use: a plan read from the cache (cache.py) needs none of it, and
    # importing it is a twentieth of `bdur totals` on a small plan.
    yaml = _lazy_module("yaml")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"


@cache
def _yaml() -> tuple[Any, Any, frozenset[str], Any]:
    """PyYAML's constructor and resolver, the first characters for which YAML 1.1 may read a
    plain scalar as something other than text (true, 1.5, 2023, null, <<, 2023-01-01 ...;
    any other plain scalar is text without asking), and the loader class (libyaml's)."""
    try:
        from yaml import CSafeLoader as loader
    except ImportError:  # pragma: no cover - libyaml missing
        from yaml import SafeLoader as loader  # type: ignore[assignment]
    resolver = yaml.resolver.Resolver()
    return (yaml.constructor.SafeConstructor(), resolver,
            frozenset(resolver.yaml_implicit_resolvers), loader)


class _YamlProblem(Exception):
    def __init__(self, code: str, message: str, mark: Any, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.mark, self.hint = code, message, mark, hint


def _scalar(value: str, tag: str | None, plain: bool, mark: Any) -> Any:
    """The one scalar rule: what a YAML scalar becomes. Dates and float-looking numbers stay
    text (`YamlFloat` for the latter, so validators can name them); untagged quoted scalars
    are text."""
    explicit = tag is not None and tag != "!"
    if tag is None or tag == "!":
        if not plain or tag == "!":
            # Quoted and block text can hold control characters (by escapes); plain cannot.
            _refuse(control_problem(value), mark)
            return value
        tag = str(_yaml()[1].resolve(yaml.ScalarNode, value, (True, False)))
    if tag == _STR:
        _refuse(control_problem(value), mark)
    if tag in (_STR, _TIMESTAMP):  # dates stay text: no implicit conversion
        return value
    if tag in (_INT, _FLOAT):  # only plain decimals are numbers (scalars.py)
        _refuse(number_problem(value, tag, explicit), mark)
    if tag == _INT:
        return int(value)  # a plain decimal by now (underscores allowed)
    if tag == _FLOAT:
        return YamlFloat(value)
    if tag == _BOOL:
        return _yaml()[0].construct_yaml_bool(yaml.ScalarNode(tag, value))
    if tag == _NULL:
        return None
    if tag == _MERGE:
        raise _YamlProblem("yaml-key", "merge keys (<<) are not supported", mark,
                           "write the keys out in full")
    raise _YamlProblem("yaml-tag", f"unsupported YAML tag {tag}", mark)


def _refuse(problem: Problem | None, mark: Any) -> None:
    if problem is not None:
        raise _YamlProblem(problem.code, problem.message, mark, problem.hint)


_ALIAS = "anchors and aliases (&, *) are not supported"
_IN_FULL = "write the value out in full"
_NO_KEY = object()


def _build(next_event: Callable[[], Any]) -> tuple[Any, dict[int, array[int]]]:
    """Plain data straight from the parser's events, in one pass and without a node tree.

    Alongside it, per container, where it and its entries were written (`source.Marked`).
    Anchors and aliases are refused where they appear ("billion laughs" never expands),
    duplicate keys where the second one is. Plain scalars go through `_scalar` once per
    distinct text that could be more than text: a plan repeats the same few numbers, years
    and words thousands of times.
    """
    spans: dict[int, array[int]] = {}
    cache: dict[str, Any] = {}
    maybe_typed = _yaml()[2]
    scalar_event, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, \
        yaml.SequenceStartEvent
    map_end, seq_end, no_key, yaml_float = yaml.MappingEndEvent, yaml.SequenceEndEvent, \
        _NO_KEY, YamlFloat
    # The open container's state is held in locals (the hot path reads it for every event):
    # the container, its spans, the pending key (or _NO_KEY) and its position, for a flow
    # mapping its entries' scalar events (see _split_number) else None, and a duplicate key
    # found in it (raised after _split_number has had its say). The containers around it
    # wait on `stack` as tuples of the same.
    stack: list[tuple[Any, ...]] = []
    parent: Any = None
    marks: Any = None
    is_list = False
    key: Any = no_key
    key_at = 0
    flow: list[Any] | None = None
    held: _YamlProblem | None = None
    root: Any = None
    while True:
        event = next_event()
        kind = type(event)
        mark: Any = event.start_mark
        if kind is scalar_event:
            if event.anchor is not None:
                raise _YamlProblem("alias", _ALIAS, mark, _IN_FULL)
            text, tag = event.value, event.tag
            try:
                if tag is None and event.implicit[0]:
                    if text and text[0] not in maybe_typed:
                        value: Any = text
                    else:
                        value = cache.get(text, no_key)
                        if value is no_key:
                            value = cache[text] = _scalar(text, None, True, mark)
                else:
                    value = _scalar(text, tag, False, mark)
            except _YamlProblem as problem:
                # A key of a flow mapping may be the tail of a number split by a comma
                # ({amount: 150,000} makes a key 000): _split_number names that first.
                if not (flow is not None and key is no_key):
                    raise
                value = text
                held = held or problem
            opened = None
        elif kind is map_start or kind is seq_start:
            if event.anchor is not None:
                raise _YamlProblem("alias", _ALIAS, mark, _IN_FULL)
            if event.tag not in (None, "!", _MAP if kind is map_start else _SEQ):
                raise _YamlProblem("yaml-tag", f"unsupported YAML tag {event.tag}", mark)
            value = {} if kind is map_start else []
            opened = spans[id(value)] = array("q", (mark.line << 32 | mark.column,))
        elif kind is map_end or kind is seq_end:
            if flow is not None:
                _split_number(flow)
                if held is not None:
                    raise held
            if not stack:
                return root, spans
            parent, marks, is_list, key, key_at, flow, held = stack.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise _YamlProblem("alias", _ALIAS, mark, _IN_FULL)
        elif kind is yaml.StreamEndEvent:  # an empty stream: no document at all
            return None, spans
        else:  # stream and document start (and end, after a lone scalar)
            if kind is yaml.DocumentEndEvent:
                return root, spans
            continue
        if marks is None:
            root = value
        elif is_list:
            parent.append(value)
            marks.append(mark.line << 32 | mark.column)
        elif key is no_key:
            if opened is not None:
                raise _YamlProblem("yaml-key", "a key must be a plain scalar", mark)
            key = str(value) if isinstance(value, yaml_float) else value
            if key is None or key is True or key is False:
                raise _YamlProblem("yaml-key", f"the key '{event.value or 'an empty key'}' "
                                   "is read by YAML as "
                                   f"{'null' if key is None else str(key).lower()}, not "
                                   "as a name or a year", mark,
                                   "write the name or year the key stands for")
            if key in parent and held is None:
                first = marks[1 + 2 * list(parent).index(key)] >> 32
                duplicate = _YamlProblem("duplicate-key", f"duplicate key '{key}' (first "
                                         f"defined on line {first + 1})", mark,
                                         "remove or rename one of them")
                if flow is None:
                    raise duplicate
                held = duplicate
            key_at = mark.line << 32 | mark.column
            if flow is not None:
                flow.append(event)
        else:
            parent[key] = value
            marks.append(key_at)
            marks.append(mark.line << 32 | mark.column)
            key = no_key
            if flow is not None:
                flow.append(event if opened is None else None)
        if opened is not None:
            if marks is not None:
                stack.append((parent, marks, is_list, key, key_at, flow, held))
            parent, marks, is_list, key, key_at, held = value, opened, kind is seq_start, \
                no_key, 0, None
            flow = [] if kind is map_start and event.flow_style else None


def _single(loader: Any) -> tuple[Any, dict[int, array[int]]]:
    """The one document of the stream; a second one is an error, as in PyYAML."""
    data, spans = _build(loader.get_event)
    if loader.check_event(yaml.DocumentEndEvent):
        loader.get_event()
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                          "but found another document", event.start_mark)
    return data, spans


_DIGITS = re.compile(r"^[+-]?\d+$")
#: Keys whose value is money in whole euros (a by-year map's year keys are not known here).
_MONEY_KEYS = frozenset({"amount", "opening", "total"})
_TAIL = re.compile(r"^\d+%?$")  # what follows a decimal comma: `5` of 1,5 or `5%` of 3,5%


def _adjacent(before: Any, after: Any) -> bool:
    """Whether only one character (a flow mapping's comma) stands between two scalars."""
    return bool(after.start_mark.index - before.end_mark.index == 1)


def _plain_digits(event: Any) -> bool:
    return event is not None and not event.style and bool(_DIGITS.match(event.value))


def _split_number(events: list[Any]) -> None:
    """`{amount: 1,5}` or `{amount: 150,000}`: in a flow mapping the comma ends the entry, so
    YAML reads `amount: 1` and a key `5` without a value. Say what happened instead.

    `events` alternate key and value of the mapping's entries: the scalar event, or None
    for a nested mapping or list."""
    pairs = list(zip(events[0::2], events[1::2], strict=False))
    for i in range(1, len(pairs)):
        prev_value = pairs[i - 1][1]
        key, value = pairs[i]
        if not (_plain_digits(prev_value) and key is not None and not key.style
                and _TAIL.match(key.value) and _adjacent(prev_value, key)
                and value is not None and value.value == ""):
            continue
        parts = [prev_value.value, key.value]
        if key.value.endswith("%"):  # {wages: {2025: 3,5%}}, {share: 25,5%}
            raise _YamlProblem(
                "dutch-number", f"'{parts[0]},{parts[1]}' is split in two: inside {{...}} a "
                "comma separates entries", prev_value.start_mark,
                f"write {parts[0]}.{parts[1]}; YAML has no decimal comma")
        for later_key, later_value in pairs[i + 1:]:
            if not (later_key is not None and _DIGITS.match(later_key.value)
                    and _adjacent(pairs[i - 1 + len(parts) - 1][0], later_key)
                    and later_value is not None and later_value.value == ""):
                break
            parts.append(later_key.value)
        written = ",".join(parts)
        field = pairs[i - 1][0].value if pairs[i - 1][0] is not None else None
        if field == "fte" and len(parts) == 2:
            hint = f"write {parts[0]}.{parts[1]}; YAML has no decimal comma"
        elif all(len(p) == 3 for p in parts[1:]):
            whole = "".join(parts)
            grouped = f" (or {int(whole):_})" if len(whole) <= 30 else ""
            hint = f"write {whole}{grouped}; YAML has no thousands separator"
        else:  # a decimal comma: the number it means, in whole euros where it is money
            hint = decimal_comma_hint(parts[0], "".join(parts[1:]), field in _MONEY_KEYS)
        raise _YamlProblem("dutch-number", f"'{written}' is split in two: inside {{...}} a comma "
                           "separates entries", prev_value.start_mark, hint)


def _fail(path: str, code: str, message: str, line: int = 0, col: int = 0,
          hint: str | None = None, exit_code: int = EXIT_INVALID, text: str = "") -> BdurError:
    finding = Finding(code, message, hint=hint, location=Location(path, line, col))
    return BdurError([finding], exit_code, {path: text} if text else {})


def read_text(path: Path, display: str) -> str:
    """The file's text, or a located error for a missing, special, huge, binary or
    mis-encoded file (see `reading.read_bytes`)."""
    return decode(read_bytes(path, display), display)


def decode(data: bytes, display: str) -> str:
    """A file's bytes as text, or a located error for a binary or mis-encoded file."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise _fail(display, "binary", "this is a binary file, not YAML text", line, col,
                    exit_code=EXIT_USAGE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(display, "encoding", f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be "
                    "decoded", line, col, hint="save the file as UTF-8 (for example with "
                    "'iconv -f cp1252 -t utf-8', which also reads a € saved by Windows)",
                    exit_code=EXIT_USAGE,
                    text=quotable(data.decode("utf-8", "replace"))) from None


class Files(Protocol):
    """Where plan files are read from: the file system (`LOCAL`), or e.g. a git revision.
    A scenario's base is read from the same place as the scenario."""

    def read_text(self, path: Path, display: str) -> str:
        """The text of `path`, or a located `BdurError` (unreadable, too large, binary ...)."""
        ...

    def kind(self, path: Path) -> Literal["file", "dir"] | None:
        """What `path` is: a file, a folder, or nothing."""
        ...

    def identity(self, path: Path) -> object:
        """The same value for two paths of one file (to find a scenario that loops)."""
        ...

    def display(self, path: Path, parent: str, base: str) -> str:
        """How to name `path`, the base `base` of the scenario shown as `parent`."""
        ...


class LocalFiles:
    """The file system; paths are shown relative to the scenario that names them."""

    def read_text(self, path: Path, display: str) -> str:
        return read_text(path, display)

    def kind(self, path: Path) -> Literal["file", "dir"] | None:
        if is_regular(path):
            return "file"
        try:
            return "dir" if path.is_dir() else None
        except (OSError, ValueError):
            return None

    def identity(self, path: Path) -> object:
        # realpath, not Path.resolve: a loop of symbolic links is reported when it is read.
        return Path(os.path.realpath(path))

    def display(self, path: Path, parent: str, base: str) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(parent), base))


LOCAL: Files = LocalFiles()


_DEEP_HINT = "a plan is nested a few levels deep; look for unbalanced [ or {"


#: The YAML errors an indentation slip causes, in the reader's terms, with what to do.
_INDENTATION = {
    "mapping values are not allowed": (
        "a key indented further than the key above it (or a value with ': ' in it)",
        "keys of one mapping start in the same column; put quotes around a value that "
        "contains ': '"),
    "did not find expected key": (
        "this line does not line up with the keys above it",
        "keys of one mapping start in the same column, and a list's '- ' items too; look "
        "at this line and the ones just above it"),
    "did not find expected '-' indicator": (
        "a list item that does not line up with the items before it",
        "start every '- ' of one list in the same column"),
}


def _indentation(exc: yaml.MarkedYAMLError, message: str) -> tuple[str, str | None]:
    for raw, (said, hint) in _INDENTATION.items():
        if raw in (exc.problem or ""):
            return f"{said} (YAML: {message})", hint
    return message, None


#: The top-level keys of every file bdur reads: plan, scenario, realisation mapping and
#: explanations (a test keeps this in step with the models).
TOP_KEYS = frozenset(Plan.model_fields) | {"scenario", "base", "shift", "lines", "amendment",
                                           "export", "threshold", "explanations", "staffing",
                                           "appropriations", "closed_through", "first_match"}
_TOP_KEY = re.compile(rf"^(?:{'|'.join(sorted(TOP_KEYS))})[ \t]*:", re.M)


def quotable(text: str) -> str:
    """`text` if its lines may be quoted in a finding: only when it is written as a bdur file
    (a top-level key of one). A file that is not one (`base: /etc/shadow`, a credentials file
    in a CI checkout) is never quoted, even when it fails to parse."""
    return text if _TOP_KEY.search(text) else ""


def require_bdur_file(data: dict[Any, Any], source: Source) -> None:
    """Refuse a mapping that is no bdur file: none of its top-level keys is one of ours. Its
    keys are not quoted either: they are someone else's (db_password: ...)."""
    if not any(isinstance(key, str) and key in TOP_KEYS for key in data):
        raise _fail(source.path, "not-a-plan", "this is not a bdur file: none of its "
                    "top-level keys is one of a plan (plan, funding, ...) or a scenario "
                    "(scenario, base)", 1, 1,
                    hint="check that the path names the plan or scenario you mean")


def parse(text: str, display: str) -> tuple[Any, Source]:
    """YAML text to plain data and its `Source`; syntax problems raise a located `BdurError`.
    Lines are quoted (via the error's text) only for a file written as a bdur file."""
    quote = quotable(text)
    try:
        return _parse(text, display)
    except BdurError as exc:
        if not quote:
            exc.source_text.clear()
        raise


def _parse(text: str, display: str) -> tuple[Any, Source]:
    loader = _yaml()[3](text)
    try:
        if loader.check_event(yaml.StreamStartEvent):
            loader.get_event()
        if loader.check_event(yaml.StreamEndEvent):
            raise _fail(display, "empty-file", "the file is empty", 1, 1,
                        hint="start from data/allocations.yaml", text=text)
        data, spans = _single(loader)
        source = Source(display, text, Marked(data, spans))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = (exc.problem or str(exc)).strip()
        if exc.context:
            message = f"{message} ({exc.context})"
        hint, code = None, "yaml-syntax"
        if mark and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            message, hint = "a tab character in the indentation", "indent with spaces only"
            code = "tab-indent"
        elif "maximum nesting depth" in message:  # libyaml stops at 1000 levels
            message, hint, code = "the document is nested too deeply", _DEEP_HINT, "too-deep"
        else:
            message, hint = _indentation(exc, message)
        raise _fail(display, code, message, line, col, hint, text=text) from None
    except yaml.reader.ReaderError as exc:
        # The reader stops at the first character YAML forbids, so its first occurrence is
        # the spot (libyaml reports a byte offset, the pure-Python reader a character one).
        index = max(text.find(chr(exc.character)), 0) if isinstance(exc.character, int) else 0
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        raise _fail(display, "control-character", f"character U+{exc.character:04X} is not "
                    "allowed in YAML", line, col, hint="remove it; it is invisible in most "
                    "editors (a pasted control character)", text=text) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise _fail(display, "yaml-syntax", message, 1, 1, text=text) from None
    except _YamlProblem as exc:
        mark = exc.mark
        raise _fail(display, exc.code, exc.message, mark.line + 1, mark.column + 1, exc.hint,
                    text=text) from None
    except RecursionError:
        raise _fail(display, "too-deep", "the document is nested too deeply", 1, 1,
                    _DEEP_HINT, text=text) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise _fail(display, "not-a-mapping", f"the top level is {kind}; a plan is a mapping "
                    "with plan, funding, rates, goals and themes", 1, 1, text=text)
    return data, source


_CODES = {
    "extra_forbidden": "unknown-key",
    "missing": "missing-key",
    "dutch_number": "dutch-number",
    "float_money": "float-money",
    "yaml_number": "yaml-number",
    "too_many_digits": "too-many-digits",
    "out_of_range": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "missing_year": "missing-key",
    "one_off_month": "one-off-month",
    "month_text": "bad-month",
    "by_year_key": "by-year-key",
    "by_year_empty": "by-year-empty",
}


#: Where a key belongs that was written somewhere else (a line's key on a theme, a plan's in a
#: scenario), for the hint.
_WHERE = {
    "income": "it belongs on a line (under 'lines:'), the line a partner pays towards",
    "reserve": "it belongs on a line (under 'lines:'), the line the reserve covers",
    "fte": "it belongs on a line (under 'lines:')",
    "amount": "it belongs on a line, or in a year's funding",
    "rate": "it belongs on a line (under 'lines:')",
    "themes": "a scenario changes lines with 'lines: {add, change, remove}' and 'shift'",
    "goals": "a scenario cannot change goals; copy the plan instead",
}


#: Every key a file may hold (a plan's; the pipeline adds a scenario's), for hints.
Keys = Callable[[], set[str]]


def _message(err: Any, key: object, known: Keys) -> tuple[str, str, str | None]:
    kind = err["type"]
    code = _CODES.get(kind, "schema")
    hint = (err.get("ctx") or {}).get("hint")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        message = f"unknown key '{key}'"
        keys = known()
        close = difflib.get_close_matches(str(key), sorted(keys - {key}), n=1, cutoff=0.6)
        if key in keys:  # a real key in the wrong place, e.g. 'themes' in a scenario
            hint = f"'{key}' is not allowed here; " + _WHERE.get(
                str(key), "docs/file-format.md and docs/plan-format.md say what goes where")
        else:
            hint = f"did you mean '{close[0]}'?" if close else "remove it, or see 'bdur schema'"
    elif kind == "missing":
        message = f"missing key '{key}'"
        if key == "status" and hint is None:
            hint = "add status: granted, forecast or conditional"
    elif kind in ("model_type", "model_attributes_type", "dict_type", "not_a_mapping"):
        message, hint = _not_a_mapping(err, key, hint)
    elif key == "start_month" and kind in ("int_type", "int_parsing"):
        message = f"expected a month number 1-12, got '{err.get('input')}'"
        given = str(err.get("input"))
        hint = f"write start_month: {int(given[5:7])}" if re.fullmatch(
            r"20\d\d-(0?[1-9]|1[0-2])", given) else "e.g. start_month: 9 for September"
    elif message.startswith("Input should be "):
        # pydantic's wording: say what is expected and what the file has.
        message = "expected " + message.removeprefix("Input should be ")
        if isinstance(err.get("input"), str | int) and not isinstance(err.get("input"), bool):
            message += f", got '{err['input']}'"
        choices = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        close = difflib.get_close_matches(str(err.get("input")), choices, n=1, cutoff=0.5)
        if kind == "literal_error" and close and hint is None:
            hint = f"write {key}: {close[0]}"
        elif kind == "literal_error" and hint is None:
            hint = _literal_hint(key, err.get("input"), choices)
    elif kind in ("int_type", "int_parsing") and isinstance(err.get("input"), YamlFloat):
        message = f"expected a whole number, got '{err['input']}'"
    elif kind == "string_pattern_mismatch":
        message = (f"'{err.get('input')}' is not a valid id: use lowercase letters, digits "
                   "and - _ .")
    return code, message, hint or _what_to_type(kind, key, err.get("input"))


#: Statuses written in Dutch (as the memo and the letters say them), with the key's word.
_DUTCH_STATUS = {"toegekend": "granted", "beschikt": "granted", "vastgesteld": "granted",
                 "prognose": "forecast", "verwacht": "forecast", "raming": "forecast",
                 "voorwaardelijk": "conditional", "onder voorwaarden": "conditional",
                 "onder voorbehoud": "conditional"}


#: Other choices written in Dutch, by key: a source's kind, a line's type.
_DUTCH_CHOICE = {
    "kind": {"subsidie": "grant", "rijkssubsidie": "grant", "cofinanciering": "cofinancing",
             "bijdrage": "cofinancing", "bijdrage derden": "cofinancing",
             "overig": "other", "overige": "other", "anders": "other"},
    "type": {"incidenteel": "incidental", "eenmalig": "incidental",
             "structureel": "structural"},
}


def _literal_hint(key: object, given: object, choices: list[str]) -> str | None:
    """A value that is none of the choices and resembles none: the Dutch word's English one
    (`kind: subsidie`: write kind: grant; `status: voorwaardelijk`: conditional), else every
    choice, the closest first."""
    if isinstance(given, str):
        words = _DUTCH_STATUS if key == "status" else _DUTCH_CHOICE.get(str(key), {})
        word = words.get(" ".join(given.lower().split()))
        if word in choices:
            return f"write {key}: {word}"
    if len(choices) < 2:
        return None
    ranked = sorted(choices, key=lambda c: -difflib.SequenceMatcher(
        None, str(given).lower(), c).ratio())
    return f"write {key}: {', '.join(ranked[:-1])} or {ranked[-1]}"


def _what_to_type(kind: str, key: object, given: object) -> str | None:
    """A hint that says what to type for a value written the way a person would say it:
    `share: 0.25` (write 25%), `amount: € 95.000` (95000); a choice such as
    `status: voorwaardelijk` is `_literal_hint`'s."""
    if kind == "share_type" and key == "share" and not isinstance(given, bool) and (
            isinstance(given, int) or (isinstance(given, str) and is_plain_number(given))):
        number = Decimal(str(given).replace("_", ""))
        if 0 < number <= 1:  # a fraction of 1: 0.25 is a quarter
            return f"write share: {format((number * 100).normalize(), 'f')}%"
        if 1 < number <= 100:
            return f"write share: {given}%"
        return None
    if kind == "money_type" and isinstance(given, str):
        return money_hint(given)
    return None


#: Mappings people write as a single value, with what to type instead.
_MAPPING_EXAMPLES = {
    "Funding": "{amount: 1100000, status: forecast}",
    "Horizon": "{first: 2024, last: 2027}",
    "Rate": "{amount: 100000}",
    "Rules": "{structural_within_funding: true}",
    "StatedTotals": "{planned: 1505000}",
}


def _not_a_mapping(err: Any, key: object, hint: str | None) -> tuple[str, str | None]:
    """'Input should be a valid dictionary or instance of Funding' in the reader's terms."""
    given = err.get("input")
    kind = ("a list" if isinstance(given, list) else "nothing" if given is None
            else f"'{given}'")
    model = str((err.get("ctx") or {}).get("class_name", ""))
    example = _MAPPING_EXAMPLES.get(model)
    message = f"expected a mapping of keys and values here, got {kind}"
    if example is None:
        return message, hint or "write the keys on the lines below it, indented"
    if model == "Horizon" and isinstance(given, str) and "-" in given:
        first, _, last = given.partition("-")
        example = f"{{first: {first.strip()}, last: {last.strip()}}}"
    elif model == "Funding" and isinstance(given, int | str) and not isinstance(given, bool):
        example = f"{{amount: {given}, status: forecast}}"
    return message, f"write {key}: {example}"


def validation_findings(exc: ValidationError, source: Source,
                        prefix: tuple[str | int, ...] = (), keys: Keys = known_keys
                        ) -> list[Finding]:
    """pydantic errors as findings, each located at its YAML node (under `prefix`); `keys`
    gives the known keys for "did you mean" hints on an unknown one."""
    findings = []
    for err in exc.errors(include_url=False):
        loc = _key_path(source, prefix, err["loc"])
        if err["type"] == "missing":
            path, key = loc[:-1], loc[-1]
        else:
            path, key = loc, (loc[-1] if loc else "")
        code, message, hint = _message(err, key, keys)
        if err["type"] == "extra_forbidden" and err.get("input") is None:
            hint = _comma_in_text(source, path) or hint
        if path and err["type"] not in ("extra_forbidden", "missing"):
            message = f"{_dotted(path)}: {message}"
        entry = (err.get("ctx") or {}).get("entry")  # a by-year map's year, see model._by_year
        at = (*path, entry) if entry is not None and err["type"] != "extra_forbidden" else path
        location = source.locate(at, at_key=err["type"] == "extra_forbidden")
        findings.append(Finding(code, message, hint=hint, location=location, path=path))
    return _misspelt(findings)


def _comma_in_text(source: Source, path: tuple[str | int, ...]) -> str | None:
    """`{note: eigen formatie, schaal 11}`: inside {...} the comma ends the note and makes
    'schaal 11' an (unknown) key without a value. The fix is quoting the text, not the key."""
    parent = source.value_at(path[:-1])
    if not path or not isinstance(parent, dict):
        return None
    keys = [str(k) for k in parent]
    at = keys.index(str(path[-1])) if str(path[-1]) in keys else 0
    if at == 0:
        return None
    before = keys[at - 1]
    text = parent[list(parent)[at - 1]]
    if not isinstance(text, str) or parent[list(parent)[at]] is not None:
        return None
    whole = f"{text}, {path[-1]}".replace("'", "''")
    return (f"inside {{...}} a comma separates entries, so the {before} ended at the comma: "
            f"quote it, {before}: '{whole}'")


def _key_path(source: Source, prefix: tuple[str | int, ...],
              loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """pydantic's error location as a key path of the file: without the steps pydantic adds
    (`[key]`, `function-after[...]`, the kind of a line), but with every key the file has."""
    out = list(prefix)
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in LINE_CLASSES) \
                and not _has_key(source, out, part):
            continue
        out.append(part)
    return tuple(out)


def _has_key(source: Source, path: list[str | int], key: str) -> bool:
    value = source.value_at(tuple(path))
    return isinstance(value, dict) and key in value


def _misspelt(findings: list[Finding]) -> list[Finding]:
    """A missing key next to an unknown one that looks like it is one slip, not two: keep the
    unknown key (it points at the line to fix) and say which key it should be."""
    out = list(findings)
    for f in findings:
        if f.code != "missing-key" or not f.message.startswith("missing key '"):
            continue
        wanted = f.message.removeprefix("missing key '").removesuffix("'")
        for i, other in enumerate(out):
            if other.code == "unknown-key" and other.path[:-1] == f.path and other.path and \
                    difflib.get_close_matches(str(other.path[-1]), [wanted], n=1, cutoff=0.6):
                out[i] = Finding(other.code, other.message, other.level,
                                 f"did you mean '{wanted}'? (it is missing)", other.location,
                                 other.path)
                out.remove(f)
                break
    return out


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _dotted(path: tuple[str | int, ...]) -> str:
    """funding[2024].amount; a key that is not a plain word is quoted: rates['int[1]']."""
    out = ""
    for part in path:
        if isinstance(part, int) and out and not out.endswith(":"):
            out += f"[{part}]"
        elif isinstance(part, str) and not _PLAIN_KEY.match(part):
            out += f"[{part!r}]" if out else repr(part)
        else:
            out += f".{part}" if out else str(part)
    return out


def validate(data: Any, source: Source, model: type[BaseModel] = Plan,
             keys: Keys = known_keys) -> Any:
    """`data` as a `model`, or a `BdurError` whose findings point into `source`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BdurError(validation_findings(exc, source, keys=keys), EXIT_INVALID,
                        {source.path: source.text}) from None


#: Top-level keys that make a YAML file a scenario rather than a plan.
SCENARIO_KEYS = ("scenario", "base")


def is_scenario(data: object) -> bool:
    """True for parsed YAML that is a scenario (it has a top-level `scenario:` or `base:`).
    Decided here, so that a plain plan never imports the scenario module (start-up time)."""
    return isinstance(data, dict) and any(k in data for k in SCENARIO_KEYS)
