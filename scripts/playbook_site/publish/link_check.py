"""Check the links of a built site: every internal link and anchor must resolve.

MkDocs checks the links written in Markdown, but not the ones that macros,
templates and hooks put into the HTML (cards, pathways, glossary terms,
citations). This reads the finished HTML instead, in every language tree.
External links are only collected here; `check_external` tries them on demand,
since the build and the tests run without network.
"""

from __future__ import annotations

import concurrent.futures
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, url)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        if tag == "a" and "href" in values:
            self.page.links.append(("a.href", values["href"]))
        elif tag == "link" and "href" in values and values.get("rel") not in ("alternate", "canonical"):
            self.page.links.append(("link.href", values["href"]))
        elif tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.page.links.append((f"{tag}.src", values["src"]))


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


def _parse(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser.page


def _target_file(site: Path, url_path: str) -> Path | None:
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_link_problems(site: Path, base: str = "/") -> list[BrokenLink]:
    """Every internal link or anchor in `site` that leads nowhere. `base` is the path the site is served
    under (the path of its site_url, such as /playbooks/): links from the server root must start with it."""
    site = site.resolve()
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    pages = {path: _parse(path) for path in sorted(site.rglob("*.html"))}
    problems: list[BrokenLink] = []
    for path, page in pages.items():
        page_url = "/" + path.relative_to(site).as_posix()
        served_at = base + page_url[1:]
        for _where, url in page.links:
            parts = urlsplit(url)
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                continue
            if parts.scheme:
                problems.append(BrokenLink(page_url, url, f"'{parts.scheme}:' links are not allowed"))
                continue
            absolute = urlsplit(urljoin(served_at, url))
            if parts.path and not absolute.path.startswith(base):
                problems.append(BrokenLink(page_url, url, f"outside the site's path {base}"))
                continue
            target = path if not parts.path else _target_file(site, "/" + absolute.path[len(base):])
            if target is None:
                problems.append(BrokenLink(page_url, url, "no such page or file"))
                continue
            fragment = unquote(absolute.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    problems.append(BrokenLink(page_url, url, f"no element with id '{fragment}' on that page"))
    return problems


def external_links(site: Path) -> dict[str, list[str]]:
    """External http(s) URLs in `site`, each with the pages that link to it."""
    site = site.resolve()
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        for where, url in _parse(path).links:
            if where == "a.href" and urlsplit(url).scheme in ("http", "https"):
                found.setdefault(url.split("#", 1)[0], []).append("/" + path.relative_to(site).as_posix())
    return found


def check_external(urls: list[str], timeout: float = 15.0, workers: int = 6) -> dict[str, str]:
    """Try each URL (HEAD, then GET); return the ones that failed, with why."""

    def attempt(url: str) -> tuple[str, str | None]:
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "partnership-playbooks-link-check/1.0"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked above)
                    if response.status < 400:
                        return url, None
            except urllib.error.HTTPError as error:
                if method == "GET":
                    return url, f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                if method == "GET":
                    return url, str(getattr(error, "reason", error))
        return url, "no answer"

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return {url: reason for url, reason in pool.map(attempt, urls) if reason}
