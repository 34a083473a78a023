"""flyte-binary with auth on, end to end through the headless CLI against the test bed's IdP (helm 4): `flyte-tui
install` makes the propeller secret and its hash, puts the secret in `<fullname>-propeller-auth` and the OIDC
client secret in `<fullname>-admin-auth` (both mounted at /etc/secrets, neither in the values, the answers, the
output or any process's arguments); `diff` then shows no auth change (the hash is read back from the chart's
config Secret); the doctor passes every auth check, reading flyte-binary's object names, and fails naming
`<fullname>-propeller-auth` and the hash's values key once that Secret holds another secret."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from typing import Any

import pytest
from test_doctor import by_id, doctor_cli
from test_doctor_auth import AUTH_CHECKS, auth_install_env, install_cli
from test_install_auth import secret_data
from test_install_binary import binary_answers

from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model.auth import propeller_secret_matches

pytestmark = pytest.mark.e2e

FULL = "flyte-flyte-binary"


def config_secret_hash(testbed: Any, namespace: str) -> str:
    """The propeller hash the chart wrote into its config Secret (what flyteadmin reads)."""
    text = secret_data(testbed, namespace, f"{FULL}-config-secret")["014-auth-secrets.yaml"]
    return load_plain(text)["auth"]["appAuth"]["selfAuthServer"]["staticClients"]["flytepropeller"]["client_secret"]


def test_binary_install_with_auth_keeps_secrets_in_their_secrets_and_the_doctor_passes(
    testbed, namespace, tmp_path, idp
) -> None:
    data = binary_answers(testbed, namespace)
    data["ingress"] = {"host": "flyte.example.com", "tls": {"enabled": True}}
    data["auth"] = {"enabled": True, "idp": "okta", "issuer": idp.issuer, "clients": {"web": "0oaweb"}}
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(data))
    written = answers_file.read_text()
    env, oidc = auth_install_env(testbed, idp)
    proc, argv_seen = install_cli(testbed, answers_file, env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "generated the propeller client secret" in proc.stderr and f"{FULL}-propeller-auth" in proc.stderr
    assert f"Secret {FULL}-admin-auth, key oidc_client_secret" in proc.stderr

    generated = secret_data(testbed, namespace, f"{FULL}-propeller-auth")["client_secret"]
    hashed = config_secret_hash(testbed, namespace)
    assert propeller_secret_matches(generated, hashed)
    assert secret_data(testbed, namespace, f"{FULL}-admin-auth")["oidc_client_secret"] == oidc  # Helm adopted it
    deployment = json.loads(testbed.kubectl_run("get", "deployment", FULL, "-n", namespace, "-o", "json").stdout)
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    projected = {s["secret"]["name"] for s in volumes["auth"]["projected"]["sources"]}
    assert projected == {f"{FULL}-admin-auth", f"{FULL}-propeller-auth"}
    files = {str(p): p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()}
    assert any(hashed in text for text in files.values())  # the values file has the hash
    for where, text in (("output", proc.stdout + proc.stderr), ("argv", argv_seen), *files.items()):
        assert generated not in text and oidc not in text, where
    assert answers_file.read_text() == written

    diff = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "diff", "--json", "--helm", str(testbed.helm4), str(answers_file)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert diff.returncode in (0, 2) and diff.stdout.strip(), diff.stderr[-2000:]
    changed = [c["path"] for c in json.loads(diff.stdout)["values"]]
    assert not [p for p in changed if "auth" in p.lower() or "secret" in p.lower()], changed

    pod = testbed.kubectl_run("get", "pods", "-n", namespace, "-l", "app.kubernetes.io/name=flyte-binary",
                              "-o", "jsonpath={.items[0].metadata.name}").stdout.strip()  # fmt: skip
    testbed.set_pod_logs(namespace, pod, ["Serving Flyte Admin Http on port :8088", "GET /healthcheck 200"])
    code, report = doctor_cli(testbed, testbed.helm4, namespace)
    found = by_id(report)
    for check_id in AUTH_CHECKS:
        assert found[check_id]["severity"] == "pass", (check_id, found[check_id])
    assert f"{FULL}-propeller-auth" in found["auth.propeller-hash"]["summary"]
    assert generated not in json.dumps(report) and oidc not in json.dumps(report)

    other = "replaced-" + secrets.token_hex(8)  # propeller's secret no longer the one the hash was made from
    testbed.kubectl_run("patch", "secret", f"{FULL}-propeller-auth", "-n", namespace, "--type=merge", "-p",
                        json.dumps({"stringData": {"client_secret": other}}))  # fmt: skip
    code, report = doctor_cli(testbed, testbed.helm4, namespace)
    finding = by_id(report)["auth.propeller-hash"]
    assert code == 3 and finding["severity"] == "fail", finding
    assert f"{FULL}-propeller-auth" in finding["summary"]
    assert "configuration.auth.internal.clientSecretHash" in finding["summary"]
    assert other not in json.dumps(report)
