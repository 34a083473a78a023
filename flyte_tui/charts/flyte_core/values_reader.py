"""Typed reads of a flyte-core values mapping for the importer: a value of the wrong type is a problem at its
values path, never an exception."""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.model.rules import Problem

__all__ = ["ValuesReader"]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class ValuesReader:
    """Typed reads of a values mapping. A value of the wrong type is a problem at its values path (the chart's
    default is used and the value itself stays under extraValues), never iterated or coerced."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.problems: list[Problem] = []

    def wrong(self, path: tree.Path, expected: str, value: Any) -> None:
        self.problems.append(
            Problem(
                tree.dotted(path),
                f"in the values file: {expected} is accepted here, not {_kind(value)}; the chart's default is "
                "used (the value is kept under extraValues)",
            )
        )

    def raw(self, path: tree.Path, within: Any = None) -> Any:
        node: Any = self.values if within is None else within
        for i, key in enumerate(path):
            if node is None:
                return None
            if not isinstance(node, dict):
                self.wrong(path[:i], "a mapping", node)
                return None
            node = node.get(key)
        return node

    def map(self, path: tree.Path, within: Any = None) -> dict[str, Any]:
        value = self.raw(path, within)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.wrong(path, "a mapping", value)
        return {}

    def text(self, path: tree.Path, default: str = "", within: Any = None) -> str:
        value = self.raw(path, within)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.wrong(path, "text", value)
        return default

    def integer(self, path: tree.Path, default: int, within: Any = None) -> int:
        value = self.raw(path, within)
        if value is None:
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            return int(value.strip())
        self.wrong(path, "a whole number", value)
        return default

    def flag(self, path: tree.Path, default: bool, within: Any = None) -> bool:
        value = self.raw(path, within)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.wrong(path, "true or false", value)
        return default

    def items(self, path: tree.Path, default: list[Any] | None = None) -> list[Any] | None:
        value = self.raw(path)
        if value is None:
            return default
        if isinstance(value, list):
            return value
        self.wrong(path, "a list", value)
        return default
