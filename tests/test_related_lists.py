"""Pattern and playbook pages list a bounded number of case studies, then link to the explorer filtered to all of them."""

from __future__ import annotations

import re

import pytest
from playbook_site.render import views
from playbook_site.content.catalogue import load_catalogue
from playbook_site.render.views import PageContext


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_a_long_list_shows_the_first_few_and_links_to_the_filtered_explorer(catalogue) -> None:
    ctx = PageContext(catalogue, "es", "es/patterns/start-with-a-pilot/", root_locale="en")
    cases = list(catalogue.case_studies.values())
    assert len(cases) > views.RELATED_LIMIT
    bounded = views.bounded_case_studies(ctx, cases, "pattern", "start-with-a-pilot")
    assert [card["id"] for card in bounded["cards"]] == [case.id for case in cases[: views.RELATED_LIMIT]]
    assert bounded["more_url"] == "../../case-studies/?pattern=start-with-a-pilot"
    assert str(len(cases)) in bounded["more_label"] and "{total}" not in bounded["more_label"]
    short = views.bounded_case_studies(ctx, cases[:2], "pattern", "start-with-a-pilot")
    assert len(short["cards"]) == 2 and short["more_url"] is None


def test_pattern_and_playbook_pages_stop_at_the_limit(catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "RELATED_LIMIT", 1)
    pattern = max(catalogue.patterns, key=lambda key: len(catalogue.case_studies_using_pattern(key)))
    using = catalogue.case_studies_using_pattern(pattern)
    assert len(using) > 1
    html = str(views.pattern_page(PageContext(catalogue, "en", f"patterns/{pattern}/", root_locale="en"), pattern))
    section = html[html.index('id="case-studies"'):html.index('id="related-patterns"')]
    newest = max(using, key=lambda c: (c.added, c.id))
    assert re.findall(r'<li class="pp-card" id="([^"]+)"', section) == [newest.id]
    assert f'href="../../case-studies/?pattern={pattern}"' in section
    slug = next(slug for slug, playbook in catalogue.playbooks.items() if playbook.case_studies and len(catalogue.case_studies_for_playbook(slug)) > 1)
    html = str(views.playbook_related_case_studies(PageContext(catalogue, "ar", f"ar/playbooks/{slug}/", root_locale="en"), slug))
    assert re.findall(r'<li class="pp-card" id="([^"]+)"', html) == [catalogue.playbooks[slug].case_studies[0]]  # the playbook's own choice first
    assert f'href="../../case-studies/?playbook={slug}"' in html
