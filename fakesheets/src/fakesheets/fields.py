"""Field masks (``fields=sheets(properties,data.rowData.values.note)``): parse, select, update.

A mask parses to a tree of names; an empty subtree means "everything below".

>>> parse_mask("sheets.properties(title,index),spreadsheetId")
{'sheets': {'properties': {'title': {}, 'index': {}}}, 'spreadsheetId': {}}
>>> select({"a": 1, "b": {"c": 2, "d": 3}}, parse_mask("b/c"))
{'b': {'c': 2}}
>>> select({"a": 1, "b": {"d": 3}}, parse_mask("a,b/c"))  # an emptied message stays, as on Google
{'a': 1, 'b': {}}
"""

from __future__ import annotations

import copy
from typing import Any

Mask = dict[str, "Mask"]


def parse_mask(text: str) -> Mask:
    """Parse a Google field mask; ``.`` and ``/`` both separate path segments."""
    tree: Mask = {}
    pos = _parse_list(text.replace(" ", ""), 0, tree)
    if pos != len(text.replace(" ", "")):
        raise ValueError(f"unbalanced field mask: {text!r}")
    return tree


def _parse_list(text: str, pos: int, into: Mask) -> int:
    while pos < len(text):
        pos = _parse_path(text, pos, into)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def _parse_path(text: str, pos: int, into: Mask) -> int:
    node = into
    while True:
        start = pos
        while pos < len(text) and text[pos] not in ".,/()":
            pos += 1
        name = text[start:pos]
        if not name:
            raise ValueError(f"empty name in field mask at {start}")
        node = node.setdefault(name, {})
        if pos < len(text) and text[pos] in "./":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "(":
            pos = _parse_list(text, pos + 1, node)
            if pos >= len(text) or text[pos] != ")":
                raise ValueError("unbalanced parenthesis in field mask")
            pos += 1
        return pos


def select(value: Any, mask: Mask) -> Any:
    """Keep only what ``mask`` names; lists are traversed element by element."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [select(item, mask) for item in value]
    if isinstance(value, dict):
        return {key: select(value[key], sub) for key, sub in mask.items() if key in value}
    return value


def update(target: dict[str, Any], source: dict[str, Any], mask: Mask) -> None:
    """Copy the masked paths from ``source`` into ``target``; a path absent from ``source``
    is cleared in ``target`` (Google's update semantics)."""
    if "*" in mask:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in mask.items():
        if not sub:
            if key in source:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
            continue
        inner_source = source.get(key)
        if not isinstance(inner_source, dict):
            inner_source = {}
        inner_target = target.get(key)
        if not isinstance(inner_target, dict):
            inner_target = {}
        update(inner_target, inner_source, sub)
        if inner_target:
            target[key] = inner_target
        else:
            target.pop(key, None)


def paths(mask: Mask, prefix: str = "") -> list[str]:
    """Flatten a mask back to dotted paths (for error messages)."""
    out: list[str] = []
    for key, sub in mask.items():
        name = f"{prefix}.{key}" if prefix else key
        out.extend(paths(sub, name) if sub else [name])
    return out
