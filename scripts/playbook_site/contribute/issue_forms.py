"""The GitHub issue forms in every language, and the messages about answers.

data/forms.yml holds the questions of the "Share a case study" and "Endorse a
learning pattern" forms and the messages the contribution tools give, in
every language of the site. This module writes the forms in
.github/ISSUE_TEMPLATE/ from it (one file per form and language, which
GitHub lists as separate templates), with the dropdowns' choices taken from
data/ in that language, and renders messages in a contributor's language.

    python -m playbook_site issue-forms           # check the forms are up to date
    python -m playbook_site issue-forms --write   # write them
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from .. import cli, languages
from ..paths import ROOT

FORMS_DATA = Path("data") / "forms.yml"
FORMS_DIR = Path(".github") / "ISSUE_TEMPLATE"
KINDS = ("case_study", "endorsement")


class Message:
    """A message by key from data/forms.yml, with its values; rendered in any language.

    A value may itself be a Message (a hint), rendered in the same language.
    """

    def __init__(self, key: str, **values: Any):
        self.key = key
        self.values = values

    def text(self, locale: str | None = None, root: Path = ROOT) -> str:
        """The message in `locale`, else in the site's default language (also when no locale is given)."""
        templates = forms_data(root)["messages"][self.key]
        template = _pick(templates, locale, root)
        rendered = {name: value.text(locale, root) if isinstance(value, Message) else str(value) for name, value in self.values.items()}
        for name, value in rendered.items():
            template = template.replace("{" + name + "}", value)
        return template

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.values!r})"


_cache: dict[Path, tuple[float, dict[str, Any]]] = {}


def forms_data(root: Path = ROOT) -> dict[str, Any]:
    """data/forms.yml of the checkout at `root` (re-read when the file changes)."""
    path = (root / FORMS_DATA) if (root / FORMS_DATA).is_file() else ROOT / FORMS_DATA
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, yaml.safe_load(path.read_text(encoding="utf-8")))
        _cache[path] = cached
    return cached[1]


def form_file(kind: str, locale: str, default_locale: str, root: Path = ROOT) -> Path:
    """.github/ISSUE_TEMPLATE/case-study.yml for the default language, case-study-es.yml for Spanish."""
    stem = forms_data(root)[kind]["file"]
    return root / FORMS_DIR / (f"{stem}.yml" if locale == default_locale else f"{stem}-{locale}.yml")


@dataclass(frozen=True)
class FormOptions:
    """The choices of the dropdowns, by the name forms.yml gives them: id -> label in one language."""

    by_name: Mapping[str, Mapping[str, str]]


def option_text(key: str, label: str) -> str:
    """How a choice is shown in an issue form: its label, then its id in brackets."""
    return f"{label} ({key})"


def _default_locale(root: Path) -> str:
    """The site's default language, from the mkdocs.yml of the checkout at `root` (else this repository's)."""
    config = root / "mkdocs.yml"
    return languages.default_locale(config if config.is_file() else ROOT / "mkdocs.yml")


def _pick(texts: Mapping[str, str], locale: str | None, root: Path = ROOT) -> str:
    return (texts.get(locale) if locale else None) or texts[_default_locale(root)]


def form(kind: str, locale: str, options: FormOptions, root: Path = ROOT) -> dict[str, Any]:
    """The issue form of `kind` in `locale`, as GitHub reads it."""
    spec = forms_data(root)[kind]
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": _pick(spec["intro"], locale, root) + "\n"}}]
    for field in spec["fields"]:
        attributes: dict[str, Any] = {"label": _pick(field["label"], locale, root)}
        if "description" in field:
            attributes["description"] = _pick(field["description"], locale, root)
        if "placeholder" in field:
            attributes["placeholder"] = _pick(field["placeholder"], locale, root)
        element: dict[str, Any] = {"type": field["type"], "id": field["id"], "attributes": attributes}
        if field["type"] == "dropdown":
            attributes["multiple"] = bool(field.get("multiple", False))
            attributes["options"] = [option_text(key, label) for key, label in options.by_name[field["options"]].items()]
        if field["type"] == "checkboxes":
            attributes["options"] = [{"label": _pick(box, locale, root), "required": True} for box in field["boxes"]]
        else:
            element["validations"] = {"required": bool(field.get("required", False))}
        body.append(element)
    return {"name": _pick(spec["name"], locale, root), "description": _pick(spec["description"], locale, root), "title": _pick(spec["title"], locale, root), "labels": list(spec["labels"]), "body": body}


HEADER = """\
# A GitHub issue form, written by `python -m playbook_site issue-forms --write`
# from data/forms.yml and data/ (do not edit it here: a test fails when it differs).
# A maintainer turns an issue made with it into data with
# `make case-study-from-issue BODY=issue.md` or `make endorsement-from-issue BODY=issue.md`.
"""


class _FormDumper(yaml.SafeDumper):
    """Writes text of several lines as a `|` block, as people write issue forms."""


_FormDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def form_text(kind: str, locale: str, options: FormOptions, root: Path = ROOT) -> str:
    return HEADER + yaml.dump(form(kind, locale, options, root), Dumper=_FormDumper, allow_unicode=True, sort_keys=False, width=1000)


def all_forms(root: Path = ROOT) -> dict[Path, str]:
    """Every form file of every kind and language, with its text."""
    from .case_study_writer import load_choices  # the choices come from the validated data

    locales = languages.locales(root / "mkdocs.yml")
    default = languages.default_locale(root / "mkdocs.yml")
    texts = {}
    for locale in locales:
        choices = load_choices(root, locale)
        options = FormOptions({"partner_types": choices.partner_types, "regions": choices.regions, "themes": choices.themes, "patterns": choices.patterns, "playbooks": choices.playbooks, "sources": choices.sources})
        for kind in KINDS:
            texts[form_file(kind, locale, default, root)] = form_text(kind, locale, options, root)
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("issue-forms", __doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--write", action="store_true", help="write the forms instead of checking them")
    args = parser.parse_args(argv)
    stale = []
    for path, text in all_forms(args.root).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            stale.append(path)
            if args.write:
                path.write_text(text, encoding="utf-8")
    if args.write:
        print(f"Wrote {len(stale)} form(s)." if stale else "The forms were already up to date.")
        return 0
    if stale:
        print("These issue forms differ from data/forms.yml and data/; run `python -m playbook_site issue-forms --write`:", file=sys.stderr)
        for path in stale:
            print(f"  {path.relative_to(args.root)}", file=sys.stderr)
        return 1
    print("The issue forms are up to date.")
    return 0

