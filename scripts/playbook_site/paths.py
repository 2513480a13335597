"""Where things live in the repository. Every module asks here, never guesses."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MKDOCS_YML = ROOT / "mkdocs.yml"
DOCS = ROOT / "docs"
PLAYBOOKS = ROOT / "playbooks"
DATA = ROOT / "data"
SCHEMAS = DATA / "schema"
CASE_STUDIES = DATA / "case_studies"
PATTERNS = DATA / "patterns"
TAXONOMY = DATA / "taxonomy.yml"
SOURCES = DATA / "sources.yml"
UI_STRINGS = DATA / "ui.yml"
COMPONENTS = ROOT / "overrides" / "components"
SITE = ROOT / "site"
BUILD = ROOT / ".build"


def relative(path: Path) -> str:
    """A path as contributors see it: from the folder holding its site's mkdocs.yml."""
    resolved = path.resolve()
    for folder in resolved.parents:
        if (folder / "mkdocs.yml").is_file():
            return resolved.relative_to(folder).as_posix()
    return path.as_posix()
