"""The wizard's session, in one object: the raw answers (the answers-file shape), re-validated on every
change, and what the wizard knows beside them (files, detection, how the session began).

No Textual here: the app and the screens are handed this object and change it in the open. The typed
database password, S3 keys and auth client secrets live in their own attributes only, never in ``raw``, so
nothing that writes ``raw`` can leak them.
"""

from __future__ import annotations

import builtins
import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flyte_tui import tree
from flyte_tui.tui.steps import STEPS, step, step_of

if TYPE_CHECKING:
    from flyte_tui.charts import PlannedRelease
    from flyte_tui.doctor import DoctorTarget
    from flyte_tui.install import InstallOptions
    from flyte_tui.model import Problem, Validation
    from flyte_tui.tools.detect import Detection

T = TypeVar("T")

HELM_INSTALL = "https://helm.sh/docs/intro/install/"
"""Where helm's install instructions are (said wherever a missing helm is)."""
HELM_NAMES = ("helm", "helm3", "helm4")
"""The names a helm binary goes by on PATH (the test bed and some distributions install helm3 / helm4)."""
DEFAULT_ANSWERS = Path("flyte-tui.yaml")


def keys(path: str) -> tree.Path:
    """The tree path of a field's dotted answers path (the field ids and the model's problems use the dots)."""
    return tuple(path.split("."))


def fresh_answers(context: str = "") -> dict[str, Any]:
    """The answers a new install starts from: the model's defaults for the target."""
    from flyte_tui.model.plan import Target

    target = Target()
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "target": {
            "context": context,
            "namespace": target.namespace,
            "release": target.release,
            "chart": {"repo": target.chart.repo, "name": target.chart.name, "version": target.chart.version},
        },
    }


def helm_problem(detection: Detection | None) -> str:
    """Why the installer could not run the detected helm (empty when it can, or before detection)."""
    if detection is None:
        return ""
    helm = detection.helm
    if not helm.found or helm.error:
        return f"helm: {helm.error or 'not found'}"
    if helm.major is not None and helm.major not in (3, 4):
        return f"helm {helm.version}: flyte-tui needs helm 3 or 4"
    return ""


class WizardState:
    """The answers being edited, their validation, and the session around them."""

    def __init__(
        self,
        raw: dict[str, Any] | None = None,
        *,
        answers_path: Path | None = None,
        values_path: Path | None = None,
        steady: bool = False,
    ) -> None:
        self._raw: dict[str, Any] | None = copy.deepcopy(raw) if raw else None
        self.password: str = ""
        """The typed database password: memory only, handed to the installer, never written."""
        self.s3_access_key: str = ""
        self.s3_secret_key: str = ""
        """Typed S3 access keys (auth accesskey): memory only, like the password."""
        self.oidc_client_secret: str = ""
        """The typed client secret of the web login (OIDC): memory only, the installer puts it in its Secret."""
        self.propeller_client_secret: str = ""
        """The typed propeller client secret (optional): memory only; for Self its hash goes in the answers."""
        self._made_hash = ""
        self.dirty = False
        self.visited: set[str] = {"welcome"}
        self.answers_path = Path(answers_path) if answers_path else DEFAULT_ANSWERS
        self._values_path = Path(values_path) if values_path else None
        self._values_beside = self.answers_path
        self.detection: Detection | None = None
        """What the detection found (helm, kubectl, contexts, the release); None until it finished."""
        self.detected_defaults: set[str] = set()
        """Answers a step set once from what detection found (e.g. the ingress off on a cluster without an
        IngressClass): never set again, so the user's own choice stays."""
        self.started = False
        """The user chose how to begin (autosave starts then, so a recovery file is not overwritten unseen)."""
        self.upgrading = False
        """The answers came from a live release: Install reviews the upgrade first and rolls back on failure."""
        self.steady = steady
        """Steady cursors (tests and snapshots): the screens turn blinking off."""
        self._validation: Validation | None = None
        self._effective: dict[str, Any] | None = None
        self._releases: tuple[Validation, list[PlannedRelease]] | None = None

    @property
    def values_path(self) -> Path:
        """The values file to write: the one chosen, else the default name beside the first answers file."""
        if self._values_path is None:
            from flyte_tui.files.values import default_path  # the values module loads once it is needed

            self._values_path = default_path(self._values_beside)
        return self._values_path

    @values_path.setter
    def values_path(self, path: Path) -> None:
        self._values_path = path

    @property
    def raw(self) -> dict[str, Any]:
        """The answers as the answers file holds them (a new install's until others are loaded)."""
        if self._raw is None:
            self._raw = fresh_answers()  # on first use: the welcome screen paints without the model
        return self._raw

    @raw.setter
    def raw(self, value: dict[str, Any]) -> None:
        self._raw = value

    @property
    def validation(self) -> Validation:
        """The validation of the current answers (computed on demand, cached until a change)."""
        if self._validation is None:
            from flyte_tui.charts import validate_answers

            self._validation = validate_answers(self.raw)
        return self._validation

    def releases(self) -> list[PlannedRelease] | None:
        """The plan's releases, their values rendered once for these answers (the review's preview, the save and
        the installer share them); None while the answers have errors."""
        validation = self.validation
        if not validation.ok or validation.plan is None:
            return None
        if self._releases is None or self._releases[0] is not validation:
            from flyte_tui.charts import plan_releases

            self._releases = (validation, plan_releases(validation.plan))
        return self._releases[1]

    def effective(self, path: str, default: Any = None) -> Any:
        """The answer at a path with the environment's preset underneath (what validation sees)."""
        if self._effective is None:
            from flyte_tui.presets import apply_preset

            self._effective = apply_preset(self.raw, sizable=self._sizable())[0]
        return tree.get(self._effective, keys(path), default)

    def get(self, path: str, default: Any = None) -> Any:
        """The raw answer at a dotted path."""
        return tree.get(self.raw, keys(path), default)

    def set(self, path: str, value: Any) -> bool:
        """Change one answer (None removes it); True when something changed."""
        if self.get(path, _MISSING) == value:
            return False
        if value is None:
            tree.delete(self.raw, keys(path))
        else:
            tree.put(self.raw, keys(path), copy.deepcopy(value))
        if path == "projects.domains" and isinstance(value, list):
            # the quota rows follow the domain list: a removed domain takes its quota with it
            quotas = self.get("projects.quotas")
            if isinstance(quotas, dict):
                for domain in [d for d in quotas if d not in value]:
                    tree.delete(self.raw, ("projects", "quotas", domain))
        self._changed()
        return True

    def replace(self, raw: dict[str, Any], dirty: bool = True) -> None:
        """Load a whole new set of answers (opened, imported or recovered)."""
        self.raw = copy.deepcopy(raw)
        self._validation = None
        self._effective = None
        self.dirty = dirty

    def choose_environment(self, name: str) -> list[str]:
        """Switch environment: answers the old preset supplied give way to the new preset's.

        Returns the dotted paths the new preset filled, for the screen to say so.
        """
        from flyte_tui.presets import PRESET_NAMES, apply_preset, preset

        old = self.raw.get("environment")
        if old == name:
            return []
        raw = copy.deepcopy(self.raw)
        if isinstance(old, str) and old in PRESET_NAMES:
            for path, value in tree.walk(preset(old)):
                if tree.get(raw, path, _MISSING) == value:
                    tree.delete(raw, path)
        raw["environment"] = name
        merged, filled = apply_preset(raw, sizable=self._sizable())
        self.raw = merged
        self._changed()
        return [p for p in filled if p != "environment"]

    def _sizable(self) -> tuple[str, ...]:
        """The components the answers' chart sizes (a preset sizes no other)."""
        from flyte_tui.charts import profile_for_chart
        from flyte_tui.model.plan import DEFAULT_CHART

        name = self.get("target.chart.name")
        return tuple(profile_for_chart(name if isinstance(name, str) and name else DEFAULT_CHART).sizable_components)

    def set_propeller_secret(self, secret: str) -> bool:
        """Keep the typed propeller client secret (memory only) and the hash of it the answers need for Self;
        True when that changed the answers."""
        self.propeller_client_secret = secret
        return self.sync_propeller_hash()

    def sync_propeller_hash(self) -> bool:
        """For ``Self``, ``auth.clients.propellerHash`` made from the typed propeller secret (kept when it
        already matches; the one this session made removed with the secret); True when the answers changed.

        The hash is not a secret (flyteadmin's config carries it); the secret itself never enters ``raw``."""
        from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_matches

        path = "auth.clients.propellerHash"
        current = self.get(path)
        secret = self.propeller_client_secret
        if not secret:
            made, self._made_hash = self._made_hash, ""
            return bool(made) and current == made and self.set(path, None)
        if self.effective("auth.authorizationServer", "Self") != "Self":
            return False
        if isinstance(current, str) and current and propeller_secret_matches(secret, current):
            return False
        self._made_hash = hash_propeller_secret(secret)
        return self.set(path, self._made_hash)

    def problems_for(self, step_id: str) -> list[Problem]:
        """The problems (errors and warnings) a step's fields have."""
        owner = step(step_id)
        if step_id == "review":
            return list(self.validation.problems)
        return [p for p in self.validation.problems if owner.owns(p.path) and step_of(p.path) is owner]

    def errors_for(self, step_id: str) -> list[Problem]:
        """The errors that refuse Next on a step."""
        return [p for p in self.problems_for(step_id) if p.severity == "error"]

    def steps_with_errors(self) -> builtins.set[str]:
        """The steps (the review apart) whose fields have errors, for the step list."""
        return {s.id for s in STEPS if s.id != "review" and self.errors_for(s.id)}

    def where(self) -> tuple[str, str, str]:
        """The kube context, namespace and release the answers point at (the model's defaults when unset)."""
        target = self.raw.get("target")
        target = target if isinstance(target, dict) else {}
        fresh = fresh_answers()["target"]
        return (
            target.get("context", ""),
            target.get("namespace", fresh["namespace"]),
            target.get("release", fresh["release"]),
        )

    def tools(self) -> tuple[str, str]:
        """The helm and kubectl binaries detection found (or the names, to be found on PATH)."""
        d = self.detection
        helm = d.helm.path if d is not None and d.helm.path else "helm"
        kubectl = d.kubectl.path if d is not None and d.kubectl.path else "kubectl"
        return helm, kubectl

    def install_options(self) -> InstallOptions:
        """How the installer runs these answers: the session's files and binaries, the typed secrets
        (memory only), and rollback on failure for an upgrade."""
        from flyte_tui.install import InstallOptions
        from flyte_tui.install.secrets import SecretValues

        secrets = SecretValues(
            db_password=self.password or None,
            s3_access_key=self.s3_access_key or None,
            s3_secret_key=self.s3_secret_key or None,
            oidc_client_secret=self.oidc_client_secret or None,
            propeller_client_secret=self.propeller_client_secret or None,
        )
        helm, kubectl = self.tools()
        return InstallOptions(
            values_path=self.values_path, helm=helm, kubectl=kubectl, rollback_on_failure=self.upgrading,
            secrets=secrets, source=self.answers_path.name,
        )

    def doctor_target(self) -> DoctorTarget:
        """What the doctor examines: the release the answers point at (with the answers, once begun)."""
        from flyte_tui.doctor import DoctorTarget

        context, namespace, release = self.where()
        helm, kubectl = self.tools()
        plan = self.validation.plan if self.started else None
        return DoctorTarget(
            namespace=namespace, release=release, context=context, kubectl=kubectl, helm=helm, plan=plan
        )

    def _changed(self) -> None:
        self._validation = None
        self._effective = None
        self.dirty = True


_MISSING = object()


class FromState(Generic[T]):
    """An attribute of the app that is the session's: ``app.upgrading`` reads and sets ``app.state.upgrading``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, app: Any, owner: type | None = None) -> T:
        value: T = getattr(app.state, self.name)
        return value

    def __set__(self, app: Any, value: T) -> None:
        setattr(app.state, self.name, value)
