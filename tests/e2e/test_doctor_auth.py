"""Auth on the real API server, end to end through the headless CLI: `flyte-tui install` with auth on (Self) and
no propeller secret makes the secret and its hash together (the secret only in flyte-secret-auth, never in the
output, the values, the answers or any process's arguments); `diff` shows no auth change and `upgrade` keeps the
secret and its hash; the doctor passes every auth check; a replaced client_secret makes the doctor fail naming
flyte-secret-auth and the hash, without ever showing a secret."""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_doctor import by_id, doctor_cli
from test_install import _our_processes
from test_install_auth import auth_answers, secret_data

from flyte_tui.charts.flyte_core.render_auth import propeller_hash_in_config
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model.auth import propeller_secret_matches

pytestmark = pytest.mark.e2e

AUTH_CHECKS = ("auth.secrets", "auth.propeller-hash", "auth.authorized-uris", "auth.logs")


def live_hash(testbed: Any, namespace: str) -> str:
    text = testbed.kubectl_run(
        "get", "configmap", "flyte-admin-base-config", "-n", namespace, "-o", "jsonpath={.data.server\\.yaml}"
    ).stdout
    return propeller_hash_in_config(load_plain(text), "flytepropeller")


def auth_install_env(testbed: Any, idp: Any) -> tuple[dict[str, str], str]:
    """The environment of an install with auth on: the database password, the S3 keys and the OIDC client secret
    (a canary, returned too, to look for where it must not be) as flyte-tui reads them, and the IdP's CA trusted."""
    oidc = "CANARYOIDC" + secrets.token_hex(8)
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-" + secrets.token_hex(4),
           "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E", "FLYTE_TUI_S3_SECRET_KEY": "sk-" + secrets.token_hex(4),
           "FLYTE_TUI_OIDC_CLIENT_SECRET": oidc, "SSL_CERT_FILE": str(idp.ca_file)}  # fmt: skip
    return env, oidc


def install_cli(testbed: Any, answers_file: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], str]:
    """``flyte-tui install --yes --json`` as a user runs it, with every process's arguments sampled meanwhile."""
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--json", "--helm", str(testbed.helm4),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m", str(answers_file)]  # fmt: skip
    seen: list[str] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen.extend(_our_processes(str(testbed.kubectl)) + _our_processes(str(testbed.helm4)))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    finally:
        done.set()
        sampler.join()
    return proc, "\n".join(seen)


def test_doctor_checks_auth_and_names_a_mismatched_propeller_secret(testbed, namespace, tmp_path, idp) -> None:
    data = auth_answers(testbed, namespace, "", idp.issuer)  # no propellerHash: flyte-tui makes the secret and hash
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(data))
    written = answers_file.read_text()
    env, oidc = auth_install_env(testbed, idp)
    proc, argv_seen = install_cli(testbed, answers_file, env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "generated the propeller client secret" in proc.stderr and "flyte-secret-auth" in proc.stderr
    assert "Register at the IdP (okta" in proc.stderr and "https://flyte.example.com/callback" in proc.stderr

    # the canary: the generated secret is in flyte-secret-auth, matches the rendered hash, and is nowhere else
    generated = secret_data(testbed, namespace, "flyte-secret-auth")["client_secret"]
    assert propeller_secret_matches(generated, live_hash(testbed, namespace))
    files = {str(p): p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()}
    assert any(live_hash(testbed, namespace) in text for text in files.values())  # the values file has the hash
    for where, text in (("output", proc.stdout + proc.stderr), ("argv", argv_seen), *files.items()):
        assert generated not in text and oidc not in text, where
    assert answers_file.read_text() == written  # the answers file is never rewritten
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True

    # an upgrade keeps both: the diff reuses the Secret and the hash flyteadmin has, so auth shows no change
    diff = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "diff", "--json", "--helm", str(testbed.helm4), str(answers_file)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert diff.returncode in (0, 2) and diff.stdout.strip(), diff.stderr[-2000:]
    changed = [c["path"] for c in json.loads(diff.stdout)["values"]]
    assert not [p for p in changed if "auth" in p.lower() or "secret" in p.lower()], changed
    assert generated not in diff.stdout + diff.stderr
    hashed = live_hash(testbed, namespace)
    argv = [sys.executable, "-m", "flyte_tui.cli", "upgrade", "--yes", "--helm", str(testbed.helm4),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m", str(answers_file)]  # fmt: skip
    upgraded = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert upgraded.returncode == 0, upgraded.stdout[-2000:] + upgraded.stderr[-2000:]
    assert "reused (not rotated)" in upgraded.stdout and generated not in upgraded.stdout + upgraded.stderr
    assert secret_data(testbed, namespace, "flyte-secret-auth")["client_secret"] == generated
    assert live_hash(testbed, namespace) == hashed

    admin = testbed.kubectl_run(
        "get",
        "pods",
        "-n",
        namespace,
        "-l",
        "app.kubernetes.io/name=flyteadmin",
        "-o",
        "jsonpath={.items[0].metadata.name}",
    ).stdout.strip()
    testbed.set_pod_logs(namespace, admin, ["Serving Flyte Admin Http on port :8088", "GET /healthcheck 200"])
    code, report = doctor_cli(testbed, Path(testbed.helm4), namespace)
    found = by_id(report)
    for check_id in AUTH_CHECKS:
        assert found[check_id]["severity"] == "pass", (check_id, found[check_id])

    other = "replaced-" + secrets.token_hex(8)
    encoded = base64.b64encode(other.encode()).decode()
    testbed.kubectl_run(
        "patch", "secret", "flyte-secret-auth", "-n", namespace, "--type=merge", "-p",
        json.dumps({"data": {"client_secret": encoded}}),
    )  # fmt: skip
    refused = 'token validation failed: invalid audience ["http://flyteadmin:80"], wanted ["https://flyte.example.com"]'
    testbed.set_pod_logs(namespace, admin, ["Serving Flyte Admin Http on port :8088", refused])
    code, report = doctor_cli(testbed, Path(testbed.helm4), namespace)
    logs = by_id(report)["auth.logs"]
    assert logs["severity"] == "fail" and logs["signature"] == "auth-invalid-audience", logs
    finding = by_id(report)["auth.propeller-hash"]
    assert code == 3 and finding["severity"] == "fail"
    assert (
        "flyte-secret-auth" in finding["summary"] and "staticClients.flytepropeller.client_secret" in finding["summary"]
    )
    shown = json.dumps(report)
    assert other not in shown and encoded not in shown and generated not in shown
