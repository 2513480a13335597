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
        check=False,
    )
    return BuildResult(process.returncode, process.stdout + process.stderr, site / "site")


CONTENT = ("data", "playbooks", "docs", "mkdocs.yml")  # what the loader reads, beside mkdocs.yml


def _git_ignored(folder: Path) -> set[Path]:
    """Files under `folder` that git ignores (generated pages a build left in docs/); empty without git."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", str(folder)], cwd=REPO, capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {REPO / name for name in listed.split("\0") if name}


def copy_tracked(source: Path, target: Path) -> None:
    """Copy a folder of the checkout without the files git ignores (generated pages, caches)."""
    ignored = _git_ignored(source)
    shutil.copytree(source, target, ignore=lambda folder, names: [name for name in names if Path(folder, name) in ignored or name == "__pycache__"])


def checkout_copy(target: Path) -> Path:
    """A folder that builds like the checkout without writing into it: its own mkdocs.yml and docs/ (a build
    writes generated pages beside the docs), links to data/, playbooks/, scripts/ and overrides/."""
    target.mkdir(parents=True, exist_ok=True)
    copy_tracked(REPO / "docs", target / "docs")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("data", "playbooks", "scripts", "overrides"):
        (target / name).symlink_to(REPO / name)
    return target


def overlay(base: Path, target: Path, replaced: list[str], copied: tuple[str, ...] = ()) -> Path:
    """`target` shows `base` through symbolic links, except at the paths in `replaced` (relative, with '/'):
    their folders are real, so the caller can write those files without touching `base`. Top-level
    names in `copied` are copied instead of linked. Cheap: a few dozen links instead of a copy."""
    real = {Path(".")} | {parent for path in replaced for parent in Path(path).parents}
    skipped = {Path(path) for path in replaced}

    def fill(relative: Path) -> None:
        (target / relative).mkdir(parents=True, exist_ok=True)
        for entry in sorted((base / relative).iterdir()):
            child = relative / entry.name
            if child in skipped:
                continue
            if relative == Path(".") and entry.name in copied:
                (shutil.copytree if entry.is_dir() else shutil.copy)(entry, target / child)
            elif child in real and entry.is_dir():
                fill(child)
            else:
                (target / child).symlink_to(entry)

    fill(Path("."))
    return target


def site_url(mkdocs_yml: Path = REPO / "mkdocs.yml") -> str:
    """The site_url a build of `mkdocs_yml` uses: $SITE_URL when set, else the file's default; ending in '/'."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    url = str(yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=get_yaml_loader())["site_url"])
    return url if url.endswith("/") else url + "/"
