"""The workspace's JSON encoder (orjson) writes the standard library's bytes: a record or
document hashes the same whichever wrote it, so a log written before the change verifies
after it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review_tui.engine.storage import json_codec
from review_tui.engine.storage.audit import AuditLog
from review_tui.engine.workspace import Workspace

STDLIB_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
STDLIB_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
    | st.floats(min_value=1e-4, max_value=1e300, allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


def _stdlib(data, encoder=STDLIB_CANONICAL) -> bytes:
    return encoder.encode(data).encode()


@given(json_values)
def test_canonical_and_compact_bytes_are_the_standard_librarys(value) -> None:
    assert json_codec.canonical(value) == _stdlib(value)
    assert json_codec.compact(value) == _stdlib(value, STDLIB_COMPACT)
    assert json_codec.loads(json_codec.compact(value)) == json.loads(_stdlib(value))


def test_a_whole_committees_files_hash_as_before(unsealed: Workspace) -> None:
    """Every audit record and every store file of the demo committee, run from intake to
    unseal: the same canonical bytes as the standard library's."""
    records = AuditLog(unsealed.root).records()
    assert len(records) > 10
    for record in records:
        assert json_codec.canonical(record) == _stdlib(record)
    stores = sorted(unsealed.root.rglob("*.json"))
    assert any(p.name == "decisions.json" for p in stores)
    for path in stores:
        data = json.loads(path.read_bytes())
        assert json_codec.canonical(data) == _stdlib(data), path.name
        assert json_codec.loads(path.read_bytes()) == data


def test_what_orjson_refuses_goes_to_the_standard_library() -> None:
    assert json_codec.canonical({2: "b", 1: 2**70}) == b'{"1":1180591620717411303424,"2":"b"}'

    @dataclass
    class Point:
        x: int

    for unknown in (Point(1), datetime(2026, 1, 1, tzinfo=UTC), {1, 2}):
        with pytest.raises(TypeError):  # refused as the standard library always refused it
            json_codec.canonical({"value": unknown})


@pytest.mark.parametrize("raw", [b'{"a": NaN}', b'{"a": "\\ud800"}', b"\xff\xfe{}", b'{"a":'])
def test_what_no_workspace_file_holds_is_a_decode_error(raw: bytes) -> None:
    with pytest.raises(json_codec.DecodeError):
        json_codec.loads(raw)
