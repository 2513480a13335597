"""The site's layout: where every kind of page and file lives, in every language.

The one module that knows the folder of each section (playbooks/,
case-studies/, ...), the folder of a language tree ('' for the default
language, 'es/', ...), the files written beside the pages (feed, explorer
cards, open data, downloads), how `site_url` becomes the base of absolute
links, the macros a playbook may call, and the names a finished data page
gives its kind and entry in its front matter. Loading, rendering and
publishing all ask here. The languages themselves come from mkdocs.yml
(languages.py and the catalogue); this module is only told which is the default.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

# Kinds of page that the site treats apart: a playbook's printable workshop sheet (no glossary
# links, no print footer, not in search) and /case-studies/all/ (every case study as a link).
SHEET = "sheet"
CASE_STUDY_LIST = "case_study_list"

# Page kind -> its folder, in docs/ and in every language tree.
SECTIONS = {
    "playbook": "playbooks",
    "pattern": "patterns",
    "case_study": "case-studies",
    "pathway": "pathways",
    SHEET: "sheets",
    "sources": "sources",
    "glossary": "glossary",
}
# Kinds whose pages the build writes into docs/, one per entry and language; their folders' index pages are authored.
GENERATED_KINDS = ("playbook", "case_study", "pattern", "pathway", SHEET)
GENERATED_FOLDERS = tuple(SECTIONS[kind] for kind in GENERATED_KINDS)
# /case-studies/all/ lists every case study, so no case study may have this id.
ALL_CASE_STUDIES = "all"

# A finished data page (render/generated_pages.py writes it) names its kind (a kind of
# GENERATED_KINDS but playbook, or CASE_STUDY_LIST) and its entry's key under these keys of
# its front matter; scripts/hooks.py reads them (page.meta) for the title and the kind's treatment.
DATA_PAGE = "data_page"
DATA_ID = "data_id"

# The only macros a playbook may call (content/playbook_checks.py enforces it; scripts/macros.py defines them).
PLAYBOOK_MACROS = frozenset({"cite", "related_patterns", "related_case_studies", "playbook_sources", "pattern_card", "case_study_card", "case_studies"})

# Files and folders written beside the pages, inside each language tree.
SHORT_LINKS = "go"  # /go/<code>/
FEED = "feed.xml"
EXPLORER_CARDS = "cards.json"  # in the case-study section, beside the explorer page
DOWNLOADS = "downloads"
NOT_FOUND = "404.html"
# Open data sits once at the site root, shared by every language.
OPEN_DATA = "data"
OPEN_DATA_FILES = ("case-studies.json", "case-studies.csv", "patterns.json")
SCHEMAS = "data/schema"


# -- language trees -----------------------------------------------------------


def tree(locale: str, default_locale: str) -> str:
    """The folder of a language tree inside the site: '' for the default language, else 'es/'."""
    return "" if locale == default_locale else f"{locale}/"


def source_suffix(locale: str, default_locale: str) -> str:
    """What a translation adds to a docs/ file name: '' for the default language, else '.es' (about.es.md)."""
    return "" if locale == default_locale else f".{locale}"


# -- pages ---------------------------------------------------------------------


def section_path(kind: str, key: str | None = None) -> str:
    """A section's page inside a language tree: 'case-studies/', or 'case-studies/<key>/'."""
    return f"{SECTIONS[kind]}/{key}/" if key else f"{SECTIONS[kind]}/"


def section_page(kind: str, key: str | None = None) -> str:
    """The same page as a docs/ page without '.md': 'case-studies/index', 'case-studies/<key>'."""
    return f"{SECTIONS[kind]}/{key or 'index'}"


def page_url(kind: str, key: str | None, locale: str, default_locale: str) -> str:
    """A section's page from the site root, in one language: 'es/case-studies/<key>/'."""
    return tree(locale, default_locale) + section_path(kind, key)


def docs_page_path(page: str) -> str:
    """Where docs/<page>.md is served inside its tree: 'about' -> 'about/', 'case-studies/index' -> 'case-studies/', 'index' -> ''."""
    path = page.removesuffix("index").rstrip("/")
    return f"{path}/" if path else ""


def section_of(path: str) -> tuple[str, str] | None:
    """(kind, key) of a generated entry page like 'patterns/start-with-a-pilot/'; None for any other path."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    kinds = {folder: kind for kind, folder in SECTIONS.items() if kind in GENERATED_KINDS}
    return (kinds[parts[0]], parts[1]) if parts[0] in kinds else None


def generated_source(kind: str, key: str, locale: str, default_locale: str) -> str:
    """The docs/ file the build writes for an entry in one language: 'case-studies/<key>.es.md'."""
    return f"{SECTIONS[kind]}/{key}{source_suffix(locale, default_locale)}.md"


def playbook_of(src_uri: str) -> str | None:
    """The playbook whose docs/ file this is ('playbooks/working-with-media.es.md' -> 'working-with-media'); None for any other page."""
    folder, _, name = src_uri.rpartition("/")
    return name.split(".")[0] if folder == SECTIONS["playbook"] else None


def short_link_folder(code: str) -> str:
    """A short link's folder inside a language tree: 'go/<code>/'."""
    return f"{SHORT_LINKS}/{code}/"


def short_link_path(kind: str, target: str, anchor: str | None = None) -> str:
    """Where a short link leads, inside its language tree: 'playbooks/x/#step-3'; kind 'page' names a docs/ page."""
    path = docs_page_path(target) if kind == "page" else section_path(kind, target)
    return path + (f"#{anchor}" if anchor else "")


def explorer_file(tree_prefix: str, name: str = EXPLORER_CARDS) -> str:
    """A data file of the explorer of one language tree, beside its page: '<tree>case-studies/cards.json'."""
    return f"{tree_prefix}{SECTIONS['case_study']}/{name}"


def download(tree_prefix: str, name: str) -> str:
    """Where a downloadable file of the language tree `tree_prefix` goes in the site."""
    return f"{tree_prefix}{DOWNLOADS}/{name}"


def open_data_file(name: str) -> str:
    """An open-data file or schema from the site root: 'data/case-studies.json'."""
    return f"{OPEN_DATA}/{name}"


# -- site_url ------------------------------------------------------------------


def site_base(site_url: str | None) -> str:
    """mkdocs.yml's site_url ($SITE_URL when deployed) as the base of absolute links: always ending in '/'."""
    base = site_url or "/"
    return base if base.endswith("/") else base + "/"


def site_base_path(site_url: str | None) -> str:
    """The path part of site_url, from '/' to '/': 'https://x.org/playbooks' -> '/playbooks/'."""
    path = urlsplit(site_url or "/").path.strip("/")
    return f"/{path}/" if path else "/"


def absolute_url(site_url: str | None, path: str) -> str:
    """The full address of a path from the site root, for feeds, print and QR codes."""
    return site_base(site_url) + path


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page `other`, both paths from the site root (as MkDocs' get_relative_url).

    The last part of `other` is a file when it has a dot; '..' is resolved, and
    never above the root. A `url` ending in '/' keeps its '/'.
    """
    folder, _, name = other.rpartition("/")
    if "." in name:
        other = folder
    other_parts, url_parts = _parts(other), _parts(url)
    common = 0
    for mine, theirs in zip(other_parts, url_parts):
        if mine != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def relative_folder(folder: str, other: str) -> str:
    """A folder from the site root ('' for the root, 'es/') relative to the page `other`, always ending in '/': '../', './'."""
    return relative_url(folder or ".", other).rstrip("/") + "/"


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return normal.split("/") if normal else []
