"""One command-line entry for every site task: `python -m playbook_site <command>`.

The Makefile calls these; contributors normally type `make validate`,
`make build` or `make serve`. `python -m playbook_site --help` lists every
command, `python -m playbook_site <command> --help` its options.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .content.catalogue import ContentRoots, load_catalogue
from .content.models import Catalogue
from .paths import PLAYBOOKS, ROOT, SITE
from .problems import DataError


# -- what every command does the same way (the modules' main(argv) use these) --------------------


def command_parser(name: str, description: str) -> argparse.ArgumentParser:
    """The parser of the module command `name`, shown as `python -m playbook_site <name>`."""
    return argparse.ArgumentParser(prog=f"python -m playbook_site {name}", description=description)


def chosen_playbooks(command: str, only: list[str] | None, catalogue: Catalogue) -> list[str] | None:
    """The playbooks of `--playbook`, or every playbook; None after naming an unknown one on stderr (the command returns 2)."""
    chosen = only or list(catalogue.playbooks)
    return chosen if all_known(command, "playbook", chosen, catalogue.playbooks, f"{PLAYBOOKS.relative_to(ROOT)}/") else None


def per_language_arguments(argv: list[str] | None, name: str, description: str, files: str, out: Path, available: Iterable[str]) -> tuple[argparse.Namespace, list[str]] | None:
    """The arguments of a command that writes one file per language (`--only LOCALE`, repeatable, and `--out FOLDER`)
    and its chosen languages; None after naming an unknown language (the command returns 2)."""
    parser = command_parser(name, description)
    parser.add_argument("--only", action="append", metavar="LOCALE", help="this language only (repeatable), e.g. --only es")
    parser.add_argument("--out", type=Path, default=out, help=f"folder for the {files} (default: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}/)")
    args = parser.parse_args(argv)
    chosen = chosen_languages(name, args.only, available)
    return None if chosen is None else (args, chosen)


def all_known(command: str, what: str, values: Iterable[str], known: Iterable[str], where: str) -> bool:
    """True when every value is one of `known`; else False after naming the unknown ones on stderr (the command returns 2)."""
    known = list(known)
    unknown = [value for value in values if value not in known]
    if unknown:
        print(f"{command}: unknown {what} {', '.join(unknown)} (the site has {', '.join(known)}; see {where})", file=sys.stderr)
    return not unknown


def chosen_languages(command: str, only: list[str] | None, available: Iterable[str]) -> list[str] | None:
    """The languages of `--only`, or every language; None after naming an unknown one on stderr (the command returns 2)."""
    available = list(available)
    chosen = only or available
    return chosen if all_known(command, "language", chosen, available, "mkdocs.yml, i18n languages") else None


def each_language(command: str, chosen: list[str], make: Callable[[str], object]) -> int:
    """`make(locale)` for each language in turn: its file on stdout, progress on stderr; 1 at the first that fails."""
    started = time.monotonic()
    for number, locale in enumerate(chosen, 1):
        print(f"{command}: [{number}/{len(chosen)}] {locale}", file=sys.stderr, flush=True)
        try:
            made = make(locale)
        except (RuntimeError, ValueError) as error:
            print(f"{command}: {error}", file=sys.stderr)
            return 1
        print(made, flush=True)
    print(f"{command}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return 0


def load_or_report(roots: ContentRoots = ContentRoots(), hint: str | None = None) -> Catalogue | None:
    """The checked catalogue, or None after printing every problem on stderr (the command returns 1).

    `hint` replaces the report's closing "nothing was built" (what to do next).
    """
    try:
        return load_catalogue(roots)
    except DataError as error:
        report = error.report()
        print(report if hint is None else report.replace("nothing was built", hint), file=sys.stderr, flush=True)
        return None


def validate(roots: ContentRoots = ContentRoots(), output_format: str = "text") -> int:
    """Check all data and playbooks; print every problem, or a one-line summary.

    `output_format="github"` prints each problem as a GitHub Actions error
    annotation on stdout (see github_annotations.py), and the count on stderr.
    """
    try:
        catalogue = load_catalogue(roots)
    except DataError as error:
        print_problems(error, output_format)
        return 1
    print(f"Data is valid: {len(catalogue.playbooks)} playbooks, {len(catalogue.patterns)} learning patterns, {len(catalogue.case_studies)} case studies, {len(catalogue.locales)} languages.")
    return 0


def print_problems(error: DataError, output_format: str = "text") -> None:
    """`validate`'s report of what is wrong: problem lines on stderr, or annotations on stdout and the count on stderr."""
    report = error.report().replace("nothing was built", "fix them and run `make validate` again")
    if output_format == "github":
        from .contribute.github_annotations import annotations

        print("\n".join(annotations(error.problems)))
        report = report.splitlines()[-1]
    print(report, file=sys.stderr)


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


def serve(only: str | None, address: str, root: Path = ROOT) -> int:
    """Serve every language (or `only` one) with live reload; see publish/dev_server.py."""
    from .publish.dev_server import serve as dev_serve

    return dev_serve(root, only, address)


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
    build_parser = commands.add_parser("build", help="strict build into site/, one process per language (left as it was if it fails)")
    build_parser.add_argument("--jobs", type=int, default=None, help="languages built at once (default: the number of cores)")
    build_parser.add_argument("--only", type=lambda text: [part.strip() for part in text.split(",") if part.strip()], help="build only these languages' trees into .build/languages/ (e.g. es,fr), no site/")
    build_parser.add_argument("--assemble", action="store_true", help="assemble site/ from the trees in .build/languages/ built before")
    build_parser.add_argument("--root", type=Path, default=ROOT, help="the folder holding the site's mkdocs.yml (default: this repository)")
    build_parser.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/ beside mkdocs.yml)")
    serve_parser = commands.add_parser("serve", help="build and serve with live reload (--only es: one language)")
    serve_parser.add_argument("--only", help="build only this language (e.g. es) for faster editing")
    serve_parser.add_argument("--address", default="127.0.0.1:8000")
    serve_parser.add_argument("--root", type=Path, default=ROOT, help="the site's folder (the one holding mkdocs.yml)")
    # The dev server's own builder process, and one full build of a language as it builds it (tests, benchmark).
    serve_parser.add_argument("--builder", action="store_true", help=argparse.SUPPRESS)
    serve_parser.add_argument("--once", metavar="LOCALE", help=argparse.SUPPRESS)
    serve_parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
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
        root = args.root.resolve()
        return build(site=args.site_dir.resolve() if args.site_dir else None, root=root, jobs=args.jobs, only=args.only, assemble=args.assemble)
    if args.command == "check-links":
        return check_links(external=args.external)
    if args.builder or args.once:
        from .publish.dev_builder import main as builder

        return builder(["--root", str(args.root), "--out", str(args.out or args.root / ".build" / "serve"), *(["--once", args.once] if args.once else [])])
    return serve(args.only or None, args.address, args.root)
