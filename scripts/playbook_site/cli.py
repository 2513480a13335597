"""One command-line entry for every site task: `python -m playbook_site <command>`.

The Makefile calls these; contributors normally type `make validate`,
`make build` or `make serve`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .content.catalogue import ContentRoots, load_catalogue
from .paths import ROOT, SITE
from .problems import DataError


def validate(roots: ContentRoots = ContentRoots(), output_format: str = "text") -> int:
    """Check all data and playbooks; print every problem, or a one-line summary.

    `output_format="github"` prints each problem as a GitHub Actions error
    annotation on stdout (see github_annotations.py), and the count on stderr.
    """
    try:
        catalogue = load_catalogue(roots)
    except DataError as error:
        report = error.report().replace("nothing was built", "fix them and run `make validate` again")
        if output_format == "github":
            from .contribute.github_annotations import annotations

            print("\n".join(annotations(error.problems)))
            report = report.splitlines()[-1]
        print(report, file=sys.stderr)
        return 1
    print(f"Data is valid: {len(catalogue.playbooks)} playbooks, {len(catalogue.patterns)} learning patterns, {len(catalogue.case_studies)} case studies, {len(catalogue.locales)} languages.")
    return 0


def build(site: Path | None = None, staging: Path | None = None, root: Path = ROOT, jobs: int | None = None, only: list[str] | None = None, assemble: bool = False) -> int:
    """A strict build, one engine process per language, swapped into place only when it succeeds.

    A failed build (bad data, a broken link, a warning, in any language)
    leaves the previous site/ exactly as it was. See publish/build_driver.py.
    """
    from .publish import build_driver

    site = site or (SITE if root == ROOT else root / "site")
    if staging is None:  # beside site/, so that swapping it in is a rename
        staging = root / ".build" / "site-next" if site.resolve().is_relative_to(root.resolve()) else site.with_name(f".{site.name}-next")
    return build_driver.build(root, site, staging, jobs=jobs, only=only, assemble_only=assemble)


def serve(only: str | None, address: str) -> int:
    """`mkdocs serve` with live reload; `only` builds a single language for speed."""
    env = dict(os.environ)
    if only:
        env["ONLY_LOCALE"] = only
    try:
        return subprocess.run([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address], cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 0


def check_links(site: Path = SITE, external: bool = False) -> int:
    """Internal links and anchors of a built site; with `external`, also try every outside link."""
    from .publish.link_check import check_external, external_links, internal_link_problems

    if not (site / "index.html").is_file():
        print(f"No built site in {site}/: run `make build` first.", file=sys.stderr)
        return 1
    problems = internal_link_problems(site)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"Internal links: {len(problems)} broken.")
    if not external:
        return 1 if problems else 0
    links = external_links(site)
    print(f"Checking {len(links)} external links (needs network)...", file=sys.stderr)
    failed = check_external(sorted(links))
    for url, reason in sorted(failed.items()):
        print(f"{url}: {reason} (linked from {', '.join(links[url][:3])}{', ...' if len(links[url]) > 3 else ''})", file=sys.stderr)
    print(f"External links: {len(failed)} of {len(links)} failed.")
    return 1 if problems or failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="playbook_site", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser("validate", help="check data/ and playbooks/")
    validate_parser.add_argument("--format", choices=("text", "github"), default="text", help="github: print GitHub Actions error annotations")
    build_parser = commands.add_parser("build", help="strict build into site/ (left untouched on failure), one process per language")
    build_parser.add_argument("--jobs", type=int, default=None, help="languages built at once (default: the number of cores)")
    build_parser.add_argument("--only", type=lambda text: [part.strip() for part in text.split(",") if part.strip()], help="build only these languages' trees into .build/languages/ (e.g. es,fr), no site/")
    build_parser.add_argument("--assemble", action="store_true", help="assemble site/ from the trees in .build/languages/ built before")
    build_parser.add_argument("--root", type=Path, default=ROOT, help="the folder holding the site's mkdocs.yml (default: this repository)")
    build_parser.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/ beside mkdocs.yml)")
    links_parser = commands.add_parser("check-links", help="check the links of the built site/")
    links_parser.add_argument("--external", action="store_true", help="also try every external link (needs network)")
    serve_parser = commands.add_parser("serve", help="build and serve with live reload")
    serve_parser.add_argument("--only", help="build only this language (e.g. es) for faster editing")
    serve_parser.add_argument("--address", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(output_format=args.format)
    if args.command == "build":
        root = args.root.resolve()
        return build(site=args.site_dir.resolve() if args.site_dir else None, root=root, jobs=args.jobs, only=args.only, assemble=args.assemble)
    if args.command == "check-links":
        return check_links(external=args.external)
    return serve(args.only or None, args.address)


if __name__ == "__main__":
    sys.exit(main())
