"""Fixtures for the wizard's Pilot and snapshot tests: a fixed detection, a private recovery dir, no clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flyte_tui.tools.detect import Detection, Tool
from flyte_tui.tui.app import WizardApp, make_app

FIXED = Detection(
    helm=Tool("helm", "/usr/local/bin/helm", "v3.17.3"),
    kubectl=Tool("kubectl", "/usr/bin/kubectl", "v1.36.3"),
    contexts=("kind-flyte", "prod-eks"),
    current_context="kind-flyte",
    release_exists=False,
    release_note="release flyte in flyte: not installed",
)
"""What the welcome screen shows in tests: helm 3 and kubectl found, two contexts, no release."""


def fixed_detection() -> Detection:
    return FIXED


@pytest.fixture
def recovery_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def answers_path(tmp_path: Path) -> Path:
    return tmp_path / "work" / "flyte-tui.yaml"


@pytest.fixture
def wizard(answers_path: Path, recovery_dir: Path) -> Callable[..., WizardApp]:
    """A factory for the wizard with the deterministic test config."""

    def build(**options: object) -> WizardApp:
        options.setdefault("recovery_dir", recovery_dir)
        options.setdefault("detector", fixed_detection)
        return make_app(answers_path, deterministic=True, **options)  # type: ignore[arg-type]

    return build
