"""Build the HTML fragments that macros put into pages.

Python chooses and translates the data (view models as plain dicts); the Jinja
templates in overrides/components/ turn them into HTML, with autoescaping on.
Every function takes the page's language and URL, so links are relative and
stay inside the reader's language tree.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jinja2
from babel import Locale
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from .glossary_links import TermForm
from ..content.models import CaseStudy, Catalogue, Citation, Localized, Pathway, PathwayStep, Pattern, Playbook, ShortLink
from ..content.schema_docs import localized_schema_fields
from .qr import qr_svg
from .. import layout
from ..layout import ALL_CASE_STUDIES
from ..paths import COMPONENTS
from .safe_markdown import markdown_html, single_line_html

@lru_cache(maxsize=None)
def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class PageContext:
    """Who is asking: the catalogue, the page's build language and its URL."""

    catalogue: Catalogue
    locale: str
    page_url: str
    # The language served at the site root: the default one, or the only one
    # built by `make serve ONLY=es`. Other languages live under /<locale>/.
    root_locale: str | None = None
    templates: Path = COMPONENTS
    # mkdocs.yml's site_url ($SITE_URL when deployed): the base of printed links and QR codes.
    site_url: str = "http://127.0.0.1:8000/"

    # -- language ------------------------------------------------------------

    @property
    def default_locale(self) -> str:
        return self.catalogue.default_locale

    def t(self, key: str) -> str:
        return self.catalogue.text(key, self.locale)

    def pick(self, value: Localized[Any]) -> dict[str, Any]:
        """A translated value, with the lang and dir to set when it is in another language (its original)."""
        text, used = value.get(self.locale)
        return {"text": text, "lang": used if used != self.locale else None, "dir": text_direction(used)}

    def pick_markdown(self, value: Localized[str]) -> dict[str, Any]:
        picked = self.pick(value)
        picked["html"] = markdown_html(picked["text"])
        return picked

    def pick_list(self, value: Localized[tuple[str, ...]] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        items, used = value.get(self.locale)
        return {"items": [markdown_html(item, inline=True) for item in items], "lang": used if used != self.locale else None, "dir": text_direction(used)}

    def label(self, vocabulary: str, key: str) -> str:
        return getattr(self.catalogue.taxonomy, vocabulary)[key].get(self.locale)[0]

    def country(self, code: str) -> str:
        return _babel_locale(self.locale).territories.get(code, code)

    def language(self, tag: str) -> str:
        names = _babel_locale(self.locale).languages
        return names.get(tag.replace("-", "_")) or names.get(tag.split("-")[0], tag)

    def date(self, value: str) -> str:
        """A date written YYYY, YYYY-MM or YYYY-MM-DD, as the reader's language writes it."""
        return human_date(value, self.locale)

    # -- links ---------------------------------------------------------------

    def url(self, section: str, key: str | None = None) -> str:
        """Relative URL from this page to a page of the same language tree."""
        return self.docs_page_url(layout.section_page(section, key))

    @property
    def tree_prefix(self) -> str:
        """This language tree's folder in the site: '' at the root, else 'es/'."""
        return layout.tree(self.locale, self.root_locale or self.default_locale)

    def absolute_url(self, path_in_tree: str) -> str:
        """The full address of a path of this language tree, for print and QR codes."""
        return layout.absolute_url(self.site_url, self.tree_prefix + path_in_tree)

    def docs_page_url(self, page: str) -> str:
        """Relative URL to docs/<page>.md in this language tree, like `case-studies/index`."""
        return layout.relative_url(self.tree_prefix + layout.docs_page_path(page) or ".", self.page_url)

    # -- rendering -----------------------------------------------------------

    def render(self, template: str, compact: bool = True, **values: Any) -> Markup:
        """Render a component; `compact` output can sit inside Markdown as one HTML block."""
        html = _environment(self.templates).get_template(template).render(t=self.t, **values)
        return Markup(single_line_html(html) if compact else html)  # noqa: S704 (autoescaped template output)


@lru_cache(maxsize=None)
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


def text_direction(locale: str) -> str:
    """'rtl' for a language written right to left (Arabic), else 'ltr'."""
    return "rtl" if _babel_locale(locale).character_order == "right-to-left" else "ltr"


def human_date(value: str, locale: str) -> str:
    """`2026-11` as "November 2026" (in `locale`), `2026-11-05` as a long date, `2026` as is."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 2:
        return format_skeleton("yMMMM", datetime.date(parts[0], parts[1], 1), locale=_babel_locale(locale))
    if len(parts) == 3:
        return format_date(datetime.date(*parts), "long", locale=_babel_locale(locale))
    return value


# -- summaries used in lists and cards ---------------------------------------------


def case_study_card(ctx: PageContext, case_study: CaseStudy) -> dict[str, Any]:
    return {
        "kind": ctx.t("case_study"),
        "title": ctx.pick(case_study.title),
        "summary": ctx.pick(case_study.summary),
        "url": ctx.url("case_study", case_study.id),
        "meta": [ctx.label("regions", case_study.region), ctx.t("list_separator").join(str(y) for y in case_study.years)],
        "id": case_study.id,
    }


# Pattern and playbook pages list at most this many case studies, then link to
# the explorer filtered to all of them: the pages stay small as the data grows.
RELATED_LIMIT = 6


def bounded_case_studies(ctx: PageContext, cases: list[CaseStudy], filter_name: str, filter_value: str) -> dict[str, Any]:
    """The first RELATED_LIMIT of `cases` as cards, and a link to the explorer showing all of them when there are more."""
    more = len(cases) > RELATED_LIMIT
    return {
        "cards": [case_study_card(ctx, c) for c in cases[:RELATED_LIMIT]],
        "more_url": f"{ctx.url('case_study')}?{filter_name}={filter_value}" if more else None,
        "more_label": ctx.t("all_related_case_studies").replace("{total}", str(len(cases))) if more else None,
    }


def _recent_first(cases: Iterable[CaseStudy]) -> list[CaseStudy]:
    return sorted(cases, key=lambda c: (c.added, c.id), reverse=True)


def pattern_card(ctx: PageContext, pattern: Pattern) -> dict[str, Any]:
    return {
        "kind": ctx.t("learning_pattern"),
        "title": ctx.pick(pattern.title),
        "summary": ctx.pick_markdown(pattern.problem),
        "url": ctx.url("pattern", pattern.id),
        "meta": [ctx.label("pattern_categories", pattern.category)],
        "id": pattern.id,
    }


def playbook_link(ctx: PageContext, playbook: Playbook) -> dict[str, Any]:
    title = playbook.titles.get(ctx.locale)
    fell_back = title is None
    return {
        "title": {"text": title if title else playbook.titles[ctx.default_locale], "lang": ctx.default_locale if fell_back else None, "dir": text_direction(ctx.default_locale)},
        "url": ctx.url("playbook", playbook.slug),
        "id": playbook.slug,
    }


def source_items(ctx: PageContext, source_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Field notes of data/sources.yml, numbered as they are cited."""
    return citation_items(ctx, [Citation("note", note=source_id) for source_id in source_ids])


def citation_items(ctx: PageContext, citations: Iterable[Citation]) -> list[dict[str, Any]]:
    """An entry's sources as the page lists them: field notes, pages of its own, first-hand reports."""
    items = []
    for number, citation in enumerate(citations, start=1):
        item: dict[str, Any] = {"number": number, "kind": citation.kind, "date": ctx.date(citation.date) if citation.date else None, "iso_date": citation.date}
        if citation.kind == "note" and citation.note:
            source = ctx.catalogue.sources[citation.note]
            item.update(id=source.id, title=source.title, url=source.url, description=ctx.pick(source.description), sources_page=ctx.url("sources") + f"#{source.id}")
        elif citation.kind == "link":
            item.update(id=f"link-{number}", title=citation.title, url=citation.url, license=citation.license)
        else:
            item.update(id=f"report-{number}", reported_by=citation.reported_by)
        items.append(item)
    return items


def entry_notice(ctx: PageContext, kind: str, original: str, *values: dict[str, Any] | None) -> str | None:
    """The notice above an entry shown (in whole or part) in the language it was written in, else None."""
    title = values[0]
    language = ctx.language(original)
    if title and title.get("lang"):
        return ctx.t(f"untranslated_{kind}_notice").replace("{language}", language)
    if any(value and value.get("lang") for value in values):
        return ctx.t("partial_fallback_notice").replace("{language}", language)
    return None


# -- whole pages ------------------------------------------------------------------


def case_study_page(ctx: PageContext, case_id: str) -> Markup:
    cat = ctx.catalogue
    case_study = cat.case_studies[case_id]
    title, summary = ctx.pick(case_study.title), ctx.pick(case_study.summary)
    worked, hard, lessons = (ctx.pick_list(case_study.what_worked), ctx.pick_list(case_study.what_did_not_work), ctx.pick_list(case_study.lessons))
    partners = [{"name": ctx.pick(p.name), "type": ctx.label("partner_types", p.type)} for p in case_study.partners]
    facts = {
        "affiliates": list(case_study.affiliates),
        "other_participants": [{"name": p.name, "role": ctx.t("role_" + p.role)} for p in case_study.other_participants],
        "region": ctx.label("regions", case_study.region),
        "countries": [ctx.country(code) for code in case_study.countries],
        "languages": [ctx.language(tag) for tag in case_study.languages],
        "years": [str(year) for year in case_study.years],
        "themes": [ctx.label("themes", theme) for theme in case_study.themes],
    }
    return ctx.render(
        "case_study.html",
        case_study=case_study,
        title=title,
        summary=summary,
        partners=partners,
        facts=facts,
        worked=worked,
        hard=hard,
        lessons=lessons,
        patterns=[pattern_card(ctx, cat.patterns[i]) for i in case_study.patterns],
        playbooks=[playbook_link(ctx, cat.playbooks[s]) for s in case_study.playbooks],
        sources=citation_items(ctx, case_study.sources),
        further_reading=case_study.further_reading,
        notice=entry_notice(ctx, "case_study", case_study.original_language, title, summary, worked, hard, lessons, *[p["name"] for p in partners]),
    )


def pattern_page(ctx: PageContext, pattern_id: str) -> Markup:
    cat = ctx.catalogue
    pattern = cat.patterns[pattern_id]
    title = ctx.pick(pattern.title)
    problem, solution = ctx.pick_markdown(pattern.problem), ctx.pick_markdown(pattern.solution)
    consider, use, avoid = ctx.pick_list(pattern.things_to_consider), ctx.pick_list(pattern.when_to_use), ctx.pick_list(pattern.when_not_to_use)
    endorsements = [{"by": e.by, "date": e.date, "comment": ctx.pick(e.comment) if e.comment else None} for e in pattern.endorsements]
    return ctx.render(
        "pattern.html",
        pattern=pattern,
        title=title,
        category=ctx.label("pattern_categories", pattern.category),
        problem=problem,
        solution=solution,
        consider=consider,
        use=use,
        avoid=avoid,
        endorsements=endorsements,
        see_also=pattern.see_also,
        related=[pattern_card(ctx, p) for p in cat.patterns_related_to(pattern_id)],
        playbooks=[playbook_link(ctx, p) for p in cat.playbooks_using_pattern(pattern_id)],
        case_studies=bounded_case_studies(ctx, _recent_first(cat.case_studies_using_pattern(pattern_id)), "pattern", pattern_id),
        sources=citation_items(ctx, pattern.sources),
        notice=entry_notice(ctx, "pattern", pattern.original_language, title, problem, solution, consider, use, avoid),
    )


# The explorer page holds this many cards; explorer.js fetches the rest
# (case-studies/cards.json) only when the reader filters or asks for all of
# them, and /case-studies/all/ lists every case study for readers without
# JavaScript. The page stays the same size as the data grows.
EXPLORER_FIRST = 10
EXPLORER_JSON = layout.EXPLORER_CARDS
# cards.json holds what the filters need; the summaries, most of the bytes,
# are in files of this many cards each (summaries/<n>.json, in the order of
# cards.json), fetched for the cards the reader scrolls to, or all of them
# when the reader filters by words.
EXPLORER_SUMMARIES = "summaries"
EXPLORER_SUMMARY_CHUNK = 100


def _playbooks_of(cat: Catalogue) -> dict[str, list[str]]:
    playbooks_of: dict[str, list[str]] = {}
    for slug in cat.playbooks:
        for case in cat.case_studies_for_playbook(slug):
            playbooks_of.setdefault(case.id, []).append(slug)
    return playbooks_of


def _alphabetical(ctx: PageContext) -> list[CaseStudy]:
    return sorted(ctx.catalogue.case_studies.values(), key=lambda c: (c.title.get(ctx.locale)[0].casefold(), c.id))


def explorer_cards(ctx: PageContext) -> list[dict[str, Any]]:
    """Every case study as an explorer card, alphabetical, with the values the filters match."""
    playbooks_of = _playbooks_of(ctx.catalogue)
    cards = []
    for case in _alphabetical(ctx):
        card = case_study_card(ctx, case)
        card["other_words"] = [*case.affiliates, *(p.name for p in case.other_participants), *(ctx.pick(p.name)["text"] for p in case.partners), *(ctx.country(c) for c in case.countries)]
        card["filters"] = {
            "region": case.region,
            "partner_type": " ".join(sorted({p.type for p in case.partners})),
            "theme": " ".join(case.themes),
            "language": " ".join(case.languages),
            "year": " ".join(str(year) for year in case.years),
            "pattern": " ".join(case.patterns),
            "playbook": " ".join(playbooks_of.get(case.id, [])),
            "text": " ".join([card["title"]["text"], card["summary"]["text"], *card["other_words"]]),
        }
        cards.append(card)
    return cards


def explorer_files(ctx: PageContext) -> dict[str, str]:
    """The explorer's data files of one language tree, by path under case-studies/: the cards and their summaries.

    Plain text, which explorer.js puts in the page with textContent.
    `ctx.page_url` must be the explorer page's, so that the links are relative to it.
    """
    cards = explorer_cards(ctx)
    rows = [
        {
            "id": card["id"],
            "url": card["url"],
            "kind": card["kind"],
            "title": card["title"],
            "meta": " · ".join(m for m in card["meta"] if m),
            # Without the title and summary: explorer.js adds them to the words it searches.
            "filters": {**card["filters"], "text": " ".join(card["other_words"])},
        }
        for card in cards
    ]
    files = {EXPLORER_JSON: _compact_json(rows)}
    for start in range(0, len(cards), EXPLORER_SUMMARY_CHUNK):
        chunk = [card["summary"] for card in cards[start:start + EXPLORER_SUMMARY_CHUNK]]
        files[f"{EXPLORER_SUMMARIES}/{start // EXPLORER_SUMMARY_CHUNK}.json"] = _compact_json(chunk)
    return files


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def case_study_index(ctx: PageContext, first: int | None = EXPLORER_FIRST) -> Markup:
    """The explorer: the `first` case studies as cards (all with None), with filters that explorer.js applies to all of them."""
    cat = ctx.catalogue
    cases = _alphabetical(ctx)
    playbooks_of = _playbooks_of(cat)
    cards = explorer_cards(ctx)
    used = {
        "region": {c.region for c in cases},
        "partner-type": {p.type for c in cases for p in c.partners},
        "theme": {t for c in cases for t in c.themes},
        "language": {tag for c in cases for tag in c.languages},
        "year": {y for c in cases for y in c.years},
    }
    filters = [
        {"name": "region", "label": ctx.t("region"), "options": [{"value": k, "label": ctx.label("regions", k)} for k in cat.taxonomy.regions if k in used["region"]]},
        {"name": "partner-type", "label": ctx.t("partner_type"), "options": [{"value": k, "label": ctx.label("partner_types", k)} for k in cat.taxonomy.partner_types if k in used["partner-type"]]},
        {"name": "theme", "label": ctx.t("theme"), "options": [{"value": k, "label": ctx.label("themes", k)} for k in cat.taxonomy.themes if k in used["theme"]]},
        {"name": "language", "label": ctx.t("language_of_work"), "options": sorted(({"value": tag, "label": ctx.language(tag)} for tag in used["language"]), key=lambda o: o["label"].casefold())},
        {"name": "year", "label": ctx.t("year"), "options": [{"value": str(y), "label": str(y)} for y in sorted(used["year"], reverse=True)]},
        {"name": "pattern", "label": ctx.t("learning_pattern"), "options": sorted(({"value": key, "label": ctx.pick(pattern.title)["text"]} for key, pattern in cat.patterns.items() if any(key in c.patterns for c in cases)), key=lambda o: o["label"].casefold())},
        {"name": "playbook", "label": ctx.t("playbook"), "options": [{"value": slug, "label": playbook_link(ctx, playbook)["title"]["text"]} for slug, playbook in cat.playbooks.items() if any(slug in slugs for slugs in playbooks_of.values())]},
    ]
    template = ctx.t("shown_of_total")
    shown = cards if first is None else cards[:first]
    count = template.replace("{n}", str(len(shown))).replace("{total}", str(len(cards)))
    return ctx.render(
        "case_study_explorer.html",
        cards=shown,
        total=len(cards),
        filters=filters,
        count_template=template,
        count_text=count,
        cards_url=EXPLORER_JSON,
        summaries_url=f"{EXPLORER_SUMMARIES}/",
        summary_chunk=EXPLORER_SUMMARY_CHUNK,
        all_url=ctx.url("case_study", ALL_CASE_STUDIES),
        show_all=ctx.t("show_all_case_studies").replace("{total}", str(len(cards))),
        partner_pathways=partner_pathway_links(ctx),
    )


def case_study_plain_list(ctx: PageContext) -> Markup:
    """/case-studies/all/: every case study as a title link, alphabetical; the explorer's fallback without JavaScript."""
    links = [{"url": ctx.url("case_study", case.id), "title": ctx.pick(case.title)} for case in _alphabetical(ctx)]
    return ctx.render("case_study_plain_list.html", links=links, explorer_url=ctx.url("case_study"))


def pattern_index(ctx: PageContext) -> Markup:
    groups = []
    for category in ctx.catalogue.taxonomy.pattern_categories:
        patterns = [p for p in ctx.catalogue.patterns.values() if p.category == category]
        if patterns:
            cards = sorted((pattern_card(ctx, p) for p in patterns), key=lambda card: card["title"]["text"].casefold())
            groups.append({"id": f"category-{category}", "title": ctx.label("pattern_categories", category), "cards": cards})
    return ctx.render("pattern_index.html", groups=groups)


def playbook_index(ctx: PageContext) -> Markup:
    links = [playbook_link(ctx, p) for p in ctx.catalogue.playbooks.values()]
    return ctx.render("playbook_list.html", playbooks=links)


def case_study_list(ctx: PageContext, theme: str | None = None, region: str | None = None, partner_type: str | None = None) -> Markup:
    cat = ctx.catalogue
    for value, vocabulary in ((theme, cat.taxonomy.themes), (region, cat.taxonomy.regions), (partner_type, cat.taxonomy.partner_types)):
        if value is not None and value not in vocabulary:
            raise KeyError(f"unknown taxonomy id '{value}'")
    chosen = [
        c
        for c in cat.case_studies.values()
        if (theme is None or theme in c.themes) and (region is None or c.region == region) and (partner_type is None or any(p.type == partner_type for p in c.partners))
    ]
    return ctx.render("card_list.html", cards=[case_study_card(ctx, c) for c in chosen], count_label=None)


def single_pattern_card(ctx: PageContext, pattern_id: str) -> Markup:
    return ctx.render("card_list.html", cards=[pattern_card(ctx, ctx.catalogue.patterns[pattern_id])], count_label=None)


def single_case_study_card(ctx: PageContext, case_id: str) -> Markup:
    return ctx.render("card_list.html", cards=[case_study_card(ctx, ctx.catalogue.case_studies[case_id])], count_label=None)


def playbook_related_patterns(ctx: PageContext, slug: str) -> Markup:
    playbook = ctx.catalogue.playbooks[slug]
    return ctx.render("card_list.html", cards=[pattern_card(ctx, ctx.catalogue.patterns[i]) for i in playbook.patterns], count_label=None)


def playbook_related_case_studies(ctx: PageContext, slug: str) -> Markup:
    """The playbook's own case studies first, in its order, then the most recent that name it."""
    cat = ctx.catalogue
    listed = [cat.case_studies[i] for i in cat.playbooks[slug].case_studies]
    others = _recent_first(c for c in cat.case_studies_for_playbook(slug) if c.id not in cat.playbooks[slug].case_studies)
    bounded = bounded_case_studies(ctx, listed + others, "playbook", slug)
    return ctx.render("card_list.html", cards=bounded["cards"], count_label=None, more_url=bounded["more_url"], more_label=bounded["more_label"])


def playbook_sources(ctx: PageContext, slug: str) -> Markup:
    return ctx.render("source_list.html", sources=source_items(ctx, ctx.catalogue.playbooks[slug].sources))


def citation(ctx: PageContext, slug: str, source_id: str) -> Markup:
    sources = ctx.catalogue.playbooks[slug].sources
    if source_id not in sources:
        raise KeyError(f"cite('{source_id}'): add '{source_id}' to the sources list in the front matter of playbooks/{slug}.md")
    source = ctx.catalogue.sources[source_id]
    return ctx.render("citation.html", number=sources.index(source_id) + 1, id=source_id, title=source.title)


def sources_index(ctx: PageContext) -> Markup:
    cat = ctx.catalogue
    entries = []
    for source in cat.sources.values():
        cited = cat.citations_of(source.id)
        entries.append(
            {
                "id": source.id,
                "title": source.title,
                "url": source.url,
                "date": source.date,
                "license": source.license,
                "description": ctx.pick(source.description),
                "playbooks": [playbook_link(ctx, cat.playbooks[s]) for s in cited["playbooks"]],
                "patterns": [pattern_card(ctx, cat.patterns[i]) for i in cited["patterns"]],
                "case_studies": [case_study_card(ctx, cat.case_studies[i]) for i in cited["case_studies"]],
                "glossary": [{"title": ctx.pick(cat.glossary[i].term), "url": ctx.url("glossary") + f"#{i}"} for i in cited["glossary"]],
            }
        )
    return ctx.render("sources_index.html", sources=entries, own_sources=_own_source_rows(ctx))


def _own_source_rows(ctx: PageContext) -> list[dict[str, Any]]:
    """Pages and first-hand reports that entries cite themselves, each with the entry citing it."""
    cat = ctx.catalogue
    rows = []
    for kind, key, citation in cat.own_sources():
        card = case_study_card(ctx, cat.case_studies[key]) if kind == "case_study" else pattern_card(ctx, cat.patterns[key])
        source = citation_items(ctx, [citation])[0]
        rows.append({"entry": card, "source": source, "sort": (source.get("reported_by") or source.get("title") or "").casefold()})
    return sorted(rows, key=lambda row: (row["sort"], row["entry"]["id"]))


# -- glossary and pathways -----------------------------------------------------------


def glossary_page(ctx: PageContext) -> Markup:
    entries = []
    for term in ctx.catalogue.glossary.values():
        entries.append(
            {
                "id": term.id,
                "term": ctx.pick(term.term),
                "definition": ctx.pick(term.definition),
                "learn_more": term.learn_more,
                "sources": [{"id": s, "title": ctx.catalogue.sources[s].title, "url": ctx.url("sources") + f"#{s}"} for s in term.sources],
            }
        )
    entries.sort(key=lambda entry: entry["term"]["text"].casefold())
    return ctx.render("glossary.html", entries=entries)


_glossary_forms: dict[str, tuple[Catalogue, tuple[TermForm, ...]]] = {}


def glossary_forms(ctx: PageContext) -> tuple[TermForm, ...]:
    """Every written form of every term in the page's language, for glossary_links.

    Made once per catalogue and language, not per page: the same tuple
    then finds glossary_links' compiled pattern in its cache at once.
    """
    cached = _glossary_forms.get(ctx.locale)
    if cached is not None and cached[0] is ctx.catalogue:
        return cached[1]
    forms = []
    for term in ctx.catalogue.glossary.values():
        definition = ctx.pick(term.definition)["text"]
        forms.extend(TermForm(text, term.id, definition) for text in term.forms(ctx.locale))
    _glossary_forms[ctx.locale] = (ctx.catalogue, tuple(forms))
    return _glossary_forms[ctx.locale][1]


def _pathway_step(ctx: PageContext, step: PathwayStep) -> dict[str, Any]:
    cat = ctx.catalogue
    if step.kind == "playbook":
        link = playbook_link(ctx, cat.playbooks[step.target])
        kind, title, url = ctx.t("playbook"), link["title"], link["url"]
    elif step.kind == "pattern":
        kind, title, url = ctx.t("learning_pattern"), ctx.pick(cat.patterns[step.target].title), ctx.url("pattern", step.target)
    elif step.kind == "case_study":
        kind, title, url = ctx.t("case_study"), ctx.pick(cat.case_studies[step.target].title), ctx.url("case_study", step.target)
    else:
        titles = cat.page_titles[step.target]
        title = {"text": titles.get(ctx.locale, titles[ctx.default_locale]), "lang": None if ctx.locale in titles else ctx.default_locale}
        kind, url = ctx.t("page"), ctx.docs_page_url(step.target)
    minutes = ctx.t("reading_minutes").replace("{n}", str(step.minutes)) if step.minutes else None
    return {"kind": kind, "title": title, "url": url, "why": ctx.pick(step.why), "minutes": minutes}


def pathway_page(ctx: PageContext, pathway_id: str) -> Markup:
    pathway = ctx.catalogue.pathways[pathway_id]
    return ctx.render(
        "pathway.html",
        pathway=pathway,
        title=ctx.pick(pathway.title),
        audience=ctx.pick(pathway.audience),
        intro=ctx.pick(pathway.intro),
        steps=[_pathway_step(ctx, step) for step in pathway.steps],
    )


def _pathway_card(ctx: PageContext, pathway: Pathway) -> dict[str, Any]:
    return {"id": pathway.id, "title": ctx.pick(pathway.title), "audience": ctx.pick(pathway.audience), "url": ctx.url("pathway", pathway.id), "count": len(pathway.steps)}


def pathway_cards(ctx: PageContext) -> Markup:
    """Cards for the audience pathways; those made for a partner type are listed by partner_pathways."""
    return ctx.render("pathway_cards.html", pathways=[_pathway_card(ctx, p) for p in ctx.catalogue.pathways.values() if not p.partner_types])


def partner_pathway_links(ctx: PageContext) -> list[dict[str, Any]]:
    """The pathways made for partner types, in taxonomy order of their first type."""
    order = list(ctx.catalogue.taxonomy.partner_types)
    chosen = sorted((p for p in ctx.catalogue.pathways.values() if p.partner_types), key=lambda p: order.index(p.partner_types[0]))
    return [_pathway_card(ctx, p) | {"partner_types": " ".join(p.partner_types)} for p in chosen]


def partner_pathways(ctx: PageContext) -> Markup:
    return ctx.render("partner_pathways.html", pathways=partner_pathway_links(ctx), explorer=False)


# -- short links --------------------------------------------------------------------------------


def _short_link_row(ctx: PageContext, link: ShortLink) -> dict[str, Any]:
    cat = ctx.catalogue
    section = None
    if link.kind == "playbook":
        title = playbook_link(ctx, cat.playbooks[link.target])["title"]
        if link.anchor:
            headings = cat.playbooks[link.target].headings
            section = ctx.pick(Localized({locale: titles[link.anchor] for locale, titles in headings.items() if link.anchor in titles}, ctx.default_locale))
    elif link.kind == "page":
        titles = cat.page_titles.get(link.target) or {}
        title = ctx.pick(Localized(titles, ctx.default_locale)) if titles else {"text": link.target, "lang": None}
    else:
        entry = {"pattern": cat.patterns, "case_study": cat.case_studies, "pathway": cat.pathways}[link.kind][link.target]
        title = ctx.pick(entry.title)
    return {
        "code": link.code,
        "url": ctx.docs_page_url(layout.short_link_folder(link.code)),
        "display": f"/{ctx.tree_prefix}{layout.short_link_folder(link.code)}",
        "title": title,
        "section": section,
        "target": ctx.docs_page_url(layout.short_link_path(link.kind, link.target)) + (f"#{link.anchor}" if link.anchor else ""),
    }


def short_links_page(ctx: PageContext) -> Markup:
    """Every short link, grouped by playbook, then the extra ones."""
    groups: list[dict[str, Any]] = []
    by_playbook: dict[str, list[dict[str, Any]]] = {}
    others = []
    for link in ctx.catalogue.short_links.values():
        row = _short_link_row(ctx, link)
        if link.kind == "playbook" and ctx.catalogue.playbooks[link.target].short_link and link.code.split("-")[0] == ctx.catalogue.playbooks[link.target].short_link:
            by_playbook.setdefault(link.target, []).append(row)
        else:
            others.append(row)
    for slug, rows in by_playbook.items():
        groups.append({"id": f"playbook-{slug}", "title": playbook_link(ctx, ctx.catalogue.playbooks[slug])["title"], "rows": rows, "sheet_url": ctx.url(layout.SHEET, slug)})
    if others:
        groups.append({"id": "other", "title": {"text": ctx.t("other_short_links"), "lang": None}, "rows": others})
    return ctx.render("short_links.html", groups=groups)


# -- print: QR footer and workshop sheets --------------------------------------------------------


def print_footer(ctx: PageContext, online_url: str) -> Markup:
    """Printed at the end of every page: where to read it online, as text and as a QR code."""
    return ctx.render("print_footer.html", url=online_url, qr=qr_svg(online_url, ctx.t("qr_code_label")))


def page_online_url(ctx: PageContext, kind: str | None, key: str | None) -> str:
    """The address a printed page points back to: a playbook's short link, else the page itself."""
    if kind == "playbook" and key in ctx.catalogue.playbooks and ctx.catalogue.playbooks[key].short_link:
        return ctx.absolute_url(layout.short_link_folder(ctx.catalogue.playbooks[key].short_link))
    return layout.absolute_url(ctx.site_url, ctx.page_url)


def workshop_sheet(ctx: PageContext, slug: str) -> Markup:
    """One printable page per playbook: its steps, each with its short link and a QR code."""
    playbook = ctx.catalogue.playbooks[slug]
    headings = playbook.headings.get(ctx.locale) or playbook.headings[ctx.default_locale]
    fell_back = ctx.locale not in playbook.headings
    steps = []
    for step_id in playbook.step_ids():
        code = f"{playbook.short_link}-{step_id.removeprefix('step-')}" if playbook.short_link else None
        url = ctx.absolute_url(layout.short_link_folder(code) if code else layout.short_link_path("playbook", slug, step_id))
        steps.append({"title": headings.get(step_id, step_id), "minutes": playbook.step_minutes.get(step_id), "url": url, "qr": qr_svg(url, headings.get(step_id, step_id))})
    whole = ctx.absolute_url(layout.short_link_folder(playbook.short_link) if playbook.short_link else layout.section_path("playbook", slug))
    return ctx.render(
        "workshop_sheet.html",
        title=playbook_link(ctx, playbook)["title"],
        playbook_url=ctx.url("playbook", slug),
        whole={"url": whole, "qr": qr_svg(whole, playbook.titles.get(ctx.locale, playbook.titles[ctx.default_locale]))},
        steps=steps,
        steps_lang=ctx.default_locale if fell_back else None,
    )


# -- translation status -------------------------------------------------------------------------


def translation_status_page(ctx: PageContext) -> Markup:
    """Every translated page × language, with its state (see translation_status.py)."""
    states_by_page = ctx.catalogue.translation_states
    written_elsewhere = any(states.get(ctx.default_locale) != "original" for states in states_by_page.values())
    columns = [locale for locale in ctx.catalogue.locales if locale != ctx.default_locale or written_elsewhere]
    rows = []
    for page, states in sorted(states_by_page.items()):
        path = page.removesuffix(".md")
        cells = [{"locale": locale, "state": states.get(locale, "missing"), "label": ctx.t(f"translation_state_{states.get(locale, 'missing')}")} for locale in columns]
        rows.append({"page": path.removesuffix("/index") if path.endswith("/index") else path, "url": ctx.docs_page_url(path), "states": cells})
    totals = {state: sum(1 for row in rows for cell in row["states"] if cell["state"] == state) for state in ("current", "draft", "stale", "missing")}
    names = {locale: _babel_locale(locale).get_display_name(ctx.locale) for locale in columns}
    return ctx.render("translation_status.html", rows=rows, locales=columns, names=names, totals=[{"state": state, "count": count, "label": ctx.t(f"translation_state_{state}")} for state, count in totals.items()])


# -- open data ---------------------------------------------------------------------------------


def open_data_page(ctx: PageContext, schema_dir: Path) -> Markup:
    """The published files, with links relative to the site root, and the fields of each entry."""
    files = [{"name": name, "url": layout.relative_url(layout.open_data_file(name), ctx.page_url)} for name in layout.OPEN_DATA_FILES]
    schemas = []
    for title_key, schema_name in (("case_study", "case_study.schema.json"), ("learning_pattern", "pattern.schema.json")):
        fields = [
            {"name": name, "description": description, "lang": None if ctx.locale == ctx.default_locale else lang, "required": required}
            for name, description, lang, required in localized_schema_fields(schema_dir, schema_name, ctx.locale, ctx.default_locale)
        ]
        schemas.append({"id": schema_name.split(".")[0], "name": schema_name, "title": ctx.t(title_key), "url": layout.relative_url(f"{layout.SCHEMAS}/{schema_name}", ctx.page_url), "fields": fields})
    feed_url = layout.relative_url(ctx.tree_prefix + layout.FEED, ctx.page_url)
    return ctx.render("open_data.html", files=files, feed_url=feed_url, feed_name=layout.FEED, schemas=schemas)


def page_title(ctx: PageContext, kind: str, key: str) -> str:
    """The plain-text title of a generated page (escaped by the caller)."""
    if kind == "case_study":
        return ctx.pick(ctx.catalogue.case_studies[key].title)["text"]
    if kind == "pattern":
        return ctx.pick(ctx.catalogue.patterns[key].title)["text"]
    if kind == "pathway":
        return ctx.pick(ctx.catalogue.pathways[key].title)["text"]
    if kind == layout.CASE_STUDY_LIST:
        return ctx.t("all_case_studies_list")
    if kind == layout.SHEET:
        playbook = ctx.catalogue.playbooks[key]
        return f"{ctx.t('workshop_sheet')}: {playbook.titles.get(ctx.locale, playbook.titles[ctx.default_locale])}"
    raise KeyError(kind)
