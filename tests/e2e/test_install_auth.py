"""Install with auth on against the real API server (helm 3 and 4): the OIDC and propeller client secrets reach
flyte-admin-secrets and flyte-secret-auth (Helm adopts the first and keeps its key), and never appear in the
events, the values file, the answers or any process's arguments."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from typing import Any

from test_install import _our_processes, answers, collect, options, plan_of

from flyte_tui.events import InstallFinished, StepFailed, to_json
from flyte_tui.files.yamlio import dump
from flyte_tui.install import Installer
from flyte_tui.install.secrets import SecretValues
from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_and_hash


def auth_answers(testbed: Any, namespace: str, propeller_hash: str, issuer: str) -> dict[str, Any]:
    data = answers(testbed, namespace)
    data["ingress"] = {"host": "flyte.example.com", "tls": {"enabled": True}}
    data["auth"] = {
        "enabled": True,
        "idp": "okta",
        "issuer": issuer,  # the test IdP: preflight reads its discovery document
        "clients": {"web": "0oaweb", "propellerHash": propeller_hash},
    }
    return data


def secret_data(testbed: Any, namespace: str, name: str) -> dict[str, str]:
    got = json.loads(testbed.kubectl_run("get", "secret", name, "-n", namespace, "-o", "json").stdout)
    return {k: base64.b64decode(v).decode() for k, v in (got.get("data") or {}).items()}


def test_auth_secrets_reach_the_cluster_and_nowhere_else(
    testbed, namespace, helm_bin, tmp_path, idp, monkeypatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    oidc = "CANARYOIDC" + secrets.token_hex(8)
    propeller, propeller_hash = propeller_secret_and_hash()
    data = auth_answers(testbed, namespace, propeller_hash, idp.issuer)
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(data))
    given = SecretValues("pw-" + secrets.token_hex(4), "AKIA" + secrets.token_hex(4), secrets.token_hex(8),
                         oidc, propeller)  # fmt: skip
    seen_argv: list[str] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen_argv.extend(_our_processes("CANARYOIDC") + _our_processes(propeller))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        events, _ = collect(Installer(plan_of(data), options(testbed, helm_bin, tmp_path, secrets=given)))
    finally:
        done.set()
        sampler.join()
    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    stream = "\n".join(json.dumps(to_json(e)) for e in events)
    assert oidc not in stream and propeller not in stream
    assert seen_argv == []
    for path in tmp_path.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert oidc not in text and propeller not in text, path
    assert propeller_hash in (tmp_path / "values.yaml").read_text()  # the hash, never the secret
    # the keys the chart mounts: Helm adopted flyte-admin-secrets and kept oidc_client_secret
    assert secret_data(testbed, namespace, "flyte-admin-secrets")["oidc_client_secret"] == oidc
    assert secret_data(testbed, namespace, "flyte-secret-auth") == {"client_secret": propeller}
    for name in ("flyte-admin-secrets", "flyte-secret-auth"):
        metadata = testbed.kubectl_run("get", "secret", name, "-n", namespace, "-o", "jsonpath={.metadata}").stdout
        assert oidc not in metadata and propeller not in metadata


def test_a_propeller_secret_that_does_not_match_its_hash_stops_before_helm(
    testbed, namespace, helm_bin, tmp_path, idp, monkeypatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    data = auth_answers(testbed, namespace, hash_propeller_secret("the-old-secret"), idp.issuer)
    given = SecretValues("pw", "AKIA1", "sk1", "oidc-" + secrets.token_hex(4), "not-the-old-secret")
    events, _ = collect(Installer(plan_of(data), options(testbed, helm_bin, tmp_path, secrets=given)))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].step == "secrets"
    assert "auth.clients.propellerHash" in json.dumps(to_json(failed[0]))
    assert not (tmp_path / "values.yaml").exists()
