"""Write YAML for data files, and change one thing in a data file keeping the rest: ruamel.yaml.

Only the contribution tools write data files (a new case study's fields, an
endorsement added to a pattern), all through `new_node` and `dump` here; the
build reads them with PyYAML and the project's own checks
(content/yaml_source.py). Round-trip mode keeps comments, key order, quoting
and one-line lists, so a data file read and written back unchanged comes out
byte for byte the same (a test checks every file in data/), as long as it
uses the project's indentation: two spaces, list items indented by two more.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any, Mapping

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

__all__ = ["MUST_QUOTE", "OneLine", "YAMLError", "append_to_list", "dump", "load", "new_node", "round_trip"]

# Text with characters that mean something in YAML, Markdown or templates is
# always quoted, so no reader (or editor) can take it for anything but text.
MUST_QUOTE = re.compile(r"[{}\[\]<>#&*!|%@`\"'\\]|^\s|\s$|^[-?:,]")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_1_1 = yaml.resolver.Resolver()


class OneLine(list):
    """A list to write on one line, like `themes: [gender-gap, events]`."""


def round_trip(width: int = 4096) -> YAML:
    """A round-trip reader and writer with the data files' layout; the default width never folds a line."""
    writer = YAML()  # round-trip mode
    writer.preserve_quotes = True
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.width = width
    return writer


def load(text: str) -> Any:
    return round_trip().load(text)


def dump(document: Any, width: int = 4096) -> str:
    out = io.StringIO()
    round_trip(width).dump(document, out)
    return out.getvalue()


def new_node(value: Any) -> Any:
    """Plain dicts, lists and text as nodes to write: dates unquoted (`2026-11-21`), other text quoted when MUST_QUOTE says."""
    if isinstance(value, Mapping):
        return CommentedMap((key, new_node(child)) for key, child in value.items())
    if isinstance(value, list):
        items = CommentedSeq(new_node(child) for child in value)
        if isinstance(value, OneLine):
            items.fa.set_flow_style()
        return items
    if isinstance(value, str) and DATE.match(value):
        return datetime.date.fromisoformat(value)  # written plain; the loader reads it as text
    if isinstance(value, str) and (MUST_QUOTE.search(value) or not _plain_is_text(value)):
        return SingleQuotedScalarString(value)
    return value


def _plain_is_text(value: str) -> bool:
    """Whether YAML 1.1 readers (PyYAML, the loader, most editors) read `value` unquoted as text.

    ruamel.yaml writes YAML 1.2, where `yes`, `no`, `on` and `12:30` are
    text, so it would leave them unquoted; YAML 1.1 reads a yes/no boolean or
    the number 750.
    """
    return _YAML_1_1.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def append_to_list(text: str, key: str, item: Mapping[str, Any]) -> str:
    """`text` of a YAML mapping with `item` added at the end of its top-level list `key`.

    The list is created at the end of the file when the key is missing or
    empty, and written one item per line (a one-line list is unfolded).
    Raises YAMLError when the text cannot be read.
    """
    document = load(text)
    items = document.get(key)
    if items is None:
        items = document[key] = CommentedSeq()
    # Comment lines after the list are kept with the list's last value, or,
    # for a one-line list (`key: []`), with the key: take them, and put them
    # back after the new item, or they would end up above it.
    one_line = not len(items) or items.fa.flow_style()
    following = _take_following(*(_key_slot(document, key) if one_line else _trailing_slot(items)))
    items.fa.set_block_style()
    items.append(new_node(dict(item)))
    if following:
        slots, index = _trailing_slot(items)
        if index == -1:
            slots.append(CommentToken(following, CommentMark(0)))
        else:
            slots[index] = CommentToken("\n" + following, CommentMark(0))
    return dump(document)


def _key_slot(document: CommentedMap, key: str) -> tuple[list[Any], int]:
    return document.ca.items.setdefault(key, [None, None, None, None]), 2


def _trailing_slot(node: CommentedMap | CommentedSeq) -> tuple[list[Any], int]:
    """Where ruamel.yaml keeps the comment lines after the last entry of `node`: a list, and the index in it (-1: append).

    They are kept with the deepest last value: in its parent's `ca.items[key]`
    (slot 2 in a mapping, 0 in a list), after the end of its line; or, for a
    one-line list or mapping, in its `ca.end`.
    """
    while True:
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        child = node[key]
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child) and not child.fa.flow_style():
            node = child
            continue
        if isinstance(child, (CommentedMap, CommentedSeq)):
            if child.ca.end is None:
                child.ca.end = []
            return child.ca.end, -1
        return node.ca.items.setdefault(key, [None, None, None, None]), 2 if isinstance(node, CommentedMap) else 0


def _take_following(slots: list[Any], index: int) -> str:
    """Remove the comment lines kept in `slots[index]` (all of `slots` when -1), and return them ('' if none).

    A comment at the end of the line itself stays where it is.
    """
    if index == -1:
        lines = "".join(token.value for token in slots)
        slots.clear()
        return lines
    token = slots[index]
    if token is None:
        return ""
    own_line, _newline, lines = token.value.partition("\n")
    slots[index] = CommentToken(own_line + "\n", token.start_mark) if own_line else None
    return lines
