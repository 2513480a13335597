"""Country and language names, in any language of the site, to ISO and BCP 47 codes.

Contributors may write "Kenya", "Kenia" or "كينيا", and "Swahili",
"suajili" or "السواحلية". Babel's CLDR data (the same data that shows the
names on the pages) gives every name in every language; nothing here is a
list of our own. Names are compared without case and accents.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from babel import Locale

# CLDR territory codes that are not countries.
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO"})
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def fold(text: str) -> str:
    """Lowercase, without accents or Arabic short vowels, single spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char for char in decomposed if not unicodedata.combining(char) and char != "\u0640")
    return " ".join(kept.replace("’", "'").split())


@lru_cache(maxsize=None)
def _locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("-", "_"))


def known_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes that case studies may use."""
    return frozenset(code for code in _locale("en").territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def known_language(tag: str) -> bool:
    """Is the primary subtag of a BCP 47 tag a known language (es, hy, pt-BR...)?"""
    return tag.split("-")[0] in _locale("en").languages


@dataclass(frozen=True)
class Match:
    """What a written name resolves to: one code, several (ambiguous), or none with suggestions."""

    codes: tuple[str, ...]
    suggestions: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def _country_names(locales: tuple[str, ...]) -> dict[str, frozenset[str]]:
    names: dict[str, set[str]] = {}
    countries = known_countries()
    for locale in locales:
        for code, name in _locale(locale).territories.items():
            if code in countries:
                names.setdefault(fold(name), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


@lru_cache(maxsize=None)
def _language_names(locales: tuple[str, ...]) -> dict[str, frozenset[str]]:
    names: dict[str, set[str]] = {}
    for locale in locales:
        for code, name in _locale(locale).languages.items():
            tag = code.replace("_", "-")
            if LANGUAGE_CODE.fullmatch(tag):
                names.setdefault(fold(name), set()).add(tag)
    return {name: frozenset(codes) for name, codes in names.items()}


def _match(text: str, names: dict[str, frozenset[str]], display: Iterable[str]) -> Match:
    folded = fold(text)
    if folded in names:
        return Match(tuple(sorted(names[folded])))
    close = difflib.get_close_matches(folded, list(display), n=3, cutoff=0.75)
    return Match((), tuple(close))


def country(text: str, locales: tuple[str, ...]) -> Match:
    """A two-letter code (any case) or a country's name in any of `locales`."""
    value = text.strip()
    if len(value) == 2 and value.upper() in known_countries():
        return Match((value.upper(),))
    names = _country_names(locales)
    return _match(value, names, names)


def language(text: str, locales: tuple[str, ...]) -> Match:
    """A BCP 47 code (es, hy, pt-BR) or a language's name in any of `locales`."""
    value = text.strip()
    if LANGUAGE_CODE.fullmatch(value) and known_language(value) and fold(value) not in _language_names(locales):
        return Match((value,))
    names = _language_names(locales)
    found = _match(value, names, names)
    if not found.codes and LANGUAGE_CODE.fullmatch(value) and known_language(value):
        return Match((value,))
    return found


def country_name(code: str, locale: str) -> str:
    return _locale(locale).territories.get(code, code)


def language_name(tag: str, locale: str) -> str:
    names = _locale(locale).languages
    return names.get(tag.replace("-", "_")) or names.get(tag.split("-")[0], tag)


def display_names(folded_names: Iterable[str], locales: tuple[str, ...], kind: str) -> list[str]:
    """Folded names back to a name as CLDR writes it (for "did you mean")."""
    table = {fold(name): name for locale in locales for name in (_locale(locale).territories if kind == "country" else _locale(locale).languages).values()}
    return [table.get(name, name) for name in folded_names]
