"""Checks on playbook Markdown that the JSON Schemas cannot express.

- The explicit heading ids (`## Step {#step-3}`) of every translation match the
  English file's, in the same order, so a trainer's link works in any language.
- Macro calls name ids that exist: `cite()` a source of the front matter,
  `pattern_card()` a pattern, `case_study_card()` a case study, and
  `case_studies(theme=...)` etc. taxonomy ids.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Mapping

from .. import layout
from ..paths import relative
from ..problems import Problem, did_you_mean

HEADING_ID = re.compile(r"^#{1,6}\s.*\{#([A-Za-z0-9_-]+)\}\s*$", re.MULTILINE)
MACRO_CALL = re.compile(r"\{\{\s*([a-z_]+)\((.*?)\)\s*\}\}")


ANY_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*$", re.MULTILINE)


def heading_titles(markdown: str) -> dict[str, str]:
    """Explicit heading id -> the heading's text, in order."""
    titles = {}
    for match in HEADING_ID.finditer(markdown):
        line = match.group(0)
        text = re.sub(r"^#{1,6}\s+", "", line)
        titles[match.group(1)] = re.sub(r"\s*\{#[A-Za-z0-9_-]+\}\s*$", "", text).strip()
    return titles


def headings_without_id(path: Path, markdown: str) -> list[Problem]:
    """Section headings (## and deeper) need an explicit id, so links to them never depend on the language."""
    problems = []
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or not ANY_HEADING.match(line):
            continue
        if not HEADING_ID.match(line):
            problems.append(Problem(relative(path), number, 1, "", "section heading without an id", "end the heading with an id in English words, like {#checklist}; use the same id in every translation"))
    return problems


def heading_ids(markdown: str) -> list[tuple[str, int]]:
    """Explicit heading ids with their line numbers, in order."""
    return [(match.group(1), markdown.count("\n", 0, match.start()) + 1) for match in HEADING_ID.finditer(markdown)]


def heading_id_problems(original: Path, original_text: str, translation: Path, translation_text: str) -> list[Problem]:
    expected = [heading for heading, _line in heading_ids(original_text)]
    found = heading_ids(translation_text)
    found_ids = [heading for heading, _line in found]
    if found_ids == expected:
        return []
    problems = []
    name = relative(translation)
    for heading in expected:
        if heading not in found_ids:
            problems.append(Problem(name, 1, 1, "", f"heading id {{#{heading}}} of {original.name} is missing", "give the translated heading the same {#...} id as the English one"))
    for heading, line in found:
        if heading not in expected:
            problems.append(Problem(name, line, 1, "", f"heading id {{#{heading}}} is not in {original.name}", did_you_mean(heading, expected)))
    if not problems:
        problems.append(Problem(name, 1, 1, "", f"heading ids are in a different order than in {original.name}", "keep the sections in the same order in every language"))
    return problems


# The macros a playbook may call; anything else between {{ }} or {% %} is refused,
# because mkdocs-macros runs a playbook through Jinja, which can reach Python.
PLAYBOOK_MACROS = layout.PLAYBOOK_MACROS
JINJA_OPEN = re.compile(r"\{\{|\{%|\{#(?!#|[A-Za-z0-9_-]+\})")
ALLOWED_CALL = re.compile(r"\{\{\s*([a-z_]+)\((?:[^{}()]|\([^{}()]*\))*\)\s*\}\}")
JINJA_COMMENT = re.compile(r"\{##.*?##\}", re.DOTALL)
UNSAFE_TAGS = frozenset({"script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math", "frame", "frameset", "applet", "template", "noscript"})
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "cite", "longdesc", "lowsrc", "dynsrc"})
# Markdown's own links ([text](url), [ref]: url, <url>); links in HTML are read by _Tags.
UNSAFE_URL = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|<)\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_URL_SPACE = re.compile(r"[\x00-\x20]+")  # browsers drop these from a URL (tabs, newlines) or before it


class _Tags(HTMLParser):
    """The start tags of a playbook's prose with where they are, read as a browser reads them (not split with patterns)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []  # line, column (1-based), name, attributes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.tags.append((line, offset + 1, tag, attrs))

    handle_startendtag = handle_starttag


def _html_problems(prose: str) -> list[tuple[int, int, str, str]]:
    """(line, column, message, hint) for each unsafe element, event handler or script URL in the HTML of `prose`."""
    reader = _Tags()
    reader.feed(prose)
    reader.close()
    found = []
    for line, column, tag, attrs in reader.tags:
        if tag in UNSAFE_TAGS:
            found.append((line, column, f"<{tag}> is not allowed in a playbook", "write text, Markdown links and images only"))
        for name, value in attrs:
            scheme = _URL_SPACE.sub("", value or "").lower().split(":", 1) if name in URL_ATTRIBUTES else []
            if name.startswith("on"):
                found.append((line, column, f"the HTML attribute {name}= is not allowed in a playbook", "remove it; playbooks are text"))
            elif len(scheme) == 2 and scheme[0] in UNSAFE_SCHEMES:
                found.append((line, column, f"'{scheme[0]}:' links are not allowed in a playbook", "link to an https:// address or to a page of the site"))
            elif name == "title" and "<" in (value or ""):
                # Material's tooltips show a title as HTML; render/safe_markdown.py makes double-quoted ones inert, this refuses the rest.
                found.append((line, column, "HTML in a title attribute is not allowed in a playbook", "write the title as plain text"))
    return found


def unsafe_markdown_problems(path: Path, markdown: str) -> list[Problem]:
    """Playbooks are Markdown for people, not code: no scripts, event handlers, script URLs or template code.

    HTML inside code blocks and `code spans` is shown as text, so only template
    code is refused there (Jinja does not know about Markdown code).
    """
    problems = []
    name = relative(path)
    in_fence = False
    prose_lines = []  # the file with code blocks and code spans blanked out, for the HTML reader
    for number, line in enumerate(markdown.splitlines(), start=1):
        # Jinja runs over the whole file, code blocks included, so this check does too.
        for match in JINJA_OPEN.finditer(JINJA_COMMENT.sub(lambda m: " " * len(m.group(0)), line)):
            call = ALLOWED_CALL.match(line, match.start())
            if call is None or call.group(1) not in PLAYBOOK_MACROS:
                problems.append(Problem(name, number, match.start() + 1, "", "only the playbook macros may be used between {{ }}", f"use one of {', '.join(sorted(PLAYBOOK_MACROS))}, like {{{{ cite(\"wmcon2018-session15\") }}}}; no other {{{{ }}}} or {{% %}} in playbooks"))
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            prose_lines.append("")
            continue
        if in_fence:
            prose_lines.append("")
            continue
        prose = re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), line)
        prose_lines.append(prose)
        for match in UNSAFE_URL.finditer(prose):
            problems.append(Problem(name, number, match.start() + 1, "", f"'{match.group(1).lower()}:' links are not allowed in a playbook", "link to an https:// address or to a page of the site"))
    # HTML is read across lines, as Markdown hands it to the browser: a tag may span several.
    problems += [Problem(name, number, column, "", message, hint) for number, column, message, hint in _html_problems("\n".join(prose_lines))]
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def macro_call_problems(path: Path, markdown: str, known: Mapping[str, Iterable[str]]) -> list[Problem]:
    """`known` maps each kind of id (source_in_front_matter, pattern, case_study, theme, region, partner_type) to its ids."""
    problems = []
    name = relative(path)
    for match in MACRO_CALL.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        column = match.start() - (markdown.rfind("\n", 0, match.start()) + 1) + 1
        macro, raw_args = match.group(1), match.group(2)
        try:
            call = ast.parse(f"f({raw_args})", mode="eval").body
        except (SyntaxError, ValueError):
            call = None
        literal_only = isinstance(call, ast.Call) and all(isinstance(arg, ast.Constant) for arg in call.args) and all(kw.arg and isinstance(kw.value, ast.Constant) for kw in call.keywords)
        if not literal_only:
            problems.append(Problem(name, line, column, macro, "cannot read the arguments of this macro call", 'write one call per {{ }}, with ids in double quotes, like cite("wmcon2018-session15")'))
            continue
        assert isinstance(call, ast.Call)
        positional = [arg.value for arg in call.args if isinstance(arg, ast.Constant)]
        keywords = {kw.arg: kw.value.value for kw in call.keywords if kw.arg and isinstance(kw.value, ast.Constant)}
        checks: list[tuple[str, object]] = []
        if macro == "cite":
            checks = [("source_in_front_matter", value) for value in positional]
        elif macro == "pattern_card":
            checks = [("pattern", value) for value in positional]
        elif macro == "case_study_card":
            checks = [("case_study", value) for value in positional]
        elif macro == "case_studies":
            checks = [(key, value) for key, value in keywords.items()]
        for kind, value in checks:
            choices = list(known.get(kind, []))
            if value not in choices:
                what = "source in this playbook's front matter" if kind == "source_in_front_matter" else kind.replace("_", " ")
                problems.append(Problem(name, line, column, macro, f"unknown {what} '{value}'", did_you_mean(value, choices)))
    return problems
