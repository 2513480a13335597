"""Synthetic case studies for the scaling and page-weight measurements, made from the real ones.

Clone n takes the fields of real case study n modulo their number, gets a
unique id and title and every translatable text in all the site's languages
(a missing translation is filled with the English text, so each page costs
what a fully translated one would). Every text is then the same words in a
new order (a fixed seed per clone), without Markdown punctuation or URLs:
exact copies compress far better than real prose and would hide what
2,000 case studies cost a reader; shuffled words gzip about like real text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from playbook_site.content.yaml_source import parse_yaml_text

PREFIX = "synthetic-case"
SEED = "partnership-playbooks"
_MARKUP = str.maketrans("", "", "[]()*_`<>#")


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value shared by two languages out twice: the site's loader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def synthetic_id(number: int) -> str:
    return f"{PREFIX}-{number:05d}"


def shuffled_words(text: str, rng: random.Random) -> str:
    """The words of `text` in a random order, without URLs or Markdown punctuation."""
    words = [word.translate(_MARKUP) for word in text.split() if "://" not in word]
    words = [word for word in words if word]
    rng.shuffle(words)
    return " ".join(words)


def _shuffle(value: Any, rng: random.Random) -> Any:
    if isinstance(value, str):
        return shuffled_words(value, rng)
    if isinstance(value, list):
        return [_shuffle(child, rng) for child in value]
    return value


def _fill_locales(value: Any, locales: tuple[str, ...], default: str, rng: random.Random | None = None) -> Any:
    """Every translation map (a map with the default language's key) gets every language; with `rng`, shuffled words."""
    if isinstance(value, dict):
        filled = {key: _fill_locales(child, locales, default, rng) for key, child in value.items()}
        if default in filled and set(filled) <= set(locales):
            for locale in locales:
                filled.setdefault(locale, filled[default])
            filled = {locale: (filled[locale] if rng is None else _shuffle(filled[locale], rng)) for locale in locales}
        return filled
    if isinstance(value, list):
        return [_fill_locales(child, locales, default, rng) for child in value]
    return value


def read_template(path: Path) -> dict[str, Any]:
    """A real case study, parsed with the site's own strict loader."""
    document, problems = parse_yaml_text(path.read_text(encoding="utf-8"), path)
    if document is None:
        raise ValueError(f"{path}: cannot be used as a template: " + "; ".join(str(problem) for problem in problems))
    return document.data


def synthetic_case_studies(templates: dict[str, Any] | Sequence[dict[str, Any]], count: int, locales: tuple[str, ...], default: str = "en") -> dict[str, str]:
    """`count` case studies as {file name: YAML text}: the templates in turn, texts shuffled, each with its own id and title."""
    sources = [templates] if isinstance(templates, dict) else list(templates)
    files: dict[str, str] = {}
    for number in range(1, count + 1):
        key = synthetic_id(number)
        base = _fill_locales(sources[(number - 1) % len(sources)], locales, default, random.Random(f"{SEED}-{number}"))
        entry = dict(base, id=key)
        entry["title"] = {locale: f"{text} ({number})" for locale, text in base["title"].items()}
        files[f"{key}.yml"] = yaml.dump(entry, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=4096)
    return files


def write_synthetic(folder: Path, template: dict[str, Any] | Sequence[dict[str, Any]], count: int, locales: tuple[str, ...], default: str = "en") -> list[Path]:
    """Replace any earlier synthetic files in `folder` with `count` new ones."""
    for old in folder.glob(f"{PREFIX}-*.yml"):
        old.unlink()
    paths = []
    for name, text in synthetic_case_studies(template, count, locales, default).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
