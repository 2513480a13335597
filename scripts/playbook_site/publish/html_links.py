"""The links and ids of one HTML page, read with the standard library's HTML parser.

One reader for every part that asks what a page links to or loads: the link
check of the site and of the offline copies (link_check.py), the offline
copies' link rewriting (offline.py), the ZIM files' titles (zim.py) and the tests;
`start_tags`, where the fix-ups of every built page (language_trees.py)
find the tags they change; and `anchor_ids`, the ids of each finished data
page for MkDocs' anchor checks (engine.py).
A link is every URL attribute (href, src, srcset, poster, action, data) and a
meta refresh target, with character references decoded as a browser does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "action", "formaction", "data")
# <link rel> values whose href the browser does not fetch with the page.
NOT_LOADED_RELS = ("alternate", "canonical")
_REFRESH = re.compile(r"^\s*\d+\s*;\s*url\s*=\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    tag: str  # a, link, script, img, meta, ...
    attribute: str  # href, src, srcset, ..., or "refresh" (<meta http-equiv="refresh">)
    url: str
    rel: str = ""  # the element's rel attribute
    download: bool = False  # an <a download>
    in_article: bool = False  # inside <article>, Material's page content

    @property
    def loaded(self) -> bool:
        """Fetched by the browser with the page (scripts, styles, images, frames, icons), not followed by the reader."""
        if self.tag == "link":
            return self.rel not in NOT_LOADED_RELS
        return self.tag not in ("a", "area", "form", "button", "meta") and self.attribute != "href"


@dataclass
class Page:
    lang: str | None = None
    title: str = ""  # the text of <title>
    ids: set[str] = field(default_factory=set)  # every id, and the name of each <a name>
    links: list[Link] = field(default_factory=list)


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in attrs:
        values.setdefault(name, value or "")  # the first of a repeated attribute counts, as in a browser
    return values


def _links(tag: str, values: dict[str, str], in_article: bool) -> list[Link]:
    """The links of one element."""
    extra = {"rel": values.get("rel", ""), "download": "download" in values, "in_article": in_article}
    found = []
    for name in URL_ATTRIBUTES:
        if name in values:
            urls = _srcset_urls(values[name]) if name == "srcset" else [values[name]]
            found += [Link(tag, name, url, **extra) for url in urls]
    if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and _REFRESH.match(values.get("content", "")):
        found.append(Link(tag, "refresh", _REFRESH.sub("", values["content"]), **extra))
    return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._articles = 0
        self._in_title: bool | None = None  # None until the first <title>, True inside it, then False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = _attributes(attrs)
        if tag == "title" and self._in_title is None:
            self._in_title = True
        if tag == "html":
            self.page.lang = values.get("lang")
        if tag == "article":
            self._articles += 1
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        self.page.links += _links(tag, values, self._articles > 0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
        if tag == "article" and self._articles:
            self._articles -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


class _Rewriter(HTMLParser):
    """Finds the start tags whose links `change` changes, and writes them anew."""

    def __init__(self, html: str, change: Callable[[Link], str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self._change = change
        self._line_starts = [0] + [index + 1 for index, char in enumerate(html) if char == "\n"]
        self.edits: list[tuple[int, int, str]] = []  # (start, end, new text) in the source

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        links = _links(tag, _attributes(attrs), False)
        new = [self._change(link) for link in links]
        if new == [link.url for link in links]:
            return
        line, column = self.getpos()  # where this start tag begins
        start = self._line_starts[line - 1] + column
        raw = self.get_starttag_text() or ""
        text = ""
        if None not in new:
            urls: dict[str, list[str]] = {}
            for link, url in zip(links, new):
                urls.setdefault(link.attribute, []).append(str(url))
            text = _start_tag(tag, attrs, urls, raw.endswith("/>"))
        self.edits.append((start, start + len(raw), text))


def _srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]


def _new_value(name: str, value: str, urls: dict[str, list[str]]) -> str:
    """One attribute's value with its new URL(s)."""
    if name == "srcset":  # "a.png 1x, b.png 2x": each URL keeps its size
        candidates = [candidate.strip() for candidate in value.split(",") if candidate.strip()]
        return ", ".join(url + candidate[len(candidate.split(" ")[0]) :] for candidate, url in zip(candidates, urls[name]))
    if name == "content":  # a meta refresh
        return _REFRESH.match(value).group(0) + urls["refresh"][0]  # type: ignore[union-attr]
    return urls[name][0]


def _start_tag(tag: str, attrs: list[tuple[str, str | None]], urls: dict[str, list[str]], self_closing: bool) -> str:
    """A start tag with the new URLs, the other attributes as they were (escaped anew)."""
    parts = [f"<{tag}"]
    seen: set[str] = set()
    for name, value in attrs:
        changes = name in urls or (name == "content" and "refresh" in urls)
        if value is not None and changes and name not in seen:
            value = _new_value(name, value, urls)
        seen.add(name)
        parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
    return "".join(parts) + (" />" if self_closing else ">")


def rewrite(html: str, change: Callable[[Link], str | None]) -> str:
    """`html` with each link's URL replaced by `change(link)`; None drops the link's element (a start tag only).

    Only the start tags whose URLs change are written anew; the rest of the
    page stays as it was, byte for byte.
    """
    rewriter = _Rewriter(html, change)
    rewriter.feed(html)
    rewriter.close()
    pieces, done = [], 0
    for start, end, text in rewriter.edits:
        pieces += [html[done:start], text]
        done = end
    return "".join(pieces) + html[done:]


def parse(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def read(path: Path) -> Page:
    return parse(path.read_text(encoding="utf-8", errors="replace"))


@dataclass(frozen=True)
class StartTag:
    """A start tag of a page, and where it is: html[start:end] is its text."""

    name: str
    attrs: dict[str, str]
    start: int
    end: int


class _StartTags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.tags: list[StartTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        self.tags.append(StartTag(tag, _attributes(attrs), start, start + len(self.get_starttag_text() or "")))

    handle_startendtag = handle_starttag


def start_tags(html: str, through: str | None = None) -> list[StartTag]:
    """The start tags of `html`, in order; with `through` (e.g. "header"), only those before that element's end tag.

    A page's fix-ups only touch its head and header, so the rest need not be parsed.
    """
    end = html.find(f"</{through}>") if through else -1
    reader = _StartTags(html)
    reader.feed(html if end < 0 else html[:end])
    reader.close()
    return reader.tags


def replace_spans(html: str, changes: list[tuple[int, int, str]]) -> str:
    """`html` with each html[start:end] replaced by its text (spans may not overlap)."""
    parts, at = [], 0
    for start, end, text in sorted(changes):
        parts += [html[at:start], text]
        at = end
    return "".join(parts) + html[at:]


class _Ids(HTMLParser):
    """Only the anchors: no links, no text (the engine asks this of every data page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = _attributes(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])


def anchor_ids(html: str) -> set[str]:
    """Every id of `html` and the name of each <a name>, the anchors a link may point at (as MkDocs collects them)."""
    reader = _Ids()
    reader.feed(html)
    reader.close()
    return reader.ids
