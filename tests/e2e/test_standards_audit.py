"""The subprocess and secrets standards where a user meets them, on the one-cluster test bed (no install):

- ``flyte-tui preflight`` when kubectl prints objects of a shape no API server sends (a stand-in prints them for
  ``get nodes`` and runs the real kubectl otherwise): each check that cannot read them is a warning of its own,
  never a traceback;
- ``flyte-tui doctor`` with a hand-made ``cluster-credentials`` whose token ends in a line break (``echo token``
  leaves one): the link check names the key and why, and the token is nowhere in the report or the bundle;
- on the three-cluster bed, ``flyte-tui install`` whose data plane's values file cannot be written
  (``flyte-values-<name>.yaml`` is a folder): preflight stops it, naming the data plane, before anything is made
  on any cluster.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import multibed
import pytest
import testbed as tb
from multi_answers import answers_for, spread_namespace

from flyte_tui.files.yamlio import dump
from tests.e2e.test_foreign_output import stand_in
from tests.e2e.test_install import answers

pytestmark = pytest.mark.e2e

TOKEN = "eyJhbGciOiJSUzI1NiJ9.standards-audit-canary"
ODD_NODE = {"metadata": "node-a", "spec": ["unschedulable"], "status": {"allocatable": "8"}}
ODD_NODES = json.dumps({"apiVersion": "v1", "kind": "List", "items": [ODD_NODE]})
"""A node list whose node's metadata, spec and allocatable are not objects."""


def _cli(testbed: tb.TestBed, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "flyte_tui.cli", *args], env=testbed.env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done


def test_preflight_over_nodes_of_another_shape_warns_per_check_and_never_crashes(
    testbed: tb.TestBed, namespace: str, tmp_path: Path
) -> None:
    kubectl = stand_in(tmp_path, testbed.kubectl, ("get", "nodes"), ODD_NODES)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))
    done = _cli(testbed, "preflight", "--json", "--helm", str(testbed.helm4), "--kubectl", str(kubectl), str(path))
    assert done.stdout.startswith("{"), done.stderr[-3000:]
    checks = {c["id"]: c for c in json.loads(done.stdout)["checks"]}
    for check in ("capacity", "gpu"):
        assert checks[check]["level"] == "warn", checks[check]
        assert "could not be checked" in checks[check]["evidence"], checks[check]
    assert checks["cluster"]["level"] == "ok" and checks["chart"]["level"] == "ok"  # the others as they were
    assert done.returncode == 4, done.stdout


def test_doctor_names_a_token_with_a_line_break_and_never_shows_it(
    testbed: tb.TestBed, namespace: str, tmp_path: Path
) -> None:
    ca = base64.b64encode((testbed.workdir / "pki" / "ca.crt").read_bytes()).decode()
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "cluster-credentials", "namespace": namespace},
              "data": {"east_token": base64.b64encode(f"{TOKEN}\n".encode()).decode(), "east_cacert": ca}}  # fmt: skip
    testbed.kubectl_run("apply", "-f", "-", input_text=json.dumps(secret))
    data = answers(testbed, namespace)
    data["dataPlanes"] = [{"name": "east", "context": "east-context", "endpoint": testbed.api_url, "labels": ["a"]}]
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(data))
    where = ["--answers", str(path), "--helm", str(testbed.helm3), "--kubectl", str(testbed.kubectl)]
    done = _cli(testbed, "doctor", "--json", *where)
    report = json.loads(done.stdout)
    link = next(c for c in report["checks"] if c["id"] == "clusters.links")
    assert link["severity"] == "fail", link
    assert "east_token" in link["summary"] and "line break" in link["summary"], link
    bundle = tmp_path / "bundle.tar.gz"
    _cli(testbed, "bundle", "-o", str(bundle), *where)
    with tarfile.open(bundle) as tar:
        kept = "".join(tar.extractfile(m).read().decode(errors="replace") for m in tar.getmembers() if m.isfile())  # type: ignore[union-attr]
    assert "line break" in kept
    assert TOKEN not in done.stdout + done.stderr + kept


def test_a_data_plane_values_file_that_cannot_be_written_stops_preflight_before_anything_is_made(
    clusters: multibed.MultiBed, tmp_path: Path
) -> None:
    with spread_namespace(clusters, "e2e-audit-values") as namespace:
        answers = tmp_path / "flyte-tui.yaml"
        answers.write_text(dump(answers_for(clusters, namespace, {"dp-2": 2})))
        (tmp_path / "flyte-values-dp-2.yaml").mkdir()
        env = {**clusters.env, "FLYTE_TUI_DB_PASSWORD": "pw-audit", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAAUDIT",
               "FLYTE_TUI_S3_SECRET_KEY": "sk-audit"}  # fmt: skip
        bed = clusters.beds[0]
        argv = [sys.executable, "-m", "flyte_tui.cli", "install", str(answers), "--yes", "--json", "--helm",
                str(bed.helm4), "--kubectl", str(bed.kubectl), "-o", str(tmp_path / "flyte-values.yaml")]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
        assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
        assert done.returncode == 1, (done.stdout[-3000:], done.stderr[-2000:])
        events = [json.loads(line) for line in done.stdout.splitlines()]
        (failed,) = [e for e in events if e["event"] == "StepFailed"]
        assert failed["step"] == "preflight", failed
        assert failed["message"].startswith("data plane dp-2: cannot use"), failed
        assert "flyte-values-dp-2.yaml" in failed["message"], failed
        for n in (1, 2):
            seen = clusters.kubectl_run(n, "get", "namespace", namespace, "--ignore-not-found", "-o", "name").stdout
            assert not seen.strip(), n
