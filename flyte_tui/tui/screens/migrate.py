"""The move of a flyte-binary release to flyte-core: the migration's review (both releases, what carries over,
what is left behind, the order), read off the UI thread, then Move to flyte-core… → a confirm dialog → the
flyte-core answers written → the runner (:class:`~flyte_tui.tui.screens.migrate_run.MigrationRunner`).

Open it with ``app.push_screen(MigrateScreen(source))``; it dismisses with True when the migration ran (the
release is then looked for again), False when the user went back. Nothing changes before the confirmation.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from flyte_tui.files import yamlio
from flyte_tui.files.answers import write_answers
from flyte_tui.migrate.prepare import MigrationSource, PreparedMigration, core_answers_path
from flyte_tui.tui.dialogs.choice import Choice
from flyte_tui.tui.dialogs.confirm import ConfirmDialog
from flyte_tui.tui.screens.base import WorkScreen
from flyte_tui.tui.screens.migrate_run import MigrationRunner


class ConfirmMigration(ConfirmDialog):
    """Move to flyte-core? What happens, in one line each; the safe choice has the focus."""

    def __init__(self, prepared: PreparedMigration, written: Path) -> None:
        super().__init__(
            Choice("confirm-migrate", "Move to flyte-core", True, "warning"), Choice("keep", "Not now", False)
        )
        self.prepared = prepared
        self.written = written

    def compose_body(self) -> ComposeResult:
        m = self.prepared.migration
        yield Static(
            f"Install {m.new_release} (flyte-core), wait until it is Ready, then uninstall {m.old_release} "
            f"(flyte-binary)?\nThe flyte-core answers are written to {self.written} first.",
            id="confirm-question",
            markup=False,
        )


class MigrateScreen(WorkScreen[bool]):
    """Review a migration to flyte-core, confirm it, run it."""

    DEFAULT_CSS = """
    MigrateScreen > Static { padding: 0 1; }
    MigrateScreen #migrate-title { text-style: bold; }
    MigrateScreen #migrate-status { color: $text-muted; }
    MigrateScreen #migrate-review { height: 1fr; border: round $warning; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    AUTO_FOCUS = "#back"  # the safe choice

    def __init__(self, source: MigrationSource) -> None:
        super().__init__()
        self.source = source
        self.cancel = threading.Event()
        self.prepared: PreparedMigration | None = None

    def compose(self) -> ComposeResult:
        info = self.source.info
        where = f"namespace {info.namespace}" + (f" ({self.source.context})" if self.source.context else "")
        yield Static(f"Move release {info.name} ({info.chart}) to flyte-core in {where}", id="migrate-title",
                     markup=False)  # fmt: skip
        yield Static("Reading the release and mapping its answers…", id="migrate-status", markup=False)
        with VerticalScroll(id="migrate-review"):
            yield Static("", id="migrate-lines", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Move to flyte-core…", id="migrate-start", variant="warning", disabled=True, compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="migrate-review", exit_on_error=False)

    def on_unmount(self) -> None:
        self.cancel.set()  # the review's helm and kubectl stop if they still run

    def _read(self) -> None:
        """The review, read off the UI thread (the cluster's and the mapping's answers)."""
        try:
            prepared: PreparedMigration | str = self.source.prepare(self.cancel)
        except Exception as exc:  # the mapping's, helm's or kubectl's words (MigrationError…), shown, not raised
            prepared = str(exc)
        if not self.cancel.is_set():
            self.app.call_from_thread(self._shown, prepared)

    def _shown(self, prepared: PreparedMigration | str) -> None:
        """The review, or why there is none (the button stays off)."""
        if not self.is_attached:
            return  # the user went back meanwhile
        status = self.query_one("#migrate-status", Static)
        if isinstance(prepared, str):
            status.update(f"Cannot move to flyte-core: {prepared}")
            return
        self.prepared = prepared
        self.query_one("#migrate-lines", Static).update("\n".join(prepared.lines()))
        status.update("Nothing changes until you confirm.")
        self.query_one("#migrate-start", Button).disabled = False

    @on(Button.Pressed, "#migrate-start")
    def _start(self) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        written = core_answers_path(self.source.answers_path)

        def ran(_result: object) -> None:
            self.dismiss(True)  # not awaited: the runner's callback runs in this screen's handler

        def answered(yes: bool | None) -> None:
            if yes and self._write(prepared, written):
                options = prepared.options()
                log = self.source.answers_path.parent / "flyte-tui-migrate.log"
                self.app.push_screen(MigrationRunner(prepared.migration, options, written, log), ran)

        self.app.push_screen(ConfirmMigration(prepared, written), answered)

    def _write(self, prepared: PreparedMigration, written: Path) -> bool:
        """Write the flyte-core answers (an existing file backed up); False, said on screen, when it fails."""
        status = self.query_one("#migrate-status", Static)
        try:
            backup = write_answers(prepared.migrated.answers, written)
        except (OSError, yamlio.UnmergeableFile) as exc:
            status.update(f"Cannot write {written}: {getattr(exc, 'strerror', None) or exc}; nothing changed")
            return False
        self.app.notify(f"Wrote {written}" + (f" (previous kept as {backup})" if backup else ""))
        return True

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Back to Welcome; nothing changed."""
        self.dismiss(False)
