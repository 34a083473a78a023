"""Detection for the welcome screen: robust to missing tools, never a shell, every command time-limited."""

from __future__ import annotations

import os
import shutil
import stat
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


def test_detection_with_the_real_path_never_raises() -> None:
    """Whatever this machine has (kubectl, maybe helm, maybe no kubeconfig), detection reports it."""
    found = detect.detect()
    assert found.kubectl.found == bool(shutil.which("kubectl"))
    assert found.helm.found == bool(shutil.which("helm"))
    if found.current_context:
        assert found.current_context in found.contexts
    assert found.release_exists in (True, False, None)


async def test_the_wizard_starts_with_real_detection(tmp_path: Path) -> None:
    from flyte_tui.tui.app import make_app

    from .keys import ready

    app = make_app(tmp_path / "flyte-tui.yaml", recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        tools = str(app.screen.query_one("#tools").render())
        assert "kubectl" in tools and "helm" in tools
