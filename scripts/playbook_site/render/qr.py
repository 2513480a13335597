"""QR codes as inline SVG, made at build time (segno; no online service)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


# Every printed page carries a QR code of its own address, so codes are made
# for every page of every language. Trying all eight data masks and scoring
# each (segno's default) was three quarters of their cost and a fifth of a
# profiled 500-case-study build; any mask gives a valid code, and this one is
# the one segno picks most often for the site's addresses.
MASK = 2


@lru_cache(maxsize=4096)
def qr_svg(url: str, label: str, scale: int = 2) -> Markup:
    """An accessible inline SVG QR code for `url`; `label` names it for screen readers."""
    svg = segno.make(url, error="m", mask=MASK).svg_inline(scale=scale, border=2, svgclass="pp-qr__code", lineclass=None, omitsize=False)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 (segno's own SVG; the only text in it is escaped above)
