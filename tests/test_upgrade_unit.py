"""The helm-diff cross-check of the upgrade review, on plain data: helm-diff's output captured from the test
bed (tests/data/helm-diff-v1.16.7-v1.16.8.txt, verbatim), compared with the objects flyte-tui reports.

How it was captured: the fixture chart's release ``cap`` installed from the test bed's repository as v1.16.7
with ``secrets.adminOauthClientCredentials.clientSecret`` set, then ``helm3 diff upgrade cap
flyteorg/flyte-core --version v1.16.8 -n cap -f new.yaml --no-color --context 0`` with new.yaml giving a
new client secret, ``flyteconsole.replicaCount: 2`` and the native scheduler (``workflow_scheduler``).
"""

from __future__ import annotations

from pathlib import Path

from flyte_tui.review.diff import ManifestDiff, ObjectDiff, ObjectKey, ValuesDiff
from flyte_tui.review.helm_diff import HelmDiffCheck, compare_helm_diff, only_chart_label, parse_helm_diff
from flyte_tui.review.review import Review
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen

HELM_DIFF = (Path(__file__).parent / "data" / "helm-diff-v1.16.7-v1.16.8.txt").read_text()

LABEL_ONLY = (
    "ClusterRole/cap-flyteadmin",
    "ClusterRole/cap-flytepropeller",
    "ClusterRoleBinding/cap-flyteadmin-binding",
    "ClusterRoleBinding/cap-flytepropeller",
    "ConfigMap/clusterresource-template",
    "ConfigMap/datacatalog-config",
    "ConfigMap/flyte-admin-base-config",
    "ConfigMap/flyte-admin-clusters-config",
    "ConfigMap/flyte-clusterresourcesync-config",
    "ConfigMap/flyte-console-config",
    "Service/datacatalog",
    "Service/flyteadmin",
    "Service/flyteconsole",
    "ServiceAccount/datacatalog",
    "ServiceAccount/flyteadmin",
    "ServiceAccount/flytepropeller",
)
"""What differs only in the helm.sh/chart label (flyte-tui leaves these out of its review)."""

ADDED = {"ConfigMap/flyte-scheduler-config", "Deployment/flytescheduler", "ServiceAccount/flytescheduler"}

OURS = {
    "Deployment/flyteadmin",
    "Deployment/datacatalog",
    "Deployment/flytepropeller",
    "Deployment/flyteconsole",
    "Deployment/syncresources",
    "Deployment/flyte-pod-webhook",
    "ConfigMap/flyte-propeller-config",
    "Secret/flyte-secret-auth",
    "ConfigMap/flyte-scheduler-config",
    "Deployment/flytescheduler",
}
"""The objects flyte-tui's review reports for this upgrade, except ServiceAccount/flytescheduler (added in the
tests that want the two sides to agree)."""


def test_parse_helm_diff_keeps_each_objects_changed_lines() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    assert set(reported) == set(LABEL_ONLY) | OURS | ADDED
    assert HELM_DIFF.count(" has changed:") + HELM_DIFF.count(" has been added:") == len(reported) == 27
    assert reported["Deployment/flyteconsole"][2:4] == ("-   replicas: 1", "+   replicas: 2")
    assert reported["Secret/flyte-secret-auth"] == (
        "-   client_secret: '-------- # (5 bytes)'",
        "+   client_secret: '++++++++ # (5 bytes)'",
    )
    copilot = "+           image: cr.flyte.org/flyteorg/flytecopilot:v1.16.8"
    assert copilot in reported["ConfigMap/flyte-propeller-config"]
    added = reported["ServiceAccount/flytescheduler"]
    assert added[1:3] == ("+ # Source: flyte-core/templates/flytescheduler.yaml", "+ apiVersion: v1")
    assert len(added) == 12
    assert parse_helm_diff("") == {}


def test_only_chart_label_is_checked_line_by_line() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    assert tuple(sorted(k for k, lines in reported.items() if only_chart_label(lines))) == LABEL_ONLY
    assert only_chart_label(reported["Service/flyteconsole"])
    assert only_chart_label(reported["ConfigMap/flyte-admin-base-config"])
    assert not only_chart_label(reported["Deployment/flyteconsole"])  # replicas too
    assert not only_chart_label(reported["ConfigMap/flyte-propeller-config"])  # the copilot image too
    assert not only_chart_label(reported["ServiceAccount/flytescheduler"])  # a new object
    assert not only_chart_label(())  # nothing shown: cannot be verified
    assert not only_chart_label(["-     app.kubernetes.io/version: v1", "+     app.kubernetes.io/version: v2"])


def test_sets_that_match_apart_from_verified_label_noise_agree() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    check = compare_helm_diff(reported, OURS | {"ServiceAccount/flytescheduler"})
    assert check.label_only == LABEL_ONLY
    assert check.agrees and not check.helm_diff_only and not check.ours_only
    assert check.summary() == "helm-diff agrees (16 objects differ only in the chart label)."


def test_objects_only_one_side_reports_are_listed_not_called_noise() -> None:
    check = compare_helm_diff(parse_helm_diff(HELM_DIFF), OURS | {"Ingress/flyte-core"})
    assert not check.agrees
    assert check.helm_diff_only == ("ServiceAccount/flytescheduler",)  # a real change we missed, not label noise
    assert check.ours_only == ("Ingress/flyte-core",)
    assert "ServiceAccount/flytescheduler" not in check.label_only
    assert check.summary() == (
        "helm-diff disagrees: reported by helm-diff only: ServiceAccount/flytescheduler; "
        "not reported by helm-diff: Ingress/flyte-core (16 objects differ only in the chart label)."
    )


def test_a_long_disagreement_is_shortened() -> None:
    check = HelmDiffCheck(helm_diff_only=tuple(f"ConfigMap/c{n}" for n in range(12)))
    assert check.summary(limit=2) == (
        "helm-diff disagrees: reported by helm-diff only: ConfigMap/c0, ConfigMap/c1 and 10 more "
        "(0 objects differ only in the chart label)."
    )


def review_with(helm_diff: set[str] | None, noise_only: list[str]) -> Review:
    objects = [ObjectDiff(ObjectKey(*key.split("/")), "changed") for key in sorted(OURS)]
    return Review(None, [], ValuesDiff((), ()), ManifestDiff(objects), helm_diff=helm_diff, noise_only=noise_only)


def test_the_review_and_its_screen_say_agrees_only_when_the_sets_match() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    noise = list(compare_helm_diff(reported, OURS).label_only)
    review = review_with(set(reported), noise)
    check = review.helm_diff_check()
    assert check is not None and check.helm_diff_only == ("ServiceAccount/flytescheduler",)
    summary = UpgradeReviewScreen(review)._summary()
    assert "helm-diff agrees" not in summary and "reported by helm-diff only: ServiceAccount/flytescheduler" in summary
    data = review.to_json()["helmDiffCheck"]
    assert data == {"agrees": False, "helmDiffOnly": ["ServiceAccount/flytescheduler"], "notInHelmDiff": []}

    agreeing = review_with(set(reported) - {"ServiceAccount/flytescheduler"}, noise)
    assert "helm-diff agrees (16 objects differ only in the chart label)." in UpgradeReviewScreen(agreeing)._summary()
    assert agreeing.to_json()["helmDiffCheck"]["agrees"] is True


def test_without_helm_diff_nothing_is_claimed() -> None:
    review = review_with(None, [])
    assert review.helm_diff_check() is None
    assert "helm-diff" not in UpgradeReviewScreen(review)._summary()
    assert review.to_json()["helmDiffCheck"] is None


def test_the_headless_review_prints_the_disagreement_too() -> None:
    from flyte_tui.cli.run import review_lines

    reported = parse_helm_diff(HELM_DIFF)
    noise = list(compare_helm_diff(reported, OURS).label_only)
    lines = review_lines(review_with(set(reported), noise))
    line = next(line for line in lines if line.startswith("helm-diff:"))
    assert "helm-diff disagrees" in line and "reported by helm-diff only: ServiceAccount/flytescheduler" in line
