"""What each field of an entry means: descriptions from the JSON Schemas, in every language.

The English description lives in the schema itself; data/schema/descriptions.yml
holds its translations. The open-data page, the contributor docs and the
translation-status matrix all read them from here.
"""

from __future__ import annotations

import json
from pathlib import Path

from .yaml_source import load_yaml

DESCRIPTIONS = "descriptions.yml"


def schema_fields(schema_dir: Path, schema_name: str) -> list[tuple[str, str, bool]]:
    """(field, description, required) for each top-level field of an entry schema."""
    schema = json.loads((schema_dir / schema_name).read_text(encoding="utf-8"))
    required = set(schema.get("required", []))
    return [(name, spec.get("description", ""), name in required) for name, spec in schema["properties"].items()]


def schema_description_translations(schema_dir: Path) -> dict[str, dict[str, dict[str, str]]]:
    """{schema file: {field: {locale: description}}} from data/schema/descriptions.yml (the English stays in the schemas)."""
    path = schema_dir / DESCRIPTIONS
    if not path.exists():
        return {}
    document, problems = load_yaml(path)
    if document is None:
        raise ValueError("\n".join(str(problem) for problem in problems))
    return document.data or {}


def localized_schema_fields(schema_dir: Path, schema_name: str, locale: str, default_locale: str) -> list[tuple[str, str, str | None, bool]]:
    """(field, description, lang, required): the description in `locale` where translated, else the schema's own (English), with its lang."""
    translations = schema_description_translations(schema_dir).get(schema_name, {})
    fields = []
    for name, english, required in schema_fields(schema_dir, schema_name):
        text = (translations.get(name) or {}).get(locale)
        fields.append((name, text, None, required) if text else (name, english, default_locale, required))
    return fields
