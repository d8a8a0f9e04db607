"""Read an allocation file safely and turn it into a validated `Plan`, or into located findings.

PyYAML composes the document into a node tree (C loader where libyaml is present); we build
plain Python data from that tree ourselves so that we can refuse duplicate keys and aliases,
keep dates and float-looking scalars as text, and later map any key path back to its
`line:column`.
"""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ValidationError

from .errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, BdurError, Finding, Location
from .model import Plan, YamlFloat, known_keys

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Larger files are refused before parsing: a plan of 100,000 lines is about 15 MB.
def _max_bytes(default: int = 32 * 1024 * 1024) -> int:
    # A malformed setting must not stop bdur before it can say anything: use the default.
    value = os.environ.get("BDUR_MAX_BYTES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


MAX_BYTES = _max_bytes()

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"

_constructor = yaml.constructor.SafeConstructor()


class _YamlProblem(Exception):
    def __init__(self, code: str, message: str, node: yaml.Node, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.node, self.hint = code, message, node, hint


@dataclass
class Source:
    """A parsed file: its path, text and node tree, to locate key paths after validation."""

    path: str
    text: str
    root: yaml.Node | None

    def node_at(self, path: tuple[str | int, ...]) -> tuple[yaml.Node | None, yaml.Node | None]:
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

    def locate(self, path: tuple[str | int, ...], at_key: bool = False) -> Location:
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
    scenario: Any = None  # scenario.ScenarioMeta for a scenario; None for a plain plan
    files: tuple[Source, ...] = ()

    def locate(self, path: tuple[str | int, ...], at_key: bool = False) -> Location:
        """Where a key path of `plan` was written (in the scenario or in its base)."""
        return self.source.locate(path, at_key)

    @property
    def texts(self) -> dict[str, str]:
        """Every file's text by display path, for quoting a located line."""
        return {s.path: s.text for s in (self.files or (self.source,))}


def _construct(node: yaml.Node, seen: set[int]) -> Any:
    # Aliases are the same node object met twice; refusing them defuses "billion laughs".
    if id(node) in seen:
        raise _YamlProblem("alias", "anchors and aliases (&, *) are not supported", node,
                           "write the value out in full")
    if isinstance(node, yaml.ScalarNode):
        tag, value = node.tag, node.value
        if tag in (_STR, _TIMESTAMP):  # dates stay text: no implicit conversion
            return value
        if tag == _INT:
            try:
                return int(value)
            except ValueError:
                return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return YamlFloat(value)
        if tag == _BOOL:
            return _constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        raise _YamlProblem("yaml-tag", f"unsupported YAML tag {tag}", node)
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _YamlProblem("yaml-tag", f"unsupported YAML tag {node.tag}", node)
        return [_construct(item, seen) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _YamlProblem("yaml-tag", f"unsupported YAML tag {node.tag}", node)
        result: dict[Any, Any] = {}
        first: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _YamlProblem("yaml-key", "merge keys (<<) are not supported", key_node,
                                   "write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _YamlProblem("yaml-key", "a key must be a plain scalar", key_node)
            key = _construct(key_node, seen)
            if isinstance(key, YamlFloat):
                key = str(key)
            if key in result:
                line = first[key].start_mark.line + 1
                raise _YamlProblem("duplicate-key", f"duplicate key '{key}' (first defined on "
                                   f"line {line})", key_node, "remove or rename one of them")
            first[key] = key_node
            result[key] = _construct(value_node, seen)
        return result
    raise _YamlProblem("yaml-tag", "unsupported YAML node", node)  # pragma: no cover


@contextmanager
def no_gc() -> Iterator[None]:
    # Parsing allocates millions of small objects that all survive; collecting is wasted work.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fail(path: str, code: str, message: str, line: int = 0, col: int = 0,
          hint: str | None = None, exit_code: int = EXIT_INVALID, text: str = "") -> BdurError:
    finding = Finding(code, message, hint=hint, location=Location(path, line, col))
    return BdurError([finding], exit_code, {path: text} if text else {})


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def check_size(size: int, display: str) -> None:
    """Refuse a file larger than MAX_BYTES before reading it."""
    if size > MAX_BYTES:
        raise _fail(display, "too-large", f"file is {_size(size)}; the limit is "
                    f"{_size(MAX_BYTES)}", hint="set BDUR_MAX_BYTES (in bytes) to allow more",
                    exit_code=EXIT_USAGE)


def read_text(path: Path, display: str) -> str:
    """The file's text, or a located error for a missing, huge, binary or mis-encoded file."""
    try:
        check_size(path.stat().st_size, display)
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(display, "unreadable", "no such file", exit_code=EXIT_USAGE) from None
    except IsADirectoryError:
        raise _fail(display, "unreadable", "is a directory, not a file",
                    exit_code=EXIT_USAGE) from None
    except OSError as exc:
        raise _fail(display, "unreadable", exc.strerror or str(exc),
                    exit_code=EXIT_USAGE) from None
    return decode(data, display)


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
                    "'iconv -f latin1 -t utf-8')", exit_code=EXIT_USAGE,
                    text=data.decode("utf-8", "replace")) from None


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
        return "file" if path.is_file() else "dir" if path.is_dir() else None

    def identity(self, path: Path) -> object:
        return path.resolve()

    def display(self, path: Path, parent: str, base: str) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(parent), base))


LOCAL: Files = LocalFiles()


_DEEP_HINT = "a plan is nested a few levels deep; look for unbalanced [ or {"


def parse(text: str, display: str) -> tuple[Any, Source]:
    """YAML text to plain data and its `Source`; syntax problems raise a located `BdurError`."""
    loader = _Loader(text)
    try:
        with no_gc():
            root = loader.get_single_node()
            source = Source(display, text, root)
            if root is None:
                raise _fail(display, "empty-file", "the file is empty", 1, 1,
                            hint="start from data/allocations.yaml", text=text)
            data = _construct(root, set())
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
        mark = exc.node.start_mark
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
    "out_of_range": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
}


def _message(err: Any, key: object) -> tuple[str, str, str | None]:
    kind = err["type"]
    code = _CODES.get(kind, "schema")
    hint = (err.get("ctx") or {}).get("hint")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        message = f"unknown key '{key}'"
        from .scenario import overlay_keys

        keys = known_keys() | overlay_keys()
        close = difflib.get_close_matches(str(key), sorted(keys - {key}), n=1, cutoff=0.6)
        if key in keys:  # a real key in the wrong place, e.g. 'themes' in a scenario
            hint = f"'{key}' is not allowed here; see the README for what goes where"
        else:
            hint = f"did you mean '{close[0]}'?" if close else "remove it, or see 'bdur schema'"
    elif kind == "missing":
        message = f"missing key '{key}'"
    elif kind in ("int_type", "int_parsing") and isinstance(err.get("input"), YamlFloat):
        message = f"expected a whole number, got '{err['input']}'"
    elif kind == "string_pattern_mismatch":
        message = (f"'{err.get('input')}' is not a valid id: use lowercase letters, digits "
                   "and - _ .")
    return code, message, hint


def validation_findings(exc: ValidationError, source: Source,
                        prefix: tuple[str | int, ...] = ()) -> list[Finding]:
    """pydantic errors as findings, each located at its YAML node (under `prefix`)."""
    findings = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        if err["type"] == "missing":
            path, key = loc[:-1], loc[-1]
        else:
            path, key = loc, (loc[-1] if loc else "")
        code, message, hint = _message(err, key)
        if path and err["type"] not in ("extra_forbidden", "missing"):
            message = f"{_dotted(path)}: {message}"
        location = source.locate(path, at_key=err["type"] == "extra_forbidden")
        findings.append(Finding(code, message, hint=hint, location=location, path=path))
    return [_misspelt(f, findings) for f in findings]


def _misspelt(f: Finding, findings: list[Finding]) -> Finding:
    """A missing key next to an unknown one that looks like it: say it is probably a typo."""
    if f.code != "missing-key" or not f.message.startswith("missing key '"):
        return f
    wanted = f.message.removeprefix("missing key '").removesuffix("'")
    for other in findings:
        if other.code == "unknown-key" and other.path[:-1] == f.path and other.path and \
                difflib.get_close_matches(str(other.path[-1]), [wanted], n=1, cutoff=0.6):
            where = f" on line {other.location.line}" if other.location else ""
            hint = f"is '{other.path[-1]}'{where} a misspelling of '{wanted}'?"
            return Finding(f.code, f.message, f.level, hint, f.location, f.path)
    return f


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) and out and not out.endswith(":") else (
            f".{part}" if out else str(part))
    return out


def validate(data: Any, source: Source, model: type[BaseModel] = Plan) -> Any:
    try:
        with no_gc():
            return model.model_validate(data)
    except ValidationError as exc:
        raise BdurError(validation_findings(exc, source), EXIT_INVALID,
                        {source.path: source.text}) from None


def load_plan(path: str | Path, display: str | None = None, files: Files = LOCAL) -> Loaded:
    """Read, parse and validate a plan or a scenario file; raise `BdurError` with located
    findings. A file with a top-level `scenario:` or `base:` key is a scenario: its base is
    loaded (recursively, from the same `files`) and the scenario applied to it."""
    return _load(Path(path), display or str(path), (), files)


#: Top-level keys that make a YAML file a scenario rather than a plan.
SCENARIO_KEYS = ("scenario", "base")


def is_scenario(data: object) -> bool:
    """True for parsed YAML that is a scenario (it has a top-level `scenario:` or `base:`).
    Decided here, so that a plain plan never imports the scenario module (start-up time)."""
    return isinstance(data, dict) and any(k in data for k in SCENARIO_KEYS)


def _load(p: Path, shown: str, chain: tuple[tuple[object, Source], ...], files: Files
          ) -> Loaded:
    text = files.read_text(p, shown)
    data, source = parse(text, shown)
    if is_scenario(data):
        return _load_scenario(p, data, source, chain, files)
    plan = validate(data, source)
    from .checks import reference_findings

    problems = [f.located(source.locate(f.path)) for f in reference_findings(plan)]
    errors = [f for f in problems if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, {shown: text})
    return Loaded(plan, source, files=(source,))


def _load_scenario(p: Path, data: Any, source: Source,
                   chain: tuple[tuple[object, Source], ...], files: Files) -> Loaded:
    from . import scenario
    from .checks import reference_findings

    sc = validate(data, source, scenario.Scenario)
    here = (*chain, (files.identity(p), source))
    base_path = p.parent / sc.base
    base_shown = files.display(base_path, source.path, sc.base)
    at_base = source.locate(("base",))
    resolved = files.identity(base_path)
    seen = [q for q, _ in here]
    if resolved in seen:
        loop = [s.path for _, s in here[seen.index(resolved):]] + [base_shown]
        raise BdurError([Finding("scenario-cycle", f"base '{sc.base}' leads back to a file "
                                 f"already on the way: {' -> '.join(loop)}", location=at_base,
                                 hint="a scenario's base is a plan or another scenario, "
                                 "never itself", path=("base",))],
                        EXIT_INVALID, {source.path: source.text})
    kind = files.kind(base_path)
    if kind != "file":
        why = "is a directory, not a file" if kind == "dir" else "no such file"
        raise BdurError([Finding("bad-base", f"base '{sc.base}' cannot be read: {why} "
                                 f"({base_shown})", location=at_base,
                                 hint="the base path is relative to this scenario file",
                                 path=("base",))], EXIT_INVALID, {source.path: source.text})
    base = _load(base_path, base_shown, here, files)
    loaded = scenario.apply(base, sc, source)
    problems = [f.located(loaded.locate(f.path)) for f in reference_findings(loaded.plan)]
    errors = [f for f in problems if f.level == "error"]
    if errors:
        raise BdurError(errors, EXIT_INVALID, loaded.texts)
    return loaded


@dataclass
class Checked:
    """What `bdur check` found in one file: every finding, located, whatever stage failed."""

    path: str
    findings: list[Finding]
    #: EXIT_USAGE when the file could not be read at all, else EXIT_INVALID or EXIT_OK.
    exit_code: int
    #: The file's text when it could be decoded, to quote the offending lines.
    text: str | None = None
    plan: Plan | None = None
    #: Every file's text by display path: a scenario's findings can point into its base.
    texts: dict[str, str] = field(default_factory=dict)

    def text_of(self, path: str) -> str | None:
        return self.texts.get(path, self.text if path == self.path else None)


def check_file(path: str | Path, display: str | None = None) -> Checked:
    """Load a plan the way every command does, then add warnings and the file's own rules.

    Never raises `BdurError`: the findings of each stage are returned, so one bad file among
    several does not hide the others. Later stages need the earlier ones to pass (rules cannot
    be computed over a plan whose references do not resolve).
    """
    shown = display or str(path)
    try:
        loaded = load_plan(path, shown)
    except BdurError as exc:
        return Checked(shown, exc.findings, exc.exit_code, exc.source_text.get(shown),
                       texts=exc.source_text)
    from .checks import reference_findings, rule_findings

    # load_plan raised on reference errors, so only warnings are left here.
    findings = [f.located(loaded.locate(f.path)) for f in
                [*reference_findings(loaded.plan), *rule_findings(loaded.plan)]]
    code = EXIT_INVALID if any(f.level == "error" for f in findings) else EXIT_OK
    return Checked(shown, findings, code, loaded.texts.get(shown), loaded.plan,
                   texts=loaded.texts)
