"""`make offline`: one zip per language that works from file:// without network.

    python -m playbook_site offline [--only es] [--out DIR]

For each language this builds that language alone at the root of
.build/offline/<lang>/ (`ONLY_LOCALE`, the same switch as `make serve ONLY=es`),
so the copy holds that language's pages and search index only, and
static-i18n renders no language menu (its links could not work inside a
one-language zip). The build is the normal one, with directory URLs; then
`make_offline_copy` fixes, in the offline copy only, what file:// breaks:

- A link to a folder does not open its index.html on file://. Every relative
  link to a folder (`x/`, `x/#a`, `./`, `..`) in every HTML page, redirect page
  and search index entry is rewritten to name index.html. The build itself
  keeps `use_directory_urls: true`: many links are written by the views
  (`PageContext.docs_page_url`), the glossary linker and the redirect pages as
  folder URLs, whatever MkDocs' setting says, so turning directory URLs off
  would break them; one rewrite afterwards catches every source alike.
- Search: the published site uses Pagefind, which fetches its index and
  WebAssembly and so cannot run from file://. The offline build sets
  PP_SEARCH=lunr (mkdocs.yml `extra.search_engine`), which keeps Material's
  own lunr search. It cannot fetch search_index.json on file:// either; Material then loads
  search/search_index.js (`var __index = ...`) instead, as its own `offline`
  plugin writes it. That plugin is not used: it writes one index for the
  last language built, turns directory URLs off and adds a script from
  unpkg.com.
- The explorer cannot fetch its cards.json on file://, so PP_EXPLORER_ALL=1
  puts every card in the explorer page.
- Browsers refuse `new Worker()` for a file:// script, and Material's search
  runs in a worker. docs/assets/file-worker.js (loaded by overrides/main.html
  with lunr search) runs it in a hidden iframe instead, the
  way squidfunk/iframe-worker does (Material's worker supports that), without
  loading anything from the network.
- Material fetches sitemap.xml beside every `<link rel="alternate">` (here,
  the Atom feed's); file:// refuses that with a console error. The copy drops
  those links (feed.xml stays: the Open data page links to it), and leaves
  out 404.html (absolute links, for a web server) and the sitemaps (for
  crawlers).

Progress goes to stderr; the zips go to site-offline/ (or --out).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..languages import locales
from ..layout import NOT_FOUND
from ..paths import BUILD, ROOT
from . import html_links, link_check

OUT = ROOT / "site-offline"
ZIP_NAME = "partnership-playbooks-{locale}"
LEFT_OUT = (NOT_FOUND, "sitemap.xml", "sitemap.xml.gz")

FOLLOWED = ("href", "src", "refresh")  # the links that may lead to a folder

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"offline: {message}", file=sys.stderr, flush=True)


# -- links -------------------------------------------------------------------


def offline_url(url: str, folder: Path) -> str:
    """`url` as written in a file in `folder`, naming index.html if it leads to a folder.

    `x/` -> `x/index.html`, `x/#a` -> `x/index.html#a`, `..` -> `../index.html`,
    `./` -> `./index.html`. Fragments, queries, other sites, mailto: and
    same-page links (`#a`, `?q=1`) stay as they are.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/") or not parts.path:
        return url
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if not (path.endswith("/") or last in (".", "..") or (folder / unquote(path)).is_dir()):
        return url
    cut = len(path)
    return url[:cut] + ("" if path.endswith("/") else "/") + "index.html" + url[cut:]


def rewrite_html(html: str, folder: Path) -> str:
    """Every relative folder link of one page (attributes and redirect targets) names index.html.

    `<link rel="alternate">` (the feed) goes: Material would fetch a sitemap.xml beside it.
    """

    def fix(link: html_links.Link) -> str | None:
        if link.tag == "link" and link.rel.split()[:1] == ["alternate"]:
            return None
        return offline_url(link.url, folder) if link.attribute in FOLLOWED else link.url

    return html_links.rewrite(html, fix)


def rewrite_search_index(site: Path) -> int:
    """Point each search entry at a file and write search_index.js for file://; returns the entries."""
    index_json = site / "search" / "search_index.json"
    index = json.loads(index_json.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        location = doc["location"]  # relative to the tree root: '', '#a' (home page) or 'x/#a'
        doc["location"] = "index.html" + location if location[:1] in ("", "#") else offline_url(location, site)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    index_json.write_text(text, encoding="utf-8")
    # Material's bundle loads this on file:// and reads the global `__index`.
    (site / "search" / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
    return len(index["docs"])


def make_offline_copy(site: Path, progress: Progress = _stderr) -> dict[str, int]:
    """Turn a one-language build in `site` into a copy that works from file://, in place."""
    for name in LEFT_OUT:
        (site / name).unlink(missing_ok=True)
    pages = sorted(site.rglob("*.html"))
    progress(f"rewriting links in {len(pages)} pages")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        fixed = rewrite_html(html, page.parent)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
    entries = rewrite_search_index(site)
    return {"pages": len(pages), "search_entries": entries}


# -- build and zip -------------------------------------------------------------


def build_language(locale: str, target: Path, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """A strict build of one language at the root of `target`, in a subprocess."""
    env = dict(os.environ, ONLY_LOCALE=locale, PP_SEARCH="lunr", PP_EXPLORER_ALL="1", NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)]
    return subprocess.run(command, check=False, cwd=root, env=env, capture_output=True, text=True)


def write_zip(site: Path, zip_path: Path, folder: str) -> int:
    """Zip `site` under one top folder, files in sorted order; returns the number of files."""
    files = sorted(path for path in site.rglob("*") if path.is_file())
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            archive.write(path, f"{folder}/{path.relative_to(site).as_posix()}")
    partial.replace(zip_path)
    return len(files)


def prepared_copy(locale: str, work: Path, root: Path = ROOT, progress: Progress = _stderr) -> tuple[Path, dict[str, int]]:
    """Build `locale` alone into work/<locale> and fix it for file:// (the zips and the ZIM files start here).

    Returns the folder and the counts of what was fixed; raises RuntimeError
    when the build fails or a link of the copy leads to no file.
    """
    site = work / locale
    if site.exists():
        shutil.rmtree(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    progress(f"{locale}: building (mkdocs build --strict, ONLY_LOCALE={locale})...")
    started = time.monotonic()
    result = build_language(locale, site, root)
    if result.returncode != 0:
        raise RuntimeError(f"{locale}: build failed:\n{(result.stdout + result.stderr)[-8000:]}")
    progress(f"{locale}: built in {time.monotonic() - started:.0f} s")
    counts = make_offline_copy(site, lambda message: progress(f"{locale}: {message}"))
    problems = link_check.internal_link_problems(site, offline=True)
    if problems:
        listed = "\n".join(map(str, problems[:50]))
        raise RuntimeError(f"{locale}: {len(problems)} links in the offline copy lead to no file:\n{listed}")
    return site, counts


def offline_zip(locale: str, out: Path, work: Path = BUILD / "offline", root: Path = ROOT, progress: Progress = _stderr) -> Path:
    """Build, fix and zip one language; returns the zip. Raises RuntimeError when the build or check fails."""
    site, counts = prepared_copy(locale, work, root, progress)
    name = ZIP_NAME.format(locale=locale)
    zip_path = out / f"{name}.zip"
    progress(f"{locale}: zipping into {zip_path}...")
    files = write_zip(site, zip_path, name)
    size = zip_path.stat().st_size / 1_000_000
    progress(f"{locale}: {files} files, {counts['pages']} pages, {counts['search_entries']} search entries, {size:.1f} MB")
    return zip_path


def main(argv: list[str] | None = None) -> int:
    from .. import cli

    parsed = cli.per_language_arguments(argv, "offline", "One zip per language that works from file:// without network.", "zips", OUT, locales())
    if parsed is None:
        return 2
    args, chosen = parsed
    return cli.each_language("offline", chosen, lambda locale: offline_zip(locale, args.out.resolve()))

