"""`make offline`: the English and Arabic zips, unzipped, work from file:// with no network.

The zips are made once for the module from the run's two one-language builds of
the real site (the `offline_copies` fixture, shared with the ZIM tests) and unzipped; the checks read the unzipped
files, and the browser tests open them from file:// in Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playbook_site.publish import html_links, link_check
from playbook_site.publish import offline as offline_module
from playbook_site.publish.offline import ZIP_NAME, offline_url, offline_zip, rewrite_html
from sites import REPO

LOCALES = ("en", "ar")
# A word each language's pages use.
QUERIES = {"en": "partner", "ar": "الشراكات"}
SITE_NAMES = {"en": "Partnership Playbooks", "ar": "أدلة الشراكات"}  # mkdocs.yml, i18n languages
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Unzipped:
    locale: str
    zip_path: Path
    root: Path  # the zip's one top folder, unzipped


@pytest.fixture(scope="module")
def offline(offline_copies, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Unzipped]:
    """`offline_zip` for English and Arabic, from the run's shared offline copies (tests/conftest.py), unzipped."""
    base = tmp_path_factory.mktemp("offline")
    result = {}
    with pytest.MonkeyPatch.context() as patch:
        # The one-language builds are shared with the ZIM tests; offline_zip zips what prepared_copy returns.
        patch.setattr(offline_module, "prepared_copy", lambda locale, work, root, progress: (offline_copies[locale].tree, offline_copies[locale].counts))
        for locale in LOCALES:
            progress = list(offline_copies[locale].progress)
            zip_path = offline_zip(locale, base / "zips", work=base / "work", root=REPO, progress=progress.append)
            assert any("building" in line for line in progress) and any("zipping" in line for line in progress), progress
            with zipfile.ZipFile(zip_path) as archive:
                tops = {name.split("/", 1)[0] for name in archive.namelist()}
                assert tops == {ZIP_NAME.format(locale=locale)}, tops
                archive.extractall(base / "unzipped" / locale)
            result[locale] = Unzipped(locale, zip_path, base / "unzipped" / locale / tops.pop())
    return result


# -- links, read from the unzipped files -------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_link_and_asset_names_a_file_in_the_zip(offline: dict[str, Unzipped], locale: str) -> None:
    root = offline[locale].root
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 50, "too few pages: the build did not produce the site"
    assert sum(len(html_links.read(page).links) for page in pages) > 1000
    problems = link_check.internal_link_problems(root, offline=True)
    assert not problems, "\n".join(map(str, problems[:40]))
    # The redirect pages (short links) were rewritten too, in all three places.
    short_link = (root / "go" / "glam" / "index.html").read_text(encoding="utf-8")
    assert 'url=../../playbooks/onboarding-a-glam-partner/index.html"' in short_link, short_link
    assert '<link rel="canonical" href="../../playbooks/onboarding-a-glam-partner/index.html">' in short_link, short_link  # location.replace reads it
    assert not (root / "404.html").exists() and not (root / "sitemap.xml").exists()
    # Material fetches a sitemap.xml beside each alternate link, which file:// refuses.
    assert not [page for page in pages if '<link rel="alternate"' in page.read_text(encoding="utf-8")]


def test_link_check_notices_a_folder_link(tmp_path: Path) -> None:
    """The check above can fail: a folder link, as the online site writes it, is reported, and so are absolute paths."""
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "index.html").write_text('<h2 id="glam">GLAM</h2>', encoding="utf-8")
    links = ["glossary/", "glossary/#glam", ".", "glossary/index.html#glam", "glossary/index.html#none", "/glossary/index.html", "../x.html", "#top"]
    (tmp_path / "index.html").write_text("".join(f'<a href="{url}">x</a>' for url in links) + '<meta http-equiv="refresh" content="0; url=glossary/">', encoding="utf-8")
    found = [(problem.url, problem.reason.split(",")[0]) for problem in link_check.internal_link_problems(tmp_path, offline=True)]
    assert found == [
        ("glossary/", "a folder"),
        ("glossary/#glam", "a folder"),
        (".", "a folder"),
        ("glossary/index.html#none", "no element with id 'none' on that page"),
        ("/glossary/index.html", "an absolute path"),
        ("../x.html", "outside the copy"),
        ("#top", "no element with id 'top' on that page"),
        ("glossary/", "a folder"),
    ]


def test_offline_url_names_index_html(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    cases = {
        "x/": "x/index.html",
        "x/#step-3": "x/index.html#step-3",
        "x/?h=partner#a": "x/index.html?h=partner#a",
        "./": "./index.html",
        "..": "../index.html",
        "../..": "../../index.html",
        ".": "./index.html",
        "x": "x/index.html",  # a folder on disk, written without its slash
        "x/page.html": "x/page.html",
        "feed.xml": "feed.xml",
        "#glam": "#glam",
        "?region=africa": "?region=africa",
        "https://example.org/a/": "https://example.org/a/",
        "mailto:someone@example.org": "mailto:someone@example.org",
        "/abs/": "/abs/",
        "../../glossary/#gl%C3%A1m": "../../glossary/index.html#gl%C3%A1m",
    }
    assert {url: offline_url(url, tmp_path) for url in cases} == cases


# -- search index: one language, and usable from file:// ------------------------------


def _index(root: Path) -> dict:
    index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
    script = (root / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    assert json.loads(script.removeprefix("var __index = ")) == index, "search_index.js differs from search_index.json"
    return index


@pytest.mark.parametrize("locale", LOCALES)
def test_search_index_is_this_language_only(offline: dict[str, Unzipped], locale: str) -> None:
    root = offline[locale].root
    index = _index(root)
    assert index["config"]["lang"] == [locale]
    assert len(index["docs"]) > 40
    languages: dict[Path, str | None] = {}
    for doc in index["docs"]:
        target = root / doc["location"].split("#")[0]
        assert target.is_file(), f"search entry {doc['location']!r} leads to no file"
        if target not in languages:
            languages[target] = html_links.read(target).lang
        assert languages[target] == locale, f"search entry {doc['location']!r} is a {languages[target]} page"
    home = next(doc for doc in index["docs"] if doc["location"] == "index.html")
    assert home["title"] == SITE_NAMES[locale]
    text = json.dumps(index, ensure_ascii=False)
    assert QUERIES[locale] in text.lower()
    arabic_words = len(re.findall("[\u0600-\u06ff]+", text))
    # Arabic pages fall back to English where untranslated, so only the English index can be one-script.
    assert arabic_words > 1000 if locale == "ar" else arabic_words == 0, arabic_words
    # Only this language's tree is in the zip: no /es/, /fr/, /ar/ folders, every page in this language.
    assert not [path.name for path in root.iterdir() if path.is_dir() and path.name in ("en", "es", "fr", "ar")]
    material_pages = [page for page in root.rglob("*.html") if 'id="__config"' in page.read_text(encoding="utf-8")]
    assert {html_links.read(page).lang for page in material_pages} == {locale}
    # No language menu: its links could not work inside a one-language zip.
    assert not any('class="md-select__link"' in page.read_text(encoding="utf-8") for page in material_pages)


# -- in the browser, from file:// -------------------------------------------------
# `page` (tests/conftest.py): `page.problems` holds console and page errors, `page.requests` every
# URL of the browser context (also the search worker's iframe).


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
def test_offline_zip_works_from_file_urls(offline: dict[str, Unzipped], page, locale: str) -> None:
    root = offline[locale].root
    page.goto((root / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == locale

    # Follow links to a playbook: the home page's link to the playbooks, then the first playbook.
    page.locator("article a[href='playbooks/index.html']").first.click()
    page.wait_for_load_state()
    assert page.url == (root / "playbooks" / "index.html").as_uri()
    page.locator("article a[href$='/index.html']:not([href^='.'])").first.click()
    page.wait_for_load_state()
    assert re.fullmatch(re.escape((root / "playbooks").as_uri()) + r"/[a-z0-9-]+/index\.html", page.url), page.url
    assert page.locator("#step-1").count() == 1, "the playbook did not open"

    # Search in this language, from file://, and open a result.
    page.locator("input.md-search__input").click()
    page.keyboard.type(QUERIES[locale], delay=30)
    # Material searches on keyup; Playwright types Arabic letters as text input, without keyup.
    page.keyboard.press("End")
    results = page.locator("a.md-search-result__link")
    results.first.wait_for(timeout=30000)
    hrefs = results.evaluate_all("links => links.map(link => link.href)")
    assert hrefs and all(href.startswith(root.as_uri() + "/") and urlsplit(href).path.endswith(".html") for href in hrefs), hrefs
    results.first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/index.html") and page.url.startswith(root.as_uri())
    assert page.evaluate("document.documentElement.lang") == locale
    assert page.locator("article h1").count() == 1

    assert page.requests and all(url.startswith("file://") for url in page.requests), [u for u in page.requests if not u.startswith("file://")]
    index_scripts = [url for url in page.requests if url.endswith("search_index.js")]
    assert set(index_scripts) == {(root / "search" / "search_index.js").as_uri()}, index_scripts  # this zip's index, never .json
    assert not [url for url in page.requests if url.endswith("search_index.json")]
    assert not page.problems, page.problems


@pytest.mark.parametrize("locale", LOCALES)
def test_offline_copy_holds_the_pages_translated_into_its_language(offline: dict[str, Unzipped], locale: str) -> None:
    """A playbook and an authored page of the copy are its language's files, not the English ones."""
    suffix = "" if locale == "en" else f".{locale}"
    for source, page in ((REPO / "playbooks" / f"onboarding-a-glam-partner{suffix}.md", "playbooks/onboarding-a-glam-partner/index.html"), (REPO / "docs" / f"about{suffix}.md", "about/index.html")):
        title = next(line[2:].split("{")[0].strip() for line in source.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        heading = re.search(r"<h1[^>]*>([^<]*)", (offline[locale].root / page).read_text(encoding="utf-8"))
        assert heading and heading.group(1).strip() == title, (page, heading and heading.group(1))


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_offline_explorer_holds_every_card(offline: dict[str, Unzipped], locale: str) -> None:
    """A file:// page cannot fetch cards.json, so the offline explorer page holds every case study's card."""
    from playbook_site.content.catalogue import load_catalogue

    html = (offline[locale].root / "case-studies" / "index.html").read_text(encoding="utf-8")
    cards = set(re.findall(r'<li class="pp-card" id="([^"]+)"', html))
    assert cards == set(load_catalogue().case_studies)
    assert "data-pp-more" not in html, "no 'Show all' button when every card is there"


def test_rewrite_html_changes_only_the_folder_links(tmp_path: Path) -> None:
    """Tags are read with a parser: a '>' or a link inside an attribute value is text, and the rest stays byte for byte."""
    (tmp_path / "x").mkdir()
    html = (
        '<head>\n  <link rel="alternate feed" href="feed.xml">\n  <meta http-equiv="refresh" content="0; url=x/#a">\n</head>\n'
        '<p title="a > b href=&quot;x/&quot;">keep <a href=\'x/?a=1&amp;b=2\' data-x="y/">x</a> <a href="x/page.html">p</a></p>'
    )
    assert rewrite_html(html, tmp_path) == (
        '<head>\n  \n  <meta http-equiv="refresh" content="0; url=x/index.html#a">\n</head>\n'
        '<p title="a > b href=&quot;x/&quot;">keep <a href="x/index.html?a=1&amp;b=2" data-x="y/">x</a> <a href="x/page.html">p</a></p>'
    )
