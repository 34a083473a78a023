"""When pods alone would call an upgrade done too early: the Deployments' rollout status decides."""

from __future__ import annotations

from typing import Any

from flyte_tui.readiness import rollout_pending


def deployment(name: str, **status: int) -> dict[str, Any]:
    """Generation 2, two replicas wanted; ``status`` overrides a finished rollout's status fields."""
    done = {"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
    return {"metadata": {"name": name, "generation": 2}, "spec": {"replicas": 2}, "status": {**done, **status}}


def test_a_finished_rollout_is_not_pending() -> None:
    assert rollout_pending([deployment("flyteadmin"), deployment("datacatalog")], ["flyteadmin", "datacatalog"]) == []


def test_each_unfinished_state_is_pending() -> None:
    cases = {
        "not yet seen by the controller": deployment("flyteadmin", observedGeneration=1),
        "new pods not all created": deployment("flyteadmin", updatedReplicas=1),
        "old pods still running": deployment("flyteadmin", replicas=3),
        "new pods not available": deployment("flyteadmin", availableReplicas=1),
    }
    for why, dep in cases.items():
        assert rollout_pending([dep], ["flyteadmin"]) == ["flyteadmin"], why


def test_only_the_expected_deployments_count() -> None:
    other = deployment("flyteconnector", updatedReplicas=0)
    assert rollout_pending([deployment("flyteadmin"), other], ["flyteadmin"]) == []


def test_a_status_without_fields_is_pending() -> None:
    fresh = {"metadata": {"name": "flyteadmin", "generation": 1}, "spec": {"replicas": 1}}
    assert rollout_pending([fresh], ["flyteadmin"]) == ["flyteadmin"]
