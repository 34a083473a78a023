"""Keeping objects through ``helm uninstall``: ``helm.sh/resource-policy: keep`` added to them in the release's
stored record.

helm reads the keep policy only from the manifest it stored for the release's newest revision, never from the
live object (helm/helm#8132), and flyte-core templates the FlyteWorkflow CRD with no value to annotate it. So,
to keep the CRD (and PersistentVolumeClaims the chart templates), flyte-tui edits that one record before
``helm uninstall``: the Secret ``sh.helm.release.v1.<release>.v<revision>`` (helm's default storage; its
``release`` key is base64(gzip(JSON)), the same in helm 3 and 4). Only the ``manifest`` field changes, and in it
only the annotations of the objects kept; every other byte of the record is helm's JSON, decoded and encoded
again. The Secret is replaced with its ``resourceVersion``, so a helm that wrote it meanwhile wins and the step
fails instead.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flyte_tui.files.yamlio import dump
from flyte_tui.review.diff import parse_manifest
from flyte_tui.tools.kubectl import Kubectl

KEEP_ANNOTATION = "helm.sh/resource-policy"
"""The annotation helm reads before deleting an object; ``keep`` leaves the object in the cluster."""
_SEPARATOR = re.compile(r"(?m)^---[ \t]*$")
"""Between two documents of a release manifest (as helm writes it: ``---`` then ``# Source: …``)."""
_GZIP_MAGIC = b"\x1f\x8b"


class RecordError(Exception):
    """The release record cannot be read or written (another storage driver, an unexpected encoding)."""


@dataclass(frozen=True)
class Kept:
    """What one edit of a release record marked to keep."""

    secret: str
    """The record: ``sh.helm.release.v1.flyte.v3``."""
    objects: tuple[str, ...]
    """``CustomResourceDefinition/flyteworkflows.flyte.lyft.com`` …, those now annotated keep."""


def decode_record(encoded: str) -> dict[str, Any]:
    """A helm release record from its Secret's ``data.release`` (kubectl's base64 of helm's base64(gzip(JSON)))."""
    try:
        raw = base64.b64decode(base64.b64decode(encoded, validate=True), validate=True)
        if raw[:2] == _GZIP_MAGIC:
            raw = gzip.decompress(raw)
        record = json.loads(raw)
    except (ValueError, OSError, EOFError) as exc:
        raise RecordError(f"the release record is not helm's base64(gzip(JSON)): {exc}") from exc
    if not isinstance(record, dict) or not isinstance(record.get("manifest"), str):
        raise RecordError("the release record holds no manifest")
    return record


def encode_record(record: dict[str, Any]) -> str:
    """The inverse of :func:`decode_record`: what goes into the Secret's ``data.release``."""
    packed = gzip.compress(json.dumps(record, separators=(",", ":")).encode(), compresslevel=9)
    return base64.b64encode(base64.b64encode(packed)).decode()


def with_keep(manifest: str, keep: Collection[str]) -> tuple[str, list[str]]:
    """``manifest`` with ``helm.sh/resource-policy: keep`` on each object named in ``keep`` (``Kind/name``),
    and the objects it was added to. Every other document is left exactly as it was."""
    parts = _SEPARATOR.split(manifest)
    marked: list[str] = []
    for at, part in enumerate(parts):
        objects = parse_manifest(part)
        if len(objects) != 1:
            continue
        key, obj = next(iter(objects.items()))
        if str(key) not in keep:
            continue
        annotations = obj.setdefault("metadata", {}).get("annotations") or {}
        if annotations.get(KEEP_ANNOTATION) != "keep":
            annotations[KEEP_ANNOTATION] = "keep"
            obj["metadata"]["annotations"] = annotations
            comments = [line for line in part.strip("\n").splitlines() if line.startswith("#")]
            parts[at] = "\n" + "".join(f"{line}\n" for line in comments) + dump(obj)
        marked.append(str(key))
    return "---".join(parts), marked


def newest_record(kubectl: Kubectl, release: str) -> dict[str, Any]:
    """The Secret holding the newest revision's record of ``release`` in kubectl's namespace."""
    items = kubectl.items("secrets", f"--selector=owner=helm,name={release}")
    if not items:
        raise RecordError(
            f"no helm record Secret for release {release}: helm stores it elsewhere (HELM_DRIVER=configmap, "
            "sql or memory), where flyte-tui cannot mark objects to keep"
        )

    def revision(item: dict[str, Any]) -> int:
        value = str((item.get("metadata", {}).get("labels") or {}).get("version", "0"))
        return int(value) if value.isdigit() else 0

    return max(items, key=revision)


def keep_through_uninstall(kubectl: Kubectl, release: str, keep: Collection[str]) -> Kept:
    """Mark ``keep`` (``Kind/name`` of objects in the release's manifest) with ``helm.sh/resource-policy: keep``
    in the newest record of ``release``, so that ``helm uninstall`` leaves them in the cluster."""
    secret = newest_record(kubectl, release)
    name = str(secret.get("metadata", {}).get("name", ""))
    record = decode_record(str((secret.get("data") or {}).get("release", "")))
    manifest, marked = with_keep(record["manifest"], keep)
    missing = sorted(set(keep) - set(marked))
    if missing:
        raise RecordError(f"{', '.join(missing)} not found in the manifest stored in {name}")
    if manifest != record["manifest"]:
        record["manifest"] = manifest
        secret["data"]["release"] = encode_record(record)
        secret.get("metadata", {}).pop("managedFields", None)
        kubectl.check("replace", "-f", "-", input_text=json.dumps(secret))
    return Kept(name, tuple(marked))
