"""(3) Edit-to-reload under `make serve`: from saving a file to the page in Chromium showing the change.

On a copy of the repository: start the dev server (all languages, then
`--only en` as `make serve ONLY=en` does) and wait until it has settled.
Then, for each language, open its version of a playbook in Chromium (so it is
the language being viewed), add a paragraph with a unique marker under the title of
that language's playbook file and time until the page shows it (the dev server's live reload
reloads it; Chromium is polled every 50 ms, 120 s at most); then the same with
a case study's title in that language in its YAML file, on its page.

Never stale: once the server has finished rebuilding, every file of every
served language tree is compared with a build from scratch of the edited
content (search indexes aside); any file that differs is a stale page.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from playbook_site import languages
from playbook_site.layout import section_path

from .report import Measure, Section
from .weight import CHROMIUM
from .workspace import (
    Context,
    child_env,
    free_port,
    playbook_slug,
    progress,
    run_measured,
    stop_process_group,
)

NAME = "reload"
POLL_SECONDS = 0.05
CAP_SECONDS = 120.0
START_CAP_SECONDS = 900.0
QUIET_SECONDS = 1.5


def replace_localized(yaml_text: str, field: str, locale: str, value: str) -> str:
    """Set `field.<locale>` of a top-level translation map, whatever style the old value was written in."""
    lines = yaml_text.splitlines(keepends=True)
    try:
        start = next(number for number, line in enumerate(lines) if line.rstrip() == f"{field}:")
    except StopIteration:
        raise ValueError(f"no top-level '{field}:' map") from None
    number = start + 1
    while number < len(lines) and (lines[number].startswith((" ", "\t")) or not lines[number].strip()):
        stripped = lines[number].lstrip()
        if stripped.startswith(f"{locale}:"):
            indent = len(lines[number]) - len(stripped)
            end = number + 1
            while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
                end += 1
            lines[number:end] = [f"{' ' * indent}{locale}: {json.dumps(value, ensure_ascii=False)}\n"]
            return "".join(lines)
        number += 1
    raise ValueError(f"'{field}:' has no '{locale}:' entry")


class DevServer:
    """`python -m playbook_site serve` on a free port, in its own process group, with its log kept."""

    def __init__(self, repo: Path, only: str | None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, "-m", "playbook_site", "serve", "--root", str(repo), "--address", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            command + (["--only", only] if only else []),
            cwd=repo, env=child_env(PYTHONPATH=str(repo / "scripts")), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.log: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append((time.monotonic(), line.rstrip()))

    def status(self) -> dict | None:
        try:
            with urllib.request.urlopen(self.base + "_dev/status", timeout=30) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, OSError):
            return None

    def settle(self, languages: int, cap: float = START_CAP_SECONDS) -> None:
        """Wait until every language is served, nothing is pending and no build runs, for a moment."""
        start, since = time.monotonic(), None
        while time.monotonic() - start < cap:
            if self.process.poll() is not None:
                raise RuntimeError("make serve exited:\n" + self.log_tail())
            status = self.status()
            if status is None or status["building"] or status["pending"] or len(status["trees"]) < languages:
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since > QUIET_SECONDS:
                return
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"the dev server did not settle within {cap:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(line for _, line in self.log[-lines:])

    def stop(self) -> None:
        stop_process_group(self.process)


def _tree(locale: str, default: str) -> str:
    return "" if locale == default else f"{locale}/"


def _timed_edit(server: DevServer, page, url: str, path: Path, edit, languages: int, repeat: int) -> tuple[float | None, list[float | None]]:
    """Open `url`, apply `edit(text, marker)` to `path`; seconds until the page shows the marker (median of `repeat`)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    times: list[float | None] = []
    for _ in range(max(1, repeat)):
        server.settle(languages)
        page.goto(url)
        marker = f"pp-bench-{uuid.uuid4().hex[:12]}"
        path.write_text(edit(path.read_text(encoding="utf-8"), marker), encoding="utf-8")
        start = time.perf_counter()
        try:
            page.wait_for_function(f"document.body && document.body.innerText.includes({json.dumps(marker)})", polling=int(POLL_SECONDS * 1000), timeout=CAP_SECONDS * 1000)
            times.append(time.perf_counter() - start)
        except PlaywrightTimeout:
            times.append(None)
    measured = [value for value in times if value is not None]
    return (statistics.median(measured) if len(measured) == len(times) else None), times


def stale_files(served: Path, fresh: Path, prefix: str, other_prefixes: tuple[str, ...]) -> list[str]:
    """Files of one language tree in a fresh build that the served folder lacks or holds in another version.

    `prefix` is the tree's folder ('' for the default language, whose tree
    is everything outside the other languages' folders). Search indexes (each
    tree's pagefind/) and .gz files are left out.
    """
    stale = []
    for path in sorted((fresh / prefix).rglob("*")):
        relative = path.relative_to(fresh)
        first = relative.parts[0]
        own = path.relative_to(fresh / prefix).parts[0]  # the first folder inside the tree: each tree has its own pagefind/
        if path.is_dir() or own in ("pagefind", "search") or path.suffix == ".gz" or (not prefix and f"{first}/" in other_prefixes):
            continue
        other = served / relative
        if not other.is_file() or other.read_bytes() != path.read_bytes():
            stale.append(relative.as_posix())
    return stale


def _stale_after(ctx: Context, server: DevServer, repo: Path, locales: tuple[str, ...], default: str, label: str) -> dict[str, list[str]]:
    server.settle(len(locales))
    status = server.status() or {"trees": {}}
    stale = {}
    for locale in locales:
        fresh = ctx.work / f"reload-fresh-{label}-{locale}"
        shutil.rmtree(fresh, ignore_errors=True)
        command = [sys.executable, "-m", "playbook_site", "serve", "--root", str(repo), "--out", str(fresh), "--once", locale]
        result = run_measured(command, repo, child_env(PYTHONPATH=str(repo / "scripts")))
        if result.returncode != 0:
            raise RuntimeError(f"fresh build of {locale} failed:\n{result.output[-3000:]}")
        others = tuple(f"{other}/" for other in languages.locales(repo / "mkdocs.yml") if other != default)
        stale[locale] = stale_files(Path(status["trees"][locale]), fresh, "" if locale == default else f"{locale}/", others)
    return stale


def _measure(ctx: Context, only: str | None) -> tuple[list[Measure], dict]:
    from playwright.sync_api import sync_playwright

    label = f"ONLY={only}" if only else "all languages"
    repo = ctx.copy(f"reload-{only or 'all'}")
    site_languages = languages.site_languages(repo / "mkdocs.yml")
    default = next(language.locale for language in site_languages if language.default)
    locales = (only,) if only else tuple(language.locale for language in site_languages)
    slug = playbook_slug(repo)
    case_path = min((repo / "data" / "case_studies").glob("*.yml"))
    progress(f"reload ({label}): starting make serve and waiting for the first build")
    server = DevServer(repo, only)
    measures, details = [], {"playbook": f"playbooks/{slug}.md", "case_study": f"data/case_studies/{case_path.name}", "seconds": {}}
    try:
        started = time.monotonic()
        server.settle(len(locales))
        details["first_build_seconds"] = round(time.monotonic() - started, 1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                page = browser.new_page()
                for locale in locales:
                    tree = _tree(locale, default)
                    source = repo / "playbooks" / (f"{slug}.md" if locale == default else f"{slug}.{locale}.md")
                    if not source.exists():
                        source = repo / "playbooks" / f"{slug}.md"
                    progress(f"reload ({label}): {locale}: editing {source.name}, then the {locale} title of {case_path.name}")
                    playbook_time, playbook_all = _timed_edit(
                        server, page, f"{server.base}{tree}{section_path('playbook', slug)}", source,
                        lambda text, marker: re.sub(r"^(# .*\n)", rf"\g<1>\nBenchmark edit {marker}.\n", text, count=1, flags=re.M), len(locales), ctx.repeat,
                    )
                    yaml_time, yaml_all = _timed_edit(
                        server, page, f"{server.base}{tree}{section_path('case_study', case_path.stem)}", case_path,
                        lambda text, marker, locale=locale: replace_localized(text, "title", locale, f"Benchmark title {marker}"), len(locales), ctx.repeat,
                    )
                    timed_out = "the page did not show the edit within 120 s"
                    measures.append(Measure(f"reload: playbook edit, {label}, viewing {locale}", playbook_time, "s", "reload", note="" if playbook_time is not None else timed_out))
                    measures.append(Measure(f"reload: YAML edit, {label}, viewing {locale}", yaml_time, "s", "reload", note="" if yaml_time is not None else timed_out))
                    details["seconds"][locale] = {"playbook": playbook_all, "yaml": yaml_all}
            finally:
                browser.close()
        progress(f"reload ({label}): comparing every served page with a build from scratch")
        stale = _stale_after(ctx, server, repo, locales, default, only or "all")
        details["stale"] = stale
        count = sum(len(files) for files in stale.values())
        measures.append(Measure(f"reload: stale files once rebuilt, {label}", count, "", "reload_stale", note=", ".join(f"{locale}: {', '.join(files[:3])}" for locale, files in stale.items() if files)))
        details["server_log"] = [line for _, line in server.log if not line.startswith("INFO")][-60:]
    finally:
        server.stop()
    return measures, details


def run(ctx: Context) -> Section:
    section = Section(NAME)
    if not Path(CHROMIUM).exists():
        section.not_run = f"{CHROMIUM} not found (apt-get install chromium)"
        return section
    for only in (None, "en"):
        measures, details = _measure(ctx, only)
        section.measures += measures
        section.details[f"only={only}" if only else "all"] = details
    return section
