"""The overview page (where, with whom, on what, when) and the directories of affiliates and partners.

Everything is counted from the validated catalogue at build time and drawn as
inline SVG by overrides/components/overview.html: no chart or map script, no
tiles, no request to another host. Each bar and each region tile links to the
case-study explorer filtered on it (`case-studies/?region=...`), and each
chart has its numbers in a table under it. The "map" is a tile grid of the
taxonomy's regions (REGION_TILES), placed roughly where they lie; a region
without a tile goes in a last row, so a new region never breaks the build.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

# (column, row) of each region's tile, roughly as on a world map.
REGION_TILES = {
    "north-america": (0, 0),
    "western-europe": (1, 0),
    "central-eastern-europe": (2, 0),
    "global": (3, 0),
    "latin-america-caribbean": (0, 1),
    "middle-east-north-africa": (1, 1),
    "south-asia": (2, 1),
    "east-southeast-asia-pacific": (3, 1),
    "sub-saharan-africa": (1, 2),
}
TILE_W, TILE_H, GAP = 150, 84, 8
BAR_CHART_W, ROW_H, BAR_H, BAR_MAX = 640, 46, 16, 570


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    url: str | None  # the filtered explorer; None when nothing matches


def _explorer(ctx: Any, parameter: str, value: str) -> str:
    return f"{ctx.url('case_study')}?{parameter}={value}"


def counts(ctx: Any) -> dict[str, list[Count]]:
    """Case studies per region, partner type, theme and year (a case study counts once per value)."""
    cases = list(ctx.catalogue.case_studies.values())
    taxonomy = ctx.catalogue.taxonomy
    regions = Counter(case.region for case in cases)
    partner_types = Counter(kind for case in cases for kind in {partner.type for partner in case.partners})
    themes = Counter(theme for case in cases for theme in set(case.themes))
    years = Counter(year for case in cases for year in set(case.years))

    def listed(counter: Counter, vocabulary: str, parameter: str, keep_zero: bool = False) -> list[Count]:
        keys = [key for key in getattr(taxonomy, vocabulary) if keep_zero or counter[key]]
        return [Count(key, ctx.label(vocabulary, key), counter[key], _explorer(ctx, parameter, key) if counter[key] else None) for key in keys]

    return {
        "region": listed(regions, "regions", "region", keep_zero=True),
        "partner_type": listed(partner_types, "partner_types", "partner-type"),
        "theme": listed(themes, "themes", "theme"),
        "year": [Count(str(year), str(year), years[year], _explorer(ctx, "year", str(year))) for year in sorted(years)],
    }


def _two_lines(label: str, limit: int = 18) -> list[str]:
    """Split a tile label into at most two lines at the space nearest its middle."""
    if len(label) <= limit or " " not in label:
        return [label]
    middle = len(label) // 2
    spaces = [index for index, char in enumerate(label) if char == " "]
    cut = min(spaces, key=lambda index: abs(index - middle))
    return [label[:cut], label[cut + 1 :]]


def region_tiles(items: list[Count], rtl: bool) -> dict[str, Any]:
    """Tile geometry for the region map; mirrored for right-to-left languages."""
    placed = {item.key: REGION_TILES[item.key] for item in items if item.key in REGION_TILES}
    columns = max((column for column, _ in placed.values()), default=0) + 1
    last_row = max((row for _, row in placed.values()), default=-1) + 1
    extra = [item for item in items if item.key not in REGION_TILES]
    for number, item in enumerate(extra):
        placed[item.key] = (number % columns, last_row + number // columns)
    rows = max((row for _, row in placed.values()), default=0) + 1
    most = max((item.count for item in items), default=0) or 1
    tiles = []
    for item in items:
        column, row = placed[item.key]
        if rtl:
            column = columns - 1 - column
        x, y = column * (TILE_W + GAP), row * (TILE_H + GAP)
        tiles.append({"item": item, "x": x, "y": y, "cx": x + TILE_W / 2, "lines": _two_lines(item.label), "level": round(4 * item.count / most) if item.count else 0})
    return {"tiles": tiles, "width": columns * (TILE_W + GAP) - GAP, "height": rows * (TILE_H + GAP) - GAP, "tile_w": TILE_W, "tile_h": TILE_H}


def bars(items: list[Count], rtl: bool) -> dict[str, Any]:
    """Horizontal bars, each under its label, so long labels never collide with bars.

    In right-to-left languages labels and bars start at the right edge and bars grow leftwards.
    """
    most = max((item.count for item in items), default=0) or 1
    rows = []
    for number, item in enumerate(items):
        length = max(2, round(BAR_MAX * item.count / most))
        y = number * ROW_H
        edge = BAR_CHART_W - 2 if rtl else 2
        bar_x = edge - length if rtl else edge
        count_x = bar_x - 6 if rtl else bar_x + length + 6
        rows.append({"item": item, "y": y, "label_y": y + 16, "bar_y": y + 22, "edge": edge, "bar_x": bar_x, "length": length, "count_x": count_x, "count_y": y + 22 + BAR_H - 3})
    return {"rows": rows, "width": BAR_CHART_W, "height": max(ROW_H, len(items) * ROW_H), "bar_h": BAR_H, "row_h": ROW_H}


def overview_page(ctx: Any) -> Markup:
    """The four charts, each with its table, for ctx.locale (ctx: views.PageContext)."""
    rtl = is_rtl(ctx.locale)
    data = counts(ctx)
    charts = [
        {"id": "where", "title": ctx.t("overview_where"), "kind": "map", "entries": data["region"], "map": region_tiles(data["region"], rtl), "column": ctx.t("region")},
        {"id": "with-whom", "title": ctx.t("overview_with_whom"), "kind": "bars", "entries": data["partner_type"], "bars": bars(data["partner_type"], rtl), "column": ctx.t("partner_type")},
        {"id": "on-what", "title": ctx.t("overview_on_what"), "kind": "bars", "entries": data["theme"], "bars": bars(data["theme"], rtl), "column": ctx.t("theme")},
        {"id": "when", "title": ctx.t("overview_when"), "kind": "bars", "entries": data["year"], "bars": bars(data["year"], rtl), "column": ctx.t("year")},
    ]
    total = len(ctx.catalogue.case_studies)
    return ctx.render("overview.html", charts=charts, rtl=rtl, total=total, count_label=ctx.t("count_case_studies"))


def is_rtl(locale: str) -> bool:
    """Does `locale` write right to left? (CLDR, through Babel.)"""
    from babel import Locale

    return Locale.parse(locale.replace("-", "_")).character_order == "right-to-left"


# -- directories -------------------------------------------------------------------------------


def _case_links(ctx: Any, ids: list[str]) -> list[dict[str, Any]]:
    cases = [ctx.catalogue.case_studies[case_id] for case_id in ids]
    links = [{"url": ctx.url("case_study", case.id), "title": ctx.pick(case.title)} for case in cases]
    return sorted(links, key=lambda link: link["title"]["text"].casefold())


def affiliates(ctx: Any) -> list[dict[str, Any]]:
    """Every affiliate named in a case study, exactly as written, with the case studies it appears in."""
    found: dict[str, list[str]] = {}
    for case in ctx.catalogue.case_studies.values():
        for name in dict.fromkeys(case.affiliates):
            found.setdefault(name, []).append(case.id)
    return [{"name": name, "cases": _case_links(ctx, ids)} for name, ids in sorted(found.items(), key=lambda pair: pair[0].casefold())]


def partners(ctx: Any) -> list[dict[str, Any]]:
    """Every partner organisation, matched on its English name exactly as written, shown in ctx.locale."""
    found: dict[str, dict[str, Any]] = {}
    for case in ctx.catalogue.case_studies.values():
        for partner in case.partners:
            key = partner.name.get(ctx.default_locale)[0]
            entry = found.setdefault(key, {"name": ctx.pick(partner.name), "types": [], "ids": []})
            label = ctx.label("partner_types", partner.type)
            if label not in entry["types"]:
                entry["types"].append(label)
            if case.id not in entry["ids"]:
                entry["ids"].append(case.id)
    rows = [{"name": entry["name"], "types": entry["types"], "cases": _case_links(ctx, entry["ids"])} for entry in found.values()]
    return sorted(rows, key=lambda row: row["name"]["text"].casefold())


def directory_page(ctx: Any, which: str) -> Markup:
    if which not in ("affiliates", "partners"):
        raise ValueError(f"directory(): unknown directory {which!r}; use 'affiliates' or 'partners'")
    rows = affiliates(ctx) if which == "affiliates" else partners(ctx)
    return ctx.render("directory.html", which=which, rows=rows)
