"""The Downloads page: each language's offline zip, ZIM file and handout PDFs.

`make publish` (publish.py) makes the files into .build/downloads/files/, laid
out as they go into the site (`downloads/...` in the English tree,
`es/downloads/...` in the Spanish one), and lists them in
.build/downloads/manifest.json with their sizes and dates. Then it builds the
site with PUBLISH_DOWNLOADS=1: that build reads the manifest, the page lists
exactly the files it names, and `copy_into_site` copies those files into the
built site, so a link on the page always leads to a file. Other builds
(`make build`, `make serve`, the tests' builds) ignore any manifest left from
an earlier run: their page says the files are made when the site is
published, and links none.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.units import format_unit
from markupsafe import Markup

from ..layout import download, relative_url

FOLDER = Path(".build") / "downloads"  # beside mkdocs.yml
SWITCH = "PUBLISH_DOWNLOADS"  # set to 1 by publish.py for its last build
MANIFEST = "manifest.json"
FILES = "files"
KINDS = ("offline", "zim", "handout", "sheet")


@dataclass(frozen=True)
class Download:
    locale: str
    kind: str  # one of KINDS
    path: str  # in the site, e.g. 'es/downloads/partnership-playbooks-es.zip'
    bytes: int
    date: str  # YYYY-MM-DD
    playbook: str | None = None  # handouts and sheets: the playbook's slug


def folder_for(config_dir: Path) -> Path:
    return config_dir / FOLDER


def site_path(tree: str, name: str) -> str:
    """Where a file of the language tree `tree` ('' or 'es/') goes in the site."""
    return download(tree, name)


def write_manifest(folder: Path, downloads: list[Download], name: str = MANIFEST) -> Path:
    """`name`: manifest.json, or manifest-<locale>.json for one language's job of the deploy workflow."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"files": [asdict(item) for item in downloads]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> list[Download]:
    """The files `make publish` made, or none; a listed file that is missing is a build error.

    The deploy workflow makes each language's files in its own job; their
    manifests (manifest-<locale>.json) are read together.
    """
    paths = sorted(folder.glob("manifest*.json")) if folder.is_dir() else []
    items = [Download(**entry) for path in paths for entry in json.loads(path.read_text(encoding="utf-8"))["files"]]
    path = folder / MANIFEST
    missing = [item.path for item in items if not (folder / FILES / item.path).is_file()]
    if missing:
        raise FileNotFoundError(f"{path} lists files that are not in {folder / FILES}: {', '.join(missing[:5])}; run `make publish` again or `make clean`")
    return items


def for_build(config: Any) -> list[Download]:
    """The manifest of the site being built (an MkDocs config), in `make publish`'s last build only.

    A one-language build (`make serve ONLY=es`, the offline copies and ZIM files)
    has its language at the root, where the manifest's paths do not fit, and an
    offline copy must not carry the other downloads inside it.
    """
    if os.environ.get(SWITCH) != "1" or getattr(config.plugins["i18n"].config, "build_only_locale", None):
        return []
    return read_manifest(folder_for(Path(config.config_file_path).parent))


def copy_into_site(config: Any, site_dir: Path) -> int:
    """Copy every file of the manifest into the built site; returns how many."""
    items = for_build(config)
    folder = folder_for(Path(config.config_file_path).parent)
    for item in items:
        target = site_dir / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / FILES / item.path, target)
    return len(items)


def size_text(size: int, locale: str) -> str:
    """'2.1 MB', '312 kB' in the reader's language (CLDR units; 1 MB = 1,000,000 bytes)."""
    if size >= 1_000_000:
        return format_unit(size / 1_000_000, "digital-megabyte", length="short", format="#,##0.0", locale=locale)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)


def date_text(value: str, locale: str) -> str:
    return format_date(date.fromisoformat(value), "long", locale=locale)


def section(ctx: Any, downloads: list[Download], kind: str) -> Markup:
    """One part of the Downloads page for ctx.locale (ctx: views.PageContext): 'offline', 'zim' or 'handouts'."""
    mine = [item for item in downloads if item.locale == ctx.locale]

    def entry(item: Download) -> dict[str, str]:
        return {
            "url": relative_url(item.path, ctx.page_url),
            "name": item.path.rsplit("/", 1)[-1],
            "size": size_text(item.bytes, ctx.locale),
            "date": date_text(item.date, ctx.locale),
            "datetime": item.date,
        }

    if kind in ("offline", "zim"):
        found = [entry(item) for item in mine if item.kind == kind]
        return ctx.render("downloads.html", kind=kind, file=found[0] if found else None, rows=[])
    if kind != "handouts":
        raise ValueError(f"downloads(): unknown part {kind!r}; use 'offline', 'zim' or 'handouts'")
    rows: dict[str, dict[str, Any]] = {}
    for item in mine:
        if item.kind in ("handout", "sheet") and item.playbook in ctx.catalogue.playbooks:
            rows.setdefault(item.playbook, {"title": _title(ctx, item.playbook)})[item.kind] = entry(item)
    return ctx.render("downloads.html", kind=kind, file=None, rows=[rows[slug] for slug in ctx.catalogue.playbooks if slug in rows])


def _title(ctx: Any, slug: str) -> dict[str, Any]:
    titles = ctx.catalogue.playbooks[slug].titles
    if ctx.locale in titles:
        return {"text": titles[ctx.locale], "lang": None}
    return {"text": titles[ctx.default_locale], "lang": ctx.default_locale}
