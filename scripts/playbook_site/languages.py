"""The site's languages, read from the one place that defines them: mkdocs.yml.

Adding a language is one entry under the i18n plugin's `languages` there, plus
translated files; nothing in the code lists languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import MKDOCS_YML


@dataclass(frozen=True)
class Language:
    locale: str
    name: str
    default: bool
    site_name: str = ""  # the i18n entry's, or the top-level one
    site_description: str = ""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!ENV` or `!!python/...` tags."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_languages(config_path: Path = MKDOCS_YML) -> tuple[Language, ...]:
    """The languages of mkdocs.yml (read again whenever the file changes)."""
    stat = config_path.stat()
    return _languages(config_path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _languages(config_path: Path, _mtime: int, _size: int) -> tuple[Language, ...]:
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 (safe subclass)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = plugin["i18n"]["languages"]
            return tuple(
                Language(
                    entry["locale"],
                    entry["name"],
                    bool(entry.get("default")),
                    str(entry.get("site_name") or config.get("site_name") or ""),
                    str(entry.get("site_description") or config.get("site_description") or ""),
                )
                for entry in entries
            )
    raise RuntimeError(f"{config_path}: no i18n plugin with a languages list")


def locales(config_path: Path = MKDOCS_YML) -> tuple[str, ...]:
    return tuple(language.locale for language in site_languages(config_path))


def default_locale(config_path: Path = MKDOCS_YML) -> str:
    return next(language.locale for language in site_languages(config_path) if language.default)
