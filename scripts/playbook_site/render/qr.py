"""QR codes as inline SVG, made at build time (segno; no online service)."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


@lru_cache(maxsize=4096)
def qr_svg(url: str, label: str, scale: int = 2) -> Markup:
    """An accessible inline SVG QR code for `url`; `label` names it for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=scale, border=2, svgclass="pp-qr__code", lineclass=None, omitsize=False)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 (segno's own SVG; the only text in it is escaped above)
