"""The builder behind `make serve`: one warm process that rebuilds the language trees on request.

It imports the engine once, then for every rebuild the dev server asks for:
1. loads and checks the catalogue once (content/snapshot.py); if the data is
   broken it answers with every problem and builds nothing;
2. writes the generated pages into docs/ (render/generated_pages.py);
3. works out which pages the change reaches (`pages_to_rebuild`), or decides
   on a full build;
4. builds each language as its own engine run (`build_language`, a forked
   child that inherits the loaded catalogue), the viewed language first and
   alone, the others two at a time, each into a work copy of its tree, and
   answers as soon as a tree is ready to swap in;
5. indexes the new trees for search and brings the work copies up to date.

Requests come as JSON lines on stdin, answers go as JSON lines on stdout;
the engine's own messages go to stderr, which is the terminal.
"""

from __future__ import annotations

import json
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import traceback
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, Iterable

from ..content import snapshot
from ..content.catalogue import ContentRoots
from ..content.models import Catalogue
from ..content.translations import is_generated_page
from ..paths import CASE_STUDIES, DATA, DOCS, PATTERNS, PLAYBOOKS, ROOT
from ..problems import DataError
from .. import layout
from ..render import generated_pages

# Entry kinds whose data files the dev server can rebuild page by page; any
# other change (taxonomy, UI strings, glossary, templates, mkdocs.yml) reaches
# every page, so it rebuilds every page.
_ENTRY_FIELDS = {"case_studies": "case_study", "patterns": "pattern", "playbooks": "playbook", "pathways": "pathway"}


def _in_repository(path: Path, folder: bool = True) -> str:
    """A path of the repository as the dev server names changed files: 'playbooks/' for a folder."""
    return path.relative_to(ROOT).as_posix() + ("/" if folder else "")


_PLAYBOOK_FILES = _in_repository(PLAYBOOKS)
_PARTIAL_SOURCES = (_in_repository(CASE_STUDIES), _in_repository(PATTERNS), _in_repository(DATA / "pathways.yml", folder=False), _PLAYBOOK_FILES, _in_repository(DOCS / "assets"))
PARALLEL = 2


# -- what a change reaches -------------------------------------------------------------------


def _entries(catalogue: Catalogue, field: str) -> dict[str, Any]:
    return dict(getattr(catalogue, field))


def changed_entries(old: Catalogue, new: Catalogue) -> set[tuple[str, str]] | None:
    """(kind, id) of every entry that differs between two catalogues; None if something site-wide changed.

    Site-wide: any field other than the entries and the translation states,
    or an entry added or removed (index pages, nav and sitemap change).
    """
    changed: set[tuple[str, str]] = set()
    for field in fields(Catalogue):
        name = field.name
        if name in ("_index", "translation_states"):
            continue
        before, after = getattr(old, name), getattr(new, name)
        if name not in _ENTRY_FIELDS:
            if before != after:
                return None
            continue
        before, after = _entries(old, name), _entries(new, name)
        if before.keys() != after.keys():
            return None
        changed |= {(_ENTRY_FIELDS[name], key) for key in after if before[key] != after[key]}
    return changed


def entry_page(kind: str, key: str) -> str:
    """The docs/ page (English file name) that shows an entry."""
    return f"{layout.section_page(kind, key)}.md"


def macro_pages(docs: Path, locales: Iterable[str]) -> set[str]:
    """Pages that call a macro in any language and may list any entry, and the finished list of every case study.

    The authored pages (index pages, overview, partners, ...) and the
    generated lists (case-studies/all/). Not the pages of one entry, nor
    the playbooks: their macros show only what the playbook links to,
    which `Catalogue.entries_showing` already gives.
    """
    entry_folders = set(layout.GENERATED_FOLDERS)
    pages = set()
    for path in docs.rglob("*.md"):
        relative = path.relative_to(docs).as_posix()
        parts = relative.split("/")
        if is_generated_page(relative) and len(parts) == 2 and parts[0] in entry_folders:
            continue
        text = path.read_text(encoding="utf-8")
        kind = generated_pages.finished_kind(text)
        if kind is not None:  # a finished data page: it calls no macro
            if kind == layout.CASE_STUDY_LIST:  # but lists every case study
                pages.add(english_name(relative, locales))
            continue
        if "{{" in text:
            pages.add(english_name(relative, locales))
    return pages


def english_name(relative: str, locales: Iterable[str]) -> str:
    """docs/-relative path without its language suffix: case-studies/x.es.md -> case-studies/x.md."""
    pattern = "|".join(re.escape(locale) for locale in locales)
    return re.sub(rf"\.({pattern})\.md$", ".md", relative)


def pages_to_rebuild(old: Catalogue | None, new: Catalogue, paths: Iterable[str], docs: Path) -> set[str] | None:
    """The docs/ pages (English names) a change reaches in every language; None means all of them.

    `paths` are the changed files, relative to the repository. An entry
    that changed in the catalogue reaches the pages of the entries that show
    it (`Catalogue.entries_showing`, before and after the change) and every
    page that calls a macro (lists, counts, the explorer). A playbook whose
    text alone changed reaches its page, its workshop sheet and the notices
    of its translations (their translation state).
    """
    paths = list(paths)
    if old is None or any(not path.startswith(_PARTIAL_SOURCES) for path in paths):
        return None
    entries = changed_entries(old, new)
    if entries is None:
        return None
    pages: set[str] = set()
    for kind, key in entries:
        for catalogue in (old, new):  # links that were removed and links that were added
            pages |= {entry_page(shown_kind, shown_key) for shown_kind, shown_key in catalogue.entries_showing(kind, key)}
    # A playbook's text (not its title, headings or links, which are in the catalogue): its page and its sheet.
    for slug in {Path(path).name.split(".")[0] for path in paths if path.startswith(_PLAYBOOK_FILES)} & new.playbooks.keys():
        pages |= {entry_page("playbook", slug), entry_page(layout.SHEET, slug)}
    for page, states in new.translation_states.items():
        if old.translation_states.get(page) != states:
            pages.add(english_name(page, new.locales))
    if entries:
        pages |= macro_pages(docs, new.locales)
    return pages


# -- one language as one engine run --------------------------------------------------------


def build_language(locale: str, site_dir: Path, roots: ContentRoots, pages: set[str] | None, config: Any = None) -> None:
    """Build one language into `site_dir` (in its tree: the root for the default language, else <locale>/), without Pagefind.

    Every language stays configured, so the language menu and the fallbacks
    are those of `make build`. `pages=None` builds every page; otherwise
    only those pages (English names, every language's version) and the ones
    whose source is newer than their output. The one place to swap for the
    build driver's call.
    """
    from . import cross_language, engine, search_index

    config = config if config is not None else _load_config(roots)
    default = config.plugins["i18n"].default_language
    folders = [layout.tree(other, default) for other in config.plugins["i18n"].build_languages]
    rebuild = None
    if pages is not None:
        locales = snapshot.current().locales

        def rebuild(src_uri: str) -> bool:
            return english_name(src_uri, locales) in pages

    search_index.build_pagefind_trees = lambda *args, **kwargs: None  # indexed after the tree is swapped in (Builder.index_while_idle)
    engine.build_language_for_serve(config, locale, site_dir, folders, rebuild)
    # As the build driver does after its runs: a one-language build leaves the steps across languages to its caller.
    page_404 = site_dir / layout.NOT_FOUND
    cross_language.finish(site_dir, config, snapshot.current(), {locale: page_404.read_bytes()} if page_404.is_file() else {})


NEXT_BUNDLE = ".pagefind-next"  # where `make serve` indexes a tree before its bundle replaces the served one


class _Collect(logging.Handler):
    """Keeps the warnings and errors of a build, to show them on the served page."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _child(locale: str, site_dir: Path, roots: ContentRoots, pages: set[str] | None, report: Path, config: Any) -> int:
    collected = _Collect()
    logging.getLogger("mkdocs").addHandler(collected)
    try:
        build_language(locale, site_dir, roots, pages, config)
        return 0
    except BaseException as error:  # noqa: BLE001 (reported to the server, whatever it was)
        message = str(error) if not isinstance(error, Exception) or str(error) else type(error).__name__
        text = "\n".join([*collected.lines, message]).strip()
        if not isinstance(error, DataError) and "Aborted" not in message:
            traceback.print_exc()
        report.write_text(text, encoding="utf-8")
        return 1


# -- the builder process --------------------------------------------------------------------


class Builder:
    """Two copies of each language tree: the one served and a work copy that the next build updates."""

    def __init__(self, roots: ContentRoots, out: Path, answers: IO[str]):
        self.roots = roots
        self.out = out
        self.answers = answers
        self.live: dict[str, Path] = {}
        self.stale: set[str] = set()  # languages whose work copy failed mid-build: rebuild in full
        self.last_good: Catalogue | None = None
        self.pending: set[str] = set()  # changed paths not yet built (the data was broken)
        self.unindexed: list[str] = []  # trees swapped in since Pagefind last ran on them
        self.config: Any = None  # loaded here, never built with here: each forked build gets it untouched

    def answer(self, **message: Any) -> None:
        self.answers.write(json.dumps(message) + "\n")
        self.answers.flush()

    def work_copy(self, locale: str) -> Path:
        live = self.live.get(locale)
        name = "b" if live is not None and live.name == "a" else "a"
        return self.out / locale / name

    def rebuild(self, number: int, paths: list[str], order: list[str], full: bool) -> None:
        self.pending |= set(paths)
        try:
            catalogue = snapshot.catalogue(self.roots)
        except DataError as error:
            self.answer(rebuild=number, problems=[str(problem) for problem in error.problems])
            self.answer(rebuild=number, done=True)
            return
        generated_pages.materialise(catalogue, self.roots.docs)
        pages = None if full else pages_to_rebuild(self.last_good, catalogue, sorted(self.pending), self.roots.docs)
        if pages is None or self.config is None:
            self.config = _load_config(self.roots)
        self.answer(rebuild=number, problems=[], pages=None if pages is None else sorted(pages))
        built = self.run([order[0]], pages, number) + self.run(order[1:], pages, number)
        self.last_good = catalogue
        self.pending.clear()
        for locale in built:
            self.sync(locale)
        self.unindexed = [locale for locale in order if locale in built or locale in self.unindexed]
        self.answer(rebuild=number, done=True)

    def run(self, locales: list[str], pages: set[str] | None, number: int) -> list[str]:
        """Build `locales`, PARALLEL at a time; swap each finished tree in. Returns those that succeeded."""
        queue, running, built = list(locales), {}, []
        while queue or running:
            while queue and len(running) < PARALLEL:
                locale = queue.pop(0)
                target = self.work_copy(locale)
                target.parent.mkdir(parents=True, exist_ok=True)
                report = target.parent / "problems.txt"
                report.unlink(missing_ok=True)
                scope = None if locale in self.stale or locale not in self.live else pages
                pid = os.fork()
                if pid == 0:
                    os._exit(_child(locale, target, self.roots, scope, report, self.config))
                running[pid] = (locale, target, report)
            pid, status = os.wait()
            if pid not in running:
                continue
            locale, target, report = running.pop(pid)
            if os.waitstatus_to_exitcode(status) == 0:
                self.live[locale] = target
                self.stale.discard(locale)
                built.append(locale)
                self.answer(rebuild=number, locale=locale, tree=str(target))
            else:
                self.stale.add(locale)
                problems = report.read_text(encoding="utf-8").splitlines() if report.exists() else ["the build stopped"]
                self.answer(rebuild=number, locale=locale, failed=problems)
        return built

    def index_while_idle(self, requests: "Requests") -> None:
        """Pagefind over each rebuilt tree, the viewed language first; stopped as soon as a request comes.

        Each language gets its own bundle in its own tree (<tree>pagefind/, as
        `make build` makes them, chunks re-cut by search_chunks.py), so
        search works in every served language.
        """
        from . import search_chunks, search_index
        from .build_driver import swap_in

        while self.unindexed and not requests.waiting():
            locale = self.unindexed[0]
            i18n = self.config.plugins["i18n"]  # loaded by the rebuild that left the tree unindexed
            default, every = i18n.default_language, list(i18n.build_languages)
            tree = self.live[locale]
            pages = tree / layout.tree(locale, default)
            staged = pages / NEXT_BUNDLE  # the served bundle is replaced only once the new one is whole and re-cut
            shutil.rmtree(staged, ignore_errors=True)
            command = search_index.pagefind_command(pages, search_index.other_trees(locale, every, default), NEXT_BUNDLE)
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            while process.poll() is None and not requests.waiting(0.05):
                pass
            if process.poll() is None:
                process.kill()
                process.wait()
                shutil.rmtree(staged, ignore_errors=True)
                return
            if process.returncode != 0:
                print(f"[{locale}] Pagefind failed: {process.stderr.read().decode(errors='replace')[-500:] if process.stderr else ''}", file=sys.stderr)
            else:
                try:
                    search_chunks.rechunk_bundle(staged)  # the same chunks as `make build`
                    swap_in(staged, pages / search_index.BUNDLE)
                except (search_chunks.BundleFormatError, OSError) as error:
                    print(f"[{locale}] {error}", file=sys.stderr)
            shutil.rmtree(staged, ignore_errors=True)
            shutil.rmtree(tree / "search", ignore_errors=True)  # as search_index.build_pagefind_trees does
            self.unindexed.pop(0)
            self.sync(locale)

    def sync(self, locale: str) -> None:
        """Make the work copy equal to the served tree: copy what differs (times kept, so only newer sources rebuild), delete the rest."""
        live, work = self.live[locale], self.work_copy(locale)
        seen = set()
        for folder, folders, names in os.walk(live):
            relative = Path(folder).relative_to(live)
            (work / relative).mkdir(parents=True, exist_ok=True)
            for name in names:
                source, target = Path(folder) / name, work / relative / name
                seen.add(relative / name)
                stat = source.stat()
                try:
                    mine = target.stat()
                    if mine.st_size == stat.st_size and mine.st_mtime_ns == stat.st_mtime_ns:
                        continue
                except FileNotFoundError:
                    pass
                shutil.copy2(source, target)
        for folder, folders, names in os.walk(work, topdown=False):
            relative = Path(folder).relative_to(work)
            for name in names:
                if relative / name not in seen:
                    (Path(folder) / name).unlink()
            if not any(Path(folder).iterdir()) and folder != str(work):
                Path(folder).rmdir()


class Requests:
    """JSON lines on stdin, read without a buffer that would hide whether one is waiting."""

    def __init__(self, fd: int = 0):
        self.fd = fd
        self.buffer = b""
        self.closed = False

    def waiting(self, timeout: float = 0) -> bool:
        if b"\n" in self.buffer or self.closed:
            return True
        readable, _, _ = select.select([self.fd], [], [], timeout)
        return bool(readable)

    def next(self) -> dict | None:
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.closed = True
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)


def _load_config(roots: ContentRoots) -> Any:
    """mkdocs.yml with its plugins and hooks, and the components compiled: loaded again for every full rebuild."""
    from ..paths import COMPONENTS
    from ..render import views
    from .engine import load_config

    config = load_config(roots.mkdocs_yml)
    views._environment.cache_clear()
    components = views._environment(COMPONENTS)
    for name in components.list_templates():  # compiled once here, inherited by every forked build
        components.get_template(name)
    return config


def _warm_up(roots: ContentRoots) -> None:
    """Import the engine and its plugins once, and keep compiled theme templates between builds."""
    from .engine import keep_compiled_templates

    keep_compiled_templates(BUILD_CACHE)
    _load_config(roots)


BUILD_CACHE = Path(".build") / "serve" / "jinja"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m playbook_site serve --builder", description="the builder of `make serve` (started by publish/dev_server.py)")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--once", metavar="LOCALE", help="build this language once, in full, into --out (what the tests compare the served trees with)")
    args = parser.parse_args(argv)
    if args.once:
        root = args.root.resolve()
        os.chdir(root)
        build_language(args.once, args.out.resolve(), ContentRoots.beside(root / "mkdocs.yml"), None)
        return 0
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything the engine prints goes to the terminal, not into the answers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    root = args.root.resolve()
    os.chdir(root)
    global BUILD_CACHE
    BUILD_CACHE = args.out.resolve() / "jinja"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    roots = ContentRoots.beside(root / "mkdocs.yml")
    _warm_up(roots)
    builder = Builder(roots, args.out.resolve(), answers)
    builder.answer(ready=True)
    requests = Requests()
    while (request := requests.next()) is not None:
        builder.rebuild(request["rebuild"], request.get("paths", []), request["order"], bool(request.get("full")))
        builder.index_while_idle(requests)
    return 0

