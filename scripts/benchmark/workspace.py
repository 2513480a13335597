"""Shared plumbing: copies of the repository, measured subprocesses, servers, progress."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from playbook_site.paths import ROOT

# What a build needs; everything else (.git, .venv, site/, .build/, tests) stays behind.
SITE_SOURCES = ("mkdocs.yml", "docs", "playbooks", "data", "overrides", "scripts")
BUILD_TIMEOUT = 1800
_started = time.monotonic()


def progress(message: str) -> None:
    """One line on stderr, so stdout stays the table."""
    print(f"[bench {time.monotonic() - _started:6.0f}s] {message}", file=sys.stderr, flush=True)


def copy_repository(target: Path, root: Path = ROOT) -> Path:
    """A private copy of the site's sources in `target`; returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SITE_SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(source, target / name)
    return target


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a build: all languages, this venv, no PYTHONPATH pointing at the real scripts/."""
    env = {key: value for key, value in os.environ.items() if key not in ("ONLY_LOCALE", "PYTHONPATH", "SITE_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def maxrss_to_mb(maxrss: int, platform: str = sys.platform) -> float:
    """ru_maxrss is in kilobytes (KiB) on Linux and in bytes on macOS."""
    kib = maxrss / 1024 if platform == "darwin" else maxrss
    return kib / 1024


@dataclass
class RunResult:
    seconds: float  # wall time
    peak_mb: float  # the largest single process of the tree (its peak RSS)
    returncode: int
    output: str
    cpu_seconds: float = 0.0  # user + system time of the whole process tree: less sensitive to a busy machine
    tree_peak_mb: float = 0.0  # the most the processes of the tree held at once (sampled RSS, summed)
    processes: int = 1  # how many processes the tree had (sampled)
    largest: list[tuple[str, float]] = field(default_factory=list)  # the biggest processes seen: (what it ran, peak MB)
    pagefind: list[tuple[str, float]] = field(default_factory=list)  # every Pagefind run seen (one per language tree): (what it ran, peak MB)

    def pagefind_peak_mb(self) -> float:
        """The largest Pagefind run's peak RSS (0 when none was seen)."""
        return max((size for _, size in self.pagefind), default=0.0)


def _children_map() -> dict[int, list[int]]:
    """Every process's children, from /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _what(pid: int) -> str:
    """A short name for what a process runs: its program and the next two arguments."""
    try:
        parts = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(Path(part.decode(errors="replace")).name if number == 0 else part.decode(errors="replace") for number, part in enumerate(parts[:4]) if part)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants from /proc every `interval` seconds (Linux)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total_mb = self.peak_single_mb = 0.0
        self.seen: set[int] = set()
        self.per_process: dict[int, tuple[str, float]] = {}  # pid -> (what it runs, peak MB)
        self._stop_event = threading.Event()

    def sample(self) -> None:
        if not Path("/proc").is_dir():
            return
        children, tree, queue = _children_map(), [], [self.pid]
        while queue:
            pid = queue.pop()
            tree.append(pid)
            queue.extend(children.get(pid, []))
        sizes = [_rss_mb(pid) for pid in tree]
        for pid, size in zip(tree, sizes):
            if pid not in self.per_process:
                self.per_process[pid] = (_what(pid), size)
            elif size > self.per_process[pid][1]:
                self.per_process[pid] = (self.per_process[pid][0], size)
        self.seen.update(tree)
        self.peak_total_mb = max(self.peak_total_mb, sum(sizes))
        self.peak_single_mb = max([self.peak_single_mb, *sizes])

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(command: list[str], cwd: Path, env: dict[str, str], timeout: float = BUILD_TIMEOUT) -> RunResult:
    """Run `command`; wall time, CPU time and peak RSS of its whole process tree.

    os.wait4 gives the CPU time of the child and of every descendant it
    waited for, and the largest peak RSS among them; a sampler adds up the
    RSS of all the tree's processes alive at once, every 0.2 s.
    """
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    largest = max(maxrss_to_mb(usage.ru_maxrss), sampler.peak_single_mb)
    biggest = sorted(sampler.per_process.values(), key=lambda item: -item[1])[:5]
    pagefind = [(what, round(size, 1)) for what, size in sampler.per_process.values() if what.split(" ")[0] == "pagefind"]
    return RunResult(elapsed, largest, process.returncode, output, usage.ru_utime + usage.ru_stime, max(sampler.peak_total_mb, largest), max(1, len(sampler.seen)), [(what, round(size, 1)) for what, size in biggest], pagefind)


def mkdocs_build(repo: Path, site_dir: Path, *, strict: bool = True, env: dict[str, str] | None = None) -> RunResult:
    """`python -m mkdocs build` of `repo` into `site_dir`; raises with the log's tail if it fails."""
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    if strict:
        command.insert(4, "--strict")
    result = run_measured(command, repo, env or child_env())
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build in {repo} failed (exit {result.returncode}):\n{result.output[-4000:]}")
    return result


def driver_build(repo: Path, site_dir: Path, *, jobs: int | None = None, env: dict[str, str] | None = None) -> RunResult:
    """`make build` of `repo` into `site_dir`: the build driver, one engine process per language; raises if it fails."""
    command = [sys.executable, "-m", "playbook_site", "build", "--root", str(repo), "--site-dir", str(site_dir)]
    if jobs:
        command += ["--jobs", str(jobs)]
    result = run_measured(command, repo, dict(env or child_env(), PYTHONPATH=str(repo / "scripts")))
    if result.returncode != 0:
        raise RuntimeError(f"the build of {repo} failed (exit {result.returncode}):\n{result.output[-4000:]}")
    return result


def best_of(repeat: int, run) -> tuple[RunResult, list[RunResult]]:
    """Run `run()` `repeat` times; the fastest result, and all of them."""
    results = [run() for _ in range(max(1, repeat))]
    return min(results, key=lambda result: result.seconds), results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process_group(process: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM the group started with start_new_session=True, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    except ProcessLookupError:
        pass


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzipped when the client asks, as GitHub Pages does.

    Without it Lighthouse would count the uncompressed size of every
    stylesheet and script against its simulated mobile connection.
    """

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the redirect to the folder's URL with a slash
                return
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or not content_type.startswith(COMPRESSED_TYPES):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """A static server for a built site on a free loopback port, gzipping text; call .shutdown() when done."""
    handler = functools.partial(_GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@dataclass
class Context:
    """What every measurement shares: options, a scratch folder, and one built copy of the site."""

    work: Path
    quick: bool = False
    repeat: int = 1
    counts: tuple[int, ...] | None = None  # scaling and weight: synthetic case-study counts, when not the default ones
    root: Path = ROOT
    bench_dir: Path = ROOT / ".build" / "bench"
    _real_site: Path | None = field(default=None, repr=False)
    _snapshot: Path | None = field(default=None, repr=False)

    def source(self) -> Path:
        """The repository as it was when the run started.

        Others may edit the repository during a long run; every measurement
        copies this one snapshot, so all of them see the same content.
        """
        if self._snapshot is None:
            self._snapshot = copy_repository(self.work / "snapshot", self.root)
        return self._snapshot

    def copy(self, name: str) -> Path:
        """A private, writable copy of the snapshot in the scratch folder."""
        return copy_repository(self.work / name, self.source())

    def real_site(self) -> Path:
        """The real site built from a copy (once per run; build_ratio provides it when it runs first)."""
        if self._real_site is None:
            repo = self.copy("site-copy")
            progress("building the real site (all languages) for the page measurements")
            driver_build(repo, self.work / "site-copy-built")
            self._real_site = self.work / "site-copy-built"
        return self._real_site

    def provide_real_site(self, site: Path) -> None:
        self._real_site = site


def playbook_slug(root: Path, preferred: str = "onboarding-a-glam-partner") -> str:
    """The playbook the page measurements look at: the preferred one, or the first there is."""
    if (root / "playbooks" / f"{preferred}.md").exists():
        return preferred
    slugs = sorted(path.stem for path in (root / "playbooks").glob("*.md") if "." not in path.stem)
    if not slugs:
        raise RuntimeError(f"{root / 'playbooks'}: no playbook to measure")
    return slugs[0]
