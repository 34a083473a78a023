"""Typed reads of a flyte-core values mapping for the importer: a value of the wrong type is a problem at its
values path, never an exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flyte_tui import tree
from flyte_tui.model.rules import Problem

__all__ = ["ValuesReader"]

T = TypeVar("T")


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

    def checked(self, path: tree.Path, value: Any, default: T, expected: str, accept: Callable[[Any], T | None]) -> T:
        """``value`` (read at ``path``) as ``accept`` takes it; ``default`` when it is absent, and a problem too
        when ``accept`` refuses it (returns None)."""
        if value is None:
            return default
        found = accept(value)
        if found is None:
            self.wrong(path, expected, value)
            return default
        return found

    def map(self, path: tree.Path, within: Any = None) -> dict[str, Any]:
        return self.checked(path, self.raw(path, within), {}, "a mapping", _as_map)

    def resources(self, block: Any, path: tree.Path) -> dict[str, Any]:
        """A block of resource quantities (read at ``path``) as a mapping: empty when absent or not a mapping."""
        return self.checked(path, block, {}, "a mapping of resources", _as_map)

    def text(self, path: tree.Path, default: str = "", within: Any = None) -> str:
        return self.checked(path, self.raw(path, within), default, "text", _as_text) or default

    def integer(self, path: tree.Path, default: int, within: Any = None) -> int:
        return self.checked(path, self.raw(path, within), default, "a whole number", _as_integer)

    def flag(self, path: tree.Path, default: bool, within: Any = None) -> bool:
        return self.checked(path, self.raw(path, within), default, "true or false", _as_flag)

    def items(self, path: tree.Path, default: list[Any] | None = None) -> list[Any] | None:
        return self.checked(path, self.raw(path), default, "a list", _as_list)


def _as_map(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _as_list(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def _as_flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _as_integer(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None
