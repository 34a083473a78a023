"""The wizard's steps, listed once: the step list, navigation, the command palette and the problem
routing all read :data:`STEPS`. No Textual here.

Each step's screen is the module of the same name under ``flyte_tui.tui.screens`` (imported when the
step is first shown, so start-up loads only the welcome screen).
"""

from __future__ import annotations

from typing import NamedTuple


class Step(NamedTuple):
    """One step of the wizard: its id, its title and the answer paths it edits."""

    id: str
    title: str
    prefixes: tuple[str, ...]

    def owns(self, path: str) -> bool:
        """True when a problem at ``path`` (dotted, as the model reports it) belongs to this step."""
        return any(path == p or path.startswith(p + ".") for p in self.prefixes)


STEPS: tuple[Step, ...] = (
    Step("welcome", "Welcome", ()),
    Step("target", "Target", ("target",)),
    Step("environment", "Environment", ("environment", "apiVersion", "kind", "images")),
    Step("storage", "Storage", ("storage", "dependencies")),
    Step("database", "Database", ("database",)),
    Step("identity", "Identity & ingress",
         ("identity", "ingress", "projects.taskRoleArn", "projects.taskServiceAccount")),
    Step("auth", "Authentication", ("auth",)),
    Step("plugins", "Task plugins", ("plugins",)),
    Step("resources", "Resources", ("resources", "projects")),
    Step("clusters", "Clusters", ("dataPlanes",)),
    Step("review", "Review", ()),
)
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)


def step(step_id: str) -> Step:
    """The step with this id."""
    return STEPS[STEP_IDS.index(step_id)]


def step_of(path: str) -> Step:
    """The step that edits a path (the review step for paths no other step edits)."""
    for candidate in STEPS:
        if candidate.owns(path):
            return candidate
    return STEPS[-1]
