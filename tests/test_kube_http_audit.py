"""A data plane's token against API servers that misbehave, over real sockets (a TLS server with a certificate made
by openssl, a plain TCP listener): whatever the server answers, or whatever the Secret holds, the check ends in a
:class:`~flyte_tui.install.cluster_links.LinkProblem` naming the data plane and the key, the token is never in its
words, and it is never sent over plain http nor after a redirect."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from flyte_tui.install import cluster_links as cl
from flyte_tui.install.kube_http import KubeHttp

TOKEN = "eyJhbGciOiJSUzI1NiJ9.audit-canary-token"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class _Server(http.server.BaseHTTPRequestHandler):
    """``/echo``: a 500 whose message quotes the request's Authorization header; ``/moved``: a redirect to
    ``/elsewhere``; ``/garbage``: bytes that are not HTTP. Every request's headers are kept in ``seen``."""

    seen: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        return

    def _answer(self) -> None:
        type(self).seen.append(f"{self.path} {self.headers.get('Authorization', '')}")
        if self.path.startswith("/garbage"):
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
            return
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/elsewhere" + self.path)
            self.end_headers()
            return
        body = json.dumps({"kind": "Status", "message": f"bad header {self.headers.get('Authorization')}"}).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(https URL, its certificate as PEM) of a TLS server on 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"), "-out",
         str(folder / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", (folder / "cert.pem").read_text()
    finally:
        server.shutdown()
        server.server_close()


def _data(token: str, ca: str) -> dict[str, str]:
    return {"west_token": b64(token), "west_cacert": b64(ca)}


def test_a_server_that_echoes_the_header_back_never_puts_the_token_in_the_message(
    tls_server: tuple[str, str],
) -> None:
    url, ca = tls_server
    problem = cl.link_problem(KubeHttp(timeout=5), "west", f"{url}/echo", _data(TOKEN, ca))
    assert problem is not None and problem.key == "endpoint", problem
    assert "data plane west" in problem.summary and "HTTP 500" in problem.summary, problem.summary
    assert any(TOKEN in seen for seen in _Server.seen)  # the server did get it, and said it back
    assert TOKEN not in problem.summary + problem.fix


def test_a_redirect_is_said_and_not_followed(tls_server: tuple[str, str]) -> None:
    url, ca = tls_server
    problem = cl.link_problem(KubeHttp(timeout=5), "west", f"{url}/moved", _data(TOKEN, ca))
    assert problem is not None and problem.key == "endpoint", problem
    assert "HTTP 302" in problem.summary and "redirect, not followed" in problem.summary, problem.summary
    assert not any(seen.startswith("/elsewhere") for seen in _Server.seen)


def test_an_endpoint_that_does_not_speak_http_is_a_problem_not_a_crash(tls_server: tuple[str, str]) -> None:
    url, ca = tls_server
    problem = cl.link_problem(KubeHttp(timeout=5), "west", f"{url}/garbage", _data(TOKEN, ca))
    assert problem is not None and problem.key == "endpoint", problem
    assert "not HTTP" in problem.summary, problem.summary


@pytest.mark.parametrize("tail", ["/a b", ":port"])
def test_an_endpoint_that_is_no_url_to_ask_is_a_problem_not_a_crash(tls_server: tuple[str, str], tail: str) -> None:
    url, ca = tls_server
    endpoint = f"{url}{tail}" if tail.startswith("/") else f"https://127.0.0.1{tail}"
    problem = cl.link_problem(KubeHttp(timeout=5), "west", endpoint, _data(TOKEN, ca))
    assert problem is not None and problem.key == "endpoint", problem
    assert "cannot be asked" in problem.summary, problem.summary


def test_a_token_with_a_line_break_is_named_and_never_quoted(tls_server: tuple[str, str]) -> None:
    url, ca = tls_server
    problem = cl.link_problem(KubeHttp(timeout=5), "west", f"{url}/echo", _data(TOKEN + "\n", ca))
    assert problem is not None and problem.key == "west_token", problem
    assert "line break" in problem.summary and "west_token" in problem.summary, problem.summary
    assert TOKEN not in problem.summary


def test_the_token_is_never_sent_over_plain_http(tls_server: tuple[str, str]) -> None:
    _, ca = tls_server  # a CA that parses: only the scheme stands between the token and the wire
    received: list[bytes] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(3)

        def accept() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    received.append(conn.recv(65536))

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
        problem = cl.link_problem(KubeHttp(timeout=2), "west", endpoint, _data(TOKEN, ca))
        thread.join(timeout=5)
    assert problem is not None and problem.key == "endpoint", problem
    assert "https" in problem.summary, problem.summary
    assert not any(TOKEN.encode() in data for data in received), received
