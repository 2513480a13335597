"""(6) Overview weight: how much the overview page's charts and tables grow from today's data to 2,000 case studies.

The overview page is the same template as every page plus the output of its
`overview()` macro; only that output depends on the data. This renders it for
the real data and for the real data plus 2,000 synthetic case studies (copies
of every real one in turn, with years spread over 2001-2026, so every region,
partner type and theme is used and the years chart is as long as 26 years),
in English and Arabic, and reports the growth of its gzipped size.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import yaml
from playbook_site import languages
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.render.overview import overview_page
from playbook_site.render.views import PageContext

from .report import Measure, Section
from .synthetic import _fill_locales, _NoAliasDumper, read_template
from .workspace import Context, progress

NAME = "overview_weight"
COUNT = 2000
QUICK_COUNT = 200
YEARS = range(2001, 2027)


def write_varied(folder: Path, count: int, locales: tuple[str, ...], default: str) -> None:
    """`count` synthetic case studies, cycling through the real ones, with years spread over YEARS."""
    templates = [_fill_locales(read_template(path), locales, default) for path in sorted(folder.glob("*.yml"))]
    for number in range(count):
        base = templates[number % len(templates)]
        key = f"synthetic-overview-{number:05d}"
        entry = dict(base, id=key, years=[YEARS[number % len(YEARS)]])
        entry["title"] = {locale: f"{text} ({number})" for locale, text in base["title"].items()}
        (folder / f"{key}.yml").write_text(yaml.dump(entry, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=4096), encoding="utf-8")


def overview_gzip(root: Path, locale: str) -> int:
    """Gzipped bytes (level 6) of the overview's charts and tables for the content in `root`."""
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    ctx = PageContext(catalogue, locale, "overview/", root_locale=catalogue.default_locale)
    return len(gzip.compress(str(overview_page(ctx)).encode("utf-8"), compresslevel=6))


def run(ctx: Context) -> Section:
    section = Section(NAME)
    count = QUICK_COUNT if ctx.quick else COUNT
    site_languages = languages.site_languages(ctx.source() / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    repo = ctx.copy("overview-weight")
    chosen = tuple(dict.fromkeys((default, "ar" if "ar" in locales else locales[-1])))
    today = {locale: overview_gzip(repo, locale) for locale in chosen}
    progress(f"overview_weight: rendering with {count} synthetic case studies")
    write_varied(repo / "data" / "case_studies", count, locales, default)
    grown = {locale: overview_gzip(repo, locale) for locale in chosen}
    for locale in chosen:
        growth = (grown[locale] - today[locale]) / 1024
        note = f"{today[locale] / 1024:.1f} KB today, {grown[locale] / 1024:.1f} KB with {count} more case studies"
        section.measures.append(Measure(f"overview charts and tables, {locale}: growth to {count} more case studies (gzip)", growth, "KB", "overview_growth" if count == COUNT else None, note=note))
    section.details = {"count": count, "today_gzip": today, "grown_gzip": grown, "kilobyte": 1024}
    return section
