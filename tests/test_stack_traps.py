"""Known traps of MkDocs + Material + static-i18n + macros, each pinned by a test."""

from __future__ import annotations

import os
import re
from pathlib import Path

import material
from playbook_site.languages import _ConfigLoader
from playbook_site.paths import COMPONENTS
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
    page = roots.docs / "case-studies" / "payload-case.es.md"
    assert page.exists() and 'data-pp-id="payload-case"' in page.read_text(encoding="utf-8")
    assert materialise(catalogue, roots.docs) == 0
    page.write_text("edited by hand", encoding="utf-8")
    catalogue = load_catalogue(roots)  # a new catalogue (as after a save under `make serve`) is rendered again
    assert materialise(catalogue, roots.docs) == 1 and 'data-pp-id="payload-case"' in page.read_text(encoding="utf-8")
    # The same catalogue is not rendered again (the i18n plugin runs the hooks once per language)...
    page.write_text("edited by hand", encoding="utf-8")
    assert materialise(catalogue, roots.docs) == 0
    # ...unless a component template changed (`make serve` while editing overrides/components/).
    template = COMPONENTS / "case_study.html"
    times = template.stat()
    os.utime(template, ns=(times.st_atime_ns, times.st_mtime_ns + 1_000_000))
    try:
        assert materialise(catalogue, roots.docs) == 1 and 'data-pp-id="payload-case"' in page.read_text(encoding="utf-8")
    finally:
        os.utime(template, ns=(times.st_atime_ns, times.st_mtime_ns))
    stale = roots.docs / "case-studies" / "removed-case.md"
    stale.write_text("old", encoding="utf-8")
    assert materialise(catalogue, roots.docs) == 1 and not stale.exists()
    assert (roots.docs / "case-studies" / "index.md").exists()


def test_data_pages_are_finished_html_that_macros_leave_alone(tmp_path: Path) -> None:
    """No Jinja runs on a data page: its body is the view's escaped HTML and mkdocs-macros is told to skip it."""
    from playbook_site.content.catalogue import ContentRoots, load_catalogue
    from playbook_site.render.generated_pages import finished_kind, materialise

    site = assemble("mini", tmp_path / "site")
    roots = ContentRoots.beside(site / "mkdocs.yml")
    catalogue = load_catalogue(roots)
    materialise(catalogue, roots.docs)
    front, body = (roots.docs / "case-studies" / "payload-case.md").read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(front) == {"data_page": "case_study", "data_id": "payload-case", "render_macros": False}
    assert finished_kind("---\n" + front + "\n---\n" + body) == "case_study" and finished_kind(body) is None  # what the dev server reads back
    assert body.startswith("<article") and "{{ 7*7 }} Case" in body  # as typed: safe only because nothing renders it again
    assert "&lt;script&gt;alert(&#39;title&#39;)" in body and "<script>" not in body
    assert "\n\n" not in body.strip()  # one raw HTML block: a blank line would let Markdown read the rest


def test_materialise_writes_and_prunes_only_the_languages_asked_for(tmp_path: Path) -> None:
    """So the languages' pages can be written by separate processes."""
    from playbook_site.content.catalogue import ContentRoots, load_catalogue
    from playbook_site.render.generated_pages import materialise

    site = assemble("mini", tmp_path / "site")
    roots = ContentRoots.beside(site / "mkdocs.yml")
    catalogue = load_catalogue(roots)
    assert materialise(catalogue, roots.docs, locales=("es",)) > 0
    folder = roots.docs / "case-studies"
    assert (folder / "payload-case.es.md").exists() and not (folder / "payload-case.md").exists()
    (folder / "gone.fr.md").write_text("old", encoding="utf-8")
    (folder / "gone.es.md").write_text("old", encoding="utf-8")
    assert materialise(catalogue, roots.docs, locales=("es",)) == 1
    assert (folder / "gone.fr.md").exists() and not (folder / "gone.es.md").exists()


def test_a_data_page_s_anchors_are_read_with_the_html_parser() -> None:
    """MkDocs checks links to a data page's anchors against the ids the engine reads from its finished HTML, as a browser reads them."""
    from types import SimpleNamespace

    from playbook_site.publish import engine

    page = SimpleNamespace()
    body = """<article id="top"><h2 id='lessons'>L</h2><p data-note='an id="fake" inside' id=plain>x</p><a name="old-name"></a><h3 id="a&amp;b" id="second">x</h3><div id=""></div></article>"""
    assert engine.hold_finished_html(page, body) == ""
    assert engine.restore_finished_html(page, "") == body
    assert "lessons" in page.present_anchor_ids and "fake" not in page.present_anchor_ids  # as MkDocs asks
    assert set(page.present_anchor_ids) == {"top", "lessons", "plain", "old-name", "a&b"}


def test_a_link_to_a_data_page_s_anchor_is_checked(tmp_path: Path) -> None:
    """The strict build knows a data page's anchors (read on demand from its finished HTML): a missing one fails it, a real one does not."""
    site = assemble("mini", tmp_path / "site")
    about = site / "docs" / "about.md"
    links = "[lessons](case-studies/payload-case.md#lessons) and [nothing](case-studies/payload-case.md#no-such-anchor)"
    about.write_text(about.read_text(encoding="utf-8") + f"\n\n{links}\n", encoding="utf-8")
    result = build(site)
    assert result.returncode != 0
    assert "does not contain an anchor '#no-such-anchor'" in result.output
    assert "'#lessons'" not in result.output


def test_markdown_gives_every_data_page_back_unchanged(tmp_path: Path) -> None:
    """hooks.py hands a data page's HTML around Markdown (publish/engine.hold_finished_html): safe only while Markdown would not change it."""
    import markdown
    from playbook_site.content.catalogue import ContentRoots, load_catalogue
    from playbook_site.render.generated_pages import materialise

    extensions, configs = [], {}
    for entry in site_config()["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if options:
            configs[name] = options
    converter = markdown.Markdown(extensions=extensions, extension_configs=configs)
    for fixture in ("mini", None):  # the hostile payloads, then the real data
        roots = ContentRoots.beside(assemble(fixture, tmp_path / fixture) / "mkdocs.yml") if fixture else ContentRoots()
        docs = tmp_path / f"docs-{fixture or 'real'}"
        materialise(load_catalogue(roots), docs)
        pages = [path for path in docs.rglob("*.md") if "render_macros: false" in path.read_text(encoding="utf-8")]
        assert len(pages) > 4
        for path in pages:
            body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
            assert converter.reset().convert(body) == body.strip(), path


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
