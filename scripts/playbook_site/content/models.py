"""Typed, validated content: what the rest of the code works with.

Everything here is built by catalogue.py from files that already passed the
JSON Schemas and the cross-checks, so these classes trust their input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Mapping, TypeVar

from ..layout import SHEET

T = TypeVar("T")


@dataclass(frozen=True)
class Localized(Generic[T]):
    """A value per language. The `original` language is always there; others may be missing.

    `original` is the site's default language, except in a case study or
    pattern written in another language (its `original_language`).
    """

    values: Mapping[str, T]
    original: str

    def get(self, locale: str, fallback: str | None = None) -> tuple[T, str]:
        """The value in `locale`, else in `fallback` if given and present, else in the original; with the locale used."""
        if locale in self.values:
            return self.values[locale], locale
        if fallback is not None and fallback in self.values:
            return self.values[fallback], fallback
        return self.values[self.original], self.original

    def has(self, locale: str) -> bool:
        return locale in self.values


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Source:
    """One of the field notes the content is drawn from (data/sources.yml)."""

    id: str
    title: str
    url: str | None
    date: str | None
    description: Localized[str]
    license: str


@dataclass(frozen=True)
class Citation:
    """Where an entry's facts come from. Exactly one of three kinds:

    - "note": one of the field notes of data/sources.yml (`note` is its id);
    - "link": a page of the contributor's own (`title`, `url`, maybe `date` and `license`);
    - "report": a first-hand account (`reported_by`, an affiliate or a user name, and `date`).
    """

    kind: str
    note: str | None = None
    title: str | None = None
    url: str | None = None
    reported_by: str | None = None
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    license: str | None = None


def note_ids(citations: "tuple[Citation, ...]") -> tuple[str, ...]:
    """The data/sources.yml ids among `citations`, in order."""
    return tuple(c.note for c in citations if c.kind == "note" and c.note)


@dataclass(frozen=True)
class Partner:
    name: Localized[str]
    type: str


@dataclass(frozen=True)
class Participant:
    """A movement body in a case study that is not an affiliate: a project, committee or discussion."""

    name: str
    role: str


@dataclass(frozen=True)
class CaseStudy:
    id: str
    title: Localized[str]
    summary: Localized[str]
    affiliates: tuple[str, ...]
    other_participants: tuple[Participant, ...]
    partners: tuple[Partner, ...]
    region: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    years: tuple[int, ...]
    themes: tuple[str, ...]
    what_worked: Localized[tuple[str, ...]]
    what_did_not_work: Localized[tuple[str, ...]] | None  # None: the sources record nothing
    lessons: Localized[tuple[str, ...]]
    patterns: tuple[str, ...]
    playbooks: tuple[str, ...]
    sources: tuple[Citation, ...]
    further_reading: tuple[Link, ...]
    license: str
    added: str
    path: Path
    original_language: str


@dataclass(frozen=True)
class Endorsement:
    by: str
    date: str | None
    comment: Localized[str] | None


@dataclass(frozen=True)
class Pattern:
    id: str
    title: Localized[str]
    category: str
    problem: Localized[str]
    solution: Localized[str]
    things_to_consider: Localized[tuple[str, ...]]
    when_to_use: Localized[tuple[str, ...]]
    when_not_to_use: Localized[tuple[str, ...]] | None
    endorsements: tuple[Endorsement, ...]
    see_also: tuple[Link, ...]
    related_patterns: tuple[str, ...]
    sources: tuple[Citation, ...]
    added: str
    path: Path
    original_language: str


@dataclass(frozen=True)
class Playbook:
    """playbooks/<slug>.md and its translations; links come from the front matter of the original (default language)."""

    slug: str
    titles: Mapping[str, str]
    patterns: tuple[str, ...]
    case_studies: tuple[str, ...]
    sources: tuple[str, ...]
    files: Mapping[str, Path]
    original: str  # the language of playbooks/<slug>.md: the site's default
    short_link: str | None = None
    # Section titles by language and heading id: {"es": {"step-3": "3. Explica ..."}}
    headings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Suggested minutes per step id, from the front matter: {"step-6": 90}
    step_minutes: Mapping[str, int] = field(default_factory=dict)

    def step_ids(self) -> list[str]:
        """The `step-<n>` heading ids, in order."""
        return [heading for heading in self.headings.get(self.original, {}) if re.fullmatch(r"step-\d+", heading)]


@dataclass(frozen=True)
class ShortLink:
    """/go/<code>/: a stable address that leads to a page (and section) in any language."""

    code: str
    kind: str  # playbook, pattern, case_study, pathway or page
    target: str
    anchor: str | None = None


@dataclass(frozen=True)
class GlossaryTerm:
    """A word explained on the glossary page and on hover where it appears."""

    id: str
    term: Localized[str]
    matches: Localized[tuple[str, ...]]
    definition: Localized[str]
    sources: tuple[str, ...]
    learn_more: str | None

    def forms(self, locale: str) -> tuple[str, ...]:
        """Every written form of the term in `locale`, the term itself first."""
        extra = self.matches.values.get(locale, ())
        return (self.term.values[locale], *extra) if locale in self.term.values else tuple(extra)


@dataclass(frozen=True)
class PathwayStep:
    """One reading of a pathway: `kind` is playbook, pattern, case_study or page."""

    kind: str
    target: str
    why: Localized[str]
    minutes: int | None = None


@dataclass(frozen=True)
class Pathway:
    id: str
    title: Localized[str]
    audience: Localized[str]
    intro: Localized[str]
    steps: tuple[PathwayStep, ...]
    # Empty for the audience pathways; else the partner types it is made for.
    partner_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    regions: Mapping[str, Localized[str]]
    partner_types: Mapping[str, Localized[str]]
    themes: Mapping[str, Localized[str]]
    pattern_categories: Mapping[str, Localized[str]]


@dataclass
class Catalogue:
    """All content of the site, loaded and checked once per build."""

    locales: tuple[str, ...]
    default_locale: str
    taxonomy: Taxonomy
    sources: Mapping[str, Source]
    ui: Mapping[str, Localized[str]]
    case_studies: Mapping[str, CaseStudy]
    patterns: Mapping[str, Pattern]
    playbooks: Mapping[str, Playbook]
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=dict)
    pathways: Mapping[str, Pathway] = field(default_factory=dict)
    # Titles of authored docs/ pages that data links to, by path and language.
    page_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    short_links: Mapping[str, ShortLink] = field(default_factory=dict)
    # Old path -> new path (with an optional #anchor), relative to a language tree.
    redirects: Mapping[str, str] = field(default_factory=dict)
    reviewed_translations: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # docs/-relative page -> language -> current, draft, stale or missing (translation_status.py)
    translation_states: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    _index: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Derive every reverse link once, so no link is ever maintained twice."""
        index: dict[str, dict[str, list[str]]] = {
            "case_studies_by_pattern": {},
            "playbooks_by_pattern": {},
            "case_studies_by_playbook": {},
        }
        for case_study in self.case_studies.values():
            for pattern_id in case_study.patterns:
                index["case_studies_by_pattern"].setdefault(pattern_id, []).append(case_study.id)
            for slug in case_study.playbooks:
                index["case_studies_by_playbook"].setdefault(slug, []).append(case_study.id)
        for playbook in self.playbooks.values():
            for pattern_id in playbook.patterns:
                index["playbooks_by_pattern"].setdefault(pattern_id, []).append(playbook.slug)
            for case_id in playbook.case_studies:
                listed = index["case_studies_by_playbook"].setdefault(playbook.slug, [])
                if case_id not in listed:
                    listed.append(case_id)
        self._index = index

    def case_studies_using_pattern(self, pattern_id: str) -> list[CaseStudy]:
        return [self.case_studies[i] for i in sorted(self._index["case_studies_by_pattern"].get(pattern_id, []))]

    def playbooks_using_pattern(self, pattern_id: str) -> list[Playbook]:
        return [self.playbooks[s] for s in sorted(self._index["playbooks_by_pattern"].get(pattern_id, []))]

    def case_studies_for_playbook(self, slug: str) -> list[CaseStudy]:
        return [self.case_studies[i] for i in self._index["case_studies_by_playbook"].get(slug, [])]

    def patterns_related_to(self, pattern_id: str) -> list[Pattern]:
        """Related patterns in both directions: listed by this pattern, or listing it."""
        pattern = self.patterns[pattern_id]
        related = set(pattern.related_patterns)
        related.update(other.id for other in self.patterns.values() if pattern_id in other.related_patterns)
        related.discard(pattern_id)
        return [self.patterns[i] for i in sorted(related)]

    def entries_showing(self, kind: str, key: str) -> set[tuple[str, str]]:
        """The entries whose own pages show `kind`/`key` (its title, card or link), itself included.

        `kind` is case_study, pattern, playbook or pathway; a playbook also
        has its workshop sheet (`sheet`). These are the links above, read in
        both directions, so `make serve` rebuilds exactly the pages an edit
        reaches. Pages that list every entry (the explorer, the index pages,
        overview) are not entries: the dev server rebuilds every page that
        calls a macro on any data edit.
        """
        shown: set[tuple[str, str]] = {(kind, key)}
        if kind == "case_study" and key in self.case_studies:
            shown |= {("pattern", pattern_id) for pattern_id in self.case_studies[key].patterns}
            shown |= {("playbook", slug) for slug, cases in self._index["case_studies_by_playbook"].items() if key in cases}
        elif kind == "pattern":
            shown |= {("case_study", case.id) for case in self.case_studies_using_pattern(key)}
            shown |= {("playbook", playbook.slug) for playbook in self.playbooks_using_pattern(key)}
            if key in self.patterns:
                shown |= {("pattern", pattern.id) for pattern in self.patterns_related_to(key)}
        elif kind == "playbook":
            shown.add((SHEET, key))
            shown |= {("case_study", case.id) for case in self.case_studies_for_playbook(key)}
            if key in self.playbooks:
                shown |= {("pattern", pattern_id) for pattern_id in self.playbooks[key].patterns}
        shown |= {("pathway", pathway.id) for pathway in self.pathways.values() if any(step.kind == kind and step.target == key for step in pathway.steps)}
        return shown

    def citations_of(self, source_id: str) -> dict[str, list[str]]:
        """Which case studies, patterns and playbooks cite a source."""
        return {
            "case_studies": sorted(c.id for c in self.case_studies.values() if source_id in note_ids(c.sources)),
            "patterns": sorted(p.id for p in self.patterns.values() if source_id in note_ids(p.sources)),
            "playbooks": sorted(p.slug for p in self.playbooks.values() if source_id in p.sources),
            "glossary": sorted(g.id for g in self.glossary.values() if source_id in g.sources),
        }

    def translation_state(self, locale: str, page_path: str) -> str | None:
        """How up to date the `locale` translation of a docs/ page is, if it is tracked."""
        return self.translation_states.get(page_path, {}).get(locale)

    def is_reviewed(self, locale: str, page_path: str) -> bool:
        """Has a native speaker reviewed the `locale` translation of this docs/ page?"""
        return page_path in self.reviewed_translations.get(locale, frozenset())

    def text(self, key: str, locale: str) -> str:
        """An interface string in `locale` (every locale is required in data/ui.yml)."""
        return self.ui[key].get(locale)[0]

    def own_sources(self) -> list[tuple[str, str, Citation]]:
        """(kind, id, citation) of every link or first-hand report that an entry cites itself."""
        found = [("case_study", c.id, s) for c in self.case_studies.values() for s in c.sources if s.kind != "note"]
        found += [("pattern", p.id, s) for p in self.patterns.values() for s in p.sources if s.kind != "note"]
        return found
