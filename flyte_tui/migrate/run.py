"""The migration's steps, as the install's typed events (:mod:`flyte_tui.events`).

Order (the review says it too):

1. the FlyteWorkflow CRD, when it is there and no Helm release owns it (flyte-binary's propeller creates it at
   run time), is adopted by the new release, so that flyte-core's ``helm install`` may own it;
2. the new flyte-core release is installed (the install pipeline) with its Ingress off: the old release's
   Ingress keeps the host, so the two never claim it at once, and Flyte stays reachable;
3. every component is waited for until Ready; if the new release fails, the old one is untouched (still
   deployed, still serving) and the run stops there;
4. the old flyte-binary release is uninstalled (the uninstall: the CRD kept, every Secret kept, since the new
   release reads the same ones), its Ingress with it;
5. the new release is upgraded with its Ingress on: the host moves to flyte-core.

The two charts' other objects do not clash: flyte-binary names every object after its fullname
(``<release>-flyte-binary``), flyte-core uses fixed names (flyteadmin, datacatalog, ...); should anything else
own one of flyte-core's names, helm refuses the install at step 2, before the old release is touched.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from flyte_tui.charts import plan_releases
from flyte_tui.events import Event, InstallFinished, OutputLine, StepFailed, StepFinished, StepStarted
from flyte_tui.install import InstallOptions
from flyte_tui.install.pipeline import Installer
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process
from flyte_tui.tools.helm import HelmError
from flyte_tui.tools.kubectl import Kubectl, KubectlError
from flyte_tui.uninstall import Uninstaller, UninstallOptions, UninstallTarget, read_preview

CRD = "flyteworkflows.flyte.lyft.com"
"""The FlyteWorkflow CRD both charts use."""
RELEASE_NAME = "meta.helm.sh/release-name"
RELEASE_NAMESPACE = "meta.helm.sh/release-namespace"
OLD_PREFIX = "old-"
"""The id prefix of the old release's uninstall steps."""
INGRESS_PREFIX = "ingress-"
"""The id prefix of the steps that turn the new release's Ingress on."""


@dataclass(frozen=True)
class MigrationPlan:
    """What one migration does: the validated flyte-core plan and the flyte-binary release it replaces."""

    plan: InstallPlan
    """The new release's plan (the flyte-core answers)."""
    old_release: str

    @property
    def new_release(self) -> str:
        """The flyte-core release's name."""
        return self.plan.target.release

    @property
    def namespace(self) -> str:
        """Where both releases are."""
        return self.plan.target.namespace

    @property
    def moves_ingress(self) -> bool:
        """The new release has an Ingress, turned on only after the old one is gone."""
        return self.plan.ingress.enabled

    def without_ingress(self) -> InstallPlan:
        """The plan of step 2: the same, its Ingress off."""
        return self.plan.model_copy(update={"ingress": self.plan.ingress.model_copy(update={"enabled": False})})

    def order(self) -> list[str]:
        """The steps, in words (the review shows them)."""
        new, old = self.new_release, self.old_release
        host = self.plan.ingress.host or "any host"
        lines = [
            f"1. adopt the FlyteWorkflow CRD into {new} when no release owns it (kept through every step)",
            f"2. install {new} (flyte-core) beside {old}" + (", its Ingress off: " + old + " keeps serving "
                                                               f"{host}" if self.moves_ingress else ""),
            f"3. wait until every component of {new} is Ready; if it fails, {old} is left untouched",
            f"4. helm uninstall {old}: its Ingress goes with it; the CRD and every Secret are kept "
            f"({new} reads the same database Secret and buckets)",
        ]  # fmt: skip
        if self.moves_ingress:
            lines.append(f"5. upgrade {new} with its Ingress on: {host} moves to flyte-core")
        return lines


@dataclass(frozen=True)
class MigrationOptions:
    """How to run a migration."""

    install: InstallOptions
    uninstall: UninstallOptions


class Migrator:
    """Runs one migration and yields what happens; the last event is always :class:`InstallFinished`."""

    def __init__(self, migration: MigrationPlan, options: MigrationOptions, cancel: threading.Event | None = None):
        self.migration = migration
        self.options = options
        self.cancel = cancel or threading.Event()
        self.started = time.monotonic()

    def run(self) -> Iterator[Event]:
        """Yield every step's events."""
        self.started = time.monotonic()
        m = self.migration
        if not (yield from self._step("crd", "Adopt the FlyteWorkflow CRD", self._adopt_crd)):
            return
        first = m.without_ingress() if m.moves_ingress else m.plan
        finished = yield from self._install(first, f"{m.new_release}: ", "")
        if not finished.ok:
            yield self._end(False, finished.release_state, (
                *finished.summary, f"release {m.old_release} (flyte-binary) is untouched: still deployed and serving",
                "next: fix what the failed step says, then run the migration again (it goes on from here); do not "
                f"uninstall {m.new_release} while {m.old_release} runs: it shares {m.old_release}'s Secrets, and "
                "helm would delete the FlyteWorkflow CRD with it"))  # fmt: skip
            return
        removed = yield from self._uninstall_old()
        if not removed.ok:
            yield self._end(False, removed.release_state, (
                f"release {m.new_release} (flyte-core) is Ready", *removed.summary))  # fmt: skip
            return
        if m.moves_ingress:
            finished = yield from self._install(m.plan, f"{m.new_release} Ingress: ", INGRESS_PREFIX)
            if not finished.ok:
                yield self._end(False, finished.release_state, (
                    f"release {m.old_release} is uninstalled; {m.new_release} runs without its Ingress",
                    *finished.summary, "next: fix what the failed step says, then flyte-tui upgrade the new "
                    "answers"))  # fmt: skip
                return
        yield self._end(True, "deployed", (
            f"release {m.new_release} (flyte-core) is Ready in namespace {m.namespace}",
            f"release {m.old_release} (flyte-binary) uninstalled; the CRD and the Secrets kept",
            *finished.summary))  # fmt: skip

    def _step(self, step: str, title: str, run: Callable[[], str]) -> Generator[Event, None, bool]:
        yield StepStarted(step, title)
        began = time.monotonic()
        try:
            detail = run()
        except process.Cancelled:
            yield StepFailed(step, f"cancelled: nothing changed; release {self.migration.old_release} untouched")
            yield self._end(False, "unchanged", ("cancelled before the install: nothing changed",))
            return False
        except (KubectlError, process.ProcessError, ValueError) as exc:
            yield StepFailed(step, str(exc))
            yield self._end(False, "unchanged", (f"release {self.migration.old_release} is untouched",))
            return False
        yield StepFinished(step, True, time.monotonic() - began, str(detail))
        return True

    def _kubectl(self) -> Kubectl:
        o, p = self.options.install, self.migration.plan.target
        return Kubectl(o.kubectl, p.context, p.namespace, o.env, self.cancel)

    def _adopt_crd(self) -> str:
        """The CRD, when no Helm release owns it, annotated as the new release's (helm then installs over it)."""
        kubectl = self._kubectl()
        found = kubectl.get_json("customresourcedefinitions", namespaced=False)
        names = {str((i.get("metadata") or {}).get("name")): i for i in found.get("items") or []}
        crd = names.get(CRD)
        if crd is None:
            return "not there yet: flyte-core creates it"
        owner = ((crd.get("metadata") or {}).get("annotations") or {}).get(RELEASE_NAME)
        m = self.migration
        if owner and owner != m.old_release:
            return f"owned by release {owner}: left as it is"
        kubectl.check(
            "annotate",
            "customresourcedefinition",
            CRD,
            "--overwrite",
            f"{RELEASE_NAME}={m.new_release}",
            f"{RELEASE_NAMESPACE}={m.namespace}",
            namespaced=False,
        )
        kubectl.check("label", "customresourcedefinition", CRD, "--overwrite", "app.kubernetes.io/managed-by=Helm",
                      namespaced=False)  # fmt: skip
        return f"{CRD} adopted by release {m.new_release}"

    def _install(self, plan: InstallPlan, title: str, step: str) -> Generator[Event, None, InstallFinished]:
        installer = Installer(plan, self.options.install, self.cancel, plan_releases(plan))
        finished = InstallFinished(False, "unknown", 0.0)
        for event in installer.run():
            if isinstance(event, InstallFinished):
                finished = event
                continue
            yield _titled(event, title, step)
        return finished

    def _uninstall_old(self) -> Generator[Event, None, InstallFinished]:
        m, t = self.migration, self.migration.plan.target
        target = UninstallTarget(t.context, t.namespace, (m.old_release,), None, find_dependencies=False)
        yield StepStarted("old-release", f"Read what uninstalling {m.old_release} removes")
        try:
            preview = read_preview(target, self.options.uninstall, self.cancel)
        except (HelmError, KubectlError, process.ProcessError, ValueError) as exc:
            yield StepFailed("old-release", f"cannot read release {m.old_release}: {exc}")
            return InstallFinished(
                False,
                "unknown",
                0.0,
                (
                    f"release {m.old_release} is still deployed",
                    f"next: flyte-tui uninstall --release {m.old_release} -n {m.namespace}",
                ),
            )
        # every Secret stays: the new release reads the same database password and storage keys
        preview = dataclasses.replace(preview, secrets=())
        yield OutputLine("old-release", f"kept: the Secrets of {m.old_release} ({m.new_release} uses them)")
        yield StepFinished("old-release", True, 0.0, ", ".join(r.name for r in preview.releases) or "none")
        finished = InstallFinished(False, "unknown", 0.0)
        for event in Uninstaller(preview, self.options.uninstall, self.cancel).run():
            if isinstance(event, InstallFinished):
                finished = event
                continue
            yield _titled(event, f"{m.old_release}: ", OLD_PREFIX)
        return finished

    def _end(self, ok: bool, state: str, summary: tuple[str, ...]) -> InstallFinished:
        return InstallFinished(ok, state, time.monotonic() - self.started, summary)


def _titled(event: Event, title: str, step: str) -> Event:
    """A step's title names the release it is about; its id says the phase (``old-``, ``ingress-``), so that the
    uninstall's and the second install's steps are not taken for the first install's."""
    if isinstance(event, StepStarted):
        return dataclasses.replace(event, step=step + event.step, title=title + event.title)
    if isinstance(event, StepFinished | StepFailed | OutputLine):
        return dataclasses.replace(event, step=step + event.step)
    return event
