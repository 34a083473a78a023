"""kubectl and helm (3 and 4, with the helm-diff plugin) work against the test bed the way the runner,
the upgrade flow and the doctor use them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import k8s_helpers as kh
import pytest
import testbed as tb

pytestmark = pytest.mark.e2e

RELEASE = "flyte"
CHART = f"{tb.REPO_NAME}/flyte-core"
VALUES = {"flyteadmin": {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x"}}},
          "flytepropeller": {"createCRDs": False}}  # fmt: skip


@pytest.fixture
def release(testbed: tb.TestBed, namespace: str, helm_bin: Path, tmp_path: Path) -> Iterator[str]:
    """The fixture chart v1.16.7 installed (and Ready) in the test's namespace with ``helm_bin``."""
    values = tmp_path / "values.yaml"
    values.write_text(json.dumps(VALUES))
    kh.helm(
        testbed, helm_bin, "upgrade", "--install", RELEASE, CHART, "--version", "v1.16.7", "-n", namespace,
        "-f", str(values), "--wait", "--timeout", "120s",
    )  # fmt: skip
    yield namespace


def test_kubectl_get_pods_json(testbed: tb.TestBed, release: str) -> None:
    data = json.loads(testbed.kubectl_run("get", "pods", "-n", release, "-o", "json").stdout)
    assert data["kind"] == "List"
    names = {p["metadata"]["labels"].get("app.kubernetes.io/name") for p in data["items"]}
    assert {"flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flyte-pod-webhook"} <= names
    admin = next(p for p in data["items"] if p["metadata"]["labels"].get("app.kubernetes.io/name") == "flyteadmin")
    assert admin["spec"]["containers"][0]["image"] == "cr.flyte.org/flyteorg/flyteadmin:v1.16.7"


def test_kubectl_get_events(testbed: tb.TestBed, release: str) -> None:
    data = json.loads(testbed.kubectl_run("get", "events", "-n", release, "-o", "json").stdout)
    reasons = {e["reason"] for e in data["items"]}
    assert {"Scheduled", "SuccessfulCreate", "ScalingReplicaSet", "Started"} <= reasons
    table = testbed.kubectl_run("get", "events", "-n", release).stdout
    assert "Successfully assigned" in table


def test_helm_status(testbed: tb.TestBed, release: str, helm_bin: Path) -> None:
    status = json.loads(kh.helm(testbed, helm_bin, "status", RELEASE, "-n", release, "-o", "json"))
    assert status["name"] == RELEASE
    assert status["info"]["status"] == "deployed"
    assert status["version"] == 1
    assert status["namespace"] == release
    text = kh.helm(testbed, helm_bin, "status", RELEASE, "-n", release)
    assert "STATUS: deployed" in text
    history = json.loads(kh.helm(testbed, helm_bin, "history", RELEASE, "-n", release, "-o", "json"))
    assert [h["chart"] for h in history] == ["flyte-core-v1.16.7"]


def test_helm_get_values(testbed: tb.TestBed, release: str, helm_bin: Path) -> None:
    user = json.loads(kh.helm(testbed, helm_bin, "get", "values", RELEASE, "-n", release, "-o", "json"))
    assert user == VALUES
    every = json.loads(kh.helm(testbed, helm_bin, "get", "values", RELEASE, "-n", release, "-a", "-o", "json"))
    assert every["flyteadmin"]["image"]["tag"] == "v1.16.7"
    assert every["storage"]["type"] == "sandbox"


def test_helm_get_manifest(testbed: tb.TestBed, release: str, helm_bin: Path) -> None:
    manifest = kh.helm(testbed, helm_bin, "get", "manifest", RELEASE, "-n", release)
    assert "kind: Deployment\nmetadata:\n  name: flyteadmin" in manifest
    assert "eks.amazonaws.com/role-arn: arn:aws:iam::1:role/x" in manifest
    assert "name: flyte-propeller-config" in manifest
    assert "CustomResourceDefinition" not in manifest  # createCRDs=false


def test_helm_diff_upgrade(testbed: tb.TestBed, release: str, helm_bin: Path, tmp_path: Path) -> None:
    """helm-diff shows what v1.16.7 -> v1.16.8 changes: the image tags, also copilot's in propeller's config.

    Values are passed again with -f, as the upgrade flow does: helm-diff's --reuse-values would carry the
    old chart's computed defaults (image tags included) over into the new version.
    """
    values = str(tmp_path / "values.yaml")
    flags = tb.HELM4_DIFF_FLAGS if helm_bin.name == "helm4" else ()
    out = kh.helm(
        testbed, helm_bin, "diff", "upgrade", RELEASE, CHART, "--version", "v1.16.8", "-n", release,
        "-f", values, "--no-color", "--context", "1", *flags,
    )  # fmt: skip
    assert "flyteadmin, Deployment (apps) has changed" in out
    assert re.search(r"^-\s+image: cr.flyte.org/flyteorg/flyteadmin:v1.16.7$", out, re.M)
    assert re.search(r"^\+\s+image: cr.flyte.org/flyteorg/flyteadmin:v1.16.8$", out, re.M)
    assert "flyte-propeller-config, ConfigMap (v1) has changed" in out
    assert re.search(r"^\+\s+image: cr.flyte.org/flyteorg/flytecopilot:v1.16.8$", out, re.M)
    # --detailed-exitcode: 2 means "there are changes"
    res = testbed.helm_run(
        helm_bin, "diff", "upgrade", RELEASE, CHART, "--version", "v1.16.8", "-n", release,
        "-f", values, "--detailed-exitcode", *flags, check=False,
    )  # fmt: skip
    assert res.returncode == 2, res.stderr
    same = testbed.helm_run(
        helm_bin, "diff", "upgrade", RELEASE, CHART, "--version", "v1.16.7", "-n", release,
        "-f", values, "--detailed-exitcode", *flags, check=False,
    )  # fmt: skip
    assert same.returncode == 0, same.stdout + same.stderr
    kh.helm(testbed, helm_bin, "upgrade", RELEASE, CHART, "--version", "v1.16.8", "-n", release, "-f", values,
            "--wait", "--timeout", "120s")  # fmt: skip
    pods = kh.pods(testbed, release, "app.kubernetes.io/name=flyteadmin")
    assert [p["spec"]["containers"][0]["image"] for p in pods] == ["cr.flyte.org/flyteorg/flyteadmin:v1.16.8"]
