"""The data-plane links' pieces without a cluster: the access review asked and how its answer is read, the
manifests (cluster-credentials' keys, the token Secret), the credentials read back and what a refusal names, and
that a token read joins the run's masked secrets."""

from __future__ import annotations

import base64
import json
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.install import cluster_links as cl
from flyte_tui.install.kube_http import (
    FLYTEADMIN_NEEDS,
    Credentials,
    KubeHttp,
    Review,
    access_review,
    read_review,
    resource_name,
)
from flyte_tui.install.secrets import SecretValues

TOKEN = "eyJhbGciOiJSUzI1NiJ9.canary-token"
CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_the_access_review_asks_cluster_wide_for_what_flyteadmin_creates() -> None:
    assert [access_review(*need) for need in FLYTEADMIN_NEEDS] == [
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {"verb": "create", "group": "flyte.lyft.com", "resource": "flyteworkflows"}},
        },
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {"verb": "create", "group": "", "resource": "namespaces"}},
        },
    ]
    assert [resource_name(g, r) for _, g, r in FLYTEADMIN_NEEDS] == ["flyteworkflows.flyte.lyft.com", "namespaces"]


def test_the_service_account_review_names_flyteadmin_and_its_groups() -> None:
    review = json.loads(cl.subject_access_review("flyte", "create", "", "namespaces"))
    assert review["kind"] == "SubjectAccessReview"
    assert review["spec"]["user"] == "system:serviceaccount:flyte:flyteadmin"
    assert "system:serviceaccounts:flyte" in review["spec"]["groups"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"allowed": True}, Review(True)),
        ({"allowed": True, "reason": "RBAC: allowed"}, Review(True, "RBAC: allowed")),
        ({"allowed": False}, Review(False)),
        ({"allowed": False, "reason": "no RBAC policy matched"}, Review(False, "no RBAC policy matched")),
        ({"allowed": True, "denied": True}, Review(False)),  # a denying authorizer wins
    ],
)  # fmt: skip
def test_the_answer_of_an_access_review_is_read(status: dict[str, Any], expected: Review) -> None:
    answer = {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1", "status": status}
    assert read_review(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        {"kind": "Status", "status": "Failure", "message": "forbidden"},  # an error, not a review
        {"kind": "SelfSubjectAccessReview"},  # no status
        {"kind": "SelfSubjectAccessReview", "status": {"allowed": "yes"}},  # not a bool
        {"kind": "SelfSubjectAccessReview", "status": {}},
    ],
)
def test_what_is_not_a_review_answer_is_refused(answer: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        read_review(answer)


def test_the_credentials_secret_holds_exactly_the_keys_given_as_base64_data() -> None:
    data = {"east_token": b64(TOKEN), "east_cacert": b64(CA), "west_token": b64("t2"), "west_cacert": b64(CA)}
    manifest = json.loads(cl.credentials_manifest("flyte", data))
    assert manifest["metadata"]["name"] == "cluster-credentials" and manifest["metadata"]["namespace"] == "flyte"
    assert manifest["type"] == "Opaque"
    assert manifest["data"] == data and "stringData" not in manifest  # base64 as read: stringData would encode twice
    assert manifest["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "flyte-tui"}


def test_the_token_secret_is_a_service_account_token_of_flyteadmin() -> None:
    (secret,) = json.loads(cl.token_secret_manifest("flyte"))["items"]
    assert secret["type"] == "kubernetes.io/service-account-token"
    assert secret["metadata"]["annotations"] == {"kubernetes.io/service-account.name": "flyteadmin"}
    assert secret["metadata"]["namespace"] == "flyte"


def test_the_rbac_made_is_flyte_cores_flyteadmin_rules_bound_to_its_service_account() -> None:
    role, binding = json.loads(cl.rbac_manifest("flyte"))["items"]
    assert role["rules"] == [cl.ADMIN_RULES] and "flyteworkflows" in role["rules"][0]["resources"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "flyteadmin", "namespace": "flyte"}]
    assert binding["roleRef"]["name"] == role["metadata"]["name"]


def test_credentials_are_read_back_as_flyteadmin_reads_the_files() -> None:
    data = {"east_token": b64(TOKEN), "east_cacert": b64(CA)}
    creds = cl.credentials_of("east", "https://10.0.0.2:6443", data)
    assert creds == Credentials("https://10.0.0.2:6443", TOKEN, CA)
    assert TOKEN not in repr(creds)


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"east_cacert": b64(CA)}, "east_token", "has no key east_token"),
        ({"east_token": b64(TOKEN)}, "east_cacert", "has no key east_cacert"),
        ({"east_token": "not base64!", "east_cacert": b64(CA)}, "east_token", "no base64 text in key east_token"),
    ],
)
def test_a_missing_or_broken_key_is_named(data: dict[str, str], key: str, words: str) -> None:
    problem = cl.credentials_of("east", "https://10.0.0.2:6443", data)
    assert isinstance(problem, cl.LinkProblem)
    assert problem.key == key and words in problem.summary and "data plane east" in problem.summary
    assert "flyte-tui upgrade" in problem.fix


class Answering(KubeHttp):
    """An API server whose reviews answer ``allowed`` for every permission but ``denied`` (the real refusals are
    tests/e2e/test_cluster_links.py's)."""

    def __init__(self, denied: str = "") -> None:
        super().__init__()
        self.denied = denied

    def review(self, creds: Credentials, verb: str, group: str, resource: str) -> Review:
        return Review(resource != self.denied, "no RBAC policy matched" if resource == self.denied else "")


DATA = {"west_token": b64(TOKEN), "west_cacert": b64(CA)}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_api_server_that_does_not_answer_names_the_endpoint() -> None:
    bundle = Path(ssl.get_default_verify_paths().cafile or "/nonexistent")
    if not bundle.is_file():
        pytest.skip("no system CA bundle: a real PEM CA is needed to get as far as connecting")
    data = {"west_token": b64(TOKEN), "west_cacert": b64(bundle.read_text())}
    endpoint = f"https://127.0.0.1:{_closed_port()}"
    problem = cl.link_problem(KubeHttp(timeout=5), "west", endpoint, data)
    assert problem is not None and problem.key == "endpoint", problem
    assert f"data plane west: the API server at {endpoint} did not answer" in problem.summary
    assert "west_token / west_cacert not tried" in problem.summary and "endpoint" in problem.fix


def test_a_ca_that_is_no_certificate_names_the_cacert_key() -> None:
    problem = cl.link_problem(KubeHttp(timeout=5), "west", f"https://127.0.0.1:{_closed_port()}", DATA)
    assert problem is not None and problem.key == "west_cacert"
    assert "data plane west: the CA in Secret cluster-credentials key west_cacert" in problem.summary
    assert "not a PEM certificate" in problem.summary and "flyte-tui upgrade" in problem.fix


def test_a_token_without_the_rights_is_named_with_what_it_may_not_do() -> None:
    problem = cl.link_problem(Answering(denied="flyteworkflows"), "west", "https://10.0.0.3:6443", DATA)
    assert problem is not None and problem.key == "west_token"
    assert "may not create flyteworkflows.flyte.lyft.com" in problem.summary and "no RBAC policy" in problem.summary
    assert cl.link_problem(Answering(), "west", "https://10.0.0.3:6443", DATA) is None


def test_the_tokens_join_the_masked_secrets_and_stay_out_of_repr() -> None:
    secrets = SecretValues(db_password="pw", cluster_tokens=(TOKEN, b64(TOKEN)))
    assert secrets.all() == ["pw", TOKEN, b64(TOKEN)]
    assert TOKEN not in repr(secrets)
