"""Writing values and answers files: comments, order and unknown keys survive; atomic; backups kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.owned import is_owned
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.charts.values_file import write_values_file
from flyte_tui.files.answers import load_answers, write_answers
from flyte_tui.files.yamlio import load_plain, write_atomic
from tests.conftest import set_path

USER_FILE = """\
# Our platform team's Flyte values. Do not remove the podLabels: billing needs them.
flyteadmin:
  podLabels:
    team: ml-platform   # cost centre
  replicaCount: 7
storage:
  type: s3
  cache:
    maxSizeMBs: 2048    # tuned by hand
  s3:
    region: eu-west-1
sparkoperator:
  enabled: false        # we do not run spark
"""


def plan_of(answers):
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    return result.plan


def test_render_into_existing_file_keeps_comments_and_unknown_keys(tmp_path: Path, realistic) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(USER_FILE)
    written = write_values_file(plan_of(realistic["eks"]), path)
    text = path.read_text()
    assert "# Our platform team's Flyte values." in text
    assert "team: ml-platform   # cost centre" in text
    assert "maxSizeMBs: 2048    # tuned by hand" in text
    assert "enabled: false        # we do not run spark" in text
    values = load_plain(text)
    assert values["flyteadmin"]["podLabels"] == {"team": "ml-platform"}
    assert values["sparkoperator"] == {"enabled": False}
    assert values["storage"]["s3"]["region"] == "us-east-2"  # the answers win on keys flyte-tui manages
    assert values["flyteadmin"]["replicaCount"] == 2  # eks preset
    assert values["storage"]["bucketName"] == "acme-flyte-meta"
    assert written.backup == tmp_path / "values.yaml.bak"
    assert written.backup.read_text() == USER_FILE
    assert list(values)[:3] == ["flyteadmin", "storage", "sparkoperator"]  # user's order first


def test_changing_an_answer_removes_the_stale_keys_it_wrote(tmp_path: Path, realistic) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(USER_FILE)
    write_values_file(plan_of(realistic["eks"]), path)
    gke = realistic["gke"]
    write_values_file(plan_of(gke), path)
    values = load_plain(path.read_text())
    assert "s3" not in values["storage"]
    assert values["storage"]["cache"] == {"maxSizeMBs": 2048}
    annotations = values["common"]["ingress"].get("annotations", {})
    assert not [k for k in annotations if k.startswith("alb.")]
    assert values["flyteadmin"]["podLabels"] == {"team": "ml-platform"}
    assert "eks.amazonaws.com/role-arn" not in values["flyteadmin"]["serviceAccount"]["annotations"]


HAND_WRITTEN = """\
common:
  ingress:
    annotations:
      nginx.ingress.kubernetes.io/proxy-body-size: 100m   # big uploads
flyteconnector:
  replicaCount: 3
webhook:
  serviceAccount:
    annotations:
      eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/webhook
sparkoperator:
  resources:
    limits: {cpu: "2"}
"""


@pytest.mark.parametrize("environment", ["generic", "eks", "gke", "sandbox"])
def test_keys_that_only_look_like_ours_survive(tmp_path: Path, realistic, environment: str) -> None:
    """Only the exact paths flyte-tui writes are ever removed: a user's own annotation, another
    component's replicas, IRSA on a ServiceAccount flyte-tui does not manage all stay."""
    path = tmp_path / "values.yaml"
    path.write_text(HAND_WRITTEN)
    write_values_file(plan_of(realistic[environment]), path)
    text = path.read_text()
    values = load_plain(text)
    assert values["common"]["ingress"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] == "100m"
    assert "# big uploads" in text
    assert values["flyteconnector"]["replicaCount"] == 3
    assert values["webhook"]["serviceAccount"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/webhook"
    }
    assert values["sparkoperator"]["resources"]["limits"] == {"cpu": "2"}


def _leaf_paths(tree, prefix=()):  # type: ignore[no-untyped-def]
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            yield from _leaf_paths(value, (*prefix, str(key)))
    else:
        yield prefix


VARIANTS = {
    "eks alb tls": ("eks", {}),
    "gke nginx tls": ("gke", {}),
    "generic accesskey": ("generic", {}),
    "sandbox": ("sandbox", {}),
    "generic contour": ("generic", {"ingress.controller": "contour", "ingress.separateGrpc": True}),
    "generic traefik, other namespace": ("generic", {"ingress.controller": "traefik", "target.namespace": "ml"}),
    "gke gce": ("gke", {"ingress.controller": "gce", "ingress.tls": {"enabled": False}}),
    "eks alb no tls": ("eks", {"ingress.tls": {"enabled": False}}),
    "generic custom storage": ("generic", {"storage": {"type": "custom", "custom": {"type": "stow"}}}),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_key_flyte_tui_renders_is_one_it_may_remove_later(realistic, variant: str) -> None:
    """Otherwise a key written for an old answer would stay in the file after the answer changed."""
    environment, changes = VARIANTS[variant]
    answers = realistic[environment]
    for dotted, value in changes.items():
        set_path(answers, dotted, value)
    answers.pop("extraValues", None)  # the user's own keys: never owned
    values = render_values(plan_of(answers))
    unowned = [
        ".".join(path) for path in _leaf_paths(values) if not any(is_owned(path[:n]) for n in range(1, len(path) + 1))
    ]
    assert unowned == []


def test_rerender_is_idempotent(tmp_path: Path, realistic) -> None:
    path = tmp_path / "values.yaml"
    plan = plan_of(realistic["gke"])
    first = write_values_file(plan, path).text
    second = write_values_file(plan, path).text
    assert first == second
    assert first.startswith("# Helm values for Flyte, generated by flyte-tui")


def test_values_file_never_contains_secrets(tmp_path: Path, realistic) -> None:
    text = write_values_file(plan_of(realistic["generic"]), tmp_path / "v.yaml").text
    for word in ("password:", "accessKey", "secretKey", "secret-key", "access-key"):
        assert word not in text


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("old: true\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, "new: true\n")
    assert path.read_text() == "old: true\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_atomic_write_keeps_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("a: 1\n")
    path.chmod(0o600)
    write_atomic(path, "a: 2\n")
    assert path.stat().st_mode & 0o777 == 0o600


def test_atomic_write_of_the_same_text_writes_nothing_and_keeps_no_backup(tmp_path: Path) -> None:
    # The installer writes the values file the wizard has just saved: no ".bak" identical to it.
    path = tmp_path / "values.yaml"
    path.write_text("a: 1\n")
    os.utime(path, (1_000_000, 1_000_000))
    assert write_atomic(path, "a: 1\n") is None
    assert path.read_text() == "a: 1\n"
    assert path.stat().st_mtime == 1_000_000
    assert not (tmp_path / "values.yaml.bak").exists()
    assert write_atomic(path, "a: 2\n") == tmp_path / "values.yaml.bak"
    assert (tmp_path / "values.yaml.bak").read_text() == "a: 1\n"


def test_answers_file_round_trip_keeps_comments(tmp_path: Path, realistic) -> None:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text("# our answers\nenvironment: eks   # prod account\nnotes: keep me\n")
    answers = realistic["eks"]
    set_path(answers, "storage.region", "us-west-2")
    backup = write_answers(answers, path)
    text = path.read_text()
    assert "# our answers" in text and "eks   # prod account" in text and "notes: keep me" in text
    assert backup is not None and backup.exists()
    loaded = load_answers(path)
    assert loaded["storage"]["region"] == "us-west-2"
    loaded.pop("notes")
    assert validate_answers(loaded).ok


ANCHORED = """\
flyteadmin:
  resources: &res
    requests: {cpu: 100m, memory: 100Mi}
    limits: {cpu: 100m, memory: 100Mi}
datacatalog:
  resources: *res
mine: &mine {team: ml}
theirs: *mine
"""


def test_managed_keys_never_write_through_an_alias(tmp_path: Path, realistic) -> None:
    """Issue 12, item 8: flyteadmin got datacatalog's numbers and the reverse."""
    answers = realistic["eks"]
    answers["resources"] = {
        "components": {
            "flyteadmin": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
            "datacatalog": {"requests": {"cpu": "300m", "memory": "300Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
        }
    }
    path = tmp_path / "values.yaml"
    path.write_text(ANCHORED)
    write_values_file(plan_of(answers), path)
    text = path.read_text()
    values = load_plain(text)
    assert values["flyteadmin"]["resources"]["requests"] == {"cpu": "1", "memory": "1Gi"}
    assert values["datacatalog"]["resources"]["requests"] == {"cpu": "300m", "memory": "300Mi"}
    assert values["flyteadmin"]["resources"]["limits"] == {"cpu": "2", "memory": "2Gi"}
    assert values["datacatalog"]["resources"]["limits"] == {"cpu": "1", "memory": "1Gi"}
    assert "&mine" in text and "theirs: *mine" in text  # the user's own anchors survive
    assert values["theirs"] == {"team": "ml"}


def test_an_alias_that_needs_no_change_is_kept(tmp_path: Path, realistic) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("base: &b {podLabels: {a: '1'}}\nflyteadmin: *b\n")
    write_values_file(plan_of(realistic["sandbox"]), path)
    values = load_plain(path.read_text())
    assert values["base"] == {"podLabels": {"a": "1"}}  # flyteadmin's managed keys did not reach base
    assert values["flyteadmin"]["podLabels"] == {"a": "1"}
