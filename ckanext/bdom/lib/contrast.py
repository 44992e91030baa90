"""Colour contrast after WCAG 2.1 (success criterion 1.4.3, 4.5:1 for text).

Pure functions: parse a ``#rrggbb`` colour, compute the contrast ratio of two
colours, and darken a colour just enough for text on it (or of it on white)
to reach the ratio.
"""

from __future__ import annotations

import re

AA_TEXT = 4.5
WHITE = "#ffffff"
WHITE_RGB = (255, 255, 255)
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

RGB = tuple[int, int, int]


def parse(colour: str) -> RGB | None:
    """``(r, g, b)`` of ``#rgb`` or ``#rrggbb`` (``#`` optional); ``None`` otherwise."""
    match = _HEX.match((colour or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """Relative luminance (WCAG 2.1)."""
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: RGB, second: RGB) -> float:
    """Contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken_until(rgb: RGB, against: RGB, minimum: float = AA_TEXT) -> RGB:
    """``rgb`` darkened in small steps until its contrast with ``against``
    reaches ``minimum`` (black at worst, which passes against any light colour)."""
    factor = 1.0
    current = rgb
    while ratio(current, against) < minimum and factor > 0:
        factor = round(factor - 0.02, 2)
        current = (
            int(rgb[0] * max(factor, 0)),
            int(rgb[1] * max(factor, 0)),
            int(rgb[2] * max(factor, 0)),
        )
    return current
