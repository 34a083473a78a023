"""A context's cluster reachable or not, by the real kubectl against a kubeconfig of the test's own (nothing
listens at its server): the reason is kubectl's, the server is the kubeconfig's, and nothing raises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flyte_tui.tools.reach import reach

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: east
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: east
  context: {cluster: east, user: u}
users:
- name: u
  user: {token: reach-canary-token-5d1e}
current-context: east
"""


@pytest.fixture(autouse=True)
def kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kubeconfig"
    path.write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(path))


def test_a_server_that_refuses_is_not_reachable_and_says_why() -> None:
    assert KUBECTL is not None
    found = reach(KUBECTL, "east", timeout=5)
    assert not found.reachable and found.server == "https://127.0.0.1:1"
    assert "refused" in found.error
    assert found.line().startswith("✗ east is not reachable (https://127.0.0.1:1): ")
    assert "reach-canary-token" not in found.line()


def test_a_context_the_kubeconfig_does_not_have() -> None:
    assert KUBECTL is not None
    found = reach(KUBECTL, "west", timeout=5)
    assert not found.reachable and found.server == ""
    assert "west" in found.error and "does not exist" in found.error


def test_a_kubectl_that_cannot_run(tmp_path: Path) -> None:
    found = reach(str(tmp_path / "no-kubectl"), "east", timeout=5)
    assert not found.reachable and found.error
