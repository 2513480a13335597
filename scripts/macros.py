"""Macros that playbooks and pages may call (mkdocs-macros-plugin module).

Thin on purpose: each macro finds out which page and language it is rendering
and calls a view in scripts/playbook_site/render/views.py. Only ids travel through
Markdown; everything else comes from the validated catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbook_site import layout  # noqa: E402
from playbook_site.render import views  # noqa: E402
from playbook_site.publish.engine import content_roots, page_context  # noqa: E402
from playbook_site.render.views import PageContext  # noqa: E402


def define_env(env) -> None:
    def context() -> PageContext:
        return page_context(env.conf, env.page)

    def playbook_slug() -> str:
        slug = layout.playbook_of(env.page.file.src_uri)
        if slug is None:
            raise ValueError(f"{env.page.file.src_uri}: this macro only works inside a playbook")
        return slug

    # The data pages (case studies, patterns, pathways, workshop sheets) are written
    # finished by render/generated_pages.py before the build and use no macro.

    # Index pages
    @env.macro
    def case_study_index():
        every = str(env.conf["extra"].get("explorer_all_cards", "")).lower() in ("1", "true")
        return views.case_study_index(context(), first=None if every else views.EXPLORER_FIRST)

    @env.macro
    def pattern_index():
        return views.pattern_index(context())

    @env.macro
    def playbook_index():
        return views.playbook_index(context())

    @env.macro
    def sources_index():
        return views.sources_index(context())

    @env.macro
    def glossary():
        return views.glossary_page(context())

    @env.macro
    def translation_status():
        return views.translation_status_page(context())

    @env.macro
    def open_data():
        return views.open_data_page(context(), content_roots(env.conf).schemas)

    @env.macro
    def downloads(part: str):
        from playbook_site.publish import downloads as files

        return files.section(context(), files.for_build(env.conf), part)

    @env.macro
    def overview():
        from playbook_site.render import overview as charts

        return charts.overview_page(context())

    @env.macro
    def directory(which: str):
        from playbook_site.render import overview as charts

        return charts.directory_page(context(), which)

    @env.macro
    def short_links():
        return views.short_links_page(context())

    @env.macro
    def pathway_cards():
        return views.pathway_cards(context())

    @env.macro
    def partner_pathways():
        return views.partner_pathways(context())

    # Embedding data in any page
    @env.macro
    def case_studies(theme: str | None = None, region: str | None = None, partner_type: str | None = None):
        return views.case_study_list(context(), theme=theme, region=region, partner_type=partner_type)

    @env.macro
    def pattern_card(pattern_id: str):
        return views.single_pattern_card(context(), pattern_id)

    @env.macro
    def case_study_card(case_id: str):
        return views.single_case_study_card(context(), case_id)

    # Inside playbooks: links read from the English file's front matter
    @env.macro
    def related_patterns():
        return views.playbook_related_patterns(context(), playbook_slug())

    @env.macro
    def related_case_studies():
        return views.playbook_related_case_studies(context(), playbook_slug())

    @env.macro
    def playbook_sources():
        return views.playbook_sources(context(), playbook_slug())

    @env.macro
    def cite(source_id: str):
        return views.citation(context(), playbook_slug(), source_id)
