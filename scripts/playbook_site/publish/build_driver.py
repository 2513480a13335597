"""The build driver: one engine process per language, assembled into site/.

`make build` (`python -m playbook_site build`) runs, in order:
1. **Prepare once.** Load and check the catalogue, write the generated pages
   into a docs folder under .build/ (the checkout's docs/ is only read), and
   save the catalogue for the engine runs to pick up (publish/engine.py).
2. **One engine run per language**, `python -m mkdocs build` with the
   driver's environment, as many at once as there are cores (`--jobs`).
   Each writes its language's tree into .build/languages/<locale>/, and
   Pagefind then indexes that tree in the same job: one search bundle per
   language, made from a folder that holds only that language's pages
   (they are finished there: the steps of 4. add no indexed page).
3. **Assemble** site/ from the trees in a staging folder: the default
   language's tree at the root, every other language's under <locale>/, the
   per-language sitemaps merged into one.
4. **Finish once**: 404 pages, sitemaps per tree, redirects, feeds, the
   explorer's cards, open data, downloads (publish/cross_language.py), and
   search for any tree that came without its bundle.
5. **Swap**: the staging folder replaces site/ only when everything succeeded.

`--only es,fr` stops after step 2 (one job of the GitHub workflow's matrix);
`--assemble` starts at step 3 from trees built elsewhere.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import cli, languages
from .. import layout as site_layout
from ..content.catalogue import ContentRoots
from ..content.models import Catalogue
from ..content.translations import is_generated_page
from ..render.generated_pages import materialise
from . import cross_language, engine, search_index
from .search_index import SearchIndexError

_SITEMAP_URLS = re.compile(r"<urlset[^>]*>(.*)</urlset>", re.DOTALL)
_DATA_SECONDS = re.compile(r"Catalogue from the build driver in ([0-9.]+) s")


@dataclass(frozen=True)
class Layout:
    """Where a build of the site at `root` keeps its work (all under .build/)."""

    root: Path

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def work(self) -> Path:
        return self.root / ".build"

    @property
    def docs(self) -> Path:
        return self.work / "docs"

    @property
    def catalogue(self) -> Path:
        return self.work / "catalogue.pickle"

    @property
    def trees(self) -> Path:
        return self.work / "languages"

    def tree(self, locale: str) -> Path:
        return self.trees / locale


@dataclass
class LanguageRun:
    locale: str
    returncode: int
    seconds: float
    output: str
    index_seconds: float | None = None  # Pagefind over the tree, in the same job

    def data_seconds(self) -> float | None:
        """What the run spent taking over the driver's catalogue (logged by scripts/hooks.py)."""
        match = _DATA_SECONDS.search(self.output)
        return float(match.group(1)) if match else None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load(layout: Layout) -> Catalogue | None:
    """The checked catalogue, or None after printing every problem."""
    catalogue = cli.load_or_report(ContentRoots.beside(layout.mkdocs_yml), hint="fix them and build again")
    if catalogue is None:
        return None
    _say(f"Loaded data once for all languages: {len(catalogue.playbooks)} playbooks, {len(catalogue.patterns)} learning patterns, {len(catalogue.case_studies)} case studies")
    return catalogue


def stage_docs(catalogue: Catalogue, layout: Layout) -> Path:
    """.build/docs: the authored pages of docs/ and the generated ones; docs/ itself is not written."""
    source = layout.root / "docs"
    if layout.docs.exists():
        shutil.rmtree(layout.docs)

    def generated(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(source)
        return {name for name in names if name.endswith(".md") and is_generated_page((relative / name).as_posix())} | {"__pycache__"}

    shutil.copytree(source, layout.docs, ignore=generated)
    # The workshop sheets print absolute links: the site_url the engine runs will have ($SITE_URL when deployed).
    materialise(catalogue, layout.docs, site_url=engine.load_config(layout.mkdocs_yml).site_url or "/")
    return layout.docs


def prepare(catalogue: Catalogue, layout: Layout) -> None:
    """Once per build: the generated pages, and the catalogue saved for the engine runs."""
    stage_docs(catalogue, layout)
    engine.save_catalogue(catalogue, layout.catalogue)


def index_language(locale: str, layout: Layout, locales: list[str], default: str) -> None:
    """Pagefind over one language's tree in .build/languages/<locale>/: its bundle goes beside its pages, into <tree>pagefind/."""
    tree = layout.tree(locale) / site_layout.tree(locale, default)
    search_index.build_pagefind(tree, search_index.other_trees(locale, locales, default))


def run_language(locale: str, layout: Layout, index: tuple[list[str], str] | None = None) -> LanguageRun:
    """One engine process building `locale` into .build/languages/<locale>/; then, given (all locales, default), Pagefind over its tree."""
    target = layout.tree(locale)
    if target.exists():
        shutil.rmtree(target)
    env = {key: value for key, value in os.environ.items() if key != "ONLY_LOCALE"}
    env.update(engine.driver_environment(locale, layout.docs, layout.catalogue), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=layout.root, env=env, capture_output=True, text=True,
    )
    run = LanguageRun(locale, process.returncode, time.perf_counter() - started, process.stdout + process.stderr)
    if run.returncode == 0 and index is not None:
        started = time.perf_counter()
        try:
            index_language(locale, layout, *index)
        except SearchIndexError as error:
            run.returncode, run.output = 1, run.output + f"\nError: {error}"
        run.index_seconds = time.perf_counter() - started
    return run


def run_languages(locales: list[str], layout: Layout, jobs: int, index: tuple[list[str], str] | None = None) -> list[LanguageRun]:
    """Every language's engine run (and Pagefind run, given `index`), `jobs` at a time; prints a line per language and the messages of a failed one."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = list(pool.map(lambda locale: run_language(locale, layout, index), locales))
    for run in runs:
        if run.returncode == 0:
            data = run.data_seconds()
            indexed = f", indexed for search in {run.index_seconds:.1f} s" if run.index_seconds is not None else ""
            _say(f"{run.locale}: built in {run.seconds:.1f} s" + (f" (taking over the data: {data:.2f} s)" if data is not None else "") + indexed)
        else:
            lines = [line for line in run.output.splitlines() if line.startswith(("WARNING", "ERROR", "Error", "Aborted", "  ", "Traceback")) or "Error" in line]
            for line in lines or run.output.splitlines()[-20:]:
                _say(f"[{run.locale}] {line}")
            _say(f"The '{run.locale}' language failed to build (its messages are above, each naming its file).")
    return runs


def merge_sitemaps(sitemaps: list[Path], target: Path) -> None:
    """One sitemap.xml (and .gz) listing every language's pages, as a single-process build writes it."""
    head, urls = None, []
    for path in sitemaps:
        text = path.read_text(encoding="utf-8")
        match = _SITEMAP_URLS.search(text)
        if match is None:
            continue
        head = head or text[: match.start(1)]
        urls.append(match.group(1).rstrip())
    if head is None:
        return
    merged = head + "".join(urls) + "\n</urlset>"
    (target / "sitemap.xml").write_text(merged, encoding="utf-8")
    (target / "sitemap.xml.gz").write_bytes(gzip.compress(merged.encode("utf-8"), mtime=0))


def merge_search_indexes(indexes: list[Path], target: Path) -> None:
    """The lunr indexes (offline copies only) merged as static-i18n does; cross_language splits them per tree again."""
    found = [json.loads(path.read_text(encoding="utf-8")) for path in indexes if path.is_file()]
    if not found:
        return
    merged = {"config": found[0].get("config", {}), "docs": [doc for index in found for doc in index["docs"]]}
    path = target / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def assemble(layout: Layout, locales: list[str], default: str, staging: Path) -> dict[str, bytes]:
    """Move every language tree into `staging`; returns each language's 404 page (for cross_language.finish).

    An engine run writes its language's pages under <locale>/ (the default
    language's at its root) beside the theme's assets, its sitemap, 404 page
    and search index at its root; only the default run's root is kept. Each
    tree's Pagefind bundle (<tree>pagefind/) comes along with its pages.
    """
    missing = [locale for locale in locales if not (layout.tree(locale) / (locale if locale != default else "") / "index.html").is_file()]
    if missing:
        raise FileNotFoundError(f"no built tree for {', '.join(missing)} in {layout.trees}/ (build them with --only first)")
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    pages_404 = {locale: (layout.tree(locale) / "404.html").read_bytes() for locale in locales if (layout.tree(locale) / "404.html").is_file()}
    sitemaps = [layout.tree(locale) / "sitemap.xml" for locale in locales]
    indexes = [layout.tree(locale) / "search" / "search_index.json" for locale in locales]
    shutil.copytree(layout.tree(default), staging)
    for locale in locales:
        if locale != default:
            shutil.copytree(layout.tree(locale) / locale, staging / locale)
    merge_sitemaps([path for path in sitemaps if path.is_file()], staging)
    merge_search_indexes(indexes, staging)
    return pages_404


def swap_in(staging: Path, site: Path) -> None:
    """Replace `site` with `staging` (a rename each, so site/ is never half written)."""
    previous = staging.parent / f"{site.name}-previous"  # on the same file system as both
    if previous.exists():
        shutil.rmtree(previous)
    if site.exists():
        site.rename(previous)
    staging.rename(site)
    shutil.rmtree(previous, ignore_errors=True)


def finish(layout: Layout, catalogue: Catalogue, locales: list[str], staging: Path, site: Path) -> int:
    """Assemble, run the steps across languages once, swap in."""
    config = engine.load_config(layout.mkdocs_yml, site_dir=str(staging))
    default = config.plugins["i18n"].default_language
    indexed = [locale for locale in locales if search_index.has_bundle(layout.tree(locale) / site_layout.tree(locale, default))]
    try:
        pages_404 = assemble(layout, locales, default, staging)
        cross_language.finish(staging, config, catalogue, pages_404, indexed)
    except (FileNotFoundError, SearchIndexError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        _say(f"{error}\nThe site was not assembled; {site.name}/ was left as it was.")
        return 1
    swap_in(staging, site)
    return 0


def pagefind_setting(layout: Layout, locales: list[str]) -> tuple[list[str], str] | None:
    """(every locale, the default) when the site's search is Pagefind, so each language job indexes its tree; None for lunr."""
    config = engine.load_config(layout.mkdocs_yml)
    if cross_language.search_engine(config) != "pagefind":
        return None
    return locales, config.plugins["i18n"].default_language


def build(root: Path, site: Path, staging: Path, jobs: int | None = None, only: list[str] | None = None, assemble_only: bool = False) -> int:
    """The whole build (or, with `only`, some language trees; with `assemble_only`, the assembly of trees built before)."""
    layout = Layout(root)
    all_locales = list(languages.locales(layout.mkdocs_yml))
    unknown = [locale for locale in only or [] if locale not in all_locales]
    if unknown:
        _say(f"{', '.join(unknown)}: not a language of this site (mkdocs.yml lists {', '.join(all_locales)})")
        return 2
    started = time.perf_counter()
    catalogue = load(layout)
    if catalogue is None:
        _say(f"Build stopped before it started; {site.name}/ was not touched.")
        return 1
    if not assemble_only:
        prepare(catalogue, layout)
        del catalogue  # the engine runs hold their own copies; read back for the last steps
        gc.collect()
        try:
            index = pagefind_setting(layout, all_locales)
        except SearchIndexError as error:
            _say(f"{error}\nBuild stopped before it started; {site.name}/ was not touched.")
            return 1
        runs = run_languages(only or all_locales, layout, jobs or os.cpu_count() or 1, index)
        failed = [run.locale for run in runs if run.returncode != 0]
        if failed:
            shutil.rmtree(staging, ignore_errors=True)
            _say(f"Build failed in {', '.join(failed)} (see the messages above); {site.name}/ was left as it was.")
            return 1
        if only:
            _say(f"Language trees built in {', '.join(str(layout.tree(locale)) for locale in only)}")
            return 0
        catalogue = engine.read_catalogue(layout.catalogue)
    if finish(layout, catalogue, all_locales, staging, site) != 0:
        return 1
    print(f"Site built in {site} ({time.perf_counter() - started:.1f} s, {len(all_locales)} languages)")
    return 0
