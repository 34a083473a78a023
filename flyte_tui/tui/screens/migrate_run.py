"""The runner screen for a migration to flyte-core: the install's runner (steps, live log, the new release's
readiness table, failure panel, log file, cancel), fed with the :class:`~flyte_tui.migrate.Migrator`'s events,
its title saying Migrating and its end Migrated."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from flyte_tui.events import Event, InstallFinished
from flyte_tui.install import install_steps
from flyte_tui.migrate import MigrationOptions, MigrationPlan, Migrator
from flyte_tui.migrate.run import INGRESS_PREFIX, OLD_PREFIX
from flyte_tui.tui.screens.runner import NARROW, SHORT_TITLES, CoreRunner, steps_text

PANEL_ROWS = 8
"""The steps the runner's panel shows at once (its height inside the border)."""
TITLE = 30
"""A step's title in the panel, at most (the migrator names each phase's release in them)."""


def short_title(step: str) -> str:
    """A step's label in a narrow terminal: the install's (``Readiness``), the Ingress's phase marked ``+``
    (``+helm``), the old release's uninstall ``old:`` and its step (``old:pods``)."""
    for prefix, mark in ((OLD_PREFIX, "old:"), (INGRESS_PREFIX, "+")):
        if step.startswith(prefix):
            rest = step.removeprefix(prefix)
            return mark + SHORT_TITLES.get(rest, rest.removeprefix("uninstall-"))
    return SHORT_TITLES.get(step, "CRD" if step == "crd" else step)


class MigrationRunner(CoreRunner):
    """Install flyte-core, wait until it is Ready, then uninstall flyte-binary (and move the Ingress)."""

    def __init__(self, migration: MigrationPlan, options: MigrationOptions, answers: Path, log: Path) -> None:
        """``answers``: the flyte-core answers file written for the new release (said at the end)."""
        # the new release's install steps, named after it as the migrator titles them; the old release's
        # uninstall and the Ingress's move are listed as they start
        new = migration.new_release
        steps = [
            ("crd", "Adopt the FlyteWorkflow CRD"),
            *((s, f"{new}: {t}") for s, t in install_steps(migration.plan)),
        ]

        def migrate(cancel: threading.Event) -> Iterator[Event]:
            return Migrator(migration, options, cancel).run()

        super().__init__(migration.plan, options.install, migrate, steps, log)
        self.migration = migration
        self.answers = answers

    def title_text(self) -> str:
        """``Migrating to flyte-core: release flyte → flyte-core in namespace flyte (kind-dev)``."""
        m, t = self.migration, self.migration.plan.target
        where = f"namespace {t.namespace}" + (f" ({t.context})" if t.context else "")
        return f"Migrating to flyte-core: release {m.old_release} → {m.new_release} in {where}"

    def _steps_text(self) -> Text:
        """The steps panel; once the steps (three phases: about twenty) outgrow it, the earliest fold into one
        line, so the step that runs stays in sight."""
        narrow = self.is_mounted and self.size.width < NARROW
        titles = {
            step: title if len(title) <= TITLE else title[: TITLE - 1] + "…" for step, title in self.step_titles.items()
        }
        lines = steps_text(titles, self.step_state, narrow, short_title).split("\n", allow_blank=False)
        if len(lines) <= PANEL_ROWS:
            return Text("\n").join(lines)
        hidden = len(lines) - PANEL_ROWS + 1
        return Text("\n").join([Text(f" ▲ {hidden} earlier steps", style="dim"), *lines[hidden:]])

    def _show_finished(self, event: InstallFinished) -> None:
        """The runner's end, in a migration's words, with where the new answers are."""
        super()._show_finished(event)
        head = "Migrated to flyte-core." if event.ok else "The migration did not finish."
        where = f" The flyte-core answers: {self.answers}." if event.ok else ""
        self.query_one("#runner-status", Static).update(f"{head}{where} ({event.elapsed:.1f}s) Esc closes.")
