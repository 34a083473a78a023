"""The report: exit codes, JSON schema, text; the checks run as a registry; the core stays Textual-free."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from doctor_scenarios import load

from flyte_tui.cli.commands import main
from flyte_tui.doctor import Report, all_checks
from flyte_tui.doctor.checks import Check, Outcome
from flyte_tui.doctor.gather import failing_containers, parse_secrets
from flyte_tui.exit_codes import CHECK_FAILED as EXIT_FAIL
from flyte_tui.exit_codes import OK as EXIT_OK
from flyte_tui.exit_codes import WARNINGS as EXIT_WARN

FINDING_KEYS = {
    "id", "title", "area", "severity", "summary", "lookedAt", "evidence", "fix", "commands", "signature", "answer",
}  # fmt: skip


def _fixed(*severities: str) -> list[Check]:
    return [
        Check(f"t.{i}", f"check {i}", "test", lambda _s, sev=sev: Outcome(sev, f"said {sev}"))  # type: ignore[misc]
        for i, sev in enumerate(severities)
    ]


def test_exit_codes_follow_the_worst_finding() -> None:
    snap = load("deployed")
    assert Report.build(snap, _fixed("pass", "skip")).exit_code == EXIT_OK == 0
    assert Report.build(snap, _fixed("pass", "warn", "skip")).exit_code == EXIT_WARN == 4
    assert Report.build(snap, _fixed("warn", "fail", "pass")).exit_code == EXIT_FAIL == 3


def test_findings_keep_registry_order_and_problems_come_worst_first() -> None:
    report = Report.build(load("sick"))
    assert [f.id for f in report.findings] == [c.id for c in all_checks()]
    severities = [f.severity for f in report.problems]
    assert severities == sorted(severities, key=["fail", "warn"].index)


def test_json_schema() -> None:
    report = Report.build(load("sick"))
    data = json.loads(json.dumps(report.to_json()))
    assert data["schemaVersion"] == 1
    assert data["target"] == {"context": "", "namespace": "sick", "release": "flyte"}
    assert set(data["summary"]) == {"pass", "warn", "fail", "skip"}
    assert sum(data["summary"].values()) == len(data["checks"]) == len(all_checks())
    assert data["exitCode"] == 3
    assert set(data["gather"]) == {"seconds", "processes"}
    for item in data["checks"]:
        assert set(item) == FINDING_KEYS
        assert item["severity"] in ("pass", "warn", "fail", "skip")
        assert all(isinstance(item[k], list) for k in ("lookedAt", "evidence", "commands"))
    admin = next(c for c in data["checks"] if c["id"] == "component.flyteadmin")
    assert admin["signature"] == "db-password"


def test_text_report_lists_every_check_then_problem_details() -> None:
    text = Report.build(load("sick")).to_text()
    assert text.count("\n") > len(all_checks())
    assert "FAIL component.flyteadmin: flyteadmin pods" in text
    assert "  $ kubectl -n sick logs flyteadmin-" in text
    assert "answer to change: database.passwordSecret" in text
    only = Report.build(load("sick")).to_text(only_problems=True)
    assert "PASS  " not in only


def test_a_broken_check_is_a_warning_not_a_crash() -> None:
    def boom(_snap: object) -> Outcome:
        raise KeyError("spec")

    report = Report.build(load("deployed"), [Check("t.boom", "boom", "test", boom)])
    assert report.findings[0].severity == "warn" and "KeyError" in report.findings[0].summary


def test_every_check_has_an_id_title_and_area_and_ids_are_unique() -> None:
    ids = [c.id for c in all_checks()]
    assert len(ids) == len(set(ids)) >= 30
    assert all(c.title and c.area for c in all_checks())


def test_secrets_are_parsed_to_key_names_only() -> None:
    parsed = parse_secrets("db-pass\tOpaque\tpass.txt\nempty\tOpaque\nwebhook\tOpaque\tca.crt\ttls.crt\ttls.key\n")
    assert parsed["db-pass"].keys == ("pass.txt",)
    assert parsed["empty"].keys == ()
    assert parsed["webhook"].keys == ("ca.crt", "tls.crt", "tls.key")


def test_logs_are_read_only_for_failing_containers() -> None:
    assert failing_containers(load("deployed")) == []
    wanted = failing_containers(load("sick"))
    assert [(p.split("-")[0], c) for p, c, _prev in wanted] == [("flyteadmin", "flyteadmin")]
    assert wanted[0][2] is True  # it restarted: read the previous run


def test_unreadable_answers_file_exits_2(tmp_path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text("environment: [unclosed\n")
    result = CliRunner().invoke(main, ["doctor", "--answers", str(bad)])
    assert result.exit_code == 2
    assert "cannot be used as the answers file" in result.output
    missing = CliRunner().invoke(main, ["bundle", "--answers", str(tmp_path / "nope.yaml"), "-o", "b.tar.gz"])
    assert missing.exit_code == 2


def test_doctor_core_does_not_import_textual() -> None:
    code = (
        "import sys, flyte_tui.doctor, flyte_tui.doctor.bundle, flyte_tui.cli.doctor\n"
        "flyte_tui.doctor.all_checks()\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
