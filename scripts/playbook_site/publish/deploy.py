"""`make publish`: the site as the deploy uploads it, with its Downloads page's files.

    python -m playbook_site publish [--only ar] [--playbook SLUG]

1. A strict build into site/ (`make build`), without downloads.
2. The handouts: each playbook and its workshop sheet printed from that build
   with Chromium (handouts.py), per language.
3. Per language, the offline copy (a one-language build, fixed for offline
   reading) written as a zip (offline.py) and as a ZIM file (zim.py).
4. .build/downloads/manifest.json lists every file with its size and date.
5. The strict build again, with PUBLISH_DOWNLOADS=1: the Downloads page of
   each language now lists its files, and the build copies them into
   site/<tree>downloads/.

With `--tree LOCALE` (one job of the deploy workflow's matrix) the same
steps make one language: its tree in .build/languages/<locale>/ and its
files in .build/downloads/ (manifest-<locale>.json); `make assemble` then
puts the trees and files of every language together into site/.

Set SITE_URL to the public address, as for `make handouts`: the handouts'
QR codes and printed links use it. `--only` and `--playbook` make a smaller
set (the tests use them); the deploy makes everything.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .. import cli

from . import downloads

from . import handouts

from . import offline

from . import zim
from ..content.catalogue import ContentRoots, load_catalogue
from ..languages import site_languages
from ..layout import SHEET, page_url, tree

Progress = offline.Progress


def _stderr(message: str) -> None:
    print(f"publish: {message}", file=sys.stderr, flush=True)


def _build(root: Path, site: Path, with_downloads: bool, tree: str | None = None) -> None:
    """`make build` (or one language's tree); `with_downloads` lets the build read the manifest (downloads.SWITCH)."""
    previous = os.environ.pop(downloads.SWITCH, None)
    if with_downloads:
        os.environ[downloads.SWITCH] = "1"
    try:
        if cli.build(site=site, staging=root / ".build" / "site-next", root=root, only=[tree] if tree else None) != 0:
            raise RuntimeError("the site did not build (see above)")
    finally:
        os.environ.pop(downloads.SWITCH, None)
        if previous is not None:
            os.environ[downloads.SWITCH] = previous


def make_downloads(root: Path, site: Path, locales: list[str], slugs: list[str], chromium: str, browser: Any = None, progress: Progress = _stderr, manifest: str = downloads.MANIFEST) -> list[downloads.Download]:
    """Steps 2-4: every file of the Downloads pages, into .build/downloads/files/, and the manifest."""
    folder = downloads.folder_for(root)
    files = folder / downloads.FILES
    languages = {language.locale: language for language in site_languages(root / "mkdocs.yml")}
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    default = catalogue.default_locale
    day = zim.build_date()
    made: list[downloads.Download] = []

    def record(locale: str, kind: str, path: str, playbook: str | None = None) -> None:
        made.append(downloads.Download(locale, kind, path, (files / path).stat().st_size, day, playbook))

    work = []
    for locale in locales:
        prefix = tree(locale, default)
        for slug in slugs:
            work.append((page_url("playbook", slug, locale, default), downloads.site_path(prefix, f"handouts/{slug}-{locale}.pdf"), locale, "handout", slug))
            work.append((page_url(SHEET, slug, locale, default), downloads.site_path(prefix, f"handouts/{slug}-sheet-{locale}.pdf"), locale, "sheet", slug))
    progress(f"printing {len(work)} handouts...")
    handouts.render(site, files, [(page, name) for page, name, *_ in work], chromium, browser=browser)
    for _, name, locale, kind, slug in work:
        record(locale, kind, name, slug)

    for locale in locales:
        prefix = tree(locale, default)
        copy, _counts = offline.prepared_copy(locale, folder / "work", root=root, progress=progress)
        name = offline.ZIP_NAME.format(locale=locale)
        zip_path = files / downloads.site_path(prefix, f"{name}.zip")
        progress(f"{locale}: zipping into {zip_path}...")
        offline.write_zip(copy, zip_path, name)
        record(locale, "offline", downloads.site_path(prefix, f"{name}.zip"))
        zim.zim_file(copy, languages[locale], catalogue.text("zim_description", locale), files / downloads.site_path(prefix, ""), date=day, progress=progress)
        record(locale, "zim", downloads.site_path(prefix, f"{zim.ZIM_NAME.format(locale=locale)}.zim"))
        shutil.rmtree(copy)
    downloads.write_manifest(folder, made, manifest)
    return made


def publish_tree(root: Path, locale: str, slugs: list[str] | None = None, chromium: str = "/usr/bin/chromium", browser: Any = None, progress: Progress = _stderr) -> list[downloads.Download]:
    """The same steps for one language: its tree (with its Downloads page) and its files, for `make assemble` to put together."""
    from .build_driver import Layout

    folder = downloads.folder_for(root)
    if folder.exists():
        shutil.rmtree(folder)
    tree_dir = Layout(root).tree(locale)  # a whole site for this language: its pages and the theme's assets
    progress(f"building the {locale} tree (1/2)...")
    _build(root, root / "site", with_downloads=False, tree=locale)
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    made = make_downloads(root, tree_dir, [locale], list(slugs or catalogue.playbooks), chromium, browser, progress, manifest=f"manifest-{locale}.json")
    progress(f"building the {locale} tree with its {len(made)} downloads (2/2)...")
    _build(root, root / "site", with_downloads=True, tree=locale)
    return made


def publish(root: Path, site: Path, locales: list[str] | None = None, slugs: list[str] | None = None, chromium: str = "/usr/bin/chromium", browser: Any = None, progress: Progress = _stderr) -> list[downloads.Download]:
    """All five steps; returns the files. Raises RuntimeError (or DataError) when a step fails."""
    folder = downloads.folder_for(root)
    if folder.exists():
        shutil.rmtree(folder)  # the first build must not list files of an older run
    started = time.monotonic()
    progress("building the site (1/2)...")
    _build(root, site, with_downloads=False)
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    made = make_downloads(root, site, list(locales or catalogue.locales), list(slugs or catalogue.playbooks), chromium, browser, progress)
    progress(f"building the site with its {len(made)} downloads (2/2)...")
    _build(root, site, with_downloads=True)
    progress(f"done in {time.monotonic() - started:.0f} s")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("publish", __doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="LOCALE", help="make the downloads of this language only (repeatable)")
    parser.add_argument("--playbook", action="append", metavar="SLUG", help="print the handouts of this playbook only (repeatable)")
    parser.add_argument("--tree", metavar="LOCALE", help="one language's tree and files only, for `make assemble` (the deploy workflow's matrix)")
    args = parser.parse_args(argv)
    chromium = handouts.chromium_or_report()
    if chromium is None:
        return 1
    from ..paths import ROOT, SITE

    catalogue = cli.load_or_report()
    if catalogue is None:
        return 1
    languages = (args.only or []) + ([args.tree] if args.tree else [])
    if cli.chosen_languages("publish", languages, catalogue.locales) is None or cli.chosen_playbooks("publish", args.playbook, catalogue) is None:
        return 2
    if not os.environ.get("SITE_URL"):
        _stderr("SITE_URL is not set, so the handouts' QR codes point at the local preview address")
    try:
        if args.tree:
            made = publish_tree(ROOT, args.tree, args.playbook, chromium)
            print(f"{ROOT / '.build'}: the {args.tree} tree with its {len(made)} downloads; `make assemble` puts the languages together")
            return 0
        made = publish(ROOT, SITE, args.only, args.playbook, chromium)
    except (RuntimeError, ValueError) as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    print(f"{SITE}: the site with {len(made)} downloads")
    return 0

