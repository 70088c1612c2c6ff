"""Case photos (實例照片): checked like documents, kept without their metadata.

A photo is a JPEG or PNG whose type its bytes prove (not its name), whose structure is
whole, whose pixel count stays under :data:`MAX_PIXELS` (a small file that would unpack
into gigabytes of pixels is refused before any viewer decodes it), and whose metadata is
dropped: EXIF (camera owner, GPS), XMP, IPTC, comments and PNG text chunks can name the
writer or the place. Pixels are never decoded here: the terminal shows text only, and the
photos are seen again only in the compilation after the unseal.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from review_tui.engine.intake.paths import FileProblem

MAX_PIXELS = 50_000_000  # 50 megapixels: more than any phone camera, far less than a bomb
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
            b"sBIT", b"bKGD", b"pHYs"}  # the picture; text, time and EXIF chunks are dropped
JPEG_KEPT_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC profile, Adobe colour: no person in them
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"  # no thumbnail
SUFFIXES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


@dataclass(frozen=True)
class Photo:
    """A checked photo: its cleaned bytes, type and size in pixels."""

    data: bytes
    suffix: str  # .jpg or .png, from the bytes
    width: int
    height: int


def clean_photo(data: bytes, suffix: str) -> Photo:
    """The photo ``data`` (named with ``suffix``) checked and stripped of its metadata;
    :class:`FileProblem` ``photo.invalid`` with a reason when it cannot be used."""
    kind = SUFFIXES.get(suffix.lower())
    if kind is None:
        raise FileProblem("photo.invalid", reason="type")
    if data.startswith(PNG_SIGNATURE):
        found, cleaned = "png", _clean_png(data)
    elif data.startswith(b"\xff\xd8\xff"):
        found, cleaned = "jpeg", _clean_jpeg(data)
    else:
        raise FileProblem("photo.invalid", reason="type")
    if found != kind:
        raise FileProblem("photo.invalid", reason="type")
    width, height = _size(cleaned)
    if width * height > MAX_PIXELS:
        raise FileProblem("photo.invalid", reason="bomb")
    return Photo(cleaned, ".png" if found == "png" else ".jpg", width, height)


def _size(data: bytes) -> tuple[int, int]:
    from docx.image.exceptions import (
        InvalidImageStreamError,
        UnexpectedEndOfFileError,
        UnrecognizedImageError,
    )
    from docx.image.image import Image

    try:
        image = Image.from_blob(data)  # the header python-docx reads to place the picture
        width, height = image.px_width, image.px_height
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError,
            ValueError, struct.error,
            IndexError, KeyError) as exc:
        raise FileProblem("photo.invalid", reason="corrupt") from exc
    if width <= 0 or height <= 0:
        raise FileProblem("photo.invalid", reason="corrupt")
    return width, height


def _clean_png(data: bytes) -> bytes:
    """The PNG's picture chunks, each checked (length, CRC), from IHDR to IEND."""
    out, position, first = [PNG_SIGNATURE], len(PNG_SIGNATURE), True
    while True:
        if position + 12 > len(data):
            raise FileProblem("photo.invalid", reason="corrupt")
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        end = position + 12 + length
        if end > len(data) or (first and kind != b"IHDR"):
            raise FileProblem("photo.invalid", reason="corrupt")
        body = data[position + 8:end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4:end])[0]:
            raise FileProblem("photo.invalid", reason="corrupt")
        if kind in PNG_KEPT:
            out.append(data[position:end])
        position, first = end, False
        if kind == b"IEND":
            return b"".join(out)


def _clean_jpeg(data: bytes) -> bytes:
    """The JPEG's segments without EXIF/XMP (APP1), IPTC (APP13), other APPn and comments,
    up to the scan, which is kept as it is."""
    out, position, frame = [b"\xff\xd8"], 2, False
    while True:
        if position + 4 > len(data) or data[position] != 0xFF:
            raise FileProblem("photo.invalid", reason="corrupt")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise FileProblem("photo.invalid", reason="corrupt")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                      0xCE, 0xCF):
            frame = True
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            if not frame:
                raise FileProblem("photo.invalid", reason="corrupt")
            out.append(data[position:])
            if not out[1].startswith(b"\xff\xe0") or out[1][4:9] != b"JFIF\0":
                out.insert(1, JFIF)  # an EXIF-only photo keeps a header readers know
            return b"".join(out)
        metadata = (0xE0 <= marker <= 0xEF and marker not in JPEG_KEPT_APP) or marker == 0xFE
        if not metadata:
            out.append(data[position:end])
        position = end
