"""Static redirect pages: /go/<code>/ short links and old addresses of moved pages.

A static host has no server-side redirects, so each one is a tiny HTML page
in every language tree that forwards the browser at once (meta refresh, plus
location.replace so the address bar does not keep the short link) and shows a
plain link for anything that follows neither. /ar/go/glam-3/ forwards inside
the Arabic tree, so a trainer's link opens in the reader's language.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from babel import Locale

from ..content.models import Catalogue
from ..layout import short_link_folder, short_link_path

PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>{text}</title>
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
<script>location.replace({url_js});</script>
</head>
<body>
<p><a href="{url}">{text}</a></p>
</body>
</html>
"""


def _relative(from_folder: str, to_path: str) -> str:
    depth = len([part for part in from_folder.strip("/").split("/") if part])
    return ("../" * depth + to_path) or "./"


def redirect_page(from_folder: str, to_path: str, text: str, lang: str, rtl: bool) -> str:
    url = _relative(from_folder, to_path)
    url_js = '"' + url.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c") + '"'
    return PAGE.format(lang=escape(lang), dir="rtl" if rtl else "ltr", text=escape(text), url=escape(url), url_js=url_js)


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
