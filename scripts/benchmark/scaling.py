"""(2) Scaling: build time and peak memory with 0 to 2,000 synthetic case studies × every language."""

from __future__ import annotations

import shutil

from playbook_site import languages

from .report import Measure, Section
from .synthetic import read_template, write_synthetic
from .workspace import Context, best_of, driver_build, progress

NAME = "scaling"
COUNTS = (0, 500, 1000, 2000)
QUICK_COUNTS = (0, 50, 100, 200)
BUDGET_COUNT = 2000  # the budgets speak of 2,000 case studies


def growth_ratios(seconds: dict[int, float]) -> dict[str, float]:
    """t(2N)/t(N) for every N > 0 whose double was measured too; 2.0 is linear growth with no fixed cost."""
    return {f"{count}→{2 * count}": seconds[2 * count] / seconds[count] for count in sorted(seconds) if count > 0 and 2 * count in seconds}


def run(ctx: Context) -> Section:
    section = Section(NAME)
    counts = ctx.counts or (QUICK_COUNTS if ctx.quick else COUNTS)
    templates = sorted((ctx.source() / "data" / "case_studies").glob("*.yml"))
    if not templates:
        raise RuntimeError("data/case_studies/: no case study to copy")
    sources = [read_template(path) for path in templates]
    site_languages = languages.site_languages(ctx.source() / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    seconds: dict[int, float] = {}
    cpu: dict[int, float] = {}
    runs = []
    for count in counts:
        repo = ctx.copy(f"scaling-{count}")
        write_synthetic(repo / "data" / "case_studies", sources, count, locales, default)
        progress(f"scaling: building with {count} synthetic case studies × {len(locales)} languages")
        site = ctx.work / f"scaling-{count}-site"
        best, results = best_of(ctx.repeat, lambda repo=repo, site=site: driver_build(repo, site))
        pages = sum(1 for _ in site.rglob("index.html"))
        peak = max(result.peak_mb for result in results)
        tree_peak = max(result.tree_peak_mb for result in results)
        seconds[count] = best.seconds
        cpu[count] = best.cpu_seconds
        runs.append({"synthetic_case_studies": count, "seconds": round(best.seconds, 2), "cpu_seconds": round(best.cpu_seconds, 2), "all_seconds": [round(r.seconds, 2) for r in results], "peak_mb": round(peak, 1), "tree_peak_mb": round(tree_peak, 1), "processes": best.processes, "html_pages": pages, "largest_processes": best.largest, "pagefind_runs": best.pagefind, "driver": [line for line in best.output.splitlines() if " built in " in line or line.startswith("Site built")]})
        budgeted = count == BUDGET_COUNT
        section.measures.append(Measure(f"scaling: build, {count} case studies × {len(locales)}", best.seconds, "s", "scaling_time" if budgeted else None, note=f"CPU {best.cpu_seconds:.0f} s, {pages} pages"))
        section.measures.append(Measure(f"scaling: peak memory, largest process, {count} case studies", peak, "MB", "scaling_memory" if budgeted else None))
        section.measures.append(Measure(f"scaling: peak memory, all processes, {count} case studies", tree_peak, "MB", "scaling_tree_memory" if budgeted else None, note=f"{best.processes} processes"))
        section.measures.append(Measure(f"scaling: peak memory, largest Pagefind run, {count} case studies", max(result.pagefind_peak_mb() for result in results), "MB", note=f"{len(best.pagefind)} runs, one per language tree"))
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(repo, ignore_errors=True)
    cpu_growth = growth_ratios(cpu)
    for label, ratio in growth_ratios(seconds).items():
        section.measures.append(Measure(f"scaling: t(2N)/t(N), {label}", ratio, "×", "scaling_growth", note=f"CPU time {cpu_growth[label]:.2f}×"))
    section.details = {
        "templates": [path.name for path in templates],
        "languages": list(locales),
        "runs": runs,
        "growth": {key: round(value, 3) for key, value in growth_ratios(seconds).items()},
        "cpu_growth": {key: round(value, 3) for key, value in cpu_growth.items()},
    }
    return section
