"""The helm-diff cross-check of the upgrade review, on plain data: helm-diff's output as captured from the
test bed (``helm diff upgrade … --no-color --context 0``, flyte-core v1.16.7 → v1.16.8 plus a new
client secret and two flyteconsole replicas), compared with the objects flyte-tui reports."""

from __future__ import annotations

from flyte_tui.review.diff import ManifestDiff, ObjectDiff, ObjectKey, ValuesDiff
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen
from flyte_tui.upgrade import HelmDiffCheck, Review, compare_helm_diff, only_chart_label, parse_helm_diff

HELM_DIFF = """\
cap, cap-flyteadmin, ClusterRole (rbac.authorization.k8s.io) has changed:
...
-     helm.sh/chart: flyte-core-v1.16.7
+     helm.sh/chart: flyte-core-v1.16.8
...
cap, flyte-admin-secrets, Secret (v1) has changed:
...
-     helm.sh/chart: flyte-core-v1.16.7
+     helm.sh/chart: flyte-core-v1.16.8
...
cap, flyte-pod-webhook, Deployment (apps) has changed:
...
-         app.kubernetes.io/version: v1.16.7
+         app.kubernetes.io/version: v1.16.8
...
-         image: cr.flyte.org/flyteorg/flytepropeller:v1.16.7
+         image: cr.flyte.org/flyteorg/flytepropeller:v1.16.8
...
cap, flyte-secret-auth, Secret (v1) has changed:
...
-   client_secret: '-------- # (5 bytes)'
+   client_secret: '++++++++ # (5 bytes)'
...
cap, flyteconsole, Deployment (apps) has changed:
...
-     helm.sh/chart: flyte-core-v1.16.7
+     helm.sh/chart: flyte-core-v1.16.8
...
-   replicas: 1
+   replicas: 2
...
-         helm.sh/chart: flyte-core-v1.16.7
+         helm.sh/chart: flyte-core-v1.16.8
...
cap, flyteconsole, Service (v1) has changed:
...
-     helm.sh/chart: flyte-core-v1.16.7
+     helm.sh/chart: flyte-core-v1.16.8
...
cap, flytescheduler, ServiceAccount (v1) has been added:
+ # Source: flyte-core/templates/flytescheduler/serviceaccount.yaml
+ apiVersion: v1
+ kind: ServiceAccount
+ metadata:
+   name: flytescheduler
+   labels:
+     helm.sh/chart: flyte-core-v1.16.8
"""

OURS = {"Deployment/flyte-pod-webhook", "Secret/flyte-secret-auth", "Deployment/flyteconsole"}


def test_parse_helm_diff_keeps_each_objects_changed_lines() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    assert set(reported) == {
        "ClusterRole/cap-flyteadmin",
        "Secret/flyte-admin-secrets",
        "Deployment/flyte-pod-webhook",
        "Secret/flyte-secret-auth",
        "Deployment/flyteconsole",
        "Service/flyteconsole",
        "ServiceAccount/flytescheduler",
    }
    assert reported["Deployment/flyteconsole"][2:4] == ("-   replicas: 1", "+   replicas: 2")
    assert len(reported["ServiceAccount/flytescheduler"]) == 7
    assert parse_helm_diff("") == {}


def test_only_chart_label_is_checked_line_by_line() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    assert only_chart_label(reported["Service/flyteconsole"])
    assert only_chart_label(reported["Secret/flyte-admin-secrets"])
    assert not only_chart_label(reported["Deployment/flyteconsole"])  # replicas too
    assert not only_chart_label(reported["ServiceAccount/flytescheduler"])  # a new object
    assert not only_chart_label(())  # nothing shown: cannot be verified
    assert not only_chart_label(["-     app.kubernetes.io/version: v1", "+     app.kubernetes.io/version: v2"])


def test_sets_that_match_apart_from_verified_label_noise_agree() -> None:
    reported = parse_helm_diff(HELM_DIFF)
    check = compare_helm_diff(reported, OURS | {"ServiceAccount/flytescheduler"})
    assert check.label_only == ("ClusterRole/cap-flyteadmin", "Secret/flyte-admin-secrets", "Service/flyteconsole")
    assert check.agrees and not check.helm_diff_only and not check.ours_only
    assert check.summary() == "helm-diff agrees (3 objects differ only in the chart label)."


def test_objects_only_one_side_reports_are_listed_not_called_noise() -> None:
    check = compare_helm_diff(parse_helm_diff(HELM_DIFF), OURS | {"ConfigMap/flyte-admin-base-config"})
    assert not check.agrees
    assert check.helm_diff_only == ("ServiceAccount/flytescheduler",)  # a real change we missed, not label noise
    assert check.ours_only == ("ConfigMap/flyte-admin-base-config",)
    assert "ServiceAccount/flytescheduler" not in check.label_only
    assert check.summary() == (
        "helm-diff disagrees: reported by helm-diff only: ServiceAccount/flytescheduler; "
        "not reported by helm-diff: ConfigMap/flyte-admin-base-config (3 objects differ only in the chart label)."
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
    assert "helm-diff agrees (3 objects differ only in the chart label)." in UpgradeReviewScreen(agreeing)._summary()
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
