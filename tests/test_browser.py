"""What a reader sees, in Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sites import BuildResult, site_url

pytestmark = pytest.mark.browser

# `page` (tests/conftest.py) is the run's one reused page: `page.problems` holds console errors, HTTP
# errors, page errors and dialogs; `page.requests` every URL the browser context fetched.


def search(page, query: str) -> list[str]:
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("")
    page.keyboard.type(query, delay=30)
    page.keyboard.press("End")  # a real keyup: Playwright types some scripts (Arabic) without one, and Material searches on keyup
    try:
        page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    except Exception:
        page.screenshot(path="/tmp/search-failure.png")
        raise
    return [urlparse(href).path for href in page.eval_on_selector_all("a.md-search-result__link", "links => links.map(l => l.href)")]


def external_requests(page, base: str) -> list[str]:
    host = urlparse(base).netloc
    return [url for url in page.requests if urlparse(url).netloc not in (host, "") and not url.startswith(("data:", "blob:"))]


LOADED_ON_FIRST_USE = ("/pagefind/", "/search/", "/workers/", "/lunr/", "/search-results.js")
PAGE_FILES = (".html", ".css", ".js", ".svg", ".png", ".woff2", ".ico")


def fetched_data(page) -> list[str]:
    """Requests for anything but pages, stylesheets, scripts, images and fonts: search files, sitemaps, data."""
    found = []
    for url in page.requests:
        path = urlparse(url).path
        if any(part in path for part in LOADED_ON_FIRST_USE) or not (path.endswith("/") or path.endswith(PAGE_FILES)):
            found.append(url)
    return found


def search_requests(page) -> list[str]:
    return [urlparse(url).path for url in page.requests if "/pagefind/" in urlparse(url).path]


def test_spanish_search_returns_only_spanish_pages(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/es/")
    page.wait_for_load_state("networkidle")
    assert not fetched_data(page), fetched_data(page)
    results = search(page, "alianzas")
    assert results, "no Spanish results"
    assert all(path.startswith("/es/") for path in results), results
    # Pagefind loads the Spanish index only: its meta file, WebAssembly, index chunks and fragments.
    by_language = [path for path in search_requests(page) if path.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"))]
    assert by_language and all(re.search(r"/pagefind/(?:[a-z]+/)?(?:pagefind\.|wasm\.)?es[_.]", path) for path in by_language), by_language
    # ... from the Spanish tree's own bundle, whose entry file names Spanish only.
    assert all(path.startswith("/es/pagefind/") for path in search_requests(page)), search_requests(page)
    assert "/es/pagefind/pagefind-entry.json" in search_requests(page)
    assert not [url for url in page.requests if url.endswith(("search_index.json", "sitemap.xml"))]
    # search.js unmounted Material's search: the bundle looks for these and would fetch its lunr index.
    assert page.evaluate("document.querySelectorAll('.md-search[data-md-component], .md-search [data-md-component], form[name=search]').length") == 0
    assert page.evaluate("document.querySelector('.md-search[role=dialog]').getAttribute('aria-label')") == "Buscar"
    assert not [path for path in search_requests(page) if "worker" in path], "the search runs in the page (noWorker), without Pagefind's worker script"
    assert not page.problems, page.problems
    assert not external_requests(page, real_site_url)


@pytest.mark.parametrize(("prefix", "word"), [("ar/", "متحف"), ("fr/", "musée"), ("", "workshop")])
def test_a_result_shows_each_part_of_its_page_once(page, real_site_url: str, prefix: str, word: str) -> None:
    """No section repeats the page's own title (its <h1>), no text shows twice in one result, and the words found
    under a page's <h1> (its introduction) show under the page's title.

    Pagefind's excerpt of a whole page is cut from its best section; the page
    showed it, then the same section did again."""
    page.goto(f"{real_site_url}/{prefix}")
    search(page, word)
    page.wait_for_timeout(500)  # the three results' text
    items = page.eval_on_selector_all(
        ".md-search-result__item",
        """items => items.map(item => [...item.querySelectorAll('a')].map(a => [
             new URL(a.href).pathname, a.querySelector('h1, h2').textContent, a.querySelector('p') ? a.querySelector('p').textContent : '']))""",
    )
    assert len(items) >= 3 and any(len(parts) > 1 for parts in items), items  # pages with sections
    for parts in items:
        (_, title, _), sections = parts[0], parts[1:]
        assert title not in [heading for _, heading, _ in sections], parts
        texts = [text for _, _, text in parts if text]
        assert len(texts) == len(set(texts)), parts
    if word == "workshop":  # the playbook's introduction, under its <h1>, says "workshop"; other sections do too
        [playbook] = [parts for parts in items if parts[0][0].endswith("/playbooks/running-a-partnerships-workshop/")]
        assert len(playbook) > 1 and word in playbook[0][2].lower(), playbook
    assert not page.problems, page.problems


def test_arabic_query_finds_an_arabic_page(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/ar/")
    results = search(page, "الشراكات")
    assert results and all(path.startswith("/ar/") for path in results), results
    assert page.locator(".md-search-result__meta").inner_text().strip()  # the count, in Arabic
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.body.dir") == "rtl"
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_a_search_result_opens_the_step_it_found(page, real_site_url: str, real_site, prefix: str) -> None:
    """Searching the words of step 3's heading offers step 3; the result opens the playbook at #step-3."""
    html = (real_site.site / prefix / "playbooks/onboarding-a-glam-partner/index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h3 id="step-3">(.*?)<a class="headerlink"', html).group(1)
    query = re.sub(r"^[\d.\s]+", "", heading).strip()
    page.goto(f"{real_site_url}/{prefix}")
    search(page, query)
    target = page.locator('a.md-search-result__link[href$="/playbooks/onboarding-a-glam-partner/#step-3"]')
    assert target.count() == 1, page.eval_on_selector_all("a.md-search-result__link", "links => links.map(l => l.href)")
    target.click()
    page.wait_for_url(f"{real_site_url}/{prefix}playbooks/onboarding-a-glam-partner/#step-3")
    assert page.locator("#step-3").is_visible()
    assert page.evaluate("document.getElementById('step-3').getBoundingClientRect().top") < 400  # scrolled to the step
    assert not page.problems, page.problems


@pytest.mark.parametrize("prefix", ["es/", ""])
def test_search_under_the_site_path_loads_only_its_trees_bundle(page, real_site_url: str, prefix: str) -> None:
    """Deployed under a path (SITE_URL like https://example.org/playbooks/; '/' without it), a search from a page deep in
    a tree fetches only that tree's bundle, and a result opens a page of the same tree under that path."""
    base = urlparse(site_url()).path + prefix
    page.goto(f"{real_site_url}{base}playbooks/onboarding-a-glam-partner/")
    page.wait_for_load_state("networkidle")
    assert not search_requests(page)
    results = search(page, {"es/": "alianzas", "": "partnership"}[prefix])
    assert results and all(path.startswith(base) for path in results), results
    others = [f"{base}{other}" for other in ("es/", "fr/", "ar/") if other != prefix]
    assert not [path for path in results if path.startswith(tuple(others))], results
    assert search_requests(page) and all(path.startswith(f"{base}pagefind/") for path in search_requests(page)), search_requests(page)
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == results[0].split("#")[0]
    assert page.evaluate("document.documentElement.lang") == ("es" if prefix else "en")
    assert not page.problems, page.problems
    assert not external_requests(page, real_site_url)


def test_a_first_search_fetches_three_results_then_more_as_the_reader_scrolls(page, real_site_url: str) -> None:
    """The text of three results comes with the first search (BATCH in search-results.js), even when they leave room on screen; scrolling the list brings the next three."""
    page.goto(f"{real_site_url}/")
    results = search(page, "partners")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    fragments = [path for path in search_requests(page) if path.endswith(".pf_fragment")]
    assert len(results) >= 3 and page.locator(".md-search-result__item").count() == 3 and len(fragments) == 3, (results, fragments)
    total = int(re.search(r"\d+", page.locator(".md-search-result__meta").inner_text()).group(0))
    assert total > 6, "the word must find more than two batches"
    page.locator(".md-search__scrollwrap").hover()
    page.mouse.wheel(0, 4000)
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 3", timeout=30000)
    page.wait_for_load_state("networkidle")
    assert len([path for path in search_requests(page) if path.endswith(".pf_fragment")]) >= 6
    # The keyboard reaches them too: arrowing down past the last result brings the next three.
    search(page, "partnership")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length === 3", timeout=30000)  # the new list replaced the old one
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.locator(".md-search-result__item").count() == 3, "a new search starts again at three, after the last one was scrolled"
    for _ in range(page.locator("a.md-search-result__link").count() + 1):
        page.keyboard.press("ArrowDown")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 3", timeout=30000)
    assert not page.problems, page.problems


def test_search_opens_from_the_keyboard(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/fr/playbooks/onboarding-a-glam-partner/")
    page.wait_for_load_state("networkidle")
    assert not search_requests(page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("partenaires", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first and first.startswith("/fr/"), first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Enter")  # opens the first result
    page.wait_for_url(f"{real_site_url}{first}")
    assert not page.problems, page.problems


def choose_language(page, locale: str, expected_url: str) -> None:
    """Open the language menu as a reader does, choose `locale`, and wait for `expected_url` (a glob or an address)."""
    page.locator(".md-select").first.hover()
    page.locator(f'a.md-select__link[hreflang="{locale}"]').click()
    page.wait_for_url(expected_url)


def test_language_switcher_keeps_the_page(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/fr/playbooks/running-an-editatona/")
    choose_language(page, "ar", "**/ar/playbooks/running-an-editatona/")
    assert page.evaluate("document.documentElement.lang") == "ar"
    choose_language(page, "en", f"{real_site_url}/playbooks/running-an-editatona/")
    assert not page.problems, page.problems


@pytest.mark.parametrize(
    "path",
    ["/", "/es/playbooks/onboarding-a-glam-partner/", "/ar/case-studies/editatona/", "/fr/patterns/", "/ar/sources/", "/ar/glossary/", "/fr/pathways/trainers/", "/es/pathways/"],
)
def test_pages_load_without_errors_or_outside_requests(page, real_site_url: str, path: str) -> None:
    page.goto(real_site_url + path)
    page.wait_for_load_state("networkidle")
    assert not page.problems, page.problems
    assert not external_requests(page, real_site_url), external_requests(page, real_site_url)


def test_payloads_never_run(page, mini_site_url: str) -> None:
    for path in ("/case-studies/payload-case/", "/es/case-studies/payload-case/", "/patterns/payload-pattern/", "/case-studies/", "/", "/pathways/visitors/", "/glossary/"):
        page.goto(mini_site_url + path)
        page.wait_for_load_state("networkidle")
        for term in page.locator("a.pp-term").all():
            term.hover()
        for link in page.locator("article a").all():
            href = link.get_attribute("href") or ""
            assert not href.lower().startswith(("javascript:", "data:")), href
    # Search results show the payloads' titles and text as text (search.js never sets HTML).
    for path, query in (("/", "alert"), ("/es/", "onerror")):
        page.goto(mini_site_url + path)
        search(page, query)
        page.wait_for_load_state("networkidle")
        assert page.locator(".md-search-result__list script, .md-search-result__list img").count() == 0
        assert "<" in page.locator(".md-search-result__list").inner_text()  # the tags, shown as text
    assert not [problem for problem in page.problems if problem.startswith("dialog")], page.problems
    assert not external_requests(page, mini_site_url)


@pytest.mark.parametrize(("locale", "prefix"), [("en", "/"), ("ar", "/ar/")])
def test_a_term_shows_its_definition_on_hover_and_leads_to_the_glossary(page, real_site_url: str, locale: str, prefix: str) -> None:
    page.goto(f"{real_site_url}{prefix}playbooks/onboarding-a-glam-partner/")
    term = page.locator("article a.pp-term").first
    term_id = term.get_attribute("href").split("#", 1)[1]
    term.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tooltip.wait_for(state="visible", timeout=5000)
    definition = tooltip.inner_text().strip()
    assert len(definition) > 20, definition
    # On screen and under the term, also right to left (Material measures from the left edge).
    box, host = tooltip.locator(".md-tooltip2__inner").bounding_box(), term.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 1280, box
    assert box["x"] <= host["x"] + host["width"] / 2 <= box["x"] + box["width"], (box, host)
    term.click()
    page.wait_for_url(f"**{prefix}glossary/#{term_id}")
    entry = page.locator(f"dt#{term_id} + dd").inner_text()
    assert " ".join(definition.split()) in " ".join(entry.split())
    assert page.evaluate("document.documentElement.lang") == locale
    assert not page.problems, page.problems


def test_french_search_returns_only_french_pages(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/fr/")
    results = search(page, "partenariats")
    assert results and all(path.startswith("/fr/") for path in results), results
    assert not page.problems, page.problems


def test_language_switcher_keeps_the_anchor(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/fr/playbooks/onboarding-a-glam-partner/#step-3")
    choose_language(page, "ar", "**/ar/playbooks/onboarding-a-glam-partner/#step-3")
    assert page.locator("#step-3").count() == 1
    choose_language(page, "es", "**/es/playbooks/onboarding-a-glam-partner/#step-3")
    assert not page.problems, page.problems


def test_arabic_layout_is_mirrored(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/ar/playbooks/onboarding-a-glam-partner/")
    content = page.locator(".md-content").bounding_box()
    navigation = page.locator(".md-sidebar--primary").bounding_box()
    toc = page.locator(".md-sidebar--secondary").bounding_box()
    assert navigation["x"] > content["x"] > toc["x"], (navigation, content, toc)
    paragraph = page.locator("article p").first
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    # Reading order: the first list item's bullet sits on the right of its text.
    item = page.locator("article ul li").first
    assert item.evaluate("li => getComputedStyle(li).direction") == "rtl"
    english = page.goto(f"{real_site_url}/playbooks/onboarding-a-glam-partner/")
    assert english.ok
    assert page.locator(".md-sidebar--primary").bounding_box()["x"] < page.locator(".md-content").bounding_box()["x"]


def test_english_fallback_inside_arabic_pages_runs_left_to_right(page, mini_site_url: str) -> None:
    page.goto(f"{mini_site_url}/ar/about/")
    assert page.evaluate("document.body.dir") == "rtl"
    assert page.locator(".pp-fallback").evaluate("el => getComputedStyle(el).direction") == "ltr"
    page.goto(f"{mini_site_url}/ar/case-studies/payload-case/")
    fallback = page.locator('article [lang="en"]').first
    assert fallback.evaluate("el => getComputedStyle(el).direction") == "ltr"


@pytest.mark.parametrize("prefix", ["/", "/ar/"])
def test_print_view_hides_navigation_and_search(page, real_site_url: str, prefix: str) -> None:
    page.goto(f"{real_site_url}{prefix}playbooks/running-a-partnerships-workshop/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible()


@pytest.mark.parametrize(("scheme", "header", "accent"), [("light", "rgb(0, 105, 92)", "#bf360c"), ("dark", "rgb(0, 148, 133)", "#ff6e42")])
def test_the_trimmed_palette_keeps_the_site_colours(browser, real_site_url: str, scheme: str, header: str, accent: str) -> None:
    """Material's palette stylesheet is cut down to the colours mkdocs.yml uses (publish/lean_assets.py): the
    header is still teal and the accent deep orange, in the light scheme (site.css's darker shades) and the dark one."""
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{real_site_url}/ar/playbooks/onboarding-a-glam-partner/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        assert page.locator(".md-header").evaluate("el => getComputedStyle(el).backgroundColor") == header
        assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-accent-fg-color').trim()") == accent
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_a_printed_workshop_sheet_keeps_its_two_columns(page, real_site_url: str, prefix: str) -> None:
    """sheet.css, loaded on the sheets only, lays the printed steps out in two columns."""
    page.goto(f"{real_site_url}/{prefix}sheets/onboarding-a-glam-partner/")
    page.emulate_media(media="print")
    columns = page.locator("ol.pp-sheet__steps").evaluate("el => getComputedStyle(el).gridTemplateColumns")
    page.emulate_media(media="screen")
    assert len(columns.split()) == 2, columns


@pytest.mark.parametrize(("short", "landing"), [("/ar/go/glam-3/", "/ar/playbooks/onboarding-a-glam-partner/#step-3"), ("/go/pilot/", "/patterns/start-with-a-pilot/"), ("/es/go/workshop-plan/", "/es/playbooks/running-a-partnerships-workshop/#session-plan")])
def test_short_link_opens_the_page_in_the_reader_language(page, real_site_url: str, short: str, landing: str) -> None:
    page.goto(real_site_url + short)
    page.wait_for_url(real_site_url + landing)
    anchor = landing.partition("#")[2]
    if anchor:
        assert page.locator(f"#{anchor}").is_visible()
    assert not page.problems, page.problems


# -- the case-study explorer -------------------------------------------------------------------------


def visible_cards(page) -> list[str]:
    # A filter may wait for cards.json; the list is aria-busy until the filtered cards show.
    page.wait_for_function("!document.querySelector('[data-pp-results]').hasAttribute('aria-busy')")
    return page.eval_on_selector_all("[data-pp-results] > li.pp-card", "cards => cards.filter(c => !c.hidden && c.offsetParent !== null).map(c => c.id)")


def test_explorer_filters_counts_and_shares_its_state(page, real_site_url: str) -> None:
    from playbook_site.content.catalogue import load_catalogue

    catalogue = load_catalogue()
    total = len(catalogue.case_studies)
    from playbook_site.render.views import EXPLORER_FIRST

    page.goto(f"{real_site_url}/ar/case-studies/")
    page.wait_for_load_state("networkidle")
    status = page.locator("[data-pp-count]")
    assert status.get_attribute("role") == "status"
    first = min(total, EXPLORER_FIRST)
    assert len(visible_cards(page)) == first
    assert status.inner_text() == f"دراسات الحالة المعروضة: {first} من {total}"
    assert not fetched_data(page), "the cards file waits until the reader filters"
    page.select_option("#pp-filter-region", "latin-america-caribbean")
    expected = sorted(c.id for c in catalogue.case_studies.values() if c.region == "latin-america-caribbean")
    page.wait_for_function(f"document.querySelector('[data-pp-count]').textContent.endsWith(' {len(expected)} من {total}')")
    assert sorted(visible_cards(page)) == expected and 0 < len(expected) < total
    # The cards on screen get their summaries from summaries/<n>.json; nothing else is fetched.
    page.wait_for_function("![...document.querySelectorAll('[data-pp-results] > li:not([hidden])')].some(card => card.getBoundingClientRect().top < innerHeight && card.querySelector('[data-pp-pending]'))")
    fetched = [urlparse(url).path for url in fetched_data(page)]
    assert fetched[0] == "/ar/case-studies/cards.json" and len(fetched) > 1, fetched
    assert all(re.fullmatch(r"/ar/case-studies/summaries/\d+\.json", path) for path in fetched[1:]), fetched
    first_card = page.locator("[data-pp-results] > li:not([hidden])").first
    assert first_card.locator(".pp-card__summary p").inner_text().strip()
    assert status.inner_text() == f"دراسات الحالة المعروضة: {len(expected)} من {total}"
    assert "region=latin-america-caribbean" in page.url
    page.select_option("#pp-filter-year", "2018")
    both = sorted(c.id for c in catalogue.case_studies.values() if c.region == "latin-america-caribbean" and 2018 in c.years)
    assert sorted(visible_cards(page)) == both
    shared = page.url
    page.goto(shared)
    assert sorted(visible_cards(page)) == both, "a shared address opens the same view"
    assert page.locator("#pp-filter-region").input_value() == "latin-america-caribbean"
    page.locator("form[data-pp-explorer] button[type=reset]").click()
    page.wait_for_function("document.querySelectorAll('[data-pp-results] > li[hidden]').length === 0")
    assert "?" not in page.url
    assert len(visible_cards(page)) == total, "after a filter every case study is in the page"
    assert not page.problems, page.problems


def test_explorer_shows_all_on_request_with_escaped_text(page, real_site_url: str) -> None:
    """"Show all" fetches the rest once; the cards it builds match the page's own (links, language marks)."""
    from playbook_site.content.catalogue import load_catalogue

    total = len(load_catalogue().case_studies)
    page.goto(f"{real_site_url}/es/case-studies/")
    more = page.locator("[data-pp-more]")
    more.click()
    page.wait_for_function(f"document.querySelectorAll('[data-pp-results] > li.pp-card').length === {total}")
    assert more.is_hidden()
    assert page.locator("[data-pp-count]").inner_text() == f"Se muestran {total} de {total} estudios de caso"
    link = page.locator("[data-pp-results] > li#editatona h3 a")
    assert urlparse(link.evaluate("a => a.href")).path == "/es/case-studies/editatona/"
    assert page.locator("[data-pp-results] script, [data-pp-results] img").count() == 0
    link.click()
    page.wait_for_url("**/es/case-studies/editatona/")
    assert not page.problems, page.problems


def test_explorer_opens_filtered_by_a_pattern_or_a_playbook(page, real_site_url: str) -> None:
    """The address that a pattern's or a playbook's "all case studies" link uses shows exactly those."""
    from playbook_site.content.catalogue import load_catalogue

    catalogue = load_catalogue()
    pattern = max(catalogue.patterns, key=lambda key: len(catalogue.case_studies_using_pattern(key)))
    page.goto(f"{real_site_url}/es/case-studies/?pattern={pattern}")
    expected = sorted(c.id for c in catalogue.case_studies_using_pattern(pattern))
    assert sorted(visible_cards(page)) == expected and 0 < len(expected) < len(catalogue.case_studies)
    assert page.locator("#pp-filter-pattern").input_value() == pattern
    slug = "running-an-editatona"
    page.goto(f"{real_site_url}/case-studies/?playbook={slug}")
    assert sorted(visible_cards(page)) == sorted(c.id for c in catalogue.case_studies_for_playbook(slug))
    assert not page.problems, page.problems


def test_explorer_shows_the_reading_order_of_the_partner_type_chosen(page, real_site_url: str) -> None:
    from playbook_site.content.catalogue import load_catalogue

    catalogue = load_catalogue()
    with_pathway = {p.id: p.partner_types for p in catalogue.pathways.values() if p.partner_types}
    page.goto(f"{real_site_url}/fr/case-studies/")
    links = page.locator("[data-pp-partner-pathways] li")
    assert links.count() == len(with_pathway)
    assert links.evaluate_all("items => items.filter(item => !item.hidden).length") == len(with_pathway)
    page.select_option("#pp-filter-partner-type", "ngo")
    shown = page.locator("[data-pp-partner-pathways] li:not([hidden]) a")
    assert shown.count() == 1 and shown.get_attribute("href").rstrip("/").endswith("pathways/grassroots")
    shown.click()
    page.wait_for_url("**/fr/pathways/grassroots/")
    assert page.locator(".pp-pathway__minutes").count() == len(catalogue.pathways["grassroots"].steps)
    page.go_back()
    unserved = [key for key in catalogue.taxonomy.partner_types if not any(key in types for types in with_pathway.values())]
    options = page.locator("#pp-filter-partner-type option").evaluate_all("options => options.map(o => o.value)")
    if any(key in options for key in unserved):
        page.select_option("#pp-filter-partner-type", next(key for key in unserved if key in options))
        assert page.locator("[data-pp-partner-pathways]").is_hidden()
    assert not page.problems, page.problems


def _fold(text: str) -> str:
    """explorer.js's fold(): lower case, without accents or Arabic short vowels."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not ("\u0300" <= ch <= "\u036f" or "\u064b" <= ch <= "\u065f" or ch == "\u0670"))


def test_explorer_free_text_searches_the_summaries_it_fetches(page, real_site_url: str, real_site: BuildResult) -> None:
    """A word found only in summaries finds its case studies: typing words fetches every summaries/ file first."""
    folder = real_site.site / "es" / "case-studies"
    rows = json.loads((folder / "cards.json").read_text(encoding="utf-8"))
    summaries = [value["text"] for path in sorted((folder / "summaries").glob("*.json"), key=lambda p: int(p.stem)) for value in json.loads(path.read_text(encoding="utf-8"))]
    assert len(summaries) == len(rows) and all(summaries), "one summary per card, in the order of cards.json"
    titles = [_fold(row["title"]["text"] + " " + row["filters"]["text"]) for row in rows]
    word = next(w for text in summaries for w in re.findall(r"\w{9,}", _fold(text)) if not any(w in t for t in titles))
    expected = sorted(row["id"] for row, text in zip(rows, summaries) if word in _fold(text))
    page.goto(f"{real_site_url}/es/case-studies/")
    page.fill("#pp-filter-q", word)
    page.wait_for_function(f"document.querySelector('[data-pp-count]').textContent.startsWith('Se muestran {len(expected)} ')")
    assert sorted(visible_cards(page)) == expected
    assert page.locator("[data-pp-results] [data-pp-pending]").count() == 0
    assert not page.problems, page.problems


def test_explorer_free_text_ignores_accents_and_shows_an_empty_state(page, real_site_url: str) -> None:
    page.goto(f"{real_site_url}/es/case-studies/")
    page.fill("#pp-filter-q", "Mexico")
    found = visible_cards(page)
    assert "wikimedia-mexico-glam-partnerships" in found and "editatona" in found
    assert "wikimedia-armenia-small-partners" not in found
    assert page.locator("[data-pp-empty]").is_hidden()
    page.fill("#pp-filter-q", "zzzz-nada")
    assert visible_cards(page) == []
    assert page.locator("[data-pp-empty]").is_visible()
    assert "q=zzzz-nada" in page.url


def test_explorer_without_javascript_reaches_every_case_study(browser, real_site_url: str) -> None:
    """Without JavaScript the first cards show and a visible link leads to a list of every case study."""
    from playbook_site.content.catalogue import load_catalogue

    every = set(load_catalogue().case_studies)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{real_site_url}/fr/case-studies/")
    assert page.locator("form[data-pp-explorer]").is_hidden()
    assert page.locator("[data-pp-more]").is_hidden()
    assert page.locator("[data-pp-results] > li").count() == page.locator("[data-pp-results] > li:visible").count() > 5
    assert page.locator("[data-pp-partner-pathways] li").count() == page.locator("[data-pp-partner-pathways] li:visible").count() > 0
    page.locator(".pp-explorer__all a").click()
    page.wait_for_url("**/fr/case-studies/all/")
    hrefs = page.eval_on_selector_all(".pp-plain-list a", "links => links.map(a => a.href)")
    assert {urlparse(href).path.split("/")[-2] for href in hrefs} == every
    assert all(urlparse(href).path.startswith("/fr/case-studies/") for href in hrefs)
    context.close()


# -- QR codes: made with one data mask (render/qr.py), they must still scan -------------------------

SHEET_BASE = "http://127.0.0.1:8000/"  # the site_url of test builds


def _scanned(page, tmp_path: Path) -> list[str]:
    """What zbarimg (zbar-tools) reads from a screenshot of the whole page."""
    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(shot)], capture_output=True, text=True, check=False)
    return sorted(result.stdout.split())


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_workshop_sheet_qr_codes_scan_to_their_short_links(page, real_site_url: str, prefix: str, tmp_path: Path) -> None:
    page.goto(f"{real_site_url}/{prefix}sheets/onboarding-a-glam-partner/")
    expected = sorted([f"{SHEET_BASE}{prefix}go/glam/"] + [f"{SHEET_BASE}{prefix}go/glam-{number}/" for number in range(1, 9)])
    assert _scanned(page, tmp_path) == expected


def test_printed_page_qr_code_scans_to_the_page(page, real_site_url: str, tmp_path: Path) -> None:
    page.goto(f"{real_site_url}/ar/case-studies/afrocrowd-wikimedia-nyc/")
    page.emulate_media(media="print")
    assert _scanned(page, tmp_path) == [f"{SHEET_BASE}ar/case-studies/afrocrowd-wikimedia-nyc/"]
