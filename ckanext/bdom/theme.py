"""The portal's theme from configuration: colours checked for contrast, logo.

A colour whose contrast with white is below 4.5:1 (WCAG 2.1 AA) is darkened
until it passes; a colour that is not ``#rrggbb`` is refused and the default
is used. Both are logged once per value, saying which option to fix.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.bdom import config
from ckanext.bdom.lib import contrast

log = logging.getLogger(__name__)

DEFAULTS = {"primary": "#1d4f91", "accent": "#8a5a00"}
_warned: set[tuple[str, str]] = set()


def _warn_once(option: str, value: str, message: str, *args: object) -> None:
    if (option, value) not in _warned:
        _warned.add((option, value))
        log.warning(message, *args)


def checked_colour(option: str, value: str, default: str) -> str:
    """``value`` as ``#rrggbb`` with at least 4.5:1 contrast against white."""
    rgb = contrast.parse(value)
    white = contrast.WHITE_RGB
    if rgb is None:
        _warn_once(
            option,
            value,
            "%s = %r is not a colour (#rrggbb); using %s instead",
            option,
            value,
            default,
        )
        return default
    found = contrast.ratio(rgb, white)
    if found < contrast.AA_TEXT:
        adjusted = contrast.to_hex(contrast.darken_until(rgb, white))
        _warn_once(
            option,
            value,
            "%s = %s has a contrast of %.2f:1 with white text, below the 4.5:1 of "
            "WCAG 2.1 AA; using the darker %s instead (set it in the config to "
            "silence this warning)",
            option,
            value,
            found,
            adjusted,
        )
        return adjusted
    return contrast.to_hex(rgb)


def _rgb_text(colour: str) -> str:
    rgb = contrast.parse(colour) or (0, 0, 0)
    return ", ".join(str(v) for v in rgb)


def _darker(colour: str, factor: float = 0.75) -> str:
    rgb = contrast.parse(colour) or (0, 0, 0)
    return contrast.to_hex((int(rgb[0] * factor), int(rgb[1] * factor), int(rgb[2] * factor)))


def colours() -> dict[str, str]:
    """``primary`` and ``accent`` colours safe for text (read at call time),
    their ``r, g, b`` forms and a darker primary for the top bar and footer."""
    primary = checked_colour(
        "ckanext.bdom.theme.primary_colour", config.theme_primary_colour(), DEFAULTS["primary"]
    )
    accent = checked_colour(
        "ckanext.bdom.theme.accent_colour", config.theme_accent_colour(), DEFAULTS["accent"]
    )
    return {
        "primary": primary,
        "primary_rgb": _rgb_text(primary),
        "primary_dark": _darker(primary),
        "accent": accent,
        "accent_rgb": _rgb_text(accent),
        "accent_dark": _darker(accent),
    }


def logo_url() -> str:
    """The logo's address (absolute URL or a public file), or ``""``."""
    logo = config.theme_logo().strip()
    if not logo or logo.lower().startswith(("javascript:", "data:")):
        return ""
    return tk.h.url_for_static_or_external(logo)
