"""Preflight's checks over what they were given, when it is not what they expect (plain data, no cluster): kubectl's
objects of a shape no API server sends, a read that stopped with an error. Each such check is a warning of its
own naming the error; the other checks say what they say; nothing raises."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flyte_tui.charts import flyte_release, plan_releases
from flyte_tui.install import preflight, preflight_answers, preflight_reach
from flyte_tui.install.context import InstallOptions, ReleaseRun
from flyte_tui.install.preflight_checks import CheckResult
from flyte_tui.tools import process
from tests.test_preflight_answers_unit import NODES, plan

ODD_NODE = {"metadata": "node-a", "spec": ["unschedulable"], "status": {"allocatable": "8"}}
"""A node whose metadata, spec and allocatable are not objects."""


def _run(tmp_path: Path) -> ReleaseRun:
    answers = plan()
    options = InstallOptions(values_path=tmp_path / "flyte-values.yaml")
    return ReleaseRun(answers, flyte_release(plan_releases(answers)), options, threading.Event())


def _read(**changed: Any) -> dict[str, Any]:
    reach = CheckResult("database-reach", "ok", "database.host", "answered")
    read: dict[str, Any] = {f"read {kind}": [] for kind in ("nodes", "resourcequotas", "limitranges", "crds")}
    read |= {"read tls secrets": [], "read storageclasses": [], "database-reach": reach}
    read["bucket-reach"] = CheckResult("bucket-reach", "ok", "storage", "answered")
    return read | changed


def _evaluate(tmp_path: Path, read: dict[str, Any]) -> dict[str, CheckResult]:
    run = _run(tmp_path)
    found = preflight_answers.evaluate(run, (), read, existing=False, server="v1.36.3", chart_yaml="")
    return {r.id: r for r in found}


def test_nodes_of_another_shape_make_the_node_checks_warnings_and_leave_the_others_alone(tmp_path: Path) -> None:
    results = _evaluate(tmp_path, _read(**{"read nodes": [ODD_NODE, *NODES]}))
    for check in ("capacity", "gpu"):
        assert results[check].level == "warn", results[check]
        assert results[check].evidence.startswith("could not be checked (AttributeError"), results[check]
    assert results["kubernetes-version"].level == "ok" and results["quota"].level == "ok"
    assert _evaluate(tmp_path, _read(**{"read nodes": NODES}))["capacity"].level == "ok"  # the same nodes, readable


def test_a_read_that_stopped_with_an_error_is_a_warning_not_a_result_of_another_type(tmp_path: Path) -> None:
    broken = {"read crds": RuntimeError("a bug in the read"), "bucket-reach": UnicodeError("label too long")}
    results = _evaluate(tmp_path, _read(**broken))  # socket.create_connection raises UnicodeError, not OSError
    assert results["crd-owner"].level == "warn" and "could not be read" in results["crd-owner"].evidence
    assert results["bucket-reach"].level == "warn", results["bucket-reach"]
    assert "UnicodeError: label too long" in results["bucket-reach"].evidence
    timed_out = process.TimedOut("kubectl get crd timed out after 30s")  # check_plugins lets it through
    plugins = preflight._result("plugins", "the chosen plugins' CRDs", timed_out)
    assert plugins.level == "warn" and "timed out after 30s" in plugins.evidence
    assert plugins.line().startswith("warning plugins: the chosen plugins' CRDs: could not be checked (TimedOut")


def test_a_bucket_endpoint_with_a_label_too_long_to_look_up_is_a_warning_naming_the_answer() -> None:
    answers = plan(storage={"metadataBucket": "acme", "endpoint": f"https://{'b' * 70}.example.com"})
    found = preflight_reach.bucket_reach(answers, threading.Event())  # the real resolver: it refuses the name
    assert found.level == "warn", found
    assert "not a host name that can be looked up" in found.evidence and "storage.endpoint" in found.fix, found
