"""Reading GitHub Actions annotations back: every line well formed, and one pointing at a hostile case's line.

Used by test_github_annotations.py (the command and the escaping) and test_hostile_inputs.py (each broken file of
the corpus, reported in both of `validate`'s formats from one load).
"""

from __future__ import annotations

import re

from hostile import generate

CASES = generate.CASES

# A property value never holds a raw ':' ',' '%' CR or LF, except as one of GitHub's escapes.
PROPERTY = r"(?:[^:,%\r\n]|%25|%0D|%0A|%3A|%2C)*"
MESSAGE = r"(?:[^%\r\n]|%25|%0D|%0A)+"
ANNOTATION = re.compile(rf"^::error file=(?P<file>{PROPERTY}),line=(?P<line>[1-9]\d*),col=(?P<col>[1-9]\d*),title=(?P<title>{PROPERTY})::(?P<message>{MESSAGE})$")


def unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse(stdout: str) -> list[dict[str, str]]:
    """Every line of `stdout` must be a well-formed annotation; returns them unescaped."""
    found = []
    for line in stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not a well-formed annotation: {line[:300]!r}"
        found.append({name: unescape(value) for name, value in match.groupdict().items()})
    return found


def assert_points_at_the_case(found: list[dict[str, str]], name: str) -> None:
    expect = generate.load_expectation(CASES / name)["expect"]
    assert found, "no annotation printed"
    at_file = [item for item in found if item["file"] == expect["path"]]
    assert at_file, f"no annotation for {expect['path']}: {[item['file'] for item in found][:5]}"
    at_line = [item for item in at_file if int(item["line"]) == expect["line"] and expect["message"] in item["message"]]
    assert at_line, f"nothing at {expect['path']}:{expect['line']} saying {expect['message']!r}: {at_file[:3]}"
