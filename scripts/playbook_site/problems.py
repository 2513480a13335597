"""Problems found in data files, reported as `path:line:column: field: message (hint)`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class DataError(Exception):
    """Raised with every problem found, so a contributor can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the data; nothing was built.")
        return "\n".join(lines)


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing the choices when there are few."""
    options = sorted(choices)
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not options:
        return "there is nothing to refer to yet"
    if len(options) <= 12:
        return "choose one of: " + ", ".join(options)
    return f"choose one of the {len(options)} known values"
