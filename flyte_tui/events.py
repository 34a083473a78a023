"""Typed events shared by every face: the install core yields them; the runner screen, its install log and
the headless CLI render them (:func:`plain` lines, or :func:`to_json` one JSON object per line). Nothing
here may hold a secret: the installer passes every event through :func:`masked` before any face sees it.

A failed step carries an :class:`~flyte_tui.diagnose.Explanation` (the one diagnosis type, re-exported here).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flyte_tui.diagnose import Explanation
from flyte_tui.readiness import ComponentStatus
from flyte_tui.redact import mask_values

__all__ = [
    "ComponentsChanged",
    "Event",
    "Explanation",
    "InstallFinished",
    "OutputLine",
    "StepEvent",
    "StepFailed",
    "StepFinished",
    "StepStarted",
    "masked",
    "plain",
    "to_json",
]


@dataclass(frozen=True)
class StepEvent:
    """What happened in one step of a run (``preflight``, ``helm``, ``wait``, …): the step's id comes first."""

    step: str


@dataclass(frozen=True)
class StepStarted(StepEvent):
    """A step began."""

    title: str


@dataclass(frozen=True)
class StepFinished(StepEvent):
    """A step ended well (``ok``) or was skipped (detail says why)."""

    ok: bool
    elapsed: float
    detail: str = ""


@dataclass(frozen=True)
class OutputLine(StepEvent):
    """One line a tool printed during a step."""

    text: str
    stream: str = "stdout"


@dataclass(frozen=True)
class ComponentsChanged:
    """The readiness table changed."""

    components: tuple[ComponentStatus, ...]


CANCELLED_MESSAGE = "cancelled by the user"
"""How the message of a step the user cancelled begins (:class:`StepFailed`), in every pipeline."""


@dataclass(frozen=True)
class StepFailed(StepEvent):
    """A step failed; the install stops."""

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


_T = TypeVar("_T")


def masked(event: _T, secrets: Sequence[str]) -> _T:
    """``event`` with every known secret value (the install's passwords and keys) masked in every text it
    carries, nested ones included (an explanation's summary and log tail, a pod failure's message): the one
    place the install's events are masked, so that JSON, plain lines, the runner screen and its log agree."""
    values = [s for s in secrets if s]
    if not values:
        return event
    return _mask(event, values)  # type: ignore[no-any-return]


def _mask(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return mask_values(value, secrets)
    if isinstance(value, tuple):
        return tuple(_mask(v, secrets) for v in value)
    if isinstance(value, list):
        return [_mask(v, secrets) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _mask(getattr(value, f.name), secrets) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
"""A colour or cursor escape in a tool's output."""


def plain(event: Event, shown: dict[str, str] | None = None) -> list[str]:
    """An event as plain lines (ANSI stripped): headless output and the install log, one formatter.

    ``shown`` remembers each component's last printed status, so a readiness change prints only the
    components that changed (one line each) instead of the whole table.
    """
    if isinstance(event, StepStarted):
        return [f"==> {event.title}"]
    if isinstance(event, OutputLine):
        return [f"    {ANSI.sub('', event.text)}"]
    if isinstance(event, StepFinished):
        return [f"    ok ({event.elapsed:.1f}s)" + (f": {event.detail}" if event.detail else "")]
    if isinstance(event, ComponentsChanged):
        if shown is None:
            return ["    " + ", ".join(c.summary for c in event.components)]
        changed = [c for c in event.components if shown.get(c.name) != c.summary]
        for c in changed:
            shown[c.name] = c.summary
        return [f"    {c.summary}" for c in changed]
    if isinstance(event, StepFailed):
        lines = [f"FAILED: {event.message}"]
        if event.explanation is not None:
            lines += [f"  {line}" for line in event.explanation.lines()]
        return lines
    if isinstance(event, InstallFinished):
        head = "Flyte is ready." if event.ok else "Install did not finish."
        return [head, *[f"  {line}" for line in event.summary]]
    return []  # pragma: no cover
