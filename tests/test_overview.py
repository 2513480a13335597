"""The overview page (inline SVG charts with tables) and the directories of affiliates and partners.

Checked on the real site's built HTML, against counts made here straight from
data/case_studies/*.yml, and in Chromium: a tile or bar lands on the explorer
filtered on it, showing as many case studies as the chart says.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playbook_site.render import overview
from sites import REPO

TREES = {"en": "", "es": "es/", "fr": "fr/", "ar": "ar/"}
PARAMETERS = {"region": "region", "partner-type": "partner_types", "theme": "themes", "year": None}


def case_data() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPO / "data" / "case_studies").glob("*.yml"))]


def expected_counts() -> dict[str, Counter]:
    cases = case_data()
    return {
        "region": Counter(case["region"] for case in cases),
        "partner-type": Counter(kind for case in cases for kind in {partner["type"] for partner in case["partners"]}),
        "theme": Counter(theme for case in cases for theme in set(case["themes"])),
        "year": Counter(str(year) for case in cases for year in set(case["years"])),
    }


def svg_links(html: str) -> list[tuple[str, str]]:
    """(href, aria-label) of every link inside the overview's SVGs."""
    found = []
    for svg in re.findall(r"<svg class=\"pp-chart-svg.*?</svg>", html, re.S):
        found += [(unescape(href), unescape(label)) for href, label in re.findall(r'<a href="([^"]*)" aria-label="([^"]*)">', svg)]
    return found


@pytest.mark.parametrize("locale", TREES)
def test_every_chart_counts_the_data_and_links_to_the_filtered_explorer(real_site, locale: str) -> None:
    html = (real_site.site / TREES[locale] / "overview" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="pp-chart-svg') == 4
    assert len(re.findall(r'<svg class="pp-chart-svg[^>]*aria-labelledby="[^"]+"', html)) == 4
    overview_part = html.split('<div class="pp-overview">', 1)[1]
    assert "<script" not in overview_part.split("</article>")[0]
    expected = expected_counts()
    links = svg_links(html)
    seen: dict[str, dict[str, int]] = {name: {} for name in PARAMETERS}
    for href, label in links:
        parts = urlsplit(href)
        assert parts.path.endswith("case-studies/"), href
        ((name, (value,)),) = parse_qs(parts.query).items()
        count = int(label.rsplit(": ", 1)[1].split(" ")[0])
        seen[name][value] = count
    for name, counter in expected.items():
        assert seen[name] == dict(counter), name
    # The tables under the charts hold the same numbers, as text.
    for name, counter in expected.items():
        for value, count in counter.items():
            assert re.search(rf'<tr><td><a href="[^"]*\?{name}={re.escape(value)}">[^<]+</a></td>\s*<td>{count}</td>\s*</tr>', html), (name, value)


def test_arabic_charts_read_right_to_left(real_site) -> None:
    html = (real_site.site / "ar" / "overview" / "index.html").read_text(encoding="utf-8")
    assert html.count('direction="rtl"') == 4
    tiles = dict(re.findall(r'aria-label="([^":]+):[^"]*">\s*<rect class="pp-tile[^"]*" x="([\d.]+)"', html))
    labels = {key: label for key, label in (("north-america", "أمريكا الشمالية"), ("western-europe", "أوروبا الغربية"))}
    assert float(tiles[labels["north-america"]]) > float(tiles[labels["western-europe"]]), "North America is drawn on the right in Arabic"
    english = (real_site.site / "overview" / "index.html").read_text(encoding="utf-8")
    assert 'direction="rtl"' not in english


def test_every_region_of_the_taxonomy_has_a_tile() -> None:
    taxonomy = yaml.safe_load((REPO / "data" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert set(overview.REGION_TILES) == set(taxonomy["regions"])
    assert len(set(overview.REGION_TILES.values())) == len(overview.REGION_TILES), "two regions share a tile"


def test_bars_mirror_in_right_to_left() -> None:
    items = [overview.Count("a", "A", 4, "x"), overview.Count("b", "B", 2, "y")]
    ltr, rtl = overview.bars(items, rtl=False), overview.bars(items, rtl=True)
    for left, right in zip(ltr["rows"], rtl["rows"]):
        assert left["length"] == right["length"]
        assert right["bar_x"] + right["length"] == overview.BAR_CHART_W - left["bar_x"]
    assert overview._two_lines("East and Southeast Asia and the Pacific") == ["East and Southeast", "Asia and the Pacific"]


def table_rows(html: str) -> dict[str, str]:
    """Each body row of a directory table: the first cell's text -> the row's HTML."""
    rows = {}
    body = html.split('<div class="pp-directory">', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S):
        first = row.split("</td>", 1)[0]
        rows[unescape(re.sub(r"<[^>]+>", "", first)).strip()] = row
    return rows


@pytest.mark.parametrize("locale", TREES)
def test_the_directories_list_every_name_with_its_case_studies(real_site, locale: str) -> None:
    cases = case_data()
    affiliates = table_rows((real_site.site / TREES[locale] / "affiliates" / "index.html").read_text(encoding="utf-8"))
    partners = table_rows((real_site.site / TREES[locale] / "partners" / "index.html").read_text(encoding="utf-8"))
    assert set(affiliates) == {name for case in cases for name in case.get("affiliates", [])}
    original = {case["id"]: case.get("original_language", "en") for case in cases}
    assert len(partners) == len({partner["name"][original[case["id"]]] for case in cases for partner in case["partners"]})
    for case in cases:
        for name in case.get("affiliates", []):
            assert f"../case-studies/{case['id']}/" in affiliates[name], (name, case["id"])
        for partner in case["partners"]:
            name = partner["name"].get(locale, partner["name"][original[case["id"]]])
            assert f"../case-studies/{case['id']}/" in partners[name], (name, case["id"])


@pytest.mark.parametrize("locale", TREES)
def test_the_pages_are_in_the_navigation(real_site, locale: str) -> None:
    home = (real_site.site / TREES[locale] / "index.html").read_text(encoding="utf-8")
    for page in ("overview", "affiliates", "partners"):
        assert re.search(rf'href="(\./)?{page}/"', home), page


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_tile_and_a_bar_land_on_the_filtered_explorer(page, real_site_url: str, locale: str) -> None:
    expected = expected_counts()
    for selector, name in (("svg.pp-map a", "region"), ("svg.pp-bars a[href*='theme=']", "theme")):
        page.goto(f"{real_site_url}/{TREES[locale]}overview/")
        link = page.locator(selector).first
        href = link.get_attribute("href") or ""
        value = parse_qs(urlsplit(href).query)[name][0]
        link.click()
        page.wait_for_url(re.compile(rf".*/case-studies/\?{name}={re.escape(value)}$"))
        visible = page.locator("[data-pp-results] > li:visible")
        visible.first.wait_for()
        assert visible.count() == expected[name][value], (name, value)


def test_names_from_data_stay_text_in_the_directories(content) -> None:
    """An affiliate or partner name with markup is shown as text, never as HTML."""
    from playbook_site.content.catalogue import ContentRoots, load_catalogue
    from playbook_site.render.views import PageContext

    case = content / "data" / "case_studies" / "editatona.yml"
    text = case.read_text(encoding="utf-8")
    payload = '<img src=x onerror=alert(1)>{{ 7*7 }}'
    case.write_text(text.replace("  - Wikimedia México\n", f"  - '{payload}'\n", 1).replace("en: Groups working on gender topics", f"en: '{payload} partner'", 1), encoding="utf-8")
    catalogue = load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
    for which in ("affiliates", "partners"):
        html = str(overview.directory_page(PageContext(catalogue, "en", f"{which}/", root_locale="en"), which))
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;{{ 7*7 }}" in html, which
