"""The one failed-pod diagnosis the installer and the doctor share: what a broken pod's state, events and
log mean, what to do, and which answer to change."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts.flyte_core.components import by_name
from flyte_tui.diagnose import diagnose_pod, match, oom_killed


def pod(name: str, **status: Any) -> dict[str, Any]:
    return {"metadata": {"name": name}, "status": status}


def test_a_known_log_line_names_the_cause_and_the_answer() -> None:
    found = diagnose_pod(
        by_name("flyteadmin"),
        pod("flyteadmin-7d9c"),
        "flyteadmin",
        "CrashLoopBackOff",
        "container flyteadmin keeps crashing",
        ["BackOff: Back-off restarting failed container"],
        ["starting", 'FATAL: password authentication failed for user "flyte"'],
        "flyte",
    )
    assert (found.signature, found.answer) == ("db-password", "database.passwordSecret")
    assert found.cause == "the database rejected the password"
    assert found.object == "pod/flyteadmin-7d9c" and found.container == "flyteadmin"
    assert found.log_tail[-1].endswith('for user "flyte"') and found.events


def test_oom_killed_names_the_memory_limit_of_the_component() -> None:
    broken = pod(
        "flytepropeller-1",
        containerStatuses=[{"name": "flytepropeller", "lastState": {"terminated": {"reason": "OOMKilled"}}}],
    )
    assert oom_killed(broken) == "flytepropeller"
    found = diagnose_pod(by_name("flytepropeller"), broken, "flytepropeller", "CrashLoopBackOff", "", [], [], "ns")
    assert found.cause == "container flytepropeller ran out of memory (OOMKilled)"
    assert found.answer == "resources.components.flytepropeller" and "memory limit" in found.fix


def test_unschedulable_and_stuck_init_without_a_signature() -> None:
    console = by_name("flyteconsole")
    found = diagnose_pod(console, pod("flyteconsole-1"), None, "Unschedulable", "0/3 nodes are available", [], [], "ns")
    assert found.cause == "no node can run the pod" and found.answer == "resources.components.flyteconsole"
    stuck = diagnose_pod(by_name("flyteadmin"), pod("flyteadmin-1"), "check-db", "StuckInit", "init", [], [], "ns")
    assert stuck.cause == "init container check-db never finished"
    assert "kubectl -n ns logs flyteadmin-1 -c check-db" in stuck.fix and stuck.answer is None


def test_a_plain_crash_says_what_the_state_means_and_where_to_look() -> None:
    found = diagnose_pod(
        by_name("datacatalog"), pod("datacatalog-1"), "datacatalog", "CrashLoopBackOff", "x", [], [], "ns"
    )
    assert found.cause == "keeps crashing" and found.signature is None
    assert found.fix == "read the pod's events and the container's log"


def test_the_first_and_most_specific_signature_wins() -> None:
    found = match(["image flyteadmin:v9 not found", "dial tcp 10.0.0.1:5432: connect: connection refused"])
    assert found is not None and found[0].id == "db-unreachable"
    assert match(["all good"]) is None
