"""Synthetic case studies for the scaling measurement, cloned from a real one.

Each clone gets a unique id and title and every translatable text in all the
site's languages (a missing translation is filled with the English text, so
each page costs what a fully translated one would).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from playbook_site.yaml_source import parse_yaml_text

PREFIX = "synthetic-case"


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value shared by two languages out twice: the site's loader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def synthetic_id(number: int) -> str:
    return f"{PREFIX}-{number:05d}"


def _fill_locales(value: Any, locales: tuple[str, ...], default: str) -> Any:
    """Every translation map (a map with the default language's key) gets every language."""
    if isinstance(value, dict):
        filled = {key: _fill_locales(child, locales, default) for key, child in value.items()}
        if default in filled and set(filled) <= set(locales):
            for locale in locales:
                filled.setdefault(locale, filled[default])
            filled = {locale: filled[locale] for locale in locales}
        return filled
    if isinstance(value, list):
        return [_fill_locales(child, locales, default) for child in value]
    return value


def read_template(path: Path) -> dict[str, Any]:
    """A real case study, parsed with the site's own strict loader."""
    document, problems = parse_yaml_text(path.read_text(encoding="utf-8"), path)
    if document is None:
        raise ValueError(f"{path}: cannot be used as a template: " + "; ".join(str(problem) for problem in problems))
    return document.data


def synthetic_case_studies(template: dict[str, Any], count: int, locales: tuple[str, ...], default: str = "en") -> dict[str, str]:
    """`count` case studies as {file name: YAML text}, each a copy of `template` with its own id and title."""
    base = _fill_locales(template, locales, default)
    files: dict[str, str] = {}
    for number in range(1, count + 1):
        key = synthetic_id(number)
        entry = dict(base, id=key)
        entry["title"] = {locale: f"{text} ({number})" for locale, text in base["title"].items()}
        files[f"{key}.yml"] = yaml.dump(entry, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=4096)
    return files


def write_synthetic(folder: Path, template: dict[str, Any], count: int, locales: tuple[str, ...], default: str = "en") -> list[Path]:
    """Replace any earlier synthetic files in `folder` with `count` new ones."""
    for old in folder.glob(f"{PREFIX}-*.yml"):
        old.unlink()
    paths = []
    for name, text in synthetic_case_studies(template, count, locales, default).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
