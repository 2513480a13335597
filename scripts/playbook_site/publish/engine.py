"""What the hooks and macros both need to know about the page being built."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from ..content.snapshot import current
from ..content.catalogue import ContentRoots
from ..render.views import PageContext


def content_roots(config: Any) -> ContentRoots:
    """data/ and playbooks/ beside the mkdocs.yml being built (the repo's, or a test fixture's)."""
    return ContentRoots.beside(Path(config.config_file_path).resolve(), Path(config.docs_dir))


def page_context(config: Any, page: Any) -> PageContext:
    """The catalogue, the language of the tree being built and the page's URL.

    static-i18n sets `theme.language` for each language build and knows which
    language sits at the site root (the default, or the only one built).
    """
    return PageContext(current(), config.theme["language"], page.url, root_locale=config.plugins["i18n"].default_language, site_url=config.site_url or "/")


def translate_palette_toggles(config: Any, catalogue: Any) -> None:
    """The colour-scheme buttons' labels in the language being built.

    mkdocs.yml names each palette toggle by a key of data/ui.yml; Material
    shows the name as the button's label and tooltip. The key is kept beside
    the text, so that every language build translates it again.
    """
    locale = config.theme["language"]
    for scheme in config.theme.get("palette") or []:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if not toggle:
            continue
        key = toggle.setdefault("pp_label", toggle.get("name"))
        if key not in catalogue.ui:
            raise ValueError(f"mkdocs.yml: theme.palette toggle name {key!r} is not a key of data/ui.yml; add it there in every language")
        toggle["name"] = catalogue.text(key, locale)
