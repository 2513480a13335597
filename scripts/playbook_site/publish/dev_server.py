"""`make serve`: serve every language tree, watch the sources, rebuild what a save reaches, reload the browser.

- The builder (publish/dev_builder.py) runs in its own process group and
  builds each language as its own engine run into .build/serve/<locale>/.
- This process serves the trees with a threaded HTTP server, where
  `make build` puts them: the default language at /, the others at
  /<locale>/ (each from its own folder; files outside the language trees,
  such as assets/ and data/, from the default language's).
  Into every HTML page it injects dev_assets/inject.html: the live-reload
  script, and the problems of the last save if it had any.
- The script asks /_dev/wait whether the page it shows has changed; the
  answer comes when that page's file (or the problems shown) changed, so a
  page reloads once, and only when it has something new to show.
- A save is one rebuild: changes are gathered until the files are quiet
  for a moment and no build is running, and the pages the build writes
  into docs/ are never watched. The language requested most recently is
  built first.
- Ctrl-C or SIGTERM stops the builder's whole process group and frees the port.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import mimetypes
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..content.translations import is_generated_page
from ..languages import default_locale, locales
from ..paths import DATA, DOCS, MKDOCS_YML, PLAYBOOKS, ROOT

ASSETS = Path(__file__).with_name("dev_assets")
QUIET_SECONDS = 0.1  # wait this long after the last file event, so one save is one rebuild
POLL_SECONDS = 25.0  # a /_dev/wait answers "no change" after this long; the script asks again
WATCHED = tuple(path.relative_to(ROOT).as_posix() for path in (PLAYBOOKS, DATA, DOCS, ROOT / "overrides"))  # and mkdocs.yml
_EDITOR_NOISE = ("~", ".swp", ".swx", ".tmp", ".part")
_EVENTS = ("created", "modified", "moved", "deleted")


def watched(relative: str) -> bool:
    """Is a change to this file (relative to the site's folder) a change to the site's sources?"""
    name = relative.rsplit("/", 1)[-1]
    if "." not in name.lstrip(".") or name.startswith((".", "#")) or name.endswith(_EDITOR_NOISE) or "__pycache__" in relative:
        return False
    if relative == MKDOCS_YML.name:
        return True
    folder, _, inside = relative.partition("/")
    if folder == DOCS.name:
        return not is_generated_page(inside)  # written by the build itself
    return folder in WATCHED


class _Templates:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS)), autoescape=True, trim_blocks=True, lstrip_blocks=True)


class DevServer:
    """The served trees, the problems of the last save, the watcher and the builder's answers."""

    def __init__(self, root: Path, only: str | None = None, host: str = "127.0.0.1", port: int = 8000):
        self.root = root.resolve()
        site_locales = locales(self.root / "mkdocs.yml")
        if only and only not in site_locales:
            raise ValueError(f"'{only}' is not a language of this site (mkdocs.yml lists {', '.join(site_locales)})")
        self.locales = (only,) if only else site_locales
        default = default_locale(self.root / "mkdocs.yml")
        # Each language's folder holds its tree where `make build` puts it: the default language at the root, the others in <locale>/.
        self.prefixes = {locale: "" if locale == default else f"{locale}/" for locale in self.locales}
        self.root_locale = default if default in self.locales else self.locales[0]
        self.out = self.root / ".build" / "serve"
        self.trees: dict[str, Path] = {}
        self.data_problems: list[str] = []
        self.build_problems: dict[str, list[str]] = {}
        self.recent: list[str] = [self.root_locale]
        self.changed = threading.Condition()
        self.pending: set[str] = set()
        self.last_event = 0.0
        self.building = False
        self.rebuilds = 0
        self.started_at: dict[int, float] = {}
        self.stopping = threading.Event()
        self.http = http.server.ThreadingHTTPServer((host, port), _handler(self))
        self.http.daemon_threads = True
        self.address = f"http://{host}:{self.http.server_address[1]}/"
        self.observer = Observer()
        self.builder: subprocess.Popen | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")])))
        self.builder = subprocess.Popen(
            [sys.executable, "-m", "playbook_site", "serve", "--builder", "--root", str(self.root), "--out", str(self.out)],
            cwd=self.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._schedule, daemon=True).start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        handler = _Watcher(self)
        for folder in WATCHED:
            if (self.root / folder).is_dir():
                self.observer.schedule(handler, str(self.root / folder), recursive=True)
        self.observer.schedule(handler, str(self.root), recursive=False)  # mkdocs.yml
        self.observer.start()
        self._request(full=True)

    def stop(self) -> None:
        """Stop the builder's process group, the watcher and the HTTP server (the port is free on return)."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.builder is not None and self.builder.poll() is None:
            try:
                os.killpg(self.builder.pid, signal.SIGTERM)
                self.builder.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.builder.pid, signal.SIGKILL)
                self.builder.wait()
            except ProcessLookupError:
                pass
        if self.builder is not None:
            try:
                os.killpg(self.builder.pid, signal.SIGKILL)  # anything the builder's children left behind
            except (ProcessLookupError, PermissionError):
                pass
        self.observer.stop()
        self.http.shutdown()
        self.http.server_close()
        self.observer.join(timeout=5)

    # -- changes and rebuilds ------------------------------------------------------------------

    def file_changed(self, relative: str) -> None:
        with self.changed:
            self.pending.add(relative)
            self.last_event = time.monotonic()
            self.changed.notify_all()

    def _order(self) -> list[str]:
        return [locale for locale in self.recent if locale in self.locales] + [locale for locale in self.locales if locale not in self.recent]

    def _request(self, paths: list[str] | None = None, full: bool = False) -> None:
        """Ask the builder for one rebuild (called with nothing else building)."""
        with self.changed:
            self.rebuilds += 1
            self.building = True
            number = self.rebuilds
            order = self._order()
            self.started_at[number] = time.monotonic()
        if paths:
            print(f"Rebuilding for {', '.join(paths)} ({order[0]} first)", flush=True)
        assert self.builder is not None and self.builder.stdin is not None
        self.builder.stdin.write(json.dumps({"rebuild": number, "paths": paths or [], "order": order, "full": full}) + "\n")
        self.builder.stdin.flush()

    def _schedule(self) -> None:
        """Send the gathered changes as one rebuild once the files are quiet and the builder is idle."""
        while not self.stopping.is_set():
            with self.changed:
                self.changed.wait_for(lambda: self.stopping.is_set() or (self.pending and not self.building), timeout=1)
                if self.stopping.is_set() or not self.pending or self.building:
                    continue
                quiet = time.monotonic() - self.last_event
                if quiet < QUIET_SECONDS:
                    self.changed.wait(QUIET_SECONDS - quiet)
                    continue
                paths = sorted(self.pending)
                self.pending.clear()
            self._request(paths)

    def _read_answers(self) -> None:
        assert self.builder is not None and self.builder.stdout is not None
        for line in self.builder.stdout:
            answer = json.loads(line)
            with self.changed:
                self._apply(answer)
                self.changed.notify_all()
        if not self.stopping.is_set():
            print("The builder stopped; stopping the server.", file=sys.stderr, flush=True)
            self.stopping.set()

    def _apply(self, answer: dict[str, Any]) -> None:
        number = answer.get("rebuild")
        took = f"{time.monotonic() - self.started_at.get(number, time.monotonic()):.1f} s"
        if "problems" in answer:
            self.data_problems = answer["problems"]
            if self.data_problems:
                print("\n".join(self.data_problems), file=sys.stderr)
                print(f"{len(self.data_problems)} problem(s) in the data; still serving the last good site. Fix them and save again.", file=sys.stderr, flush=True)
        elif "tree" in answer:
            locale = answer["locale"]
            self.trees[locale] = Path(answer["tree"])
            self.build_problems.pop(locale, None)
            print(f"[{locale}] ready after {took}", flush=True)
            if number == 1 and len(self.trees) == 1:
                others = "; the other languages follow" if len(self.locales) > 1 else ""
                print(f"Serving on {self.address}{self.prefixes[self.root_locale]} (Ctrl-C to stop){others}", flush=True)
        elif "failed" in answer:
            self.build_problems[answer["locale"]] = answer["failed"]
            print(f"[{answer['locale']}] build failed; still serving its last good build:\n  " + "\n  ".join(answer["failed"]), file=sys.stderr, flush=True)
        elif answer.get("done"):
            self.building = False

    # -- what is served -------------------------------------------------------------------------

    def problems(self) -> tuple[str, list[str]]:
        if self.data_problems:
            return f"{len(self.data_problems)} problem(s) in the data: nothing was rebuilt", list(self.data_problems)
        lines = [f"[{locale}] {line}" for locale, failed in sorted(self.build_problems.items()) for line in failed]
        return ("The last build failed", lines) if lines else ("", [])

    def locate(self, path: str) -> tuple[str, str]:
        """(language, path inside the site) of a URL path: /es/... is Spanish, the rest the root language's."""
        relative = path.lstrip("/")
        for locale, prefix in self.prefixes.items():
            if prefix and (relative + "/").startswith(prefix):
                return locale, relative
        return self.root_locale, relative

    def file_for(self, locale: str, relative: str) -> Path | None:
        folder = self.trees.get(locale)
        if folder is None:
            return None
        target = (folder / urllib.parse.unquote(relative)).resolve()
        if not target.is_relative_to(folder.resolve()):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def version(self, path: str) -> str:
        """What the page at `path` shows now: its file's content and the problems on it."""
        locale, relative = self.locate(path)
        target = self.file_for(locale, relative)
        digest = hashlib.sha1(target.read_bytes() if target is not None else b"missing")
        digest.update(json.dumps(self.problems()).encode())
        return digest.hexdigest()[:16]

    def viewed(self, locale: str) -> None:
        with self.changed:
            if locale in self.recent:
                self.recent.remove(locale)
            self.recent.insert(0, locale)

    def inject(self, html: bytes, version: str) -> bytes:
        heading, problems = self.problems()
        snippet = _Templates.environment.get_template("inject.html").render(version=version, heading=heading, problems=problems).encode("utf-8")
        end = html.rfind(b"</body>")
        end = len(html) if end < 0 else end
        return html[:end] + snippet + html[end:]

    def wait_for_change(self, path: str, version: str) -> bool:
        deadline = time.monotonic() + POLL_SECONDS
        with self.changed:
            while not self.stopping.is_set():
                if self.version(path) != version:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return False

    def status(self) -> dict[str, Any]:
        with self.changed:
            return {"rebuilds": self.rebuilds, "building": self.building, "pending": sorted(self.pending), "problems": self.problems()[1], "trees": {k: str(v) for k, v in self.trees.items()}, "viewed": self.recent[0]}


class _Watcher(FileSystemEventHandler):
    def __init__(self, server: DevServer):
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in _EVENTS:
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            try:
                relative = Path(os.fsdecode(path)).relative_to(self.server.root).as_posix()
            except ValueError:
                continue
            if watched(relative):
                self.server.file_changed(relative)


def _handler(server: DevServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the page went away (it reloaded or closed)
                    self.close_connection = True

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(url.path)
            if path == "/_dev/livereload.js":
                return self.send(200, (ASSETS / "livereload.js").read_bytes(), "application/javascript; charset=utf-8")
            if path == "/_dev/wait":
                query = urllib.parse.parse_qs(url.query)
                changed = server.wait_for_change(query.get("path", ["/"])[0], query.get("version", [""])[0])
                return self.send(200, json.dumps({"reload": changed}).encode(), "application/json")
            if path == "/_dev/status":
                return self.send(200, json.dumps(server.status()).encode(), "application/json")
            locale, relative = server.locate(path)
            with server.changed:
                server.changed.wait_for(lambda: locale in server.trees or server.stopping.is_set(), timeout=900)
            tree = server.trees.get(locale)
            if tree is None:
                return self.send(503, b"The site is not built yet.", "text/plain")
            if not relative and server.prefixes[locale]:  # `make serve ONLY=es`: the site starts at /es/
                return self.send(302, b"", "text/plain", {"Location": "/" + server.prefixes[locale]})
            if relative and not path.endswith("/") and (tree / relative).is_dir():
                return self.send(302, b"", "text/plain", {"Location": urllib.parse.quote(path) + "/"})
            found = server.file_for(locale, relative)
            status = 200
            if found is None:
                status, found = 404, server.file_for(locale, server.prefixes[locale] + "404.html")
                if found is None:
                    return self.send(404, b"Not found", "text/plain")
            body = found.read_bytes()
            content_type = "application/javascript" if found.suffix in (".js", ".mjs") else (mimetypes.guess_type(found.name)[0] or "application/octet-stream")
            if found.suffix == ".html":
                server.viewed(locale)
                with server.changed:
                    version = server.version(path)
                body = server.inject(body, version)
                content_type = "text/html; charset=utf-8"
            self.send(status, body, content_type)

    return Handler


def serve(root: Path, only: str | None, address: str) -> int:
    """Run until Ctrl-C or SIGTERM; every process started here is stopped on the way out."""
    host, _, port = address.rpartition(":")
    try:
        server = DevServer(root, only, host or "127.0.0.1", int(port))
    except OSError as error:
        print(f"Cannot serve on {address}: {error.strerror}. Is another `make serve` running? (ADDRESS=127.0.0.1:8001 picks another port)", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"make serve: {error}", file=sys.stderr)
        return 2
    stop = server.stopping
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"Building {', '.join(server.locales)} into {server.out.relative_to(server.root)}/, then serving on {server.address}", flush=True)
    server.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        print("Stopped.", flush=True)
    return 0
