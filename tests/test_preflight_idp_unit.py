"""The IdP preflight's evaluation with plain data: discovery documents, authorization server metadata, tokens
and token errors, each problem naming the answer to change (the real IdP: tests/e2e/test_preflight_idp.py)."""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from flyte_tui.install.idp_http import IdpHttp, IdpUnreachable
from flyte_tui.install.preflight_idp import (
    SECRET_ANSWER,
    Expected,
    discovery_findings,
    expected,
    idp_findings,
    jwt_payload,
    metadata_url,
    scope_findings,
    token_error_findings,
    token_findings,
)
from flyte_tui.tools import process
from tests.test_auth_render import plan_for

ISSUER = "https://idp.example.com/oauth2/default"
GOOD_DOC = {
    "issuer": ISSUER,
    "authorization_endpoint": ISSUER + "/v1/authorize",
    "token_endpoint": ISSUER + "/v1/token",
    "jwks_uri": ISSUER + "/v1/keys",
}
EXP = Expected(
    issuer=ISSUER,
    issuer_answer="auth.issuer",
    metadata_url=ISSUER + "/.well-known/oauth-authorization-server",
    metadata_answer="auth.issuer",
    scopes=("all",),
    cli_scopes=("all", "offline"),
    audience="https://flyte.example.com",
    accepted=("https://flyte.example.com",),
    propeller="0oaprop",
)


def jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def test_a_matching_discovery_document_has_no_finding() -> None:
    assert discovery_findings(ISSUER, GOOD_DOC) == []


def test_another_issuer_names_auth_issuer_and_the_issuer_the_idp_says() -> None:
    found = discovery_findings("https://idp.example.com/oauth2/other", GOOD_DOC)
    assert [f.answer for f in found] == ["auth.issuer"]
    assert repr(ISSUER) in found[0].message and not found[0].warning


def test_a_trailing_slash_counts_and_is_said() -> None:
    found = discovery_findings(ISSUER + "/", GOOD_DOC)
    assert found and "trailing slash" in found[0].message


def test_missing_endpoints_are_named() -> None:
    found = discovery_findings(ISSUER, {"issuer": ISSUER, "authorization_endpoint": "x"})
    assert len(found) == 1 and "token_endpoint, jwks_uri" in found[0].message


def test_unsupported_scopes_name_the_scopes_answer_and_an_empty_list_says_nothing() -> None:
    found = scope_findings(EXP, {"scopes_supported": ["openid", "offline"]})
    assert {f.answer for f in found} == {"auth.external.scopes"}
    assert "['all']" in found[0].message and found[0].warning
    assert scope_findings(EXP, {"scopes_supported": []}) == []
    assert scope_findings(EXP, {}) == []


def test_a_token_with_the_audience_and_all_in_scp_passes() -> None:
    token = jwt({"aud": ["https://flyte.example.com"], "scp": ["all"], "client_id": "0oaprop"})
    assert token_findings(EXP, token) == []


def test_a_wrong_audience_names_auth_external_audience() -> None:
    found = token_findings(EXP, jwt({"aud": "api://other", "scp": ["all"], "client_id": "0oaprop"}))
    assert [f.answer for f in found] == ["auth.external.audience"]
    assert "invalid audience" in found[0].message and "api://other" in found[0].message


def test_no_all_in_scp_names_the_scopes_answer() -> None:
    found = token_findings(EXP, jwt({"aud": ["https://flyte.example.com"], "scp": ["offline"], "client_id": "c"}))
    assert [f.answer for f in found] == ["auth.external.scopes"]
    assert "doesn't have required scope" in found[0].message


def test_all_only_in_the_scope_claim_says_flyteadmin_reads_scp() -> None:
    found = token_findings(EXP, jwt({"aud": "https://flyte.example.com", "scope": "all offline", "client_id": "c"}))
    assert len(found) == 1 and "'scp' alone" in found[0].message


def test_an_scp_string_is_taken_whole_as_flyteadmin_does() -> None:
    found = token_findings(EXP, jwt({"aud": "https://flyte.example.com", "scp": "all offline", "client_id": "c"}))
    assert [f.answer for f in found] == ["auth.external.scopes"]


def test_an_opaque_token_is_a_warning() -> None:
    assert jwt_payload("2YotnFZFEjr1zCsicMWpAA") is None
    found = token_findings(EXP, "2YotnFZFEjr1zCsicMWpAA")
    assert len(found) == 1 and found[0].warning and "opaque" in found[0].message


def test_token_errors_name_the_secret_the_scopes_or_the_audience() -> None:
    refused = token_error_findings(EXP, 401, {"error": "invalid_client", "error_description": "Client auth failed"})
    assert [f.answer for f in refused] == [SECRET_ANSWER] and "FLYTE_TUI_PROPELLER_CLIENT_SECRET" in SECRET_ANSWER
    scope = token_error_findings(EXP, 400, {"error": "invalid_scope"})
    assert [f.answer for f in scope] == ["auth.external.scopes"]
    audience = token_error_findings(EXP, 400, {"error": "invalid_request", "error_description": "audience not allowed"})
    assert [f.answer for f in audience] == ["auth.external.audience"]


def test_the_metadata_url_resolves_as_flyteadmin_does() -> None:
    assert metadata_url(ISSUER, ".well-known/oauth-authorization-server") == (
        ISSUER + "/.well-known/oauth-authorization-server"
    )
    assert metadata_url(ISSUER + "/", "https://other/meta") == "https://other/meta"


def test_expected_follows_the_rendered_values() -> None:
    plan = plan_for("okta-external", external={"issuer": "https://dev-1.okta.com/oauth2/aus1",
                                               "audience": "https://flyte.acme.com"})  # fmt: skip
    exp = expected(plan)
    assert exp.metadata_url == "https://dev-1.okta.com/oauth2/aus1/.well-known/oauth-authorization-server"
    assert exp.metadata_answer == "auth.external.metadataUrl"
    assert exp.audience == "https://flyte.acme.com" and "https://flyte.acme.com" in exp.accepted
    assert exp.scopes == ("all", "offline") and exp.propeller == "0oaprop"
    assert exp.external_issuer == "https://dev-1.okta.com/oauth2/aus1"
    assert expected(plan_for("okta-self")).metadata_url == ""


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.seen.append(self.path)
        self.send_response(302)
        self.send_header("Location", "/elsewhere")
        self.end_headers()

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = b"<html>not json</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_request_never_follows_a_redirect(local_server: str) -> None:
    status, answer = IdpHttp().client_credentials(local_server + "/token", "prop", "s3cret", {"scope": "all"})
    assert status == 302 and answer == {}
    assert _Handler.seen == ["/token"]  # the secret's header went to the token endpoint only


def test_an_answer_that_is_not_json_is_said_and_a_cancel_stops_before_asking(local_server: str) -> None:
    with pytest.raises(IdpUnreachable, match="not a JSON object"):
        IdpHttp().get_json(local_server + "/.well-known/openid-configuration")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(process.Cancelled):
        IdpHttp(cancel=cancel).get_json(local_server + "/x")
    assert _Handler.seen == ["/.well-known/openid-configuration"]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_idp_this_machine_cannot_reach_is_a_warning_not_a_stop() -> None:
    """An in-cluster or private IdP may be out of the laptop's reach while flyteadmin reaches it: say so, go on."""
    issuer = f"https://127.0.0.1:{_closed_port()}/oauth2/default"
    found = list(idp_findings(plan_for("okta-self", issuer=issuer), IdpHttp(timeout=2), None))
    problems = [f for f in found if not isinstance(f, str)]
    assert len(problems) == 1 and problems[0].warning, found
    assert problems[0].answer == "auth.issuer" and "cannot be reached from this machine" in problems[0].message


def test_an_answer_that_is_no_idp_still_stops(local_server: str) -> None:
    """Reached, but not an IdP (no JSON): that is an error naming the answer."""
    found = list(idp_findings(plan_for("okta-self", issuer=local_server + "/oauth2"), IdpHttp(timeout=2), None))
    problems = [f for f in found if not isinstance(f, str)]
    assert len(problems) == 1 and not problems[0].warning and problems[0].answer == "auth.issuer", found
