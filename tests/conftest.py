"""Shared test fixtures: the real site and a small payload site, each built once per run (also when
`make test` spreads the test files over several processes with pytest-xdist: the first process to
need a build makes it, the others wait for it and reuse it); one static server per built folder; one
Chromium, one browser context and one reused `page` per process; and a last check that the run left
the checkout as it found it."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock

from sites import REPO, BuildResult, assemble, build, checkout_copy, copy_tracked, site_url


@pytest.fixture()
def content(pristine_content: Path, tmp_path: Path) -> Path:
    """A copy of the repository's content (data, playbooks, docs pages, mkdocs.yml) that a test may break or write into."""
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(pristine_content / name, tmp_path / name, ignore=shutil.ignore_patterns("assets"))
    shutil.copy(pristine_content / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture(scope="session")
def pristine_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's content (data, playbooks, docs without generated pages, mkdocs.yml) and code
    (scripts), copied once for the run. Tests lay a broken file over it (`sites.overlay`) instead of
    copying it again, and nothing written through such a view can reach the checkout."""
    root = tmp_path_factory.mktemp("pristine")
    for name in ("data", "playbooks", "docs", "scripts"):
        copy_tracked(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="session")
def build_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the repository's own site is built: its mkdocs.yml and docs/ copied (a build writes generated
    pages there), its data, playbooks, scripts and overrides linked; no build writes into the checkout."""
    return checkout_copy(tmp_path_factory.mktemp("checkout"))


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict]) -> dict:
    """`make(folder)` run once for the whole test run, even across pytest-xdist's processes.

    The first process to ask runs it under a file lock and records what it returns (JSON); the others
    wait for the lock and read the record. A failed build is recorded too, so each process reports it
    instead of building again."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if _is_xdist_worker() else base  # the run's folder, above each process's own
    record = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not record.exists():
            folder = shared / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            record.write_text(json.dumps(make(folder)), encoding="utf-8")
        return json.loads(record.read_text(encoding="utf-8"))


def _built(result: BuildResult) -> dict:
    return {"returncode": result.returncode, "output": result.output, "site": str(result.site)}


def _build_result(recorded: dict) -> BuildResult:
    result = BuildResult(recorded["returncode"], recorded["output"], Path(recorded["site"]))
    assert result.returncode == 0, result.output[-5000:]
    return result


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's own site, built strictly into a temporary folder (from a `checkout_copy`)."""

    def make(folder: Path) -> dict:
        result = build(checkout_copy(folder / "checkout"), "--site-dir", str(folder / "site"))
        return _built(BuildResult(result.returncode, result.output, folder / "site"))

    return _build_result(once_per_run(tmp_path_factory, "real-site", make))


@dataclass(frozen=True)
class OfflineCopy:
    locale: str
    tree: Path  # one language built alone and fixed for file:// (what the zip and the ZIM file hold)
    counts: dict[str, int]
    progress: list[str]


@pytest.fixture(scope="session")
def offline_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OfflineCopy]:
    """English and Arabic offline copies (`offline.prepared_copy`), built once for the zip and the ZIM tests."""
    from playbook_site.publish.offline import prepared_copy

    def make(folder: Path) -> dict:
        root = checkout_copy(folder / "checkout")
        copies = {}
        for locale in ("en", "ar"):
            progress: list[str] = []
            tree, counts = prepared_copy(locale, folder / "copies", root=root, progress=progress.append)
            copies[locale] = {"tree": str(tree), "counts": counts, "progress": progress}
        return copies

    made = once_per_run(tmp_path_factory, "offline-copies", make)
    return {locale: OfflineCopy(locale, Path(copy["tree"]), copy["counts"], copy["progress"]) for locale, copy in made.items()}


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """tests/fixtures/mini: hostile payloads in data, an untranslated page, an Arabic playbook."""

    def make(folder: Path) -> dict:
        return _built(build(assemble("mini", folder)))

    return _build_result(once_per_run(tmp_path_factory, "mini-site", make))


# -- one static server per built folder, shared by every test module -----------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    site_path = "/"  # also served under this path, as where the site is deployed

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        if self.site_path != "/" and path.startswith(self.site_path) and not os.path.exists(found):
            return super().translate_path("/" + path[len(self.site_path) :])
        return found

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve_folder(folder: Path) -> tuple[str, Callable[[], None]]:
    """Serve `folder` on a free loopback port; returns (base_url, stop). Tests use the `static_server` fixture.

    The folder is at the server root, and also under the path of the site_url the tests build with
    ($SITE_URL, such as /playbooks/), where pages that link from the server root (404 pages) expect it."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"site_path": urlsplit(site_url()).path}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


@pytest.fixture(scope="session")
def static_server() -> Iterator[Callable[[Path], str]]:
    """`static_server(folder)` -> its base URL; each folder is served once for the whole run (sites link root-relative,
    so each needs its own origin), and every server stops at the end."""
    servers: dict[Path, tuple[str, Callable[[], None]]] = {}

    def serve(folder: Path) -> str:
        key = Path(folder).resolve()
        if key not in servers:
            servers[key] = serve_folder(key)
        return servers[key][0]

    yield serve
    for _url, stop in servers.values():
        stop()


@pytest.fixture(scope="session")
def real_site_url(real_site: BuildResult, static_server: Callable[[Path], str]) -> str:
    return static_server(real_site.site)


@pytest.fixture(scope="session")
def mini_site_url(mini_site: BuildResult, static_server: Callable[[Path], str]) -> str:
    return static_server(mini_site.site)


# -- the browser: Debian's chromium through Playwright (never a downloaded browser) ---------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole run."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(browser) -> Iterator:
    """One context (1280×900, JavaScript on) for the whole run. A test that needs other settings makes its own."""
    context = browser.new_context(viewport=VIEWPORT)
    context.on("request", _record_request)
    yield context
    context.close()


_shared: dict[str, object] = {}  # the page the `page` fixture hands out, while it is usable


def _record_request(request) -> None:
    """Every request of the context (page, frames, workers, popups) goes on the current page's list."""
    page = _shared.get("page")
    if page is not None:
        page.requests.append(request.url)
        if request.url.endswith("/x"):
            page.ran.append(f"payload image requested: {request.url}")


def _new_page(context):
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text} ({message.location.get('url')})"))
    page.on("response", lambda response: response.status >= 400 and page.problems.append(f"HTTP {response.status}: {response.url}"))
    page.on("pageerror", lambda error: (page.problems.append(f"page error: {error}"), page.ran.append(f"page error: {error}")))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), page.ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("popup", lambda popup: page.ran.append(f"popup: {popup.url}"))
    return page


@pytest.fixture()
def page(browser_context) -> Iterator:
    """The run's one page, reset for each test: blank, 1280×900, screen media, empty records. It records
    `page.problems` (console errors, HTTP errors, page errors, dialogs), `page.requests` (every URL the
    context fetched) and `page.ran` (signs of a payload running: dialogs, page errors, popups, requests for
    `src=x`). Dialogs are dismissed. A test that needs a clean profile or other settings makes its own context."""
    page = _shared.get("page")
    if page is None or page.is_closed():
        page = _new_page(browser_context)
    for other in browser_context.pages:
        if other is not page:
            other.close()  # popups a payload may have opened
    _shared["page"] = None  # nothing recorded while resetting
    page.goto("about:blank")
    page.set_viewport_size(VIEWPORT)
    page.emulate_media(media="screen")
    page.problems, page.requests, page.ran = [], [], []
    _shared["page"] = page
    yield page
    _shared["page"] = None
    if not page.is_closed():
        page.goto("about:blank")  # stops what the test left loading


# -- the checkout stays as it was ----------------------------------------------------------------
# Every build, copy and cache of the tests goes to a temporary folder. The run fails at its end if
# any file of the checkout was added, changed or removed: tracked files, untracked ones and the
# ones git ignores (such as generated pages in docs/). Only the virtualenv, Python's __pycache__
# folders and pytest's own .pytest_cache are left out.

CHECKOUT_EXCLUDES = (":(exclude).venv", ":(exclude,glob)**/__pycache__/**", ":(exclude).pytest_cache")


def checkout_state() -> dict[str, tuple[str, int, int]] | None:
    """Each path `git status` lists (changed, untracked or ignored) -> (status, size, mtime); None without git."""
    command = ["git", "status", "--porcelain", "-z", "--ignored", "--untracked-files=all", "--", ".", *CHECKOUT_EXCLUDES]
    try:
        listed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=True).stdout
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    state = {}
    entries = iter(listed.split("\0"))
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            next(entries, None)  # a rename's second path: its origin
        try:
            stat = (REPO / path).lstat()
            state[path] = (status, stat.st_size, stat.st_mtime_ns)
        except OSError:
            state[path] = (status, -1, -1)
    return state


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis keeps its example database and caches in ./.hypothesis by default: not in the checkout.
    import tempfile

    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "partnership-playbooks-hypothesis")


def _is_xdist_worker() -> bool:
    """True in the processes pytest-xdist starts; the check below runs once, in the process that started them."""
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_xdist_worker():
        session.config.stash[_CHECKOUT] = checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if the checkout changed while the tests ran."""
    if _is_xdist_worker():
        return
    before = session.config.stash.get(_CHECKOUT, None)
    after = checkout_state()
    if before is None or after is None:
        session.config.stash[_WROTE] = []  # said in the summary: the check did not run
        return
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    if changed:
        session.config.stash[_WROTE] = [f"{after.get(path, ('gone',))[0]} {path}" for path in changed]
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    changed = config.stash.get(_WROTE, None)
    if changed == []:
        terminalreporter.write_line("warning: `git status` failed, so the check that the tests left the checkout unchanged did not run", yellow=True)
    if changed:
        terminalreporter.write_sep("=", "the checkout changed during the run", red=True)
        terminalreporter.write_line("Tests must write only into temporary folders; these files of the checkout were added, changed or removed:", red=True)
        for line in changed[:30]:
            terminalreporter.write_line(f"  {line}", red=True)


_CHECKOUT = pytest.StashKey[dict | None]()
_WROTE = pytest.StashKey[list[str]]()
