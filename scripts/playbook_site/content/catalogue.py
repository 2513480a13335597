"""Load every data file and playbook, check them against each other, build a Catalogue.

`load_catalogue()` either returns a complete, consistent Catalogue or raises
DataError with every problem found, each pointing at a file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .. import languages as site_languages
from .. import layout
from ..layout import ALL_CASE_STUDIES
from . import place_names
from .place_names import known_countries, known_language
from .models import (
    CaseStudy,
    Citation,
    Catalogue,
    Endorsement,
    GlossaryTerm,
    Link,
    Localized,
    Participant,
    Partner,
    Pathway,
    PathwayStep,
    Pattern,
    Playbook,
    ShortLink,
    Source,
    Taxonomy,
)
from .playbook_checks import heading_id_problems, heading_titles, headings_without_id, macro_call_problems, unsafe_markdown_problems
from ..paths import DATA, DOCS, MKDOCS_YML, PLAYBOOKS, relative
from ..problems import DataError, Problem, did_you_mean
from .schema import schema_problems, translation_maps
from .translations import RECORDS_FILE, AlreadyRead
from .translations import matrix as translation_matrix
from .yaml_source import YamlDocument, load_yaml, parse_yaml_text, read_text_file

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.DOTALL)
LOCALE_SUFFIX = re.compile(r"^(?P<stem>[^.]+)\.(?P<locale>[a-z]{2,3}(?:_[A-Z]{2})?)$")
PATHWAY_STEP_KINDS = ("playbook", "pattern", "case_study", "page")


@dataclass(frozen=True)
class ContentRoots:
    """Where a site's content lives; tests point this at small fixture sites."""

    data: Path = DATA
    playbooks: Path = PLAYBOOKS
    docs: Path = DOCS
    mkdocs_yml: Path = MKDOCS_YML

    @classmethod
    def beside(cls, mkdocs_yml: Path, docs: Path | None = None) -> "ContentRoots":
        """The layout of this repository, around any mkdocs.yml."""
        root = mkdocs_yml.parent
        return cls(root / "data", root / "playbooks", docs or root / "docs", mkdocs_yml)

    @property
    def schemas(self) -> Path:
        return self.data / "schema"


def load_catalogue(roots: ContentRoots = ContentRoots(), locales: Iterable[str] | None = None, default_locale: str | None = None) -> Catalogue:
    locales = tuple(locales) if locales is not None else site_languages.locales(roots.mkdocs_yml)
    default_locale = default_locale or site_languages.default_locale(roots.mkdocs_yml)
    loader = _Loader(roots, locales, default_locale)
    return loader.load()


class _Loader:
    def __init__(self, roots: ContentRoots, locales: tuple[str, ...], default_locale: str):
        self.roots = roots
        self.locales = locales
        self.default_locale = default_locale
        self.problems: list[Problem] = []
        self._markdown: dict[Path, str] = {}  # playbook files, read once
        self._translation_maps: dict[Path, list[tuple[tuple, dict, bool]]] = {}  # per data file, from its schema

    # -- reading -----------------------------------------------------------

    def _read(self, path: Path, schema_name: str) -> YamlDocument | None:
        document, problems = load_yaml(path)
        self.problems.extend(problems)
        if document is None:
            return None
        problems = schema_problems(document, schema_name, self.roots.schemas)
        self.problems.extend(problems)
        if problems:
            return None
        self._translation_maps[document.path] = translation_maps(document.data, schema_name, self.roots.schemas)
        self._check_translation_maps(document)
        return document

    def _original_language(self, document: YamlDocument) -> str | None:
        """The language an entry is written in: its `original_language`, else the site's default."""
        data = document.data
        return data.get("original_language", self.default_locale) if isinstance(data, dict) else self.default_locale

    def _check_translation_maps(self, document: YamlDocument) -> None:
        """Text per language: only site languages, and always the entry's original language."""
        original = self._original_language(document)
        if original not in self.locales:
            names = ", ".join(self.locales)
            self.problems.append(document.problem(("original_language",), f"'{original}' is not a language of this site", did_you_mean(str(original), self.locales) + f" (write one of {names})"))
            original = None
        for path, value, optional in self._translation_maps[document.path]:
            for key in value:
                if key not in self.locales:
                    self.problems.append(document.problem(path + (key,), f"'{key}' is not a language of this site", did_you_mean(key, self.locales) + " (languages are listed in mkdocs.yml)", at_key=True))
            if original and not optional and original not in value:
                if original == self.default_locale:
                    hint = f"add a line `{original}: ...`, or set original_language to the language this entry is written in"
                else:
                    hint = f"this entry's original_language is '{original}', so write its text under `{original}:`"
                self.problems.append(document.problem(path, f"no '{original}' text", hint))

    def _entries(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        paths = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix != ".yml":
                self.problems.append(Problem(relative(path), 1, 1, "", "not a .yml file", "rename it to end in .yml, or move it out of this folder"))
                continue
            paths.append(path)
        return paths

    # -- the whole catalogue -----------------------------------------------

    def load(self) -> Catalogue:
        data = self.roots.data
        taxonomy_doc = self._read(data / "taxonomy.yml", "taxonomy.schema.json")
        sources_doc = self._read(data / "sources.yml", "sources.schema.json")
        ui_doc = self._read(data / "ui.yml", "ui.schema.json")
        reviews_doc = self._read(data / "translation_reviews.yml", "translation_reviews.schema.json")
        glossary_doc = self._read(data / "glossary.yml", "glossary.schema.json")
        pathways_doc = self._read(data / "pathways.yml", "pathways.schema.json")
        # Optional: a site may have no extra short links and nothing renamed yet.
        short_links_doc = self._read(data / "short_links.yml", "short_links.schema.json") if (data / "short_links.yml").exists() else None
        redirects_doc = self._read(data / "redirects.yml", "redirects.schema.json") if (data / "redirects.yml").exists() else None
        records_doc = self._read(data / RECORDS_FILE, "translation_sources.schema.json") if (data / RECORDS_FILE).exists() else None
        case_docs = [doc for path in self._entries(data / "case_studies") if (doc := self._read(path, "case_study.schema.json"))]
        pattern_docs = [doc for path in self._entries(data / "patterns") if (doc := self._read(path, "pattern.schema.json"))]
        playbooks = self._load_playbooks()

        if None in (taxonomy_doc, sources_doc, ui_doc, reviews_doc, glossary_doc, pathways_doc):
            raise DataError(self.problems)

        taxonomy = self._taxonomy(taxonomy_doc)
        sources = {key: self._source(key, value) for key, value in sources_doc.data.items()}
        ui = {key: self._localized(value) for key, value in ui_doc.data.items()}
        self._check_complete_translations(taxonomy_doc)
        self._check_complete_translations(ui_doc)
        self._check_complete_translations(glossary_doc, optional=("matches",))
        self._check_complete_translations(pathways_doc)
        glossary = {key: self._glossary_term(key, value) for key, value in glossary_doc.data.items()}
        pathways = {key: self._pathway(key, value) for key, value in pathways_doc.data.items()}

        case_studies = {doc.data["id"]: self._case_study(doc) for doc in case_docs if self._check_id(doc)}
        patterns = {doc.data["id"]: self._pattern(doc) for doc in pattern_docs if self._check_id(doc)}

        references = _References(taxonomy, sources, case_studies, patterns, playbooks, pathways)
        for doc in case_docs:
            self._check_case_study_references(doc, references)
        self._check_participant_roles(case_docs)
        for doc in pattern_docs:
            self._check_pattern_references(doc, references)
        for slug, (playbook, doc) in playbooks.items():
            if doc is not None:
                self._check_playbook_references(doc, references)
            self._check_playbook_markdown(playbook, references)
        self._check_glossary(glossary_doc, glossary, references)
        page_titles = self._check_pathways(pathways_doc, references)
        short_links = self._short_links(playbooks, short_links_doc, references)
        redirects = self._redirects(redirects_doc, references)

        if self.problems:
            raise DataError(self.problems)
        reviewed = {locale: frozenset(pages) for locale, pages in (reviews_doc.data or {}).items()}
        records = {key: dict(value or {}) for key, value in ((records_doc.data or {}) if records_doc else {}).items()}
        already_read = AlreadyRead(self._markdown, {doc.path: doc.data for doc in case_docs + pattern_docs})
        translation_states = {source.page: states for source, states in translation_matrix(self.roots, self.locales, self.default_locale, reviewed, records, already_read) if source.page}
        return Catalogue(
            locales=self.locales,
            default_locale=self.default_locale,
            taxonomy=taxonomy,
            sources=sources,
            ui=ui,
            case_studies=case_studies,
            patterns=patterns,
            playbooks={slug: playbook for slug, (playbook, _doc) in playbooks.items()},
            glossary=glossary,
            pathways=pathways,
            page_titles=page_titles,
            short_links=short_links,
            redirects=redirects,
            reviewed_translations=reviewed,
            translation_states=translation_states,
        )

    # -- building models ---------------------------------------------------

    def _localized(self, value: Mapping[str, Any], convert: Callable[[Any], Any] = str, original: str | None = None) -> Localized:
        if original is None:
            original = self.default_locale if self.default_locale in value or not value else next(iter(value))
        return Localized({locale: convert(text) for locale, text in value.items()}, original)

    def _citations(self, values: Iterable[Any]) -> tuple[Citation, ...]:
        """Each source as written: an id of data/sources.yml, a page, or a first-hand report."""
        found = []
        for value in values:
            if isinstance(value, str):
                found.append(Citation("note", note=value))
            elif "reported_by" in value:
                found.append(Citation("report", reported_by=value["reported_by"], date=str(value["date"])))
            else:
                found.append(Citation("link", title=value["title"], url=value["url"], date=value.get("date"), license=value.get("license")))
        return tuple(found)

    def _links(self, values: Iterable[Mapping[str, str]]) -> tuple[Link, ...]:
        return tuple(Link(item["title"], item["url"]) for item in values)

    def _taxonomy(self, doc: YamlDocument) -> Taxonomy:
        vocab = {name: {key: self._localized(labels) for key, labels in doc.data[name].items()} for name in ("regions", "partner_types", "themes", "pattern_categories")}
        return Taxonomy(**vocab)

    def _source(self, key: str, value: Mapping[str, Any]) -> Source:
        return Source(key, value["title"], value.get("url"), value.get("date"), self._localized(value["description"]), value["license"])

    def _case_study(self, doc: YamlDocument) -> CaseStudy:
        data = doc.data
        original = self._original_language(doc)

        def text(value: Mapping[str, Any], convert: Callable[[Any], Any] = str) -> Localized:
            return self._localized(value, convert, original)

        return CaseStudy(
            id=data["id"],
            title=text(data["title"]),
            summary=text(data["summary"]),
            affiliates=tuple(data.get("affiliates", [])),
            other_participants=tuple(Participant(p["name"], p["role"]) for p in data.get("other_participants", [])),
            partners=tuple(Partner(text(p["name"]), p["type"]) for p in data["partners"]),
            region=data["region"],
            countries=tuple(data.get("countries", [])),
            languages=tuple(data.get("languages", [])),
            years=tuple(sorted(data["years"])),
            themes=tuple(data["themes"]),
            what_worked=text(data["what_worked"], tuple),
            what_did_not_work=text(data["what_did_not_work"], tuple) if "what_did_not_work" in data else None,
            lessons=text(data["lessons"], tuple),
            patterns=tuple(data.get("patterns", [])),
            playbooks=tuple(data.get("playbooks", [])),
            sources=self._citations(data["sources"]),
            further_reading=self._links(data.get("further_reading", [])),
            license=data["license"],
            added=data["added"],
            path=doc.path,
            original_language=original,
        )

    def _pattern(self, doc: YamlDocument) -> Pattern:
        data = doc.data
        original = self._original_language(doc)

        def text(value: Mapping[str, Any], convert: Callable[[Any], Any] = str) -> Localized:
            return self._localized(value, convert, original)

        return Pattern(
            id=data["id"],
            title=text(data["title"]),
            category=data["category"],
            problem=text(data["problem"]),
            solution=text(data["solution"]),
            things_to_consider=text(data["things_to_consider"], tuple),
            when_to_use=text(data["when_to_use"], tuple),
            when_not_to_use=text(data["when_not_to_use"], tuple) if "when_not_to_use" in data else None,
            endorsements=tuple(
                Endorsement(e["by"], e.get("date"), self._localized(e["comment"]) if "comment" in e else None) for e in data.get("endorsements", [])
            ),
            see_also=self._links(data.get("see_also", [])),
            related_patterns=tuple(data.get("related_patterns", [])),
            sources=self._citations(data["sources"]),
            added=data["added"],
            path=doc.path,
            original_language=original,
        )

    def _glossary_term(self, key: str, value: Mapping[str, Any]) -> GlossaryTerm:
        return GlossaryTerm(
            id=key,
            term=self._localized(value["term"]),
            matches=self._localized(value.get("matches", {}), tuple),
            definition=self._localized(value["definition"]),
            sources=tuple(value.get("sources", [])),
            learn_more=value.get("learn_more"),
        )

    def _pathway(self, key: str, value: Mapping[str, Any]) -> Pathway:
        steps = []
        for step in value["steps"]:
            kinds = [kind for kind in PATHWAY_STEP_KINDS if kind in step]
            if len(kinds) == 1:
                steps.append(PathwayStep(kinds[0], step[kinds[0]], self._localized(step["why"]), step.get("minutes")))
        return Pathway(key, self._localized(value["title"]), self._localized(value["audience"]), self._localized(value["intro"]), tuple(steps), tuple(value.get("partner_types", ())))

    # -- playbooks ---------------------------------------------------------

    def _load_playbooks(self) -> dict[str, tuple[Playbook, YamlDocument | None]]:
        folder = self.roots.playbooks
        groups: dict[str, dict[str, Path]] = {}
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            stem = path.name[: -len(".md")]
            match = LOCALE_SUFFIX.match(stem)
            if match:
                slug, locale = match["stem"], match["locale"]
                if locale not in self.locales:
                    self.problems.append(Problem(relative(path), 1, 1, "", f"'.{locale}.md' is not a language of this site", did_you_mean(locale, self.locales) + "; translations are named <slug>.<language>.md"))
                    continue
            elif "." in stem:
                self.problems.append(Problem(relative(path), 1, 1, "", "playbook file names may not contain dots", "name it <slug>.md, or <slug>.<language>.md for a translation"))
                continue
            else:
                slug, locale = stem, self.default_locale
            groups.setdefault(slug, {})[locale] = path

        playbooks: dict[str, tuple[Playbook, YamlDocument | None]] = {}
        for slug, files in groups.items():
            if self.default_locale not in files:
                some = next(iter(files.values()))
                self.problems.append(Problem(relative(some), 1, 1, "", f"translation without an original: playbooks/{slug}.md is missing", "add the English file first"))
                continue
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) or len(slug) < 3:
                self.problems.append(Problem(relative(files[self.default_locale]), 1, 1, "", f"'{slug}' is not a valid playbook name", "use 3 or more lowercase letters, digits and hyphens"))
                continue
            titles: dict[str, str] = {}
            headings: dict[str, dict[str, str]] = {}
            meta_doc: YamlDocument | None = None
            for locale, path in list(files.items()):
                text, problems = read_text_file(path)
                if text is None:
                    self.problems.extend(problems)
                    del files[locale]
                    continue
                self._markdown[path] = text
                front = FRONT_MATTER.match(text)
                if locale == self.default_locale:
                    meta_doc = self._front_matter(path, front)
                elif front:
                    self.problems.append(Problem(relative(path), 1, 1, "", "translations take no front matter", f"links are read from playbooks/{slug}.md only; remove the --- block"))
                body = text[front.end() :] if front else text
                headings[locale] = heading_titles(body)
                title = _first_heading(body)
                if title is None:
                    self.problems.append(Problem(relative(path), 1, 1, "", "no title", "start the page with a line `# Title`"))
                    continue
                titles[locale] = title
            meta = meta_doc.data if meta_doc else {"patterns": [], "case_studies": [], "sources": []}
            playbook = Playbook(slug, titles, tuple(meta["patterns"]), tuple(meta["case_studies"]), tuple(meta["sources"]), dict(files), self.default_locale, meta.get("short_link"), headings, dict(meta.get("step_minutes", {})))
            playbooks[slug] = (playbook, meta_doc)
        return playbooks

    def _front_matter(self, path: Path, front: re.Match | None) -> YamlDocument | None:
        if front is None:
            self.problems.append(Problem(relative(path), 1, 1, "", "missing front matter", "start the file with a --- block listing patterns, case_studies and sources (see README)"))
            return None
        # Keep line numbers true to the .md file: pad with the opening --- line.
        document, problems = parse_yaml_text("\n" + (front.group(1) or ""), path)
        self.problems.extend(problems)
        if document is None:
            if not problems:
                self.problems.append(Problem(relative(path), 1, 1, "", "empty front matter", "list patterns, case_studies and sources"))
            return None
        problems = schema_problems(document, "playbook.schema.json", self.roots.schemas)
        self.problems.extend(problems)
        return None if problems else document

    # -- cross-checks ------------------------------------------------------

    def _check_id(self, doc: YamlDocument) -> bool:
        if doc.data["id"] == ALL_CASE_STUDIES and "case_studies" in doc.path.parts:
            self.problems.append(doc.problem(("id",), f"'{ALL_CASE_STUDIES}' is taken by the page that lists every case study", "choose a longer id, like the partners' names joined by hyphens"))
            return False
        if doc.data["id"] != doc.path.stem:
            self.problems.append(doc.problem(("id",), f"id '{doc.data['id']}' differs from the file name '{doc.path.name}'", f"rename the file to {doc.data['id']}.yml or set id: {doc.path.stem}"))
            return False
        return True

    def _check_complete_translations(self, doc: YamlDocument, optional: tuple[str, ...] = ()) -> None:
        """Labels and texts of the site's frame must exist in every language (except `optional` fields)."""
        for path, value, optional_languages in self._translation_maps.get(doc.path, []):
            if optional_languages or (path and path[-1] in optional):
                continue
            for locale in self.locales:
                if locale not in value:
                    self.problems.append(doc.problem(path, f"no '{locale}' translation", f"add a line `{locale}: ...`; labels are needed in every language"))

    def _check_ref(self, doc: YamlDocument, field: tuple, value: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value not in known:
            self.problems.append(doc.problem(field, f"unknown {what} '{value}'", did_you_mean(value, known)))

    def _check_refs(self, doc: YamlDocument, field: tuple, values: Iterable[str], known: Iterable[str], what: str) -> None:
        for number, value in enumerate(values):
            self._check_ref(doc, field + (number,), value, known, what)

    def _check_playbook_markdown(self, playbook: Playbook, refs: "_References") -> None:
        known = {
            "source_in_front_matter": playbook.sources,
            "pattern": refs.patterns,
            "case_study": refs.case_studies,
            "theme": refs.taxonomy.themes,
            "region": refs.taxonomy.regions,
            "partner_type": refs.taxonomy.partner_types,
        }
        original = playbook.files.get(self.default_locale)
        for locale, path in playbook.files.items():
            markdown = self._markdown[path]
            self.problems.extend(macro_call_problems(path, markdown, known))
            self.problems.extend(unsafe_markdown_problems(path, markdown))
            self.problems.extend(headings_without_id(path, markdown))
            if locale != self.default_locale and original is not None:
                self.problems.extend(heading_id_problems(original, self._markdown[original], path, markdown))

    def _check_participant_roles(self, case_docs: Iterable[YamlDocument]) -> None:
        """A name given a non-affiliate role in one case study must not be listed as an affiliate in another."""
        case_docs = list(case_docs)
        roles: dict[str, tuple[str, str]] = {}
        for doc in case_docs:
            for item in doc.data.get("other_participants", []):
                roles.setdefault(item["name"].casefold(), (item["role"], doc.name))
        for doc in case_docs:
            for number, name in enumerate(doc.data.get("affiliates", [])):
                if name.casefold() in roles:
                    role, where = roles[name.casefold()]
                    self.problems.append(doc.problem(("affiliates", number), f"'{name}' is a {role}, not an affiliate (see {where})", f"move it to other_participants with role: {role}"))

    def _check_case_study_references(self, doc: YamlDocument, refs: "_References") -> None:
        data = doc.data
        self._check_ref(doc, ("region",), data["region"], refs.taxonomy.regions, "region")
        self._check_refs(doc, ("themes",), data["themes"], refs.taxonomy.themes, "theme")
        for number, partner in enumerate(data["partners"]):
            self._check_ref(doc, ("partners", number, "type"), partner["type"], refs.taxonomy.partner_types, "partner type")
        self._check_refs(doc, ("patterns",), data.get("patterns", []), refs.patterns, "learning pattern")
        self._check_refs(doc, ("playbooks",), data.get("playbooks", []), refs.playbooks, "playbook")
        self._check_source_refs(doc, refs)
        for number, code in enumerate(data.get("countries", [])):
            if code not in refs.countries:
                named = place_names.country(code, self.locales)
                hint = f"write {named.codes[0]} for {code}" if len(named.codes) == 1 else did_you_mean(code, refs.countries)
                self.problems.append(doc.problem(("countries", number), f"'{code}' is not an ISO 3166 country code", hint))
        for number, tag in enumerate(data.get("languages", [])):
            if not known_language(tag):
                named = place_names.language(tag, self.locales)
                hint = f"write {named.codes[0]} for {tag}" if len(named.codes) == 1 else "use a BCP 47 code, like es, hy or pt-BR"
                self.problems.append(doc.problem(("languages", number), f"'{tag}' is not a known language code", hint))

    def _check_glossary(self, doc: YamlDocument, glossary: Mapping[str, GlossaryTerm], refs: "_References") -> None:
        """Sources must exist, and no written form may belong to two terms in one language."""
        owner: dict[tuple[str, str], str] = {}
        for key, term in glossary.items():
            self._check_refs(doc, (key, "sources"), term.sources, refs.sources, "source")
            for locale in self.locales:
                for form in term.forms(locale):
                    folded = (locale, form.casefold())
                    if folded in owner and owner[folded] != key:
                        field = (key, "matches", locale) if form != term.term.values.get(locale) else (key, "term", locale)
                        self.problems.append(doc.problem(field, f"'{form}' is already a form of '{owner[folded]}'", "a form can explain only one term; remove it from one of them"))
                    owner.setdefault(folded, key)

    def _check_pathways(self, doc: YamlDocument, refs: "_References") -> dict[str, dict[str, str]]:
        """Each step names one existing page; returns the titles of the docs/ pages named."""
        known = {"playbook": (refs.playbooks, "playbook"), "pattern": (refs.patterns, "learning pattern"), "case_study": (refs.case_studies, "case study")}
        page_titles: dict[str, dict[str, str]] = {}
        for key, pathway in doc.data.items():
            self._check_refs(doc, (key, "partner_types"), pathway.get("partner_types", ()), refs.taxonomy.partner_types, "partner type")
            for number, step in enumerate(pathway["steps"]):
                field = (key, "steps", number)
                kinds = [kind for kind in PATHWAY_STEP_KINDS if kind in step]
                if len(kinds) != 1:
                    found = " and ".join(kinds) if kinds else "none"
                    self.problems.append(doc.problem(field, f"a step names one page, found {found}", "write one of `playbook: ...`, `pattern: ...`, `case_study: ...` or `page: ...`"))
                    continue
                kind, target = kinds[0], step[kinds[0]]
                if kind in known:
                    entries, what = known[kind]
                    self._check_ref(doc, field + (kind,), target, entries, what)
                elif target not in page_titles:
                    titles = self._docs_page_titles(target)
                    if titles is None:
                        pages = [str(p.relative_to(self.roots.docs).with_suffix("")) for p in self.roots.docs.rglob("*.md") if "." not in p.stem]
                        self.problems.append(doc.problem(field + (kind,), f"there is no page docs/{target}.md", did_you_mean(target, pages)))
                    else:
                        page_titles[target] = titles
        return page_titles

    def _short_links(self, playbooks: Mapping[str, tuple[Playbook, YamlDocument | None]], doc: YamlDocument | None, refs: "_References") -> dict[str, ShortLink]:
        """Each playbook's code and code-<n> per step, then the extra links of data/short_links.yml."""
        links: dict[str, ShortLink] = {}
        owners: dict[str, str] = {}
        for slug, (playbook, meta_doc) in playbooks.items():
            if not playbook.short_link or meta_doc is None:
                continue
            generated = {playbook.short_link: None} | {f"{playbook.short_link}-{step.removeprefix('step-')}": step for step in playbook.step_ids()}
            for code, anchor in generated.items():
                if code in links:
                    self.problems.append(meta_doc.problem(("short_link",), f"short link /go/{code}/ is already used by playbooks/{owners[code]}.md", "choose another short_link"))
                    break
                links[code] = ShortLink(code, "playbook", slug, anchor)
                owners[code] = slug
        if doc is None:
            return links
        known = {"playbook": (refs.playbooks, "playbook"), "pattern": (refs.patterns, "learning pattern"), "case_study": (refs.case_studies, "case study"), "pathway": (refs.pathways, "pathway")}
        for code, entry in (doc.data or {}).items():
            kinds = [kind for kind in (*known, "page") if kind in entry]
            if len(kinds) != 1:
                self.problems.append(doc.problem((code,), f"a short link names one page, found {' and '.join(kinds) or 'none'}", "write one of playbook, pattern, case_study, pathway or page"))
                continue
            kind, target, anchor = kinds[0], entry[kinds[0]], entry.get("anchor")
            if code in links:
                self.problems.append(doc.problem((code,), f"/go/{code}/ is already the short link of playbooks/{owners[code]}.md", "choose another code"))
                continue
            if kind == "page":
                if self._docs_page_titles(target) is None:
                    self.problems.append(doc.problem((code, kind), f"there is no page docs/{target}.md", "name a page of docs/ by its path without .md"))
                    continue
            else:
                entries, what = known[kind]
                if target not in entries:
                    self._check_ref(doc, (code, kind), target, entries, what)
                    continue
                if kind == "playbook" and anchor is not None:
                    ids = list(playbooks[target][0].headings.get(self.default_locale, {}))
                    if anchor not in ids:
                        self.problems.append(doc.problem((code, "anchor"), f"playbooks/{target}.md has no heading {{#{anchor}}}", did_you_mean(anchor, ids)))
                        continue
            links[code] = ShortLink(code, kind, target, anchor)
        return links

    def _redirects(self, doc: YamlDocument | None, refs: "_References") -> dict[str, str]:
        """Old path -> new path; the old one must be free and the new one a real page."""
        if doc is None or not doc.data:
            return {}
        redirects = {}
        for old, new in doc.data.items():
            if self._site_page_exists(old, refs):
                self.problems.append(doc.problem((old,), f"{old} is still a page of the site", "a redirect is only for an address that no longer exists; remove this line"))
                continue
            if not self._site_page_exists(new.split("#", 1)[0], refs):
                self.problems.append(doc.problem((old,), f"the new address {new} is not a page of the site", "write the path of an existing page, like playbooks/onboarding-a-glam-partner/"))
                continue
            redirects[old] = new
        return redirects

    def _site_page_exists(self, path: str, refs: "_References") -> bool:
        """Is `path` (like patterns/start-with-a-pilot/) a page of every language tree?"""
        entry = layout.section_of(path)
        entries = {"playbook": refs.playbooks, "pattern": refs.patterns, "case_study": refs.case_studies, "pathway": refs.pathways, layout.SHEET: refs.playbooks}
        if entry is not None:
            return entry[1] in entries[entry[0]]
        page = path.strip("/") or "index"
        return self._docs_page_titles(page) is not None or self._docs_page_titles(f"{page}/index") is not None

    def _docs_page_titles(self, page: str) -> dict[str, str] | None:
        """The `# ` title of docs/<page>.md in each language that has the page."""
        titles = {}
        for locale in self.locales:
            path = self.roots.docs / f"{page}{layout.source_suffix(locale, self.default_locale)}.md"
            if path.is_file():
                text, problems = read_text_file(path)
                if text is None:
                    self.problems.extend(problems)
                    continue
                front = FRONT_MATTER.match(text)
                title = _first_heading(text[front.end() :] if front else text)
                if title:
                    titles[locale] = title
        return titles if self.default_locale in titles else None

    def _check_pattern_references(self, doc: YamlDocument, refs: "_References") -> None:
        data = doc.data
        self._check_ref(doc, ("category",), data["category"], refs.taxonomy.pattern_categories, "pattern category")
        self._check_refs(doc, ("related_patterns",), data.get("related_patterns", []), refs.patterns, "learning pattern")
        self._check_source_refs(doc, refs)

    def _check_source_refs(self, doc: YamlDocument, refs: "_References") -> None:
        """Ids must name a field note; pages and first-hand reports are checked by the schema."""
        for number, value in enumerate(doc.data["sources"]):
            if isinstance(value, str) and value not in refs.sources:
                hint = did_you_mean(value, refs.sources)
                self.problems.append(doc.problem(("sources", number), f"unknown source '{value}'", (hint + "; " if hint else "") + "a source of your own is written as `- title: ...` with `url: https://...`, or `- reported_by: ...` with `date: YYYY-MM`"))

    def _check_playbook_references(self, doc: YamlDocument, refs: "_References") -> None:
        data = doc.data
        self._check_refs(doc, ("patterns",), data["patterns"], refs.patterns, "learning pattern")
        self._check_refs(doc, ("case_studies",), data["case_studies"], refs.case_studies, "case study")
        self._check_refs(doc, ("sources",), data["sources"], refs.sources, "source")
        steps = refs.playbooks[doc.path.stem][0].step_ids() if doc.path.stem in refs.playbooks else []
        for step_id in data.get("step_minutes", {}):
            if step_id not in steps:
                self.problems.append(doc.problem(("step_minutes", step_id), f"there is no heading {{#{step_id}}} in this playbook", did_you_mean(step_id, steps), at_key=True))


@dataclass
class _References:
    taxonomy: Taxonomy
    sources: Mapping[str, Source]
    case_studies: Mapping[str, CaseStudy]
    patterns: Mapping[str, Pattern]
    playbooks: Mapping[str, Any]
    pathways: Mapping[str, Any]

    @property
    def countries(self) -> list[str]:
        return sorted(known_countries())


def _first_heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip()
    return None
