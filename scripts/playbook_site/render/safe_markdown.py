"""Turn contributor text into safe HTML.

Values from data never pass through Jinja or the page's Markdown as raw text.
Plain fields are escaped by the templates (autoescape). Fields that allow
Markdown are rendered here on their own, then cleaned with nh3 (Ammonia) using
an allow-list: a few formatting tags, and links to http, https and mailto only.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"a", "em", "strong", "code", "p", "ul", "ol", "li", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_SINGLE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


_CONVERTER = markdown.Markdown(output_format="html")
# One line that starts with a letter and holds only letters, digits, spaces and
# punctuation that means nothing to Markdown (no * _ ` [ ] < > & \\ # ! or line
# break): Markdown would only wrap it in <p>, so the converter is skipped.
# tests/test_loader_properties.py checks that both ways give the same HTML.
_PLAIN_LINE = re.compile(r"\A[^\W\d_](?:[^\W_]|[ ,.;:'\"?%/()\-–—‘’“”«»¿¡،؛؟\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670])*(?<! )\Z")


def _converted(text: str) -> str:
    return f"<p>{text}</p>" if _PLAIN_LINE.match(text) else _CONVERTER.reset().convert(text)


@lru_cache(maxsize=65536)
def markdown_html(text: str, inline: bool = False) -> Markup:
    """Render a short Markdown text and sanitise it. `inline` drops a lone wrapping <p>.

    Cached, and one converter is reused: the same field is shown on many pages
    in every language build (cards, indexes), and building a new converter per
    field was a tenth of the build time.
    """
    html = _converted(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
    if inline:
        match = _SINGLE_PARAGRAPH.match(clean)
        if match and "<p>" not in match.group(1):
            clean = match.group(1)
    return Markup(clean)  # noqa: S704 (sanitised by nh3 above)


def single_line_html(html: str) -> str:
    """Macro output sits inside the page's Markdown: keep it one raw-HTML block.

    A blank line would end Python-Markdown's HTML block and let the rest be
    read as Markdown, so blank lines are removed (whitespace between block
    tags carries no meaning).
    """
    return "\n".join(line for line in html.splitlines() if line.strip())


_TITLE_ATTRIBUTE = re.compile(r'(\stitle=")([^"]*)(")')


def inert_title_attributes(html: str) -> str:
    """Escape title attributes once more, because Material shows them as HTML.

    With `content.tooltips`, Material moves an element's title into a tooltip
    with innerHTML, so `title="&lt;img onerror=...&gt;"` would come alive on
    hover. After this, the attribute's value holds `&lt;img ...&gt;` and the
    tooltip shows it as text. (Browsers without scripts show the entities in
    their own tooltip: a small price, only for titles with & < > or ".)
    """
    return _TITLE_ATTRIBUTE.sub(lambda m: m.group(1) + m.group(2).replace("&", "&amp;") + m.group(3), html)
