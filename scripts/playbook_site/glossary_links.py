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
from typing import Iterable, Mapping

# Elements whose text must not get links: links themselves, headings and
# labels (dt, th), code, interactive controls, and anything that is not prose.
SKIPPED_ELEMENTS = frozenset(
    "a abbr button code dfn dt h1 h2 h3 h4 h5 h6 kbd label math option pre samp script select style summary svg textarea th title".split()
)
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


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
    pattern = matcher.pattern
    explained: set[str] = set()
    open_skipped: dict[str, int] = {}
    out: list[str] = []

    def replace(match: re.Match[str]) -> str:
        form = matcher.by_text[match.group(0)]
        if form.term_id in explained:
            return match.group(0)
        explained.add(form.term_id)
        title = escape(form.definition, quote=False).replace('"', "&quot;")  # apostrophes stay readable
        return f'<a class="pp-term" href="{escape(glossary_url)}#{escape(form.term_id)}" title="{title}">{match.group(0)}</a>'

    position = 0
    for token in _TOKEN.finditer(html):
        text = html[position : token.start()]
        out.append(pattern.sub(replace, text) if text and not any(open_skipped.values()) else text)
        out.append(token.group(0))
        _track(token.group(0), open_skipped)
        position = token.end()
    tail = html[position:]
    out.append(pattern.sub(replace, tail) if tail and not any(open_skipped.values()) else tail)
    return "".join(out)


def _track(tag: str, open_skipped: dict[str, int]) -> None:
    match = _TAG_NAME.match(tag)
    if not match:
        return
    closing, name = match.group(1) == "/", match.group(2).lower()
    if name not in SKIPPED_ELEMENTS:
        return
    if closing:
        open_skipped[name] = max(0, open_skipped.get(name, 0) - 1)
    elif not tag.rstrip(">").rstrip().endswith("/"):
        open_skipped[name] = open_skipped.get(name, 0) + 1
