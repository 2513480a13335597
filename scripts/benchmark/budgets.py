"""Performance budgets: parsed from the table under `## Performance budgets` in README.md.

README.md is the single source of truth. A row looks like
`| build_ratio | full build / bare Material build | ≤ 1.15 |`: a key the
benchmark knows, what it means, and a target (≤ or ≥, a number, a unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADING = "## Performance budgets"

# unit -> (dimension, factor to the dimension's base unit: seconds, KiB, plain number)
UNITS: dict[str, tuple[str, float]] = {
    "": ("number", 1.0),
    "×": ("number", 1.0),
    "x": ("number", 1.0),
    "score": ("number", 1.0),
    "ms": ("time", 0.001),
    "s": ("time", 1.0),
    "min": ("time", 60.0),
    "B": ("size", 1 / 1024),
    "KB": ("size", 1.0),
    "MB": ("size", 1024.0),
    "GB": ("size", 1024.0 * 1024),
}
_TARGET = re.compile(r"^(?P<op>≤|≥|<=|>=)\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[A-Za-z×]*)$")


class BudgetError(Exception):
    """The budgets table is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class Budget:
    key: str
    description: str
    op: str  # "<=" or ">="
    limit: float
    unit: str
    text: str  # as written in the README, e.g. "≤ 60 s"


@dataclass(frozen=True)
class Verdict:
    ok: bool | None  # None: could not be compared
    status: str  # "ok", "missed by 12%", or why there is no comparison
    missed_by_percent: float | None = None


def parse_target(text: str) -> tuple[str, float, str]:
    """'≤ 1.15' -> ('<=', 1.15, ''); '≥ 95' -> ('>=', 95.0, ''); '≤ 2,000 MB' -> ('<=', 2000.0, 'MB')."""
    match = _TARGET.match(text.strip())
    if not match or match["unit"] not in UNITS:
        raise ValueError(f"target {text.strip()!r} is not like '≤ 60 s' or '≥ 95' (units: {', '.join(unit for unit in UNITS if unit)})")
    op = "<=" if match["op"] in ("≤", "<=") else ">="
    return op, float(match["number"].replace(",", "")), match["unit"]


def parse_budgets(markdown: str, source: str = "README.md") -> dict[str, Budget]:
    """Every row of the first table under the budgets heading, keyed by its first cell."""
    lines = markdown.splitlines()
    try:
        start = next(number for number, line in enumerate(lines) if line.strip() == HEADING)
    except StopIteration:
        raise BudgetError(f"{source}: no '{HEADING}' section; add it with a table like '| build_ratio | full build / bare build | ≤ 1.15 |' (see scripts/benchmark/budgets.py)") from None
    budgets: dict[str, Budget] = {}
    in_table = False
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("## ") or (in_table and not line.startswith("|")):
            break
        if not line.startswith("|"):
            continue
        in_table = True
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        if len(cells) < 3 or set(line) <= set("|-: ") or cells[0].lower() in ("key", "measure", "budget"):
            continue  # separator or header row
        key, description, target = cells[0], cells[1], cells[-1]
        try:
            op, limit, unit = parse_target(target)
        except ValueError as error:
            raise BudgetError(f"{source}:{number + 1}: budget '{key}': {error}") from None
        if key in budgets:
            raise BudgetError(f"{source}:{number + 1}: budget '{key}' is listed twice (keep one row)")
        budgets[key] = Budget(key, description, op, limit, unit, target)
    if not budgets:
        raise BudgetError(f"{source}:{start + 1}: '{HEADING}' has no table rows like '| build_ratio | full build / bare build | ≤ 1.15 |'")
    return budgets


def load_budgets(path: Path) -> dict[str, Budget]:
    if not path.is_file():
        raise BudgetError(f"{path}: file not found (budgets live in README.md under '{HEADING}')")
    return parse_budgets(path.read_text(encoding="utf-8"), str(path))


def compare(value: float | None, unit: str, budget: Budget | None) -> Verdict:
    """'ok', or 'missed by X%' measured against the target (for ≤: above it; for ≥: below it)."""
    if budget is None:
        return Verdict(None, "no budget")
    if value is None:
        return Verdict(None, "not measured")
    value_dim, value_factor = UNITS.get(unit, ("?", 1.0))
    budget_dim, budget_factor = UNITS[budget.unit]
    if value_dim != budget_dim:
        return Verdict(None, f"budget in '{budget.unit}' does not fit a value in '{unit}'")
    measured = value * value_factor
    limit = budget.limit * budget_factor
    within = measured <= limit if budget.op == "<=" else measured >= limit
    if within:
        return Verdict(True, "ok", 0.0)
    if limit == 0:
        return Verdict(False, "missed (target is 0)")
    percent = abs(measured - limit) / abs(limit) * 100
    shown = f"{percent:.1f}" if percent < 10 else f"{percent:.0f}"
    return Verdict(False, f"missed by {shown}%", round(percent, 2))
