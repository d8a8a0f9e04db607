"""Parse once, reuse: the parsed data of a valid plan, and the figures `bdur totals` showed of
it, kept between runs as JSON.

Reading YAML is most of a large plan's time (3 of 6 seconds at 100,000 lines), and a plan is
read far more often than it changes. `pipeline` writes the parsed data of a plan that
parsed, validated and passed the reference checks without a single finding, and the next run
of the same text by the same bdur version reads it back instead of the YAML, then validates
and checks it as always (`pipeline`: at any problem or finding the YAML is read instead).
Never a pickle: the file is data, and what it holds goes through the same pydantic
validation as the YAML does.

Where: `$XDG_CACHE_HOME/bdur` or `~/.cache/bdur`; `BDUR_CACHE=0` switches it off, and
`BDUR_CACHE=DIR` puts it elsewhere. One file per distinct text, named by the text's SHA-256;
inside, the version that wrote it, the hash again and the data. A file of another version, of
another text, of another format, unreadable or damaged is ignored (and replaced when the plan
is read again); a file is written to a temporary name and renamed, so a reader never sees
half of one. At most `_KEEP` plans are kept, the most recently written.

The data is what `loader` makes of YAML: mappings, lists, text, integers, booleans, null and
`YamlFloat` (a float-looking scalar kept as text, which validation tells apart from text).
JSON holds all of them but `YamlFloat` and keys that are not text (a year: `2024:`), so those
are tagged with a NUL first, which no text of a plan can hold (loader refuses control
characters): a `YamlFloat` as "\\0f" + its text, a mapping with other keys as
{"\\0m": [[key, value], ...]}, and a mapping with a tagged value inside it (directly or in a
list) carries the key "\\0" so that only those are looked at when reading.

The figures (`plan.memo`): what `bdur totals` computed of a plan (`results.PlanTotals`), in
`figures/` of the same folder, at most `_KEEP_FIGURES` of them, the least recently used
removed first. A file's name is the SHA-256 of the request (year, prices, funding), the plan's
bytes and `build()`: bdur's version, Python's, and a stamp of bdur's code (every module's name,
size and time), so a changed bdur, even a development install at the same version, never reads
figures an older one computed. A file is a line of JSON saying what it holds (format, build,
name, and the SHA-256 of the rest), then the result as JSON: its dataclasses by name ("\\0c"),
Decimals as their text ("\\0d"), tuples ("\\0t"), frozensets ("\\0s") and mappings with other
keys ("\\0m"); only the classes in `results.CLASSES` are ever made from it. A file of another
build, whose rest does not have its hash (cut off, changed), or that does not decode to exactly
that, is a miss, and the figures are computed from the plan. The hash finds damage, not a
forgery: whoever can write the user's cache folder can also change the plan.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import suppress
from dataclasses import fields
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BdurError
from ..numbers import YamlFloat
from ..reading import read_bytes
from .results import CLASSES, PlanTotals

#: Raised to the format when the file's layout changes (the version changes it as well).
_FORMAT = 1
_KEEP = 16
_KEEP_FIGURES = 64
_TAG, _MAP, _FLOAT = "\0", "\0m", "\0f"
_DECIMAL, _TUPLE, _SET, _CLASS = "\0d", "\0t", "\0s", "\0c"
_CLASSES = {cls.__name__: cls for cls in CLASSES}


class _Uncacheable(Exception):
    """Data the format cannot hold exactly (never from the loader; a guard)."""


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    setting = os.environ.get("BDUR_CACHE", "")
    if setting.lower() in ("0", "no", "off", "false"):
        return None
    if setting and setting.lower() not in ("1", "yes", "on", "true"):
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG rule: a relative setting is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bdur"


def _name(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read(text: str) -> Any:
    """The cached data of `text`, or None (no cache, no file, or one not to be trusted)."""
    where = folder()
    if where is None:
        return None
    digest = _name(text)
    try:
        with open(where / f"{digest}.json", "rb") as fh:
            doc = json.loads(fh.read(), object_hook=_decode)
        if (not isinstance(doc, dict) or doc.get("format") != _FORMAT
                or doc.get("bdur") != __version__ or doc.get("sha256") != digest
                or not isinstance(doc.get("data"), dict)):
            return None
        return doc["data"]
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None  # absent, unreadable or damaged: read the YAML


def write(text: str, data: Any) -> None:
    """Keep the parsed `data` of `text`; quietly nothing when the folder cannot be written
    (a read-only home, a full disk): the cache only saves time."""
    where = folder()
    if where is None:
        return
    digest = _name(text)
    try:
        encoded, _ = _encode(data)
        body = json.dumps({"format": _FORMAT, "bdur": __version__, "sha256": digest,
                           "data": encoded}, ensure_ascii=False, separators=(",", ":"),
                          check_circular=False)
    except (_Uncacheable, RecursionError, ValueError):
        return
    _store(where, digest, body, _KEEP)


def _store(where: Path, name: str, body: str, keep: int) -> None:
    """`body` as `where/name.json`, written whole or not at all; then the `keep` newest
    files are kept. Quietly nothing when the folder cannot be written."""
    import tempfile  # only when writing: a run that reads its figures never needs it

    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=where)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as fh:
                fh.write(body)
            os.replace(tmp, where / f"{name}.json")
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(where, keep)
    except OSError:
        return


def _prune(where: Path, keep: int) -> None:
    files = [(entry.stat().st_mtime, entry.path) for entry in os.scandir(where)
             if entry.name.endswith(".json") and not entry.name.startswith(".")]
    if len(files) > keep:
        for _, path in sorted(files)[:-keep]:
            with suppress(OSError):
                os.unlink(path)


def _encode(value: Any) -> tuple[Any, bool]:
    """`value` as JSON data, and whether its parent must look at it when reading (a tagged
    text, or a list holding one)."""
    kind = type(value)
    if kind is str:
        if value.startswith(_TAG):
            raise _Uncacheable
        return value, False
    if kind is YamlFloat:
        return _FLOAT + value, True
    if kind is dict:
        tagged = False
        if all(type(k) is str and not k.startswith(_TAG) for k in value):
            out: dict[str, Any] = {}
            for k, v in value.items():
                out[k], mark = _encode(v)
                tagged = tagged or mark
            if tagged:
                out[_TAG] = 1
            return out, False
        pairs = []
        for k, v in value.items():
            ek, _ = _encode(k)
            ev, _ = _encode(v)
            pairs.append([ek, ev])
        return {_MAP: pairs}, False
    if kind is list:
        items = []
        tagged = False
        for item in value:
            encoded, mark = _encode(item)
            items.append(encoded)
            tagged = tagged or mark
        return items, tagged
    if value is None or kind is bool or kind is int:
        return value, False
    raise _Uncacheable


def _decode(obj: dict[str, Any]) -> Any:
    """json's object hook: undo `_encode` for a mapping whose children are decoded already."""
    if _MAP in obj:
        return {_value(k): _value(v) for k, v in obj[_MAP]}
    if _TAG in obj:
        del obj[_TAG]
        for k, v in obj.items():
            obj[k] = _value(v)
    return obj


def _value(v: Any) -> Any:
    if type(v) is str:
        if v.startswith(_FLOAT):
            return YamlFloat(v[2:])
        if v.startswith(_TAG):
            raise ValueError("an unknown tag in the cache")
        return v
    if type(v) is list:
        return [_value(item) for item in v]
    return v


# --- the figures of `bdur totals` ---------------------------------------------------------------


@cache
def build() -> str:
    """bdur's version, Python's, and a stamp of bdur's code (`_stamp`)."""
    package = Path(__file__).resolve().parent.parent
    return f"{__version__}+py{sys.version_info[0]}.{sys.version_info[1]}+{_stamp(package)}"


def _stamp(package: Path) -> str:
    """The name, size and modification time of every module under `package` (one directory
    listing per folder, no file is read, no symbolic link followed)."""
    stamp = hashlib.sha256()
    folders = [str(package)]
    while folders:
        here = folders.pop()
        with os.scandir(here) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__" and not entry.name.startswith("."):
                        folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat(follow_symlinks=False)
                    stamp.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode(
                        "utf-8", "surrogatepass"))
    return stamp.hexdigest()[:16]


def figures_name(request: tuple[object, ...], data: bytes) -> str | None:
    """The name of the figures of `request` over a plan whose bytes are `data`; None when
    caching is off."""
    if folder() is None:
        return None
    digest = hashlib.sha256(json.dumps([_FORMAT, build(), list(request)]).encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def read_figures(name: str) -> PlanTotals | None:
    """The figures kept under `name`, or None (none kept, another build's, or a file that is
    not exactly what `write_figures` wrote)."""
    where = folder()
    if where is None:
        return None
    path = where / "figures" / f"{name}.json"
    try:
        # As a plan is read: never blocking on a FIFO, never more than the size limit.
        head, _, body = read_bytes(path, str(path)).partition(b"\n")
        doc = json.loads(head)
        if (not isinstance(doc, dict) or doc.get("format") != _FORMAT
                or doc.get("bdur") != build() or doc.get("name") != name
                or doc.get("sha256") != hashlib.sha256(body).hexdigest()):
            return None
        result = _from_data(json.loads(body))
        if type(result) is not PlanTotals:
            return None
        with suppress(OSError):
            os.utime(path)  # read, so among the newest kept (`_prune` goes by time)
        return result
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError,
            BdurError):
        return None  # absent, another bdur's, or damaged: compute


def write_figures(name: str, result: PlanTotals) -> None:
    """Keep `result` under `name`: a line of JSON that says what it is (format, build, name,
    the SHA-256 of the rest), then the result as JSON. Quietly nothing when it cannot be
    kept."""
    where = folder()
    if where is None:
        return
    try:
        body = json.dumps(_to_data(result), ensure_ascii=False, separators=(",", ":"),
                          check_circular=False)
    except (_Uncacheable, RecursionError, ValueError):
        return
    # json.dumps writes a new line inside text as \n: the first line break ends the head.
    encoded = body.encode("utf-8", "surrogatepass")
    head = json.dumps({"format": _FORMAT, "bdur": build(), "name": name,
                       "sha256": hashlib.sha256(encoded).hexdigest()})
    _store(where / "figures", name, f"{head}\n{body}", _KEEP_FIGURES)


def _to_data(value: Any) -> Any:
    """A result as JSON data (the module's note); `_Uncacheable` for anything else."""
    kind = type(value)
    if kind is str:
        if value.startswith(_TAG):
            raise _Uncacheable
        return value
    if value is None or kind is bool or kind is int:
        return value
    if kind is Decimal:
        return _DECIMAL + str(value)
    if kind is list:
        return [_to_data(v) for v in value]
    if kind is tuple:
        return {_TUPLE: [_to_data(v) for v in value]}
    if kind is frozenset:
        return {_SET: sorted(_to_data(v) for v in value)}
    if kind is dict:
        if all(type(k) is str and not k.startswith(_TAG) for k in value):
            return {k: _to_data(v) for k, v in value.items()}
        return {_MAP: [[_to_data(k), _to_data(v)] for k, v in value.items()]}
    if _CLASSES.get(kind.__name__) is kind:
        out = {_CLASS: kind.__name__}
        out.update((f.name, _to_data(getattr(value, f.name))) for f in fields(value))
        return out
    raise _Uncacheable


def _from_data(value: Any) -> Any:
    """Undo `_to_data`; ValueError, KeyError or TypeError for what it never writes."""
    kind = type(value)
    if kind is str:
        if value.startswith(_DECIMAL):
            return Decimal(value[2:])
        if value.startswith(_TAG):
            raise ValueError("an unknown tag in the cache")
        return value
    if value is None or kind is bool or kind is int:
        return value
    if kind is list:
        return [_from_data(v) for v in value]
    if kind is not dict:
        raise ValueError(f"a {kind.__name__} in the cache")
    if _CLASS in value:
        cls = _CLASSES[value[_CLASS]]
        return cls(**{k: _from_data(v) for k, v in value.items() if k != _CLASS})
    if _TUPLE in value:
        return tuple(_from_data(v) for v in value[_TUPLE])
    if _SET in value:
        return frozenset(_from_data(v) for v in value[_SET])
    if _MAP in value:
        return {_from_data(k): _from_data(v) for k, v in value[_MAP]}
    return {k: _from_data(v) for k, v in value.items()}
