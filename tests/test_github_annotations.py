"""`validate --format github`: every broken file of the hostile corpus gives a well-formed annotation on its line.

The corpus is tests/hostile/cases/ (see test_hostile_inputs.py). Cases marked to
run as a subprocess go through `python -m playbook_site validate --format github`
here; the others are checked in test_hostile_inputs.py, where each case's data is
loaded once and its problems printed in both formats.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from annotation_lines import assert_points_at_the_case, parse
from hostile import generate
from playbook_site import cli
from playbook_site.contribute.github_annotations import annotation, escape_data, escape_property
from playbook_site.problems import Problem
from sites import REPO
from test_hostile_inputs import CASE_NAMES, CASES, content_with_case


def _params(run: str) -> list[str]:
    return [name for name in CASE_NAMES if generate.load_expectation(CASES / name)["run"] == run]


@pytest.mark.parametrize("name", _params("subprocess"))
def test_the_command_annotates_each_broken_file(name: str, pristine_content: Path, tmp_path: Path) -> None:
    root = content_with_case(pristine_content, tmp_path / "content", name, code=True)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root / "scripts"), "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "playbook_site", "validate", "--format", "github"], cwd=root, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert_points_at_the_case(parse(result.stdout), name)


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("data/x,y.yml: 100%\n") == "data/x%2Cy.yml%3A 100%25%0A"
    line = annotation(Problem("data/case_studies/a,b:c.yml", 3, 0, "title.en", "two\nlines, 100%: here", "a hint, with: colons"))
    assert line == "::error file=data/case_studies/a%2Cb%3Ac.yml,line=3,col=1,title=Data problem%3A title.en::two%0Alines, 100%25: here (a hint, with: colons)"
    (parsed,) = parse(line)
    assert parsed == {"file": "data/case_studies/a,b:c.yml", "line": "3", "col": "1", "title": "Data problem: title.en", "message": "two\nlines, 100%: here (a hint, with: colons)"}


def test_valid_data_prints_no_annotation(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--format", "github"]) == 0
    out, _ = capsys.readouterr()
    assert "::error" not in out and out.startswith("Data is valid")


def test_the_workflow_shows_data_problems_on_the_pull_request() -> None:
    workflow = (REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert re.search(r"validate FORMAT=github|playbook_site validate --format github", workflow)
