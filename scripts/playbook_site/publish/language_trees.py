"""Fix-ups to the built site that mkdocs-static-i18n leaves undone.

- Search: static-i18n merges every language into one site/search/search_index.json
  that every page downloads. `split_search_index` writes one index per language
  tree (site/<locale>/search/search_index.json, root for the default language),
  each with its own lunr stemmer; overrides/main.html points Material's search
  at the reader's tree.
- 404: every language build writes site/404.html and the last one wins; the
  hooks keep each language's page as it is rendered and write it back to
  site/<locale>/404.html (the default language's at the root).
- Sitemaps and alternate links: see `copy_sitemaps` and `drop_alternate_links`.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ..layout import NOT_FOUND, explorer_file, site_base_path, tree
from .html_links import StartTag, replace_spans, start_tags

# Languages that Material's bundled lunr has a stemmer for (besides English).
_LUNR_SUFFIX = "assets/javascripts/lunr/min/lunr.{}.min.js"
# lunr's own language, always there without a stemmer file (whatever the site's default language).
_LUNR_BUILT_IN = "en"


def split_search_index(site_dir: Path, locales: tuple[str, ...], default_locale: str) -> dict[str, int]:
    """Split the merged index by location; returns the number of entries per language."""
    merged_path = site_dir / "search" / "search_index.json"
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    others = tuple(tree(locale, default_locale) for locale in locales if locale != default_locale)
    counts: dict[str, int] = {}
    for locale in locales:
        prefix = tree(locale, default_locale)
        if prefix:
            docs = [dict(doc, location=doc["location"][len(prefix):]) for doc in merged["docs"] if doc["location"].startswith(prefix)]
        else:
            docs = [doc for doc in merged["docs"] if not doc["location"].startswith(others)]
        config = dict(merged.get("config", {}))
        stemmer_available = locale == _LUNR_BUILT_IN or (site_dir / _LUNR_SUFFIX.format(locale)).exists()
        config["lang"] = [locale if stemmer_available else _LUNR_BUILT_IN]
        target = site_dir / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        counts[locale] = len(docs)
    return counts


def copy_sitemaps(site_dir: Path, locales: tuple[str, ...], default_locale: str) -> None:
    """Put the (all-language) sitemap at each tree's root too.

    Material's language switcher fetches sitemap.xml next to every alternate
    language root; static-i18n writes it at the site root only, which left a
    404 in the console of every page.
    """
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        source = site_dir / name
        if not source.exists():
            continue
        for locale in locales:
            prefix = tree(locale, default_locale)
            if prefix:
                (site_dir / prefix / name).write_bytes(source.read_bytes())


def _alternate_links(tags: list[StartTag]) -> list[StartTag]:
    return [tag for tag in tags if tag.name == "link" and tag.attrs.get("rel") == "alternate" and "hreflang" in tag.attrs]


def _with_its_line(html: str, tag: StartTag) -> tuple[int, int, str]:
    """The tag's span widened to the indentation before it and the line break after it: the whole line goes."""
    start, end = tag.start, tag.end
    while start > 0 and html[start - 1] in " \t":
        start -= 1
    if html.startswith("\n", end):
        end += 1
    return start, end, ""


def drop_alternate_links(html: str) -> str:
    """Remove the <link rel="alternate" hreflang> tags Material puts in <head>.

    static-i18n points them at the page's translations, and Material's script
    then fetches a sitemap.xml beside each of those pages (404s on every page
    view). The sitemap already lists every page's hreflang alternates, and the
    language menu keeps its own links, so nothing is lost.
    """
    return replace_spans(html, [_with_its_line(html, tag) for tag in _alternate_links(start_tags(html, "head"))])


def set_html_direction(html: str) -> str:
    """Give <html> the writing direction Material puts on <body>.

    Material sets `dir` only on <body> (from its own translations), so the
    browser's title bar, tab and feed readers lay out an Arabic title that
    begins with a Latin word left to right. The direction stays Material's:
    it is copied, not decided here.
    """
    tags = start_tags(html, "header")
    root = next((tag for tag in tags if tag.name == "html"), None)
    body = next((tag for tag in tags if tag.name == "body"), None)
    if root is None or body is None or body.attrs.get("dir") not in ("ltr", "rtl") or "dir" in root.attrs:
        return html
    text = html[root.start:root.end]
    return replace_spans(html, [(root.start, root.end, f'{text[:-1].rstrip("/ ")} dir="{body.attrs["dir"]}">')])


def fix_404_page(html: str, site_url: str, default_locale: str) -> str:
    """A 404 page's language menu leads to each tree's home.

    static-i18n renders 404.html with the language links of the last page it
    built (e.g. /fr/playbooks/working-with-media/); on a page that does not
    exist, the only sensible target is the home page of each language.
    """
    base = site_base_path(site_url)
    tags = start_tags(html, "header")
    changes = [
        (tag.start, tag.end, f'<a href="{escape(base + tree(tag.attrs["hreflang"], default_locale))}" hreflang="{escape(tag.attrs["hreflang"])}" class="md-select__link">')
        for tag in tags
        if tag.name == "a" and "md-select__link" in tag.attrs.get("class", "").split() and tag.attrs.get("hreflang")
    ]
    changes += [_with_its_line(html, tag) for tag in _alternate_links(tags)]
    return replace_spans(html, changes)


def write_404_pages(site_dir: Path, pages: dict[str, bytes], default_locale: str, site_url: str = "/") -> None:
    """Each language's 404 page, as rendered during its own build, into its tree."""
    for locale, content in pages.items():
        target = site_dir / tree(locale, default_locale) / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fix_404_page(content.decode("utf-8"), site_url, default_locale), encoding="utf-8")


def write_explorer_files(site_dir: Path, tree_prefix: str, files: dict[str, str]) -> list[Path]:
    """<tree>case-studies/cards.json and summaries/: the explorer's data, fetched by explorer.js only when the reader filters or asks for all."""
    written = []
    for name, content in files.items():
        path = site_dir / explorer_file(tree_prefix, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
