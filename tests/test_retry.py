"""The transient-error classifier on what kubectl and helm really print (captured on the test bed with its API
server stopped, paused, or its etcd stopped), and the bounded retry."""

from __future__ import annotations

import threading

import pytest

from flyte_tui.tools import process, retry

# captured from the test bed (tests/cluster/testbed.py: stop_apiserver, pause_component, stop_component("etcd"))
TRANSIENT = [
    # kube-apiserver stopped (SIGKILL): nothing listens on its port
    "The connection to the server 127.0.0.1:46805 was refused - did you specify the right host or port?",
    'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:46805/version": dial tcp 127.0.0.1:46805: '
    "connect: connection refused",
    # kube-apiserver paused (SIGSTOP): connections hang
    "Unable to connect to the server: context deadline exceeded",
    'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:40759/version": net/http: TLS handshake timeout',
    # etcd stopped: the API server accepts the request and never answers it
    "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
    # 5xx answers of a struggling API server (kubectl's wording of a Status with that reason)
    "Error from server (ServiceUnavailable): the server is currently unable to handle the request",
    'Error from server (InternalError): an error on the server ("") has prevented the request from succeeding',
    "Error from server (Timeout): the server was unable to return a response in the time allotted, but may still "
    "be processing the request (get deployments.apps)",
    "Error from server: etcdserver: request timed out",
]
ANSWERS = [
    # the server understood and said no: trying again cannot help
    'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:e2e:viewer" cannot watch '
    'resource "pods" in API group "" in the namespace "flyte"',
    'Error from server (NotFound): deployments.apps "nope" not found',
    "Error: release: not found",
    "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
    'Error from server (AlreadyExists): namespaces "flyte" already exists',
    "error: unknown flag: --bogus",
]


@pytest.mark.parametrize("text", TRANSIENT)
def test_transient_errors_are_recognised(text: str) -> None:
    assert retry.is_transient(text)


@pytest.mark.parametrize("text", ANSWERS)
def test_answers_are_never_retried(text: str) -> None:
    assert not retry.is_transient(text)
    assert not retry.is_unreachable(text)


def test_unreachable_is_only_the_connection_failures() -> None:
    assert all(retry.is_unreachable(t) for t in TRANSIENT[:5])
    assert not retry.is_unreachable(TRANSIENT[5])


def _script(*results: tuple[int, str]) -> tuple[list[int], object]:
    calls: list[int] = []

    def call() -> process.Completed:
        code, err = results[min(len(calls), len(results) - 1)]
        calls.append(code)
        return process.Completed(("kubectl",), code, "", err)

    return calls, call


def test_a_transient_failure_is_tried_again_until_it_works() -> None:
    calls, call = _script((1, TRANSIENT[0]), (1, TRANSIENT[0]), (0, ""))
    waits: list[float] = []
    done = retry.retrying(call, retry.READS, sleep=waits.append)  # type: ignore[arg-type]
    assert done.ok and calls == [1, 1, 0]
    assert waits == [0.5, 1.0]


def test_retries_are_bounded_and_the_last_failure_is_returned() -> None:
    calls, call = _script((1, TRANSIENT[1]))
    waits: list[float] = []
    done = retry.retrying(call, retry.READS, sleep=waits.append)  # type: ignore[arg-type]
    assert not done.ok and done.stderr == TRANSIENT[1]
    assert len(calls) == retry.READS.attempts == 5
    assert waits == [0.5, 1.0, 2.0, 4.0]


def test_an_answer_is_not_tried_again() -> None:
    calls, call = _script((1, ANSWERS[0]))
    assert not retry.retrying(call, retry.READS, sleep=lambda _s: None).ok  # type: ignore[arg-type]
    assert calls == [1]


def test_cancel_ends_the_wait() -> None:
    cancel = threading.Event()
    cancel.set()
    _calls, call = _script((1, TRANSIENT[0]))
    with pytest.raises(process.Cancelled):
        retry.retrying(call, retry.READS, cancel)  # type: ignore[arg-type]
