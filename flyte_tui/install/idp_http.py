"""HTTP to the IdP for the preflight (standard library only): a JSON GET and a client-credentials token request,
each with a timeout, the answer's size bounded, never a redirect for a request that carries the client secret.

The CA: the system store, plus the file ``SSL_CERT_FILE`` names (a private CA such as an in-house Keycloak's).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from flyte_tui.tools import process

TIMEOUT = 10.0
"""Seconds for one request to the IdP."""
MAX_BYTES = 1 << 20
"""The most of an answer read (a discovery document is a few KiB)."""


class IdpUnreachable(Exception):
    """A request to the IdP got no usable answer (no connection, TLS refused, an HTTP error, not JSON)."""

    def __init__(self, url: str, reason: str, status: int | None = None, *, not_reached: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.not_reached = not_reached
        """No connection at all from this machine (name not found, refused, no answer in time): the cluster may
        still reach the IdP (an in-cluster or private one), so this is no reason to stop an install."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def tls_context() -> ssl.SSLContext:
    """The system's CA store, and the one ``SSL_CERT_FILE`` names when it is set (both, not either)."""
    context = ssl.create_default_context()
    system = ssl.get_default_verify_paths().openssl_cafile
    if os.environ.get("SSL_CERT_FILE") and system and os.path.isfile(system):
        context.load_verify_locations(cafile=system)
    return context


@dataclass
class IdpHttp:
    """Requests to the IdP; ``cancel`` is looked at before each one (a request lasts at most ``timeout``)."""

    cancel: threading.Event = field(default_factory=threading.Event)
    timeout: float = TIMEOUT
    context: ssl.SSLContext = field(default_factory=tls_context)

    def get_json(self, url: str) -> dict[str, Any]:
        """The JSON object at ``url`` (IdpUnreachable when there is none)."""
        status, body = self._send(urllib.request.Request(url, headers={"Accept": "application/json"}), follow=True)
        if status != 200:
            raise IdpUnreachable(url, f"HTTP {status}", status)
        if body is None:
            raise IdpUnreachable(url, "the answer is not a JSON object", status)
        return body

    def client_credentials(
        self, url: str, client_id: str, secret: str, form: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """POST a client-credentials token request (client_secret_basic, RFC 6749 §2.3.1): the HTTP status and
        the JSON answer ({} when it is not JSON). The secret is only in the Authorization header."""
        pair = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(secret, safe='')}"
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        data = urllib.parse.urlencode({"grant_type": "client_credentials", **form}).encode()
        status, body = self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"), follow=False)
        return status, body or {}

    def _send(self, request: urllib.request.Request, follow: bool) -> tuple[int, dict[str, Any] | None]:
        if self.cancel.is_set():
            raise process.Cancelled("cancelled before the request to the IdP")
        url = request.full_url
        handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=self.context)]
        if not follow:
            handlers.append(_NoRedirect())
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                return int(answer.status), _json(answer.read(MAX_BYTES))
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, _json(exc.read(MAX_BYTES))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise IdpUnreachable(url, _reason(exc), not_reached=_not_reached(exc)) from None


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _not_reached(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", None) or exc
    return isinstance(reason, (ConnectionError, TimeoutError, socket.gaierror)) and not isinstance(reason, ssl.SSLError)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS: {reason.verify_message or reason} (a private CA: point SSL_CERT_FILE at its certificate)"
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    return str(reason)
