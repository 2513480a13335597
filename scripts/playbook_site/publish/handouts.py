"""`make handouts`: a PDF per playbook and per workshop sheet, in every language.

Prints the built site (site/) with Chromium's own print-to-PDF, through
Playwright and the same Debian chromium the tests use, so a handout is
exactly the page's print view: no navigation or search, link addresses
printed, a QR code back to the page at the end, Arabic shaped and right to
left. The QR codes and printed addresses use the site_url the site was built
with: build with SITE_URL set to the public address before printing.

    python -m playbook_site handouts [--only ar] [--playbook onboarding-a-glam-partner] [--out handouts]
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from typing import Any

from .. import cli
from ..paths import ROOT, SITE
from ..layout import SHEET, page_url

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"]
MARGINS = {"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def jobs(locales: list[str], default_locale: str, slugs: list[str]) -> list[tuple[str, str]]:
    """(path in the site, PDF file name) for each playbook and sheet in each language."""
    result = []
    for locale in locales:
        for slug in slugs:
            result.append((page_url("playbook", slug, locale, default_locale), f"{locale}/{slug}.pdf"))
            result.append((page_url(SHEET, slug, locale, default_locale), f"{locale}/{slug}-sheet.pdf"))
    return result


def render(site: Path, out: Path, work: list[tuple[str, str]], chromium: str, browser: Any = None) -> list[Path]:
    """Print each (path, name) of `work`; uses `browser` if given (tests share one), else launches Chromium."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                return _print_all(site, out, work, launched)
            finally:
                launched.close()
    return _print_all(site, out, work, browser)


def _print_all(site: Path, out: Path, work: list[tuple[str, str]], browser: Any) -> list[Path]:
    base, server = _serve(site)
    written = []
    page = browser.new_page()
    try:
        for number, (path, name) in enumerate(work, start=1):
            print(f"[{number}/{len(work)}] {name}", file=sys.stderr, flush=True)
            response = page.goto(base + path, wait_until="networkidle")
            if response is None or not response.ok:
                raise RuntimeError(f"{path}: the built site has no such page; run `make build` first")
            page.emulate_media(media="print")
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(target), format="A4", print_background=True, margin=MARGINS)
            written.append(target)
    finally:
        page.close()
        server.shutdown()
    return written


def chromium_or_report() -> str | None:
    """Debian's Chromium ($CHROMIUM, else /usr/bin/chromium), or None after saying how to install it."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if Path(chromium).exists():
        return chromium
    print(f"The handouts need Debian's chromium at {chromium}: run `sudo bash scripts/system-packages.sh`", file=sys.stderr)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("handouts", __doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="a language to print (repeatable); default: all")
    parser.add_argument("--playbook", action="append", help="a playbook to print (repeatable); default: all")
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--out", type=Path, default=ROOT / "handouts")
    args = parser.parse_args(argv)
    chromium = chromium_or_report()
    if chromium is None:
        return 1
    if not (args.site / "index.html").is_file():
        print(f"No built site in {args.site}/: run `make build` first.", file=sys.stderr)
        return 1
    catalogue = cli.load_or_report()
    if catalogue is None:
        return 1
    locales = cli.chosen_languages("handouts", args.only, catalogue.locales)
    slugs = cli.chosen_playbooks("handouts", args.playbook, catalogue)
    if locales is None or slugs is None:
        return 2
    if not os.environ.get("SITE_URL"):
        print("Note: SITE_URL is not set, so the QR codes point at the local preview address. Build with SITE_URL=https://... for handouts to share.", file=sys.stderr)
    try:
        written = render(args.site, args.out, jobs(locales, catalogue.default_locale, slugs), chromium)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} PDFs in {args.out}/")
    return 0

