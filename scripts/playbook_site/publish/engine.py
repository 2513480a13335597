"""What the hooks and macros both need to know about the page being built.

This is the engine layer: the one place that knows MkDocs' and
mkdocs-static-i18n's objects. It also says how a build driver
(publish/build_driver.py) hands one language to an engine run: through the
environment variables below, read here and nowhere else.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchIndex

from ..content.catalogue import ContentRoots
from ..content.models import Catalogue
from ..content.snapshot import current
from ..render.views import PageContext
from . import html_links

# Set by the build driver for each engine run it starts.
LANGUAGE = "PP_BUILD_LANGUAGE"  # the one language this run builds, into its own tree
PREPARED_DOCS = "PP_PREPARED_DOCS"  # the docs folder the driver prepared (authored + generated pages)
PREPARED_CATALOGUE = "PP_PREPARED_CATALOGUE"  # the checked catalogue, pickled by the driver


@dataclass(frozen=True)
class DriverRun:
    """One language's engine run, started by the build driver."""

    locale: str
    docs: Path
    catalogue: Path


def driver_run(environ: dict[str, str] | None = None) -> DriverRun | None:
    """The language run this process is, or None for a plain `mkdocs build`/`serve` (which does every step itself)."""
    environ = os.environ if environ is None else environ
    locale = environ.get(LANGUAGE)
    if not locale:
        return None
    return DriverRun(locale, Path(environ[PREPARED_DOCS]), Path(environ[PREPARED_CATALOGUE]))


def driver_environment(locale: str, docs: Path, catalogue: Path) -> dict[str, str]:
    """The variables that make an engine run build `locale` only, from the driver's prepared docs and catalogue."""
    return {LANGUAGE: locale, PREPARED_DOCS: str(docs), PREPARED_CATALOGUE: str(catalogue)}


def save_catalogue(catalogue: Catalogue, path: Path) -> Path:
    """Hand the checked catalogue to the engine runs: unpickling is about 15 times faster than loading and checking."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def read_catalogue(path: Path) -> Catalogue:
    """The catalogue the driver saved (a file the driver itself wrote in .build/, never outside input)."""
    return pickle.loads(path.read_bytes())  # noqa: S301 - written by this build's driver


def this_language_only(config: Any, locale: str) -> None:
    """Make static-i18n build `locale` only, with every language still known: the build driver's runs and `make serve`'s.

    static-i18n's own `build_only_locale` makes the one language the default:
    it is written at the site root, the language menu disappears, and English
    pages shown in its place are no longer recognised as fallbacks. Here the
    languages stay as configured and the plugin is told that this is the
    language being built and that no other build follows (its `building`
    flag, set while it runs the other languages itself). The hooks then
    leave the steps across languages to the caller (cross_language.finish).
    """
    i18n = config.plugins["i18n"]
    if locale not in i18n.build_languages:
        raise ValueError(f"'{locale}' is not a language of this site (mkdocs.yml lists {', '.join(i18n.build_languages)})")
    i18n.current_language = locale
    i18n.building = True


def build_one_language(config: Any, run: DriverRun) -> None:
    """One language of the build driver, from the docs folder the driver prepared."""
    this_language_only(config, run.locale)
    config.docs_dir = str(run.docs)


def language_setting(config: Any, locale: str, name: str) -> str:
    """A setting (site_name, copyright) as the i18n plugin overrides it for `locale`."""
    for language in config.plugins["i18n"].config.languages:
        if language.locale == locale and getattr(language, name, None):
            return str(getattr(language, name))
    return str(config[name] or "")


def load_config(config_file: Path, **overrides: Any) -> Any:
    """The site's MkDocs configuration, as `mkdocs build` reads it (plugins and hooks loaded), with every language.

    ONLY_LOCALE (`make serve ONLY=es`) is left out: it would make one language the only one.
    """
    from mkdocs.config import load_config as mkdocs_load_config

    only = os.environ.pop("ONLY_LOCALE", None)
    try:
        return mkdocs_load_config(config_file=str(config_file), **overrides)
    finally:
        if only is not None:
            os.environ["ONLY_LOCALE"] = only


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
    but its lunr index is deleted after the build (search_index.build_pagefind_trees).
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


# -- one language per engine run, for `make serve` (publish/dev_builder.py) ----------------------


def keep_compiled_templates(cache_dir: Path) -> None:
    """The theme's templates compiled once, kept on disk for every later build of this process and its children."""
    import jinja2
    from mkdocs.theme import Theme

    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    get_env = Theme.get_env

    def cached_env(self: Theme) -> jinja2.Environment:
        env = get_env(self)
        env.bytecode_cache = cache
        return env

    Theme.get_env = cached_env  # type: ignore[method-assign]


class _DropDirtyWarning:
    def filter(self, record: Any) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def build_language_for_serve(config: Any, locale: str, site_dir: Path, tree_folders: list[str], rebuild: Any = None) -> None:
    """Build `locale` alone (`this_language_only`) into `site_dir`, its tree where `make build` puts it, with a config from `load_config`.

    `rebuild(src_uri) -> bool` names the pages to build again whatever their
    time; with it, MkDocs' dirty build also rebuilds the pages whose source
    is newer than their output, and leaves the others as they are (they are
    still read, so the navigation keeps their titles). Without it, every page
    is built. `tree_folders` are created after the site folder is cleaned:
    the finishing hooks write into every language's tree. Material's lunr
    index gets no entries in a partial build (online search is Pagefind's).
    """
    import logging

    from mkdocs import utils
    from mkdocs.commands import build as engine_build
    from mkdocs.structure.files import File
    from material.plugins.search.plugin import SearchIndex

    config["site_dir"] = str(site_dir)
    this_language_only(config, locale)
    clean = utils.clean_directory

    def clean_keeping_trees(directory: str) -> None:
        clean(directory)
        for folder in tree_folders:
            (site_dir / folder).mkdir(parents=True, exist_ok=True)

    utils.clean_directory = clean_keeping_trees
    if rebuild is not None:
        original = File.is_modified
        File.is_modified = lambda file: rebuild(file.src_uri) or original(file)  # type: ignore[method-assign]
        populate = engine_build._populate_page

        def populate_or_read(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
            populate(page, config, files, dirty)
            if page.markdown is None:
                page.read_source(config)

        engine_build._populate_page = populate_or_read
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
        SearchIndex.add_entry_from_context = lambda index, page: None  # type: ignore[method-assign]
    engine_build.build(config, dirty=rebuild is not None)


def without_default_twins(files: Any, only_locale: str | None, site_default: str) -> Any:
    """For a build of one language alone (`ONLY_LOCALE`, used by the offline copies): drop each page that has a translation in it.

    static-i18n then treats that language as the default one, and so takes an
    unsuffixed file (about.md, the English) for that language too; when both
    about.md and about.es.md exist, the English one came last and won, and the
    Spanish offline copy showed English pages. Without the English twin, the
    translation is the only candidate.
    """
    if not only_locale or only_locale == site_default:
        return files
    names = {file.src_uri for file in files}
    for file in list(files.documentation_pages()):
        folder, _, name = file.src_uri.rpartition("/")
        if name.count(".") != 1:
            continue  # already a translation (about.es.md)
        stem, suffix = name.split(".")
        translated = f"{folder}/{stem}.{only_locale}.{suffix}" if folder else f"{stem}.{only_locale}.{suffix}"
        if translated in names:
            files.remove(file)
    return files


# -- data pages: finished HTML around Markdown --------------------------------------------------

_FINISHED = "pp_finished_html"


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
    page.present_anchor_ids = AnchorsOnDemand(finished)
    return finished.strip()


class AnchorsOnDemand(AbstractSet[str]):
    """A finished page's anchor ids, read with the HTML parser (html_links.anchor_ids) the first time MkDocs asks.

    MkDocs asks only when another page links to one of this page's anchors,
    which few data pages are: parsing every one would cost about 0.6 ms a
    page (5 s of CPU over the 8,000 data pages of a 2,000-case-study site).
    """

    def __init__(self, html: str) -> None:
        self._html: str | None = html
        self._ids: set[str] = set()

    def _read(self) -> set[str]:
        if self._html is not None:
            self._ids, self._html = html_links.anchor_ids(self._html), None
        return self._ids

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())
