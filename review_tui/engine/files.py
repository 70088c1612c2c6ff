"""Safe access to the files a manifest names: path containment, size limits, text decoding."""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

# Encodings a Taiwanese office produces, in the order they are tried. UTF-8 is strict and
# self-checking, so it goes first; CP950 is what Excel writes for "CSV" on a zh-TW Windows.
TEXT_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, and encrypted OOXML files
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200


class FileProblem(Exception):
    """A file cannot be used; ``rule`` is the intake rule id, ``params`` fill its message."""

    def __init__(self, rule: str, **params: object) -> None:
        self.rule = rule
        self.params = params
        super().__init__(rule)


def resolve_inside(base: Path, relative: str) -> Path:
    """Resolve ``relative`` (as typed in a manifest) under ``base``; refuse any escape.

    Windows separators are accepted. Absolute paths, drive letters, ``..`` that leaves
    ``base`` and symlinks pointing outside are refused with ``file.path_escape``.
    """
    text = (relative or "").strip()
    if not text:
        raise FileProblem("file.missing", file="")
    if "\x00" in text:
        raise FileProblem("file.path_escape", file=text)
    posix = PureWindowsPath(text).as_posix() if "\\" in text else text
    if PureWindowsPath(text).drive or PurePosixPath(posix).is_absolute():
        raise FileProblem("file.path_escape", file=text)
    root = _resolved(base)
    target = (root / posix).resolve()
    if target != root and root not in target.parents:
        raise FileProblem("file.path_escape", file=text)
    if not target.is_file():
        raise FileProblem("file.missing", file=text)
    return target


@functools.lru_cache(maxsize=64)
def _resolved(base: Path) -> Path:
    """``base`` resolved once, not once per row (a manifest's folder). A folder swapped for
    a symlink later can only make the containment check refuse, never let a path escape."""
    return base.resolve()


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, refusing one larger than ``max_bytes`` before reading it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileProblem("file.too_large", size_mb=round(size / 1048576, 1),
                              max_mb=round(max_bytes / 1048576, 1))
        return path.read_bytes()
    except OSError as exc:
        raise FileProblem("file.unreadable", reason=exc.strerror or str(exc)) from exc


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, CP950 or Big5-HKSCS.

    Returns ``(text, encoding)``; raises UnicodeError when none fits.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnicodeError("no known encoding fits")


def open_zip_checked(data: bytes, max_unpacked: int) -> list[zipfile.ZipInfo]:
    """List a zip's members, refusing corrupt, encrypted or bomb-like archives.

    Declared sizes are trusted for the bound: ``zipfile`` never inflates a member past
    its declared size, so checking them bounds what any later reader can unpack.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileProblem("file.corrupt", reason=str(exc)) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileProblem("file.zip_bomb", reason=f"{len(members)} parts")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise FileProblem("file.encrypted")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > max_unpacked or (member.file_size > 1048576 and ratio > MAX_COMPRESSION_RATIO):
            raise FileProblem("file.zip_bomb", reason=f"{member.filename}: {member.file_size} B")
    return members
