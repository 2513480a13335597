"""Static redirect pages: /go/<code>/ short links and old addresses of moved pages.

A static host has no server-side redirects, so each one is a tiny HTML page
in every language tree that forwards the browser at once (meta refresh, plus
location.replace so the address bar does not keep the short link) and shows a
plain link for anything that follows neither. The page is the autoescaped
template templates/redirect.html; its script reads the target from the page's
canonical link, so the address is written only into attributes. /ar/go/glam-3/ forwards inside
the Arabic tree, so a trainer's link opens in the reader's language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale

from ..content.models import Catalogue
from ..layout import short_link_folder, short_link_path

TEMPLATES = Path(__file__).parent / "templates"


def _relative(from_folder: str, to_path: str) -> str:
    depth = len([part for part in from_folder.strip("/").split("/") if part])
    return ("../" * depth + to_path) or "./"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Autoescaping, and templates reloaded when they change (`make serve`)."""
    loader = jinja2.FileSystemLoader(str(TEMPLATES))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def redirect_page(from_folder: str, to_path: str, text: str, lang: str, rtl: bool) -> str:
    """The page at `from_folder` that forwards to `to_path` (both relative to the language tree)."""
    url = _relative(from_folder, to_path)
    return _environment().get_template("redirect.html").render(lang=lang, dir="rtl" if rtl else "ltr", text=text, url=url)


def pages(catalogue: Catalogue, locale: str) -> dict[str, str]:
    """Redirect pages of one language tree: folder inside the tree -> HTML."""
    text = catalogue.text("redirecting", locale)
    rtl = Locale.parse(locale.replace("-", "_")).character_order == "right-to-left"
    result = {}
    for code, link in catalogue.short_links.items():
        folder = short_link_folder(code)
        result[folder] = redirect_page(folder, short_link_path(link.kind, link.target, link.anchor), text, locale, rtl)
    for old, new in catalogue.redirects.items():
        result[old] = redirect_page(old, new, text, locale, rtl)
    return result


def write(site_dir: Path, tree_prefix: str, html_pages: dict[str, str]) -> int:
    for folder, html in html_pages.items():
        target = site_dir / tree_prefix / folder / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(html_pages)
