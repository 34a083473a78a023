"""The uninstall's own logic on plain data: the keep mark in helm's release record, which namespaces are the
cluster-resource sync's, the order of the steps, and the command line's refusals (the cluster side is in
tests/e2e/test_uninstall.py)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyte_tui.cli.commands import main
from flyte_tui.files.yamlio import load_plain
from flyte_tui.release import ReleaseInfo
from flyte_tui.review.diff import parse_manifest
from flyte_tui.uninstall import Uninstaller, UninstallOptions
from flyte_tui.uninstall.preview import CrdToKeep, Preview, ProjectNamespace, ReleaseToRemove
from flyte_tui.uninstall.projects import candidates, carries
from flyte_tui.uninstall.record import KEEP_ANNOTATION, RecordError, decode_record, encode_record, with_keep

MANIFEST = """---
# Source: flyte-core/templates/flytepropeller.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: flytepropeller
  labels: {app: x}
spec:
  selector: {matchLabels: {app: flytepropeller}}
---
# Source: flyte-core/templates/crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: flyteworkflows.flyte.lyft.com
spec:
  group: flyte.lyft.com
  names: {kind: FlyteWorkflow, plural: flyteworkflows}
---
# Source: flyte-core/templates/pvc.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations: {owner: me}
spec: {accessModes: [ReadWriteOnce]}
"""
CRD = "CustomResourceDefinition/flyteworkflows.flyte.lyft.com"


def test_keep_marks_only_the_named_objects_and_leaves_every_other_document_as_it_was() -> None:
    text, marked = with_keep(MANIFEST, [CRD, "PersistentVolumeClaim/data"])
    assert marked == [CRD, "PersistentVolumeClaim/data"]
    objects = {str(k): v for k, v in parse_manifest(text).items()}
    assert objects[CRD]["metadata"]["annotations"] == {KEEP_ANNOTATION: "keep"}
    assert objects["PersistentVolumeClaim/data"]["metadata"]["annotations"] == {"owner": "me", KEEP_ANNOTATION: "keep"}
    assert (
        objects[CRD]["spec"]
        == parse_manifest(MANIFEST)[next(k for k in parse_manifest(MANIFEST) if str(k) == CRD)]["spec"]
    )
    deployment = MANIFEST.split("---")[1]
    assert text.split("---")[1] == deployment  # byte for byte
    assert "# Source: flyte-core/templates/crd.yaml" in text
    again, _ = with_keep(text, [CRD])
    assert again == text  # already kept: nothing changes


def test_keep_of_an_object_not_in_the_manifest_marks_nothing() -> None:
    text, marked = with_keep(MANIFEST, ["CustomResourceDefinition/other.example.com"])
    assert marked == [] and text == MANIFEST


def test_the_release_record_round_trips_in_helms_encoding() -> None:
    record = {"name": "flyte", "version": 3, "manifest": MANIFEST, "info": {"status": "deployed"}}
    helm_side = base64.b64encode(gzip.compress(json.dumps(record).encode()))  # what helm stores
    assert decode_record(base64.b64encode(helm_side).decode()) == record  # kubectl shows it base64 again
    assert decode_record(encode_record(record)) == record
    inner = base64.b64decode(base64.b64decode(encode_record(record)))
    assert inner[:2] == b"\x1f\x8b"  # gzip, as helm writes it
    with pytest.raises(RecordError, match="base64"):
        decode_record("not base64!")


CHART_VALUES = Path(__file__).parent / "charts" / "flyte-core" / "values.yaml"


def test_project_namespaces_are_the_projects_times_the_domains_with_what_the_templates_create() -> None:
    values = load_plain(CHART_VALUES.read_text())
    found = candidates(values)
    assert [c.name for c in found][:3] == ["flytesnacks-development", "flytesnacks-staging", "flytesnacks-production"]
    assert len(found) == 9
    assert found[0].objects == ("resourcequota/project-quota",)
    values["cluster_resource_manager"]["enabled"] = False
    assert candidates(values) == []


def test_a_namespace_is_the_syncs_only_when_it_carries_what_the_templates_put_there() -> None:
    values = load_plain(CHART_VALUES.read_text())
    template = values["cluster_resource_manager"]["templates"][0]
    template["value"] = template["value"].replace(
        "name: {{ namespace }}", "name: {{ namespace }}\n  labels: {team: '{{ project }}'}"
    )
    wanted = candidates(values)[0]
    assert wanted.labels == {"team": "flytesnacks"}
    labelled = {"metadata": {"name": wanted.name, "labels": {"team": "flytesnacks"}}}
    assert carries(wanted, labelled, ["resourcequota/project-quota"]) == ""
    assert "project-quota" in carries(wanted, labelled, [])
    assert "team" in carries(wanted, {"metadata": {"name": wanted.name}}, ["resourcequota/project-quota"])
    helm_owned = {"metadata": {"labels": {"team": "flytesnacks", "app.kubernetes.io/managed-by": "Helm"}}}
    assert "Helm" in carries(wanted, helm_owned, ["resourcequota/project-quota"])


def _release(name: str, chart: str, crds: tuple[str, ...] = ()) -> ReleaseToRemove:
    return ReleaseToRemove(ReleaseInfo(name, "flyte", chart, 1, "deployed", ""), crds=crds)


def test_flyte_goes_first_then_its_dependencies_and_the_crd_is_kept_unless_purged() -> None:
    flyte = _release("flyte", "flyte-core-v1.16.8", ("flyteworkflows.flyte.lyft.com",))
    deps = _release("flyte-deps", "flyte-deps-v0.1.0")
    preview = Preview("", "flyte", (flyte, deps), secrets=("db-pass",),
                      project_namespaces=(ProjectNamespace("flytesnacks-development", 2),),
                      crds=(CrdToKeep("flyteworkflows.flyte.lyft.com", "flyte", "FlyteWorkflow", 4),))  # fmt: skip
    steps = [s for s, _ in Uninstaller(preview, UninstallOptions()).titles()]
    assert steps == ["keep-flyte", "uninstall-flyte", "uninstall-flyte-deps", "pods", "secrets"]
    purged = [s for s, _ in Uninstaller(preview, UninstallOptions(purge=True)).titles()]
    assert purged == ["uninstall-flyte", "uninstall-flyte-deps", "pods", "secrets", "purge"]
    kept = "\n".join(preview.lines(purge=False))
    assert "flyteworkflows.flyte.lyft.com (cluster-wide; 4 FlyteWorkflow object(s) in all namespaces): kept" in kept
    assert "helm.sh/resource-policy: keep" in kept and "flytesnacks-development (2 pod(s)): kept" in kept
    assert kept.index("  flyte:") < kept.index("  flyte-deps:")
    purge = "\n".join(preview.lines(purge=True))
    assert "deleted (--purge), and every FlyteWorkflow with it" in purge


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["uninstall"], "an answers file"),
        (["uninstall", "a.yaml", "--release", "flyte"], "not both"),
        (["uninstall", "--release", "Flyte_1"], "--release 'Flyte_1'"),
        (["uninstall", "--release", "flyte", "-n", "-x"], "--namespace '-x'"),
        (["uninstall", "--release", "flyte", "--timeout", "soon"], "duration"),
    ],
)
def test_the_command_line_refuses_what_cannot_name_a_release(args: list[str], said: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert "Traceback" not in result.output
