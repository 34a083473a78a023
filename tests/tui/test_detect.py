"""Detection for the welcome screen: robust to missing tools, never a shell, every command time-limited."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from flyte_tui.tools import detect


def fake_tool(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_nothing_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    found = detect.detect()
    assert not found.helm.found and not found.kubectl.found
    assert found.contexts == () and found.release_exists is None
    assert "kubectl not found" in found.notes[0]


def test_helm_major_version_and_contexts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_tool(
        tmp_path,
        "helm",
        'case "$*" in\n'
        '  *"history flyte --max 1 -o json --namespace flyte --kube-context prod"*) echo \'[{"revision": 3, '
        '"updated": "2026-11-29T10:02:33.51+01:00", "status": "deployed", "chart": "flyte-core-v1.16.8"}]\';;\n'
        '  *) echo "v4.1.4+g1234567";;\n'
        "esac\n",
    )
    fake_tool(
        tmp_path,
        "kubectl",
        'case "$*" in\n'
        '  *"version --client"*) echo \'{"clientVersion": {"gitVersion": "v1.36.3"}}\';;\n'
        '  *"get-contexts"*) printf "kind-a\\nprod\\n";;\n'
        '  *"current-context"*) echo prod;;\n'
        '  *"get secrets"*) echo secret/sh.helm.release.v1.flyte.v3;;\n'
        "esac\n",
    )
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + "/usr/bin:/bin")
    found = detect.detect()
    assert found.helm.version == "v4.1.4" and found.helm.major == 4
    assert found.kubectl.version == "v1.36.3"
    assert found.contexts == ("kind-a", "prod") and found.current_context == "prod"
    assert found.release_exists is True
    assert found.release is not None and found.release.revision == 3 and found.release.status == "deployed"
    assert found.release_note == (
        "release flyte in flyte: flyte-core-v1.16.8, revision 3, deployed, last deployed 2026-11-29 10:02"
    )
    assert found.release_attention == ""


def test_a_hanging_tool_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_tool(tmp_path, "helm", "sleep 30\n")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + "/usr/bin:/bin")
    monkeypatch.setattr(detect, "TIMEOUT", 0.3)
    tool = detect.detect_helm()
    assert tool.found and "did not answer" in tool.error


def unreachable_kubeconfig(tmp_path: Path) -> tuple[Path, int]:
    """A kubeconfig with one context, ``ghost``, whose API server does not listen (a closed loopback port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "kubeconfig"
    path.write_text(
        json.dumps({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "ghost", "cluster": {"server": f"https://127.0.0.1:{port}"}}],
            "users": [{"name": "ghost", "user": {"token": "none"}}],
            "contexts": [{"name": "ghost", "context": {"cluster": "ghost", "user": "ghost"}}],
            "current-context": "ghost",
        })
    )
    return path, port


def refused(note: str, port: int) -> bool:
    """The one line the welcome screen shows when the cluster refuses: helm's error, or kubectl's own
    (without helm), never one of the client-go log lines kubectl prints before it."""
    if shutil.which("helm"):
        # helm 3 says "Kubernetes cluster unreachable", helm 4 "kubernetes cluster unreachable"
        return note.lower().startswith("error: kubernetes cluster unreachable") and f"127.0.0.1:{port}" in note
    refusal = f"The connection to the server 127.0.0.1:{port} was refused - did you specify the right host or port?"
    return note == refusal


def test_detection_with_the_real_path_never_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever this machine has (kubectl, maybe helm), detection reports it; a cluster that does not answer
    is "could not ask" (None), with the reason, never an exception or a guess."""
    kubeconfig, port = unreachable_kubeconfig(tmp_path)
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    found = detect.detect()
    assert found.kubectl.found == bool(shutil.which("kubectl"))
    assert found.helm.found == bool(shutil.which("helm"))
    assert found.release_exists is None
    if found.kubectl.found:
        assert found.contexts == ("ghost",) and found.current_context == "ghost"
        assert refused(found.release_note, port), found.release_note
    else:
        assert found.contexts == () and found.release_note == "no cluster to ask"


def kubectl_line() -> str:
    """What the welcome screen should say about this machine's kubectl (its version asked independently)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return "✗ kubectl: not found on PATH"
    done = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True, text=True,
                          timeout=30, check=True)  # fmt: skip
    return f"✓ kubectl {json.loads(done.stdout)['clientVersion']['gitVersion']}"


async def test_the_wizard_starts_with_real_detection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from textual.widgets import Static

    from flyte_tui.tui.app import make_app

    from .keys import ready

    kubeconfig, port = unreachable_kubeconfig(tmp_path)
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    app = make_app(tmp_path / "flyte-tui.yaml", recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        lines = str(app.screen.query_one("#tools", Static).render()).splitlines()
        helm_line, kube_line = lines[0], lines[-1]
        if shutil.which("helm") is None:
            assert helm_line == "✗ helm: not found on PATH"
            assert "https://helm.sh/docs/intro/install/" in lines[1]  # and how to get it
        else:
            assert re.fullmatch(r"✓ helm v\d+\.\d+\.\d+\S* \(helm [34]\)", helm_line), helm_line
        assert kube_line == kubectl_line()
        if shutil.which("kubectl") is not None:
            release = str(app.screen.query_one("#release", Static).render())
            assert refused(release, port), release
        assert not app.screen.query_one("#release-buttons").display  # no release to upgrade or diagnose
