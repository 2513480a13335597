"""Assertions on the built HTML of the real site and of the payload fixture site."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from playbook_site.content.catalogue import load_catalogue
from playbook_site.layout import site_base_path
from playbook_site.publish import html_links
from playbook_site.cli import build as cli_build
from live_parts import live_parts
from sites import BuildResult, assemble, site_url

LOCALES = {"en": "", "es": "es/", "fr": "fr/", "ar": "ar/"}
DIRECTION = {"en": "ltr", "es": "ltr", "fr": "ltr", "ar": "rtl"}


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def html_lang_and_dir(html: str) -> tuple[str, str]:
    lang = re.search(r"<html lang=\"([^\"]+)\"", html)
    direction = re.search(r"<body dir=\"([^\"]+)\"", html)
    assert lang and direction
    return lang.group(1), direction.group(1)


# -- the real site -------------------------------------------------------------------------


def test_data_is_loaded_once_for_all_languages(real_site: BuildResult) -> None:
    """The driver loads and checks the data; each language's engine run takes over its catalogue."""
    assert real_site.output.count("Loaded data once for all languages") == 1, real_site.output[-3000:]
    assert real_site.output.count("taking over the data") == len(LOCALES), real_site.output[-3000:]


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_tree_has_its_lang_and_direction(real_site: BuildResult, locale: str) -> None:
    for page in ("index.html", "playbooks/index.html", "playbooks/running-an-editatona/index.html", "patterns/start-with-a-pilot/index.html", "case-studies/editatona/index.html", "404.html"):
        assert html_lang_and_dir(read(real_site.site, LOCALES[locale] + page)) == (locale, DIRECTION[locale]), page


@pytest.mark.parametrize("locale", LOCALES)
def test_colour_scheme_buttons_are_labelled_in_the_page_language(real_site: BuildResult, locale: str) -> None:
    """The palette toggles' labels come from data/ui.yml in each language (mkdocs.yml names their keys)."""
    catalogue = load_catalogue()
    page = read(real_site.site, LOCALES[locale] + "playbooks/running-an-editatona/index.html")
    for key in ("palette_to_light", "palette_to_dark", "palette_to_system"):
        label = catalogue.text(key, locale)
        assert f'aria-label="{escape(label)}"' in page and f'title="{escape(label)}"' in page, key
    assert "palette_to_" not in page
    if locale != "en":
        assert "Switch to" not in page


@pytest.mark.parametrize("locale", LOCALES)
def test_every_case_study_and_pattern_has_a_page_in_every_language(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    for case_id in catalogue.case_studies:
        html = read(real_site.site, f"{LOCALES[locale]}case-studies/{case_id}/index.html")
        title, used = catalogue.case_studies[case_id].title.get(locale, "en")
        assert used == locale, f"{case_id} has no {locale} title"
        assert f'data-pp-id="{case_id}"' in html
    for pattern_id in catalogue.patterns:
        html = read(real_site.site, f"{LOCALES[locale]}patterns/{pattern_id}/index.html")
        assert f'data-pp-id="{pattern_id}"' in html
    for slug in catalogue.playbooks:
        assert (real_site.site / LOCALES[locale] / "playbooks" / slug / "index.html").exists()


def _pagefind_language(html: str) -> str | None:
    """The language Pagefind files a page under, or None when the page has nothing to index."""
    return html_lang_and_dir(html)[0] if "data-pagefind-body" in html else None


def test_search_index_per_language_holds_each_tree_content_pages(real_site: BuildResult) -> None:
    """Each language tree has its own Pagefind bundle, holding that tree's content pages and nothing else."""
    others = tuple(prefix for prefix in LOCALES.values() if prefix)
    counts: dict[str, int] = {}
    for path in real_site.site.rglob("*.html"):
        relative = path.relative_to(real_site.site).as_posix()
        if "/pagefind/" in f"/{relative}":
            continue
        language = _pagefind_language(path.read_text(encoding="utf-8"))
        if language:
            tree = next((locale for locale, prefix in LOCALES.items() if prefix and relative.startswith(prefix)), "en")
            assert language == tree, relative
            counts[language] = counts.get(language, 0) + 1
    assert set(counts) == set(LOCALES)
    for locale, prefix in LOCALES.items():
        entry = json.loads(read(real_site.site, f"{prefix}pagefind/pagefind-entry.json"))
        assert {name: value["page_count"] for name, value in entry["languages"].items()} == {locale: counts[locale]}, f"{prefix}pagefind/ holds {locale} only"
        assert (real_site.site / prefix / "pagefind" / f"wasm.{locale}.pagefind").is_file()  # its language's stemmer
        assert sorted(path.name for path in (real_site.site / prefix / "pagefind").glob("wasm.*")) == [f"wasm.{locale}.pagefind", "wasm.unknown.pagefind"]
        for page in ("404.html", "sheets/onboarding-a-glam-partner/index.html", "go/glam/index.html"):
            assert "data-pagefind-body" not in read(real_site.site, prefix + page), prefix + page
        playbook = read(real_site.site, f"{prefix}playbooks/running-an-editatona/index.html")
        body = playbook[playbook.index("data-pagefind-body"):]
        assert "md-sidebar" not in body and "md-footer" not in body.split("</article>")[0]  # content only
        assert re.search(r'<aside class="pp-print-footer"[^>]*data-pagefind-ignore="all"', playbook)
        # Result addresses are relative to the tree's root (search-results.js gives Pagefind that root as baseUrl), and every one is a page of this tree.
        urls = set(_pagefind_fragments(real_site.site, prefix))
        assert len(urls) == counts[locale]
        for url in urls:
            assert url.startswith("/") and not url.lstrip("/").startswith(others), f"{prefix}pagefind/ lists {url}"
            assert f'lang="{locale}"' in read(real_site.site, prefix + url.lstrip("/") + "index.html"), url


def test_english_bundle_holds_no_page_of_another_tree(real_site: BuildResult) -> None:
    """The default language's tree, at the site root, holds the es/, fr/ and ar/ folders; its bundle leaves them out."""
    fragments = _pagefind_fragments(real_site.site)
    assert fragments and not [url for url in fragments if url.lstrip("/").startswith(("es/", "fr/", "ar/"))]
    assert set(json.loads(read(real_site.site, "pagefind/pagefind-entry.json"))["languages"]) == {"en"}
    assert "/playbooks/running-an-editatona/" in fragments


def _pagefind_fragments(site: Path, prefix: str = "") -> dict[str, str]:
    """Page URL (from the tree's root) -> the text the tree's Pagefind bundle keeps for it (what a search result downloads)."""
    import gzip

    fragments = {}
    for path in (site / prefix / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        fragments[record["url"]] = record["content"]
    return fragments


class _Cells(HTMLParser):
    """The text of each table cell and each term and definition of a list, in page order."""

    KINDS = {"th", "td", "dt", "dd"}

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.open = 0  # nesting of the kinds above

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.KINDS:
            self.cells.append("")
            self.open += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.KINDS:
            self.open -= 1

    def handle_data(self, data: str) -> None:
        if self.open:
            self.cells[-1] += data


@pytest.mark.parametrize("locale", LOCALES)
def test_search_keeps_the_words_of_neighbouring_cells_apart(real_site: BuildResult, locale: str) -> None:
    """Pagefind runs the text of a table cell, or of a <dt> or <dd>, into the next one when no space separates them:
    the index then held words like 'armeniaالشركاء' or 'FieldDescription', and excerpts showed them."""
    checked = 0
    for url, content in _pagefind_fragments(real_site.site, LOCALES[locale]).items():
        cells = _Cells()
        cells.feed(read(real_site.site, LOCALES[locale] + url.lstrip("/") + "index.html"))
        texts = [" ".join(text.split()) for text in cells.cells]
        for first, second in zip(texts, texts[1:]):
            if first and second:
                checked += 1
                assert first + second not in content, (url, first, second)
    assert checked > 100


def test_search_leaves_out_lists_that_grow_with_the_data(real_site: BuildResult) -> None:
    """The directories, the Sources page and translation status list every case study; a search result for them does not carry those lists."""
    catalogue = load_catalogue()
    fragments = _pagefind_fragments(real_site.site)
    titles = [case.title.get("en")[0] for case in catalogue.case_studies.values()]
    for page in ("affiliates/", "partners/", "sources/", "translation-status/"):
        content = fragments[f"/{page}"]
        assert content, page
        assert not [title for title in titles if title in content], f"{page}: case-study titles in its search text"
    affiliate = next(name for case in catalogue.case_studies.values() for name in case.affiliates)
    assert affiliate in fragments["/affiliates/"], "the directory's own names stay searchable"
    assert any(title in fragments[f"/case-studies/{case_id}/"] for case_id, title in zip(catalogue.case_studies, titles))


def test_lunr_index_is_not_published(real_site: BuildResult) -> None:
    """Material's lunr index is for the offline copies only; online nothing of it is written or read."""
    assert not list(real_site.site.rglob("search_index.json"))


@pytest.mark.parametrize("locale", LOCALES)
def test_search_points_at_the_pagefind_bundle_and_mounts_no_lunr(real_site: BuildResult, locale: str) -> None:
    html = read(real_site.site, f"{LOCALES[locale]}playbooks/running-an-editatona/index.html")
    bundle = re.search(r'<script src="[^"]*assets/search\.js" data-engine="pagefind"[^>]* data-bundle="([^"]+)"', html).group(1)
    # The bundle of the page's own tree: /pagefind/ for English, /es/pagefind/ for Spanish, ...
    assert (real_site.site / LOCALES[locale] / "playbooks/running-an-editatona" / bundle).resolve() == (real_site.site / LOCALES[locale] / "pagefind/pagefind.js").resolve()
    assert (real_site.site / LOCALES[locale] / "pagefind/pagefind.js").is_file()
    # A 404 page is served at any depth: its tree's bundle is named from the site's root path.
    not_found = read(real_site.site, f"{LOCALES[locale]}404.html")
    assert f'data-tree-base="{site_base_path(site_url())}{LOCALES[locale]}" data-bundle="{site_base_path(site_url())}{LOCALES[locale]}pagefind/pagefind.js"' in not_found
    # search.js unmounts Material's search before Material's bundle runs (the browser tests check that it did).
    assert html.index("assets/search.js") < html.index("assets/javascripts/bundle.")
    assert '<link rel="alternate feed" type="application/atom+xml"' in html  # not rel="alternate": Material would fetch a sitemap beside it


@pytest.mark.parametrize("locale", LOCALES)
def test_home_page_of_each_tree_is_titled_with_the_site_name(real_site: BuildResult, locale: str) -> None:
    title = re.search(r"<title>(.*?)</title>", read(real_site.site, f"{LOCALES[locale]}index.html")).group(1)
    assert " - " not in title


def test_404_page_per_language(real_site: BuildResult) -> None:
    for locale, prefix in LOCALES.items():
        html = read(real_site.site, f"{prefix}404.html")
        assert html_lang_and_dir(html)[0] == locale
        switcher = dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)" class="md-select__link">', html))
        base = urlsplit(site_url()).path  # a 404 page links from the server root, under $SITE_URL's path when set
        assert switcher == {"en": base, "es": f"{base}es/", "fr": f"{base}fr/", "ar": f"{base}ar/"}, (locale, switcher)
        assert not re.search(r'<link rel="alternate" href="[^"]*" hreflang=', html)


def test_language_switcher_keeps_the_page(real_site: BuildResult) -> None:
    html = read(real_site.site, "es/playbooks/running-an-editatona/index.html")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)"', html)[i][::-1] for i in range(4))
    assert links["en"].endswith("playbooks/running-an-editatona/") and not links["en"].rstrip("/").endswith("es/playbooks/running-an-editatona")
    assert links["fr"].endswith("fr/playbooks/running-an-editatona/")
    assert links["ar"].endswith("ar/playbooks/running-an-editatona/")


def test_translated_pages_say_they_are_drafts(real_site: BuildResult) -> None:
    html = read(real_site.site, "fr/playbooks/running-an-editatona/index.html")
    assert 'class="pp-notice pp-notice--draft"' in html
    assert "pp-notice" not in read(real_site.site, "playbooks/running-an-editatona/index.html")


def test_playbook_step_ids_are_the_same_in_every_language(real_site: BuildResult) -> None:
    for slug in load_catalogue().playbooks:
        ids = {locale: re.findall(r'<h3 id="(step-\d+)"', read(real_site.site, f"{prefix}playbooks/{slug}/index.html")) for locale, prefix in LOCALES.items()}
        assert ids["en"], slug
        assert ids["es"] == ids["fr"] == ids["ar"] == ids["en"], slug


def test_pattern_pages_list_the_playbooks_and_case_studies_that_use_them(real_site: BuildResult) -> None:
    html = read(real_site.site, "es/patterns/hack-the-model/index.html")
    assert 'href="../../playbooks/running-an-editatona/"' in html
    assert 'href="../../case-studies/editatona/"' in html
    case = read(real_site.site, "ar/case-studies/editatona/index.html")
    assert 'href="../../patterns/hack-the-model/"' in case


def test_no_request_leaves_the_site(real_site: BuildResult) -> None:
    offenders = []
    for path in real_site.site.rglob("*"):
        if path.suffix == ".html":
            loaded = [link.url for link in html_links.read(path).links if link.loaded]
            offenders += [(str(path), url) for url in loaded if re.match(r"^(https?:)?//", url)]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            offenders += [(str(path), url) for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text)]
            offenders += [(str(path), "@import") for _ in re.findall(r"@import\s+(?:url\()?['\"]?(?:https?:)?//", text)]
    assert not offenders, offenders[:10]
    for path in real_site.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text and "googletagmanager" not in text, path


# -- the payload fixture -------------------------------------------------------------------


def test_payloads_in_data_come_out_inert(mini_site: BuildResult) -> None:
    for prefix in ("", "es/", "ar/"):
        html = read(mini_site.site, f"{prefix}case-studies/payload-case/index.html")
        body = html.split('<article class="pp-entry', 1)[1].split("</article>", 1)[0]
        assert "<script" not in body and "<svg" not in body and "<img" not in body and "<iframe" not in body
        assert not live_parts(body), "a live handler or URL survived"
        assert "{{ 7*7 }}" in body and ">49<" not in body
        assert "{% endraw %}" in body
        assert str(mini_site.site.parent) not in body, "Jinja ran os.getcwd() at build time"
    english = read(mini_site.site, "case-studies/payload-case/index.html")
    assert "<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; {{ 7*7 }} Case - " in english
    assert '<a href="https://meta.wikimedia.org/" rel="noopener noreferrer">good link</a>' in english
    pattern = read(mini_site.site, "patterns/payload-pattern/index.html")
    assert "<iframe" not in pattern and "{{ 7*7 }}" in pattern
    # A title from data with quotes, Jinja and a line break stays text, in <title>, the heading and the nav.
    french = read(mini_site.site, "fr/patterns/payload-pattern/index.html")
    assert "<script>alert(" not in french and ">49<" not in french
    assert re.search(r"<title>Commencer &(#34|quot);petit&(#34|quot); \{\{ 7\*7 \}\}\s+&lt;script&gt;alert\(&#39;fr&#39;\)&lt;/script&gt; - ", french), re.search(r"<title>.*?</title>", french, re.S)
    assert re.search(r"<h1>Commencer (&#34;|&quot;|\")petit(&#34;|&quot;|\") \{\{ 7\*7 \}\}\s+&lt;script&gt;", french)


def test_fields_missing_in_a_language_fall_back_to_english_marked_as_such(mini_site: BuildResult) -> None:
    html = read(mini_site.site, "fr/case-studies/payload-case/index.html")
    assert 'class="pp-notice pp-notice--fallback"' in html
    assert re.search(r'<h1 lang="en" dir="ltr">', html)


def test_untranslated_page_is_served_in_the_reader_tree_with_a_notice(mini_site: BuildResult) -> None:
    html = read(mini_site.site, "ar/about/index.html")
    assert html_lang_and_dir(html) == ("ar", "rtl")
    assert 'class="pp-notice pp-notice--fallback"' in html
    assert "لم تُترجم هذه الصفحة إلى لغتك بعد" in html
    assert '<div class="pp-fallback" lang="en" dir="ltr">' in html
    assert "pp-notice" not in read(mini_site.site, "about/index.html")


def test_arabic_headings_get_readable_ids(mini_site: BuildResult) -> None:
    html = read(mini_site.site, "ar/index.html")
    assert '<h2 id="عنوان-عربي-بلا-معرف"' in html
    assert 'id="_1"' not in html


def test_failed_build_leaves_the_previous_site_untouched(mini_site: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = assemble("mini", tmp_path / "mini")
    site, staging = folder / "site", folder / ".build" / "site-next"
    shutil.copytree(mini_site.site, site)  # the last good build of the same content
    before = {p: p.read_bytes() for p in site.rglob("*.html")}
    payload = folder / "data" / "case_studies" / "payload-case.yml"
    payload.write_text(payload.read_text(encoding="utf-8").replace("region: global", "region: nowhere"), encoding="utf-8")
    assert cli_build(site=site, staging=staging, root=folder) == 1
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before
    # A failure inside MkDocs itself (a broken link in a page) also leaves site/ alone.
    payload.write_text(payload.read_text(encoding="utf-8").replace("region: nowhere", "region: global"), encoding="utf-8")
    (folder / "docs" / "about.md").write_text("# About\n\n[broken](missing.md)\n", encoding="utf-8")
    capsys.readouterr()
    assert cli_build(site=site, staging=staging, root=folder) == 1
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == before
    # The message names the language that failed and the file.
    messages = capsys.readouterr().err
    assert re.search(r"^\[en\] WARNING .*'about\.md'.*'missing\.md'", messages, re.MULTILINE), messages[-3000:]
    assert "The 'en' language failed to build" in messages
    shutil.rmtree(folder)


# -- content completeness (the content issue) ------------------------------------------------


def test_no_page_in_a_translated_tree_falls_back_to_english(real_site: BuildResult) -> None:
    fallbacks = [
        str(path.relative_to(real_site.site))
        for prefix in ("es", "fr", "ar")
        for path in (real_site.site / prefix).rglob("*.html")
        if "pp-notice--fallback" in path.read_text(encoding="utf-8")
    ]
    assert not fallbacks, fallbacks


def test_content_counts_and_citations() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.playbooks) >= 9 and len(catalogue.patterns) >= 15 and len(catalogue.case_studies) >= 10
    for playbook in catalogue.playbooks.values():
        assert set(playbook.files) == set(LOCALES), playbook.slug
        assert playbook.sources, playbook.slug
    for entry in [*catalogue.patterns.values(), *catalogue.case_studies.values()]:
        assert entry.sources, entry.id
        for field in ("title",):
            assert set(getattr(entry, field).values) == set(LOCALES), entry.id


@pytest.mark.parametrize("locale", LOCALES)
def test_html_element_carries_the_writing_direction(real_site: BuildResult, locale: str) -> None:
    for page in ("index.html", "playbooks/running-an-editatona/index.html", "case-studies/editatona/index.html", "404.html"):
        tag = re.search(r"<html[^>]*>", read(real_site.site, LOCALES[locale] + page))
        assert tag and f'dir="{DIRECTION[locale]}"' in tag.group(0) and f'lang="{locale}"' in tag.group(0), (page, tag)


def _section(html: str, heading_id: str) -> str:
    """The HTML between a heading of the case-study page and the next <h2>."""
    after = html.split(f'id="{heading_id}"', 1)[1]
    return after.split("<h2", 1)[0]


@pytest.mark.parametrize("locale", LOCALES)
def test_what_did_not_work_says_not_recorded_when_the_notes_record_nothing(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    for case in catalogue.case_studies.values():
        section = _section(read(real_site.site, f"{LOCALES[locale]}case-studies/{case.id}/index.html"), "what-did-not-work")
        if case.what_did_not_work is None:
            expected = str(escape(catalogue.text("not_recorded", locale)))
            assert f'<p class="pp-not-recorded">{expected}</p>' in section, (locale, case.id)
            assert "<li>" not in section
        else:
            assert "pp-not-recorded" not in section and "<li>" in section, (locale, case.id)
    assert sum(case.what_did_not_work is None for case in catalogue.case_studies.values()) >= 3


@pytest.mark.parametrize("locale", LOCALES)
def test_lists_in_the_facts_are_separated_as_the_language_writes_them(real_site: BuildResult, locale: str) -> None:
    """Arabic separates with its own comma (، ); the editatona ran in two years and covers several themes."""
    catalogue = load_catalogue()
    separator = catalogue.text("list_separator", locale)
    case = catalogue.case_studies["editatona"]
    assert len(case.years) > 1
    facts = _section(read(real_site.site, f"{LOCALES[locale]}case-studies/editatona/index.html"), "at-a-glance")
    assert f"<dt>{escape(catalogue.text('years', locale))}</dt>\n<dd>{separator.join(map(str, case.years))}</dd>" in facts
    assert (", " in re.sub(r"<[^>]+>", "", facts)) == (locale != "ar")
    assert ("، " in facts) == (locale == "ar")


@pytest.mark.parametrize("locale", LOCALES)
def test_other_participants_are_shown_with_their_role_not_as_affiliates(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    facts = _section(read(real_site.site, f"{LOCALES[locale]}case-studies/wmcon2018-peer-consultation-clinic/index.html"), "at-a-glance")
    affiliates = facts.split(f"<dt>{escape(catalogue.text('affiliates', locale))}</dt>\n<dd>", 1)[1].split("</dd>", 1)[0]
    others = facts.split(f"<dt>{escape(catalogue.text('other_participants', locale))}</dt>\n<dd>", 1)[1].split("</dd>", 1)[0]
    others = re.sub(r"<[^>]+>", "", others)  # glossary links on terms such as FDC
    assert "FDC" not in affiliates and "Wiki Loves" not in affiliates and "WMUK" in affiliates
    assert f"FDC ({escape(catalogue.text('role_committee', locale))})" in others
    assert f"Wiki Loves Africa ({escape(catalogue.text('role_project', locale))})" in others
    wikiindaba = _section(read(real_site.site, f"{LOCALES[locale]}case-studies/wikiindaba-2017-partnerships-workshop/index.html"), "at-a-glance")
    assert f'<span class="pp-not-recorded">{escape(catalogue.text("not_recorded_short", locale))}</span>' in wikiindaba


def test_footer_is_translated(real_site: BuildResult) -> None:
    footers = {locale: re.search(r'<div class="md-copyright__highlight">\s*(.*?)\s*</div>', read(real_site.site, f"{prefix}index.html"), re.DOTALL).group(1) for locale, prefix in LOCALES.items()}
    assert len(set(footers.values())) == 4, footers


# -- glossary and pathways ---------------------------------------------------------------------

TERM_LINK = re.compile(r'<a class="pp-term" href="([^"#]*)#([^"]+)" title="([^"]*)">([^<]+)</a>')


@pytest.mark.parametrize("locale", LOCALES)
def test_glossary_page_lists_every_term_in_every_language(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    html = read(real_site.site, f"{LOCALES[locale]}glossary/index.html")
    for term in catalogue.glossary.values():
        text = term.term.values[locale]
        assert f'<dt id="{term.id}">{escape(text)}</dt>' in html, (locale, term.id)
        assert str(escape(term.definition.values[locale])) in html, (locale, term.id)
    assert "pp-term" not in html.split('<dl class="pp-glossary">', 1)[1], "the glossary page explains nothing twice"


@pytest.mark.parametrize("locale", LOCALES)
def test_terms_are_explained_where_they_appear(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    glossary = read(real_site.site, f"{LOCALES[locale]}glossary/index.html")
    page = real_site.site / f"{LOCALES[locale]}playbooks/onboarding-a-glam-partner/index.html"
    html = page.read_text(encoding="utf-8")
    links = TERM_LINK.findall(html)
    assert len(links) >= 4, (locale, links)
    seen = [term_id for _href, term_id, _title, _text in links]
    assert len(seen) == len(set(seen)), "each term is explained once per page"
    for href, term_id, title, text in links:
        assert (page.parent / href / "index.html").resolve() == (real_site.site / f"{LOCALES[locale]}glossary/index.html").resolve()
        assert f'<dt id="{term_id}">' in glossary
        assert title == str(escape(catalogue.glossary[term_id].definition.values[locale])), (locale, term_id)
        assert text.casefold() in [form.casefold() for form in catalogue.glossary[term_id].forms(locale)]
    for heading in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", html, re.DOTALL):
        assert "pp-term" not in heading


def test_every_term_is_explained_somewhere_in_every_language(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    for locale, prefix in LOCALES.items():
        explained = set()
        for path in (real_site.site / prefix or real_site.site).rglob("index.html"):
            if locale == "en" and path.relative_to(real_site.site).parts[0] in ("es", "fr", "ar"):
                continue
            explained.update(term_id for _h, term_id, _t, _x in TERM_LINK.findall(path.read_text(encoding="utf-8")))
        assert explained == set(catalogue.glossary), (locale, set(catalogue.glossary) - explained)


@pytest.mark.parametrize("locale", LOCALES)
def test_pathway_pages_list_their_readings_with_working_links(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    home = read(real_site.site, f"{LOCALES[locale]}index.html")
    for pathway in catalogue.pathways.values():
        card = f'<a href="pathways/{pathway.id}/">{escape(pathway.title.values[locale])}</a>'
        # The home page shows the audience pathways; those for a partner type are listed elsewhere.
        assert (card in home) == (not pathway.partner_types), (locale, pathway.id)
        page = real_site.site / f"{LOCALES[locale]}pathways/{pathway.id}/index.html"
        html = page.read_text(encoding="utf-8")
        steps = re.findall(r'<li class="pp-pathway__step" id="step-\d+">.*?<a href="([^"]+)"[^>]*>(.*?)</a>\s*</h3>\s*<p>(.*?)</p>', html, re.DOTALL)
        minutes = re.findall(r'<span class="pp-pathway__minutes">([^<]*)</span>', html)
        assert minutes == [catalogue.text("reading_minutes", locale).replace("{n}", str(step.minutes)) for step in pathway.steps if step.minutes], (locale, pathway.id)
        assert len(steps) == len(pathway.steps), (locale, pathway.id)
        for (href, title, why), step in zip(steps, pathway.steps):
            target = (page.parent / href / "index.html").resolve()
            assert target.is_file(), (locale, pathway.id, href)
            assert target.is_relative_to((real_site.site / LOCALES[locale]).resolve())
            assert title.strip() and 'lang="en"' not in title
            assert re.sub(r"<[^>]+>", "", why) == str(escape(step.why.values[locale]))


PARTNER_PATHWAY_LINK = re.compile(r'<li data-partner-type="([^"]+)"><a href="([^"]+)"[^>]*>([^<]+)</a>')


def test_partner_types_have_reading_orders_with_timed_steps() -> None:
    catalogue = load_catalogue()
    served = {kind for pathway in catalogue.pathways.values() for kind in pathway.partner_types}
    assert {"glam", "university", "grassroots", "ngo", "government", "media"} <= served <= set(catalogue.taxonomy.partner_types)
    for pathway in catalogue.pathways.values():
        if pathway.partner_types:
            assert all(step.minutes for step in pathway.steps), pathway.id


@pytest.mark.parametrize("locale", LOCALES)
def test_working_with_wikimedia_and_the_explorer_link_every_partner_reading_order(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    expected = {p.id: (" ".join(p.partner_types), p.title.values[locale]) for p in catalogue.pathways.values() if p.partner_types}
    for page_path in ("working-with-wikimedia/index.html", "case-studies/index.html", "pathways/index.html"):
        page = real_site.site / f"{LOCALES[locale]}{page_path}"
        html = page.read_text(encoding="utf-8")
        found = {}
        for types, href, title in PARTNER_PATHWAY_LINK.findall(html):
            target = (page.parent / href / "index.html").resolve()
            assert target.is_file() and target.is_relative_to((real_site.site / LOCALES[locale]).resolve()), (locale, page_path, href)
            found[target.parent.name] = (types, html_lib.unescape(title))
        assert found == expected, (locale, page_path)
    explorer = read(real_site.site, f"{LOCALES[locale]}case-studies/index.html")
    # Under the filters, before the cards; explorer.js narrows it to the partner type chosen.
    assert 0 < explorer.index('<nav class="pp-partner-pathways" data-pp-partner-pathways') < explorer.index("data-pp-results"), locale


def test_sources_page_lists_glossary_terms_that_use_a_note(real_site: BuildResult) -> None:
    html = read(real_site.site, "fr/sources/index.html")
    section = html.split('id="wmmx-needs-assessment-2021"', 1)[1].split("</section>", 1)[0]
    assert 'Glossaire : <a href="../glossary/#openrefine">' in section or 'Glossaire: <a href="../glossary/#openrefine">' in section, section[-800:]


def test_glossary_and_pathway_payloads_come_out_inert(mini_site: BuildResult) -> None:
    home = read(mini_site.site, "index.html")
    # Escaped twice: Material's tooltip shows a title as HTML, so the attribute's value must itself be escaped text.
    title = re.search(r'<a class="pp-term" href="glossary/#museum" title="([^"]*)">museum</a>', home).group(1)
    assert "<" not in title and ">" not in title
    assert html_lib.unescape(html_lib.unescape(title)) == "A \"museum\" definition <script>alert('def')</script> {{ 7*7 }} ' onmouseover='alert(1)"
    assert "<code>Museum</code>" in home
    assert "For &lt;em&gt;visitors&lt;/em&gt; {{ 7*7 }}" in home and "<em>visitors" not in home
    assert "&lt;img src=x onerror=alert(&#39;audience&#39;)&gt;" in home
    pathway = read(mini_site.site, "pathways/visitors/index.html")
    assert "<title>For &lt;em&gt;visitors&lt;/em&gt; {{ 7*7 }} - " in pathway
    case = read(mini_site.site, "case-studies/payload-case/index.html")
    assert re.search(r'<a class="pp-term" href="../../glossary/#museum" title="[^"<>]*">Museum</a> &lt;svg onload=alert\(1\)&gt;', case)


# -- short links and redirects ---------------------------------------------------------------------


def test_every_short_link_redirects_in_every_language_tree(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    assert all(playbook.short_link for playbook in catalogue.playbooks.values())
    assert len(catalogue.short_links) > 9 * 5
    for locale, prefix in LOCALES.items():
        go = real_site.site / prefix / "go"
        assert {path.name for path in go.iterdir()} == set(catalogue.short_links), locale
        html = (go / "glam-3" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{locale}" dir="{DIRECTION[locale]}">' in html
        assert '<meta http-equiv="refresh" content="0; url=../../playbooks/onboarding-a-glam-partner/#step-3">' in html
        listing = read(real_site.site, f"{prefix}short-links/index.html")
        for code in catalogue.short_links:
            assert f'<tr id="go-{code}">' in listing and f">/{prefix}go/{code}/</a>" in listing, (locale, code)
        for slug in catalogue.playbooks:
            assert f'<a href="../sheets/{slug}/">' in listing, (locale, slug)


def test_moved_pages_redirect_in_every_language(mini_site: BuildResult) -> None:
    for prefix in ("", "es/", "ar/"):
        html = read(mini_site.site, f"{prefix}old-about/index.html")
        assert '<meta http-equiv="refresh" content="0; url=../about/">' in html
        html = read(mini_site.site, f"{prefix}playbooks/old-mini/index.html")
        assert 'url=../../playbooks/mini-playbook/#step-1"' in html


def test_no_page_shows_its_own_markup_as_text(real_site: BuildResult) -> None:
    """Guards against double escaping (e.g. Markup + str), which prints the page's HTML as text."""
    leaked = [
        str(path.relative_to(real_site.site))
        for path in real_site.site.rglob("*.html")
        if re.search(r"&lt;(?:p|h[1-6]|div|a class|li|ul|section|article)[ >]", path.read_text(encoding="utf-8"))
    ]
    assert not leaked, leaked[:20]


# -- one term throughout a language (data/terminology.yml) ------------------------------------------


def _page_texts(site: Path, locale: str) -> dict[str, str]:
    """The visible text of every page of one language tree, casefolded, with ’ for '."""
    root = site / LOCALES[locale] if LOCALES[locale] else site
    texts = {}
    for path in root.rglob("*.html"):
        relative = path.relative_to(site)
        if locale == "en" and relative.parts[0] in ("es", "fr", "ar"):
            continue
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
        texts[str(relative)] = re.sub(r"\s+", " ", text).replace("'", "’").casefold()
    return texts


def _uses(text: str, form: str, locale: str) -> bool:
    form = form.replace("'", "’").casefold()
    if locale == "ar":  # Arabic attaches prefixes (و، ف، ب، ال) to words: match anywhere
        return form in text
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_keeps_to_one_term(real_site: BuildResult, locale: str) -> None:
    import yaml

    catalogue = load_catalogue()
    terminology = yaml.safe_load((Path(__file__).parents[1] / "data" / "terminology.yml").read_text(encoding="utf-8"))
    texts = _page_texts(real_site.site, locale)
    assert len(texts) > 50
    for key, entry in terminology.items():
        use = catalogue.glossary[entry["glossary"]].term.values.get(locale) if "glossary" in entry else entry["use"].get(locale)
        if use:
            assert any(_uses(text, use, locale) for text in texts.values()), f"{key}: '{use}' is on no {locale} page"
        for variant in entry.get("avoid", {}).get(locale, []):
            pages = sorted(page for page, text in texts.items() if _uses(text, variant, locale))
            assert not pages, f"{key}: write '{use}', not '{variant}' ({locale}): {pages[:5]}"


@pytest.mark.parametrize("locale", ["es", "fr", "ar"])
def test_open_data_field_tables_are_in_the_page_language(real_site: BuildResult, locale: str) -> None:
    from playbook_site.content.schema_docs import schema_description_translations
    from playbook_site.paths import DATA

    html = read(real_site.site, f"{LOCALES[locale]}open-data/index.html")
    translated = schema_description_translations(DATA / "schema")["case_study.schema.json"]["what_did_not_work"][locale]
    assert str(escape(translated)) in html
    assert '<td lang="en"' not in html, "every description is translated"


# -- the explorer stays small as the data grows ----------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_explorer_holds_the_first_cards_and_every_case_study_stays_reachable(real_site: BuildResult, locale: str) -> None:
    """The page holds at most EXPLORER_FIRST cards; cards.json holds all of them and /case-studies/all/ links to each, without JavaScript."""
    from playbook_site.render.views import EXPLORER_FIRST

    catalogue = load_catalogue()
    every = set(catalogue.case_studies)
    folder = real_site.site / LOCALES[locale] / "case-studies"
    explorer = read(real_site.site, f"{LOCALES[locale]}case-studies/index.html")
    shown = re.findall(r'<li class="pp-card" id="([^"]+)"', explorer)
    assert 0 < len(shown) == min(EXPLORER_FIRST, len(every)) and set(shown) <= every
    assert f'data-pp-total="{len(every)}"' in explorer and 'href="all/"' in explorer
    rows = json.loads((folder / "cards.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in rows][:len(shown)] == shown, "the page shows the first cards of the same order"
    assert {row["id"] for row in rows} == every
    summaries = sorted((folder / "summaries").glob("*.json"), key=lambda path: int(path.stem))
    assert [int(path.stem) for path in summaries] == list(range(len(summaries)))
    assert sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in summaries) == len(rows), "a summary per card, in files beside cards.json"
    for row in rows:
        assert "summary" not in row, "summaries are fetched apart, for the cards shown"
        assert (folder / row["url"] / "index.html").is_file(), row["url"]
        assert set(row["filters"]) == {"region", "partner_type", "theme", "language", "year", "pattern", "playbook", "text"}
    plain = read(real_site.site, f"{LOCALES[locale]}case-studies/all/index.html")
    linked = set(re.findall(r'<li><a href="\.\./([^"/]+)/"', plain))
    assert linked == every
    assert all((folder / case_id / "index.html").is_file() for case_id in linked)
    assert "<script" not in plain.split("pp-plain-list", 1)[1].split("</ul>", 1)[0]


def test_explorer_cards_carry_data_as_plain_text(mini_site: BuildResult) -> None:
    """cards.json holds the payload's title as text (explorer.js sets it with textContent); the plain list escapes it."""
    rows = json.loads(read(mini_site.site, "case-studies/cards.json"))
    payload = next(row for row in rows if row["id"] == "payload-case")
    assert payload["title"]["text"].startswith("<script>alert('title')</script>")
    plain = read(mini_site.site, "case-studies/all/index.html")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in plain and "<script>alert(" not in plain
