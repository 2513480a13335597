"""What the hooks and macros both need to know about the page being built."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from pathlib import Path

from material.plugins.search.plugin import SearchIndex

from ..content.snapshot import current
from ..content.catalogue import ContentRoots
from ..render.views import PageContext


def content_roots(config: Any) -> ContentRoots:
    """data/ and playbooks/ beside the mkdocs.yml being built (the repo's, or a test fixture's)."""
    return ContentRoots.beside(Path(config.config_file_path).resolve(), Path(config.docs_dir))


def page_context(config: Any, page: Any) -> PageContext:
    """The catalogue, the language of the tree being built and the page's URL.

    static-i18n sets `theme.language` for each language build and knows which
    language sits at the site root (the default, or the only one built).
    """
    return PageContext(current(), config.theme["language"], page.url, root_locale=config.plugins["i18n"].default_language, site_url=config.site_url or "/")


class _NoEntries(SearchIndex):
    """Material's search index that takes no entries: the search box stays, the indexing goes."""

    def add_entry_from_context(self, page: Any) -> None:
        return None


def stop_unused_search_index(config: Any) -> None:
    """With Pagefind, stop Material's search plugin from indexing every page for nothing.

    The plugin stays (it draws the header's search box, which opens Pagefind),
    but its lunr index is deleted after the build (search_index.build_pagefind).
    Indexing parsed each page's HTML once more, about a tenth of a build, and
    mkdocs-static-i18n kept every language's entries in memory until the end.
    """
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if type(index) is SearchIndex:
        plugin.search_index = _NoEntries(**index.config)


def translate_palette_toggles(config: Any, catalogue: Any) -> None:
    """The colour-scheme buttons' labels in the language being built.

    mkdocs.yml names each palette toggle by a key of data/ui.yml; Material
    shows the name as the button's label and tooltip. The key is kept beside
    the text, so that every language build translates it again.
    """
    locale = config.theme["language"]
    for scheme in config.theme.get("palette") or []:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if not toggle:
            continue
        key = toggle.setdefault("pp_label", toggle.get("name"))
        if key not in catalogue.ui:
            raise ValueError(f"mkdocs.yml: theme.palette toggle name {key!r} is not a key of data/ui.yml; add it there in every language")
        toggle["name"] = catalogue.text(key, locale)


# -- data pages: finished HTML around Markdown --------------------------------------------------

_FINISHED = "pp_finished_html"
_ANCHOR_ID = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]*)\"")


def hold_finished_html(page: Any, markdown: str) -> str:
    """A data page's body (render/generated_pages.py) is HTML that Python-Markdown gives back unchanged: keep it aside, give Markdown nothing.

    Markdown would parse the whole page twice (MkDocs looking for anchors,
    then md_in_html) only to return it as it was.
    tests/test_stack_traps.py checks that Markdown returns every data page unchanged.
    """
    setattr(page, _FINISHED, markdown)
    return ""


def restore_finished_html(page: Any, html: str) -> str:
    """The page's HTML: the finished body kept aside, with the anchors MkDocs would have found in it."""
    finished = getattr(page, _FINISHED, None)
    if finished is None:
        return html
    page.markdown = finished  # what Markdown was given, for any later hook
    page.present_anchor_ids = {unescape(anchor) for anchor in _ANCHOR_ID.findall(finished)}
    return finished.strip()
