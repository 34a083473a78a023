"""Snapshots for the doctor's unit tests: JSON captured from the e2e test bed (tests/doctor/data), edited per test.

* ``deployed.json``: the fixture chart installed with its defaults into namespace ``flyte`` (all pods Ready).
* ``sick.json``: namespace ``sick``: flyteadmin crash-looping with a ``password authentication failed`` log,
  datacatalog in ImagePullBackOff, ``common.databaseSecret.name: db-pass`` (no such Secret), storage s3.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from flyte_tui.doctor.checks import Finding, all_checks, run_check
from flyte_tui.doctor.snapshot import DoctorTarget, Snapshot, snapshot_from_json

DATA = Path(__file__).with_name("data")


@cache
def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    return data


def load(name: str, **target: Any) -> Snapshot:
    """A fresh (deep-copied) snapshot of a captured scenario."""
    target.setdefault("namespace", "flyte" if name == "deployed" else name)
    target.setdefault("release", "flyte")
    return snapshot_from_json(copy.deepcopy(_raw(name)), DoctorTarget(**target))


def run(snap: Snapshot, check_id: str) -> Finding:
    """Run one check by id."""
    item = next(c for c in all_checks() if c.id == check_id)
    return run_check(item, snap)


def add(snap: Snapshot, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Add a namespaced object to a snapshot."""
    snap.objects.setdefault(kind, []).append(obj)
    return obj


def obj(name: str, namespace: str = "flyte", **fields: Any) -> dict[str, Any]:
    """A minimal Kubernetes object."""
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    for key in ("labels", "annotations"):
        if key in fields:
            meta[key] = fields.pop(key)
    return {"metadata": meta, **fields}


def iso(moment: datetime | None = None) -> str:
    """An RFC 3339 time as the API server writes it."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
