"""A small "graphic recording" for the demo, drawn in pure Python (zlib + struct) as a PNG.

It shows the round-2 theme of the seed summit as a Venn diagram: the real (orange, left: a cup of
tea, a mountain under the sun, two people meeting) and the online (teal, right: a laptop, a globe, a
clock for travel time saved), overlapping in a heart: "relations that lead to future real meetings".
"""

from __future__ import annotations

import math
import struct
import zlib

Colour = tuple[int, int, int]

PAPER: Colour = (251, 247, 238)
INK: Colour = (45, 55, 64)
ORANGE: Colour = (233, 150, 70)
TEAL: Colour = (34, 140, 140)
RED: Colour = (214, 82, 82)
YELLOW: Colour = (246, 200, 80)
WHITE: Colour = (255, 255, 255)
GREEN: Colour = (120, 170, 90)


class Canvas:
    """An RGB canvas with anti-aliased circles, rings, thick lines and rectangles."""

    def __init__(self, width: int, height: int, background: Colour) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def blend(self, x: int, y: int, colour: Colour, alpha: float) -> None:
        if alpha <= 0 or not (0 <= x < self.width and 0 <= y < self.height):
            return
        i = (y * self.width + x) * 3
        a = min(alpha, 1.0)
        for k in range(3):
            self.pixels[i + k] = round(self.pixels[i + k] * (1 - a) + colour[k] * a)

    def circle(self, cx: float, cy: float, r: float, colour: Colour, alpha: float = 1.0) -> None:
        for y in range(int(cy - r - 1), int(cy + r + 2)):
            for x in range(int(cx - r - 1), int(cx + r + 2)):
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                self.blend(x, y, colour, alpha * max(0.0, min(1.0, r - d + 0.5)))

    def ring(self, cx: float, cy: float, r: float, width: float, colour: Colour, alpha: float = 1.0) -> None:
        for y in range(int(cy - r - width), int(cy + r + width + 1)):
            for x in range(int(cx - r - width), int(cx + r + width + 1)):
                d = abs(math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r)
                self.blend(x, y, colour, alpha * max(0.0, min(1.0, width / 2 - d + 0.5)))

    def line(
        self, x0: float, y0: float, x1: float, y1: float, width: float, colour: Colour, alpha: float = 1.0
    ) -> None:
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy or 1.0
        pad = width
        for y in range(int(min(y0, y1) - pad), int(max(y0, y1) + pad + 1)):
            for x in range(int(min(x0, x1) - pad), int(max(x0, x1) + pad + 1)):
                px, py = x + 0.5, y + 0.5
                t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
                d = math.hypot(px - (x0 + t * dx), py - (y0 + t * dy))
                self.blend(x, y, colour, alpha * max(0.0, min(1.0, width / 2 - d + 0.5)))

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Colour, alpha: float = 1.0) -> None:
        for y in range(y0, y1):
            for x in range(x0, x1):
                self.blend(x, y, colour, alpha)

    def rounded(self, x0: int, y0: int, x1: int, y1: int, r: int, colour: Colour, alpha: float = 1.0) -> None:
        self.rect(x0 + r, y0, x1 - r, y1, colour, alpha)
        self.rect(x0, y0 + r, x0 + r, y1 - r, colour, alpha)
        self.rect(x1 - r, y0 + r, x1, y1 - r, colour, alpha)
        for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
            for y in range(cy - r, cy + r):
                for x in range(cx - r, cx + r):
                    inside_corner = (x < x0 + r or x >= x1 - r) and (y < y0 + r or y >= y1 - r)
                    if inside_corner:
                        d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                        self.blend(x, y, colour, alpha * max(0.0, min(1.0, r - d + 0.5)))

    def triangle(self, a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], colour: Colour) -> None:
        xs, ys = (a[0], b[0], c[0]), (a[1], b[1], c[1])
        area = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])
        for y in range(int(min(ys)), int(max(ys)) + 1):
            for x in range(int(min(xs)), int(max(xs)) + 1):
                px, py = x + 0.5, y + 0.5
                w0 = (b[0] - px) * (c[1] - py) - (c[0] - px) * (b[1] - py)
                w1 = (c[0] - px) * (a[1] - py) - (a[0] - px) * (c[1] - py)
                w2 = (a[0] - px) * (b[1] - py) - (b[0] - px) * (a[1] - py)
                if (w0 >= 0 and w1 >= 0 and w2 >= 0) if area > 0 else (w0 <= 0 and w1 <= 0 and w2 <= 0):
                    self.blend(x, y, colour, 1.0)

    def png(self) -> bytes:
        rows = b"".join(
            b"\x00" + bytes(self.pixels[y * self.width * 3 : (y + 1) * self.width * 3]) for y in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
        )


def _heart(c: Canvas, cx: float, cy: float, s: float, colour: Colour) -> None:
    c.circle(cx - s * 0.5, cy - s * 0.2, s * 0.55, colour)
    c.circle(cx + s * 0.5, cy - s * 0.2, s * 0.55, colour)
    c.triangle((cx - s * 1.02, cy), (cx + s * 1.02, cy), (cx, cy + s * 1.2), colour)


def graphic_recording(width: int = 800, height: int = 500) -> bytes:
    """The demo's whiteboard picture of round 2, as PNG bytes (deterministic)."""
    c = Canvas(width, height, PAPER)
    # Header band and sticky notes in the corners, as on a real whiteboard.
    c.rect(0, 0, width, 46, TEAL, 0.9)
    for x in range(30, width - 30, 28):
        c.line(x, 23, x + 14, 23, 4, WHITE, 0.8)
    c.rounded(22, 360, 150, 470, 8, YELLOW, 0.95)
    c.rounded(650, 372, 780, 478, 8, (170, 215, 235), 0.95)
    for i in range(4):
        c.line(38, 385 + i * 22, 132 - (i % 2) * 30, 385 + i * 22, 4, INK, 0.55)
        c.line(666, 396 + i * 20, 762 - (i % 3) * 22, 396 + i * 20, 4, INK, 0.55)
    # The two worlds.
    c.circle(310, 255, 170, ORANGE, 0.55)
    c.circle(490, 255, 170, TEAL, 0.5)
    c.ring(310, 255, 170, 5, INK, 0.85)
    c.ring(490, 255, 170, 5, INK, 0.85)
    # Real: a mountain under the sun, a cup of tea, two people meeting.
    c.circle(235, 150, 20, YELLOW)
    c.triangle((175, 215), (255, 215), (215, 160), GREEN)
    c.triangle((215, 215), (285, 215), (252, 172), (95, 145, 75))
    c.rounded(190, 255, 240, 300, 8, WHITE)
    c.ring(246, 272, 12, 5, WHITE)
    c.line(185, 305, 245, 305, 5, INK, 0.8)
    for x in (205, 220):
        c.line(x, 247, x + 4, 232, 3, INK, 0.5)
    for cx in (205, 260):
        c.circle(cx, 345, 13, INK, 0.85)
        c.rounded(cx - 18, 362, cx + 18, 392, 10, INK, 0.85)
    c.line(222, 378, 243, 378, 6, INK, 0.85)
    # Online: a laptop, a globe, a clock.
    c.rounded(540, 150, 620, 202, 5, INK)
    c.rect(547, 157, 613, 195, (200, 235, 235))
    c.rounded(528, 203, 632, 213, 4, INK)
    c.circle(590, 275, 32, WHITE)
    c.ring(590, 275, 32, 4, INK)
    c.ring(590, 275, 16, 3, INK, 0.7)
    c.line(558, 275, 622, 275, 3, INK, 0.7)
    c.line(590, 243, 590, 307, 3, INK, 0.7)
    c.circle(545, 350, 26, WHITE)
    c.ring(545, 350, 26, 4, INK)
    c.line(545, 350, 545, 332, 4, INK)
    c.line(545, 350, 558, 358, 4, INK)
    # Where they meet: the heart.
    _heart(c, 400, 250, 30, RED)
    for angle in range(0, 360, 45):
        rad = math.radians(angle)
        c.line(
            400 + 50 * math.cos(rad),
            255 + 50 * math.sin(rad),
            400 + 62 * math.cos(rad),
            255 + 62 * math.sin(rad),
            4,
            RED,
            0.8,
        )
    return c.png()
