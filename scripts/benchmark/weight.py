"""(4) What a playbook page costs on first load, and how big each search index is.

First load: the HTML plus every stylesheet, script, image and icon it links
directly, plus fonts named in those stylesheets' url()s, each gzipped at
level 6 as a web server would, summed. The search worker and search index
are loaded only when someone searches, so they are reported on their own.
Search indexes: each language's search/search_index.json against the merged
index static-i18n would have written, reconstructed by concatenating the
per-language docs arrays (locations re-prefixed with their tree).
"""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playbook_site import languages

from .report import Measure, Section
from .workspace import Context, playbook_slug, progress

NAME = "weight"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]""")
_BASE = "http://site.invalid/"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, url)
        self.config: str | None = None
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and attributes.get("href"):
            self.found.append(("css", attributes["href"]))
        elif tag == "link" and "icon" in rel and attributes.get("href"):
            self.found.append(("image", attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.found.append(("js", attributes["src"]))
        elif tag == "img" and attributes.get("src"):
            self.found.append(("image", attributes["src"]))
        self._in_config = tag == "script" and attributes.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config = (self.config or "") + data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def page_resources(html: str) -> tuple[list[tuple[str, str]], dict]:
    """Directly linked resources as (kind, url), in order and without repeats; and Material's __config."""
    parser = _Resources()
    parser.feed(html)
    unique = list(dict.fromkeys(parser.found))
    config = json.loads(parser.config) if parser.config else {}
    return unique, config


def css_references(css: str) -> tuple[list[str], list[str]]:
    """(fonts and imported stylesheets, other url()s) named in a stylesheet; data: URIs are inline."""
    counted, other = [], []
    for url in [match[1] for match in _CSS_URL.findall(css)] + _CSS_IMPORT.findall(css):
        if url.startswith("data:"):
            continue
        path = urlsplit(url).path.lower()
        (counted if path.endswith(FONT_SUFFIXES + (".css",)) else other).append(url)
    return list(dict.fromkeys(counted)), list(dict.fromkeys(other))


def _local_file(site: Path, page_url: str, reference: str) -> tuple[str, Path | None]:
    absolute = urljoin(page_url, reference)
    parts = urlsplit(absolute)
    if not absolute.startswith(_BASE):
        return absolute, None
    path = parts.path[len(urlsplit(_BASE).path):]
    if path.endswith("/") or not path:
        path += "index.html"
    return absolute, site / path


def first_load(site: Path, page: str) -> dict:
    """The gzipped first-load weight of `page` (a path like 'playbooks/x/') in a built site."""
    page_url = _BASE + page
    html_bytes = (site / page / "index.html").read_bytes()
    files = [{"kind": "html", "url": page, "bytes": len(html_bytes), "gzip": gzipped_size(html_bytes)}]
    missing, external, not_counted = [], [], []
    resources, config = page_resources(html_bytes.decode("utf-8"))
    queue = [(kind, urljoin(page_url, url)) for kind, url in resources]
    seen = set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        absolute, path = _local_file(site, page_url, url)
        if path is None:
            external.append(absolute)
            continue
        if not path.is_file():
            missing.append(absolute[len(_BASE):])
            continue
        data = path.read_bytes()
        files.append({"kind": kind, "url": absolute[len(_BASE):], "bytes": len(data), "gzip": gzipped_size(data)})
        if kind == "css":
            counted, other = css_references(data.decode("utf-8", errors="replace"))
            queue += [("css" if ref.lower().split("?")[0].endswith(".css") else "font", urljoin(absolute, ref)) for ref in counted]
            not_counted += [urljoin(absolute, ref)[len(_BASE):] for ref in other]
    lazy = {}
    worker = config.get("search")
    if worker:
        _, worker_path = _local_file(site, page_url, worker)
        if worker_path and worker_path.is_file():
            data = worker_path.read_bytes()
            lazy["search_worker"] = {"url": worker, "bytes": len(data), "gzip": gzipped_size(data)}
    by_kind: dict[str, int] = {}
    for entry in files:
        by_kind[entry["kind"]] = by_kind.get(entry["kind"], 0) + entry["gzip"]
    return {
        "total_gzip": sum(entry["gzip"] for entry in files),
        "total_bytes": sum(entry["bytes"] for entry in files),
        "by_kind_gzip": by_kind,
        "files": files,
        "missing": missing,
        "external": external,
        "css_urls_not_counted": sorted(set(not_counted)),
        "lazy": lazy,
    }


def _tree(locale: str, default: str) -> str:
    return "" if locale == default else f"{locale}/"


def search_indexes(site: Path, locales: tuple[str, ...], default: str) -> dict:
    """Size of each language's index, and of the merged one rebuilt from them."""
    result: dict[str, dict] = {}
    merged_docs = []
    merged_config = None
    for locale in locales:
        prefix = _tree(locale, default)
        raw = (site / prefix / "search" / "search_index.json").read_bytes()
        index = json.loads(raw)
        result[locale] = {"bytes": len(raw), "gzip": gzipped_size(raw), "docs": len(index["docs"])}
        merged_docs += [dict(doc, location=prefix + doc["location"]) for doc in index["docs"]]
        if locale == default:
            merged_config = index.get("config", {})
    merged = json.dumps({"config": merged_config, "docs": merged_docs}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    result["merged"] = {"bytes": len(merged), "gzip": gzipped_size(merged), "docs": len(merged_docs)}
    for locale in locales:
        result[locale]["share_of_merged_gzip"] = round(result[locale]["gzip"] / result["merged"]["gzip"], 3)
    return result


def run(ctx: Context) -> Section:
    section = Section(NAME)
    site = ctx.real_site()
    progress("weight: measuring first load and search indexes")
    site_languages = languages.site_languages(ctx.source() / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    slug = playbook_slug(ctx.source())
    pages = {}
    for locale in dict.fromkeys((default, "ar" if "ar" in locales else locales[-1])):
        page = f"{_tree(locale, default)}playbooks/{slug}/"
        load = first_load(site, page)
        pages[locale] = load
        note = f"HTML {load['by_kind_gzip'].get('html', 0) / 1024:.1f} KB"
        if load["missing"] or load["external"]:
            note += f"; {len(load['missing'])} missing, {len(load['external'])} external"
        section.measures.append(Measure(f"weight: first load, /{page} (gzip)", load["total_gzip"] / 1024, "KB", "page_weight", note=note))
        worker = load["lazy"].get("search_worker")
        if worker:
            section.measures.append(Measure(f"weight: search worker, loaded on search ({locale}, gzip)", worker["gzip"] / 1024, "KB"))
    indexes = search_indexes(site, locales, default)
    for key, sizes in indexes.items():
        share = f", {sizes['share_of_merged_gzip'] * 100:.0f}% of merged" if "share_of_merged_gzip" in sizes else ""
        section.measures.append(Measure(f"search index: {key} (gzip)", sizes["gzip"] / 1024, "KB", note=f"{sizes['bytes'] / 1024:.0f} KB plain, {sizes['docs']} entries{share}"))
    section.details = {"playbook": slug, "pages": pages, "search_indexes": indexes, "merged_index": "reconstructed: per-language docs arrays concatenated, locations re-prefixed, compact JSON", "kilobyte": 1024}
    return section
