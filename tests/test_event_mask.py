"""The one mask of the install's events: every text an event carries, nested ones included, with the known
secret values masked, for every face (JSON, plain lines, the runner and its log)."""

from __future__ import annotations

import json

from flyte_tui.events import (
    ComponentsChanged,
    Explanation,
    InstallFinished,
    OutputLine,
    StepFailed,
    masked,
    plain,
    to_json,
)
from flyte_tui.readiness import ComponentStatus, PodFailure

PW = "hunter2-canary"


def test_every_text_of_a_failed_step_is_masked_in_json_and_plain() -> None:
    event = StepFailed(
        "helm",
        f"helm upgrade --install failed: Error: password {PW} rejected",
        Explanation(summary=f"Error: value {PW} is invalid", fix=f"do not use {PW}", log_tail=(f"FATAL {PW}",)),
    )
    shown = masked(event, [PW, ""])
    assert PW not in json.dumps(to_json(shown)) and PW not in "\n".join(plain(shown))
    assert shown.explanation is not None and shown.explanation.summary == "Error: value ****** is invalid"
    assert PW in json.dumps(to_json(event))  # the event itself is left as it was (frozen data)


def test_a_pod_failure_message_in_the_readiness_table_is_masked() -> None:
    failure = PodFailure("flyteadmin-1", "flyteadmin", "ImagePullBackOff", f'Back-off pulling image "x:{PW}"')
    event = ComponentsChanged((ComponentStatus("flyteadmin", 1, 1, 0, "ImagePullBackOff", 0, "failed", failure),))
    shown = masked(event, [PW])
    assert PW not in json.dumps(to_json(shown))
    assert shown.components[0].failure is not None and shown.components[0].failure.pod == "flyteadmin-1"


def test_nothing_changes_without_secrets_and_other_events_keep_their_shape() -> None:
    line = OutputLine("helm", f"value {PW}", "stderr")
    assert masked(line, []) is line
    assert masked(line, [PW]) == OutputLine("helm", "value ******", "stderr")
    done = InstallFinished(False, "failed", 1.5, (f"release {PW}",))
    assert masked(done, [PW]) == InstallFinished(False, "failed", 1.5, ("release ******",))
