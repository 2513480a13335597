"""`make translation-status`: every translated page x language, and recording translations.

    python -m playbook_site translation-status            # the matrix
    python -m playbook_site translation-status --record es playbooks/x.md
    python -m playbook_site translation-status --record-all   # after a full review of every translation

The states themselves are worked out in content/translations.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Mapping

import yaml

from .. import cli
from ..content.catalogue import ContentRoots
from ..content.translations import RECORDS_FILE, STATES, columns, matrix, read_records, sources
from ..paths import ROOT


def write_records(data: Path, records: Mapping[str, Mapping[str, str]]) -> None:
    header = (
        "# yaml-language-server: $schema=schema/translation_sources.schema.json\n"
        "# Which English version each translation was made from: a fingerprint of\n"
        "# the English text per source and language. Written by\n"
        "#   python -m playbook_site translation-status --record <lang> <source>\n"
        "# after you update a translation; a page whose English changed since shows\n"
        "# a notice. Do not edit the fingerprints by hand.\n"
    )
    body = yaml.safe_dump({key: dict(sorted(value.items())) for key, value in sorted(records.items())}, allow_unicode=True, sort_keys=False, width=200)
    (data / RECORDS_FILE).write_text(header + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("translation-status", __doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--record", nargs="+", metavar="LANG_THEN_SOURCES", help="record that LANG translations of these sources match today's English")
    parser.add_argument("--record-all", action="store_true", help="record every existing translation as up to date")
    args = parser.parse_args(argv)
    roots = ContentRoots.beside(args.root / "mkdocs.yml")
    catalogue = cli.load_or_report(roots)
    if catalogue is None:
        return 1
    locales, default = catalogue.locales, catalogue.default_locale
    all_sources = {source.key: source for source in sources(roots, locales, default)}
    if args.record or args.record_all:
        records = read_records(roots.data)
        if args.record_all:
            chosen = [(source, locale) for source in all_sources.values() for locale in source.translated]
        else:
            locale, keys = args.record[0], args.record[1:]
            unknown = [key for key in keys if key not in all_sources] + ([locale] if locale not in locales else [])
            unknown += [f"{key} (written in {locale})" for key in keys if key in all_sources and all_sources[key].original == locale]
            if unknown or not keys:
                print(f"Unknown: {', '.join(unknown) or 'no source given'}. Give a language, then sources named like playbooks/onboarding-a-glam-partner.md or data/case_studies/editatona.yml.", file=sys.stderr)
                return 2
            chosen = [(all_sources[key], locale) for key in keys]
        for source, locale in chosen:
            records.setdefault(source.key, {})[locale] = source.fingerprint
        write_records(roots.data, records)
        print(f"Recorded {len(chosen)} translation(s) in data/{RECORDS_FILE}.")
        return 0
    rows = matrix(roots, locales, default, catalogue.reviewed_translations, read_records(roots.data))
    others = columns(rows, locales, default)
    width = max(len(source.key) for source, _ in rows)
    print(f"{'source':<{width}}  " + "  ".join(f"{locale:<8}" for locale in others))
    for source, states in rows:
        print(f"{source.key:<{width}}  " + "  ".join(f"{states[locale]:<8}" for locale in others))
    totals = {name: sum(1 for _, states in rows for value in states.values() if value == name) for name in STATES}
    print("\n" + ", ".join(f"{count} {name}" for name, count in totals.items()))
    return 0

