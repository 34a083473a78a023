"""A real OpenID Connect / OAuth2 server for the e2e tests: ory/hydra v2.3.0 (built by tests/cluster/build into the
test bed's bin dir), on 127.0.0.1 with TLS from a CA made here, in-memory storage, JWT access tokens (``aud`` and
``scp`` claims, as flyteadmin reads them), and clients created by the test through hydra's admin API.

Started only when a test asks for the ``idp`` fixture (tests/e2e/conftest.py). ``Idp.ca_file`` is the CA to trust
(e.g. as ``SSL_CERT_FILE``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import testbed as tb

HYDRA_VERSION = "v2.3.0"
"""Keep in sync with tests/cluster/build and tests/cluster/go/hydra/go.mod."""


def hydra_bin() -> Path:
    """Where tests/cluster/build puts hydra."""
    return tb.bin_dir() / "hydra"


def available() -> bool:
    """Whether hydra was built."""
    return os.access(hydra_bin(), os.X_OK)


def unavailable_reason() -> str:
    """Why tests/cluster/build could not build hydra ("" when it did not say: it was not run)."""
    marker = tb.bin_dir() / "hydra.unavailable"
    return marker.read_text(errors="replace").strip().splitlines()[0] if marker.is_file() else ""


@dataclass
class Idp:
    """A running hydra: ``issuer`` (https://127.0.0.1:<port>, the discovery document's ``issuer``), ``ca_file``,
    ``admin_url``. :meth:`start` / :meth:`stop`."""

    workdir: Path
    issuer: str = ""
    admin_url: str = ""
    ca_file: Path = field(default_factory=Path)
    proc: subprocess.Popen[bytes] | None = None

    tls: bool = True
    """False: plain http on 127.0.0.1 (hydra's --dev mode), the loopback IdP flyte-tui accepts for testing only."""

    @classmethod
    def start(cls, timeout: float = 60, tls: bool = True) -> Idp:
        """Make the CA and the serving certificate (with ``tls``), start hydra, wait until it is ready."""
        idp = cls(Path(tempfile.mkdtemp(prefix="flyte-tui-idp-")), tls=tls)
        try:
            idp._start(timeout)
        except BaseException:
            idp.stop()
            raise
        return idp

    def _pki(self) -> None:
        """A CA and a serving certificate for 127.0.0.1 and localhost (as the test bed makes the API server's)."""
        self.ca_file = tb.make_ca(self.workdir, "flyte-tui-e2e-idp-ca")
        tb.issue_cert(self.workdir, "tls", "/CN=localhost", "serverAuth", "DNS:localhost,IP:127.0.0.1")

    def _start(self, timeout: float) -> None:
        if self.tls:
            self._pki()
        public, admin = tb.free_port(), tb.free_port()
        scheme = "https" if self.tls else "http"
        self.issuer = f"{scheme}://127.0.0.1:{public}"
        self.admin_url = f"{scheme}://127.0.0.1:{admin}"
        config = {
            "dsn": "memory",
            "serve": {
                "public": {"host": "127.0.0.1", "port": public},
                "admin": {"host": "127.0.0.1", "port": admin},
                "tls": {
                    "enabled": self.tls,
                    "cert": {"path": str(self.workdir / "tls.crt")},
                    "key": {"path": str(self.workdir / "tls.key")},
                },
            },
            "urls": {
                "self": {"issuer": self.issuer},
                "login": f"{self.issuer}/login",
                "consent": f"{self.issuer}/consent",
            },
            "strategies": {"access_token": "jwt"},
            "webfinger": {"oidc_discovery": {"supported_scope": ["all"]}},
            "secrets": {"system": [secrets.token_hex(32)]},
            "log": {"level": "warn", "leak_sensitive_values": False},
        }
        (self.workdir / "hydra.yaml").write_text(json.dumps(config))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DSN", "SERVE_", "URLS_", "SECRETS_"))}
        env["SQA_OPT_OUT"] = "true"  # no usage statistics sent anywhere
        with open(self.workdir / "hydra.log", "ab") as log:
            self.proc = subprocess.Popen(
                [str(hydra_bin()), "serve", "all", "--config", str(self.workdir / "hydra.yaml"), "--sqa-opt-out",
                 *(() if self.tls else ("--dev",))],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise tb.TestBedError(f"hydra exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self._request(f"{self.admin_url}/health/ready")[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise tb.TestBedError(f"hydra not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        """The last lines hydra printed."""
        path = self.workdir / "hydra.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def _request(self, url: str, body: Any = None, method: str = "GET") -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=str(self.ca_file)) if self.tls else None
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode(errors="replace")

    def create_client(self, client: dict[str, Any]) -> dict[str, Any]:
        """POST /admin/clients (hydra's admin API); the client as hydra stored it."""
        status, answer = self._request(f"{self.admin_url}/admin/clients", client, "POST")
        if status != 201:
            raise tb.TestBedError(f"hydra refused the client ({status}): {answer}")
        return dict(answer)

    def delete_client(self, client_id: str) -> None:
        """DELETE /admin/clients/<id>."""
        self._request(f"{self.admin_url}/admin/clients/{client_id}", method="DELETE")

    def propeller_client(self, client_id: str, audience: list[str], scope: str = "all offline") -> str:
        """A client_credentials client (as propeller's at an External authorization server); returns its secret."""
        secret = secrets.token_urlsafe(24)
        self.create_client({
            "client_id": client_id, "client_secret": secret, "grant_types": ["client_credentials"],
            "response_types": ["token"], "scope": scope, "audience": audience,
            "token_endpoint_auth_method": "client_secret_basic",
        })  # fmt: skip
        return secret

    def web_client(self, client_id: str, redirect_uris: list[str]) -> str:
        """An authorization_code client (flyteadmin's web login); returns its secret."""
        secret = secrets.token_urlsafe(24)
        self.create_client({
            "client_id": client_id, "client_secret": secret, "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"], "scope": "openid profile offline_access", "redirect_uris": redirect_uris,
            "token_endpoint_auth_method": "client_secret_basic",
        })  # fmt: skip
        return secret

    def stop(self) -> None:
        """Stop hydra (only the process started here) and remove its folder."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.workdir, ignore_errors=True)
