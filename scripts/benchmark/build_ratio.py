"""(1) Full build of the real site against a bare Material build of the same rendered pages.

Steps, all on a copy of the repository:
1. one build with an extra hook (dump_rendered.py) that saves every page's
   Markdown after macros, in every language (not timed);
2. the timed real build: `make build` (the build driver, one engine process
   per language, as many at once as there are cores);
3. the timed bare build, built the same way: per language, a project with
   theme material and the search plugin only (no macros, no i18n, no hooks,
   no custom_dir or extra CSS), the same Markdown extensions and nav, whose
   docs are that language's saved pages; one `mkdocs build` per language,
   as many at once as the driver runs (xargs -P).
The CPU time and memory are those of the whole process tree (workspace.run_measured).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from playbook_site import languages

from .report import Measure, Section
from .workspace import (
    Context,
    RunResult,
    best_of,
    child_env,
    driver_build,
    mkdocs_build,
    progress,
    run_measured,
)

NAME = "build_ratio"
DUMP_HOOK = "scripts/benchmark/dump_rendered.py"


def top_level_block(yaml_text: str, key: str) -> str:
    """The text of a top-level `key:` block of a YAML file, up to the next top-level key."""
    match = re.search(rf"^{re.escape(key)}:.*\n(?:(?:[ \t]+.*|)\n)*", yaml_text + "\n", re.MULTILINE)
    if not match:
        raise ValueError(f"mkdocs.yml has no top-level '{key}:' block")
    return match.group(0).rstrip() + "\n"


def with_extra_hook(yaml_text: str, hook: str) -> str:
    """mkdocs.yml text with one more file under `hooks:`."""
    block = top_level_block(yaml_text, "hooks")
    return yaml_text.replace(block, block + f"  - {hook}\n", 1)


def bare_config(real_yaml: str) -> str:
    """mkdocs.yml of the bare project: Material and search only; same extensions, nav and link checks."""
    parts = [
        "site_name: Bare Material build\n",
        "site_url: http://127.0.0.1:8000/\n",
        "theme:\n  name: material\n  font: false\n",
        "plugins:\n  - search\n",
    ]
    parts += [top_level_block(real_yaml, key) for key in ("markdown_extensions", "nav", "validation") if re.search(rf"^{key}:", real_yaml, re.MULTILINE)]
    return "".join(parts)


def split_by_language(dump: Path, bare: Path, locales: tuple[str, ...], default: str, config: str) -> list[Path]:
    """One bare project per language from the saved pages (the default language's at the dump's root); returns their folders."""
    projects = []
    for locale in locales:
        project = bare / locale
        (project / "docs").mkdir(parents=True, exist_ok=True)
        if locale == default:
            for entry in dump.iterdir():
                if entry.name not in locales:
                    shutil.move(str(entry), project / "docs" / entry.name)
        projects.append(project)
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for locale in locales:
        if locale != default and (dump / locale).is_dir():
            shutil.rmtree(bare / locale / "docs")
            shutil.move(str(dump / locale), bare / locale / "docs")
    return projects


def parallel_bare_build(projects: list[Path], site: Path, jobs: int) -> RunResult:
    """`mkdocs build` of each project, `jobs` at a time (as the driver runs the languages), measured as one process tree."""
    if site.exists():
        shutil.rmtree(site)
    arguments = "\n".join(str(project) for project in projects) + "\n"
    listing = site.with_suffix(".txt")
    listing.write_text(arguments, encoding="utf-8")
    command = ["xargs", "-a", str(listing), "-P", str(jobs), "-I{}", sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "{}/mkdocs.yml", "--site-dir", "{}/site"]
    result = run_measured(command, site.parent, child_env())
    if result.returncode != 0:
        raise RuntimeError(f"the bare builds failed (exit {result.returncode}):\n{result.output[-4000:]}")
    return result


def run(ctx: Context) -> Section:
    section = Section(NAME)
    repo = ctx.copy("ratio-repo")
    config_path = repo / "mkdocs.yml"
    original = config_path.read_text(encoding="utf-8")
    dump = ctx.work / "ratio-bare" / "docs"

    progress("build ratio: saving the rendered Markdown of every page (untimed build)")
    config_path.write_text(with_extra_hook(original, DUMP_HOOK), encoding="utf-8")
    mkdocs_build(repo, ctx.work / "ratio-dump-site", env=child_env(PP_BENCH_DUMP=str(dump)))
    config_path.write_text(original, encoding="utf-8")
    shutil.rmtree(ctx.work / "ratio-dump-site", ignore_errors=True)
    pages = sorted(dump.rglob("*.md"))

    site_languages = languages.site_languages(repo / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    bare = ctx.work / "ratio-bare-projects"
    projects = split_by_language(dump, bare, locales, default, bare_config(original))
    jobs = os.cpu_count() or 1

    real_site = ctx.work / "ratio-real-site"
    bare_site = ctx.work / "ratio-bare-site"
    progress(f"build ratio: timing the real build, the driver with {jobs} at once ({ctx.repeat}×)")
    real, real_runs = best_of(ctx.repeat, lambda: driver_build(repo, real_site, jobs=jobs))
    progress(f"build ratio: timing the bare Material builds of {len(pages)} pages, one per language, {jobs} at once ({ctx.repeat}×)")
    bare_run, bare_runs = best_of(ctx.repeat, lambda: parallel_bare_build(projects, bare_site, jobs))
    ctx.provide_real_site(real_site)

    warnings = sum(1 for line in bare_run.output.splitlines() if line.startswith("WARNING"))
    ratio = real.seconds / bare_run.seconds
    section.measures += [
        Measure("build: full site, all languages", real.seconds, "s", note=f"CPU {real.cpu_seconds:.1f} s, {real.processes} processes"),
        Measure("build: bare Material, same pages", bare_run.seconds, "s", note=f"{len(pages)} pages, CPU {bare_run.cpu_seconds:.1f} s"),
        Measure("build: full / bare", ratio, "×", "build_ratio", note=f"CPU time {real.cpu_seconds / bare_run.cpu_seconds:.2f}×"),
        Measure("build: peak memory, largest process", real.peak_mb, "MB"),
        Measure("build: peak memory, all processes at once", real.tree_peak_mb, "MB"),
        Measure("build: peak memory, largest Pagefind run", real.pagefind_peak_mb(), "MB", note=f"{len(real.pagefind)} runs, one per language tree"),
        Measure("build: bare, peak memory, all processes at once", bare_run.tree_peak_mb, "MB"),
    ]
    section.details = {
        "pages": len(pages),
        "real_seconds": [round(run.seconds, 2) for run in real_runs],
        "bare_seconds": [round(run.seconds, 2) for run in bare_runs],
        "real_cpu_seconds": [round(run.cpu_seconds, 2) for run in real_runs],
        "bare_cpu_seconds": [round(run.cpu_seconds, 2) for run in bare_runs],
        "bare_warnings": warnings,
        "bare_config": (projects[0] / "mkdocs.yml").read_text(encoding="utf-8"),
        "jobs": jobs,
        "real_tree_peak_mb": [round(run.tree_peak_mb, 1) for run in real_runs],
        "real_largest_process_mb": [round(run.peak_mb, 1) for run in real_runs],
        "real_largest_processes": real.largest,
        "real_pagefind_runs": real.pagefind,
        "method": "rendered Markdown saved at on_page_content by scripts/benchmark/dump_rendered.py in an untimed build; the real site built by the driver, the bare pages by one mkdocs build per language, both with the same number at once; best of --repeat for each",
    }
    return section
