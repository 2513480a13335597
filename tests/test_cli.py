"""`python -m playbook_site <command>`: one entry for every task, and every place that shows a command uses it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playbook_site import cli
from sites import REPO

COMMANDS = ("validate", "build", "serve", "check-links", *cli.MODULE_COMMANDS)
# Files that show commands to people or run them.
SHOWN_IN = ("Makefile", "README.md", "CONTRIBUTING.md", ".pre-commit-config.yaml", "docs", "data", ".github", "scripts", "tests")


def test_help_lists_every_command_on_one_line() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    result = subprocess.run([sys.executable, "-m", "playbook_site", "--help"], check=True, capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    lines = {match[1]: match[2] for match in re.finditer(r"^    (\S+) +(\S.*)$", result.stdout, re.MULTILINE)}
    assert list(lines) == list(COMMANDS), result.stdout
    assert all(len(line) <= 100 for line in result.stdout.splitlines())
    for name in ("new-case-study", "case-study-from-issue", "endorsement-from-issue", "translation-status", "issue-forms", "offline", "zim", "publish", "handouts"):
        assert name in lines


@pytest.mark.parametrize("name", list(cli.MODULE_COMMANDS))
def test_each_module_command_shows_its_own_options(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The module reads the command's arguments, `--help` included, under the command's own name."""
    with pytest.raises(SystemExit) as stopped:
        cli.main([name, "--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m playbook_site {name} [-h]"), out
    assert ("--endorsement" in out) == (name == "case-study-from-issue")


def test_a_module_command_gets_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["offline", "--no-such-option"])
    assert stopped.value.code == 2
    assert "python -m playbook_site offline: error: unrecognized arguments: --no-such-option" in capsys.readouterr().err
    assert cli.main(["zim", "--only", "xx"]) == 2
    assert "zim: unknown language xx" in capsys.readouterr().err


def test_no_old_module_entry_points_are_shown_anywhere() -> None:
    """Commands are shown as `python -m playbook_site <command>`; the modules have no `__main__` entries of their own."""
    old = re.compile(r"-m\s+playbook_site\.\w|\"-m\", \"playbook_site\.")
    found = []
    for top in SHOWN_IN:
        paths = [REPO / top] if (REPO / top).is_file() else [p for p in (REPO / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            found += [f"{path.relative_to(REPO)}: {match[0]}" for match in old.finditer(text) if path.name != "test_cli.py"]
    assert not found, found
    entries = [path for path in (REPO / "scripts" / "playbook_site").rglob("*.py") if "__name__ == \"__main__\"" in path.read_text(encoding="utf-8")]
    assert not entries, "every command goes through playbook_site/__main__.py"
    for command in re.findall(r"-m playbook_site ([a-z][a-z-]*)", (REPO / "Makefile").read_text(encoding="utf-8")):
        assert command in COMMANDS, command
