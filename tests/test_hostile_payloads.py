"""Hostile input that is valid: payloads in text come out inert.

tests/fixtures/hostile/ (written by tests/hostile/generate.py) is a valid site whose every text field
carries script, event-handler, javascript:/data: URL and Jinja payloads. It is built once; the HTML
and a real browser must show every payload as inert text. (Broken data: test_hostile_inputs.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hostile import generate
from live_parts import live_parts
from sites import BuildResult, assemble, build

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
