"""Shared test fixtures: the real site and a small payload site, each built once per run."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from sites import REPO, BuildResult, assemble, build


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    """A copy of the repository's content (data, playbooks, docs pages, mkdocs.yml) that a test may break or write into."""
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("assets"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's own site, built strictly into a temporary folder."""
    target = tmp_path_factory.mktemp("real") / "site"
    result = build(REPO, "--site-dir", str(target))
    assert result.returncode == 0, result.output[-5000:]
    return BuildResult(result.returncode, result.output, target)


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """tests/fixtures/mini: hostile payloads in data, an untranslated page, an Arabic playbook."""
    folder = assemble("mini", tmp_path_factory.mktemp("mini"))
    result = build(folder)
    assert result.returncode == 0, result.output[-5000:]
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve_folder(folder: Path):
    """Serve `folder` on a free loopback port; returns (base_url, stop)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_address[1]}", server.shutdown


@pytest.fixture(scope="session")
def real_site_url(real_site: BuildResult):
    url, stop = serve_folder(real_site.site)
    yield url
    stop()


@pytest.fixture(scope="session")
def mini_site_url(mini_site: BuildResult):
    url, stop = serve_folder(mini_site.site)
    yield url
    stop()


# -- the browser: Debian's chromium through Playwright (never a downloaded browser) ---------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole run; each test module makes its own pages and contexts."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
