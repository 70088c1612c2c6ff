"""Small PNG pictures for the demo's case photos, drawn without an imaging library."""

from __future__ import annotations

import functools
import random
import struct
import zlib


@functools.lru_cache(maxsize=64)  # a demo built again (a test run builds dozens) draws none
def png(width: int, height: int, seed: int) -> bytes:
    """A landscape (sky, a sun, hills, a building) in colours drawn from ``seed``."""
    rng = random.Random(seed)
    sky = (rng.randint(90, 160), rng.randint(150, 200), rng.randint(200, 250))
    hill = (rng.randint(40, 90), rng.randint(120, 170), rng.randint(50, 90))
    wall = (rng.randint(180, 230), rng.randint(160, 200), rng.randint(120, 160))
    sun_x, sun_y, sun_r = rng.randint(width // 5, width * 4 // 5), height // 5, height // 9
    left, right = rng.randint(width // 8, width // 3), rng.randint(width // 2, width * 3 // 4)
    roof = height * 2 // 5
    rows = []
    for y in range(height):
        line = bytearray(b"\0")  # filter type: none
        horizon = height * 3 // 5
        for x in range(width):
            ridge = horizon + int(height / 12 * ((x * 7 % width) / width - 0.5))
            if left <= x <= right and y >= roof:
                colour = (90, 110, 140) if (x - left) // 14 % 3 == 1 and (y - roof) // 14 % 3 == 1 \
                    else wall  # windows
            elif y >= ridge:
                colour = hill
            elif (x - sun_x) ** 2 + (y - sun_y) ** 2 <= sun_r ** 2:
                colour = (250, 220, 90)
            else:
                fade = y * 60 // height
                colour = (min(255, sky[0] + fade), min(255, sky[1] + fade), sky[2])
            line += bytes(colour)
        rows.append(bytes(line))
    return _chunks(width, height, zlib.compress(b"".join(rows), 9))


def _chunks(width: int, height: int, pixels: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))
