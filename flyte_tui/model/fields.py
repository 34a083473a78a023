"""The one walk over the answers model's fields: by YAML key (alias) or attribute name, through nested
sections. Help text in the wizard, the accepted keys of an "unknown field" error and the README reference
all read the model through here."""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from flyte_tui.model.plan import InstallPlan


def inner_models(annotation: Any) -> list[type[BaseModel]]:
    """The section models inside a field's type (``Tls``, ``Tls | None``, ``dict[str, Quota]`` …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in inner_models(arg)]


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The first section model inside a field's type, None for a plain value."""
    found = inner_models(annotation)
    return found[0] if found else None


def field_named(model: type[BaseModel], part: str) -> FieldInfo | None:
    """A model's field by its YAML key or its attribute name."""
    return next((info for name, info in model.model_fields.items() if part in (name, info.alias)), None)


def walk(path: Sequence[str], model: type[BaseModel] = InstallPlan) -> Iterator[tuple[str, FieldInfo | None]]:
    """Each part of a field path with its field, None for a part that names no field (a dict key such as a
    component or a domain: the value's model stays the one to look in). Stops below a plain value."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return
        info = field_named(current, part)
        yield part, info
        if info is not None:
            current = inner_model(info.annotation)


def description(path: str) -> str:
    """The docstring of the field at a dotted path (the deepest field found on the way)."""
    found = [info.description or "" for _part, info in walk(path.split(".")) if info is not None]
    return found[-1] if found else ""


def accepted_keys(loc: Sequence[str]) -> list[str]:
    """The keys accepted in the section at ``loc`` (a pydantic error location); [] when ``loc`` does not
    lead to a section. A dict key ends the walk: its value's keys are not listed."""
    current: type[BaseModel] | None = InstallPlan
    for part in loc:
        if current is None:
            return []
        info = field_named(current, part)
        current = inner_model(info.annotation) if info is not None else None
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]
