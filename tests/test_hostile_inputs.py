"""Hostile input: broken data is reported cleanly; payloads in valid text come out inert.

The corpus in tests/hostile/cases/ (regenerate it with tests/hostile/generate.py)
breaks copies of the project's own entries. The real content is copied once;
for each case a temporary folder shows it through symbolic links, with the
case's broken file laid over it (`sites.overlay`), and validation runs: it
must exit 1 without a traceback and report a line
`path:line:column: field: message` where the case's expect.yml says.

The payload site (tests/fixtures/hostile/, made by the same generator) is
tested in test_hostile_payloads.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from annotation_lines import assert_points_at_the_case, parse
from hostile import generate
from playbook_site import cli
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.problems import DataError
from sites import overlay

CASES = generate.CASES
CASE_NAMES = sorted(path.name for path in CASES.iterdir() if (path / "expect.yml").is_file())
SUMMARY_LINE = re.compile(r"^\d+ problems? found in the data; ")
ANY_PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+:\d+: \S.*$")
FIELDLESS = re.compile(r"^[^\s:]+: ")  # a field name: no spaces, then ': '
SENTINEL = "python-tag-ran"  # the file the !!python/object/apply case would create if its tag ran


def _case_params(run: str) -> list[str]:
    return [name for name in CASE_NAMES if generate.load_expectation(CASES / name)["run"] == run]


def content_with_case(pristine: Path, target: Path, name: str, code: bool = False, copied: tuple[str, ...] = ()) -> Path:
    """`target`: the pristine content through links, with the case's files written over it.

    With `code`, also the code (scripts/, hard links to the pristine copy): `python -m playbook_site`
    finds its content beside itself, so it must run from inside `target`. Top-level folders in `copied`
    are real copies (for a command that may write there)."""
    overlay(pristine, target, [*generate.case_paths(CASES / name), "scripts"], copied=copied)
    if code:
        shutil.copytree(pristine / "scripts", target / "scripts", copy_function=os.link)
    written = generate.materialise(CASES / name, target)
    assert written and all(not (target / path).is_symlink() for path in written), written
    return target


def assert_reported(output: str, spec: dict) -> None:
    """`output` holds the expected problem line, and nothing but problem lines and the summary."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "validation printed nothing"
    strays = [line for line in lines if not (ANY_PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line))]
    assert not strays, f"lines that are not `path:line:column: ...` problems: {strays[:5]}"
    expect = spec["expect"]
    column = str(expect["column"]) if expect["column"] is not None else r"\d+"
    prefix = re.compile(rf"^{re.escape(expect['path'])}:{expect['line']}:{column}: (?P<rest>.*)$")
    candidates = [match["rest"] for line in lines if (match := prefix.match(line))]
    if expect["field"] is None:
        found = [rest for rest in candidates if expect["message"] in rest]
    elif expect["field"] == "":
        found = [rest for rest in candidates if not FIELDLESS.match(rest) and expect["message"] in rest]
    else:
        found = [rest for rest in candidates if rest.startswith(f"{expect['field']}: ") and expect["message"] in rest[len(expect["field"]) + 2 :]]
    wanted = f"{expect['path']}:{expect['line']}:{expect['column'] or '*'}: {expect['field'] if expect['field'] is not None else '*'}: ...{expect['message']}..."
    assert found, f"expected {wanted}\ngot:\n" + "\n".join(lines[:20])


# -- the corpus ------------------------------------------------------------------------------


def test_the_corpus_is_large_and_complete() -> None:
    assert len(CASE_NAMES) >= 40
    generated = sorted(case.name for case in generate.cases())
    assert CASE_NAMES == generated, "the corpus is out of date: run tests/hostile/generate.py"
    for name in CASE_NAMES:
        spec = generate.load_expectation(CASES / name)
        assert spec["about"] and spec["expect"]["path"] and spec["expect"]["line"] >= 1, name
        assert any((CASES / name / "files").rglob("*")), name


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    first = generate.write_all(tmp_path / "a" / "cases", tmp_path / "a" / "fixture")
    generate.write_all(tmp_path / "b" / "cases", tmp_path / "b" / "fixture")
    tree = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert tree == again
    assert len(first) == len(CASE_NAMES)
    assert max(len(content) for content in tree.values()) < 100_000, "files over 100 KB must be fill recipes"
    # The committed corpus and fixture site must be what generate.py makes from today's data: a case
    # built from an old copy of an entry would lay last month's file over this month's content.
    for committed_dir, fresh_dir in ((generate.FIXTURE, tmp_path / "a" / "fixture"), (CASES, tmp_path / "a" / "cases")):
        committed = {p.relative_to(committed_dir): p.read_bytes() for p in committed_dir.rglob("*") if p.is_file()}
        fresh = {p.relative_to(fresh_dir): p.read_bytes() for p in fresh_dir.rglob("*") if p.is_file()}
        stale = sorted(str(path) for path in committed.keys() | fresh.keys() if committed.get(path) != fresh.get(path))
        assert not stale, f"{committed_dir.relative_to(generate.REPO)} is out of date ({', '.join(stale[:3])}...): an entry it copies was edited; run `PYTHONPATH=scripts .venv/bin/python tests/hostile/generate.py` and commit tests/hostile/ and tests/fixtures/hostile/"


@pytest.mark.parametrize("name", _case_params("in-process"))
def test_bad_input_is_reported_in_process(name: str, pristine_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The data is loaded once (the slow part), and `validate`'s report is checked in both its formats:
    problem lines on stderr, and GitHub annotations on stdout with the count on stderr."""
    root = content_with_case(pristine_content, tmp_path / "content", name)
    monkeypatch.chdir(root)
    with pytest.raises(DataError) as raised:
        load_catalogue(ContentRoots.beside(root / "mkdocs.yml"))
    assert not (root / SENTINEL).exists()
    cli.print_problems(raised.value, "text")
    out, err = capsys.readouterr()
    assert not out
    assert_reported(err, generate.load_expectation(CASES / name))
    cli.print_problems(raised.value, "github")
    out, err = capsys.readouterr()
    assert_points_at_the_case(parse(out), name)
    assert re.fullmatch(r"\d+ problems? found in the data; .*\n", err), err


@pytest.mark.parametrize("name", _case_params("subprocess"))
def test_bad_input_is_reported_by_the_command(name: str, pristine_content: Path, tmp_path: Path) -> None:
    """`python -m playbook_site validate` in a copy of the repository: exit 1, a report, no traceback."""
    root = content_with_case(pristine_content, tmp_path / "content", name, code=True)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root / "scripts"), "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "playbook_site", "validate"], cwd=root, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stdout + result.stderr
    assert_reported(result.stderr, generate.load_expectation(CASES / name))
    assert not (root / SENTINEL).exists(), "a !!python tag was executed"


@pytest.mark.parametrize("name", ["yaml-syntax-unquoted-colon-in-title", "non-utf8-playbook", "deep-nesting-50000-levels"])
def test_a_failed_build_leaves_the_previous_site_intact(name: str, pristine_content: Path, tmp_path: Path) -> None:
    """Whatever stops the build (bad YAML, bad bytes, a file that once crashed the loader), site/ is untouched."""
    root = content_with_case(pristine_content, tmp_path / "content", name, code=True, copied=("docs",))
    previous = root / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("<p>the previous site</p>", encoding="utf-8")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root / "scripts"), "LANG": "C.UTF-8", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "playbook_site", "build"], cwd=root, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert [p.relative_to(root).as_posix() for p in (root / "site").rglob("*")] == ["site/index.html"]
    assert previous.read_text(encoding="utf-8") == "<p>the previous site</p>"
    assert not (root / ".build" / "site-next").exists()
