"""(5) Lighthouse mobile scores (performance, accessibility) for a playbook page in en and ar.

With --repeat N each page is run N times and the median score is reported.

Lighthouse 13 is installed with npm into .build/bench/node the first time and
drives Debian's /usr/bin/chromium, headless, against a local static server of
the built site. If anything is missing or Lighthouse fails, the section says
"not run" and why; the rest of the benchmark goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from playbook_site import languages
from playbook_site.layout import page_url

from .report import Measure, Section
from .workspace import Context, playbook_slug, progress, serve_folder

NAME = "lighthouse"
PACKAGE = "lighthouse@13"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
RUN_TIMEOUT = 300


class NotRun(Exception):
    """Lighthouse could not run here; the message says why."""


def scores(report: dict) -> dict[str, float | None]:
    """Category scores on Lighthouse's 0–100 scale; None when a category has no score."""
    if report.get("runtimeError"):
        raise NotRun(f"Lighthouse runtime error: {report['runtimeError'].get('message', report['runtimeError'])}")
    return {key: (None if category.get("score") is None else round(category["score"] * 100)) for key, category in report.get("categories", {}).items()}


def median_scores(runs: list[dict[str, float | None]]) -> dict[str, float | None]:
    """Each category's median over several runs (Lighthouse scores vary from run to run)."""
    keys = dict.fromkeys(key for run in runs for key in run)
    medians: dict[str, float | None] = {}
    for key in keys:
        values = [run[key] for run in runs if run.get(key) is not None]
        medians[key] = statistics.median(values) if values else None
    return medians


def failing_audits(report: dict, category: str) -> list[str]:
    """Weighted audits of a category that scored below 1: why a score is short of 100."""
    found = []
    for reference in report.get("categories", {}).get(category, {}).get("auditRefs", []):
        audit = report.get("audits", {}).get(reference["id"], {})
        if reference.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            shown = audit.get("displayValue", "")
            found.append(f"{reference['id']} ({audit['score']:.2f}{', ' + shown if shown else ''})")
    return found


def ensure_lighthouse(node_dir: Path) -> Path:
    binary = node_dir / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise NotRun("node and npm are not installed")
    progress(f"lighthouse: npm install {PACKAGE} into {node_dir}")
    node_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--prefix", str(node_dir), "--no-audit", "--no-fund", PACKAGE], check=False, capture_output=True, text=True, timeout=900)
    if result.returncode != 0 or not binary.exists():
        raise NotRun(f"npm install {PACKAGE} failed: {(result.stderr or result.stdout).strip()[-300:]}")
    return binary


def run_lighthouse(binary: Path, url: str, output: Path) -> dict:
    command = [
        str(binary), url,
        "--output=json", f"--output-path={output}",
        "--only-categories=performance,accessibility",
        "--form-factor=mobile",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
    if result.returncode != 0 or not output.exists():
        raise NotRun(f"lighthouse exited {result.returncode}: {(result.stderr or result.stdout).strip()[-300:]}")
    return json.loads(output.read_text(encoding="utf-8"))


def run(ctx: Context) -> Section:
    section = Section(NAME)
    try:
        if not Path(CHROMIUM).exists():
            raise NotRun(f"{CHROMIUM} not found (apt-get install chromium)")
        binary = ensure_lighthouse(ctx.bench_dir / "node")
        site = ctx.real_site()
        site_languages = languages.site_languages(ctx.source() / "mkdocs.yml")
        default = next(language.locale for language in site_languages if language.default)
        slug = playbook_slug(ctx.source())
        base, server = serve_folder(site)
        try:
            for locale in dict.fromkeys((default, "ar")):
                if locale not in [language.locale for language in site_languages]:
                    continue
                page = page_url("playbook", slug, locale, default)
                runs = []
                for number in range(ctx.repeat):
                    progress(f"lighthouse: mobile run {number + 1}/{ctx.repeat} on /{page}")
                    report = run_lighthouse(binary, base + page, ctx.work / f"lighthouse-{locale}-{number}.json")
                    runs.append((scores(report), report))
                got = median_scores([run[0] for run in runs])
                report = runs[len(runs) // 2][1]
                section.measures.append(Measure(f"lighthouse: performance, /{page}", got.get("performance"), "score", "lighthouse_performance"))
                section.measures.append(Measure(f"lighthouse: accessibility, /{page}", got.get("accessibility"), "score", "lighthouse_accessibility"))
                audits = report.get("audits", {})
                section.details[locale] = {
                    "page": page,
                    "scores": got,
                    "all_scores": [run[0] for run in runs],
                    "lighthouse": report.get("lighthouseVersion"),
                    "metrics": {key: audits.get(key, {}).get("displayValue") for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")},
                    "below_full_marks": {category: failing_audits(report, category) for category in ("performance", "accessibility")},
                    "settings": {key: report.get("configSettings", {}).get(key) for key in ("formFactor", "throttlingMethod")},
                }
        finally:
            server.shutdown()
    except NotRun as reason:
        section.not_run = str(reason)
    except subprocess.TimeoutExpired as timeout:
        section.not_run = f"timed out after {timeout.timeout:.0f} s: {' '.join(map(str, timeout.cmd))[:200]}"
    node = shutil.which("node")
    if node:
        section.details["node"] = subprocess.run([node, "--version"], check=False, capture_output=True, text=True).stdout.strip()
    return section
