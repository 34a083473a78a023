"""The wizard's state: one raw answers dict (the answers-file shape), re-validated on every change.

No Textual here: the screens read this, the app changes it. The typed database password lives in
``password`` only, never in ``raw``, so nothing that writes ``raw`` can leak it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from flyte_tui.model import Problem, Validation


class Step(NamedTuple):
    """One step of the wizard: its id, its title and the answer paths it edits."""

    id: str
    title: str
    prefixes: tuple[str, ...]

    def owns(self, path: str) -> bool:
        """True when a problem at ``path`` belongs to this step."""
        return any(path == p or path.startswith(p + ".") for p in self.prefixes)


STEPS: tuple[Step, ...] = (
    Step("welcome", "Welcome", ()),
    Step("target", "Target", ("target",)),
    Step("environment", "Environment", ("environment", "apiVersion", "kind")),
    Step("storage", "Storage", ("storage",)),
    Step("database", "Database", ("database",)),
    Step("identity", "Identity & ingress",
         ("identity", "ingress", "projects.taskRoleArn", "projects.taskServiceAccount")),
    Step("resources", "Resources", ("resources", "projects")),
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


def fresh_answers(context: str = "") -> dict[str, Any]:
    """The answers a new install starts from (the model's defaults for the target)."""
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "target": {
            "context": context,
            "namespace": "flyte",
            "release": "flyte",
            "chart": {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-core", "version": "v1.16.8"},
        },
    }


def get_path(tree: Any, path: str, default: Any = None) -> Any:
    """The value at a dotted path, or ``default``."""
    node = tree
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path, creating maps on the way."""
    keys = path.split(".")
    node = tree
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[keys[-1]] = value


def delete_path(tree: dict[str, Any], path: str) -> None:
    """Remove a dotted path and any map it leaves empty."""
    keys = path.split(".")
    chain = [tree]
    for key in keys[:-1]:
        child = chain[-1].get(key)
        if not isinstance(child, dict):
            return
        chain.append(child)
    chain[-1].pop(keys[-1], None)
    for depth in range(len(chain) - 1, 0, -1):
        if not chain[depth]:
            chain[depth - 1].pop(keys[depth - 1], None)


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(_leaves(value, path))
        else:
            out[path] = value
    return out


class WizardState:
    """The answers being edited, their validation, and what the wizard knows beside them."""

    def __init__(self, raw: dict[str, Any] | None = None) -> None:
        self.raw: dict[str, Any] = copy.deepcopy(raw) if raw else fresh_answers()
        self.password: str = ""
        """The typed database password: memory only, handed to the installer, never written."""
        self.s3_access_key: str = ""
        self.s3_secret_key: str = ""
        """Typed S3 access keys (auth accesskey): memory only, like the password."""
        self.dirty = False
        self.visited: set[str] = {"welcome"}
        self._validation: Validation | None = None
        self._effective: dict[str, Any] | None = None

    @property
    def validation(self) -> Validation:
        """The validation of the current answers (computed on demand, cached until a change)."""
        if self._validation is None:
            from flyte_tui.charts import validate_answers

            self._validation = validate_answers(self.raw)
        return self._validation

    def effective(self, path: str, default: Any = None) -> Any:
        """The answer at a path with the environment's preset underneath (what validation sees)."""
        if self._effective is None:
            from flyte_tui.presets import apply_preset

            self._effective = apply_preset(self.raw)[0]
        return get_path(self._effective, path, default)

    def get(self, path: str, default: Any = None) -> Any:
        """The raw answer at a dotted path."""
        return get_path(self.raw, path, default)

    def set(self, path: str, value: Any) -> bool:
        """Change one answer (None removes it); True when something changed."""
        if self.get(path, _MISSING) == value:
            return False
        if value is None:
            delete_path(self.raw, path)
        else:
            set_path(self.raw, path, copy.deepcopy(value))
        if path == "projects.domains" and isinstance(value, list):
            # the quota rows follow the domain list: a removed domain takes its quota with it
            quotas = self.get("projects.quotas")
            if isinstance(quotas, dict):
                for domain in [d for d in quotas if d not in value]:
                    delete_path(self.raw, f"projects.quotas.{domain}")
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
            for path, value in _leaves(preset(old)).items():
                if get_path(raw, path, _MISSING) == value:
                    delete_path(raw, path)
        raw["environment"] = name
        merged, filled = apply_preset(raw)
        self.raw = merged
        self._changed()
        return [p for p in filled if p != "environment"]

    def problems_for(self, step_id: str) -> list[Problem]:
        """The problems (errors and warnings) a step's fields have."""
        owner = step(step_id)
        if step_id == "review":
            return list(self.validation.problems)
        return [p for p in self.validation.problems if owner.owns(p.path) and step_of(p.path) is owner]

    def errors_for(self, step_id: str) -> list[Problem]:
        """The errors that refuse Next on a step."""
        return [p for p in self.problems_for(step_id) if p.severity == "error"]

    def _changed(self) -> None:
        self._validation = None
        self._effective = None
        self.dirty = True


_MISSING = object()


def field_help(path: str) -> tuple[str, str]:
    """A field's label and help text, both from the answers model (its attribute docstrings)."""
    from pydantic import BaseModel

    from flyte_tui.model.plan import InstallPlan

    model: Any = InstallPlan
    description = ""
    name = path.rsplit(".", 1)[-1]
    for part in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            break
        info = next((i for n, i in model.model_fields.items() if part in (n, i.alias)), None)
        if info is None:
            continue  # a dict key such as a component or a domain name: the value model stays
        description = info.description or ""
        model = _inner_model(info.annotation)
    return _label(name), description


def _inner_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


_ACRONYMS = {
    "cpu": "CPU", "gpu": "GPU", "arn": "ARN", "tls": "TLS", "ssl": "SSL", "grpc": "gRPC", "id": "ID", "oci": "OCI",
    "aws": "AWS", "gcp": "GCP",
}


def _label(name: str) -> str:
    words: list[str] = []
    current = ""
    for char in name.replace("-", " "):
        if char.isupper() and current:
            words.append(current)
            current = char.lower()
        elif char == " ":
            words.append(current)
            current = ""
        else:
            current += char
    words.append(current)
    text = " ".join(_ACRONYMS.get(w, w) for w in words if w)
    return text[:1].upper() + text[1:]
