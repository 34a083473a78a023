"""Run the checks side by side over one snapshot; the report: exit code, JSON, plain text."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from flyte_tui import exit_codes
from flyte_tui.doctor.checks import SEVERITIES, Check, Finding, Severity, all_checks, run_check
from flyte_tui.doctor.snapshot import Snapshot

SCHEMA_VERSION = 1


def run_checks(snap: Snapshot, checks: Iterable[Check] | None = None) -> Iterator[Finding]:
    """Every check's finding, as each finishes (checks are independent and run concurrently)."""
    items = list(checks if checks is not None else all_checks())
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(run_check, item, snap) for item in items]
        for future in as_completed(futures):
            yield future.result()


@dataclass
class Report:
    """The doctor's findings about one install, in check order."""

    snapshot: Snapshot
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def build(cls, snap: Snapshot, checks: Iterable[Check] | None = None) -> Report:
        """Run every check and order the findings as the checks are registered."""
        items = list(checks if checks is not None else all_checks())
        order = {c.id: i for i, c in enumerate(items)}
        found = sorted(run_checks(snap, items), key=lambda f: order.get(f.id, len(order)))
        return cls(snap, found)

    def count(self, severity: Severity) -> int:
        """How many findings have a severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        """0 all pass, 3 any check failed, 4 warnings only; 1 when the doctor could not read the cluster at all
        (kubectl missing, no context, the API server not answering or refusing the credentials)."""
        if not self.snapshot.cluster_reachable:
            return exit_codes.FAILED
        if self.count("fail"):
            return exit_codes.CHECK_FAILED
        if self.count("warn"):
            return exit_codes.WARNINGS
        return exit_codes.OK

    @property
    def problems(self) -> list[Finding]:
        """Findings that fail or warn, worst first."""
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted((f for f in self.findings if f.severity in ("fail", "warn")), key=lambda f: rank[f.severity])

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``flyte-tui doctor --json`` (schema version 1)."""
        snap = self.snapshot
        return {
            "schemaVersion": SCHEMA_VERSION,
            "target": {"context": snap.context_used, "namespace": snap.namespace, "release": snap.release},
            "summary": {s: self.count(s) for s in ("pass", "warn", "fail", "skip")},
            "exitCode": self.exit_code,
            "gather": {"seconds": round(snap.elapsed, 3), "processes": snap.processes},
            "checks": [finding_json(f) for f in self.findings],
        }

    def to_text(self, only_problems: bool = False) -> str:
        """Plain lines: one per check, then the details of each problem."""
        marks = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}
        lines = []
        shown = self.problems if only_problems else self.findings
        for f in shown:
            lines.append(f"{marks[f.severity]}  {f.id:<24} {f.summary}")
        for f in self.problems:
            lines += ["", f"{marks[f.severity]} {f.id}: {f.title}", f"  finding: {f.summary}"]
            if f.looked_at:
                lines.append(f"  looked at: {', '.join(f.looked_at)}")
            lines += [f"  | {line}" for line in f.evidence]
            if f.fix:
                lines.append(f"  fix: {f.fix}")
            if f.answer:
                lines.append(f"  answer to change: {f.answer}")
            lines += [f"  $ {cmd}" for cmd in f.commands]
        snap = self.snapshot
        lines += [
            "",
            f"{self.count('pass')} passed, {self.count('warn')} warnings, {self.count('fail')} failed, "
            f"{self.count('skip')} skipped — release {snap.release} in {snap.namespace} "
            f"({snap.elapsed:.1f}s, {snap.processes} kubectl/helm calls)",
        ]
        return "\n".join(lines)


_JSON_NAMES = {"looked_at": "lookedAt"}


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as JSON (camelCase keys, lists for tuples)."""
    out: dict[str, Any] = {"id": finding.id, "title": finding.title, "area": finding.area}
    for f in dataclasses.fields(finding):
        if f.name == "diagnosis":  # the report names its signature; the rest is in summary, evidence and fix
            out["signature"] = finding.signature
            continue
        value = getattr(finding, f.name)
        out[_JSON_NAMES.get(f.name, f.name)] = list(value) if isinstance(value, tuple) else value
    return out
