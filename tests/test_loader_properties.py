"""Property-based tests of the loader: any input gives a model or a clean error, never a crash.

Hypothesis runs derandomized (a fixed seed) so CI sees the same examples every
time. Inputs: any text and YAML-ish fragments through parse_yaml_text, any
bytes through load_yaml, and structured mutations of a real case study
through the whole load_catalogue.

Any exception is a failure: the crashes these tests found (PyYAML's
constructor on `!!int word`, `0x_` or 5000-digit numbers, deep nesting,
libyaml's reader errors) are fixed in yaml_source.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.content.models import Catalogue
from playbook_site.problems import DataError, Problem
from playbook_site.content.yaml_source import YamlDocument, load_yaml, parse_yaml_text
from sites import REPO

PROBLEM = re.compile(r"^[^:\n]+:\d+:\d+: \S[^\n]*$")
CASE = "data/case_studies/editatona.yml"
COMMON: dict[str, Any] = {"derandomize": True, "database": None, "deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}

def check_result(result: tuple[YamlDocument | None, list[Problem]], name: str) -> None:
    document, problems = result
    if document is not None:
        assert problems == []
        return
    assert problems, "no document and no problem"
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == name and problem.line >= 1 and problem.column >= 1, problem
        assert PROBLEM.match(str(problem)), str(problem)


# -- strategies --------------------------------------------------------------------------------

YAML_TOKENS = [
    ":", ": ", "- ", "\n", "  ", "\t", "[", "]", "{", "}", ", ", "&a ", "*a", "<<: *a", "? ", "|\n", ">-\n", "#", "'", '"', "\\",
    "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!include x",
    "!!str ", "!!int ", "!!float ", "!!bool ", "!!map ", "!!seq ", "!!binary ", "!!set ", "!!timestamp ", "! ",
    "\u202e", "\u2066", "\ufeff", "\x00", "\x07", "\x85", "\u2028", "0x", "0o7", "0b1", "1_000", "1e9999", ".nan", "~", "null", "yes", "NO", "2024-01-01",
    "id", "title", "en", "es", "ar", "editatona", "<script>", "{{ 7*7 }}", "{% raw %}", "javascript:",
]

plain_scalars = st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())
nested = st.recursive(
    plain_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """Valid YAML for nested data, then cut and spliced with YAML-ish tokens."""
    text = yaml.safe_dump(draw(nested), default_flow_style=draw(st.sampled_from([None, True, False])), allow_unicode=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(YAML_TOKENS)) + text[at:]
    return text


yaml_like_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=6)), max_size=30).map("".join),
    yaml_documents(),
)


@st.composite
def yaml_like_bytes(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return draw(st.binary(max_size=300))
    text = draw(yaml_like_text)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252"]))
    raw = text.encode(encoding, errors="replace")
    if choice == 2:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + raw


# -- (1) any text ---------------------------------------------------------------------------------


@settings(max_examples=200, **COMMON)
@given(text=yaml_like_text)
def test_any_text_gives_a_document_or_problems(text: str) -> None:
    path = Path("/nowhere/data/case_studies/x.yml")
    check_result(parse_yaml_text(text, path), path.as_posix())


# -- (2) any bytes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bytes") / "entry.yml"


@settings(max_examples=150, **COMMON)
@given(raw=yaml_like_bytes())
def test_any_bytes_give_a_document_or_problems(scratch: Path, raw: bytes) -> None:
    scratch.write_bytes(raw)
    result = load_yaml(scratch)
    check_result(result, scratch.as_posix())


# -- (3) structured mutations of a real case study, through the whole loader --------------------------

ANY_VALUE = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.sampled_from(["en", "es", "xx", "title", "1"]), st.text(max_size=10), max_size=3),
    nested,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            found += _paths(child, prefix + (number,))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_case_studies(draw: st.DrawFn) -> Any:
    data = yaml.safe_load((REPO / CASE).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        if not isinstance(data, dict) or not data:
            break
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["drop", "replace", "unknown-key", "wrap-in-list", "whole-file"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(ANY_VALUE)
        elif action == "unknown-key" and isinstance(parent, dict):
            parent[draw(st.one_of(st.text(min_size=1, max_size=10), st.integers(), st.booleans()))] = draw(ANY_VALUE)
        elif action == "wrap-in-list":
            parent[key] = [parent[key]]
        elif action == "whole-file":
            data = draw(ANY_VALUE)
    return data


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutations")
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "assets"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@settings(max_examples=30, **COMMON)
@given(data=mutated_case_studies())
def test_mutated_case_study_gives_a_catalogue_or_clean_problems(content: Path, data: Any) -> None:
    (content / CASE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        result = load_catalogue(ContentRoots.beside(content / "mkdocs.yml"))
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM.match(str(problem)), str(problem)
            assert not problem.path.startswith("/"), "paths are reported relative to the site"
        event("DataError")
        return
    assert isinstance(result, Catalogue)
    assert "editatona" in result.case_studies
    event("Catalogue")


# -- (4) the Markdown shortcut -----------------------------------------------------------------------

# Words, spaces and punctuation, with Markdown's marks among them, so that some texts are plain and some are not.
_TOKENS = ["word", "Palabra", "كلمة", "été", "2019", " ", " ", ",", ".", ";", ":", "'", '"', "?", "%", "/", "(", ")", "-", "–", "’", "«", "»", "¿", "،", "؟",
           "*", "**", "_", "`", "[", "]", "<", ">", "&", "&amp;", "#", "!", "\\", "\n", "\n\n", "1. ", "- ", "    ", "<b>", "http://x.org", "\t", "\u064e"]
_markdownish = st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join)
_plainish = st.lists(st.sampled_from(_TOKENS[:26]), max_size=12).map("".join)


@settings(max_examples=600, **COMMON)
@given(text=st.one_of(_markdownish, _plainish, st.text(max_size=40)))
def test_the_plain_line_shortcut_gives_what_markdown_gives(text: str) -> None:
    """safe_markdown skips the converter for one plain line; the HTML must be the converter's, byte for byte."""
    from playbook_site.render import safe_markdown

    event("shortcut" if safe_markdown._PLAIN_LINE.match(text) else "converter")
    assert safe_markdown._converted(text) == safe_markdown._CONVERTER.reset().convert(text)


def test_the_plain_line_shortcut_matches_the_real_texts() -> None:
    """Every Markdown field of the real data gives the same HTML with and without the shortcut."""
    from playbook_site.render import safe_markdown

    catalogue = load_catalogue(ContentRoots())
    texts = [text for case in catalogue.case_studies.values() for value in (case.summary, case.what_worked, case.what_did_not_work, case.lessons) if value for text in _strings(value)]
    texts += [text for pattern in catalogue.patterns.values() for value in (pattern.problem, pattern.solution, pattern.things_to_consider, pattern.when_to_use, pattern.when_not_to_use) if value for text in _strings(value)]
    shortcut = [text for text in texts if safe_markdown._PLAIN_LINE.match(text)]
    assert shortcut, "no real text takes the shortcut: the test would prove nothing"
    for text in texts:
        assert safe_markdown._converted(text) == safe_markdown._CONVERTER.reset().convert(text), text


def _strings(value: Any) -> list[str]:
    """Every text of a Localized value, in every language."""
    out = []
    for locale in ("en", "es", "fr", "ar"):
        text, used = value.get(locale)
        out += [text] if isinstance(text, str) else list(text)
    return out
