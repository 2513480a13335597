"""Data problems as GitHub Actions error annotations, shown on a pull request's changed lines.

`python -m playbook_site validate --format github` prints one workflow command
per problem: `::error file=<path>,line=<n>,col=<n>,title=<field>::<message> (<hint>)`.
GitHub reads these from a step's output and draws each one on the file's line.
Escaping follows GitHub's runner (actions/toolkit `command.ts`): in the
message `%`, CR and LF; in properties also `:` and `,`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import Problem

DEFAULT_TITLE = "Data problem"


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title): the message escapes plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One `::error ...::...` line for a problem."""
    title = f"{DEFAULT_TITLE}: {problem.field}" if problem.field else DEFAULT_TITLE
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    properties = {
        "file": problem.path,
        "line": str(max(problem.line, 1)),
        "col": str(max(problem.column, 1)),
        "title": title,
    }
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::error {joined}::{escape_data(message)}"


def annotations(problems: Iterable[Problem]) -> list[str]:
    return [annotation(problem) for problem in problems]
