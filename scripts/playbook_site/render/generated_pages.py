"""Materialise pages that come from outside docs/ before MkDocs reads docs/.

mkdocs-static-i18n drops files added during the build (`on_files`) and files
outside docs_dir, so playbooks and data pages are written into docs/ first:
- playbooks/<slug>[.<locale>].md is copied to docs/playbooks/;
- each case study, learning pattern and pathway gets a small stub per
  language in docs/case-studies/, docs/patterns/ and docs/pathways/ that
  calls one macro with its id; each playbook gets a printable workshop sheet
  in docs/sheets/.
Files are written only when their content changed (so `mkdocs serve` does not
rebuild in a loop) and stale generated files are removed. The folders' own
index pages (index.md, index.es.md, ...) are authored and never touched.
These generated files are listed in .gitignore.
"""

from __future__ import annotations

from pathlib import Path

from ..content.models import Catalogue
from ..layout import ALL_CASE_STUDIES, GENERATED_FOLDERS, PAGE_MACROS, SECTIONS, generated_source, source_suffix
from ..paths import DOCS
STUB = """---
data_page: {kind}
data_id: {key}
---
{{## Generated from {source} by scripts/playbook_site/generated_pages.py: edit that file, not this one. ##}}
{{{{ {macro}("{key}") }}}}
"""


def expected_pages(catalogue: Catalogue, docs: Path = DOCS) -> dict[Path, str]:
    pages: dict[Path, str] = {}
    for playbook in catalogue.playbooks.values():
        for source in playbook.files.values():
            pages[docs / SECTIONS["playbook"] / source.name] = source.read_text(encoding="utf-8")
        stub = STUB.format(kind="sheet", key=playbook.slug, macro=PAGE_MACROS["sheet"], source=f"playbooks/{playbook.slug}.md")
        for locale in catalogue.locales:
            pages[docs / generated_source("sheet", playbook.slug, locale, catalogue.default_locale)] = stub
    for kind, entries, data_folder in (
        ("case_study", catalogue.case_studies, "data/case_studies"),
        ("pattern", catalogue.patterns, "data/patterns"),
        ("pathway", catalogue.pathways, "data/pathways.yml"),
    ):
        for key in entries:
            source = data_folder if data_folder.endswith(".yml") else f"{data_folder}/{key}.yml"
            stub = STUB.format(kind=kind, key=key, macro=PAGE_MACROS[kind], source=source)
            for locale in catalogue.locales:
                pages[docs / generated_source(kind, key, locale, catalogue.default_locale)] = stub
    # The explorer's list for readers without JavaScript: /case-studies/all/ (a folder, so no case study's stub is overwritten).
    list_stub = STUB.format(kind="case_study_list", key=ALL_CASE_STUDIES, macro=PAGE_MACROS["case_study_list"], source="data/case_studies")
    for locale in catalogue.locales:
        pages[docs / SECTIONS["case_study"] / ALL_CASE_STUDIES / f"index{source_suffix(locale, catalogue.default_locale)}.md"] = list_stub
    return pages


def materialise(catalogue: Catalogue, docs: Path = DOCS) -> int:
    """Write the generated pages; return how many files were written or removed."""
    pages = expected_pages(catalogue, docs)
    changes = 0
    for path, content in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changes += 1
    for folder in GENERATED_FOLDERS:
        for path in (docs / folder).glob("*.md"):
            if path.name.split(".")[0] != "index" and path not in pages:
                path.unlink()
                changes += 1
    return changes
