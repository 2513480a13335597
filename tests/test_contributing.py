"""Contributing without friction: `make new-case-study`, issue forms, endorsements, the pre-commit hook.

The commands run against a temporary copy of the content (data/, playbooks/,
docs/, mkdocs.yml), and every file they write is loaded with the build's own
loader. The issue forms are checked against the data, which is the one
source of truth for their choices.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from playbook_site.contribute import case_study_writer as writer
from playbook_site.contribute import issue_to_yaml
from playbook_site.contribute import new_case_study, yaml_edit
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.content.models import Localized, note_ids
from playbook_site.content.yaml_source import parse_yaml_text
from sites import REPO

BODIES = Path(__file__).parent / "fixtures" / "issue_bodies"
FORMS = REPO / ".github" / "ISSUE_TEMPLATE"
TEMPLATE = REPO / "data" / "templates" / "case_study.template.yml"
# YAML would allow this title unquoted; the writer quotes it anyway.
PAYLOAD_TITLE = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"




def catalogue_of(root: Path):
    return load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))


def case_study_files(root: Path) -> set[str]:
    return {path.name for path in (root / "data" / "case_studies").glob("*.yml")}


def template_comments() -> list[str]:
    """The `# ...` comments after values in the template, read independently of the writer."""
    comments = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*(?:-\s+)?[a-z_]+:.*?\S\s+(#\s.*)$", line)
        if match:
            comments.append(match[1])
    return comments


# -- new_case_study: scripted answers ----------------------------------------

# Answers in the order the questions come; comments say which question.
GOOD_ANSWERS = [
    "Yes: no #1 Wikimedia Example and the City Museum",  # title
    "",  # short name: accept the proposal
    "In 2019 Wikimedia Example shared the museum's photographs on Commons.",  # summary
    "Wikimedia Example", "",  # affiliates, then an empty line
    "",  # other movement participants: skipped
    "City Museum",  # partner name
    "1",  # partner kind: first in the menu
    "y",  # another partner
    "Radio Sur",
    "6",
    "n",
    "42",  # region: out of range, asked again
    "1",  # region
    "mx, ar",  # countries
    "",  # languages: skipped
    "2019 2020",  # years
    "2 5",  # themes
    "Starting small.", "- A curator who answered quickly.", "",  # what worked
    "",  # what was hard: empty, asked again
    "Agreeing on a licence took months.", "",
    "Ask about licences early.", "",  # lessons
    "",  # patterns: skipped
    "",  # playbooks: skipped
    "",  # first-hand account: skipped
    "",  # pages the facts come from: skipped
    "1 2",  # field notes
    "",  # links: skipped
]
GOOD_ID = "yes-no-1-wikimedia-example-and-the-city-museum"


def run_new(root: Path, answers: list[str] | io.StringIO, language: str = "1") -> tuple[int, str]:
    """Answer the questions: first the language to write in (1: English), then `answers`."""
    script = answers if isinstance(answers, io.StringIO) else io.StringIO("".join(line + "\n" for line in [language, *answers]))
    output = io.StringIO()
    code = new_case_study.main(["--root", str(root)], input=script, output=output)
    return code, output.getvalue()


def test_new_case_study_writes_a_valid_commented_file(content: Path) -> None:
    code, output = run_new(content, GOOD_ANSWERS)
    assert code == 0, output
    path = content / "data" / "case_studies" / f"{GOOD_ID}.yml"
    text = path.read_text(encoding="utf-8")

    case = catalogue_of(content).case_studies[GOOD_ID]
    assert case.title.values == {"en": GOOD_ANSWERS[0]}
    assert [(p.name.values["en"], p.type) for p in case.partners] == [("City Museum", "glam"), ("Radio Sur", "media")]
    assert case.region == "latin-america-caribbean"
    assert case.countries == ("MX", "AR") and case.languages == ()
    assert case.years == (2019, 2020)
    assert case.themes == ("cultural-heritage", "events")
    assert case.what_worked.values["en"] == ("Starting small.", "A curator who answered quickly.")
    assert case.what_did_not_work.values["en"] == ("Agreeing on a licence took months.",)
    assert note_ids(case.sources) == ("wmmx-needs-assessment-2021", "wmcon2018-session16")
    assert case.license == "CC-BY-SA-4.0" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", case.added)

    assert text.startswith("# yaml-language-server: $schema=../schema/case_study.schema.json\n")
    for comment in template_comments():
        assert comment in text, f"template comment missing: {comment}"
    assert "\n# languages: [es]" in text, "a skipped optional field is shown commented out"
    assert "  en: 'Yes: no #1 Wikimedia Example and the City Museum'\n" in text

    assert "Sorry: 42 is not a number from 1 to 9" in output
    assert "Sorry: this answer is required" in output
    assert f"Written: data/case_studies/{GOOD_ID}.yml" in output
    for step in ("make validate", "make serve", f"http://127.0.0.1:8000/case-studies/{GOOD_ID}/", "pull request"):
        assert step in output


def test_menus_come_from_the_data(content: Path) -> None:
    """A region added to the taxonomy is offered, and choosing it gives a valid file."""
    taxonomy = content / "data" / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    new_region = "  antarctica:\n    en: Antarctica\n    es: Antártida\n    fr: Antarctique\n    ar: القارة القطبية الجنوبية\n"
    taxonomy.write_text(text.replace("partner_types:\n", new_region + "partner_types:\n", 1), encoding="utf-8")
    region = GOOD_ANSWERS.index("42")
    answers = [*GOOD_ANSWERS[:region], "10", *GOOD_ANSWERS[region + 2 :]]  # the new, tenth region
    code, output = run_new(content, answers)
    assert code == 0, output
    assert "  10. Antarctica" in output
    assert catalogue_of(content).case_studies[GOOD_ID].region == "antarctica"


def test_refuses_an_id_that_exists_and_never_overwrites(content: Path) -> None:
    existing = content / "data" / "case_studies" / "editatona.yml"
    before = existing.read_bytes()
    code, output = run_new(content, ["Editatona", "editatona", "editatona-again", *GOOD_ANSWERS[2:]])
    assert code == 0, output
    assert "'editatona' is already used by data/case_studies/editatona.yml" in output
    assert "[editatona]" not in output, "an id that exists is never proposed"
    assert existing.read_bytes() == before
    assert "editatona-again.yml" in case_study_files(content)


class _InterruptAfter(io.StringIO):
    """Input that behaves like a person pressing Ctrl-C after some answers."""

    def __init__(self, lines: list[str]):
        super().__init__("".join(line + "\n" for line in lines))
        self.left = len(lines)

    def readline(self, *args: object) -> str:  # type: ignore[override]
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().readline()


@pytest.mark.parametrize("answered", [0, 5, len(GOOD_ANSWERS) - 1])
def test_ctrl_c_stops_cleanly_with_nothing_written(content: Path, answered: int) -> None:
    before = case_study_files(content)
    code, output = run_new(content, _InterruptAfter(GOOD_ANSWERS[:answered]))
    assert code == 130
    assert output.rstrip().endswith("Stopped. Nothing was written.")
    assert case_study_files(content) == before


@pytest.mark.parametrize("answered", [0, 7, len(GOOD_ANSWERS) - 1])
def test_end_of_input_stops_cleanly_with_nothing_written(content: Path, answered: int) -> None:
    before = case_study_files(content)
    code, output = run_new(content, GOOD_ANSWERS[:answered])
    assert code == 1
    assert "Nothing was written." in output
    assert case_study_files(content) == before


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_the_command_line_shows_no_traceback_on_eof_or_ctrl_c(content: Path) -> None:
    command = [sys.executable, "-m", "playbook_site", "new-case-study", "--root", str(content)]
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    closed = subprocess.run(command, check=False, input="", capture_output=True, text=True, env=env, timeout=120)
    assert closed.returncode == 1 and "Nothing was written" in closed.stdout
    assert "Traceback" not in closed.stderr + closed.stdout

    # As from a terminal: Ctrl-C is not ignored or blocked in the command, whatever the test process inherited.
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, preexec_fn=_ctrl_c_as_in_a_terminal)
    assert process.stdout is not None
    seen = b""
    while b"> " not in seen:  # wait for the first question, then press Ctrl-C
        chunk = os.read(process.stdout.fileno(), 4096)
        assert chunk, seen
        seen += chunk
    process.send_signal(signal.SIGINT)
    # Wait with stdin still open: closing it (as communicate() does) would end the input, which stops the
    # command too (exit 1), and could reach it before the signal on a busy machine.
    try:
        assert process.wait(timeout=60) == 130
    finally:
        process.kill()  # a command still waiting for an answer fails the test instead of hanging it
        rest, errors = process.communicate()
    assert b"Stopped. Nothing was written." in seen + rest
    assert b"Traceback" not in errors
    assert case_study_files(content) == case_study_files(REPO)


# -- the writer: any text stays text -----------------------------------------

HOSTILE_TEXTS = ["Yes: no", "#1", "{{ 7*7 }}", "NO", "2019", "null", "~", "- a dash", "'quoted'", 'say "hi"', "a: b # c", PAYLOAD_TITLE, "[x]", "*star", "&anchor", "!tag", "%percent", "@at", "`code`", "back\\slash", "ñandú العربية 中文", "x" * 300]


def answers_with(title: str, case_id: str) -> dict:
    return {
        "id": case_id, "title": title, "summary": title, "affiliates": [title], "partners": [{"name": title, "type": "glam"}],
        "region": "global", "years": [2019], "themes": ["events"], "what_worked": [title], "what_did_not_work": [title],
        "lessons": [title], "sources": ["wmcon2018-session16"], "further_reading": [{"title": title, "url": "https://example.org/a?b=c#d"}],
    }


def test_hostile_texts_are_written_as_strings_that_validate(content: Path) -> None:
    for number, title in enumerate(HOSTILE_TEXTS):
        text = writer.render_case_study(answers_with(title, f"hostile-{number}"), content)
        (content / "data" / "case_studies" / f"hostile-{number}.yml").write_text(text, encoding="utf-8")
    catalogue = catalogue_of(content)
    for number, title in enumerate(HOSTILE_TEXTS):
        case = catalogue.case_studies[f"hostile-{number}"]
        assert case.title == Localized({"en": title}, "en")
        assert case.what_worked.values["en"] == (title,)
        assert case.further_reading[0].title == title


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=200))
def test_any_answer_reads_back_exactly(title: str) -> None:
    try:
        clean = writer.one_line(title)
    except writer.AnswerError:
        assume(False)
    text = writer.render_case_study(answers_with(clean, "any-text"), REPO)  # raises if it would not read back
    document, problems = parse_yaml_text(text, Path("any-text.yml"))
    assert document is not None, problems
    assert document.data["title"] == {"en": clean} and document.data["lessons"] == {"en": [clean]}


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Editatona: ¡Wikimedia México! 2018", "editatona-wikimedia-mexico-2018"), ("تجربة", ""), ("a" * 70, "a" * 64), ("word " * 20, "-".join(["word"] * 12))],
)
def test_slugify(title: str, expected: str) -> None:
    assert writer.slugify(title) == expected
    if expected:
        assert 3 <= len(expected) <= 64 and writer.ID_PATTERN.fullmatch(expected)


# -- issue_to_yaml on every fixture body -------------------------------------

CASE_BODIES = {
    "case-good.md": None,
    "case-hand-edited.md": None,
    "case-payload.md": None,
    "case-unknown-region.md": ["Region: 'Europa' is not one of: Latin America and the Caribbean, North America, Western Europe"],
    "case-missing-required.md": ["Summary: this answer is required", "Licence: the box 'I agree that this text is published under"],
    "case-bad-year.md": ["Years: 'twenty' is not a year"],
    "case-unknown-source.md": ["Field notes: 'My own notes (my-notes)' is not one of: Content Partnerships Hub"],
    "case-empty-hard.md": ["What was hard or did not work: this answer is required"],
    "case-unknown-language.md": ["Languages: 'xq' is not a language name or code that we know"],
}
ENDORSEMENT_BODIES = {
    "endorse-good.md": None,
    "endorse-bad.md": [
        "Learning pattern: 'Start with a pilott' is not one of the 20 choices (did you mean 'Start with a pilot'?)",
        "Endorsed by: this answer is required",
        "Date: '4 May 2026' is not a date written as YYYY-MM-DD",
        "Agreement: the box 'I or my affiliate have used this pattern, or seen it work.' is not ticked",
    ],
}


def test_every_fixture_body_has_an_expectation() -> None:
    assert {path.name for path in BODIES.glob("*.md")} == set(CASE_BODIES) | set(ENDORSEMENT_BODIES)


def run_issue(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    import datetime

    code = issue_to_yaml.main(list(args), today=datetime.date(2026, 11, 21))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", sorted(CASE_BODIES))
def test_case_study_bodies(name: str, content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_issue(capsys, str(BODIES / name), "--root", str(content))
    assert "Traceback" not in out + err
    expected = CASE_BODIES[name]
    if expected is None:
        assert code == 0, err
        document, problems = parse_yaml_text(out, Path("out.yml"))
        assert document is not None, problems
        case_id = document.data["id"]
        (content / "data" / "case_studies" / f"{case_id}.yml").write_text(out, encoding="utf-8")
        case = catalogue_of(content).case_studies[case_id]
        assert case.what_did_not_work.values["en"]
        for comment in template_comments():
            assert comment in out
    else:
        assert code == 1 and out == ""
        lines = err.splitlines()
        assert lines[0] == "The issue cannot be turned into a case study yet:"
        for start in expected:
            assert any(line.startswith(start) for line in lines), (start, err)
        assert len(lines) == len(expected) + 2, err
        assert case_study_files(content) == case_study_files(REPO)


def test_the_loader_has_the_last_word_and_its_problems_name_the_question(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule only the build knows (here, a stricter schema) still stops the command, named by the question."""
    schema = content / "data" / "schema" / "case_study.schema.json"
    rules = json.loads(schema.read_text(encoding="utf-8"))
    rules["properties"]["languages"]["items"]["not"] = {"const": "gn"}
    schema.write_text(json.dumps(rules), encoding="utf-8")
    body = content / "guarani.md"
    body.write_text((BODIES / "case-good.md").read_text(encoding="utf-8").replace("### Languages\n\nes\n", "### Languages\n\nes gn\n"), encoding="utf-8")
    code, out, err = run_issue(capsys, str(body), "--root", str(content), "--write")
    assert code == 1 and out == ""
    assert re.search(r"^Languages: .*\S", err, re.MULTILINE), err
    assert case_study_files(content) == case_study_files(REPO)


def test_good_body_gives_the_answers_given(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_issue(capsys, str(BODIES / "case-good.md"), "--root", str(content), "--write")
    assert code == 0, err
    case = catalogue_of(content).case_studies["wikimedia-example-and-the-city-museum"]
    assert case.summary.values["en"] == "In 2019 Wikimedia Example worked with the City Museum to share photographs of its collection on Wikimedia Commons."
    assert [(p.name.values["en"], p.type) for p in case.partners] == [("City Museum", "glam"), ("Friends of the City Museum", "glam")]
    assert (case.region, case.countries, case.languages, case.years) == ("latin-america-caribbean", ("MX",), ("es",), (2019, 2020))
    assert case.themes == ("cultural-heritage", "events") and case.patterns == ("start-with-a-pilot",)
    assert case.playbooks == ("onboarding-a-glam-partner",) and note_ids(case.sources) == ("wmmx-needs-assessment-2021", "wmcon2018-session16")
    assert case.what_worked.values["en"] == ("Starting with a small pilot of fifty photographs.", "A curator who answered questions quickly.")
    assert [(link.title, link.url) for link in case.further_reading] == [("Project page", "https://meta.wikimedia.org/wiki/Example")]

    path = content / "data" / "case_studies" / "wikimedia-example-and-the-city-museum.yml"
    before = path.read_bytes()
    code, _out, err = run_issue(capsys, str(BODIES / "case-good.md"), "--root", str(content), "--write")
    assert code == 1 and "Short name: 'wikimedia-example-and-the-city-museum', made from the title, is already used" in err
    assert path.read_bytes() == before


def test_payload_title_comes_out_quoted_and_inert(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_issue(capsys, str(BODIES / "case-payload.md"), "--root", str(content), "--write")
    assert code == 0, err
    [path] = [content / "data" / "case_studies" / name for name in case_study_files(content) - case_study_files(REPO)]
    text = path.read_text(encoding="utf-8")
    assert f"  en: '{PAYLOAD_TITLE}'\n" in text
    assert catalogue_of(content).case_studies[path.stem].title.values["en"] == PAYLOAD_TITLE


def test_the_command_line_reports_without_traceback(content: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    for body in ("case-unknown-region.md", "does-not-exist.md"):
        result = subprocess.run(
            [sys.executable, "-m", "playbook_site", "case-study-from-issue", str(BODIES / body), "--root", str(content)],
            check=False, capture_output=True, text=True, env=env, timeout=120,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and result.stderr.strip()


# -- endorsements --------------------------------------------------------------


def test_endorsement_is_added_as_text_keeping_the_file(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = content / "data" / "patterns" / "start-with-a-pilot.yml"
    original = path.read_text(encoding="utf-8").replace("see_also:\n", "# a comment that must stay\nsee_also:\n", 1)
    path.write_text(original, encoding="utf-8")
    assert "\nendorsements: []\n" in original

    code, printed, err = run_issue(capsys, "--endorsement", str(BODIES / "endorse-good.md"), "--root", str(content))
    assert code == 0, err
    assert printed.startswith("  - by: Wikimedia Example\n    date: 2026-05-04\n")
    assert path.read_text(encoding="utf-8") == original, "without --write nothing changes"

    code, _out, err = run_issue(capsys, "--endorsement", str(BODIES / "endorse-good.md"), "--root", str(content), "--write")
    assert code == 0, err
    first = path.read_text(encoding="utf-8")
    assert first == original.replace("\nendorsements: []\n", "\nendorsements:\n" + printed, 1)

    good = (BODIES / "endorse-good.md").read_text(encoding="utf-8")
    second_body = good.replace("Wikimedia Example", "User:Somebody").replace("A pilot of fifty photographs won the museum's trust: \"it worked\".", "_No response_")
    (content / "second.md").write_text(second_body, encoding="utf-8")
    code, _out, err = run_issue(capsys, "--endorsement", str(content / "second.md"), "--root", str(content), "--write")
    assert code == 0, err
    second = path.read_text(encoding="utf-8")
    assert second == first.replace(printed, printed + "  - by: User:Somebody\n    date: 2026-05-04\n", 1)
    assert "# a comment that must stay\nsee_also:" in second

    endorsements = catalogue_of(content).patterns["start-with-a-pilot"].endorsements
    assert [(e.by, e.date) for e in endorsements] == [("Wikimedia Example", "2026-05-04"), ("User:Somebody", "2026-05-04")]
    assert endorsements[0].comment.values["en"] == "A pilot of fifty photographs won the museum's trust: \"it worked\"."
    assert endorsements[1].comment is None

    code, _out, err = run_issue(capsys, "--endorsement", str(content / "second.md"), "--root", str(content), "--write")
    assert code == 1 and "Endorsed by: 'User:Somebody' has already endorsed 'Start with a pilot'" in err
    assert path.read_text(encoding="utf-8") == second


def test_endorsement_without_the_key_is_appended_at_the_end(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = content / "data" / "patterns" / "start-with-a-pilot.yml"
    original = path.read_text(encoding="utf-8").replace("endorsements: []\n", "", 1).rstrip("\n")  # and no final newline
    path.write_text(original, encoding="utf-8")
    code, _printed, err = run_issue(capsys, "--endorsement", str(BODIES / "endorse-good.md"), "--root", str(content), "--write")
    assert code == 0, err
    assert path.read_text(encoding="utf-8").startswith(original + "\nendorsements:\n  - by: Wikimedia Example\n")
    assert catalogue_of(content).patterns["start-with-a-pilot"].endorsements[0].by == "Wikimedia Example"


NEW = {"by": "New", "date": "2026-05-04", "comment": {"en": "it: worked"}}
NEW_LINES = "  - by: New\n    date: 2026-05-04\n    comment:\n      en: 'it: worked'\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # a comment after the list stays after it, below the new item
        ("endorsements:\n  - by: A\n    comment:\n      en: hi   # end of line\n  # after the list\n\n# before b\nb: 1\n",
         "endorsements:\n  - by: A\n    comment:\n      en: hi   # end of line\n" + NEW_LINES + "  # after the list\n\n# before b\nb: 1\n"),
        ("endorsements:\n  - by: A\n    list: [x, y]\n# before b\nb: 1\n", "endorsements:\n  - by: A\n    list: [x, y]\n" + NEW_LINES + "# before b\nb: 1\n"),
        # a one-line list is unfolded; the comment on its line stays there
        ("a: 1\nendorsements: []   # keep\n# before b\nb: 2\n", "a: 1\nendorsements:      # keep\n" + NEW_LINES + "# before b\nb: 2\n"),
        ("endorsements: [{by: A, date: 2026-01-01}]\nb: 1\n", "endorsements:\n  - {by: A, date: 2026-01-01}\n" + NEW_LINES + "b: 1\n"),
        # no list yet: it is added at the end
        ("a: 'x'  # why\nb: \"y\"", "a: 'x'  # why\nb: \"y\"\nendorsements:\n" + NEW_LINES),
    ],
)
def test_an_item_is_added_keeping_comments_and_layout(before: str, after: str) -> None:
    assert yaml_edit.append_to_list(before, "endorsements", NEW) == after
    assert yaml.safe_load(after)["endorsements"][-1] == {**NEW, "date": yaml.safe_load("2026-05-04")}


@pytest.mark.parametrize("text", ["yes", "No", "on", "12:30", "1:20:30", "0x10", "null", "~", "1.5", "True", "Yes: no", "#1", "{{ 7*7 }}"])
def test_text_that_yaml_1_1_reads_otherwise_is_quoted(text: str) -> None:
    """ruamel.yaml writes YAML 1.2, where `yes` and `12:30` are text; PyYAML, the loader and most editors read YAML 1.1."""
    written = yaml_edit.dump(yaml_edit.new_node({"title": {"en": text}}))
    assert written.startswith("title:\n  en: '")
    assert yaml.safe_load(written)["title"]["en"] == text
    document, _problems = parse_yaml_text(written, Path("x.yml"))
    assert document is not None and document.data["title"]["en"] == text


def test_every_data_file_reads_and_writes_back_unchanged() -> None:
    """yaml_edit writes the data files in their own layout, so an edit changes nothing but what it adds."""
    files = sorted((REPO / "data").rglob("*.yml"))
    assert len(files) > 30
    changed = [path.name for path in files if yaml_edit.dump(yaml_edit.load(text := path.read_text(encoding="utf-8"))) != text]
    assert not changed, changed


@pytest.mark.parametrize("name", sorted(ENDORSEMENT_BODIES))
def test_endorsement_bodies(name: str, content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_issue(capsys, "--endorsement", str(BODIES / name), "--root", str(content))
    expected = ENDORSEMENT_BODIES[name]
    if expected is None:
        assert code == 0 and "Checked: an endorsement" in err
        entry = yaml.safe_load(out)
        assert entry[0]["by"] == "Wikimedia Example"
    else:
        assert code == 1 and out == ""
        lines = err.splitlines()
        for start in expected:
            assert any(line.startswith(start) for line in lines), (start, err)
        assert len(lines) == len(expected) + 2, err


# -- the issue forms stay in step with the data --------------------------------

CASE_FORM_CHOICES = {"partner_type": "partner_types", "region": "regions", "themes": "themes", "patterns": "patterns", "playbooks": "playbooks", "sources": "sources"}
ENDORSEMENT_FORM_CHOICES = {"pattern": "patterns"}


def form_mismatches(form: Path, choices: writer.Choices, dropdowns: dict[str, str]) -> list[str]:
    """Dropdowns whose options differ from the data, with the options to paste into the form."""
    problems = []
    fields = {field.id: field for field in issue_to_yaml.read_form(form)}
    for field_id, vocabulary in dropdowns.items():
        expected = [writer.option_text(key, label) for key, label in getattr(choices, vocabulary).items()]
        if list(fields[field_id].options) != expected:
            paste = "\n".join(f'        - "{option}"' for option in expected)
            problems.append(f"{form.name}: the options of '{field_id}' differ from the data ({vocabulary}); paste these:\n{paste}")
    return problems


def test_issue_forms_offer_exactly_the_data() -> None:
    choices = writer.load_choices(REPO)
    problems = form_mismatches(FORMS / "case-study.yml", choices, CASE_FORM_CHOICES)
    problems += form_mismatches(FORMS / "endorse-pattern.yml", choices, ENDORSEMENT_FORM_CHOICES)
    assert not problems, "\n\n".join(problems)


def test_a_form_out_of_step_with_the_data_is_caught(content: Path) -> None:
    taxonomy = content / "data" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("en: Gender gap", "en: Gender gaps"), encoding="utf-8")
    problems = form_mismatches(FORMS / "case-study.yml", writer.load_choices(content), CASE_FORM_CHOICES)
    assert len(problems) == 1 and "'themes'" in problems[0] and '- "Gender gaps (gender-gap)"' in problems[0]


def test_case_study_form_asks_what_the_data_needs() -> None:
    fields = issue_to_yaml.read_form(FORMS / "case-study.yml")
    answered = {"title", "id", "summary", "affiliates", "other_participants", "partners", "partner_type", "region", "countries", "languages", "years", "themes", "what_worked", "what_did_not_work", "lessons", "patterns", "playbooks", "reported_by", "source_links", "sources", "further_reading", "consent"}
    assert {field.id for field in fields} == answered
    for field in fields:
        if field.kind != "checkboxes":
            assert field.required == (field.id in issue_to_yaml.CASE_STUDY_REQUIRED), field.id
    schema = yaml.safe_load((REPO / "data" / "schema" / "case_study.schema.json").read_text(encoding="utf-8"))
    assert set(schema["required"]) - {"id", "license", "added", "sources"} <= set(writer.REQUIRED)
    assert set(writer.SOURCE_ANSWERS) <= {field.id for field in fields}, "every kind of source can be given"
    assert {field.id for field in issue_to_yaml.read_form(FORMS / "endorse-pattern.yml")} == {"pattern", "by", "date", "comment", "consent"}


def test_issue_forms_are_written_from_the_data() -> None:
    """Every form in every language is what data/forms.yml and data/ give (`python -m playbook_site issue-forms --write`)."""
    from playbook_site.contribute import issue_forms

    forms = issue_forms.all_forms(REPO)
    assert {path.name for path in forms} == {f"{stem}{suffix}.yml" for stem in ("case-study", "endorse-pattern") for suffix in ("", "-es", "-fr", "-ar")}
    stale = [path.name for path, text in forms.items() if path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `make issue-forms`: {stale}"


@pytest.mark.parametrize("form", sorted(path.name for path in FORMS.glob("*.yml") if path.name != "config.yml"))
def test_issue_forms_follow_githubs_rules(form: str) -> None:
    data = yaml.safe_load((FORMS / form).read_text(encoding="utf-8"))
    assert data["name"] and data["description"] and data["body"]
    fields = [element for element in data["body"] if element["type"] != "markdown"]
    ids = [element["id"] for element in fields]
    labels = [element["attributes"]["label"] for element in fields]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    assert len(set(labels)) == len(labels) and all(label.strip() for label in labels)
    for element in fields:
        assert element["type"] in ("input", "textarea", "dropdown", "checkboxes")
        options = element["attributes"].get("options", [])
        if element["type"] == "dropdown":
            assert options and len(set(options)) == len(options) and "None" not in options
    config = yaml.safe_load((FORMS / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)
    assert all(link["url"].startswith("https://") for link in config["contact_links"])


# -- the pre-commit hook runs the same validation ---------------------------


def test_pre_commit_hook_runs_the_validation(tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("data/case_studies/editatona.yml") and files.search("playbooks/running-an-editatona.fr.md")
    assert not files.search("scripts/playbook_site/cli.py") and not files.search("docs/about.md")

    # A checkout of its own: the code is copied, since it finds content beside itself.
    for name in ("data", "playbooks", "docs", "scripts"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    command = shlex.split(hook["entry"])
    passed = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith("Data is valid")

    case = tmp_path / "data" / "case_studies" / "editatona.yml"
    case.write_text(case.read_text(encoding="utf-8").replace("region: latin-america-caribbean", "region: latam"), encoding="utf-8")
    failed = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert re.search(r"^data/case_studies/editatona\.yml:\d+:\d+: region: unknown region 'latam'", failed.stderr, re.MULTILINE), failed.stderr


# -- the guides ----------------------------------------------------------------

UCOC = "https://meta.wikimedia.org/wiki/Universal_Code_of_Conduct"


def test_contributor_pages_agree_across_languages() -> None:
    pages = {locale: REPO / "docs" / f"contributing{suffix}.md" for locale, suffix in (("en", ""), ("es", ".es"), ("fr", ".fr"), ("ar", ".ar"))}
    heading_ids = {}
    for locale, page in pages.items():
        text = page.read_text(encoding="utf-8")
        assert text.startswith("# "), page
        assert "{{" not in text and "{%" not in text, "pages go through the macros plugin"
        assert UCOC in text
        heading_ids[locale] = re.findall(r"^##+ .*\{#([a-z0-9-]+)\}\s*$", text, re.MULTILINE)
        for target in re.findall(r"\]\(([^)#]+\.md)", text):
            assert (REPO / "docs" / target).is_file(), (page.name, target)
    assert all(ids == heading_ids["en"] for ids in heading_ids.values()), heading_ids
    assert len(pages["en"].read_text(encoding="utf-8")) < len((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def test_contributing_guide_points_to_every_path() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in (UCOC, "pip install pre-commit && pre-commit install", "make new-case-study", "make case-study-from-issue", "make validate", "make endorsement-from-issue"):
        assert needle in text, needle
    assert text.index("without git") < text.index("make new-case-study") < text.index("translations")


def test_every_form_text_and_message_is_in_every_language() -> None:
    """data/forms.yml: each text has every site language, with the same {placeholders} as the English."""
    from playbook_site.contribute import issue_forms
    from playbook_site import languages

    locales = set(languages.locales(REPO / "mkdocs.yml"))
    missing = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict) and "en" in value and all(isinstance(text, str) for text in value.values()):
            if set(value) != locales:
                missing.append(f"{path}: {sorted(locales - set(value))} missing")
            wanted = sorted(re.findall(r"\{\w+\}", value["en"]))
            missing.extend(f"{path}.{locale}: placeholders differ" for locale, text in value.items() if sorted(re.findall(r"\{\w+\}", text)) != wanted)
        elif isinstance(value, dict):
            for key, child in value.items():
                walk(child, f"{path}.{key}")
        elif isinstance(value, list):
            for number, child in enumerate(value):
                walk(child, f"{path}[{number}]")

    data = issue_forms.forms_data(REPO)
    walk(data, "forms")
    assert len(data["messages"]) > 20
    assert not missing, missing
