"""`make zim`: one Kiwix ZIM file per language, for reading offline in the Kiwix apps.

    python -m playbook_site zim [--only ar] [--out site-offline]

Each language is built alone and fixed for offline reading exactly as for
`make offline` (offline.py: a one-language build at the root of the tree, every
relative link to a folder rewritten to name its index.html). A ZIM entry's path
is the file's path in that tree (`playbooks/x/index.html`), and ZIM readers
resolve links relative to the entry like a web server does, so every link of
the offline copy is a link to an entry; no redirect entries are needed. The
file is written with python-libzim (openZIM's own library), with:

- a full-text index (Xapian) in the language of the tree, ISO 639-3 code from
  pycountry;
- the main page set to the tree's home, index.html;
- the metadata the openZIM wiki asks for (Name, Title, Description,
  LongDescription, Language, Creator, Publisher, Date, License, Tags, Scraper)
  and a 48x48 PNG illustration drawn here at build time (Pillow), from the
  site's favicon;
- each HTML page as a front article titled with its <title>, except the small
  redirect pages of short links and moved pages.

Progress goes to stderr; the ZIM files' paths to stdout.
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..languages import Language, site_languages
from . import html_links
from .offline import OUT, Progress, ZIP_NAME, prepared_copy
from ..paths import BUILD

ZIM_NAME = ZIP_NAME  # partnership-playbooks-<locale>.zim beside the zip
CREATOR = "Partnership Playbooks contributors"
PUBLISHER = "Partnership Playbooks"
LICENSE = "CC BY-SA 4.0"
TAGS = "_category:other;wikimedia;partnerships;_ftindex:yes;_pictures:no;_videos:no;_details:yes"
# Short descriptions per language (openZIM: Description at most 80 characters).
DESCRIPTION_LIMIT = 80
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
_EXTRA_TYPES = {".js": "application/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".xml": "application/xml", ".webmanifest": "application/manifest+json"}


def _stderr(message: str) -> None:
    print(f"zim: {message}", file=sys.stderr, flush=True)


def iso639_3(locale: str) -> str:
    """The ISO 639-3 code of a BCP 47 locale's language ('ar' -> 'ara'), as ZIM metadata wants."""
    import pycountry

    code = locale.split("-")[0].lower()
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    if found is None:
        raise ValueError(f"no ISO 639-3 code for the language of '{locale}'")
    return str(found.alpha_3)


def illustration_png(size: int = 48) -> bytes:
    """The favicon (docs/assets/favicon.svg: a white open book on a teal rounded square) as a PNG."""
    from PIL import Image, ImageDraw

    scale = 8  # draw large, then shrink: smooth edges without an SVG renderer
    big = 24 * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=5 * scale, fill=(0, 0x89, 0x7B, 255))
    left_page = [(5, 6), (10, 6), (11.4, 6.6), (12, 8), (12, 18), (11.56, 16.94), (10.5, 16.5), (5, 16.5)]
    for page in (left_page, [(24 - x, y) for x, y in left_page]):
        draw.polygon([(x * scale, y * scale) for x, y in page], fill=(255, 255, 255, 255))
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    small.save(output, format="PNG", optimize=True)
    return output.getvalue()


def build_date() -> str:
    """YYYY-MM-DD: SOURCE_DATE_EPOCH's day if set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def metadata(language: Language, description: str, date: str) -> dict[str, str]:
    """The ZIM metadata of one language's file."""
    if not description or len(description) > DESCRIPTION_LIMIT:
        raise ValueError(f"{language.locale}: the ZIM description must be 1 to {DESCRIPTION_LIMIT} characters: {description!r}")
    import libzim

    return {
        "Name": f"partnership-playbooks_{language.locale}_all",
        "Title": language.site_name,
        "Description": description,
        "LongDescription": language.site_description,
        "Language": iso639_3(language.locale),
        "Creator": CREATOR,
        "Publisher": PUBLISHER,
        "Date": date,
        "License": LICENSE,
        "Tags": TAGS,
        "Scraper": f"playbook_site.zim (libzim {libzim.get_libzim_version()})",
    }


@dataclass(frozen=True)
class SiteFile:
    """One file of the offline copy, as a ZIM entry."""

    path: str  # relative to the tree root, '/'-separated: the entry's path
    file: Path
    mimetype: str
    title: str
    front_article: bool


def mimetype(path: Path) -> str:
    return _EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def site_files(site: Path) -> list[SiteFile]:
    """Every file of a one-language offline copy, with its ZIM path, type and title."""
    found = []
    for file in sorted(path for path in site.rglob("*") if path.is_file()):
        relative = file.relative_to(site).as_posix()
        kind = mimetype(file)
        title, front = "", False
        if kind == "text/html":
            page = html_links.read(file)
            title = " ".join(page.title.split())
            front = not any(link.attribute == "refresh" for link in page.links)  # a redirect page is no article
        found.append(SiteFile(relative, file, kind, title, front))
    return found


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """libzim's C++ writer prints progress on file descriptor 1; keep stdout for the results."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def write_zim(site: Path, zim_path: Path, language: Language, description: str, date: str) -> int:
    """Write the offline copy in `site` as one ZIM file; returns the number of entries."""
    from libzim.writer import Creator, FileProvider, Hint, Item

    class FileItem(Item):
        def __init__(self, entry: SiteFile) -> None:
            super().__init__()
            self.entry = entry

        def get_path(self) -> str:
            return self.entry.path

        def get_title(self) -> str:
            return self.entry.title

        def get_mimetype(self) -> str:
            return self.entry.mimetype

        def get_contentprovider(self) -> FileProvider:
            return FileProvider(str(self.entry.file))

        def get_hints(self) -> dict:
            return {Hint.FRONT_ARTICLE: self.entry.front_article, Hint.COMPRESS: self.entry.mimetype.startswith(TEXT_TYPES)}

    entries = site_files(site)
    if not any(entry.path == "index.html" for entry in entries):
        raise RuntimeError(f"{site}: no index.html to be the main page")
    zim_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zim_path.with_name(zim_path.name + ".part")
    partial.unlink(missing_ok=True)
    creator = Creator(str(partial)).config_indexing(True, iso639_3(language.locale))
    with _stdout_to_stderr(), creator:
        creator.set_mainpath("index.html")
        for name, value in metadata(language, description, date).items():
            creator.add_metadata(name, value)
        creator.add_illustration(48, illustration_png(48))
        for entry in entries:
            creator.add_item(FileItem(entry))
    partial.replace(zim_path)
    return len(entries)


def zim_file(site: Path, language: Language, description: str, out: Path, date: str | None = None, progress: Progress = _stderr) -> Path:
    """Write out/partnership-playbooks-<locale>.zim from a prepared offline copy; returns its path."""
    zim_path = out / f"{ZIM_NAME.format(locale=language.locale)}.zim"
    progress(f"{language.locale}: writing {zim_path} (with a full-text index)...")
    count = write_zim(site, zim_path, language, description, date or build_date())
    progress(f"{language.locale}: {count} entries, {zim_path.stat().st_size / 1_000_000:.1f} MB")
    return zim_path


def main(argv: list[str] | None = None) -> int:
    from .. import cli

    languages = {language.locale: language for language in site_languages()}
    parsed = cli.per_language_arguments(argv, "zim", "One Kiwix ZIM file per language.", "ZIM files", OUT, languages)
    if parsed is None:
        return 2
    args, chosen = parsed
    catalogue = cli.load_or_report()
    if catalogue is None:
        return 1

    def make(locale: str) -> Path:
        site, _counts = prepared_copy(locale, BUILD / "zim")
        return zim_file(site, languages[locale], catalogue.text("zim_description", locale), args.out.resolve())

    return cli.each_language("zim", chosen, make)

