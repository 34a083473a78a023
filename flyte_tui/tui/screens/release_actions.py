"""What the Welcome screen offers for the release it found, beside upgrade and doctor (which the app runs):
Uninstall (:mod:`~flyte_tui.tui.screens.uninstall`) and, for a flyte-binary release, Move to flyte-core
(:mod:`~flyte_tui.tui.screens.migrate`). Each opens its screen over Welcome; once it ran, the release is
looked for again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from flyte_tui.migrate.answers import BINARY

if TYPE_CHECKING:
    from textual.app import App

    from flyte_tui.release import ReleaseInfo
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.state import WizardState


class Origin(Protocol):
    """The screen the actions start from (the Welcome screen)."""

    @property
    def state(self) -> WizardState:
        """The session: what detection found, the tools, where the answers file is."""
        ...

    @property
    def app(self) -> App[Any]:
        """The app the action's screen is pushed on."""
        ...

    def look_again(self) -> None:
        """After the action ran: look for the release again."""


def is_binary(detection: Detection) -> bool:
    """The release detection found is a flyte-binary one (it can move to flyte-core)."""
    return detection.release is not None and detection.release.chart.startswith(BINARY + "-")


def _found(origin: Origin, what: str) -> tuple[Detection, ReleaseInfo] | None:
    detection = origin.state.detection
    if detection is None or detection.release is None:
        origin.app.notify(f"No release was found to {what}.", severity="warning")
        return None
    return detection, detection.release


def _then_look_again(origin: Origin) -> Any:
    def done(ran: bool | None) -> None:
        if ran:
            origin.look_again()

    return done


def open_uninstall(origin: Origin) -> None:
    """The uninstall preview of the release detection found (Flyte's and its dependency release)."""
    from flyte_tui.tui.screens.uninstall import UninstallScreen
    from flyte_tui.uninstall import UninstallOptions, for_release

    found = _found(origin, "uninstall")
    if found is None:
        return
    detection, info = found
    helm, kubectl = origin.state.tools()
    target = for_release(info.name, info.namespace, detection.asked_context or detection.current_context)
    log = origin.state.answers_path.parent / "flyte-tui-uninstall.log"
    screen = UninstallScreen(target, UninstallOptions(helm, kubectl), log_path=log)
    origin.app.push_screen(screen, _then_look_again(origin))


def open_migration(origin: Origin) -> None:
    """The review of moving the flyte-binary release detection found to flyte-core."""
    from flyte_tui.migrate.prepare import MigrationSource
    from flyte_tui.tui.screens.migrate import MigrateScreen

    found = _found(origin, "move to flyte-core")
    if found is None:
        return
    detection, info = found
    if not is_binary(detection):
        origin.app.notify(f"Release {info.name} is {info.chart}: only a flyte-binary release moves to flyte-core.",
                          severity="warning")  # fmt: skip
        return
    if info.status != "deployed":  # as flyte-tui migrate: the old release must serve until the new one is Ready
        origin.app.notify(f"Release {info.name} is {info.status}: a migration needs it deployed (Upgrade offers "
                          "the recovery of a pending release).", severity="warning")  # fmt: skip
        return
    helm, kubectl = origin.state.tools()
    context = detection.asked_context or detection.current_context
    source = MigrationSource(info, context, origin.state.answers_path, helm, kubectl)
    origin.app.push_screen(MigrateScreen(source), _then_look_again(origin))
