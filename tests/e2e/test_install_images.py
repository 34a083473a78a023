"""An install from a registry mirror on the test bed: every pod's image is on the mirror and carries the pull
secret (from its ServiceAccount, or its own list for flyteconsole), as the kubelet of an air-gapped node needs."""

from __future__ import annotations

import base64
import json

import k8s_helpers as kh
import pytest
from test_install import answers, collect, options, plan_of

from flyte_tui.events import InstallFinished, StepFailed
from flyte_tui.install import Installer

pytestmark = pytest.mark.e2e

MIRROR = "registry.corp.example:5000/flyte"


def test_install_from_a_mirror_pulls_every_image_from_it_with_its_secret(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    auth = base64.b64encode(b"flyte:not-a-real-one").decode()
    config = json.dumps({"auths": {"registry.corp.example:5000": {"auth": auth}}})
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "images"},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": base64.b64encode(config.encode()).decode()},
    }
    kh.apply(testbed, namespace, secret)  # through stdin: a credential is never an argument
    data = answers(testbed, namespace)
    data["images"] = {"registry": MIRROR, "pullSecret": "images"}
    events, _ = collect(Installer(plan_of(data), options(testbed, helm_bin, tmp_path)))
    last = events[-1]
    assert isinstance(last, InstallFinished) and last.ok, [e for e in events if isinstance(e, StepFailed)]
    pods = json.loads(testbed.kubectl_run("get", "pods", "-n", namespace, "-o", "json").stdout)["items"]
    assert len(pods) >= 6  # every component: admin, catalog, propeller, console, scheduler, webhook, sync job
    for pod in pods:
        name, spec = pod["metadata"]["name"], pod["spec"]
        images = [c["image"] for c in [*spec.get("initContainers", []), *spec["containers"]]]
        assert images and all(i.startswith(MIRROR + "/flyteorg/") for i in images), (name, images)
        assert {"name": "images"} in spec.get("imagePullSecrets", []), name
    maps = json.loads(testbed.kubectl_run("get", "configmap", "-n", namespace, "-o", "json").stdout)["items"]
    copilot = [v for cm in maps for v in (cm.get("data") or {}).values() if "flytecopilot" in v]
    assert copilot and all(f"{MIRROR}/flyteorg/flytecopilot:v1.16.8" in text for text in copilot)
