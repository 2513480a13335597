"""Check the links of a built site: every internal link and anchor must resolve.

MkDocs checks the links written in Markdown, but not the ones that macros,
templates and hooks put into the HTML (cards, pathways, glossary terms,
citations). This reads the finished HTML instead, in every language tree
(html_links.py), and also checks the offline copies, where every link must
name a file.
External links are only collected here; `check_external` tries them on demand,
since the build and the tests run without network.
"""

from __future__ import annotations

import concurrent.futures
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import html_links

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


def _target_file(site: Path, url_path: str) -> Path | None:
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _offline_target(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """On file://, a link must name a file inside the copy: no folder, no absolute path."""
    if url.startswith("/"):
        return None, "an absolute path, which file:// reads from the disk's root"
    target = (page.parent / unquote(urlsplit(url).path)).resolve()
    if not target.is_relative_to(site):
        return None, "outside the copy"
    if not target.is_file():
        return None, "a folder, which file:// does not open as its index.html" if target.is_dir() else "no such file"
    return target, ""


def internal_link_problems(site: Path, offline: bool = False, base: str = "/") -> list[BrokenLink]:
    """Every internal link or anchor in `site` that leads nowhere.

    `offline`: `site` is an offline copy, opened from file://, so each link
    must name a file inside it (see offline.py). `base`: the path the site is
    served under (the path of its site_url, such as /playbooks/); links from
    the server root must start with it.
    """
    site = site.resolve()
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    pages = {path: html_links.read(path) for path in sorted(site.rglob("*.html"))}
    problems: list[BrokenLink] = []
    for path, page in pages.items():
        page_url = "/" + path.relative_to(site).as_posix()
        served_at = base + page_url[1:]
        for link in page.links:
            url = link.url
            parts = urlsplit(url)
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                continue
            if parts.scheme:
                problems.append(BrokenLink(page_url, url, f"'{parts.scheme}:' links are not allowed"))
                continue
            absolute = urlsplit(urljoin(served_at, url))
            if not parts.path:
                target, reason = path, ""
            elif offline:
                target, reason = _offline_target(site, path, url)
            elif not absolute.path.startswith(base):
                target, reason = None, f"outside the site's path {base}"
            else:
                target, reason = _target_file(site, "/" + absolute.path[len(base) :]), "no such page or file"
            if target is None:
                problems.append(BrokenLink(page_url, url, reason))
                continue
            fragment = unquote(absolute.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else html_links.read(target).ids
                if fragment not in ids:
                    problems.append(BrokenLink(page_url, url, f"no element with id '{fragment}' on that page"))
    return problems


def external_links(site: Path) -> dict[str, list[str]]:
    """External http(s) URLs in `site`, each with the pages that link to it."""
    site = site.resolve()
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        for link in html_links.read(path).links:
            if link.tag == "a" and link.attribute == "href" and urlsplit(link.url).scheme in ("http", "https"):
                found.setdefault(link.url.split("#", 1)[0], []).append("/" + path.relative_to(site).as_posix())
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
