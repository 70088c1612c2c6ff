"""Safe access to the files a manifest names: path containment, size limits, text decoding."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path, PureWindowsPath

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


class ManifestFolder:
    """The folder a manifest lies in, resolving the files its rows name and refusing escapes.

    Windows separators are accepted. Absolute paths, drive letters, ``..`` that leaves the
    folder and symlinks pointing outside are refused with ``file.path_escape``. Sub-folders
    are resolved once for the life of the object (one import), so a row costs one ``lstat``
    instead of one per path component; a row naming a symlink takes the long way.
    """

    def __init__(self, base: Path) -> None:
        self.root = base.resolve()
        self._folders: dict[str, str | None] = {}  # as typed → resolved, None if outside

    def locate(self, relative: str) -> tuple[Path, int]:
        """The file ``relative`` names (as typed in a manifest) and its size in bytes."""
        text = (relative or "").strip()
        if not text:
            raise FileProblem("file.missing", file="")
        if "\x00" in text:
            raise FileProblem("file.path_escape", file=text)
        posix = PureWindowsPath(text).as_posix() if "\\" in text else text
        drive = PureWindowsPath(text).drive if ":" in text or "\\" in text else ""
        if drive or posix.startswith("/"):
            raise FileProblem("file.path_escape", file=text)
        folder, _, name = posix.rpartition("/")
        if name in ("", ".", ".."):
            return self._resolve_fully(text, posix)
        if folder not in self._folders:
            self._folders[folder] = self._inside(self.root / folder) if folder else str(self.root)
        real_folder = self._folders[folder]
        if real_folder is None:
            raise FileProblem("file.path_escape", file=text)
        target = os.path.join(real_folder, name)
        try:
            info = os.lstat(target)
        except OSError:
            raise FileProblem("file.missing", file=text) from None
        if stat.S_ISLNK(info.st_mode):
            return self._resolve_fully(text, posix)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("file.missing", file=text)
        return Path(target), info.st_size

    def _inside(self, path: Path) -> str | None:
        target = path.resolve()
        return str(target) if target == self.root or self.root in target.parents else None

    def _resolve_fully(self, text: str, posix: str) -> tuple[Path, int]:
        target = self._inside(self.root / posix)
        if target is None:
            raise FileProblem("file.path_escape", file=text)
        try:
            info = os.stat(target)
        except OSError:
            raise FileProblem("file.missing", file=text) from None
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("file.missing", file=text)
        return Path(target), info.st_size


def read_limited(path: Path, max_bytes: int, size: int | None = None) -> bytes:
    """Read a whole file, refusing one larger than ``max_bytes`` before reading it.

    ``size`` is the file's size when the caller has just looked (saves a ``stat``); a file
    that grows meanwhile is still cut off at ``max_bytes`` + 1 and refused.
    """
    try:
        if size is None:
            size = path.stat().st_size
        if size > max_bytes:
            raise FileProblem("file.too_large", size_mb=round(size / 1048576, 1),
                              max_mb=round(max_bytes / 1048576, 1))
        with open(path, "rb") as handle:  # read(n) allocates n bytes: ask for what is there
            data = handle.read(size + 1)
            if len(data) > size:  # the file grew since it was measured
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise FileProblem("file.unreadable", reason=exc.strerror or str(exc)) from exc
    if len(data) > max_bytes:
        raise FileProblem("file.too_large", size_mb=round(len(data) / 1048576, 1),
                          max_mb=round(max_bytes / 1048576, 1))
    return data


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
