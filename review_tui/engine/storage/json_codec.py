"""JSON as the workspace writes, hashes and reads it: one place for the encoder.

orjson does the work (the 15 MB decisions document of a 20,000-entry committee hashes in
0.02–0.07 s against 0.2–0.3 s with the standard library, and parses in 0.10 s against
0.16 s). Its bytes are the standard library's for everything a workspace holds: strings,
integers, booleans, null, lists and dicts with string keys, and floats (all but those under
0.0001, which the standard library writes with an exponent, and NaN or infinities; no
record holds one).
What orjson refuses (integer keys, integers past 64 bits, objects it does not know) goes to
the standard library, which writes it or raises the ``TypeError`` it always raised; so a
record hashes the same whichever encoder wrote it (``tests/engine/test_json_codec.py``
compares them over a whole committee's files).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_STRICT = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

DecodeError = json.JSONDecodeError  # orjson's error is a subclass of it


def canonical(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no spaces, UTF-8 (what hashes are computed over)."""
    try:
        return orjson.dumps(data, option=_STRICT | orjson.OPT_SORT_KEYS)
    except TypeError:
        return _CANONICAL.encode(data).encode()


def compact(data: Any) -> bytes:
    """Compact UTF-8 JSON in the order given: how the workspace's files are written."""
    try:
        return orjson.dumps(data, option=_STRICT)
    except TypeError:
        return _COMPACT.encode(data).encode()


def loads(raw: bytes | str) -> Any:
    """Parse JSON text; :data:`DecodeError` (a ``ValueError``) when it is not valid JSON in
    UTF-8 (a lone surrogate, NaN or Infinity included, which no workspace file holds)."""
    return orjson.loads(raw)
