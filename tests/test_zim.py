"""`make zim`: the English and Arabic ZIM files, read back with libzim (and served by kiwix-serve if installed).

The two files are written once for the module, into a temporary folder, from the
run's one-language builds of the real site (the `offline_copies` fixture, shared with
the zip tests).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import socket
import struct
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playbook_site.publish import zim
from playbook_site.languages import site_languages
from libzim.reader import Archive
from libzim.search import Query, Searcher
from sites import REPO

LOCALES = ("en", "ar")
# A word each language's pages use, and the ISO 639-3 code of the language.
QUERIES = {"en": "partnership", "ar": "الشراكات"}
ISO639_3 = {"en": "eng", "ar": "ara"}
REQUIRED_METADATA = ("Name", "Title", "Description", "LongDescription", "Language", "Creator", "Publisher", "Date", "License", "Tags", "Scraper")
LINK = re.compile(r'\s(?:href|src)="([^"]*)"|<meta http-equiv="refresh" content="\d+; ?url=([^"]*)"|location\.replace\("([^"\\]*)"\)')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@dataclass(frozen=True)
class Zim:
    locale: str
    path: Path
    tree: Path  # the offline copy it was written from


@pytest.fixture(scope="module")
def zims(offline_copies, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Zim]:
    base = tmp_path_factory.mktemp("zim")
    languages = {language.locale: language for language in site_languages(REPO / "mkdocs.yml")}
    descriptions = {"en": "English test description", "ar": "وصف للاختبار"}
    result = {}
    for locale in LOCALES:
        tree = offline_copies[locale].tree  # offline.prepared_copy, shared with the zip tests
        path = zim.zim_file(tree, languages[locale], descriptions[locale], base / "out", date="2026-11-29", progress=lambda message: None)
        result[locale] = Zim(locale, path, tree)
    return result


def entries(archive: Archive) -> Iterator:
    for number in range(archive.entry_count):
        yield archive._get_entry_by_id(number)  # libzim's Python API has no public iterator


def links(text: str, css: bool) -> list[str]:
    found = [unescape(next(group for group in match.groups() if group is not None)) for match in LINK.finditer(text)]
    if css:
        found += CSS_URL.findall(text)
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_and_asset_of_the_tree_is_an_entry(zims: dict[str, Zim], locale: str) -> None:
    archive = Archive(zims[locale].path)
    tree = zims[locale].tree
    files = sorted(path.relative_to(tree).as_posix() for path in tree.rglob("*") if path.is_file())
    pages = [name for name in files if name.endswith(".html")]
    assert len(pages) > 50 and "index.html" in pages and any(name.startswith("playbooks/") for name in pages)
    missing = [name for name in files if not archive.has_entry_by_path(name)]
    assert not missing, missing[:20]
    assert archive.entry_count == len(files)
    assert archive.main_entry.get_item().path == "index.html"
    home = bytes(archive.get_entry_by_path("index.html").get_item().content).decode("utf-8")
    assert f'lang="{locale}"' in home
    assert archive.check(), "libzim's integrity check failed"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_internal_link_of_every_entry_is_an_entry(zims: dict[str, Zim], locale: str) -> None:
    archive = Archive(zims[locale].path)
    broken, checked = [], 0
    for entry in entries(archive):
        item = entry.get_item()
        if item.mimetype not in ("text/html", "text/css"):
            continue
        text = bytes(item.content).decode("utf-8")
        for link in links(text, css=item.mimetype == "text/css"):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, data:, or a place in the same entry
            checked += 1
            target = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), unquote(parts.path)))
            if link.startswith("/") or target.startswith("..") or not archive.has_entry_by_path(target):
                broken.append(f"{entry.path}: {link}")
    assert checked > 1000
    assert not broken, broken[:20]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_metadata_is_complete(zims: dict[str, Zim], locale: str) -> None:
    archive = Archive(zims[locale].path)
    language = next(language for language in site_languages(REPO / "mkdocs.yml") if language.locale == locale)
    values = {key: bytes(archive.get_metadata(key)).decode("utf-8") for key in REQUIRED_METADATA}
    assert all(values.values()), values
    assert values["Language"] == ISO639_3[locale]
    assert values["Title"] == language.site_name
    assert values["Name"] == f"partnership-playbooks_{locale}_all"
    assert values["Date"] == "2026-11-29"
    assert values["License"] == "CC BY-SA 4.0"
    assert len(values["Description"]) <= 80
    assert archive.has_illustration(48)
    png = bytes(archive.get_illustration_item(48).content)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (48, 48)
    assert archive.has_fulltext_index and archive.has_title_index


def test_the_illustration_is_the_favicon_drawn_at_48_pixels() -> None:
    from PIL import Image
    import io

    image = Image.open(io.BytesIO(zim.illustration_png(48))).convert("RGBA")
    assert image.size == (48, 48)
    assert image.getpixel((4, 24))[:3] == (0, 0x89, 0x7B)  # teal background
    assert image.getpixel((16, 22))[:3] == (255, 255, 255)  # the book's left page
    assert image.getpixel((0, 0))[3] < 128  # rounded corner


@pytest.mark.parametrize("locale", LOCALES)
def test_libzim_search_finds_a_page_in_the_language(zims: dict[str, Zim], locale: str) -> None:
    archive = Archive(zims[locale].path)
    search = Searcher(archive).search(Query().set_query(QUERIES[locale]))
    assert search.getEstimatedMatches() > 0
    found = list(search.getResults(0, 10))
    assert found
    for path in found:
        html = bytes(archive.get_entry_by_path(path).get_item().content).decode("utf-8")
        assert f'<html lang="{locale}"' in html, path
        assert QUERIES[locale] in html or locale == "en", path  # English is stemmed: 'partnerships' matches too


def test_the_iso_codes_come_from_pycountry() -> None:
    assert [zim.iso639_3(locale) for locale in ("en", "es", "fr", "ar", "pt-BR")] == ["eng", "spa", "fra", "ara", "por"]
    with pytest.raises(ValueError):
        zim.iso639_3("qq")


# -- kiwix-serve, if Debian's kiwix-tools is installed -------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def kiwix_url(zims: dict[str, Zim]) -> Iterator[str]:
    binary = shutil.which("kiwix-serve")
    if binary is None:
        pytest.skip("kiwix-serve is not installed (apt-get install kiwix-tools)")
    port = _free_port()
    process = subprocess.Popen([binary, f"--port={port}", "--address=127.0.0.1", *(str(item.path) for item in zims.values())], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
def test_kiwix_serve_opens_a_playbook_and_follows_a_link(kiwix_url: str, page, zims: dict[str, Zim], locale: str) -> None:
    book = zims[locale].path.stem  # kiwix-serve names a book after its file
    response = page.goto(f"{kiwix_url}/{book}/", wait_until="load")
    assert response is not None and response.ok
    assert page.url.endswith(f"/{book}/index.html")
    assert page.locator("html").get_attribute("lang") == locale
    page.goto(f"{kiwix_url}/{book}/playbooks/index.html", wait_until="load")
    page.locator("article a[href$='onboarding-a-glam-partner/index.html']").first.click()
    page.wait_for_url(f"**/{book}/playbooks/onboarding-a-glam-partner/index.html")
    title = page.locator("article h1").first.inner_text()
    assert title
    # From the playbook, a link to one of its learning patterns opens that page in the ZIM.
    pattern_link = page.locator("article a[href*='patterns/']").first
    pattern_link.click()
    page.wait_for_load_state("load")
    assert f"/{book}/patterns/" in page.url and page.url.endswith("/index.html")
    assert page.locator("article h1").first.inner_text()
    assert (page.locator("body").get_attribute("dir") == "rtl") == (locale == "ar")
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == ("rtl" if locale == "ar" else "ltr")
