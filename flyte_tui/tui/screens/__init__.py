"""The wizard's screens: one module per step (named as the step in :data:`flyte_tui.tui.steps.STEPS`), and
the runner, doctor and upgrade review screens."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flyte_tui.tui.screens.base import StepScreen


def step_screen(step_id: str) -> type[StepScreen]:
    """The screen class of a step, from the module of the same name (imported on first use)."""
    from flyte_tui.tui.screens.base import StepScreen

    module = importlib.import_module(f"{__name__}.{step_id}")
    found = [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, StepScreen)]
    return next(c for c in found if step_id == c.STEP_ID)
