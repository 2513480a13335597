"""Explain glossary terms where they appear: wrap the first use of each in a link.

Works on the HTML of a rendered page, never on its Markdown, so a definition
from data is only ever an escaped attribute value. The link goes to the term on
the glossary page (useful on a phone, where nothing hovers) and carries the
definition as its title, which Material shows as a tooltip on hover and focus
(the `content.tooltips` feature).

Text inside links, headings, code and form controls is left alone, and each
term is explained once per page, at its first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from typing import Iterable, Mapping

# Elements whose text must not get links: links themselves, headings and
# labels (dt, th), code, interactive controls, and anything that is not prose.
SKIPPED_ELEMENTS = frozenset(
    "a abbr button code dfn dt h1 h2 h3 h4 h5 h6 kbd label math option pre samp script select style summary svg textarea th title".split()
)


@dataclass(frozen=True)
class TermForm:
    """One written form of a glossary term in one language."""

    text: str
    term_id: str
    definition: str


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str] | None
    by_text: Mapping[str, TermForm]


@lru_cache(maxsize=64)
def _matcher(forms: tuple[TermForm, ...]) -> _Matcher:
    """One regular expression for every form, longest first, first letter in either case."""
    by_text: dict[str, TermForm] = {}
    for form in sorted(forms, key=lambda f: len(f.text), reverse=True):
        for variant in (form.text, form.text[:1].upper() + form.text[1:], form.text[:1].lower() + form.text[1:]):
            by_text.setdefault(variant, form)
    if not by_text:
        return _Matcher(None, by_text)
    alternatives = "|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True))
    return _Matcher(re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), by_text)


def link_terms(html: str, forms: Iterable[TermForm], glossary_url: str) -> str:
    """Return `html` with the first use of each term linked to `glossary_url#<term id>`."""
    matcher = _matcher(tuple(forms))
    if matcher.pattern is None:
        return html
    linker = _TermLinker(matcher, glossary_url)
    linker.feed(html)
    linker.close()
    return linker.result()


class _TermLinker(HTMLParser):
    """Copies the HTML it reads, tag by tag as written, linking terms in text outside skipped elements.

    A real parser finds where tags end, so a `>` inside an attribute value
    (`<span data-note="a > museum">`) is never taken for text.
    """

    def __init__(self, matcher: _Matcher, glossary_url: str):
        super().__init__(convert_charrefs=False)
        self.matcher = matcher
        self.glossary_url = glossary_url
        self.explained: set[str] = set()
        self.open_skipped: dict[str, int] = {}
        self.out: list[str] = []
        self.text: list[str] = []  # text and character references since the last tag

    def result(self) -> str:
        self._flush()
        return "".join(self.out)

    def _flush(self) -> None:
        if not self.text:
            return
        text = "".join(self.text)
        self.text = []
        skipped = any(self.open_skipped.values())
        self.out.append(text if skipped or self.matcher.pattern is None else self.matcher.pattern.sub(self._link, text))

    def _link(self, match: re.Match[str]) -> str:
        form = self.matcher.by_text[match.group(0)]
        if form.term_id in self.explained:
            return match.group(0)
        self.explained.add(form.term_id)
        title = escape(form.definition, quote=False).replace('"', "&quot;")  # apostrophes stay readable
        return f'<a class="pp-term" href="{escape(self.glossary_url)}#{escape(form.term_id)}" title="{title}">{match.group(0)}</a>'

    def _markup(self, raw: str) -> None:
        self._flush()
        self.out.append(raw)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._markup(self.get_starttag_text() or "")
        if tag in SKIPPED_ELEMENTS:
            self.open_skipped[tag] = self.open_skipped.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._markup(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._markup(f"</{tag}>")
        if tag in SKIPPED_ELEMENTS:
            self.open_skipped[tag] = max(0, self.open_skipped.get(tag, 0) - 1)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._markup(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._markup(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._markup(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._markup(f"<![{data}]>")
