"""Day 2 of a multi-cluster install on three real clusters (tests/cluster/multibed.py): the control plane on cluster
1 with data plane dp-2 on cluster 2, then dp-3 (cluster 3) added. ``flyte-tui diff`` reviews every cluster's release
(data planes first): dp-2 unchanged, dp-3 a release to install, and on the control plane only the clusters
configuration changes; the notes name dp-3's new cluster entry and credentials keys, nothing of dp-2's. And the
wizard's Clusters step checks a real data plane's context reachable, its endpoint prefilled from the kubeconfig.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import multibed
import pytest
from multi_answers import answers_for, spread_namespace

from flyte_tui.files.yamlio import dump

pytestmark = pytest.mark.e2e


@pytest.fixture
def spread(clusters: multibed.MultiBed) -> Iterator[str]:
    """A fresh namespace name, removed from every cluster afterwards."""
    with spread_namespace(clusters, "e2e-day2") as name:
        yield name


def cli(
    clusters: multibed.MultiBed, helm: Path, answers: dict[str, Any], work: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """``flyte-tui <args> answers`` against the three clusters."""
    path = work / "flyte-tui.yaml"
    path.write_text(dump(answers))
    env = {
        **clusters.env,
        "FLYTE_TUI_DB_PASSWORD": "pw-" + secrets.token_hex(4),
        "FLYTE_TUI_S3_ACCESS_KEY": "AKIA" + secrets.token_hex(4),
        "FLYTE_TUI_S3_SECRET_KEY": secrets.token_hex(8),
    }
    argv = [sys.executable, "-m", "flyte_tui.cli", args[0], str(path), *args[1:], "--helm", str(helm)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600, check=False)


@pytest.mark.parametrize("helm_bin", ["helm4"], indirect=True)
def test_adding_a_data_plane_reviews_only_the_new_objects_and_keys(
    clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path
) -> None:
    kubectl = clusters.beds[0].kubectl
    before = answers_for(clusters, spread, {"dp-2": 2})
    installed = cli(clusters, helm_bin, before, tmp_path, "install", "--yes", "--json", "--kubectl", kubectl,
                    "--timeout", "4m", "-o", str(tmp_path / "flyte-values.yaml"))  # fmt: skip
    assert installed.returncode == 0, (installed.stdout[-3000:], installed.stderr[-2000:])

    after = answers_for(clusters, spread, {"dp-2": 2, "dp-3": 3})
    diff = cli(clusters, helm_bin, after, tmp_path, "diff", "--json")
    assert diff.returncode == 2, (diff.stdout[-3000:], diff.stderr[-2000:])  # changes found
    report = json.loads(diff.stdout)
    dp2, dp3, control = report["clusters"]
    assert [c["dataPlane"] for c in report["clusters"]] == ["dp-2", "dp-3", ""]
    assert dp2["context"] == clusters.contexts[1] and dp3["context"] == clusters.contexts[2]

    # dp-2: nothing changes; dp-3: its release is new, every object of it to add
    assert dp2["release"] is not None and dp2["manifests"] == [] and dp2["values"] == []
    assert dp3["release"] is None and dp3["title"].endswith("new: to install")
    assert dp3["manifests"] and {m["change"] for m in dp3["manifests"]} == {"added"}
    assert {"Deployment/flytepropeller", "Deployment/flyte-pod-webhook"} <= {
        f"{m['kind']}/{m['name']}" for m in dp3["manifests"]
    }

    # the control plane: only the clusters configuration (and what reads it) changes, nothing added or removed
    assert {m["change"] for m in control["manifests"]} == {"changed"}, control["manifests"]
    changed = {f"{m['kind']}/{m['name']}" for m in control["manifests"]}
    assert "ConfigMap/flyte-admin-clusters-config" in changed
    assert {c for c in changed if c.startswith("ConfigMap/")} <= {
        "ConfigMap/flyte-admin-clusters-config",
        "ConfigMap/flyte-clusterresourcesync-config",
    }, changed
    assert {c.split("/")[0] for c in changed} <= {"ConfigMap", "Deployment"}, changed
    for m in control["manifests"]:  # a Deployment changes only its config checksum (it restarts with the new one)
        if m["kind"] == "Deployment":
            edits = [ln for ln in m["diff"] if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
            assert edits and all("configChecksum:" in ln for ln in edits), (m["name"], edits)
    assert {v["path"].split(".")[0] for v in control["values"]} == {"configmap"}
    new_keys = [v for v in control["values"] if "dp-3" in json.dumps(v["new"]) and "dp-3" not in json.dumps(v["old"])]
    assert new_keys, control["values"]

    # the notes: dp-3's new entry, its two credentials keys and its release; nothing of dp-2's
    notes = "\n".join(report["notes"])
    assert "new cluster entry dp-3" in notes and "keys dp-3_token, dp-3_cacert added" in notes
    assert f"(context {clusters.contexts[2]}): to install" in notes
    assert "dp-2" not in notes


async def test_the_clusters_step_checks_a_real_data_plane(
    clusters: multibed.MultiBed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select

    from flyte_tui.tools.detect import Detection, Tool
    from flyte_tui.tui.app import make_app
    from flyte_tui.tui.widgets.field import FormField, field_id
    from flyte_tui.tui.widgets.note import Note

    for key, value in clusters.env.items():
        monkeypatch.setenv(key, value)
    detection = Detection(
        helm=Tool("helm", str(clusters.beds[0].helm4), "v4.0.0"),
        kubectl=Tool("kubectl", str(clusters.beds[0].kubectl), "v1.36.3"),
        contexts=tuple(clusters.contexts),
        current_context=clusters.contexts[0],
        release_exists=False,
        release_note="",
    )
    app = make_app(tmp_path / "flyte-tui.yaml", recovery_dir=tmp_path / "state", detector=lambda: detection,
                   deterministic=True)  # fmt: skip
    async with app.run_test(size=(100, 40)) as pilot:
        while app.detection is None:
            await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause()
        app.state.choose_environment("sandbox")
        app.state.set("target.context", clusters.contexts[0])
        app.state.set("dataPlanes", [{"name": "dp-2"}])
        app.goto("clusters")
        await pilot.pause()
        context = app.screen.query_one(f"#{field_id('dataPlanes.0.context')}", FormField)
        assert context.choices == tuple(clusters.contexts[1:])  # the control plane's left out
        context.query_one(Select).value = clusters.contexts[1]
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query_one("#reach-0", Note).text.startswith("✓"):
                break
        reach = app.screen.query_one("#reach-0", Note).text
        server = clusters.cluster(2).api_url
        assert reach == f"✓ {clusters.contexts[1]} is reachable: its API server ({server}) is ready"
        await pilot.pause()
        assert app.state.get("dataPlanes") == [{"name": "dp-2", "context": clusters.contexts[1], "endpoint": server}]
