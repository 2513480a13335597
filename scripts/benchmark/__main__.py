"""Command line: `python -m benchmark [--quick] [--only NAME,...] [--counts N,...] [--json PATH] [--repeat N]`.

Prints a table (measure, value, budget, status) on stdout and writes JSON.
Budgets come from README.md (`## Performance budgets`). Exit status: 0 when
every measurement ran, even if a budget is missed (this is a report); 1 if a
measurement crashed; 2 if the budgets table cannot be read.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from playbook_site.paths import ROOT

from . import build_ratio, lighthouse, overview_weight, reload, scaling, weight
from .budgets import BudgetError, load_budgets
from .report import Section, table, to_json, write_json
from .workspace import Context, progress

# Order matters a little: build_ratio leaves a built site that weight and lighthouse reuse.
MODULES = {module.NAME: module for module in (build_ratio, scaling, reload, weight, lighthouse, overview_weight)}
VERSIONS = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mkdocs-macros-plugin")


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown measurement {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    return names


def _machine() -> dict:
    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(), "packages": versions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run: 0/50/100/200 synthetic case studies")
    parser.add_argument("--only", type=_names, default=list(MODULES), help=f"comma-separated subset of: {', '.join(MODULES)}")
    parser.add_argument("--json", type=Path, default=ROOT / ".build" / "bench" / "results.json", help="where to write the JSON results (default .build/bench/results.json)")
    parser.add_argument("--counts", type=lambda text: tuple(int(part) for part in text.split(",")), default=None, help="scaling and weight: these numbers of synthetic case studies (e.g. 2000; 0 is the site as it is) instead of their defaults (scaling 0,500,1000,2000; weight 0,2000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds: best of N; reload edits and Lighthouse: median of N (default 1)")
    parser.add_argument("--budgets", type=Path, default=ROOT / "README.md", help="Markdown file with the '## Performance budgets' table (default README.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies and built sites (their folder is printed)")
    args = parser.parse_args(argv)

    try:
        budgets = load_budgets(args.budgets)
    except BudgetError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="pp-bench-"))
    ctx = Context(work=work, quick=args.quick, repeat=max(1, args.repeat), counts=args.counts)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    sections: list[Section] = []
    try:
        ctx.source()  # the snapshot every measurement copies
        for name in [name for name in MODULES if name in args.only]:
            progress(f"{name}: start (load average {os.getloadavg()[0]:.1f})")
            begin = time.monotonic()
            try:
                section = MODULES[name].run(ctx)
            except Exception:  # noqa: BLE001 - a crash is reported and the other measurements still run
                section = Section(name, error=traceback.format_exc())
                progress(f"{name}: crashed\n{section.error}")
            section.seconds = time.monotonic() - begin
            section.details["load_average_after"] = round(os.getloadavg()[0], 2)
            sections.append(section)
    finally:
        if args.keep:
            progress(f"kept the working copies in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    meta = {
        "started": started,
        "quick": args.quick,
        "repeat": ctx.repeat,
        "budgets_from": str(args.budgets),
        "machine": {**_machine(), "load_average_before": [round(value, 2) for value in load_before], "load_average_after": [round(value, 2) for value in os.getloadavg()]},
    }
    print(table(sections, budgets))
    write_json(to_json(sections, budgets, meta), args.json)
    progress(f"results written to {args.json}")
    return 1 if any(section.error for section in sections) else 0


if __name__ == "__main__":
    sys.exit(main())
