"""The open data files and the Atom feeds that every build publishes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from playbook_site.content.catalogue import load_catalogue
from sites import BuildResult, site_url

LOCALES = {"en": "", "es": "es/", "fr": "fr/", "ar": "ar/"}
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = site_url()  # mkdocs.yml's site_url, or $SITE_URL when set


def test_case_studies_json_holds_every_entry_in_every_language(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    document = json.loads((real_site.site / "data" / "case-studies.json").read_text(encoding="utf-8"))
    assert document["license"] == "CC-BY-SA-4.0"
    assert document["item_schema"] == BASE + "data/schema/case_study.schema.json"
    assert (real_site.site / "data" / "schema" / "case_study.schema.json").is_file()
    assert (real_site.site / "data" / "schema" / "common.schema.json").is_file(), "the schemas' $refs resolve"
    assert document["count"] == len(document["items"]) == len(catalogue.case_studies)
    item = next(entry for entry in document["items"] if entry["id"] == "editatona")
    case = catalogue.case_studies["editatona"]
    assert item["title"] == dict(case.title.values)
    assert case.what_did_not_work is None and item["what_did_not_work"] is None, "the notes record nothing: null, not a guess"
    recorded = next(entry for entry in document["items"] if entry["id"] == "wikimedia-mexico-glam-partnerships")
    assert recorded["what_did_not_work"]["ar"] == list(catalogue.case_studies["wikimedia-mexico-glam-partnerships"].what_did_not_work.values["ar"])
    clinic = next(entry for entry in document["items"] if entry["id"] == "wmcon2018-peer-consultation-clinic")
    assert {"name": "FDC", "role": "committee"} in clinic["other_participants"] and "FDC" not in clinic["affiliates"]
    for locale, prefix in LOCALES.items():
        url = item["url"][locale]
        assert url == f"{BASE}{prefix}case-studies/editatona/"
        assert (real_site.site / url.removeprefix(BASE) / "index.html").is_file()


def test_patterns_json(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    document = json.loads((real_site.site / "data" / "patterns.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in document["items"]] == sorted(catalogue.patterns)
    pilot = next(item for item in document["items"] if item["id"] == "start-with-a-pilot")
    assert pilot["problem"]["fr"] == catalogue.patterns["start-with-a-pilot"].problem.values["fr"]
    assert pilot["sources"] and pilot["url"]["ar"].endswith("/ar/patterns/start-with-a-pilot/")


def test_case_studies_csv_round_trips(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    rows = list(csv.DictReader(io.StringIO((real_site.site / "data" / "case-studies.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(catalogue.case_studies)
    row = next(r for r in rows if r["id"] == "wikimedia-armenia-small-partners")
    case = catalogue.case_studies["wikimedia-armenia-small-partners"]
    assert row["title_ar"] == case.title.values["ar"]
    assert row["what_worked_es"].split("\n") == list(case.what_worked.values["es"])
    assert row["themes"].split("; ") == list(case.themes)
    assert row["url_fr"] == f"{BASE}fr/case-studies/wikimedia-armenia-small-partners/"


def test_open_data_is_the_same_bytes_for_the_same_data(real_site: BuildResult, tmp_path: Path) -> None:
    from playbook_site.publish import open_data

    catalogue = load_catalogue()
    open_data.write(tmp_path, catalogue, BASE, Path("data/schema"))
    for name in open_data.FILES:
        assert (tmp_path / "data" / name).read_bytes() == (real_site.site / "data" / name).read_bytes(), name


@pytest.mark.parametrize("locale", LOCALES)
def test_atom_feed_per_language(real_site: BuildResult, locale: str) -> None:
    catalogue = load_catalogue()
    prefix = LOCALES[locale]
    feed = ET.fromstring((real_site.site / prefix / "feed.xml").read_bytes())
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == locale
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(catalogue.case_studies)
    dates = [entry.findtext(f"{ATOM}published") for entry in entries]
    assert dates == sorted(dates, reverse=True)
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(BASE + prefix + "case-studies/")
        case_id = link.rstrip("/").rsplit("/", 1)[1]
        assert entry.findtext(f"{ATOM}title") == catalogue.case_studies[case_id].title.values[locale]
        assert (real_site.site / link.removeprefix(BASE) / "index.html").is_file()
    page = (real_site.site / prefix / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml"' in page and 'href="../feed.xml"' in page


def test_open_data_page_in_every_language_links_the_files(real_site: BuildResult) -> None:
    for prefix in LOCALES.values():
        html = (real_site.site / prefix / "open-data" / "index.html").read_text(encoding="utf-8")
        depth = "../" * (1 + prefix.count("/"))
        for name in ("case-studies.json", "case-studies.csv", "patterns.json"):
            assert f'href="{depth}data/{name}"' in html, (prefix, name)
        assert "<code>what_did_not_work</code>" in html
