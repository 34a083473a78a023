"""Preflight against a real IdP (ory/hydra on 127.0.0.1, tests/e2e/idp.py) with an External authorization server:
a correct setup installs headless and reaches Ready; a wrong audience, a missing ``all`` scope, a wrong propeller
client secret and a wrong issuer each stop at preflight naming the answer to change, with nothing installed."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from typing import Any

import pytest
from test_install import answers, collect, options, plan_of
from test_install_auth import secret_data

from flyte_tui.events import InstallFinished, OutputLine, StepFailed, StepFinished, to_json
from flyte_tui.files.yamlio import dump
from flyte_tui.install import Installer
from flyte_tui.install.secrets import SecretValues

pytestmark = pytest.mark.e2e

PUBLIC = "https://flyte.example.com"


@pytest.fixture
def clients(idp: Any) -> dict[str, str]:
    """A web login client and a propeller client (audience: the public URL, scopes all and offline), fresh ids."""
    tag = secrets.token_hex(3)
    web, propeller = f"flyte-web-{tag}", f"flytepropeller-{tag}"
    oidc = idp.web_client(web, [f"{PUBLIC}/callback"])
    secret = idp.propeller_client(propeller, [PUBLIC])
    return {"web": web, "propeller": propeller, "oidc_secret": oidc, "propeller_secret": secret}


def idp_answers(testbed: Any, namespace: str, idp: Any, clients: dict[str, str], **external: Any) -> dict[str, Any]:
    data = answers(testbed, namespace)
    data["ingress"] = {"host": "flyte.example.com", "tls": {"enabled": True}}
    data["auth"] = {
        "enabled": True,
        "idp": "oidc",
        "issuer": idp.issuer,
        "authorizationServer": "External",
        # hydra serves only the OpenID metadata (flyteadmin's default is the OAuth2 one)
        "external": {"metadataUrl": ".well-known/openid-configuration", "audience": PUBLIC, **external},
        "clients": {"web": clients["web"], "propeller": clients["propeller"]},
    }
    return data


def given(clients: dict[str, str], propeller_secret: str | None = None) -> SecretValues:
    secret = clients["propeller_secret"] if propeller_secret is None else propeller_secret
    return SecretValues("pw-" + secrets.token_hex(4), "AKIA1", secrets.token_hex(8), clients["oidc_secret"], secret)


def nothing_installed(testbed: Any, namespace: str) -> None:
    releases = json.loads(testbed.helm_run(testbed.helm3, "list", "-n", namespace, "-a", "-o", "json").stdout or "[]")
    assert releases == []
    found = testbed.kubectl_run("get", "secrets", "-n", namespace, "-o", "name").stdout.split()
    assert "secret/flyte-secret-auth" not in found and "secret/flyte-admin-secrets" not in found


def test_headless_install_with_the_real_idp_reaches_ready(testbed, namespace, idp, clients, tmp_path) -> None:
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(idp_answers(testbed, namespace, idp, clients)))
    env = {**testbed.env, "SSL_CERT_FILE": str(idp.ca_file), "FLYTE_TUI_DB_PASSWORD": "pw-e2e",
           "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E", "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e",
           "FLYTE_TUI_OIDC_CLIENT_SECRET": clients["oidc_secret"]}  # fmt: skip
    secret_file = tmp_path / "propeller-secret"
    secret_file.write_text(clients["propeller_secret"] + "\n")
    env["FLYTE_TUI_PROPELLER_CLIENT_SECRET_FILE"] = str(secret_file)
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--json", "--helm", str(testbed.helm3),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m", "-o", str(tmp_path / "values.yaml"),
            str(answers_file)]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True, events[-1]
    lines = [e.get("text", "") for e in events if e["event"] == "OutputLine" and e.get("step") == "preflight"]
    assert any("aud and scp as flyteadmin wants" in line for line in lines), lines
    assert clients["propeller_secret"] not in proc.stdout + proc.stderr
    assert clients["oidc_secret"] not in proc.stdout + proc.stderr
    assert secret_data(testbed, namespace, "flyte-secret-auth") == {"client_secret": clients["propeller_secret"]}
    assert secret_data(testbed, namespace, "flyte-admin-secrets")["oidc_client_secret"] == clients["oidc_secret"]
    values = (tmp_path / "values.yaml").read_text()
    assert clients["propeller_secret"] not in values and "externalAuthServer" in values


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    # the IdP refuses an audience it was not told of for this client
    ("audience-refused", {"audience": "api://flyte", "allowedAudience": ["api://flyte"]},
     "auth.external.audience", "api://flyte"),
    # no audience asked for: the token's aud is empty, which flyteadmin refuses
    ("no-audience", {"audience": ""}, "auth.external.audience", "invalid audience"),
    ("no-all-scope", {"scopes": ["offline"]}, "auth.external.scopes", "doesn't have required scope"),
    ("default-metadata-url", {"metadataUrl": ""}, "auth.external.metadataUrl", "oauth-authorization-server"),
]  # fmt: skip


@pytest.mark.parametrize(("external", "answer", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_mismatch_stops_at_preflight_naming_the_answer(
    testbed, namespace, idp, clients, tmp_path, monkeypatch, external, answer, words
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    data = idp_answers(testbed, namespace, idp, clients, **external)
    events, _ = collect(Installer(plan_of(data), options(testbed, testbed.helm3, tmp_path, secrets=given(clients))))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].step == "preflight", events[-3:]
    text = json.dumps(to_json(failed[0]))
    assert f"{answer}:" in text and words in text, text
    assert clients["propeller_secret"] not in "\n".join(json.dumps(to_json(e)) for e in events)
    nothing_installed(testbed, namespace)


def test_a_wrong_propeller_secret_names_its_variable(testbed, namespace, idp, clients, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    wrong = "wrong-" + secrets.token_hex(8)
    plan = plan_of(idp_answers(testbed, namespace, idp, clients))
    events, _ = collect(Installer(plan, options(testbed, testbed.helm3, tmp_path, secrets=given(clients, wrong))))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].step == "preflight"
    text = json.dumps(to_json(failed[0]))
    assert "FLYTE_TUI_PROPELLER_CLIENT_SECRET" in text and "invalid_client" in text, text
    assert wrong not in "\n".join(json.dumps(to_json(e)) for e in events)
    nothing_installed(testbed, namespace)


def test_a_wrong_issuer_names_auth_issuer_and_the_idps(testbed, namespace, idp, clients, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    data = idp_answers(testbed, namespace, idp, clients)
    data["auth"]["issuer"] = idp.issuer.replace("127.0.0.1", "localhost")  # the same server, another issuer
    events, _ = collect(Installer(plan_of(data), options(testbed, testbed.helm3, tmp_path, secrets=given(clients))))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].step == "preflight"
    text = json.dumps(to_json(failed[0]))
    assert "auth.issuer:" in text and repr(idp.issuer) in text, text
    nothing_installed(testbed, namespace)


def test_an_untrusted_idp_certificate_says_so(testbed, namespace, idp, clients, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    plan = plan_of(idp_answers(testbed, namespace, idp, clients))
    events, _ = collect(Installer(plan, options(testbed, testbed.helm3, tmp_path, secrets=given(clients))))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].step == "preflight"
    text = json.dumps(to_json(failed[0]))
    assert "auth.issuer:" in text and "SSL_CERT_FILE" in text, text
    assert not [e for e in events if isinstance(e, StepFinished) and e.step == "helm"]
    assert not isinstance(events[-1], InstallFinished) or not events[-1].ok
    assert not [e for e in events if isinstance(e, OutputLine) and "signing keys ok" in e.text]
    nothing_installed(testbed, namespace)
