"""An Atom feed per language of the newest case studies (by their `added` date).

/feed.xml, /es/feed.xml, ...: each entry's title, summary and link are in the
feed's language (English where a text is not translated yet, marked
xml:lang="en"). Feed readers need absolute links, so the site_url of
mkdocs.yml (or $SITE_URL) is the base. The feed is built with
xml.etree.ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from .. import layout
from ..content.models import Catalogue

MAX_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom_feed(catalogue: Catalogue, locale: str, tree_url: str, site_name: str, rights: str) -> ET.ElementTree:
    """The feed of one language tree whose absolute URL is `tree_url` (ending in /)."""
    cases = sorted(catalogue.case_studies.values(), key=lambda case: (case.added, case.id), reverse=True)[:MAX_ENTRIES]
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: locale})
    _add(feed, "title", f"{site_name}: {catalogue.text('feed_title', locale)}")
    _add(feed, "id", tree_url + layout.FEED)
    _add(feed, "link", rel="self", href=tree_url + layout.FEED)
    _add(feed, "link", rel="alternate", type="text/html", href=tree_url + layout.section_path("case_study"))
    _add(feed, "updated", f"{cases[0].added}T00:00:00Z" if cases else "1970-01-01T00:00:00Z")
    _add(feed, "rights", rights)
    for case in cases:
        url = tree_url + layout.section_path("case_study", case.id)
        entry = _add(feed, "entry")
        _add(entry, "title", *_in(case.title.get(locale), locale))
        _add(entry, "id", url)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "published", f"{case.added}T00:00:00Z")
        _add(entry, "updated", f"{case.added}T00:00:00Z")
        _add(_add(entry, "author"), "name", ", ".join([*case.affiliates, *(p.name for p in case.other_participants)]) or site_name)
        _add(entry, "summary", *_in(case.summary.get(locale), locale), type="text")
    ET.indent(feed)
    return ET.ElementTree(feed)


def _add(parent: ET.Element, tag: str, text: str | None = None, attributes: dict[str, str] | None = None, **more: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {**(attributes or {}), **more})
    element.text = text
    return element


def _in(text_and_locale: tuple[str, str], wanted: str) -> tuple[str, dict[str, str]]:
    """A translated text and, when it is in another language than the feed's, its xml:lang."""
    text, used = text_and_locale
    return text, ({XML_LANG: used} if used != wanted else {})


def write(site_dir: Path, tree_prefix: str, catalogue: Catalogue, locale: str, site_url: str, site_name: str, rights: str) -> Path:
    path = site_dir / tree_prefix / layout.FEED
    path.parent.mkdir(parents=True, exist_ok=True)
    atom_feed(catalogue, locale, layout.absolute_url(site_url, tree_prefix), site_name, rights).write(path, encoding="utf-8", xml_declaration=True)
    return path
