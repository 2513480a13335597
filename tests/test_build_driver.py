"""The build driver (one engine process per language) against one single-process `mkdocs build`.

`real_site` is built by the driver (tests/sites.py); this module builds the
same content once more the old way, every language in one MkDocs run, and
compares what a reader gets: the pages, the links on each page, the search
index per language. It also checks that the deploy workflow's matrix builds
exactly the site's languages.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from playbook_site import languages, layout
from playbook_site.content.translations import is_generated_page
from playbook_site.publish import html_links
from playbook_site.publish import build_driver, language_trees
from sites import REPO, BuildResult, assemble, engine_build

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


@pytest.fixture(scope="module")
def single_process_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's content built by a plain `mkdocs build` in a copy (so the checkout's docs/ is not written)."""
    root = tmp_path_factory.mktemp("single-process")
    for name in ("data", "playbooks"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "docs", root / "docs", ignore=lambda folder, names: {n for n in names if n.endswith(".md") and is_generated_page((Path(folder).relative_to(REPO / "docs") / n).as_posix())})
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("scripts", "overrides"):
        (root / name).symlink_to(REPO / name)
    result = engine_build(root, "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.output[-5000:]
    return result


def is_search_bundle(name: str) -> bool:
    """A file of a tree's Pagefind bundle (pagefind/, es/pagefind/, ...)."""
    return "/pagefind/" in f"/{name}"


def files(site: Path) -> set[str]:
    """Every file of a built site but Pagefind's (compared through its counts below)."""
    return {name for path in site.rglob("*") if path.is_file() and not is_search_bundle(name := path.relative_to(site).as_posix())}


def test_the_driver_makes_the_same_files(real_site: BuildResult, single_process_site: BuildResult) -> None:
    driver, single = files(real_site.site), files(single_process_site.site)
    assert driver == single, (sorted(driver - single)[:20], sorted(single - driver)[:20])
    assert sum(1 for name in driver if name.endswith(".html")) > 200


def test_every_page_has_the_same_language_and_links(real_site: BuildResult, single_process_site: BuildResult) -> None:
    differing = []
    for path in sorted(single_process_site.site.rglob("*.html")):
        name = path.relative_to(single_process_site.site).as_posix()
        if is_search_bundle(name):
            continue
        old, new = path.read_text(encoding="utf-8"), (real_site.site / name).read_text(encoding="utf-8")
        if re.search(r"<html[^>]*>", old).group(0) != re.search(r"<html[^>]*>", new).group(0):
            differing.append(f"{name}: <html> differs")
        if sorted(map(repr, html_links.read(path).links)) != sorted(map(repr, html_links.read(real_site.site / name).links)):
            differing.append(f"{name}: links differ")
    assert not differing, differing[:20]


def test_the_language_switcher_keeps_the_page(real_site: BuildResult) -> None:
    """Each language's engine run still knows every language: the menu leads to the same page in each tree."""
    html = (real_site.site / "es" / "playbooks" / "index.html").read_text(encoding="utf-8")
    menu = dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)" class="md-select__link">', html))
    assert menu == {"en": "../../playbooks/", "es": "./", "fr": "../../fr/playbooks/", "ar": "../../ar/playbooks/"}


def bundles(site: Path, locales: tuple[str, ...], default: str) -> dict[str, dict[str, tuple[int, str]]]:
    """Each language tree's Pagefind bundle: its languages, with their page count and index hash."""
    found = {}
    for locale in locales:
        entry = json.loads((site / layout.tree(locale, default) / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        found[locale] = {name: (value["page_count"], value["hash"]) for name, value in entry["languages"].items()}
    return found


def test_search_has_one_bundle_per_tree_the_same_as_a_single_build(real_site: BuildResult, single_process_site: BuildResult) -> None:
    """The driver indexes each language's tree in that language's job, before assembling; the single build indexes each tree of the assembled site. Same index."""
    locales, default = languages.locales(REPO / "mkdocs.yml"), languages.default_locale(REPO / "mkdocs.yml")
    driver = bundles(real_site.site, locales, default)
    assert driver == bundles(single_process_site.site, locales, default)
    for locale in locales:
        assert set(driver[locale]) == {locale}, f"the {locale} tree's bundle holds {locale} only"
        assert driver[locale][locale][0] > 50
    assert not (real_site.site / "search").exists()


def _without_lastmod(sitemap: str) -> str:
    return re.sub(r"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>", "<lastmod/>", sitemap)


def test_the_sitemap_lists_every_language(real_site: BuildResult, single_process_site: BuildResult) -> None:
    """The engine runs' sitemaps are merged into the one a single build writes, and copied into each tree."""
    merged = (real_site.site / "sitemap.xml").read_text(encoding="utf-8")
    # <lastmod> is the day of the build, and the two builds may fall on either side of midnight.
    assert _without_lastmod(merged) == _without_lastmod((single_process_site.site / "sitemap.xml").read_text(encoding="utf-8"))
    assert merged.count("<lastmod>") == merged.count("<loc>") > 0
    assert (real_site.site / "ar" / "sitemap.xml").read_text(encoding="utf-8") == merged


def test_each_feed_carries_its_own_language_rights(real_site: BuildResult) -> None:
    """The driver reads each language's settings from the configuration, not from the last language built."""
    english = re.search(r"<rights>(.*?)</rights>", (real_site.site / "feed.xml").read_text(encoding="utf-8")).group(1)
    arabic = re.search(r"<rights>(.*?)</rights>", (real_site.site / "ar" / "feed.xml").read_text(encoding="utf-8")).group(1)
    assert english.startswith("Text and data") and arabic.startswith("النصوص")


def test_the_driver_writes_generated_pages_into_build_not_docs(tmp_path: Path) -> None:
    """docs/ holds only what contributors wrote; the generated pages go to .build/docs with the authored ones."""
    site = assemble("mini", tmp_path / "mini")
    before = {path: path.stat().st_mtime_ns for path in (site / "docs").rglob("*")}
    layout = build_driver.Layout(site)
    catalogue = build_driver.load(layout)
    build_driver.prepare(catalogue, layout)
    assert {path: path.stat().st_mtime_ns for path in (site / "docs").rglob("*")} == before
    assert (layout.docs / "case-studies" / "payload-case.es.md").is_file()
    assert (layout.docs / "about.md").read_bytes() == (site / "docs" / "about.md").read_bytes()
    assert build_driver.engine.read_catalogue(layout.catalogue).case_studies.keys() == catalogue.case_studies.keys()


def test_sitemaps_and_lunr_indexes_of_the_runs_are_merged(tmp_path: Path) -> None:
    """What each engine run writes at its root is merged as one single build writes it (lunr: the offline copies' search)."""
    runs = {}
    for locale, prefix in (("en", ""), ("es", "es/")):
        folder = tmp_path / locale
        (folder / "search").mkdir(parents=True)
        (folder / "sitemap.xml").write_text(f'<?xml version="1.0"?>\n<urlset xmlns="x">\n    <url><loc>http://h/{prefix}</loc></url>\n</urlset>', encoding="utf-8")
        (folder / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": f"{prefix}a/", "title": locale, "text": ""}]}), encoding="utf-8")
        runs[locale] = folder
    site = tmp_path / "site"
    site.mkdir()
    build_driver.merge_sitemaps([runs["en"] / "sitemap.xml", runs["es"] / "sitemap.xml"], site)
    merged = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert merged.count("<url>") == 2 and merged.index("http://h/<") < merged.index("http://h/es/") and merged.endswith("</urlset>")
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == merged
    build_driver.merge_search_indexes([folder / "search" / "search_index.json" for folder in runs.values()], site)
    language_trees.split_search_index(site, ("en", "es"), "en")
    spanish = json.loads((site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    english = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [doc["title"] for doc in spanish["docs"]] == ["es"] and spanish["docs"][0]["location"] == "a/"
    assert [doc["title"] for doc in english["docs"]] == ["en"]


def test_the_workflow_builds_each_language_in_its_own_job() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    matrix = jobs["languages"]["strategy"]["matrix"]["locale"]
    assert matrix == list(languages.locales(REPO / "mkdocs.yml"))
    assert "languages" in jobs["deploy"]["needs"]
    deploy_steps = " ".join(str(step.get("run", "")) for step in jobs["deploy"]["steps"])
    assert "--assemble" in deploy_steps or "make assemble" in deploy_steps
