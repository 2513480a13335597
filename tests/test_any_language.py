"""A case study from any affiliate: issue forms filled in each language, with sources of its own.

Four issue bodies, one per language of the site, written the way GitHub
writes them from the forms in .github/ISSUE_TEMPLATE/ (the labels are read
from those forms), with countries and languages given by name and with
first-hand and linked sources. `issue_to_yaml` turns each into a file in a
copy of the content; the build's loader must accept it, and the site built
from that copy must show each entry in every tree: the original text, marked
with its lang and dir, a notice in the reader's language, the sources as
described, the explorer, search, feeds and open data.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from playbook_site.contribute import issue_to_yaml
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.contribute.issue_forms import Message
from playbook_site.content.translations import matrix
from sites import REPO, build

FORMS = REPO / ".github" / "ISSUE_TEMPLATE"
TODAY = datetime.date(2026, 11, 21)

# Answers by form field id, per language. Names of places, not codes.
ANSWERS = {
    "en": {
        "title": "Kenyan public libraries host edit days",
        "summary": "A user group and public libraries in Nairobi held edit days together.",
        "affiliates": "Example User Group Kenya",
        "partners": "Example Public Library",
        "partner_type": "glam",
        "region": "sub-saharan-africa",
        "countries": "Kenya",
        "languages": "Swahili, English",
        "years": "2025-2026",
        "themes": "events",
        "what_worked": "- Librarians chose the topics.",
        "what_did_not_work": "- The library network was slow.",
        "lessons": "- Bring your own hotspot.",
        "reported_by": "Example User Group Kenya",
        "source_links": "Project page https://meta.wikimedia.org/wiki/Example_Kenya",
    },
    "es": {
        "title": "Bibliotecas de Montevideo abren sus archivos",
        "summary": "Un grupo de usuarios y dos bibliotecas de Montevideo trabajaron juntos.",
        "affiliates": "Grupo de Ejemplo Uruguay",
        "other_participants": "Wiki Loves Ejemplo (proyecto)\nComité de Ejemplo (committee)",
        "partners": "Biblioteca de Ejemplo",
        "partner_type": "glam",
        "region": "latin-america-caribbean",
        "countries": "Uruguay, Argentina",
        "languages": "español, guaraní",
        "years": "2019, 2021",
        "themes": "cultural-heritage",
        "what_worked": "- Empezar con una sola colección.",
        "what_did_not_work": "- Las licencias tardaron meses.",
        "lessons": "- Hablar de licencias en la primera reunión.",
        "reported_by": "Usuaria:Ejemplo",
    },
    "fr": {
        "title": "Des radios communautaires à Dakar",
        "summary": "Un groupe d’utilisateurs et des radios de Dakar ont parlé de Wikipédia à l’antenne.",
        "affiliates": "Groupe d’exemple Sénégal",
        "partners": "Radio d’exemple",
        "partner_type": "media",
        "region": "sub-saharan-africa",
        "countries": "Sénégal",
        "languages": "wolof, français",
        "years": "2024",
        "themes": "media-outreach",
        "what_worked": "- Parler dans la langue des auditeurs.",
        "what_did_not_work": "- Trop peu de temps d’antenne.",
        "lessons": "- Préparer des questions courtes.",
        "source_links": "Compte rendu https://meta.wikimedia.org/wiki/Example_Dakar",
        "sources": "wmcon2018-session16",
    },
    "ar": {
        "title": "مكتبات عمّان تفتح مجموعاتها",
        "summary": "عملت مجموعة مستخدمين مع مكتبة عامة في عمّان على رفع صور قديمة.",
        "affiliates": "مجموعة المستخدمين النموذجية",
        "partners": "مكتبة نموذجية",
        "partner_type": "glam",
        "region": "middle-east-north-africa",
        "countries": "الأردن",
        "languages": "العربية",
        "years": "2023",
        "themes": "cultural-heritage",
        "what_worked": "- البدء بمجموعة صغيرة.",
        "what_did_not_work": "- استغرق الاتفاق على الترخيص وقتًا طويلًا.",
        "lessons": "- تحدّثوا عن الترخيص مبكرًا.",
        "reported_by": "مجموعة المستخدمين النموذجية",
    },
}
EXPECTED = {
    "en": {"countries": ("KE",), "languages": ("sw", "en"), "years": (2025, 2026), "kinds": ["report", "link"]},
    "es": {"countries": ("UY", "AR"), "languages": ("es", "gn"), "years": (2019, 2021), "kinds": ["report"]},
    "fr": {"countries": ("SN",), "languages": ("wo", "fr"), "years": (2024,), "kinds": ["link", "note"]},
    "ar": {"countries": ("JO",), "languages": ("ar",), "years": (2023,), "kinds": ["report"]},
}


def form_file(locale: str) -> Path:
    return FORMS / ("case-study.yml" if locale == "en" else f"case-study-{locale}.yml")


def issue_body(locale: str, answers: dict[str, str]) -> str:
    """The body GitHub writes from the form in `locale`: `### Label` then the answer, options as "Label (id)"."""
    sections = []
    for field in issue_to_yaml.read_form(form_file(locale)):
        value = answers.get(field.id)
        if field.kind == "dropdown" and value:
            value = ", ".join(next(option for option in field.options if option.endswith(f"({key})")) for key in value.split(", "))
        if field.kind == "checkboxes":
            value = "\n".join(f"- [X] {label}" for label in field.options)
        sections.append(f"### {field.label}\n\n{value or '_No response_'}")
    return "\n\n".join(sections) + "\n"


@pytest.fixture(scope="module")
def contributed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the repository where one case study per language was added from an issue; built once."""
    root = tmp_path_factory.mktemp("any-language")
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("scripts", "overrides"):
        (root / name).symlink_to(REPO / name)
    ids = {}
    for locale, answers in ANSWERS.items():
        relative, _text = issue_to_yaml.case_study(issue_body(locale, answers), root, write=True)
        ids[locale] = Path(relative).stem
    result = build(root, "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.output[-5000:]
    catalogue = load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    return {"root": root, "ids": ids, "site": result.site, "catalogue": catalogue, "build": result}


def page(site: Path, tree: str, path: str) -> str:
    return (site / tree / path / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index('<article class="pp-entry'): html.index("</article>")]


@pytest.mark.parametrize("locale", list(ANSWERS))
def test_each_issue_becomes_an_entry_in_its_language(contributed: dict, locale: str) -> None:
    case = contributed["catalogue"].case_studies[contributed["ids"][locale]]
    expected = EXPECTED[locale]
    assert case.original_language == locale
    assert set(case.title.values) == {locale} and case.title.values[locale] == ANSWERS[locale]["title"]
    assert (case.countries, case.languages, case.years) == (expected["countries"], expected["languages"], expected["years"])
    assert [citation.kind for citation in case.sources] == expected["kinds"]
    if locale == "es":
        assert [(p.name, p.role) for p in case.other_participants] == [("Wiki Loves Ejemplo", "project"), ("Comité de Ejemplo", "committee")]
    text = (contributed["root"] / "data" / "case_studies" / f"{case.id}.yml").read_text(encoding="utf-8")
    assert bool(re.search(rf"^original_language: {locale}\b", text, re.MULTILINE)) == (locale != "en")


TREES = {"en": "", "es": "es", "fr": "fr", "ar": "ar"}
LANGUAGE_NAMES = {  # the original's language as each tree's notice names it (CLDR)
    ("es", "en"): "Spanish", ("es", "fr"): "espagnol", ("es", "ar"): "الإسبانية",
    ("ar", "en"): "Arabic", ("ar", "es"): "árabe", ("ar", "fr"): "arabe",
}


@pytest.mark.parametrize("original", ["es", "ar"])
@pytest.mark.parametrize("reader", list(TREES))
def test_every_tree_shows_the_original_with_a_notice(contributed: dict, original: str, reader: str) -> None:
    case_id = contributed["ids"][original]
    html = article(page(contributed["site"], TREES[reader], f"case-studies/{case_id}"))
    title = re.escape(ANSWERS[original]["title"])
    if reader == original:
        assert re.search(rf"<h1>{title}</h1>", html), "in its own tree the text is not marked as foreign"
        assert "pp-notice" not in html
        return
    direction = "rtl" if original == "ar" else "ltr"
    assert re.search(rf'<h1 lang="{original}" dir="{direction}">{title}</h1>', html)
    assert re.search(rf'<p class="pp-entry__summary" lang="{original}" dir="{direction}">', html)
    notice = re.search(r'<p class="pp-notice pp-notice--fallback" role="note">(.*?)</p>', html)
    assert notice and LANGUAGE_NAMES[(original, reader)] in notice[1]
    template = contributed["catalogue"].text("untranslated_case_study_notice", reader)
    assert notice[1] == template.replace("{language}", LANGUAGE_NAMES[(original, reader)])
    # Nothing says it is a draft translation: there is no translation.
    assert "pp-notice--draft" not in page(contributed["site"], TREES[reader], f"case-studies/{case_id}")


def test_sources_are_shown_as_described(contributed: dict) -> None:
    site, ids = contributed["site"], contributed["ids"]
    english = article(page(site, "", f"case-studies/{ids['en']}"))
    assert "First-hand account by <bdi>Example User Group Kenya</bdi>, <time datetime=\"2026-11\">November 2026</time>" in english
    assert '<a href="https://meta.wikimedia.org/wiki/Example_Kenya" rel="noopener"><bdi>Project page</bdi></a>' in english
    spanish_in_french = article(page(site, "fr", f"case-studies/{ids['es']}"))
    assert "Témoignage direct de <bdi>Usuaria:Ejemplo</bdi>, <time datetime=\"2026-11\">novembre 2026</time>" in spanish_in_french
    french = article(page(site, "fr", f"case-studies/{ids['fr']}"))
    assert "Compte rendu" in french and 'id="source-wmcon2018-session16"' in french

    sources_page = page(site, "es", "sources")
    own = sources_page[sources_page.index('id="contributed-sources"'):]
    assert "Relato de primera mano de <bdi>Example User Group Kenya</bdi>" in own
    for case_id in ids.values():  # each cites a page or an account of its own
        assert f"case-studies/{case_id}/" in own
    assert "Compte rendu" in own


def test_explorer_search_feeds_and_open_data(contributed: dict) -> None:
    site, ids = contributed["site"], contributed["ids"]
    cards = json.loads((site / "ar" / "case-studies" / "cards.json").read_text(encoding="utf-8"))
    card = next((row for row in cards if row["id"] == ids["es"]), None)
    assert card, "the Spanish case study is a card of the Arabic explorer"
    assert card["title"] == {"text": ANSWERS["es"]["title"], "lang": "es", "dir": "ltr"}
    plain = page(site, "ar", "case-studies/all")
    assert f'<li><a href="../{ids["es"]}/" lang="es" dir="ltr">{ANSWERS["es"]["title"]}</a></li>' in plain

    for tree in ("es", "ar"):
        # Pagefind indexes the page under its tree's <html lang>, title and text inside data-pagefind-body.
        html = page(site, tree, f"case-studies/{ids['es']}")
        assert f'<html lang="{tree}"' in html
        body = html[html.index("data-pagefind-body"):]
        assert f'{ANSWERS["es"]["title"]}</h1>' in body, f"the Spanish entry is indexed for search in the {tree} tree"
    for tree in ("es", "ar"):  # each tree's own bundle, in its language
        entry = json.loads((site / TREES[tree] / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {tree}

    feed = (site / "fr" / "feed.xml").read_text(encoding="utf-8")
    assert f'<title xml:lang="ar">{ANSWERS["ar"]["title"]}</title>' in feed
    assert f"<title>{ANSWERS['fr']['title'].replace('’', '’')}</title>" in feed

    data = json.loads((site / "data" / "case-studies.json").read_text(encoding="utf-8"))
    records = {record["id"]: record for record in data["items"]}
    kenya = records[ids["en"]]
    assert kenya["original_language"] == "en" and kenya["countries"] == ["KE"]
    assert kenya["sources"][0] == {"reported_by": "Example User Group Kenya", "date": "2026-11"}
    assert kenya["sources"][1] == {"title": "Project page", "url": "https://meta.wikimedia.org/wiki/Example_Kenya"}
    assert records[ids["ar"]]["original_language"] == "ar" and list(records[ids["ar"]]["title"]) == ["ar"]
    csv_text = (site / "data" / "case-studies.csv").read_text(encoding="utf-8")
    assert "reported by Example User Group Kenya, 2026-11" in csv_text


def test_translation_status_lists_what_is_missing(contributed: dict) -> None:
    root = contributed["root"]
    catalogue = contributed["catalogue"]
    rows = {source.key: states for source, states in matrix(ContentRoots.beside(root / "mkdocs.yml"), catalogue.locales, catalogue.default_locale, {}, {})}
    states = rows[f"data/case_studies/{contributed['ids']['es']}.yml"]
    assert states == {"en": "missing", "es": "original", "fr": "missing", "ar": "missing"}
    status_page = page(contributed["site"], "", "translation-status")
    assert "<th scope=\"col\" lang=\"en\">" in status_page, "an English column appears once an entry is written in another language"


@pytest.mark.parametrize(
    ("locale", "answers", "expected"),
    [
        ("es", {"countries": "Kenia, Narnia", "years": "dos mil"}, ["Países: 'Narnia'", "Años: 'dos'"]),
        ("fr", {"languages": "patois inventé"}, ["Langues: 'patois inventé'"]),
        ("ar", {"reported_by": "", "source_links": "", "sources": ""}, ["الملاحظات الميدانية: "]),
    ],
)
def test_problems_are_reported_in_the_forms_language(content: Path, locale: str, answers: dict[str, str], expected: list[str]) -> None:
    body = issue_body(locale, {**ANSWERS[locale], **answers})
    with pytest.raises(issue_to_yaml.IssueError) as raised:
        issue_to_yaml.case_study(body, content, write=False)
    problems = raised.value.problems
    labels = {field.id: field.label for field in issue_to_yaml.read_form(form_file(locale))}
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)
    for problem in problems:
        label, _, message = problem.partition(": ")
        assert label in labels.values(), problem
        english = {Message(key).text("en") for key in ("required", "need_a_source")}
        assert message not in english, f"a message in English in a {locale} form: {problem}"
    if locale == "es":
        assert any("no es un año" in problem for problem in problems), problems
        assert any("¿quisiste decir" in problem.casefold() or "no es un nombre" in problem for problem in problems), problems


def test_an_endorsement_in_arabic_keeps_its_language(content: Path) -> None:
    form = FORMS / "endorse-pattern-ar.yml"
    answers = {"pattern": "start-with-a-pilot", "by": "مجموعة المستخدمين النموذجية", "date": "2026-05-04", "comment": "نجحت التجربة الصغيرة مع المتحف."}
    sections = []
    for field in issue_to_yaml.read_form(form):
        value = answers.get(field.id)
        if field.kind == "dropdown":
            value = next(option for option in field.options if option.endswith(f"({value})"))
        if field.kind == "checkboxes":
            value = "\n".join(f"- [X] {label}" for label in field.options)
        sections.append(f"### {field.label}\n\n{value}")
    issue_to_yaml.endorsement("\n\n".join(sections) + "\n", content, write=True, today=TODAY)
    endorsement = load_catalogue(ContentRoots.beside(content / "mkdocs.yml")).patterns["start-with-a-pilot"].endorsements[-1]
    assert endorsement.by == answers["by"]
    assert endorsement.comment is not None and endorsement.comment.values == {"ar": answers["comment"]}
    assert endorsement.comment.get("en") == (answers["comment"], "ar"), "other languages show the Arabic comment"


def test_new_case_study_in_spanish_with_names_and_a_first_hand_account(content: Path) -> None:
    import io

    from playbook_site.contribute import new_case_study

    answers = [
        "2",  # language: the second of the site's languages (es)
        "Bibliotecas de Nairobi", "",  # title, short name proposed from it
        "Un grupo de usuarios trabajó con bibliotecas públicas de Nairobi.",
        "Grupo de Ejemplo Kenia", "",  # affiliates
        "Wiki Loves Ejemplo (proyecto) | Foro de Ejemplo",  # other participants: the second has no role, asked again
        "Wiki Loves Ejemplo (proyecto)",
        "Biblioteca de Ejemplo", "1", "n",  # a partner, its kind, no other
        "5",  # region
        "Narnia",  # countries: unknown, asked again
        "Kenia",
        "suajili, inglés",  # languages
        "2025-2026",
        "5",  # themes
        "Los bibliotecarios eligieron los temas.", "",
        "La red era lenta.", "",
        "Llevar un punto de acceso propio.", "",
        "", "",  # patterns, playbooks
        "Grupo de Ejemplo Kenia",  # first-hand account by
        "Página del proyecto https://meta.wikimedia.org/wiki/Example | Informe https://example.org/informe",
        "",  # field notes: none
        "",  # more links
    ]
    output = io.StringIO()
    code = new_case_study.main(["--root", str(content)], input=io.StringIO("".join(line + "\n" for line in answers)), output=output)
    assert code == 0, output.getvalue()
    assert "'Narnia' is not a country name or two-letter code that we know" in output.getvalue()
    assert "'Foro de Ejemplo' does not end with its role in brackets" in output.getvalue()
    case = load_catalogue(ContentRoots.beside(content / "mkdocs.yml")).case_studies["bibliotecas-de-nairobi"]
    assert case.original_language == "es" and case.title.values == {"es": "Bibliotecas de Nairobi"}
    assert (case.countries, case.languages, case.years) == (("KE",), ("sw", "en"), (2025, 2026))
    assert [(p.name, p.role) for p in case.other_participants] == [("Wiki Loves Ejemplo", "project")]
    assert [(c.kind, c.reported_by or c.title) for c in case.sources] == [("report", "Grupo de Ejemplo Kenia"), ("link", "Página del proyecto"), ("link", "Informe")]
