"""pytest fixtures for the e2e tests on the real Kubernetes test bed (tests/cluster/testbed.py).

* ``testbed`` (session): one control plane per test session. Skips with a one-line reason naming
  ``tests/cluster/build`` when the binaries are missing, but FAILS when ``CI`` is set.
* ``namespace`` (function): a fresh namespace per test, deleted afterwards.
* ``helm_bin`` (function, parametrized ``helm3``/``helm4``): the real helm binary to run.
* ``idp`` (session): a real OIDC / OAuth2 server (ory/hydra, tests/e2e/idp.py), started only when asked for.
* ``clusters`` (session): three independent clusters, one kubeconfig (tests/cluster/multibed.py), started only
  when asked for.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cluster"))

import idp as idp_server
import k8s_helpers as kh
import multibed
import testbed as tb

HELM_IDS = ("helm3", "helm4")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"e2e test bed unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _require_binaries() -> None:
    missing = tb.missing_binaries()
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        _unavailable(f"e2e test bed not built (missing {shown}); run {tb.BUILD_CMD}")


@pytest.fixture(scope="session")
def testbed() -> Iterator[tb.TestBed]:
    _require_binaries()
    try:
        bed = tb.TestBed.start()
    except tb.TestBedError as exc:
        pytest.fail(f"e2e test bed failed to start: {exc}", pytrace=False)
    try:
        tb.run([bed.helm3, "repo", "add", tb.REPO_NAME, bed.repo_url], env=bed.env, timeout=60)
        yield bed
    finally:
        bed.stop(keep_workdir=bool(os.environ.get("FLYTE_TUI_E2E_KEEP")))


@pytest.fixture
def namespace(testbed: tb.TestBed, request: pytest.FixtureRequest) -> Iterator[str]:
    slug = re.sub(r"[^a-z0-9-]+", "-", request.node.name.lower()).strip("-")[:40].strip("-")
    name = f"e2e-{slug}-{secrets.token_hex(3)}"
    testbed.kubectl_run("create", "namespace", name)
    try:
        yield name
    finally:
        kh.remove_namespace(testbed, name)


@pytest.fixture
def flyte_namespace(testbed: tb.TestBed) -> Iterator[str]:
    """Namespace ``flyte``, where the wizard's welcome screen looks for release ``flyte`` (as on a user's
    cluster), fresh for each test: the previous test's one is waited out, this one removed afterwards."""

    def gone() -> bool:
        found = testbed.kubectl_run("get", "namespace", "flyte", "--ignore-not-found", "-o", "name", check=False)
        return found.returncode == 0 and not found.stdout.strip()

    deadline = time.monotonic() + 120
    while not gone():
        if time.monotonic() > deadline:
            pytest.fail("namespace flyte from an earlier test is still terminating after 120s", pytrace=False)
        time.sleep(0.3)
    testbed.kubectl_run("create", "namespace", "flyte")
    try:
        yield "flyte"
    finally:
        kh.remove_namespace(testbed, "flyte")


@pytest.fixture(params=HELM_IDS)
def helm_bin(request: pytest.FixtureRequest) -> Path:
    path = tb.helm_bin_dir() / str(request.param)
    if not os.access(path, os.X_OK):
        _unavailable(f"{request.param} not installed; run tests/cluster/install-helm")
    return path


@pytest.fixture(scope="session")
def idp() -> Iterator[idp_server.Idp]:
    if not idp_server.available():
        why = idp_server.unavailable_reason()  # the build could not make it (a skip in CI too), else: not built
        (pytest.skip if why else _unavailable)(f"hydra (test IdP) not built: {why or 'run ' + tb.BUILD_CMD}")
    try:
        server = idp_server.Idp.start()
    except tb.TestBedError as exc:
        pytest.fail(f"test IdP failed to start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def clusters() -> Iterator[multibed.MultiBed]:
    """Three clusters (contexts ``flyte-tui-e2e-1`` … ``-3``), skipped (failed in CI) as ``testbed`` is."""
    _require_binaries()
    try:
        bed = multibed.MultiBed.start(3)
    except tb.TestBedError as exc:
        pytest.fail(f"multi-cluster test bed failed to start: {exc}", pytrace=False)
    try:
        tb.run([bed.beds[0].helm3, "repo", "add", tb.REPO_NAME, bed.repo_url], env=bed.env, timeout=60)
        yield bed
    finally:
        bed.stop(keep_workdir=bool(os.environ.get("FLYTE_TUI_E2E_KEEP")))
