"""Walk the whole wizard with the keyboard only, once per environment, and check the saved files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from flyte_tui.charts import validate_file
from flyte_tui.files.answers import load_answers
from flyte_tui.files.yamlio import load_plain
from flyte_tui.tui.app import WizardApp

from .keys import SIZE, next_step, ready, tab_to_id, type_into

ROLE = "arn:aws:iam::123456789012:role/flyte-system"
TASK_ROLE = "arn:aws:iam::123456789012:role/flyte-tasks"
CERT = "arn:aws:acm:us-east-2:123456789012:certificate/abc-123"
GSA = "flyte-admin@acme-prod.iam.gserviceaccount.com"

# What a user types on each step, per environment (everything else is the preset's recommendation).
TYPED: dict[str, dict[str, list[tuple[str, str]]]] = {
    "sandbox": {},
    "eks": {
        "storage": [("storage.metadataBucket", "acme-flyte-meta"), ("storage.region", "us-east-2")],
        "database": [("database.host", "flyte.abc.us-east-2.rds.amazonaws.com")],
        "identity": [
            ("identity.awsRoleArn", ROLE),
            ("projects.taskRoleArn", TASK_ROLE),
            ("ingress.host", "flyte.acme.com"),
            ("ingress.tls.certificateArn", CERT),
        ],
    },
    "gke": {
        "storage": [("storage.metadataBucket", "acme-flyte-meta"), ("storage.projectId", "acme-prod")],
        "database": [("database.host", "10.1.2.3")],
        "identity": [
            ("identity.gcpServiceAccount", GSA),
            ("projects.taskServiceAccount", GSA),
            ("ingress.host", "flyte.acme.com"),
        ],
    },
    "generic": {
        "storage": [("storage.metadataBucket", "acme-flyte-meta"), ("storage.endpoint", "https://minio.acme.com")],
        "database": [("database.host", "pg.acme.com")],
        "identity": [("ingress.host", "flyte.acme.com")],
    },
}

# What must be in the saved values file afterwards (dotted path → value).
EXPECTED_VALUES: dict[str, dict[str, object]] = {
    "sandbox": {"common.ingress.ingressClassName": "contour"},
    "eks": {
        "storage.bucketName": "acme-flyte-meta",
        "storage.s3.region": "us-east-2",
        "common.ingress.host": "flyte.acme.com",
        "flyteadmin.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn": ROLE,
    },
    "gke": {"storage.bucketName": "acme-flyte-meta", "storage.gcs.projectId": "acme-prod"},
    "generic": {"storage.bucketName": "acme-flyte-meta", "storage.s3.endpoint": "https://minio.acme.com"},
}


def lookup(tree: object, dotted: str) -> object:
    node = tree
    for key in [k.replace("\\.", ".") for k in dotted.replace("\\.", "\0").split(".")]:
        key = key.replace("\0", ".")
        assert isinstance(node, dict) and key in node, f"{dotted}: no {key!r} in {node!r}"
        node = node[key]
    return node


async def start_and_pick(pilot: Pilot[None], environment: str) -> None:
    """Welcome → Start fresh → Target (defaults) → Environment card → Storage, by keys."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await ready(pilot)
    await pilot.press("enter")  # "Start fresh" has the focus
    await pilot.pause()
    assert app.current_step == "target"
    await next_step(pilot)
    assert app.current_step == "environment"
    await tab_to_id(pilot, f"card-{environment}")
    await pilot.press("enter")
    await pilot.pause()
    await next_step(pilot)
    assert app.current_step == "storage"


@pytest.mark.parametrize("environment", list(TYPED))
async def test_walk_each_preset_with_keys_only(
    environment: str, wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, environment)
        for step in ("storage", "database", "identity", "auth", "plugins", "resources", "clusters"):
            assert app.current_step == step
            for path, text in TYPED[environment].get(step, []):
                await type_into(pilot, path, text)
            await next_step(pilot)
        assert app.current_step == "review"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.state.dirty

    answers = load_answers(answers_path)
    assert answers["environment"] == environment
    for step in TYPED[environment].values():
        for path, text in step:
            assert lookup(answers, path) == text
    assert validate_file(answers_path).ok, validate_file(answers_path).problems
    values = load_plain((answers_path.parent / "flyte-values.yaml").read_text(encoding="utf-8"))
    for dotted, expected in EXPECTED_VALUES[environment].items():
        assert lookup(values, dotted) == expected
