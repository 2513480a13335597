"""An Atom feed per language of the newest case studies (by their `added` date).

/feed.xml, /es/feed.xml, ...: each entry's title, summary and link are in the
feed's language (English where a text is not translated yet, marked
xml:lang="en"). Feed readers need absolute links, so the site_url of
mkdocs.yml (or $SITE_URL) is the base.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .. import layout
from ..content.models import Catalogue

MAX_ENTRIES = 50


def atom_feed(catalogue: Catalogue, locale: str, tree_url: str, site_name: str, rights: str) -> str:
    """The feed of one language tree whose absolute URL is `tree_url` (ending in /)."""
    cases = sorted(catalogue.case_studies.values(), key=lambda case: (case.added, case.id), reverse=True)[:MAX_ENTRIES]
    updated = f"{cases[0].added}T00:00:00Z" if cases else "1970-01-01T00:00:00Z"
    title = f"{site_name}: {catalogue.text('feed_title', locale)}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(locale)}>',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(tree_url + layout.FEED)}</id>",
        f'<link rel="self" href={quoteattr(tree_url + layout.FEED)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(tree_url + layout.section_path("case_study"))}/>',
        f"<updated>{updated}</updated>",
        f"<rights>{escape(rights)}</rights>",
    ]
    for case in cases:
        case_title, title_locale = case.title.get(locale)
        summary, summary_locale = case.summary.get(locale)
        url = tree_url + layout.section_path("case_study", case.id)
        lines += [
            "<entry>",
            f"<title{_lang(title_locale, locale)}>{escape(case_title)}</title>",
            f"<id>{escape(url)}</id>",
            f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"<published>{case.added}T00:00:00Z</published>",
            f"<updated>{case.added}T00:00:00Z</updated>",
            f"<author><name>{escape(', '.join([*case.affiliates, *(p.name for p in case.other_participants)]) or site_name)}</name></author>",
            f'<summary type="text"{_lang(summary_locale, locale)}>{escape(summary)}</summary>',
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _lang(used: str, wanted: str) -> str:
    return f' xml:lang="{used}"' if used != wanted else ""


def write(site_dir: Path, tree_prefix: str, catalogue: Catalogue, locale: str, site_url: str, site_name: str, rights: str) -> Path:
    path = site_dir / tree_prefix / layout.FEED
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(atom_feed(catalogue, locale, layout.absolute_url(site_url, tree_prefix), site_name, rights), encoding="utf-8")
    return path
