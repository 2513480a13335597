"""(1) Full build of the real site against a bare Material build of the same rendered pages.

Steps, all on a copy of the repository:
1. one build with an extra hook (dump_rendered.py) that saves every page's
   Markdown after macros, in every language (not timed);
2. the timed real build: `mkdocs build --strict`, the copy's own mkdocs.yml;
3. the timed bare build: a new project with theme material and the search
   plugin only (no macros, no i18n, no hooks, no custom_dir or extra CSS),
   the same Markdown extensions and nav, whose docs are the saved pages.
"""

from __future__ import annotations

import re
import shutil

from .report import Measure, Section
from .workspace import (
    Context,
    best_of,
    child_env,
    mkdocs_build,
    progress,
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

    bare = dump.parent
    (bare / "mkdocs.yml").write_text(bare_config(original), encoding="utf-8")

    real_site = ctx.work / "ratio-real-site"
    bare_site = ctx.work / "ratio-bare-site"
    progress(f"build ratio: timing the real build ({ctx.repeat}×)")
    real, real_runs = best_of(ctx.repeat, lambda: mkdocs_build(repo, real_site))
    progress(f"build ratio: timing the bare Material build of {len(pages)} pages ({ctx.repeat}×)")
    bare_run, bare_runs = best_of(ctx.repeat, lambda: mkdocs_build(bare, bare_site, strict=False))
    ctx.provide_real_site(real_site)

    warnings = sum(1 for line in bare_run.output.splitlines() if line.startswith("WARNING"))
    ratio = real.seconds / bare_run.seconds
    section.measures += [
        Measure("build: full site, all languages", real.seconds, "s"),
        Measure("build: bare Material, same pages", bare_run.seconds, "s", note=f"{len(pages)} pages"),
        Measure("build: full / bare", ratio, "×", "build_ratio", note=f"CPU time {real.cpu_seconds / bare_run.cpu_seconds:.2f}×"),
        Measure("build: peak memory, full site", real.peak_mb, "MB"),
    ]
    section.details = {
        "pages": len(pages),
        "real_seconds": [round(run.seconds, 2) for run in real_runs],
        "bare_seconds": [round(run.seconds, 2) for run in bare_runs],
        "real_cpu_seconds": [round(run.cpu_seconds, 2) for run in real_runs],
        "bare_cpu_seconds": [round(run.cpu_seconds, 2) for run in bare_runs],
        "bare_warnings": warnings,
        "bare_config": (bare / "mkdocs.yml").read_text(encoding="utf-8"),
        "method": "rendered Markdown saved at on_page_content by scripts/benchmark/dump_rendered.py in an untimed build; then best of --repeat for each build",
    }
    return section
