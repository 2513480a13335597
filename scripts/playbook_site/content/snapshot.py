"""The catalogue for the build in progress, loaded once however many languages are built.

mkdocs-static-i18n runs MkDocs' build once per language, and mkdocs-macros
calls `define_env` each time; loading here, keyed by a fingerprint of the
content files, means the data is read and checked once per build (and again
during `make serve` only when a file changed).
"""

from __future__ import annotations

import logging

from .catalogue import ContentRoots, load_catalogue
from .models import Catalogue
from .translations import is_generated_page

log = logging.getLogger("mkdocs.plugins.playbook_site")

_cached: tuple[tuple, Catalogue] | None = None


def _fingerprint(roots: ContentRoots) -> tuple:
    """Every file the catalogue reads: data (schemas included), playbooks, the authored docs pages, mkdocs.yml.

    The pages written into docs/ from playbooks and data are left out: they
    are made from the catalogue, so they cannot change what it holds.
    """
    paths = [path for folder in (roots.data, roots.playbooks) for path in folder.rglob("*")]
    paths += [path for path in roots.docs.rglob("*.md") if not is_generated_page(path.relative_to(roots.docs).as_posix())]
    paths.append(roots.mkdocs_yml)
    entries = []
    for path in sorted(paths):
        if path.is_file():
            stat = path.stat()
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def catalogue(roots: ContentRoots = ContentRoots()) -> Catalogue:
    """The current catalogue; raises DataError (with every problem) if the data is invalid."""
    global _cached
    fingerprint = _fingerprint(roots)
    if _cached is not None and _cached[0] == fingerprint:
        return _cached[1]
    loaded = load_catalogue(roots)
    _cached = (fingerprint, loaded)
    log.info(
        "Loaded data once for all languages: %d playbooks, %d learning patterns, %d case studies",
        len(loaded.playbooks), len(loaded.patterns), len(loaded.case_studies),
    )
    return loaded


def adopt(loaded: Catalogue) -> Catalogue:
    """Use a catalogue the build driver already loaded and checked (see publish/engine.py)."""
    global _cached
    _cached = ((), loaded)  # an empty fingerprint: a later `catalogue()` call loads afresh
    return loaded


def current() -> Catalogue:
    """The catalogue loaded by this build's pre-build step (for macros at page time)."""
    if _cached is None:
        raise RuntimeError("the catalogue is loaded in the pre-build hook (scripts/hooks.py); is it listed under hooks in mkdocs.yml?")
    return _cached[1]
