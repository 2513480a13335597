"""Turn a contributor's answers into a commented case-study file, and check it.

`new_case_study` (questions in a terminal) and `issue_to_yaml` (a GitHub issue
form) both collect a plain answers dict, then call `render_case_study` and
`check_in_copy` here. So a file made either way looks the same, carries the
comments of data/templates/case_study.template.yml, and has passed the loader
the build uses. The choices offered (regions, partner types, themes, sources,
patterns, playbooks) come from the catalogue, never from a list in the code.

Every value is written by ruamel.yaml (yaml_edit.py): a title like `Yes: no`,
`#1` or `{{ 7*7 }}` comes out as a quoted string, and the text is read back with
the project's loader to prove it says exactly what was answered.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .. import languages as site_languages
from ..content import place_names
from ..content.catalogue import ContentRoots, load_catalogue
from .issue_forms import Message, option_text
from .yaml_edit import OneLine, dump, new_node
from ..problems import DataError, Problem
from ..content.yaml_source import BIDI_CONTROLS, parse_yaml_text

TEMPLATE = Path("data") / "templates" / "case_study.template.yml"
CASE_STUDIES = Path("data") / "case_studies"
DEFAULT_LICENSE = "CC-BY-SA-4.0"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Answers that must be given; the rest may be left empty. At least one source
# of any kind (sources, source_links, reported_by) is required too.
REQUIRED = ("title", "summary", "affiliates", "partners", "region", "years", "themes", "what_worked", "what_did_not_work", "lessons")
SOURCE_ANSWERS = ("reported_by", "source_links", "sources")
INTRO = (
    "# A case study, written by `make new-case-study` or from a GitHub issue.",
    "# Lines starting with # are comments and can stay or go. Run `make validate`",
    "# after any change: it names the line of anything that needs fixing.",
)


class AnswerError(ValueError):
    """An answer that cannot be used; the message says why, in plain words, in any language of the site."""

    def __init__(self, key: str, **values: object):
        self.message = Message(key, **values)
        super().__init__(key)

    def text(self, locale: str | None = None) -> str:
        return self.message.text(locale)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Choices:
    """What a contributor may pick from, by id, with labels in one language, in the data's order."""

    regions: Mapping[str, str]
    partner_types: Mapping[str, str]
    themes: Mapping[str, str]
    sources: Mapping[str, str]
    patterns: Mapping[str, str]
    playbooks: Mapping[str, str]
    case_studies: frozenset[str]
    countries: frozenset[str]
    first_year: int
    last_year: int
    locale: str  # the language of the labels, and of the answers
    locales: tuple[str, ...]  # the site's languages, in which names of places are understood
    default_locale: str  # the site's default language: an entry written in another one says so (original_language)
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # role of other participants -> its names in every language


def roots_for(root: Path) -> ContentRoots:
    return ContentRoots.beside(root / "mkdocs.yml")


def load_choices(root: Path, locale: str | None = None) -> Choices:
    """The choices of the checkout at `root`, labelled in `locale`; raises DataError when its data has problems."""
    catalogue = load_catalogue(roots_for(root))
    en = locale or catalogue.default_locale
    taxonomy = catalogue.taxonomy
    schema = json.loads((root / "data" / "schema" / "case_study.schema.json").read_text(encoding="utf-8"))["properties"]
    years = schema["years"]["items"]
    roles = {role: tuple(catalogue.text(f"role_{role}", locale) for locale in catalogue.locales) for role in schema["other_participants"]["items"]["properties"]["role"]["enum"]}
    existing = {path.stem for path in (root / CASE_STUDIES).glob("*.yml")} | set(catalogue.case_studies)
    return Choices(
        regions={key: label.get(en)[0] for key, label in taxonomy.regions.items()},
        partner_types={key: label.get(en)[0] for key, label in taxonomy.partner_types.items()},
        themes={key: label.get(en)[0] for key, label in taxonomy.themes.items()},
        sources={key: source.title for key, source in catalogue.sources.items()},
        patterns={key: pattern.title.get(en)[0] for key, pattern in catalogue.patterns.items()},
        playbooks={key: playbook.titles.get(en, playbook.titles[catalogue.default_locale]) for key, playbook in catalogue.playbooks.items()},
        case_studies=frozenset(existing),
        countries=place_names.known_countries(),
        first_year=int(years["minimum"]),
        last_year=int(years["maximum"]),
        roles=roles,
        locale=en,
        locales=catalogue.locales,
        default_locale=catalogue.default_locale,
    )


# -- reading answers ---------------------------------------------------------
# Each helper takes what a person typed and returns a clean value, or raises
# AnswerError with a message that can follow the question's name.


def one_line(value: str | None) -> str:
    """Free text on one line; line breaks and runs of spaces become single spaces."""
    text = " ".join((value or "").split())
    if not text:
        raise AnswerError("required")
    _check_visible(text)
    return text


def _check_visible(text: str) -> None:
    """Refuse control characters, which the build's loader would refuse too."""
    for char in text:
        if BIDI_CONTROLS.match(char) or unicodedata.category(char) == "Cc":
            raise AnswerError("invisible_character", char=f"U+{ord(char):04X}")


def items(value: str | None, *, unique: bool = False) -> list[str]:
    """One item per line; list markers like `- `, `* ` or `1. ` are dropped."""
    found: list[str] = []
    for line in (value or "").splitlines():
        text = " ".join(re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", line).split())
        if text and not (unique and text in found):
            _check_visible(text)
            found.append(text)
    if not found:
        raise AnswerError("required")
    return found


def years(value: str | None, choices: Choices) -> list[int]:
    """Years like `2018`, `2018, 2019` or `2018-2020`."""
    found: set[int] = set()
    for token in re.split(r"[\s,;،؛]+", re.sub(r"\s*[-–]\s*", "-", (value or "").strip())):
        if not token:
            continue
        span = re.fullmatch(r"(\d{4})-(\d{4})", token)
        if span:
            first, last = int(span[1]), int(span[2])
            if first > last or last - first > 50:
                raise AnswerError("not_a_year_range", token=token)
            numbers = range(first, last + 1)
        elif re.fullmatch(r"\d{4}", token):
            numbers = range(int(token), int(token) + 1)
        else:
            raise AnswerError("not_a_year", token=token)
        for number in numbers:
            if not choices.first_year <= number <= choices.last_year:
                raise AnswerError("year_out_of_range", year=number, first=choices.first_year, last=choices.last_year)
            found.add(number)
    if not found:
        raise AnswerError("no_year")
    return sorted(found)


def _split_names(value: str | None) -> list[str]:
    """Names or codes separated by commas, semicolons or new lines; codes alone may be separated by spaces."""
    text = (value or "").strip()
    parts = [part.strip() for part in re.split(r"[,;\n،؛]+", text) if part.strip()]
    if len(parts) == 1 and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*(?:\s+[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)+", parts[0]):
        return parts[0].split()  # like `AR UY` or `es en`
    return parts


def _resolve(value: str | None, match: Callable[[str, tuple[str, ...]], place_names.Match], choices: Choices, kind: str) -> list[str]:
    found: list[str] = []
    for name in _split_names(value):
        result = match(name, choices.locales)
        if len(result.codes) > 1:
            labels = ", ".join(f"{code} ({_code_name(code, kind, choices.locale)})" for code in result.codes)
            raise AnswerError(f"ambiguous_{kind}", name=name, choices=labels)
        if not result.codes:
            close = place_names.display_names(result.suggestions, choices.locales, kind)
            hint = Message("did_you_mean", suggestion=" / ".join(f"'{item}'" for item in close)) if close else ""
            raise AnswerError(f"unknown_{kind}", name=name, hint=hint)
        if result.codes[0] not in found:
            found.append(result.codes[0])
    return found


def _code_name(code: str, kind: str, locale: str) -> str:
    return place_names.country_name(code, locale) if kind == "country" else place_names.language_name(code, locale)


def countries(value: str | None, choices: Choices) -> list[str]:
    """Countries by name in any language of the site ("Kenya", "Kenia", "كينيا") or by ISO code; may be empty."""
    return _resolve(value, place_names.country, choices, "country")


def languages(value: str | None, choices: Choices) -> list[str]:
    """Languages by name in any language of the site ("Swahili", "suajili") or by code (sw, pt-BR); may be empty."""
    return _resolve(value, place_names.language, choices, "language")


def links(value: str | None) -> list[dict[str, str]]:
    """One link per line, `Title https://...` or just the address; may be empty."""
    found = []
    for line in (value or "").splitlines():
        line = re.sub(r"^\s*[-*•]\s+", "", line).strip()
        if not line:
            continue
        match = re.search(r"https?://[^\s<>\"']+", line)
        if not match:
            raise AnswerError("no_web_address", line=line)
        title = " ".join((line[: match.start()] + " " + line[match.end() :]).split()).strip(" -–—:|()[]")
        found.append({"title": title or match.group(), "url": match.group()})
    return found


def participants(value: str | None, choices: Choices) -> list[dict[str, str]]:
    """Other movement participants, one per line, like `Wiki Loves Africa (project)`; the role in any site language."""
    found = []
    for line in items(value):
        match = re.fullmatch(r"(.+?)\s*[(（]\s*([^()（）]+?)\s*[)）]", line)
        role = None
        if match:
            said = match[2].casefold()
            role = next((key for key, names in choices.roles.items() if said == key or said in (name.casefold() for name in names)), None)
        if role is None or match is None:
            labels = ", ".join(names[choices.locales.index(choices.locale)] if choices.locale in choices.locales else key for key, names in choices.roles.items())
            raise AnswerError("unknown_role", line=line, roles=labels)
        found.append({"name": match[1], "role": role})
    return found


def slugify(title: str) -> str:
    """A proposed id: lowercase ASCII words joined by hyphens, at most 64 characters; '' if too short."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > 64:
        slug = slug[:64]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return slug if len(slug) >= 3 else ""


def free_id(base: str, choices: Choices) -> str:
    """`base`, or `base-2`, `base-3`... whichever no case study uses yet."""
    candidate, number = base, 1
    while candidate in choices.case_studies:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def new_id(value: str | None, choices: Choices) -> str:
    """A valid id that no case study uses yet."""
    text = (value or "").strip()
    if not text:
        raise AnswerError("required")
    if not (3 <= len(text) <= 64 and ID_PATTERN.fullmatch(text)):
        proposal = slugify(text)
        raise AnswerError("bad_short_name", text=text, hint=Message("like", proposal=proposal) if proposal else "")
    if text in choices.case_studies:
        raise AnswerError("short_name_used", text=text, path=f"{(CASE_STUDIES / text).as_posix()}.yml")
    return text


def pick_one(value: str | None, options: Mapping[str, str]) -> str:
    """The id named by `value`: an id, a label or a form option's text (case does not matter)."""
    keys = pick_many(value, options)
    if len(keys) != 1:
        raise AnswerError("choose_one", count=len(keys))
    return keys[0]


def pick_many(value: str | None, options: Mapping[str, str]) -> list[str]:
    """The ids named by `value`, separated by commas or new lines, in the order given.

    Labels may contain commas themselves (an issue form joins its choices with
    ", "), so known names are matched from the start, longest first.
    """
    remaining = ", ".join(line.strip() for line in (value or "").splitlines() if line.strip())
    if not remaining:
        raise AnswerError("required")
    names = sorted(((name, key) for key, label in options.items() for name in (option_text(key, label), label, key)), key=lambda pair: -len(pair[0]))
    chosen: list[str] = []
    while remaining:
        match = next((pair for pair in names if _starts_with_choice(remaining, pair[0])), None)
        if match is None:
            raise not_one_of(remaining.split(",", 1)[0].strip(), options)
        if match[1] not in chosen:
            chosen.append(match[1])
        remaining = remaining[len(match[0]) :].lstrip().lstrip(",").strip()
    return chosen


def _starts_with_choice(text: str, name: str) -> bool:
    rest = text[len(name) :].lstrip()
    return text[: len(name)].casefold() == name.casefold() and (not rest or rest.startswith(","))


def not_one_of(value: str, options: Mapping[str, str]) -> AnswerError:
    labels = list(options.values())
    close = difflib.get_close_matches(value.casefold(), [label.casefold() for label in labels] + list(options), n=1, cutoff=0.6)
    hint: object = ""
    if close:
        key = close[0] if close[0] in options else next(k for k, label in options.items() if label.casefold() == close[0])
        hint = Message("did_you_mean", suggestion=f"'{options[key]}'")
    if len(labels) <= 12:
        return AnswerError("not_one_of", value=value, choices=", ".join(labels), hint=hint)
    return AnswerError("not_one_of_many", value=value, count=len(labels), hint=hint)


# -- writing the file --------------------------------------------------------


def case_study_data(answers: Mapping[str, Any], default_locale: str, today: datetime.date | None = None) -> dict[str, Any]:
    """The file's content, in the template's field order; empty optional answers are left out."""
    language = answers.get("language") or default_locale
    data: dict[str, Any] = {"id": answers["id"]}
    if language != default_locale:
        data["original_language"] = language
    data |= {
        "title": {language: answers["title"]},
        "summary": {language: answers["summary"]},
        "affiliates": list(answers["affiliates"]),
    }
    if answers.get("other_participants"):
        data["other_participants"] = [dict(item) for item in answers["other_participants"]]
    data |= {
        "partners": [{"name": {language: partner["name"]}, "type": partner["type"]} for partner in answers["partners"]],
        "region": answers["region"],
    }
    for key in ("countries", "languages"):
        if answers.get(key):
            data[key] = OneLine(answers[key])
    data["years"] = OneLine(answers["years"])
    data["themes"] = OneLine(answers["themes"])
    for key in ("what_worked", "what_did_not_work", "lessons"):
        data[key] = {language: list(answers[key])}
    data["patterns"] = OneLine(answers.get("patterns") or [])
    data["playbooks"] = OneLine(answers.get("playbooks") or [])
    data["sources"] = sources_data(answers, today)
    if answers.get("further_reading"):
        data["further_reading"] = [{"title": link["title"], "url": link["url"]} for link in answers["further_reading"]]
    data["license"] = answers.get("license") or DEFAULT_LICENSE
    data["added"] = answers.get("added") or (today or datetime.date.today()).isoformat()
    return data


def sources_data(answers: Mapping[str, Any], today: datetime.date | None = None) -> list[Any]:
    """The `sources:` list: a first-hand account, then pages, then field-note ids (on one line if there are only ids)."""
    found: list[Any] = []
    if answers.get("reported_by"):
        date = answers.get("reported_date") or (today or datetime.date.today()).strftime("%Y-%m")
        found.append({"reported_by": answers["reported_by"], "date": date})
    found += [{"title": link["title"], "url": link["url"]} for link in answers.get("source_links") or []]
    ids = list(answers.get("sources") or [])
    return OneLine(ids) if not found else found + ids


@dataclass(frozen=True)
class _Template:
    schema_line: str
    notes: tuple[str, ...]  # header paragraphs after the first (which says to copy the file)
    blocks: Mapping[str, tuple[str, ...]]  # top-level key -> its lines, comments included
    comments: Mapping[str, str]  # top-level field -> its `# ...` comment
    nested: Mapping[tuple[str, str], str]  # (top-level field, field inside it) -> its comment, first seen


_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z_]+):")
_INLINE_COMMENT = re.compile(r"^(?P<code>.*?\S)\s+(?P<comment>#\s.*)$")


def _read_template(path: Path) -> _Template:
    lines = path.read_text(encoding="utf-8").splitlines()
    first_key = next(number for number, line in enumerate(lines) if _KEY_LINE.match(line) and not line.startswith((" ", "#")))
    header = lines[:first_key]
    paragraphs: list[list[str]] = [[]]
    for line in header[1:]:
        if line.strip() in ("#", ""):
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    notes = tuple(line for paragraph in paragraphs[1:] for line in ["#", *paragraph] if paragraph)
    blocks: dict[str, list[str]] = {}
    comments: dict[str, str] = {}
    nested: dict[tuple[str, str], str] = {}
    current = None
    for line in lines[first_key:]:
        match = _KEY_LINE.match(line)
        if match and not match["indent"] and not line.startswith("-"):
            current = match["key"]
            blocks[current] = []
        if current is not None and line.strip():
            blocks[current].append(line)
        inline = _INLINE_COMMENT.match(line)
        if match and inline:
            if match["key"] == current and not match["indent"]:
                comments[current] = inline["comment"]
            elif current is not None:
                nested.setdefault((current, match["key"]), inline["comment"])
    return _Template(header[0] if header else "", notes, {key: tuple(value) for key, value in blocks.items()}, comments, nested)


def _with_comment(line: str, comment: str | None) -> str:
    return f"{line.ljust(28)} {comment}" if comment else line


def render_case_study(answers: Mapping[str, Any], root: Path, today: datetime.date | None = None) -> str:
    """The text of data/case_studies/<id>.yml for `answers`, with the template's comments."""
    template = _read_template(root / TEMPLATE)
    data = case_study_data(answers, site_languages.default_locale(root / "mkdocs.yml"), today)
    out = [template.schema_line, "#", *INTRO, *template.notes, ""]
    for key in [*template.blocks, *[k for k in data if k not in template.blocks]]:
        if key not in data:
            # An optional field left empty: show the template's example, commented out.
            out.extend("# " + line for line in template.blocks[key])
            continue
        chunk = dump(new_node({key: data[key]}), width=78).rstrip("\n").split("\n")
        comment = template.comments.get(key)
        if comment and len(chunk) > 1 and chunk[0].rstrip() != f"{key}:":
            out.append(comment)  # a value over several lines: the comment goes above it
            comment = None
        chunk[0] = _with_comment(chunk[0], comment)
        for number in range(1, len(chunk)):
            match = _KEY_LINE.match(chunk[number])
            if match and (key, match["key"]) in template.nested and not chunk[number].rstrip().endswith(":"):
                chunk[number] = _with_comment(chunk[number], template.nested[(key, match["key"])])
        out.extend(chunk)
        example = template.blocks.get(key, ())[1:]
        if any(_INLINE_COMMENT.match(line) and _INLINE_COMMENT.match(line)["comment"] not in "\n".join(chunk) for line in example):
            # The template shows more kinds of value than were given (like the three kinds of source): keep them as examples.
            out.extend("# " + line for line in example)
    text = "\n".join(out) + "\n"
    _check_round_trip(text, _plain(data))
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_plain(child) for child in value]
    return value


def _check_round_trip(text: str, expected: Any, path: Path = Path("case-study.yml")) -> None:
    """Read `text` back with the project's loader: it must say exactly `expected`."""
    document, problems = parse_yaml_text(text, path)
    if document is None or document.data != expected:
        detail = "; ".join(str(problem) for problem in problems) or "the values read back differ"
        raise RuntimeError(f"internal error: the YAML written does not read back as the answers ({detail}); please report this")


# -- checking with the real loader -----------------------------------------


def check_in_copy(root: Path, files: Mapping[str, str]) -> list[Problem]:
    """Every problem the build's loader finds in a temporary copy of `root` with `files` written in.

    `files` maps paths relative to the checkout (like data/case_studies/x.yml)
    to their new text. Problems name files as they are named in the checkout.
    """
    with tempfile.TemporaryDirectory(prefix="playbook-check-") as folder:
        copy = Path(folder)
        for name in ("data", "playbooks", "docs"):
            if (root / name).is_dir():
                shutil.copytree(root / name, copy / name, ignore=shutil.ignore_patterns("assets", "__pycache__"))
        shutil.copy(root / "mkdocs.yml", copy / "mkdocs.yml")
        for relative, text in files.items():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            load_catalogue(roots_for(copy))
        except DataError as error:
            return list(error.problems)
    return []


def top_level_key_at(text: str, line: int) -> str | None:
    """The top-level field whose block holds `line` (1-based) of a YAML text."""
    key = None
    for number, source in enumerate(text.splitlines(), start=1):
        if number > line:
            break
        match = _KEY_LINE.match(source)
        if match and not source.startswith((" ", "#", "-")):
            key = match["key"]
    return key


def problem_fields(problems: Iterable[Problem], text: str) -> list[tuple[str | None, Problem]]:
    """Each problem with the top-level field it is about (from its field name, else its line)."""
    found = []
    for problem in problems:
        key = re.split(r"[.\[]", problem.field, maxsplit=1)[0] if problem.field else top_level_key_at(text, problem.line)
        found.append((key, problem))
    return found
