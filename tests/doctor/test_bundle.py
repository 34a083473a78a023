"""The support bundle without a cluster: every member is redacted, and the log length is bounded."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from doctor_scenarios import add, iso, load, obj

from flyte_tui.cli.commands import main
from flyte_tui.doctor import Report
from flyte_tui.doctor.bundle import MAX_LOG_LINES, collect, write_bundle
from flyte_tui.doctor.gather import Gatherer
from flyte_tui.doctor.snapshot import DoctorTarget, Snapshot
from flyte_tui.redact import MASK
from flyte_tui.tools.process import Completed

CANARY = "c4nary-Bundl3-7d1a"
ADMIN_POD = "flyteadmin-69786d8c4b-xdp7h"


def _sick_with_canary() -> Snapshot:
    """The ``sick`` scenario with the canary in a log line, a Warning event and a read error."""
    snap = load("sick")
    snap.logs[(ADMIN_POD, "flyteadmin")].append(f"connecting with password={CANARY} host=postgres")
    add(snap, "events", obj(
        "ev-canary", "sick", type="Warning", reason="FailedMount", lastTimestamp=iso(),
        involvedObject={"kind": "Pod", "name": ADMIN_POD}, message=f"mount failed: token={CANARY}",
    ))  # fmt: skip
    snap.errors["configmaps"] = f"error: Unauthorized (Bearer {CANARY})"
    return snap


def _fake_cluster(monkeypatch: pytest.MonkeyPatch, snap: Snapshot, calls: list[tuple[str, ...]]) -> None:
    """Gatherer answers from ``snap``; every kubectl/helm call prints the canary behind ``password=``."""

    def answer(self: Gatherer, *args: str, **_kw: Any) -> Completed:
        calls.append(args)
        return Completed(args, 0, f"line one\nclient_secret={CANARY}\n", "")

    monkeypatch.setattr(Gatherer, "gather", lambda self: snap)
    monkeypatch.setattr(Gatherer, "kubectl", answer)
    monkeypatch.setattr(Gatherer, "helm", answer)


def _members(path: Path) -> dict[str, str]:
    with tarfile.open(path) as tar:
        return {
            m.name: tar.extractfile(m).read().decode()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def test_the_canary_is_evidence_in_the_report_itself() -> None:
    """The precondition of the bundle test: without redaction the canary would reach the report."""
    report = Report.build(_sick_with_canary())
    evidence = [line for f in report.findings for line in f.evidence]
    assert any(CANARY in line for line in evidence)
    assert CANARY in report.to_text()


def test_no_bundle_member_holds_a_secret_from_a_findings_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_cluster(monkeypatch, _sick_with_canary(), [])
    written = write_bundle(DoctorTarget(namespace="sick"), tmp_path / "b.tar.gz", log_lines=50)
    members = _members(written.path)
    assert {"flyte-tui-bundle/doctor/report.json", "flyte-tui-bundle/doctor/report.txt"} <= set(members)
    assert any(name.startswith("flyte-tui-bundle/logs/") for name in members)
    leaked = [name for name, text in members.items() if CANARY in text]
    assert leaked == []
    assert MASK in members["flyte-tui-bundle/doctor/report.json"]
    assert MASK in members["flyte-tui-bundle/doctor/report.txt"]
    assert MASK in members["flyte-tui-bundle/namespace/read-errors.json"]
    for name, text in members.items():
        if name.endswith(".json"):
            json.loads(text)  # redaction keeps every JSON member valid
    report = json.loads(members["flyte-tui-bundle/doctor/report.json"])
    assert [c["id"] for c in report["checks"]] == [f.id for f in Report.build(_sick_with_canary()).findings]


@pytest.mark.parametrize("lines", [0, -1, MAX_LOG_LINES + 1])
def test_log_lines_outside_the_range_are_refused(lines: int, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    _fake_cluster(monkeypatch, load("sick"), calls)
    with pytest.raises(ValueError, match="log_lines"):
        collect(DoctorTarget(namespace="sick"), lines)
    assert calls == []


def test_log_lines_bound_every_kubectl_logs_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    _fake_cluster(monkeypatch, load("sick"), calls)
    collect(DoctorTarget(namespace="sick"), 7)
    tails = [a for call in calls if call[0] == "logs" for a in call if a.startswith("--tail")]
    assert tails and set(tails) == {"--tail=7"}


@pytest.mark.parametrize("value", ["-1", "0", str(MAX_LOG_LINES + 1), "many"])
def test_bundle_command_refuses_a_bad_log_lines_with_exit_2(value: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bundle", "-o", str(tmp_path / "b.tar.gz"), "--log-lines", value])
    assert result.exit_code == 2, result.output
    assert "--log-lines" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


def test_the_command_and_the_bundle_agree_on_the_bound() -> None:
    from flyte_tui.cli import doctor

    assert doctor.MAX_LOG_LINES == MAX_LOG_LINES
