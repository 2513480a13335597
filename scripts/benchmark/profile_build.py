"""Profile one build with synthetic case studies: `python -m benchmark.profile_build [--count 500]`.

Copies the site's sources into a temporary folder, adds `--count` synthetic
case studies (see synthetic.py), runs `mkdocs build` under cProfile and
prints the functions with the most cumulative time. Not part of `make bench`:
cProfile slows the build down, so its times are for finding what dominates,
not for the budgets. The profile counts CPU time of the build process
(`time.process_time`), so other work on the machine changes it little;
Pagefind, a child process, is not in it.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from playbook_site import languages
from playbook_site.paths import ROOT

from .synthetic import read_template, write_synthetic
from .workspace import child_env, copy_repository, progress


# Run in the build's process: `mkdocs build` under a profiler that counts CPU time.
CHILD = """
import cProfile, sys, time
from mkdocs.__main__ import cli
profiler = cProfile.Profile(time.process_time)
try:
    profiler.runcall(cli.main, args=sys.argv[2:], standalone_mode=False)
finally:
    profiler.dump_stats(sys.argv[1])
"""


def profile_build(count: int, output: Path, work: Path, source: Path = ROOT) -> Path:
    """Build a copy of `source` with `count` synthetic case studies under cProfile; the stats file."""
    repo = copy_repository(work / "repo", source)
    sources = [read_template(path) for path in sorted((repo / "data" / "case_studies").glob("*.yml"))]
    site_languages = languages.site_languages(repo / "mkdocs.yml")
    locales = tuple(language.locale for language in site_languages)
    default = next(language.locale for language in site_languages if language.default)
    write_synthetic(repo / "data" / "case_studies", sources, count, locales, default)
    progress(f"profile: building with {count} synthetic case studies × {len(locales)} languages under cProfile")
    command = [sys.executable, "-c", CHILD, str(output), "build", "--site-dir", str(work / "site")]
    subprocess.run(command, cwd=repo, env=child_env(), check=True, stdout=subprocess.DEVNULL)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark.profile_build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500, help="synthetic case studies (default 500)")
    parser.add_argument("--output", type=Path, default=Path(".build/bench/build.prof"), help="the cProfile stats file (default .build/bench/build.prof)")
    parser.add_argument("--source", type=Path, default=ROOT, help="the repository to copy (default this one; an older checkout gives a 'before' profile)")
    parser.add_argument("--top", type=int, default=30, help="how many lines to print (default 30)")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pp-profile-") as work:
        profile_build(args.count, args.output.resolve(), Path(work), args.source.resolve())
    pstats.Stats(str(args.output)).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
