"""The site's search index: Pagefind online, Material's lunr index in the offline copies.

`extra.search_engine` in mkdocs.yml (environment variable PP_SEARCH) chooses:

- "pagefind" (the published site): after every language is built, Pagefind
  (the `pagefind_bin` wheel, which ships the binary) indexes the built HTML
  into site/pagefind/. It splits the index by each page's `<html lang>`, so a
  reader only ever downloads their own language's index, in small chunks per
  query. Only what a page wraps in `data-pagefind-body` (the page content, see
  overrides/main.html) is indexed; notices, print-only parts and heading
  permalinks carry `data-pagefind-ignore` or are excluded below. The browser
  loads nothing of it until the reader opens search (docs/assets/search.js).
- "lunr" (`make offline`): Material's own search, whose index works from
  file:// (see offline.py); site_output.split_search_index splits it per tree.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ENGINES = ("pagefind", "lunr")
BUNDLE = "pagefind"
# Never indexed even inside the page body: the "¶" permalink after each heading.
EXCLUDE_SELECTORS = (".headerlink",)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise SearchIndexError(f"mkdocs.yml: extra.search_engine (or PP_SEARCH) is {name!r}; choose one of {', '.join(ENGINES)}")
    return name


def pagefind_command(site_dir: Path) -> list[str]:
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def build_pagefind(site_dir: Path) -> None:
    """Index the built site into site_dir/pagefind/, replacing Material's unused lunr index."""
    try:
        command = pagefind_command(site_dir)
    except (ImportError, FileNotFoundError) as error:
        raise SearchIndexError(f"Pagefind is not installed ({error}); run `make .venv/.installed` (requirements.txt has pagefind[bin])") from None
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {site_dir}: {(result.stderr or result.stdout).strip()[-800:]}")
    # Material's search plugin still writes search/search_index.json (it also draws
    # the header's search box); online nothing reads it, so it is not published.
    shutil.rmtree(site_dir / "search", ignore_errors=True)
