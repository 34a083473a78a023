"""The wizard's propeller secret (``authorizationServer: Self``), settled before Save and install renders the
plan, as ``flyte-tui install`` settles it (:mod:`flyte_tui.install.propeller_secret`): the secret typed in the
Authentication step, else the one in the cluster's ``flyte-secret-auth`` (reused, never rotated), else a new
one. The settled plan (its ``auth.clients.propellerHash`` set) is what is reviewed and installed, and what the
values file is written from (only now, so it never holds an empty hash the installer rewrites); a reused or made
secret goes only into the install options (memory), never into the answers or the recovery file."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import App
from textual.message import Message

if TYPE_CHECKING:
    from flyte_tui.charts import PlannedRelease
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tui.state import WizardState

Then = Literal["install", "review"]
"""What follows the settling: a new install (checked for an existing release first) or the upgrade review."""

HASH_PATH = "auth.clients.propellerHash"
"""The answer a settling that cannot agree is about (the Authentication step shows it at the secret)."""


@dataclasses.dataclass(frozen=True)
class Settled:
    """A plan with its propeller secret settled: the plan, the options with the secret, and what was done."""

    plan: InstallPlan
    options: InstallOptions
    note: str = ""


def settle_for_wizard(plan: InstallPlan, options: InstallOptions, cancel: threading.Event) -> Settled:
    """Settle the propeller secret of ``plan`` on its cluster, with the options' kubectl and typed secret.
    ValueError (the message belongs at ``auth.clients.propellerHash``), ProcessError (the cluster did not
    answer) as :func:`~flyte_tui.install.propeller_secret.settle_on_cluster`."""
    from flyte_tui.install.propeller_secret import needs_settling, settle_on_cluster
    from flyte_tui.tools.kubectl import Kubectl

    if not needs_settling(plan):
        return Settled(plan, options)
    t = plan.target
    kubectl = Kubectl(options.kubectl, t.context, t.namespace, options.env, cancel=cancel)
    settled = settle_on_cluster(plan, options.secrets.propeller_client_secret, kubectl)
    secrets = settled.with_secret(options.secrets)
    return Settled(settled.plan, dataclasses.replace(options, secrets=secrets), settled.note)


class PropellerSettled(Message):
    """The propeller secret was settled (``result`` a :class:`Settled`), or could not be (``result`` the error:
    ValueError about the answers, ProcessError about the cluster)."""

    def __init__(self, then: Then, result: Settled | Exception, releases: Sequence[PlannedRelease] | None) -> None:
        super().__init__()
        self.then = then
        self.result = result
        self.releases = releases


class SettlesSecret(App[None]):
    """The app's settling of the propeller secret before an install or an upgrade review."""

    stopping: threading.Event
    state: WizardState
    # what the app and the upgrade flow provide
    goto: Callable[..., None]
    install_checked: Callable[..., object]
    review_upgrade: Callable[..., object]

    @work(thread=True, exclusive=True, group="settle", exit_on_error=False)
    def settle_then(
        self,
        then: Then,
        plan: InstallPlan,
        options: InstallOptions,
        releases: Sequence[PlannedRelease] | None = None,
    ) -> None:
        """Settle the propeller secret off the UI thread, then go on to ``then`` with the settled plan (its
        releases rendered again when the plan changed)."""
        from flyte_tui.tools.process import ProcessError

        try:
            settled = settle_for_wizard(plan, options, self.stopping)
        except (ValueError, ProcessError) as exc:  # Cancelled included: the app is closing
            self.post_message(PropellerSettled(then, exc, None))
            return
        if releases is None or settled.plan != plan:  # rendered here, off the UI thread, for the values file
            from flyte_tui.charts import plan_releases

            releases = plan_releases(settled.plan)
        self.post_message(PropellerSettled(then, settled, releases))

    @on(PropellerSettled)
    def _propeller_settled(self, message: PropellerSettled) -> None:
        settled = message.result
        if isinstance(settled, Exception):
            self.notify(f"Cannot settle the propeller client secret: {settled}", severity="error")
            if isinstance(settled, ValueError):  # about the answers: the field the secret is typed in
                self.goto("auth", HASH_PATH)
            return
        if settled.note:
            self.notify(settled.note, title="Propeller client secret")
        if message.releases is not None and not self._save_values(message.releases):
            return
        go = self.review_upgrade if message.then == "review" else self.install_checked
        go(settled.plan, settled.options, message.releases)

    def _save_values(self, releases: Sequence[PlannedRelease]) -> bool:
        """The values file of the plan as it is installed (its propeller hash settled), written before the install
        or the upgrade review; whether it could be."""
        from flyte_tui.tui.wizard_files import save_values

        try:
            saved = save_values(self.state, releases)
        except OSError as exc:
            self.notify(f"Saving the values failed: {exc}", severity="error")
            return False
        message, title, severity = saved.note()
        self.notify(message, title=title, severity=severity)
        return True
