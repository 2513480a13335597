"""The engine exit: `properdocs build` (MkDocs' maintained continuation) makes the same site as `mkdocs build`.

One ProperDocs build of the repository, compared with the MkDocs build that the
other tests share (the `real_site` fixture): the same files, the same pages
apart from the generator tag, the same `lang` and `dir` in every language tree,
and the same Pagefind index per language, which a search in Chromium uses.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from sites import BuildResult, build
from test_browser import search

TREES = {"en": "", "es": "es/", "fr": "fr/", "ar": "ar/"}
DIRECTION = {"en": "ltr", "es": "ltr", "fr": "ltr", "ar": "rtl"}
GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)">')
HTML_TAG = re.compile(r"<html\b[^>]*>")


@pytest.fixture(scope="module")
def properdocs_site(build_root: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's site built by `properdocs build`, with the environment the Makefile sets."""
    if importlib.util.find_spec("properdocs") is None:
        pytest.fail("properdocs is not installed: it is pinned in requirements-test.txt (make .venv/.installed)")
    target = tmp_path_factory.mktemp("properdocs") / "site"
    # -f: ProperDocs reads mkdocs.yml only as a fallback for properdocs.yml, and says that fallback will go.
    result = build(build_root, "-f", "mkdocs.yml", "--site-dir", str(target), engine="properdocs", env={"PYTHONPATH": "scripts"})  # build() sets NO_MKDOCS_2_WARNING=1
    assert result.returncode == 0, result.output[-5000:]
    return BuildResult(result.returncode, result.output, target)


def files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def pages(site: Path, locale: str) -> list[str]:
    """The HTML pages of one language tree (the English tree is the root without the others)."""
    others = tuple(prefix for prefix in TREES.values() if prefix and prefix != TREES[locale])
    return sorted(path for path in files(site) if path.startswith(TREES[locale]) and path.endswith(".html") and not path.startswith(others))


def html_lang_and_dir(html: str) -> tuple[str | None, str | None]:
    tag = HTML_TAG.search(html)
    assert tag, "no <html> tag"
    lang, direction = re.search(r'\blang="([^"]*)"', tag.group(0)), re.search(r'\bdir="([^"]*)"', tag.group(0))
    return (lang.group(1) if lang else None, direction.group(1) if direction else None)


def test_properdocs_built_the_site_with_the_same_plugins(properdocs_site: BuildResult, real_site: BuildResult) -> None:
    """It really is ProperDocs, with Material, mkdocs-static-i18n and mkdocs-macros loaded through it."""
    home = (properdocs_site.site / "index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in GENERATOR.search(home).group(1) and "mkdocs-material" in GENERATOR.search(home).group(1)
    assert "ProperDocs" not in GENERATOR.search((real_site.site / "index.html").read_text(encoding="utf-8")).group(1)
    assert "mkdocs_static_i18n: Building 'ar' documentation" in properdocs_site.output
    assert "[macros] - Config macros:" in properdocs_site.output


def test_properdocs_writes_the_same_files(properdocs_site: BuildResult, real_site: BuildResult) -> None:
    ours, theirs = files(properdocs_site.site), files(real_site.site)
    assert ours == theirs, {"only under properdocs": sorted(ours - theirs)[:20], "only under mkdocs": sorted(theirs - ours)[:20]}


def test_every_page_is_the_same_apart_from_the_generator_tag(properdocs_site: BuildResult, real_site: BuildResult) -> None:
    differ = []
    for page in sorted(path for path in files(real_site.site) if path.endswith(".html")):
        ours = GENERATOR.sub("", (properdocs_site.site / page).read_text(encoding="utf-8"))
        theirs = GENERATOR.sub("", (real_site.site / page).read_text(encoding="utf-8"))
        if ours != theirs:
            differ.append(page)
    assert not differ, differ[:20]


@pytest.mark.parametrize("locale", TREES)
def test_each_language_tree_has_the_same_pages_with_its_lang_and_dir(properdocs_site: BuildResult, real_site: BuildResult, locale: str) -> None:
    ours, theirs = pages(properdocs_site.site, locale), pages(real_site.site, locale)
    assert ours == theirs
    assert len(ours) >= 60, len(ours)  # every page of the tree, not a stray few
    for page in ours:
        found = html_lang_and_dir((properdocs_site.site / page).read_text(encoding="utf-8"))
        assert found == (locale, DIRECTION[locale]), (page, found)
        assert found == html_lang_and_dir((real_site.site / page).read_text(encoding="utf-8")), page


def test_the_search_index_has_the_same_pages_per_language(properdocs_site: BuildResult, real_site: BuildResult) -> None:
    """Each language tree's own Pagefind bundle is the same index as the driver's."""
    for locale, prefix in TREES.items():
        ours = json.loads((properdocs_site.site / prefix / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        theirs = json.loads((real_site.site / prefix / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        assert set(ours) == {locale}, prefix
        index = ours[locale]
        assert index["page_count"] > 0, locale
        assert (index["page_count"], index["hash"]) == (theirs[locale]["page_count"], theirs[locale]["hash"]), locale  # the same index
        assert (properdocs_site.site / prefix / "pagefind" / f"pagefind.{index['hash']}.pf_meta").is_file(), locale
        assert (properdocs_site.site / prefix / "pagefind" / f"wasm.{locale}.pagefind").is_file(), locale


@pytest.mark.browser
def test_an_arabic_search_on_the_properdocs_site_finds_arabic_pages(properdocs_site: BuildResult, static_server, page) -> None:
    url = static_server(properdocs_site.site)
    page.goto(f"{url}/ar/")
    results = search(page, "الشراكات")
    assert results and all(path.startswith("/ar/") for path in results), results
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert not page.problems, page.problems
