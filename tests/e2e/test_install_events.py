"""What the install's events tell the user on the real control plane: the readiness table at the moment
the run stopped, secrets masked in every face (``--json`` included) and the install log, and what a cancel
leaves behind with the next step."""

from __future__ import annotations

import pytest

from flyte_tui.events import ComponentsChanged, StepFailed
from flyte_tui.install import Installer
from tests.e2e.test_install import answers, collect, options, plan_of

pytestmark = pytest.mark.e2e


def test_a_rerun_that_stops_early_shows_every_component_as_it_is(testbed, namespace, helm_bin, tmp_path) -> None:
    """A first install whose datacatalog crash-loops (the other six come up), then the same install again:
    the re-run stops at once on the crash loop, and its last readiness table shows the six as they are
    (1/1 Running), not 0/1 because the watch had not been read to its end."""
    plan = plan_of(answers(testbed, namespace, datacatalog={"podLabels": {"sim.kwok.test/fault": "crashloop"}}))
    first, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path, timeout=300.0)))
    assert [e.step for e in first if isinstance(e, StepFailed)] == ["readiness"]
    ready_before = _ready_components(testbed, namespace)
    assert len(ready_before) >= 5, ready_before  # the others are up (one may still be starting)
    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path, timeout=300.0)))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [e.step for e in failed] == ["readiness"] and "datacatalog" in failed[0].message
    table = {c.name: c for c in [e for e in events if isinstance(e, ComponentsChanged)][-1].components}
    for name in ready_before:  # Ready pods stay Ready: kubectl shows them 1/1 Running still
        assert table[name].state == "ready" and table[name].ready == 1, (name, table[name])
    assert table["datacatalog"].state == "failed"


def _ready_components(testbed, namespace: str) -> set[str]:
    """The components whose pods kubectl shows Ready (1/1 Running)."""
    import json

    pods = json.loads(testbed.kubectl_run("get", "pods", "-n", namespace, "-o", "json").stdout)["items"]
    ready = set()
    for pod in pods:
        conditions = pod.get("status", {}).get("conditions") or []
        if any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
            name = pod["metadata"]["labels"].get("app.kubernetes.io/name", "")
            ready.add({"flyteclusterresourcesync": "syncresources"}.get(name, name))
    return ready - {""}
