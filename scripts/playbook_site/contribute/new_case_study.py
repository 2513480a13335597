"""Write a new case study by answering questions: `make new-case-study`.

Asks in plain language, offers the regions, partner types, themes, patterns,
playbooks and sources of the data as numbered menus, writes
data/case_studies/<id>.yml with the template's comments, checks it with the
build's loader and says what to do next. It never overwrites a file. Ctrl-C
or end of input stops it with nothing written.

    python -m playbook_site new-case-study [--root CHECKOUT]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Mapping, TextIO, TypeVar

from . import case_study_writer as writer
from .. import cli, layout
from ..content import place_names
from ..paths import ROOT
from ..problems import DataError

T = TypeVar("T")
SERVE_URL = "http://127.0.0.1:8000"


class _Stop(Exception):
    """End of input: the person is done, or the script of answers ran out."""


class Questions:
    """Asks one question at a time, and again while the answer cannot be used."""

    def __init__(self, input: TextIO, output: TextIO):
        self.input = input
        self.output = output

    def say(self, text: str = "") -> None:
        self.output.write(text + "\n")
        self.output.flush()

    def line(self, prompt: str) -> str:
        self.output.write(prompt)
        self.output.flush()
        answer = self.input.readline()
        if answer == "":
            raise _Stop
        return answer.rstrip("\r\n")

    def ask(self, question: str, read: Callable[[str], T], help: str = "", default: str = "") -> T:
        self.say()
        self.say(question)
        if help:
            self.say(f"  {help}")
        while True:
            answer = self.line(f"[{default}] > " if default else "> ")
            try:
                return read(answer.strip() or default)
            except writer.AnswerError as error:
                self.say(f"  Sorry: {error}. Please try again.")

    def ask_lines(self, question: str, help: str, required: bool = True) -> list[str]:
        """Several answers, one per line, ended by an empty line."""
        self.say()
        self.say(question)
        self.say(f"  {help}")
        self.say("  Write one point per line. Press Enter on an empty line when you are done.")
        while True:
            lines = []
            while True:
                line = self.line("  - ")
                if not line.strip():
                    break
                lines.append(line)
            if not lines and not required:
                return []
            try:
                return writer.items("\n".join(lines))
            except writer.AnswerError as error:
                self.say(f"  Sorry: {error}. Please write at least one point.")

    def menu(self, question: str, options: Mapping[str, str], many: bool, required: bool = True) -> list[str]:
        """Numbered choices; returns the chosen ids."""
        keys = list(options)
        self.say()
        self.say(question)
        for number, key in enumerate(keys, start=1):
            self.say(f"  {number:>2}. {options[key]}")
        if many:
            self.say("  Type one or more numbers, separated by spaces or commas (like 1 3)." + ("" if required else " Press Enter to skip."))
        else:
            self.say("  Type one number.")

        def read(answer: str) -> list[str]:
            if not answer and not required:
                return []
            words = answer.replace(",", " ").split()
            if words and all(word.isdigit() for word in words):
                chosen = []
                for word in words:
                    if not 1 <= int(word) <= len(keys):
                        raise writer.AnswerError("not_a_number", word=word, last=len(keys))
                    if keys[int(word) - 1] not in chosen:
                        chosen.append(keys[int(word) - 1])
            else:
                chosen = writer.pick_many(answer, options)
            if not many and len(chosen) != 1:
                raise writer.AnswerError("type_one_number")
            return chosen

        while True:
            try:
                return read(self.line("> ").strip())
            except writer.AnswerError as error:
                self.say(f"  Sorry: {error}. Please try again.")

    def yes(self, question: str) -> bool:
        def read(answer: str) -> bool:
            if answer.lower() in ("y", "yes", "s", "si", "sí", "o", "oui"):
                return True
            if answer.lower() in ("", "n", "no", "non"):
                return False
            raise writer.AnswerError("answer_yes_no")

        return self.ask(question + " (y/N)", read)


def interview(q: Questions, choices: writer.Choices) -> dict[str, Any]:
    """Every question, in order; returns the answers dict for case_study_writer."""
    answers: dict[str, Any] = {}
    q.say("A few questions about the partnership. Stop at any time with Ctrl-C: nothing is saved until the end.")
    names = {locale: f"{place_names.language_name(locale, 'en')} ({place_names.language_name(locale, locale)})" for locale in choices.locales}
    [answers["language"]] = q.menu("In which language will you write your answers? The page shows them as you write them until someone translates them.", names, many=False)
    answers["title"] = q.ask("What was the partnership? A title in a few words.", writer.one_line, "For example: Wikimedia Armenia works with small partners")
    proposal = writer.slugify(answers["title"])
    if proposal in choices.case_studies:
        proposal = ""
    answers["id"] = q.ask(
        "A short name for the file and the web address of the page.",
        lambda answer: writer.new_id(answer, choices),
        "Lowercase words joined by hyphens." + (" Press Enter to use the one in brackets." if proposal else ""),
        default=proposal,
    )
    answers["summary"] = q.ask("In two or three sentences: who partnered with whom, to do what, and when?", writer.one_line)
    answers["affiliates"] = q.ask_lines("Which Wikimedia affiliates or volunteer groups took part?", "For example: Wikimedia México")
    answers["other_participants"] = q.ask(
        "Did other movement bodies take part that are not affiliates? (optional)",
        lambda answer: writer.participants(answer.replace(" | ", "\n"), choices) if answer else [],
        "Each with its role in brackets: project, committee or discussion, like: Wiki Loves Africa (project). Several: separate them with ' | '. Press Enter to skip.",
    )
    answers["partners"] = []
    while True:
        name = q.ask("What is the name of a partner organisation?", writer.one_line)
        [kind] = q.menu(f"What kind of organisation is {name}?", choices.partner_types, many=False)
        answers["partners"].append({"name": name, "type": kind})
        if not q.yes("Was there another partner?"):
            break
    [answers["region"]] = q.menu("In which region did it happen?", choices.regions, many=False)
    answers["countries"] = q.ask(
        "In which countries? (optional)",
        lambda answer: writer.countries(answer, choices),
        "Names or two-letter codes, separated by commas, like Kenya, or Argentina, Uruguay, or AR UY. Press Enter to skip.",
    )
    answers["languages"] = q.ask(
        "In which languages did the work happen? (optional)",
        lambda answer: writer.languages(answer, choices),
        "Names or codes, separated by commas, like Swahili, English, or es hy. Press Enter to skip.",
    )
    answers["years"] = q.ask("In which years?", lambda answer: writer.years(answer, choices), "Like 2018, or 2018 2019, or 2018-2020.")
    answers["themes"] = q.menu("Which themes does it touch?", choices.themes, many=True)
    answers["what_worked"] = q.ask_lines("What worked?", "Things that went well.")
    answers["what_did_not_work"] = q.ask_lines("What was hard, or did not work?", "Others learn most from this part, so please be honest.")
    answers["lessons"] = q.ask_lines("What lessons would you share?", "What you would tell someone starting out.")
    answers["patterns"] = q.menu("Which learning patterns does it illustrate? (optional)", choices.patterns, many=True, required=False)
    answers["playbooks"] = q.menu("Which playbooks does it belong to? (optional)", choices.playbooks, many=True, required=False)
    q.say()
    q.say("Where do the facts come from? Give at least one source: your own first-hand account, pages about the work, or the site's field notes.")
    while True:
        reported_by = q.ask(
            "If this is your own first-hand account: the name of your affiliate, or your public user name (optional).",
            lambda answer: writer.one_line(answer) if answer else "",
            "The page will say who reported it and when. Press Enter to skip.",
        )
        answers["reported_by"] = reported_by or None
        answers["source_links"] = q.ask(
            "Published pages the facts come from (optional)",
            lambda answer: writer.links(answer.replace(" | ", "\n")),
            "Like: Project report https://meta.wikimedia.org/wiki/... (several: separate them with ' | '). Press Enter to skip.",
        )
        answers["sources"] = q.menu("Which of the site's field notes is this drawn from? (optional)", choices.sources, many=True, required=False)
        if answers["reported_by"] or answers["source_links"] or answers["sources"]:
            break
        q.say(f"  Sorry: {writer.AnswerError('need_a_source')}. Please try again.")
    answers["further_reading"] = q.ask(
        "Links to pages about it (optional)",
        writer.links,
        "Like: Project page https://meta.wikimedia.org/wiki/... Press Enter to skip.",
    )
    return answers


def next_steps(q: Questions, relative: str, case_id: str) -> None:
    q.say()
    q.say("What to do next:")
    q.say(f"  1. Open {relative} and read it through. You can add details or translations into the site's other languages.")
    q.say("  2. Run `make validate` to check it again after any change.")
    q.say(f"  3. Run `make serve` and open {SERVE_URL}/{layout.section_path('case_study', case_id)} to see the page.")
    q.say("  4. Open a pull request with the new file (CONTRIBUTING.md explains how).")


def run(root: Path, q: Questions) -> int:
    try:
        choices = writer.load_choices(root)
    except DataError as error:
        q.say("The project's data has problems already, so the questions cannot be prepared.")
        q.say("Run `make validate`, fix what it lists, then try again:")
        q.say(error.report())
        return 1
    answers = interview(q, choices)
    relative = (writer.CASE_STUDIES / f"{answers['id']}.yml").as_posix()
    text = writer.render_case_study(answers, root)
    problems = [p for p in writer.check_in_copy(root, {relative: text}) if p.path == relative]
    target = root / relative
    try:
        with target.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        q.say(f"\n{relative} appeared while you were answering; it was not overwritten. Nothing was written.")
        return 1
    q.say()
    if problems:
        q.say(f"Written: {relative}, but the check found problems to fix in it:")
        for problem in problems:
            q.say(f"  {problem}")
        next_steps(q, relative, answers["id"])
        return 1
    q.say(f"Written: {relative}. It passed the same check as the build.")
    next_steps(q, relative, answers["id"])
    return 0


def main(argv: list[str] | None = None, input: TextIO | None = None, output: TextIO | None = None) -> int:
    parser = cli.command_parser("new-case-study", __doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to write into (default: this one)")
    args = parser.parse_args(argv)
    q = Questions(input or sys.stdin, output or sys.stdout)
    try:
        return run(args.root.resolve(), q)
    except KeyboardInterrupt:
        q.say("\nStopped. Nothing was written.")
        return 130
    except _Stop:
        q.say("\nNo more answers, so stopped. Nothing was written.")
        return 1

