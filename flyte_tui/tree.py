"""Paths into nested maps (answers, Helm values), in one syntax.

A path is a tuple of keys: ``("flyteadmin", "serviceAccount", "annotations", "eks.amazonaws.com/role-arn")``.
Keys may contain dots (annotation names do), so tuples are the only form code passes around; ``dotted``
turns one into the text users read (``flyteadmin.serviceAccount.annotations."eks.amazonaws.com/role-arn"``,
list items as ``[0]``) and ``parse`` reads that text back. Lists are leaves: Helm replaces them whole.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

Key = str | int
Path = tuple[Key, ...]

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-/<>]+")
_TOKEN = re.compile(r'\[(\d+)\]|"((?:[^"\\]|\\.)*)"|([^.\["]+)')


def dotted(path: Path) -> str:
    """The text form of a path: keys joined by dots, dotted keys quoted, list indices as ``[i]``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
            continue
        text = key if _PLAIN_KEY.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out += f".{text}" if out else text
    return out


def parse(text: str) -> Path:
    """A path from its text form (the inverse of :func:`dotted`); plain ``a.b.c`` is the common case."""
    keys: list[Key] = []
    pos = 0
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"not a path: {text!r}")
        index, quoted, plain = match.groups()
        if index is not None:
            keys.append(int(index))
        elif quoted is not None:
            keys.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            keys.append(plain)
        pos = match.end()
    return tuple(keys)


def get(tree: Any, path: Path, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when any step is missing or not a map (or list, for an index)."""
    node = tree
    for key in path:
        in_list = isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node)
        if not (in_list or (isinstance(node, Mapping) and key in node)):
            return default
        node = node[key]
    return node


def has(tree: Any, path: Path) -> bool:
    """Whether ``path`` leads to a value (which may be None)."""
    marker = object()
    return get(tree, path, marker) is not marker


def put(tree: dict[Any, Any], path: Path, value: Any) -> None:
    """Set ``path`` to ``value``, creating maps on the way (a non-map in the way is replaced by a map)."""
    node = tree
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[path[-1]] = value


def delete(tree: dict[Any, Any], path: Path) -> None:
    """Remove ``path``, and every map that leaves empty."""
    chain = [tree]
    for key in path[:-1]:
        child = chain[-1].get(key)
        if not isinstance(child, dict):
            return
        chain.append(child)
    chain[-1].pop(path[-1], None)
    for depth in range(len(chain) - 1, 0, -1):
        if not chain[depth]:
            chain[depth - 1].pop(path[depth - 1], None)


def walk(tree: Any, prefix: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every leaf under ``tree`` as ``(path, value)``; an empty map is a leaf, lists are leaves."""
    if isinstance(tree, Mapping) and tree:
        for key, value in tree.items():
            yield from walk(value, (*prefix, key))
    elif prefix:
        yield prefix, tree


def leaves(tree: Any) -> dict[Path, Any]:
    """Every leaf of ``tree`` by its path (see :func:`walk`)."""
    return dict(walk(tree))


def deep_merge(base: Mapping[Any, Any], override: Mapping[Any, Any]) -> dict[Any, Any]:
    """``override`` merged into a copy of ``base``: maps merge key by key, anything else is replaced."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
