"""Headless plain output: readable lines, only what changed in the readiness table."""

from __future__ import annotations

from flyte_tui.events import ComponentsChanged, Explanation, StepFailed, plain
from flyte_tui.readiness import ComponentStatus


def status(name: str, ready: int, text: str, state: str = "progressing") -> ComponentStatus:
    return ComponentStatus(name, 1, 1, ready, text, 0, state)  # type: ignore[arg-type]


def test_readiness_prints_only_the_components_that_changed() -> None:
    shown: dict[str, str] = {}
    first = ComponentsChanged((status("flyteadmin", 0, "Init:0/4"), status("datacatalog", 0, "Pending")))
    assert plain(first, shown) == ["    flyteadmin 0/1 Init:0/4", "    datacatalog 0/1 Pending"]
    second = ComponentsChanged((status("flyteadmin", 0, "Init:1/4"), status("datacatalog", 0, "Pending")))
    assert plain(second, shown) == ["    flyteadmin 0/1 Init:1/4"]
    assert plain(second, shown) == []


def test_failure_lines_name_the_object_and_the_answer() -> None:
    event = StepFailed(
        "readiness",
        "flyteadmin will not become ready",
        Explanation(
            summary="x",
            object="pod/flyteadmin-1",
            container="flyteadmin",
            cause="the database rejected the password",
            answer="database.passwordSecret",
            log_tail=("FATAL: password authentication failed",),
        ),
    )
    lines = plain(event)
    assert lines[0] == "FAILED: flyteadmin will not become ready"
    assert "  Blocking object: pod/flyteadmin-1 (container flyteadmin)" in lines
    assert "  Answer to change: database.passwordSecret" in lines
    assert "    FATAL: password authentication failed" in lines
