"""The three layers of an upgrade review — answers, values, manifests — as pure functions.

Manifests are compared per Kubernetes object after normalising both sides (key order, empty
fields, the ``helm.sh/chart`` label that changes with every chart version) so only real changes show.
Secrets never show a value: only which keys were added, removed or changed.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ruamel.yaml import YAML

from flyte_tui.yamlio import dump

Change = Literal["added", "removed", "changed"]
REDACTED = "(redacted)"
NOISE_LABELS = ("helm.sh/chart",)
"""Labels that change with every chart version and say nothing about what the object does."""


# -- leaves ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafChange:
    """One changed value at a dotted path."""

    path: str
    change: Change
    old: Any = None
    new: Any = None

    def line(self) -> str:
        """``path: old → new``."""
        if self.change == "added":
            return f"+ {self.path}: {self.new!r}"
        if self.change == "removed":
            return f"- {self.path}: {self.old!r}"
        return f"~ {self.path}: {self.old!r} → {self.new!r}"


def leaves(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten nested maps to ``{"a.b.c": value}``; lists stay whole (Helm replaces them whole)."""
    out: dict[str, Any] = {}
    if isinstance(tree, Mapping) and tree:
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(leaves(value, path))
    elif prefix:
        out[prefix] = tree
    return out


def leaf_changes(old: Any, new: Any) -> list[LeafChange]:
    """Every leaf that differs between two trees, sorted by path."""
    a, b = leaves(old), leaves(new)
    changes = []
    for path in sorted(set(a) | set(b)):
        if path not in b:
            changes.append(LeafChange(path, "removed", a[path], None))
        elif path not in a:
            changes.append(LeafChange(path, "added", None, b[path]))
        elif a[path] != b[path]:
            changes.append(LeafChange(path, "changed", a[path], b[path]))
    return changes


def unified(old_text: str, new_text: str, old_name: str = "before", new_name: str = "after") -> list[str]:
    """A unified diff as lines (no trailing newlines)."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            old_text.splitlines(keepends=True), new_text.splitlines(keepends=True), old_name, new_name, n=3
        )
    ]


# -- manifests ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectKey:
    """Identity of a Kubernetes object in a release."""

    kind: str
    name: str
    namespace: str = ""
    group: str = ""

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True)
class ObjectDiff:
    """One object that an upgrade adds, removes or changes."""

    key: ObjectKey
    change: Change
    lines: tuple[str, ...] = ()
    """Unified diff of the normalised object (empty for Secrets: see ``secret_keys``)."""
    secret_keys: tuple[tuple[str, str], ...] = ()
    """For Secrets: (key, "added"|"removed"|"changed"|"unchanged") — never a value."""


@dataclass
class ManifestDiff:
    """Every object that changes, in a stable order (kind, then name)."""

    objects: list[ObjectDiff] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, dict[Change, int]]:
        """Per kind: how many objects are added, removed, changed."""
        out: dict[str, dict[Change, int]] = {}
        for obj in self.objects:
            per_kind = out.setdefault(obj.key.kind, {"added": 0, "removed": 0, "changed": 0})
            per_kind[obj.change] += 1
        return out

    def __bool__(self) -> bool:
        return bool(self.objects)


def _load_all(text: str) -> Iterable[Any]:
    """Every YAML document: libyaml's C loader when there is one (10× faster on big releases)."""
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return list(yaml.load_all(text, Loader=loader))
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        return list(YAML(typ="safe").load_all(text))


def parse_manifest(text: str) -> dict[ObjectKey, dict[str, Any]]:
    """A multi-document manifest as objects keyed by identity (empty documents skipped)."""
    objects: dict[ObjectKey, dict[str, Any]] = {}
    for doc in _load_all(text or ""):
        if not isinstance(doc, dict) or "kind" not in doc:
            continue
        if doc.get("kind") == "List":
            for item in doc.get("items") or []:
                objects[_key(item)] = item
            continue
        objects[_key(doc)] = doc
    return objects


def _key(obj: Mapping[str, Any]) -> ObjectKey:
    meta = obj.get("metadata") or {}
    api = str(obj.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else ""
    return ObjectKey(str(obj.get("kind", "")), str(meta.get("name", "")), str(meta.get("namespace") or ""), group)


def _dump(data: Any) -> str:
    """Block YAML of plain data, fast (libyaml's C emitter when there is one); key order kept."""
    try:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return str(yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=False, allow_unicode=True))
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        return dump(data)


def _prune(node: Any) -> Any:
    """Drop empty maps, lists and nulls, recursively."""
    if isinstance(node, Mapping):
        pruned = {k: _prune(v) for k, v in node.items()}
        return {k: v for k, v in pruned.items() if v not in (None, {}, [])}
    if isinstance(node, list):
        return [_prune(v) for v in node]
    return node


def normalise(obj: Mapping[str, Any]) -> dict[str, Any]:
    """An object with the noise removed: chart-version labels, empty fields, key order."""
    out: dict[str, Any] = _prune(obj)  # a fresh copy: the caller's object is never changed
    template = (out.get("spec") or {}).get("template")
    for holder in (out, template if isinstance(template, dict) else {}):
        meta = holder.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("labels"), dict):
            for label in NOISE_LABELS:
                meta["labels"].pop(label, None)
            if not meta["labels"]:
                del meta["labels"]
            if not meta:
                del holder["metadata"]
    return out


def _digest(value: Any) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()


def redact_secret(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A Secret with every value replaced by a marker (keys kept)."""
    out = copy.deepcopy(dict(obj))
    for field_name in ("data", "stringData"):
        if isinstance(out.get(field_name), dict):
            out[field_name] = {k: REDACTED for k in out[field_name]}
    return out


def _secret_values(obj: Mapping[str, Any]) -> dict[str, str]:
    import base64

    values: dict[str, str] = {}
    for key, value in (obj.get("data") or {}).items():
        try:
            values[key] = _digest(base64.b64decode(str(value)).decode(errors="replace"))
        except ValueError:
            values[key] = _digest(value)
    for key, value in (obj.get("stringData") or {}).items():
        values[key] = _digest(value)
    return values


def _secret_key_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    a = _secret_values(old or {})
    b = _secret_values(new or {})
    out = []
    for key in sorted(set(a) | set(b)):
        if key not in b:
            out.append((key, "removed"))
        elif key not in a:
            out.append((key, "added"))
        else:
            out.append((key, "changed" if a[key] != b[key] else "unchanged"))
    return tuple(out)


def manifest_diff(old_text: str, new_text: str) -> ManifestDiff:
    """Compare two rendered releases object by object."""
    old, new = parse_manifest(old_text), parse_manifest(new_text)
    diffs: list[ObjectDiff] = []
    for key in sorted(set(old) | set(new), key=lambda k: (k.kind, k.name, k.namespace)):
        a, b = old.get(key), new.get(key)
        secret = key.kind == "Secret"
        if a is not None and b is not None:
            na, nb = normalise(a), normalise(b)
            keys = _secret_key_changes(a, b) if secret else ()
            values_changed = any(state != "unchanged" for _, state in keys)
            if secret:
                na, nb = redact_secret(na), redact_secret(nb)
            if na == nb and not values_changed:
                continue
            lines = tuple(unified(_dump(na), _dump(nb), f"{key} (deployed)", f"{key} (new)"))
            diffs.append(ObjectDiff(key, "changed", lines, keys))
        else:
            present = b if b is not None else a
            assert present is not None
            shown = redact_secret(normalise(present)) if secret else normalise(present)
            text = _dump(shown)
            lines = tuple(
                unified("", text, "/dev/null", f"{key}") if b is not None else unified(text, "", f"{key}", "/dev/null")
            )
            keys = _secret_key_changes(a, b) if secret else ()
            diffs.append(ObjectDiff(key, "added" if b is not None else "removed", lines, keys))
    return ManifestDiff(diffs)


# -- values and answers ---------------------------------------------------------------------------

SECRET_WORDS = (
    "password",
    "secretkey",
    "secret-key",
    "accesskey",
    "access-key",
    "token",
    "client_secret",
    "clientsecret",
    "oidc_client_secret",
)


def _secret_path(path: str) -> bool:
    last = path.rsplit(".", 1)[-1].lower().replace("_", "")
    return any(word.replace("_", "") in last for word in SECRET_WORDS) and not last.endswith(("path", "secretname"))


def redact_values(tree: Any) -> Any:
    """A values tree with the values of secret-looking keys (password, secretKey, …) masked."""
    if isinstance(tree, Mapping):
        return {
            k: (
                REDACTED
                if _secret_path(str(k)) and v not in (None, "") and not isinstance(v, Mapping)
                else redact_values(v)
            )
            for k, v in tree.items()
        }
    if isinstance(tree, list):
        return [redact_values(v) for v in tree]
    return tree


@dataclass(frozen=True)
class ValuesDiff:
    """The user-supplied values before and after."""

    changes: tuple[LeafChange, ...]
    lines: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)


def _mask_changes(changes: list[LeafChange]) -> list[LeafChange]:
    return [
        LeafChange(c.path, c.change, REDACTED if c.old is not None else None, REDACTED if c.new is not None else None)
        if _secret_path(c.path)
        else c
        for c in changes
    ]


def _mark_changed_secrets(tree: Any, changed: set[str], prefix: str = "") -> Any:
    if isinstance(tree, Mapping):
        return {k: _mark_changed_secrets(v, changed, f"{prefix}.{k}" if prefix else str(k)) for k, v in tree.items()}
    return f"{REDACTED}, changed" if prefix in changed else tree


def values_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> ValuesDiff:
    """Leaf changes and a unified diff of the two values files; secret-looking values never shown.

    Changes are found on the real values, then masked, so a changed password still shows as changed.
    """
    changes = _mask_changes(leaf_changes(old or {}, new or {}))
    changed_secrets = {c.path for c in changes if c.change == "changed" and _secret_path(c.path)}
    a = redact_values(old or {})
    b = _mark_changed_secrets(redact_values(new or {}), changed_secrets)
    lines = tuple(unified(dump(a), dump(b), "values (deployed)", "values (new)")) if changes else ()
    return ValuesDiff(tuple(changes), lines)


def answers_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[LeafChange]:
    """Which answers changed (old → new); secret-looking values (under extraValues) masked."""
    return _mask_changes(leaf_changes(old, new))


# -- chart version changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartChangeWarning:
    """Something a chart version change does that the user did not ask for."""

    path: str
    message: str


def chart_version_warnings(
    old_defaults: Mapping[str, Any], new_defaults: Mapping[str, Any], user_values: Mapping[str, Any]
) -> list[ChartChangeWarning]:
    """Defaults that changed for keys the user did not set, and user lists that replace changed defaults."""
    user = leaves(user_values)
    warnings = []
    for change in leaf_changes(old_defaults, new_defaults):
        covered = any(change.path == p or change.path.startswith(p + ".") for p in user)
        if not covered:
            warnings.append(
                ChartChangeWarning(
                    change.path, f"chart default {change.change}: {change.old!r} → {change.new!r} (you did not set it)"
                )
            )
        elif change.path in user and isinstance(user[change.path], list):
            warnings.append(
                ChartChangeWarning(
                    change.path,
                    "your list replaces the chart's list wholesale, and the chart's default list changed: "
                    f"{change.old!r} → {change.new!r}",
                )
            )
    return warnings


def changed_paths(changes: Iterable[LeafChange]) -> list[str]:
    """Just the paths."""
    return [c.path for c in changes]
