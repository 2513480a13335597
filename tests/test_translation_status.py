"""Translation freshness: fingerprints of the English, the four states, the notice and the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook_site import cli
from playbook_site.content import translations as ts
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from sites import BuildResult




def states(root: Path) -> dict[str, dict[str, str]]:
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    return {page: dict(value) for page, value in catalogue.translation_states.items()}


def test_fingerprint_follows_the_english_only() -> None:
    entry = {"id": "x", "title": {"en": "Hello", "es": "Hola"}, "years": [2018], "what_worked": {"en": ["a", "b"], "fr": ["c"]}}
    same = {"id": "x", "title": {"en": "Hello", "es": "Hola, otra"}, "years": [2019], "what_worked": {"en": ["a", "b"]}}
    changed = {"id": "x", "title": {"en": "Hello!", "es": "Hola"}, "years": [2018], "what_worked": {"en": ["a", "b"]}}
    assert ts.entry_fingerprint(entry, "en") == ts.entry_fingerprint(same, "en")
    assert ts.entry_fingerprint(entry, "en") != ts.entry_fingerprint(changed, "en")


def test_each_state(content: Path) -> None:
    before = states(content)
    assert before["playbooks/running-an-editatona.md"] == {"en": "original", "es": "draft", "fr": "draft", "ar": "draft"}
    # The English changes: every translation of it becomes stale.
    english = content / "playbooks" / "running-an-editatona.md"
    english.write_text(english.read_text(encoding="utf-8").replace("## Checklist {#checklist}", "## Checklist {#checklist}\n\nOne more sentence.", 1), encoding="utf-8")
    after = states(content)
    assert after["playbooks/running-an-editatona.md"] == {"en": "original", "es": "stale", "fr": "stale", "ar": "stale"}
    # A translator updates the French and records it.
    assert cli.main(["translation-status", "--root", str(content), "--record", "fr", "playbooks/running-an-editatona.md"]) == 0
    assert states(content)["playbooks/running-an-editatona.md"] == {"en": "original", "es": "stale", "fr": "draft", "ar": "stale"}
    # A native speaker reviews it.
    reviews = content / "data" / "translation_reviews.yml"
    reviews.write_text(reviews.read_text(encoding="utf-8").replace("fr: []", "fr: [playbooks/running-an-editatona.md]"), encoding="utf-8")
    assert states(content)["playbooks/running-an-editatona.md"]["fr"] == "current"
    # A translation that does not exist is missing.
    (content / "playbooks" / "running-an-editatona.ar.md").unlink()
    assert states(content)["playbooks/running-an-editatona.md"]["ar"] == "missing"


def test_a_data_entry_goes_stale_when_its_english_changes(content: Path) -> None:
    case = content / "data" / "case_studies" / "editatona.yml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("years: [2018, 2021]", "years: [2018, 2022]"), encoding="utf-8")
    assert states(content)["case-studies/editatona.md"] == {"en": "original", "es": "draft", "fr": "draft", "ar": "draft"}, "years are not translated"
    assert "Wikimedia México's project" in text
    case.write_text(text.replace("Wikimedia México's project", "Wikimedia México's own project", 1), encoding="utf-8")
    assert states(content)["case-studies/editatona.md"] == {"en": "original", "es": "stale", "fr": "stale", "ar": "stale"}


def test_report_prints_the_matrix(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["translation-status", "--root", str(content)]) == 0
    out = capsys.readouterr().out
    assert "playbooks/onboarding-a-glam-partner.md" in out and "data/patterns/start-with-a-pilot.yml" in out
    assert out.strip().splitlines()[0].split() == ["source", "es", "fr", "ar"]
    assert "0 stale" in out and "0 missing" in out


def test_the_real_translations_are_all_recorded() -> None:
    """Every translation in the repository says which English it was made from."""
    catalogue = load_catalogue()
    stale = sorted((page, locale) for page, value in catalogue.translation_states.items() for locale, state in value.items() if state == "stale")
    assert not stale, f"record them with python -m playbook_site translation-status --record <lang> <source>: {stale[:10]}"


def test_a_stale_translation_says_so_in_its_language(mini_site: BuildResult) -> None:
    html = (mini_site.site / "ar" / "playbooks" / "mini-playbook" / "index.html").read_text(encoding="utf-8")
    assert 'class="pp-notice pp-notice--stale"' in html
    assert "تغيّر النص الأصلي الإنجليزي لهذه الصفحة" in html
    assert '<a href="../../../playbooks/mini-playbook/" hreflang="en">' in html


def test_the_status_page_lists_every_page_in_every_language(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    for prefix in ("", "es/", "fr/", "ar/"):
        html = (real_site.site / prefix / "translation-status" / "index.html").read_text(encoding="utf-8")
        assert html.count("<tr><td") == len(catalogue.translation_states)
        assert 'pp-state--stale' not in html.split("<table>", 1)[1]
