"""Hostile input: broken data is reported cleanly; payloads in valid text come out inert.

The corpus in tests/hostile/cases/ (regenerate it with tests/hostile/generate.py)
breaks copies of the project's own entries. The real content is copied once;
for each case a temporary folder shows it through symbolic links, with the
case's broken file laid over it (`sites.overlay`), and validation runs: it
must exit 1 without a traceback and report a line
`path:line:column: field: message` where the case's expect.yml says.

tests/fixtures/hostile/ is a valid site whose every text field carries
script, event-handler, javascript:/data: URL and Jinja payloads. It is built
once; the HTML and a real browser must show every payload as inert text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from annotation_lines import assert_points_at_the_case, parse
from hostile import generate
from live_parts import live_parts
from playbook_site import cli
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.problems import DataError
from sites import BuildResult, assemble, build, overlay

CASES = generate.CASES
CASE_NAMES = sorted(path.name for path in CASES.iterdir() if (path / "expect.yml").is_file())
SUMMARY_LINE = re.compile(r"^\d+ problems? found in the data; ")
ANY_PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+:\d+: \S.*$")
FIELDLESS = re.compile(r"^[^\s:]+: ")  # a field name: no spaces, then ': '
SENTINEL = "python-tag-ran"  # the file the !!python/object/apply case would create if its tag ran


def _case_params(run: str) -> list[str]:
    return [name for name in CASE_NAMES if generate.load_expectation(CASES / name)["run"] == run]


def content_with_case(pristine: Path, target: Path, name: str, code: bool = False, copied: tuple[str, ...] = ()) -> Path:
    """`target`: the pristine content through links, with the case's files written over it.

    With `code`, also the code (scripts/, hard links to the pristine copy): `python -m playbook_site`
    finds its content beside itself, so it must run from inside `target`. Top-level folders in `copied`
    are real copies (for a command that may write there)."""
    overlay(pristine, target, [*generate.case_paths(CASES / name), "scripts"], copied=copied)
    if code:
        shutil.copytree(pristine / "scripts", target / "scripts", copy_function=os.link)
    written = generate.materialise(CASES / name, target)
    assert written and all(not (target / path).is_symlink() for path in written), written
    return target


def assert_reported(output: str, spec: dict) -> None:
    """`output` holds the expected problem line, and nothing but problem lines and the summary."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "validation printed nothing"
    strays = [line for line in lines if not (ANY_PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line))]
    assert not strays, f"lines that are not `path:line:column: ...` problems: {strays[:5]}"
    expect = spec["expect"]
    column = str(expect["column"]) if expect["column"] is not None else r"\d+"
    prefix = re.compile(rf"^{re.escape(expect['path'])}:{expect['line']}:{column}: (?P<rest>.*)$")
    candidates = [match["rest"] for line in lines if (match := prefix.match(line))]
    if expect["field"] is None:
        found = [rest for rest in candidates if expect["message"] in rest]
    elif expect["field"] == "":
        found = [rest for rest in candidates if not FIELDLESS.match(rest) and expect["message"] in rest]
    else:
        found = [rest for rest in candidates if rest.startswith(f"{expect['field']}: ") and expect["message"] in rest[len(expect["field"]) + 2 :]]
    wanted = f"{expect['path']}:{expect['line']}:{expect['column'] or '*'}: {expect['field'] if expect['field'] is not None else '*'}: ...{expect['message']}..."
    assert found, f"expected {wanted}\ngot:\n" + "\n".join(lines[:20])


# -- the corpus ------------------------------------------------------------------------------


def test_the_corpus_is_large_and_complete() -> None:
    assert len(CASE_NAMES) >= 40
    generated = sorted(case.name for case in generate.cases())
    assert CASE_NAMES == generated, "the corpus is out of date: run tests/hostile/generate.py"
    for name in CASE_NAMES:
        spec = generate.load_expectation(CASES / name)
        assert spec["about"] and spec["expect"]["path"] and spec["expect"]["line"] >= 1, name
        assert any((CASES / name / "files").rglob("*")), name


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    first = generate.write_all(tmp_path / "a" / "cases", tmp_path / "a" / "fixture")
    generate.write_all(tmp_path / "b" / "cases", tmp_path / "b" / "fixture")
    tree = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert tree == again
    assert len(first) == len(CASE_NAMES)
    assert max(len(content) for content in tree.values()) < 100_000, "files over 100 KB must be fill recipes"
    # The committed corpus and fixture site must be what generate.py makes from today's data: a case
    # built from an old copy of an entry would lay last month's file over this month's content.
    for committed_dir, fresh_dir in ((generate.FIXTURE, tmp_path / "a" / "fixture"), (CASES, tmp_path / "a" / "cases")):
        committed = {p.relative_to(committed_dir): p.read_bytes() for p in committed_dir.rglob("*") if p.is_file()}
        fresh = {p.relative_to(fresh_dir): p.read_bytes() for p in fresh_dir.rglob("*") if p.is_file()}
        stale = sorted(str(path) for path in committed.keys() | fresh.keys() if committed.get(path) != fresh.get(path))
        assert not stale, f"{committed_dir.relative_to(generate.REPO)} is out of date ({', '.join(stale[:3])}...): an entry it copies was edited; run `PYTHONPATH=scripts .venv/bin/python tests/hostile/generate.py` and commit tests/hostile/ and tests/fixtures/hostile/"


@pytest.mark.parametrize("name", _case_params("in-process"))
def test_bad_input_is_reported_in_process(name: str, pristine_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The data is loaded once (the slow part), and `validate`'s report is checked in both its formats:
    problem lines on stderr, and GitHub annotations on stdout with the count on stderr."""
    root = content_with_case(pristine_content, tmp_path / "content", name)
    monkeypatch.chdir(root)
    with pytest.raises(DataError) as raised:
        load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    assert not (root / SENTINEL).exists()
    cli.print_problems(raised.value, "text")
    out, err = capsys.readouterr()
    assert not out
    assert_reported(err, generate.load_expectation(CASES / name))
    cli.print_problems(raised.value, "github")
    out, err = capsys.readouterr()
    assert_points_at_the_case(parse(out), name)
    assert re.fullmatch(r"\d+ problems? found in the data; .*\n", err), err


@pytest.mark.parametrize("name", _case_params("subprocess"))
def test_bad_input_is_reported_by_the_command(name: str, pristine_content: Path, tmp_path: Path) -> None:
    """`python -m playbook_site validate` in a copy of the repository: exit 1, a report, no traceback."""
    root = content_with_case(pristine_content, tmp_path / "content", name, code=True)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root / "scripts"), "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "playbook_site", "validate"], cwd=root, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stdout + result.stderr
    assert_reported(result.stderr, generate.load_expectation(CASES / name))
    assert not (root / SENTINEL).exists(), "a !!python tag was executed"


@pytest.mark.parametrize("name", ["yaml-syntax-unquoted-colon-in-title", "non-utf8-playbook", "deep-nesting-50000-levels"])
def test_a_failed_build_leaves_the_previous_site_intact(name: str, pristine_content: Path, tmp_path: Path) -> None:
    """Whatever stops the build (bad YAML, bad bytes, a file that once crashed the loader), site/ is untouched."""
    root = content_with_case(pristine_content, tmp_path / "content", name, code=True, copied=("docs",))
    previous = root / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("<p>the previous site</p>", encoding="utf-8")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root / "scripts"), "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "playbook_site", "build"], cwd=root, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert [p.relative_to(root).as_posix() for p in (root / "site").rglob("*")] == ["site/index.html"]
    assert previous.read_text(encoding="utf-8") == "<p>the previous site</p>"
    assert not (root / ".build" / "site-next").exists()


# -- the payload site ------------------------------------------------------------------------

PAYLOAD_LABEL = re.compile(r"xss-([a-z0-9.\-]*[a-z0-9])")
PLAYBOOK_PAGES = re.compile(r"(^|/)playbooks/hostile-playbook/")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = assemble("hostile", tmp_path_factory.mktemp("hostile"))
    result = build(folder)
    assert result.returncode == 0, result.output[-5000:]
    return result


def pages(site: Path, playbook: bool) -> dict[str, str]:
    """Every HTML page of the site (all languages), the hostile playbook's pages or all others."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if bool(PLAYBOOK_PAGES.search(relative)) == playbook:
            found[relative] = path.read_text(encoding="utf-8")
    return found


def jinja_traces(html: str, site: Path) -> list[str]:
    traces = []
    if re.search(r"(?<!%\})jinja-ran", html):
        traces.append("a {% if %} block ran")
    if re.search(r"(?<![\w.#-])49 (jinja-ran|\{%)", html):
        traces.append("{{ 7*7 }} became 49")
    if str(site.parent) in html:
        traces.append("os.getcwd() ran at build time")
    return traces


def payload_labels(folder: Path) -> set[str]:
    return {label for path in folder.rglob("*.yml") for label in PAYLOAD_LABEL.findall(path.read_text(encoding="utf-8"))}


def test_payloads_in_data_are_inert_on_every_page(hostile_site: BuildResult) -> None:
    built = pages(hostile_site.site, playbook=False)
    assert len(built) >= 4 * 14, sorted(built)
    offenders = {path: found for path, html in built.items() if (found := live_parts(html) + jinja_traces(html, hostile_site.site))}
    assert not offenders, offenders


def test_every_payload_reaches_a_page_as_text(hostile_site: BuildResult) -> None:
    """Inert, not dropped: each field's payload is shown, with its Jinja as typed and its tags as text."""
    labels = payload_labels(generate.FIXTURE / "data")
    assert len(labels) > 100
    shown: set[str] = set()
    for html in pages(hostile_site.site, playbook=False).values():
        shown.update(PAYLOAD_LABEL.findall(html))
    assert labels - shown == set()
    case = (hostile_site.site / "es" / "case-studies" / "hostile-case" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;xss-hostile-case.summary.es&#39;)&lt;/script&gt; &lt;img src=x onerror=&#34;alert(" in case
    assert "{{ 7*7 }} {% if true %}jinja-ran{% endif %} {{ cycler.__init__.__globals__.os.getcwd() }} {## comment ##}" in case
    glossary = (hostile_site.site / "fr" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "xss-glossary.museum.definition.fr musée &lt;script&gt;" in glossary


def test_glossary_definitions_with_payloads_stay_inside_their_title_attribute(hostile_site: BuildResult) -> None:
    html = (hostile_site.site / "ar" / "case-studies" / "hostile-case" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="pp-term" href="[^"]+#museum" title="([^"]*)">', html)
    assert links, "the Arabic term was not linked"
    assert all("<" not in title and "xss-glossary.museum.definition.ar" in title for title in links)


def test_no_tooltip_text_holds_markup(hostile_site: BuildResult) -> None:
    """With content.tooltips on, a title attribute inside the content is HTML waiting to be rendered."""
    offenders = {}
    for path, html in pages(hostile_site.site, playbook=False).items():
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]
        titles = [title for title in re.findall(r'\stitle="([^"]*)"', article) if "&lt;" in title]
        if titles:
            offenders[path] = titles[0][:80]
    assert not offenders, offenders


def test_payloads_in_a_playbook_body_are_inert(hostile_site: BuildResult) -> None:
    built = pages(hostile_site.site, playbook=True)
    assert len(built) == 4
    offenders = {path: found for path, html in built.items() if (found := live_parts(html) + jinja_traces(html, hostile_site.site))}
    assert not offenders, offenders


# -- the payload site in a browser -------------------------------------------------------------
# The `page` fixture (tests/conftest.py) records every sign of a payload running in `page.ran`:
# dialogs, page errors, popups and requests for `src=x`; `visit` adds window.__pwned.


@pytest.fixture(scope="session")
def hostile_url(hostile_site: BuildResult, static_server) -> str:
    return static_server(hostile_site.site)


def visit(page, url: str, hover: bool = False) -> int:
    """Open a page (and hover what shows a tooltip), then look for traces of a payload; returns how many were hovered."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    hovered = 0
    if hover:
        for element in page.locator("article [title]").all()[:12]:
            element.hover()
            page.mouse.move(0, 0)
            hovered += 1
    pwned = page.evaluate("() => window.__pwned")
    if pwned:
        page.ran.append(f"window.__pwned = {pwned!r} on {url}")
    return hovered


def search(page, query: str) -> None:
    """Type a query key by key (Material's search does not react to Playwright's fill()) and hover the results."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    for result in page.locator(".md-search-result__item").all()[:5]:
        result.hover()


def tree_urls(site: Path, base: str, prefix: str, playbook: bool = False) -> list[str]:
    """The URLs of one language tree's pages ('' is the default language at the root)."""
    urls = []
    for path in pages(site, playbook=playbook):
        first = path.split("/", 1)[0]
        if (first == prefix) if prefix else (first not in ("es", "fr", "ar")):
            urls.append(f"{base}/{path.removesuffix('index.html')}")
    return urls


TREES = ["", "es", "fr", "ar"]


@pytest.mark.browser
@pytest.mark.parametrize("prefix", TREES)
def test_no_payload_runs_when_pages_load_or_search_runs(page, hostile_site: BuildResult, hostile_url: str, prefix: str) -> None:
    urls = tree_urls(hostile_site.site, hostile_url, prefix)
    assert len(urls) >= 14, urls
    for url in urls:
        visit(page, url)
    # Search results are rendered as HTML by the theme: they must stay text too.
    page.goto(f"{hostile_url}/{prefix + '/' if prefix else ''}", wait_until="load")
    search(page, "xss")
    assert page.evaluate("() => window.__pwned") is None
    assert not page.ran, page.ran


def entry_pages() -> set[str]:
    """The paths of the fixture's own case studies, patterns and pathways, read from its data."""
    data = generate.FIXTURE / "data"
    found = {f"case-studies/{path.stem}/" for path in (data / "case_studies").glob("*.yml")}
    found |= {f"patterns/{path.stem}/" for path in (data / "patterns").glob("*.yml")}
    found |= {f"pathways/{key}/" for key in yaml.safe_load((data / "pathways.yml").read_text(encoding="utf-8"))}
    return found


@pytest.mark.browser
@pytest.mark.parametrize("prefix", TREES)
def test_no_payload_runs_when_tooltips_show(page, hostile_site: BuildResult, hostile_url: str, prefix: str) -> None:
    """Every case study, pattern and pathway page of the fixture, in each tree, with its tooltips hovered."""
    tree = f"{hostile_url}/{prefix + '/' if prefix else ''}"
    wanted = {tree + path for path in entry_pages()}
    assert len(wanted) >= 6, wanted
    urls = [url for url in tree_urls(hostile_site.site, hostile_url, prefix) if url in wanted]
    assert sorted(urls) == sorted(wanted), "an entry page of the fixture was not built"
    hovered = 0
    for url in urls:
        hovered += visit(page, url, hover=True)
        assert not page.ran, page.ran
    assert hovered >= len(urls), f"only {hovered} tooltips hovered on {len(urls)} pages"


@pytest.mark.browser
def test_no_payload_in_a_playbook_body_runs_in_the_browser(page, hostile_site: BuildResult, hostile_url: str) -> None:
    urls = [url for prefix in TREES for url in tree_urls(hostile_site.site, hostile_url, prefix, playbook=True)]
    assert len(urls) == len(TREES), urls
    for url in urls:
        visit(page, url)
    assert not page.ran, page.ran
