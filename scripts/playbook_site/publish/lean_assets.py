"""What every first load downloads, made smaller after the build.

- The site's own stylesheets and scripts (docs/assets/*.css, *.js, copied to
  site/assets/) are minified: rcssmin and rjsmin drop comments and spaces.
  The sources stay readable; only the built copies change.
- Material's palette stylesheet holds the colours of every primary and
  accent it offers (2 KB gzipped); `trim_palette` keeps the rules of the
  colours that mkdocs.yml's palette uses, and every rule that names no
  colour (the dark scheme, for one). tinycss2 parses it.
- `lean_page`, for every page: `collapse_whitespace` drops the indentation
  and blank lines that the theme's templates leave, outside <pre>,
  <textarea>, <script> and <style>, where spaces and line breaks can matter
  (the page is read with the HTML parser to find them, once per page);
  `readable_config` writes the letters of Material's page settings
  (`#__config`, its interface words) as they are, where Material's `tojson`
  writes each non-ASCII letter as a six-byte `\\uXXXX` escape (Arabic).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
import tinycss2
from jinja2.utils import htmlsafe_json_dumps

# Material's colour when a palette entry names none (its templates' default).
_DEFAULT_COLOUR = "indigo"
_COLOUR_SELECTOR = re.compile(r"\[data-md-color-(primary|accent)=[\"']?([\w-]+)")
_VERBATIM = frozenset({"pre", "textarea", "script", "style"})  # elements whose whitespace shows, or is code
_BLANK_RUN = re.compile(r"[ \t]*\n[ \t\r\n]*")


def minify_own_assets(site_dir: Path) -> dict[str, tuple[int, int]]:
    """Minify site/assets/*.css and *.js (the site's own; Material's are in sub-folders, minified already).

    Returns {file name: (bytes before, bytes after)}. Running it twice changes nothing more.
    """
    sizes = {}
    for path in sorted((site_dir / "assets").glob("*")):
        if path.suffix not in (".css", ".js") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        small = rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)
        path.write_text(small, encoding="utf-8")
        sizes[path.name] = (len(text.encode("utf-8")), len(small.encode("utf-8")))
    return sizes


def palette_colours(palette: Any) -> dict[str, set[str]]:
    """The primary and accent colours that mkdocs.yml's `theme.palette` (one entry or a list) can show."""
    entries = palette if isinstance(palette, list) else [palette] if palette else []
    colours: dict[str, set[str]] = {"primary": set(), "accent": set()}
    for entry in entries:
        for kind in colours:
            colours[kind].add(str(entry.get(kind) or _DEFAULT_COLOUR).lower().replace(" ", "-"))
    return colours


def _selectors(prelude: list) -> list[str]:
    """The selectors of a rule's selector list: split at its own commas, not those inside `:is(...)`."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tinycss2.serialize(part).strip() for part in parts]


def trim_palette_css(css: str, colours: dict[str, set[str]]) -> str:
    """`css` without the selectors (and rules, and empty @media blocks) for colours not in `colours`."""
    def wanted(selector: str) -> bool:
        return all(value in colours[kind] for kind, value in _COLOUR_SELECTOR.findall(selector))

    def rules(nodes: list) -> list[str]:
        kept = []
        for node in nodes:
            if node.type == "qualified-rule":
                selectors = [part for part in _selectors(node.prelude) if wanted(part)]
                if selectors:
                    kept.append(",".join(selectors) + "{" + tinycss2.serialize(node.content) + "}")
            elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None:
                inner = rules(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))
                if inner:
                    kept.append("@media" + tinycss2.serialize(node.prelude) + "{" + "".join(inner) + "}")
            elif node.type not in ("whitespace", "comment"):
                kept.append(tinycss2.serialize([node]))
        return kept

    return "".join(rules(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)))


def trim_palette(site_dir: Path, palette: Any) -> list[Path]:
    """Trim Material's palette stylesheet(s) in site/assets/stylesheets/ to the colours of `palette`.

    The file keeps its name (the theme links it by name); its source map, which
    would no longer match, is removed.
    """
    colours = palette_colours(palette)
    if not colours["primary"]:
        return []
    trimmed = []
    for path in sorted((site_dir / "assets" / "stylesheets").glob("palette.*.css")):
        path.write_text(trim_palette_css(path.read_text(encoding="utf-8"), colours), encoding="utf-8")
        path.with_name(path.name + ".map").unlink(missing_ok=True)  # its source map no longer matches
        trimmed.append(path)
    return trimmed


class _VerbatimSpans(HTMLParser):
    """Where the page's pre, textarea, script and style elements start and end (offsets into the text), read with
    the HTML parser: a `<pre>` inside an attribute, a comment or a script is not taken for one."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self._html = html
        self._line_starts = [0]
        newline = html.find("\n")
        while newline != -1:
            self._line_starts.append(newline + 1)
            newline = html.find("\n", newline + 1)
        self.spans: list[tuple[int, int]] = []  # each element, from its start tag to the end of its end tag
        self.config: tuple[int, int] | None = None  # the text inside Material's <script id="__config">
        self._open: tuple[str, int, int, bool] | None = None  # tag, where it starts, where its text starts, is the config
        self.feed(html)
        self.close()
        if self._open is not None:  # never closed: kept to the end of the page
            self.spans.append((self._open[1], len(html)))

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open is None and tag in _VERBATIM:
            start = self._offset()
            is_config = tag == "script" and ("id", "__config") in attrs
            self._open = (tag, start, start + len(self.get_starttag_text() or ""), is_config)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            end_tag = self._offset()
            self.spans.append((self._open[1], self._html.index(">", end_tag) + 1))
            if self._open[3]:
                self.config = (self._open[2], end_tag)
            self._open = None


def collapse_whitespace(html: str, spans: list[tuple[int, int]] | None = None) -> str:
    """Each run of spaces and line breaks that holds a line break, as one line break, outside pre/textarea/script/style."""
    parts, start = [], 0
    for kept_start, kept_end in _VerbatimSpans(html).spans if spans is None else spans:
        parts.append(_BLANK_RUN.sub("\n", html[start:kept_start]))
        parts.append(html[kept_start:kept_end])
        start = kept_end
    parts.append(_BLANK_RUN.sub("\n", html[start:]))
    return "".join(parts)


def readable_config(html: str) -> str:
    """The page with Material's `#__config` JSON written with its letters, not `\\u` escapes (still HTML-safe)."""
    return _readable_config(html, _VerbatimSpans(html).config)


def _readable_config(html: str, config: tuple[int, int] | None) -> str:
    if config is None or "\\u" not in html[config[0]:config[1]]:
        return html
    text = str(htmlsafe_json_dumps(json.loads(html[config[0]:config[1]]), ensure_ascii=False))  # <, >, & and ' stay escaped
    return html[:config[0]] + text + html[config[1]:]


def lean_page(html: str) -> str:
    """A finished page, smaller on the wire and the same in the browser (the page is parsed once)."""
    found = _VerbatimSpans(html)
    spans = found.spans
    if found.config is not None:
        readable = _readable_config(html, found.config)
        moved, config_end = len(readable) - len(html), found.config[1]  # what comes after the config shifts by this
        spans = [(start + moved if start >= config_end else start, end + moved if end >= config_end else end) for start, end in spans]
        html = readable
    return collapse_whitespace(html, spans)
