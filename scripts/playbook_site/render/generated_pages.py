"""Materialise pages that come from outside docs/ before MkDocs reads docs/.

mkdocs-static-i18n drops files added during the build (`on_files`) and files
outside docs_dir, so playbooks and data pages are written into docs/ first:
- playbooks/<slug>[.<locale>].md is copied to docs/playbooks/;
- each case study, learning pattern and pathway gets a finished page per
  language in docs/case-studies/, docs/patterns/ and docs/pathways/, each
  playbook a printable workshop sheet in docs/sheets/, and the explorer its
  list for readers without JavaScript in docs/case-studies/all/.

A finished page is front matter and the HTML that the views of views.py
render (escaped by the components' templates): the engine only wraps it in
the theme. `render_macros: false` tells mkdocs-macros to leave the page alone,
so no value from data is ever read as Jinja, and Python-Markdown keeps each
component as one raw HTML block. The hooks still set the page's title from
its kind and key (front matter `data_page` and `data_id`, named by
layout.DATA_PAGE and layout.DATA_ID; scripts/hooks.py); `finished_kind`
reads the kind back from a file's text.

Files are written only when their content changed (so `mkdocs serve` does not
rebuild in a loop) and stale generated files are removed. The folders' own
index pages (index.md, index.es.md, ...) are authored and never touched.
These generated files are listed in .gitignore.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..content.models import Catalogue
from ..layout import ALL_CASE_STUDIES, CASE_STUDY_LIST, DATA_ID, DATA_PAGE, GENERATED_FOLDERS, SECTIONS, SHEET, generated_source, page_url, source_suffix
from ..paths import COMPONENTS, DOCS
from . import views
from .views import PageContext

# Front matter only: the page's body is the view's HTML, never text put into a template.
FRONT_MATTER = """---
# Generated from {source} by scripts/playbook_site/render/generated_pages.py: edit that file, not this one.
{kind_key}: {kind}
{id_key}: {key_json}
render_macros: false
---
"""

View = Callable[[PageContext, str], Markup]


@dataclass(frozen=True)
class _Kind:
    """One kind of generated page: its kind (layout.SECTIONS), its view and where its data comes from."""

    name: str
    view: View
    source: str  # a file, or a folder with one <key>.yml (<key>.md for playbooks) per entry
    one_file: bool = False

    def source_of(self, key: str) -> str:
        """The file the page is made from, for the note at its top."""
        return self.source if self.one_file else f"{self.source}/{key}{'.md' if self.name == SHEET else '.yml'}"


def _plain_list(ctx: PageContext, key: str) -> Markup:
    return views.case_study_plain_list(ctx)


SHEET_KIND = _Kind(SHEET, views.workshop_sheet, "playbooks")
ENTRY_KINDS = (
    _Kind("case_study", views.case_study_page, "data/case_studies"),
    _Kind("pattern", views.pattern_page, "data/patterns"),
    _Kind("pathway", views.pathway_page, "data/pathways.yml", one_file=True),
)
# The explorer's list for readers without JavaScript: /case-studies/all/ (a folder, so no case study's page is overwritten).
PLAIN_LIST = _Kind(CASE_STUDY_LIST, _plain_list, "data/case_studies", one_file=True)


@dataclass(frozen=True)
class _Page:
    """A page to write: where, of which kind and entry, in which language, at which URL."""

    path: Path
    kind: _Kind
    key: str
    locale: str
    url: str


def _file_locale(catalogue: Catalogue, path: Path) -> str:
    """The language of docs/<folder>/<name>[.<locale>].md (static-i18n's suffix structure)."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in catalogue.locales else catalogue.default_locale


def _data_pages(catalogue: Catalogue, docs: Path, locales: Iterable[str], root_locale: str) -> Iterator[_Page]:
    """Every generated data page of `locales`, with the URL MkDocs gives it (use_directory_urls)."""
    default = catalogue.default_locale
    for locale in locales:
        for slug in catalogue.playbooks:
            yield _Page(docs / generated_source(SHEET, slug, locale, default), SHEET_KIND, slug, locale, page_url(SHEET, slug, locale, root_locale))
        for kind, entries in zip(ENTRY_KINDS, (catalogue.case_studies, catalogue.patterns, catalogue.pathways)):
            for key in entries:
                yield _Page(docs / generated_source(kind.name, key, locale, default), kind, key, locale, page_url(kind.name, key, locale, root_locale))
        plain_list = docs / SECTIONS["case_study"] / ALL_CASE_STUDIES / f"index{source_suffix(locale, default)}.md"
        yield _Page(plain_list, PLAIN_LIST, ALL_CASE_STUDIES, locale, page_url("case_study", ALL_CASE_STUDIES, locale, root_locale))


def finished_page(ctx: PageContext, kind: _Kind, key: str) -> str:
    """The file's text: front matter, then the view's HTML as one block for Markdown to keep as is."""
    front = FRONT_MATTER.format(kind_key=DATA_PAGE, kind=kind.name, id_key=DATA_ID, key_json=json.dumps(key), source=kind.source_of(key))
    return front + str(kind.view(ctx, key)) + "\n"


def finished_kind(text: str) -> str | None:
    """The kind of the finished data page whose file holds `text` (its front matter's DATA_PAGE); None for any other page."""
    front = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    for line in front.splitlines():
        name, _, value = line.partition(": ")
        if name == DATA_PAGE:
            return value
    return None


def _playbook_copies(catalogue: Catalogue, docs: Path, locales: set[str]) -> Iterator[tuple[Path, Callable[[], str]]]:
    for playbook in catalogue.playbooks.values():
        for locale, source in playbook.files.items():
            if locale in locales:
                yield docs / SECTIONS["playbook"] / source.name, lambda source=source: source.read_text(encoding="utf-8")


@dataclass
class _Written:
    """What the last materialise() of this process wrote, so a repeat call for the same catalogue renders nothing."""

    catalogue: Catalogue
    settings: tuple
    paths: frozenset[Path]


_last: _Written | None = None


def materialise(
    catalogue: Catalogue,
    docs: Path = DOCS,
    *,
    locales: Iterable[str] | None = None,
    root_locale: str | None = None,
    site_url: str | None = None,
) -> int:
    """Write the generated pages of `locales` (default: every language); return how many files were written or removed.

    `root_locale` is the language served at the site root (the default one,
    or the one of `make serve ONLY=es`); `site_url` is the base of the
    printed links and QR codes of the workshop sheets (mkdocs.yml's
    site_url). Called again in the same process with the same catalogue
    object and settings, and no component template changed since
    (mkdocs-static-i18n runs the build hooks once per language), it renders
    nothing and only removes stale files.
    Only files of `locales` are written or removed, so separate processes
    may each materialise some languages; every language must be written
    before the engine reads docs/, because each language's build looks for
    the other languages' pages (language switcher, fallbacks).
    """
    global _last
    chosen = tuple(catalogue.locales if locales is None else locales)
    unknown = [locale for locale in chosen if locale not in catalogue.locales]
    if unknown:
        raise ValueError(f"materialise: unknown language {', '.join(unknown)}; the site has {', '.join(catalogue.locales)}")
    root = root_locale or catalogue.default_locale
    settings = (docs.resolve(), chosen, root, site_url, _templates_stamp())
    changes = 0
    if _last is not None and _last.catalogue is catalogue and _last.settings == settings and all(path.exists() for path in _last.paths):
        expected = _last.paths
    else:
        written: set[Path] = set()
        for path, text in _playbook_copies(catalogue, docs, set(chosen)):
            changes += _write_if_changed(path, text())
            written.add(path)
        for page in _data_pages(catalogue, docs, chosen, root):
            ctx = PageContext(catalogue, page.locale, page.url, root_locale=root, **({"site_url": site_url} if site_url else {}))
            changes += _write_if_changed(page.path, finished_page(ctx, page.kind, page.key))
            written.add(page.path)
        expected = frozenset(written)
        _last = _Written(catalogue, settings, expected)
    for folder in GENERATED_FOLDERS:
        for path in (docs / folder).glob("*.md"):
            if path.name.split(".")[0] != "index" and path not in expected and _file_locale(catalogue, path) in chosen:
                path.unlink()
                changes += 1
    return changes


def _templates_stamp(templates: Path = COMPONENTS) -> tuple:
    """The components' files and their times: under `make serve` an edited template renders the pages again."""
    return tuple(sorted((str(path), path.stat().st_mtime_ns) for path in templates.rglob("*") if path.is_file()))


def _write_if_changed(path: Path, content: str) -> int:
    """Write `content` to `path` unless it already holds it; 1 if written."""
    if path.exists() and path.stat().st_size == len(content.encode("utf-8")) and path.read_text(encoding="utf-8") == content:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return 1
