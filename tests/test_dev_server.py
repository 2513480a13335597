"""`make serve` (publish/dev_server.py): edits reach every page that shows them, one rebuild per save,
broken data shown on the page while the last good site stays, and nothing left running after SIGTERM.

One `make serve` runs for the whole module on a temporary copy of the content
(the checkout is never edited); the tests run in order and the last one stops it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from benchmark.reload import (
    stale_files,  # the same check as make bench's reload measure
)
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.publish.dev_builder import pages_to_rebuild
from playbook_site.render import generated_pages
from playbook_site.publish.dev_server import DevServer, watched
from sites import REPO

LOCALES = ("en", "es", "fr", "ar")
TIMEOUT = 600  # seconds; a loaded 2-core machine builds slowly, the benchmark measures the speed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """`make serve` in a copy of the site, with its output kept."""

    def __init__(self, root: Path, port: int, only: str | None = None):
        self.root = root
        self.port = port
        self.base = f"http://127.0.0.1:{port}/"
        self.locales = (only,) if only else LOCALES
        env = {key: value for key, value in os.environ.items() if key not in ("ONLY_LOCALE", "MAKEFLAGS", "MFLAGS")}
        self.make = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"ADDRESS=127.0.0.1:{port}", *([f"ONLY={only}"] if only else [])],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.make.stdout is not None
        for line in self.make.stdout:
            self.log.append(line.rstrip())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("_dev/status")[1])

    def idle(self, quiet: float = 1.0) -> dict:
        """Wait until no change is pending and no build runs (for `quiet` seconds on end)."""
        deadline, since = time.monotonic() + TIMEOUT, None
        while time.monotonic() < deadline:
            assert self.make.poll() is None, "make serve stopped:\n" + "\n".join(self.log[-40:])
            try:
                status = self.status()
            except urllib.error.URLError:  # not listening yet
                time.sleep(0.2)
                continue
            if status["building"] or status["pending"] or len(status["trees"]) < len(self.locales):
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since >= quiet:
                return status
            time.sleep(0.1)
        raise AssertionError("make serve never settled:\n" + "\n".join(self.log[-40:]))

    def bundle(self, prefix: str) -> dict:
        """The languages of the tree's Pagefind bundle, once the builder has indexed it (it does so when idle)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            status, text = self.get(f"{prefix}pagefind/pagefind-entry.json")
            if status == 200:
                return json.loads(text)["languages"]
            time.sleep(0.2)
        raise AssertionError(f"no {prefix}pagefind/ bundle:\n" + "\n".join(self.log[-40:]))

    def stop(self) -> None:
        if self.make.poll() is None:
            os.killpg(self.make.pid, signal.SIGKILL)
            self.make.wait()

    def descendants(self) -> set[int]:
        """Every process started under make (by parent id, whatever its process group)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        found, todo = set(), [self.make.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.add(child)
                todo.append(child)
        return found


def _copy_site(target: Path) -> Path:
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(REPO / name, target / name)
    for name in ("mkdocs.yml", "Makefile", "requirements.txt", "requirements-test.txt"):
        shutil.copy2(REPO / name, target / name)
    for name in ("scripts", "overrides", ".venv"):
        (target / name).symlink_to(REPO / name)
    return target


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not (REPO / ".venv" / ".installed").exists():
        pytest.skip("make serve needs the project's .venv (make .venv/.installed)")
    server = Served(_copy_site(tmp_path_factory.mktemp("serve")), _free_port())
    try:
        server.idle()
        yield server
    finally:
        server.stop()


def _fresh_builds(root: Path, target: Path) -> dict[str, Path]:
    """Every language built from scratch (as `make serve` builds it) from the same content."""
    trees = {}
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
    processes = []
    for locale in LOCALES:
        trees[locale] = target / locale
        command = [sys.executable, "-m", "playbook_site", "serve", "--root", str(root), "--out", str(trees[locale]), "--once", locale]
        processes.append(subprocess.Popen(command, cwd=root, env=env))
        if len(processes) == 2:
            assert all(process.wait(timeout=TIMEOUT) == 0 for process in processes)
            processes = []
    assert all(process.wait(timeout=TIMEOUT) == 0 for process in processes)
    return trees


def _with_titles(text: str, markers: dict[str, str]) -> str:
    """A case study's YAML with `marker` put before its title in each language."""
    for locale, marker in markers.items():
        text, count = re.subn(rf'^(title:\n(?:[ \t].*\n)*?  {locale}: "?)', rf"\g<1>{marker} ", text, count=1, flags=re.M)
        assert count == 1, locale
    return text


def with_paragraph(markdown: str, text: str) -> str:
    """A playbook with a paragraph added under its title."""
    return re.sub(r"^(# .*\n)", rf"\g<1>\n{text}\n", markdown, count=1, flags=re.M)


def _without_dev_parts(html: str) -> str:
    """A served page without what the dev server injects (the problems and the live-reload script)."""
    for start in ('<div id="pp-dev-problems"', '<script src="/_dev/'):
        html = html.split(start)[0]
    return html


def test_only_sources_are_watched() -> None:
    assert watched("mkdocs.yml") and watched("docs/about.md") and watched("docs/playbooks/index.es.md")
    assert watched("data/case_studies/editatona.yml") and watched("playbooks/running-an-editatona.es.md") and watched("overrides/main.html")
    assert not watched("docs/playbooks/running-an-editatona.md"), "the playbook copy the build writes"
    assert not watched("docs/case-studies/editatona.es.md") and not watched("docs/case-studies/all/index.md"), "data page stubs the build writes"
    assert not watched("playbooks/.running-an-editatona.md.swp") and not watched("data/case_studies/4913") and not watched("site/index.html")


def test_an_edit_reaches_the_pages_that_show_it_and_no_other(content: Path) -> None:
    roots = ContentRoots.beside(content / "mkdocs.yml")
    old = load_catalogue(roots)
    generated_pages.materialise(old, roots.docs)  # the pages a build writes, as after a first build (the copy holds only the checkout's own files)
    pattern = next(p for p in old.patterns.values() if old.case_studies_using_pattern(p.id) and old.playbooks_using_pattern(p.id))
    pattern.path.write_text(_with_titles(pattern.path.read_text(encoding="utf-8"), {"en": "Edited"}), encoding="utf-8")
    new = load_catalogue(roots)
    pages = pages_to_rebuild(old, new, [f"data/patterns/{pattern.path.name}"], roots.docs)
    assert pages is not None
    assert f"patterns/{pattern.id}.md" in pages
    assert {f"case-studies/{case.id}.md" for case in new.case_studies_using_pattern(pattern.id)} <= pages
    assert {f"playbooks/{playbook.slug}.md" for playbook in new.playbooks_using_pattern(pattern.id)} <= pages
    assert {"case-studies/index.md", "patterns/index.md", "overview.md", "case-studies/all/index.md"} <= pages
    unrelated = [case.id for case in new.case_studies.values() if pattern.id not in case.patterns]
    assert unrelated and not any(f"case-studies/{case_id}.md" in pages for case_id in unrelated)

    playbook = new.playbooks[sorted(new.playbooks)[0]]
    source = playbook.files["es"]
    source.write_text(with_paragraph(source.read_text(encoding="utf-8"), "More text"), encoding="utf-8")
    text_only = pages_to_rebuild(new, load_catalogue(roots), [f"playbooks/{source.name}"], roots.docs)
    assert text_only == {f"playbooks/{playbook.slug}.md", f"sheets/{playbook.slug}.md"}, "a playbook's text reaches its page and sheet"

    taxonomy = content / "data" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  en: ", "  en: Edited ", 1), encoding="utf-8")
    assert pages_to_rebuild(new, load_catalogue(roots), ["data/taxonomy.yml"], roots.docs) is None, "a site-wide change rebuilds everything"


def test_one_language_is_served_from_its_own_tree() -> None:
    server = DevServer(REPO, only="es", port=0)
    try:
        assert server.locales == ("es",) and server.locate("/") == ("es", "") and server.locate("/es/playbooks/") == ("es", "es/playbooks/")
    finally:
        server.http.server_close()
    server = DevServer(REPO, port=0)
    try:
        assert server.locate("/ar/case-studies/") == ("ar", "ar/case-studies/") and server.locate("/assets/site.css") == ("en", "assets/site.css")
    finally:
        server.http.server_close()


def search_in(context, url: str, query: str) -> tuple[list[str], list[str]]:
    """Search from the page at `url`: the result addresses, and the paths of every Pagefind file fetched."""
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urllib.parse.urlparse(request.url).path))
    page.goto(url)
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)
    page.keyboard.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=60000)
    results = [urllib.parse.urlparse(href).path for href in page.eval_on_selector_all("a.md-search-result__link", "links => links.map(l => l.href)")]
    return results, [path for path in fetched if "/pagefind/" in path]


def first_chunk_start(tree_url: str) -> str:
    """Where the first index chunk's word range starts, in the bundle a served tree's pages load."""
    from playbook_site.publish import search_chunks

    with urllib.request.urlopen(tree_url + "pagefind/pagefind-entry.json", timeout=60) as response:
        [info] = json.loads(response.read())["languages"].values()
    with urllib.request.urlopen(f"{tree_url}pagefind/pagefind.{info['hash']}.pf_meta", timeout=60) as response:
        meta = gzip.decompress(response.read())[len(search_chunks.SIGNATURE):]
    return search_chunks.listed_chunks(meta)[0][0]


@pytest.mark.browser
def test_every_served_language_has_its_own_search(served: Served, browser) -> None:
    """Each served tree is indexed into its own bundle, so search works on /es/, /fr/ and /ar/ too, in that language only."""
    for locale in LOCALES:
        prefix = "" if locale == "en" else f"{locale}/"
        assert set(served.bundle(prefix)) == {locale}, prefix
        assert first_chunk_start(served.base + prefix) == "", prefix  # re-cut as `make build` does (Pagefind's own starts at its first word)
    context = browser.new_context()
    try:
        for prefix, query in (("es/", "alianzas"), ("ar/", "الشراكات"), ("", "partnership")):
            results, fetched = search_in(context, served.base + prefix, query)
            others = tuple(f"/{other}/" for other in LOCALES if other != "en" and f"{other}/" != prefix)
            assert results and all(path.startswith(f"/{prefix}") and not path.startswith(others) for path in results), (prefix, results)
            assert fetched and all(path.startswith(f"/{prefix}pagefind/") for path in fetched), (prefix, fetched)
    finally:
        context.close()


@pytest.mark.browser
def test_make_serve_only_one_language_has_search(tmp_path_factory: pytest.TempPathFactory, browser) -> None:
    """`make serve ONLY=es`: the Spanish tree alone, with its own bundle at /es/pagefind/."""
    if not (REPO / ".venv" / ".installed").exists():
        pytest.skip("make serve needs the project's .venv (make .venv/.installed)")
    server = Served(_copy_site(tmp_path_factory.mktemp("serve-es")), _free_port(), only="es")
    context = browser.new_context()
    try:
        server.idle()
        assert set(server.bundle("es/")) == {"es"}
        results, fetched = search_in(context, server.base + "es/playbooks/", "alianzas")
        assert results and all(path.startswith("/es/") for path in results), results
        assert fetched and all(path.startswith("/es/pagefind/") for path in fetched), fetched
    finally:
        context.close()
        server.stop()


def test_a_yaml_edit_reaches_every_page_that_shows_it_in_every_language(served: Served, tmp_path: Path) -> None:
    catalogue = load_catalogue(ContentRoots.beside(served.root / "mkdocs.yml"))
    case = next(c for c in catalogue.case_studies.values() if c.patterns and any(c.id in [x.id for x in catalogue.case_studies_for_playbook(s)] for s in catalogue.playbooks))
    markers = {locale: f"Edited{locale.upper()}{os.getpid()}" for locale in LOCALES}
    before = served.status()["rebuilds"]
    case.path.write_text(_with_titles(case.path.read_text(encoding="utf-8"), markers), encoding="utf-8")
    served.idle()
    assert served.status()["rebuilds"] == before + 1
    for locale in LOCALES:
        prefix = "" if locale == "en" else f"{locale}/"
        assert markers[locale] in served.get(f"{prefix}case-studies/{case.id}/")[1], f"{locale}: its own page"
        for page in ("case-studies/cards.json", "case-studies/all/", "feed.xml"):
            assert markers[locale] in served.get(prefix + page)[1], f"{locale}: {page}"
    assert all(markers["en"] in served.get(f"data/{name}")[1] for name in ("case-studies.json", "case-studies.csv")), "open data"
    # The strong check: every page of every language equals a build from scratch of the edited content.
    fresh = _fresh_builds(served.root, tmp_path)
    trees = {locale: Path(tree) for locale, tree in served.status()["trees"].items()}
    prefixes = tuple(f"{locale}/" for locale in LOCALES if locale != "en")
    stale = {locale: stale_files(trees[locale], fresh[locale], "" if locale == "en" else f"{locale}/", prefixes) for locale in LOCALES}
    assert stale == {locale: [] for locale in LOCALES}


@pytest.mark.browser
def test_a_playbook_save_is_one_rebuild_and_reloads_only_the_page_that_changed(served: Served, browser) -> None:
    slug = sorted(path.stem for path in (served.root / "playbooks").glob("*.md") if path.stem.count(".") == 0)[0]
    context = browser.new_context()
    try:
        playbook, other = context.new_page(), context.new_page()
        loads = {"playbook": 0, "other": 0}
        playbook.on("load", lambda _: loads.__setitem__("playbook", loads["playbook"] + 1))
        other.on("load", lambda _: loads.__setitem__("other", loads["other"] + 1))
        other.goto(served.base + "es/about/")
        playbook.goto(served.base + f"es/playbooks/{slug}/")
        assert served.status()["viewed"] == "es"
        before = served.status()["rebuilds"]
        marker = f"Saved{os.getpid()}"
        source = served.root / "playbooks" / f"{slug}.es.md"
        source.write_text(with_paragraph(source.read_text(encoding="utf-8"), marker), encoding="utf-8")
        playbook.wait_for_function(f"document.body?.innerText.includes('{marker}')", timeout=TIMEOUT * 1000)
        served.idle(quiet=2.0)
        assert served.status()["rebuilds"] == before + 1, "the copy written into docs/playbooks/ set off another rebuild"
        assert loads == {"playbook": 2, "other": 1}, "the changed page reloads once, the unchanged one not at all"
        log = "\n".join(served.log)
        assert log.count(f"playbooks/{slug}.es.md") == 1
        assert re.search(r"Rebuilding for playbooks/[^\n]*\(es first\)", log)
    finally:
        context.close()


@pytest.mark.browser
def test_a_broken_save_is_shown_on_the_page_and_the_last_good_site_stays(served: Served, browser) -> None:
    path = min((served.root / "data" / "case_studies").glob("*.yml"))
    good = path.read_text(encoding="utf-8")
    _, page_before = served.get(f"case-studies/{path.stem}/")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.base + f"case-studies/{path.stem}/")
        path.write_text(re.sub(r"^region: .*$", 'region: "<b>Atlantis</b>"', good, count=1, flags=re.M), encoding="utf-8")
        page.wait_for_selector("#pp-dev-problems", timeout=TIMEOUT * 1000)
        overlay = page.inner_text("#pp-dev-problems")
        assert re.search(rf"data/case_studies/{re.escape(path.name)}:\d+:\d+: region: ", overlay), overlay
        assert "<b>Atlantis</b>" in overlay, "the value is shown as text"
        assert page.locator("#pp-dev-problems b").count() == 0, "and never as markup"
        assert "region" in "\n".join(served.log), "the problem is printed in the terminal too"
        status, html = served.get(f"es/case-studies/{path.stem}/")
        assert status == 200 and "pp-dev-problems" in html, "every served page shows it"
        assert _without_dev_parts(served.get(f"case-studies/{path.stem}/")[1]) == _without_dev_parts(page_before), "the last good page stays"
        marker = f"Recovered{os.getpid()}"
        path.write_text(_with_titles(good, {"en": marker}), encoding="utf-8")
        page.wait_for_function(f"document.body?.innerText.includes('{marker}')", timeout=TIMEOUT * 1000)
        assert page.locator("#pp-dev-problems").count() == 0
        served.idle()
        assert served.status()["problems"] == []
    finally:
        context.close()


def test_sigterm_to_make_stops_every_process_and_frees_the_port(served: Served) -> None:
    served.idle()
    started = served.descendants()
    assert len(started) >= 2, "make serve runs the server and its builder"
    served.make.send_signal(signal.SIGTERM)  # make only, as a terminal or a process manager would
    assert served.make.wait(timeout=60) is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in started):
        time.sleep(0.2)
    alive = [pid for pid in started if Path(f"/proc/{pid}").exists() and "(Z)" not in Path(f"/proc/{pid}/stat").read_text()]
    assert alive == []
    left = [entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit() and str(served.root) in _cmdline(entry)]
    assert left == [], "no builder or build left running"
    with socket.socket() as probe:  # as the next `make serve` would bind it (connections just closed may linger in TIME_WAIT)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", served.port))
        probe.listen()


def _cmdline(entry: Path) -> str:
    try:
        return (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
