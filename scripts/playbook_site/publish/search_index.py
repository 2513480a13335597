"""The site's search index: Pagefind online, Material's lunr index in the offline copies.

`extra.search_engine` in mkdocs.yml (environment variable PP_SEARCH) chooses:

- "pagefind" (the published site): Pagefind (the `pagefind_bin` wheel, which
  ships the binary) indexes each language tree on its own, into that tree's
  pagefind/ folder: site/pagefind/ for the default language at the root,
  site/es/pagefind/ for Spanish, and so on. A reader's first search loads
  only their tree's bundle (no list of the other languages), and each run
  holds one language's pages in memory, not the whole site's. The build
  driver indexes each tree in the language's own job, right after its engine
  run (publish/build_driver.py); a plain `mkdocs build` and `make serve`
  index the trees they wrote. The default language's tree holds the other
  trees' folders, which its run leaves out (`tree_glob`). Only what a page
  wraps in `data-pagefind-body` (the page content, see overrides/main.html)
  is indexed; notices, print-only parts and heading permalinks carry
  `data-pagefind-ignore` or are excluded below. Each bundle's word index is
  then cut into smaller chunks than Pagefind's (search_chunks.py), so a
  first search downloads less. The browser loads nothing of it until the
  reader opens search (docs/assets/search.js).
- "lunr" (`make offline`): Material's own search, whose index works from
  file:// (see offline.py); language_trees.split_search_index splits it per tree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from .. import layout
from .search_chunks import BundleFormatError, rechunk_bundle

ENGINES = ("pagefind", "lunr")
BUNDLE = "pagefind"
# Never indexed even inside the page body: the "¶" permalink after each heading.
EXCLUDE_SELECTORS = (".headerlink",)
# Folder names that go into a glob as they are (no glob syntax in them).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise SearchIndexError(f"mkdocs.yml: extra.search_engine (or PP_SEARCH) is {name!r}; choose one of {', '.join(ENGINES)}")
    return name


def tree_glob(tree_dir: Path, other_trees: Iterable[str] = ()) -> str | None:
    """The --glob that finds the tree's own HTML files and none in `other_trees` (folders like 'es/'); None when nothing is left out.

    Pagefind's globs have no negation, so the glob lists what stays: the
    tree's own top-level pages and every top-level folder but the others.
    """
    left_out = {folder.strip("/") for folder in other_trees if folder}
    present = {path.name for path in tree_dir.iterdir() if path.is_dir()} if tree_dir.is_dir() else set()
    if not left_out & present:
        return None
    kept = sorted(present - left_out - {BUNDLE})
    for name in kept:
        if not _PLAIN_NAME.fullmatch(name):
            raise SearchIndexError(f"{tree_dir / name}: a folder name Pagefind's glob cannot list ({name!r}); rename it with letters, digits, '-', '_' or '.'")
    return "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in kept)]) + "}"


def pagefind_command(tree_dir: Path, other_trees: Iterable[str] = (), output_subdir: str = BUNDLE) -> list[str]:
    """The Pagefind run that indexes one language tree into tree_dir/pagefind/ (or `output_subdir`), leaving the folders of `other_trees` out."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(tree_dir), "--output-subdir", output_subdir, "--quiet"]
    glob = tree_glob(tree_dir, other_trees)
    if glob is not None:
        command += ["--glob", glob]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def build_pagefind(tree_dir: Path, other_trees: Iterable[str] = ()) -> None:
    """Index one language tree (its pages only, not those under `other_trees`) into tree_dir/pagefind/."""
    try:
        command = pagefind_command(tree_dir, other_trees)
    except (ImportError, FileNotFoundError) as error:
        raise SearchIndexError(f"Pagefind is not installed ({error}); run `make .venv/.installed` (requirements.txt has pagefind[bin])") from None
    shutil.rmtree(tree_dir / BUNDLE, ignore_errors=True)  # a bundle left from an earlier run would keep its stale chunks
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {tree_dir}: {(result.stderr or result.stdout).strip()[-800:]}")
    try:
        rechunk_bundle(tree_dir / BUNDLE)  # smaller index chunks: see search_chunks.py
    except (BundleFormatError, OSError) as error:
        raise SearchIndexError(f"Pagefind's index could not be cut into smaller chunks: {error}") from None


def has_bundle(tree_dir: Path) -> bool:
    """Whether Pagefind has indexed this tree (its bundle's entry file is there)."""
    return (tree_dir / BUNDLE / "pagefind-entry.json").is_file()


def other_trees(locale: str, locales: Iterable[str], default_locale: str) -> list[str]:
    """The folders a language's Pagefind run leaves out: every other tree's, if `locale`'s tree holds them (the default's, at the root)."""
    if layout.tree(locale, default_locale):
        return []
    return [layout.tree(other, default_locale) for other in locales if other != locale]


def build_pagefind_trees(site_dir: Path, locales: Iterable[str], default_locale: str, jobs: int = 1, others: Iterable[str] | None = None) -> None:
    """One bundle in each tree of `locales` in an assembled site, `jobs` runs at a time.

    `others`: every language of the site (default: `locales`), whose folders
    the default language's run leaves out. Material's unused lunr index
    (search/) is removed.
    """
    todo = list(locales)
    every = list(others) if others is not None else todo
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda locale: build_pagefind(site_dir / layout.tree(locale, default_locale), other_trees(locale, every, default_locale)), todo))
    # Material's search plugin still writes search/search_index.json (it also draws
    # the header's search box); online nothing reads it, so it is not published.
    shutil.rmtree(site_dir / "search", ignore_errors=True)
