"""Auth on flyte-binary with real helm (3 and 4): `helm template` of the flyte-binary-shaped fixture chart (and
of flyteorg/flyte's charts/flyte-binary v1.16.8 when FLYTE_TUI_REAL_CHART_BINARY names it) turns the rendered
values into the config flyteadmin reads: auth on, the public URL first in authorizedUris, the OIDC client, the
propeller hash in the config Secret (Self) or the External authorization server, and the client secrets mounted
from the Secrets flyte-tui creates. The chart makes no Secret of its own from a client secret, and none is in
the values."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.model.auth import propeller_secret_and_hash
from tests.conftest import helm_binaries
from tests.test_flyte_binary_choice import binary
from tests.test_helm_template import objects, template
from tests.test_helm_template_binary import CHARTS, FULLNAME, config

pytestmark = [pytest.mark.parametrize("helm", helm_binaries()), pytest.mark.parametrize("chart", CHARTS)]

SECRET, HASH = propeller_secret_and_hash()
ISSUER = "https://dev-1.okta.com/oauth2/default"


def auth_answers(**auth: Any) -> dict[str, Any]:
    answers = binary("eks")  # host flyte.acme.com, TLS on
    answers["auth"] = {"enabled": True, "idp": "okta", "issuer": ISSUER, "clients": {"web": "0oaweb"}, **auth}
    return answers


def mounted_secrets(docs: list[dict[str, Any]]) -> set[str]:
    """The Secrets the Deployment projects at /etc/secrets."""
    spec = objects(docs, "Deployment")[FULLNAME]["spec"]["template"]["spec"]
    mounts = {m["name"] for m in spec["containers"][0]["volumeMounts"] if m["mountPath"] == "/etc/secrets"}
    sources = next(v for v in spec["volumes"] if v["name"] in mounts)["projected"]["sources"]
    return {s["secret"]["name"] for s in sources if "secret" in s}


def test_self_auth_renders_the_config_flyteadmin_reads(helm: Path, chart: Path, tmp_path: Path) -> None:
    answers = auth_answers(clients={"web": "0oaweb", "propellerHash": HASH})
    code, err, docs = template(helm, chart, answers, tmp_path)
    assert code == 0, err
    auth = config(docs)["004-auth.yaml"]
    assert auth["server"]["security"]["useAuth"] is True
    uris = auth["auth"]["authorizedUris"]
    assert uris[0] == "https://flyte.acme.com" and f"http://{FULLNAME}.flyte.svc.cluster.local:8088" in uris
    assert auth["auth"]["userAuth"]["openId"]["baseUrl"] == ISSUER
    assert auth["auth"]["userAuth"]["openId"]["clientId"] == "0oaweb"
    static = auth["auth"]["appAuth"]["selfAuthServer"]["staticClients"]
    assert set(static) == {"flytepropeller", "flytectl", "flyte-cli"}
    assert auth["auth"]["appAuth"]["thirdPartyConfig"]["flyteClient"]["clientId"] == "flytectl"
    assert config(docs)["000-core.yaml"]["admin"]["clientId"] == "flytepropeller"
    hashed = objects(docs, "Secret")[f"{FULLNAME}-config-secret"]["stringData"]["014-auth-secrets.yaml"]
    clients = YAML(typ="safe").load(hashed)["auth"]["appAuth"]["selfAuthServer"]["staticClients"]
    assert clients["flytepropeller"]["client_secret"] == HASH
    # the client secrets come from the Secrets flyte-tui creates: the chart makes none from values
    assert mounted_secrets(docs) == {f"{FULLNAME}-admin-auth", f"{FULLNAME}-propeller-auth"}
    assert f"{FULLNAME}-client-secrets" not in objects(docs, "Secret")
    assert SECRET not in (tmp_path / "values.yaml").read_text()


def test_external_auth_goes_through_the_inline_config(helm: Path, chart: Path, tmp_path: Path) -> None:
    answers = auth_answers(
        authorizationServer="External",
        external={"issuer": "https://dev-1.okta.com/oauth2/aus1", "propellerScopes": ["all"]},
        clients={"web": "0oaweb", "cli": "0oanative", "propeller": "0oaprop"},
    )
    code, err, docs = template(helm, chart, answers, tmp_path)
    assert code == 0, err
    files = config(docs)
    assert "selfAuthServer" not in files["004-auth.yaml"]["auth"]["appAuth"]  # enableAuthServer: false
    app = files["100-inline-config.yaml"]["auth"]["appAuth"]
    assert app["authServerType"] == "External"
    assert app["externalAuthServer"]["baseUrl"] == "https://dev-1.okta.com/oauth2/aus1"
    assert app["externalAuthServer"]["allowedAudience"][0] == "https://flyte.acme.com"
    assert files["004-auth.yaml"]["auth"]["appAuth"]["thirdPartyConfig"]["flyteClient"]["audience"] == (
        "https://flyte.acme.com"
    )
    assert files["000-core.yaml"]["admin"]["clientId"] == "0oaprop"
    assert files["100-inline-config.yaml"]["admin"]["scopes"] == ["all"]
    secret_files = objects(docs, "Secret")[f"{FULLNAME}-config-secret"].get("stringData") or {}
    assert "014-auth-secrets.yaml" not in secret_files


def test_auth_off_again_removes_every_auth_key(helm: Path, chart: Path, tmp_path: Path) -> None:
    on = auth_answers(clients={"web": "0oaweb", "propellerHash": HASH})
    assert template(helm, chart, on, tmp_path)[0] == 0
    off = copy.deepcopy(on)
    off["auth"]["enabled"] = False
    code, err, docs = template(helm, chart, off, tmp_path)  # merged into the same values file
    assert code == 0, err
    assert "004-auth.yaml" not in config(docs)
    assert "auth" not in YAML(typ="safe").load((tmp_path / "values.yaml").read_text())["configuration"]
