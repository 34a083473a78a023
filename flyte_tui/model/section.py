"""The base of every answers-file section (:class:`Section`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from flyte_tui.model.names import check_printable

__all__ = ["Section"]


class Section(BaseModel):
    """Base of every answers-file section: camelCase keys, unknown keys refused, docstrings as help, strict types
    (YAML's ``true`` is not the port 1, ``"5"`` is not a number of replicas) and no control characters in any
    string answer."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        use_attribute_docstrings=True,
        validate_assignment=False,
        strict=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str):
            check_printable(value)
        return value
