"""Bad data gets one clear report: `path:line:column: field: message (hint)`, exit 1, no traceback.

Each case copies the real content to a temporary folder, breaks one file the
way a contributor might, and checks what the loader and `validate` say.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.problems import DataError
from sites import REPO

PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+):(?: (?P<field>[^:]+):)? (?P<message>.+)$")
CASE = "data/case_studies/editatona.yml"




def problems_for(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    return [str(problem) for problem in caught.value.problems]


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    for number, line in enumerate((root / relative).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_real_content_is_valid() -> None:
    catalogue = load_catalogue()
    assert catalogue.case_studies and catalogue.patterns and catalogue.playbooks
    assert catalogue.locales == ("en", "es", "fr", "ar")


def test_unknown_reference_names_file_line_field_and_suggests(content: Path) -> None:
    edit(content, CASE, "hack-the-model", "hack-the-modle")
    line = line_of(content, CASE, "hack-the-modle")
    [problem] = problems_for(content)
    match = PROBLEM_LINE.match(problem)
    assert match, problem
    assert match["path"] == CASE and int(match["line"]) == line
    assert match["field"].startswith("patterns[")
    assert "unknown learning pattern 'hack-the-modle'" in problem and "did you mean 'hack-the-model'?" in problem


def test_every_problem_is_reported_at_once(content: Path) -> None:
    edit(content, CASE, "region: latin-america-caribbean", "region: latam")
    edit(content, "data/case_studies/afrocrowd-wikimedia-nyc.yml", "license: CC-BY-SA-4.0", "license: GPL")
    problems = problems_for(content)
    assert any("editatona.yml" in p and "region: unknown region 'latam'" in p for p in problems), problems
    assert any("afrocrowd-wikimedia-nyc.yml" in p and "license: 'GPL' is not allowed here" in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("years: [", "yeers: [", "yeers: unknown field 'yeers' (did you mean 'years'?)"),
        ("license: CC-BY-SA-4.0", "", "license: missing required field 'license'"),
        ("years: [", "years: [true, ", "years[0]: expected a whole number, found true (true/false)"),
        ("added: 2026-11-21", "added: 21/11/2026", "added: '21/11/2026' is not in the expected form (write the date as YYYY-MM-DD"),
        ("id: editatona", "id: ../../etc/passwd", "id: '../../etc/passwd' is not in the expected form (use 3 to 64 lowercase"),
        ("id: editatona", "id: editatona-two", "id: id 'editatona-two' differs from the file name 'editatona.yml'"),
        ("countries: [MX]", "countries: [XX]", "countries[0]: 'XX' is not an ISO 3166 country code"),
        ("url: https://", "url: javascript:alert(1)//", "further_reading[0].url: 'javascript:alert(1)//"),
    ],
)
def test_schema_and_reference_problems(content: Path, old: str, new: str, expected: str) -> None:
    edit(content, CASE, old, new)
    problems = problems_for(content)
    assert any(problem.startswith(f"{CASE}:") and expected in problem for problem in problems), problems


def test_unknown_language_key_in_a_translation_map(content: Path) -> None:
    edit(content, CASE, "\n  es: ", "\n  esp: ")
    problems = problems_for(content)
    assert any(".esp: 'esp' is not a language of this site (did you mean 'es'?" in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: editatona\n\ttitle: x\n", "YAML syntax error"),
        ("id: editatona\nid: editatona\n", "id: duplicate key (first used on line 1)"),
        ("base: &a [1, 2]\nother: *a\n", "anchors and aliases (& and *) are not allowed"),
        ("id: !!python/object/apply:os.getcwd []\n", "the YAML tag !!python/object/apply:os.getcwd is not allowed"),
        ("title:\n  en: \"abc\u202edef\"\n", "invisible direction-control character U+202E"),
        ("", "file is empty"),
    ],
)
def test_unsafe_or_broken_yaml(content: Path, text: str, expected: str) -> None:
    (content / CASE).write_text(text, encoding="utf-8")
    problems = problems_for(content)
    assert any(problem.startswith(f"{CASE}:") and expected in problem for problem in problems), problems


def test_alias_bomb_is_refused_quickly(content: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (content / CASE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_for(content)
    assert any("anchors and aliases" in problem for problem in problems)


def test_encoding_problems(content: Path) -> None:
    (content / CASE).write_bytes(b"id: editatona\ntitle:\n  en: caf\xe9\n")
    assert any(p.startswith(f"{CASE}:3:") and "not valid UTF-8" in p for p in problems_for(content))
    (content / CASE).write_bytes(b"\xef\xbb\xbfid: editatona\n")
    assert any("byte-order mark" in p for p in problems_for(content))
    (content / CASE).write_text("id: editatona\ntitle:\n  en: " + "x" * 600_000 + "\n", encoding="utf-8")
    assert any("larger than the 512 KB allowed" in p for p in problems_for(content))


def test_norway_stays_a_country(content: Path) -> None:
    edit(content, CASE, "countries: [MX]", "countries: [MX, NO]")
    catalogue = load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
    assert catalogue.case_studies["editatona"].countries == ("MX", "NO")


def test_two_letter_suffix_that_is_not_a_language(content: Path) -> None:
    """static-i18n would silently drop notes.ai.md; validation names it instead."""
    (content / "playbooks" / "notes.ai.md").write_text("# Notes on AI\n", encoding="utf-8")
    problems = problems_for(content)
    assert any(p.startswith("playbooks/notes.ai.md:1:1:") and "'.ai.md' is not a language of this site" in p for p in problems), problems


def test_translated_playbook_heading_ids_must_match(content: Path) -> None:
    edit(content, "playbooks/running-an-editatona.es.md", "{#step-2}", "{#paso-2}")
    problems = problems_for(content)
    assert any("running-an-editatona.es.md" in p and "{#step-2} of running-an-editatona.md is missing" in p for p in problems), problems
    assert any("running-an-editatona.es.md" in p and "{#paso-2} is not in running-an-editatona.md" in p for p in problems), problems


def test_macro_ids_in_playbooks_are_checked(content: Path) -> None:
    path = content / "playbooks" / "running-an-editatona.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n{{ pattern_card("hack-the-modl") }}\n{{ cite("partnerships-workshop-slides") }}\n', encoding="utf-8")
    problems = problems_for(content)
    assert any("pattern_card: unknown pattern 'hack-the-modl' (did you mean 'hack-the-model'?)" in p for p in problems), problems
    assert any("cite: unknown source in this playbook's front matter 'partnerships-workshop-slides'" in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Read as a browser reads HTML: these got past the line-by-line patterns that came before the HTML parser.
        ("Intro.\n\n<img/onerror=alert(1) src=x>\n", ["3:1: the HTML attribute onerror= is not allowed in a playbook"]),
        ("See <img src=x\nonerror=alert(1)> here.\n", ["1:5: the HTML attribute onerror= is not allowed in a playbook"]),
        ('A <a href="java&#115;cript:alert(1)">link</a>.\n', ["1:3: 'javascript:' links are not allowed in a playbook"]),
        ('A <a href=" JaVa\tScript:alert(1)">link</a>.\n', ["1:3: 'javascript:' links are not allowed in a playbook"]),
        ("Text.\n<SCRIPT SRC=x></SCRIPT>\n", ["2:1: <script> is not allowed in a playbook"]),
        ("An <abbr title='&lt;img src=x onerror=alert(1)&gt;'>abbreviation</abbr>.\n", ["1:4: HTML in a title attribute is not allowed in a playbook"]),
        ("[click](javascript:alert(1)) and <data:text/html,x>\n", ["1:7: 'javascript:' links are not allowed", "1:34: 'data:' links are not allowed"]),
        # Text, code and harmless HTML stay allowed.
        ('<abbr title="Data: the numbers">D</abbr>, a < b and c > d, <https://example.org/>\n', []),
        ("Type `<script>` to see.\n\n```html\n<img src=x onerror=alert(1)>\n```\n", []),
    ],
)
def test_a_playbook_s_html_is_read_with_a_parser(text: str, expected: list[str]) -> None:
    from playbook_site.content.playbook_checks import unsafe_markdown_problems

    found = [str(problem).removeprefix("playbooks/x.md:") for problem in unsafe_markdown_problems(REPO / "playbooks" / "x.md", text)]
    assert len(found) == len(expected) and all(line.startswith(start) for line, start in zip(found, expected)), found


def test_validate_command_exits_1_without_traceback(content: Path) -> None:
    edit(content, CASE, "hack-the-model", "hack-the-modle")
    script = "import sys; from playbook_site.cli import validate; from playbook_site.content.catalogue import ContentRoots; from pathlib import Path; sys.exit(validate(ContentRoots.beside(Path(sys.argv[1]))))"
    result = subprocess.run([sys.executable, "-c", script, str(content / "mkdocs.yml")], capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"^data/case_studies/editatona\.yml:\d+:\d+: patterns\[\d\]: unknown learning pattern", result.stderr, re.MULTILINE), result.stderr


@pytest.mark.parametrize(("template", "folder", "entry_id"), [("case_study", "case_studies", "my-case-study"), ("pattern", "patterns", "my-pattern")])
def test_the_templates_are_valid_starting_points(content: Path, template: str, folder: str, entry_id: str) -> None:
    shutil.copy(content / "data" / "templates" / f"{template}.template.yml", content / "data" / folder / f"{entry_id}.yml")
    catalogue = load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
    assert entry_id in (catalogue.case_studies if folder == "case_studies" else catalogue.patterns)


# -- glossary and pathways --------------------------------------------------------------------


def test_a_form_may_explain_only_one_glossary_term(content: Path) -> None:
    edit(content, "data/glossary.yml", "en: [GLAMs]", "en: [GLAMs, Chapters]")
    line = line_of(content, "data/glossary.yml", "en: [chapters]")
    problems = problems_for(content)
    expected = f"data/glossary.yml:{line}:9: chapter.matches.en: 'chapters' is already a form of 'glam' (a form can explain only one term; remove it from one of them)"
    assert expected in problems, problems


def test_glossary_term_needs_every_language(content: Path) -> None:
    edit(content, "data/glossary.yml", "    fr: FDC\n", "")
    problems = problems_for(content)
    assert any("fdc.term: no 'fr' translation" in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    - page: working-with-wikimedia\n", "    - page: working-with-wikimedia\n      playbook: running-an-editatona\n", "partners.steps[0]: a step names one page, found playbook and page"),
        ("    - page: working-with-wikimedia\n", "    - page: working-with-wikimdia\n", "partners.steps[0].page: there is no page docs/working-with-wikimdia.md (did you mean 'working-with-wikimedia'?)"),
        ("    - pattern: start-with-a-pilot\n", "    - pattern: start-with-a-pilt\n", "affiliates.steps[1].pattern: unknown learning pattern 'start-with-a-pilt'"),
        ("    - pattern: start-with-a-pilot\n", "    - patern: start-with-a-pilot\n", "affiliates.steps[1].patern: unknown field 'patern' (did you mean 'pattern'?)"),
        ("  partner_types: [media]\n", "  partner_types: [radio]\n", "media.partner_types[0]: unknown partner type 'radio'"),
        ("    - playbook: working-with-media\n      minutes: 4\n", "    - playbook: working-with-media\n      minutes: soon\n", "media.steps[1].minutes"),
    ],
)
def test_pathway_steps_are_checked(content: Path, old: str, new: str, expected: str) -> None:
    edit(content, "data/pathways.yml", old, new)
    problems = problems_for(content)
    assert any(p.startswith("data/pathways.yml:") and expected in p for p in problems), problems


def test_a_missing_data_file_is_named(content: Path) -> None:
    (content / "data" / "glossary.yml").unlink()
    assert "data/glossary.yml:1:1: file is missing (restore it from the repository; every site needs it)" in problems_for(content)


# -- short links and redirects ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  anchor: session-plan\n", "  anchor: session-plna\n", "workshop-plan.anchor: playbooks/running-a-partnerships-workshop.md has no heading {#session-plna} (did you mean 'session-plan'?)"),
        ("pilot:\n", "glam-3:\n", "glam-3: /go/glam-3/ is already the short link of playbooks/onboarding-a-glam-partner.md"),
        ("  pattern: start-with-a-pilot\n", "  pattern: start-with-a-pilot\n  page: glossary\n", "pilot: a short link names one page, found pattern and page"),
        ("  page: glossary\n", "  page: glosary\n", "glossary.page: there is no page docs/glosary.md"),
    ],
)
def test_short_links_are_checked(content: Path, old: str, new: str, expected: str) -> None:
    edit(content, "data/short_links.yml", old, new)
    problems = problems_for(content)
    assert any(p.startswith("data/short_links.yml:") and expected in p for p in problems), problems


def test_two_playbooks_cannot_share_a_short_link(content: Path) -> None:
    edit(content, "playbooks/working-with-media.md", "short_link: media", "short_link: glam")
    problems = problems_for(content)
    assert any(p.startswith("playbooks/working-with-media.md:2:") and "is already used by playbooks/onboarding-a-glam-partner.md" in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("playbooks/old-name/: playbooks/onboarding-a-glam-partner/#step-2\n", None),
        ("glossary/: about/\n", "glossary/: glossary/ is still a page of the site"),
        ("old/: playbooks/no-such-playbook/\n", "old/: the new address playbooks/no-such-playbook/ is not a page of the site"),
        ("Old Path: about/\n", "'Old Path' is not an allowed key (write the old path like playbooks/old-name/"),
    ],
)
def test_redirects_are_checked(content: Path, text: str, expected: str | None) -> None:
    (content / "data" / "redirects.yml").write_text(text, encoding="utf-8")
    if expected is None:
        catalogue = load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
        assert catalogue.redirects == {"playbooks/old-name/": "playbooks/onboarding-a-glam-partner/#step-2"}
        return
    problems = problems_for(content)
    assert any(p.startswith("data/redirects.yml:1:") and expected in p for p in problems), problems


def test_playbook_sections_need_an_id(content: Path) -> None:
    edit(content, "playbooks/working-with-media.fr.md", " {#checklist}", "")
    problems = problems_for(content)
    assert any(p.startswith("playbooks/working-with-media.fr.md:") and "section heading without an id" in p for p in problems), problems


# -- roles: affiliates are affiliates ----------------------------------------------------------

# Names the field notes give to projects, committees and discussions, never to affiliates.
NOT_AFFILIATES = re.compile(r"wiki loves|\bFDC\b|committee|salon|afrocrowd|partnerships group", re.IGNORECASE)


def test_no_affiliates_entry_outside_the_affiliate_role() -> None:
    catalogue = load_catalogue()
    wrong = [(case.id, name) for case in catalogue.case_studies.values() for name in case.affiliates if NOT_AFFILIATES.search(name)]
    assert not wrong, f"move these to other_participants with their role: {wrong}"
    roles = {p.name: p.role for case in catalogue.case_studies.values() for p in case.other_participants}
    assert roles.get("FDC") == "committee" and roles.get("Wiki Loves Africa") == "project" and roles.get("Catalan Salon") == "discussion"


def test_a_project_listed_as_an_affiliate_elsewhere_is_reported(content: Path) -> None:
    edit(content, CASE, "affiliates:\n  - Wikimedia México\n", "affiliates:\n  - Wikimedia México\n  - FDC\n")
    [problem] = problems_for(content)
    match = PROBLEM_LINE.match(problem)
    assert match and match["path"] == CASE and match["field"] == "affiliates[1]", problem
    assert "'FDC' is a committee, not an affiliate" in match["message"] and "other_participants" in match["message"]


def test_an_unknown_participant_role_is_reported(content: Path) -> None:
    edit(content, "data/case_studies/wmcon2018-peer-consultation-clinic.yml", "role: committee", "role: comittee")
    problem = problems_for(content)[0]  # the entry is then left out, so references to it are reported too
    assert "other_participants[2].role" in problem and "project, committee or discussion" in problem, problem


def test_every_schema_field_description_is_translated_and_none_is_unknown() -> None:
    from playbook_site.content.schema_docs import schema_description_translations, schema_fields
    from playbook_site.paths import DATA

    catalogue = load_catalogue()
    others = [locale for locale in catalogue.locales if locale != catalogue.default_locale]
    translations = schema_description_translations(DATA / "schema")
    assert set(translations) == {"case_study.schema.json", "pattern.schema.json"}
    for schema_name, fields in translations.items():
        names = [name for name, _description, _required in schema_fields(DATA / "schema", schema_name)]
        assert set(fields) <= set(names), (schema_name, set(fields) - set(names))
        missing = [(name, locale) for name in names for locale in others if not (fields.get(name) or {}).get(locale)]
        assert not missing, f"{schema_name}: translate the description of {missing} in data/schema/descriptions.yml"


def test_the_90_minute_workshop_plan_adds_up_in_every_language() -> None:
    catalogue = load_catalogue()
    playbook = REPO / "playbooks" / "running-a-partnerships-workshop.md"
    plans = {}
    for locale in catalogue.locales:
        path = playbook if locale == catalogue.default_locale else playbook.with_name(f"{playbook.stem}.{locale}.md")
        section = path.read_text(encoding="utf-8").split("{#ninety-minutes}", 1)[1].split("\n#", 1)[0]
        rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]
        minutes = [int(row[1]) for row in rows[2:]]  # after the header and the |---| line
        *blocks, total = minutes
        assert total == 90 and sum(blocks) == total, (locale, blocks, total)
        plans[locale] = blocks
    assert len({tuple(blocks) for blocks in plans.values()}) == 1, f"the same timings in every language: {plans}"


def test_a_timing_for_a_step_the_playbook_does_not_have_is_reported(content: Path) -> None:
    edit(content, "playbooks/running-a-partnerships-workshop.md", "step-7: 10}", "step-70: 10}")
    [problem] = problems_for(content)
    assert "step_minutes.step-70: there is no heading {#step-70} in this playbook" in problem and "step-7" in problem, problem


def test_a_key_that_is_a_control_character_is_reported_on_one_readable_line(content: Path) -> None:
    edit(content, CASE, "region: latin-america-caribbean\n", "region: latin-america-caribbean\n\"\\r\": x\n")
    [problem] = [p for p in problems_for(content) if p.startswith(CASE)]
    match = PROBLEM_LINE.match(problem)
    assert match and match["field"] == "\\r" and "unknown field '\\r'" in problem, repr(problem)


def test_a_case_study_cannot_take_the_id_of_the_list_of_all(content: Path) -> None:
    """/case-studies/all/ lists every case study, so `all` is not a free id."""
    source = (content / "data" / "case_studies" / "editatona.yml").read_text(encoding="utf-8")
    (content / "data" / "case_studies" / "all.yml").write_text(source.replace("id: editatona\n", "id: all\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
    assert any(problem.field == "id" and "every case study" in problem.message for problem in raised.value.problems)
