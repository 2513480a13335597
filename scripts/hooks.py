"""MkDocs hooks for Partnership Playbooks: wiring only.

Each hook hands over to a module in scripts/playbook_site/, where the work is
done and tested. Listed under `hooks:` in mkdocs.yml, so a plain
`mkdocs build` still produces the whole site in one process. `make build`
runs the build driver (publish/build_driver.py) instead: it loads the data and
writes the generated pages once, starts one engine run per language (these
hooks then build that language only, from the driver's catalogue) and runs
the steps across languages once over the assembled site.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from markupsafe import escape  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from playbook_site import languages as site_languages  # noqa: E402
from playbook_site import layout  # noqa: E402
from playbook_site.content import snapshot as build_state  # noqa: E402
from playbook_site.publish import cross_language  # noqa: E402
from playbook_site.publish import engine  # noqa: E402
from playbook_site.publish import search_index  # noqa: E402
from playbook_site.publish import language_trees as site_output  # noqa: E402
from playbook_site.publish.lean_assets import lean_page  # noqa: E402
from playbook_site.render import generated_pages  # noqa: E402
from playbook_site.render.glossary_links import link_terms  # noqa: E402
from playbook_site.render.safe_markdown import inert_title_attributes  # noqa: E402
from playbook_site.publish.engine import content_roots, hold_finished_html, page_context, restore_finished_html, stop_unused_search_index, translate_palette_toggles  # noqa: E402
from playbook_site.render.page_notices import with_notice  # noqa: E402
from playbook_site.problems import DataError  # noqa: E402
from playbook_site.render.views import glossary_forms, page_online_url, page_title, print_footer  # noqa: E402

_404_pages: dict[str, bytes] = {}
log = logging.getLogger("mkdocs.plugins.playbook_site")


def _i18n(config: MkDocsConfig):
    return config.plugins["i18n"]


def _search_engine(config: MkDocsConfig) -> str:
    try:
        return cross_language.search_engine(config)
    except search_index.SearchIndexError as error:
        raise PluginError(str(error)) from None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Under the build driver: build one language, from the driver's docs folder (before static-i18n's on_config at -100)."""
    run = engine.driver_run()
    if run is not None:
        try:
            engine.build_one_language(config, run)
        except ValueError as error:
            raise PluginError(str(error)) from None
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if _search_engine(config) == "pagefind":
        stop_unused_search_index(config)
    run = engine.driver_run()
    if run is not None:  # the driver loaded, checked and wrote the generated pages once for every language
        started = time.perf_counter()
        catalogue = build_state.adopt(engine.read_catalogue(run.catalogue))
        log.info("Catalogue from the build driver in %.2f s", time.perf_counter() - started)
    else:
        roots = content_roots(config)
        try:
            catalogue = build_state.catalogue(roots)
        except DataError as error:
            raise PluginError("\n" + error.report()) from None
        generated_pages.materialise(catalogue, roots.docs, root_locale=_i18n(config).default_language, site_url=config.site_url or "/")
    try:
        translate_palette_toggles(config, catalogue)
    except ValueError as error:
        raise PluginError(str(error)) from None


@event_priority(100)  # before static-i18n (-100) picks a file per page
def on_files(files, config: MkDocsConfig):
    only = _i18n(config).config.build_only_locale
    return engine.without_default_twins(files, only, site_languages.default_locale(Path(config.config_file_path)))


@event_priority(-50)  # after mkdocs-macros (priority 0), so a title from data is never run as Jinja
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    kind = page.meta.get(layout.DATA_PAGE)
    if kind:
        page.meta["title"] = escape(page_title(page_context(config, page), kind, page.meta[layout.DATA_ID]))
        return hold_finished_html(page, markdown)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    html = restore_finished_html(page, html)
    ctx = page_context(config, page)
    sheet = page.meta.get(layout.DATA_PAGE) == layout.SHEET
    if page.meta.get("glossary_links", True) and not sheet:
        html = link_terms(html, glossary_forms(ctx), ctx.url("glossary"))
    html = inert_title_attributes(html)
    if not sheet:
        playbook = layout.playbook_of(page.file.src_uri)
        html = html + str(print_footer(ctx, page_online_url(ctx, "playbook" if playbook else None, playbook)))  # str: Markup + str would escape the page
    if ctx.locale == ctx.catalogue.default_locale:
        return html
    fallback = getattr(page.file, "locale", ctx.locale) != ctx.locale
    page_path = getattr(page.file, "norm_src_uri", page.file.src_uri)
    state = ctx.catalogue.translation_state(ctx.locale, page_path)
    if not fallback and state in ("original", "missing"):
        return html  # written in this language, or not translated: the entry's own notice says so
    stale = not fallback and state == "stale"
    if not fallback and not stale and ctx.catalogue.is_reviewed(ctx.locale, page_path):
        return html
    original = getattr(page.file, "alternates", {}).get(ctx.catalogue.default_locale)
    original_url = get_relative_url(original.url, page.url) if original is not None else None
    return with_notice(ctx, html, fallback=fallback, original_url=original_url, stale=stale)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Tell overrides/main.html where this page's language tree (and its search index) starts, and whether search indexes the page."""
    i18n = _i18n(config)
    tree = layout.tree(config.theme["language"], i18n.default_language)
    context["pp_tree_base"] = layout.relative_folder(tree, page.url)
    # MkDocs only calls the root index the homepage; each language tree has its own.
    context["pp_is_tree_home"] = page.url in (tree, "")
    # Workshop sheets repeat their playbook: Pagefind leaves them out.
    context["pp_in_search"] = page.meta.get(layout.DATA_PAGE) != layout.SHEET
    return context


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """The 404 page is served at any depth, so its tree (and search bundle) is given from the site's root path: '/es/', '/playbooks/es/'."""
    if template_name == "404.html":
        context["pp_tree_base"] = layout.site_base_path(config.site_url) + layout.tree(config.theme["language"], _i18n(config).default_language)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return lean_page(site_output.set_html_direction(site_output.drop_alternate_links(output)))


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name == "404.html":
        output_content = site_output.set_html_direction(output_content)
        _404_pages[config.theme["language"]] = output_content.encode("utf-8")
    return output_content


@event_priority(-200)  # after static-i18n (-100) has built every language and merged the search index
def on_post_build(config: MkDocsConfig) -> None:
    if engine.driver_run() is not None:  # one language of the driver's build; the driver finishes the site
        _404_pages.clear()
        return
    if _i18n(config).building:  # a nested single-language build; the outer build finishes the site
        return
    try:
        cross_language.finish(Path(config.site_dir), config, build_state.current(), dict(_404_pages))
    except search_index.SearchIndexError as error:
        raise PluginError(str(error)) from None
    finally:
        _404_pages.clear()
