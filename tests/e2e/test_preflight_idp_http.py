"""A test IdP over plain http on 127.0.0.1 (ory/hydra in --dev mode): accepted for testing only. The answers are
valid with a warning at auth.issuer; preflight says so, then checks the IdP as over https (the discovery
document, the authorization server's metadata, propeller's token) and the install reaches Ready."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

import idp as idp_server
import pytest
import testbed as tb
from test_install import collect, options, plan_of
from test_preflight_idp import PUBLIC, given, idp_answers

from flyte_tui.charts import validate_answers
from flyte_tui.events import InstallFinished, OutputLine, StepFailed, to_json
from flyte_tui.install import Installer

pytestmark = pytest.mark.e2e


@pytest.fixture
def http_idp() -> Iterator[idp_server.Idp]:
    """hydra on http://127.0.0.1 (skipped as the ``idp`` fixture is when hydra is not built)."""
    if not idp_server.available():
        pytest.skip(f"hydra (test IdP) not built: {idp_server.unavailable_reason() or 'run ' + tb.BUILD_CMD}")
    server = idp_server.Idp.start(tls=False)
    try:
        yield server
    finally:
        server.stop()


def test_an_http_loopback_idp_passes_preflight_with_a_testing_only_warning(
    testbed: Any, namespace: str, http_idp: idp_server.Idp, tmp_path: Any
) -> None:
    tag = secrets.token_hex(3)
    clients = {"web": f"flyte-web-{tag}", "propeller": f"flytepropeller-{tag}"}
    clients["oidc_secret"] = http_idp.web_client(clients["web"], [f"{PUBLIC}/callback"])
    clients["propeller_secret"] = http_idp.propeller_client(clients["propeller"], [PUBLIC])
    data = idp_answers(testbed, namespace, http_idp, clients)
    assert http_idp.issuer.startswith("http://127.0.0.1:")
    validation = validate_answers(data)
    assert validation.ok, [str(p) for p in validation.errors]
    assert [str(p) for p in validation.warnings if p.path == "auth.issuer"] == [
        f"auth.issuer: '{http_idp.issuer}' is plain http on a loopback address: accepted for testing only"
    ]
    events, _ = collect(Installer(plan_of(data), options(testbed, testbed.helm4, tmp_path, secrets=given(clients))))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    lines = [e for e in events if isinstance(e, OutputLine) and e.step == "preflight"]
    warned = [e.text for e in lines if "testing only" in e.text]
    assert warned == [
        f"warning: auth.issuer: '{http_idp.issuer}' is plain http on a loopback address: accepted for testing only"
    ], [e.text for e in lines]
    said = [e.text for e in lines]
    assert f"IdP {http_idp.issuer}: discovery document and signing keys ok" in said, said
    assert any("aud and scp as flyteadmin wants" in line for line in said), said
    stream = "\n".join(json.dumps(to_json(e)) for e in events)
    assert clients["propeller_secret"] not in stream and clients["oidc_secret"] not in stream
