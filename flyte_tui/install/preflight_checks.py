"""What a preflight check says: one :class:`CheckResult` per check (a stable id, a level, what was looked at, the
evidence, the fix), the ids the user may name in ``--skip-preflight``, and the exit code of a set of results (the
doctor's: 0 all ok, 3 a failure, 4 warnings only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flyte_tui import exit_codes
from flyte_tui.events import Explanation

Level = Literal["ok", "warn", "fail"]
"""How a check ended: ok, a warning (the install goes on), a failure (the install stops before anything)."""

CHECK_IDS: tuple[str, ...] = (
    "cluster",
    "chart",
    "can-i",
    "ingress-class",
    "tls-secret",
    "kubernetes-version",
    "crd-owner",
    "capacity",
    "gpu",
    "storage-class",
    "quota",
    "limit-range",
    "plugins",
    "idp",
    "database-reach",
    "bucket-reach",
)
"""Every check's id, in the order they are reported (``--skip-preflight`` accepts these)."""

SKIPPED = "skipped by the user (--skip-preflight {id})"


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome."""

    id: str
    """The check's stable id (one of :data:`CHECK_IDS`)."""
    level: Level
    looked_at: str
    """What was read to decide (``nodes' allocatable``, ``ResourceQuota in flyte``, …)."""
    evidence: str
    """What was found (numbers, names)."""
    fix: str = ""
    """What to do when it is not ok ("" when it is)."""
    skipped: bool = False
    """A failure the user turned into a warning with ``--skip-preflight``."""
    lines: tuple[tuple[str, str], ...] = ()
    """The lines the install's preflight step shows for it, with their stream (none: :meth:`line`)."""
    explanation: Explanation | None = None
    """What the install's failure panel says when this check stops it (None: made from the result)."""

    def shown(self) -> tuple[tuple[str, str], ...]:
        """The lines the preflight step shows (text, stream)."""
        return self.lines or ((self.line(), "stdout" if self.level == "ok" else "stderr"),)

    def line(self) -> str:
        """One plain line: level, what was looked at, the evidence and the fix."""
        mark = {"ok": "ok", "warn": "warning", "fail": "FAILED"}[self.level]
        text = f"{mark} {self.id}: {self.looked_at}: {self.evidence}"
        return f"{text}; fix: {self.fix}" if self.fix and self.level != "ok" else text

    def to_json(self) -> dict[str, Any]:
        """The result as JSON (camelCase keys)."""
        return {
            "id": self.id,
            "level": self.level,
            "lookedAt": self.looked_at,
            "evidence": self.evidence,
            "fix": self.fix,
            "skipped": self.skipped,
        }


def unknown_ids(ids: Iterable[str]) -> list[str]:
    """The ids among ``ids`` that name no check."""
    return [i for i in ids if i not in CHECK_IDS]


def refusal(ids: Iterable[str]) -> str:
    """Why ``--skip-preflight`` refuses unknown ids ("" when every id is known), with the accepted ones."""
    unknown = unknown_ids(ids)
    if not unknown:
        return ""
    return f"--skip-preflight: unknown check {', '.join(unknown)}; accepted: {', '.join(CHECK_IDS)}"


def apply_skips(results: Sequence[CheckResult], skip: Iterable[str]) -> list[CheckResult]:
    """The results with each failing check the user named turned into a warning saying it was skipped."""
    skipped = set(skip)
    out = []
    for result in results:
        if result.id in skipped and result.level == "fail":
            note = SKIPPED.format(id=result.id)
            evidence = f"{note}: {result.evidence}"
            result = dataclasses.replace(result, level="warn", evidence=evidence, skipped=True, lines=())
        out.append(result)
    return out


def ordered(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results in :data:`CHECK_IDS` order."""
    rank = {cid: i for i, cid in enumerate(CHECK_IDS)}
    return sorted(results, key=lambda r: rank.get(r.id, len(rank)))


def exit_code(results: Iterable[CheckResult]) -> int:
    """The doctor's exit codes: 0 all ok, 3 a check failed, 4 warnings only."""
    levels = {r.level for r in results}
    if "fail" in levels:
        return exit_codes.CHECK_FAILED
    if "warn" in levels:
        return exit_codes.WARNINGS
    return exit_codes.OK


def failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The failing results."""
    return [r for r in results if r.level == "fail"]
