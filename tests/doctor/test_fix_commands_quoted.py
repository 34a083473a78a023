"""The commands the doctor's findings suggest can be pasted into a shell as they stand, whatever the kube context
is called (a kubeconfig allows any string; EKS's are ARNs, some have spaces)."""

from __future__ import annotations

import shlex

from flyte_tui.doctor.checks import kubectl_cmd
from flyte_tui.doctor.checks.cluster import _helm_scope
from flyte_tui.doctor.snapshot import DoctorTarget, Snapshot


def _snap(context: str) -> Snapshot:
    return Snapshot(DoctorTarget(namespace="flyte", release="flyte", context=context))


def test_a_context_with_a_space_stays_one_word_of_the_suggested_command() -> None:
    words = shlex.split(f"{kubectl_cmd(_snap('team a; rm -rf ~'))} get pods")
    assert words == ["kubectl", "--context", "team a; rm -rf ~", "-n", "flyte", "get", "pods"]
    assert shlex.split(f"helm status flyte {_helm_scope(_snap('team a'))}")[-2:] == ["--kube-context", "team a"]


def test_an_ordinary_context_reads_as_typed() -> None:
    arn = "arn:aws:eks:us-east-1:123456789012:cluster/prod"
    assert kubectl_cmd(_snap(arn)) == f"kubectl --context {arn} -n flyte"
