"""Council colours made safe to read: WCAG 2.2 contrast, adjusted rather than trusted."""

from __future__ import annotations

from generator.inputs.config import Branding

#: WCAG 2.2 AA for normal text.
MIN_CONTRAST = 4.5
WHITE = "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darken_until_readable(colour: str, against: str = WHITE, ratio: float = MIN_CONTRAST) -> str:
    """The nearest darker shade of ``colour`` that meets ``ratio`` against ``against``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(101):
        factor = 1 - step / 100
        shade = f"#{round(r * factor):02x}{round(g * factor):02x}{round(b * factor):02x}"
        if contrast(shade, against) >= ratio:
            return shade
    return "#000000"


def brand_colours(branding: Branding) -> dict[str, str]:
    """Colours for the themes: each one readable with white text on it and as text on white."""
    return {name.removesuffix("_colour"): darken_until_readable(getattr(branding, name))
            for name in ("primary_colour", "accent_colour")}


def colour_warnings(branding: Branding) -> list[str]:
    """What to tell the council about each colour the themes had to darken (checked once per build)."""
    warnings = []
    for name in ("primary_colour", "accent_colour"):
        given = getattr(branding, name)
        safe = darken_until_readable(given)
        if safe != given.lower():
            warnings.append(f"branding.{name} {given} gives contrast {contrast(given, WHITE):.1f}:1 with white "
                            f"(needs {MIN_CONTRAST:.1f}:1); using {safe} instead")
    return warnings
