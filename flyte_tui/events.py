"""Typed events shared by every face: the install core yields them; the runner screen and the headless
CLI render them (plain lines or one JSON object per line). Nothing here may hold a secret."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from flyte_tui.readiness import ComponentStatus


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
class Explanation:
    """Why something is stuck or broken, and which answer to change."""

    summary: str
    object: str = ""
    """The blocking object, e.g. ``pod/flyteadmin-7d9c…``."""
    component: str = ""
    container: str = ""
    cause: str = ""
    fix: str = ""
    answer: str | None = None
    """The answers-file path to change, when one answer fixes it."""
    events: tuple[str, ...] = ()
    """The object's last Warning events, ``Reason: message``."""
    log_tail: tuple[str, ...] = ()
    signature: str | None = None

    def lines(self) -> list[str]:
        """The explanation as readable lines (the runner's failure panel and headless output)."""
        lines = []
        if self.object:
            container = f" (container {self.container})" if self.container else ""
            lines.append(f"Blocking object: {self.object}{container}")
        if self.cause:
            lines.append(f"Likely cause: {self.cause}")
        if self.fix:
            lines.append(f"Fix: {self.fix}")
        if self.answer:
            lines.append(f"Answer to change: {self.answer}")
        if self.events:
            lines += ["Warning events:", *(f"  {e}" for e in self.events)]
        if self.log_tail:
            lines += ["Log tail:", *(f"  {line}" for line in self.log_tail)]
        return lines


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
