"""Check parsed YAML against the JSON Schemas in data/schema/ (draft 2020-12).

The same schema files drive editors (through the yaml-language-server comment at
the top of each data file) and the build, so there is one definition of a valid
file. Errors come back as Problems with the line of the offending value and a
hint taken from the schema's own `x-hint` annotations.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..paths import SCHEMAS
from ..problems import Problem, did_you_mean
from .yaml_source import YamlDocument, visible

TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of `key: value` fields",
    "null": "nothing",
}


def _stamp(schema_dir: Path) -> tuple:
    """What the schema files are now: an edited schema gives another stamp, so nothing compiled goes stale."""
    return tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in sorted(schema_dir.glob("*.schema.json")))


def _registry(schema_dir: Path) -> Registry:
    return _registry_for(schema_dir, _stamp(schema_dir))


@lru_cache(maxsize=8)
def _registry_for(schema_dir: Path, stamp: tuple) -> Registry:
    resources = [
        (name, Resource.from_contents(json.loads((schema_dir / name).read_text(encoding="utf-8")), default_specification=DRAFT202012))
        for name, _mtime, _size in stamp
    ]
    return Registry().with_resources(resources)


def validator(schema_name: str, schema_dir: Path = SCHEMAS) -> Draft202012Validator:
    return _validator_for(schema_name, schema_dir, _stamp(schema_dir))


@lru_cache(maxsize=64)
def _validator_for(schema_name: str, schema_dir: Path, stamp: tuple) -> Draft202012Validator:
    return Draft202012Validator({"$ref": schema_name}, registry=_registry_for(schema_dir, stamp))


def schema_problems(document: YamlDocument, schema_name: str, schema_dir: Path = SCHEMAS) -> list[Problem]:
    errors = validator(schema_name, schema_dir).iter_errors(document.data)
    return [_to_problem(document, error) for error in _leaf_errors(errors)]


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def _to_problem(document: YamlDocument, error: ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    hint = _hint(error)
    keyword = error.validator
    instance: Any = error.instance
    if keyword == "propertyNames" or "propertyNames" in error.absolute_schema_path:
        # A key's name failed (its pattern): point at the key itself, not at its map.
        return document.problem(path + (instance,), f"'{_shorten(instance)}' is not an allowed key", hint, at_key=True)
    if keyword == "required":
        missing = _quoted_name(error.message)
        return document.problem(path + (missing,), f"missing required field '{missing}'", hint or _required_hint(missing))
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in instance if key not in allowed] if isinstance(instance, dict) else []
        name = unknown[0] if unknown else "?"
        return document.problem(path + (name,), f"unknown field '{visible(name)}'", did_you_mean(name, allowed) if allowed else "remove it", at_key=True)
    if keyword == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(TYPE_NAMES.get(name, name) for name in expected)
        got = _describe(instance)
        quotes = "string" in expected and isinstance(instance, (bool, int, float))
        return document.problem(path, f"expected {wanted}, found {got}", "put it in quotes" if quotes else hint)
    if keyword == "enum":
        return document.problem(path, f"'{instance}' is not allowed here", hint or did_you_mean(instance, [str(choice) for choice in error.validator_value]))
    if keyword == "pattern":
        return document.problem(path, f"'{_shorten(instance)}' is not in the expected form", hint)
    if keyword in ("minItems", "minProperties"):
        return document.problem(path, "must not be empty", hint or f"give at least {error.validator_value}")
    if keyword == "minLength":
        return document.problem(path, "must not be empty", hint)
    if keyword == "maxLength":
        return document.problem(path, f"is longer than {error.validator_value} characters", hint)
    if keyword == "uniqueItems":
        return document.problem(path, "lists the same value twice", "remove the repeat")
    if keyword in ("minimum", "maximum"):
        return document.problem(path, f"{instance} is out of range", hint)
    return document.problem(path, error.message, hint)


def _hint(error: ValidationError) -> str:
    """The nearest `x-hint` in the schema: on the failing subschema, else on its parents."""
    if isinstance(error.schema, dict) and "x-hint" in error.schema:
        return str(error.schema["x-hint"])
    return ""


def _required_hint(field: str) -> str:
    return f"add a line `{field}: ...`; see data/templates/ for an example"


def _quoted_name(message: str) -> str:
    start = message.find("'")
    end = message.find("'", start + 1)
    return message[start + 1 : end] if start >= 0 and end > start else message


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{_shorten(value)}'"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def _shorten(value: Any, limit: int = 60) -> str:
    text = visible(str(value).replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def translation_maps(data: Any, schema_name: str, schema_dir: Path = SCHEMAS) -> list[tuple[tuple, dict, bool]]:
    """Every map of `data` that the schema types as text per language (`x-localized`).

    Each comes with its path and whether its languages are all optional
    (`"x-localized": "optional"`); otherwise the entry's original language is required.
    Walks the schema beside the (already valid) data, so which maps are
    translations is read from the schema, never guessed from their keys.
    """
    registry = _registry(schema_dir)
    found: list[tuple[tuple, dict, bool]] = []

    def resolve(schema: dict, base: str) -> tuple[dict, str]:
        while "$ref" in schema:
            ref = schema["$ref"]
            document, _, pointer = ref.partition("#")
            base = document or base
            target: Any = registry.contents(base)
            for part in [p for p in pointer.split("/") if p]:
                target = target[part]
            schema = target
        return schema, base

    def walk(value: Any, schema: dict, base: str, path: tuple) -> None:
        marker = schema.get("x-localized")  # a property may mark its $ref target "optional"
        schema, base = resolve(schema, base)
        marker = marker or schema.get("x-localized")
        if marker and isinstance(value, dict):
            found.append((path, value, marker == "optional"))
            return
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, child in value.items():
                if key in properties:
                    walk(child, properties[key], base, path + (key,))
                elif isinstance(extra, dict):
                    walk(child, extra, base, path + (key,))
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for number, child in enumerate(value):
                walk(child, schema["items"], base, path + (number,))

    walk(data, {"$ref": schema_name}, schema_name, ())
    return found
