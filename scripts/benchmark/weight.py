"""(4) What a reader downloads, as Chromium's network log shows it.

Each page is opened in Debian's Chromium (through Playwright) from a local
server that gzips text as GitHub Pages does (workspace.serve_folder). First
load: every request the page makes with no interaction, until the network is
idle, summed as encoded (on-the-wire) response body bytes. First search: the
reader then presses "/" and types a common word of their language; every
request from there until the results show and the network is idle again.
On the explorer page, in a fresh page, the first filter: the reader picks
the first region, then (separately) types a word into the filter; every
request until the cards show and the network is idle.

Pages: a playbook, a case study and the case-study explorer, in English and
Arabic, and the playbook in the other languages, in the site as it is and in
a copy with 2,000 synthetic case studies (synthetic.py; 200 with --quick).
How much a first search costs depends on the word (its index chunks), so
each language is also searched, from the playbook page in a fresh browser
each time, for the SPREAD_WORDS words found on the most pages of its tree
(read from the search index's page texts): the largest is held to the
budget, the mean is reported. `--counts 0` measures the site as it is
only (about a minute), `--counts 2000` the copy only. 1 KB is 1,024 bytes.
"""

from __future__ import annotations

import collections
import json
import os
import statistics
import string
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from playbook_site import languages
from playbook_site.layout import page_url, tree
from playbook_site.publish import search_chunks

from .report import Measure, Section
from .synthetic import read_template, write_synthetic
from .workspace import Context, driver_build, playbook_slug, progress, serve_folder

NAME = "weight"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SYNTHETIC = 2000
QUICK_SYNTHETIC = 200
# A word that is in many pages of each language: a first search that returns many results.
COMMON_WORDS = {"en": "partners", "es": "socios", "fr": "partenaires", "ar": "الشراكات"}
SEARCH_PARTS = ("/pagefind/", "/search/", "/workers/", "/lunr/", "/search-results.js")
SEARCH_TIMEOUT_MS = 180_000  # generous: a busy 2-core machine
SPREAD_WORDS = 8
PUNCTUATION = string.punctuation + "،؛؟«»“”‘’…"


class _Log:
    """Requests that finished since the last `take()`, with their encoded body sizes.

    The event handler only keeps the request: asking Chromium for its sizes
    from inside the handler can stall the page's event loop.
    """

    def __init__(self, page) -> None:
        self.requests: list = []
        page.on("requestfinished", lambda request: self.requests.append(request))

    @staticmethod
    def entry(request) -> dict:
        sizes = request.sizes()
        response = request.response()
        headers = response.headers if response else {}
        body = sizes["responseBodySize"]
        if not body and headers.get("content-length"):
            # Chromium reports 0 for a Worker's script (pagefind-worker.js); the server's length is what it sent.
            body = int(headers["content-length"])
        return {
            "url": request.url,
            "type": request.resource_type,
            "status": response.status if response else None,
            "encoding": headers.get("content-encoding") or "",
            "body": body,
            "headers": sizes["responseHeadersSize"],
        }

    def take(self) -> list[dict]:
        taken, self.requests = self.requests, []
        return [self.entry(request) for request in taken]


def summary(entries: list[dict], base: str) -> dict:
    """Totals of a list of finished requests: encoded bytes, count, and what belongs to search or data files."""
    def path(entry: dict) -> str:
        return urlsplit(entry["url"]).path

    search = [entry for entry in entries if any(part in path(entry) for part in SEARCH_PARTS)]
    data = [entry for entry in entries if path(entry).endswith((".xml", ".json", ".csv")) and entry not in search]
    return {
        "requests": len(entries),
        "body_bytes": sum(entry["body"] for entry in entries),
        "header_bytes": sum(entry["headers"] for entry in entries),
        "search_bytes": sum(entry["body"] for entry in search),
        "data_files": [entry["url"][len(base):] for entry in data],
        "outside": [entry["url"] for entry in entries if not entry["url"].startswith(base)],
        "files": [dict(entry, url=entry["url"][len(base):] if entry["url"].startswith(base) else entry["url"]) for entry in entries],
    }


def measure_page(browser, base: str, page_path: str, word: str | None) -> dict:
    """First load of `page_path`, then (with a word) the first search, in a fresh context."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log = _Log(page)
        page.goto(base + page_path, wait_until="load")  # every script has run (a long page can idle the network before)
        page.wait_for_load_state("networkidle")
        result = {"page": page_path, "first_load": summary(log.take(), base)}
        if word:
            page.keyboard.press("/")
            page.keyboard.type(word, delay=20)
            try:
                page.locator(".md-search-result__item").first.wait_for(timeout=SEARCH_TIMEOUT_MS)
            except PlaywrightError as error:  # the first load still counts
                result["search_error"] = str(error).splitlines()[0]
                return result
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # result fragments requested just after the list shows
            result["first_search"] = summary(log.take(), base)
            result["first_search"]["word"] = word
            result["first_search"]["results"] = page.locator(".md-search-result__item").count()
        return result
    finally:
        context.close()


def measure_filters(browser, base: str, page_path: str, word: str) -> dict:
    """The explorer's first filter by a region, and by a word, each in a fresh context after the first load."""
    results = {}
    for how in ("region", "word"):
        context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
        try:
            page = context.new_page()
            log = _Log(page)
            page.goto(base + page_path, wait_until="load")
            page.wait_for_load_state("networkidle")
            log.take()
            if how == "region":
                first = page.locator("#pp-filter-region option").nth(1).get_attribute("value")
                page.select_option("#pp-filter-region", first)
            else:
                page.fill("#pp-filter-q", word)
            page.wait_for_function("!document.querySelector('[data-pp-results]').hasAttribute('aria-busy')")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # summaries asked for as the cards come into view
            results[how] = summary(log.take(), base)
            results[how]["shown"] = page.locator("[data-pp-results] > li:not([hidden])").count()
        finally:
            context.close()
    return results


def pages_to_measure(source: Path, locales: tuple[str, ...], default: str) -> list[tuple[str, str, str]]:
    """(locale, kind, path) of a playbook, a case study and the explorer in English and Arabic, and of the playbook in the other languages."""
    slug = playbook_slug(source)
    case = sorted(path.stem for path in (source / "data" / "case_studies").glob("*.yml") if not path.stem.startswith("synthetic-"))[0]
    found = []
    every_kind = dict.fromkeys((default, "ar" if "ar" in locales else locales[-1]))
    for locale in every_kind:
        found += [(locale, "playbook", page_url("playbook", slug, locale, default)), (locale, "case study", page_url("case_study", case, locale, default)), (locale, "explorer", page_url("case_study", None, locale, default))]
    found += [(locale, "playbook", page_url("playbook", slug, locale, default)) for locale in locales if locale not in every_kind]
    return found


def common_words(site: Path, tree_folder: str, count: int = SPREAD_WORDS) -> list[str]:
    """The `count` words of five letters or more found on the most pages of a language tree ('' or 'es/'), from its search index's page texts."""
    pages_with: collections.Counter[str] = collections.Counter()
    for path in (site / tree_folder / "pagefind" / "fragment").glob("*.pf_fragment"):
        text = json.loads(search_chunks.read_file(path))["content"]
        words = (token.strip(PUNCTUATION).lower() for token in text.split())
        pages_with.update({word for word in words if len(word) >= 5 and all(unicodedata.category(char)[0] in "LM" for char in word)})
    return sorted(pages_with, key=lambda word: (-pages_with[word], word))[:count]


def measure_spread(browser, base: str, page_path: str, words: list[str]) -> dict:
    """The first search of each word, each in a fresh browser context: {word: KB}."""
    spread = {}
    for word in words:
        result = measure_page(browser, base, page_path, word)
        if "first_search" in result:
            spread[word] = result["first_search"]["body_bytes"] / 1024
    return spread


def measure_site(site: Path, pages: list[tuple[str, str, str]], default: str) -> list[dict]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    base, server = serve_folder(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                results = []
                for locale, kind, path in pages:
                    try:
                        result = dict(measure_page(browser, base, path, COMMON_WORDS.get(locale)), locale=locale, kind=kind)
                        if kind == "explorer":
                            result["first_filter"] = measure_filters(browser, base, path, COMMON_WORDS.get(locale, "a"))
                        if kind == "playbook":
                            result["spread"] = measure_spread(browser, base, path, common_words(site, tree(locale, default)))
                        results.append(result)
                    except PlaywrightError as error:  # one page that fails is reported, the others still measured
                        results.append({"page": path, "locale": locale, "kind": kind, "error": str(error).splitlines()[0]})
                return results
            finally:
                browser.close()
    finally:
        server.shutdown()


def synthetic_site(ctx: Context, count: int, locales: tuple[str, ...], default: str) -> Path:
    repo = ctx.copy(f"weight-{count}")
    folder = repo / "data" / "case_studies"
    templates = [read_template(path) for path in sorted(folder.glob("*.yml"))]
    write_synthetic(folder, templates, count, locales, default)
    progress(f"weight: building with {count} synthetic case studies")
    site = ctx.work / f"weight-{count}-site"
    driver_build(repo, site)
    return site


def site_counts(ctx: Context) -> tuple[int, ...]:
    """Which sites to measure: 0 is the site as it is, N a copy with N synthetic case studies (`--counts`)."""
    return ctx.counts or (0, QUICK_SYNTHETIC if ctx.quick else SYNTHETIC)


def run(ctx: Context) -> Section:
    section = Section(NAME)
    if not Path(CHROMIUM).exists():
        section.not_run = f"{CHROMIUM} not found (apt-get install chromium)"
        return section
    site_languages = languages.site_languages(ctx.source() / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    pages = pages_to_measure(ctx.source(), locales, default)
    sites = {}
    for count in site_counts(ctx):
        if count == 0:
            sites["today"] = ctx.real_site()
        else:
            sites[f"{count} case studies"] = synthetic_site(ctx, count, locales, default)
    for label, site in sites.items():
        progress(f"weight: measuring in Chromium ({label})")
        results = measure_site(site, pages, default)
        section.details[label] = results
        for result in results:
            if "error" in result:
                section.measures.append(Measure(f"weight: first load, {result['kind']}, {result['locale']}, {label}", None, "KB", "page_weight", note=f"not measured: {result['error'][:120]}"))
                continue
            load = result["first_load"]
            note = f"{load['requests']} requests"
            if load["search_bytes"] or load["data_files"] or load["outside"]:
                note += f"; search {load['search_bytes'] / 1024:.1f} KB, data files {load['data_files']}, outside {len(load['outside'])}"
            section.measures.append(Measure(f"weight: first load, {result['kind']}, {result['locale']}, {label}", load["body_bytes"] / 1024, "KB", "page_weight", note=note))
            search = result.get("first_search")
            if result.get("search_error"):
                section.measures.append(Measure(f"weight: first search, {result['kind']}, {result['locale']}, {label}", None, "KB", "search_weight", note=f"not measured: {result['search_error'][:120]}"))
            if search:
                section.measures.append(Measure(
                    f"weight: first search '{search['word']}', {result['kind']}, {result['locale']}, {label}",
                    search["body_bytes"] / 1024, "KB", "search_weight",
                    note=f"{search['requests']} requests, {search['results']} results shown",
                ))
            spread = result.get("spread")
            if spread:
                largest = max(spread, key=spread.get)
                section.measures.append(Measure(
                    f"weight: first search, largest of {len(spread)} common words, {result['locale']}, {label}",
                    spread[largest], "KB", "search_weight",
                    note=f"'{largest}'; mean {statistics.mean(spread.values()):.1f} KB",
                ))
            for how, filtered in result.get("first_filter", {}).items():
                section.measures.append(Measure(
                    f"weight: first filter by {how}, {result['kind']}, {result['locale']}, {label}",
                    filtered["body_bytes"] / 1024, "KB", None,
                    note=f"{filtered['requests']} requests, {filtered['shown']} cards shown",
                ))
    section.details["kilobyte"] = 1024
    section.details["counted"] = "encoded response body bytes from Chromium's network log (Playwright request.sizes()); headers are listed apart"
    return section
