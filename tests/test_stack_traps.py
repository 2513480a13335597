"""Known traps of MkDocs + Material + static-i18n + macros, each pinned by a test."""

from __future__ import annotations

import re
from pathlib import Path

import material
from playbook_site.languages import _ConfigLoader
from sites import REPO, assemble, build
import yaml


def site_config() -> dict:
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506


def test_no_forced_direction_and_no_instant_navigation() -> None:
    """theme.direction would force one direction on every language; navigation.instant breaks the switcher."""
    theme = site_config()["theme"]
    assert "direction" not in theme
    assert "navigation.instant" not in theme.get("features", [])


def test_macro_errors_fail_the_build() -> None:
    macros = next(p["macros"] for p in site_config()["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["on_undefined"] == "strict" and macros["on_error_fail"] is True


def test_an_import_error_in_the_macros_module_stops_the_build(tmp_path: Path) -> None:
    site = assemble("mini", tmp_path / "site")
    (site / "broken_macros.py").write_text("import module_that_does_not_exist\n\ndef define_env(env):\n    pass\n", encoding="utf-8")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8").replace("module_name: scripts/macros", "module_name: broken_macros")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(site)
    assert result.returncode != 0
    assert "module_that_does_not_exist" in result.output


def test_an_unknown_macro_in_a_page_stops_the_build(tmp_path: Path) -> None:
    site = assemble("mini", tmp_path / "site")
    (site / "docs" / "about.md").write_text("# About\n\n{{ no_such_macro() }}\n", encoding="utf-8")
    result = build(site)
    assert result.returncode != 0
    assert "no_such_macro" in result.output


def test_generated_pages_are_written_only_when_changed(tmp_path: Path) -> None:
    """So `make serve` does not rebuild in a loop."""
    from playbook_site.content.catalogue import ContentRoots, load_catalogue
    from playbook_site.render.generated_pages import materialise

    site = assemble("mini", tmp_path / "site")
    roots = ContentRoots.beside(site / "mkdocs.yml")
    catalogue = load_catalogue(roots)
    assert materialise(catalogue, roots.docs) > 0
    stub = roots.docs / "case-studies" / "payload-case.es.md"
    assert stub.exists() and 'case_study_page("payload-case")' in stub.read_text(encoding="utf-8")
    assert materialise(catalogue, roots.docs) == 0
    stale = roots.docs / "case-studies" / "removed-case.md"
    stale.write_text("old", encoding="utf-8")
    assert materialise(catalogue, roots.docs) == 1 and not stale.exists()
    assert (roots.docs / "case-studies" / "index.md").exists()


def test_material_is_extended_not_copied() -> None:
    """A copied Material template or a hashed Material file name breaks silently on Material's next release."""
    theirs = Path(material.__file__).parent / "templates"
    ours = REPO / "overrides"
    copied = [path.relative_to(ours).as_posix() for path in ours.rglob("*.html") if path.name != "main.html" and (theirs / path.relative_to(ours)).exists()]
    assert not copied, f"copies of Material's templates: {copied}; extend its blocks in overrides/main.html instead"
    hashed = [(path.name, name) for path in ours.rglob("*.html") for name in re.findall(r"[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)", path.read_text(encoding="utf-8"))]
    assert not hashed, hashed
    main = (ours / "main.html").read_text(encoding="utf-8")
    base = (theirs / "base.html").read_text(encoding="utf-8")
    for block in re.findall(r"{%\s*block (\w+)\s*%}", main):
        body = main.split(f"{{% block {block} %}}", 1)[1].split("{% endblock %}", 1)[0]
        empty_in_material = f"{{% block {block} %}}{{% endblock %}}" in base
        assert "super()" in body or empty_in_material, f"block {block} replaces Material's instead of extending it"
