"""Read one YAML file safely, keeping the position of every value.

Contributors write these files by hand, often for the first time. So this
loader is stricter than YAML itself and says plainly what is wrong:
- only plain data: no `!!python/...` or other tags, no anchors or aliases
  (which also rules out "billion laughs" alias bombs);
- no duplicate keys (YAML would silently keep the last one);
- `yes`/`no`/`on`/`off` stay text (so the country code NO is Norway, not false),
  and dates stay text (`2024-05-01`), as the JSON Schemas expect;
- UTF-8 only, no byte-order mark, no invisible bidi control characters.
Parsing uses libyaml's C parser and PyYAML's safe constructor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Union

import yaml

from ..paths import relative
from ..problems import Problem

MAX_FILE_BYTES = 512 * 1024
# Deeper nesting than any real entry needs; libyaml's composer recurses in C
# and crashes the interpreter on tens of thousands of levels.
MAX_DEPTH = 24
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainDataLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, minus YAML 1.1 surprises (yes/no booleans, dates)."""


_PlainDataLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainDataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

PathPart = Union[str, int]


@dataclass
class YamlDocument:
    """A parsed file: its plain data and the node tree that knows where each value was."""

    path: Path
    data: Any
    root: yaml.Node

    @property
    def name(self) -> str:
        return relative(self.path)

    def node_at(self, field_path: tuple[PathPart, ...]) -> tuple[yaml.Node, bool]:
        """The deepest node along `field_path`, and whether the whole path was found."""
        node = self.root
        for part in field_path:
            child = _child(node, part)
            if child is None:
                return node, False
            node = child
        return node, True

    def key_node(self, field_path: tuple[PathPart, ...]) -> yaml.Node | None:
        """The key node of the last mapping entry on the path (for unknown-field errors)."""
        parent, found = self.node_at(field_path[:-1])
        if not found or not isinstance(parent, yaml.MappingNode):
            return None
        for key, _value in parent.value:
            if key.value == field_path[-1]:
                return key
        return None

    def problem(self, field_path: tuple[PathPart, ...], message: str, hint: str = "", at_key: bool = False) -> Problem:
        node = self.key_node(field_path) if at_key and field_path else None
        if node is None:
            node, _found = self.node_at(field_path)
        mark = node.start_mark
        return Problem(self.name, mark.line + 1, mark.column + 1, format_field(field_path), message, hint)


def visible(text: str) -> str:
    """Control characters (a stray carriage return in a key...) written as escapes, so a report stays one readable line."""
    return "".join(char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) == "Cc" else char for char in text)


def format_field(field_path: tuple[PathPart, ...]) -> str:
    """`partners[0].type`-style names, as contributors see them in the file."""
    text = ""
    for part in field_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + visible(str(part))
    return text


def _child(node: yaml.Node, part: PathPart) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def read_text_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """A contributor's text file (YAML or Markdown) as text, or the problems that stop reading it."""
    name = relative(path)
    if not path.is_file():
        return None, [Problem(name, 1, 1, "", "file is missing", "restore it from the repository; every site needs it")]
    raw = path.read_bytes()
    if len(raw) > max_bytes:
        return None, [Problem(name, 1, 1, "", f"file is {len(raw) // 1024} KB, larger than the {max_bytes // 1024} KB allowed", "split long texts or link to them")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(name, 1, 1, "", "file starts with a byte-order mark", "save it as UTF-8 without BOM")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw[: error.start].count(b"\n") + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        return None, [Problem(name, line, column, "", "file is not valid UTF-8 text", "save it with UTF-8 encoding")]


def load_yaml(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse `path`. Returns the document, or None and the problems that stopped it."""
    text, problems = read_text_file(path)
    if text is None:
        return None, problems
    return parse_yaml_text(text, path)


def parse_yaml_text(text: str, path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    name = relative(path)
    try:
        problems = _check_events(name, text)
        if problems:
            return None, problems
        loader = _PlainDataLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        return None, [Problem(name, line, column, "", f"YAML syntax error: {message}", _syntax_hint(text, line, message))]
    except yaml.reader.ReaderError as error:
        # libyaml counts the offset in UTF-8 bytes, PyYAML's own reader in characters.
        offset = error.position
        if _BASE_LOADER is not yaml.SafeLoader:
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, column = _position(text, offset)
        return None, [Problem(name, line, column, "", f"character U+{error.character:04X}: control characters are not allowed" if isinstance(error.character, int) else "unreadable character", "delete it; it may be invisible in your editor")]
    except yaml.YAMLError as error:
        return None, [Problem(name, 1, 1, "", f"YAML error: {' '.join(str(error).split())}", "check the file is plain YAML")]
    if root is None:
        return None, [Problem(name, 1, 1, "", "file is empty", "copy data/templates/ to start from an example")]
    problems = list(_check_nodes(name, root))
    if problems:
        return None, problems
    constructor = _PlainDataLoader("")
    try:
        data = constructor.construct_document(root)
    except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
        return None, [_unreadable_value(name, root)]
    finally:
        constructor.dispose()
    return YamlDocument(path, data, root), []


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_events(name: str, text: str) -> list[Problem]:
    """A cheap first pass over the parser's events: nesting depth, tags, anchors and aliases.

    It runs before the node tree is built, so a hostile file is refused before
    it can exhaust the composer.
    """
    loader = _PlainDataLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            where = (name, event.start_mark.line + 1, event.start_mark.column + 1, "")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [Problem(*where, "anchors and aliases (& and *) are not allowed", "write the value out in full")]
            if getattr(event, "tag", None):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                return [Problem(*where, f"the YAML tag {tag} is not allowed", "use plain text, numbers, lists and key: value pairs only; put text starting with ! in quotes")]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(*where, f"values are nested more than {MAX_DEPTH} levels deep", "entries need only a few levels; check the indentation or the brackets")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()
    return []


def _unreadable_value(name: str, root: yaml.Node) -> Problem:
    """Find the scalar PyYAML could not turn into a value (like `0x_` or a 5,000-digit number)."""
    constructor = _PlainDataLoader("")
    try:
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    constructor.construct_object(node, deep=True)
                except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
                    shown = node.value if len(node.value) <= 40 else node.value[:39] + "…"
                    return Problem(name, node.start_mark.line + 1, node.start_mark.column + 1, "", f"'{shown}' looks like a number but is not one", "put it in quotes if it is text, or write the number out plainly")
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.extend((key, value))
    finally:
        constructor.dispose()
    return Problem(name, 1, 1, "", "a value could not be read", "compare with data/templates/ for the expected layout")


def _syntax_hint(text: str, line: int, message: str) -> str:
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line or "'\\t'" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "put text containing ': ' in quotes"
    if "expected <block end>" in message or "did not find expected" in message:
        return "check that this line is indented like its neighbours"
    return "compare with data/templates/ for the expected layout"


def _check_nodes(name: str, root: yaml.Node) -> Iterator[Problem]:
    """Walk the node tree once: tags, aliases, duplicate keys, invisible characters."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[PathPart, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        where = (name, node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in seen:
            yield Problem(*where, "", "anchors and aliases (& and *) are not allowed", "write the value out in full")
            continue
        seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            yield Problem(*where, format_field(path), f"the YAML tag {node.tag!r} is not allowed", "use plain text, numbers, lists and key: value pairs only")
            continue
        if isinstance(node, yaml.ScalarNode):
            found = BIDI_CONTROLS.search(node.value)
            if found:
                yield Problem(*where, format_field(path), f"invisible direction-control character U+{ord(found.group()):04X} in text", "delete it; the site sets text direction itself")
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, path + (number,)) for number, child in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            first_line: dict[object, int] = {}
            for key, value in node.value:
                key_where = (name, key.start_mark.line + 1, key.start_mark.column + 1)
                if key.tag == "tag:yaml.org,2002:merge":
                    yield Problem(*key_where, format_field(path), "merge keys (<<) are not allowed", "write the fields out in full")
                    continue
                if not isinstance(key, yaml.ScalarNode):
                    yield Problem(*key_where, format_field(path), "a key must be plain text", "write key: value")
                    continue
                if key.value in first_line:
                    yield Problem(*key_where, format_field(path + (key.value,)), f"duplicate key (first used on line {first_line[key.value]})", "keep one of them")
                else:
                    first_line[key.value] = key.start_mark.line + 1
                stack.append((key, path))
                stack.append((value, path + (key.value,)))
