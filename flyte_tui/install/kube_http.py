"""HTTPS to a data plane's API server exactly as flyteadmin reaches it: the endpoint from the answers, a bearer
token and the cluster's CA as PEM text (never a file, never an argument), standard library only.

One question is asked: may this token create what flyteadmin creates there (FlyteWorkflows and project
namespaces)? A SelfSubjectAccessReview per permission answers it; the first request also proves the API server
answers and that the CA verifies its certificate. Each request is bounded (:data:`TIMEOUT`), the cancel flag
is looked at before each one, and no redirect is followed (the token would go with it). The token goes only
over https, and never into a message: what the server answers is quoted with the token masked, and a token
that cannot be sent as a header (a line break, as ``echo`` leaves one) is named, never quoted.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flyte_tui.redact import mask_values, redact_text
from flyte_tui.tools import process

TIMEOUT = 10.0
"""Seconds for one request to a data plane's API server."""
MAX_BYTES = 1 << 20
"""The most of an answer read (an access review is a few hundred bytes)."""
REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
NAMESPACES_PATH = "/api/v1/namespaces"
MAX_NAMESPACES_BYTES = 16 << 20
"""A namespace list may be long (thousands of project namespaces)."""

FLYTEADMIN_NEEDS = (("create", "flyte.lyft.com", "flyteworkflows"), ("create", "", "namespaces"))
"""(verb, API group, resource): what flyteadmin does on a data plane (an execution is a FlyteWorkflow in a
project namespace the cluster-resource sync creates)."""


def resource_name(group: str, resource: str) -> str:
    """``flyteworkflows.flyte.lyft.com``, ``namespaces``: a resource as kubectl names it."""
    return f"{resource}.{group}" if group else resource


def access_review(verb: str, group: str, resource: str) -> dict[str, Any]:
    """The SelfSubjectAccessReview asking whether the caller may ``verb`` ``resource`` of ``group`` in every
    namespace (no namespace: cluster-wide, as flyteadmin's ClusterRole grants it)."""
    attributes = {"verb": verb, "group": group, "resource": resource}
    return {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": attributes},
    }


@dataclass(frozen=True)
class Review:
    """What an access review answered: allowed or not, with the authorizer's reason ("" when it gives none)."""

    allowed: bool
    reason: str = ""


def read_review(answer: Mapping[str, Any]) -> Review:
    """The answer of an access review (``status.allowed``, ``status.reason``); ValueError when ``answer`` is not
    one (no status, or an ``allowed`` that is not true or false)."""
    status = answer.get("status")
    if answer.get("kind") not in (None, "SelfSubjectAccessReview", "SubjectAccessReview") or not isinstance(
        status, dict
    ):
        raise ValueError(f"not an access review's answer (kind {answer.get('kind')!r}, no status)")
    allowed = status.get("allowed")
    if not isinstance(allowed, bool):
        raise ValueError(f"the access review's status.allowed is {allowed!r}, not true or false")
    return Review(allowed and not status.get("denied"), str(status.get("reason") or ""))


@dataclass(frozen=True)
class Credentials:
    """How flyteadmin reaches one data plane: its API server, the token sent raw as the bearer token, the CA
    (PEM) that must verify the server's certificate."""

    endpoint: str
    token: str = field(repr=False)
    ca: str = field(repr=False)


class LinkRefused(Exception):
    """A data plane's API server could not be asked, or refused the credentials.

    ``part`` says what is at fault: ``endpoint`` (no answer), ``cacert`` (TLS not verified with the CA),
    ``token`` (401: revoked, expired or another cluster's), or ``answer`` (not a Kubernetes answer)."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(reason)
        self.part = part
        self.reason = reason


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class KubeHttp:
    """Requests to data planes' API servers; ``cancel`` is looked at before each one."""

    cancel: threading.Event = field(default_factory=threading.Event)
    timeout: float = TIMEOUT

    def review(self, creds: Credentials, verb: str, group: str, resource: str) -> Review:
        """Whether ``creds``' token may ``verb`` ``resource`` (a SelfSubjectAccessReview at ``creds.endpoint``);
        :class:`LinkRefused` when the server cannot be asked or refuses the token."""
        body = self._post(creds, REVIEW_PATH, access_review(verb, group, resource))
        try:
            return read_review(body)
        except ValueError as exc:
            raise LinkRefused("answer", mask_values(str(exc), [creds.token])) from None

    def namespaces(self, creds: Credentials) -> list[str]:
        """The names of the namespaces at ``creds.endpoint``, listed with the token (:class:`LinkRefused` when
        the server cannot be asked, refuses the token, or forbids the list)."""
        items = self._send(creds, NAMESPACES_PATH, None, MAX_NAMESPACES_BYTES).get("items")
        if not isinstance(items, list):
            raise LinkRefused("answer", "the namespace list has no items")
        return [str((i.get("metadata") or {}).get("name") or "") for i in items if isinstance(i, dict)]

    def _post(self, creds: Credentials, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._send(creds, path, json.dumps(body).encode())

    def _send(self, creds: Credentials, path: str, data: bytes | None, limit: int = MAX_BYTES) -> dict[str, Any]:
        if self.cancel.is_set():
            raise process.Cancelled("cancelled before the request to the data plane")
        if urlsplit(creds.endpoint).scheme.lower() != "https":
            raise LinkRefused("endpoint", "not an https URL: the token is sent to an API server over TLS only")
        if not _header_safe(creds.token):
            raise LinkRefused("token", _UNSENDABLE)
        url = creds.endpoint.rstrip("/") + path
        try:
            context = ssl.create_default_context(cadata=creds.ca)
        except (ssl.SSLError, ValueError) as exc:
            raise LinkRefused("cacert", f"the CA is not a PEM certificate ({exc})") from None
        headers = {"Authorization": f"Bearer {creds.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect())
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                return _json_object(answer.read(limit))
        except urllib.error.HTTPError as exc:
            with exc:
                raise _refused(exc.code, _json_object(_body(exc), strict=False), creds.token) from None
        except (urllib.error.URLError, OSError) as exc:
            raise _unreached(exc) from None
        except (http.client.HTTPException, ValueError, OverflowError) as exc:  # not HTTP, a cut answer, a bad URL
            raise LinkRefused("endpoint", _not_http(exc)) from None  # the URL's words: the token is a checked header


_UNSENDABLE = (
    "the token holds a line break (as `echo` leaves one at the end) or another character that is not printable "
    "ASCII: it cannot be sent as a bearer token, by flyteadmin either (it reads the file as it is)"
)


def _header_safe(token: str) -> bool:
    """Whether ``token`` can be an HTTP header's value as it is: printable ASCII (a JWT is), no line break."""
    return all(" " <= c <= "~" or c == "\t" for c in token)


def _body(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(MAX_BYTES)
    except (OSError, http.client.HTTPException):
        return b""


def _not_http(exc: BaseException) -> str:
    if isinstance(exc, http.client.HTTPException) and not isinstance(exc, http.client.InvalidURL):
        return f"the answer is not HTTP as an API server speaks it ({type(exc).__name__})"
    return f"the endpoint cannot be asked: {exc}"


def _json_object(raw: bytes, strict: bool = True) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or JSON nested past what Python reads
        doc = None
    if isinstance(doc, dict):
        return doc
    if strict:
        raise LinkRefused("answer", "the answer is not a JSON object: is the endpoint a Kubernetes API server?")
    return {}


def _refused(status: int, body: Mapping[str, Any], token: str = "") -> LinkRefused:
    """The refusal of an HTTP error; the server's message is quoted with the token masked (a proxy or a webhook
    may echo the request's header back)."""
    said = " ".join(redact_text(mask_values(str(body.get("message") or ""), [token])).split())[:200]
    if status == 401:
        return LinkRefused("token", "HTTP 401 Unauthorized: the API server does not accept the token")
    if 300 <= status < 400:
        return LinkRefused("endpoint", f"HTTP {status}: a redirect, not followed (the token would go with it)")
    return LinkRefused("answer", f"HTTP {status}{': ' + said if said else ''}")


def _unreached(exc: BaseException) -> LinkRefused:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, ssl.SSLCertVerificationError):
        return LinkRefused("cacert", f"TLS: {reason.verify_message or reason}: the CA does not verify the server")
    if isinstance(reason, ssl.SSLError):
        return LinkRefused("cacert", f"TLS: {reason}")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return LinkRefused("endpoint", "no answer in time")
    return LinkRefused("endpoint", str(reason))
