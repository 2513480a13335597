"""Handouts: PDFs printed by Debian's Chromium, and the workshop sheets they are made from."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from playbook_site.content.catalogue import load_catalogue
from playbook_site.publish.handouts import jobs, render
from sites import BuildResult, site_url

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BASE = site_url()  # mkdocs.yml's site_url, or $SITE_URL when set


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)  # pdftotext marks bidi runs


def test_workshop_sheet_lists_every_step_with_its_short_link_and_qr(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    playbook = catalogue.playbooks["onboarding-a-glam-partner"]
    for locale, prefix in (("en", ""), ("ar", "ar/")):
        html = (real_site.site / prefix / "sheets" / playbook.slug / "index.html").read_text(encoding="utf-8")
        steps = playbook.step_ids()
        assert html.count('<li class="pp-sheet__step">') == len(steps) == 8
        for number, step in enumerate(steps, start=1):
            assert f">{BASE}{prefix}go/glam-{number}/</p>" in html
            assert playbook.headings[locale][step] in html
        assert html.count('class="pp-qr__code"') == len(steps) + 1


def test_workshop_sheet_carries_step_titles_and_timings(real_site: BuildResult) -> None:
    catalogue = load_catalogue()
    playbook = catalogue.playbooks["running-a-partnerships-workshop"]
    assert playbook.step_minutes["step-6"] == 90, "the clinic's 90 minutes, from the notes"
    for locale, prefix in (("en", ""), ("es", "es/"), ("fr", "fr/"), ("ar", "ar/")):
        html = (real_site.site / prefix / "sheets" / playbook.slug / "index.html").read_text(encoding="utf-8")
        items = html.split('<li class="pp-sheet__step">')[1:]
        assert len(items) == len(playbook.step_ids())
        for step, item in zip(playbook.step_ids(), items):
            assert str(escape(playbook.headings[locale][step])) in item, (locale, step)
            minutes = playbook.step_minutes.get(step)
            label = f'<p class="pp-sheet__time">{catalogue.text("minutes", locale)}: {minutes}</p>'
            assert (label in item) if minutes else ("pp-sheet__time" not in item), (locale, step)


def test_every_page_ends_with_a_print_footer_pointing_back_online(real_site: BuildResult) -> None:
    html = (real_site.site / "fr" / "playbooks" / "working-with-media" / "index.html").read_text(encoding="utf-8")
    footer = html.split('<aside class="pp-print-footer"', 1)[1].split("</aside>", 1)[0]
    assert f">{BASE}fr/go/media/</span>" in footer and "<svg" in footer
    html = (real_site.site / "es" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert f">{BASE}es/glossary/</span>" in html


@pytest.mark.browser
def test_handouts_print_arabic_and_english_without_navigation(real_site: BuildResult, tmp_path: Path, browser) -> None:
    catalogue = load_catalogue()
    work = jobs(["en", "ar"], catalogue.default_locale, ["running-a-partnerships-workshop"])
    written = render(real_site.site, tmp_path, work, CHROMIUM, browser=browser)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "ar/running-a-partnerships-workshop-sheet.pdf",
        "ar/running-a-partnerships-workshop.pdf",
        "en/running-a-partnerships-workshop-sheet.pdf",
        "en/running-a-partnerships-workshop.pdf",
    ]
    for path in written:
        assert path.read_bytes().startswith(b"%PDF")
    english = pdf_text(tmp_path / "en" / "running-a-partnerships-workshop.pdf")
    assert "Running a partnerships workshop" in english
    assert "Table of contents" not in english and "Search" not in english, "navigation and search are not printed"
    assert "https://meta.wikimedia.org/" in english, "external link addresses are printed"
    assert f"{BASE}go/workshop/" in english.replace("\n", "")
    arabic = pdf_text(tmp_path / "ar" / "running-a-partnerships-workshop.pdf")
    title = catalogue.playbooks["running-a-partnerships-workshop"].titles["ar"]
    # pdftotext gives Arabic in logical order when the PDF holds shaped, right-to-left text.
    assert re.sub(r"\s+", " ", title) in re.sub(r"\s+", " ", arabic)
    assert "جدول المحتويات" not in arabic
    sheet = pdf_text(tmp_path / "ar" / "running-a-partnerships-workshop-sheet.pdf")
    assert all(f"ar/go/workshop-{n}/" in sheet for n in range(1, 8)), sheet
