"""The multi-cluster test bed: three independent clusters behind one kubeconfig (tests/cluster/multibed.py)."""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import subprocess
from urllib.parse import urlsplit

import k8s_helpers as kh
import multibed
import pytest
import testbed as tb

pytestmark = pytest.mark.e2e


def _tls_handshake(api_url: str, ca_file: str) -> bool:
    """Whether the API server at ``api_url`` presents a certificate ``ca_file`` verifies."""
    parts = urlsplit(api_url)
    ctx = ssl.create_default_context(cafile=ca_file)
    try:
        with (
            socket.create_connection((parts.hostname, parts.port), timeout=5) as sock,
            ctx.wrap_socket(sock, server_hostname=parts.hostname),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False


def test_three_contexts_each_with_its_own_api_server_and_ca(clusters: multibed.MultiBed) -> None:
    config = json.loads(clusters.kubectl_run(1, "config", "view", "-o", "json").stdout)
    assert [c["name"] for c in config["contexts"]] == ["flyte-tui-e2e-1", "flyte-tui-e2e-2", "flyte-tui-e2e-3"]
    urls = [b.api_url for b in clusters.beds]
    assert len(set(urls)) == 3 and all(u.startswith("https://127.0.0.1:") for u in urls)
    for n in (1, 2, 3):
        assert len(kh.kjson(clusters.cluster(n), "get", "nodes")["items"]) == len(tb.NODES)
        for m in (1, 2, 3):
            assert _tls_handshake(urls[n - 1], str(clusters.ca_file(m))) is (n == m), (n, m)


def test_a_namespace_made_on_one_cluster_is_absent_on_the_others(clusters: multibed.MultiBed) -> None:
    clusters.kubectl_run(1, "create", "namespace", "only-on-one")
    try:
        seen = [
            clusters.kubectl_run(n, "get", "namespace", "only-on-one", "--ignore-not-found", "-o", "name").stdout
            for n in (1, 2, 3)
        ]
        assert [s.strip() for s in seen] == ["namespace/only-on-one", "", ""]
    finally:
        clusters.kubectl_run(1, "delete", "namespace", "only-on-one", "--wait=false")


def _service_account_token(clusters: multibed.MultiBed, number: int) -> str:
    """A long-lived token of ServiceAccount flyte/flyteadmin on cluster ``number``, allowed to create
    namespaces there (as flyte-core's data plane sets it up)."""
    rbac = "rbac.authorization.k8s.io"
    manifest = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "flyte"}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "flyteadmin", "namespace": "flyte"}},
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/service-account-token",
            "metadata": {
                "name": "flyteadmin-token",
                "namespace": "flyte",
                "annotations": {"kubernetes.io/service-account.name": "flyteadmin"},
            },
        },
        {
            "apiVersion": f"{rbac}/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "e2e-create-namespaces"},
            "rules": [{"apiGroups": [""], "resources": ["namespaces"], "verbs": ["create"]}],
        },
        {
            "apiVersion": f"{rbac}/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "e2e-flyteadmin-create-namespaces"},
            "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "e2e-create-namespaces"},
            "subjects": [{"kind": "ServiceAccount", "name": "flyteadmin", "namespace": "flyte"}],
        },
    ]
    bed = clusters.cluster(number)
    bed.kubectl_run("apply", "-f", "-", input_text=json.dumps({"apiVersion": "v1", "kind": "List", "items": manifest}))

    def token() -> str | None:
        data = kh.kjson(bed, "get", "secret", "flyteadmin-token", "-n", "flyte").get("data") or {}
        return base64.b64decode(data["token"]).decode() if data.get("token") else None

    return kh.wait_for("the token controller to fill flyte/flyteadmin-token", token, timeout=30)


def _can_i(clusters: multibed.MultiBed, number: int, token: str) -> subprocess.CompletedProcess[str]:
    """`kubectl auth can-i create namespaces` at cluster ``number``'s API server, with only this token and
    that cluster's CA (no kubeconfig), as flyteadmin will call it."""
    bed = clusters.cluster(number)
    env = {**clusters.env, "KUBECONFIG": os.devnull}
    argv = [bed.kubectl, f"--server={bed.api_url}", f"--certificate-authority={clusters.ca_file(number)}",
            f"--token={token}", "auth", "can-i", "create", "namespaces"]  # fmt: skip
    return tb.run(argv, env=env, check=False)


def test_a_token_from_cluster_2_authenticates_there_and_not_on_cluster_3(clusters: multibed.MultiBed) -> None:
    token = _service_account_token(clusters, 2)
    on_2 = _can_i(clusters, 2, token)
    assert (on_2.returncode, on_2.stdout.strip()) == (0, "yes"), on_2.stderr
    on_3 = _can_i(clusters, 3, token)
    assert on_3.returncode != 0
    assert "Unauthorized" in on_3.stderr, on_3.stderr
