"""Parse once, reuse: the parsed data of a valid plan, kept between runs as JSON.

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
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from .. import __version__
from .model import YamlFloat

#: Raised to the format when the file's layout changes (the version changes it as well).
_FORMAT = 1
_KEEP = 16
_TAG, _MAP, _FLOAT = "\0", "\0m", "\0f"


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
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=where)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as fh:
                fh.write(body)
            os.replace(tmp, where / f"{digest}.json")
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(where)
    except OSError:
        return


def _prune(where: Path) -> None:
    files = [(entry.stat().st_mtime, entry.path) for entry in os.scandir(where)
             if entry.name.endswith(".json") and not entry.name.startswith(".")]
    if len(files) > _KEEP:
        for _, path in sorted(files)[:-_KEEP]:
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
