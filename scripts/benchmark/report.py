"""Results: one Measure per number, a plain-text table for people, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .budgets import Budget, Verdict, compare

DECIMALS = {"×": 2, "s": 2, "MB": 0, "KB": 1, "score": 0, "": 2}


@dataclass
class Measure:
    name: str
    value: float | None
    unit: str
    budget: str | None = None  # key of a row in the README's budgets table
    note: str = ""


@dataclass
class Section:
    """The outcome of one measurement module."""

    name: str
    measures: list[Measure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # a crash (traceback): the benchmark exits non-zero
    not_run: str | None = None  # skipped on purpose, with the reason
    seconds: float = 0.0


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    decimals = DECIMALS.get(unit, 2)
    number = f"{value:,.{decimals}f}"
    if unit == "×":
        return f"{number}×"
    if unit in ("", "score"):
        return number
    return f"{number} {unit}"


def verdict(measure: Measure, budgets: dict[str, Budget]) -> Verdict:
    if measure.budget is None:
        return Verdict(None, "")
    if measure.budget not in budgets:
        return Verdict(None, f"no '{measure.budget}' row in the budgets table")
    return compare(measure.value, measure.unit, budgets[measure.budget])


def table(sections: list[Section], budgets: dict[str, Budget]) -> str:
    """A fixed-width table: measure, value, budget, status."""
    rows = [("measure", "value", "budget", "status")]
    for section in sections:
        if section.error:
            rows.append((section.name, "—", "", "crashed (see JSON 'error')"))
        elif section.not_run:
            rows.append((section.name, "—", "", f"not run: {section.not_run}"))
        for measure in section.measures:
            budget = budgets.get(measure.budget) if measure.budget else None
            status = verdict(measure, budgets).status
            if measure.note:
                status = f"{status} ({measure.note})" if status else measure.note
            rows.append((measure.name, format_value(measure.value, measure.unit), budget.text if budget else "", status))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
        if number == 0:
            lines.append("  ".join("-" * width for width in widths) + "  " + "-" * 6)
    return "\n".join(line.rstrip() for line in lines)


def to_json(sections: list[Section], budgets: dict[str, Budget], meta: dict[str, Any]) -> dict[str, Any]:
    measures = []
    for section in sections:
        for measure in section.measures:
            judged = verdict(measure, budgets)
            budget = budgets.get(measure.budget) if measure.budget else None
            measures.append({
                **asdict(measure),
                "section": section.name,
                "budget": asdict(budget) if budget else measure.budget,
                "ok": judged.ok,
                "status": judged.status,
                "missed_by_percent": judged.missed_by_percent,
            })
    return {
        **meta,
        "measures": measures,
        "sections": {
            section.name: {"seconds": round(section.seconds, 1), "details": section.details, "error": section.error, "not_run": section.not_run}
            for section in sections
        },
    }


def write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
