"""The three layers of an upgrade review — answers, values, manifests — as pure functions.

Manifests are compared per Kubernetes object after normalising both sides (key order, empty
fields, the ``helm.sh/chart`` label that changes with every chart version) so only real changes show.
Secrets never show a value: only which keys were added, removed or changed. Every other layer masks
secret-looking values too (``password``, ``clientSecret``, ``apiKey``, env entries such as
``DB_PASSWORD``, ``password: …`` inside ConfigMap text) with the doctor's redaction rules, and a masked
value that changed reads ``(redacted, changed)``, so the change still shows, never the value.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ruamel.yaml import YAML

from flyte_tui import tree
from flyte_tui.files.yamlio import dump
from flyte_tui.review.mask import ABSENT, CHANGED, REDACTED, mask, masked_key

Change = Literal["added", "removed", "changed"]
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
        """``path: old → new`` (a masked value shows as ``(redacted)``, unquoted)."""
        if self.change == "added":
            return f"+ {self.path}: {_shown(self.new)}"
        if self.change == "removed":
            return f"- {self.path}: {_shown(self.old)}"
        return f"~ {self.path}: {_shown(self.old)} → {_shown(self.new)}"


def _shown(value: Any) -> str:
    return value if value in (REDACTED, CHANGED) else repr(value)


def _changes(old: Any, new: Any) -> list[tuple[tree.Path, LeafChange]]:
    """Every leaf that differs between two trees, sorted by path, with its path as keys."""
    a, b = tree.leaves(old), tree.leaves(new)
    changes = []
    for path in sorted(set(a) | set(b), key=tree.dotted):
        text = tree.dotted(path)
        if path not in b:
            changes.append((path, LeafChange(text, "removed", a[path], None)))
        elif path not in a:
            changes.append((path, LeafChange(text, "added", None, b[path])))
        elif a[path] != b[path]:
            changes.append((path, LeafChange(text, "changed", a[path], b[path])))
    return changes


def leaf_changes(old: Any, new: Any) -> list[LeafChange]:
    """Every leaf that differs between two trees, sorted by path (lists are leaves: Helm replaces them whole)."""
    return [change for _path, change in _changes(old, new)]


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
            if na == nb and not values_changed:
                continue
            if secret:
                na, nb = redact_secret(na), redact_secret(nb)
            lines = tuple(unified(_dump(mask(na)), _dump(mask(nb, na)), f"{key} (deployed)", f"{key} (new)"))
            diffs.append(ObjectDiff(key, "changed", lines, keys))
        else:
            present = b if b is not None else a
            assert present is not None
            shown = redact_secret(normalise(present)) if secret else normalise(present)
            text = _dump(mask(shown))
            lines = tuple(
                unified("", text, "/dev/null", f"{key}") if b is not None else unified(text, "", f"{key}", "/dev/null")
            )
            keys = _secret_key_changes(a, b) if secret else ()
            diffs.append(ObjectDiff(key, "added" if b is not None else "removed", lines, keys))
    return ManifestDiff(diffs)


def _mask_change(path: tree.Path, change: LeafChange) -> LeafChange:
    """A leaf change with its values masked (the leaf's own key decides, then :func:`mask`)."""
    secret = masked_key(path[-1])
    before = change.old if change.change == "changed" else ABSENT
    old = None if change.old is None else mask(change.old, secret=secret)
    new = None if change.new is None else mask(change.new, before, secret)
    return LeafChange(change.path, change.change, old, new)


# -- values and answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValuesDiff:
    """The user-supplied values before and after, as the leaves that change."""

    changes: tuple[LeafChange, ...]
    lines: tuple[str, ...]
    """One ``+``/``-``/``~ path: old → new`` line per changed leaf (:meth:`LeafChange.line`), in path order."""

    def __bool__(self) -> bool:
        return bool(self.changes)


def values_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> ValuesDiff:
    """The leaves that differ between two values trees; secret-looking values never shown.

    The trees are compared, not their text: helm returns the deployed values with sorted keys, ours
    keep the chart's order, so a text diff would show every moved block. Changes are found on the
    real values, then masked, so a changed password still shows as changed.
    """
    changes = tuple(_mask_change(p, c) for p, c in _changes(old or {}, new or {}))
    return ValuesDiff(changes, tuple(c.line() for c in changes))


def answers_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[LeafChange]:
    """Which answers changed (old → new); secret-looking values (under extraValues, say) masked."""
    return [_mask_change(p, c) for p, c in _changes(old, new)]


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
    user = tree.leaves(user_values)
    warnings = []
    for path, change in _changes(old_defaults, new_defaults):
        covered = any(path[: len(p)] == p for p in user)
        if not covered:
            warnings.append(
                ChartChangeWarning(
                    change.path, f"chart default {change.change}: {change.old!r} → {change.new!r} (you did not set it)"
                )
            )
        elif path in user and isinstance(user[path], list):
            warnings.append(
                ChartChangeWarning(
                    change.path,
                    "your list replaces the chart's list wholesale, and the chart's default list changed: "
                    f"{change.old!r} → {change.new!r}",
                )
            )
    return warnings
