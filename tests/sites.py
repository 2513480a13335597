"""Assemble and build small test sites: the repository's engine plus fixture content.

A test site is a temporary folder with links to the real mkdocs.yml settings,
scripts/, overrides/ and the shared data files (schemas, taxonomy, sources,
interface strings), and a copy of one fixture's content from tests/fixtures/.
Builds run the build driver (`python -m playbook_site build`, one engine
process per language) in a subprocess, as `make build` does; `engine_build`
runs a plain single-process `mkdocs build` (or `properdocs build`, MkDocs'
maintained continuation, with engine="properdocs").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ("schema", "taxonomy.yml", "sources.yml", "ui.yml", "translation_reviews.yml")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def assemble(fixture: str, target: Path) -> Path:
    """Make a site in `target` from the engine and tests/fixtures/<fixture>/; returns its folder."""
    shutil.copytree(FIXTURES / fixture, target, dirs_exist_ok=True)
    for name in ("scripts", "overrides"):
        (target / name).symlink_to(REPO / name)
    (target / "data").mkdir(exist_ok=True)
    for name in SHARED_DATA:
        if not (target / "data" / name).exists():
            (target / "data" / name).symlink_to(REPO / "data" / name)
    if not (target / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for page in _nav_pages(target / "mkdocs.yml"):
        # A fixture only writes the pages it tests; the rest of the nav gets a stub.
        path = target / "docs" / page
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {page.removesuffix('.md').replace('/', ' ')}\n", encoding="utf-8")
    assets = target / "docs" / "assets"
    if not assets.exists():
        shutil.copytree(REPO / "docs" / "assets", assets)
    return target


def _nav_pages(mkdocs_yml: Path) -> list[str]:
    """The page files named in the nav of an mkdocs.yml (read as text: it holds !ENV tags)."""
    pages, in_nav = [], False
    for line in mkdocs_yml.read_text(encoding="utf-8").splitlines():
        if line.startswith("nav:"):
            in_nav = True
        elif in_nav and line.startswith("  - ") and line.endswith(".md"):
            pages.append(line.split("- ", 1)[1].split(": ")[-1].strip())
        elif in_nav and line and not line.startswith(" "):
            in_nav = False
    return pages


def build(site: Path, *args: str, env: dict[str, str] | None = None, engine: str | None = None) -> BuildResult:
    """The site in `site` built by the driver; args: `--site-dir X` (default `site/site`), `--jobs N`.

    With `engine` ("mkdocs", "properdocs"): one single-process build by that engine instead (see engine_build).
    """
    if engine is not None:
        return engine_build(site, *args, env=env, engine=engine)
    result = _run([sys.executable, "-m", "playbook_site", "build", "--root", str(site), *args], site, env)
    target = Path(args[args.index("--site-dir") + 1]) if "--site-dir" in args else site / "site"
    return BuildResult(result.returncode, result.output, target)


def engine_build(site: Path, *args: str, env: dict[str, str] | None = None, engine: str = "mkdocs") -> BuildResult:
    """One single-process `<engine> build --strict` of `site`, every language in one run (the hooks do every step)."""
    return _run([sys.executable, "-m", engine, "build", "--strict", *args], site, env)


def _run(command: list[str], site: Path, env: dict[str, str] | None) -> BuildResult:
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1", **dict({"PYTHONPATH": str(REPO / "scripts")}, **(env or {})))
    process = subprocess.run(
        command,
        cwd=site,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return BuildResult(process.returncode, process.stdout + process.stderr, site / "site")
