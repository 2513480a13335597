"""The steps that run once over the whole site, after every language tree is in place.

A plain `mkdocs build` runs them at the end of its last language (scripts/hooks.py);
the build driver (publish/build_driver.py) runs them once over the assembled site.
Per tree: the 404 page, the sitemap, redirect pages, the feed, the explorer's data files;
then the open data files, the downloads, the site's own assets minified and Material's
palette trimmed (lean_assets), and last the search index over the finished pages:
one Pagefind bundle per language tree, for the trees the driver did not index in their own job.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from .. import layout
from ..content.models import Catalogue
from ..render.views import PageContext, explorer_files
from . import downloads, feeds, lean_assets, open_data, redirect_pages, search_index
from . import language_trees
from .engine import content_roots, language_setting


def search_engine(config: Any) -> str:
    """'pagefind' or 'lunr' (extra.search_engine); raises SearchIndexError for anything else."""
    return search_index.check_engine(str(config.extra.get("search_engine") or "pagefind"))


def finish(site_dir: Path, config: Any, catalogue: Catalogue, pages_404: dict[str, bytes], indexed: Iterable[str] = ()) -> None:
    """Everything after the pages: `pages_404` holds each language's rendered 404 page; `indexed`, the languages whose tree already has its Pagefind bundle."""
    i18n = config.plugins["i18n"]
    locales, default = tuple(i18n.build_languages), i18n.default_language
    engine = search_engine(config)
    if engine == "lunr":
        language_trees.split_search_index(site_dir, locales, default)
    language_trees.copy_sitemaps(site_dir, locales, default)
    language_trees.write_404_pages(site_dir, pages_404, default, config.site_url or "/")
    site_url = config.site_url or "/"
    for locale in locales:
        tree = layout.tree(locale, default)
        redirect_pages.write(site_dir, tree, redirect_pages.pages(catalogue, locale))
        feeds.write(site_dir, tree, catalogue, locale, site_url, language_setting(config, locale, "site_name"), language_setting(config, locale, "copyright"))
        language_trees.write_explorer_files(site_dir, tree, explorer_files(PageContext(catalogue, locale, layout.page_url("case_study", None, locale, default), root_locale=default, site_url=site_url)))
    open_data.write(site_dir, catalogue, layout.site_base(site_url), content_roots(config).schemas)
    downloads.copy_into_site(config, site_dir)
    lean_assets.minify_own_assets(site_dir)
    lean_assets.trim_palette(site_dir, config.theme.get("palette"))
    if engine == "pagefind":  # last: it indexes the finished pages
        done = set(indexed)
        search_index.build_pagefind_trees(site_dir, [locale for locale in locales if locale not in done], default, jobs=os.cpu_count() or 1, others=locales)
