"""The catalogue of a build is loaded once, and never outlives a change to what it was read from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playbook_site.content import snapshot as build_state
from playbook_site import languages
from playbook_site.content.catalogue import ContentRoots
from playbook_site.problems import DataError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_kind_of_file_is_seen_between_two_loads(content: Path) -> None:
    roots = ContentRoots.beside(content / "mkdocs.yml")
    first = build_state.catalogue(roots)
    assert build_state.catalogue(roots) is first, "nothing changed: the same catalogue"

    edit(content / "data" / "case_studies" / "editatona.yml", "Editatona: Wikimedia México's project", "Editatona: Wikimedia México's own project")
    assert build_state.catalogue(roots).case_studies["editatona"].title.values["en"].startswith("Editatona: Wikimedia México's own project")

    edit(content / "playbooks" / "running-an-editatona.md", "# ", "# Edited: ")
    assert build_state.catalogue(roots).playbooks["running-an-editatona"].titles["en"].startswith("Edited: ")

    assert build_state.catalogue(roots).translation_state("es", "about.md") == "draft"
    edit(content / "docs" / "about.md", "# ", "# Edited ")
    assert build_state.catalogue(roots).translation_state("es", "about.md") == "stale", "an authored docs page is read too"

    schema = content / "data" / "schema" / "case_study.schema.json"
    rules = json.loads(schema.read_text(encoding="utf-8"))
    rules["required"].append("a_new_field")
    schema.write_text(json.dumps(rules), encoding="utf-8")
    with pytest.raises(DataError, match="a_new_field"):
        build_state.catalogue(roots)


def test_the_languages_follow_mkdocs_yml(content: Path) -> None:
    config = content / "mkdocs.yml"
    assert "ar" in languages.locales(config)
    edit(config, "        - locale: ar\n", "        - locale: ur\n")
    assert languages.locales(config)[-1] == "ur", "an edited mkdocs.yml is read again"
