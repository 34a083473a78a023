"""The manifest and values layers of the upgrade review, as pure functions over plain text."""

from __future__ import annotations

import base64
import copy

from flyte_tui.diff import REDACTED, manifest_diff, normalise, parse_manifest, values_diff

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: flyteadmin
  namespace: flyte
  labels: {{app.kubernetes.io/name: flyteadmin, helm.sh/chart: flyte-core-{chart}}}
spec:
  replicas: 1
  template:
    metadata:
      labels: {{app.kubernetes.io/name: flyteadmin, helm.sh/chart: flyte-core-{chart}}}
    spec:
      containers:
      - name: flyteadmin
        image: cr.flyte.org/flyteorg/flyteadmin:{image}
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: flyte-admin-base-config, namespace: flyte, annotations: {}}
data:
  db.yaml: "host: db.example.com"
"""


def secret(**data: str) -> str:
    encoded = ", ".join(f"{k}: {base64.b64encode(v.encode()).decode()}" for k, v in data.items())
    return f"apiVersion: v1\nkind: Secret\nmetadata: {{name: db-pass, namespace: flyte}}\ndata: {{{encoded}}}\n"


def release(*docs: str) -> str:
    return "---\n".join(docs)


def test_a_new_chart_version_alone_changes_nothing() -> None:
    old = release(DEPLOYMENT.format(chart="v1.16.7", image="v1.16.7"), CONFIGMAP)
    # Same objects, keys reordered, the chart label bumped and an empty map dropped.
    reordered = (
        'apiVersion: v1\nkind: ConfigMap\ndata:\n  db.yaml: "host: db.example.com"\n'
        "metadata: {namespace: flyte, name: flyte-admin-base-config}\n"
    )
    new = release(DEPLOYMENT.format(chart="v1.16.8", image="v1.16.7"), reordered)
    assert not manifest_diff(old, new)


def test_a_changed_image_shows_as_one_changed_object_with_its_lines() -> None:
    old = release(DEPLOYMENT.format(chart="v1.16.7", image="v1.16.7"), CONFIGMAP)
    new = release(DEPLOYMENT.format(chart="v1.16.8", image="v1.16.8"), CONFIGMAP)
    diff = manifest_diff(old, new)
    assert [(str(o.key), o.change) for o in diff.objects] == [("Deployment/flyteadmin", "changed")]
    lines = diff.objects[0].lines
    changed = [line for line in lines[2:] if line[:1] in "+-"]
    assert [(line[0], line[1:].strip()) for line in changed] == [
        ("-", "image: cr.flyte.org/flyteorg/flyteadmin:v1.16.7"),
        ("+", "image: cr.flyte.org/flyteorg/flyteadmin:v1.16.8"),
    ]
    assert not any("helm.sh/chart" in line for line in lines)
    assert diff.counts == {"Deployment": {"added": 0, "removed": 0, "changed": 1}}


def test_added_and_removed_objects() -> None:
    old = release(DEPLOYMENT.format(chart="v1", image="v1"))
    new = release(CONFIGMAP)
    diff = manifest_diff(old, new)
    assert [(str(o.key), o.change) for o in diff.objects] == [
        ("ConfigMap/flyte-admin-base-config", "added"),
        ("Deployment/flyteadmin", "removed"),
    ]
    added = diff.objects[0].lines
    assert added[0] == "--- /dev/null" and any(line.startswith("+data:") for line in added)


def test_a_secret_says_which_key_changed_and_never_a_value() -> None:
    old = secret(**{"pass.txt": "CANARY-old-password", "user": "flyteadmin"})
    new = secret(**{"pass.txt": "CANARY-new-password", "user": "flyteadmin", "extra": "CANARY-extra"})
    diff = manifest_diff(old, new)
    (obj,) = diff.objects
    assert obj.change == "changed"
    assert dict(obj.secret_keys) == {"pass.txt": "changed", "user": "unchanged", "extra": "added"}
    text = "\n".join(obj.lines)
    assert "CANARY" not in text and base64.b64encode(b"CANARY").decode()[:6] not in text
    assert REDACTED in text


def test_a_secret_with_the_same_values_is_not_a_change() -> None:
    assert not manifest_diff(secret(a="one"), secret(a="one"))


def test_normalise_never_changes_the_object_it_is_given() -> None:
    (obj,) = parse_manifest(DEPLOYMENT.format(chart="v1", image="v1")).values()
    before = copy.deepcopy(obj)
    cleaned = normalise(obj)
    assert obj == before
    assert "helm.sh/chart" not in cleaned["metadata"]["labels"]
    assert "helm.sh/chart" not in cleaned["spec"]["template"]["metadata"]["labels"]


def test_labels_left_empty_by_the_noise_filter_disappear() -> None:
    obj = {"kind": "ConfigMap", "metadata": {"name": "x", "labels": {"helm.sh/chart": "c-1"}}, "data": {"a": "b"}}
    assert normalise(obj) == {"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}


def test_values_diff_masks_secret_looking_keys() -> None:
    diff = values_diff({"auth": {"clientSecret": "CANARY-1"}, "x": 1}, {"auth": {"clientSecret": "CANARY-2"}, "x": 2})
    text = "\n".join(diff.lines) + "\n".join(c.line() for c in diff.changes)
    assert "CANARY" not in text
    assert any(c.path == "x" for c in diff.changes)
