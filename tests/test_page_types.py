"""Every page type in every language, in Debian's Chromium: it loads clean, fetches nothing of search or data
before the reader asks, gets its own stylesheet only, and passes axe-core.

Its own file so that `make test`'s processes (pytest-xdist, one file at a time) share the browser work.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_browser import external_requests, fetched_data

pytestmark = pytest.mark.browser

LOCALE_PREFIXES = {"en": "/", "es": "/es/", "fr": "/fr/", "ar": "/ar/"}
PAGE_TYPES = {
    "home": "",
    "working-with-wikimedia": "working-with-wikimedia/",
    "pathways": "pathways/",
    "pathway": "pathways/partners/",
    "playbooks": "playbooks/",
    "playbook": "playbooks/onboarding-a-glam-partner/",
    "patterns": "patterns/",
    "pattern": "patterns/start-with-a-pilot/",
    "case-studies": "case-studies/",
    "case-study": "case-studies/wikimedia-mexico-glam-partnerships/",
    "glossary": "glossary/",
    "sources": "sources/",
    "about": "about/",
    "short-links": "short-links/",
    "open-data": "open-data/",
    "translation-status": "translation-status/",
    "contributing": "contributing/",
    "workshop-sheet": "sheets/onboarding-a-glam-partner/",
    "404": "404.html",
    "overview": "overview/",
    "affiliates": "affiliates/",
    "partners": "partners/",
    "downloads": "downloads/",
    "question-bank": "question-bank/",
}
# Stylesheets that one page type needs (overrides/main.html, block `extrahead`): the type, and a style they give it
# that the element would not have without them.
PAGE_STYLESHEETS = {
    "explorer.css": ("case-studies", "form.pp-explorer", "display", "grid"),
    "overview.css": ("overview", "svg.pp-chart-svg", "display", "block"),
    "sheet.css": ("workshop-sheet", "ol.pp-sheet__steps", "display", "grid"),
    "translation-status.css": ("translation-status", "ul.pp-translation-totals", "display", "flex"),
}
# What a page fetches on its own is the same code in every language: one language waits for the network to
# stay quiet for half a second (Playwright's "networkidle"); the others wait until the page's load handlers and
# the tasks they queued have run (the browser's idle callback), which is enough for a fetch made at load.
QUIET_NETWORK_CHECKED = "en"
AFTER_LOAD_WORK = "() => new Promise(resolve => requestIdleCallback(() => resolve(), {timeout: 2000}))"
AXE_IMPACTS_THAT_FAIL = ("serious", "critical")
AXE_EVERY_TYPE = ("en", "ar")  # one left-to-right and one right-to-left language: axe on every page type
SIGNATURE_VALUES = ("class", "role", "type", "scope")  # attributes whose value counts; of the others, only presence and emptiness


def axe_violations(page) -> list[str]:
    """Run axe-core (shipped in the axe-playwright-python wheel, injected from disk) on the page."""
    from importlib.resources import files

    page.add_script_tag(content=(files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in violations if v["impact"] in AXE_IMPACTS_THAT_FAIL]


class _Signature(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: Counter = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shape = tuple(sorted((name, value if name in SIGNATURE_VALUES else bool(value)) for name, value in attrs))
        self.elements[(tag, shape)] += 1


def markup_signature(html: str) -> Counter:
    """The elements of a page with their classes, roles and types, and which other attributes they have
    (set or empty): what axe-core's rules look at, without the words and the order that change with the language."""
    parser = _Signature()
    parser.feed(html)
    return parser.elements


def built_page(site: Path, locale: str, kind: str) -> str:
    path = LOCALE_PREFIXES[locale].lstrip("/") + PAGE_TYPES[kind]
    return (site / (path if path.endswith(".html") else path + "index.html")).read_text(encoding="utf-8")


def differs_by_language(site: Path, locale: str, kind: str) -> bool:
    """Whether this language's page has markup that neither the English nor the Arabic page of its type has."""
    signature = markup_signature(built_page(site, locale, kind))
    return all(signature != markup_signature(built_page(site, other, kind)) for other in AXE_EVERY_TYPE)


@pytest.mark.parametrize("locale", LOCALE_PREFIXES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_loads_clean_and_passes_axe(page, real_site, real_site_url: str, locale: str, kind: str) -> None:
    """Every page type in every language loads clean. axe-core checks every type in English and Arabic, and
    in Spanish and French the types whose markup there differs by language (see `differs_by_language`)."""
    page.goto(real_site_url + LOCALE_PREFIXES[locale] + PAGE_TYPES[kind])
    if locale == QUIET_NETWORK_CHECKED:
        page.wait_for_load_state("networkidle")  # half a second with no request: catches a fetch started late
    else:
        page.evaluate(AFTER_LOAD_WORK)
    assert page.evaluate("document.documentElement.lang") == locale
    assert not page.problems, page.problems
    assert not external_requests(page, real_site_url), external_requests(page, real_site_url)
    # Nothing of search, no sitemap and no data file before the reader asks for it.
    assert not fetched_data(page), fetched_data(page)
    explorer = [url for url in page.requests if url.endswith("/assets/explorer.js")]
    assert bool(explorer) == (kind == "case-studies"), explorer
    # A page type's own stylesheet loads on that type only, and its rules reach the page.
    stylesheets = sorted(name for name in PAGE_STYLESHEETS if any(url.endswith(f"/assets/{name}") for url in page.requests))
    assert stylesheets == sorted(name for name, (owner, *_) in PAGE_STYLESHEETS.items() if owner == kind), stylesheets
    for owner, selector, prop, value in PAGE_STYLESHEETS.values():
        if owner == kind:
            assert page.locator(selector).first.evaluate(f"el => getComputedStyle(el).{prop}") == value, (selector, prop)
    if locale in AXE_EVERY_TYPE or differs_by_language(real_site.site, locale, kind):
        violations = axe_violations(page)
        assert not violations, violations


def test_some_page_types_differ_by_language(real_site) -> None:
    """The markup signature tells languages apart: a Spanish or French page type with markup of its own gets axe."""
    differing = [(locale, kind) for locale in LOCALE_PREFIXES if locale not in AXE_EVERY_TYPE for kind in PAGE_TYPES if differs_by_language(real_site.site, locale, kind)]
    assert differing, "no Spanish or French page type differs from English and Arabic: is the signature blind?"
    assert markup_signature('<p class="a" title="x">one</p>') == markup_signature('<p title="y" class="a">two</p>')
    assert markup_signature('<img alt="x">') != markup_signature('<img alt="">')
    assert markup_signature('<div role="note">') != markup_signature('<div role="alert">')
