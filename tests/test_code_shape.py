"""The code's shape: imports go one way, and the site's layout has one owner.

Every module of scripts/ is parsed with `ast` (nothing is imported), so a new
import that crosses a stage fails here with the module and line that did it.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
from mkdocs.utils import get_relative_url

from playbook_site import layout
from sites import REPO

SCRIPTS = REPO / "scripts"
PACKAGE = SCRIPTS / "playbook_site"

# Modules that may import MkDocs, each with its reason. Everything else gets
# what it needs (relative URLs, the language tree, site_url) from layout.py.
MKDOCS_ALLOWED = {
    "hooks": "the MkDocs hooks: the engine's entry point",
    "macros": "the mkdocs-macros module",
    "playbook_site.publish.engine": "the engine layer: turns MkDocs' config and page into a PageContext",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SCRIPTS).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in the file, relative ones resolved."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from . import views` imports a module too: count each name as one.
            found += [(module, node.lineno)] + [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _all_imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) over scripts/hooks.py, scripts/macros.py and the package."""
    files = [SCRIPTS / "hooks.py", SCRIPTS / "macros.py", *sorted(PACKAGE.rglob("*.py"))]
    return [(_module_name(path), imported, line) for path in files for imported, line in _imports(path)]


def _crossings(importer_prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{importer} (line {line}) imports {imported}"
        for importer, imported, line in _all_imports()
        if importer.startswith(importer_prefix) and any(imported == f or imported.startswith(f + ".") for f in forbidden)
    ]


def test_the_import_walker_sees_relative_imports() -> None:
    """The checks below would pass on nothing if relative imports were missed."""
    views = dict(((imported, importer) for importer, imported, _ in _all_imports() if importer == "playbook_site.render.views"))
    assert "playbook_site.render.glossary_links" in views
    assert "playbook_site.content.models" in views
    assert "playbook_site.layout" in views


def test_loading_knows_nothing_of_rendering_or_publishing() -> None:
    assert _crossings("playbook_site.content", ("playbook_site.render", "playbook_site.publish", "playbook_site.contribute", "mkdocs")) == []


def test_rendering_knows_nothing_of_mkdocs_or_the_writers() -> None:
    assert _crossings("playbook_site.render", ("playbook_site.publish", "playbook_site.contribute", "mkdocs")) == []


def test_layout_and_the_shared_modules_import_no_stage() -> None:
    stages = ("playbook_site.content", "playbook_site.render", "playbook_site.publish", "playbook_site.contribute", "mkdocs")
    for module in ("layout", "languages", "paths", "problems"):
        assert _crossings(f"playbook_site.{module}", stages) == []


def test_only_the_engine_layer_imports_mkdocs() -> None:
    found = [
        f"{importer} (line {line}) imports {imported}"
        for importer, imported, line in _all_imports()
        if (imported == "mkdocs" or imported.startswith("mkdocs.")) and importer not in MKDOCS_ALLOWED
    ]
    assert found == [], "use playbook_site.layout (relative_url, tree, site_base) instead"


# -- layout.py is the one owner of the site's layout -------------------------------------------

# Spelled anywhere else in the package's code, these mean a copy of the layout; a path
# to a .md file names a file of the repository (playbooks/<slug>.md), not a page of the site.
LAYOUT_SPELLINGS = re.compile(r"""["'/}](case-studies|patterns|pathways|playbooks|sheets)/(?![^"'\n]*\.md\b)|["'](case-studies|feed\.xml|cards\.json|go/)["']""")


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Lines of code, without docstrings and comments (they may name folders for the reader)."""
    source = path.read_text(encoding="utf-8")
    strings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node, clean=False) is not None:
            first = node.body[0]
            strings.update(range(first.lineno, first.end_lineno + 1))
    return [(number, line.split("#", 1)[0]) for number, line in enumerate(source.splitlines(), 1) if number not in strings]


def test_no_module_but_layout_spells_a_section_folder() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in [SCRIPTS / "hooks.py", SCRIPTS / "macros.py", *sorted(PACKAGE.rglob("*.py")), *sorted((SCRIPTS / "benchmark").rglob("*.py"))]
        if path != PACKAGE / "layout.py"
        for number, line in _code_lines(path)
        if LAYOUT_SPELLINGS.search(line)
    ]
    assert found == [], "ask playbook_site.layout for the folder instead"


def test_the_spelling_check_finds_a_copy(tmp_path: Path) -> None:
    copy = tmp_path / "copy.py"
    copy.write_text('"""Docs may say case-studies/."""\nURL = f"{tree}case-studies/{key}/"  # and so may comments: patterns/\n', encoding="utf-8")
    copy.write_text(copy.read_text(encoding="utf-8") + 'SOURCE = f"playbooks/{slug}.md"\nINSIDE = src.startswith("playbooks/")\n', encoding="utf-8")
    assert [number for number, line in _code_lines(copy) if LAYOUT_SPELLINGS.search(line)] == [2, 4]


def test_every_macro_the_layout_names_is_defined() -> None:
    """The generated pages and the playbooks call macros by the names in layout.py; scripts/macros.py defines them."""
    import macros

    class Env:
        conf: dict = {}
        page = None

        def __init__(self) -> None:
            self.names: set[str] = set()

        def macro(self, function, name: str = ""):
            self.names.add(name or function.__name__)
            return function

    env = Env()
    macros.define_env(env)
    assert layout.PLAYBOOK_MACROS <= env.names


@pytest.mark.parametrize("locale, default, expected", [("en", "en", ""), ("es", "en", "es/"), ("en", "es", "en/"), ("es", "es", "")])
def test_the_language_tree_follows_the_default_language(locale: str, default: str, expected: str) -> None:
    assert layout.tree(locale, default) == expected
    assert layout.page_url("case_study", "x", locale, default) == f"{expected}case-studies/x/"
    assert layout.generated_source("pattern", "x", locale, default) == ("patterns/x.md" if not expected else f"patterns/x.{locale}.md")


@pytest.mark.parametrize(
    "site_url, base, path",
    [
        ("", "/", "/"),
        (None, "/", "/"),
        ("/", "/", "/"),
        ("https://example.org", "https://example.org/", "/"),
        ("https://example.org/", "https://example.org/", "/"),
        ("https://example.org/playbooks", "https://example.org/playbooks/", "/playbooks/"),
        ("https://example.org/playbooks/", "https://example.org/playbooks/", "/playbooks/"),
    ],
)
def test_site_url_with_or_without_its_slash(site_url: str | None, base: str, path: str) -> None:
    assert layout.site_base(site_url) == base
    assert layout.site_base_path(site_url) == path
    assert layout.absolute_url(site_url, "es/go/glam/") == base + "es/go/glam/"


def test_short_links_lead_into_the_tree() -> None:
    assert layout.short_link_path("playbook", "working-with-media", "step-3") == "playbooks/working-with-media/#step-3"
    assert layout.short_link_path("page", "index") == ""
    assert layout.short_link_path("page", "case-studies/index") == "case-studies/"
    assert layout.short_link_path("page", "about") == "about/"
    assert layout.section_of("patterns/start-with-a-pilot/") == ("pattern", "start-with-a-pilot")
    assert layout.section_of("sources/") is None and layout.section_of("about/") is None
    assert layout.playbook_of("playbooks/working-with-media.es.md") == "working-with-media"
    assert layout.playbook_of("patterns/x.md") is None and layout.playbook_of("index.md") is None


_PATHS = ["", ".", "/", "a", "a/", "a/b", "a/b/", "a/b/c.html", "a/../b/", "../x/", "a/b/../../..", "es/", "es/case-studies/x/", "data/case-studies.json", "x.y/z", "a/./b/"]


@pytest.mark.parametrize("url, other", list(itertools.product(_PATHS, _PATHS)))
def test_relative_url_is_mkdocs_own(url: str, other: str) -> None:
    """layout.relative_url replaces mkdocs.utils.get_relative_url outside the engine layer: same answer on every pair."""
    assert layout.relative_url(url, other) == get_relative_url(url, other)


@pytest.mark.parametrize("folder, page, expected", [("", "", "./"), ("", "es/about/", "../../"), ("es/", "es/", "./"), ("es/", "es/case-studies/x/", "../../"), ("es/", "about/", "../es/"), ("", "index.html", "./")])
def test_a_folder_link_always_ends_in_a_slash(folder: str, page: str, expected: str) -> None:
    assert layout.relative_folder(folder, page) == expected


# -- the default language comes from mkdocs.yml, never from the code ---------------------------


def _site_with_default(tmp_path: Path, locale: str) -> Path:
    """A checkout whose mkdocs.yml makes `locale` the default language (the rest is read from the repository)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("          default: true\n", "", 1).replace(f"        - locale: {locale}\n", f"        - locale: {locale}\n          default: true\n", 1)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_site_s_default_language_is_the_fallback_of_every_message(tmp_path: Path) -> None:
    from playbook_site import languages
    from playbook_site.contribute.issue_forms import Message

    root = _site_with_default(tmp_path, "fr")
    assert languages.default_locale(root / "mkdocs.yml") == "fr"
    assert Message("required").text("de", root) == "cette réponse est obligatoire"
    assert Message("required").text(None, root) == "cette réponse est obligatoire"
    assert Message("required").text("de") == "this answer is required"  # this repository's default


def test_a_case_study_says_its_language_only_when_it_is_not_the_default() -> None:
    from playbook_site.contribute.case_study_writer import case_study_data

    answers = {
        "id": "x", "title": "Título", "summary": "Resumen", "affiliates": ["A"], "partners": [], "region": "europe", "years": [2020], "themes": [],
        "what_worked": [], "what_did_not_work": [], "lessons": [], "language": "es",
    }
    assert "original_language" not in case_study_data(answers, "es")
    assert case_study_data(answers, "en")["original_language"] == "es"
    assert case_study_data({**answers, "language": None}, "fr")["title"] == {"fr": "Título"}


def test_a_playbook_s_steps_are_those_of_its_original() -> None:
    from playbook_site.content.models import Playbook

    headings = {"es": {"intro": "Introducción", "step-1": "1. Primero", "step-2": "2. Después"}, "en": {"step-1": "1. First"}}
    playbook = Playbook("x", {"es": "X"}, (), (), (), {}, "es", headings=headings)
    assert playbook.step_ids() == ["step-1", "step-2"]
