"""One command-line entry for every site task: `python -m playbook_site <command>`.

The Makefile calls these; contributors normally type `make validate`,
`make build` or `make serve`. `python -m playbook_site --help` lists every
command, `python -m playbook_site <command> --help` its options.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .content.catalogue import ContentRoots, load_catalogue
from .paths import BUILD, ROOT, SITE
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


def build(site: Path = SITE, staging: Path = BUILD / "site-next", root: Path = ROOT) -> int:
    """A strict build into a staging folder, swapped into place only when it succeeds.

    A failed build (bad data, a broken link, a warning) leaves the previous
    site/ exactly as it was.
    """
    if validate(ContentRoots.beside(root / "mkdocs.yml")) != 0:
        print(f"Build stopped before it started; {site.name}/ was not touched.", file=sys.stderr)
        return 1
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)], cwd=root)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed (see the messages above); {site.name}/ was left as it was.", file=sys.stderr)
        return 1
    previous = staging.with_name("site-previous")
    if previous.exists():
        shutil.rmtree(previous)
    if site.exists():
        site.rename(previous)
    staging.rename(site)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Site built in {site}")
    return 0


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


# Commands that live in their own module: name -> (module, its function taking
# the command's arguments, one line of help). The module parses its own options;
# it is imported only when its command runs (the publishing ones need Chromium
# or libzim, which `validate` does not).
MODULE_COMMANDS: dict[str, tuple[str, str, str]] = {
    "translation-status": ("contribute.translation_status", "main", "each translated page x language: current, draft, stale or missing"),
    "new-case-study": ("contribute.new_case_study", "main", "write a new case study by answering questions"),
    "case-study-from-issue": ("contribute.issue_to_yaml", "main", "a 'Share a case study' issue's text -> data/case_studies/<id>.yml"),
    "endorsement-from-issue": ("contribute.issue_to_yaml", "endorsement_main", "add an 'Endorse a learning pattern' issue to its pattern"),
    "issue-forms": ("contribute.issue_forms", "main", "check (--write: rewrite) the issue forms from data/forms.yml"),
    "offline": ("publish.offline", "main", "one zip per language in site-offline/ that works from file://"),
    "zim": ("publish.zim", "main", "one Kiwix .zim file per language in site-offline/"),
    "handouts": ("publish.handouts", "main", "a PDF per playbook and workshop sheet and language, from site/"),
    "publish": ("publish.deploy", "main", "site/ as the deploy uploads it, with every language's downloads"),
}


class _OneLineEach(argparse.HelpFormatter):
    """`--help` with each command's help beside its name, on one line of up to 100 columns."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=100)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.nargs == argparse.PARSER:
            self._action_max_length += 2  # argparse measures the commands without their extra indent


def parser() -> argparse.ArgumentParser:
    """The command line: the commands of this file, then those of MODULE_COMMANDS (listed in --help only)."""
    top = argparse.ArgumentParser(prog="python -m playbook_site", description=__doc__.split("\n\n")[0], epilog="`python -m playbook_site <command> --help` shows a command's options.", formatter_class=_OneLineEach)
    commands = top.add_subparsers(dest="command", required=True, title="commands", metavar="<command>")
    validate_parser = commands.add_parser("validate", help="check data/ and playbooks/ (--format github: as annotations)")
    validate_parser.add_argument("--format", choices=("text", "github"), default="text", help="github: print GitHub Actions error annotations")
    commands.add_parser("build", help="strict build into site/ (left as it was if the build fails)")
    serve_parser = commands.add_parser("serve", help="build and serve with live reload (--only es: one language)")
    serve_parser.add_argument("--only", help="build only this language (e.g. es) for faster editing")
    serve_parser.add_argument("--address", default="127.0.0.1:8000")
    links_parser = commands.add_parser("check-links", help="check the links of the built site/ (--external: outside ones too)")
    links_parser.add_argument("--external", action="store_true", help="also try every external link (needs network)")
    for name, (_module, _function, line) in MODULE_COMMANDS.items():
        commands.add_parser(name, help=line, add_help=False)
    return top


def run_module_command(name: str, argv: list[str]) -> int:
    """Hand `argv` to the function of the module that owns command `name`."""
    module, function, _line = MODULE_COMMANDS[name]
    command = getattr(importlib.import_module(f".{module}", __package__), function)
    return int(command(argv))


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in MODULE_COMMANDS:
        # Everything after the name, `--help` included, is the module's to read.
        return run_module_command(arguments[0], arguments[1:])
    args = parser().parse_args(arguments)
    if args.command == "validate":
        return validate(output_format=args.format)
    if args.command == "build":
        return build()
    if args.command == "check-links":
        return check_links(external=args.external)
    return serve(args.only or None, args.address)
