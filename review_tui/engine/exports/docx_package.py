"""Write a python-docx document's package, each part compressed once per content.

An export writes thousands of documents from the same few templates (a 函稿 to each of
10,000 agencies, a 評分表 to each of 2,000 reviewers): their styles, theme, settings, fonts
table and relationships are the same bytes every time, and python-docx's ``save``
compressed every one of them again for every file (most of a letter's 3.4 ms). Here a
:class:`PartCache` keeps each part's last compressed form, used again when the part's
bytes are the same (compared whole, not by a hash); only the parts that differ — the body,
the title in the core properties — are compressed for each file.

The archive is a plain ZIP (stored or deflated members, no ZIP64: a member or a file over
4 GB is refused) with fixed member times, so the same document gives the same bytes. The
main part may be given as chunks (a 60,000-row table streamed in, never held whole).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

from review_tui.engine.errors import ReviewError

DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, ZIP's first date
LIMIT = 0xFFFFFFFF
MAIN_PART = "word/document.xml"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


class PartCache:
    """Each member's last bytes and their compressed form (by member name)."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[bytes, int, bytes]] = {}

    def compressed(self, name: str, data: bytes) -> tuple[int, bytes]:
        """``data``'s CRC-32 and raw deflate stream, compressed only when it changed."""
        kept = self._parts.get(name)
        if kept is not None and kept[0] == data:
            return kept[1], kept[2]
        crc, packed = zlib.crc32(data), _deflate([data])
        self._parts[name] = (data, crc, packed)
        return crc, packed


def members(document: Any) -> list[tuple[str, bytes]]:
    """The package's members as python-docx would save them: the content types, the
    package's relationships, then each part and its relationships."""
    package = document.part.package
    parts = list(package.iter_parts())
    out = [("[Content_Types].xml", _content_types(parts)),
           ("_rels/.rels", package.rels.xml)]
    for part in parts:
        out.append((part.partname.membername, part.blob))
        if len(part.rels):
            out.append((part.partname.rels_uri.membername, part.rels.xml))
    return out


def write_package(document: Any, path: Path, cache: PartCache | None = None,
                  main: Iterable[bytes] | None = None) -> Path:
    """Save ``document`` to ``path``; ``main``: the main part's bytes as chunks, in place
    of its own."""
    cache = cache if cache is not None else PartCache()
    directory: list[bytes] = []
    with open(path, "wb") as out:
        for name, data in members(document):
            offset = out.tell()
            if name == MAIN_PART and main is not None:
                crc, size, packed_size = _stream_member(out, name, main)
            else:
                crc, packed = cache.compressed(name, data)
                size, packed_size = len(data), len(packed)
                out.write(_local_header(name, crc, packed_size, size))
                out.write(packed)
            directory.append(_central_header(name, crc, packed_size, size, offset))
        start = out.tell()
        for header in directory:
            out.write(header)
        end = out.tell()
        _check(start, end - start, path)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory),
                              end - start, start, 0))
    return path


class FixedPackage:
    """A package whose members are the same bytes in every file but a few (a compiled
    template's: the body and the core properties): the fixed members are compressed and
    laid out once, first, with their directory entries, so a file is those bytes and the
    varying members joined and written in one call (10,000 函稿: ~60 writes and a level-6
    compressor for the core properties each, before)."""

    def __init__(self, parts: list[tuple[str, bytes]], varying: Collection[str]) -> None:
        block, directory = bytearray(), bytearray()
        for name, data in parts:  # [Content_Types].xml stays first
            if name not in varying:
                crc, packed = zlib.crc32(data), _deflate([data])
                directory += _central_header(name, crc, len(packed), len(data), len(block))
                block += _local_header(name, crc, len(packed), len(data)) + packed
        self._block, self._directory = bytes(block), bytes(directory)
        self._fixed = len(parts) - len(varying)
        self.varying = [name for name, _ in parts if name in varying]

    def write(self, path: Path, varying: Mapping[str, Iterable[bytes]]) -> Path:
        """The package with each varying member's bytes (as chunks) at ``path``."""
        pieces, directory, offset = [self._block], [self._directory], len(self._block)
        for name in self.varying:
            crc, size, packed = _fast_deflate(varying[name], name)
            local = _local_header(name, crc, len(packed), size)
            directory.append(_central_header(name, crc, len(packed), size, offset))
            pieces += (local, packed)
            offset += len(local) + len(packed)
        index = b"".join(directory)
        _check(offset, offset + len(index), path)
        count = self._fixed + len(self.varying)
        pieces += (index, struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count,
                                      len(index), offset, 0))
        with open(path, "wb") as out:
            out.write(b"".join(pieces))
        return path


def _fast_compressor() -> Any:
    """For a member that differs in every file: level 1 with a 4 KB window, ~3× quicker on
    a 9 KB letter than level 6 (most of it setting up the 32 KB window) for ~15% more
    bytes."""
    return zlib.compressobj(1, zlib.DEFLATED, -12, 5)


def _fast_deflate(chunks: Iterable[bytes], name: str) -> tuple[int, int, bytes]:
    """CRC, size and raw deflate stream of a member that differs in every file."""
    compressor = _fast_compressor()
    crc = size = 0
    packed = []
    for chunk in chunks:
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        packed.append(compressor.compress(chunk))
    packed.append(compressor.flush())
    data = b"".join(packed)
    _check(len(data), size, name)
    return crc, size, data


def _stream_member(out: BinaryIO, name: str, chunks: Iterable[bytes]) -> tuple[int, int, int]:
    """Write a member whose size is known only at its end: a header written again once
    the data is in. Returns its CRC, size and compressed size."""
    header_at = out.tell()
    out.write(_local_header(name, 0, 0, 0))
    crc = size = packed_size = 0
    compressor = _fast_compressor()
    for chunk in chunks:
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        packed = compressor.compress(chunk)
        packed_size += len(packed)
        out.write(packed)
    packed = compressor.flush()
    packed_size += len(packed)
    out.write(packed)
    _check(packed_size, size, name)
    end = out.tell()
    out.seek(header_at)
    out.write(_local_header(name, crc, packed_size, size))
    out.seek(end)
    return crc, size, packed_size


def _deflate(chunks: Iterable[bytes]) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return b"".join([*(compressor.compress(c) for c in chunks), compressor.flush()])


def _local_header(name: str, crc: int, packed_size: int, size: int) -> bytes:
    encoded = name.encode("utf-8")
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, DOS_TIME, DOS_DATE, crc,
                       packed_size, size, len(encoded), 0) + encoded


def _central_header(name: str, crc: int, packed_size: int, size: int, offset: int) -> bytes:
    _check(offset, size, name)
    encoded = name.encode("utf-8")
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, DOS_TIME, DOS_DATE,
                       crc, packed_size, size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded


def _check(first: int, second: int, path: Path | str) -> None:
    if first > LIMIT or second > LIMIT:
        raise ReviewError("export.too_large", path=str(path))


def _content_types(parts: list[Any]) -> bytes:
    """``[Content_Types].xml``: the relationship and XML defaults, and each part's own."""
    overrides = "".join(f"<Override PartName={quoteattr(str(part.partname))} "
                        f"ContentType={quoteattr(part.content_type)}/>" for part in parts)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{_CONTENT_TYPES}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>").encode()
