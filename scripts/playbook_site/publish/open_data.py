"""Publish the case studies and learning patterns as open data with every build.

site/data/case-studies.json, case-studies.csv and patterns.json hold every
entry in every language, with the page URLs, the licence and the JSON Schema
that describes one entry (copied to site/data/schema/). The files are written
from the validated catalogue, in a stable order and without timestamps, so
the same data always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from .. import layout
from ..content.models import CaseStudy, Catalogue, Citation, Localized, Pattern

LICENSE = "CC-BY-SA-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
FILES = layout.OPEN_DATA_FILES
LIST_SEPARATOR = "; "


def _values(localized: Localized[Any] | None) -> dict[str, Any] | None:
    if localized is None:
        return None
    return {locale: list(value) if isinstance(value, tuple) else value for locale, value in localized.values.items()}


def _citations(citations: tuple[Citation, ...]) -> list[Any]:
    """Sources as written in the data: a field-note id, or the page or first-hand report itself."""
    found: list[Any] = []
    for citation in citations:
        if citation.kind == "note":
            found.append(citation.note)
        elif citation.kind == "link":
            found.append({key: value for key, value in (("title", citation.title), ("url", citation.url), ("date", citation.date), ("license", citation.license)) if value})
        else:
            found.append({"reported_by": citation.reported_by, "date": citation.date})
    return found


def _citation_text(value: Any) -> str:
    """One source on one CSV line: an id, `title <url>`, or `reported by X, date`."""
    if isinstance(value, str):
        return value
    if "reported_by" in value:
        return f"reported by {value['reported_by']}, {value['date']}"
    return f"{value['title']} <{value['url']}>"


def _page_urls(catalogue: Catalogue, base_url: str, kind: str, key: str) -> dict[str, str]:
    return {locale: base_url + layout.page_url(kind, key, locale, catalogue.default_locale) for locale in catalogue.locales}


def case_study_record(catalogue: Catalogue, case: CaseStudy, base_url: str) -> dict[str, Any]:
    return {
        "id": case.id,
        "original_language": case.original_language,
        "url": _page_urls(catalogue, base_url, "case_study", case.id),
        "title": _values(case.title),
        "summary": _values(case.summary),
        "affiliates": list(case.affiliates),
        "other_participants": [{"name": p.name, "role": p.role} for p in case.other_participants],
        "partners": [{"name": _values(partner.name), "type": partner.type} for partner in case.partners],
        "region": case.region,
        "countries": list(case.countries),
        "languages": list(case.languages),
        "years": list(case.years),
        "themes": list(case.themes),
        "what_worked": _values(case.what_worked),
        "what_did_not_work": _values(case.what_did_not_work),
        "lessons": _values(case.lessons),
        "patterns": list(case.patterns),
        "playbooks": list(case.playbooks),
        "sources": _citations(case.sources),
        "further_reading": [{"title": link.title, "url": link.url} for link in case.further_reading],
        "license": case.license,
        "added": case.added,
    }


def pattern_record(catalogue: Catalogue, pattern: Pattern, base_url: str) -> dict[str, Any]:
    return {
        "id": pattern.id,
        "original_language": pattern.original_language,
        "url": _page_urls(catalogue, base_url, "pattern", pattern.id),
        "title": _values(pattern.title),
        "category": pattern.category,
        "problem": _values(pattern.problem),
        "solution": _values(pattern.solution),
        "things_to_consider": _values(pattern.things_to_consider),
        "when_to_use": _values(pattern.when_to_use),
        "when_not_to_use": _values(pattern.when_not_to_use),
        "endorsements": [{"by": e.by, "date": e.date, "comment": _values(e.comment)} for e in pattern.endorsements],
        "see_also": [{"title": link.title, "url": link.url} for link in pattern.see_also],
        "related_patterns": list(pattern.related_patterns),
        "sources": _citations(pattern.sources),
        "added": pattern.added,
    }


def _document(kind: str, schema: str, base_url: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "description": f"{kind} of the Partnership Playbooks site, in every language of the site.",
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "item_schema": f"{base_url}{layout.SCHEMAS}/{schema}",
        "count": len(records),
        "items": records,
    }


def case_studies_csv(catalogue: Catalogue, records: list[dict[str, Any]]) -> str:
    """One row per case study; lists joined with '; ', long texts one item per line."""
    locales = catalogue.locales
    columns = ["id", "original_language", "added", "region", "countries", "languages", "years", "themes", "affiliates", "other_participants", "partner_types", "patterns", "playbooks", "sources", "license"]
    for field in ("title", "summary", "partners", "what_worked", "what_did_not_work", "lessons", "url"):
        columns += [f"{field}_{locale}" for locale in locales]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row: dict[str, Any] = {
            "id": record["id"],
            "original_language": record["original_language"],
            "added": record["added"],
            "region": record["region"],
            "license": record["license"],
            "partner_types": LIST_SEPARATOR.join(partner["type"] for partner in record["partners"]),
            "other_participants": LIST_SEPARATOR.join(f"{p['name']} ({p['role']})" for p in record["other_participants"]),
        }
        for field in ("countries", "languages", "years", "themes", "affiliates", "patterns", "playbooks"):
            row[field] = LIST_SEPARATOR.join(str(value) for value in record[field])
        row["sources"] = LIST_SEPARATOR.join(_citation_text(value) for value in record["sources"])
        for locale in locales:
            row[f"title_{locale}"] = record["title"].get(locale, "")
            row[f"summary_{locale}"] = record["summary"].get(locale, "")
            row[f"partners_{locale}"] = LIST_SEPARATOR.join(partner["name"].get(locale, "") for partner in record["partners"])
            for field in ("what_worked", "what_did_not_work", "lessons"):
                row[f"{field}_{locale}"] = "\n".join((record[field] or {}).get(locale, []))
            row[f"url_{locale}"] = record["url"][locale]
        writer.writerow(row)
    return out.getvalue()


def write(site_dir: Path, catalogue: Catalogue, base_url: str, schema_dir: Path) -> list[Path]:
    """Write the open-data files and the schemas they refer to; returns the files written."""
    target = site_dir / layout.OPEN_DATA
    (site_dir / layout.SCHEMAS).mkdir(parents=True, exist_ok=True)
    for schema in sorted(schema_dir.glob("*.schema.json")):
        shutil.copyfile(schema, site_dir / layout.SCHEMAS / schema.name)
    cases = [case_study_record(catalogue, case, base_url) for case in sorted(catalogue.case_studies.values(), key=lambda c: c.id)]
    patterns = [pattern_record(catalogue, pattern, base_url) for pattern in sorted(catalogue.patterns.values(), key=lambda p: p.id)]
    files = dict(zip(FILES, (
        json.dumps(_document("Case studies", "case_study.schema.json", base_url, cases), ensure_ascii=False, indent=1) + "\n",
        case_studies_csv(catalogue, cases),
        json.dumps(_document("Learning patterns", "pattern.schema.json", base_url, patterns), ensure_ascii=False, indent=1) + "\n",
    )))
    written = []
    for name, text in files.items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
