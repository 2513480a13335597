"""One Pagefind bundle per language tree (publish/search_index.py), on a small site of hand-written pages.

The default language's tree is the site root and holds the other trees'
folders; its bundle must leave them out. The real site's bundles are
checked in test_built_site.py and test_build_driver.py.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from playbook_site.publish import search_index

PAGES = {  # path in the site -> language
    "index.html": "en",
    "about/index.html": "en",
    "playbooks/media/index.html": "en",
    "es/index.html": "es",
    "es/about/index.html": "es",
    "fr/playbooks/media/index.html": "fr",
}


def write_site(site: Path) -> None:
    for path, lang in PAGES.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<!doctype html><html lang="{lang}"><head><title>{path}</title></head><body><main data-pagefind-body><h1>{lang} {path}</h1><p>partnership words</p></main></body></html>', encoding="utf-8")
    (site / "404.html").write_text('<html lang="en"><body><p>not indexed: no data-pagefind-body</p></body></html>', encoding="utf-8")


def bundle(tree: Path) -> tuple[dict[str, int], set[str]]:
    """A tree's bundle: {language: page count}, and the page addresses it holds."""
    entry = json.loads((tree / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    urls = set()
    for path in (tree / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        urls.add(json.loads(raw[raw.index(b"{"):])["url"])
    return {name: value["page_count"] for name, value in entry["languages"].items()}, urls


def test_each_tree_gets_its_own_bundle_and_the_default_leaves_the_others_out(tmp_path: Path) -> None:
    write_site(tmp_path)
    search_index.build_pagefind_trees(tmp_path, ["en", "es", "fr"], "en", jobs=2)
    assert bundle(tmp_path) == ({"en": 3}, {"/", "/about/", "/playbooks/media/"})
    assert bundle(tmp_path / "es") == ({"es": 2}, {"/", "/about/"})  # from the tree's root: search-results.js adds /es/
    assert bundle(tmp_path / "fr") == ({"fr": 1}, {"/playbooks/media/"})
    assert not (tmp_path / "es" / "pagefind" / "es").exists()


def test_indexing_some_trees_leaves_the_others_bundles_alone(tmp_path: Path) -> None:
    """The driver's trees come with their bundles; only the others are indexed at the end, still without the other folders."""
    write_site(tmp_path)
    search_index.build_pagefind_trees(tmp_path, ["en"], "en", others=["en", "es", "fr"])
    assert bundle(tmp_path) == ({"en": 3}, {"/", "/about/", "/playbooks/media/"})
    assert not search_index.has_bundle(tmp_path / "es")


def test_the_glob_lists_only_what_stays(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert search_index.tree_glob(tmp_path / "es", []) is None
    assert search_index.tree_glob(tmp_path, ["es/", "fr/", "ar/"]) == "{*.html,about/**/*.html,playbooks/**/*.html}"
    (tmp_path / "odd{name}").mkdir()
    with pytest.raises(search_index.SearchIndexError, match=r"odd\{name\}.*rename it"):
        search_index.tree_glob(tmp_path, ["es/"])
