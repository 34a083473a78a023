"""Typed events shared by every face: the install core yields them; the runner screen and the headless
CLI render them (plain lines or one JSON object per line). Nothing here may hold a secret.

A failed step carries an :class:`~flyte_tui.diagnose.Explanation` (the one diagnosis type, re-exported here).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from flyte_tui.diagnose import Explanation
from flyte_tui.readiness import ComponentStatus

__all__ = [
    "ComponentsChanged",
    "Event",
    "Explanation",
    "InstallFinished",
    "OutputLine",
    "StepFailed",
    "StepFinished",
    "StepStarted",
    "to_json",
]


@dataclass(frozen=True)
class StepStarted:
    """A step began."""

    step: str
    title: str


@dataclass(frozen=True)
class StepFinished:
    """A step ended well (``ok``) or was skipped (detail says why)."""

    step: str
    ok: bool
    elapsed: float
    detail: str = ""


@dataclass(frozen=True)
class OutputLine:
    """One line a tool printed during a step."""

    step: str
    text: str
    stream: str = "stdout"


@dataclass(frozen=True)
class ComponentsChanged:
    """The readiness table changed."""

    components: tuple[ComponentStatus, ...]


@dataclass(frozen=True)
class StepFailed:
    """A step failed; the install stops."""

    step: str
    message: str
    explanation: Explanation | None = None


@dataclass(frozen=True)
class InstallFinished:
    """The end: success or not, what state the release is in, and what to do next."""

    ok: bool
    release_state: str
    elapsed: float
    summary: tuple[str, ...] = ()


Event = StepStarted | StepFinished | OutputLine | ComponentsChanged | StepFailed | InstallFinished


def to_json(event: Event) -> dict[str, Any]:
    """A JSON-ready dict of an event: ``{"event": "StepStarted", ...fields}``."""
    return {"event": type(event).__name__, **dataclasses.asdict(event)}
