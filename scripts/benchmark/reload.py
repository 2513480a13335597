"""(3) Edit-to-reload under `mkdocs serve`: from saving a file to the served page showing the change.

On a copy of the repository: start the dev server (all languages, then
ONLY_LOCALE=en as `make serve ONLY=en` does), wait until it has settled,
append a unique marker to a playbook and time until the served HTML of that
playbook contains it (polling every 50 ms, 120 s at most); then the same for
a case study's English title in its YAML file, checked on its page.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from playbook_site.layout import section_path

from .report import Measure, Section
from .workspace import (
    Context,
    child_env,
    free_port,
    playbook_slug,
    progress,
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
    """`python -m mkdocs serve` on a free port, in its own process group, with its log kept."""

    def __init__(self, repo: Path, only: str | None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = child_env(ONLY_LOCALE=only) if only else child_env()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.log: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append((time.monotonic(), line.rstrip()))

    def page(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.read().decode("utf-8", errors="replace")
        except (urllib.error.URLError, OSError):
            return None

    def wait_for(self, path: str, text: str, cap: float) -> float | None:
        """Seconds until the page at `path` contains `text`, or None after `cap` seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < cap:
            if self.process.poll() is not None:
                raise RuntimeError("mkdocs serve exited:\n" + self.log_tail())
            html = self.page(path)
            if html is not None and text in html:
                return time.perf_counter() - start
            time.sleep(POLL_SECONDS)
        return None

    def settle(self, cap: float = 120.0) -> None:
        """Wait until no build is running and the log has been quiet for a moment."""
        start = time.monotonic()
        while time.monotonic() - start < cap:
            lines = [line for _, line in self.log]
            building = sum("Building documentation" in line for line in lines) > sum("Documentation built" in line for line in lines)
            quiet = not self.log or time.monotonic() - self.log[-1][0] > QUIET_SECONDS
            if quiet and not building:
                return
            time.sleep(POLL_SECONDS)

    def build_times(self) -> list[str]:
        return [line.split("Documentation built in", 1)[1].strip() for _, line in self.log if "Documentation built in" in line]

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(line for _, line in self.log[-lines:])

    def stop(self) -> None:
        stop_process_group(self.process)


def _edit_and_wait(server: DevServer, path: Path, edit, page: str, repeat: int) -> tuple[float | None, list[float | None]]:
    """Apply `edit(text, marker)` to `path` `repeat` times; the median time until `page` shows the marker."""
    times: list[float | None] = []
    for _ in range(max(1, repeat)):
        server.settle()
        marker = f"pp-bench-{uuid.uuid4().hex[:12]}"
        text = path.read_text(encoding="utf-8")
        path.write_text(edit(text, marker), encoding="utf-8")
        times.append(server.wait_for(page, marker, CAP_SECONDS))
    measured = [value for value in times if value is not None]
    return (statistics.median(measured) if len(measured) == len(times) else None), times


def _measure(ctx: Context, only: str | None) -> tuple[list[Measure], dict]:
    label = f"ONLY_LOCALE={only}" if only else "all languages"
    repo = ctx.copy(f"reload-{only or 'all'}")
    slug = playbook_slug(repo)
    case_path = min((repo / "data" / "case_studies").glob("*.yml"))
    case_id = case_path.stem
    playbook_page = section_path("playbook", slug)
    case_page = section_path("case_study", case_id)
    progress(f"reload ({label}): starting mkdocs serve and waiting for the first build")
    server = DevServer(repo, only)
    try:
        started = server.wait_for(playbook_page, "</html>", START_CAP_SECONDS)
        if started is None:
            raise RuntimeError(f"mkdocs serve did not serve {playbook_page} within {START_CAP_SECONDS:.0f} s:\n{server.log_tail()}")
        progress(f"reload ({label}): editing playbooks/{slug}.md")
        playbook_time, playbook_all = _edit_and_wait(
            server, repo / "playbooks" / f"{slug}.md", lambda text, marker: text.rstrip("\n") + f"\n\nBenchmark edit {marker}.\n", playbook_page, ctx.repeat,
        )
        progress(f"reload ({label}): editing the title of data/case_studies/{case_path.name}")
        yaml_time, yaml_all = _edit_and_wait(
            server, case_path, lambda text, marker: replace_localized(text, "title", "en", f"Benchmark title {marker}"), case_page, ctx.repeat,
        )
        builds = server.build_times()
    finally:
        server.stop()
    timed_out = "page did not show the edit within 120 s"
    measures = [
        Measure(f"reload: playbook edit, {label}", playbook_time, "s", "reload", note="" if playbook_time is not None else timed_out),
        Measure(f"reload: YAML edit, {label}", yaml_time, "s", "reload", note="" if yaml_time is not None else timed_out),
    ]
    details = {
        "first_build_seconds": round(started, 2),
        "playbook": {"file": f"playbooks/{slug}.md", "page": playbook_page, "seconds": playbook_all},
        "yaml": {"file": f"data/case_studies/{case_path.name}", "page": case_page, "seconds": yaml_all},
        "server_build_times": builds,
    }
    return measures, details


def run(ctx: Context) -> Section:
    section = Section(NAME)
    for only in (None, "en"):
        measures, details = _measure(ctx, only)
        section.measures += measures
        section.details[f"only={only}" if only else "all"] = details
    return section
