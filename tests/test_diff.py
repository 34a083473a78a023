"""The manifest and values layers of the upgrade review, as pure functions over plain text."""

from __future__ import annotations

import base64
import copy
import json

from flyte_tui.cli.run import review_lines
from flyte_tui.redact import holds_secret
from flyte_tui.release import ReleaseInfo
from flyte_tui.review.diff import (
    answers_diff,
    manifest_diff,
    normalise,
    parse_manifest,
    values_diff,
)
from flyte_tui.review.mask import CHANGED, REDACTED
from flyte_tui.review.review import Review

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


# -- secrets in every layer -----------------------------------------------------------------------

SECRET_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {{name: flyte-admin-base-config, namespace: flyte}}
data:
  db.yaml: "database:\\n  postgres:\\n    host: {host}\\n    username: flyteadmin\\n    password: CANARY-{tag}-db\\n"
  storage.yaml: "storage:\\n  stow:\\n    kind: s3\\n    config:\\n      auth_type: accesskey\\n\\
    \\      access_key_id: CANARY-{tag}-ak\\n      secret_key: CANARY-{tag}-sk\\n"
"""

SECRET_ENV_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: flyteadmin, namespace: flyte}}
spec:
  template:
    spec:
      containers:
      - name: flyteadmin
        image: flyteadmin:{image}
        args: [--token, CANARY-{tag}-arg, --config, /etc/flyte/config]
        env:
        - {{name: LOG_LEVEL, value: "5"}}
        - {{name: DB_PASSWORD, value: CANARY-{tag}-env}}
        - {{name: DB_PASSWORD_PATH, value: /etc/db/pass.txt}}
"""

OLD_VALUES = {
    "db": {"admin": {"database": {"password": "CANARY-old-pw", "passwordPath": "/etc/db/pass.txt"}}},
    "auth": {
        "apiKey": "CANARY-old-api",
        "privateKey": "CANARY-old-private",
        "clientSecret": "CANARY-same-client",
        "secret": "CANARY-old-secret",
        "credentials": "CANARY-old-credentials",
        "secretName": "flyte-auth",
        "passwordSecret": "db-pass",
        "credentialsSecret": "flyte-storage",
    },
    "flyteadmin": {"env": [{"name": "OIDC_CLIENT_SECRET", "value": "CANARY-old-oidc"}]},
}


def _values(tag: str) -> dict[str, object]:
    text = json.dumps(OLD_VALUES).replace("CANARY-old-", f"CANARY-{tag}-")
    data = json.loads(text)
    data["auth"]["secretName"] = f"flyte-auth-{tag}"
    return data


def _everything_shown(review: Review) -> str:
    return "\n".join(
        [
            *(line for o in review.manifests.objects for line in o.lines),
            *review.values.lines,
            *(c.line() for c in review.values.changes),
            *(c.line() for c in review.answers),
            json.dumps(review.to_json(), default=str),
            *review_lines(review),
        ]
    )


def secret_review() -> Review:
    old = release(
        SECRET_CONFIGMAP.format(host="db.example.com", tag="old"), SECRET_ENV_DEPLOYMENT.format(image="v1", tag="old")
    )
    new = release(
        SECRET_CONFIGMAP.format(host="db2.example.com", tag="new"), SECRET_ENV_DEPLOYMENT.format(image="v1", tag="new")
    )
    return Review(
        release=ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.8", 1, "deployed", "2026-12-01"),
        answers=answers_diff({"extraValues": OLD_VALUES}, {"extraValues": _values("new")}),
        values=values_diff(OLD_VALUES, _values("new")),
        manifests=manifest_diff(old, new),
    )


def test_no_canary_in_any_layer_of_the_review() -> None:
    review = secret_review()
    shown = _everything_shown(review)
    assert "CANARY" not in shown
    assert base64.b64encode(b"CANARY").decode()[:6] not in shown


def side(lines: tuple[str, ...], mark: str) -> str:
    """The ``mark`` ("+", "-" or " ") lines of a diff as one line (YAML folds long strings over several)."""
    return " ".join(line[1:].strip() for line in lines[2:] if line.startswith(mark))


def test_a_changed_secret_in_a_configmap_text_block_still_shows_as_changed() -> None:
    diff = secret_review().manifests
    configmap = next(o for o in diff.objects if o.key.kind == "ConfigMap")
    added = side(configmap.lines, "+")
    assert "host: db2.example.com" in added  # the rest of the text block still shows
    assert f"password: {CHANGED}" in added and f"secret_key: {CHANGED}" in added
    assert f"access_key_id: {CHANGED}" in added and "auth_type: accesskey" in "\n".join(configmap.lines)


def test_a_configmap_secret_change_alone_is_a_change() -> None:
    old = SECRET_CONFIGMAP.format(host="db", tag="old")
    (obj,) = manifest_diff(old, old.replace("old-db", "new-db")).objects
    assert side(obj.lines, "-").endswith(f'{REDACTED}\\n"') and side(obj.lines, "+").endswith(f'{CHANGED}\\n"')
    assert f"access_key_id: {REDACTED}" in "\n".join(obj.lines)  # unchanged: no mark
    assert "CANARY" not in "\n".join(obj.lines)
    assert not manifest_diff(old, old)


def test_an_env_secret_is_masked_and_its_change_shown_other_env_values_kept() -> None:
    deployment = next(o for o in secret_review().manifests.objects if o.key.kind == "Deployment")
    lines = [line[1:].strip() for line in deployment.lines]
    assert f"value: {CHANGED}" in lines and f"value: {REDACTED}" in lines  # DB_PASSWORD: new side, old side
    assert "value: /etc/db/pass.txt" in lines and "value: '5'" in lines  # a path and a log level are not secrets
    assert f"- {CHANGED}" in lines  # the argument after --token
    assert "- /etc/flyte/config" in lines


def test_values_and_answers_mask_every_secret_word_and_report_the_change() -> None:
    review = secret_review()
    changes = {c.path: c for c in review.values.changes}
    for key in ("apiKey", "privateKey", "secret", "credentials"):
        change = changes[f"auth.{key}"]
        assert (change.old, change.new) == (REDACTED, CHANGED)
        assert change.line() == f"~ auth.{key}: {REDACTED} → {CHANGED}"
    assert "auth.clientSecret" not in changes  # unchanged: not listed at all
    assert changes["db.admin.database.password"].line() == f"~ db.admin.database.password: {REDACTED} → {CHANGED}"
    env = changes["flyteadmin.env"]
    assert env.old == [{"name": "OIDC_CLIENT_SECRET", "value": REDACTED}]
    assert env.new == [{"name": "OIDC_CLIENT_SECRET", "value": CHANGED}]
    assert changes["auth.secretName"].line() == "~ auth.secretName: 'flyte-auth' → 'flyte-auth-new'"
    assert f"~ auth.apiKey: {REDACTED} → {CHANGED}" in review.values.lines
    assert not any("clientSecret" in line for line in review.values.lines)  # unchanged: not shown
    assert {c.path for c in review.answers} == {f"extraValues.{path}" for path in changes}
    assert all(c.new in (CHANGED, env.new) for c in review.answers if c.path != "extraValues.auth.secretName")


def test_names_of_secrets_stay_visible() -> None:
    for key in ("secretName", "passwordPath", "passwordSecret", "credentialsSecret", "clientId", "auth_type"):
        assert not holds_secret(key), key
    for key in ("password", "apiKey", "privateKey", "clientSecret", "secret", "credentials", "secretKey", "accessKey"):
        assert holds_secret(key), key
    for key in ("access_key_id", "oidc_client_secret", "DB_PASSWORD", "token"):
        assert holds_secret(key), key
    diff = values_diff({"db": {"passwordSecret": "db-pass"}}, {"db": {"passwordSecret": "db-pass-2"}})
    assert [c.line() for c in diff.changes] == ["~ db.passwordSecret: 'db-pass' → 'db-pass-2'"]


def test_an_added_secret_is_masked_but_not_marked_changed() -> None:
    diff = values_diff({}, {"storage": {"s3": {"secretKey": "CANARY-new"}}})
    assert [c.line() for c in diff.changes] == [f"+ storage.s3.secretKey: {REDACTED}"]
    assert CHANGED not in "\n".join(diff.lines) and "CANARY" not in "\n".join(diff.lines)


# -- the values layer: changed leaves only ---------------------------------------------------------


def test_values_in_another_key_order_are_no_change() -> None:
    """helm returns the deployed values sorted; ours keep the chart's order: nothing changed."""
    ours = {"storage": {"type": "s3", "bucketName": "b"}, "db": {"admin": {"port": 5432, "host": "h"}}}
    helms = {"db": {"admin": {"host": "h", "port": 5432}}, "storage": {"bucketName": "b", "type": "s3"}}
    diff = values_diff(helms, ours)
    assert not diff and diff.lines == ()


def test_values_layer_shows_only_the_changed_nested_leaf() -> None:
    old = {"db": {"admin": {"host": "h", "port": 5432}}, "flyteadmin": {"replicaCount": 1}, "z": {"a": 1}}
    new = {"z": {"a": 1}, "flyteadmin": {"replicaCount": 2}, "db": {"admin": {"port": 5432, "host": "h"}}}
    assert values_diff(old, new).lines == ("~ flyteadmin.replicaCount: 1 → 2",)


def test_values_layer_added_and_removed_leaves() -> None:
    old = {"a": {"keep": 1, "gone": "x"}, "old": {"deep": {"leaf": True}}}
    new = {"a": {"keep": 1, "new": 3}, "fresh": {"deep": {"leaf": "y"}}}
    assert values_diff(old, new).lines == (
        "- a.gone: 'x'",
        "+ a.new: 3",
        "+ fresh.deep.leaf: 'y'",
        "- old.deep.leaf: True",
    )


def test_values_layer_a_list_is_one_leaf_replaced_whole() -> None:
    old = {"flyteadmin": {"initialProjects": ["flytesnacks"]}, "x": [1, 2]}
    new = {"flyteadmin": {"initialProjects": ["flytesnacks", "acme"]}, "x": [1, 2]}
    assert values_diff(old, new).lines == ("~ flyteadmin.initialProjects: ['flytesnacks'] → ['flytesnacks', 'acme']",)


def test_values_layer_masks_a_secret_leaf_and_inside_a_list() -> None:
    old = {"auth": {"clientSecret": "CANARY-1"}, "env": [{"name": "DB_PASSWORD", "value": "CANARY-2"}]}
    new = {"auth": {"clientSecret": "CANARY-3"}, "env": [{"name": "DB_PASSWORD", "value": "CANARY-4"}]}
    lines = values_diff(old, new).lines
    assert lines == (
        f"~ auth.clientSecret: {REDACTED} → {CHANGED}",
        f"~ env: [{{'name': 'DB_PASSWORD', 'value': '{REDACTED}'}}]"
        f" → [{{'name': 'DB_PASSWORD', 'value': '{CHANGED}'}}]",
    )
