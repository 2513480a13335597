"""Translation freshness: which English version each translation was made from.

Every translatable source has a fingerprint: a short hash of its English text
(a playbook or docs page's Markdown; a case study's or pattern's English
fields). data/translation_sources.yml records, per source and language, the
fingerprint of the English the translation was made from. Comparing it with
today's English gives each translation a state:

- missing: there is no translation in that language;
- stale: the English changed since (or the translation was never recorded);
- draft: up to date, not yet reviewed by a native speaker;
- current: up to date and reviewed (data/translation_reviews.yml).

A case study or pattern written in another language (`original_language`)
is fingerprinted in that language, and its English is a translation like any
other; its own language has the state "original".

    python -m playbook_site translation-status            # the matrix
    python -m playbook_site translation-status --record es playbooks/x.md
    python -m playbook_site translation-status --record-all   # after a full review of every translation
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping


from .. import layout
from .schema_docs import schema_description_translations, schema_fields
from .yaml_source import load_yaml

if TYPE_CHECKING:
    from .catalogue import ContentRoots

STATES = ("current", "draft", "stale", "missing")
ORIGINAL = "original"  # the state of the language a source was written in
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.DOTALL)
RECORDS_FILE = "translation_sources.yml"


def is_generated_page(relative: str) -> bool:
    """Is docs/<relative> written by the build from playbooks/ and data/ (not authored)?"""
    parts = relative.split("/")
    # The folders' own index pages are authored; a page in a subfolder (case-studies/all/) is generated.
    return len(parts) > 1 and parts[0] in layout.GENERATED_FOLDERS and (not parts[-1].startswith("index.") or len(parts) > 2)


def fingerprint(english: str) -> str:
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:12]


def english_values(data: Any, default_locale: str) -> Any:
    """Only the English texts of an entry, in a stable shape (what a translator translates)."""
    if isinstance(data, dict):
        if default_locale in data and all(isinstance(key, str) and len(key) <= 5 for key in data):
            return data[default_locale]
        return {key: english_values(value, default_locale) for key, value in sorted(data.items()) if _has_english(value, default_locale)}
    if isinstance(data, list):
        return [english_values(item, default_locale) for item in data if _has_english(item, default_locale)]
    return None


def _has_english(value: Any, default_locale: str) -> bool:
    if isinstance(value, dict):
        return default_locale in value or any(_has_english(v, default_locale) for v in value.values())
    if isinstance(value, list):
        return any(_has_english(v, default_locale) for v in value)
    return False


def entry_fingerprint(data: Mapping[str, Any], default_locale: str) -> str:
    return fingerprint(json.dumps(english_values(dict(data), default_locale), ensure_ascii=False, sort_keys=True))


def entry_locales(data: Mapping[str, Any]) -> set[str]:
    """Languages an entry is translated into: those of its title."""
    title = data.get("title")
    return set(title) if isinstance(title, dict) else set()


@dataclass(frozen=True)
class Source:
    """One translatable thing: its key in the records, its English fingerprint, its languages."""

    key: str
    label: str
    fingerprint: str
    translated: frozenset[str]
    page: str | None  # docs/-relative path of the page it becomes, for links and reviews
    original: str  # the language it was written in


@dataclass(frozen=True)
class AlreadyRead:
    """Files the catalogue has read: playbook Markdown and case-study and pattern data, by path."""

    texts: Mapping[Path, str] = field(default_factory=dict)
    entries: Mapping[Path, Any] = field(default_factory=dict)


def sources(roots: "ContentRoots", locales: Iterable[str], default_locale: str, read: "AlreadyRead | None" = None) -> list[Source]:
    """Every playbook, authored docs page, case study and pattern, with its English fingerprint.

    `read`: the files the catalogue has already read and parsed; others are read here.
    """
    locales = tuple(locales)
    read = read or AlreadyRead()
    found: list[Source] = []
    for path in sorted(roots.playbooks.glob("*.md")):
        if path.name.count(".") != 1:
            continue
        translated = frozenset(locale for locale in locales if locale != default_locale and path.with_name(f"{path.stem}.{locale}.md").exists())
        # Translations have no front matter, so only the English body counts.
        text = read.texts[path] if path in read.texts else path.read_text(encoding="utf-8")
        body = FRONT_MATTER.sub("", text, count=1)
        found.append(Source(f"{roots.playbooks.name}/{path.name}", path.stem, fingerprint(body), translated, layout.generated_source("playbook", path.stem, default_locale, default_locale), default_locale))
    docs = roots.docs
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        if path.name.count(".") != 1 or is_generated_page(relative):
            continue
        translated = frozenset(locale for locale in locales if locale != default_locale and path.with_name(f"{path.stem}.{locale}.md").exists())
        found.append(Source(f"docs/{relative}", relative.removesuffix(".md"), fingerprint(path.read_text(encoding="utf-8")), translated, relative, default_locale))
    for folder, url_folder in (("case_studies", layout.SECTIONS["case_study"]), ("patterns", layout.SECTIONS["pattern"])):
        for path in sorted((roots.data / folder).glob("*.yml")):
            data = read.entries[path] if path in read.entries else getattr(load_yaml(path)[0], "data", None)
            if not isinstance(data, dict):
                continue
            original = data.get("original_language", default_locale)
            original = original if original in locales else default_locale
            translated = frozenset(entry_locales(data) - {original})
            found.append(Source(f"data/{folder}/{path.name}", f"{url_folder}/{path.stem}", entry_fingerprint(data, original), translated, f"{url_folder}/{path.stem}.md", original))
    schema_translations = schema_description_translations(roots.schemas)
    for path in sorted(roots.schemas.glob("*.schema.json")):
        if path.name not in schema_translations:
            continue
        fields = {name: description for name, description, _required in schema_fields(roots.schemas, path.name)}
        translated = frozenset(locale for locale in locales if locale != default_locale and any(locale in (value or {}) for value in schema_translations[path.name].values()))
        found.append(Source(f"data/schema/{path.name}", f"open-data: {path.name}", fingerprint(json.dumps(fields, ensure_ascii=False, sort_keys=True)), translated, None, default_locale))
    return found


def read_records(data: Path) -> dict[str, dict[str, str]]:
    path = data / RECORDS_FILE
    if not path.exists():
        return {}
    document, problems = load_yaml(path)
    if document is None:
        raise ValueError("\n".join(str(problem) for problem in problems))
    return {key: dict(value or {}) for key, value in (document.data or {}).items()}


def state(source: Source, locale: str, records: Mapping[str, Mapping[str, str]], reviewed: Mapping[str, frozenset[str]]) -> str:
    if locale == source.original:
        return ORIGINAL
    if locale not in source.translated:
        return "missing"
    if records.get(source.key, {}).get(locale) != source.fingerprint:
        return "stale"
    return "current" if source.page in reviewed.get(locale, frozenset()) else "draft"


def matrix(roots: "ContentRoots", locales: tuple[str, ...], default_locale: str, reviewed: Mapping[str, frozenset[str]], records: Mapping[str, Mapping[str, str]], read: AlreadyRead | None = None) -> list[tuple[Source, dict[str, str]]]:
    """Each source with the state of every language: `original` for the one it was written in."""
    return [(source, {locale: state(source, locale, records, reviewed) for locale in locales}) for source in sources(roots, locales, default_locale, read)]


def columns(rows: list[tuple[Source, dict[str, str]]], locales: tuple[str, ...], default_locale: str) -> list[str]:
    """The languages to show: the translated ones, and the default too once an entry is written in another."""
    written_elsewhere = any(source.original != default_locale for source, _states in rows)
    return [locale for locale in locales if locale != default_locale or written_elsewhere]
