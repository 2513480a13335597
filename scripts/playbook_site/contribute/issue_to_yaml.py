"""Turn the body of a GitHub issue form into a case study, or into an endorsement.

    python -m playbook_site case-study-from-issue BODY_FILE [--root CHECKOUT] [--write]
    python -m playbook_site endorsement-from-issue BODY_FILE [--root CHECKOUT] [--write]

BODY_FILE holds the issue's text as GitHub writes it from the forms in
.github/ISSUE_TEMPLATE/ (`-` reads it from standard input): one `### Label`
section per question, `_No response_` for an empty one, and `- [X] ...` for a
ticked box. The forms are read to know which label is which question, so a
label is only ever written in the form. Each form exists in every language of
the site; the body's labels tell which one was used, and that language is the
language the texts are written in (`original_language`) and the language of
the problems reported.

A case study is printed as the YAML file (or, with --write, written to
data/case_studies/<id>.yml, never over an existing file). An endorsement is
printed as the lines to add under the pattern's `endorsements:` (or, with
--write, added to data/patterns/<id>.yml, keeping the file's comments and
layout: yaml_edit.py). Either way the result is first checked with the build's loader.
When the answers cannot be used, every problem is listed, each starting with
the question's label, and the command exits with 1.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from . import case_study_writer as writer
from . import yaml_edit
from .. import cli, languages
from .issue_forms import Message, form_file
from ..paths import ROOT
from ..problems import DataError, Problem
from ..content.yaml_source import parse_yaml_text

PATTERNS = Path("data") / "patterns"
MAX_BODY_CHARACTERS = 100_000  # GitHub caps an issue body at 65,536
EMPTY_ANSWERS = ("_No response_", "None")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Form questions a case study cannot do without (the data's own, plus the partners' kind).
CASE_STUDY_REQUIRED = (*writer.REQUIRED, "partner_type")
ENDORSEMENT_REQUIRED = ("pattern", "by")
REQUIRED_MESSAGES = {"what_did_not_work": "required_hard_part"}


class IssueError(Exception):
    """The issue's answers cannot be used; `problems` are lines like `Region: ...`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class FormError(Exception):
    """An issue form in .github/ISSUE_TEMPLATE/ cannot be read."""


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: str  # input, textarea, dropdown or checkboxes
    required: bool
    multiple: bool
    options: tuple[str, ...]  # dropdown options, or the labels of the boxes
    required_boxes: tuple[str, ...] = ()  # boxes that must be ticked


def read_form(path: Path) -> list[FormField]:
    """The questions of an issue form, in order (markdown blocks left out)."""
    try:
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields = []
        for element in form["body"]:
            if element["type"] == "markdown":
                continue
            attributes = element["attributes"]
            raw_options = attributes.get("options", ())
            options = tuple(option["label"] if isinstance(option, dict) else str(option) for option in raw_options)
            boxes = tuple(option["label"] for option in raw_options if isinstance(option, dict) and option.get("required"))
            required = bool((element.get("validations") or {}).get("required"))
            fields.append(FormField(element["id"], attributes["label"], element["type"], required, bool(attributes.get("multiple")), options, boxes))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise FormError(f"{path}: {error}") from None
    return fields


def form_path(root: Path, kind: str, locale: str | None = None) -> Path:
    """The form of `kind` in `locale` (default: the site's default language) in the checkout at `root`."""
    default = languages.default_locale(root / "mkdocs.yml")
    return form_file(kind, locale or default, default, root)


def forms_by_language(root: Path, kind: str) -> dict[str, list[FormField]]:
    """The questions of the form of `kind` in each language it exists in."""
    found = {}
    for locale in languages.locales(root / "mkdocs.yml"):
        path = form_path(root, kind, locale)
        path = path if path.is_file() else form_path(ROOT, kind, locale)  # a checkout without forms: this one's
        if path.is_file():
            found[locale] = read_form(path)
    if not found:
        raise FormError(f"{form_path(root, kind)}: no such form")
    return found


def form_language(body: str, forms: dict[str, list[FormField]]) -> str:
    """The language of the form a body was written from: the one whose labels it uses most."""
    headings = {match[1].strip() for match in re.finditer(r"^###\s+(.+?)\s*$", body, re.MULTILINE)}
    return max(forms, key=lambda locale: sum(field.label.strip() in headings for field in forms[locale]))


def sections(body: str, fields: list[FormField]) -> dict[str, str | None]:
    """Each field's answer text by field id: None when missing or `_No response_`.

    Only a `### ` line that is exactly one of the form's labels starts a new
    answer, so an answer may itself contain Markdown headings.
    """
    by_label = {field.label.strip(): field.id for field in fields}
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = re.fullmatch(r"###\s+(.+?)\s*", line)
        if heading and heading[1] in by_label and by_label[heading[1]] not in answers:
            current = answers[by_label[heading[1]]] = []
        elif current is not None:
            current.append(line)
    result: dict[str, str | None] = {}
    for field in fields:
        text = "\n".join(answers.get(field.id, [])).strip()
        result[field.id] = None if not text or text in EMPTY_ANSWERS else text
    return result


def unticked(field: FormField, answer: str | None) -> list[str]:
    """The required boxes of a checkboxes field that are not ticked (`- [X] label`)."""
    ticked = {match[2].strip() for match in re.finditer(r"^\s*[-*]\s*\[([xX])\]\s*(.+)$", answer or "", re.MULTILINE)}
    return [label for label in field.required_boxes if label.strip() not in ticked]


class _Answers:
    """Reads each question's answer once, collecting every problem under its label, in the form's language."""

    def __init__(self, body: str, fields: list[FormField], required: tuple[str, ...], locale: str):
        self.fields = {field.id: field for field in fields}
        self.raw = sections(body, fields)
        self.required = required
        self.locale = locale
        self.problems: list[str] = []

    def label(self, field_id: str) -> str:
        return self.fields[field_id].label if field_id in self.fields else field_id

    def problem(self, field_id: str, message: Message) -> None:
        self.problems.append(f"{self.label(field_id)}: {message.text(self.locale)}")

    def take(self, field_id: str, read: Callable[[str], Any], empty: Any = None) -> Any:
        value = self.raw.get(field_id)
        if value is None:
            if field_id in self.required:
                self.problem(field_id, Message(REQUIRED_MESSAGES.get(field_id, "required_fill_in")))
            return empty
        try:
            return read(value)
        except writer.AnswerError as error:
            self.problem(field_id, error.message)
            return empty

    def check_boxes(self) -> None:
        for field in self.fields.values():
            if field.kind == "checkboxes":
                for label in unticked(field, self.raw.get(field.id)):
                    self.problem(field.id, Message("box_not_ticked", box=label))


def case_study_answers(body: str, fields: list[FormField], choices: writer.Choices) -> dict[str, Any]:
    """The answers dict for case_study_writer, or IssueError listing every problem."""
    a = _Answers(body, fields, CASE_STUDY_REQUIRED, choices.locale)
    answers: dict[str, Any] = {
        "language": choices.locale,
        "title": a.take("title", writer.one_line),
        "summary": a.take("summary", writer.one_line),
        "affiliates": a.take("affiliates", lambda text: writer.items(text, unique=True)),
        "other_participants": a.take("other_participants", lambda text: writer.participants(text, choices), []),
        "region": a.take("region", lambda text: writer.pick_one(text, choices.regions)),
        "countries": a.take("countries", lambda text: writer.countries(text, choices), []),
        "languages": a.take("languages", lambda text: writer.languages(text, choices), []),
        "years": a.take("years", lambda text: writer.years(text, choices)),
        "themes": a.take("themes", lambda text: writer.pick_many(text, choices.themes)),
        "what_worked": a.take("what_worked", writer.items),
        "what_did_not_work": a.take("what_did_not_work", writer.items),
        "lessons": a.take("lessons", writer.items),
        "patterns": a.take("patterns", lambda text: writer.pick_many(text, choices.patterns), []),
        "playbooks": a.take("playbooks", lambda text: writer.pick_many(text, choices.playbooks), []),
        "reported_by": a.take("reported_by", writer.one_line),
        "source_links": a.take("source_links", writer.links, []),
        "sources": a.take("sources", lambda text: writer.pick_many(text, choices.sources), []),
        "further_reading": a.take("further_reading", writer.links, []),
    }
    if not any(a.raw.get(key) for key in writer.SOURCE_ANSWERS):
        a.problem("sources", Message("need_a_source"))
    names = a.take("partners", lambda text: writer.items(text, unique=True))
    kind = a.take("partner_type", lambda text: writer.pick_one(text, choices.partner_types))
    answers["partners"] = [{"name": name, "type": kind} for name in names or []]
    if a.raw.get("id") is not None:
        answers["id"] = a.take("id", lambda text: writer.new_id(text, choices))
    elif answers["title"]:
        proposal = writer.slugify(answers["title"])
        if not proposal and answers["region"] and answers["years"]:
            # A title in Arabic script (or too short) gives no name in Latin letters: use the region and year.
            proposal = writer.free_id(f"{answers['region']}-{answers['years'][0]}", choices)
        try:
            answers["id"] = writer.new_id(proposal, choices)
        except writer.AnswerError:
            a.problem("id", Message("short_name_from_title_used", proposal=proposal) if proposal else Message("short_name_from_title_none"))
    a.check_boxes()
    if a.problems:
        raise IssueError(a.problems)
    return answers


def endorsement_answers(body: str, fields: list[FormField], choices: writer.Choices, today: datetime.date) -> tuple[str, dict[str, Any]]:
    """The pattern's id and the endorsement entry, or IssueError listing every problem."""
    a = _Answers(body, fields, ENDORSEMENT_REQUIRED, choices.locale)
    pattern = a.take("pattern", lambda text: writer.pick_one(text, choices.patterns))
    entry: dict[str, Any] = {"by": a.take("by", writer.one_line)}
    entry["date"] = a.take("date", _date, today.isoformat())
    comment = a.take("comment", writer.one_line)
    if comment:
        entry["comment"] = {choices.locale: comment}
    a.check_boxes()
    if a.problems:
        raise IssueError(a.problems)
    return pattern, entry


def _date(text: str) -> str:
    value = text.strip()
    try:
        if not DATE.fullmatch(value):
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise writer.AnswerError("not_a_date", value=value) from None
    return value


# -- endorsements: added to the pattern file, keeping everything else ---------


def endorsement_lines(entry: Mapping[str, Any]) -> str:
    """The YAML lines of one endorsement, as an item of the `endorsements:` list."""
    return yaml_edit.dump([yaml_edit.new_node(dict(entry))])


def add_endorsement(text: str, entry: Mapping[str, Any]) -> str:
    """`text` of a pattern file with `entry` added at the end of its endorsements; comments and layout stay."""
    return yaml_edit.append_to_list(text, "endorsements", entry)


# -- commands ----------------------------------------------------------------


def _label_problems(problems: list[Problem], relative: str, text: str, labels: Mapping[str, str], fallback: str) -> list[str]:
    """Loader problems in the new text, named by the question they came from."""
    found = []
    for key, problem in writer.problem_fields([p for p in problems if p.path == relative], text):
        field = "partner_type" if key == "partners" and problem.field.endswith(".type") else key
        hint = f" ({problem.hint})" if problem.hint else ""
        found.append(f"{labels.get(field or '', fallback)}: {problem.message}{hint}")
    return found


def case_study(body: str, root: Path, write: bool) -> tuple[str, str]:
    """The case study's file (relative to `root`) and YAML, written there with `write`; IssueError on bad answers."""
    forms = forms_by_language(root, "case_study")
    locale = form_language(body, forms)
    fields = forms[locale]
    answers = case_study_answers(body, fields, writer.load_choices(root, locale))
    text = writer.render_case_study(answers, root)
    relative = (writer.CASE_STUDIES / f"{answers['id']}.yml").as_posix()
    labels = {field.id: field.label for field in fields}
    problems = _label_problems(writer.check_in_copy(root, {relative: text}), relative, text, labels, "Case study")
    if problems:
        raise IssueError(problems)
    if write:
        try:
            with (root / relative).open("x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            raise IssueError([f"{labels['id']}: {Message('file_exists', path=relative).text(locale)}"]) from None
    return relative, text


def endorsement(body: str, root: Path, write: bool, today: datetime.date) -> tuple[str, str]:
    """The pattern's file and the lines to add under its `endorsements:` (added with `write`); IssueError on bad answers."""
    forms = forms_by_language(root, "endorsement")
    locale = form_language(body, forms)
    fields = forms[locale]
    labels = {field.id: field.label for field in fields}
    choices = writer.load_choices(root, locale)
    pattern, entry = endorsement_answers(body, fields, choices, today)
    relative = (PATTERNS / f"{pattern}.yml").as_posix()
    path = root / relative
    old_text = path.read_text(encoding="utf-8")
    old, _problems = parse_yaml_text(old_text, path)
    if old is None or not isinstance(old.data, dict):
        raise IssueError([f"{labels['pattern']}: {relative} cannot be read; run `make validate`"])
    existing = list(old.data.get("endorsements") or [])
    if any(item.get("by", "").casefold() == entry["by"].casefold() for item in existing):
        raise IssueError([f"{labels['by']}: {Message('already_endorsed', by=entry['by'], pattern=choices.patterns[pattern]).text(locale)}"])
    try:
        new_text = add_endorsement(old_text, entry)
        new, _problems = parse_yaml_text(new_text, path)
    except yaml_edit.YAMLError:
        new = None
    expected = dict(old.data)
    expected["endorsements"] = [*existing, dict(entry)]
    if new is None or new.data != expected:
        raise IssueError([f"{labels['pattern']}: the endorsement could not be added to {relative} safely; add it by hand"])
    field_of = {"endorsements": "by"}
    problems = _label_problems(writer.check_in_copy(root, {relative: new_text}), relative, new_text, {k: labels[v] for k, v in field_of.items()}, labels["pattern"])
    if problems:
        raise IssueError(problems)
    if write:
        path.write_text(new_text, encoding="utf-8")
    return relative, endorsement_lines(entry)


def _read_body(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    data = Path(name).read_bytes()
    return data.decode("utf-8-sig")


def main(argv: list[str] | None = None, today: datetime.date | None = None, command: str = "case-study-from-issue") -> int:
    """`python -m playbook_site case-study-from-issue` (or, with `--endorsement`, endorsement-from-issue)."""
    parser = cli.command_parser(command, __doc__.split("\n\n")[0])
    parser.add_argument("body_file", metavar="BODY_FILE", help="the issue's body, as a file (- for standard input)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to read and write (default: this one)")
    parser.add_argument("--write", action="store_true", help="write the file instead of printing it")
    if command == "case-study-from-issue":
        parser.add_argument("--endorsement", action="store_true", help="the body comes from the endorsement form (as endorsement-from-issue)")
    args = parser.parse_args(argv)
    args.endorsement = command == "endorsement-from-issue" or args.endorsement
    root = args.root.resolve()
    what = "an endorsement" if args.endorsement else "a case study"
    try:
        body = _read_body(args.body_file)
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read the issue body from {args.body_file}: {error}", file=sys.stderr)
        return 1
    if len(body) > MAX_BODY_CHARACTERS:
        print(f"The issue body is {len(body)} characters long, more than an issue form produces; nothing was done.", file=sys.stderr)
        return 1
    try:
        if args.endorsement:
            relative, text = endorsement(body, root, args.write, today or datetime.date.today())
        else:
            relative, text = case_study(body, root, args.write)
    except IssueError as error:
        count = len(error.problems)
        print(f"The issue cannot be turned into {what} yet:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{count} problem{'s' if count != 1 else ''}. Ask the author to edit the issue (or edit {args.body_file}), then run this again.", file=sys.stderr)
        return 1
    except DataError as error:
        print("The project's data has problems of its own; fix them first (`make validate` lists them):", file=sys.stderr)
        print(error.report(), file=sys.stderr)
        return 1
    except FormError as error:
        print(f"Cannot read the issue form: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Cannot read or write a file: {error}", file=sys.stderr)
        return 1
    if not args.write:
        sys.stdout.write(text)
        target = f"under `endorsements:` in {relative}" if args.endorsement else f"as {relative}"
        print(f"Checked: {what} with no problems. Save the lines above {target}, or run again with --write.", file=sys.stderr)
    elif args.endorsement:
        print(f"Added the endorsement to {relative}. Review the change, run `make validate`, then open a pull request.")
    else:
        print(f"Written: {relative}. Review it, run `make validate` and `make serve`, then open a pull request.")
    return 0



def endorsement_main(argv: list[str] | None = None, today: datetime.date | None = None) -> int:
    """`python -m playbook_site endorsement-from-issue`: the body comes from the endorsement form."""
    return main(argv, today, command="endorsement-from-issue")
